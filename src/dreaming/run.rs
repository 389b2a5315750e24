//! Running a dream as a record: open it, read the window, run the offline dreamer, store grades
//! and proposals, close it. Memory is only touched when proposals are applied (review, or
//! `auto_apply` at the very end, in the same transaction that closes the dream), so a dream cut
//! off at any point leaves memory exactly as it was.

use std::sync::atomic::{AtomicBool, Ordering};

use chrono::{DateTime, Duration, Utc};
use rusqlite::Connection;

use super::curator;
use super::offline::{self, DreamInput};
use crate::dreaming::review;
use crate::error::{Error, Result};
use crate::model::{DreamProgress, DreamReport, DreamStatus, Trigger};
use crate::store::{self, agents, dreams, memory};

/// Fewer sessions a week than this and proposals may be noise.
pub const MIN_SESSIONS_PER_WEEK: f64 = 20.0;
pub use super::liveness::STALE_AFTER_MINUTES;

#[derive(Debug, Clone)]
pub struct DreamRequest {
    pub agent: String,
    /// `None`: the rubric's review window.
    pub window_days: Option<u32>,
    pub trigger: Trigger,
}

/// A dream that has been opened (its record is `running`) but not yet run.
#[derive(Debug, Clone)]
pub struct Begun {
    pub dream_id: i64,
    agent: String,
    agent_id: i64,
    rubric: crate::rubric::Rubric,
    window_start: DateTime<Utc>,
    trigger: Trigger,
    /// Skip the LLM curator even when a provider is configured (`dream --offline`).
    offline: bool,
    /// Held while the dream runs, so another process can tell it is alive.
    _lock: Option<std::sync::Arc<super::liveness::DreamLock>>,
}

impl Begun {
    /// This dream uses the offline dreamer alone.
    pub fn offline(mut self) -> Self {
        self.offline = true;
        self
    }
}

/// Dream for one agent now: [`begin`] then [`run`].
pub fn dream(
    conn: &mut Connection,
    req: &DreamRequest,
    now: DateTime<Utc>,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(&DreamProgress),
) -> Result<DreamReport> {
    let begun = begin(conn, req, now)?;
    run(conn, &begun, now, cancel, progress)
}

/// Open a dream record for the agent, refusing if one is already running. Quick, so the app
/// can answer at once and run the rest in the background.
pub fn begin(conn: &mut Connection, req: &DreamRequest, now: DateTime<Utc>) -> Result<Begun> {
    let agent_id = agents::id_of(conn, &req.agent)?;
    let rubric = agents::rubric(conn, &req.agent)?;
    let days = req
        .window_days
        .unwrap_or(rubric.dreaming.review_window_days);
    if days == 0 || days > crate::rubric::MAX_WINDOW_DAYS {
        return Err(Error::invalid(format!(
            "a window of {days} days is outside 1 to {} days",
            crate::rubric::MAX_WINDOW_DAYS
        )));
    }
    let window_start = now - Duration::days(days as i64);

    // One dream per agent at a time; a "running" one whose process is gone was cut off.
    let tx = conn.transaction()?;
    super::liveness::recover(&tx, now)?;
    if let Some(other) = dreams::running(&tx, agent_id)? {
        return Err(Error::DreamRunning(format!(
            "dream #{other} is still running for {}; wait for it to finish or cancel it",
            req.agent
        )));
    }
    let dream_id = dreams::create(
        &tx,
        &dreams::NewDream {
            agent_id,
            trigger: req.trigger,
            window_days: days,
            window_start,
            window_end: now,
            memory_version_start: memory::version(&tx, agent_id)?,
            model: "offline",
        },
        now,
    )?;
    // Locked before the record is visible to anyone: a running dream always has its lock.
    let lock = super::liveness::lock(&tx, dream_id)?.map(std::sync::Arc::new);
    tx.commit()?;
    Ok(Begun {
        dream_id,
        agent: req.agent.clone(),
        agent_id,
        rubric,
        window_start,
        trigger: req.trigger,
        offline: false,
        _lock: lock,
    })
}

