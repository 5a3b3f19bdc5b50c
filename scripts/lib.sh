# Shared helpers of run.sh, test.sh and bench.sh: install what is missing, find free ports.
# Sourced, not run.

log() { printf '==> %s\n' "$*" >&2; }

apt_updated=0
apt_install() {
  if [ "$(id -u)" -ne 0 ]; then
    log "missing Debian packages: $*; install them with: sudo apt-get install -y $*"
    return 1
  fi
  if [ "$apt_updated" -eq 0 ]; then
    log "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    apt_updated=1
  fi
  log "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# Tools and C libraries the Rust build needs: a C compiler for the bundled SQLite and libpq
# for diesel's PostgreSQL backend.
ensure_build_deps() {
  command -v cargo >/dev/null || { log "cargo not found: install Rust with rustup first"; return 1; }
  local missing=()
  command -v cc >/dev/null || missing+=(gcc libc6-dev)
  command -v pkg-config >/dev/null || missing+=(pkg-config)
  pkg-config --exists libpq 2>/dev/null || missing+=(libpq-dev)
  if [ "${#missing[@]}" -gt 0 ]; then apt_install "${missing[@]}"; fi
}

postgres_bin_dir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$dir" ] && [ -x "$dir/initdb" ] && printf '%s\n' "$dir"
}

ensure_postgres_server() {
  postgres_bin_dir >/dev/null || apt_install postgresql
  postgres_bin_dir >/dev/null || { log "PostgreSQL server binaries not found"; return 1; }
}

# A Python virtual environment with aiosmtpd, the SMTP server the tests deliver to, PyYAML,
# which the tests use to read docker-compose.yml, and schemathesis, which fuzzes the API
# against its OpenAPI document.
ensure_smtp_server() {
  local venv=$1
  ensure_aiosmtpd "$venv"
  if ! "$venv/bin/python" -c 'import yaml' 2>/dev/null; then
    log "installing PyYAML into $venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check 'PyYAML>=6,<7'
  fi
  if [ ! -x "$venv/bin/schemathesis" ]; then
    log "installing schemathesis into $venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check 'schemathesis>=4.32,<5'
  fi
}

# A Python virtual environment with aiosmtpd alone, which the benchmark needs.
ensure_aiosmtpd() {
  local venv=$1
  if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv" 2>/dev/null || { apt_install python3-venv && python3 -m venv "$venv"; }
  fi
  if ! "$venv/bin/python" -c 'import aiosmtpd' 2>/dev/null; then
    log "installing aiosmtpd into $venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check 'aiosmtpd>=1.4,<2'
  fi
}

ensure_wasm_target() {
  rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown \
    || rustup target add wasm32-unknown-unknown
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

wait_for_port() {
  local port=$1 tries=100
  until python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', $port), 0.2)" 2>/dev/null; do
    tries=$((tries - 1))
    [ "$tries" -gt 0 ] || { log "nothing listens on port $port"; return 1; }
    sleep 0.1
  done
}

# Creates and starts a throwaway PostgreSQL cluster in DIR/pg on 127.0.0.1:PORT, without
# durability, with its socket in DIR and its log in DIR/pg.log. Further arguments are extra
# server options, such as "-c max_connections=300".
start_throwaway_postgres() {
  local dir=$1 port=$2 pg_bin
  shift 2
  pg_bin=$(postgres_bin_dir)
  chown postgres:postgres "$dir" 2>/dev/null || true
  as_postgres "$pg_bin/initdb" -D "$dir/pg" -U postgres -A trust -E UTF8 --no-sync >/dev/null
  as_postgres "$pg_bin/pg_ctl" -D "$dir/pg" -l "$dir/pg.log" -w -o \
    "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off $*" \
    start >/dev/null
}

# Runs a command as the postgres user when running as root.
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# The wasm-bindgen version the web app's Cargo.lock pins; the CLI must be the same version.
web_wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' frontend/Cargo.lock
}

# trunk and wasm-bindgen-cli, installed into ~/.cargo/bin when missing or of another version.
# The first install compiles them, about twelve minutes on two cores.
ensure_web_build_tools() {
  local trunk_version=0.21.14 bindgen_version
  bindgen_version=$(web_wasm_bindgen_version)
  [ -n "$bindgen_version" ] || { log "no wasm-bindgen version in frontend/Cargo.lock"; return 1; }
  if [ "$(trunk --version 2>/dev/null)" != "trunk $trunk_version" ]; then
    log "installing trunk $trunk_version"
    cargo install --locked "trunk@$trunk_version"
  fi
  if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $bindgen_version" ]; then
    log "installing wasm-bindgen-cli $bindgen_version"
    # Without --locked: the CLI's lockfile pins a crate version that crates.io no longer has.
    cargo install --force "wasm-bindgen-cli@$bindgen_version"
  fi
}

# Node.js with npm, and the web app's npm packages (wasm-opt from binaryen, playwright-core)
# as frontend/package-lock.json pins them.
ensure_web_node_packages() {
  command -v npm >/dev/null || apt_install nodejs npm
  # npm ci wipes node_modules, so it runs only when the lockfile changed since the last one.
  local stamp=frontend/node_modules/.incert-package-lock.json
  if ! cmp -s frontend/package-lock.json "$stamp"; then
    log "installing the web app's npm packages"
    (cd frontend && npm ci --no-audit --no-fund --loglevel=error)
    cp frontend/package-lock.json "$stamp"
  fi
}

# Chromium and chromedriver for the browser tests: playwright-core drives Chromium directly,
# and one test drives it through chromedriver's WebDriver interface.
ensure_chromium() {
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    apt_install chromium chromium-driver
  fi
}
