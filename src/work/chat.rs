//! Working with the agent: a person's message, and the agent's answer streamed from the
//! configured provider with the agent's system prompt, model and its memory for the session's
//! tags. The session is saved as it goes: the person's message before the request, the answer
//! as soon as it ends, so a crash loses at most the answer being streamed. A stopped answer
//! keeps what arrived and is marked stopped. A chat is a normal session: dreams, search and
//! progress read it like an imported one.

use std::sync::atomic::AtomicBool;

use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use super::prompt::{self, MemoryPrompt};
use crate::error::{Error, Result};
use crate::llm::{self, ChatTurn, Heard, Mode, Prompt, Provider};
use crate::model::{Message, Role, Scope};
use crate::secret::Keychain;
use crate::store::{agents, edits, memory, sessions};

/// The longest answer asked for.
const MAX_ANSWER_TOKENS: u32 = 4_096;

/// What the person sends.
#[derive(Debug, Clone)]
pub struct TurnRequest {
    pub agent: String,
    /// Continue this session; `None` starts a new one.
    pub session: Option<String>,
    /// The tags (such as the client) a new session carries; a continued one keeps its own.
    pub tags: Scope,
    pub text: String,
}

/// A turn whose message is saved and whose answer is still to come.
pub struct Opened {
    pub session: String,
    /// The person's message's index in the session.
    pub message: u32,
    pub memory: MemoryPrompt,
    rowid: i64,
    prompt: Prompt,
    provider: Provider,
}

/// A saved message whose answer is on its way (what the window shows at once).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Asked {
    pub session: String,
    /// The person's message's index in the session.
    pub message: u32,
    /// The memory the agent reads for this answer.
    pub memory: MemoryPrompt,
}

impl Opened {
    pub fn asked(&self) -> Asked {
        Asked {
            session: self.session.clone(),
            message: self.message,
            memory: self.memory.clone(),
        }
    }
}

/// How a turn ended.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Turn {
    pub session: String,
    /// The answer's index in the session's messages.
    pub message: u32,
    pub answer: String,
    /// The person stopped it before it finished; `answer` is what had arrived.
    pub stopped: bool,
    /// The memory the agent read for this answer.
    pub memory: MemoryPrompt,
}

/// A new session's id: when it started, and a little randomness so two in one second differ.
fn new_id(now: DateTime<Utc>) -> String {
    format!(
        "chat-{}-{:04x}",
        now.format("%Y%m%d-%H%M%S"),
        fastrand::u16(..)
    )
}

/// Save the person's message (opening a session if needed) and prepare the request.
pub fn open(conn: &mut Connection, req: &TurnRequest, now: DateTime<Utc>) -> Result<Opened> {
    let text = req.text.trim();
    // No text in a session whose last message is the person's asks again (the answer failed
    // or the app closed before it came).
    if text.is_empty() && req.session.is_none() {
        return Err(Error::invalid_field(
            "text",
            "write what the agent should do",
        ));
    }
    let agent = agents::get(conn, &req.agent)?;
    let agent_id = agents::id_of(conn, &req.agent)?;
    let provider = crate::llm::provider::resolve(conn, agent.model.as_deref(), &Keychain::default())?
        .ok_or_else(|| {
            Error::NoProvider(
                "no AI provider is chosen, so the agent cannot answer here yet; choose Claude or a local model in Settings".into(),
            )
        })?;
    let tx = conn.transaction()?;
    let (session, rowid) = match &req.session {
        Some(id) => (id.clone(), edits::rowid(&tx, agent_id, id)?),
        None => {
            let id = new_id(now);
            let rowid = edits::create(&tx, agent_id, &id, &req.tags, None, now)?;
            (id, rowid)
        }
    };
    let message = if text.is_empty() {
        let last = sessions::messages(&tx, rowid)?
            .into_iter()
            .enumerate()
            .next_back()
            .filter(|(_, m)| m.role == Role::User);
        match last {
            Some((i, _)) => i as u32,
            None => {
                return Err(Error::invalid_field(
                    "text",
                    "write what the agent should do next",
                ))
            }
        }
    } else {
        edits::append_message(
            &tx,
            rowid,
            &Message {
                role: Role::User,
                content: text.to_string(),
                tool_calls: vec![],
                stopped: false,
            },
            now,
        )?
    };
    let s = sessions::get(&tx, &req.agent, &session)?;
    let entries = memory::list(&tx, agent_id)?;
    tx.commit()?;
    let memory = prompt::build(
        agent.memory_enabled,
        &entries,
        &s.summary.tags,
        prompt::BUDGET_TOKENS,
    );
    let turns = conversation(&s.messages);
    Ok(Opened {
        session,
        message,
        prompt: Prompt {
            system: prompt::system_prompt(&agent.system_prompt, &memory),
            context: String::new(),
            user: String::new(),
            turns,
            schema: None,
            max_tokens: MAX_ANSWER_TOKENS,
        },
        memory,
        rowid,
        provider,
    })
}

/// The session as turns a provider takes: the person's and the agent's messages (tool calls
/// and system notes of imported logs stay out), starting with the person's, and no two in a
/// row from the same side (a failed answer leaves two of the person's: they go as one).
fn conversation(messages: &[Message]) -> Vec<ChatTurn> {
    let mut turns: Vec<ChatTurn> = Vec::new();
    for m in messages {
        if !matches!(m.role, Role::User | Role::Assistant) || m.content.trim().is_empty() {
            continue;
        }
        if turns.is_empty() && m.role == Role::Assistant {
            continue;
        }
        match turns.last_mut() {
            Some(last) if last.role == m.role => {
                last.content.push_str("\n\n");
                last.content.push_str(&m.content);
            }
            _ => turns.push(ChatTurn {
                role: m.role,
                content: m.content.clone(),
            }),
        }
    }
    turns
}

/// Ask for the answer, streaming it to `on_heard`, and save it (stopped or whole).
pub fn answer(
    conn: &Connection,
    opened: Opened,
    now: impl Fn() -> DateTime<Utc>,
    cancel: &AtomicBool,
    on_heard: &mut (dyn FnMut(Heard) + Send),
) -> Result<Turn> {
    let mut so_far = String::new();
    let label = opened.provider.kind.label();
    let result = {
        let mut relay = |h: Heard| {
            match &h {
                Heard::Text(t) => so_far.push_str(t),
                Heard::TextReset => so_far.clear(),
                _ => {}
            }
            on_heard(h);
        };
        llm::block_on(
            opened
                .provider
                .ask(&opened.prompt, Mode::Stream, cancel, &mut relay),
        )?
    };
    let (answer, stopped) = match result {
        Ok(reply) => (reply.text, false),
        Err(llm::Failure::Canceled) => (so_far, true),
        Err(f) => return Err(f.into_error(&label)),
    };
    let message = edits::append_message(
        conn,
        opened.rowid,
        &Message {
            role: Role::Assistant,
            content: answer.clone(),
            tool_calls: vec![],
            stopped,
        },
        now(),
    )?;
    let agent_id: i64 = conn.query_row(
        "SELECT agent_id FROM sessions WHERE id = ?1",
        [opened.rowid],
        |r| r.get(0),
    )?;
    crate::dreaming::grading::ensure_id(conn, agent_id, now())?;
    Ok(Turn {
        session: opened.session,
        message,
        answer,
        stopped,
        memory: opened.memory,
    })
}
