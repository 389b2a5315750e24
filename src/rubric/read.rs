//! Reading rubric YAML into a [`Rubric`], collecting every problem with its position.

use super::yaml::{Node, Pos};
use super::*;

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

pub(super) fn read_rubric(root: &Node, issues: &mut Vec<RubricIssue>) -> Option<Rubric> {
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
    if items.len() > MAX_OUTCOMES {
        issues.push(issue_at(*pos, "outcomes", &too_many_outcomes(items.len())));
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
            Some(n) => text(n, &format!("{field}.description"), issues).and_then(|d| {
                match description_problem(d) {
                    None => Some(d.to_string()),
                    Some(msg) => {
                        issues.push(issue_at(n.pos(), &format!("{field}.description"), &msg));
                        None
                    }
                }
            }),
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
                let parsed = s.parse::<Signal>().ok();
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
        &[
            "schedule",
            "review_window_days",
            "auto_apply",
            "auto_apply_min_sessions",
            "auto_apply_min_days",
        ],
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
    let mut mins = [None, None];
    for (slot, name) in mins
        .iter_mut()
        .zip(["auto_apply_min_sessions", "auto_apply_min_days"])
    {
        let field = format!("dreaming.{name}");
        let Some(n) = get(&fs, name) else { continue };
        let Some(s) = text(n, &field, issues) else {
            continue;
        };
        match s.parse::<i64>() {
            Ok(v) => match auto_min_problem(v) {
                None => *slot = Some(v as u32),
                Some(msg) => issues.push(issue_at(n.pos(), &field, &msg)),
            },
            Err(_) => issues.push(issue_at(
                n.pos(),
                &field,
                &format!("\"{s}\" is not a whole number; use a number from {AUTO_APPLY_MIN} to {AUTO_APPLY_MAX}"),
            )),
        }
    }
    Some(DreamingSettings {
        schedule: schedule?,
        review_window_days: window?,
        auto_apply: auto_apply?,
        auto_apply_min_sessions: mins[0],
        auto_apply_min_days: mins[1],
    })
}
