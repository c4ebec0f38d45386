//! "Activation": the checks a Stylus chain applies before a program may run, the per-program
//! entry costs it records, and the ink metering it compiles into the program.
//!
//! The rules are restated from nitro's documentation and source (`crates/prover/src/binary.rs`,
//! `programs/meter.rs`, `programs/dynamic.rs`, `programs/config.rs`); the implementation is
//! this crate's own, built on `wasmparser` and `wasm-encoder`.
//!
//! Rejected at activation (so deploying such bytes fails here as it would on chain):
//! - anything the validator rejects with Stylus's feature set: reference types (rustc 1.95's
//!   over-long `call_indirect` table index fails here, as on chain), SIMD, threads, tail calls,
//!   multi-memory, memory64, exceptions, extended-const, GC;
//! - a start function; a `DataCount` section or any other unsupported or unknown section;
//!   non-constant global initialisers;
//! - no single memory exported as `memory`; more than 128 initial pages;
//! - no `user_entrypoint` export of type `(i32) -> i32`;
//! - imports other than the host functions of `vm_hooks` (and `console`), or with a wrong
//!   signature, or imported twice with different types; reserved `stylus*` names; an export
//!   that re-exports an import's name;
//! - more than 128 data or element segments, 1,024 exports, 4,096 functions, 32,768 globals,
//!   348 locals or 65,536 instructions in a function, 513 imports, 4,096 table or element
//!   entries; export names longer than 512 bytes;
//! - the bulk-memory instructions nitro does not support (`memory.init`, `data.drop`, table
//!   instructions).
//!
//! Metering: every basic block (ended by `end`, `else`, `return`, `loop`, `br`, `br_if`,
//! `br_table`, `if`, `call`, `call_indirect`) is charged, before it runs, the sum of its
//! instructions' ink from nitro's v1 price table plus 2,450 ink of block overhead; if the frame
//! has less ink left it traps as out of gas. `memory.fill`/`memory.copy` also pay 100 ink per
//! byte. Instructions nitro prices as unsupported (floating point, among others) make their
//! block unaffordable, so reaching one runs out of gas, as on chain.

use crate::gas::{ModuleShape, ProgramCosts, PAGE_LIMIT};
use alloy_primitives::{keccak256, B256};
use std::{collections::HashMap, fmt};
use wasm_encoder::reencode::{self, Reencode};
use wasmparser::{
    ExternalKind, FuncType, Operator, Parser, Payload, TypeRef, ValType, Validator, WasmFeatures,
};

/// Ink of one basic block's metering header (nitro `ink_header_cost`).
pub const BLOCK_HEADER_INK: u64 = 2_450;
/// Ink per byte of `memory.fill` and `memory.copy` (nitro `memory_fill_ink` = 800 / 8).
pub const MEMORY_COPY_INK_PER_BYTE: i64 = 100;

/// Export under which the metered module exposes its remaining ink.
pub(crate) const INK_LEFT_EXPORT: &str = "__host_ink_left";
/// Export under which the metered module exposes its out-of-ink flag.
pub(crate) const INK_STATUS_EXPORT: &str = "__host_ink_status";

/// Largest decompressed module (nitro `MaxWasmSize`, 128 KiB).
pub const MAX_WASM_SIZE: usize = 128 * 1024;

/// Decompresses brotli deploy code, refusing more than [`MAX_WASM_SIZE`] bytes.
fn decompress(compressed: &[u8]) -> Result<Vec<u8>, ActivationError> {
    use std::io::Read;
    let mut out = Vec::new();
    brotli_decompressor::Decompressor::new(compressed, 4096)
        .take(MAX_WASM_SIZE as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|e| ActivationError(format!("brotli decompression failed: {e}")))?;
    if out.len() > MAX_WASM_SIZE {
        return Err(ActivationError(format!("decompressed wasm exceeds {MAX_WASM_SIZE} bytes")));
    }
    Ok(out)
}

