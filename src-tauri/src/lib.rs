//! The desktop shell: one window, a tray icon, desktop notifications, an in-app scheduler, and
//! commands that each borrow state, call one engine function on a blocking thread, and return
//! its typed result or `{code, message}` error.

mod background;
mod commands;
mod connections;
pub mod ipc;
mod managed;
pub mod notify;
mod picker;
mod scheduler;
mod teams;
mod tray;
mod work;

use std::path::PathBuf;
use std::sync::Mutex;

use chrono::Utc;
use reverie::api;
use reverie::model::AppSettings;
use reverie::{Error, Result};
use tauri::{AppHandle, Manager, WindowEvent};

/// Where the database lives; each command opens its own connection (WAL makes that cheap and
/// lets a long import run while the window keeps reading).
pub struct Db {
    pub path: PathBuf,
    pub running: background::Running,
    /// Team runs going on now, each with its stop flag.
    pub team_runs: background::Running,
    /// Chat answers streaming now.
    pub answering: work::Answering,
    /// The watcher keeping sources synced.
    pub watching: connections::Watching,
    /// Files the person picked in a native dialog: the only ones commands read or write.
    pub grants: picker::Grants,
    /// The stored settings, read at start-up and replaced by `save_settings`, so closing the
    /// window or finishing a dream need not open the database to know them.
    pub settings: Mutex<AppSettings>,
}

impl Db {
    pub fn settings(&self) -> AppSettings {
        *self.settings.lock().expect("lock")
    }
}

/// `--db PATH` on the command line picks another database (tests, or a second workspace).
fn db_path_from_args() -> Option<PathBuf> {
    let mut args = std::env::args_os().skip(1);
    while let Some(a) = args.next() {
        if a == "--db" {
            if let Some(p) = args.next() {
                return Some(PathBuf::from(p));
            }
        }
    }
    None
}

/// Started at login: stay in the tray until the person opens the window.
const HIDDEN_ARG: &str = "--hidden";

/// Bring the main window to the front, whatever state it was left in.
pub fn show_main(app: &AppHandle) {
    if let Some(w) = app.get_webview_window("main") {
        let _ = w.unminimize();
        let _ = w.show();
        let _ = w.set_focus();
    }
}

/// Register (or remove) Reverie with the system's login items; it then starts in the tray.
pub fn apply_start_at_login(app: &AppHandle, on: bool) -> Result<()> {
    use tauri_plugin_autostart::ManagerExt;
    let login = app.autolaunch();
    let done = match (on, login.is_enabled().unwrap_or(false)) {
        (true, _) => login.enable(),
        (false, true) => login.disable(),
        (false, false) => Ok(()),
    };
    done.map_err(|e| Error::SystemRefused(format!("could not change start at login: {e}")))
}

pub fn run() {
    let custom_db = db_path_from_args();
    let path = custom_db.clone().unwrap_or_else(api::default_db_path);
    // Open once at start-up so a database from a newer version is refused before the window
    // shows stale or broken screens; the UI still starts and shows the error on first call.
    // A dream cut off by a crash or kill is marked interrupted, so it does not block the next.
    let settings = match api::open(&path).and_then(|c| {
        api::dreams::recover_interrupted(&c, Utc::now())?;
        api::settings::get(&c)
    }) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("reverie: {e}");
            AppSettings::default()
        }
    };

    let ipc = ipc::builder();
    let mut builder = tauri::Builder::default();
    // A second launch on the everyday database focuses the first window instead of starting a
    // second scheduler. `--db` runs (tests, a second workspace) stay independent.
    if custom_db.is_none() {
        builder = builder.plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            show_main(app)
        }));
    }
    builder
        .plugin(tauri_plugin_dialog::init())
        .plugin(
            tauri_plugin_autostart::Builder::new()
                .arg(HIDDEN_ARG)
                .build(),
        )
        .manage(Db {
            path: path.clone(),
            running: Default::default(),
            team_runs: Default::default(),
            answering: Default::default(),
            watching: Default::default(),
            grants: Default::default(),
            settings: Mutex::new(settings),
        })
        .invoke_handler(ipc.invoke_handler())
        .setup(move |app| {
            ipc.mount_events(app);
            let handle = app.handle().clone();
            if let Err(e) = apply_start_at_login(&handle, settings.start_at_login) {
                eprintln!("reverie: {e}");
            }
            // Sources are watched while Reverie runs, and synced once now for what changed
            // while it was closed.
            connections::refresh(&handle);
            if let Err(e) = tray::create(&handle) {
                // No tray (e.g. a desktop without a status area): the app still works.
                eprintln!("reverie: no tray icon: {e}");
            }
            if std::env::args().any(|a| a == HIDDEN_ARG) {
                if let Some(w) = app.get_webview_window("main") {
                    let _ = w.hide();
                }
            }
            scheduler::start(handle, path.clone());
            Ok(())
        })
        .on_window_event(|window, event| {
            if let WindowEvent::CloseRequested { api, .. } = event {
                let app = window.app_handle();
                // Keep running in the tray so scheduled dreams still happen. A WebDriver
                // session (tauri-driver sets TAURI_WEBVIEW_AUTOMATION) closing the window
                // means the end of the run, not "keep dreaming in the background".
                let automated = std::env::var("TAURI_WEBVIEW_AUTOMATION").as_deref() == Ok("true");
                if app.state::<Db>().settings().close_to_tray && tray::exists(app) && !automated {
                    api.prevent_close();
                    let _ = window.hide();
                    tray::refresh(app);
                }
            }
        })
        .run(tauri::generate_context!())
        .expect("error while running Reverie");
}
