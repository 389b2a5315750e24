//! Agents: list, show, create, edit, and the first-run demo.

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use crate::error::Result;
use crate::model::{slug_from_name, slug_problem, Agent, AgentPatch, SlugCheck};
use crate::store::agents;

pub fn list(conn: &Connection) -> Result<Vec<Agent>> {
    agents::list(conn)
}

pub fn get(conn: &Connection, slug: &str) -> Result<Agent> {
    agents::get(conn, slug)
}

/// A new agent with the default rubric; `name` defaults to one made from the slug.
pub fn create(
    conn: &mut Connection,
    slug: &str,
    name: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Agent> {
    let tx = conn.transaction()?;
    let a = agents::create(&tx, slug, name, now)?;
    tx.commit()?;
    Ok(a)
}

/// Change an agent's name, model, prompt or memory switch; `None` fields stay as they are.
pub fn update(
    conn: &Connection,
    slug: &str,
    patch: &AgentPatch,
    now: DateTime<Utc>,
) -> Result<Agent> {
    let before = agents::get(conn, slug)?;
    let after = agents::update(conn, slug, patch, now)?;
    // Memory switched off or on, or the name the published section carries changed.
    if before.memory_enabled != after.memory_enabled || before.name != after.name {
        super::flow::after_change_of(conn, slug, now);
    }
    Ok(after)
}

/// The first-run demo: an agent with three weeks of sessions for three clients.
pub fn create_demo(conn: &mut Connection, now: DateTime<Utc>) -> Result<Agent> {
    crate::demo::create_demo(conn, now)
}

/// Whether `slug` can name a new agent, and a slug suggested from a display name.
pub fn check_slug(conn: &Connection, slug: &str, name: &str) -> Result<SlugCheck> {
    let problem = slug_problem(slug).or_else(|| match agents::id_of(conn, slug) {
        Ok(_) => Some(format!("an agent called \"{slug}\" already exists")),
        Err(_) => None,
    });
    Ok(SlugCheck {
        problem,
        suggested: slug_from_name(name),
    })
}
