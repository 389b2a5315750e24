use std::path::PathBuf;

use clap::{Subcommand, ValueEnum};
use reverie::memory_io;
use reverie::store::{agents, memory};
use reverie::Error;
use serde_json::json;

use super::{now, Ctx};

#[derive(Subcommand)]
pub enum Cmd {
    /// List the agent's memory entries
    List {
        #[arg(long, value_name = "SLUG")]
        agent: String,
    },
    /// Add entries from a JSON Lines file: {"content": "...", "scope": {"client": "..."}}
    Import {
        #[arg(long, value_name = "SLUG")]
        agent: String,
        file: PathBuf,
    },
    /// Print the agent's memory as Markdown (for people) or JSON Lines (for tools)
    Export {
        #[arg(long, value_name = "SLUG")]
        agent: String,
        #[arg(long, value_enum, default_value_t = ExportFormat::Markdown)]
        format: ExportFormat,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    Markdown,
    Jsonl,
}

pub fn run(mut ctx: Ctx, cmd: Cmd) -> reverie::Result<()> {
    match cmd {
        Cmd::List { agent } => {
            let id = agents::id_of(&ctx.conn, &agent)?;
            let entries = memory::list(&ctx.conn, id)?;
            ctx.out(&json!({ "entries": entries }), || {
                if entries.is_empty() {
                    return format!("{agent} has no memory entries yet. Dreams propose them; approved ones appear here.");
                }
                entries
                    .iter()
                    .map(|e| format!("#{:<5} [{}] {}", e.id, memory_io::scope_label(&e.scope), e.content))
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        Cmd::Import { agent, file } => {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| Error::io(format!("could not read {}", file.display()), e))?;
            let report = memory_io::import_jsonl(&mut ctx.conn, &agent, &text, now())?;
            ctx.out(&report, || {
                let mut s = format!(
                    "Added {} memory entries, {} already there, {} failed.",
                    report.imported, report.updated, report.failed
                );
                for e in &report.errors {
                    s.push_str(&format!("\n  line {}: {}", e.line, e.message));
                }
                s
            });
        }
        Cmd::Export { agent, format } => {
            let a = agents::get(&ctx.conn, &agent)?;
            let id = agents::id_of(&ctx.conn, &agent)?;
            let entries = memory::list(&ctx.conn, id)?;
            // Export is the file itself, so --json does not wrap it.
            match format {
                ExportFormat::Markdown => {
                    super::write_out(memory_io::export_markdown(&a.name, &entries).trim_end())
                }
                ExportFormat::Jsonl => {
                    super::write_out(memory_io::export_jsonl(&entries).trim_end())
                }
            }
        }
    }
    Ok(())
}
