//! Stylus activation rules, checked with `wasmparser` on a processed module, and the deploy
//! size limits.
//!
//! Sources for the rules (Offchain Labs nitro, read for the rules only):
//! - `crates/prover/src/binary.rs`, `parse()`: the module is validated with exactly the
//!   features in [`stylus_features`]; imports must be functions; any section other than
//!   type/import/function/table/memory/global/export/start/element/code/data/custom is
//!   rejected ("unsupported section type"), which is what rejects a DataCount section;
//!   export or import names starting with `stylus` are reserved; an export whose name
//!   (after its last `__`) equals an import's name is rejected.
//! - same file, `WasmBinary::parse_user()`: memory pages ≤ the page limit (128), at most one
//!   memory, ≤ 128 data segments, ≤ 128 element segments, ≤ 1024 exports, ≤ 4096 functions,
//!   ≤ 32768 globals, ≤ 348 locals and ≤ 65536 operators per function, ≤ 513 imports,
//!   ≤ 4096 table entries and element entries, export names ≤ 512 bytes, no start function;
//!   `instrument()`: `user_entrypoint` must be an exported function of type `(i32) -> i32`.
//! - `crates/stylus/src/native.rs`: the `vm_hooks` functions a node links ([`STYLUS_HOSTIOS`]);
//!   the `console`/`debug` modules are linked only on debug chains.
//! - `crates/prover/src/programs/meter.rs`, `pricing_v1`: floating-point operators,
//!   `memory.init`, `data.drop`, `table.init`, `elem.drop`, `table.copy` cost `u64::MAX` ink, so
//!   any basic block containing one always runs out of ink: such a module activates but traps
//!   whenever that code runs. The gate rejects it ([`Rule::UnpricedOpcode`]).
//! - `arbos/programs/params.go`: page limit 128, maximum decompressed size 128 KiB.

use std::fmt;
use wasmparser::{
    ElementItems, ExternalKind, Operator, Parser, Payload, TypeRef, ValType, Validator,
    WasmFeatures,
};

/// Deploy limit: `EFF00000` prefix + brotli-11 of the processed module, in bytes.
pub const MAX_DEPLOY_SIZE: usize = 24_576;
/// The team's target for a program's deploy size (16 KiB).
pub const TARGET_DEPLOY_SIZE: usize = 16 * 1024;
/// Maximum decompressed (processed) module size, in bytes (`initialMaxWasmSize`).
pub const MAX_WASM_SIZE: usize = 128 * 1024;
/// Maximum initial memory, in 64 KiB pages (`initialPageLimit`).
pub const MAX_MEMORY_PAGES: u64 = 128;
/// Maximum number of functions defined in the module.
pub const MAX_FUNCTIONS: usize = 4096;
/// The only import module a deployable program may use.
pub const HOSTIO_MODULE: &str = "vm_hooks";
/// Name of the program entry point export.
pub const ENTRYPOINT: &str = "user_entrypoint";

/// Every function a Stylus node links under `vm_hooks` (nitro `crates/stylus/src/native.rs`).
/// stylus-sdk 0.9 can import 34 of them; `exit_early`, the transient storage pair and the
/// `math_*` hostios are linked by current nodes as well.
pub const STYLUS_HOSTIOS: &[&str] = &[
    "read_args",
    "write_result",
    "exit_early",
    "storage_load_bytes32",
    "storage_cache_bytes32",
    "storage_flush_cache",
    "transient_load_bytes32",
    "transient_store_bytes32",
    "call_contract",
    "delegate_call_contract",
    "static_call_contract",
    "create1",
    "create2",
    "read_return_data",
    "return_data_size",
    "emit_log",
    "account_balance",
    "account_code",
    "account_codehash",
    "account_code_size",
    "evm_gas_left",
    "evm_ink_left",
    "block_basefee",
    "chainid",
    "block_coinbase",
    "block_gas_limit",
    "block_number",
    "block_timestamp",
    "contract_address",
    "math_div",
    "math_mod",
    "math_pow",
    "math_add_mod",
    "math_mul_mod",
    "msg_reentrant",
    "msg_sender",
    "msg_value",
    "tx_gas_price",
    "tx_ink_price",
    "tx_origin",
    "pay_for_memory_grow",
    "native_keccak256",
];

