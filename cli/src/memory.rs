use std::path::PathBuf;

use clap::{Subcommand, ValueEnum};
use reverie::api::memory;
use reverie::model::{scope_label, MemoryFormat};
use serde_json::json;

use super::{now, Ctx};

#[derive(Subcommand)]
pub enum Cmd {
    /// List the agent's memory entries
    List {
        #[arg(long, value_name = "SLUG")]
        agent: String,
    },
    /// Add entries from a JSON Lines file: {"content": "...", "scope": {"client": "..."}};
    /// exits with status 3 when some lines failed (the good ones are added)
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
    /// Print exactly the memory text the agent reads in a session with these tags: the same
    /// bytes the app's Work view and `reverie run` put in its system prompt
    Prompt {
        #[arg(long, value_name = "SLUG")]
        agent: String,
        /// A tag of the session, such as the client (repeat for more)
        #[arg(long = "tag", value_name = "KEY=VALUE", value_parser = super::work::parse_tag)]
        tags: Vec<(String, String)>,
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
            let entries = memory::list(&ctx.conn, &agent)?;
            ctx.out(&json!({ "entries": entries }), || {
                if entries.is_empty() {
                    return format!("{agent} has no memory entries yet. Dreams propose them; approved ones appear here.");
                }
                entries
                    .iter()
                    .map(|e| format!("#{:<5} [{}] {}", e.id, scope_label(&e.scope), e.content))
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        Cmd::Import { agent, file } => {
            let report = memory::import_file(&mut ctx.conn, &agent, &file, now())?;
            if report.failed > 0 {
                super::lines_failed();
            }
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
            let format = match format {
                ExportFormat::Markdown => MemoryFormat::Markdown,
                ExportFormat::Jsonl => MemoryFormat::Jsonl,
            };
            // Export is the file itself, so --json does not wrap it.
            super::write_out(memory::export(&ctx.conn, &agent, format)?.trim_end());
        }
        Cmd::Prompt { agent, tags } => {
            let p = memory::prompt(&ctx.conn, &agent, &super::work::scope(tags)?)?;
            if ctx.json {
                ctx.out(&p, String::new);
            } else if p.text.is_empty() {
                // Nothing goes into the prompt: say why, on stderr, so stdout stays the text.
                eprintln!("{}", p.note);
            } else {
                // Byte for byte what the agent reads, so no trimming and no added newline.
                use std::io::Write;
                let _ = std::io::stdout().lock().write_all(p.text.as_bytes());
                eprintln!("{}", p.note);
            }
        }
    }
    Ok(())
}
