//! A managed agent's session, read as its events, into a Reverie session: user and agent
//! messages, tool use and results, and the outcome grader's last verdict per outcome as a
//! grade with its explanation. Event text is data: nothing in it is followed.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use super::client::SessionInfo;
use crate::import::record::SessionRecord;
use crate::model::{Message, Role, ToolCall};
use crate::rubric::{Rubric, Signal};

/// The longest tool result kept, in characters: a result is context, not the work itself.
const TOOL_RESULT_CHARS: usize = 4000;

/// Who grades a session's outcome in a managed agent, as its grade's reason says.
pub const GRADER: &str = "Anthropic outcome grader";

/// The text of a content array: text blocks joined, other blocks named.
fn content_text(content: &Value) -> String {
    let Some(blocks) = content.as_array() else {
        return content.as_str().unwrap_or_default().to_string();
    };
    let mut parts = Vec::new();
    for b in blocks {
        match b["type"].as_str() {
            Some("text") => parts.push(b["text"].as_str().unwrap_or_default().to_string()),
            Some("redacted") => parts.push("[redacted]".into()),
            Some(other) => parts.push(format!("[{other}]")),
            None => {}
        }
    }
    parts.join("\n\n")
}

fn time(v: &Value) -> Option<DateTime<Utc>> {
    v.as_str()
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|t| t.with_timezone(&Utc))
}

/// Words of a text for matching an outcome to the rubric: lowercase, letters and digits.
fn words(s: &str) -> std::collections::BTreeSet<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3)
        .map(str::to_lowercase)
        .collect()
}

/// The rubric outcome a managed agent's outcome stands for: one named or described the same
/// way, else the closest by shared words, else the rubric's first high-signal outcome (the
/// managed outcome is the session's definition of done, which that outcome usually is).
pub fn rubric_outcome(rubric: &Rubric, description: &str) -> String {
    let norm = |s: &str| s.trim().to_lowercase().replace('_', " ");
    let d = norm(description);
    if let Some(o) = rubric
        .outcomes
        .iter()
        .find(|o| norm(&o.name) == d || norm(&o.description) == d)
    {
        return o.name.clone();
    }
    let dw = words(description);
    let best = rubric
        .outcomes
        .iter()
        .map(|o| {
            let ow = words(&format!("{} {}", o.name.replace('_', " "), o.description));
            let shared = dw.intersection(&ow).count() as f64;
            let union = dw.union(&ow).count().max(1) as f64;
            (shared / union, o)
        })
        .max_by(|a, b| a.0.total_cmp(&b.0));
    match best {
        Some((score, o)) if score >= 0.3 => o.name.clone(),
        _ => rubric
            .outcomes
            .iter()
            .find(|o| o.signal == Signal::High)
            .or(rubric.outcomes.first())
            .map(|o| o.name.clone())
            .unwrap_or_else(|| "outcome".into()),
    }
}

