//! What Reverie says outside its window, in plain words: the desktop notification after a dream
//! and the tray menu's status lines. Only the text lives here; the shell sends and shows it.

use chrono::{DateTime, TimeZone, Utc};

pub use crate::model::OpenDream;
use crate::model::{AgentSchedule, Dream, DreamStatus};
use crate::schedule::words::when;

/// One desktop notification about one dream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub summary: String,
    pub body: String,
    /// The dream whose review a click opens.
    pub dream_id: i64,
}

fn plural(n: u32, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The first sentence of `text`, at most `max` characters (cut at a word, with an ellipsis).
fn short(text: &str, max: usize) -> String {
    let first = text.split_inclusive(". ").next().unwrap_or(text).trim();
    let first = first.strip_suffix('.').unwrap_or(first);
    if first.chars().count() <= max {
        return first.to_string();
    }
    let cut: String = first.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", cut.trim_end_matches([',', ';', ':']))
}

/// The notification for a dream that has ended, if it deserves one: completed and failed
/// dreams do; canceled ones were the person's own doing, interrupted ones are shown in the app.
pub fn dream_finished(agent_name: &str, dream: &Dream) -> Option<Notice> {
    let sessions = plural(dream.sessions_read, "session", "sessions");
    let (summary, body) = match dream.status {
        DreamStatus::Completed => {
            let (pending, applied) = (dream.pending, dream.applied);
            let summary = match (pending, applied) {
                (0, 0) => format!("{agent_name}: nothing new to learn"),
                (p, 0) => format!(
                    "{agent_name}: {} to review",
                    plural(p, "memory change", "memory changes")
                ),
                (0, a) => format!(
                    "{agent_name}: learned {}",
                    plural(a, "new thing", "new things")
                ),
                (p, a) => format!(
                    "{agent_name}: learned {}, {p} more to review",
                    plural(a, "new thing", "new things")
                ),
            };
            let mut body = match (pending, applied) {
                (0, 0) => format!("Reverie read {sessions} and found nothing worth changing."),
                (_, 0) => {
                    format!("From {sessions}. Open the dream to approve or reject each change.")
                }
                _ => format!(
                    "From {sessions}. Applied automatically; you can undo the dream in Reverie."
                ),
            };
            if let Some(w) = &dream.warning {
                body.push(' ');
                body.push_str(&short(w, 120));
                body.push('.');
            }
            (summary, body)
        }
        DreamStatus::Failed => {
            let reason = dream.error.as_deref().unwrap_or("an unknown error");
            (
                format!("{agent_name}: dream failed — {}", short(reason, 80)),
                "Memory is unchanged; the next scheduled dream will try again.".to_string(),
            )
        }
        _ => return None,
    };
    Some(Notice {
        summary,
        body,
        dream_id: dream.id,
    })
}

/// The tray's status lines: the next dream, what waits for review, and any dream running now.
pub fn tray_status<Tz: TimeZone>(
    schedules: &[AgentSchedule],
    running: &[String],
    now: DateTime<Utc>,
    tz: &Tz,
) -> Vec<String> {
    if schedules.is_empty() {
        return vec!["No agents yet".into()];
    }
    let mut lines = Vec::new();
    for name in running {
        lines.push(format!("Dreaming now: {name}"));
    }
    let next = schedules
        .iter()
        .filter_map(|s| s.next_run.map(|t| (t, &s.name)))
        .min();
    lines.push(match next {
        Some((t, name)) => format!(
            "Next dream: {name}, {}",
            when(&t.with_timezone(tz), &now.with_timezone(tz))
        ),
        None => "No dreams scheduled".into(),
    });
    let pending: u32 = schedules.iter().map(|s| s.pending).sum();
    lines.push(match pending {
        0 => "Nothing waiting for review".into(),
        n => format!("{} waiting for review", plural(n, "change", "changes")),
    });
    lines
}

#[cfg(test)]
mod tests;
