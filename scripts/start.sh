#!/usr/bin/env bash
# Set everything up, build, and launch Reverie.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build-app.sh
echo "==> launching Reverie"
exec target/debug/reverie-app "$@"
