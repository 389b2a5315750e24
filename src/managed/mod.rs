//! Claude Managed Agents: link a Reverie agent to a managed agent, pull its sessions and the
//! outcome grader's verdicts, publish approved memory to a memory store (one document per
//! scope, each write conditional on the hash Reverie last saw), and run Anthropic's dream on
//! that store, its output read back document by document as proposals for the normal review.

pub mod client;
pub mod convert;
pub mod docs;

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension};
use sha2::{Digest, Sha256};

use crate::dreaming::offline::ProposalDraft;
use crate::error::{Error, Result};
use crate::llm::http::Failure;
use crate::llm::{block_on, price, provider, ProviderKind, RetryPolicy, Usage};
use crate::model::{
    DreamStatus, Evidence, ManagedAgent, ManagedLink, ProposalOp, PullReport, PushReport, Scope,
    StoreConflict, Trigger,
};
use crate::secret::Keychain;
use crate::store::{self, agents, dreams, managed, memory, sessions};
use client::{Client, Memory};
use docs::Change;

/// What a session pulled from a managed agent says it came from.
pub const SOURCE: &str = "claude-managed-agents";
/// The most sessions one Anthropic dream reads (the API's limit).
pub const MAX_DREAM_SESSIONS: u32 = 100;
/// The API's limit on a dream's instructions, in characters.
const MAX_INSTRUCTIONS: usize = 4096;
/// Evidence shown with each proposal of an Anthropic dream: the sessions it read, the first few.
const EVIDENCE_SESSIONS: usize = 5;

fn failed(f: Failure) -> Error {
    f.into_error("Anthropic")
}

/// A client for the Anthropic server and key in use (see [`provider::anthropic_access`]).
pub fn client(conn: &Connection, keychain: &Keychain) -> Result<Client> {
    client_with(conn, keychain, RetryPolicy::default())
}

fn client_with(conn: &Connection, keychain: &Keychain, policy: RetryPolicy) -> Result<Client> {
    let (base, key) = provider::anthropic_access(conn, keychain)?;
    Client::new(&base, key, policy).map_err(failed)
}

