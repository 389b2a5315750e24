//! All SQL: opening the database (`db`), and queries one module per domain concept. Functions
//! take a connection (or transaction) and `now` where they write; nothing here reads the clock.

pub mod agents;
pub mod db;
pub mod dreams;
pub mod edits;
pub mod flow;
pub mod grades;
pub mod managed;
pub mod memory;
pub mod progress;
pub mod schedule;
pub mod sessions;
pub mod settings;
pub mod teams;

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::types::Type;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Times are stored as fixed-width RFC 3339 UTC text so that text order is time order.
pub fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

pub fn parse_ts(s: &str, col: usize) -> rusqlite::Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(col, Type::Text, Box::new(e)))
}

pub fn get_ts(row: &rusqlite::Row, col: usize) -> rusqlite::Result<DateTime<Utc>> {
    parse_ts(&row.get::<_, String>(col)?, col)
}

pub fn get_opt_ts(row: &rusqlite::Row, col: usize) -> rusqlite::Result<Option<DateTime<Utc>>> {
    row.get::<_, Option<String>>(col)?
        .map(|s| parse_ts(&s, col))
        .transpose()
}

pub fn to_json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).expect("plain data always serializes")
}

pub fn get_json<T: DeserializeOwned>(row: &rusqlite::Row, col: usize) -> rusqlite::Result<T> {
    let s: String = row.get(col)?;
    serde_json::from_str(&s)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(col, Type::Text, Box::new(e)))
}
