//! The LLM curator, tier 2 of dreaming: builds the prompt from the offline tier's output,
//! keeps it within budget (`count_tokens` for Anthropic), asks the provider for structured
//! proposals, checks every citation, and reports tokens and cost. It never touches the
//! database; `dreaming` stores what it returns, or notes why it failed.

use std::sync::atomic::AtomicBool;
use std::sync::mpsc;

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use crate::dreaming::offline::{DreamSession, ProposalDraft, RejectedPattern, Residual};
use crate::error::{Error, Result};
use crate::llm::{block_on, price, Failure, Heard, Mode, Provider, ProviderKind, Usage};
use crate::model::{MemoryEntry, Trigger};

pub mod cite;
pub mod prompt;

use crate::rubric::Rubric;
use cite::Checked;

/// Input tokens above which the excerpts are cut down before sending.
pub const INPUT_BUDGET_TOKENS: u64 = 24_000;

pub struct CuratorInput<'a> {
    pub rubric: &'a Rubric,
    pub sessions: &'a [DreamSession],
    pub memory: &'a [MemoryEntry],
    pub offline: &'a [ProposalDraft],
    /// What the offline tier could not explain: the excerpts come from these sessions.
    pub residual: &'a [Residual],
    pub rejected: &'a [RejectedPattern],
}

/// What the curator adds to a dream.
#[derive(Debug, Default)]
pub struct Curated {
    /// New proposals only (duplicates of the offline ones are already left out).
    pub proposals: Vec<ProposalDraft>,
    pub notes: Vec<String>,
    pub model: String,
    pub usage: Usage,
    pub cost_usd: f64,
    pub checked_counts: (usize, usize, usize, usize),
}

/// How to send for a dream: batches for scheduled dreams when chosen, streaming when a person
/// started the dream and waits.
pub fn mode_for(provider: &Provider, trigger: Trigger) -> Mode {
    match (provider.kind, trigger) {
        (ProviderKind::Anthropic, Trigger::Scheduled) if provider.use_batches => Mode::Batch,
        (ProviderKind::Anthropic, Trigger::Manual) => Mode::Stream,
        _ => Mode::Plain,
    }
}

fn note(label: &str, c: &Checked) -> String {
    let mut s = format!(
        "{label} reviewed the window and proposed {} changes; {} added here",
        c.proposed,
        c.kept.len()
    );
    let mut parts = Vec::new();
    if c.unsupported > 0 {
        parts.push(format!(
            "{} dropped for citing sessions or quotes that are not in this window",
            c.unsupported
        ));
    }
    if c.malformed > 0 {
        parts.push(format!(
            "{} dropped as malformed (unknown entries or empty)",
            c.malformed
        ));
    }
    if c.duplicates > 0 {
        parts.push(format!(
            "{} already proposed by the offline dreamer",
            c.duplicates
        ));
    }
    if c.rejected_before > 0 {
        parts.push(format!("{} you rejected before", c.rejected_before));
    }
    if !parts.is_empty() {
        s.push_str(&format!(" ({})", parts.join("; ")));
    }
    s.push('.');
    s
}

