//! Every program's Solidity interface and JSON ABI, from hand-maintained Solidity sources.
//!
//! stylus-sdk 0.9's `export-abi` is not a complete ABI for these programs: it leaves out the
//! methods of `#[implements]` traits, `receive`, every event, and everything a program serves
//! from a hand-written router behind its `#[fallback]` (the withdrawal queue and the oracle
//! route their whole ABI that way, for size). So the source of truth is one checked-in,
//! hand-maintained Solidity interface per program ([`SOURCES`]); this module
//!
//! - parses it with `syn-solidity` (the parser behind alloy's `sol!`, so anything `sol!`
//!   accepts is accepted here) into an [`alloy_json_abi::JsonAbi`]: the interface's
//!   functions, `receive`/`fallback`, errors and events, plus file-level errors, events and
//!   structs, and the program's Stylus constructor (from [`crate::deploy::Program`], the
//!   signature the deploy plan encodes);
//! - writes `abi/<package>.sol` (the source, with a generated header) and `abi/<package>.json`
//!   ([`export`]), and finds stale files ([`stale_files`]);
//! - runs the SDK's own export (`cargo run -p <package> --features export-abi`, and
//!   `-- constructor`) and lists whatever it exports that the hand-maintained interface lacks
//!   ([`sdk_export`], [`missing_from_interface`]), so the two cannot drift;
//! - builds "zero-filled" calldata for any function ([`zero_calldata`]): the selector and
//!   the standard ABI encoding of zero / empty values, for the end-to-end test that calls
//!   every selector on the processed artifacts.

use crate::deploy::Program;
use alloy_json_abi::{
    Constructor, Error as AbiError, Event, EventParam, Fallback, Function, InternalType, JsonAbi,
    Param, Receive, StateMutability,
};
use anyhow::{anyhow, bail, Context, Result};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use syn_solidity::{
    ContractKind, FunctionKind, Item, ItemContract, ItemFunction, Mutability, Type,
    VariableDeclaration,
};

/// Where each program's hand-maintained Solidity interface lives (workspace-relative): the
/// crate's own file where its owner keeps one, otherwise `abi/src/<package>.sol`. One file
/// per program; `scripts` refuses a second candidate in the crate (see
/// [`unused_interface_files`]).
pub const SOURCES: &[(&str, &str)] = &[
    ("rebase-token", "abi/src/rebase-token.sol"),
    ("share-token", "share-token/abi.sol"),
    ("deposit-pool", "contracts/deposit-pool/abi.sol"),
    ("accounting-oracle", "contracts/oracle/abi.sol"),
    ("withdrawal-queue", "contracts/withdrawal-queue/IWithdrawalQueue.sol"),
];

/// The output directory, relative to the workspace root.
pub const OUT_DIR: &str = "abi";

/// The hand-maintained interface of `package` (workspace-relative path).
///
/// # Errors
/// When `package` is not a deployable program.
pub fn source_path(package: &str) -> Result<&'static str> {
    SOURCES
        .iter()
        .find(|(p, _)| *p == package)
        .map(|(_, path)| *path)
        .ok_or_else(|| anyhow!("{package} is not a deployable program"))
}

/// One program's interface: its source text and the ABI parsed from it.
#[derive(Clone, Debug)]
pub struct ProgramAbi {
    /// Package name (`rebase-token`, ...).
    pub package: String,
    /// The hand-maintained source, workspace-relative.
    pub source: PathBuf,
    /// Its text, verbatim.
    pub text: String,
    /// The interface's name (`IRebaseToken`, ...).
    pub interface: String,
    /// The JSON ABI: the interface, file-level errors and events, and the Stylus constructor.
    pub abi: JsonAbi,
}

impl ProgramAbi {
    /// Every function, in the JSON ABI's order (by name, overloads in source order).
    pub fn functions(&self) -> impl Iterator<Item = &Function> {
        self.abi.functions()
    }

    /// The role getters: functions named in capitals that take nothing and return one
    /// `bytes32` (`DEFAULT_ADMIN_ROLE`, `PAUSE_ROLE`, `MANAGE_SIGNING_KEYS`, ...), except
    /// `DOMAIN_SEPARATOR`.
    pub fn role_getters(&self) -> Vec<&Function> {
        self.functions()
            .filter(|f| {
                f.inputs.is_empty()
                    && f.outputs.len() == 1
                    && f.outputs[0].ty == "bytes32"
                    && f.name != "DOMAIN_SEPARATOR"
                    && f.name.chars().all(|c| c.is_ascii_uppercase() || c == '_')
            })
            .collect()
    }
}

/// Loads and parses the interface of `package` from the workspace, with its constructor.
///
/// # Errors
/// When the package is unknown, its source cannot be read, or does not parse.
pub fn load(package: &str) -> Result<ProgramAbi> {
    load_in(&crate::workspace_root()?, package)
}

