//! Building, processing and gating programs, and the files written under `target/stylus/`.

use crate::cargo::{self, BuildResult, Member};
use crate::gate::{self, Activation, Violation, MAX_DEPLOY_SIZE, TARGET_DEPLOY_SIZE};
use crate::hash;
use crate::process;
use anyhow::{bail, Context, Result};
use serde_json::json;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use wasmparser::{Parser, Payload};

/// Bumped whenever processing changes, so stale processed files are never reused.
const PIPELINE_VERSION: &[u8] = b"scripts-stylus-pipeline-1";

/// A program built, processed and checked.
#[derive(Clone, Debug)]
pub struct Artifact {
    /// Package name (`rebase-token`).
    pub package: String,
    /// rustc's `.wasm` (`target/wasm32-unknown-unknown/release/<name>.wasm`).
    pub raw_path: PathBuf,
    /// Size of rustc's `.wasm`, in bytes.
    pub raw_size: usize,
    /// Size of the processed module (what a node executes; ≤ 128 KiB), in bytes.
    pub processed_size: usize,
    /// Size of the deploy code, `EFF00000` + brotli-11 (≤ 24,576), in bytes.
    pub deploy_size: usize,
    /// The processed module: `target/stylus/<name>.wasm`.
    pub wasm_path: PathBuf,
    /// The deploy code: `target/stylus/<name>.wasm.br`.
    pub deploy_path: PathBuf,
    /// Contents of the `project_hash` custom section.
    pub project_hash: [u8; 32],
    /// Activation check of the processed module: imports, exports, pages, violations.
    pub activation: Activation,
    /// Size limits broken.
    pub size_violations: Vec<Violation>,
}

impl Artifact {
    /// Bytes left under the 24,576-byte deploy limit (negative when over).
    pub fn margin(&self) -> i64 {
        MAX_DEPLOY_SIZE as i64 - self.deploy_size as i64
    }

    /// True when the deploy code is within the team's 16 KiB target.
    pub fn within_target(&self) -> bool {
        self.deploy_size <= TARGET_DEPLOY_SIZE
    }

    /// Every broken rule: activation rules, then size limits.
    pub fn violations(&self) -> impl Iterator<Item = &Violation> {
        self.activation.violations.iter().chain(self.size_violations.iter())
    }

    /// True when the program would deploy and activate.
    pub fn passes(&self) -> bool {
        self.violations().next().is_none()
    }

    /// Reads the processed module (the exact bytes a Stylus node executes).
    pub fn read_wasm(&self) -> Result<Vec<u8>> {
        fs::read(&self.wasm_path).with_context(|| format!("reading {}", self.wasm_path.display()))
    }

    /// Reads the deploy code (prefix + brotli).
    pub fn read_deploy_code(&self) -> Result<Vec<u8>> {
        fs::read(&self.deploy_path)
            .with_context(|| format!("reading {}", self.deploy_path.display()))
    }
}

/// What happened to one program.
#[derive(Clone, Debug)]
pub enum Outcome {
    /// Built and processed; see the artifact for the gate's verdict.
    Built(Box<Artifact>),
    /// Built, but it exports no `user_entrypoint` yet (a stub): nothing to deploy.
    NoEntrypoint {
        /// Package name.
        package: String,
        /// Size of rustc's `.wasm`.
        raw_size: usize,
    },
    /// cargo could not build it.
    BuildFailed {
        /// Package name.
        package: String,
        /// cargo's error output.
        errors: String,
    },
}

impl Outcome {
    /// The package this outcome is about.
    pub fn package(&self) -> &str {
        match self {
            Outcome::Built(a) => &a.package,
            Outcome::NoEntrypoint { package, .. } | Outcome::BuildFailed { package, .. } => package,
        }
    }
}

/// What the pipeline needs to know about the workspace, computed once per call.
pub(crate) struct Workspace {
    pub(crate) root: PathBuf,
    pub(crate) members: BTreeMap<String, Member>,
    pub(crate) cargo_version: Vec<u8>,
}

impl Workspace {
    pub(crate) fn load(root: &Path) -> Result<Self> {
        Ok(Workspace {
            root: root.to_path_buf(),
            members: cargo::workspace_members(root)?,
            cargo_version: hash::cargo_version(root)?,
        })
    }

    /// Fails with a clear message when a package is not a workspace member.
    pub(crate) fn check_packages(&self, packages: &[&str]) -> Result<()> {
        for package in packages {
            if !self.members.contains_key(*package) {
                bail!(
                    "`{package}` is not a package of this workspace (deployable programs: {})",
                    crate::PROGRAMS.join(", ")
                );
            }
        }
        Ok(())
    }
}

