//! `reverie scheduler run | status`: dreams on their schedules without a window. The loop is
//! the engine's, the same one the app's scheduler thread runs.

use std::sync::atomic::AtomicBool;
use std::time::Duration;

use clap::Subcommand;
use reverie::api::provider;
use reverie::api::schedule::{self, Listener, Outcome};
use serde_json::json;

use super::{now, write_out, Ctx};

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

fn describe_outcome(o: &Outcome) -> (String, serde_json::Value) {
    use Outcome::*;
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

/// Prints each slot's outcome as a line of text, or of JSON.
struct Printer {
    json: bool,
    printed: usize,
}

impl Listener for Printer {
    fn outcome(&mut self, _conn: &rusqlite::Connection, o: &Outcome) {
        let (text, value) = describe_outcome(o);
        write_out(&if self.json { value.to_string() } else { text });
        self.printed += 1;
    }
}

pub fn run(ctx: Ctx, cmd: SchedulerCmd) -> reverie::Result<()> {
    // Headless: scheduled dreams may take the key from ANTHROPIC_API_KEY / OPENAI_API_KEY.
    provider::allow_env_keys();
    match cmd {
        SchedulerCmd::Status => {
            let list = schedule::overview(&ctx.conn, now())?;
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
        SchedulerCmd::Run { once: true } => {
            let mut conn = ctx.conn;
            let mut printer = Printer {
                json: ctx.json,
                printed: 0,
            };
            schedule::run_due(
                &mut conn,
                now(),
                &mut printer,
                chrono::Duration::seconds(60),
            )?;
            if printer.printed == 0 && !ctx.json {
                write_out("Nothing due.");
            }
        }
        SchedulerCmd::Run { once: false } => {
            // A long-running loop follows the clock (`--now` applies to one pass only).
            let stop = AtomicBool::new(false);
            let mut printer = Printer {
                json: ctx.json,
                printed: 0,
            };
            drop(ctx.conn);
            schedule::run_loop(&ctx.path, &mut printer, &stop, Duration::from_secs(60));
        }
    }
    Ok(())
}
