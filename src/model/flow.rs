//! Where sessions come from and where approved memory goes: sources, destinations, and what
//! syncing and publishing did.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{LineError, Scope};
use crate::import::Format;

/// A folder or file an agent's sessions are synced from.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Source {
    pub id: i64,
    pub agent: String,
    pub path: String,
    /// Stamped on every session from it, e.g. `repo: billing-api`.
    pub tags: Scope,
    pub tags_label: String,
    /// `None`: each file's format is detected.
    pub format: Option<Format>,
    pub created_at: DateTime<Utc>,
    pub last_sync_at: Option<DateTime<Utc>>,
    /// Session files seen, and sessions read from them.
    pub files: u32,
    pub sessions: u32,
    /// What could not be read, file by file.
    pub problems: Vec<FileProblem>,
}

/// A file of a source that could not be read, whole or in part.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FileProblem {
    pub file: String,
    /// Line 0: the whole file.
    pub errors: Vec<LineError>,
}

/// What one sync did.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SyncReport {
    /// Files read because they were new or changed.
    pub files_read: u32,
    pub imported: u64,
    pub updated: u64,
    pub failed: u64,
    pub problems: Vec<FileProblem>,
}

crate::text_enum! {
    /// How memory is written to a destination.
    pub enum DestinationKind {
        /// A marked section of a `CLAUDE.md` (Claude Code reads it).
        ClaudeMd = "claude-md",
        /// A marked section of an `AGENTS.md` (Codex and other agents read it).
        AgentsMd = "agents-md",
        /// A Claude Code memory folder: `MEMORY.md` as an index, a file per scope.
        ClaudeMemory = "claude-memory",
        /// One Markdown file.
        Markdown = "markdown",
        /// JSON Lines, the memory import format.
        Jsonl = "jsonl",
    }
}

/// A place an agent's approved memory is published to after every change.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Destination {
    pub id: i64,
    pub agent: String,
    pub path: String,
    pub kind: DestinationKind,
    /// Only team-wide entries and these tags' entries; empty: all of memory.
    pub tags: Scope,
    pub tags_label: String,
    pub created_at: DateTime<Utc>,
    pub last_written_at: Option<DateTime<Utc>>,
    /// Why the last write did not happen, in plain words.
    pub last_error: Option<String>,
}

/// What publishing to one destination did.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Published {
    pub destination: i64,
    pub path: String,
    /// `None` when written; otherwise why not (nothing was changed then).
    pub error: Option<String>,
}

/// What a destination's file will hold, shown before the first write.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PublishPreview {
    /// Each file written, with its whole content after the write.
    pub files: Vec<PreviewFile>,
    /// How many memory entries go in.
    pub entries: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PreviewFile {
    pub path: String,
    pub content: String,
    /// The file exists and text outside Reverie's section is kept as it is.
    pub keeps_existing: bool,
}

/// A Claude Code project found under `~/.claude/projects/`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ClaudeProject {
    /// The project's log folder.
    pub folder: String,
    /// The working directory the folder stands for, e.g. `/home/mei/code/billing-api`.
    pub project: String,
    /// A tag value for its sessions: the project's folder name.
    pub name: String,
    pub sessions: u32,
    pub last_activity: Option<DateTime<Utc>>,
    /// Already a source of this agent.
    pub connected: bool,
}
