//! The long invariant run and the share-math fuzz target.
//!
//! ```text
//! cargo run -q -p scripts --bin invariants -- [--sequences N] [--steps N] [--seed S] [--jobs J] [--no-shrink] [--coverage]
//! cargo run -q -p scripts --bin invariants -- --fuzz-math [--seconds N]
//! ```
//!
//! The first form deploys the protocol on the embedded host (one copy per
//! job) and runs `N` random sequences (default 10,000) of up to `--steps`
//! steps (default 24) from seed `S`, checking every invariant of
//! `scripts::invariants::engine` after every step; it prints how many
//! sequences ran and how many failed, each failure shrunk to a minimal
//! sequence, and exits non-zero if any failed. The second form runs the
//! share-math properties of `scripts::invariants::math` on random inputs
//! for `N` seconds (default 60) and prints the number of cases and the
//! failures.

use anyhow::{bail, Context, Result};
use scripts::invariants::{engine::Engine, math, run_with, RunConfig, RunReport};
use std::process::ExitCode;
use std::time::Duration;

struct Args {
    fuzz_math: bool,
    seconds: u64,
    config: RunConfig,
    jobs: u64,
    coverage: bool,
}

fn parse() -> Result<Args> {
    let mut args = Args {
        fuzz_math: false,
        seconds: 60,
        config: RunConfig { sequences: 10_000, ..RunConfig::default() },
        jobs: 1,
        coverage: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = |name: &str| -> Result<u64> {
            it.next()
                .with_context(|| format!("{name} needs a value"))?
                .parse()
                .with_context(|| format!("{name} takes a number"))
        };
        match arg.as_str() {
            "--fuzz-math" => args.fuzz_math = true,
            "--seconds" => args.seconds = value("--seconds")?,
            "--sequences" => args.config.sequences = value("--sequences")?,
            "--steps" => args.config.steps = usize::try_from(value("--steps")?)?,
            "--seed" => args.config.seed = value("--seed")?,
            "--jobs" => args.jobs = value("--jobs")?.max(1),
            "--no-shrink" => args.config.shrink = false,
            "--coverage" => args.coverage = true,
            "-h" | "--help" => {
                println!(
                    "usage: invariants [--sequences N] [--steps N] [--seed S] [--jobs J] [--no-shrink] [--coverage]\n       \
                     invariants --fuzz-math [--seconds N]"
                );
                std::process::exit(0);
            }
            other => bail!("unknown argument {other} (try --help)"),
        }
    }
    Ok(args)
}

fn fuzz_math(seconds: u64) -> ExitCode {
    println!(
        "fuzzing the share math (mul_div, conversions, fee_shares, split_fee) for {seconds} s"
    );
    let report = math::run_for(Duration::from_secs(seconds), 10_000);
    println!(
        "{} cases run in {} batches, {} failed ({:.1} s)",
        report.cases,
        report.batches,
        report.failures.len(),
        report.elapsed.as_secs_f64()
    );
    for f in &report.failures {
        println!("FAILED: {f}");
    }
    if report.failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn sequences(args: &Args) -> Result<ExitCode> {
    let c = &args.config;
    println!(
        "invariant run: {} sequences of up to {} steps, seed {}, {} job(s)",
        c.sequences, c.steps, c.seed, args.jobs
    );
    let per_job = c.sequences.div_ceil(args.jobs);
    let handles: Vec<_> = (0..args.jobs)
        .map(|job| {
            let mut config = c.clone();
            config.seed = c.seed.wrapping_add(job.wrapping_mul(0x9e37_79b9_7f4a_7c15));
            config.sequences = per_job.min(c.sequences.saturating_sub(job * per_job));
            std::thread::spawn(move || -> Result<RunReport> {
                let mut engine = Engine::new()?;
                Ok(run_with(&mut engine, &config, |done, report| {
                    if done % 500 == 0 {
                        eprintln!(
                            "  job {job}: {done}/{} sequences, {} failed",
                            config.sequences,
                            report.failures.len()
                        );
                    }
                }))
            })
        })
        .collect();
    let mut total = RunReport::default();
    for handle in handles {
        let report = handle.join().map_err(|_| anyhow::anyhow!("a job panicked"))??;
        total.sequences += report.sequences;
        total.failures.extend(report.failures);
        total.stats.merge(&report.stats);
        total.elapsed = total.elapsed.max(report.elapsed);
    }
    println!("{}", total.summary());
    if args.coverage {
        println!("{}", total.coverage());
    }
    Ok(if total.failures.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

fn main() -> Result<ExitCode> {
    let args = parse()?;
    if args.fuzz_math {
        return Ok(fuzz_math(args.seconds));
    }
    sequences(&args)
}
