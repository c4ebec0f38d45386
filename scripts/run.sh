#!/usr/bin/env bash
# The project's main job (README "Main job").
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run -q -p scripts --bin stylus-build -- "$@"
