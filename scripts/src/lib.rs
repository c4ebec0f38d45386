//! Build, process and size-gate the Stylus programs of this workspace.
//!
//! For each deployable program this crate
//! 1. builds it for `wasm32-unknown-unknown` in release (`cargo build --release --lib
//!    --target wasm32-unknown-unknown -p <pkg>`, from the workspace root, so the workspace's
//!    size-tuned release profile and `-zstack-size=32768` apply);
//! 2. processes the WASM as cargo-stylus does before deploy ([`process`]): text round-trip,
//!    custom sections stripped, a `project_hash` section appended ([`hash`]), brotli-11,
//!    `EFF00000` prefix;
//! 3. checks the Stylus activation rules and size limits on the result ([`gate`]);
//! 4. writes `target/stylus/<name>.wasm` (processed module, the bytes a node executes) and
//!    `target/stylus/<name>.wasm.br` (prefix + brotli, the bytes a deploy stores), where
//!    `<name>` is the package name with `-` replaced by `_` (as rustc names the `.wasm`).
//!
//! Other crates (the embedded host, the end-to-end tests) call [`ensure_artifacts`] and
//! load [`artifact_path`]; the `stylus-build` binary prints the gate's table.

pub mod abi;
pub mod abi_export;
pub mod artifacts;
pub mod cargo;
pub mod deploy;
pub mod gas_table;
pub mod gate;
pub mod hash;
pub mod invariants;
pub mod lifecycle;
pub mod process;
pub mod protocol;

pub use artifacts::{write_sizes_json, Artifact, Outcome};
pub use gate::{Rule, Violation};

use anyhow::{bail, Context, Result};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

/// Every deployable program of the workspace (package names), in deploy order.
pub const PROGRAMS: &[&str] =
    &["rebase-token", "share-token", "deposit-pool", "accounting-oracle", "withdrawal-queue"];

/// The workspace root: the parent of this crate's directory, checked to hold the workspace
/// `Cargo.toml`.
pub fn workspace_root() -> Result<PathBuf> {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = manifest_dir.parent().context("the scripts crate has no parent directory")?;
    let manifest = root.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest)
        .with_context(|| format!("reading {}", manifest.display()))?;
    if !text.contains("[workspace]") {
        bail!("{} is not a workspace manifest", manifest.display());
    }
    Ok(root.to_path_buf())
}

/// File stem of a program's artifacts: the package name with `-` replaced by `_`.
pub fn wasm_name(package: &str) -> String {
    package.replace('-', "_")
}

/// `<workspace>/target/stylus`.
pub fn artifact_dir() -> Result<PathBuf> {
    Ok(artifact_dir_in(&workspace_root()?))
}

/// The processed module of `package`: `<workspace>/target/stylus/<name>.wasm`.
pub fn artifact_path(package: &str) -> Result<PathBuf> {
    Ok(artifact_path_in(&workspace_root()?, package))
}

/// The deploy code of `package`: `<workspace>/target/stylus/<name>.wasm.br`.
pub fn deploy_code_path(package: &str) -> Result<PathBuf> {
    Ok(deploy_code_path_in(&workspace_root()?, package))
}

pub(crate) fn artifact_dir_in(root: &Path) -> PathBuf {
    root.join("target").join("stylus")
}

pub(crate) fn artifact_path_in(root: &Path, package: &str) -> PathBuf {
    artifact_dir_in(root).join(format!("{}.wasm", wasm_name(package)))
}

pub(crate) fn deploy_code_path_in(root: &Path, package: &str) -> PathBuf {
    artifact_dir_in(root).join(format!("{}.wasm.br", wasm_name(package)))
}

/// Builds, processes and gates each of `packages` (workspace package names), one cargo build
/// per package. Never fails because of a program: a build failure, a missing entry point or
/// a broken rule is reported in that program's [`Outcome`]. Fails only when a name is not a
/// workspace package or cargo cannot be run.
pub fn gate_programs(packages: &[&str]) -> Result<Vec<Outcome>> {
    gate_programs_reporting(packages, |_| {})
}

/// [`gate_programs`], calling `starting(package)` before each program is built (for progress
/// output).
pub fn gate_programs_reporting(
    packages: &[&str],
    mut starting: impl FnMut(&str),
) -> Result<Vec<Outcome>> {
    let ws = artifacts::Workspace::load(&workspace_root()?)?;
    ws.check_packages(packages)?;
    packages
        .iter()
        .map(|package| {
            starting(package);
            artifacts::run_one(&ws, package)
        })
        .collect()
}

/// Builds and processes `packages` and returns their artifacts, whatever the gate says about
/// them (see [`Artifact::passes`]). Fails when a program does not build or has no
/// `user_entrypoint` yet.
pub fn build_and_process(packages: &[&str]) -> Result<Vec<Artifact>> {
    gate_programs(packages)?
        .into_iter()
        .map(|outcome| match outcome {
            Outcome::Built(artifact) => Ok(*artifact),
            Outcome::NoEntrypoint { package, .. } => bail!(
                "{package}: no `user_entrypoint` export (the program has no #[entrypoint] yet)"
            ),
            Outcome::BuildFailed { package, errors } => {
                bail!("{package}: cargo build failed:\n{errors}")
            }
        })
        .collect()
}

/// Artifacts already ensured by this process, by package.
fn ensured() -> &'static Mutex<HashMap<String, Artifact>> {
    static ENSURED: OnceLock<Mutex<HashMap<String, Artifact>>> = OnceLock::new();
    ENSURED.get_or_init(Default::default)
}

/// Makes sure the processed artifacts of `packages` exist and are up to date, building at most
/// once per package per process (later calls return the same artifacts without running cargo;
/// a first call on an up-to-date tree costs one no-op cargo build per package). Safe to call
/// from parallel tests: calls are serialised.
///
/// Fails when a program does not build, has no entry point, or breaks an activation rule
/// (its bytes would not activate on a chain, so executing them would prove nothing). Size
/// limits are not enforced here: read [`Artifact::size_violations`] or run `stylus-build`.
pub fn ensure_artifacts(packages: &[&str]) -> Result<Vec<Artifact>> {
    let mut cache = ensured().lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let missing: Vec<&str> = packages.iter().copied().filter(|p| !cache.contains_key(*p)).collect();
    if !missing.is_empty() {
        for artifact in build_and_process(&missing)? {
            if !artifact.activation.passes() {
                let broken: Vec<String> =
                    artifact.activation.violations.iter().map(|v| format!("  {v}")).collect();
                bail!("{} would not activate on Stylus:\n{}", artifact.package, broken.join("\n"));
            }
            cache.insert(artifact.package.clone(), artifact);
        }
    }
    Ok(packages.iter().map(|p| cache[*p].clone()).collect())
}
