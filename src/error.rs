//! The engine's one error type. Every error has a stable [`ErrorCode`] the UI and scripts can
//! branch on, and a message written for the person reading it (what, where, how to fix).

use serde::Serialize;
use ts_rs::TS;

/// Stable machine-readable error codes. They cross the IPC boundary and appear in `--json`
/// output, so renaming one is a breaking change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ErrorCode {
    NotFound,
    InvalidInput,
    InvalidRubric,
    DatabaseTooNew,
    Database,
    Io,
    Conflict,
    Canceled,
    NotAvailable,
    /// The LLM provider refused the API key (HTTP 401/403): the UI points to Settings.
    KeyRefused,
    /// The LLM provider failed (network, rate limits after retries, a bad answer).
    ProviderFailed,
    Internal,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    InvalidInput(String),
    #[error("{0}")]
    InvalidRubric(String),
    #[error(
        "this database was written by a newer version of Reverie (schema {found}, this version knows up to {known}); \
         update Reverie to open it"
    )]
    DatabaseTooNew { found: i64, known: i64 },
    #[error("database error: {0}")]
    Database(#[from] rusqlite::Error),
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Conflict(String),
    #[error("canceled")]
    Canceled,
    #[error("{0}")]
    NotAvailable(String),
    #[error("the key was refused; check it in Settings")]
    KeyRefused,
    #[error("{0}")]
    ProviderFailed(String),
    #[error("{0}")]
    Internal(String),
}

impl Error {
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::NotFound(_) => ErrorCode::NotFound,
            Error::InvalidInput(_) => ErrorCode::InvalidInput,
            Error::InvalidRubric(_) => ErrorCode::InvalidRubric,
            Error::DatabaseTooNew { .. } => ErrorCode::DatabaseTooNew,
            Error::Database(_) => ErrorCode::Database,
            Error::Io { .. } => ErrorCode::Io,
            Error::Conflict(_) => ErrorCode::Conflict,
            Error::Canceled => ErrorCode::Canceled,
            Error::NotAvailable(_) => ErrorCode::NotAvailable,
            Error::KeyRefused => ErrorCode::KeyRefused,
            Error::ProviderFailed(_) => ErrorCode::ProviderFailed,
            Error::Internal(_) => ErrorCode::Internal,
        }
    }

    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            context: context.into(),
            source,
        }
    }

    /// The `{code, message}` shape that crosses IPC and `--json`.
    pub fn to_json(&self) -> ErrorJson {
        ErrorJson {
            code: self.code(),
            message: self.to_string(),
        }
    }
}

/// What an error looks like to the UI and in `--json` output.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ErrorJson {
    pub code: ErrorCode,
    pub message: String,
}

impl Serialize for Error {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        self.to_json().serialize(s)
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_crosses_ipc_as_code_and_message() {
        let e = Error::NotFound("no agent called \"x\"".into());
        assert_eq!(
            serde_json::to_string(&e).unwrap(),
            r#"{"code":"not_found","message":"no agent called \"x\""}"#
        );
        let e = Error::DatabaseTooNew { found: 9, known: 1 };
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(v["code"], "database_too_new");
        assert!(v["message"].as_str().unwrap().contains("newer version"));
        assert_eq!(
            serde_json::to_string(&Error::KeyRefused).unwrap(),
            r#"{"code":"key_refused","message":"the key was refused; check it in Settings"}"#
        );
        let e = Error::ProviderFailed("Anthropic is overloaded".into());
        assert_eq!(serde_json::to_value(&e).unwrap()["code"], "provider_failed");
    }
}
