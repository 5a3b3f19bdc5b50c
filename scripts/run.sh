#!/usr/bin/env bash
# Builds and starts the server on the embedded defaults: SQLite under ./var and mail written
# to ./var/mail. Installs the build dependencies it misses (as root, through apt-get).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

ensure_build_deps
log "building and starting incert (release); stop it with Ctrl-C"
exec cargo run --release --locked -p incert-api --bin incert -- serve