/// Ask the provider and check its answer. `progress` hears short status lines.
pub async fn curate(
    provider: &Provider,
    input: &CuratorInput<'_>,
    mode: Mode,
    cancel: &AtomicBool,
    progress: &mut (dyn FnMut(Heard) + Send),
) -> Result<Curated> {
    let label = provider.kind.label();
    let fail = |f: crate::llm::Failure| f.into_error(&label);
    let mut shrink = 0;
    let mut p = prompt::build(
        input.rubric,
        input.memory,
        input.sessions,
        input.offline,
        input.residual,
        0,
    );
    loop {
        let tokens = match provider.count_tokens(&p, cancel).await {
            Ok(n) => n,
            Err(f @ (Failure::KeyRefused | Failure::Canceled)) => return Err(fail(f)),
            // A definitive refusal (a bad request, an unknown model) would refuse the dream's
            // request too: stop here rather than pay for it.
            Err(
                f @ Failure::Status {
                    status: 400 | 404 | 413 | 422,
                    ..
                },
            ) => return Err(fail(f)),
            // Counting is a budget check, not the work: an estimate will do.
            Err(_) => p.estimate_tokens(),
        };
        if tokens <= INPUT_BUDGET_TOKENS || shrink >= 4 {
            break;
        }
        shrink += 1;
        p = prompt::build(
            input.rubric,
            input.memory,
            input.sessions,
            input.offline,
            input.residual,
            shrink,
        );
    }
    progress(Heard::Progress(format!("Asking {}", provider.label())));
    let reply = provider
        .ask(&p, mode, cancel, progress)
        .await
        .map_err(fail)?;
    let model = if reply.model.is_empty() {
        provider.model.clone()
    } else {
        reply.model.clone()
    };
    let cost_usd = price::cost_usd(&model, &reply.usage, mode == Mode::Batch);
    // Cut off at the length limit, the structured answer is missing or partial: a failure with
    // its reason, never "no changes".
    if matches!(reply.stop_reason.as_deref(), Some("max_tokens" | "length")) {
        return Err(Error::ProviderFailed(format!(
            "{label}'s answer was cut off at its length limit ({} output tokens) before it finished, so its proposals were not used",
            p.max_tokens
        )));
    }
    if reply.output.is_null() {
        return Err(Error::ProviderFailed(format!(
            "{label} answered without the structured proposals (stop reason: {})",
            reply.stop_reason.as_deref().unwrap_or("unknown")
        )));
    }
    let checked = cite::check(
        &reply.output,
        &model,
        input.sessions,
        input.memory,
        input.offline,
        input.rejected,
    );
    let note = note(&provider.label(), &checked);
    Ok(Curated {
        checked_counts: (
            checked.unsupported,
            checked.malformed,
            checked.duplicates,
            checked.rejected_before,
        ),
        proposals: checked.kept,
        notes: vec![note],
        model,
        usage: reply.usage,
        cost_usd,
    })
}

/// [`curate`] from a plain thread: the network runs on a scoped thread of its own while this
/// one relays what it hears to `on_heard` (which may touch the database: the heartbeat, a
/// batch id, a cancel asked for by another process), and an empty progress line every second
/// when nothing else arrives.
pub fn curate_blocking(
    provider: &Provider,
    input: &CuratorInput<'_>,
    mode: Mode,
    cancel: &AtomicBool,
    on_heard: &mut dyn FnMut(Heard),
) -> Result<Curated> {
    std::thread::scope(|s| {
        let (tx, rx) = mpsc::channel::<Heard>();
        let worker = s.spawn(move || {
            let mut send = move |h: Heard| {
                let _ = tx.send(h);
            };
            block_on(curate(provider, input, mode, cancel, &mut send))?
        });
        loop {
            match rx.recv_timeout(std::time::Duration::from_secs(1)) {
                Ok(h) => on_heard(h),
                Err(mpsc::RecvTimeoutError::Timeout) => on_heard(Heard::Progress(String::new())),
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            }
        }
        worker
            .join()
            .map_err(|_| Error::Internal("the curator thread panicked".into()))?
    })
}

/// The dream's warning when the curator failed: why, and that the offline proposals stand.
pub fn failure_warning(label: &str, e: &Error) -> String {
    format!(
        "{label} could not review this dream, so these are Reverie's own proposals only (made without AI): {e}. Memory was not changed by it."
    )
}

/// Where a dream's second tier stands.
#[derive(Debug)]
pub enum TierTwo {
    /// No provider configured, or the dream was asked to stay offline.
    Offline,
    Curated(Curated),
    /// The curator failed; the warning says why. The offline proposals stand.
    Failed {
        warning: String,
        error: Error,
    },
}

