//! The app as a whole: its version and database, and the rubric as the editor sees it.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AppInfo {
    pub version: String,
    /// Where the database lives, so a person can back it up.
    pub db_path: String,
}

/// An agent's rubric with the exact YAML it is stored as.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RubricView {
    pub rubric: crate::rubric::Rubric,
    /// Each outcome's name in words, in rubric order ("Task completed first pass").
    pub labels: Vec<String>,
    pub yaml: String,
}

/// The result of checking a rubric (from the editor or from YAML): the problems, and the YAML
/// it would be saved as. `rubric` is absent when YAML could not be read at all.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RubricCheck {
    pub rubric: Option<crate::rubric::Rubric>,
    pub issues: Vec<crate::rubric::RubricIssue>,
    pub yaml: Option<String>,
}

/// The app's own preferences, kept in the database so they travel with the workspace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
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

/// Sent as the `open-dream` event when a person clicks a dream's notification: the window
/// should show that dream's review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct OpenDream {
    pub dream_id: i64,
    /// The agent's slug.
    pub agent: String,
}
