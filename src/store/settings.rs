//! The `settings` table: one key/value row each, for the app's preferences (notifications,
//! tray, start at login) and the chosen AI provider (`provider.*`; never the key itself).
//! A missing or unreadable preference falls back to its default.

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::Result;
use crate::model::AppSettings;

/// The stored value of `key`, if any.
pub fn get(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .optional()?)
}

/// Store `value` under `key`, or remove the key with `None`.
pub fn put(conn: &Connection, key: &str, value: Option<&str>) -> Result<()> {
    match value {
        Some(v) => conn.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = ?2",
            params![key, v],
        )?,
        None => conn.execute("DELETE FROM settings WHERE key = ?1", [key])?,
    };
    Ok(())
}

const NOTIFICATIONS: &str = "app.notifications";
const CLOSE_TO_TRAY: &str = "app.close_to_tray";
const START_AT_LOGIN: &str = "app.start_at_login";

fn flag(conn: &Connection, key: &str, default: bool) -> Result<bool> {
    Ok(match get(conn, key)?.as_deref() {
        Some("true") => true,
        Some("false") => false,
        _ => default,
    })
}

fn set_flag(conn: &Connection, key: &str, value: bool) -> Result<()> {
    put(conn, key, Some(if value { "true" } else { "false" }))
}

pub fn app(conn: &Connection) -> Result<AppSettings> {
    let d = AppSettings::default();
    Ok(AppSettings {
        notifications: flag(conn, NOTIFICATIONS, d.notifications)?,
        close_to_tray: flag(conn, CLOSE_TO_TRAY, d.close_to_tray)?,
        start_at_login: flag(conn, START_AT_LOGIN, d.start_at_login)?,
    })
}

/// Store every field at once (one transaction), and return what is now stored.
pub fn save_app(conn: &mut Connection, s: &AppSettings) -> Result<AppSettings> {
    let tx = conn.transaction()?;
    set_flag(&tx, NOTIFICATIONS, s.notifications)?;
    set_flag(&tx, CLOSE_TO_TRAY, s.close_to_tray)?;
    set_flag(&tx, START_AT_LOGIN, s.start_at_login)?;
    let saved = app(&tx)?;
    tx.commit()?;
    Ok(saved)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::db;

    #[test]
    fn defaults_until_saved_then_what_was_saved() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.db");
        let mut conn = db::open(&path).unwrap();
        assert_eq!(
            app(&conn).unwrap(),
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
        assert_eq!(save_app(&mut conn, &wanted).unwrap(), wanted);
        drop(conn);
        // A fresh connection (as the app's next start) reads the same.
        assert_eq!(app(&db::open(&path).unwrap()).unwrap(), wanted);
    }

    #[test]
    fn an_unreadable_value_falls_back_to_the_default() {
        let conn = db::open_in_memory().unwrap();
        conn.execute(
            "INSERT INTO settings (key, value) VALUES ('app.notifications', 'maybe')",
            [],
        )
        .unwrap();
        assert!(app(&conn).unwrap().notifications);
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
