use std::sync::atomic::AtomicBool;

use clap::{Args, Subcommand};
use reverie::api::{dreams, provider, review};
use reverie::dreaming::DreamRequest;
use reverie::model::{scope_label, Decision, DreamReport, DreamStatus, Proposal, Trigger};
use reverie::Error;
use serde_json::json;

use super::{now, Ctx};

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct DreamArgs {
    #[command(subcommand)]
    sub: Option<DreamCmd>,
    /// The agent to dream for
    #[arg(long, value_name = "SLUG")]
    agent: Option<String>,
    /// Use only the embedded offline dreamer (no API key, no network)
    #[arg(long)]
    offline: bool,
    /// Review the last N days instead of the rubric's review window
    #[arg(long, value_name = "N")]
    window_days: Option<u32>,
}

#[derive(Subcommand)]
pub enum DreamCmd {
    /// Undo a dream: memory goes back exactly to how it was before the dream's changes
    Undo { id: i64 },
    /// Show one dream with its proposals and their decisions
    Show { id: i64 },
    /// Stop a running dream (started here, in the app or by the scheduler); memory stays as
    /// it was, and a Message Batch it waits on is canceled
    Cancel { id: i64 },
    /// List an agent's dreams, newest first
    List {
        #[arg(long, value_name = "SLUG")]
        agent: String,
    },
}

#[derive(Subcommand)]
pub enum ReviewCmd {
    /// List proposals waiting for review
    List {
        #[arg(long, value_name = "SLUG")]
        agent: Option<String>,
    },
    /// Approve proposals and apply them to memory
    Approve {
        #[arg(required = true)]
        ids: Vec<i64>,
    },
    /// Reject proposals; later dreams remember and become more careful about the same pattern
    Reject {
        #[arg(required = true)]
        ids: Vec<i64>,
        /// Why, in your words (shown in the dream's history)
        #[arg(long)]
        reason: Option<String>,
    },
    /// Take decisions back: an applied change leaves memory again, a rejection is reopened;
    /// the changes wait for review again
    Undo {
        #[arg(required = true)]
        ids: Vec<i64>,
    },
}

fn print_proposals(out: &mut String, proposals: &[Proposal]) {
    for p in proposals {
        let scope = scope_label(&p.scope);
        out.push_str(&format!(
            "\n  #{:<5} {:<6} [{scope}] {}\n         {} (confidence {:.0}%{})",
            p.id,
            p.op.as_str(),
            p.content,
            p.rationale,
            p.confidence * 100.0,
            if p.flags.is_empty() {
                String::new()
            } else {
                let found: Vec<&str> = p.flags.iter().map(|f| f.detail.as_str()).collect();
                format!("; flagged: {}", found.join("; "))
            }
        ));
        if p.decision != Decision::Pending {
            out.push_str(&format!(" — {}", p.decision.as_str()));
        }
        if let Some(impact) = &p.impact {
            out.push_str(&format!("\n         {}", impact.words));
        }
        if let Some(note) = &p.auto_note {
            out.push_str(&format!("\n         {note}"));
        }
        for e in p.evidence.iter().take(3) {
            out.push_str(&format!("\n           {}: \"{}\"", e.session_id, e.quote));
        }
    }
}

pub fn describe(r: &DreamReport) -> String {
    let d = &r.dream;
    let mut s = format!(
        "Dream #{} for {}: {} — read {} sessions from the last {} days, {} proposed changes.",
        d.id,
        d.agent,
        d.status.as_str(),
        d.sessions_read,
        d.window_days,
        r.proposals.len()
    );
    if d.model != "offline" {
        s.push_str(&format!(
            "\nCurated by {}: {} input tokens, {} output tokens.",
            d.model, d.input_tokens, d.output_tokens
        ));
    }
    if let Some(w) = &d.warning {
        s.push_str(&format!("\nWarning: {w}"));
    }
    for n in &d.notes {
        s.push_str(&format!("\nNote: {n}"));
    }
    print_proposals(&mut s, &r.proposals);
    if d.pending > 0 {
        s.push_str("\n\nApprove with `reverie review approve ID...`, reject with `reverie review reject ID... --reason TEXT`.");
    }
    s
}

/// Wait until a dream that another process runs has ended, then read its report. Ctrl-C asks
/// it to stop.
fn wait_for(
    conn: &reverie::api::Connection,
    id: i64,
    cancel: &AtomicBool,
) -> reverie::Result<DreamReport> {
    loop {
        let d = dreams::get(conn, id)?;
        if !matches!(d.status, DreamStatus::Running | DreamStatus::Pending) {
            return dreams::report(conn, id);
        }
        if cancel.load(std::sync::atomic::Ordering::Relaxed) {
            let _ = dreams::cancel(conn, id, chrono::Utc::now());
        }
        std::thread::sleep(std::time::Duration::from_millis(500));
        reverie::dreaming::liveness::recover(conn, chrono::Utc::now())?;
    }
}

