use std::path::Path;

use super::documents::array_item_lines;
use super::*;
use crate::import::record::{describe_json_error, SessionRecord};

fn fixture(name: &str) -> (String, std::path::PathBuf) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    (std::fs::read_to_string(&path).unwrap(), path)
}

/// Reads a Reverie fixture the way the importer does: one record per line, then `check`.
fn reverie_lines(text: &str) -> Vec<Result<SessionRecord, String>> {
    text.lines()
        .map(|l| {
            let r: SessionRecord = serde_json::from_str(l).map_err(|e| describe_json_error(&e))?;
            r.check().map(|()| r)
        })
        .collect()
}

#[test]
fn format_names_round_trip() {
    for f in [
        Format::Reverie,
        Format::Anthropic,
        Format::Openai,
        Format::ClaudeCode,
    ] {
        assert_eq!(f.as_str().parse::<Format>().ok(), Some(f));
        assert_eq!(serde_json::to_value(f).unwrap(), f.as_str());
    }
    assert!("auto".parse::<Format>().is_err(), "auto means: call detect");
    assert!("csv".parse::<Format>().is_err());
}

#[test]
fn slugs() {
    assert_eq!(slugify("Harbour Site"), "harbour-site");
    assert_eq!(slugify("--My__Project.v2--"), "my-project-v2");
    assert_eq!(slugify("Quill & Ink Books"), "quill-ink-books");
    assert_eq!(slugify(""), "imported");
    assert_eq!(slugify("日本語"), "imported");
    let long = slugify(&"ab-".repeat(40));
    assert!(long.len() <= 64 && !long.ends_with('-'), "{long}");
}

#[test]
fn sessions_fixture_is_reverie_and_every_line_is_valid() {
    let (text, path) = fixture("sessions.jsonl");
    assert_eq!(detect(&text, Some(&path)), Ok(Format::Reverie));
    let records: Vec<SessionRecord> = reverie_lines(&text)
        .into_iter()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(records.len(), 24);
    assert!(records.iter().all(|r| r.agent == "social-drafts"));
    let clients: std::collections::BTreeSet<_> =
        records.iter().map(|r| r.tags["client"].as_str()).collect();
    assert_eq!(
        clients.into_iter().collect::<Vec<_>>(),
        ["Fernwood Cycles", "Harbour Tea", "Quill & Ink Books"]
    );
    let days: std::collections::BTreeSet<_> =
        records.iter().map(|r| r.started_at.date_naive()).collect();
    assert!(days.len() >= 12, "spread over many days: {days:?}");
    assert!(days.first().unwrap().to_string().as_str() >= "2026-11-02");
    assert!(days.last().unwrap().to_string().as_str() <= "2026-11-20");
    let verdicts: Vec<_> = records
        .iter()
        .flat_map(|r| r.feedback.iter().map(|f| f.verdict))
        .collect();
    for v in [
        crate::model::Verdict::Accepted,
        crate::model::Verdict::Revised,
        crate::model::Verdict::Rejected,
    ] {
        assert!(verdicts.contains(&v), "{v:?} missing");
    }
    assert!(records.iter().filter(|r| !r.outcomes.is_empty()).count() >= 10);
}

#[test]
fn broken_fixture_fails_on_lines_2_4_and_5_only() {
    let (text, path) = fixture("broken.jsonl");
    assert_eq!(detect(&text, Some(&path)), Ok(Format::Reverie));
    let results = reverie_lines(&text);
    assert_eq!(results.len(), 6);
    let bad: Vec<usize> = results
        .iter()
        .enumerate()
        .filter(|(_, r)| r.is_err())
        .map(|(i, _)| i + 1)
        .collect();
    assert_eq!(bad, [2, 4, 5]);
    assert!(results[3].as_ref().unwrap_err().contains("messages"));
    assert!(results[4].as_ref().unwrap_err().contains("a user message"));
}

#[test]
fn convert_refuses_reverie() {
    let p = convert(Format::Reverie, "{}", None);
    assert!(p.records.is_empty());
    assert!(p.errors[0].message.contains("--format reverie"));
}