/// Run an opened dream to the end. On failure or cancel the record says so and memory is
/// untouched.
pub fn run(
    conn: &mut Connection,
    begun: &Begun,
    now: DateTime<Utc>,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(&DreamProgress),
) -> Result<DreamReport> {
    let clock = Clock::start(now);
    match run_steps(conn, begun, &clock, cancel, progress) {
        Ok(report) => Ok(report),
        Err(e) => {
            let status = if matches!(e, Error::Canceled) {
                DreamStatus::Canceled
            } else {
                DreamStatus::Failed
            };
            let message = e.to_string();
            let error = (status == DreamStatus::Failed).then_some(message.as_str());
            let finish = dreams::Finish {
                status,
                session_ids: &[],
                warning: None,
                error,
                notes: &[],
            };
            dreams::finish(conn, begun.dream_id, &finish, clock.now())?;
            Err(e)
        }
    }
}

/// The dream's `now`, moving on with the wall clock: the window and grades use the start; the
/// heartbeat and the end time are when they really happen.
pub struct Clock {
    start: DateTime<Utc>,
    since: std::time::Instant,
}

impl Clock {
    pub fn start(now: DateTime<Utc>) -> Self {
        Clock {
            start: now,
            since: std::time::Instant::now(),
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.start + chrono::Duration::from_std(self.since.elapsed()).unwrap_or_default()
    }
}

/// Whether the dream should stop: this process's flag, or a request from another process
/// (`reverie dream cancel`, the app) recorded on the dream.
pub fn should_stop(conn: &Connection, dream_id: i64, cancel: &AtomicBool) -> Result<bool> {
    if cancel.load(Ordering::Relaxed) {
        return Ok(true);
    }
    if dreams::cancel_requested(conn, dream_id)? {
        cancel.store(true, Ordering::Relaxed);
        return Ok(true);
    }
    Ok(false)
}

fn run_steps(
    conn: &mut Connection,
    begun: &Begun,
    clock: &Clock,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(&DreamProgress),
) -> Result<DreamReport> {
    let Begun {
        dream_id,
        agent_id,
        ref rubric,
        window_start,
        ..
    } = *begun;
    let now = clock.start;
    let mut step = |conn: &Connection, text: String, fraction: f64| -> Result<()> {
        if should_stop(conn, dream_id, cancel)? {
            return Err(Error::Canceled);
        }
        dreams::heartbeat(conn, dream_id, clock.now())?;
        progress(&DreamProgress {
            dream_id,
            agent: begun.agent.clone(),
            step: text,
            fraction,
        });
        Ok(())
    };
    step(conn, "Reading sessions".into(), 0.05)?;
    // One read transaction: the window, memory and past rejections are one consistent snapshot
    // even while imports and reviews write, and no write lock is held while reading.
    let read = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Deferred)?;
    let (sessions, rowids) = store::sessions::window(&read, agent_id, window_start, now)?;
    let memory_entries = memory::list(&read, agent_id)?;
    let rejected = dreams::rejected_patterns(&read, agent_id)?;
    // Entries old enough to judge need the sessions from before them too (their baseline).
    let judged_after = now - Duration::days(super::offline::effect::JUDGE_AFTER_DAYS);
    let history = if memory_entries
        .iter()
        .any(|e| e.created_at <= judged_after && offline::effect::matcher(e).is_some())
    {
        let far_past = DateTime::<Utc>::from_timestamp(0, 0).expect("epoch");
        Some(store::sessions::window(&read, agent_id, far_past, now)?.0)
    } else {
        None
    };
    read.commit()?;

    step(conn, format!("Reviewing {} sessions", sessions.len()), 0.3)?;
    let mut out = offline::run(&DreamInput {
        rubric,
        sessions: &sessions,
        memory: &memory_entries,
        rejected: &rejected,
        now,
    });
    if let Some(history) = &history {
        // Entries that never helped, unless a proposal already changes them or a person kept
        // one when a dream proposed removing it before.
        let skip: Vec<i64> = out
            .proposals
            .iter()
            .flat_map(|p| p.targets.iter().copied())
            .collect();
        let all: Vec<&offline::DreamSession> = history.iter().collect();
        for p in offline::effect::unhelpful(&memory_entries, &all, now, &skip) {
            if rejected.iter().any(|r| r.pattern == p.pattern) {
                continue;
            }
            out.proposals.push(p);
        }
    }