/// The WebAssembly features Stylus activation validates with.
///
/// Source: nitro `crates/prover/src/binary.rs`, `parse()`, which builds its `Validator` with
/// `mutable_global`, `saturating_float_to_int`, `sign_extension`, `multi_value`, `bulk_memory`
/// and `floats` enabled and every other feature (`reference_types`, `simd`, `relaxed_simd`,
/// `threads`, `tail_call`, `multi_memory`, `exceptions`, `memory64`, `extended_const`,
/// `component_model`, `function_references`, `memory_control`, `gc`) disabled. Without
/// reference types, wasmparser requires `call_indirect`'s table immediate to be the single
/// byte `0x00`, which is the check raw rustc 1.95 output fails.
pub fn stylus_features() -> WasmFeatures {
    WasmFeatures::MUTABLE_GLOBAL
        | WasmFeatures::SATURATING_FLOAT_TO_INT
        | WasmFeatures::SIGN_EXTENSION
        | WasmFeatures::MULTI_VALUE
        | WasmFeatures::BULK_MEMORY
        | WasmFeatures::FLOATS
}

/// A rule of the deployability gate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Rule {
    /// Not a valid WebAssembly module at all.
    InvalidWasm,
    /// Valid WebAssembly, but uses a feature Stylus does not enable (reference types, SIMD, ...).
    WasmFeatures,
    /// A DataCount section (emitted for `memory.init`/`data.drop`, or by old binaryen).
    NoDataCount,
    /// Any other section nitro does not accept (tags, components, unknown ids).
    UnsupportedSection,
    /// An import from a module other than `vm_hooks`.
    ImportModule,
    /// An import of a table, memory, global or tag (only functions may be imported).
    ImportKind,
    /// A `vm_hooks` import that is not a Stylus hostio.
    KnownHostio,
    /// `user_entrypoint` missing, not a function, or not `(i32) -> i32`.
    EntrypointExport,
    /// No `memory` export of a memory.
    MemoryExport,
    /// A start function.
    NoStart,
    /// More than one memory.
    SingleMemory,
    /// Initial memory above 128 pages.
    MemoryPages,
    /// More than 4096 functions defined.
    FunctionCount,
    /// An operator Stylus prices at `u64::MAX` ink (floats, `memory.init`, `table.copy`, ...).
    UnpricedOpcode,
    /// More than 513 imports.
    ImportCount,
    /// More than 1024 exports.
    ExportCount,
    /// More than 32768 globals.
    GlobalCount,
    /// More than 128 data segments.
    DataSegmentCount,
    /// More than 128 element segments.
    ElementSegmentCount,
    /// More than 4096 table entries (sum of initial sizes).
    TableEntries,
    /// More than 4096 element entries.
    ElementEntries,
    /// A function with more than 348 locals.
    LocalCount,
    /// A function with more than 65536 operators.
    OperatorCount,
    /// An export name longer than 512 bytes.
    NameLength,
    /// An import or export name starting with `stylus`.
    ReservedName,
    /// An export whose name (after its last `__`) equals an import's name.
    ExportShadowsImport,
    /// Processed (decompressed) module above 128 KiB.
    WasmSize,
    /// Deploy code (prefix + brotli-11) above 24,576 bytes.
    DeploySize,
}

impl Rule {
    /// The rule's short name, as printed by the gate.
    pub fn name(self) -> &'static str {
        match self {
            Rule::InvalidWasm => "invalid-wasm",
            Rule::WasmFeatures => "wasm-features",
            Rule::NoDataCount => "no-data-count",
            Rule::UnsupportedSection => "unsupported-section",
            Rule::ImportModule => "imports-vm-hooks-only",
            Rule::ImportKind => "imports-functions-only",
            Rule::KnownHostio => "known-hostio",
            Rule::EntrypointExport => "export-user-entrypoint",
            Rule::MemoryExport => "export-memory",
            Rule::NoStart => "no-start-function",
            Rule::SingleMemory => "single-memory",
            Rule::MemoryPages => "memory-pages",
            Rule::FunctionCount => "function-count",
            Rule::UnpricedOpcode => "unpriced-opcode",
            Rule::ImportCount => "import-count",
            Rule::ExportCount => "export-count",
            Rule::GlobalCount => "global-count",
            Rule::DataSegmentCount => "data-segment-count",
            Rule::ElementSegmentCount => "element-segment-count",
            Rule::TableEntries => "table-entries",
            Rule::ElementEntries => "element-entries",
            Rule::LocalCount => "local-count",
            Rule::OperatorCount => "operator-count",
            Rule::NameLength => "name-length",
            Rule::ReservedName => "reserved-name",
            Rule::ExportShadowsImport => "export-shadows-import",
            Rule::WasmSize => "wasm-size",
            Rule::DeploySize => "deploy-size",
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One broken rule, with what broke it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// The rule.
    pub rule: Rule,
    /// What in the module breaks it.
    pub detail: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {}", self.rule, self.detail)
    }
}

