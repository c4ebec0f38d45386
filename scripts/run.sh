#!/usr/bin/env bash
# The project's main job (README "Main job"):
#   1. the deployability table: every program built for wasm32, processed as cargo-stylus does,
#      and gated (sizes, margin to the 24,576-byte limit, activation rules) — `stylus-build`;
#   2. the whole staking lifecycle on the embedded Stylus host, through the programs' Solidity
#      ABI, with a report per step and the accounting invariants checked after every step —
#      `lifecycle` (flags: --holders N, --days D, --verbose; see `--help`).
# Exit status: non-zero if the gate or the lifecycle failed (the lifecycle runs either way).
set -uo pipefail
cd "$(dirname "$0")/.."

gate=0
cargo run -q -p scripts --bin stylus-build || gate=$?
echo
life=0
cargo run -q -p scripts --bin lifecycle -- "$@" || life=$?

if [ "$gate" -ne 0 ]; then
    echo "main job: the deployability gate failed (stylus-build exit $gate)" >&2
    exit "$gate"
fi
exit "$life"
