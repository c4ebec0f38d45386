//! The pipeline on the workspace itself: paths, project hash inputs, and (ignored by default,
//! since it builds every program for wasm32) the real programs end to end.
//!
//! Run the real-program test with `cargo test -p scripts --test real_programs -- --ignored`.

use scripts::gate::{check_activation, Rule};
use scripts::process::decode_deploy_code;
use scripts::{artifact_path, deploy_code_path, gate_programs, workspace_root, Outcome, PROGRAMS};

#[test]
fn workspace_root_holds_the_workspace_manifest_and_every_program_dir() {
    // Given the scripts crate inside the workspace
    // When the root is located
    let root = workspace_root().expect("workspace root");
    // Then it is the directory with the workspace Cargo.toml and the scripts crate
    assert!(root.join("Cargo.toml").is_file());
    assert!(root.join("scripts").join("Cargo.toml").is_file());
}

#[test]
fn artifact_paths_use_the_wasm_name_under_target_stylus() {
    // Given a package name with dashes
    // When its artifact paths are asked for
    let root = workspace_root().expect("workspace root");
    let wasm = artifact_path("rebase-token").expect("path");
    let code = deploy_code_path("rebase-token").expect("path");
    // Then they are target/stylus/rebase_token.wasm and .wasm.br
    assert_eq!(wasm, root.join("target/stylus/rebase_token.wasm"));
    assert_eq!(code, root.join("target/stylus/rebase_token.wasm.br"));
}

#[test]
fn unknown_package_is_refused_with_the_program_list() {
    // Given a name that is not a workspace package
    // When it is gated
    let err = gate_programs(&["no-such-program"]).unwrap_err();
    // Then the error names it and lists the deployable programs
    let message = err.to_string();
    assert!(message.contains("no-such-program"), "{message}");
    assert!(message.contains("rebase-token"), "{message}");
}

#[test]
#[ignore = "builds every program for wasm32 (minutes on a cold target dir)"]
fn every_program_that_builds_is_processed_into_an_activatable_artifact() {
    // Given the workspace's programs
    // When they are built, processed and gated
    let outcomes = gate_programs(PROGRAMS).expect("cargo runs");
    let mut checked = 0;
    for outcome in &outcomes {
        let Outcome::Built(artifact) = outcome else {
            eprintln!("{}: not built, skipped", outcome.package());
            continue;
        };
        checked += 1;
        // Then rustc 1.95's own output is rejected by the feature rule (its over-long
        // call_indirect table index), and processing makes it smaller
        let raw = std::fs::read(&artifact.raw_path).expect("raw wasm");
        let raw_check = check_activation(&raw);
        assert!(
            raw_check.breaks(Rule::WasmFeatures),
            "{}: raw wasm unexpectedly valid for Stylus: {:?}",
            artifact.package,
            raw_check.violations
        );
        assert!(raw.len() > artifact.processed_size);
        // And the processed module passes every activation rule
        assert!(
            artifact.activation.passes(),
            "{}: {:?}",
            artifact.package,
            artifact.activation.violations
        );
        assert!(!artifact.activation.breaks(Rule::WasmFeatures));
        // And the files on disk are the processed module and its deploy code
        let wasm = artifact.read_wasm().expect("processed wasm");
        assert_eq!(wasm.len(), artifact.processed_size);
        assert_eq!(check_activation(&wasm), artifact.activation);
        let code = artifact.read_deploy_code().expect("deploy code");
        assert_eq!(code.len(), artifact.deploy_size);
        assert_eq!(decode_deploy_code(&code, usize::MAX).expect("decode"), wasm);
        assert_eq!(artifact.margin(), 24_576 - code.len() as i64);
    }
    eprintln!("{checked} program(s) checked");
}

#[test]
#[ignore = "builds every program for wasm32 (minutes on a cold target dir)"]
fn ensure_artifacts_returns_the_same_artifacts_without_rebuilding() {
    // Given the programs that build and would activate
    let ready: Vec<&str> = gate_programs(PROGRAMS)
        .expect("cargo runs")
        .iter()
        .filter_map(|o| match o {
            Outcome::Built(a) if a.activation.passes() => {
                Some(*PROGRAMS.iter().find(|p| **p == a.package).expect("known"))
            }
            _ => None,
        })
        .collect();
    // When their artifacts are ensured twice in one process
    let first = scripts::ensure_artifacts(&ready).expect("first call");
    let started = std::time::Instant::now();
    let second = scripts::ensure_artifacts(&ready).expect("second call");
    // Then the second call is served from memory and returns the same files
    assert!(started.elapsed() < std::time::Duration::from_millis(100));
    assert_eq!(first.len(), ready.len());
    for (a, b) in first.iter().zip(&second) {
        assert_eq!(a.wasm_path, b.wasm_path);
        assert_eq!(a.deploy_size, b.deploy_size);
        assert_eq!(a.wasm_path, artifact_path(&a.package).expect("path"));
    }
}
