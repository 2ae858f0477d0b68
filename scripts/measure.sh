#!/usr/bin/env bash
# Measures the release binary in a pseudo-terminal against the emulator, on loopback and
# with 150 ms of added latency, and prints Markdown for docs/performance.md.
#
#   scripts/measure.sh [--runs N] [--issues N]
#
# Needs Linux (/proc) and a release build, which this script makes.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release --quiet --bin jtui --example measure
# Absolute: the pty spawns the binary by path, and a relative one is looked up on PATH.
target="$(realpath "${CARGO_TARGET_DIR:-target}")"
measure="$target/release/examples/measure"
bin="$target/release/jtui"

echo "## Measured $(date -u +%Y-%m-%d) at $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
echo
"$measure" --bin "$bin" "$@"
# With latency, loading all 20,000 results page by page takes minutes; memory does not
# depend on latency, so it is measured once above.
"$measure" --bin "$bin" --latency 150ms --no-memory "$@"
