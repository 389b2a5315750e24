#!/usr/bin/env bash
# The app's life outside its window, without WebDriver (which closes windows for real): closing
# the window keeps Reverie running in the tray, the tray's "Open Reverie" and a second launch
# bring the window back, and with close_to_tray off closing quits. Run inside Xvfb and a session
# D-Bus (scripts/test.sh does); uses the default database in a temporary XDG_DATA_HOME.
set -euo pipefail
cd "$(dirname "$0")/../.."
APP=${APP:-$PWD/target/debug/reverie-app}
MENU=/org/ayatana/NotificationItem/tray_icon_tray_app_main/Menu
export XDG_DATA_HOME
XDG_DATA_HOME=$(mktemp -d)
P=
trap '[ -n "$P" ] && kill $P 2>/dev/null; true' EXIT

fail() { echo "FAIL background life: $*"; exit 1; }
visible() { xdotool search --onlyvisible --name '^Reverie$' 2>/dev/null | wc -l; }
wait_for() { # wait_for DESCRIPTION COMMAND...: up to 10 s
  local what=$1; shift
  for _ in $(seq 50); do "$@" && return 0; sleep .2; done
  fail "timed out waiting for $what"
}
shown() { [ "$(visible)" -ge 1 ]; }
hidden() { [ "$(visible)" -eq 0 ]; }
running() { kill -0 "$P" 2>/dev/null; }
stopped() { ! running; }
close_window() { python3 tests/e2e/wm_close.py "$(xdotool search --onlyvisible --name '^Reverie$' | head -1)"; }
tray_click() { # tray_click LABEL: click a tray menu item over D-Bus, as a desktop panel does
  local names n layout id
  names=$(dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.ListNames | grep -o '":[0-9.]*"' | tr -d '"')
  for n in $names; do
    layout=$(gdbus call --session --dest "$n" --object-path $MENU \
      --method com.canonical.dbusmenu.GetLayout -- 0 -1 '["label"]' 2>/dev/null) || continue
    id=$(grep -o "([0-9]*, {'label': <'$1'>" <<<"$layout" | grep -o '^([0-9]*' | tr -d '(')
    [ -n "$id" ] || fail "no \"$1\" in the tray menu: $layout"
    gdbus call --session --dest "$n" --object-path $MENU --method com.canonical.dbusmenu.Event \
      -- "$id" clicked '<0>' 0 >/dev/null
    return 0
  done
  fail "no tray menu on the session bus"
}

"$APP" >target/background-life.log 2>&1 &
P=$!
wait_for "the window" shown
sleep 1
close_window
wait_for "the window to hide" hidden
running || fail "closing the window quit the app (close_to_tray is on by default)"
tray_click "Open Reverie"
wait_for "the tray's Open Reverie to show the window" shown
close_window
wait_for "the window to hide again" hidden
timeout 20 "$APP" || fail "a second launch did not hand over to the first"
wait_for "a second launch to show the first window" shown
[ "$(visible)" -eq 1 ] || fail "a second launch opened a second window"

# With close_to_tray off, closing the window quits.
kill $P
wait $P 2>/dev/null || true
sqlite3 "$XDG_DATA_HOME/Reverie/reverie.db" \
  "INSERT OR REPLACE INTO settings (key, value) VALUES ('app.close_to_tray', 'false')"
"$APP" >>target/background-life.log 2>&1 &
P=$!
wait_for "the window" shown
sleep 1
close_window
wait_for "the app to quit when close_to_tray is off" stopped
P=
echo "ok   background life: close to tray, Open Reverie, second launch, close quits when asked"