pub fn run_dream(mut ctx: Ctx, args: DreamArgs) -> reverie::Result<()> {
    match args.sub {
        Some(DreamCmd::Undo { id }) => {
            let u = dreams::undo(&mut ctx.conn, id, now())?;
            let n = u.reverted;
            ctx.out(&json!({ "dream": u.report.dream, "reverted_changes": n }), || {
                format!("Dream #{id} undone: {n} memory changes reverted; memory is as it was before the dream.")
            });
        }
        Some(DreamCmd::Cancel { id }) => {
            dreams::cancel(&ctx.conn, id, now())?;
            ctx.out(&json!({ "canceling": id }), || {
                format!("Asked dream #{id} to stop; it stops at its next step and memory stays as it was.")
            });
        }
        Some(DreamCmd::Show { id }) => {
            let r = dreams::report(&ctx.conn, id)?;
            ctx.out(&r, || describe(&r));
        }
        Some(DreamCmd::List { agent }) => {
            let list = dreams::list(&ctx.conn, &agent)?;
            ctx.out(&json!({ "dreams": list }), || {
                if list.is_empty() {
                    return format!(
                        "{agent} has not dreamed yet. Run `reverie dream --agent {agent}`."
                    );
                }
                list.iter()
                    .map(|d| {
                        format!(
                            "#{:<5} {} {:<11} {:>5} sessions {:>3} changes ({} waiting){}",
                            d.id,
                            reverie::schedule::words::on(
                                &d.started_at.with_timezone(&chrono::Local)
                            ),
                            d.status.as_str(),
                            d.sessions_read,
                            d.proposals,
                            d.pending,
                            if d.undone { " — undone" } else { "" }
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        None => {
            let Some(agent) = args.agent else {
                return Err(Error::invalid_field(
                    "agent",
                    "say which agent to dream for: `reverie dream --agent SLUG`",
                ));
            };
            // Without --offline, a configured provider's curator joins the offline dreamer; the
            // command line may take the key from ANTHROPIC_API_KEY / OPENAI_API_KEY.
            provider::allow_env_keys();
            let req = DreamRequest {
                agent,
                window_days: args.window_days,
                trigger: Trigger::Manual,
            };
            // Before a new dream: batches of dreams that died waiting on them are canceled.
            if let Err(e) = dreams::cancel_orphan_batches(&ctx.conn) {
                eprintln!("warning: {}", e.to_json().message);
            }
            let cancel = super::interrupt_flag("Stopping the dream (memory stays as it was)");
            let r = match dreams::start(&mut ctx.conn, &req, now())? {
                dreams::Started::New(begun) => {
                    let begun = if args.offline {
                        begun.offline()
                    } else {
                        *begun
                    };
                    dreams::run(&mut ctx.conn, &begun, now(), cancel, &mut |_| {})?
                }
                // The agent is already dreaming (the scheduler, the app): wait for that one.
                dreams::Started::Joined(d) => {
                    if !ctx.json {
                        eprintln!(
                            "Dream #{} is already running for {}; waiting for it.",
                            d.id, d.agent
                        );
                    }
                    wait_for(&ctx.conn, d.id, cancel)?
                }
            };
            if let Some(w) = &r.dream.warning {
                if ctx.json {
                    eprintln!("warning: {w}");
                }
            }
            ctx.out(&r, || describe(&r));
        }
    }
    Ok(())
}

pub fn run_review(mut ctx: Ctx, cmd: ReviewCmd) -> reverie::Result<()> {
    match cmd {
        ReviewCmd::List { agent } => {
            let list = review::pending(&ctx.conn, agent.as_deref())?;
            ctx.out(&json!({ "proposals": list }), || {
                if list.is_empty() {
                    return "Nothing waiting for review.".into();
                }
                let mut s = format!("{} changes waiting for review:", list.len());
                print_proposals(&mut s, &list);
                s
            });
        }
        ReviewCmd::Approve { ids } => {
            let done = review::approve(&mut ctx.conn, &ids, now())?;
            ctx.out(&json!({ "proposals": done }), || {
                format!("Applied {} changes to memory.", done.len())
            });
        }
        ReviewCmd::Undo { ids } => {
            let done = review::take_back(&mut ctx.conn, &ids, now())?;
            ctx.out(&json!({ "proposals": done }), || {
                format!(
                    "Took back {} decisions; those changes wait for review again.",
                    done.len()
                )
            });
        }
        ReviewCmd::Reject { ids, reason } => {
            let done = review::reject(&mut ctx.conn, &ids, reason.as_deref(), now())?;
            ctx.out(&json!({ "proposals": done }), || {
                format!(
                    "Rejected {} changes; later dreams will be more careful about them.",
                    done.len()
                )
            });
        }
    }
    Ok(())
}
