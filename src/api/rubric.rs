//! An agent's rubric ("what good looks like"): read, check, save, and in YAML files.

use std::path::Path;

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use crate::error::{Error, Result};
use crate::model::{RubricCheck, RubricView};
use crate::rubric::Rubric;
use crate::store::agents;

/// The agent's rubric with the exact YAML it is stored as.
pub fn get(conn: &Connection, agent: &str) -> Result<RubricView> {
    let yaml = agents::rubric_yaml(conn, agent)?;
    Ok(view(Rubric::parse(&yaml)?, yaml))
}

fn view(rubric: Rubric, yaml: String) -> RubricView {
    RubricView {
        labels: rubric
            .outcomes
            .iter()
            .map(|o| crate::rubric::outcome_label(&o.name))
            .collect(),
        rubric,
        yaml,
    }
}

/// The rubric name for an outcome a person named in words (see [`crate::rubric::outcome_name`]).
pub fn outcome_name(words: &str, taken: &[String]) -> String {
    crate::rubric::outcome_name(words, taken)
}

/// The rubric a new agent starts with.
pub fn default() -> Rubric {
    Rubric::default()
}

/// Check a rubric from the editor: its problems by field, and the YAML it would be saved as.
pub fn check(rubric: &Rubric) -> RubricCheck {
    RubricCheck {
        issues: rubric.validate(),
        yaml: Some(rubric.to_yaml()),
        rubric: Some(rubric.clone()),
    }
}

/// Check rubric YAML: its problems with line and column, or the rubric it holds.
pub fn parse_yaml(yaml: &str) -> RubricCheck {
    match Rubric::from_yaml(yaml) {
        Ok(rubric) => check(&rubric),
        Err(issues) => RubricCheck {
            rubric: None,
            issues,
            yaml: None,
        },
    }
}

/// Replace the agent's rubric; refused, with every problem, unless the whole rubric is valid.
pub fn save(
    conn: &Connection,
    agent: &str,
    rubric: &Rubric,
    now: DateTime<Utc>,
) -> Result<RubricView> {
    let before = agents::rubric(conn, agent)?;
    let yaml = agents::set_rubric(conn, agent, rubric, now)?;
    // New outcomes mean new grades; a schedule change keeps them.
    if before.outcomes != rubric.outcomes {
        crate::dreaming::grading::forget(conn, agent)?;
    }
    Ok(view(rubric.clone(), yaml))
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path)
        .map_err(|e| Error::io(format!("could not read {}", path.display()), e))
}

/// Read and check a YAML file without saving it (the editor's import).
pub fn read_file(path: &Path) -> Result<RubricCheck> {
    Ok(parse_yaml(&read(path)?))
}

/// Replace the agent's rubric with a YAML file; nothing changes unless the file is valid, and
/// the error lists every problem with the file's name, line and column.
pub fn set_from_file(
    conn: &Connection,
    agent: &str,
    path: &Path,
    now: DateTime<Utc>,
) -> Result<RubricView> {
    let rubric = Rubric::from_yaml(&read(path)?).map_err(|issues| {
        let lines: Vec<String> = issues
            .iter()
            .map(|i| format!("{}:{i}", path.display()))
            .collect();
        Error::InvalidRubric(format!(
            "the rubric was not changed:\n  {}",
            lines.join("\n  ")
        ))
    })?;
    save(conn, agent, &rubric, now)
}

/// Write the agent's stored YAML into a file.
pub fn export_to_file(conn: &Connection, agent: &str, path: &Path) -> Result<()> {
    std::fs::write(path, agents::rubric_yaml(conn, agent)?)
        .map_err(|e| Error::io(format!("could not write {}", path.display()), e))
}
