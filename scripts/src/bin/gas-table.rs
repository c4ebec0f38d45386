//! `gas-table`: measures every standard operation of the protocol on the
//! embedded Stylus host (an ESTIMATE, programs cached and not cached), prints
//! the table and writes it to `gas-table.md` at the workspace root
//! (`scripts::gas_table`). A benchmark, not a timed test.

use std::process::ExitCode;

const USAGE: &str = "\
Usage: cargo run -q -p scripts --bin gas-table -- [--holders N] [--no-write]

Deploys the protocol on the embedded Stylus host, measures each standard operation (cached and
uncached programs, with the host's gas breakdown), compares with Lido's mainnet figures and the
0.65x targets, measures report processing with 10 and with N holders (default 10,000), prints the
table and writes gas-table.md at the workspace root.

Options:
  --holders N   holders for the large point of the report-scaling measurement (default 10000)
  --no-write    print only
  -h, --help    print this help";

fn main() -> ExitCode {
    let mut options = scripts::gas_table::Options::default();
    let mut write = true;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            "--no-write" => write = false,
            "--holders" => match args.next().and_then(|n| n.parse().ok()) {
                Some(n) => options.many_holders = n,
                None => {
                    eprintln!("error: --holders needs a number\n\n{USAGE}");
                    return ExitCode::from(2);
                }
            },
            other => {
                eprintln!("error: unknown argument `{other}`\n\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let table = match scripts::gas_table::build(&options, &mut |m| eprintln!("{m}")) {
        Ok(table) => table,
        Err(err) => {
            eprintln!("gas-table FAILED: {err:#}");
            return ExitCode::FAILURE;
        }
    };
    let markdown = scripts::gas_table::render_markdown(&table);
    println!("{markdown}");
    if write {
        let path = match scripts::workspace_root() {
            Ok(root) => root.join("gas-table.md"),
            Err(err) => {
                eprintln!("gas-table FAILED: {err:#}");
                return ExitCode::FAILURE;
            }
        };
        if let Err(err) = std::fs::write(&path, &markdown) {
            eprintln!("gas-table FAILED: writing {}: {err}", path.display());
            return ExitCode::FAILURE;
        }
        eprintln!("wrote {}", path.display());
    }
    if let Err(err) = scripts::gas_table::check_scaling(&table) {
        eprintln!("gas-table: {err:#}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