/// Why a program cannot be activated (deployed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActivationError(pub String);

impl fmt::Display for ActivationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "activation failed: {}", self.0)
    }
}

impl std::error::Error for ActivationError {}

macro_rules! reject {
    ($($arg:tt)*) => { return Err(ActivationError(format!($($arg)*))) };
}

/// Value types of host-function signatures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ty {
    I32,
    I64,
    F32,
    F64,
}

use Ty::{F32, F64, I32, I64};

/// Every host function a program may import: `(module, name, params, results)`.
///
/// `vm_hooks`: the 34 imports stylus-sdk 0.9 can emit (`src/hostio.rs`) plus the ones nitro
/// also offers (`exit_early`, transient storage, 256-bit math). `console`: the debug imports.
const HOST_FUNCTIONS: &[(&str, &str, &[Ty], &[Ty])] = &[
    ("vm_hooks", "read_args", &[I32], &[]),
    ("vm_hooks", "write_result", &[I32, I32], &[]),
    ("vm_hooks", "exit_early", &[I32], &[]),
    ("vm_hooks", "storage_load_bytes32", &[I32, I32], &[]),
    ("vm_hooks", "storage_cache_bytes32", &[I32, I32], &[]),
    ("vm_hooks", "storage_flush_cache", &[I32], &[]),
    ("vm_hooks", "transient_load_bytes32", &[I32, I32], &[]),
    ("vm_hooks", "transient_store_bytes32", &[I32, I32], &[]),
    ("vm_hooks", "call_contract", &[I32, I32, I32, I32, I64, I32], &[I32]),
    ("vm_hooks", "delegate_call_contract", &[I32, I32, I32, I64, I32], &[I32]),
    ("vm_hooks", "static_call_contract", &[I32, I32, I32, I64, I32], &[I32]),
    ("vm_hooks", "create1", &[I32, I32, I32, I32, I32], &[]),
    ("vm_hooks", "create2", &[I32, I32, I32, I32, I32, I32], &[]),
    ("vm_hooks", "read_return_data", &[I32, I32, I32], &[I32]),
    ("vm_hooks", "return_data_size", &[], &[I32]),
    ("vm_hooks", "emit_log", &[I32, I32, I32], &[]),
    ("vm_hooks", "account_balance", &[I32, I32], &[]),
    ("vm_hooks", "account_code", &[I32, I32, I32, I32], &[I32]),
    ("vm_hooks", "account_code_size", &[I32], &[I32]),
    ("vm_hooks", "account_codehash", &[I32, I32], &[]),
    ("vm_hooks", "block_basefee", &[I32], &[]),
    ("vm_hooks", "block_coinbase", &[I32], &[]),
    ("vm_hooks", "block_gas_limit", &[], &[I64]),
    ("vm_hooks", "block_number", &[], &[I64]),
    ("vm_hooks", "block_timestamp", &[], &[I64]),
    ("vm_hooks", "chainid", &[], &[I64]),
    ("vm_hooks", "contract_address", &[I32], &[]),
    ("vm_hooks", "evm_gas_left", &[], &[I64]),
    ("vm_hooks", "evm_ink_left", &[], &[I64]),
    ("vm_hooks", "math_div", &[I32, I32], &[]),
    ("vm_hooks", "math_mod", &[I32, I32], &[]),
    ("vm_hooks", "math_pow", &[I32, I32], &[]),
    ("vm_hooks", "math_add_mod", &[I32, I32, I32], &[]),
    ("vm_hooks", "math_mul_mod", &[I32, I32, I32], &[]),
    ("vm_hooks", "msg_reentrant", &[], &[I32]),
    ("vm_hooks", "msg_sender", &[I32], &[]),
    ("vm_hooks", "msg_value", &[I32], &[]),
    ("vm_hooks", "native_keccak256", &[I32, I32, I32], &[]),
    ("vm_hooks", "tx_gas_price", &[I32], &[]),
    ("vm_hooks", "tx_ink_price", &[], &[I32]),
    ("vm_hooks", "tx_origin", &[I32], &[]),
    ("vm_hooks", "pay_for_memory_grow", &[I32], &[]),
    ("console", "log_txt", &[I32, I32], &[]),
    ("console", "log_i32", &[I32], &[]),
    ("console", "log_i64", &[I64], &[]),
    ("console", "log_f32", &[F32], &[]),
    ("console", "log_f64", &[F64], &[]),
    ("console", "tee_i32", &[I32], &[I32]),
    ("console", "tee_i64", &[I64], &[I64]),
    ("console", "tee_f32", &[F32], &[F32]),
    ("console", "tee_f64", &[F64], &[F64]),
];