#[test]
fn detect_rules() {
    let a = |t: &str| detect(t, None);
    // Plain role/content lists read the same in both; the container decides.
    assert_eq!(
        a(r#"[{"role":"user","content":"hi"}]"#),
        Ok(Format::Anthropic)
    );
    assert_eq!(
        a(r#"{"messages":[{"role":"user","content":"hi"}]}"#),
        Ok(Format::Openai)
    );
    // What only one side has wins over the container.
    assert_eq!(
        a(r#"[{"role":"system","content":"be nice"},{"role":"user","content":"hi"}]"#),
        Ok(Format::Openai)
    );
    assert_eq!(
        a(
            r#"{"messages":[{"role":"assistant","content":[{"type":"tool_use","id":"t","name":"x","input":{}}]}]}"#
        ),
        Ok(Format::Anthropic)
    );
    assert_eq!(
        a(r#"[{"messages":[{"role":"tool","content":"x","tool_call_id":"c"}]}]"#),
        Ok(Format::Openai)
    );
    // JSON Lines.
    let reverie = r#"{"id":"s-1","agent":"a","started_at":"2026-11-02T09:00:00Z","messages":[]}"#;
    assert_eq!(a(&format!("{reverie}\n{reverie}\n")), Ok(Format::Reverie));
    assert_eq!(a(reverie), Ok(Format::Reverie), "a one-line file");
    assert_eq!(
        a("{\"messages\":[]}\n{\"messages\":[]}"),
        Ok(Format::Openai)
    );
    assert_eq!(
        a("not json\n{\"type\":\"user\",\"sessionId\":\"s\"}"),
        Ok(Format::ClaudeCode)
    );
}

#[test]
fn detect_errors_say_what_and_how_to_fix() {
    let path = Path::new("/tmp/notes.txt");
    for text in [
        "",
        "  \n",
        "null",
        "12",
        "\"x\"",
        "[]",
        "[1]",
        "{\"a\": 1}",
        "hello world",
        "[{\"x\": 1}]",
        "{\"a\":1}\n{\"b\":2}",
    ] {
        let e = detect(text, Some(path)).unwrap_err();
        assert!(e.contains("/tmp/notes.txt"), "{text}: {e}");
        if !text.trim().is_empty() {
            assert!(e.contains("--format"), "{text}: {e}");
        }
    }
    let mixed = r#"[{"role":"system","content":"x"},{"role":"assistant","content":[{"type":"tool_use","name":"t","input":{}}]}]"#;
    let e = detect(mixed, None).unwrap_err();
    assert!(
        e.contains("OpenAI") && e.contains("Anthropic") && e.contains("--format openai"),
        "{e}"
    );
    let pretty =
        "{\n  \"id\": \"s-1\", \"started_at\": \"2026-11-02T09:00:00Z\",\n  \"messages\": []\n}";
    assert!(detect(pretty, None).unwrap_err().contains("single line"));
}

#[test]
fn array_item_lines_point_at_each_element() {
    let text = "[\n  {\"a\": \"x, [y]\"},\n  {\"b\": [1,\n 2]}, {\"c\": \"\\\"\"}\n]";
    assert_eq!(array_item_lines(text), [2, 3, 4]);
    assert_eq!(array_item_lines("[]"), Vec::<u64>::new());
}

#[test]
fn whole_file_json_errors_give_line_and_column() {
    let p = convert(
        Format::Anthropic,
        "[\n  {\"role\": \"user\",\n   \"content\": \"hi\"\n  \n",
        None,
    );
    assert_eq!(p.errors.len(), 1);
    assert_eq!(p.errors[0].line, 5);
    assert!(
        p.errors[0].message.contains("not valid JSON"),
        "{}",
        p.errors[0].message
    );
}

#[test]
fn time_fields_accept_rfc3339_and_unix_seconds() {
    let obj = |v: Value| {
        let mut m = Map::new();
        m.insert("t".into(), v);
        m
    };
    let t = |v: Value| time_field(&obj(v), &["t"]);
    assert_eq!(
        t(Value::from("2026-11-02T10:00:00+01:00"))
            .unwrap()
            .unwrap()
            .to_rfc3339(),
        "2026-11-02T09:00:00+00:00"
    );
    assert_eq!(
        t(Value::from(1_793_873_700.5))
            .unwrap()
            .unwrap()
            .timestamp_millis(),
        1_793_873_700_500
    );
    assert_eq!(t(Value::Null), Ok(None));
    let e = t(Value::from("last tuesday")).unwrap_err();
    assert!(e.contains("field `t`") && e.contains("RFC 3339"), "{e}");
    assert!(t(Value::from(f64::MAX)).is_err());
    assert!(t(Value::from(true)).is_err());
}

/// The importer sniffs only the first block of a file; a cut-off sample must still tell.
#[test]
fn detect_reads_a_cut_off_sample() {
    let cut =
        |t: &str, n: usize| t[..t.char_indices().nth(n).map_or(t.len(), |(i, _)| i)].to_string();
    for (name, want) in [
        ("anthropic.json", Format::Anthropic),
        ("openai.json", Format::Openai),
        ("sessions.jsonl", Format::Reverie),
        (
            "claude-code/-home-mei-harbour-site/6f1c2a9e-3b7d-4e2a-9c51-8d0f4a7b2e13.jsonl",
            Format::ClaudeCode,
        ),
    ] {
        let (text, _) = fixture(name);
        for n in [400, 700, 1200, text.chars().count() - 3] {
            assert_eq!(detect(&cut(&text, n), None), Ok(want), "{name} cut at {n}");
        }
        // The same on one long line (compact JSON, or a JSON Lines file with a huge first line).
        let first: String = match serde_json::from_str::<Value>(&text) {
            Ok(v) => v.to_string(),
            Err(_) => text
                .lines()
                .find(|l| l.contains("\"messages\"") || l.contains("\"message\""))
                .unwrap()
                .into(),
        };
        assert_eq!(
            detect(&cut(&first, first.chars().count() * 2 / 3), None),
            Ok(want),
            "{name} one line"
        );
    }
    assert!(detect("[{\"role\": \"user\", \"content\": \"hi", None).is_ok());
    assert!(detect("{\"id\": [[[", None).is_err());
}

#[test]
fn json_lines_with_a_broken_first_line_still_convert() {
    let good = r#"{"messages": [{"role": "user", "content": "hi"}]}"#;
    let text = format!("{{\"messages\": [\n{good}\n{good}\n");
    assert_eq!(detect(&text, None), Ok(Format::Openai));
    let p = convert(Format::Openai, &text, Some(Path::new("chats.jsonl")));
    let ids: Vec<_> = p.records.iter().map(|(l, r)| (*l, r.id.as_str())).collect();
    assert_eq!(ids, [(2, "chats-2"), (3, "chats-3")]);
    assert_eq!(p.errors.len(), 1);
    assert_eq!(p.errors[0].line, 1);
    // A pretty-printed document with a syntax error is one error, not one per line.
    let pretty = "[\n  {\"role\": \"user\", \"content\": \"hi\"}\n  {\"role\": \"assistant\", \"content\": \"yo\"}\n]";
    let p = convert(Format::Anthropic, pretty, None);
    assert_eq!(p.errors.len(), 1, "{:?}", p.errors);
    assert_eq!(p.errors[0].line, 3);
}
