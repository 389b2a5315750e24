//! Deciding proposals: approve (apply to memory), reject (remembered, so later dreams are more
//! careful), take a decision back (an applied change is reverted in memory, a rejection
//! reopened), and undo a whole dream. Each call is one transaction: all of it happens or none.
//! What may follow what is [`next`], the one state machine of a proposal's decision.

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use crate::error::{Error, Result};
use crate::model::{Decision, MemoryEventKind, MemorySource, Proposal, ProposalOp};
use crate::store::dreams;
use crate::store::memory::{self, Cause, NewEntry, Writer};

/// What a person (or auto-apply) does with a proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    Approve,
    Reject,
    /// Take the decision back: an applied change leaves memory, a rejection is reopened.
    TakeBack,
}

/// The decision a proposal moves to, or why it cannot. A proposal of an undone dream cannot
/// be decided at all: its dream no longer stands.
pub fn next(p: &Proposal, dream_undone: bool, act: Act) -> Result<Decision> {
    if dream_undone {
        return Err(Error::AlreadyUndone(format!(
            "dream #{} was undone, so its changes can no longer be decided; dream again for fresh ones",
            p.dream_id
        )));
    }
    match (act, p.decision) {
        (Act::Approve, Decision::Pending) => Ok(Decision::Applied),
        (Act::Reject, Decision::Pending) => Ok(Decision::Rejected),
        (Act::TakeBack, Decision::Applied | Decision::Rejected | Decision::Approved) => {
            Ok(Decision::Pending)
        }
        (Act::TakeBack, Decision::Pending) => Err(Error::AlreadyDecided(format!(
            "change #{} is still waiting for review; there is no decision to take back",
            p.id
        ))),
        (_, d) => Err(Error::AlreadyDecided(format!(
            "change #{} was already {}; only changes waiting for review can be decided",
            p.id,
            d.as_str()
        ))),
    }
}

/// The proposal and its agent, checked against the state machine for `act`.
fn load(conn: &Connection, id: i64, act: Act) -> Result<(Proposal, i64, Decision)> {
    let (p, agent_id) = dreams::proposal(conn, id)?;
    let to = next(&p, dreams::undone(conn, p.dream_id)?, act)?;
    Ok((p, agent_id, to))
}

/// Apply proposals to memory inside the caller's transaction. `actor` is who decided
/// (`person`, `auto_apply`).
pub fn apply_in(
    conn: &Connection,
    ids: &[i64],
    actor: &str,
    now: DateTime<Utc>,
) -> Result<Vec<Proposal>> {
    let mut applied = Vec::with_capacity(ids.len());
    for &id in ids {
        let (p, agent_id, to) = load(conn, id, Act::Approve)?;
        let w = Writer {
            conn,
            agent_id,
            cause: Cause {
                actor: actor.to_string(),
                dream_id: Some(p.dream_id),
                proposal_id: Some(p.id),
            },
            now,
        };
        let gone = |target: i64| -> Result<()> {
            let (_, deleted) = memory::get(conn, agent_id, target)?;
            if deleted {
                return Err(Error::ChangedSince(format!(
                    "proposal #{id} changes memory entry #{target}, which was removed since the dream; reject it and dream again"
                )));
            }
            Ok(())
        };
        match p.op {
            ProposalOp::Add => {
                let session_ids = p
                    .evidence
                    .iter()
                    .map(|e| e.session_id.clone())
                    .collect::<std::collections::BTreeSet<_>>();
                w.add(&NewEntry {
                    content: p.content.clone(),
                    scope: p.scope.clone(),
                    source: MemorySource::Dream,
                    session_ids: session_ids.into_iter().collect(),
                })?;
            }
            ProposalOp::Remove => {
                for &t in &p.targets {
                    gone(t)?;
                    w.remove(t, MemoryEventKind::Remove)?;
                }
            }
            ProposalOp::Refine | ProposalOp::Merge => {
                let Some((&keep, rest)) = p.targets.split_first() else {
                    return Err(Error::Internal(format!(
                        "proposal #{id} names no memory entry to change"
                    )));
                };
                let kind = if p.op == ProposalOp::Refine {
                    MemoryEventKind::Refine
                } else {
                    MemoryEventKind::Merge
                };
                gone(keep)?;
                w.edit(keep, &p.content, &p.scope, kind)?;
                for &t in rest {
                    gone(t)?;
                    w.remove(t, MemoryEventKind::Merge)?;
                }
            }
        }
        dreams::set_decision(conn, id, to, None, now)?;
        applied.push(dreams::proposal(conn, id)?.0);
    }
    Ok(applied)
}