/// The names of every host function the host provides, as `(module, name)`.
pub fn host_function_names() -> impl Iterator<Item = (&'static str, &'static str)> {
    HOST_FUNCTIONS.iter().map(|(m, n, _, _)| (*m, *n))
}

fn ty_of(v: &ValType) -> Option<Ty> {
    match v {
        ValType::I32 => Some(I32),
        ValType::I64 => Some(I64),
        ValType::F32 => Some(F32),
        ValType::F64 => Some(F64),
        _ => None,
    }
}

fn signature_matches(ft: &FuncType, params: &[Ty], results: &[Ty]) -> bool {
    let p: Option<Vec<Ty>> = ft.params().iter().map(ty_of).collect();
    let r: Option<Vec<Ty>> = ft.results().iter().map(ty_of).collect();
    p.as_deref() == Some(params) && r.as_deref() == Some(results)
}

/// The WASM features a Stylus chain accepts (nitro `parse_with_version`).
fn stylus_features() -> WasmFeatures {
    WasmFeatures::MUTABLE_GLOBAL
        | WasmFeatures::SATURATING_FLOAT_TO_INT
        | WasmFeatures::SIGN_EXTENSION
        | WasmFeatures::MULTI_VALUE
        | WasmFeatures::BULK_MEMORY
        | WasmFeatures::FLOATS
        | WasmFeatures::GC_TYPES
}

/// A program that passed activation: its metered module and what an entry into it costs.
#[derive(Clone, Debug)]
pub struct ProgramInfo {
    /// keccak256 of the bytes that were deployed (the prefixed compressed code when that is
    /// what was deployed, as on chain).
    pub code_hash: B256,
    /// Length of the (decompressed) WASM module.
    pub wasm_len: usize,
    /// Entry-cost parameters recorded at activation.
    pub costs: ProgramCosts,
    /// The program's imports, as `(module, name)`.
    pub imports: Vec<(String, String)>,
}

/// Result of [`activate`]: the metered WASM bytes plus the program's information.
pub(crate) struct Activated {
    pub info: ProgramInfo,
    pub metered: Vec<u8>,
}

