//! Teams of agents: create one (a lead, specialists, a shared folder, limits), list and read
//! them, run one on a task, and read a run with every session it made.

use std::path::Path;

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use crate::error::{Error, Result};
use crate::model::{slug_problem, AgentPatch, FileTool, Team, TeamRun};
use crate::store::{agents, teams};

pub use crate::team::{begin, run, RunRequest};

/// What a new team is made of.
#[derive(Debug, Clone)]
pub struct NewTeam {
    pub slug: String,
    pub name: Option<String>,
    pub lead: String,
    pub members: Vec<String>,
    pub folder: std::path::PathBuf,
    pub max_parallel: u32,
    pub budget_tokens: Option<u64>,
    /// Members (or the lead) that get no file tools, like a drafter that only writes.
    pub no_tools: Vec<String>,
}

pub fn create(conn: &mut Connection, t: &NewTeam, now: DateTime<Utc>) -> Result<Team> {
    if let Some(p) = slug_problem(&t.slug) {
        return Err(Error::invalid_field("slug", p));
    }
    if t.members.is_empty() {
        return Err(Error::invalid_field(
            "members",
            "a team needs at least one specialist besides its lead (--member AGENT)",
        ));
    }
    if t.members.iter().any(|m| m == &t.lead) {
        return Err(Error::invalid_field(
            "members",
            format!("{} is the lead; list the specialists only", t.lead),
        ));
    }
    if !(1..=16).contains(&t.max_parallel) {
        return Err(Error::invalid_field(
            "max_parallel",
            "let 1 to 16 specialists work at once",
        ));
    }
    if !t.folder.is_absolute() {
        return Err(Error::invalid_field(
            "folder",
            format!(
                "{} is not a full path; give the shared folder's full path",
                t.folder.display()
            ),
        ));
    }
    std::fs::create_dir_all(&t.folder).map_err(|e| {
        Error::io(
            format!("could not make the shared folder {}", t.folder.display()),
            e,
        )
    })?;
    let folder = t.folder.canonicalize().map_err(|e| {
        Error::io(
            format!("could not read the shared folder {}", t.folder.display()),
            e,
        )
    })?;
    let tools_of = |slug: &str| -> Vec<FileTool> {
        if t.no_tools.iter().any(|n| n == slug) {
            Vec::new()
        } else {
            FileTool::ALL.to_vec()
        }
    };
    let tx = conn.transaction()?;
    let lead_id = agents::id_of(&tx, &t.lead)?;
    let mut members = Vec::new();
    for m in &t.members {
        members.push((agents::id_of(&tx, m)?, tools_of(m)));
    }
    let name = t.name.clone().unwrap_or_else(|| t.slug.clone());
    teams::create(
        &tx,
        &teams::NewTeam {
            slug: &t.slug,
            name: &name,
            lead_id,
            members: &members,
            lead_tools: &tools_of(&t.lead),
            folder: &folder.display().to_string(),
            max_parallel: t.max_parallel,
            budget_tokens: t.budget_tokens,
        },
        now,
    )?;
    tx.commit()?;
    teams::get(conn, &t.slug)
}

/// A free slug for a team called `name` ("Launch crew" → "launch-crew", then "launch-crew-2").
pub fn slug_for(conn: &Connection, name: &str) -> Result<String> {
    let base = match crate::model::slug_from_name(name) {
        s if s.is_empty() => "team".to_string(),
        s => s,
    };
    let taken: Vec<String> = teams::list(conn)?.into_iter().map(|t| t.slug).collect();
    let mut slug = base.clone();
    let mut n = 2;
    while taken.contains(&slug) {
        slug = format!("{base}-{n}");
        n += 1;
    }
    Ok(slug)
}

pub fn list(conn: &Connection) -> Result<Vec<Team>> {
    teams::list(conn)
}

pub fn get(conn: &Connection, slug: &str) -> Result<Team> {
    teams::get(conn, slug)
}

pub fn get_run(conn: &Connection, id: i64) -> Result<TeamRun> {
    teams::run(conn, id)
}

/// The agents of the ready-made content team, with what each is for.
const CONTENT_TEAM: &[(&str, &str, &str)] = &[
    (
        "content-lead",
        "Content lead",
        "You run a small content team for a social media agency. Plan the piece, ask the researcher for facts, the drafter for the text and the fact-checker to check it, then assemble the final post from their work.",
    ),
    (
        "researcher",
        "Researcher",
        "You find the facts a post needs: products, dates, prices, opening hours. Write what you found to research/notes.md in the shared folder, each fact with where it comes from, and answer with a short summary.",
    ),
    (
        "drafter",
        "Drafter",
        "You write social media drafts in the client's voice from the brief and facts you are given. Answer with the draft only.",
    ),
    (
        "fact-checker",
        "Fact-checker",
        "You check a draft against the research notes in the shared folder (research/notes.md). Answer with each claim that is wrong or unsupported and the fix, or say that every claim holds.",
    ),
];

/// The ready-made content team (a lead, a researcher, a drafter with no tools, a
/// fact-checker) over `folder`; agents that exist already are reused as they are.
pub fn create_content_team(
    conn: &mut Connection,
    folder: &Path,
    now: DateTime<Utc>,
) -> Result<Team> {
    for (slug, name, prompt) in CONTENT_TEAM {
        if agents::id_of(conn, slug).is_err() {
            super::agents::create(conn, slug, Some(name), now)?;
            super::agents::update(
                conn,
                slug,
                &AgentPatch {
                    name: None,
                    model: None,
                    system_prompt: Some(prompt.to_string()),
                    memory_enabled: None,
                    mcp_write: None,
                },
                now,
            )?;
        }
    }
    create(
        conn,
        &NewTeam {
            slug: "content".into(),
            name: Some("Content team".into()),
            lead: "content-lead".into(),
            members: vec!["researcher".into(), "drafter".into(), "fact-checker".into()],
            folder: folder.to_path_buf(),
            max_parallel: 3,
            budget_tokens: Some(200_000),
            no_tools: vec!["drafter".into()],
        },
        now,
    )
}
