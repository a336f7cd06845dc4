#!/usr/bin/env bash
# The order export at scale (issue 30), in one command: builds the release binary and runs
# bench/export.py (10,000, 100,000 and 1,000,000 generated orders on SQLite, or the sizes given; the year's export streamed as
# CSV; time, size and the gateway's memory). Results: target/bench/export.md.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --bin tco-gateway
exec python3 bench/export.py "$@"
