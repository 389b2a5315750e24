//! The desktop shell: one window, and commands that each borrow state, call one engine
//! function on a blocking thread, and return its typed result or `{code, message}` error.

mod background;
mod commands;

use std::path::PathBuf;

/// Where the database lives; each command opens its own connection (WAL makes that cheap and
/// lets a long import run while the window keeps reading).
pub struct Db {
    pub path: PathBuf,
    pub running: background::Running,
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
    // A dream cut off by a crash or kill is marked interrupted, so it does not block the next.
    match reverie::db::open(&path).and_then(|c| commands::recover_interrupted(&c)) {
        Ok(_) => {}
        Err(e) => eprintln!("reverie: {e}"),
    }
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(Db {
            path,
            running: Default::default(),
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::list_agents,
            commands::get_agent,
            commands::update_agent,
            commands::create_demo,
            commands::list_sessions,
            commands::get_session,
            commands::list_scopes,
            commands::import_file,
            commands::list_memory,
            commands::add_memory,
            commands::edit_memory,
            commands::delete_memory,
            commands::memory_history,
            commands::export_memory,
            commands::get_rubric,
            commands::check_rubric,
            commands::parse_rubric_yaml,
            commands::save_rubric,
            commands::import_rubric_file,
            commands::export_rubric,
            commands::describe_schedule,
            commands::list_dreams,
            commands::get_dream,
            commands::start_dream,
            commands::cancel_dream,
            commands::approve_proposals,
            commands::reject_proposals,
            commands::undo_dream,
            commands::progress,
        ])
        .run(tauri::generate_context!())
        .expect("error while running Reverie");
}