/// Checks `wasm` as Stylus activation would, prices its entry, and meters it.
///
/// `code` is either the processed WASM module or the deploy code as stored on chain:
/// `0xEFF000` + a dictionary byte (only `00`, no dictionary, is supported) + the brotli
/// compressed module, at most 128 KiB once decompressed.
pub(crate) fn activate(code: &[u8]) -> Result<Activated, ActivationError> {
    let decompressed;
    let wasm = match code.strip_prefix(&[0xEF, 0xF0, 0x00]) {
        Some([0x00, compressed @ ..]) => {
            decompressed = decompress(compressed)?;
            &decompressed[..]
        }
        Some(_) => reject!("unsupported Stylus code prefix: only 0xEFF00000 (no dictionary)"),
        None => code,
    };
    if wasm.len() > MAX_WASM_SIZE {
        reject!("wasm is {} bytes, over the {MAX_WASM_SIZE}-byte limit", wasm.len());
    }
    if !wasm.starts_with(b"\0asm") {
        reject!("not a WASM module (missing \\0asm magic)");
    }
    if let Err(e) = Validator::new_with_features(stylus_features()).validate_all(wasm) {
        reject!("invalid WASM for Stylus: {e}");
    }

    let mut types: Vec<FuncType> = Vec::new();
    let mut func_types: Vec<u32> = Vec::new(); // imported functions first, then defined ones
    let mut imported_funcs = 0usize;
    let imported_globals = 0u32; // only function imports pass the import check
    let mut defined_globals = 0u32;
    let mut imports: Vec<(String, String)> = Vec::new();
    let mut import_types: HashMap<(String, String), u32> = HashMap::new();
    let mut exports: Vec<(String, ExternalKind, u32)> = Vec::new();
    let mut memories: Vec<u64> = Vec::new();
    let mut datas = 0usize;
    let mut elements = 0usize;
    let mut element_entries = 0usize;
    let mut table_entries = 0u64;
    let mut data_len = 0u64;
    let mut codes = 0usize;

    for payload in Parser::new(0).parse_all(wasm) {
        let payload = payload.map_err(|e| ActivationError(e.to_string()))?;
        match payload {
            Payload::Version { .. } | Payload::End(_) | Payload::CodeSectionStart { .. } => {}
            Payload::TypeSection(reader) => {
                for ft in reader.into_iter_err_on_gc_types() {
                    types.push(ft.map_err(|e| ActivationError(e.to_string()))?);
                }
            }
            Payload::ImportSection(reader) => {
                for import in reader {
                    let import = import.map_err(|e| ActivationError(e.to_string()))?;
                    let key = (import.module.to_string(), import.name.to_string());
                    let TypeRef::Func(ty) = import.ty else {
                        reject!("import {}::{} is not a function", import.module, import.name);
                    };
                    if import.name.starts_with("stylus") {
                        reject!("binary imports reserved symbol {}", import.name);
                    }
                    if let Some(prior) = import_types.insert(key.clone(), ty) {
                        if types.get(prior as usize) != types.get(ty as usize) {
                            reject!("inconsistent imports for {}::{}", key.0, key.1);
                        }
                    }
                    let Some((_, _, params, results)) = HOST_FUNCTIONS
                        .iter()
                        .find(|(m, n, _, _)| *m == import.module && *n == import.name)
                    else {
                        reject!("unknown import {}::{}", import.module, import.name);
                    };
                    let Some(ft) = types.get(ty as usize) else {
                        reject!("import {}::{} has no type", import.module, import.name);
                    };
                    if !signature_matches(ft, params, results) {
                        reject!(
                            "import {}::{} has signature {ft:?}, expected {params:?} -> {results:?}",
                            import.module,
                            import.name
                        );
                    }
                    imports.push(key);
                    func_types.push(ty);
                    imported_funcs += 1;
                }
            }
            Payload::FunctionSection(reader) => {
                for ty in reader {
                    func_types.push(ty.map_err(|e| ActivationError(e.to_string()))?);
                }
            }
            Payload::TableSection(reader) => {
                for table in reader {
                    let table = table.map_err(|e| ActivationError(e.to_string()))?;
                    table_entries = table_entries.saturating_add(table.ty.initial);
                }
            }
            Payload::MemorySection(reader) => {
                for memory in reader {
                    let memory = memory.map_err(|e| ActivationError(e.to_string()))?;
                    memories.push(memory.initial);
                }
            }
            Payload::GlobalSection(reader) => {
                for global in reader {
                    let global = global.map_err(|e| ActivationError(e.to_string()))?;
                    let mut ops = global.init_expr.get_operators_reader();
                    let first = ops.read().map_err(|e| ActivationError(e.to_string()))?;
                    let second = ops.read().map_err(|e| ActivationError(e.to_string()))?;
                    let constant = matches!(
                        first,
                        Operator::I32Const { .. }
                            | Operator::I64Const { .. }
                            | Operator::F32Const { .. }
                            | Operator::F64Const { .. }
                    );
                    if !constant || !matches!(second, Operator::End) || !ops.eof() {
                        reject!("non-constant global initializer");
                    }
                    defined_globals += 1;
                }
            }
            Payload::ExportSection(reader) => {
                for export in reader {
                    let export = export.map_err(|e| ActivationError(e.to_string()))?;
                    exports.push((export.name.to_string(), export.kind, export.index));
                }
            }
            Payload::StartSection { .. } => reject!("wasm start functions not allowed"),
            Payload::ElementSection(reader) => {
                for element in reader {
                    let element = element.map_err(|e| ActivationError(e.to_string()))?;
                    elements += 1;
                    data_len += element.range.len() as u64;
                    element_entries += match element.items {
                        wasmparser::ElementItems::Functions(f) => f.count() as usize,
                        wasmparser::ElementItems::Expressions(_, e) => e.count() as usize,
                    };
                }
            }
            Payload::DataSection(reader) => {
                for data in reader {
                    let data = data.map_err(|e| ActivationError(e.to_string()))?;
                    datas += 1;
                    data_len += data.range.len() as u64;
                }
            }
            Payload::CodeSectionEntry(body) => {
                codes += 1;
                let mut locals = 0u64;
                for local in body.get_locals_reader().map_err(|e| ActivationError(e.to_string()))? {
                    let (count, _) = local.map_err(|e| ActivationError(e.to_string()))?;
                    locals += u64::from(count);
                }
                if locals > 348 {
                    reject!("too many wasm locals: {locals} > 348");
                }
                let mut ops =
                    body.get_operators_reader().map_err(|e| ActivationError(e.to_string()))?;
                let mut count = 0usize;
                while !ops.eof() {
                    let op = ops.read().map_err(|e| ActivationError(e.to_string()))?;
                    if unsupported_bulk_op(&op) {
                        reject!("opcode not supported: {op:?}");
                    }
                    count += 1;
                }
                if count > 65_536 {
                    reject!("too many opcodes in func body: {count} > 65536");
                }
            }
            Payload::CustomSection(_) => {}
            Payload::DataCountSection { .. } => {
                reject!("unsupported section type DataCount (activation rejects it)")
            }
            other => reject!("unsupported section: {other:?}"),
        }
    }

    macro_rules! limit {
        ($limit:expr, $count:expr, $name:expr) => {
            if ($count as u64) > ($limit as u64) {
                reject!("too many wasm {}: {} > {}", $name, $count, $limit);
            }
        };
    }
    limit!(1, memories.len(), "memories");
    limit!(128, datas, "datas");
    limit!(128, elements, "elements");
    limit!(1024, exports.len(), "exports");
    limit!(4096, codes, "functions");
    limit!(32768, defined_globals, "globals");
    limit!(513, imports.len(), "imports");
    limit!(4096, table_entries, "table entries");
    limit!(4096, element_entries, "element entries");
    if let Some((name, _, _)) = exports.iter().find(|(n, _, _)| n.len() > 512) {
        reject!("wasm export name too long: {}", name.len());
    }

    let Some(&pages) = memories.first() else {
        reject!("missing memory with export name \"memory\"");
    };
    if !exports.iter().any(|(n, k, _)| n == "memory" && *k == ExternalKind::Memory) {
        reject!("missing memory with export name \"memory\"");
    }
    if pages > u64::from(PAGE_LIMIT) {
        reject!("memory exceeds limit: {pages} > {PAGE_LIMIT}");
    }
    let Some((_, kind, index)) = exports.iter().find(|(n, _, _)| n == "user_entrypoint") else {
        reject!("missing export with name user_entrypoint");
    };
    if *kind != ExternalKind::Func {
        reject!("export user_entrypoint must be a function but is a {kind:?}");
    }
    let entry_ty = func_types.get(*index as usize).and_then(|t| types.get(*t as usize));
    if !entry_ty.is_some_and(|ft| signature_matches(ft, &[I32], &[I32])) {
        reject!("wrong type for user_entrypoint: {entry_ty:?}, expected (i32) -> i32");
    }
    for (name, _, _) in &exports {
        let tail = name.rsplit("__").next().unwrap_or(name);
        if tail.starts_with("stylus") {
            reject!("binary exports reserved symbol {name}");
        }
        if imports.iter().any(|(_, import)| import == tail) {
            reject!("binary exports an import with the same name {tail}");
        }
        if name == INK_LEFT_EXPORT || name == INK_STATUS_EXPORT {
            reject!("export name {name} is reserved by the host");
        }
    }

    let defined_types = &func_types[imported_funcs..];
    let type_len: u64 = defined_types
        .iter()
        .filter_map(|t| types.get(*t as usize))
        .map(|ft| (ft.params().len() + ft.results().len()) as u64)
        .sum();
    let shape = ModuleShape {
        funcs: codes as u64,
        type_len,
        wasm_len: wasm.len() as u64,
        globals: u64::from(defined_globals),
        data_len,
        footprint: pages as u16,
    };

    let first_new_global = imported_globals + defined_globals;
    let metered = meter(wasm, &types, first_new_global)?;
    Ok(Activated {
        info: ProgramInfo {
            code_hash: keccak256(code),
            wasm_len: wasm.len(),
            costs: ProgramCosts::estimate(&shape),
            imports,
        },
        metered,
    })
}

