//! The outcomes rubric: what a good session looks like, and the dreaming settings. Reads and
//! writes exactly the YAML shape of DESIGN.md; every error says where (line, column, field)
//! and how to fix it.

mod yaml;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::Error;
use crate::schedule::Schedule;
use yaml::{Node, Pos};

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Signal {
    High,
    Medium,
    Low,
}

impl Signal {
    pub fn as_str(self) -> &'static str {
        match self {
            Signal::High => "high",
            Signal::Medium => "medium",
            Signal::Low => "low",
        }
    }
    /// How much a session's result on this outcome counts when comparing good and bad sessions.
    pub fn weight(self) -> f64 {
        match self {
            Signal::High => 3.0,
            Signal::Medium => 2.0,
            Signal::Low => 1.0,
        }
    }
    fn parse(s: &str) -> Option<Signal> {
        Some(match s {
            "high" => Signal::High,
            "medium" => Signal::Medium,
            "low" => Signal::Low,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS)]
#[ts(export)]
pub struct Outcome {
    pub name: String,
    pub description: String,
    pub signal: Signal,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS)]
#[ts(export)]
pub struct DreamingSettings {
    /// Standard 5-field crontab, local time.
    pub schedule: String,
    pub review_window_days: u32,
    pub auto_apply: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS)]
#[ts(export)]
pub struct Rubric {
    pub outcomes: Vec<Outcome>,
    pub dreaming: DreamingSettings,
}

/// One problem in a rubric: where, which field, and what to do about it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS)]
#[ts(export)]
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
        let rubric = read_rubric(&root, &mut issues);
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

fn fields<'a>(
    node: &'a Node,
    field: &str,
    known: &[&str],
    issues: &mut Vec<RubricIssue>,
) -> Option<Vec<(&'a str, &'a Node)>> {
    let Node::Map { entries, .. } = node else {
        issues.push(issue_at(
            node.pos(),
            field,
            &format!(
                "expected fields ({}) here, found {}",
                known.join(", "),
                node.kind()
            ),
        ));
        return None;
    };
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (k, v) in entries {
        let Node::Scalar { value: key, .. } = k else {
            issues.push(issue_at(
                k.pos(),
                field,
                "a field name must be a plain word",
            ));
            continue;
        };
        let path = if field.is_empty() {
            key.clone()
        } else {
            format!("{field}.{key}")
        };
        if !known.contains(&key.as_str()) {
            issues.push(issue_at(
                k.pos(),
                &path,
                &format!(
                    "unknown field \"{key}\"; expected one of: {}",
                    known.join(", ")
                ),
            ));
            continue;
        }
        if !seen.insert(key.as_str()) {
            issues.push(issue_at(
                k.pos(),
                &path,
                &format!("\"{key}\" is given twice; keep one"),
            ));
            continue;
        }
        out.push((key.as_str(), v));
    }
    Some(out)
}

fn get<'a>(fs: &[(&str, &'a Node)], key: &str) -> Option<&'a Node> {
    fs.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

fn text<'a>(node: &'a Node, field: &str, issues: &mut Vec<RubricIssue>) -> Option<&'a str> {
    match node {
        Node::Scalar { value, .. } if !node.is_null() => Some(value),
        _ => {
            issues.push(issue_at(
                node.pos(),
                field,
                &format!(
                    "expected a text value, found {}",
                    if node.is_null() {
                        "nothing"
                    } else {
                        node.kind()
                    }
                ),
            ));
            None
        }
    }
}

fn read_rubric(root: &Node, issues: &mut Vec<RubricIssue>) -> Option<Rubric> {
    let top = fields(root, "", &["outcomes", "dreaming"], issues)?;
    let outcomes = match get(&top, "outcomes") {
        Some(n) => read_outcomes(n, issues),
        None => {
            issues.push(issue_at(
                root.pos(),
                "outcomes",
                "the rubric has no `outcomes:` list; add at least one outcome",
            ));
            None
        }
    };
    let dreaming = match get(&top, "dreaming") {
        Some(n) => read_dreaming(n, issues),
        None => {
            issues.push(issue_at(
                root.pos(),
                "dreaming",
                "the rubric has no `dreaming:` section; add schedule, review_window_days and auto_apply",
            ));
            None
        }
    };
    Some(Rubric {
        outcomes: outcomes?,
        dreaming: dreaming?,
    })
}

