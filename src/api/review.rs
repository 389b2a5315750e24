//! Deciding proposals: what waits for review, approve (apply to memory), reject.

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use crate::dreaming::review;
use crate::error::Result;
use crate::model::Proposal;
use crate::store::{agents, dreams};

/// Proposals waiting for a decision, oldest dream first; every agent's when `agent` is `None`.
pub fn pending(conn: &Connection, agent: Option<&str>) -> Result<Vec<Proposal>> {
    let agent_id = agent.map(|a| agents::id_of(conn, a)).transpose()?;
    dreams::pending(conn, agent_id)
}

/// Approve proposals and apply them to memory, all or none.
pub fn approve(conn: &mut Connection, ids: &[i64], now: DateTime<Utc>) -> Result<Vec<Proposal>> {
    let out = review::approve(conn, ids, now)?;
    published(conn, &out, now);
    Ok(out)
}

/// Memory changed for the agents of `proposals`: publish it where they read it.
fn published(conn: &Connection, proposals: &[Proposal], now: DateTime<Utc>) {
    let mut seen = std::collections::BTreeSet::new();
    for p in proposals {
        if let Ok(agent) = dreams::agent_of(conn, p.dream_id) {
            if seen.insert(agent) {
                super::flow::after_change(conn, agent, now);
            }
        }
    }
    reviewed(conn, proposals, now);
}

/// Decisions were made on `proposals`: an Anthropic dream whose review is done loses its
/// output store.
fn reviewed(conn: &Connection, proposals: &[Proposal], now: DateTime<Utc>) {
    let dreams: std::collections::BTreeSet<i64> = proposals.iter().map(|p| p.dream_id).collect();
    for d in dreams {
        crate::managed::review_done(conn, d, now);
    }
}

/// Take decisions back: an applied change leaves memory again (memory as if it was never
/// approved), a rejection is reopened; the changes wait for review again.
pub fn take_back(conn: &mut Connection, ids: &[i64], now: DateTime<Utc>) -> Result<Vec<Proposal>> {
    let out = review::take_back(conn, ids, now)?;
    published(conn, &out, now);
    Ok(out)
}

/// Reject proposals, with an optional reason in the person's words; later dreams remember.
pub fn reject(
    conn: &mut Connection,
    ids: &[i64],
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Vec<Proposal>> {
    let out = review::reject(conn, ids, reason, now)?;
    reviewed(conn, &out, now);
    Ok(out)
}
