//! The outcomes rubric: what a good session looks like, and the dreaming settings. Reads and
//! writes exactly the YAML shape of DESIGN.md; every error says where (line, column, field)
//! and how to fix it.

mod read;
mod yaml;

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::schedule::Schedule;
use yaml::Pos;

crate::text_enum! {
    /// How much an outcome matters.
    pub enum Signal {
        High = "high",
        Medium = "medium",
        Low = "low",
    }
}

impl Signal {
    /// How much a session's result on this outcome counts when comparing good and bad sessions.
    pub fn weight(self) -> f64 {
        match self {
            Signal::High => 3.0,
            Signal::Medium => 2.0,
            Signal::Low => 1.0,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Outcome {
    pub name: String,
    pub description: String,
    pub signal: Signal,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DreamingSettings {
    /// Standard 5-field crontab, local time.
    pub schedule: String,
    pub review_window_days: u32,
    pub auto_apply: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Rubric {
    pub outcomes: Vec<Outcome>,
    pub dreaming: DreamingSettings,
}

/// One problem in a rubric: where, which field, and what to do about it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RubricIssue {
    /// 1-based; absent when the rubric did not come from a file (the visual editor).
    pub line: Option<u32>,
    pub column: Option<u32>,
    /// Path of the field, e.g. `outcomes[2].signal`.
    pub field: String,
    pub message: String,
}

impl std::fmt::Display for RubricIssue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.line, self.column) {
            (Some(l), Some(c)) => {
                write!(f, "line {l}, column {c} ({}): {}", self.field, self.message)
            }
            _ => write!(f, "{}: {}", self.field, self.message),
        }
    }
}

pub const MAX_WINDOW_DAYS: u32 = 90;

/// An outcome's name in words: "task_completed_first_pass" gives "Task completed first pass".
pub fn outcome_label(name: &str) -> String {
    let words = name.replace(['_', '-'], " ");
    let words = words.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut chars = words.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

impl Default for Rubric {
    fn default() -> Self {
        let o = |name: &str, description: &str, signal| Outcome {
            name: name.into(),
            description: description.into(),
            signal,
        };
        Rubric {
            outcomes: vec![
                o(
                    "task_completed_first_pass",
                    "Agent completed the task without requiring user to re-explain or correct course",
                    Signal::High,
                ),
                o(
                    "format_matched_request",
                    "Output format matched what the user asked for (no reformat requests)",
                    Signal::High,
                ),
                o(
                    "user_accepted_output",
                    "The person used the agent's output as it was, without rewriting it",
                    Signal::Medium,
                ),
                o(
                    "avoided_known_mistake",
                    "Agent did not repeat a mistake that its memory already warns about",
                    Signal::High,
                ),
            ],
            dreaming: DreamingSettings {
                schedule: "0 2 * * *".into(),
                review_window_days: 7,
                auto_apply: false,
            },
        }
    }
}

impl Rubric {
    /// Parse rubric YAML. On failure, every problem found is returned with its position.
    pub fn from_yaml(src: &str) -> Result<Rubric, Vec<RubricIssue>> {
        let root = match yaml::parse(src) {
            Ok(Some(root)) => root,
            Ok(None) => {
                return Err(vec![issue_at(
                    Pos { line: 1, column: 1 },
                    "",
                    "the file is empty; a rubric needs `outcomes:` and `dreaming:`",
                )])
            }
            Err(e) => {
                return Err(vec![issue_at(
                    e.pos,
                    "",
                    &format!("this is not valid YAML: {}", e.message),
                )])
            }
        };
        let mut issues = Vec::new();
        let rubric = read::read_rubric(&root, &mut issues);
        match rubric {
            Some(r) if issues.is_empty() => Ok(r),
            _ => Err(issues),
        }
    }

    /// Same as [`Rubric::from_yaml`], as an engine error whose message lists every problem.
    pub fn parse(src: &str) -> Result<Rubric, Error> {
        Rubric::from_yaml(src).map_err(issues_error)
    }

    /// Check a rubric built in the visual editor. Positions are absent; fields are named.
    pub fn validate(&self) -> Vec<RubricIssue> {
        let mut issues = Vec::new();
        let mut seen = std::collections::HashSet::new();
        if self.outcomes.is_empty() {
            issues.push(issue("outcomes", "add at least one outcome"));
        }
        for (i, o) in self.outcomes.iter().enumerate() {
            let field = format!("outcomes[{i}].name");
            if let Some(msg) = name_problem(&o.name) {
                issues.push(issue(&field, &msg));
            } else if !seen.insert(o.name.as_str()) {
                issues.push(issue(&field, &duplicate_message(&o.name)));
            }
            if o.description.trim().is_empty() {
                issues.push(issue(
                    &format!("outcomes[{i}].description"),
                    "describe what a good session does for this outcome",
                ));
            }
        }
        if let Err(msg) = Schedule::parse(&self.dreaming.schedule) {
            issues.push(issue("dreaming.schedule", &msg));
        }
        if let Some(msg) = window_problem(self.dreaming.review_window_days as i64) {
            issues.push(issue("dreaming.review_window_days", &msg));
        }
        issues
    }

    /// The YAML of DESIGN.md, field order and quoting fixed, so a rubric written in that shape
    /// reads back and writes out byte for byte (comments aside).
    pub fn to_yaml(&self) -> String {
        let mut out = String::from("outcomes:\n");
        for o in &self.outcomes {
            out.push_str(&format!("  - name: {}\n", yaml::scalar(&o.name)));
            out.push_str(&format!(
                "    description: {}\n",
                yaml::scalar(&o.description)
            ));
            out.push_str(&format!("    signal: {}\n", o.signal.as_str()));
        }
        out.push_str("dreaming:\n");
        out.push_str(&format!(
            "  schedule: {}\n",
            yaml::quoted(&self.dreaming.schedule)
        ));
        out.push_str(&format!(
            "  review_window_days: {}\n",
            self.dreaming.review_window_days
        ));
        out.push_str(&format!("  auto_apply: {}\n", self.dreaming.auto_apply));
        out
    }
}

pub fn issues_error(issues: Vec<RubricIssue>) -> Error {
    let lines: Vec<String> = issues.iter().map(|i| i.to_string()).collect();
    Error::InvalidRubric(format!(
        "the rubric has problems:\n  {}",
        lines.join("\n  ")
    ))
}

fn issue(field: &str, message: &str) -> RubricIssue {
    RubricIssue {
        line: None,
        column: None,
        field: field.into(),
        message: message.into(),
    }
}

fn issue_at(pos: Pos, field: &str, message: &str) -> RubricIssue {
    RubricIssue {
        line: Some(pos.line as u32),
        column: Some(pos.column as u32),
        field: if field.is_empty() {
            "rubric".into()
        } else {
            field.into()
        },
        message: message.into(),
    }
}

fn name_problem(name: &str) -> Option<String> {
    if name.trim().is_empty() {
        return Some("give this outcome a name, e.g. task_completed_first_pass".into());
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        return Some(format!(
            "\"{name}\" should use lowercase letters, digits and underscores only, e.g. {}",
            suggest_name(name)
        ));
    }
    None
}

fn suggest_name(name: &str) -> String {
    let mut s: String = name
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    while s.contains("__") {
        s = s.replace("__", "_");
    }
    s.trim_matches('_').to_string()
}

fn duplicate_message(name: &str) -> String {
    format!("another outcome is already called \"{name}\"; give each outcome its own name")
}

fn window_problem(days: i64) -> Option<String> {
    if days < 1 || days > MAX_WINDOW_DAYS as i64 {
        Some(format!(
            "the review window is {days} days; choose between 1 and {MAX_WINDOW_DAYS} days (7 is a good start)"
        ))
    } else {
        None
    }
}

#[cfg(test)]
mod tests;