/// An imported function, `module::name`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Import {
    /// Import module (`vm_hooks` for a deployable program).
    pub module: String,
    /// Imported item name.
    pub name: String,
}

impl fmt::Display for Import {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}::{}", self.module, self.name)
    }
}

/// What the activation check found in a module.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Activation {
    /// Every import, in module order.
    pub imports: Vec<Import>,
    /// Every export name, in module order.
    pub exports: Vec<String>,
    /// Initial pages of the first memory (0 if none).
    pub memory_pages: u64,
    /// Functions defined in the module (not imported).
    pub functions: usize,
    /// Broken rules; empty when the module would activate.
    pub violations: Vec<Violation>,
}

impl Activation {
    /// True when no rule is broken.
    pub fn passes(&self) -> bool {
        self.violations.is_empty()
    }

    /// True when `rule` is among the violations.
    pub fn breaks(&self, rule: Rule) -> bool {
        self.violations.iter().any(|v| v.rule == rule)
    }

    /// True when the module exports a function named `user_entrypoint` (of any type).
    pub fn has_entrypoint(&self) -> bool {
        self.exports.iter().any(|e| e == ENTRYPOINT)
    }

    fn push(&mut self, rule: Rule, detail: impl Into<String>) {
        self.violations.push(Violation { rule, detail: detail.into() });
    }
}

/// Size rules on a processed module and its deploy code.
pub fn check_sizes(processed_len: usize, deploy_len: usize) -> Vec<Violation> {
    let mut out = Vec::new();
    if processed_len > MAX_WASM_SIZE {
        out.push(Violation {
            rule: Rule::WasmSize,
            detail: format!(
                "processed module is {processed_len} B, over the {MAX_WASM_SIZE} B (128 KiB) limit"
            ),
        });
    }
    if deploy_len > MAX_DEPLOY_SIZE {
        out.push(Violation {
            rule: Rule::DeploySize,
            detail: format!(
                "deploy code (prefix + brotli-11) is {deploy_len} B, {} B over the {MAX_DEPLOY_SIZE} B limit",
                deploy_len - MAX_DEPLOY_SIZE
            ),
        });
    }
    out
}

/// Checks every activation rule on `wasm` (a processed module).
pub fn check_activation(wasm: &[u8]) -> Activation {
    let mut act = Activation::default();

    if let Err(err) = Validator::new_with_features(WasmFeatures::all()).validate_all(wasm) {
        act.push(Rule::InvalidWasm, err.to_string());
        return act;
    }
    if let Err(err) = Validator::new_with_features(stylus_features()).validate_all(wasm) {
        act.push(
            Rule::WasmFeatures,
            format!("not valid with Stylus's feature set (mvp + mutable-global, sign-ext, saturating float-to-int, multi-value, bulk-memory): {err}"),
        );
    } else if let Err(err) =
        Validator::new_with_features(stylus_features() - WasmFeatures::FLOATS).validate_all(wasm)
    {
        act.push(
            Rule::UnpricedOpcode,
            format!("floating-point code, which Stylus meters as unpayable (any block containing it runs out of ink): {err}"),
        );
    }

    if let Err(err) = inspect(wasm, &mut act) {
        act.push(Rule::InvalidWasm, err.to_string());
    }
    act
}

