#!/usr/bin/env bash
# The project's test command (README "Run the tests"): format and lint checks,
# the deployability gate (build, process, size and activation rules of every
# program), then every test in the workspace: unit and property tests of each
# program (motsu, natively) and the end-to-end tests that run the processed
# WASM on the embedded Stylus host.
set -euo pipefail
cd "$(dirname "$0")/.."

# Property tests draw their cases from a fixed seed here, so a CI run is
# reproducible (a failure names its case and proptest records it under
# proptest-regressions/). Set PROPTEST_RNG_SEED to explore other seeds;
# the long runs (`scripts --bin invariants`) draw fresh ones.
export PROPTEST_RNG_SEED="${PROPTEST_RNG_SEED:-20261124}"

echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy --workspace --all-targets -- -D warnings"
cargo clippy --workspace --all-targets -- -D warnings
echo "== deployability gate (scripts: stylus-build)"
cargo run -q -p scripts --bin stylus-build
echo "== cargo test --workspace"
cargo test --workspace
