//! `export-abi`: writes every program's Solidity interface and JSON ABI to `abi/`, from the
//! hand-maintained interfaces (see `scripts::abi_export`), and checks them against what
//! stylus-sdk's own `export-abi` prints.
//!
//! ```text
//! cargo run -q -p scripts --bin export-abi              # write abi/*.sol, abi/*.json; SDK check
//! cargo run -q -p scripts --bin export-abi -- --check   # write nothing; exit 1 if abi/ is stale
//! cargo run -q -p scripts --bin export-abi -- --no-sdk  # skip the SDK comparison (no native builds)
//! ```

use anyhow::{bail, Result};
use scripts::abi_export::{
    self, constructor_types, missing_from_interface, same_constructor, sdk_export,
};
use scripts::deploy::Program;
use std::process::ExitCode;

const USAGE: &str = "usage: cargo run -q -p scripts --bin export-abi [-- [--check] [--no-sdk]]

Writes abi/<package>.sol (the hand-maintained interface, with a generated header) and
abi/<package>.json (its JSON ABI, with the Stylus constructor) for every program, then runs
`cargo run -p <package> --features export-abi` (and `-- constructor`) for each and fails if the
SDK exports a function or error the interface lacks, or a constructor other than the deploy
plan's (cargo-stylus reads the constructor from there: a program whose export prints none is
deployed WITHOUT running its constructor).

  --check   write nothing; exit 1 if a file in abi/ is missing or out of date
  --no-sdk  skip the SDK comparison (it builds each program natively with export-abi)";

fn main() -> ExitCode {
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("export-abi: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<bool> {
    let mut check = false;
    let mut sdk = true;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--check" => check = true,
            "--no-sdk" => sdk = false,
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(true);
            }
            other => bail!("unknown argument {other}\n{USAGE}"),
        }
    }
    let mut ok = true;

    let unused = abi_export::unused_interface_files()?;
    for path in &unused {
        eprintln!(
            "error: {} is a second Solidity interface in a program crate; point \
             scripts::abi_export::SOURCES at it or remove it",
            path.display()
        );
    }
    ok &= unused.is_empty();

    let programs = abi_export::load_all()?;
    println!(
        "{:<19}{:<52}{:>10}{:>8}{:>8}",
        "program", "interface source", "functions", "errors", "events"
    );
    for p in &programs {
        println!(
            "{:<19}{:<52}{:>10}{:>8}{:>8}",
            p.package,
            p.source.display(),
            p.abi.functions().count(),
            p.abi.errors().count(),
            p.abi.events().count()
        );
    }

    if check {
        let stale = abi_export::stale_files()?;
        for path in &stale {
            eprintln!("stale: {} (run `cargo run -q -p scripts --bin export-abi`)", path.display());
        }
        ok &= stale.is_empty();
        if stale.is_empty() {
            println!("abi/ is up to date");
        }
    } else {
        for path in abi_export::export()? {
            println!("wrote {}", path.display());
        }
    }

    if sdk {
        println!("\nstylus-sdk export-abi (cargo run -p <package> --features export-abi):");
        for p in &programs {
            let exported = sdk_export(&p.package)?;
            let expected = Program::from_package(&p.package)
                .expect("every source is a program")
                .constructor()?;
            let mut problems = Vec::new();
            match &exported.abi {
                Some(abi) => {
                    for missing in missing_from_interface(abi, &p.abi) {
                        problems.push(format!(
                            "exports {missing}, missing from {}",
                            p.source.display()
                        ));
                    }
                }
                None => println!("  {:<19}prints no interface (nothing to compare)", p.package),
            }
            match &exported.constructor {
                Some(c) if same_constructor(c, &expected) => {}
                Some(c) => problems.push(format!(
                    "constructor is {}, the deploy plan encodes {}",
                    constructor_types(c),
                    constructor_types(&expected)
                )),
                None => problems.push(format!(
                    "`-- constructor` prints no constructor ({:?}): cargo-stylus would deploy it \
                     WITHOUT running `{}`",
                    exported.constructor_text.lines().next().unwrap_or(""),
                    constructor_types(&expected)
                )),
            }
            if problems.is_empty() {
                let by_hand = exported.abi.as_ref().map_or(p.abi.functions().count(), |abi| {
                    p.abi.functions().count()
                        - abi.functions().count().min(p.abi.functions().count())
                });
                println!(
                    "  {:<19}ok: constructor matches; every exported item is in the interface \
                     ({by_hand} functions only in the interface)",
                    p.package
                );
            } else {
                for problem in problems {
                    println!("  {:<19}FAIL: {problem}", p.package);
                }
                ok = false;
            }
        }
    }
    Ok(ok)
}