fn read_outcomes(node: &Node, issues: &mut Vec<RubricIssue>) -> Option<Vec<Outcome>> {
    let Node::Seq { items, pos } = node else {
        issues.push(issue_at(
            node.pos(),
            "outcomes",
            &format!(
                "expected a list of outcomes (lines starting with `- name:`), found {}",
                node.kind()
            ),
        ));
        return None;
    };
    if items.is_empty() {
        issues.push(issue_at(*pos, "outcomes", "add at least one outcome"));
    }
    let before = issues.len();
    let mut names: std::collections::HashMap<String, Pos> = std::collections::HashMap::new();
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let field = format!("outcomes[{i}]");
        let Some(fs) = fields(item, &field, &["name", "description", "signal"], issues) else {
            continue;
        };
        let name = match get(&fs, "name") {
            Some(n) => text(n, &format!("{field}.name"), issues).and_then(|name| {
                if let Some(msg) = name_problem(name) {
                    issues.push(issue_at(n.pos(), &format!("{field}.name"), &msg));
                    None
                } else if let Some(first) = names.get(name) {
                    issues.push(issue_at(
                        n.pos(),
                        &format!("{field}.name"),
                        &format!(
                            "{} (first used on line {})",
                            duplicate_message(name),
                            first.line
                        ),
                    ));
                    None
                } else {
                    names.insert(name.to_string(), n.pos());
                    Some(name.to_string())
                }
            }),
            None => {
                issues.push(issue_at(
                    item.pos(),
                    &format!("{field}.name"),
                    "this outcome has no `name:`; add one, e.g. `name: task_completed_first_pass`",
                ));
                None
            }
        };
        let description = match get(&fs, "description") {
            Some(n) => text(n, &format!("{field}.description"), issues).map(str::to_string),
            None => {
                issues.push(issue_at(
                    item.pos(),
                    &format!("{field}.description"),
                    "this outcome has no `description:`; say what a good session does",
                ));
                None
            }
        };
        let signal = match get(&fs, "signal") {
            Some(n) => text(n, &format!("{field}.signal"), issues).and_then(|s| {
                let parsed = Signal::parse(s);
                if parsed.is_none() {
                    issues.push(issue_at(
                        n.pos(),
                        &format!("{field}.signal"),
                        &format!("unknown signal \"{s}\"; use high, medium or low"),
                    ));
                }
                parsed
            }),
            None => {
                issues.push(issue_at(
                    item.pos(),
                    &format!("{field}.signal"),
                    "this outcome has no `signal:`; add high, medium or low",
                ));
                None
            }
        };
        if let (Some(name), Some(description), Some(signal)) = (name, description, signal) {
            out.push(Outcome {
                name,
                description,
                signal,
            });
        }
    }
    (issues.len() == before).then_some(out)
}

fn read_dreaming(node: &Node, issues: &mut Vec<RubricIssue>) -> Option<DreamingSettings> {
    let fs = fields(
        node,
        "dreaming",
        &["schedule", "review_window_days", "auto_apply"],
        issues,
    )?;
    let schedule = match get(&fs, "schedule") {
        Some(n) => text(n, "dreaming.schedule", issues).and_then(|s| match Schedule::parse(s) {
            Ok(_) => Some(s.to_string()),
            Err(msg) => {
                issues.push(issue_at(n.pos(), "dreaming.schedule", &msg));
                None
            }
        }),
        None => {
            issues.push(issue_at(
                node.pos(),
                "dreaming.schedule",
                "add `schedule:`, e.g. \"0 2 * * *\" for every night at 2:00",
            ));
            None
        }
    };
    let window = match get(&fs, "review_window_days") {
        Some(n) => text(n, "dreaming.review_window_days", issues).and_then(|s| {
            match s.parse::<i64>() {
                Ok(days) => match window_problem(days) {
                    None => Some(days as u32),
                    Some(msg) => {
                        issues.push(issue_at(n.pos(), "dreaming.review_window_days", &msg));
                        None
                    }
                },
                Err(_) => {
                    issues.push(issue_at(n.pos(), "dreaming.review_window_days", &format!("\"{s}\" is not a whole number of days; use a number from 1 to {MAX_WINDOW_DAYS}")));
                    None
                }
            }
        }),
        None => {
            issues.push(issue_at(node.pos(), "dreaming.review_window_days", "add `review_window_days:`, e.g. 7"));
            None
        }
    };
    let auto_apply = match get(&fs, "auto_apply") {
        Some(n) => text(n, "dreaming.auto_apply", issues).and_then(|s| match s {
            "true" => Some(true),
            "false" => Some(false),
            other => {
                issues.push(issue_at(n.pos(), "dreaming.auto_apply", &format!("\"{other}\" is not true or false; use `auto_apply: false` to review every change yourself")));
                None
            }
        }),
        None => {
            issues.push(issue_at(node.pos(), "dreaming.auto_apply", "add `auto_apply: false` (or true to apply dreams without review)"));
            None
        }
    };
    Some(DreamingSettings {
        schedule: schedule?,
        review_window_days: window?,
        auto_apply: auto_apply?,
    })
}

#[cfg(test)]
mod tests;