fn unsupported_bulk_op(op: &Operator<'_>) -> bool {
    matches!(
        op,
        Operator::MemoryInit { .. }
            | Operator::DataDrop { .. }
            | Operator::ElemDrop { .. }
            | Operator::TableInit { .. }
            | Operator::TableCopy { .. }
            | Operator::TableFill { .. }
            | Operator::TableGet { .. }
            | Operator::TableSet { .. }
            | Operator::TableGrow { .. }
            | Operator::TableSize { .. }
    )
}

/// Whether `op` ends a basic block for metering (nitro `ends_basic_block`).
fn ends_basic_block(op: &Operator<'_>) -> bool {
    matches!(
        op,
        Operator::End
            | Operator::Else
            | Operator::Return
            | Operator::Loop { .. }
            | Operator::Br { .. }
            | Operator::BrTable { .. }
            | Operator::BrIf { .. }
            | Operator::If { .. }
            | Operator::Call { .. }
            | Operator::CallIndirect { .. }
    )
}

/// Ink of one instruction, from nitro's v1 price table (`u64::MAX` = not supported by Stylus).
fn op_ink(op: &Operator<'_>, types: &[FuncType]) -> u64 {
    use Operator::*;
    match op {
        Unreachable | Return | Nop | I32Const { .. } | I64Const { .. } => 1,
        Block { .. } | Loop { .. } | Else | End => 1,
        Drop => 9,
        Br { .. } | BrIf { .. } | If { .. } => 765,
        Select => 1_250,
        Call { .. } => 3_800,
        LocalGet { .. } | LocalTee { .. } => 75,
        LocalSet { .. } => 210,
        GlobalGet { .. } => 225,
        GlobalSet { .. } => 575,
        I32Load { .. }
        | I32Load8S { .. }
        | I32Load8U { .. }
        | I32Load16S { .. }
        | I32Load16U { .. } => 670,
        I64Load { .. }
        | I64Load8S { .. }
        | I64Load8U { .. }
        | I64Load16S { .. }
        | I64Load16U { .. }
        | I64Load32S { .. }
        | I64Load32U { .. } => 680,
        I32Store { .. } | I32Store8 { .. } | I32Store16 { .. } => 825,
        I64Store { .. } | I64Store8 { .. } | I64Store16 { .. } | I64Store32 { .. } => 950,
        MemorySize { .. } => 3_000,
        MemoryGrow { .. } => 8_050,
        I32Eqz | I32Eq | I32Ne | I32LtS | I32LtU | I32GtS | I32GtU | I32LeS | I32LeU | I32GeS
        | I32GeU => 170,
        I64Eqz | I64Eq | I64Ne | I64LtS | I64LtU | I64GtS | I64GtU | I64LeS | I64LeU | I64GeS
        | I64GeU => 225,
        I32Clz | I32Ctz | I64Clz | I64Ctz => 210,
        I32Add | I32Sub => 70,
        I32Mul | I64Mul => 160,
        I32DivS | I32DivU | I32RemS | I32RemU => 1_120,
        I32And | I32Or | I32Xor | I32Shl | I32ShrS | I32ShrU | I32Rotl | I32Rotr => 70,
        I64Add | I64Sub => 100,
        I64DivS | I64DivU | I64RemS | I64RemU => 1_270,
        I64And | I64Or | I64Xor | I64Shl | I64ShrS | I64ShrU | I64Rotl | I64Rotr => 100,
        I32Popcnt => 2_650,
        I64Popcnt => 6_000,
        I32WrapI64 | I64ExtendI32S | I64ExtendI32U => 100,
        I32Extend8S | I32Extend16S | I64Extend8S | I64Extend16S | I64Extend32S => 100,
        MemoryCopy { .. } | MemoryFill { .. } => 950,
        BrTable { targets } => 2_400 + 325 * u64::from(targets.len()),
        CallIndirect { type_index, .. } => {
            let inputs = types.get(*type_index as usize).map_or(0, |t| t.params().len() as u64);
            13_610 + 650 * inputs
        }
        _ => u64::MAX,
    }
}

