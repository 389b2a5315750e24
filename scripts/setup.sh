#!/usr/bin/env bash
# Install everything Reverie needs to build and test on Debian/Ubuntu: system packages, the UI's
# npm packages, and tauri-driver for the end-to-end tests. Safe to run again; skips what is there.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  libwebkit2gtk-4.1-dev build-essential curl wget file libxdo-dev libssl-dev
  libayatana-appindicator3-dev librsvg2-dev pkg-config
  xvfb xauth dbus dbus-x11 webkit2gtk-driver gnome-keyring libsecret-tools keyutils
  dunst imagemagick x11-apps xdotool fonts-noto-color-emoji python3 sqlite3
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> installing system packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v cargo >/dev/null; then
  echo "Rust is not installed: see https://rustup.rs, then run this again." >&2
  exit 1
fi
if ! command -v npm >/dev/null; then
  echo "==> installing Node.js and npm"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi

echo "==> installing the UI's packages"
(cd ui && npm ci --no-audit --no-fund --loglevel=error)

if [ ! -x .tools/bin/tauri-driver ]; then
  echo "==> installing tauri-driver"
  cargo install tauri-driver --locked --version '^2' --root .tools --quiet
fi
