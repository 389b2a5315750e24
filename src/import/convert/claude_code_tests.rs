use std::path::Path;

use super::super::{convert as convert_any, detect, Format};
use super::*;

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/claude-code/-home-mei-harbour-site/6f1c2a9e-3b7d-4e2a-9c51-8d0f4a7b2e13.jsonl"
);

fn fixture() -> String {
    std::fs::read_to_string(FIXTURE).unwrap()
}

#[test]
fn fixture_is_detected_as_claude_code() {
    assert_eq!(
        detect(&fixture(), Some(Path::new(FIXTURE))),
        Ok(Format::ClaudeCode)
    );
    assert_eq!(
        detect(&fixture(), None),
        Ok(Format::ClaudeCode),
        "content alone is enough"
    );
}

#[test]
fn fixture_converts_to_one_session() {
    let p = convert_any(Format::ClaudeCode, &fixture(), Some(Path::new(FIXTURE)));
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    assert_eq!(p.records.len(), 1);
    let (line, r) = &p.records[0];
    assert_eq!(*line, 3, "the first line that made it into the session");
    r.check().unwrap();
    assert_eq!(r.id, "6f1c2a9e-3b7d-4e2a-9c51-8d0f4a7b2e13");
    assert_eq!(r.agent, "harbour-site");
    assert_eq!(r.user, None);
    assert!(
        r.tags.is_empty(),
        "tags scope memory; the working folder is not a scope"
    );
    assert_eq!(
        r.started_at.to_rfc3339(),
        "2026-11-06T14:02:11.204+00:00",
        "the meta line is skipped"
    );
    assert_eq!(
        r.ended_at.unwrap().to_rfc3339(),
        "2026-11-06T14:02:40.733+00:00"
    );
    assert_eq!(r.extra["cwd"], "/home/mei/harbour-site");
    assert_eq!(r.extra["git_branch"], "main");
    assert_eq!(
        r.extra["summary"],
        "Fix the broken 'Find your blend' link on the homepage"
    );

    use Role::*;
    let roles: Vec<_> = r.messages.iter().map(|m| m.role).collect();
    assert_eq!(
        roles,
        [User, Assistant, Tool, Assistant, Tool, Assistant],
        "{:#?}",
        r.messages
    );
    assert!(r.messages[0].content.contains("Find your blend"));
    // Three streamed pieces (thinking, text, tool_use) with one message id are one message.
    assert_eq!(
        r.messages[1].content,
        "I'll find where that link is defined."
    );
    assert_eq!(r.messages[1].tool_calls.len(), 1);
    assert_eq!(r.messages[1].tool_calls[0].name, "Grep");
    assert_eq!(
        r.messages[1].tool_calls[0].input["pattern"],
        "Find your blend"
    );
    assert!(r.messages[2]
        .content
        .starts_with("src/pages/index.html:42:"));
    assert_eq!(r.messages[3].tool_calls[0].name, "Edit");
    assert!(r.messages[3].content.contains("/blend-finder"));
    assert!(r.messages[5].content.starts_with("Fixed:"));
    assert!(!r.messages.iter().any(|m| m.content.contains("Caveat")
        || m.content.contains("other links to /tea-finder and report")));
}

#[test]
fn without_a_path_the_agent_is_left_to_the_importer() {
    let p = convert_any(Format::ClaudeCode, &fixture(), None);
    assert_eq!(p.records[0].1.agent, "");
}