/// Rewrites the module with the ink meter (see the module docs).
fn meter(
    wasm: &[u8],
    types: &[FuncType],
    first_new_global: u32,
) -> Result<Vec<u8>, ActivationError> {
    let mut meter = Meter {
        types: types.to_vec(),
        ink: first_new_global,
        status: first_new_global + 1,
        scratch: first_new_global + 2,
        globals_emitted: false,
    };
    let mut module = wasm_encoder::Module::new();
    meter
        .parse_core_module(&mut module, Parser::new(0), wasm)
        .map_err(|e| ActivationError(format!("metering failed: {e:?}")))?;
    Ok(module.finish())
}

struct Meter {
    types: Vec<FuncType>,
    ink: u32,
    status: u32,
    scratch: u32,
    globals_emitted: bool,
}

impl Meter {
    fn add_globals(&mut self, globals: &mut wasm_encoder::GlobalSection) {
        use wasm_encoder::{ConstExpr, GlobalType, ValType as V};
        let mutable = |val_type| GlobalType { val_type, mutable: true, shared: false };
        globals.global(mutable(V::I64), &ConstExpr::i64_const(0));
        globals.global(mutable(V::I32), &ConstExpr::i32_const(0));
        globals.global(mutable(V::I32), &ConstExpr::i32_const(0));
        self.globals_emitted = true;
    }

