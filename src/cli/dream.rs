use std::sync::atomic::AtomicBool;

use clap::{Args, Subcommand};
use reverie::dreaming::{self, DreamRequest};
use reverie::model::{Decision, DreamReport, Proposal};
use reverie::store::{agents, dreams};
use reverie::{memory_io, review, scheduler, Error};
use serde_json::json;

pub use super::provider::{run_provider, ProviderCmd};
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
}

#[derive(Subcommand)]
pub enum SchedulerCmd {
    /// Run dreams when their schedules say, until stopped (Ctrl-C)
    Run {
        /// Run whatever is due or was missed, then exit
        #[arg(long)]
        once: bool,
    },
    /// Show each agent's schedule, next run and what happened last time
    Status,
}

fn print_proposals(out: &mut String, proposals: &[Proposal]) {
    for p in proposals {
        let scope = memory_io::scope_label(&p.scope);
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
                format!("; flagged: {}", p.flags.join(", "))
            }
        ));
        if p.decision != Decision::Pending {
            out.push_str(&format!(" — {}", p.decision.as_str()));
        }
        for e in p.evidence.iter().take(3) {
            out.push_str(&format!("\n           {}: \"{}\"", e.session_id, e.quote));
        }
    }
}

fn describe(r: &DreamReport) -> String {
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

pub fn run_dream(mut ctx: Ctx, args: DreamArgs) -> reverie::Result<()> {
    match args.sub {
        Some(DreamCmd::Undo { id }) => {
            let n = review::undo_dream(&mut ctx.conn, id, now())?;
            let r = dreaming::report(&ctx.conn, id)?;
            ctx.out(&json!({ "dream": r.dream, "reverted_changes": n }), || {
                format!("Dream #{id} undone: {n} memory changes reverted; memory is as it was before the dream.")
            });
        }
        Some(DreamCmd::Show { id }) => {
            let r = dreaming::report(&ctx.conn, id)?;
            ctx.out(&r, || describe(&r));
        }
        Some(DreamCmd::List { agent }) => {
            let id = agents::id_of(&ctx.conn, &agent)?;
            let list = dreams::list(&ctx.conn, id, 200)?;
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
                            d.started_at.format("%Y-%m-%d %H:%M"),
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
                return Err(Error::InvalidInput(
                    "say which agent to dream for: `reverie dream --agent SLUG`".into(),
                ));
            };
            // Without --offline, a configured provider's curator joins the offline dreamer; the
            // command line may take the key from ANTHROPIC_API_KEY / OPENAI_API_KEY.
            reverie::llm::config::allow_env_keys();
            let req = DreamRequest {
                agent,
                window_days: args.window_days,
                trigger: "manual".into(),
            };
            let cancel = AtomicBool::new(false);
            let mut begun = dreaming::begin(&mut ctx.conn, &req, now())?;
            if args.offline {
                begun = begun.offline();
            }
            let r = dreaming::run(&mut ctx.conn, &begun, now(), &cancel, &mut |_| {})?;
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
            let agent_id = agent
                .as_deref()
                .map(|a| agents::id_of(&ctx.conn, a))
                .transpose()?;
            let list = dreams::pending(&ctx.conn, agent_id)?;
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

fn describe_outcome(o: &scheduler::Outcome) -> (String, serde_json::Value) {
    use scheduler::Outcome::*;
    match o {
        Dreamed(r) => (
            format!(
                "{}: dreamed (#{}), {} changes to review{}",
                r.dream.agent,
                r.dream.id,
                r.dream.pending,
                if r.dream.applied > 0 {
                    format!(", {} applied", r.dream.applied)
                } else {
                    String::new()
                }
            ),
            json!({"agent": r.dream.agent, "outcome": "dreamed", "dream": r.dream}),
        ),
        Skipped { agent, reason } => (
            format!("{agent}: skipped. {reason}"),
            json!({"agent": agent, "outcome": "skipped", "reason": reason}),
        ),
        Busy { agent, reason } => (
            format!("{agent}: busy. {reason}"),
            json!({"agent": agent, "outcome": "busy", "reason": reason}),
        ),
        Failed {
            agent,
            error,
            dream_id,
        } => (
            format!("{agent}: dream failed. {error}"),
            json!({"agent": agent, "outcome": "failed", "error": error.to_json(), "dream_id": dream_id}),
        ),
        Canceled { agent, dream_id } => (
            format!("{agent}: dream #{dream_id} canceled."),
            json!({"agent": agent, "outcome": "canceled", "dream_id": dream_id}),
        ),
    }
}

pub fn run_scheduler(mut ctx: Ctx, cmd: SchedulerCmd) -> reverie::Result<()> {
    // Headless: scheduled dreams may take the key from ANTHROPIC_API_KEY / OPENAI_API_KEY.
    reverie::llm::config::allow_env_keys();
    match cmd {
        SchedulerCmd::Status => {
            let list = scheduler::overview(&ctx.conn, now())?;
            ctx.out(&json!({ "agents": list }), || {
                if list.is_empty() {
                    return "No agents yet.".into();
                }
                list.iter()
                    .map(|s| {
                        let next = s
                            .next_run
                            .map(|t| {
                                t.with_timezone(&chrono::Local)
                                    .format("%a %Y-%m-%d %H:%M")
                                    .to_string()
                            })
                            .unwrap_or_else(|| "never".into());
                        let last = s
                            .last
                            .as_ref()
                            .map(|l| {
                                format!(
                                    "; last: {}{}",
                                    l.outcome,
                                    l.reason
                                        .as_ref()
                                        .map(|r| format!(" ({r})"))
                                        .unwrap_or_default()
                                )
                            })
                            .unwrap_or_default();
                        format!("{}: {} — next {next}{last}", s.agent, s.words)
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        SchedulerCmd::Run { once } => {
            let cancel = AtomicBool::new(false);
            loop {
                // `--now` applies to a single pass; a long-running loop follows the clock.
                let t = if once { now() } else { chrono::Utc::now() };
                let outcomes = scheduler::tick(&mut ctx.conn, t, &cancel, &mut |_| {})?;
                for o in &outcomes {
                    let (text, value) = describe_outcome(o);
                    if ctx.json {
                        super::write_out(&value.to_string());
                    } else {
                        super::write_out(&text);
                    }
                }
                if once {
                    if outcomes.is_empty() && !ctx.json {
                        super::write_out("Nothing due.");
                    }
                    return Ok(());
                }
                let wake = scheduler::next_wake(
                    &ctx.conn,
                    chrono::Utc::now(),
                    chrono::Duration::seconds(60),
                )?;
                let wait = (wake - chrono::Utc::now()).to_std().unwrap_or_default();
                std::thread::sleep(wait.max(std::time::Duration::from_secs(1)));
            }
        }
    }
    Ok(())
}
