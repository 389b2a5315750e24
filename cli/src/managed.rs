//! `reverie managed`: Claude Managed Agents. The key is the keychain's Anthropic key, or
//! ANTHROPIC_API_KEY; ANTHROPIC_BASE_URL points at another server, as with the SDKs.

use clap::Subcommand;
use reverie::api::{dreams, managed, provider};
use reverie::model::{ManagedLink, StoreConflict};
use serde_json::json;

use super::{now, Ctx};

#[derive(Subcommand)]
pub enum Cmd {
    /// The managed agents your Anthropic key can see
    List,
    /// Link an agent to a managed agent (and, optionally, an existing memory store)
    Link {
        #[arg(long, value_name = "SLUG")]
        agent: String,
        managed_agent_id: String,
        /// Publish memory to this store; without it, the first push creates one
        #[arg(long, value_name = "ID")]
        memory_store: Option<String>,
    },
    /// Forget the link (sessions and memory already in Reverie stay)
    Unlink {
        #[arg(long, value_name = "SLUG")]
        agent: String,
    },
    /// Show the link: store, last pull and push, documents changed outside Reverie
    Show {
        #[arg(long, value_name = "SLUG")]
        agent: String,
    },
    /// Pull the managed agent's new and changed sessions, with the outcome grader's verdicts
    Pull {
        /// One agent; every linked agent when left out
        #[arg(long, value_name = "SLUG")]
        agent: Option<String>,
        /// Also add the store's entries Reverie does not have to memory
        #[arg(long)]
        memory: bool,
    },
    /// Publish the agent's memory to its memory store now
    Push {
        #[arg(long, value_name = "SLUG")]
        agent: Option<String>,
        /// Write over documents someone changed in the store
        #[arg(long)]
        force: bool,
    },
    /// Run Anthropic's dream on the store and the newest sessions; its changes wait for review
    Dream {
        #[arg(long, value_name = "SLUG")]
        agent: String,
        /// How many of the newest pulled sessions it reads (1 to 100)
        #[arg(long, default_value_t = 100)]
        sessions: u32,
    },
}

/// The agents a verb applies to: the one named, or every linked one.
fn linked(ctx: &Ctx, agent: Option<String>) -> reverie::Result<Vec<String>> {
    if let Some(a) = agent {
        return Ok(vec![a]);
    }
    let mut out = Vec::new();
    for a in reverie::api::agents::list(&ctx.conn)? {
        if managed::get(&ctx.conn, &a.slug)?.is_some() {
            out.push(a.slug);
        }
    }
    Ok(out)
}

fn conflicts_text(list: &[StoreConflict]) -> String {
    let mut s = String::new();
    for c in list {
        s.push_str(&format!(
            "\n  {} was changed outside Reverie and was not overwritten.\n    Reverie's: {}\n    The store's: {}",
            c.path,
            c.ours.trim().replace('\n', " | "),
            c.theirs
                .as_deref()
                .map(|t| t.trim().replace('\n', " | "))
                .unwrap_or_else(|| "(deleted)".into())
        ));
    }
    if !list.is_empty() {
        s.push_str("\n  Edit memory in Reverie, or run `reverie managed push --force` to write Reverie's over it.");
    }
    s
}

