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
