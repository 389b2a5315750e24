//! The desktop shell: one window, and commands that each borrow state, call one engine
//! function on a blocking thread, and return its typed result or `{code, message}` error.

mod commands;

use std::path::PathBuf;

/// Where the database lives; each command opens its own connection (WAL makes that cheap and
/// lets a long import run while the window keeps reading).
pub struct Db {
    pub path: PathBuf,
}

/// `--db PATH` on the command line picks another database (tests, or a second workspace).
fn db_path_from_args() -> PathBuf {
    let mut args = std::env::args_os().skip(1);
    while let Some(a) = args.next() {
        if a == "--db" {
            if let Some(p) = args.next() {
                return PathBuf::from(p);
            }
        }
    }
    reverie::db::default_path()
}

pub fn run() {
    let path = db_path_from_args();
    // Open once at start-up so a database from a newer version is refused before the window
    // shows stale or broken screens; the UI still starts and shows the error on first call.
    if let Err(e) = reverie::db::open(&path) {
        eprintln!("reverie: {e}");
    }
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(Db { path })
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::list_agents,
            commands::get_agent,
            commands::list_sessions,
            commands::get_session,
            commands::list_memory,
            commands::import_file,
        ])
        .run(tauri::generate_context!())
        .expect("error while running Reverie");
}
