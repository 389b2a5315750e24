use std::path::PathBuf;

use clap::Subcommand;
use reverie::rubric::Rubric;
use reverie::store::agents;
use reverie::Error;
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
            let yaml = agents::rubric_yaml(&ctx.conn, &agent)?;
            let rubric = Rubric::parse(&yaml)?;
            ctx.out(&json!({ "rubric": rubric, "yaml": yaml }), || yaml.clone());
        }
        Cmd::Set { agent, file } => {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| Error::io(format!("could not read {}", file.display()), e))?;
            let rubric = Rubric::from_yaml(&text).map_err(|issues| {
                let lines: Vec<String> = issues
                    .iter()
                    .map(|i| format!("{}:{i}", file.display()))
                    .collect();
                Error::InvalidRubric(format!(
                    "the rubric was not changed:\n  {}",
                    lines.join("\n  ")
                ))
            })?;
            let yaml = agents::set_rubric(&ctx.conn, &agent, &rubric, now())?;
            ctx.out(&json!({ "rubric": rubric, "yaml": yaml }), || {
                format!(
                    "Rubric of {agent} updated: {} outcomes.",
                    rubric.outcomes.len()
                )
            });
        }
    }
    Ok(())
}
