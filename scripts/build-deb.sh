#!/usr/bin/env bash
# Build the Linux installer: a release build with the UI embedded, packaged as a .deb in
# target/release/bundle/deb/. Install it with: sudo apt-get install ./target/release/bundle/deb/*.deb
# About 5 minutes on 2 cores; not part of scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x ui/node_modules/.bin/tauri ] || bash scripts/setup.sh
# Run from src-tauri/ so the CLI finds the shell's crate (the workspace root is the engine).
# tauri.conf.json's beforeBuildCommand builds the UI first.
(cd src-tauri && ../ui/node_modules/.bin/tauri build --ci --bundles deb)
deb=$(ls -t target/release/bundle/deb/*.deb | head -1)
echo
echo "Built $deb ($(du -h "$deb" | cut -f1))"
dpkg-deb --info "$deb" | sed -n '/Package:/,/Description:/p'
