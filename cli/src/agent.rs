use clap::Subcommand;
use reverie::api::agents;
use serde_json::json;

use super::{now, Ctx};

#[derive(Subcommand)]
pub enum Cmd {
    /// List agents with their session and memory counts
    List,
    /// Create an agent with the default rubric
    Create {
        /// Short name: lowercase letters, digits and dashes (e.g. social-drafts)
        slug: String,
        /// Display name (default: from the slug)
        #[arg(long)]
        name: Option<String>,
    },
    /// Show one agent
    Show { slug: String },
    /// Let MCP clients record feedback for this agent (on), or stop them (off)
    McpWrite {
        slug: String,
        #[arg(value_parser = ["on", "off"])]
        state: String,
    },
}

pub fn run(mut ctx: Ctx, cmd: Cmd) -> reverie::Result<()> {
    match cmd {
        Cmd::List => {
            let list = agents::list(&ctx.conn)?;
            ctx.out(&json!({ "agents": list }), || {
                if list.is_empty() {
                    return "No agents yet. Import sessions with `reverie import FILE`.".into();
                }
                let mut s = format!(
                    "{:<24} {:<28} {:>8} {:>7}",
                    "SLUG", "NAME", "SESSIONS", "MEMORY"
                );
                for a in &list {
                    s.push_str(&format!(
                        "\n{:<24} {:<28} {:>8} {:>7}",
                        a.slug, a.name, a.sessions, a.memory_entries
                    ));
                }
                s
            });
        }
        Cmd::McpWrite { slug, state } => {
            let on = state == "on";
            let patch = reverie::model::AgentPatch {
                mcp_write: Some(on),
                ..Default::default()
            };
            let a = agents::update(&ctx.conn, &slug, &patch, now())?;
            ctx.out(&json!({ "agent": a }), || {
                if on {
                    format!("MCP clients may now record feedback for {slug}; what they send is stored as untrusted session data.")
                } else {
                    format!("MCP clients can no longer record feedback for {slug}.")
                }
            });
        }
        Cmd::Create { slug, name } => {
            let a = agents::create(&mut ctx.conn, &slug, name.as_deref(), now())?;
            ctx.out(&json!({ "agent": a }), || {
                format!("Created agent {} ({}).", a.name, a.slug)
            });
        }
        Cmd::Show { slug } => {
            let a = agents::get(&ctx.conn, &slug)?;
            ctx.out(&json!({ "agent": a }), || {
                format!(
                    "{} ({})\n  model: {}\n  memory: {} ({} entries)\n  sessions: {}{}\n  system prompt: {}",
                    a.name,
                    a.slug,
                    a.model.as_deref().unwrap_or("default"),
                    if a.memory_enabled { "on" } else { "off" },
                    a.memory_entries,
                    a.sessions,
                    a.last_session_at
                        .map(|t| format!(" (latest {})", t.format("%Y-%m-%d")))
                        .unwrap_or_default(),
                    if a.system_prompt.is_empty() { "(none)" } else { &a.system_prompt }
                )
            });
        }
    }
    Ok(())
}
