//! Teams, their members and their runs.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};

use super::{get_json, get_opt_ts, get_ts, to_json, ts};
use crate::error::{Error, Result};
use crate::model::{FileTool, RunStatus, Scope, Team, TeamMember, TeamRun};

pub struct NewTeam<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub lead_id: i64,
    pub members: &'a [(i64, Vec<FileTool>)],
    pub lead_tools: &'a [FileTool],
    pub folder: &'a str,
    pub max_parallel: u32,
    pub budget_tokens: Option<u64>,
}

pub fn create(conn: &Connection, t: &NewTeam, now: DateTime<Utc>) -> Result<i64> {
    let taken: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM teams WHERE slug = ?1)",
        [t.slug],
        |r| r.get(0),
    )?;
    if taken {
        return Err(Error::AlreadyExists(format!(
            "a team named {} already exists; choose another short name",
            t.slug
        )));
    }
    conn.execute(
        "INSERT INTO teams (slug, name, lead_id, folder, max_parallel, budget_tokens, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            t.slug,
            t.name,
            t.lead_id,
            t.folder,
            t.max_parallel,
            t.budget_tokens.map(|b| b as i64),
            ts(now)
        ],
    )?;
    let id = conn.last_insert_rowid();
    conn.execute(
        "INSERT INTO team_members (team_id, agent_id, role, tools) VALUES (?1, ?2, 'lead', ?3)",
        params![id, t.lead_id, to_json(&t.lead_tools)],
    )?;
    for (agent, tools) in t.members {
        conn.execute(
            "INSERT OR IGNORE INTO team_members (team_id, agent_id, role, tools) VALUES (?1, ?2, 'specialist', ?3)",
            params![id, agent, to_json(tools)],
        )?;
    }
    Ok(id)
}

pub fn id_of(conn: &Connection, slug: &str) -> Result<i64> {
    conn.query_row("SELECT id FROM teams WHERE slug = ?1", [slug], |r| r.get(0))
        .optional()?
        .ok_or_else(|| {
            Error::NotFound(format!(
                "no team named {slug}; `reverie team list` shows the teams"
            ))
        })
}

fn members(conn: &Connection, team_id: i64) -> Result<Vec<TeamMember>> {
    let mut stmt = conn.prepare(
        "SELECT a.slug, a.name, m.role = 'lead', m.tools FROM team_members m JOIN agents a ON a.id = m.agent_id
         WHERE m.team_id = ?1 ORDER BY m.role = 'lead' DESC, a.slug",
    )?;
    let rows = stmt
        .query_map([team_id], |r| {
            Ok(TeamMember {
                agent: r.get(0)?,
                name: r.get(1)?,
                lead: r.get(2)?,
                tools: get_json(r, 3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

pub fn get(conn: &Connection, slug: &str) -> Result<Team> {
    let id = id_of(conn, slug)?;
    let mut team = conn.query_row(
        "SELECT slug, name, folder, max_parallel, budget_tokens, created_at FROM teams WHERE id = ?1",
        [id],
        |r| {
            Ok(Team {
                slug: r.get(0)?,
                name: r.get(1)?,
                members: Vec::new(),
                folder: r.get(2)?,
                max_parallel: r.get(3)?,
                budget_tokens: r.get::<_, Option<i64>>(4)?.map(|b| b as u64),
                created_at: get_ts(r, 5)?,
            })
        },
    )?;
    team.members = members(conn, id)?;
    Ok(team)
}

pub fn list(conn: &Connection) -> Result<Vec<Team>> {
    let slugs: Vec<String> = conn
        .prepare("SELECT slug FROM teams ORDER BY name, slug")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    slugs.iter().map(|s| get(conn, s)).collect()
}

pub fn start_run(
    conn: &Connection,
    team_id: i64,
    task: &str,
    tags: &Scope,
    now: DateTime<Utc>,
) -> Result<i64> {
    conn.execute(
        "INSERT INTO team_runs (team_id, task, tags, status, started_at) VALUES (?1, ?2, ?3, 'running', ?4)",
        params![team_id, task, to_json(tags), ts(now)],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn set_lead_session(conn: &Connection, run: i64, session: &str) -> Result<()> {
    conn.execute(
        "UPDATE team_runs SET lead_session = ?2 WHERE id = ?1",
        params![run, session],
    )?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
pub fn finish_run(
    conn: &Connection,
    run: i64,
    status: RunStatus,
    output: Option<&str>,
    error: Option<&str>,
    input_tokens: u64,
    output_tokens: u64,
    now: DateTime<Utc>,
) -> Result<()> {
    conn.execute(
        "UPDATE team_runs SET status = ?2, output = ?3, error = ?4, input_tokens = ?5, output_tokens = ?6, finished_at = ?7
         WHERE id = ?1",
        params![
            run,
            status,
            output,
            error,
            input_tokens as i64,
            output_tokens as i64,
            ts(now)
        ],
    )?;
    Ok(())
}

pub fn run(conn: &Connection, id: i64) -> Result<TeamRun> {
    let mut run = conn
        .query_row(
            "SELECT r.id, t.slug, r.task, r.tags, r.status, r.lead_session, r.output, r.error,
                r.input_tokens, r.output_tokens, r.started_at, r.finished_at
             FROM team_runs r JOIN teams t ON t.id = r.team_id WHERE r.id = ?1",
            [id],
            |r| {
                Ok(TeamRun {
                    id: r.get(0)?,
                    team: r.get(1)?,
                    task: r.get(2)?,
                    tags: get_json(r, 3)?,
                    status: r.get(4)?,
                    lead_session: r.get(5)?,
                    output: r.get(6)?,
                    error: r.get(7)?,
                    input_tokens: r.get::<_, i64>(8)? as u64,
                    output_tokens: r.get::<_, i64>(9)? as u64,
                    started_at: get_ts(r, 10)?,
                    finished_at: get_opt_ts(r, 11)?,
                    delegations: Vec::new(),
                })
            },
        )
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("no team run {id}")))?;
    // Delegations are the sessions that name this run.
    let mut stmt = conn.prepare(
        "SELECT a.slug, s.external_id, json_extract(s.extra, '$.team_run.task'),
            COALESCE(json_extract(s.extra, '$.team_run.ok'), 1)
         FROM sessions s JOIN agents a ON a.id = s.agent_id
         WHERE json_extract(s.extra, '$.team_run.id') = ?1 AND json_extract(s.extra, '$.team_run.lead') = 0
         ORDER BY s.started_at, s.external_id",
    )?;
    run.delegations = stmt
        .query_map([id], |r| {
            Ok(crate::model::Delegation {
                agent: r.get(0)?,
                session: r.get(1)?,
                task: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
                ok: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(run)
}