pub fn sha256(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn link_of(conn: &Connection, agent_id: i64, slug: &str) -> Result<ManagedLink> {
    managed::get(conn, agent_id)?.ok_or_else(|| {
        Error::NotFound(format!(
            "{slug} is not linked to a managed agent; link it first (reverie managed link --agent {slug} MANAGED_AGENT_ID)"
        ))
    })
}

/// The managed agents the key can see, each with the Reverie agent linked to it.
pub fn list_agents(conn: &Connection, keychain: &Keychain) -> Result<Vec<ManagedAgent>> {
    let c = client(conn, keychain)?;
    let items = block_on(c.agents())?.map_err(failed)?;
    let links: BTreeMap<String, i64> = managed::all(conn)?
        .into_iter()
        .map(|(a, m)| (m, a))
        .collect();
    let slugs: BTreeMap<i64, String> = agents::list(conn)?
        .into_iter()
        .filter_map(|a| Some((agents::id_of(conn, &a.slug).ok()?, a.slug)))
        .collect();
    Ok(items
        .iter()
        .filter_map(|v| {
            let id = v["id"].as_str()?.to_string();
            Some(ManagedAgent {
                name: v["name"].as_str().unwrap_or(&id).to_string(),
                description: v["description"].as_str().map(str::to_string),
                model: v["model"]["id"]
                    .as_str()
                    .or(v["model"].as_str())
                    .map(str::to_string),
                created_at: v["created_at"]
                    .as_str()
                    .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
                    .map(|t| t.with_timezone(&Utc)),
                linked_to: links.get(&id).and_then(|a| slugs.get(a)).cloned(),
                id,
            })
        })
        .collect())
}

/// Link `agent` to a managed agent (checked with the API) and, optionally, an existing memory
/// store; without one, the first push creates a store.
pub fn link(
    conn: &Connection,
    keychain: &Keychain,
    agent: &str,
    managed_agent_id: &str,
    store: Option<&str>,
    now: DateTime<Utc>,
) -> Result<ManagedLink> {
    let agent_id = agents::id_of(conn, agent)?;
    let id = managed_agent_id.trim();
    if id.is_empty() {
        return Err(Error::invalid_field(
            "managed_agent_id",
            "give the managed agent's id (reverie managed list shows them)",
        ));
    }
    let c = client(conn, keychain)?;
    let found = block_on(c.agent(id))?.map_err(|f| match f {
        Failure::Status { status: 404, .. } => Error::NotFound(format!(
            "Anthropic has no managed agent {id} that this key can see; reverie managed list shows them"
        )),
        other => failed(other),
    })?;
    let name = found["name"].as_str().unwrap_or(id).to_string();
    let store = store.map(str::trim).filter(|s| !s.is_empty());
    let before = managed::get(conn, agent_id)?;
    if let Some(s) = store {
        block_on(c.memories(s))?.map_err(|f| match f {
            Failure::Status { status: 404, .. } => Error::NotFound(format!(
                "Anthropic has no memory store {s} that this key can see"
            )),
            other => failed(other),
        })?;
        if before.as_ref().and_then(|l| l.memory_store_id.as_deref()) != Some(s) {
            managed::forget_documents(conn, agent_id)?;
        }
    }
    managed::link(conn, agent_id, id, &name, store, now)?;
    link_of(conn, agent_id, agent)
}

pub fn unlink(conn: &Connection, agent: &str) -> Result<()> {
    let agent_id = agents::id_of(conn, agent)?;
    if !managed::unlink(conn, agent_id)? {
        return Err(Error::NotFound(format!(
            "{agent} is not linked to a managed agent"
        )));
    }
    Ok(())
}

pub fn get(conn: &Connection, agent: &str) -> Result<Option<ManagedLink>> {
    managed::get(conn, agents::id_of(conn, agent)?)
}

/// Pull the managed agent's sessions that are new or changed since the last pull, page by
/// page; each lands on its own, so a pull that stops (network, quota) resumes where it was.
/// With `memory`, the store's entries Reverie does not have yet are added to memory too.
pub fn pull(
    conn: &mut Connection,
    keychain: &Keychain,
    agent: &str,
    memory_too: bool,
    now: DateTime<Utc>,
) -> Result<PullReport> {
    let agent_id = agents::id_of(conn, agent)?;
    let link = link_of(conn, agent_id, agent)?;
    let c = client(conn, keychain)?;
    let result = pull_sessions(conn, &c, agent, agent_id, &link, now).and_then(|mut report| {
        if memory_too {
            report.memory_added = pull_memory(conn, &c, agent, &link, now)?;
        }
        Ok(report)
    });
    let error = result.as_ref().err().map(|e| e.to_string());
    managed::finished(conn, agent_id, true, error.as_deref(), now)?;
    result
}

fn pull_sessions(
    conn: &mut Connection,
    c: &Client,
    agent: &str,
    agent_id: i64,
    link: &ManagedLink,
    now: DateTime<Utc>,
) -> Result<PullReport> {
    let rubric = agents::rubric(conn, agent)?;
    let mut report = PullReport::default();
    let mut page: Option<String> = None;
    loop {
        let (list, next) =
            block_on(c.sessions_page(&link.managed_agent_id, page.as_deref()))?.map_err(failed)?;
        for s in &list {
            report.listed += 1;
            if managed::pulled_at(conn, agent_id, &s.id)?.as_deref() == Some(s.updated_at.as_str())
            {
                continue;
            }
            let events = block_on(c.events(&s.id))?.map_err(failed)?;
            match convert::session_record(agent, s, &events, &rubric) {
                Ok((rec, outcomes)) => {
                    let tx = conn.transaction()?;
                    let done = sessions::upsert(&tx, agent_id, &rec, SOURCE, None, now)?;
                    managed::mark_pulled(&tx, agent_id, &s.id, &s.updated_at, now)?;
                    tx.commit()?;
                    match done {
                        sessions::Upserted::Inserted => report.imported += 1,
                        sessions::Upserted::Updated => report.updated += 1,
                    }
                    report.outcomes += outcomes;
                }
                // Not marked as pulled: it is read again next time.
                Err(why) => report.problems.push(why),
            }
        }
        match next {
            Some(n) => page = Some(n),
            None => {
                // Graded as they arrive, like imported sessions.
                crate::dreaming::grading::ensure(conn, agent, now)?;
                return Ok(report);
            }
        }
    }
}

/// Every scope Reverie knows for this agent: of memory entries and of sessions.
fn known_scopes(conn: &Connection, agent_id: i64) -> Result<Vec<Scope>> {
    let mut set: BTreeSet<Scope> = memory::list(conn, agent_id)?
        .into_iter()
        .map(|e| e.scope)
        .collect();
    for s in sessions::scopes(conn, agent_id)? {
        set.insert(Scope::from([(s.key, s.value)]));
    }
    Ok(set.into_iter().collect())
}

fn pull_memory(
    conn: &mut Connection,
    c: &Client,
    agent: &str,
    link: &ManagedLink,
    now: DateTime<Utc>,
) -> Result<u32> {
    let Some(store) = &link.memory_store_id else {
        return Ok(0);
    };
    let agent_id = agents::id_of(conn, agent)?;
    let known = known_scopes(conn, agent_id)?;
    let docs = block_on(c.read_store(store))?.map_err(failed)?;
    let mut lines = String::new();
    for m in &docs {
        let doc = docs::parse(&m.path, m.content.as_deref().unwrap_or_default(), &known);
        for e in doc.entries {
            lines.push_str(&serde_json::json!({"content": e, "scope": doc.scope}).to_string());
            lines.push('\n');
        }
    }
    let report = crate::import::memory::import_jsonl(conn, agent, lines.as_bytes(), now)?;
    Ok(report.imported as u32)
}

/// Publish the agent's memory to its store: documents that changed are written with the hash
/// Reverie last saw as a precondition; one someone else changed is not overwritten but kept
/// as a conflict with both sides (`force` writes over it).
pub fn push(
    conn: &Connection,
    keychain: &Keychain,
    agent: &str,
    force: bool,
    now: DateTime<Utc>,
) -> Result<PushReport> {
    let agent_id = agents::id_of(conn, agent)?;
    let link = link_of(conn, agent_id, agent)?;
    let c = client(conn, keychain)?;
    let result = push_with(conn, &c, agent, agent_id, &link, force, now);
    let error = match &result {
        Err(e) => Some(e.to_string()),
        Ok(r) => push_problem(r),
    };
    managed::finished(conn, agent_id, false, error.as_deref(), now)?;
    result
}

/// What a push left undone, in words; `None` when it wrote everything.
fn push_problem(r: &PushReport) -> Option<String> {
    let mut parts = Vec::new();
    if !r.conflicts.is_empty() {
        parts.push(format!(
            "{} document(s) of the memory store were changed outside Reverie and were not overwritten: {}",
            r.conflicts.len(),
            r.conflicts
                .iter()
                .map(|c| c.path.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    parts.extend(r.problems.iter().cloned());
    (!parts.is_empty()).then(|| parts.join("; "))
}

fn push_with(
    conn: &Connection,
    c: &Client,
    agent: &str,
    agent_id: i64,
    link: &ManagedLink,
    force: bool,
    now: DateTime<Utc>,
) -> Result<PushReport> {
    let store = match &link.memory_store_id {
        Some(s) => s.clone(),
        None => {
            let name = agents::get(conn, agent)?.name;
            let id = block_on(c.create_store(
                &format!("Reverie: {name}"),
                "Approved memory of this agent, written by Reverie after every change. Edit it in Reverie.",
            ))?
            .map_err(failed)?;
            managed::set_store(conn, agent_id, &id)?;
            id
        }
    };
    let entries = memory::list(conn, agent_id)?;
    let version = memory::version(conn, agent_id)?;
    let want = docs::documents(&entries);
    let written: BTreeMap<String, managed::Written> = managed::documents(conn, agent_id)?
        .into_iter()
        .map(|w| (w.path.clone(), w))
        .collect();
    let mut report = PushReport {
        memory_store_id: store.clone(),
        ..Default::default()
    };
    // The store as it is now, to find documents Reverie has not written yet and to show the
    // other side of a conflict.
    let remote: BTreeMap<String, Memory> = block_on(c.memories(&store))?
        .map_err(failed)?
        .into_iter()
        .map(|m| (m.path.clone(), m))
        .collect();
    let conflict = |path: &str, ours: &str, theirs: Option<String>| StoreConflict {
        path: path.to_string(),
        ours: ours.to_string(),
        theirs,
        found_at: now,
    };
    let read = |id: &str| -> Result<Option<String>> {
        Ok(block_on(c.memory(&store, id))?.ok().and_then(|m| m.content))
    };
    for (path, content) in &want {
        let sha = sha256(content);
        let current = remote.get(path);
        if content.len() > MAX_DOCUMENT_BYTES {
            report.problems.push(format!(
                "{path} is {} bytes, over the memory store's limit of {MAX_DOCUMENT_BYTES}; it was not written (memory for this scope is too long to publish as one document)",
                content.len()
            ));
            continue;
        }
        let result = match (written.get(path), current) {
            // Already what Reverie would write.
            (_, Some(m)) if m.content_sha256 == sha => {
                if written.get(path).map(|w| w.content_sha256.as_str()) == Some(sha.as_str()) {
                    report.unchanged += 1;
                    continue;
                }
                Ok(m.clone())
            }
            (Some(w), Some(m)) if w.content_sha256 == m.content_sha256 || force => {
                let expected = if force {
                    &m.content_sha256
                } else {
                    &w.content_sha256
                };
                block_on(c.update_memory(&store, &m.id, content, expected))?
            }
            // Deleted in the store since Reverie wrote it, or never written by Reverie but
            // there: someone else's text, not to be replaced without asking.
            (Some(_), None) if !force => {
                let c = conflict(path, content, None);
                managed::conflict(conn, agent_id, &c)?;
                report.conflicts.push(c);
                continue;
            }
            (_, Some(m)) if !force => {
                let c = conflict(path, content, read(&m.id)?);
                managed::conflict(conn, agent_id, &c)?;
                report.conflicts.push(c);
                continue;
            }
            (_, Some(m)) => block_on(c.update_memory(&store, &m.id, content, &m.content_sha256))?,
            (_, None) => block_on(c.create_memory(&store, path, content))?,
        };
        match result {
            Ok(m) => {
                match current {
                    None => report.created += 1,
                    Some(cur) if cur.content_sha256 != sha => report.updated += 1,
                    Some(_) => report.unchanged += 1,
                }
                managed::wrote(
                    conn,
                    agent_id,
                    path,
                    &m.id,
                    &sha,
                    m.version_id.as_deref(),
                    version,
                    now,
                )?;
            }
            // Changed between the listing and the write.
            Err(f) if is_conflict(&f) => {
                let theirs = current.map(|m| read(&m.id)).transpose()?.flatten();
                let c = conflict(path, content, theirs);
                managed::conflict(conn, agent_id, &c)?;
                report.conflicts.push(c);
            }
            // The key or the network: nothing else will work either.
            Err(f) if stops_all(&f) => return Err(failed(f)),
            // This document only: the others are still written.
            Err(f) => report.problems.push(format!("{path}: {}", failed(f))),
        }
    }
    // Documents of scopes that no longer have entries.
    for (path, w) in &written {
        if want.contains_key(path) {
            continue;
        }
        match remote.get(path) {
            None => managed::forget_document(conn, agent_id, path)?,
            Some(m) if m.content_sha256 == w.content_sha256 || force => {
                match block_on(c.delete_memory(&store, &m.id, &m.content_sha256))? {
                    Ok(()) => {
                        report.deleted += 1;
                        managed::forget_document(conn, agent_id, path)?;
                    }
                    Err(f) if is_conflict(&f) => {
                        let c = conflict(path, "", read(&m.id)?);
                        managed::conflict(conn, agent_id, &c)?;
                        report.conflicts.push(c);
                    }
                    Err(f) if stops_all(&f) => return Err(failed(f)),
                    Err(f) => report.problems.push(format!("{path}: {}", failed(f))),
                }
            }
            Some(m) => {
                let c = conflict(path, "", read(&m.id)?);
                managed::conflict(conn, agent_id, &c)?;
                report.conflicts.push(c);
            }
        }
    }
    Ok(report)
}

/// The store's limit on one memory (document), in bytes.
const MAX_DOCUMENT_BYTES: usize = 102_400;

/// A 409: the document changed since Reverie last saw it (after retries too).
fn is_conflict(f: &Failure) -> bool {
    match f {
        Failure::Status { status: 409, .. } => true,
        Failure::GaveUp { last, .. } => is_conflict(last),
        _ => false,
    }
}

/// A failure no other document would escape: the key, the network, a cancel.
fn stops_all(f: &Failure) -> bool {
    match f {
        Failure::KeyRefused | Failure::Canceled | Failure::Timeout | Failure::Network(_) => true,
        Failure::GaveUp { last, .. } => {
            stops_all(last)
                || matches!(
                    **last,
                    Failure::Status {
                        status: 429 | 500..=599,
                        ..
                    }
                )
        }
        _ => false,
    }
}

/// After memory changed: publish to the linked store, if any. A failure is recorded on the
/// link (the change to memory stands either way).
pub fn after_change(conn: &Connection, agent_id: i64, now: DateTime<Utc>) {
    let Ok(Some(link)) = managed::get(conn, agent_id) else {
        return;
    };
    // Quick: a person approving a change must not wait minutes on a slow network; the next
    // change or `managed push` tries again.
    let result = client_with(conn, &Keychain::default(), RetryPolicy::test())
        .and_then(|c| push_with(conn, &c, &link.agent, agent_id, &link, false, now));
    let error = match result {
        Err(e) => Some(e.to_string()),
        Ok(r) => push_problem(&r),
    };
    let _ = managed::finished(conn, agent_id, false, error.as_deref(), now);
}

/// Before a dream: pull what is new, quickly (a slow network must not hold the dream up; the
/// failure is recorded on the link).
pub fn pull_before_dream(conn: &mut Connection, agent: &str, now: DateTime<Utc>) {
    let Ok(agent_id) = agents::id_of(conn, agent) else {
        return;
    };
    let Ok(Some(link)) = managed::get(conn, agent_id) else {
        return;
    };
    let result = client_with(conn, &Keychain::default(), RetryPolicy::test())
        .and_then(|c| pull_sessions(conn, &c, agent, agent_id, &link, now));
    let error = result.err().map(|e| e.to_string());
    let _ = managed::finished(conn, agent_id, true, error.as_deref(), now);
}

/// How often an Anthropic dream is checked on, and for how long at most.
pub fn dream_poll() -> (Duration, Duration) {
    let ms = std::env::var("REVERIE_MANAGED_POLL_MS")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(10_000);
    (Duration::from_millis(ms), Duration::from_secs(3 * 3600))
}

/// Instructions for Anthropic's dream from the agent's rubric: what good sessions look like,
/// and how documents are laid out so Reverie can read them back.
fn instructions(rubric: &crate::rubric::Rubric) -> String {
    let mut s = String::from(
        "Keep memory that helps sessions meet these outcomes, and drop what works against them:\n",
    );
    for o in &rubric.outcomes {
        s.push_str(&format!(
            "- {}: {}\n",
            o.name.replace('_', " "),
            o.description
        ));
    }
    s.push_str(
        "Keep the layout: one document per scope (/team.md for the whole team, one per client or project), \
         a heading naming the scope, and each memory as one short bullet line.",
    );
    if s.chars().count() > MAX_INSTRUCTIONS {
        s = s.chars().take(MAX_INSTRUCTIONS).collect();
    }
    s
}

/// Run Anthropic's dream on the agent's store and its newest `sessions` pulled sessions, and
/// turn what it changed into proposals of a Reverie dream. Memory is pushed first, so the
/// store the dream reads is exactly Reverie's memory. Returns the dream's id.
pub fn dream(
    conn: &mut Connection,
    keychain: &Keychain,
    agent: &str,
    sessions_wanted: u32,
    cancel: &std::sync::atomic::AtomicBool,
    now: impl Fn() -> DateTime<Utc>,
) -> Result<i64> {
    let begun = begin_dream(conn, keychain, agent, sessions_wanted, now())?;
    finish_dream(conn, keychain, begun, cancel, now)
}

/// An Anthropic dream asked for and recorded, not yet ended.
pub struct BegunDream {
    pub dream_id: i64,
    agent_id: i64,
    agent: String,
    remote: client::DreamInfo,
    ids: Vec<String>,
    /// The input store as the dream reads it.
    before: BTreeMap<String, String>,
    model: String,
    store: String,
}

/// Push memory, ask Anthropic for the dream and open its record: quick, so a window can
/// answer at once and [`finish_dream`] elsewhere.
pub fn begin_dream(
    conn: &mut Connection,
    keychain: &Keychain,
    agent: &str,
    sessions_wanted: u32,
    now: DateTime<Utc>,
) -> Result<BegunDream> {
    let now = || now;
    let agent_id = agents::id_of(conn, agent)?;
    let n = sessions_wanted.clamp(1, MAX_DREAM_SESSIONS);
    if let Some(id) = dreams::running(conn, agent_id)? {
        return Err(Error::DreamRunning(format!(
            "dream {id} of {agent} is still running; wait for it or cancel it"
        )));
    }
    let c = client(conn, keychain)?;
    let link = link_of(conn, agent_id, agent)?;
    let pushed = push_with(conn, &c, agent, agent_id, &link, false, now())?;
    if !pushed.conflicts.is_empty() {
        return Err(Error::ChangedSince(format!(
            "the memory store was changed outside Reverie ({}); resolve that first (reverie managed push --force writes Reverie's memory over it)",
            pushed
                .conflicts
                .iter()
                .map(|c| c.path.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let store = pushed.memory_store_id.clone();
    let ids = managed::recent_sessions(conn, agent_id, n)?;
    if ids.is_empty() {
        return Err(Error::invalid(format!(
            "no sessions of the managed agent are in Reverie yet; pull them first (reverie managed pull --agent {agent})"
        )));
    }
    let rubric = agents::rubric(conn, agent)?;
    let a = agents::get(conn, agent)?;
    let model = a
        .model
        .clone()
        .filter(|m| m.starts_with("claude"))
        .unwrap_or_else(|| ProviderKind::Anthropic.default_model().to_string());
    // The input as the dream reads it: exactly what was just pushed.
    let before: BTreeMap<String, String> = block_on(c.read_store(&store))?
        .map_err(failed)?
        .into_iter()
        .map(|m| (m.path, m.content.unwrap_or_default()))
        .collect();
    // The record first: whatever happens next, the dream is accounted for.
    let (start, end) = session_span(conn, agent, &ids)?.unwrap_or((now(), now()));
    let dream_id = dreams::create(
        conn,
        &dreams::NewDream {
            agent_id,
            trigger: Trigger::Manual,
            window_days: ((end - start).num_days().max(0) + 1) as u32,
            window_start: start,
            window_end: end,
            memory_version_start: memory::version(conn, agent_id)?,
            model: &format!("anthropic-dream:{model}"),
        },
        now(),
    )?;
    let remote = match block_on(c.create_dream(&store, &ids, &model, &instructions(&rubric)))? {
        Ok(r) => r,
        Err(f) => {
            let e = failed(f);
            dreams::finish(
                conn,
                dream_id,
                &dreams::Finish {
                    status: DreamStatus::Failed,
                    session_ids: &ids,
                    warning: None,
                    error: Some(&format!("Anthropic's dream could not start: {e}")),
                    notes: &[],
                },
                now(),
            )?;
            return Err(e);
        }
    };
    managed::add_dream(conn, dream_id, &remote.id, &store)?;
    Ok(BegunDream {
        dream_id,
        agent_id,
        agent: agent.to_string(),
        remote,
        ids,
        before,
        model,
        store,
    })
}

/// Wait for an Anthropic dream to end and read what it changed into proposals (or record why
/// it offers nothing). Returns the dream's id.
pub fn finish_dream(
    conn: &mut Connection,
    keychain: &Keychain,
    b: BegunDream,
    cancel: &std::sync::atomic::AtomicBool,
    now: impl Fn() -> DateTime<Utc>,
) -> Result<i64> {
    let (dream_id, remote_id) = (b.dream_id, b.remote.id.clone());
    let result = finish_inner(conn, keychain, b, cancel, &now);
    if let Err(e) = &result {
        // Whatever stopped Reverie following it, the dream must not go on costing, its output
        // must not linger, and its record must say what happened.
        if let Ok(c) = client(conn, keychain) {
            let _ = block_on(c.cancel_dream(&remote_id));
            if let Ok(Ok(info)) = block_on(c.dream(&remote_id)) {
                if let Some(out) = &info.output_store {
                    let _ = managed::set_output_store(conn, dream_id, out);
                }
            }
            let _ = clean_output(conn, &c, dream_id, now());
        }
        let _ = dreams::finish(
            conn,
            dream_id,
            &dreams::Finish {
                status: DreamStatus::Failed,
                session_ids: &[],
                warning: None,
                error: Some(&format!("Reverie stopped following Anthropic's dream: {e}")),
                notes: &["Nothing it may have written is offered for review.".into()],
            },
            now(),
        );
    }
    result
}

fn finish_inner(
    conn: &mut Connection,
    keychain: &Keychain,
    b: BegunDream,
    cancel: &std::sync::atomic::AtomicBool,
    now: &impl Fn() -> DateTime<Utc>,
) -> Result<i64> {
    let BegunDream {
        dream_id,
        agent_id,
        agent,
        remote,
        ids,
        before,
        model,
        store,
    } = b;
    let agent = agent.as_str();
    let c = client(conn, keychain)?;
    let (interval, max_wait) = dream_poll();
    let waited = Instant::now();
    let mut info = remote;
    while !info.ended() {
        if cancel.load(std::sync::atomic::Ordering::Relaxed)
            || dreams::cancel_requested(conn, dream_id)?
        {
            // A dream that ended meanwhile answers 400: read it for its output store.
            info = match block_on(c.cancel_dream(&info.id))? {
                Ok(i) => i,
                Err(_) => block_on(c.dream(&info.id))?.unwrap_or(info),
            };
            // Asked to stop: nothing it wrote is offered, even if it finished meanwhile.
            info.status = "canceled".into();
            break;
        }
        if waited.elapsed() > max_wait {
            if let Ok(i) = block_on(c.cancel_dream(&info.id))? {
                info = i;
            }
            info.status = "failed".into();
            info.error = Some(
                "Anthropic's dream did not finish within 3 hours, so Reverie canceled it".into(),
            );
            break;
        }
        std::thread::sleep(interval);
        dreams::heartbeat(conn, dream_id, now())?;
        // A check that fails after its retries ends the following (the wrapper cancels).
        info = block_on(c.dream(&info.id))?.map_err(failed)?;
    }
    if let Some(out) = &info.output_store {
        managed::set_output_store(conn, dream_id, out)?;
    }
    let usage = Usage {
        input_tokens: info.input_tokens,
        cache_creation_input_tokens: info.cache_creation_tokens,
        cache_read_input_tokens: info.cache_read_tokens,
        output_tokens: info.output_tokens,
    };
    dreams::record_usage(
        conn,
        dream_id,
        &format!("anthropic-dream:{model}"),
        info.input_tokens + info.cache_creation_tokens,
        info.output_tokens,
        info.cache_read_tokens,
        price::cost_usd(&model, &usage, false),
    )?;
    match info.status.as_str() {
        "completed" => {}
        "canceled" => {
            clean_output(conn, &c, dream_id, now())?;
            dreams::finish(
                conn,
                dream_id,
                &dreams::Finish {
                    status: DreamStatus::Canceled,
                    session_ids: &ids,
                    warning: None,
                    error: None,
                    notes: &[
                        "Anthropic's dream was canceled; nothing it wrote is offered for review."
                            .into(),
                    ],
                },
                now(),
            )?;
            return Ok(dream_id);
        }
        _ => {
            let why = info
                .error
                .clone()
                .unwrap_or_else(|| format!("it ended as {}", info.status));
            finish_failed(conn, &c, dream_id, &info, &ids, &why, now())?;
            return Ok(dream_id);
        }
    }
    let Some(out) = info.output_store.clone() else {
        finish_failed(
            conn,
            &c,
            dream_id,
            &info,
            &ids,
            "it completed without an output memory store",
            now(),
        )?;
        return Ok(dream_id);
    };
    let after: BTreeMap<String, String> = match block_on(c.read_store(&out))? {
        Ok(list) => list
            .into_iter()
            .map(|m| (m.path, m.content.unwrap_or_default()))
            .collect(),
        Err(f) => {
            let why = format!("its output could not be read: {}", failed(f));
            finish_failed(conn, &c, dream_id, &info, &ids, &why, now())?;
            return Ok(dream_id);
        }
    };
    let known = known_scopes(conn, agent_id)?;
    let changes = docs::diff(&before, &after, &known);
    let evidence = evidence(conn, agent, &ids)?;
    let days = session_days(conn, agent, &ids)?;
    let entries = memory::list(conn, agent_id)?;
    let mut notes = vec![format!(
        "Anthropic's dream read {} session(s) and the memory store {store}; each change it made to a document is one proposal below.",
        ids.len()
    )];
    let tx = conn.transaction()?;
    let mut proposed = 0;
    for change in changes {
        match draft(&change, &entries, &evidence, ids.len() as u32, days) {
            Some(p) => {
                dreams::insert_proposal(&tx, agent_id, dream_id, &p)?;
                proposed += 1;
            }
            None => notes.push(format!(
                "Skipped a line of {} that is not in Reverie's memory (the store was edited elsewhere): {}",
                change_path(&change),
                change_text(&change)
            )),
        }
    }
    if proposed == 0 {
        notes.push("Anthropic's dream changed nothing in memory.".into());
    }
    dreams::finish(
        &tx,
        dream_id,
        &dreams::Finish {
            status: DreamStatus::Completed,
            session_ids: &ids,
            warning: None,
            error: None,
            notes: &notes,
        },
        now(),
    )?;
    tx.commit()?;
    if proposed == 0 {
        clean_output(conn, &c, dream_id, now())?;
    }
    Ok(dream_id)
}

fn change_path(c: &Change) -> &str {
    match c {
        Change::Add { path, .. } | Change::Remove { path, .. } | Change::Refine { path, .. } => {
            path
        }
    }
}

fn change_text(c: &Change) -> &str {
    match c {
        Change::Add { text, .. } | Change::Remove { text, .. } => text,
        Change::Refine { old, .. } => old,
    }
}

/// The memory entry of `scope` that says `text`, if there is one.
fn entry_for(entries: &[crate::model::MemoryEntry], scope: &Scope, text: &str) -> Option<i64> {
    let want = docs::norm(text);
    entries
        .iter()
        .find(|e| &e.scope == scope && docs::norm(&e.content) == want)
        .map(|e| e.id)
}

/// A change as a proposal; `None` when it removes or rewords a line Reverie's memory does not
/// hold.
fn draft(
    change: &Change,
    entries: &[crate::model::MemoryEntry],
    evidence: &[Evidence],
    support: u32,
    days: u32,
) -> Option<ProposalDraft> {
    let (op, content, scope, targets, rationale) = match change {
        // Already in memory (approved while the dream ran): nothing to propose.
        Change::Add { scope, text, .. } if entry_for(entries, scope, text).is_some() => {
            return None
        }
        Change::Add { scope, text, path } => (
            ProposalOp::Add,
            text.clone(),
            scope.clone(),
            Vec::new(),
            format!("Anthropic's dream added this line to {path}."),
        ),
        Change::Remove { scope, text, path } => (
            ProposalOp::Remove,
            text.clone(),
            scope.clone(),
            vec![entry_for(entries, scope, text)?],
            format!("Anthropic's dream removed this line from {path}."),
        ),
        Change::Refine {
            scope,
            old,
            new,
            path,
        } => (
            ProposalOp::Refine,
            new.clone(),
            scope.clone(),
            vec![entry_for(entries, scope, old)?],
            format!("Anthropic's dream reworded a line of {path}; before: \"{old}\"."),
        ),
    };
    let flags = crate::dreaming::safety::check(&content, &scope);
    Some(ProposalDraft {
        pattern: format!(
            "anthropic-dream|{}|{}|{}",
            op.as_str(),
            crate::model::scope_label(&scope),
            docs::norm(&content)
        ),
        op,
        content,
        scope,
        targets,
        evidence: evidence.to_vec(),
        // Anthropic's dream gives no confidence of its own: a middling one, for a person to judge.
        confidence: 0.5,
        rationale,
        support,
        support_days: days,
        flags,
        supporting: evidence.iter().map(|e| e.session_id.clone()).collect(),
        impact: None,
    })
}

/// The first sessions the dream read, each with the start of its first request.
fn evidence(conn: &Connection, agent: &str, ids: &[String]) -> Result<Vec<Evidence>> {
    let mut out = Vec::new();
    for id in ids.iter().take(EVIDENCE_SESSIONS) {
        let Ok(s) = sessions::get(conn, agent, id) else {
            continue;
        };
        let first = s
            .messages
            .iter()
            .find(|m| m.role == crate::model::Role::User)
            .map(|m| m.content.as_str())
            .unwrap_or_default();
        let mut quote: String = first.chars().take(140).collect();
        if first.chars().count() > 140 {
            quote.push('…');
        }
        out.push(Evidence {
            session_id: id.clone(),
            quote,
        });
    }
    Ok(out)
}

/// When each of these sessions started (only the time: the transcripts are not needed).
fn session_times(conn: &Connection, agent: &str, ids: &[String]) -> Result<Vec<DateTime<Utc>>> {
    let agent_id = agents::id_of(conn, agent)?;
    let mut stmt = conn.prepare_cached(
        "SELECT started_at FROM sessions WHERE agent_id = ?1 AND external_id = ?2",
    )?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(t) = stmt
            .query_row(rusqlite::params![agent_id, id], |r| store::get_ts(r, 0))
            .optional()?
        {
            out.push(t);
        }
    }
    Ok(out)
}

fn session_span(
    conn: &Connection,
    agent: &str,
    ids: &[String],
) -> Result<Option<(DateTime<Utc>, DateTime<Utc>)>> {
    let times = session_times(conn, agent, ids)?;
    Ok(times
        .iter()
        .min()
        .zip(times.iter().max())
        .map(|(a, b)| (*a, *b)))
}

fn session_days(conn: &Connection, agent: &str, ids: &[String]) -> Result<u32> {
    let days: BTreeSet<_> = session_times(conn, agent, ids)?
        .into_iter()
        .map(|t| t.date_naive())
        .collect();
    Ok(days.len() as u32)
}

fn finish_failed(
    conn: &Connection,
    c: &Client,
    dream_id: i64,
    info: &client::DreamInfo,
    ids: &[String],
    why: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    if let Some(out) = &info.output_store {
        managed::set_output_store(conn, dream_id, out)?;
    }
    clean_output(conn, c, dream_id, now)?;
    dreams::finish(
        conn,
        dream_id,
        &dreams::Finish {
            status: DreamStatus::Failed,
            session_ids: ids,
            warning: None,
            error: Some(&format!("Anthropic's dream failed: {why}")),
            notes: &["Nothing it may have written is offered for review.".into()],
        },
        now,
    )
}

/// Delete an Anthropic dream's output store once nothing more will be read from it.
fn clean_output(conn: &Connection, c: &Client, dream_id: i64, now: DateTime<Utc>) -> Result<()> {
    let Some((_, Some(out), false)) = managed::dream(conn, dream_id)? else {
        return Ok(());
    };
    match block_on(c.delete_store(&out))? {
        Ok(()) | Err(Failure::Status { status: 404, .. }) => managed::cleaned(conn, dream_id, now),
        Err(f) => dreams::add_note(
            conn,
            dream_id,
            &format!(
                "The output memory store {out} could not be deleted ({}); delete it in the Claude Console.",
                failed(f)
            ),
        ),
    }
}

/// After a person decided on proposals of `dream_id`: once none is pending, an Anthropic
/// dream's output store is deleted (its changes now live in Reverie's memory and the review).
pub fn review_done(conn: &Connection, dream_id: i64, now: DateTime<Utc>) {
    let Ok(Some((_, Some(_), false))) = managed::dream(conn, dream_id) else {
        return;
    };
    let Ok(d) = dreams::get(conn, dream_id) else {
        return;
    };
    if d.pending > 0 {
        return;
    }
    if let Ok(c) = client_with(conn, &Keychain::default(), RetryPolicy::test()) {
        let _ = clean_output(conn, &c, dream_id, now);
    }
}

/// Whether a dream is Anthropic's (tracked here) rather than Reverie's own.
pub fn is_anthropic_dream(conn: &Connection, dream_id: i64) -> bool {
    matches!(store::managed::dream(conn, dream_id), Ok(Some(_)))
}