pub struct TierTwoInput<'a> {
    pub agent: &'a str,
    /// `manual` (someone waits: stream) or `scheduled` (batches when chosen).
    pub trigger: Trigger,
    pub dream_id: i64,
    pub now: DateTime<Utc>,
    pub curator: CuratorInput<'a>,
}

/// Run the curator for a dream when a provider is configured. Only cancellation and database
/// errors are errors; a failing provider becomes [`TierTwo::Failed`].
pub fn tier_two(
    conn: &Connection,
    t: &TierTwoInput,
    clock: &super::Clock,
    cancel: &AtomicBool,
    on_progress: &mut dyn FnMut(&Connection, &str),
) -> Result<TierTwo> {
    let model = crate::store::agents::get(conn, t.agent)?.model;
    let keychain = crate::secret::Keychain::default();
    let label = crate::llm::provider::load(conn)?
        .map(|c| c.kind.label())
        .unwrap_or_default();
    let provider = match crate::llm::provider::resolve(conn, model.as_deref(), &keychain) {
        Ok(None) => return Ok(TierTwo::Offline),
        Ok(Some(p)) => p,
        Err(e) => {
            return Ok(TierTwo::Failed {
                warning: failure_warning(&label, &e),
                error: e,
            })
        }
    };
    let mut relay = |h: Heard| {
        let stored = match &h {
            Heard::BatchOpened(id) => crate::store::dreams::set_batch(conn, t.dream_id, id, true),
            Heard::BatchClosed(id) => crate::store::dreams::set_batch(conn, t.dream_id, id, false),
            Heard::Progress(_) | Heard::Text(_) | Heard::TextReset => Ok(()),
        };
        if let Err(e) = stored {
            eprintln!("reverie: could not record the batch: {e}");
        }
        // A cancel asked for by another process reaches the network thread through `cancel`;
        // the progress step below also keeps the heartbeat fresh while a batch waits.
        let _ = super::should_stop(conn, t.dream_id, cancel);
        match h {
            Heard::Progress(m) if !m.is_empty() => on_progress(conn, &m),
            Heard::Progress(_) => {
                let _ = crate::store::dreams::heartbeat(conn, t.dream_id, clock.now());
            }
            _ => {}
        }
    };
    let mode = mode_for(&provider, t.trigger);
    match curate_blocking(&provider, &t.curator, mode, cancel, &mut relay) {
        Ok(c) => Ok(TierTwo::Curated(c)),
        Err(Error::Canceled) => Err(Error::Canceled),
        Err(e) => Ok(TierTwo::Failed {
            warning: failure_warning(&label, &e),
            error: e,
        }),
    }
}

/// Cancel the Message Batches of dreams that died while waiting on them, so nothing is billed
/// and lost; a batch whose cancel does not get through is tried again next time.
pub fn cancel_orphan_batches(conn: &Connection) -> Result<usize> {
    let orphans = crate::store::dreams::orphan_batches(conn)?;
    if orphans.is_empty() {
        return Ok(0);
    }
    let keychain = crate::secret::Keychain::default();
    let Some(provider) = crate::llm::provider::resolve(conn, None, &keychain)? else {
        return Ok(0);
    };
    if provider.kind != crate::model::ProviderKind::Anthropic {
        return Ok(0);
    }
    let client = crate::llm::anthropic::Anthropic::new(&provider)
        .map_err(|f| f.into_error(&provider.kind.label()))?;
    let mut canceled = 0;
    for (dream_id, batch) in orphans {
        if crate::llm::block_on(client.cancel_batch(&batch))? {
            crate::store::dreams::set_batch(conn, dream_id, &batch, false)?;
            crate::store::dreams::add_note(
                conn,
                dream_id,
                &format!("Canceled its unfinished Message Batch ({batch}) after Reverie stopped, so it is not billed."),
            )?;
            canceled += 1;
        }
    }
    Ok(canceled)
}
