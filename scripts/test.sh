#!/usr/bin/env bash
# The whole test suite, as the README's second command: finds or starts PostgreSQL, installs the
# third-party clients, runs every test of the workspace (SQLite and PostgreSQL), then every
# example against a fresh gateway, then a minute of fuzzing per target where cargo-fuzz is
# installed, and ends with one summary line.
#
#   scripts/test.sh [extra cargo test arguments]
#
# Real clients: Debian's php-cli, php-curl and php-soap (installed when missing), and a Python
# virtualenv in target/client-venv with tests/clients/requirements.txt (requests,
# jsonrpcclient, zeep); TCO_SKIP_EXTERNAL_CLIENTS=1 skips them knowingly.
#
# PostgreSQL: TCO_TEST_POSTGRES_URL if set; else the server at 127.0.0.1:5432 (database
# `test`, trust auth) if it answers; else a throwaway cluster in a temporary directory,
# installing Debian's `postgresql` package first when no initdb is found.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[test.sh] %s\n' "$*" >&2; }

APT_UPDATED=
apt_install() {
  if [ -z "$APT_UPDATED" ]; then as_root apt-get update -qq; APT_UPDATED=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    log "need root to run: $*"; return 1
  fi
}

find_pg_bin() {
  local name=$1 candidate
  for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$candidate/$name" ]; then echo "$candidate/$name"; return 0; fi
  done
  command -v "$name" 2>/dev/null
}

pg_answers() {
  local url=$1
  if command -v psql >/dev/null; then
    psql "$url" -Atqc 'select 1' >/dev/null 2>&1
  else
    (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null
  fi
}

start_private_postgres() {
  local initdb pg_ctl
  initdb=$(find_pg_bin initdb || true)
  if [ -z "$initdb" ]; then
    log "no PostgreSQL found: installing Debian's postgresql package"
    apt_install postgresql
    initdb=$(find_pg_bin initdb)
  fi
  pg_ctl=$(dirname "$initdb")/pg_ctl
  [ -x "$pg_ctl" ] || pg_ctl=$(find_pg_bin pg_ctl)
  PG_DIR=$(mktemp -d /tmp/tco-pg.XXXXXX)
  local port=$((40000 + RANDOM % 20000))
  local run=()
  if [ "$(id -u)" -eq 0 ]; then
    # PostgreSQL refuses to run as root.
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown postgres "$PG_DIR"
    run=(runuser -u postgres --)
  fi
  PG_CTL=("${run[@]}" "$pg_ctl")
  "${run[@]}" "$initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 --no-sync >/dev/null
  "${PG_CTL[@]}" -D "$PG_DIR/data" -l "$PG_DIR/log" -w \
    -o "-p $port -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
  trap 'stop_private_postgres' EXIT
  export TCO_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/postgres"
  log "started a throwaway PostgreSQL on port $port"
}

stop_private_postgres() {
  "${PG_CTL[@]}" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
}

ensure_postgres() {
  # The outage test runs a server of its own, so the server binaries are needed in any case.
  if [ "${TCO_SKIP_POSTGRES:-}" != 1 ] && [ -z "$(find_pg_bin initdb || true)" ]; then
    log "installing Debian's postgresql package (server binaries for the outage test)"
    apt_install postgresql
  fi
  if [ -n "${TCO_TEST_POSTGRES_URL:-}" ]; then
    log "PostgreSQL from TCO_TEST_POSTGRES_URL"
  elif [ -z "${TCO_PRIVATE_POSTGRES:-}" ] && pg_answers "postgres://postgres@127.0.0.1:5432/test"; then
    export TCO_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:5432/test"
    log "PostgreSQL at 127.0.0.1:5432"
  else
    start_private_postgres
  fi
  # Each test works in a schema of its own; drop what earlier runs left behind.
  if command -v psql >/dev/null; then
    psql "$TCO_TEST_POSTGRES_URL" -Atqc "
      DO \$\$ DECLARE s text; BEGIN
        FOR s IN SELECT nspname FROM pg_namespace WHERE nspname LIKE 'tco\_test\_%' LOOP
          EXECUTE format('DROP SCHEMA %I CASCADE', s);
          COMMIT; -- one schema per transaction, or the locks of hundreds overflow the lock table
        END LOOP;
      END \$\$;" >/dev/null 2>&1 || true
  fi
}

ensure_clients() {
  if [ "${TCO_SKIP_EXTERNAL_CLIENTS:-}" = 1 ]; then
    log "external clients skipped (TCO_SKIP_EXTERNAL_CLIENTS=1)"
    return
  fi
  local missing=() module
  command -v php >/dev/null || missing+=(php-cli)
  for module in curl soap; do
    php -m 2>/dev/null | grep -qix "$module" || missing+=("php-$module")
  done
  # The hosted cart's browser test: Debian's Chromium and its WebDriver.
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  [ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    apt_install "${missing[@]}"
  fi
  local venv=target/client-venv requirements=tests/clients/requirements.txt
  if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv" 2>/dev/null || { apt_install python3-venv && python3 -m venv "$venv"; }
  fi
  if ! cmp -s "$requirements" "$venv/requirements.txt"; then
    log "installing the Python clients into $venv"
    "$venv/bin/pip" install -q --disable-pip-version-check -r "$requirements"
    cp "$requirements" "$venv/requirements.txt"
  fi
  export TCO_PYTHON="$PWD/$venv/bin/python"
}

ensure_postgres
ensure_clients

output=$(mktemp)
set +e
cargo test --workspace --no-fail-fast --color never "$@" 2>&1 | tee "$output"
status=${PIPESTATUS[0]}
set -e
passed=$(awk '/^test result:/ { for (i = 1; i <= NF; i++) if ($(i+1) ~ /^passed;?$/) s += $i } END { print s + 0 }' "$output")
failed=$(awk '/^test result:/ { for (i = 1; i <= NF; i++) if ($(i+1) ~ /^failed;?$/) s += $i } END { print s + 0 }' "$output")
rm -f "$output"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; log "cargo test failed outside a test (build?)"; fi

# The examples, against the binary cargo test just built.
if [ "${TCO_SKIP_EXTERNAL_CLIENTS:-}" = 1 ]; then
  log "examples skipped (TCO_SKIP_EXTERNAL_CLIENTS=1)"
else
  examples=$(mktemp)
  scripts/examples.sh | tee "$examples"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
  passed=$((passed + $(awk '/passed, .* failed$/ { print $1 }' "$examples" | tail -n 1)))
  failed=$((failed + $(awk '/passed, .* failed$/ { print $3 }' "$examples" | tail -n 1)))
  rm -f "$examples"
fi
# Fuzzing, CI-sized, where cargo-fuzz is installed (scripts/fuzz.sh says so when it is not).
fuzz=$(mktemp)
scripts/fuzz.sh | tee "$fuzz"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
if grep -q "passed, .* failed$" "$fuzz"; then
  passed=$((passed + $(awk '/passed, .* failed$/ { print $1 }' "$fuzz" | tail -n 1)))
  failed=$((failed + $(awk '/passed, .* failed$/ { print $3 }' "$fuzz" | tail -n 1)))
fi
rm -f "$fuzz"
echo "$passed passed, $failed failed"
exit "$status"
