//! `stylus-build`: builds every deployable Stylus program, processes it as cargo-stylus does,
//! checks the activation rules and the deploy size limit, prints a table, writes
//! `target/stylus/` and exits non-zero when a program cannot be deployed.

use scripts::gate::{MAX_DEPLOY_SIZE, TARGET_DEPLOY_SIZE};
use scripts::{Artifact, Outcome, PROGRAMS};
use std::process::ExitCode;

const USAGE: &str = "\
Usage: cargo run -p scripts --bin stylus-build -- [--only <package>]... [--allow-missing]

Builds each deployable Stylus program for wasm32 (release), processes it as cargo-stylus does
(text round-trip, custom sections stripped, project_hash section, brotli-11, EFF00000 prefix),
checks the Stylus activation rules and the 24,576-byte deploy limit, prints a table and writes
target/stylus/<name>.wasm, <name>.wasm.br and sizes.json.

Options:
  --only <package>   gate only this program (repeatable); default: all programs
  --allow-missing    a program without a user_entrypoint yet is reported as \"not built\"
                     instead of failing the run
  -h, --help         print this help

Exit status: 0 when every gated program passes; 1 when a program fails to build, breaks an
activation rule, is over a size limit, or (without --allow-missing) has no entry point;
2 on a usage error.";

/// Below this margin (bytes under the deploy limit) the table adds a caution.
const CLOSE_MARGIN: i64 = 256;

struct Options {
    only: Vec<String>,
    allow_missing: bool,
}

fn parse_args() -> Result<Option<Options>, String> {
    let mut options = Options { only: Vec::new(), allow_missing: false };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-h" | "--help" => return Ok(None),
            "--allow-missing" => options.allow_missing = true,
            "--only" => match args.next() {
                Some(package) => options.only.push(package),
                None => return Err("--only needs a package name".into()),
            },
            other => match other.strip_prefix("--only=") {
                Some(package) => options.only.push(package.to_string()),
                None => return Err(format!("unknown argument `{other}`")),
            },
        }
    }
    Ok(Some(options))
}

fn main() -> ExitCode {
    let options = match parse_args() {
        Ok(Some(options)) => options,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("error: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let packages: Vec<&str> = if options.only.is_empty() {
        PROGRAMS.to_vec()
    } else {
        options.only.iter().map(String::as_str).collect()
    };

    for var in scripts::cargo::OVERRIDING_RUSTFLAGS {
        if std::env::var_os(var).is_some() {
            eprintln!(
                "note: {var} is set; it is not passed to the wasm builds (it would replace the \
                 workspace's -zstack-size=32768)"
            );
        }
    }
    let outcomes = match scripts::gate_programs_reporting(&packages, |package| {
        eprintln!("building {package} (wasm32, release) and processing it...")
    }) {
        Ok(outcomes) => outcomes,
        Err(err) => {
            eprintln!("error: {err:#}");
            return ExitCode::from(2);
        }
    };

    print_table(&outcomes);
    print_details(&outcomes);

    match scripts::write_sizes_json(&outcomes) {
        Ok(path) => println!("\nwrote {}", path.display()),
        Err(err) => eprintln!("warning: could not write sizes.json: {err:#}"),
    }

    let mut failed = Vec::new();
    for outcome in &outcomes {
        match outcome {
            Outcome::Built(a) if !a.passes() => {
                failed.push(format!("{} fails the gate", a.package))
            }
            Outcome::Built(_) => {}
            Outcome::NoEntrypoint { package, .. } if !options.allow_missing => failed.push(
                format!("{package} has no user_entrypoint (pass --allow-missing to skip it)"),
            ),
            Outcome::NoEntrypoint { .. } => {}
            Outcome::BuildFailed { package, .. } => {
                failed.push(format!("{package} does not build"))
            }
        }
    }
    if failed.is_empty() {
        println!("gate: PASS");
        ExitCode::SUCCESS
    } else {
        println!("gate: FAIL ({})", failed.join("; "));
        ExitCode::FAILURE
    }
}

fn print_table(outcomes: &[Outcome]) {
    let width = outcomes.iter().map(|o| o.package().len()).chain([7]).max().unwrap_or(7);
    println!(
        "\n{:<width$}  {:>7}  {:>9}  {:>9}  {:>7}  {:>7}  {:>5}  {:>7}  status",
        "program", "raw B", "process B", "deploy B", "margin", "≤16KiB", "pages", "imports"
    );
    for outcome in outcomes {
        match outcome {
            Outcome::Built(a) => println!(
                "{:<width$}  {:>7}  {:>9}  {:>9}  {:>7}  {:>7}  {:>5}  {:>7}  {}",
                a.package,
                a.raw_size,
                a.processed_size,
                a.deploy_size,
                a.margin(),
                if a.within_target() { "yes" } else { "no" },
                a.activation.memory_pages,
                a.activation.imports.len(),
                status(a),
            ),
            Outcome::NoEntrypoint { package, raw_size } => println!(
                "{:<width$}  {:>7}  {:>9}  {:>9}  {:>7}  {:>7}  {:>5}  {:>7}  not built (no user_entrypoint yet)",
                package, raw_size, "-", "-", "-", "-", "-", "-"
            ),
            Outcome::BuildFailed { package, .. } => println!(
                "{:<width$}  {:>7}  {:>9}  {:>9}  {:>7}  {:>7}  {:>5}  {:>7}  BUILD FAILED",
                package, "-", "-", "-", "-", "-", "-", "-"
            ),
        }
    }
    println!(
        "deploy B = len(EFF00000 prefix + brotli-11(processed wasm)); limit {MAX_DEPLOY_SIZE} B, \
         target {TARGET_DEPLOY_SIZE} B; margin = {MAX_DEPLOY_SIZE} - deploy B"
    );
}

fn status(a: &Artifact) -> String {
    if a.passes() {
        "PASS".to_string()
    } else {
        let mut rules: Vec<&str> = a.violations().map(|v| v.rule.name()).collect();
        rules.dedup();
        format!("FAIL ({})", rules.join(", "))
    }
}

fn print_details(outcomes: &[Outcome]) {
    for outcome in outcomes {
        match outcome {
            Outcome::Built(a) => {
                let imports: Vec<String> = a
                    .activation
                    .imports
                    .iter()
                    .map(|i| {
                        if i.module == scripts::gate::HOSTIO_MODULE {
                            i.name.clone()
                        } else {
                            i.to_string()
                        }
                    })
                    .collect();
                println!(
                    "\n{}: {} functions; imports from vm_hooks: {}",
                    a.package,
                    a.activation.functions,
                    imports.join(", ")
                );
                for violation in a.violations() {
                    println!("  {}: {violation}", a.package);
                }
                if (0..CLOSE_MARGIN).contains(&a.margin()) {
                    println!(
                        "  {}: note: margin under {CLOSE_MARGIN} B. cargo-stylus compresses with C brotli, \
                         whose output can differ from the brotli crate's by a few tens of bytes \
                         (measured: 32 B larger on a 78 KB module)",
                        a.package
                    );
                }
            }
            Outcome::NoEntrypoint { .. } => {}
            Outcome::BuildFailed { package, errors } => {
                println!("\n{package}: cargo build failed:");
                for line in errors.lines() {
                    println!("  {line}");
                }
            }
        }
    }
}
