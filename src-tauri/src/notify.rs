//! Desktop notifications about dreams, through notify-rust (the freedesktop notification server
//! on Linux, Notification Center on macOS, toasts on Windows). The words come from the engine
//! (`reverie::notice`); this module sends them. Where the server reports clicks (Linux), a
//! click shows the window and emits `open-dream` so the window opens that dream's review.

use reverie::api::{self, Connection};
use reverie::model::{Dream, OpenDream};
use tauri::AppHandle;

use crate::ipc::OpenDreamRequested;
use crate::Db;

/// How notifications name the app; the icon and the desktop entry (`Reverie.desktop`) are
/// the names the `.deb` installs.
pub const APP_NAME: &str = "Reverie";
pub const ICON: &str = "reverie-app";
pub const DESKTOP_ENTRY: &str = "Reverie";
/// The action a click on the notification's body triggers (freedesktop's convention).
pub const OPEN_ACTION: &str = "default";

/// Show one notification now. Blocks for one round trip to the notification server, so call
/// it off the window's thread.
pub fn send(
    summary: &str,
    body: &str,
) -> notify_rust::error::Result<notify_rust::NotificationHandle> {
    let mut note = notify_rust::Notification::new();
    note.appname(APP_NAME)
        .summary(summary)
        .body(body)
        .icon(ICON)
        .action(OPEN_ACTION, "Review");
    #[cfg(all(unix, not(target_os = "macos")))]
    note.hint(notify_rust::Hint::DesktopEntry(DESKTOP_ENTRY.into()));
    note.show()
}

/// Notify about a dream that ended, if the person wants notifications and the dream deserves
/// one. Never fails the caller: a missing notification server only costs the notification.
pub fn dream_finished(app: &AppHandle, conn: &Connection, dream: &Dream) {
    let Some(db) = tauri::Manager::try_state::<Db>(app) else {
        return;
    };
    if !db.settings().notifications {
        return;
    }
    let Some(n) = api::dreams::notice(conn, dream) else {
        return;
    };
    let app = app.clone();
    let agent = dream.agent.clone();
    // The waiting thread lives until the notification is clicked or closed.
    std::thread::spawn(move || match send(&n.summary, &n.body) {
        Ok(handle) => wait_for_click(app, handle, n.dream_id, agent),
        Err(e) => eprintln!("reverie: could not show a notification: {e}"),
    });
}

/// A plain message (e.g. why "Dream now" in the tray could not start), if notifications are on.
pub fn message(app: &AppHandle, summary: &str, body: &str) {
    let on = tauri::Manager::try_state::<Db>(app).is_some_and(|db| db.settings().notifications);
    if !on {
        return;
    }
    let (summary, body) = (summary.to_string(), body.to_string());
    std::thread::spawn(move || {
        if let Err(e) = send(&summary, &body) {
            eprintln!("reverie: could not show a notification: {e}");
        }
    });
}

#[cfg(all(unix, not(target_os = "macos")))]
fn wait_for_click(
    app: AppHandle,
    handle: notify_rust::NotificationHandle,
    dream_id: i64,
    agent: String,
) {
    handle.wait_for_action(|action| {
        if action == OPEN_ACTION {
            crate::show_main(&app);
            crate::background::emit(&app, OpenDreamRequested(OpenDream { dream_id, agent }));
        }
    });
}

/// macOS and Windows do not report clicks back through notify-rust reliably; the
/// notification only informs there.
#[cfg(not(all(unix, not(target_os = "macos"))))]
fn wait_for_click(
    _app: AppHandle,
    _handle: notify_rust::NotificationHandle,
    _dream_id: i64,
    _agent: String,
) {
}
