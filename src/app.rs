//! The engine's surface for the desktop app: one function per window command, so the Tauri
//! shell stays a one-line call per command and all of this is testable without a window.

use std::path::Path;

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use crate::error::{Error, Result};
use crate::llm::config::{self as llm_config, ProviderConfig, ProviderKind, ProviderStatus};
use crate::model::{
    DreamReport, MemoryEntry, MemoryEvent, MemoryEventKind, MemorySource, RubricCheck, RubricView,
    ScheduleInfo, Scope,
};
use crate::rubric::Rubric;
use crate::schedule::{self, Schedule};
use crate::secret::{Keychain, Secret};
use crate::store::memory::{self, Cause, NewEntry, Writer};
use crate::store::{agents, dreams};
use crate::{dreaming, memory_io, review};

fn person<'c>(conn: &'c Connection, agent: &str, now: DateTime<Utc>) -> Result<Writer<'c>> {
    Ok(Writer {
        conn,
        agent_id: agents::id_of(conn, agent)?,
        cause: Cause::person(),
        now,
    })
}

pub fn add_memory(
    conn: &mut Connection,
    agent: &str,
    content: &str,
    scope: Scope,
    now: DateTime<Utc>,
) -> Result<MemoryEntry> {
    let tx = conn.transaction()?;
    let w = person(&tx, agent, now)?;
    let id = w.add(&NewEntry {
        content: content.to_string(),
        scope,
        source: MemorySource::Person,
        session_ids: Vec::new(),
    })?;
    let entry = memory::get(&tx, w.agent_id, id)?.0;
    tx.commit()?;
    Ok(entry)
}

pub fn edit_memory(
    conn: &mut Connection,
    agent: &str,
    id: i64,
    content: &str,
    scope: Scope,
    now: DateTime<Utc>,
) -> Result<MemoryEntry> {
    let tx = conn.transaction()?;
    let w = person(&tx, agent, now)?;
    w.edit(id, content, &scope, MemoryEventKind::Edit)?;
    let entry = memory::get(&tx, w.agent_id, id)?.0;
    tx.commit()?;
    Ok(entry)
}

pub fn delete_memory(
    conn: &mut Connection,
    agent: &str,
    id: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    let tx = conn.transaction()?;
    person(&tx, agent, now)?.remove(id, MemoryEventKind::Remove)?;
    tx.commit()?;
    Ok(())
}

pub fn memory_history(conn: &Connection, agent: &str) -> Result<Vec<MemoryEvent>> {
    memory::history(conn, agents::id_of(conn, agent)?, 500)
}

fn write_file(path: &Path, text: &str) -> Result<()> {
    std::fs::write(path, text)
        .map_err(|e| Error::io(format!("could not write {}", path.display()), e))
}

pub fn export_memory(conn: &Connection, agent: &str, format: &str, path: &Path) -> Result<()> {
    let a = agents::get(conn, agent)?;
    let entries = memory::list(conn, agents::id_of(conn, agent)?)?;
    let text = match format {
        "markdown" => memory_io::export_markdown(&a.name, &entries),
        "jsonl" => memory_io::export_jsonl(&entries),
        other => {
            return Err(Error::InvalidInput(format!(
                "\"{other}\" is not an export format; use markdown or jsonl"
            )))
        }
    };
    write_file(path, &text)
}

pub fn get_rubric(conn: &Connection, agent: &str) -> Result<RubricView> {
    let yaml = agents::rubric_yaml(conn, agent)?;
    Ok(RubricView {
        rubric: Rubric::parse(&yaml)?,
        yaml,
    })
}

pub fn check_rubric(rubric: &Rubric) -> RubricCheck {
    RubricCheck {
        issues: rubric.validate(),
        yaml: Some(rubric.to_yaml()),
        rubric: Some(rubric.clone()),
    }
}

pub fn parse_rubric_yaml(yaml: &str) -> RubricCheck {
    match Rubric::from_yaml(yaml) {
        Ok(rubric) => check_rubric(&rubric),
        Err(issues) => RubricCheck {
            rubric: None,
            issues,
            yaml: None,
        },
    }
}

pub fn save_rubric(
    conn: &Connection,
    agent: &str,
    rubric: &Rubric,
    now: DateTime<Utc>,
) -> Result<RubricView> {
    let yaml = agents::set_rubric(conn, agent, rubric, now)?;
    Ok(RubricView {
        rubric: rubric.clone(),
        yaml,
    })
}

pub fn import_rubric_file(path: &Path) -> Result<RubricCheck> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::io(format!("could not read {}", path.display()), e))?;
    Ok(parse_rubric_yaml(&text))
}

pub fn export_rubric(conn: &Connection, agent: &str, path: &Path) -> Result<()> {
    write_file(path, &agents::rubric_yaml(conn, agent)?)
}