/// Walks the sections of an already validated module and records every rule it breaks.
fn inspect(wasm: &[u8], act: &mut Activation) -> wasmparser::Result<()> {
    let mut types: Vec<(Vec<ValType>, Vec<ValType>)> = Vec::new();
    let mut func_types: Vec<u32> = Vec::new();
    let mut exports: Vec<(String, ExternalKind, u32)> = Vec::new();
    let mut memories: Vec<u64> = Vec::new();
    let mut unpriced: Vec<(usize, &'static str)> = Vec::new();
    let mut code_index = 0usize;

    for payload in Parser::new(0).parse_all(wasm) {
        match payload? {
            Payload::TypeSection(reader) => {
                for ty in reader.into_iter_err_on_gc_types() {
                    let ty = ty?;
                    types.push((ty.params().to_vec(), ty.results().to_vec()));
                }
            }
            Payload::ImportSection(reader) => {
                for import in reader {
                    let import = import?;
                    match import.ty {
                        TypeRef::Func(ty) => func_types.push(ty),
                        TypeRef::Memory(m) => {
                            memories.push(m.initial);
                            act.push(
                                Rule::ImportKind,
                                format!("imports a memory `{}::{}`", import.module, import.name),
                            );
                        }
                        other => act.push(
                            Rule::ImportKind,
                            format!(
                                "imports a non-function `{}::{}` ({other:?})",
                                import.module, import.name
                            ),
                        ),
                    }
                    act.imports.push(Import {
                        module: import.module.to_string(),
                        name: import.name.to_string(),
                    });
                }
            }
            Payload::FunctionSection(reader) => {
                for ty in reader {
                    func_types.push(ty?);
                    act.functions += 1;
                }
            }
            Payload::TableSection(reader) => {
                let mut entries = 0u64;
                for table in reader {
                    entries = entries.saturating_add(table?.ty.initial);
                }
                if entries > 4096 {
                    act.push(Rule::TableEntries, format!("{entries} table entries, limit 4096"));
                }
            }
            Payload::MemorySection(reader) => {
                for memory in reader {
                    memories.push(memory?.initial);
                }
            }
            Payload::GlobalSection(reader) => {
                if reader.count() > 32_768 {
                    act.push(Rule::GlobalCount, format!("{} globals, limit 32768", reader.count()));
                }
            }
            Payload::ExportSection(reader) => {
                for export in reader {
                    let export = export?;
                    exports.push((export.name.to_string(), export.kind, export.index));
                }
            }
            Payload::StartSection { func, .. } => {
                act.push(
                    Rule::NoStart,
                    format!("start function {func}: Stylus does not run start functions"),
                );
            }
            Payload::ElementSection(reader) => {
                if reader.count() > 128 {
                    act.push(
                        Rule::ElementSegmentCount,
                        format!("{} element segments, limit 128", reader.count()),
                    );
                }
                let mut entries = 0u64;
                for element in reader {
                    entries += match element?.items {
                        ElementItems::Functions(items) => u64::from(items.count()),
                        ElementItems::Expressions(_, items) => u64::from(items.count()),
                    };
                }
                if entries > 4096 {
                    act.push(
                        Rule::ElementEntries,
                        format!("{entries} element entries, limit 4096"),
                    );
                }
            }
            Payload::DataCountSection { count, .. } => {
                act.push(
                    Rule::NoDataCount,
                    format!("DataCount section ({count} segments): nitro rejects the section"),
                );
            }
            Payload::DataSection(reader) => {
                if reader.count() > 128 {
                    act.push(
                        Rule::DataSegmentCount,
                        format!("{} data segments, limit 128", reader.count()),
                    );
                }
            }
            Payload::CodeSectionEntry(body) => {
                let mut locals = 0u64;
                for local in body.get_locals_reader()? {
                    locals += u64::from(local?.0);
                }
                if locals > 348 {
                    act.push(
                        Rule::LocalCount,
                        format!("function {code_index} has {locals} locals, limit 348"),
                    );
                }
                let mut ops = body.get_operators_reader()?;
                let mut count = 0usize;
                while !ops.eof() {
                    count += 1;
                    let name = match ops.read()? {
                        Operator::MemoryInit { .. } => "memory.init",
                        Operator::DataDrop { .. } => "data.drop",
                        Operator::TableInit { .. } => "table.init",
                        Operator::ElemDrop { .. } => "elem.drop",
                        Operator::TableCopy { .. } => "table.copy",
                        _ => continue,
                    };
                    unpriced.push((code_index, name));
                }
                if count > 65_536 {
                    act.push(
                        Rule::OperatorCount,
                        format!("function {code_index} has {count} operators, limit 65536"),
                    );
                }
                code_index += 1;
            }
            Payload::Version { .. }
            | Payload::CodeSectionStart { .. }
            | Payload::CustomSection(_)
            | Payload::End(_) => {}
            other => {
                let what = match other.as_section() {
                    Some((id, _)) => format!("section id {id}"),
                    None => "a component-model payload".to_string(),
                };
                act.push(
                    Rule::UnsupportedSection,
                    format!("{what}: nitro accepts only core MVP sections"),
                );
            }
        }
    }

    if let Some((func, op)) = unpriced.first() {
        act.push(
            Rule::UnpricedOpcode,
            format!(
                "`{op}` in function {func} ({} such operators in all): Stylus meters it as unpayable",
                unpriced.len()
            ),
        );
    }

    check_imports(act);
    check_exports(act, &exports, &types, &func_types);

    if memories.len() > 1 {
        act.push(Rule::SingleMemory, format!("{} memories, Stylus allows one", memories.len()));
    }
    act.memory_pages = memories.first().copied().unwrap_or(0);
    if act.memory_pages > MAX_MEMORY_PAGES {
        act.push(
            Rule::MemoryPages,
            format!(
                "initial memory of {} pages, limit {MAX_MEMORY_PAGES} (check -zstack-size)",
                act.memory_pages
            ),
        );
    }
    if act.functions > MAX_FUNCTIONS {
        act.push(
            Rule::FunctionCount,
            format!("{} functions, limit {MAX_FUNCTIONS}", act.functions),
        );
    }
    Ok(())
}

fn check_imports(act: &mut Activation) {
    let mut found = Vec::new();
    for import in &act.imports {
        if import.module != HOSTIO_MODULE {
            let hint = if matches!(import.module.as_str(), "console" | "debug") {
                " (debug-only hostio: linked on debug chains only; build without the SDK's `debug` feature)"
            } else {
                ""
            };
            found.push(Violation {
                rule: Rule::ImportModule,
                detail: format!("imports `{import}` from module `{}`{hint}", import.module),
            });
        } else if !STYLUS_HOSTIOS.contains(&import.name.as_str()) {
            found.push(Violation {
                rule: Rule::KnownHostio,
                detail: format!("imports `{import}`, which no Stylus node links"),
            });
        }
        if import.name.starts_with("stylus") {
            found.push(Violation {
                rule: Rule::ReservedName,
                detail: format!("imports `{import}`: names starting with `stylus` are reserved"),
            });
        }
    }
    if act.imports.len() > 513 {
        found.push(Violation {
            rule: Rule::ImportCount,
            detail: format!("{} imports, limit 513", act.imports.len()),
        });
    }
    act.violations.extend(found);
}

fn check_exports(
    act: &mut Activation,
    exports: &[(String, ExternalKind, u32)],
    types: &[(Vec<ValType>, Vec<ValType>)],
    func_types: &[u32],
) {
    act.exports = exports.iter().map(|(name, ..)| name.clone()).collect();
    if exports.len() > 1024 {
        act.push(Rule::ExportCount, format!("{} exports, limit 1024", exports.len()));
    }

    match exports.iter().find(|(name, ..)| name == ENTRYPOINT) {
        None => act.push(
            Rule::EntrypointExport,
            format!("no `{ENTRYPOINT}` export (the program has no #[entrypoint])"),
        ),
        Some((_, ExternalKind::Func, index)) => {
            let ty = func_types.get(*index as usize).and_then(|t| types.get(*t as usize));
            let expected = (vec![ValType::I32], vec![ValType::I32]);
            if ty != Some(&expected) {
                act.push(
                    Rule::EntrypointExport,
                    format!("`{ENTRYPOINT}` has type {ty:?}, expected (i32) -> i32"),
                );
            }
        }
        Some((_, kind, _)) => act.push(
            Rule::EntrypointExport,
            format!("`{ENTRYPOINT}` is exported as a {kind:?}, not a function"),
        ),
    }

    if !exports.iter().any(|(name, kind, _)| name == "memory" && *kind == ExternalKind::Memory) {
        act.push(Rule::MemoryExport, "no `memory` export of a memory");
    }

    for (name, ..) in exports {
        if name.len() > 512 {
            act.push(Rule::NameLength, format!("export name of {} bytes, limit 512", name.len()));
        }
        // nitro compares the part after the last `__` (the whole name when there is none).
        let tail = name.rsplit("__").next().unwrap_or(name);
        if tail.starts_with("stylus") {
            act.push(
                Rule::ReservedName,
                format!("exports `{name}`: names starting with `stylus` are reserved"),
            );
        }
        if act.imports.iter().any(|i| i.name == tail) {
            act.push(
                Rule::ExportShadowsImport,
                format!("export `{name}` has the same name as an import"),
            );
        }
    }
}
