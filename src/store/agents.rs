//! Agents and their rubrics.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};

use super::{get_opt_ts, get_ts, ts};
use crate::error::{Error, Result};
pub use crate::model::{name_from_slug, slug_problem};
use crate::model::{Agent, AgentPatch};
use crate::rubric::Rubric;

const SELECT: &str =
    "SELECT a.slug, a.name, a.model, a.system_prompt, a.memory_enabled, a.created_at,
        (SELECT COUNT(*) FROM sessions s WHERE s.agent_id = a.id),
        (SELECT COUNT(*) FROM memory_entries m WHERE m.agent_id = a.id AND m.deleted_at IS NULL),
        (SELECT MAX(s.started_at) FROM sessions s WHERE s.agent_id = a.id),
        (SELECT COUNT(*) FROM proposals p JOIN dreams d ON d.id = p.dream_id
          WHERE p.agent_id = a.id AND p.decision = 'pending' AND d.status = 'completed'),
        (SELECT MAX(p.dream_id) FROM proposals p JOIN dreams d ON d.id = p.dream_id
          WHERE p.agent_id = a.id AND p.decision = 'pending' AND d.status = 'completed'),
        a.mcp_write
     FROM agents a";

fn row_to_agent(row: &rusqlite::Row) -> rusqlite::Result<Agent> {
    Ok(Agent {
        slug: row.get(0)?,
        name: row.get(1)?,
        model: row.get(2)?,
        system_prompt: row.get(3)?,
        memory_enabled: row.get(4)?,
        created_at: get_ts(row, 5)?,
        sessions: row.get(6)?,
        memory_entries: row.get(7)?,
        last_session_at: get_opt_ts(row, 8)?,
        pending_review: row.get(9)?,
        review_dream: row.get(10)?,
        mcp_write: row.get(11)?,
    })
}

pub fn list(conn: &Connection) -> Result<Vec<Agent>> {
    let mut stmt = conn.prepare(&format!("{SELECT} ORDER BY a.name COLLATE NOCASE, a.slug"))?;
    let agents = stmt
        .query_map([], row_to_agent)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(agents)
}

pub fn get(conn: &Connection, slug: &str) -> Result<Agent> {
    conn.query_row(&format!("{SELECT} WHERE a.slug = ?1"), [slug], row_to_agent)
        .optional()?
        .ok_or_else(|| not_found(slug))
}

fn not_found(slug: &str) -> Error {
    Error::NotFound(format!("there is no agent called \"{slug}\""))
}

/// The row id of an agent, or a not-found error that says how to list agents.
pub fn id_of(conn: &Connection, slug: &str) -> Result<i64> {
    conn.prepare_cached("SELECT id FROM agents WHERE slug = ?1")?
        .query_row([slug], |r| r.get(0))
        .optional()?
        .ok_or_else(|| not_found(slug))
}

