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
    /// Auto-apply needs a new entry seen in at least this many sessions (3 when absent; a
    /// rubric may only raise it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_apply_min_sessions: Option<u32>,
    /// ...on at least this many distinct days (3 when absent; may only be raised).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_apply_min_days: Option<u32>,
}

/// Auto-apply's floor: a new entry seen in at least 3 sessions on at least 3 days.
pub const AUTO_APPLY_MIN: u32 = 3;
/// The most a rubric may ask for, so a typo does not switch auto-apply off silently.
pub const AUTO_APPLY_MAX: u32 = 100;
/// Limits that keep a rubric a rubric (and a pasted file from filling memory).
pub const MAX_OUTCOMES: usize = 30;
pub const MAX_DESCRIPTION: usize = 1_000;
pub const MAX_YAML_BYTES: usize = 256 * 1024;

impl DreamingSettings {
    /// Sessions auto-apply needs behind a new entry.
    pub fn min_sessions(&self) -> u32 {
        self.auto_apply_min_sessions
            .unwrap_or(AUTO_APPLY_MIN)
            .max(AUTO_APPLY_MIN)
    }

    /// Distinct days auto-apply needs behind a new entry.
    pub fn min_days(&self) -> u32 {
        self.auto_apply_min_days
            .unwrap_or(AUTO_APPLY_MIN)
            .max(AUTO_APPLY_MIN)
    }
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
                auto_apply_min_sessions: None,
                auto_apply_min_days: None,
            },
        }
    }
}

impl Rubric {
    /// Parse rubric YAML. On failure, every problem found is returned with its position.
    pub fn from_yaml(src: &str) -> Result<Rubric, Vec<RubricIssue>> {
        // A byte-order mark is what some editors write first; it is not part of the YAML.
        let src = src.strip_prefix('\u{feff}').unwrap_or(src);
        if let Some(issue) = not_text(src) {
            return Err(vec![issue]);
        }
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
        if self.outcomes.len() > MAX_OUTCOMES {
            issues.push(issue("outcomes", &too_many_outcomes(self.outcomes.len())));
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
            } else if let Some(msg) = description_problem(&o.description) {
                issues.push(issue(&format!("outcomes[{i}].description"), &msg));
            }
        }
        if let Err(msg) = Schedule::parse(&self.dreaming.schedule) {
            issues.push(issue("dreaming.schedule", &msg));
        }
        if let Some(msg) = window_problem(self.dreaming.review_window_days as i64) {
            issues.push(issue("dreaming.review_window_days", &msg));
        }
        for (field, n) in [
            (
                "auto_apply_min_sessions",
                self.dreaming.auto_apply_min_sessions,
            ),
            ("auto_apply_min_days", self.dreaming.auto_apply_min_days),
        ] {
            if let Some(msg) = n.and_then(|n| auto_min_problem(n as i64)) {
                issues.push(issue(&format!("dreaming.{field}"), &msg));
            }
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
        if let Some(n) = self.dreaming.auto_apply_min_sessions {
            out.push_str(&format!("  auto_apply_min_sessions: {n}\n"));
        }
        if let Some(n) = self.dreaming.auto_apply_min_days {
            out.push_str(&format!("  auto_apply_min_days: {n}\n"));
        }
        out
    }
}

/// A NUL byte, other control characters or a huge file: not a rubric someone wrote.
fn not_text(src: &str) -> Option<RubricIssue> {
    if src.len() > MAX_YAML_BYTES {
        return Some(issue_at(
            Pos { line: 1, column: 1 },
            "",
            &format!(
                "the file is {} KB; a rubric is a few hundred lines at most (the limit is {} KB)",
                src.len() / 1024,
                MAX_YAML_BYTES / 1024
            ),
        ));
    }
    let bad = src
        .char_indices()
        .find(|(_, c)| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))?;
    let line = src[..bad.0].matches('\n').count() + 1;
    let column = src[..bad.0]
        .rsplit('\n')
        .next()
        .unwrap_or("")
        .chars()
        .count()
        + 1;
    let what = if bad.1 == '\0' {
        "a NUL byte".to_string()
    } else {
        format!("the control character U+{:04X}", bad.1 as u32)
    };
    Some(issue_at(
        Pos { line, column },
        "",
        &format!("this is not a text file: it holds {what}; a rubric is plain YAML text"),
    ))
}

fn too_many_outcomes(n: usize) -> String {
    format!(
        "{n} outcomes is more than a rubric can weigh; keep the {MAX_OUTCOMES} that matter most"
    )
}

fn description_problem(d: &str) -> Option<String> {
    let n = d.chars().count();
    (n > MAX_DESCRIPTION).then(|| {
        format!("the description is {n} characters; keep it under {MAX_DESCRIPTION}, one or two sentences")
    })
}

fn auto_min_problem(n: i64) -> Option<String> {
    (!(AUTO_APPLY_MIN as i64..=AUTO_APPLY_MAX as i64).contains(&n)).then(|| {
        format!(
            "{n} is outside {AUTO_APPLY_MIN} to {AUTO_APPLY_MAX}; auto-apply always needs at least {AUTO_APPLY_MIN}, a rubric may only raise it"
        )
    })
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
    let s = crate::model::slug_from_name(name).replace('-', "_");
    if s.is_empty() {
        "task_completed_first_pass".into()
    } else {
        s
    }
}

/// The YAML name for an outcome a person named in words: "Sounds like the client" gives
/// `sounds_like_the_client`, "Café crème" gives `cafe_creme`. A name already in `taken` gets a
/// number (`_2`, `_3`...), and words with no Latin letters or digits (another script) give
/// `outcome`, numbered the same way, since the rubric's names are ASCII.
pub fn outcome_name(words: &str, taken: &[String]) -> String {
    let base = match crate::model::slug_from_name(words).replace('-', "_") {
        s if s.is_empty() => "outcome".to_string(),
        s => s,
    };
    if !taken.contains(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}_{n}"))
        .find(|name| !taken.contains(name))
        .expect("a free number exists")
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