    /// Instructions charging `cost` ink, trapping as out of ink if not enough is left.
    fn charge<'a>(&self, cost: u64, out: &mut Vec<wasm_encoder::Instruction<'a>>) {
        use wasm_encoder::{BlockType, Instruction as I};
        out.extend([
            I::GlobalGet(self.ink),
            I::I64Const(cost as i64),
            I::I64LtU,
            I::If(BlockType::Empty),
            I::I32Const(1),
            I::GlobalSet(self.status),
            I::Unreachable,
            I::End,
            I::GlobalGet(self.ink),
            I::I64Const(cost as i64),
            I::I64Sub,
            I::GlobalSet(self.ink),
        ]);
    }

    /// Instructions charging [`MEMORY_COPY_INK_PER_BYTE`] × the length on top of the stack,
    /// leaving the stack unchanged.
    fn charge_dynamic<'a>(&self, out: &mut Vec<wasm_encoder::Instruction<'a>>) {
        use wasm_encoder::{BlockType, Instruction as I};
        let cost = [
            I::GlobalGet(self.scratch),
            I::I64ExtendI32U,
            I::I64Const(MEMORY_COPY_INK_PER_BYTE),
            I::I64Mul,
        ];
        out.push(I::GlobalSet(self.scratch));
        out.push(I::GlobalGet(self.ink));
        out.extend(cost.iter().cloned());
        out.extend([
            I::I64LtU,
            I::If(BlockType::Empty),
            I::I32Const(1),
            I::GlobalSet(self.status),
            I::Unreachable,
            I::End,
            I::GlobalGet(self.ink),
        ]);
        out.extend(cost.iter().cloned());
        out.extend([I::I64Sub, I::GlobalSet(self.ink), I::GlobalGet(self.scratch)]);
    }
}

