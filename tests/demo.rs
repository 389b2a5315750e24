//! The first-run demo workspace: what a newcomer sees when they create it and press "Dream now".
//! A real SQLite file each.

use std::sync::atomic::AtomicBool;

use chrono::{DateTime, Utc};
use reverie::demo::{create_demo, DEMO_AGENT, DEMO_NAME};
use reverie::dreaming::{self, DreamRequest};
use reverie::model::{DreamReport, DreamStatus, MemoryEntry, Proposal, ProposalOp, Scope, Trigger};
use reverie::store::db;
use reverie::store::{agents, memory, sessions};
use reverie::Error;
use rusqlite::Connection;

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn open() -> (tempfile::TempDir, Connection) {
    let dir = tempfile::tempdir().unwrap();
    let conn = db::open(&dir.path().join("reverie.db")).unwrap();
    (dir, conn)
}

/// "Dream now" on the demo agent; `None`: the rubric's review window.
fn dream(conn: &mut Connection, now: DateTime<Utc>, window_days: Option<u32>) -> DreamReport {
    let req = DreamRequest {
        agent: DEMO_AGENT.into(),
        window_days,
        trigger: Trigger::Manual,
    };
    dreaming::dream(conn, &req, now, &AtomicBool::new(false), &mut |_| {}).unwrap()
}

fn client(name: &str) -> Scope {
    Scope::from([("client".to_string(), name.to_string())])
}

fn entry<'a>(entries: &'a [MemoryEntry], starts: &str) -> &'a MemoryEntry {
    entries
        .iter()
        .find(|e| e.content.starts_with(starts))
        .unwrap_or_else(|| panic!("no memory entry starting {starts:?}"))
}

