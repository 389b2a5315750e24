#!/usr/bin/env bash
# Every test: formatting and lints, engine tests (real SQLite files), TypeScript bindings drift,
# UI checks and component tests, then end-to-end tests of the real app in a real WebKit window.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

step() { printf '\n==> %s\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "engine tests"
cargo test --quiet

# --- issue 6: the API key in a real OS keychain (kernel keyutils, then Secret Service). ---
# REVERIE_KEYCHAIN_REQUIRED=1 makes tests/llm_keychain.rs fail, not skip, without a backend.
step "keychain: kernel keyutils and Secret Service"
REVERIE_KEYCHAIN_REQUIRED=1 REVERIE_KEYCHAIN_BACKEND=keyutils \
  keyctl session - cargo test --quiet --test llm_keychain
(
  XDG_DATA_HOME=$(mktemp -d) XDG_RUNTIME_DIR=$(mktemp -d)
  export XDG_DATA_HOME XDG_RUNTIME_DIR
  chmod 700 "$XDG_RUNTIME_DIR"
  timeout 600 dbus-run-session -- bash -c '
    echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null
    REVERIE_KEYCHAIN_REQUIRED=1 REVERIE_KEYCHAIN_BACKEND=secret-service cargo test --quiet --test llm_keychain'
)
# --- end of the keychain block ---

step "TypeScript bindings match the Rust types"
if ! git diff --quiet --exit-code -- ui/src/lib/bindings || [ -n "$(git ls-files --others --exclude-standard ui/src/lib/bindings)" ]; then
  git status --short ui/src/lib/bindings
  echo "ui/src/lib/bindings drifted from the Rust types: run 'cargo test' and commit the result" >&2
  exit 1
fi

step "UI: svelte-check and component tests"
npm --prefix ui run check --silent
npm --prefix ui test --silent

bash scripts/build-app.sh

step "clippy"
cargo clippy --workspace --all-targets --quiet -- -D warnings

step "notifications and end-to-end tests (real dunst, real window under Xvfb, WebDriver)"
rm -rf target/e2e-screenshots
export NO_AT_BRIDGE=1
export XDG_DATA_HOME XDG_RUNTIME_DIR E2E_HOME
XDG_DATA_HOME=$(mktemp -d) XDG_RUNTIME_DIR=$(mktemp -d)
# The app under test gets a HOME of its own: start at login writes ~/.config/autostart there.
E2E_HOME=$(mktemp -d)
chmod 700 "$XDG_RUNTIME_DIR"
timeout 900 xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- bash -c '
  set -e
  dunst >target/dunst.log 2>&1 &
  DUNST=$!
  trap "kill \$DUNST \${DRIVER:-} 2>/dev/null" EXIT
  for _ in $(seq 100); do
    dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
      org.freedesktop.DBus.NameHasOwner string:org.freedesktop.Notifications 2>/dev/null | grep -q true && break
    sleep .1
  done
  # A notification test that cannot reach a server fails here instead of skipping.
  REVERIE_REQUIRE_NOTIFY=1 cargo test --quiet -p reverie-app --test notify
  # A fresh kernel session keyring for the app, so the key test uses a real keychain.
  HOME="$E2E_HOME" REVERIE_KEYCHAIN_BACKEND=keyutils keyctl session - \
    .tools/bin/tauri-driver --port 4444 --native-port 4445 >target/tauri-driver.log 2>&1 &
  DRIVER=$!
  for _ in $(seq 100); do curl -sf localhost:4444/status | grep -q "\"ready\":true" && break; sleep .2; done
  APP="$PWD/target/debug/reverie-app" node tests/e2e/run.mjs
  bash tests/e2e/background-life.sh
'
echo
echo "Screenshots: target/e2e-screenshots/"
