//! The app's own preferences: notifications, close to tray, start at login.

use rusqlite::Connection;

use crate::error::Result;
use crate::model::AppSettings;

pub fn get(conn: &Connection) -> Result<AppSettings> {
    crate::store::settings::app(conn)
}

/// Store every preference at once and return what is now stored.
pub fn save(conn: &mut Connection, settings: &AppSettings) -> Result<AppSettings> {
    crate::store::settings::save_app(conn, settings)
}
