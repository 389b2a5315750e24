//! What an import reports: counts, bad lines and progress.

use serde::{Deserialize, Serialize};

/// One bad line of an import.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct LineError {
    pub line: u64,
    pub message: String,
}

impl LineError {
    /// A problem with a whole file (it could not be opened or read as any format).
    pub fn whole_file(message: impl Into<String>) -> Self {
        LineError {
            line: 0,
            message: message.into(),
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ImportReport {
    pub imported: u64,
    pub updated: u64,
    pub failed: u64,
    pub errors: Vec<LineError>,
    /// The format that was read (`reverie`, `anthropic`, `openai`, `claude-code`).
    pub format: String,
}

/// Progress of a long import, sent as the `import-progress` event.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ImportProgress {
    pub lines_done: u64,
    pub bytes_done: u64,
    pub bytes_total: u64,
}
