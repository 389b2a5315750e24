#!/usr/bin/env bash
# Build the UI and the desktop app (debug). The UI is embedded into the binary.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "==> building the UI"
npm --prefix ui run build --silent
echo "==> building the app"
cargo build -p reverie-app --quiet
