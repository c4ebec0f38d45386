//! The `project_hash` custom section: a keccak-256 of the sources a program is built from.
//!
//! cargo-stylus appends a 32-byte `project_hash` section to every deployed module so that
//! `cargo stylus verify` can tie deployed code to its sources; it hashes `cargo --version`,
//! the optimisation level and every `*.rs`, `Cargo.toml` and `Cargo.lock` under the package
//! directory plus `rust-toolchain.toml`. We append a section of the same name and size, so the
//! measured deploy size is what cargo-stylus deploys, and we hash the same kind of preimage,
//! scoped to what a workspace build of one program actually reads:
//!
//! keccak256( `cargo --version` output
//!          ‖ for each file, sorted by workspace-relative path:
//!              u64-be(len(path)) ‖ path ‖ u64-be(len(contents)) ‖ contents )
//!
//! over the workspace's `Cargo.toml`, `Cargo.lock`, `rust-toolchain.toml`,
//! `.cargo/config.toml`, and every `*.rs` and `Cargo.toml` in the package directory and in the
//! directories of the workspace members it depends on through `path` (transitively), skipping
//! `target/`, hidden directories and nested packages. It is not cargo-stylus's hash (which
//! depends on the directory it runs in); when cargo-stylus deploys, it writes its own 32 bytes
//! in this place, so the deployed code differs from our artifact only in those 32 bytes.

use crate::cargo::{cargo_binary, Member};
use anyhow::{Context, Result};
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use tiny_keccak::{Hasher, Keccak};

/// Workspace files every program's build depends on.
const WORKSPACE_FILES: &[&str] =
    &["Cargo.toml", "Cargo.lock", "rust-toolchain.toml", ".cargo/config.toml"];

/// keccak-256 of `data`.
pub fn keccak256(data: &[u8]) -> [u8; 32] {
    let mut keccak = Keccak::v256();
    keccak.update(data);
    let mut out = [0u8; 32];
    keccak.finalize(&mut out);
    out
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The files (absolute paths) the project hash of `package` covers, sorted by relative path.
pub fn project_files(
    root: &Path,
    members: &BTreeMap<String, Member>,
    package: &str,
) -> Result<Vec<PathBuf>> {
    let mut dirs = BTreeSet::new();
    let mut todo = vec![package.to_string()];
    while let Some(name) = todo.pop() {
        let member =
            members.get(&name).with_context(|| format!("`{name}` is not a workspace member"))?;
        if dirs.insert(member.dir.clone()) {
            todo.extend(member.path_deps.iter().cloned());
        }
    }
    let mut files: BTreeSet<PathBuf> =
        WORKSPACE_FILES.iter().map(|f| root.join(f)).filter(|p| p.is_file()).collect();
    for dir in &dirs {
        collect_sources(dir, dir, &mut files)?;
    }
    let mut files: Vec<PathBuf> = files.into_iter().collect();
    files.sort_by_key(|p| relative(root, p));
    Ok(files)
}

fn collect_sources(package_dir: &Path, dir: &Path, out: &mut BTreeSet<PathBuf>) -> Result<()> {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .collect::<std::io::Result<_>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if path.is_dir() {
            let nested_package = path.join("Cargo.toml").is_file();
            if name == "target" || name.starts_with('.') || nested_package {
                continue;
            }
            collect_sources(package_dir, &path, out)?;
        } else if name.ends_with(".rs") || (name == "Cargo.toml" && dir == package_dir) {
            out.insert(path);
        }
    }
    Ok(())
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root).unwrap_or(path).to_string_lossy().replace('\\', "/")
}

/// The output of `cargo --version` (the toolchain the programs are built with).
pub fn cargo_version(root: &Path) -> Result<Vec<u8>> {
    let output = Command::new(cargo_binary())
        .current_dir(root)
        .arg("--version")
        .output()
        .context("running `cargo --version`")?;
    Ok(output.stdout)
}

/// The project hash of `package` (see the module documentation).
pub fn project_hash(
    root: &Path,
    members: &BTreeMap<String, Member>,
    cargo_version: &[u8],
    package: &str,
) -> Result<[u8; 32]> {
    let mut keccak = Keccak::v256();
    keccak.update(cargo_version);
    for file in project_files(root, members, package)? {
        let rel = relative(root, &file);
        let contents = fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
        keccak.update(&(rel.len() as u64).to_be_bytes());
        keccak.update(rel.as_bytes());
        keccak.update(&(contents.len() as u64).to_be_bytes());
        keccak.update(&contents);
    }
    let mut out = [0u8; 32];
    keccak.finalize(&mut out);
    Ok(out)
}
