//! The window's IPC, declared once: the commands (`command_list.rs`), the events, and the
//! TypeScript generated from them into `ui/src/lib/bindings.ts`. The same builder registers
//! the handlers at start-up, so what the UI calls and what the shell serves cannot drift.

use reverie::model::{Dream, DreamProgress, ImportProgress, OpenDream};
use serde::{Deserialize, Serialize};
use specta_typescript::Typescript;
use tauri_specta::{collect_events, Builder, Event};

use crate::commands;

include!("command_list.rs");

macro_rules! collect {
    ($($command:ident),* $(,)?) => {
        tauri_specta::collect_commands![$(commands::$command),*]
    };
}

/// The names of the window's commands, in the order `command_list.rs` gives them.
macro_rules! names {
    ($($command:ident),* $(,)?) => {
        &[$(stringify!($command)),*]
    };
}

pub const COMMANDS: &[&str] = with_commands!(names);

/// A running dream moved on (sent whoever started it: the window, the tray, the scheduler).
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, Event)]
#[tauri_specta(event_name = "dream-progress")]
pub struct DreamProgressed(pub DreamProgress);

/// A dream ended: completed, failed, canceled or interrupted.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, Event)]
#[tauri_specta(event_name = "dream-finished")]
pub struct DreamFinished(pub Dream);

/// A long import moved on.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, Event)]
#[tauri_specta(event_name = "import-progress")]
pub struct ImportProgressed(pub ImportProgress);

/// The person clicked a dream's notification: the window should open that dream's review.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, Event)]
#[tauri_specta(event_name = "open-dream")]
pub struct OpenDreamRequested(pub OpenDream);

/// More of a chat answer arrived.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, Event)]
#[tauri_specta(event_name = "work-text")]
pub struct WorkText(pub crate::work::WorkDelta);

/// A chat answer ended: saved whole or stopped, or failed (the person's message stays saved).
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, Event)]
#[tauri_specta(event_name = "work-finished")]
pub struct WorkFinished(pub crate::work::WorkEnded);

/// Sources were synced (a watched folder changed, or Reverie started): their sessions and
/// problems are new.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, Event)]
#[tauri_specta(event_name = "sources-synced")]
pub struct SourcesSynced(pub Vec<reverie::api::flow::Synced>);

/// A step of a team run: a lane opened, a tool used, a file written, an answer, a failure.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, Event)]
#[tauri_specta(event_name = "team-run-step")]
pub struct TeamRunStep(pub reverie::model::RunEvent);

/// A team run ended (completed, failed or stopped).
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, Event)]
#[tauri_specta(event_name = "team-run-finished")]
pub struct TeamRunFinished(pub reverie::model::TeamRun);

/// Commands and events, with the TypeScript options the UI relies on.
pub fn builder() -> Builder<tauri::Wry> {
    Builder::<tauri::Wry>::new()
        .commands(with_commands!(collect))
        .events(collect_events![
            DreamProgressed,
            DreamFinished,
            ImportProgressed,
            OpenDreamRequested,
            WorkText,
            WorkFinished,
            SourcesSynced,
            TeamRunStep,
            TeamRunFinished
        ])
        // Ids and counters stay far below 2^53, and arrive over IPC as JSON numbers.
        .dangerously_cast_bigints_to_number()
        // One shape per type, as serde writes it, rather than separate input/output shapes.
        .disable_serde_phases()
        // Reverie never sends NaN or infinities, so a float is a plain `number`.
        .semantic_types(
            specta_typescript::semantic::Configuration::empty().enable_lossless_floats(),
        )
}

/// Where the generated TypeScript lives.
pub const BINDINGS: &str = "../ui/src/lib/bindings.ts";

/// Write `ui/src/lib/bindings.ts` (relative to `src-tauri/`) or another path.
pub fn export(path: &std::path::Path) -> Result<(), String> {
    builder()
        .export(
            Typescript::default().header(
                "// Generated from the Rust commands and types by `cargo test -p reverie-app`; do not edit.\n/* eslint-disable */",
            ),
            path,
        )
        .map_err(|e| e.to_string())
}
