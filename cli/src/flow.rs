//! `reverie source` (sessions in) and `reverie publish` (memory out).

use std::path::PathBuf;

use clap::{Subcommand, ValueEnum};
use reverie::api::flow;
use reverie::import::Format;
use reverie::model::{DestinationKind, Published};
use serde_json::json;

use super::work::{parse_tag, scope};
use super::{now, Ctx};

#[derive(Subcommand)]
pub enum SourceCmd {
    /// Sync a folder (such as a Claude Code project under ~/.claude/projects) or a file into
    /// an agent; its sessions get the tags given here
    Add {
        #[arg(long, value_name = "SLUG")]
        agent: String,
        path: PathBuf,
        /// A tag for every session from it, such as repo=billing-api (repeat for more)
        #[arg(long = "tag", value_name = "KEY=VALUE", value_parser = parse_tag)]
        tags: Vec<(String, String)>,
        /// Read files as this format instead of detecting each one's
        #[arg(long, value_enum)]
        format: Option<FormatArg>,
    },
    /// List sources with what they hold and what could not be read
    List {
        #[arg(long, value_name = "SLUG")]
        agent: Option<String>,
    },
    /// Stop syncing a source (its sessions stay)
    Remove { id: i64 },
    /// Import what is new or changed in every source now
    Sync {
        #[arg(long, value_name = "SLUG")]
        agent: Option<String>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum FormatArg {
    Reverie,
    Anthropic,
    Openai,
    ClaudeCode,
}

#[derive(Subcommand)]
pub enum PublishCmd {
    /// Publish an agent's memory to a file or folder after every change
    Add {
        #[arg(long, value_name = "SLUG")]
        agent: String,
        path: PathBuf,
        /// claude-md / agents-md: a section of CLAUDE.md / AGENTS.md; claude-memory: a Claude
        /// Code memory folder; markdown or jsonl: a whole file
        #[arg(long = "as", value_enum)]
        kind: KindArg,
        /// Only team-wide entries and these tags' entries, such as repo=billing-api
        #[arg(long = "tag", value_name = "KEY=VALUE", value_parser = parse_tag)]
        tags: Vec<(String, String)>,
        /// Print what would be written, and write nothing
        #[arg(long)]
        preview: bool,
    },
    /// List destinations, with the last write and any problem
    List {
        #[arg(long, value_name = "SLUG")]
        agent: Option<String>,
    },
    /// Stop publishing to a destination (the file stays as it is)
    Remove { id: i64 },
    /// Publish now; --force replaces a section that was edited outside Reverie
    Now {
        #[arg(long, value_name = "SLUG")]
        agent: Option<String>,
        #[arg(long)]
        force: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum KindArg {
    ClaudeMd,
    AgentsMd,
    ClaudeMemory,
    Markdown,
    Jsonl,
}

impl From<KindArg> for DestinationKind {
    fn from(k: KindArg) -> Self {
        match k {
            KindArg::ClaudeMd => DestinationKind::ClaudeMd,
            KindArg::AgentsMd => DestinationKind::AgentsMd,
            KindArg::ClaudeMemory => DestinationKind::ClaudeMemory,
            KindArg::Markdown => DestinationKind::Markdown,
            KindArg::Jsonl => DestinationKind::Jsonl,
        }
    }
}

fn published_text(list: &[Published]) -> String {
    if list.is_empty() {
        return "No destinations to publish to.".into();
    }
    list.iter()
        .map(|p| match &p.error {
            None => format!("Wrote {}", p.path),
            Some(e) => format!("Did not write {}: {e}", p.path),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn run_source(mut ctx: Ctx, cmd: SourceCmd) -> reverie::Result<()> {
    match cmd {
        SourceCmd::Add {
            agent,
            path,
            tags,
            format,
        } => {
            let format = format.map(|f| match f {
                FormatArg::Reverie => Format::Reverie,
                FormatArg::Anthropic => Format::Anthropic,
                FormatArg::Openai => Format::Openai,
                FormatArg::ClaudeCode => Format::ClaudeCode,
            });
            let s = flow::add_source(&ctx.conn, &agent, &path, &scope(tags)?, format, now())?;
            let synced = flow::sync_source(&mut ctx.conn, s.id, now())?;
            ctx.out(&synced, || {
                format!(
                    "Source #{} added: {} ({} files, {} sessions){}",
                    synced.source.id,
                    synced.source.path,
                    synced.source.files,
                    synced.source.sessions,
                    problems_text(&synced.source.problems)
                )
            });
        }
        SourceCmd::List { agent } => {
            let list = flow::sources(&ctx.conn, agent.as_deref())?;
            ctx.out(&json!({ "sources": list }), || {
                if list.is_empty() {
                    return "No sources yet. Add one with `reverie source add --agent SLUG PATH`."
                        .into();
                }
                list.iter()
                    .map(|s| {
                        format!(
                            "#{:<4} {} -> {} [{}] {} files, {} sessions, last sync {}{}",
                            s.id,
                            s.path,
                            s.agent,
                            if s.tags.is_empty() {
                                "no tags"
                            } else {
                                &s.tags_label
                            },
                            s.files,
                            s.sessions,
                            s.last_sync_at
                                .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
                                .unwrap_or_else(|| "never".into()),
                            problems_text(&s.problems)
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        SourceCmd::Remove { id } => {
            flow::remove_source(&ctx.conn, id)?;
            ctx.out(&json!({ "removed": id }), || {
                format!("Source #{id} removed; its sessions stay.")
            });
        }
        SourceCmd::Sync { agent } => {
            let list = flow::sync(&mut ctx.conn, agent.as_deref(), now())?;
            if list.iter().any(|s| s.report.failed > 0) {
                super::lines_failed();
            }
            ctx.out(&json!({ "synced": list }), || {
                list.iter()
                    .map(|s| {
                        format!(
                            "#{} {}: {} files read, {} new, {} updated, {} failed{}",
                            s.source.id,
                            s.source.path,
                            s.report.files_read,
                            s.report.imported,
                            s.report.updated,
                            s.report.failed,
                            problems_text(&s.report.problems)
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
    }
    Ok(())
}

fn problems_text(problems: &[reverie::model::FileProblem]) -> String {
    let mut s = String::new();
    for p in problems {
        for e in p.errors.iter().take(5) {
            if e.line == 0 {
                s.push_str(&format!("\n  {}: {}", p.file, e.message));
            } else {
                s.push_str(&format!("\n  {} line {}: {}", p.file, e.line, e.message));
            }
        }
    }
    s
}

pub fn run_publish(ctx: Ctx, cmd: PublishCmd) -> reverie::Result<()> {
    match cmd {
        PublishCmd::Add {
            agent,
            path,
            kind,
            tags,
            preview,
        } => {
            let tags = scope(tags)?;
            if preview {
                let p = flow::preview(&ctx.conn, &agent, &path, kind.into(), &tags)?;
                ctx.out(&p, || {
                    p.files
                        .iter()
                        .map(|f| format!("==> {}\n{}", f.path, f.content))
                        .collect::<Vec<_>>()
                        .join("\n")
                });
                return Ok(());
            }
            let (d, published) =
                flow::add_destination(&ctx.conn, &agent, &path, kind.into(), &tags, now())?;
            ctx.out(&json!({ "destination": d, "published": published }), || {
                format!(
                    "Destination #{} added.\n{}",
                    d.id,
                    published_text(std::slice::from_ref(&published))
                )
            });
        }
        PublishCmd::List { agent } => {
            let list = flow::destinations(&ctx.conn, agent.as_deref())?;
            ctx.out(&json!({ "destinations": list }), || {
                if list.is_empty() {
                    return "No destinations yet. Add one with `reverie publish add --agent SLUG PATH --as claude-md`.".into();
                }
                list.iter()
                    .map(|d| {
                        format!(
                            "#{:<4} {} ({}) <- {} [{}] last written {}{}",
                            d.id,
                            d.path,
                            d.kind,
                            d.agent,
                            if d.tags.is_empty() { "all memory" } else { &d.tags_label },
                            d.last_written_at
                                .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
                                .unwrap_or_else(|| "never".into()),
                            d.last_error
                                .as_deref()
                                .map(|e| format!("\n  problem: {e}"))
                                .unwrap_or_default()
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        PublishCmd::Remove { id } => {
            flow::remove_destination(&ctx.conn, id)?;
            ctx.out(&json!({ "removed": id }), || {
                format!("Destination #{id} removed; the file stays as it is.")
            });
        }
        PublishCmd::Now { agent, force } => {
            let list = flow::publish_now(&ctx.conn, agent.as_deref(), force, now())?;
            if list.iter().any(|p| p.error.is_some()) {
                super::lines_failed();
            }
            ctx.out(&json!({ "published": list }), || published_text(&list));
        }
    }
    Ok(())
}
