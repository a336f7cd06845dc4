#!/usr/bin/env bash
# Search latency as a merchant's data grows (issue 28), in one command: builds the release binary
# and runs bench/searches.py (orders placed through the API to 50,000, then generated to
# 1,000,000, on SQLite and PostgreSQL). Results: target/bench/searches.md and searches.json.
# Arguments go to bench/searches.py (e.g. --backends sqlite --generated-sizes 10000,100000).
# PostgreSQL: TCO_BENCH_POSTGRES_URL, else the server at 127.0.0.1:5432 (database test).
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
command -v psql >/dev/null || { as_root apt-get update -qq; as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-client; }

cargo build --release --bin tco-gateway
exec python3 bench/searches.py "$@"
