#!/usr/bin/env bash
# Runs every check and test. Starts a throwaway PostgreSQL cluster and an SMTP server on free
# loopback ports, and removes them on exit. Installs what is missing (as root, through
# apt-get, pip and rustup).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

ensure_build_deps
ensure_postgres_server
ensure_smtp_server "$PWD/target/test-venv"
ensure_wasm_target
ensure_web_build_tools
ensure_chromium

work=$(mktemp -d)
pg_bin=$(postgres_bin_dir)
smtp_pid=""
cleanup() {
  [ -n "$smtp_pid" ] && kill "$smtp_pid" 2>/dev/null || true
  if [ -f "$work/pg/PG_VERSION" ]; then
    runuser -u postgres -- "$pg_bin/pg_ctl" -D "$work/pg" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

pg_port=$(free_port)
log "starting PostgreSQL on 127.0.0.1:$pg_port"
start_throwaway_postgres "$work" "$pg_port" -c max_connections=300
export INCERT_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$pg_port/postgres"

smtp_port=$(free_port)
log "starting the SMTP server on 127.0.0.1:$smtp_port"
export INCERT_TEST_MAILDIR="$work/maildir"
export INCERT_TEST_PYTHON="$PWD/target/test-venv/bin/python"
"$INCERT_TEST_PYTHON" -m aiosmtpd -n -l "127.0.0.1:$smtp_port" -c aiosmtpd.handlers.Mailbox "$INCERT_TEST_MAILDIR" \
  >"$work/smtp.log" 2>&1 &
smtp_pid=$!
wait_for_port "$smtp_port"
export INCERT_TEST_SMTP_PORT="$smtp_port"

log "cargo fmt --check"
cargo fmt --all --check
log "cargo clippy"
cargo clippy --locked --workspace --all-targets -- -D warnings
log "shared crates build for wasm32"
cargo check --locked -p incert-domain -p incert-contract -p incert-client --target wasm32-unknown-unknown
log "web app: cargo fmt --check and clippy for wasm32"
(cd frontend && cargo fmt --check && cargo clippy --locked --target wasm32-unknown-unknown -- -D warnings)
log "web app: component tests in headless Chromium"
# frontend/.cargo/config.toml makes wasm-bindgen-test-runner the runner, which reads the
# browser flags from frontend/webdriver.json.
(
  cd frontend
  CHROMEDRIVER=$(command -v chromedriver) cargo test --locked --target wasm32-unknown-unknown
) 2>&1 | tee "$work/web-test.log"
log "cargo test"
cargo test --locked --workspace 2>&1 | tee "$work/test.log"

log "web app: release build"
scripts/build-web.sh
log "web app: end-to-end tests in headless Chromium"
cargo build --locked -q -p incert-api --bin incert
e2e_status=0
: >"$work/e2e.tap"
(
  cd frontend
  E2E_SERVER_BIN="${CARGO_TARGET_DIR:-$PWD/../target}/debug/incert" node --test \
    --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$work/e2e.tap" e2e/
) || e2e_status=$?

# One closing line over every test binary, the web app's component tests and the browser
# tests, since cargo's last line is often a binary with no tests (doc tests of a crate without
# any).
awk '
  /^test result:/ { passed += $4; failed += $6 }
  /^# pass / { passed += $3 }
  /^# fail / { failed += $3 }
  END { printf "summary: %d passed, %d failed\n", passed, failed }
' "$work/test.log" "$work/web-test.log" "$work/e2e.tap"
exit "$e2e_status"
