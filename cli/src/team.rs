//! `reverie team`: teams of agents (a lead that delegates to specialists over a shared folder)
//! and their runs, streamed as one line per step of each lane.

use std::path::PathBuf;

use clap::Subcommand;
use reverie::api::teams;
use reverie::model::{RunEvent, RunEventKind, Team};
use serde_json::json;

use super::work::{parse_tag, scope};
use super::{now, Ctx};

#[derive(Subcommand)]
pub enum Cmd {
    /// Make a team: a lead agent, its specialists and the folder they share
    Create {
        slug: String,
        #[arg(long, value_name = "AGENT")]
        lead: String,
        /// A specialist (repeat for more)
        #[arg(long = "member", value_name = "AGENT", required = true)]
        members: Vec<String>,
        /// The shared folder (made if missing)
        #[arg(long, value_name = "PATH")]
        folder: PathBuf,
        /// A name for people (default: the short name)
        #[arg(long)]
        name: Option<String>,
        /// Specialists working at once
        #[arg(long, default_value_t = 3)]
        max_parallel: u32,
        /// Tokens (input and output) one run may use in all
        #[arg(long, value_name = "TOKENS")]
        budget: Option<u64>,
        /// An agent of the team that gets no file tools (repeat for more)
        #[arg(long = "no-tools", value_name = "AGENT")]
        no_tools: Vec<String>,
    },
    /// Make the ready-made content team: a lead, a researcher, a drafter and a fact-checker
    CreateContent {
        #[arg(long, value_name = "PATH")]
        folder: PathBuf,
    },
    List,
    Show {
        slug: String,
    },
    /// Give the team a task: the lead delegates, the specialists work; streams each lane
    Run {
        slug: String,
        /// A tag of the task, such as client=Harbour Tea (repeat for more)
        #[arg(long = "tag", value_name = "KEY=VALUE", value_parser = parse_tag)]
        tags: Vec<(String, String)>,
        text: String,
    },
    /// A run: its output and the session of each agent in it
    ShowRun {
        id: i64,
    },
}

fn team_text(t: &Team) -> String {
    let mut s = format!("{} ({}), folder {}", t.name, t.slug, t.folder);
    for m in &t.members {
        let tools = if m.tools.is_empty() {
            "no tools".to_string()
        } else {
            m.tools
                .iter()
                .map(|t| t.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        s.push_str(&format!(
            "\n  {} {} ({}): {}",
            if m.lead { "lead      " } else { "specialist" },
            m.agent,
            m.name,
            tools
        ));
    }
    s.push_str(&format!(
        "\n  at most {} at once{}",
        t.max_parallel,
        t.budget_tokens
            .map(|b| format!(", budget {b} tokens a run"))
            .unwrap_or_default()
    ));
    s
}

/// One lane event as a line; text still being written waits for its whole turn, since lines
/// are whole steps.
fn event_line(e: &RunEvent) -> Option<String> {
    let who = if e.lead {
        format!("[{} (lead)]", e.agent)
    } else {
        format!("[{}]", e.agent)
    };
    let one_line = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
    Some(match e.kind {
        RunEventKind::Started => format!("{who} started: {}", one_line(&e.text)),
        RunEventKind::Tool => format!("{who} {}", one_line(&e.text)),
        RunEventKind::File => format!("{who} wrote {}", e.text),
        RunEventKind::Text => format!("{who} {}", one_line(&e.text)),
        RunEventKind::Writing => return None,
        RunEventKind::Finished => format!("{who} done: {}", one_line(&e.text)),
        RunEventKind::Failed => format!("{who} failed: {}", one_line(&e.text)),
    })
}

pub fn run(mut ctx: Ctx, cmd: Cmd) -> reverie::Result<()> {
    match cmd {
        Cmd::Create {
            slug,
            lead,
            members,
            folder,
            name,
            max_parallel,
            budget,
            no_tools,
        } => {
            let folder = std::path::absolute(&folder).unwrap_or(folder);
            let t = teams::create(
                &mut ctx.conn,
                &teams::NewTeam {
                    slug,
                    name,
                    lead,
                    members,
                    folder,
                    max_parallel,
                    budget_tokens: budget,
                    no_tools,
                },
                now(),
            )?;
            ctx.out(&t, || team_text(&t));
        }
        Cmd::CreateContent { folder } => {
            let folder = std::path::absolute(&folder).unwrap_or(folder);
            let t = teams::create_content_team(&mut ctx.conn, &folder, now())?;
            ctx.out(&t, || {
                let mut s = team_text(&t);
                if reverie::api::provider::status(&ctx.conn)
                    .map(|p| !p.configured)
                    .unwrap_or(true)
                {
                    s.push_str("\nTo run it, connect Claude or a local model first: `reverie provider set …`.");
                }
                s
            });
        }
        Cmd::List => {
            let list = teams::list(&ctx.conn)?;
            ctx.out(&json!({ "teams": list }), || {
                if list.is_empty() {
                    return "No teams yet. Make one with `reverie team create` or `reverie team create-content`.".into();
                }
                list.iter().map(team_text).collect::<Vec<_>>().join("\n")
            });
        }
        Cmd::Show { slug } => {
            let t = teams::get(&ctx.conn, &slug)?;
            ctx.out(&t, || team_text(&t));
        }
        Cmd::Run { slug, tags, text } => {
            let req = teams::RunRequest {
                team: slug,
                task: text,
                tags: scope(tags)?,
            };
            let id = teams::begin(&ctx.conn, &req, now())?;
            let cancel = super::interrupt_flag("Stopping every member of the team");
            let json = ctx.json;
            let print = move |e: &RunEvent| {
                if let Some(line) = event_line(e).filter(|_| !json) {
                    super::write_out(&line);
                }
            };
            let r = teams::run(&ctx.path, id, &req, cancel, &print)?;
            ctx.out(&r, || {
                let mut s = format!("\nRun {} {}", r.id, r.status);
                if let Some(o) = &r.output {
                    s.push_str(&format!(":\n{o}"));
                }
                if let Some(e) = &r.error {
                    s.push_str(&format!(": {e}"));
                }
                s
            });
            if r.status != reverie::model::RunStatus::Completed {
                return Err(reverie::Error::ProviderFailed(
                    r.error
                        .unwrap_or_else(|| format!("the run ended as {}", r.status)),
                ));
            }
        }
        Cmd::ShowRun { id } => {
            let r = teams::get_run(&ctx.conn, id)?;
            ctx.out(&r, || {
                let mut s = format!("Run {} of {}: {} ({})", r.id, r.team, r.task, r.status);
                if let Some(l) = &r.lead_session {
                    s.push_str(&format!("\n  lead session {l}"));
                }
                for d in &r.delegations {
                    s.push_str(&format!(
                        "\n  {} session {}{}: {}",
                        d.agent,
                        d.session,
                        if d.ok { "" } else { " (failed)" },
                        d.task
                    ));
                }
                s
            });
        }
    }
    Ok(())
}