pub fn describe_schedule(expr: &str, now: DateTime<Utc>) -> ScheduleInfo {
    match Schedule::parse(expr) {
        Ok(s) => ScheduleInfo {
            expr: expr.to_string(),
            words: schedule::describe(expr),
            next_runs: s.upcoming(now, 3),
            error: None,
        },
        Err(e) => ScheduleInfo {
            expr: expr.to_string(),
            words: String::new(),
            next_runs: Vec::new(),
            error: Some(e),
        },
    }
}

pub fn list_dreams(conn: &Connection, agent: &str) -> Result<Vec<crate::model::Dream>> {
    dreams::list(conn, agents::id_of(conn, agent)?, 200)
}

pub fn undo_dream(conn: &mut Connection, id: i64, now: DateTime<Utc>) -> Result<DreamReport> {
    review::undo_dream(conn, id, now)?;
    dreaming::report(conn, id)
}

/// The LLM tier's provider as Settings shows it. The key itself never leaves the keychain.
pub fn provider_status(conn: &Connection) -> Result<ProviderStatus> {
    llm_config::status(conn, &Keychain::default())
}

/// Choose the provider, or turn the LLM tier off with `None`.
pub fn provider_set(conn: &Connection, config: Option<ProviderConfig>) -> Result<ProviderStatus> {
    match config {
        Some(c) => llm_config::save(conn, &c)?,
        None => llm_config::clear(conn)?,
    }
    provider_status(conn)
}

/// Store an API key in the OS keychain. The key is wrapped at once so it cannot be logged.
pub fn provider_key_set(kind: ProviderKind, key: String) -> Result<()> {
    let key = Secret::new(key);
    if key.expose().trim().is_empty() {
        return Err(Error::InvalidInput(
            "the key is empty; paste the whole key".into(),
        ));
    }
    llm_config::set_key(kind, &key, &Keychain::default())
}

pub fn provider_key_remove(kind: ProviderKind) -> Result<bool> {
    llm_config::remove_key(kind, &Keychain::default())
}

/// A minimal request to the configured provider, answered in plain words.
pub fn provider_test(conn: &Connection) -> Result<String> {
    let Some(p) = llm_config::resolve(conn, None, &Keychain::default())? else {
        return Err(Error::NotAvailable(
            "no AI provider is set; choose one first".into(),
        ));
    };
    p.test(&std::sync::atomic::AtomicBool::new(false))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db;

    fn now() -> DateTime<Utc> {
        "2026-11-24T10:00:00Z".parse().unwrap()
    }

    #[test]
    fn memory_edits_are_events_with_history() {
        let mut conn = db::open_in_memory().unwrap();
        agents::create(&conn, "a", None, now()).unwrap();
        let scope: Scope = [("client".to_string(), "Harbour Tea".to_string())].into();
        let e = add_memory(
            &mut conn,
            "a",
            "  No exclamation marks. ",
            scope.clone(),
            now(),
        )
        .unwrap();
        assert_eq!(e.content, "No exclamation marks.");
        let e2 = edit_memory(
            &mut conn,
            "a",
            e.id,
            "Never use exclamation marks.",
            scope,
            now(),
        )
        .unwrap();
        assert_eq!(e2.content, "Never use exclamation marks.");
        delete_memory(&mut conn, "a", e.id, now()).unwrap();
        let agent_id = agents::id_of(&conn, "a").unwrap();
        assert!(memory::list(&conn, agent_id).unwrap().is_empty());
        let h = memory_history(&conn, "a").unwrap();
        let kinds: Vec<_> = h.iter().map(|e| e.kind).collect();
        assert_eq!(
            kinds,
            vec![
                MemoryEventKind::Remove,
                MemoryEventKind::Edit,
                MemoryEventKind::Add
            ]
        );
        assert_eq!(h[1].before.as_deref(), Some("No exclamation marks."));
        assert!(matches!(
            add_memory(&mut conn, "a", "  ", Scope::new(), now()),
            Err(Error::InvalidInput(_))
        ));
    }

    #[test]
    fn schedule_info_speaks_plainly() {
        let i = describe_schedule("30 7 * * 1-5", now());
        assert_eq!(i.words, "Weekdays at 7:30");
        assert_eq!(i.next_runs.len(), 3);
        assert!(i.next_runs.windows(2).all(|w| w[0] < w[1]));
        let bad = describe_schedule("every night", now());
        assert!(bad.error.unwrap().contains("needs 5"));
    }

    #[test]
    fn rubric_checks_report_fields_and_yaml() {
        let mut r = Rubric::default();
        assert!(check_rubric(&r).issues.is_empty());
        r.dreaming.review_window_days = 0;
        let c = check_rubric(&r);
        assert_eq!(c.issues[0].field, "dreaming.review_window_days");
        let p = parse_rubric_yaml("outcomes: [");
        assert!(p.rubric.is_none() && p.issues[0].line.is_some());
    }
}