fn shown(ps: &[Proposal]) -> String {
    ps.iter()
        .map(|p| format!("{:?} {:?} {:?}: {}", p.op, p.scope, p.targets, p.content))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Checks what a newcomer would: a clean dream with the planted preferences, the stale entry and
/// the duplicate pair, nothing about the one-off request, and evidence that opens.
fn check_dream(conn: &mut Connection, now: DateTime<Utc>, window_days: Option<u32>) -> DreamReport {
    let agent_id = agents::id_of(conn, DEMO_AGENT).unwrap();
    let entries = memory::list(conn, agent_id).unwrap();
    let r = dream(conn, now, window_days);
    let ps = &r.proposals;
    let all = shown(ps);
    assert_eq!(r.dream.status, DreamStatus::Completed);
    assert!(r.dream.warning.is_none(), "warning: {:?}", r.dream.warning);
    assert!(
        r.dream.sessions_read >= 20,
        "read {}",
        r.dream.sessions_read
    );
    assert!(ps.len() >= 4, "{all}");

    let find = |scope: &Scope, ops: &[ProposalOp], needle: &str| {
        ps.iter()
            .find(|p| {
                &p.scope == scope
                    && ops.contains(&p.op)
                    && p.content.to_lowercase().contains(needle)
            })
            .unwrap_or_else(|| {
                panic!("no {ops:?} proposal for {scope:?} about {needle:?} in:\n{all}")
            })
    };
    let add = [ProposalOp::Add];
    find(&client("Harbour Tea"), &add, "no exclamation marks");
    find(&client("Fernwood Cycles"), &add, "#ridefernwood");
    find(&Scope::new(), &add, "'elevate'");
    // The emoji rule refines the stale entry that still asks for emoji.
    let stale = entry(&entries, "Quill & Ink Books: add a couple of emoji");
    let emoji = find(
        &client("Quill & Ink Books"),
        &[ProposalOp::Refine, ProposalOp::Remove],
        "emoji",
    );
    assert_eq!(emoji.targets, vec![stale.id], "{all}");
    // Client rules stay with their client.
    for needle in ["exclamation", "ridefernwood", "emoji"] {
        assert!(
            !ps.iter()
                .any(|p| p.scope.is_empty() && p.content.to_lowercase().contains(needle)),
            "{needle} was made team-wide:\n{all}"
        );
    }

    let a = entry(&entries, "Harbour Tea: sign off every post");
    let b = entry(&entries, "Harbour Tea: end each post");
    let merge = find(
        &client("Harbour Tea"),
        &[ProposalOp::Merge],
        "the harbour tea team",
    );
    assert_eq!(merge.targets, vec![a.id, b.id], "{all}");
    // Entries that still hold are left alone.
    let touched: Vec<i64> = ps.iter().flat_map(|p| p.targets.clone()).collect();
    for e in &entries {
        if ![stale.id, a.id, b.id].contains(&e.id) {
            assert!(
                !touched.contains(&e.id),
                "a proposal targets a sound entry {:?}:\n{all}",
                e.content
            );
        }
    }

    for p in ps {
        let text = format!("{} {}", p.content, p.rationale).to_lowercase();
        assert!(
            !text.contains("casual") && !text.contains("friday"),
            "the one-off became a rule: {}",
            p.content
        );
        for e in &p.evidence {
            let s = sessions::get(conn, DEMO_AGENT, &e.session_id).unwrap_or_else(|err| {
                panic!("evidence {} of {:?}: {err}", e.session_id, p.content)
            });
            let texts = s.messages.iter().map(|m| m.content.as_str());
            let finals = s.feedback.iter().filter_map(|f| f.final_text.as_deref());
            // What reviewers wrote with their verdicts is part of the session too.
            let comments = s.feedback.iter().filter_map(|f| f.comment.as_deref());
            assert!(
                texts
                    .chain(finals)
                    .chain(comments)
                    .any(|t| t.contains(&e.quote)),
                "quote {:?} is not in session {}",
                e.quote,
                e.session_id
            );
        }
        if p.op != ProposalOp::Merge {
            assert!(!p.evidence.is_empty(), "no evidence for {}", p.content);
        }
    }
    r
}

#[test]
fn a_newcomer_dreams_over_the_demo_and_reviews_real_proposals() {
    let (_dir, mut conn) = open();
    let now = at("2026-11-24T08:00:00Z");
    let agent = create_demo(&mut conn, now).unwrap();
    assert_eq!(
        (agent.slug.as_str(), agent.name.as_str()),
        (DEMO_AGENT, DEMO_NAME)
    );
    assert!(agent.sessions >= 75, "{} sessions", agent.sessions);
    assert_eq!(agent.memory_entries, 8);
    let last = agent.last_session_at.unwrap();
    assert!(
        last < now && now - last < chrono::Duration::days(4),
        "last session {last}"
    );
    let r = check_dream(&mut conn, now, None);
    assert_eq!(r.dream.window_days, 7);
    // Over all three weeks the casual tone was asked for in nine sessions on nine days, each
    // time for one post only: still not a rule.
    let r = check_dream(&mut conn, now, Some(21));
    assert!(
        r.dream.sessions_read >= 75,
        "read {}",
        r.dream.sessions_read
    );
}

#[test]
fn the_demo_reads_the_same_whenever_it_is_opened() {
    // Monday before work, Wednesday evening, a Saturday, a Friday lunchtime.
    for now in [
        "2026-11-23T07:30:00Z",
        "2026-11-25T19:45:00Z",
        "2026-11-28T12:00:00Z",
        "2027-03-05T12:10:00Z",
    ] {
        let (_dir, mut conn) = open();
        create_demo(&mut conn, at(now)).unwrap();
        check_dream(&mut conn, at(now), None);
    }
}

#[test]
fn the_demo_is_created_once() {
    let (_dir, mut conn) = open();
    let now = at("2026-11-24T08:00:00Z");
    let first = create_demo(&mut conn, now).unwrap();
    let again = create_demo(&mut conn, now).unwrap_err();
    assert!(matches!(again, Error::AlreadyExists(_)), "{again:?}");
    assert!(again.to_string().contains("already exists"), "{again}");
    assert_eq!(agents::get(&conn, DEMO_AGENT).unwrap(), first);
}
