//! Sessions in (sources) and memory out (destinations). Every API call that changes an
//! agent's memory publishes it through [`after_change`], from the app and the CLI alike.

use std::path::Path;

use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::flow::{claude, publish, sources};
use crate::import::Format;
use crate::model::{
    ClaudeProject, Destination, DestinationKind, PublishPreview, Published, Scope, Source,
    SyncReport,
};
use crate::store::{agents, flow, memory};

/// A source and what syncing it did.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Synced {
    pub source: Source,
    pub report: SyncReport,
}

fn agent_filter(conn: &Connection, agent: Option<&str>) -> Result<Option<i64>> {
    agent.map(|a| agents::id_of(conn, a)).transpose()
}

/// An absolute, existing path as text, or an error naming the field.
fn existing_path(path: &Path, field: &str) -> Result<String> {
    let full = path.canonicalize().map_err(|e| {
        Error::invalid_field(field, format!("{} cannot be read ({e})", path.display()))
    })?;
    Ok(full.display().to_string())
}

pub fn sources(conn: &Connection, agent: Option<&str>) -> Result<Vec<Source>> {
    flow::sources(conn, agent_filter(conn, agent)?)
}

/// Add a folder or file as a source of `agent`; sessions in it are stamped with `tags`.
/// Nothing is imported yet: [`sync`] does that (the app at once, in the background).
pub fn add_source(
    conn: &Connection,
    agent: &str,
    path: &Path,
    tags: &Scope,
    format: Option<Format>,
    now: DateTime<Utc>,
) -> Result<Source> {
    let path = existing_path(path, "path")?;
    let id = flow::add_source(
        conn,
        agents::id_of(conn, agent)?,
        &path,
        tags,
        format.map(Format::as_str),
        now,
    )?;
    flow::source(conn, id)
}

pub fn remove_source(conn: &Connection, id: i64) -> Result<()> {
    flow::remove_source(conn, id)
}

/// Import what is new or changed in every source of `agent` (or of all agents).
pub fn sync(conn: &mut Connection, agent: Option<&str>, now: DateTime<Utc>) -> Result<Vec<Synced>> {
    let list = sources(conn, agent)?;
    let mut out = Vec::with_capacity(list.len());
    for s in list {
        let report = sources::sync(conn, &s, now)?;
        out.push(Synced {
            source: flow::source(conn, s.id)?,
            report,
        });
    }
    Ok(out)
}

/// Sync one source.
pub fn sync_source(conn: &mut Connection, id: i64, now: DateTime<Utc>) -> Result<Synced> {
    let s = flow::source(conn, id)?;
    let report = sources::sync(conn, &s, now)?;
    Ok(Synced {
        source: flow::source(conn, id)?,
        report,
    })
}

/// Claude Code's projects on this machine, marked when already a source of `agent`.
pub fn claude_projects(conn: &Connection, agent: &str) -> Result<Vec<ClaudeProject>> {
    let connected: Vec<String> = sources(conn, Some(agent))?
        .into_iter()
        .map(|s| s.path)
        .collect();
    Ok(claude::projects(&connected))
}

pub fn destinations(conn: &Connection, agent: Option<&str>) -> Result<Vec<Destination>> {
    flow::destinations(conn, agent_filter(conn, agent)?)
}

/// What a destination would hold if added now: every file with its whole content.
pub fn preview(
    conn: &Connection,
    agent: &str,
    path: &Path,
    kind: DestinationKind,
    tags: &Scope,
) -> Result<PublishPreview> {
    let a = agents::get(conn, agent)?;
    let entries = memory::list(conn, agents::id_of(conn, agent)?)?;
    let chosen = publish::entries_for(&entries, tags);
    let dest = Destination {
        id: 0,
        agent: a.slug.clone(),
        path: path.display().to_string(),
        kind,
        tags: tags.clone(),
        tags_label: String::new(),
        created_at: Utc::now(),
        last_written_at: None,
        last_error: None,
    };
    let (rendered, _) = publish::render(&dest, &a.name, &chosen, a.memory_enabled)?;
    Ok(PublishPreview {
        files: rendered.files,
        entries: chosen.len() as u32,
    })
}

