#!/usr/bin/env bash
# CI-sized fuzzing: runs each target in fuzz/ for TCO_FUZZ_SECONDS (default 60) with cargo-fuzz
# (libFuzzer), starting from the committed corpus. cargo-fuzz needs nightly compiler features:
# with a nightly toolchain installed it uses it; otherwise, on a stable-only machine, it sets
# RUSTC_BOOTSTRAP=1 for the fuzz build only. Without cargo-fuzz it says it skipped.
# One line per target, then "N passed, N failed". scripts/test.sh calls it.
set -uo pipefail
cd "$(dirname "$0")/../fuzz"
seconds=${TCO_FUZZ_SECONDS:-60}
targets=(auth_header soap_envelope jsonrpc_request customer_validation)

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz: skipped (cargo-fuzz is not installed: cargo install cargo-fuzz)"
  exit 0
fi
toolchain=()
if cargo +nightly --version >/dev/null 2>&1; then
  toolchain=(+nightly)
else
  export RUSTC_BOOTSTRAP=1
fi

passed=0 failed=0
for target in "${targets[@]}"; do
  found=$(mktemp -d)
  log=$(mktemp)
  if cargo "${toolchain[@]}" fuzz run "$target" "$found" "corpus/$target" -- \
      -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=65536 -timeout=10 >"$log" 2>&1; then
    runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -n 1)
    echo "fuzz $target ... ok (${runs:-?} executions in ${seconds}s)"
    passed=$((passed + 1))
  else
    echo "fuzz $target ... FAILED"; tail -n 40 "$log" | sed 's/^/    /'
    failed=$((failed + 1))
  fi
  rm -rf "$found" "$log"
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
