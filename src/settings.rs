//! The app's own preferences (notifications, tray, start at login), kept in the database's
//! `settings` table as one key/value row each, so they travel with the rest of the workspace.
//! A missing or unreadable value falls back to its default.

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::Result;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AppSettings {
    /// A desktop notification when a dream finishes or fails.
    pub notifications: bool,
    /// Closing the window keeps Reverie running in the tray, so scheduled dreams still happen.
    pub close_to_tray: bool,
    /// Start Reverie (in the tray) when the person logs in.
    pub start_at_login: bool,
}

impl Default for AppSettings {
    fn default() -> Self {
        AppSettings {
            notifications: true,
            close_to_tray: true,
            start_at_login: false,
        }
    }
}

const NOTIFICATIONS: &str = "app.notifications";
const CLOSE_TO_TRAY: &str = "app.close_to_tray";
const START_AT_LOGIN: &str = "app.start_at_login";

fn flag(conn: &Connection, key: &str, default: bool) -> Result<bool> {
    let value: Option<String> = conn
        .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .optional()?;
    Ok(match value.as_deref() {
        Some("true") => true,
        Some("false") => false,
        _ => default,
    })
}

fn set_flag(conn: &Connection, key: &str, value: bool) -> Result<()> {
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = ?2",
        params![key, if value { "true" } else { "false" }],
    )?;
    Ok(())
}

pub fn get(conn: &Connection) -> Result<AppSettings> {
    let d = AppSettings::default();
    Ok(AppSettings {
        notifications: flag(conn, NOTIFICATIONS, d.notifications)?,
        close_to_tray: flag(conn, CLOSE_TO_TRAY, d.close_to_tray)?,
        start_at_login: flag(conn, START_AT_LOGIN, d.start_at_login)?,
    })
}

/// Store every field at once (one transaction), and return what is now stored.
pub fn save(conn: &mut Connection, s: &AppSettings) -> Result<AppSettings> {
    let tx = conn.transaction()?;
    set_flag(&tx, NOTIFICATIONS, s.notifications)?;
    set_flag(&tx, CLOSE_TO_TRAY, s.close_to_tray)?;
    set_flag(&tx, START_AT_LOGIN, s.start_at_login)?;
    let saved = get(&tx)?;
    tx.commit()?;
    Ok(saved)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db;

    #[test]
    fn defaults_until_saved_then_what_was_saved() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.db");
        let mut conn = db::open(&path).unwrap();
        assert_eq!(
            get(&conn).unwrap(),
            AppSettings {
                notifications: true,
                close_to_tray: true,
                start_at_login: false
            }
        );
        let wanted = AppSettings {
            notifications: false,
            close_to_tray: false,
            start_at_login: true,
        };
        assert_eq!(save(&mut conn, &wanted).unwrap(), wanted);
        drop(conn);
        // A fresh connection (as the app's next start) reads the same.
        assert_eq!(get(&db::open(&path).unwrap()).unwrap(), wanted);
    }

    #[test]
    fn an_unreadable_value_falls_back_to_the_default() {
        let conn = db::open_in_memory().unwrap();
        conn.execute(
            "INSERT INTO settings (key, value) VALUES ('app.notifications', 'maybe')",
            [],
        )
        .unwrap();
        assert!(get(&conn).unwrap().notifications);
    }

    #[test]
    fn crosses_ipc_in_snake_case() {
        let v = serde_json::to_value(AppSettings::default()).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"notifications": true, "close_to_tray": true, "start_at_login": false})
        );
    }
}
