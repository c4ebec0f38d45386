//! Running cargo: the workspace layout (`cargo metadata`) and the wasm32 release builds.

use anyhow::{anyhow, bail, Context, Result};
use serde_json::Value;
use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The Rust target Stylus programs are built for.
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// Environment variables that would replace the workspace's `.cargo/config.toml` rustflags
/// (and with them `-zstack-size=32768`): removed from the build's environment so the artifact
/// depends only on checked-in configuration.
pub const OVERRIDING_RUSTFLAGS: &[&str] =
    &["RUSTFLAGS", "CARGO_ENCODED_RUSTFLAGS", "CARGO_BUILD_RUSTFLAGS"];

/// The cargo binary: `$CARGO` when run by cargo (same toolchain), else `cargo` from `PATH`.
pub fn cargo_binary() -> OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

/// A workspace member as `cargo metadata` describes it.
#[derive(Clone, Debug)]
pub struct Member {
    /// Package name.
    pub name: String,
    /// Directory holding its `Cargo.toml`.
    pub dir: PathBuf,
    /// Names of the workspace members it depends on through `path` dependencies.
    pub path_deps: Vec<String>,
}

/// Reads the workspace members with `cargo metadata --no-deps` (no resolution, no network).
pub fn workspace_members(root: &Path) -> Result<BTreeMap<String, Member>> {
    let output = Command::new(cargo_binary())
        .current_dir(root)
        .args(["metadata", "--no-deps", "--format-version", "1"])
        .stderr(Stdio::piped())
        .output()
        .context("running `cargo metadata`")?;
    if !output.status.success() {
        bail!("`cargo metadata` failed: {}", String::from_utf8_lossy(&output.stderr).trim());
    }
    let meta: Value =
        serde_json::from_slice(&output.stdout).context("parsing `cargo metadata` output")?;
    let packages = meta["packages"]
        .as_array()
        .ok_or_else(|| anyhow!("`cargo metadata` output has no packages"))?;
    let dirs: BTreeMap<String, PathBuf> = packages
        .iter()
        .filter_map(|p| {
            let name = p["name"].as_str()?;
            let manifest = PathBuf::from(p["manifest_path"].as_str()?);
            Some((name.to_string(), manifest.parent()?.to_path_buf()))
        })
        .collect();
    let mut members = BTreeMap::new();
    for package in packages {
        let Some(name) = package["name"].as_str() else {
            continue;
        };
        let path_deps = package["dependencies"]
            .as_array()
            .map(|deps| {
                deps.iter()
                    .filter(|d| d["path"].is_string() && d["kind"].is_null())
                    .filter_map(|d| d["name"].as_str())
                    .filter(|n| dirs.contains_key(*n))
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        members.insert(
            name.to_string(),
            Member { name: name.to_string(), dir: dirs[name].clone(), path_deps },
        );
    }
    Ok(members)
}

/// Result of building one program for wasm32.
#[derive(Debug)]
pub enum BuildResult {
    /// The cdylib was built (or was already up to date): path of the raw `.wasm`.
    Built {
        /// rustc's output, `target/wasm32-unknown-unknown/release/<name>.wasm`.
        wasm: PathBuf,
        /// True when cargo had nothing to rebuild.
        fresh: bool,
    },
    /// cargo failed; the error lines it printed.
    Failed(String),
}

/// Builds one package's library for wasm32 in release as cargo-stylus does
/// (`cargo build --lib --release --target wasm32-unknown-unknown`, one package alone, so that
/// no other package's features are unified into it), from the workspace root so that its
/// `.cargo/config.toml` applies. Unlike cargo-stylus it does not pass `--locked`: the gate
/// runs beside `cargo test`, which would update a stale lock file anyway, and a gate that
/// fails on a lock entry nobody has written yet would only block the team.
pub fn build_wasm(root: &Path, package: &str) -> Result<BuildResult> {
    let mut cmd = Command::new(cargo_binary());
    cmd.current_dir(root)
        .args(["build", "--release", "--lib", "--target", WASM_TARGET])
        .args(["-p", package])
        .args(["--message-format", "json-render-diagnostics"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for var in OVERRIDING_RUSTFLAGS {
        cmd.env_remove(var);
    }
    let output = cmd.output().with_context(|| format!("running cargo build for {package}"))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Ok(BuildResult::Failed(error_lines(&stderr)));
    }

    let lib_name = package.replace('-', "_");
    let mut found = None;
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(msg) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        if msg["reason"] != "compiler-artifact" || msg["target"]["name"] != lib_name.as_str() {
            continue;
        }
        let wasm = msg["filenames"].as_array().and_then(|files| {
            files.iter().filter_map(Value::as_str).find(|f| f.ends_with(".wasm"))
        });
        if let Some(wasm) = wasm {
            found = Some(BuildResult::Built {
                wasm: PathBuf::from(wasm),
                fresh: msg["fresh"].as_bool().unwrap_or(false),
            });
        }
    }
    found.ok_or_else(|| {
        anyhow!("cargo built {package} but reported no .wasm artifact (is its crate-type cdylib?)")
    })
}

/// Keeps cargo's error diagnostics (from the first `error` line on), at most 40 lines.
fn error_lines(stderr: &str) -> String {
    let lines: Vec<&str> = stderr.lines().collect();
    let start = lines.iter().position(|l| l.starts_with("error")).unwrap_or(0);
    let kept: Vec<&str> = lines[start..]
        .iter()
        .copied()
        .filter(|l| !l.trim_start().starts_with("Compiling") && !l.trim().is_empty())
        .take(40)
        .collect();
    kept.join("\n")
}