/// [`load`] for every program, in [`SOURCES`] order.
///
/// # Errors
/// As [`load`].
pub fn load_all() -> Result<Vec<ProgramAbi>> {
    let root = crate::workspace_root()?;
    SOURCES.iter().map(|(package, _)| load_in(&root, package)).collect()
}

fn load_in(root: &Path, package: &str) -> Result<ProgramAbi> {
    let source = PathBuf::from(source_path(package)?);
    let text = std::fs::read_to_string(root.join(&source))
        .with_context(|| format!("reading {}", source.display()))?;
    let (interface, mut abi) =
        parse_interface(&text).with_context(|| format!("parsing {}", source.display()))?;
    let program =
        Program::from_package(package).ok_or_else(|| anyhow!("{package} has no deploy entry"))?;
    let mut constructor = program.constructor()?;
    for input in &mut constructor.inputs {
        input.internal_type = Some(InternalType::Other { contract: None, ty: input.ty.clone() });
    }
    abi.constructor = Some(constructor);
    Ok(ProgramAbi { package: package.to_string(), source, text, interface, abi })
}

// ------------------------------------------------------------------------------------------
// Parsing
// ------------------------------------------------------------------------------------------

/// Parses Solidity source holding exactly one `interface` (or `contract`) into its JSON ABI:
/// the interface's functions, `receive`, `fallback`, constructor, errors and events, and the
/// file's top-level errors and events. Struct types (declared in the interface or at file
/// level) become `tuple` parameters with components and a `struct` internal type. Returns
/// the interface's name and the ABI.
///
/// # Errors
/// When the text is not valid Solidity to `syn-solidity`, holds no or several interfaces, or
/// uses a type this ABI cannot express (mappings, function types, enums, user types).
pub fn parse_interface(text: &str) -> Result<(String, JsonAbi)> {
    let file = parse_file(text)?;
    let contracts: Vec<&ItemContract> = file
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Contract(c) if !matches!(c.kind, ContractKind::Library(_)) => Some(c),
            _ => None,
        })
        .collect();
    let [contract] = contracts[..] else {
        bail!("expected exactly one interface, found {}", contracts.len());
    };
    let name = contract.name.as_string();

    let mut structs = Structs::default();
    for item in &file.items {
        structs.collect(item, None);
    }
    for item in &contract.body {
        structs.collect(item, Some(&name));
    }

    let mut abi = JsonAbi::new();
    for item in file.items.iter().chain(&contract.body) {
        match item {
            Item::Function(f) => add_function(&mut abi, f, &structs)?,
            Item::Error(e) => {
                let inputs = params(e.parameters.iter(), &structs)?;
                abi.errors
                    .entry(e.name.as_string())
                    .or_default()
                    .push(AbiError { name: e.name.as_string(), inputs });
            }
            Item::Event(e) => {
                let inputs = e
                    .parameters
                    .iter()
                    .map(|p| {
                        let param = param(&p.ty, &ident(p.name.as_ref()), &structs)?;
                        Ok(EventParam {
                            ty: param.ty,
                            name: param.name,
                            indexed: p.indexed.is_some(),
                            components: param.components,
                            internal_type: param.internal_type,
                        })
                    })
                    .collect::<Result<Vec<_>>>()?;
                abi.events.entry(e.name.as_string()).or_default().push(Event {
                    name: e.name.as_string(),
                    inputs,
                    anonymous: e.anonymous.is_some(),
                });
            }
            Item::Enum(e) => bail!("enum {} is not supported", e.name),
            Item::Udt(u) => bail!("user-defined type {} is not supported", u.name),
            _ => {}
        }
    }
    Ok((name, abi))
}

/// Tokenizes Solidity source as `sol!` does (Rust tokens, comments dropped, doc comments
/// kept as attributes) and parses it.
fn parse_file(text: &str) -> Result<syn_solidity::File> {
    let tokens: proc_macro2::TokenStream = text.parse().map_err(|e| anyhow!("tokenizing: {e}"))?;
    syn_solidity::parse2(tokens).map_err(|e| anyhow!("{e}"))
}

/// Struct definitions by name: their fields and the contract that declares them.
#[derive(Default)]
struct Structs(BTreeMap<String, (Option<String>, Vec<VariableDeclaration>)>);

impl Structs {
    fn collect(&mut self, item: &Item, contract: Option<&str>) {
        if let Item::Struct(s) = item {
            let fields = s.fields.iter().cloned().collect();
            self.0.insert(s.name.as_string(), (contract.map(str::to_string), fields));
        }
    }
}

fn ident(name: Option<&syn_solidity::SolIdent>) -> String {
    name.map(syn_solidity::SolIdent::as_string).unwrap_or_default()
}

