//! The engine's one error type. Every error has a stable [`ErrorCode`] the UI and scripts can
//! branch on, and a message written for the person reading it (what, where, how to fix). The
//! message never names a command-line verb: the command line adds its own hints by code.

use serde::Serialize;

crate::text_enum! {
    /// Stable machine-readable error codes. They cross the IPC boundary and appear in `--json`
    /// output, so renaming one is a breaking change.
    pub enum ErrorCode {
        /// The agent, session, dream, proposal or memory entry does not exist.
        NotFound = "not_found",
        /// An argument or a file's field is wrong; `field` names it when known.
        InvalidInput = "invalid_input",
        InvalidRubric = "invalid_rubric",
        /// Something with that name exists already (an agent, the demo).
        AlreadyExists = "already_exists",
        DatabaseTooNew = "database_too_new",
        Database = "database",
        /// The database stayed locked by another writer for longer than Reverie waits.
        Busy = "busy",
        Io = "io",
        /// The proposal was approved, rejected or replaced already.
        AlreadyDecided = "already_decided",
        /// The dream (or change) was undone already.
        AlreadyUndone = "already_undone",
        /// Memory changed since: a later change touches the same entries, or the entry is gone.
        ChangedSince = "changed_since",
        /// Another dream for the same agent is running.
        DreamRunning = "dream_running",
        /// The dream is not running (finished, or never started), so it cannot be canceled.
        NotRunning = "not_running",
        Canceled = "canceled",
        /// No AI provider is chosen.
        NoProvider = "no_provider",
        /// The chosen provider needs an API key and none is stored.
        NoKey = "no_key",
        /// The system keychain is locked or unreachable.
        KeychainLocked = "keychain_locked",
        /// The operating system refused (e.g. registering start at login).
        SystemRefused = "system_refused",
        /// The AI provider refused the API key (HTTP 401/403).
        KeyRefused = "key_refused",
        /// The AI provider failed (network, rate limits after retries, a bad answer).
        ProviderFailed = "provider_failed",
        Internal = "internal",
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    NotFound(String),
    #[error("{message}")]
    InvalidInput {
        /// The argument or file field at fault, e.g. `slug` or `dreaming.schedule`.
        field: Option<String>,
        message: String,
    },
    #[error("{0}")]
    InvalidRubric(String),
    #[error("{0}")]
    AlreadyExists(String),
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
    AlreadyDecided(String),
    #[error("{0}")]
    AlreadyUndone(String),
    #[error("{0}")]
    ChangedSince(String),
    #[error("{0}")]
    DreamRunning(String),
    #[error("{0}")]
    NotRunning(String),
    /// Something else holds what was asked for (an answer still streaming); try again soon.
    #[error("{0}")]
    Busy(String),
    #[error("canceled")]
    Canceled,
    #[error("{0}")]
    NoProvider(String),
    #[error("{0}")]
    NoKey(String),
    #[error("{0}")]
    KeychainLocked(String),
    #[error("{0}")]
    SystemRefused(String),
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
            Error::InvalidInput { .. } => ErrorCode::InvalidInput,
            Error::InvalidRubric(_) => ErrorCode::InvalidRubric,
            Error::AlreadyExists(_) => ErrorCode::AlreadyExists,
            Error::DatabaseTooNew { .. } => ErrorCode::DatabaseTooNew,
            Error::Database(e) if is_busy(e) => ErrorCode::Busy,
            Error::Database(_) => ErrorCode::Database,
            Error::Io { .. } => ErrorCode::Io,
            Error::AlreadyDecided(_) => ErrorCode::AlreadyDecided,
            Error::AlreadyUndone(_) => ErrorCode::AlreadyUndone,
            Error::ChangedSince(_) => ErrorCode::ChangedSince,
            Error::DreamRunning(_) => ErrorCode::DreamRunning,
            Error::NotRunning(_) => ErrorCode::NotRunning,
            Error::Busy(_) => ErrorCode::Busy,
            Error::Canceled => ErrorCode::Canceled,
            Error::NoProvider(_) => ErrorCode::NoProvider,
            Error::NoKey(_) => ErrorCode::NoKey,
            Error::KeychainLocked(_) => ErrorCode::KeychainLocked,
            Error::SystemRefused(_) => ErrorCode::SystemRefused,
            Error::KeyRefused => ErrorCode::KeyRefused,
            Error::ProviderFailed(_) => ErrorCode::ProviderFailed,
            Error::Internal(_) => ErrorCode::Internal,
        }
    }

    /// Bad input, not tied to one field.
    pub fn invalid(message: impl Into<String>) -> Self {
        Error::InvalidInput {
            field: None,
            message: message.into(),
        }
    }

    /// Bad input in `field`.
    pub fn invalid_field(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::InvalidInput {
            field: Some(field.into()),
            message: message.into(),
        }
    }

    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            context: context.into(),
            source,
        }
    }

    /// The field at fault, for `invalid_input`.
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::InvalidInput { field, .. } => field.as_deref(),
            _ => None,
        }
    }

    /// The `{code, message}` shape that crosses IPC and `--json` (with `field` when known).
    pub fn to_json(&self) -> ErrorJson {
        let message = match self {
            Error::Database(e) if is_busy(e) => {
                "the database is busy: another Reverie window or command kept it locked too long; try again in a moment".into()
            }
            e => e.to_string(),
        };
        ErrorJson {
            code: self.code(),
            message,
            field: self.field().map(str::to_string),
        }
    }
}

/// SQLite's "database is locked" or "table is locked": the wait for another writer ran out.
fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// What an error looks like to the UI and in `--json` output.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ErrorJson {
    pub code: ErrorCode,
    pub message: String,
    /// The argument or file field at fault, for `invalid_input`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
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
        assert_eq!(
            serde_json::to_string(&Error::invalid_field("slug", "use lowercase")).unwrap(),
            r#"{"code":"invalid_input","message":"use lowercase","field":"slug"}"#
        );
        let e = Error::AlreadyUndone("dream 3 was already undone".into());
        assert_eq!(serde_json::to_value(&e).unwrap()["code"], "already_undone");
    }

    #[test]
    fn a_locked_database_is_busy_not_broken() {
        let e = Error::Database(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
            None,
        ));
        let j = e.to_json();
        assert_eq!(j.code, ErrorCode::Busy);
        assert!(j.message.contains("try again"), "{}", j.message);
    }
}