#[test]
fn a_malformed_line_is_reported_and_the_rest_converts() {
    let mut lines: Vec<String> = fixture().lines().map(str::to_string).collect();
    lines[6].truncate(40); // line 7: the first tool result, cut short
    lines.insert(9, "[1, 2]".into()); // new line 10
    lines.insert(
        10,
        r#"{"type": "user", "message": {"role": "user", "content": "hi"}}"#.into(),
    );
    lines.insert(11, r#"{"type": "assistant", "sessionId": "x", "timestamp": "yesterday", "message": {"content": "a"}}"#.into());
    let p = convert_any(
        Format::ClaudeCode,
        &lines.join("\n"),
        Some(Path::new(FIXTURE)),
    );
    let at: Vec<u64> = p.errors.iter().map(|e| e.line).collect();
    assert_eq!(at, [7, 10, 11, 12], "{:#?}", p.errors);
    assert!(
        p.errors[0].message.starts_with("invalid JSON"),
        "{}",
        p.errors[0].message
    );
    assert!(p.errors[1].message.contains("not an event object"));
    assert!(p.errors[2].message.contains("`sessionId`"));
    assert!(
        p.errors[3].message.contains("`timestamp`") && p.errors[3].message.contains("RFC 3339")
    );
    assert_eq!(p.records.len(), 1);
    let r = &p.records[0].1;
    assert_eq!(
        r.messages.len(),
        5,
        "only the broken tool result is missing"
    );
    r.check().unwrap();
}

#[test]
fn several_sessions_in_one_file_are_split_by_session_id() {
    let ev = |sid: &str, ty: &str, ts: &str, content: &str| {
        format!(
            r#"{{"type":"{ty}","sessionId":"{sid}","timestamp":"{ts}","message":{{"role":"{ty}","content":"{content}"}}}}"#
        )
    };
    let text = [
        ev("a", "user", "2026-11-02T10:00:00Z", "first question"),
        ev("b", "user", "2026-11-03T10:00:00Z", "other session"),
        ev("a", "assistant", "2026-11-02T10:01:00Z", "first answer"),
        ev("b", "assistant", "2026-11-03T10:02:00Z", "other answer"),
    ]
    .join("\n");
    let p = convert_any(
        Format::ClaudeCode,
        &text,
        Some(Path::new(
            "/x/.claude/projects/-Users-ana-quill-shop/a.jsonl",
        )),
    );
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    let got: Vec<_> = p
        .records
        .iter()
        .map(|(l, r)| (*l, r.id.as_str(), r.messages.len(), r.agent.as_str()))
        .collect();
    assert_eq!(got, [(1, "a", 2, "quill-shop"), (2, "b", 2, "quill-shop")]);
    assert_eq!(
        p.records[1].1.ended_at.unwrap().to_rfc3339(),
        "2026-11-03T10:02:00+00:00"
    );
}

#[test]
fn assistant_pieces_with_different_ids_stay_separate() {
    let text = concat!(
        r#"{"type":"assistant","sessionId":"s","message":{"id":"m1","role":"assistant","content":[{"type":"text","text":"one"}]}}"#,
        "\n",
        r#"{"type":"assistant","sessionId":"s","message":{"id":"m2","role":"assistant","content":[{"type":"text","text":"two"}]}}"#,
        "\n",
        r#"{"type":"assistant","sessionId":"s","message":{"id":"m2","role":"assistant","content":[{"type":"text","text":"three"}]}}"#,
    );
    let p = convert(text, None);
    let contents: Vec<_> = p.records[0]
        .1
        .messages
        .iter()
        .map(|m| m.content.as_str())
        .collect();
    assert_eq!(contents, ["one", "two\n\nthree"]);
    assert_eq!(
        p.records[0].1.started_at,
        chrono::DateTime::UNIX_EPOCH,
        "no timestamps, no path"
    );
}

#[test]
fn agent_from_project_folder() {
    let p = |s: &str| Some(Path::new(s).to_path_buf());
    let agent = |path: Option<std::path::PathBuf>, cwd: &[&str]| {
        agent_for(path.as_deref(), cwd.iter().copied())
    };
    assert_eq!(
        agent(p("/h/.claude/projects/-home-mei-harbour-site/x.jsonl"), &[]),
        "harbour-site"
    );
    // The cwd knows where the project name starts, and that `.` was encoded as `-`.
    assert_eq!(
        agent(
            p("/h/.claude/projects/-home-mei-code-site-v2/x.jsonl"),
            &["/home/mei/code/site.v2"]
        ),
        "site-v2"
    );
    assert_eq!(
        agent(p("/h/.claude/projects/-home-mei-code-site-v2/x.jsonl"), &[]),
        "code-site-v2"
    );
    assert_eq!(
        agent(
            p("C:/u/.claude/projects/C--Users-Mei-Harbour-Site/x.jsonl"),
            &[]
        ),
        "harbour-site"
    );
    assert_eq!(
        agent(p("/h/.claude/projects/-root-tools/x.jsonl"), &[]),
        "tools"
    );
    assert_eq!(
        agent(p("/h/.claude/projects/-srv-app/x.jsonl"), &[]),
        "srv-app"
    );
    assert_eq!(
        agent(p("/tmp/x.jsonl"), &[]),
        "",
        "not a Claude Code project folder"
    );
    assert_eq!(agent(p("x.jsonl"), &[]), "");
    assert_eq!(agent(None, &["/home/mei/site"]), "");
}

#[test]
fn wrong_shapes_are_errors_not_panics() {
    for text in ["", "null", "[]", "[{\"type\":\"user\"}]", "7\n8", "{\"sessionId\": \"s\"}",
        "{\"type\": \"user\", \"sessionId\": \"s\", \"message\": 3}",
        "{\"type\": \"user\", \"sessionId\": \"s\", \"message\": {\"content\": {}}}",
        "{\"type\": \"assistant\", \"sessionId\": 5, \"message\": {\"content\": \"x\"}}",
        "{\"type\": \"user\", \"sessionId\": \"s\", \"timestamp\": 12, \"message\": {\"content\": \"x\"}}"]
    {
        let p = convert_any(Format::ClaudeCode, text, Some(Path::new("/p/-home-a-b/c.jsonl")));
        assert!(p.records.is_empty(), "{text}");
        assert!(!p.errors.is_empty(), "{text}");
    }
    // Only bookkeeping events: nothing to import, nothing wrong.
    let p = convert_any(
        Format::ClaudeCode,
        "{\"type\":\"summary\",\"summary\":\"x\",\"leafUuid\":\"u\"}",
        None,
    );
    assert!(p.records.is_empty() && p.errors.is_empty());
}
