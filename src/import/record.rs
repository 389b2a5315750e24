//! The session interchange record (DESIGN.md, "Session interchange format"): one JSON object
//! per line. Every other transcript format is converted into this before it is stored.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Utc};
use serde::{Deserialize, Serialize};

use crate::model::{Feedback, LineError, Message, Role, Scope, Verdict};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SessionRecord {
    pub id: String,
    /// Agent slug. Converters from formats without one leave it empty; the importer fills it in.
    #[serde(default)]
    pub agent: String,
    pub started_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: Scope,
    pub messages: Vec<Message>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub feedback: Vec<Feedback>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub outcomes: BTreeMap<String, bool>,
    /// Fields this version does not know; kept and written back on export.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// The result of reading a file: good records with the line they came from, and bad lines.
#[derive(Debug, Default)]
pub struct Parsed {
    pub records: Vec<(u64, SessionRecord)>,
    pub errors: Vec<LineError>,
}

impl SessionRecord {
    /// Checks serde cannot express: references between fields. The message says which field
    /// and how to fix it.
    pub fn check(&self) -> Result<(), String> {
        if self.id.trim().is_empty() {
            return Err("field `id` is empty; give each session an id unique for its agent".into());
        }
        if self.messages.is_empty() {
            return Err("field `messages` is empty; a session needs at least one message".into());
        }
        for (field, t) in [
            ("started_at", Some(self.started_at)),
            ("ended_at", self.ended_at),
        ] {
            if let Some(t) = t.filter(|t| !(1970..=2100).contains(&t.year())) {
                return Err(format!(
                    "field `{field}` is {}; Reverie reads dates from 1970 to 2100, so check the year",
                    t.to_rfc3339()
                ));
            }
        }
        if let Some(end) = self.ended_at {
            if end < self.started_at {
                return Err(format!(
                    "field `ended_at` ({end}) is before `started_at` ({}); swap or fix the times",
                    self.started_at
                ));
            }
        }
        let mut seen = std::collections::HashSet::new();
        for (i, f) in self.feedback.iter().enumerate() {
            let m = f.message as usize;
            match self.messages.get(m) {
                None => {
                    return Err(format!(
                        "field `feedback[{i}].message` is {m} but the session has {} messages (indexes 0 to {}); \
                         point it at an assistant message",
                        self.messages.len(),
                        self.messages.len() - 1
                    ))
                }
                Some(msg) if msg.role != Role::Assistant => {
                    return Err(format!(
                        "field `feedback[{i}].message` is {m}, a {} message; feedback must point at an assistant message",
                        msg.role.as_str()
                    ))
                }
                _ => {}
            }
            if !seen.insert(m) {
                return Err(format!(
                    "field `feedback[{i}]` gives a second verdict for message {m}; keep one per message"
                ));
            }
            if f.verdict == Verdict::Revised && f.final_text.as_deref().is_none_or(str::is_empty) {
                return Err(format!(
                    "field `feedback[{i}].final_text` is missing; a `revised` verdict needs the text the person used"
                ));
            }
        }
        Ok(())
    }
}

/// Turn a serde_json error on one line into "what, where, how to fix".
pub fn describe_json_error(e: &serde_json::Error) -> String {
    let msg = e.to_string();
    // serde_json appends " at line L column C"; within one line only the column matters.
    let msg = match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg,
    };
    let hint = if msg.contains("missing field") {
        "; add it (see the session format in the README)"
    } else if msg.contains("unknown variant") {
        ""
    } else if e.is_syntax() || e.is_eof() {
        "; each line must be one complete JSON object"
    } else {
        ""
    };
    format!("{msg} (column {}){hint}", e.column())
}
