use std::path::PathBuf;

use clap::Subcommand;
use reverie::api::rubric;
use serde_json::json;

use super::{now, Ctx};

#[derive(Subcommand)]
pub enum Cmd {
    /// Print the agent's rubric as YAML
    Show {
        #[arg(long, value_name = "SLUG")]
        agent: String,
    },
    /// Replace the agent's rubric with a YAML file (checked first; nothing changes if it is invalid)
    Set {
        #[arg(long, value_name = "SLUG")]
        agent: String,
        file: PathBuf,
    },
}

pub fn run(ctx: Ctx, cmd: Cmd) -> reverie::Result<()> {
    match cmd {
        Cmd::Show { agent } => {
            let v = rubric::get(&ctx.conn, &agent)?;
            ctx.out(&json!({ "rubric": v.rubric, "yaml": v.yaml }), || {
                v.yaml.clone()
            });
        }
        Cmd::Set { agent, file } => {
            let v = rubric::set_from_file(&ctx.conn, &agent, &file, now())?;
            ctx.out(&json!({ "rubric": v.rubric, "yaml": v.yaml }), || {
                format!(
                    "Rubric of {agent} updated: {} outcomes.",
                    v.rubric.outcomes.len()
                )
            });
        }
    }
    Ok(())
}
