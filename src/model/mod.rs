//! The domain of DESIGN.md as plain data: what the store returns, the CLI prints as JSON and
//! the UI receives over IPC (its TypeScript types are generated from these, see `src-tauri`).
//! One file per concept.

mod agent;
mod app;
mod dream;
mod flow;
mod import;
mod managed;
mod memory;
mod progress;
mod provider;
mod schedule;
mod session;
mod team;

use std::collections::BTreeMap;

pub use agent::*;
pub use app::*;
pub use dream::*;
pub use flow::*;
pub use import::*;
pub use managed::*;
pub use memory::*;
pub use progress::*;
pub use provider::*;
pub use schedule::*;
pub use session::*;
pub use team::*;

/// Tags that scope a session or a memory entry, e.g. `{"client": "Harbour Tea"}`.
/// An empty map is the team-wide (global) scope.
pub type Scope = BTreeMap<String, String>;

/// "Team-wide" for the empty scope, else "client: Harbour Tea" (pairs joined by " · ").
pub fn scope_label(scope: &Scope) -> String {
    if scope.is_empty() {
        "Team-wide".into()
    } else {
        scope
            .iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect::<Vec<_>>()
            .join(" · ")
    }
}

/// A value that is not one of an enum's texts, e.g. a status no version of Reverie wrote.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{value}\" is not a {what}; expected one of: {}", .allowed.join(", "))]
pub struct UnknownValue {
    pub what: &'static str,
    pub value: String,
    pub allowed: &'static [&'static str],
}

/// Declares an enum whose text form (JSON, database column, command line) is written once per
/// variant. Serde, `as_str`, `FromStr` and the SQL conversions all use that one text, and an
/// unknown text is an error, never a silent fallback.
#[macro_export]
macro_rules! text_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "specta", derive(specta::Type))]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $text)] $variant ),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $( $name::$variant => $text ),+ }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::model::UnknownValue;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $( $text => Ok($name::$variant), )+
                    _ => Err($crate::model::UnknownValue {
                        what: stringify!($name),
                        value: s.to_string(),
                        allowed: &[$($text),+],
                    }),
                }
            }
        }

        impl rusqlite::types::ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                Ok(self.as_str().into())
            }
        }

        impl rusqlite::types::FromSql for $name {
            fn column_result(v: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
                v.as_str()?
                    .parse()
                    .map_err(|e| rusqlite::types::FromSqlError::Other(Box::new(e)))
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_enums_agree_in_json_sql_and_text_and_refuse_unknown_values() {
        for s in DreamStatus::ALL {
            let json = serde_json::to_value(s).unwrap();
            assert_eq!(json, s.as_str());
            assert_eq!(s.as_str().parse::<DreamStatus>().unwrap(), *s);
        }
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let back: Decision = conn
            .query_row("SELECT ?1", [Decision::Superseded], |r| r.get(0))
            .unwrap();
        assert_eq!(back, Decision::Superseded);
        let e = conn
            .query_row("SELECT 'maybe'", [], |r| r.get::<_, Decision>(0))
            .unwrap_err();
        assert!(e.to_string().contains("\"maybe\" is not a Decision"), "{e}");
        assert!("Failed".parse::<DreamStatus>().is_err());
        assert!(serde_json::from_str::<Verdict>("\"approved\"").is_err());
    }
}