fn link_text(l: &ManagedLink) -> String {
    let when = |t: Option<chrono::DateTime<chrono::Utc>>| {
        t.map(|t| t.format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_else(|| "never".into())
    };
    let mut s = format!(
        "{} is linked to managed agent {} ({})\n  memory store: {}\n  sessions pulled: {}, last pull {}, last push {}",
        l.agent,
        l.managed_name,
        l.managed_agent_id,
        l.memory_store_id.as_deref().unwrap_or("none yet (the first push creates one)"),
        l.sessions,
        when(l.last_pull_at),
        when(l.last_push_at),
    );
    if let Some(e) = &l.last_error {
        s.push_str(&format!("\n  last problem: {e}"));
    }
    s.push_str(&conflicts_text(&l.conflicts));
    s
}

pub fn run(mut ctx: Ctx, cmd: Cmd) -> reverie::Result<()> {
    provider::allow_env_keys();
    let keychain = reverie::secret::Keychain::default();
    match cmd {
        Cmd::List => {
            let list = managed::list_agents(&ctx.conn, &keychain)?;
            ctx.out(&json!({ "agents": list }), || {
                if list.is_empty() {
                    return "Your key sees no managed agents.".into();
                }
                list.iter()
                    .map(|a| {
                        format!(
                            "{}  {}{}{}",
                            a.id,
                            a.name,
                            a.model
                                .as_deref()
                                .map(|m| format!(" ({m})"))
                                .unwrap_or_default(),
                            a.linked_to
                                .as_deref()
                                .map(|s| format!(", linked to {s}"))
                                .unwrap_or_default()
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        Cmd::Link {
            agent,
            managed_agent_id,
            memory_store,
        } => {
            let l = managed::link(
                &ctx.conn,
                &keychain,
                &agent,
                &managed_agent_id,
                memory_store.as_deref(),
                now(),
            )?;
            ctx.out(&l, || link_text(&l));
        }
        Cmd::Unlink { agent } => {
            managed::unlink(&ctx.conn, &agent)?;
            ctx.out(&json!({ "unlinked": agent }), || {
                format!("{agent} is no longer linked; its sessions and memory stay.")
            });
        }
        Cmd::Show { agent } => {
            let l = managed::get(&ctx.conn, &agent)?;
            ctx.out(&json!({ "link": l }), || match &l {
                Some(l) => link_text(l),
                None => format!("{agent} is not linked to a managed agent."),
            });
        }
        Cmd::Pull { agent, memory } => {
            let mut out = Vec::new();
            let mut failed = None;
            for a in linked(&ctx, agent)? {
                match managed::pull(&mut ctx.conn, &keychain, &a, memory, now()) {
                    Ok(r) => {
                        if !r.problems.is_empty() {
                            super::lines_failed();
                        }
                        out.push((a, r));
                    }
                    Err(e) => {
                        failed = Some(e);
                        break;
                    }
                }
            }
            let list: Vec<_> = out
                .iter()
                .map(|(a, r)| json!({"agent": a, "report": r}))
                .collect();
            ctx.out(&json!({ "pulled": list }), || {
                if out.is_empty() && failed.is_none() {
                    return "No agent is linked to a managed agent.".into();
                }
                out.iter()
                    .map(|(a, r)| {
                        let mut s = format!(
                            "{a}: {} sessions listed, {} new, {} updated, {} outcome verdicts",
                            r.listed, r.imported, r.updated, r.outcomes
                        );
                        if memory {
                            s.push_str(&format!(", {} memory entries added", r.memory_added));
                        }
                        for p in &r.problems {
                            s.push_str(&format!("\n  not read: {p}"));
                        }
                        s
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
            if let Some(e) = failed {
                return Err(e);
            }
        }
        Cmd::Push { agent, force } => {
            let mut out = Vec::new();
            for a in linked(&ctx, agent)? {
                let r = managed::push(&ctx.conn, &keychain, &a, force, now())?;
                if !r.conflicts.is_empty() {
                    super::lines_failed();
                }
                out.push((a, r));
            }
            let list: Vec<_> = out
                .iter()
                .map(|(a, r)| json!({"agent": a, "report": r}))
                .collect();
            ctx.out(&json!({ "pushed": list }), || {
                if out.is_empty() {
                    return "No agent is linked to a managed agent.".into();
                }
                out.iter()
                    .map(|(a, r)| {
                        format!(
                            "{a} -> {}: {} created, {} updated, {} deleted, {} unchanged{}",
                            r.memory_store_id,
                            r.created,
                            r.updated,
                            r.deleted,
                            r.unchanged,
                            conflicts_text(&r.conflicts)
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        Cmd::Dream { agent, sessions } => {
            let cancel = super::interrupt_flag("Canceling Anthropic's dream");
            let id = managed::dream(
                &mut ctx.conn,
                &keychain,
                &agent,
                sessions,
                cancel,
                chrono::Utc::now,
            )?;
            let r = dreams::report(&ctx.conn, id)?;
            ctx.out(&r, || super::dream::describe(&r));
        }
    }
    Ok(())
}