/// Add a destination and write it at once.
pub fn add_destination(
    conn: &Connection,
    agent: &str,
    path: &Path,
    kind: DestinationKind,
    tags: &Scope,
    now: DateTime<Utc>,
) -> Result<(Destination, Published)> {
    if kind == DestinationKind::ClaudeMemory && path.is_file() {
        return Err(Error::invalid_field(
            "path",
            format!(
                "{} is a file; a Claude Code memory destination is a folder",
                path.display()
            ),
        ));
    }
    if kind != DestinationKind::ClaudeMemory && path.is_dir() {
        return Err(Error::invalid_field(
            "path",
            format!(
                "{} is a folder; choose a file such as CLAUDE.md",
                path.display()
            ),
        ));
    }
    let id = flow::add_destination(
        conn,
        agents::id_of(conn, agent)?,
        &path.display().to_string(),
        kind,
        tags,
        now,
    )?;
    let dest = flow::destination(conn, id)?;
    let published = publish_one(conn, &dest, false, now)?;
    Ok((flow::destination(conn, id)?, published))
}

pub fn remove_destination(conn: &Connection, id: i64) -> Result<()> {
    flow::remove_destination(conn, id)
}

fn publish_one(
    conn: &Connection,
    dest: &Destination,
    force: bool,
    now: DateTime<Utc>,
) -> Result<Published> {
    let a = agents::get(conn, &dest.agent)?;
    let entries = memory::list(conn, agents::id_of(conn, &dest.agent)?)?;
    let chosen = publish::entries_for(&entries, &dest.tags);
    let outcome = publish::render(dest, &a.name, &chosen, a.memory_enabled).and_then(
        |(rendered, on_disk)| {
            let last = flow::last_hash(conn, dest.id)?;
            publish::write(dest, &rendered, on_disk, last.as_deref(), force)?;
            Ok(rendered.hash)
        },
    );
    Ok(match outcome {
        Ok(hash) => {
            flow::written(conn, dest.id, &hash, now)?;
            Published {
                destination: dest.id,
                path: dest.path.clone(),
                error: None,
            }
        }
        Err(e) => {
            let msg = e.to_string();
            flow::failed(conn, dest.id, &msg)?;
            Published {
                destination: dest.id,
                path: dest.path.clone(),
                error: Some(msg),
            }
        }
    })
}

/// Publish `agent`'s memory (or every agent's) to its destinations now. `force` writes even
/// where the managed part was edited outside Reverie since the last write.
pub fn publish_now(
    conn: &Connection,
    agent: Option<&str>,
    force: bool,
    now: DateTime<Utc>,
) -> Result<Vec<Published>> {
    destinations(conn, agent)?
        .iter()
        .map(|d| publish_one(conn, d, force, now))
        .collect()
}

/// Publish one destination now (the app's "Publish again" after an outside edit).
pub fn publish_destination(
    conn: &Connection,
    id: i64,
    force: bool,
    now: DateTime<Utc>,
) -> Result<Published> {
    publish_one(conn, &flow::destination(conn, id)?, force, now)
}

/// After memory changed: publish the agent's destinations. A destination that cannot be
/// written records why; the change to memory stands either way.
pub fn after_change(conn: &Connection, agent_id: i64, now: DateTime<Utc>) -> Vec<Published> {
    // A linked Claude Managed Agent's memory store follows too.
    crate::managed::after_change(conn, agent_id, now);
    let Ok(list) = flow::destinations(conn, Some(agent_id)) else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|d| publish_one(conn, d, false, now).ok())
        .collect()
}

/// [`after_change`] for an agent named by slug.
pub fn after_change_of(conn: &Connection, agent: &str, now: DateTime<Utc>) -> Vec<Published> {
    match agents::id_of(conn, agent) {
        Ok(id) => after_change(conn, id, now),
        Err(_) => Vec::new(),
    }
}