fn mutability(f: &ItemFunction) -> StateMutability {
    match f.attributes.mutability() {
        Some(Mutability::Pure(_)) => StateMutability::Pure,
        Some(Mutability::View(_) | Mutability::Constant(_)) => StateMutability::View,
        Some(Mutability::Payable(_)) => StateMutability::Payable,
        None => StateMutability::NonPayable,
    }
}

fn add_function(abi: &mut JsonAbi, f: &ItemFunction, structs: &Structs) -> Result<()> {
    let state_mutability = mutability(f);
    match f.kind {
        FunctionKind::Function(_) => {
            let name = ident(f.name.as_ref());
            let inputs = params(f.parameters.iter(), structs)?;
            let outputs = match &f.returns {
                Some(returns) => params(returns.returns.iter(), structs)?,
                None => Vec::new(),
            };
            abi.functions.entry(name.clone()).or_default().push(Function {
                name,
                inputs,
                outputs,
                state_mutability,
            });
        }
        FunctionKind::Receive(_) => abi.receive = Some(Receive { state_mutability }),
        FunctionKind::Fallback(_) => abi.fallback = Some(Fallback { state_mutability }),
        FunctionKind::Constructor(_) => {
            let inputs = params(f.parameters.iter(), structs)?;
            abi.constructor = Some(Constructor { inputs, state_mutability });
        }
        FunctionKind::Modifier(_) => {}
    }
    Ok(())
}

fn params<'a>(
    vars: impl Iterator<Item = &'a VariableDeclaration>,
    structs: &Structs,
) -> Result<Vec<Param>> {
    vars.map(|v| param(&v.ty, &ident(v.name.as_ref()), structs)).collect()
}

/// The JSON ABI parameter for a Solidity type (canonical type name, tuple components,
/// internal type).
fn param(ty: &Type, name: &str, structs: &Structs) -> Result<Param> {
    let elementary = |ty: String, internal: InternalType| Param {
        ty,
        name: name.to_string(),
        components: Vec::new(),
        internal_type: Some(internal),
    };
    let other = |ty: &str| InternalType::Other { contract: None, ty: ty.to_string() };
    Ok(match ty {
        Type::Address(_, payable) => {
            if payable.is_some() {
                elementary("address".into(), InternalType::AddressPayable("address payable".into()))
            } else {
                elementary("address".into(), other("address"))
            }
        }
        Type::Bool(_) => elementary("bool".into(), other("bool")),
        Type::String(_) => elementary("string".into(), other("string")),
        Type::Bytes(_) => elementary("bytes".into(), other("bytes")),
        Type::FixedBytes(_, n) => {
            let t = format!("bytes{n}");
            elementary(t.clone(), other(&t))
        }
        Type::Int(_, n) => {
            let t = format!("int{}", n.map_or(256, |n| n.get()));
            elementary(t.clone(), other(&t))
        }
        Type::Uint(_, n) => {
            let t = format!("uint{}", n.map_or(256, |n| n.get()));
            elementary(t.clone(), other(&t))
        }
        Type::Array(array) => {
            let inner = param(&array.ty, name, structs)?;
            let suffix = match array.size() {
                Some(n) => format!("[{n}]"),
                None if array.size.is_none() => "[]".to_string(),
                None => bail!("array size of {name} is not a literal"),
            };
            let internal_type = inner.internal_type.map(|t| match t {
                InternalType::Struct { contract, ty } => {
                    InternalType::Struct { contract, ty: ty + &suffix }
                }
                InternalType::Other { contract, ty } => {
                    InternalType::Other { contract, ty: ty + &suffix }
                }
                InternalType::AddressPayable(ty) => InternalType::AddressPayable(ty + &suffix),
                other => other,
            });
            Param { ty: inner.ty + &suffix, internal_type, ..inner }
        }
        Type::Tuple(tuple) => {
            let components =
                tuple.types.iter().map(|t| param(t, "", structs)).collect::<Result<Vec<_>>>()?;
            Param { ty: "tuple".into(), name: name.to_string(), components, internal_type: None }
        }
        Type::Custom(path) => {
            let struct_name = path.last().as_string();
            let Some((contract, fields)) = structs.0.get(&struct_name) else {
                bail!("unknown type {path} (only structs declared in the file are supported)");
            };
            let components = params(fields.iter(), structs)?;
            Param {
                ty: "tuple".into(),
                name: name.to_string(),
                components,
                internal_type: Some(InternalType::Struct {
                    contract: contract.clone(),
                    ty: struct_name,
                }),
            }
        }
        Type::Function(_) | Type::Mapping(_) => bail!("type of {name} is not an ABI type"),
    })
}

// ------------------------------------------------------------------------------------------
// Output files
// ------------------------------------------------------------------------------------------

