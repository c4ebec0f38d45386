//! `lifecycle`: the README's main job. Builds and processes the programs,
//! deploys them on the embedded Stylus host, wires them, and runs a whole
//! staking lifecycle through their Solidity ABI, printing a report per step
//! and checking the accounting invariants after every step
//! (`scripts::lifecycle`).

use std::process::ExitCode;

const USAGE: &str = "\
Usage: cargo run -q -p scripts --bin lifecycle -- [--holders N] [--days D] [--verbose]

Deploys the protocol on the embedded Stylus host and runs a staking lifecycle: seed bootstrap,
stakes (deposit pool, stETH.submit, wstETH receive), transfers, wrap/unwrap, validator deposits,
three oracle frames (rewards with the fee; a slashing; a report refused by a sanity limit, then
the right one), a withdrawal request, its finalization and claim, then D daily reports.

Options:
  --holders N   N extra holders stake before the reports (default 20)
  --days D      D daily reports after the scripted frames (default 3)
  --verbose     every decoded event and every invariant line
  -h, --help    print this help

Exit status: 0 when every step ran and every invariant held; 1 otherwise; 2 on a usage error.";

fn parse() -> Result<Option<scripts::lifecycle::Options>, String> {
    let mut options = scripts::lifecycle::Options::default();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) => (f.to_string(), Some(v.to_string())),
            None => (arg.clone(), None),
        };
        let mut number = |name: &str| -> Result<usize, String> {
            let value = inline.clone().or_else(|| args.next());
            value
                .ok_or_else(|| format!("{name} needs a number"))?
                .parse()
                .map_err(|_| format!("{name} needs a number"))
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(None),
            "--holders" => options.holders = number("--holders")?,
            "--days" => options.days = number("--days")?,
            "--verbose" => options.verbose = true,
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(Some(options))
}

fn main() -> ExitCode {
    let options = match parse() {
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
    let start = std::time::Instant::now();
    let mut stdout = std::io::stdout().lock();
    match scripts::lifecycle::run(&options, &mut stdout) {
        Ok(_) => {
            println!("\nlifecycle: OK in {:.1} s", start.elapsed().as_secs_f64());
            ExitCode::SUCCESS
        }
        Err(err) => {
            println!("\nlifecycle: FAILED: {err:#}");
            eprintln!("lifecycle FAILED: {err:#}");
            ExitCode::FAILURE
        }
    }
}