/// Builds, processes and gates one program.
pub(crate) fn run_one(ws: &Workspace, package: &str) -> Result<Outcome> {
    let raw_path = match cargo::build_wasm(&ws.root, package)? {
        BuildResult::Built { wasm, .. } => wasm,
        BuildResult::Failed(errors) => {
            return Ok(Outcome::BuildFailed { package: package.to_string(), errors })
        }
    };
    let raw = fs::read(&raw_path).with_context(|| format!("reading {}", raw_path.display()))?;
    if !exports_entrypoint(&raw)? {
        return Ok(Outcome::NoEntrypoint { package: package.to_string(), raw_size: raw.len() });
    }

    let project_hash = hash::project_hash(&ws.root, &ws.members, &ws.cargo_version, package)?;
    let dir = crate::artifact_dir_in(&ws.root);
    let wasm_path = crate::artifact_path_in(&ws.root, package);
    let deploy_path = crate::deploy_code_path_in(&ws.root, package);
    let stamp_path = dir.join(format!("{}.stamp", crate::wasm_name(package)));

    let mut stamp_input = PIPELINE_VERSION.to_vec();
    stamp_input.extend_from_slice(&project_hash);
    stamp_input.extend_from_slice(&raw);
    let stamp = hash::hex(&hash::keccak256(&stamp_input));

    let cached =
        match (fs::read_to_string(&stamp_path), fs::read(&wasm_path), fs::read(&deploy_path)) {
            (Ok(s), Ok(wasm), Ok(code)) if s.trim() == stamp => Some((wasm, code)),
            _ => None,
        };
    let (processed, code) = match cached {
        Some(files) => files,
        None => {
            let processed = process::process(&raw, Some(project_hash))
                .with_context(|| format!("processing {}", raw_path.display()))?;
            let code = process::deploy_code(&processed)?;
            fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
            write_atomic(&wasm_path, &processed)?;
            write_atomic(&deploy_path, &code)?;
            write_atomic(&stamp_path, stamp.as_bytes())?;
            (processed, code)
        }
    };

    Ok(Outcome::Built(Box::new(Artifact {
        package: package.to_string(),
        raw_path,
        raw_size: raw.len(),
        processed_size: processed.len(),
        deploy_size: code.len(),
        wasm_path,
        deploy_path,
        project_hash,
        activation: gate::check_activation(&processed),
        size_violations: gate::check_sizes(processed.len(), code.len()),
    })))
}

/// True when the module exports something named `user_entrypoint`.
fn exports_entrypoint(wasm: &[u8]) -> Result<bool> {
    for payload in Parser::new(0).parse_all(wasm) {
        if let Payload::ExportSection(reader) = payload.context("parsing rustc's wasm")? {
            for export in reader {
                if export?.name == gate::ENTRYPOINT {
                    return Ok(true);
                }
            }
        }
    }
    Ok(false)
}

/// Writes through a temporary file and a rename, so a concurrent reader never sees half a file.
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut tmp_name = path.file_name().unwrap_or_default().to_os_string();
    tmp_name.push(format!(".tmp{}", std::process::id()));
    let tmp = path.with_file_name(tmp_name);
    fs::write(&tmp, bytes).with_context(|| format!("writing {}", tmp.display()))?;
    fs::rename(&tmp, path).with_context(|| format!("renaming to {}", path.display()))
}

/// The machine-readable report of a gate run (`target/stylus/sizes.json`).
pub fn sizes_json(outcomes: &[Outcome]) -> serde_json::Value {
    let programs: Vec<_> = outcomes
        .iter()
        .map(|outcome| match outcome {
            Outcome::Built(a) => json!({
                "program": a.package,
                "status": if a.passes() { "pass" } else { "fail" },
                "raw_size": a.raw_size,
                "processed_size": a.processed_size,
                "compressed_size": a.deploy_size,
                "margin": a.margin(),
                "within_16kib": a.within_target(),
                "memory_pages": a.activation.memory_pages,
                "functions": a.activation.functions,
                "imports": a.activation.imports.iter().map(|i| i.to_string()).collect::<Vec<_>>(),
                "project_hash": hash::hex(&a.project_hash),
                "wasm": a.wasm_path,
                "deploy_code": a.deploy_path,
                "violations": a.violations().map(|v| json!({
                    "rule": v.rule.name(),
                    "detail": v.detail,
                })).collect::<Vec<_>>(),
            }),
            Outcome::NoEntrypoint { package, raw_size } => json!({
                "program": package,
                "status": "not built",
                "reason": "no user_entrypoint export (no #[entrypoint] yet)",
                "raw_size": raw_size,
            }),
            Outcome::BuildFailed { package, errors } => json!({
                "program": package,
                "status": "build failed",
                "errors": errors,
            }),
        })
        .collect();
    json!({
        "limits": {
            "compressed_size": gate::MAX_DEPLOY_SIZE,
            "processed_size": gate::MAX_WASM_SIZE,
            "target_compressed_size": gate::TARGET_DEPLOY_SIZE,
            "memory_pages": gate::MAX_MEMORY_PAGES,
        },
        "compressed_size_means": "len(EFF00000 prefix + brotli quality 11 of the processed wasm)",
        "programs": programs,
    })
}

/// Writes [`sizes_json`] to `target/stylus/sizes.json` and returns its path.
pub fn write_sizes_json(outcomes: &[Outcome]) -> Result<PathBuf> {
    let root = crate::workspace_root()?;
    let dir = crate::artifact_dir_in(&root);
    fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let path = dir.join("sizes.json");
    let text = serde_json::to_string_pretty(&sizes_json(outcomes))?;
    write_atomic(&path, format!("{text}\n").as_bytes())?;
    Ok(path)
}
