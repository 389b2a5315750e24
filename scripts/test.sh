#!/usr/bin/env bash
# Every test: formatting and lints, engine and command-line tests (real SQLite files), the
# generated IPC (TypeScript bindings, capability, docs) against what is committed, quick
# benchmarks that fail when they miss their goals, UI checks and component tests, then
# end-to-end tests of the real app in a real WebKit window.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

# A CI clone builds once: incremental state would only double its disk use.
if [ "${CI:-}" = true ]; then export CARGO_INCREMENTAL=0; fi

step() { printf '\n==> %s\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "engine and command-line tests"
cargo test --quiet

# --- issue 6: the API key in a real OS keychain (kernel keyutils, then Secret Service). ---
# REVERIE_KEYCHAIN_REQUIRED=1 makes tests/llm_keychain.rs fail, not skip, without a backend.
step "keychain: kernel keyutils and Secret Service"
REVERIE_KEYCHAIN_REQUIRED=1 REVERIE_KEYCHAIN_BACKEND=keyutils \
  keyctl session - cargo test --quiet -p reverie-cli --test llm_keychain
(
  XDG_DATA_HOME=$(mktemp -d) XDG_RUNTIME_DIR=$(mktemp -d)
  export XDG_DATA_HOME XDG_RUNTIME_DIR
  chmod 700 "$XDG_RUNTIME_DIR"
  timeout 600 dbus-run-session -- bash -c '
    echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null
    REVERIE_KEYCHAIN_REQUIRED=1 REVERIE_KEYCHAIN_BACKEND=secret-service cargo test --quiet -p reverie-cli --test llm_keychain'
)
# --- end of the keychain block ---

step "quick benchmarks (goals: import >= 5,000 sessions/s; DreamBench quality and scaling)"
REVERIE_BENCH_QUICK=1 cargo bench --quiet --profile dev --bench import --bench dreambench --bench curator_tokens

# The shell embeds ui/dist, so the UI is built before anything compiles the shell.
npm --prefix ui run build --silent

step "generated IPC (bindings.ts, capability, docs/ipc.md) matches the Rust commands"
cargo test --quiet -p reverie-app --test ipc
GENERATED="ui/src/lib/bindings.ts src-tauri/capabilities/default.json docs/ipc.md"
# shellcheck disable=SC2086
if ! git diff --quiet --exit-code -- $GENERATED || [ -n "$(git ls-files --others --exclude-standard $GENERATED)" ]; then
  git status --short $GENERATED
  echo "the generated IPC drifted from the Rust commands: run 'cargo test -p reverie-app --test ipc' and commit the result" >&2
  exit 1
fi

step "UI: svelte-check and component tests"
npm --prefix ui run check --silent
npm --prefix ui test --silent

step "building the app"
cargo build -p reverie-app --quiet

step "clippy"
cargo clippy --workspace --all-targets --quiet -- -D warnings

step "notifications and end-to-end tests (real dunst, real window under Xvfb, WebDriver)"
rm -rf target/e2e-screenshots
export NO_AT_BRIDGE=1
export XDG_DATA_HOME XDG_RUNTIME_DIR E2E_HOME REVERIE_TEST_PICKS
XDG_DATA_HOME=$(mktemp -d) XDG_RUNTIME_DIR=$(mktemp -d)
# The native file dialog's answers under automation (see src-tauri/src/picker.rs).
REVERIE_TEST_PICKS=$(mktemp)
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