/// Approve and apply proposals: one transaction, one new memory version per change.
pub fn approve(conn: &mut Connection, ids: &[i64], now: DateTime<Utc>) -> Result<Vec<Proposal>> {
    let tx = conn.transaction()?;
    let applied = apply_in(&tx, ids, "person", now)?;
    tx.commit()?;
    Ok(applied)
}

/// Reject proposals, with an optional reason in the person's words.
pub fn reject(
    conn: &mut Connection,
    ids: &[i64],
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Vec<Proposal>> {
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    let tx = conn.transaction()?;
    let mut out = Vec::with_capacity(ids.len());
    for &id in ids {
        let (_, _, to) = load(&tx, id, Act::Reject)?;
        dreams::set_decision(&tx, id, to, reason, now)?;
        out.push(dreams::proposal(&tx, id)?.0);
    }
    tx.commit()?;
    Ok(out)
}

/// Take decisions back: an applied change is reverted in memory (refused if a later change
/// touched the same entries), a rejection is reopened; either way the change waits for review
/// again.
pub fn take_back(conn: &mut Connection, ids: &[i64], now: DateTime<Utc>) -> Result<Vec<Proposal>> {
    let tx = conn.transaction()?;
    let mut out = Vec::with_capacity(ids.len());
    for &id in ids {
        let (p, agent_id, to) = load(&tx, id, Act::TakeBack)?;
        if p.decision == Decision::Applied {
            let events = memory::events_of_proposal(&tx, agent_id, id)?;
            if let Some(&(first, _)) = events.last() {
                let entries: Vec<i64> = events.iter().map(|(_, e)| *e).collect();
                if let Some((v, entry)) =
                    memory::later_change_by_others(&tx, agent_id, first, id, &entries)?
                {
                    return Err(Error::ChangedSince(format!(
                        "memory entry #{entry} was changed after this change was applied (memory version {v}); undo or edit that first"
                    )));
                }
            }
            let w = Writer {
                conn: &tx,
                agent_id,
                cause: Cause {
                    actor: "undo".into(),
                    dream_id: Some(p.dream_id),
                    proposal_id: Some(id),
                },
                now,
            };
            for (version, _) in &events {
                let restore = w.revert_event(*version)?;
                memory::mark_undone(&tx, agent_id, *version, restore)?;
            }
        }
        dreams::reopen(&tx, id)?;
        debug_assert_eq!(to, Decision::Pending);
        out.push(dreams::proposal(&tx, id)?.0);
    }
    tx.commit()?;
    Ok(out)
}

/// Undo a dream: every memory change it made is reverted, newest first, so memory is exactly
/// as before the dream. Refused if a later change touched the same entries.
pub fn undo_dream(conn: &mut Connection, dream_id: i64, now: DateTime<Utc>) -> Result<usize> {
    let tx = conn.transaction()?;
    let agent_id = dreams::agent_of(&tx, dream_id)?;
    if dreams::undone(&tx, dream_id)? {
        return Err(Error::AlreadyUndone(format!(
            "dream #{dream_id} was already undone"
        )));
    }
    let events = memory::events_of_dream(&tx, agent_id, dream_id)?;
    if let Some(&(first, _)) = events.last() {
        let entries: Vec<i64> = events.iter().map(|(_, e)| *e).collect();
        if let Some((v, entry)) = memory::later_change(&tx, agent_id, first, dream_id, &entries)? {
            return Err(Error::ChangedSince(format!(
                "memory entry #{entry} was changed after this dream (memory version {v}); undo or edit that change first"
            )));
        }
    }
    let w = Writer {
        conn: &tx,
        agent_id,
        cause: Cause {
            actor: "undo".into(),
            dream_id: Some(dream_id),
            proposal_id: None,
        },
        now,
    };
    for (version, _) in &events {
        w.revert_event(*version)?;
    }
    dreams::mark_undone(&tx, dream_id, now)?;
    tx.commit()?;
    Ok(events.len())
}