/// A session and its events as a Reverie session for `agent`, and how many outcome verdicts it
/// carries; `Err` says why it cannot be one (no messages yet).
pub fn session_record(
    agent: &str,
    info: &SessionInfo,
    events: &[Value],
    rubric: &Rubric,
) -> Result<(SessionRecord, u32), String> {
    let mut messages: Vec<Message> = Vec::new();
    let mut outcomes: BTreeMap<String, String> = BTreeMap::new();
    // Per outcome id: its last verdict and explanation (needs_revision is followed by more).
    let mut verdicts: BTreeMap<String, (String, String)> = BTreeMap::new();
    let mut last_time: Option<DateTime<Utc>> = None;
    for e in events {
        if let Some(t) = time(&e["processed_at"]) {
            last_time = Some(last_time.map_or(t, |l| l.max(t)));
        }
        let kind = e["type"].as_str().unwrap_or_default();
        match kind {
            "user.message" => messages.push(Message {
                role: Role::User,
                content: content_text(&e["content"]),
                tool_calls: Vec::new(),
                stopped: false,
            }),
            "agent.message" => {
                let text = content_text(&e["content"]);
                match messages.last_mut() {
                    // One answer told in several events reads as one message.
                    Some(m) if m.role == Role::Assistant && m.tool_calls.is_empty() => {
                        if !m.content.is_empty() {
                            m.content.push_str("\n\n");
                        }
                        m.content.push_str(&text);
                    }
                    _ => messages.push(Message {
                        role: Role::Assistant,
                        content: text,
                        tool_calls: Vec::new(),
                        stopped: false,
                    }),
                }
            }
            "agent.tool_use" | "agent.mcp_tool_use" | "agent.custom_tool_use" => {
                let call = ToolCall {
                    name: e["name"].as_str().unwrap_or("tool").to_string(),
                    input: e["input"].clone(),
                };
                match messages.last_mut() {
                    Some(m) if m.role == Role::Assistant => m.tool_calls.push(call),
                    _ => messages.push(Message {
                        role: Role::Assistant,
                        content: String::new(),
                        tool_calls: vec![call],
                        stopped: false,
                    }),
                }
            }
            "agent.tool_result"
            | "agent.mcp_tool_result"
            | "user.custom_tool_result"
            | "user.tool_result" => {
                let mut text = content_text(&e["content"]);
                if let Some((i, _)) = text.char_indices().nth(TOOL_RESULT_CHARS) {
                    text.truncate(i);
                    text.push_str(" …");
                }
                if e["is_error"] == true {
                    text = format!("[error] {text}");
                }
                messages.push(Message {
                    role: Role::Tool,
                    content: text,
                    tool_calls: Vec::new(),
                    stopped: false,
                });
            }
            "user.define_outcome" => {
                if let Some(id) = e["outcome_id"].as_str() {
                    let description = e["description"].as_str().unwrap_or_default();
                    outcomes.insert(id.to_string(), description.to_string());
                }
            }
            "span.outcome_evaluation_end" => {
                if let (Some(id), Some(result)) = (e["outcome_id"].as_str(), e["result"].as_str()) {
                    let explanation = e["explanation"].as_str().unwrap_or_default();
                    verdicts.insert(
                        id.to_string(),
                        (result.to_string(), explanation.to_string()),
                    );
                }
            }
            _ => {}
        }
    }
    if messages.is_empty() {
        return Err(format!(
            "session {} has no messages yet; it is read again once it has some",
            info.id
        ));
    }
    let mut graded = BTreeMap::new();
    let mut notes = serde_json::Map::new();
    for (id, (result, explanation)) in &verdicts {
        let met = match result.as_str() {
            "satisfied" => true,
            "max_iterations_reached" | "failed" => false,
            // Still being revised, or stopped before a verdict: no grade.
            _ => continue,
        };
        let description = outcomes.get(id).map(String::as_str).unwrap_or_default();
        let name = rubric_outcome(rubric, description);
        let words = match result.as_str() {
            "satisfied" => "satisfied",
            "max_iterations_reached" => "not satisfied within the allowed revisions",
            _ => "failed",
        };
        let reason = if explanation.trim().is_empty() {
            format!("{GRADER}: {words}")
        } else {
            format!("{GRADER}: {words}. {}", explanation.trim())
        };
        graded.insert(name.clone(), met);
        notes.insert(name, json!(reason));
    }
    let count = graded.len() as u32;
    let started_at = time(&json!(info.created_at))
        .or(last_time)
        .unwrap_or_else(Utc::now);
    let ended_at = last_time.filter(|t| *t >= started_at);
    let mut extra = serde_json::Map::new();
    extra.insert(
        "managed".into(),
        json!({"session_id": info.id, "title": info.title, "status": info.status}),
    );
    if !notes.is_empty() {
        extra.insert("outcome_notes".into(), Value::Object(notes));
    }
    let rec = SessionRecord {
        id: info.id.clone(),
        agent: agent.to_string(),
        started_at,
        ended_at,
        user: None,
        tags: info.metadata.clone(),
        messages,
        feedback: Vec::new(),
        outcomes: graded,
        extra,
    };
    rec.check()?;
    Ok((rec, count))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info() -> SessionInfo {
        SessionInfo {
            id: "sesn_1".into(),
            title: Some("Refund".into()),
            created_at: "2026-11-30T09:00:00Z".into(),
            updated_at: "2026-11-30T09:05:00Z".into(),
            status: "idle".into(),
            metadata: BTreeMap::new(),
        }
    }

    #[test]
    fn events_become_messages_tools_and_the_last_verdict() {
        let rubric = Rubric::default();
        let events = vec![
            json!({"type": "user.define_outcome", "outcome_id": "outc_1", "description": "The refund is issued and the customer told", "processed_at": "2026-11-30T09:00:00Z"}),
            json!({"type": "user.message", "content": [{"type": "text", "text": "Refund order 42."}]}),
            json!({"type": "agent.message", "content": [{"type": "text", "text": "Looking it up."}]}),
            json!({"type": "agent.tool_use", "name": "lookup_order", "input": {"id": 42}}),
            json!({"type": "agent.tool_result", "content": [{"type": "text", "text": "paid"}]}),
            json!({"type": "agent.message", "content": [{"type": "text", "text": "Refunded."}]}),
            json!({"type": "span.outcome_evaluation_end", "outcome_id": "outc_1", "result": "needs_revision", "explanation": "customer not told"}),
            json!({"type": "span.outcome_evaluation_end", "outcome_id": "outc_1", "result": "satisfied", "explanation": "Refund issued and confirmed.", "processed_at": "2026-11-30T09:05:00Z"}),
        ];
        let (rec, n) = session_record("support", &info(), &events, &rubric).unwrap();
        assert_eq!(n, 1);
        let roles: Vec<_> = rec.messages.iter().map(|m| m.role).collect();
        assert_eq!(
            roles,
            [Role::User, Role::Assistant, Role::Tool, Role::Assistant]
        );
        assert_eq!(rec.messages[1].tool_calls[0].name, "lookup_order");
        let (name, met) = rec.outcomes.iter().next().unwrap();
        assert!(*met);
        let note = rec.extra["outcome_notes"][name].as_str().unwrap();
        assert!(
            note.contains("Anthropic outcome grader") && note.contains("Refund issued"),
            "{note}"
        );
    }

    #[test]
    fn a_session_without_messages_is_not_one_yet() {
        let rubric = Rubric::default();
        let err = session_record("a", &info(), &[], &rubric).unwrap_err();
        assert!(err.contains("no messages yet"));
    }
}
