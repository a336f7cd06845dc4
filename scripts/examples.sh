#!/usr/bin/env bash
# Runs every example in examples/ against a fresh gateway (the debug binary, a new SQLite file,
# the demo merchant), so the examples never rot. scripts/test.sh calls it after the test suite;
# it needs the binary and the Rust example built (cargo test builds both), php, and the Python
# named by TCO_PYTHON (or python3) with requests and zeep. Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

python=${TCO_PYTHON:-python3}
work=$(mktemp -d /tmp/tco-examples.XXXXXX)
gateway_pid=
cleanup() {
  [ -n "$gateway_pid" ] && kill "$gateway_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

target/debug/tco-gateway --listen 127.0.0.1:0 --database "$work/gateway.db" --log info 2>"$work/gateway.log" &
gateway_pid=$!
url=
for _ in $(seq 100); do
  url=$(sed -n 's/.*\(http:\/\/[0-9.:]*\)\/rest\/6.0\/.*/\1/p' "$work/gateway.log" | head -n 1)
  [ -n "$url" ] && break
  sleep 0.1
done
if [ -z "$url" ]; then
  echo "the gateway did not start:"; cat "$work/gateway.log"
  echo "0 passed, 1 failed"
  exit 1
fi

passed=0 failed=0
# run NAME COMMAND...: the example must succeed, create a customer and show no fault or error.
run() {
  local name=$1; shift
  if TCO_URL=$url "$@" >"$work/out" 2>&1 \
      && grep -q "created customer [0-9]" "$work/out" \
      && ! grep -qiE "Fault>|\"error\"|error_code" "$work/out"; then
    echo "example $name ... ok"
    passed=$((passed + 1))
  else
    echo "example $name ... FAILED"; sed 's/^/    /' "$work/out" | head -n 40
    failed=$((failed + 1))
  fi
}

run curl/rest.sh bash examples/curl/rest.sh
run curl/jsonrpc.sh bash examples/curl/jsonrpc.sh
run curl/soap.sh bash examples/curl/soap.sh
run php/soap.php php examples/php/soap.php
run php/jsonrpc.php php examples/php/jsonrpc.php
run python/rest_requests.py "$python" examples/python/rest_requests.py
run python/soap_zeep.py "$python" examples/python/soap_zeep.py
run rust/flow.rs target/debug/examples/flow

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