/// Create an agent with the default rubric.
pub fn create(
    conn: &Connection,
    slug: &str,
    name: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Agent> {
    if let Some(msg) = slug_problem(slug) {
        return Err(Error::invalid_field("slug", msg));
    }
    if id_of(conn, slug).is_ok() {
        return Err(Error::AlreadyExists(format!(
            "an agent called \"{slug}\" already exists"
        )));
    }
    insert(conn, slug, name, now)?;
    get(conn, slug)
}

fn insert(conn: &Connection, slug: &str, name: Option<&str>, now: DateTime<Utc>) -> Result<i64> {
    let name = name
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .unwrap_or_else(|| name_from_slug(slug));
    conn.prepare_cached(
        "INSERT INTO agents (slug, name, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)",
    )?
    .execute(params![slug, name, ts(now)])?;
    let id = conn.last_insert_rowid();
    conn.prepare_cached("INSERT INTO rubrics (agent_id, yaml, updated_at) VALUES (?1, ?2, ?3)")?
        .execute(params![id, Rubric::default().to_yaml(), ts(now)])?;
    Ok(id)
}

/// The agent's id, creating it with the default rubric if it does not exist (import).
pub fn ensure(conn: &Connection, slug: &str, now: DateTime<Utc>) -> Result<i64> {
    match id_of(conn, slug) {
        Ok(id) => Ok(id),
        Err(Error::NotFound(_)) => {
            if let Some(msg) = slug_problem(slug) {
                return Err(Error::invalid_field("agent", msg));
            }
            insert(conn, slug, None, now)
        }
        Err(e) => Err(e),
    }
}

pub fn update(
    conn: &Connection,
    slug: &str,
    patch: &AgentPatch,
    now: DateTime<Utc>,
) -> Result<Agent> {
    let id = id_of(conn, slug)?;
    if let Some(name) = &patch.name {
        if name.trim().is_empty() {
            return Err(Error::invalid("the agent's name cannot be empty"));
        }
    }
    conn.execute(
        "UPDATE agents SET
            name = COALESCE(?2, name),
            model = CASE WHEN ?3 IS NULL THEN model WHEN ?3 = '' THEN NULL ELSE ?3 END,
            system_prompt = COALESCE(?4, system_prompt),
            memory_enabled = COALESCE(?5, memory_enabled),
            updated_at = ?6,
            mcp_write = COALESCE(?7, mcp_write)
         WHERE id = ?1",
        params![
            id,
            patch.name.as_deref().map(str::trim),
            patch.model,
            patch.system_prompt,
            patch.memory_enabled,
            ts(now),
            patch.mcp_write
        ],
    )?;
    get(conn, slug)
}

pub fn rubric_yaml(conn: &Connection, slug: &str) -> Result<String> {
    let id = id_of(conn, slug)?;
    Ok(
        conn.query_row("SELECT yaml FROM rubrics WHERE agent_id = ?1", [id], |r| {
            r.get(0)
        })?,
    )
}

pub fn rubric(conn: &Connection, slug: &str) -> Result<Rubric> {
    let yaml = rubric_yaml(conn, slug)?;
    Rubric::parse(&yaml)
}

/// Replace the agent's rubric after validating it; returns the YAML as stored.
pub fn set_rubric(
    conn: &Connection,
    slug: &str,
    rubric: &Rubric,
    now: DateTime<Utc>,
) -> Result<String> {
    let issues = rubric.validate();
    if !issues.is_empty() {
        return Err(crate::rubric::issues_error(issues));
    }
    let id = id_of(conn, slug)?;
    let yaml = rubric.to_yaml();
    conn.execute(
        "UPDATE rubrics SET yaml = ?2, updated_at = ?3 WHERE agent_id = ?1",
        params![id, yaml, ts(now)],
    )?;
    Ok(yaml)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::db;

    fn now() -> DateTime<Utc> {
        "2026-11-24T10:00:00Z".parse().unwrap()
    }

    #[test]
    fn create_list_update() {
        let conn = db::open_in_memory().unwrap();
        let a = create(&conn, "social-drafts", None, now()).unwrap();
        assert_eq!(a.name, "Social drafts");
        assert!(a.memory_enabled);
        assert!(matches!(
            create(&conn, "social-drafts", None, now()),
            Err(Error::AlreadyExists(_))
        ));
        assert!(matches!(
            create(&conn, "Bad Slug", None, now()),
            Err(Error::InvalidInput { .. })
        ));
        let patch = AgentPatch {
            model: Some("claude-sonnet-4-5".into()),
            memory_enabled: Some(false),
            ..Default::default()
        };
        let a = update(&conn, "social-drafts", &patch, now()).unwrap();
        assert_eq!(a.model.as_deref(), Some("claude-sonnet-4-5"));
        assert!(!a.memory_enabled);
        assert_eq!(list(&conn).unwrap().len(), 1);
        assert_eq!(rubric(&conn, "social-drafts").unwrap(), Rubric::default());
        let err = get(&conn, "nobody").unwrap_err();
        assert!(err.to_string().contains("there is no agent called"));
    }
}