/// `abi/<package>.sol`: the hand-maintained source verbatim, after a generated header.
pub fn render_sol(program: &ProgramAbi) -> String {
    let constructor = program.abi.constructor.as_ref().map(|c| {
        let inputs: Vec<String> = c.inputs.iter().map(|p| format!("{} {}", p.ty, p.name)).collect();
        format!("constructor({})", inputs.join(", "))
    });
    let mut out = format!(
        "// GENERATED by `cargo run -q -p scripts --bin export-abi`: the interface `{}` of the\n\
         // Stylus program `{}`, copied from `{}` (edit that file, not this one).\n",
        program.interface,
        program.package,
        program.source.display(),
    );
    if let Some(constructor) = constructor {
        out.push_str(&format!(
            "// Stylus constructor, run once at deployment through the StylusDeployer:\n//   {constructor}\n"
        ));
    }
    out.push('\n');
    out.push_str(&program.text);
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// `abi/<package>.json`: the JSON ABI, pretty-printed, with a final newline.
///
/// # Errors
/// Never in practice (serialising a `JsonAbi` cannot fail).
pub fn render_json(abi: &JsonAbi) -> Result<String> {
    let mut json = serde_json::to_string_pretty(abi).context("serialising the JSON ABI")?;
    json.push('\n');
    Ok(json)
}

/// The files [`export`] writes: `(path relative to the workspace, contents)`.
///
/// # Errors
/// As [`load_all`].
pub fn rendered_files() -> Result<Vec<(PathBuf, String)>> {
    let mut files = Vec::new();
    for program in load_all()? {
        let dir = Path::new(OUT_DIR);
        files.push((dir.join(format!("{}.sol", program.package)), render_sol(&program)));
        files.push((dir.join(format!("{}.json", program.package)), render_json(&program.abi)?));
    }
    Ok(files)
}

/// Writes `abi/<package>.sol` and `abi/<package>.json` for every program; returns the paths
/// written (workspace-relative).
///
/// # Errors
/// When a source does not parse or a file cannot be written.
pub fn export() -> Result<Vec<PathBuf>> {
    let root = crate::workspace_root()?;
    std::fs::create_dir_all(root.join(OUT_DIR)).context("creating abi/")?;
    let mut written = Vec::new();
    for (path, contents) in rendered_files()? {
        std::fs::write(root.join(&path), contents)
            .with_context(|| format!("writing {}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

/// The output files that are missing or differ from what [`export`] would write.
///
/// # Errors
/// When a source does not parse.
pub fn stale_files() -> Result<Vec<PathBuf>> {
    let root = crate::workspace_root()?;
    Ok(rendered_files()?
        .into_iter()
        .filter(|(path, contents)| {
            std::fs::read_to_string(root.join(path)).ok().as_deref() != Some(contents.as_str())
        })
        .map(|(path, _)| path)
        .collect())
}

/// Solidity files in a program's crate directory (top level) that are not its interface
/// source: a second interface the export would silently ignore.
///
/// # Errors
/// When the workspace cannot be read.
pub fn unused_interface_files() -> Result<Vec<PathBuf>> {
    let root = crate::workspace_root()?;
    let mut unused = Vec::new();
    for program in Program::DEPLOY_ORDER {
        let dir = root.join(program.crate_dir());
        for entry in
            std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))?
        {
            let path = entry?.path();
            if path.extension().is_some_and(|e| e == "sol") {
                let relative = path.strip_prefix(&root).unwrap_or(&path).to_path_buf();
                if relative != Path::new(source_path(program.package())?) {
                    unused.push(relative);
                }
            }
        }
    }
    Ok(unused)
}

// ------------------------------------------------------------------------------------------
// The SDK's own export
// ------------------------------------------------------------------------------------------

/// What `cargo run -p <package> --features export-abi` prints.
#[derive(Clone, Debug)]
pub struct SdkExport {
    /// The package.
    pub package: String,
    /// Its ABI output, verbatim (empty when the binary prints nothing).
    pub text: String,
    /// The output parsed, when it holds an interface.
    pub abi: Option<JsonAbi>,
    /// What `-- constructor` prints: the Stylus constructor cargo-stylus will call, or `None`
    /// when the output does not start with `constructor` (cargo-stylus then deploys WITHOUT
    /// running the constructor).
    pub constructor: Option<Constructor>,
    /// `-- constructor`'s output, verbatim.
    pub constructor_text: String,
}

/// Runs the program's own ABI export natively (`cargo run -q -p <package> --features
/// export-abi`, then the same with `-- constructor`, as cargo-stylus does to find the
/// constructor), from the workspace root.
///
/// # Errors
/// When cargo cannot be run or the program does not build with `export-abi`.
pub fn sdk_export(package: &str) -> Result<SdkExport> {
    let root = crate::workspace_root()?;
    let run = |extra: &[&str]| -> Result<String> {
        let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .current_dir(&root)
            .args(["run", "-q", "-p", package, "--features", "export-abi", "--"])
            .args(extra)
            .env_remove("RUSTFLAGS")
            .env_remove("CARGO_ENCODED_RUSTFLAGS")
            .output()
            .context("running cargo")?;
        if !output.status.success() {
            bail!(
                "`cargo run -p {package} --features export-abi -- {}` failed:\n{}",
                extra.join(" "),
                String::from_utf8_lossy(&output.stderr)
            );
        }
        String::from_utf8(output.stdout).context("export output is not UTF-8")
    };
    let text = run(&[])?;
    let abi = if text.contains("interface ") || text.contains("contract ") {
        Some(parse_interface(&text).with_context(|| format!("parsing {package}'s SDK export"))?.1)
    } else {
        None
    };
    let constructor_text = run(&["constructor"])?;
    let trimmed = constructor_text.trim();
    let constructor = if trimmed.starts_with("constructor") {
        Some(
            Constructor::parse(trimmed)
                .map_err(|e| anyhow!("parsing {package}'s constructor `{trimmed}`: {e}"))?,
        )
    } else {
        None
    };
    Ok(SdkExport { package: package.to_string(), text, abi, constructor, constructor_text })
}

/// What the SDK exports that `hand` lacks: functions and errors compared by selector (the
/// SDK's names for parameters and its return types may differ), and `receive`.
pub fn missing_from_interface(sdk: &JsonAbi, hand: &JsonAbi) -> Vec<String> {
    let hand_functions: Vec<_> = hand.functions().map(Function::selector).collect();
    let hand_errors: Vec<_> = hand.errors().map(AbiError::selector).collect();
    let mut missing: Vec<String> = sdk
        .functions()
        .filter(|f| !hand_functions.contains(&f.selector()))
        .map(|f| format!("function {}", f.signature()))
        .collect();
    missing.extend(
        sdk.errors()
            .filter(|e| !hand_errors.contains(&e.selector()))
            .map(|e| format!("error {}", e.signature())),
    );
    if sdk.receive.is_some() && hand.receive.is_none() {
        missing.push("receive()".into());
    }
    // A `fallback` in the SDK's export is not compared: the programs' fallbacks serve
    // hand-written routers, whose functions the interface lists instead.
    missing
}

/// `constructor(type,type,...)`: a constructor's types, for messages.
pub fn constructor_types(c: &Constructor) -> String {
    let types: Vec<String> = c.inputs.iter().map(|p| p.selector_type().into_owned()).collect();
    format!("constructor({})", types.join(","))
}

/// Whether two constructors take the same parameter types in the same order.
pub fn same_constructor(a: &Constructor, b: &Constructor) -> bool {
    a.inputs.len() == b.inputs.len()
        && a.inputs.iter().zip(&b.inputs).all(|(x, y)| x.selector_type() == y.selector_type())
}

// ------------------------------------------------------------------------------------------
// Zero-filled calldata
// ------------------------------------------------------------------------------------------

/// The selector of `f` followed by the ABI encoding of zero values for its parameters: `0`,
/// `false`, the zero address, empty `bytes`/`string`/dynamic arrays, fixed arrays and tuples
/// of zeros. Dynamic values get correct offsets, so a strict decoder accepts the calldata.
pub fn zero_calldata(f: &Function) -> Vec<u8> {
    let mut out = f.selector().to_vec();
    out.extend(encode_zero_tuple(&f.inputs));
    out
}

/// The ABI encoding of zero values for `params` (a tuple: heads, then tails).
pub fn encode_zero_tuple(params: &[Param]) -> Vec<u8> {
    let head_len: usize = params.iter().map(|p| 32 * head_words(p)).sum();
    let mut head = Vec::with_capacity(head_len);
    let mut tail = Vec::new();
    for p in params {
        if is_dynamic(p) {
            head.extend(word(head_len + tail.len()));
            tail.extend(encode_zero_dynamic(p));
        } else {
            head.extend(vec![0u8; 32 * head_words(p)]);
        }
    }
    head.extend(tail);
    head
}

/// The encoding of a dynamic value's zero: one zero length word for `bytes`, `string` and
/// `T[]`; the elements of a fixed array or the fields of a tuple otherwise.
fn encode_zero_dynamic(p: &Param) -> Vec<u8> {
    match array_suffix(&p.ty) {
        Some((element, Some(n))) => {
            let element = Param { ty: element.to_string(), ..p.clone() };
            encode_zero_tuple(&vec![element; n])
        }
        Some((_, None)) => vec![0u8; 32],
        None if p.ty == "tuple" => encode_zero_tuple(&p.components),
        None => vec![0u8; 32], // bytes, string
    }
}

/// Whether a type is dynamic in the ABI sense.
pub fn is_dynamic(p: &Param) -> bool {
    match array_suffix(&p.ty) {
        Some((_, None)) => true,
        Some((element, Some(_))) => is_dynamic(&Param { ty: element.to_string(), ..p.clone() }),
        None if p.ty == "tuple" => p.components.iter().any(is_dynamic),
        None => p.ty == "bytes" || p.ty == "string",
    }
}

/// The words a value takes in its tuple's head: one offset for a dynamic value, otherwise
/// its whole static encoding.
fn head_words(p: &Param) -> usize {
    if is_dynamic(p) {
        return 1;
    }
    match array_suffix(&p.ty) {
        Some((element, Some(n))) => n * head_words(&Param { ty: element.to_string(), ..p.clone() }),
        _ if p.ty == "tuple" => p.components.iter().map(head_words).sum(),
        _ => 1,
    }
}

/// `T[]` → `(T, None)`, `T[k]` → `(T, Some(k))`, anything else → `None`.
fn array_suffix(ty: &str) -> Option<(&str, Option<usize>)> {
    let open = ty.strip_suffix(']')?.rfind('[')?;
    let size = &ty[open + 1..ty.len() - 1];
    let element = &ty[..open];
    if size.is_empty() {
        Some((element, None))
    } else {
        size.parse().ok().map(|n| (element, Some(n)))
    }
}

fn word(value: usize) -> [u8; 32] {
    let mut out = [0u8; 32];
    out[24..].copy_from_slice(&(value as u64).to_be_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::{Address, Bytes, FixedBytes, U256};
    use alloy_sol_types::{sol, SolCall};

    sol! {
        struct Inner { uint256 a; bytes b; }
        function mixed(uint256 x, string s, Inner inner, uint256[] list, bytes32[2] pair, Inner[] inners, bool flag, address to, bytes[2] blobs) external;
        function statics(uint8 a, (uint256, address) b, bytes4 c) external;
    }

    const MIXED_SOL: &str = "
        // SPDX-License-Identifier: MIT
        pragma solidity ^0.8.23;
        struct Inner { uint256 a; bytes b; }
        /// An error outside the interface.
        error Outside(uint256 value);
        interface IMixed {
            struct Local { uint8 x; address payable y; }
            receive() external payable;
            function mixed(uint256 x, string calldata s, Inner calldata inner, uint256[] calldata list, bytes32[2] calldata pair, Inner[] calldata inners, bool flag, address to, bytes[2] calldata blobs) external;
            function statics(uint8 a, (uint256, address) calldata b, bytes4 c) external view returns (Local memory local);
            function pay() external payable returns (uint256);
            function pure_() external pure returns (uint);
            event Happened(address indexed who, uint256 amount);
            error Inside(address who, bytes32 role);
        }
    ";

    fn mixed_abi() -> JsonAbi {
        parse_interface(MIXED_SOL).expect("parses").1
    }

    #[test]
    fn parse_interface_reads_functions_receive_errors_events_and_file_level_items() {
        // Given Solidity with file-level items and an interface, when parsed,
        let (name, abi) = parse_interface(MIXED_SOL).expect("parses");
        // then every item is in the ABI with canonical types and mutability.
        assert_eq!(name, "IMixed");
        assert_eq!(abi.receive.map(|r| r.state_mutability), Some(StateMutability::Payable));
        assert_eq!(abi.functions().count(), 4);
        let mixed = &abi.functions["mixed"][0];
        assert_eq!(mixed.selector(), mixedCall::SELECTOR);
        assert_eq!(
            mixed.signature(),
            "mixed(uint256,string,(uint256,bytes),uint256[],bytes32[2],(uint256,bytes)[],bool,address,bytes[2])"
        );
        assert_eq!(abi.functions["statics"][0].selector(), staticsCall::SELECTOR);
        assert_eq!(abi.functions["statics"][0].state_mutability, StateMutability::View);
        assert_eq!(abi.functions["pay"][0].state_mutability, StateMutability::Payable);
        assert_eq!(abi.functions["pure_"][0].outputs[0].ty, "uint256");
        assert_eq!(abi.errors["Outside"][0].signature(), "Outside(uint256)");
        assert_eq!(abi.errors["Inside"][0].signature(), "Inside(address,bytes32)");
        let event = &abi.events["Happened"][0];
        assert_eq!(event.signature(), "Happened(address,uint256)");
        assert!(event.inputs[0].indexed && !event.inputs[1].indexed);
    }

    #[test]
    fn parse_interface_gives_structs_components_and_internal_types() {
        // Given a function taking a struct array and returning a local struct,
        let abi = mixed_abi();
        // when read, then struct parameters are tuples with components and internal types.
        let inners = &abi.functions["mixed"][0].inputs[5];
        assert_eq!(inners.ty, "tuple[]");
        assert_eq!(inners.components.len(), 2);
        assert_eq!(
            inners.internal_type,
            Some(InternalType::Struct { contract: None, ty: "Inner[]".into() })
        );
        let local = &abi.functions["statics"][0].outputs[0];
        assert_eq!(
            local.internal_type,
            Some(InternalType::Struct { contract: Some("IMixed".into()), ty: "Local".into() })
        );
        assert_eq!(
            local.components[1].internal_type,
            Some(InternalType::AddressPayable("address payable".into()))
        );
    }

    #[test]
    fn parse_interface_rejects_two_interfaces_and_mappings() {
        // Given two interfaces / a mapping parameter, when parsed, then an error names it.
        let two = "interface A { function f() external; } interface B { function g() external; }";
        assert!(parse_interface(two).unwrap_err().to_string().contains("exactly one"));
        let none = "error E();";
        assert!(parse_interface(none).is_err());
        let garbage = "interface A { function ( }";
        assert!(parse_interface(garbage).is_err());
    }

    #[test]
    fn zero_calldata_matches_alloys_encoding_of_default_values() {
        // Given functions with static, dynamic, nested and array parameters,
        let abi = mixed_abi();
        // when zero calldata is built, then it equals alloy's encoding of the zero values.
        let expected = mixedCall {
            x: U256::ZERO,
            s: String::new(),
            inner: Inner { a: U256::ZERO, b: Bytes::new() },
            list: vec![],
            pair: [FixedBytes::ZERO; 2],
            inners: vec![],
            flag: false,
            to: Address::ZERO,
            blobs: [Bytes::new(), Bytes::new()],
        }
        .abi_encode();
        assert_eq!(zero_calldata(&abi.functions["mixed"][0]), expected);
        let expected =
            staticsCall { a: 0, b: (U256::ZERO, Address::ZERO), c: FixedBytes::ZERO }.abi_encode();
        assert_eq!(zero_calldata(&abi.functions["statics"][0]), expected);
    }

    #[test]
    fn is_dynamic_follows_the_abi_rules() {
        // Given parameter types, when classified, then only the dynamic ones are.
        let p = |ty: &str| Param { ty: ty.into(), ..Default::default() };
        assert!(is_dynamic(&p("bytes")) && is_dynamic(&p("string")) && is_dynamic(&p("uint8[]")));
        assert!(is_dynamic(&p("bytes[2]")) && !is_dynamic(&p("bytes32[2]")));
        assert!(!is_dynamic(&p("uint256")) && !is_dynamic(&p("tuple")));
        let dynamic_tuple = Param { ty: "tuple".into(), components: vec![p("bytes")], ..p("") };
        assert!(is_dynamic(&dynamic_tuple));
    }

    #[test]
    fn missing_from_interface_lists_sdk_functions_and_errors_the_interface_lacks() {
        // Given an SDK export with one function and one error the hand interface lacks,
        let sdk = parse_interface(
            "interface I { function a(uint256 x) external; function b() external view returns (uint256); error E(uint256); error F(); }",
        )
        .unwrap()
        .1;
        let hand = parse_interface(
            "interface I { function a(uint256 renamed) external returns (bool); error F(); receive() external payable; }",
        )
        .unwrap()
        .1;
        // when compared, then exactly those are listed (names and returns do not matter).
        assert_eq!(
            missing_from_interface(&sdk, &hand),
            vec!["function b()".to_string(), "error E(uint256)".to_string()]
        );
        assert!(missing_from_interface(&hand, &hand).is_empty());
    }

    #[test]
    fn same_constructor_compares_types_not_names_or_locations() {
        // Given the SDK's constructor text and ours, when compared, then only types count.
        let sdk = Constructor::parse(
            "constructor(string calldata name, string calldata symbol, address admin)",
        )
        .unwrap();
        let ours = Constructor::parse("constructor(string n, string s, address a)").unwrap();
        let other = Constructor::parse("constructor(string n, address a)").unwrap();
        assert!(same_constructor(&sdk, &ours));
        assert!(!same_constructor(&sdk, &other));
    }

    #[test]
    fn role_getters_are_capitalised_bytes32_views_without_domain_separator() {
        // Given an interface with role getters and DOMAIN_SEPARATOR,
        let text = "interface I {
            function DEFAULT_ADMIN_ROLE() external view returns (bytes32);
            function MANAGE_SIGNING_KEYS() external view returns (bytes32);
            function DOMAIN_SEPARATOR() external view returns (bytes32);
            function PAUSE_INFINITELY() external view returns (uint256);
            function hasRole(bytes32 role, address account) external view returns (bool);
        }";
        let (interface, abi) = parse_interface(text).unwrap();
        let program = ProgramAbi {
            package: "x".into(),
            source: PathBuf::new(),
            text: text.into(),
            interface,
            abi,
        };
        // when listed, then only the role getters come back.
        let names: Vec<&str> = program.role_getters().iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["DEFAULT_ADMIN_ROLE", "MANAGE_SIGNING_KEYS"]);
    }

    mod alloy_abi {
        #![allow(missing_docs, clippy::too_many_arguments)]
        use alloy_sol_types::sol;
        sol!(
            #[sol(abi)]
            "../abi/src/rebase-token.sol"
        );
        sol!(
            #[sol(abi)]
            "../share-token/abi.sol"
        );
        sol!(
            #[sol(abi)]
            "../contracts/deposit-pool/abi.sol"
        );
        sol!(
            #[sol(abi)]
            "../contracts/oracle/abi.sol"
        );
        sol!(
            #[sol(abi)]
            "../contracts/withdrawal-queue/IWithdrawalQueue.sol"
        );
    }

    #[test]
    fn parsed_interfaces_equal_alloys_sol_abi() {
        // Given each checked-in interface compiled by alloy's `sol!` with `#[sol(abi)]`,
        let alloy = [
            ("rebase-token", alloy_abi::IRebaseToken::abi::contract()),
            ("share-token", alloy_abi::IShareToken::abi::contract()),
            ("deposit-pool", alloy_abi::IDepositPool::abi::contract()),
            ("accounting-oracle", alloy_abi::IAccountingOracle::abi::contract()),
            ("withdrawal-queue", alloy_abi::IWithdrawalQueue::abi::contract()),
        ];
        for (package, expected) in alloy {
            // when parsed here, then functions, receive and the interface's events and
            // errors are the same (names, types, components, mutability, indexing).
            let ours = load(package).unwrap().abi;
            let strip = |mut f: Function| {
                for p in f.inputs.iter_mut().chain(f.outputs.iter_mut()) {
                    strip_internal(p);
                }
                f
            };
            let functions = |abi: &JsonAbi| abi.functions().cloned().map(strip).collect::<Vec<_>>();
            assert_eq!(functions(&ours), functions(&expected), "{package} functions");
            assert_eq!(ours.receive, expected.receive, "{package} receive");
            for event in expected.events() {
                let found = ours.events().find(|e| e.name == event.name).expect("event");
                assert_eq!(found.signature(), event.signature(), "{package}");
                let indexed = |e: &Event| e.inputs.iter().map(|i| i.indexed).collect::<Vec<_>>();
                assert_eq!(indexed(found), indexed(event), "{package} {}", event.name);
            }
            for error in expected.errors() {
                assert!(ours.errors().any(|e| e.signature() == error.signature()), "{package}");
            }
        }
    }

    /// alloy's `sol!` (0.8) leaves internal types out; ours follow solc's (`uint256`,
    /// `struct IAccountingOracle.ReportData`), so they are not compared.
    fn strip_internal(p: &mut Param) {
        p.internal_type = None;
        p.components.iter_mut().for_each(strip_internal);
    }

    #[test]
    fn every_program_source_parses_with_a_constructor() {
        // Given the checked-in interfaces, when loaded, then each parses and has functions
        // and the constructor the deploy plan encodes.
        for program in load_all().expect("every interface parses") {
            assert!(program.functions().count() > 5, "{}", program.package);
            assert!(program.abi.constructor.is_some(), "{}", program.package);
        }
    }

    #[test]
    fn committed_abi_files_are_up_to_date() {
        // Given the checked-in interfaces, when abi/ is rendered again, then every committed
        // file is identical (after editing an interface, run
        // `cargo run -q -p scripts --bin export-abi` and commit abi/).
        let stale = stale_files().unwrap();
        assert!(
            stale.is_empty(),
            "stale (run `cargo run -q -p scripts --bin export-abi`): {stale:?}"
        );
    }

    #[test]
    fn each_program_has_one_interface_source() {
        // Given the program crates, when their Solidity files are listed, then none is a second
        // interface the export would ignore.
        assert_eq!(unused_interface_files().unwrap(), Vec::<PathBuf>::new());
    }

    #[test]
    fn render_sol_keeps_the_source_after_a_generated_header() {
        // Given a program, when rendered, then the source follows the header verbatim.
        let program = load("rebase-token").unwrap();
        let rendered = render_sol(&program);
        assert!(rendered.starts_with("// GENERATED by"));
        assert!(rendered.contains("constructor(string name, string symbol, address admin)"));
        assert!(rendered.ends_with(&program.text));
    }

    #[test]
    fn render_json_round_trips_through_alloys_parser() {
        // Given a program's ABI, when rendered to JSON and parsed back, then it is unchanged.
        let program = load("withdrawal-queue").unwrap();
        let json = render_json(&program.abi).unwrap();
        let back: JsonAbi = serde_json::from_str(&json).unwrap();
        assert_eq!(back, program.abi);
    }
}
