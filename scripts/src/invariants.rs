//! Hostile random sequences against the whole protocol on the embedded
//! Stylus host, with every invariant checked after every step, and a fuzz
//! target over the share math.
//!
//! - [`actions`]: the steps a sequence is made of — stakes through all
//!   three paths (and plain ether), transfers by amount and by shares,
//!   direct and through allowances, approvals and permits (valid, expired,
//!   replayed, wrong signer, high-s, wrong chain, bad `v`), wraps and
//!   unwraps, validator deposits, consensus-layer rewards, penalties and
//!   exits, oracle frames (honest, beyond each sanity limit, positive and
//!   negative, finalizing none, some or all requests) and irregular oracle
//!   calls, withdrawal requests (both tokens), claims, request transfers,
//!   pauses and resumes of every program, staking-limit changes, the clock
//!   moving, and ether forced into the programs.
//! - [`engine`]: the deployed protocol with a reference model; the
//!   invariants it checks are listed there.
//! - [`digest`]: the storage digest that proves a refused call changed
//!   nothing.
//! - [`keys`]: accounts with keys and EIP-2612 signatures.
//! - [`math`]: the share-math fuzz target.
//!
//! [`run`] drives proptest's generator by hand so that a long run goes on
//! after a failure, counts every sequence, and shrinks each failing one to
//! a minimal sequence. The `invariants` binary and `tests/tests/invariants.rs`
//! both call it.

pub mod actions;
pub mod digest;
pub mod engine;
pub mod keys;
pub mod math;

use actions::Action;
use engine::{Engine, Stats, StepFailure};
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config as ProptestConfig, RngAlgorithm, TestRng, TestRunner};
use std::time::{Duration, Instant};

/// Assembles a hand-written Stylus program (the attack tests' doubles are
/// WAT, like the host's own test programs and the beacon-deposit double).
///
/// # Errors
/// The text does not parse.
pub fn compile_wat(text: &str) -> anyhow::Result<Vec<u8>> {
    Ok(wat::parse_str(text)?)
}

/// What to run.
#[derive(Clone, Debug)]
pub struct RunConfig {
    /// Sequences to run.
    pub sequences: u64,
    /// Most steps per sequence (each sequence has 1..=steps).
    pub steps: usize,
    /// Seed of the generator (the same seed runs the same sequences).
    pub seed: u64,
    /// Shrink failing sequences (re-runs them; slower).
    pub shrink: bool,
    /// Stop at the first failure.
    pub stop_at_first: bool,
}

impl Default for RunConfig {
    fn default() -> Self {
        Self { sequences: 200, steps: 24, seed: 0x5eed_0007, shrink: true, stop_at_first: false }
    }
}

/// A failing sequence, shrunk.
#[derive(Clone, Debug)]
pub struct FailedSequence {
    /// Index of the sequence in the run.
    pub index: u64,
    /// The minimal failing sequence found.
    pub actions: Vec<Action>,
    /// Its failure.
    pub failure: StepFailure,
}

/// The result of a run.
#[derive(Clone, Debug, Default)]
pub struct RunReport {
    /// Sequences run.
    pub sequences: u64,
    /// Failing sequences (shrunk).
    pub failures: Vec<FailedSequence>,
    /// Counters over every step.
    pub stats: Stats,
    /// Wall time.
    pub elapsed: Duration,
}

impl RunReport {
    /// A readable summary.
    #[must_use]
    pub fn summary(&self) -> String {
        let s = &self.stats;
        let mut out = format!(
            "{} sequences run, {} failed ({} steps, {} transactions of which {} refused and checked \
             to change nothing; {} reports applied, {} refused; {} requests finalized, {} claims, \
             {} permits) in {:.1} s",
            self.sequences,
            self.failures.len(),
            s.steps,
            s.calls,
            s.refused,
            s.reports_applied,
            s.reports_refused,
            s.finalized,
            s.claims,
            s.permits,
            self.elapsed.as_secs_f64()
        );
        for f in &self.failures {
            out.push_str(&format!(
                "\nFAILED sequence {} at step {} ({:?}): {}\n  minimal sequence: {:#?}",
                f.index, f.failure.step, f.failure.action, f.failure.message, f.actions
            ));
        }
        out
    }

    /// Accepted/refused counts per action kind.
    #[must_use]
    pub fn coverage(&self) -> String {
        self.stats
            .by_action
            .iter()
            .map(|(k, (ok, refused))| format!("{k}: {ok} accepted, {refused} refused"))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// Runs `config.sequences` random sequences on `engine`, calling
/// `progress(done)` after each.
pub fn run_with(
    engine: &mut Engine,
    config: &RunConfig,
    mut progress: impl FnMut(u64, &RunReport),
) -> RunReport {
    let start = Instant::now();
    let mut seed = [0u8; 32];
    seed[..8].copy_from_slice(&config.seed.to_le_bytes());
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &seed);
    let mut runner = TestRunner::new_with_rng(ProptestConfig::default(), rng);
    let strategy = actions::sequence(config.steps);
    let mut report = RunReport::default();
    for index in 0..config.sequences {
        let Ok(mut tree) = strategy.new_tree(&mut runner) else { continue };
        let sequence = tree.current();
        let result = engine.run(&sequence);
        report.sequences += 1;
        if let Err(failure) = result {
            let (actions, failure) = if config.shrink {
                shrink(engine, &mut tree, sequence, failure)
            } else {
                (sequence, failure)
            };
            report.failures.push(FailedSequence { index, actions, failure });
            if config.stop_at_first {
                break;
            }
        }
        progress(index + 1, &report);
    }
    report.stats = engine.stats.clone();
    report.elapsed = start.elapsed();
    report
}

/// Runs with a fresh engine (deploys the protocol first).
///
/// # Errors
/// The protocol could not be built or deployed.
pub fn run(config: &RunConfig) -> anyhow::Result<RunReport> {
    let mut engine = Engine::new()?;
    Ok(run_with(&mut engine, config, |_, _| {}))
}

/// proptest's shrinking loop, by hand: simplify while the sequence still
/// fails, complicate back when a simplification passes.
fn shrink(
    engine: &mut Engine,
    tree: &mut impl ValueTree<Value = Vec<Action>>,
    mut best: Vec<Action>,
    mut failure: StepFailure,
) -> (Vec<Action>, StepFailure) {
    let stats = engine.stats.clone();
    let mut budget = 2_000;
    if !tree.simplify() {
        return (best, failure);
    }
    loop {
        budget -= 1;
        let candidate = tree.current();
        let more = match engine.run(&candidate) {
            Err(f) => {
                best = candidate;
                failure = f;
                tree.simplify()
            }
            Ok(()) => tree.complicate(),
        };
        if !more || budget == 0 {
            break;
        }
    }
    engine.stats = stats;
    (best, failure)
}