type ReencodeError = reencode::Error<String>;

impl Reencode for Meter {
    type Error = String;

    fn parse_global_section(
        &mut self,
        globals: &mut wasm_encoder::GlobalSection,
        section: wasmparser::GlobalSectionReader<'_>,
    ) -> Result<(), ReencodeError> {
        reencode::utils::parse_global_section(self, globals, section)?;
        self.add_globals(globals);
        Ok(())
    }

    fn intersperse_section_hook(
        &mut self,
        module: &mut wasm_encoder::Module,
        _after: Option<wasm_encoder::SectionId>,
        before: Option<wasm_encoder::SectionId>,
    ) -> Result<(), ReencodeError> {
        use wasm_encoder::SectionId as S;
        let past_globals = matches!(
            before,
            None | Some(S::Export | S::Start | S::Element | S::DataCount | S::Code | S::Data)
        );
        if !self.globals_emitted && past_globals {
            let mut globals = wasm_encoder::GlobalSection::new();
            self.add_globals(&mut globals);
            module.section(&globals);
        }
        Ok(())
    }

    fn parse_export_section(
        &mut self,
        exports: &mut wasm_encoder::ExportSection,
        section: wasmparser::ExportSectionReader<'_>,
    ) -> Result<(), ReencodeError> {
        reencode::utils::parse_export_section(self, exports, section)?;
        exports.export(INK_LEFT_EXPORT, wasm_encoder::ExportKind::Global, self.ink);
        exports.export(INK_STATUS_EXPORT, wasm_encoder::ExportKind::Global, self.status);
        Ok(())
    }

    fn parse_custom_section(
        &mut self,
        _module: &mut wasm_encoder::Module,
        _section: wasmparser::CustomSectionReader<'_>,
    ) -> Result<(), ReencodeError> {
        Ok(()) // custom sections are stripped, as cargo-stylus does before deploying
    }

    fn parse_function_body(
        &mut self,
        code: &mut wasm_encoder::CodeSection,
        func: wasmparser::FunctionBody<'_>,
    ) -> Result<(), ReencodeError> {
        let mut function = self.new_function_with_parsed_locals(&func)?;
        let mut reader = func.get_operators_reader()?;
        let mut block: Vec<wasm_encoder::Instruction<'_>> = Vec::new();
        let mut out: Vec<wasm_encoder::Instruction<'_>> = Vec::new();
        let mut cost = 0u64;
        while !reader.eof() {
            let op = reader.read()?;
            let ink = op_ink(&op, &self.types);
            let ends = ends_basic_block(&op);
            if matches!(op, Operator::MemoryFill { .. } | Operator::MemoryCopy { .. }) {
                self.charge_dynamic(&mut block);
            }
            let instruction = self.instruction(op)?;
            block.push(instruction);
            cost = cost.saturating_add(ink);
            if ends {
                self.charge(cost.saturating_add(BLOCK_HEADER_INK), &mut out);
                out.append(&mut block);
                cost = 0;
            }
        }
        out.append(&mut block);
        for instruction in &out {
            function.instruction(instruction);
        }
        code.function(&function);
        Ok(())
    }
}
