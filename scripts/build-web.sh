#!/usr/bin/env bash
# Builds the web app in release mode into frontend/dist and prints the size of its wasm
# bundle. Installs trunk, wasm-bindgen-cli and the npm packages when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

ensure_wasm_target
ensure_web_build_tools
ensure_web_node_packages

log "trunk build --release"
(
  cd frontend
  # npm's binaryen 132 provides wasm-opt; --skip-version-check keeps trunk off the network.
  PATH="$PWD/node_modules/.bin:$PATH" trunk --skip-version-check build --release --locked
)

for wasm in frontend/dist/*.wasm; do
  raw=$(stat -c %s "$wasm")
  gzipped=$(gzip -9 -c "$wasm" | wc -c)
  printf 'web app bundle: %s: %d bytes, %d bytes gzip -9\n' "$(basename "$wasm")" "$raw" "$gzipped"
done
