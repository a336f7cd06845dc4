#!/usr/bin/env bash
# The benchmark in one command: installs wrk (Debian), Prism (npm) and matplotlib (PyPI) when
# missing, builds the release binaries, and runs bench/run.py. Results: target/bench/results.md,
# results.json and chart.png. Arguments go to bench/run.py (e.g. --duration 3 --backends sqlite).
# PostgreSQL: TCO_BENCH_POSTGRES_URL, else the server at 127.0.0.1:5432 (database test).
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
command -v wrk >/dev/null || { as_root apt-get update -qq; as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
command -v psql >/dev/null || { as_root apt-get update -qq; as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-client; }

mkdir -p target/bench/prism
if [ ! -x target/bench/prism/node_modules/.bin/prism ]; then
  (cd target/bench/prism && npm install --no-audit --no-fund --silent @stoplight/prism-cli@5)
fi
venv=target/bench/venv
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c 'import matplotlib' 2>/dev/null || "$venv/bin/pip" install -q --disable-pip-version-check 'matplotlib>=3.7,<4'

cargo build --release --bin tco-gateway --bin tco-bench-baseline
exec "$venv/bin/python" bench/run.py "$@"