    // Tier 2: the LLM curator, when a provider is configured. If it fails, the offline
    // proposals stand and the warning says why.
    let mut curated = None;
    let mut curator_warning = None;
    if !begun.offline {
        let t = curator::TierTwoInput {
            agent: &begun.agent,
            trigger: begun.trigger,
            dream_id,
            now,
            curator: curator::CuratorInput {
                rubric,
                sessions: &sessions,
                memory: &memory_entries,
                offline: &out.proposals,
                residual: &out.residual,
                rejected: &rejected,
            },
        };
        let mut relay = |conn: &Connection, m: &str| {
            let _ = step(conn, m.to_string(), 0.6);
        };
        match curator::tier_two(conn, &t, clock, cancel, &mut relay)? {
            curator::TierTwo::Offline => {}
            curator::TierTwo::Curated(mut c) => {
                out.proposals.append(&mut c.proposals);
                out.notes.append(&mut c.notes);
                curated = Some(c);
            }
            curator::TierTwo::Failed { warning, .. } => curator_warning = Some(warning),
        }
    }

    step(
        conn,
        format!("Saving {} proposed changes", out.proposals.len()),
        0.9,
    )?;
    let days = (now - window_start).num_days().max(1) as f64;
    // What each would have spared, the most first: the order the review shows them in.
    offline::impact::rank(&mut out.proposals, &sessions, days as u32, &out.shapes);
    let per_week = sessions.len() as f64 * 7.0 / days;
    let warning = (per_week < MIN_SESSIONS_PER_WEEK).then(|| {
        format!(
            "Too little signal: {} sessions in {} days (about {:.0} a week; 20 a week or more is best). These proposals may be noise.",
            sessions.len(),
            days as i64,
            per_week
        )
    });
    let warning = match (warning, curator_warning) {
        (Some(a), Some(b)) => Some(format!("{b} {a}")),
        (a, b) => b.or(a),
    };
    let session_ids: Vec<String> = sessions.iter().map(|s| s.id.clone()).collect();
    let tx = conn.transaction()?;
    if let Some(c) = &curated {
        dreams::record_usage(
            &tx,
            dream_id,
            &c.model,
            c.usage.total_input(),
            c.usage.output_tokens,
            c.usage.cache_read_input_tokens,
            c.cost_usd,
        )?;
    }
    // Grades are stable: a session graded before keeps its grades (only feedback or a rubric
    // change regrades it); one no one graded yet gets this dream's.
    for (sid, grades) in &out.grades {
        if let Some(&rowid) = rowids.get(sid) {
            let graded: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM grades WHERE session_id = ?1)",
                [rowid],
                |r| r.get(0),
            )?;
            if !graded {
                store::grades::put(&tx, rowid, grades, Some(dream_id), now)?;
            }
        }
    }
    let mut ids = Vec::with_capacity(out.proposals.len());
    for p in &out.proposals {
        // The same pattern still waiting from an earlier dream is replaced by this fresher one.
        dreams::supersede_pending(&tx, agent_id, &p.pattern)?;
        ids.push(dreams::insert_proposal(&tx, agent_id, dream_id, p)?);
    }
    dreams::finish(
        &tx,
        dream_id,
        &dreams::Finish {
            status: DreamStatus::Completed,
            session_ids: &session_ids,
            warning: warning.as_deref(),
            error: None,
            notes: &out.notes,
        },
        clock.now(),
    )?;
    if rubric.dreaming.auto_apply {
        // Only well-supported, unflagged additions; everything else waits, saying why.
        let mut apply = Vec::new();
        for (id, p) in ids.iter().zip(&out.proposals) {
            let note = match super::auto::decide(p, &rubric.dreaming) {
                Ok(why) => {
                    apply.push(*id);
                    why
                }
                Err(why) => why,
            };
            dreams::set_auto_note(&tx, *id, &note)?;
        }
        review::apply_in(&tx, &apply, "auto_apply", clock.now())?;
    }
    tx.commit()?;
    // Committed: a cancel arriving now is too late, so the last step reports without checking.
    progress(&DreamProgress {
        dream_id,
        agent: begun.agent.clone(),
        step: "Done".into(),
        fraction: 1.0,
    });
    report(conn, dream_id)
}

pub fn report(conn: &Connection, dream_id: i64) -> Result<DreamReport> {
    let agent_id = dreams::agent_of(conn, dream_id)?;
    let proposals = dreams::proposals(conn, dream_id)?;
    let mut ids: Vec<i64> = proposals
        .iter()
        .flat_map(|p| p.targets.iter().copied())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let targets = ids
        .into_iter()
        .map(|id| memory::get(conn, agent_id, id).map(|(e, _)| e))
        .collect::<Result<_>>()?;
    Ok(DreamReport {
        dream: dreams::get(conn, dream_id)?,
        proposals,
        targets,
    })
}
