//! Teams of agents: a lead takes a task, delegates pieces to its specialists (several at once,
//! each on its own thread with its own model, prompt and memory for the run's tags), they work
//! in a shared folder through file tools, and the lead assembles the answer. Every agent's part
//! is a normal session of that agent, so feedback on it feeds that agent's own dreams.
//! Delegation is one level deep: specialists have no `delegate` tool.

pub mod files;
pub mod step;

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde_json::{json, Value};

use crate::error::{Error, Result};
use crate::import::record::SessionRecord;
use crate::llm::{block_on, Heard, Usage};
use crate::model::{
    FileTool, Message, Role, RunEvent, RunEventKind, RunStatus, Scope, TeamMember, TeamRun,
    ToolCall,
};
use crate::secret::Keychain;
use crate::store::{agents, memory, sessions, teams};
use crate::work::prompt;
use files::Folder;
use step::{Block, ToolDef, Turn};

/// Turns one agent may take in a run before it must answer.
const MAX_STEPS: usize = 12;
/// What a session of a team run says it came from.
pub const SOURCE: &str = "team";

/// A task for a team, with the tags (such as the client) every member's memory is chosen by.
#[derive(Debug, Clone)]
pub struct RunRequest {
    pub team: String,
    pub task: String,
    pub tags: Scope,
}

fn tool_defs(tools: &[FileTool], specialists: Option<&[TeamMember]>) -> Vec<ToolDef> {
    let mut defs = Vec::new();
    if let Some(list) = specialists {
        let names: Vec<&str> = list.iter().map(|m| m.agent.as_str()).collect();
        defs.push(ToolDef {
            name: "delegate",
            description: "Give one specialist of your team a piece of the task. Several delegate calls in one turn run at the same time. The specialist answers with its result.",
            schema: json!({
                "type": "object",
                "properties": {
                    "agent": {"type": "string", "enum": names, "description": "The specialist's short name."},
                    "task": {"type": "string", "description": "What the specialist should do, with everything it needs to know."}
                },
                "required": ["agent", "task"],
            }),
        });
    }
    for t in tools {
        defs.push(match t {
            FileTool::ListFiles => ToolDef {
                name: "list_files",
                description: "List the files in the team's shared folder.",
                schema: json!({"type": "object", "properties": {}}),
            },
            FileTool::ReadFile => ToolDef {
                name: "read_file",
                description: "Read a text file of the team's shared folder.",
                schema: json!({"type": "object", "properties": {"path": {"type": "string", "description": "Relative to the shared folder, such as notes/facts.md"}}, "required": ["path"]}),
            },
            FileTool::WriteFile => ToolDef {
                name: "write_file",
                description: "Write (create or replace) a text file in the team's shared folder.",
                schema: json!({"type": "object", "properties": {"path": {"type": "string"}, "content": {"type": "string"}}, "required": ["path", "content"]}),
            },
        });
    }
    defs
}

/// What a run shares between its lanes.
struct Ctx<'a> {
    db: &'a Path,
    run: i64,
    tags: &'a Scope,
    folder: &'a Folder,
    cancel: &'a AtomicBool,
    on_event: &'a (dyn Fn(&RunEvent) + Sync),
    specialists: &'a [TeamMember],
    max_parallel: usize,
    budget: Option<u64>,
    usage: Mutex<Usage>,
}

/// One member's part of a run: its lane on the screen. The session tells two parts of one
/// specialist apart when the lead delegates to it twice at once.
struct Lane<'a> {
    agent: &'a str,
    lead: bool,
    session: &'a str,
}

impl Ctx<'_> {
    fn emit(&self, lane: &Lane, kind: RunEventKind, text: impl Into<String>) {
        (self.on_event)(&RunEvent {
            run: self.run,
            agent: lane.agent.to_string(),
            lead: lane.lead,
            session: lane.session.to_string(),
            kind,
            text: text.into(),
        });
    }

    fn spent(&self) -> u64 {
        let u = self.usage.lock().expect("lock");
        u.total_input() + u.output_tokens
    }
}

/// The instructions a member reads after its own prompt and memory.
fn team_note(m: &TeamMember, specialists: &[TeamMember], conn: &Connection) -> String {
    let files = if m.tools.is_empty() {
        String::new()
    } else {
        " Your team shares a folder; use the file tools to read what others wrote and to leave your work there.".into()
    };
    if m.lead {
        let mut s = String::from(
            "\n\nYou lead a team. Break the task into pieces and give each to the specialist suited to it with the delegate tool; delegate calls in the same turn run at the same time. Specialists answer with their results. When you have what you need, write the final answer yourself.",
        );
        s.push_str(&files);
        s.push_str("\nYour specialists:");
        for sp in specialists {
            let about = agents::get(conn, &sp.agent)
                .map(|a| {
                    a.system_prompt
                        .lines()
                        .next()
                        .unwrap_or_default()
                        .to_string()
                })
                .unwrap_or_default();
            s.push_str(&format!("\n- {} ({}): {}", sp.agent, sp.name, about));
        }
        s
    } else {
        format!(
            "\n\nYou are a specialist in a team: do the task your lead gives you and answer with the result.{files}"
        )
    }
}

/// One member's work on `task` until it answers; its session is saved either way.
fn work(
    ctx: &Ctx,
    m: &TeamMember,
    task: &str,
    session_id: &str,
    lead_session: &str,
) -> std::result::Result<String, String> {
    let started = Utc::now();
    let lane = Lane {
        agent: &m.agent,
        lead: m.lead,
        session: session_id,
    };
    ctx.emit(&lane, RunEventKind::Started, task);
    let mut messages = vec![Message {
        role: Role::User,
        content: task.to_string(),
        tool_calls: Vec::new(),
        stopped: false,
    }];
    let result = work_inner(ctx, m, &lane, task, &mut messages);
    let (ok, kind, text) = match &result {
        Ok(t) => (true, RunEventKind::Finished, t.clone()),
        Err(e) => (false, RunEventKind::Failed, e.clone()),
    };
    if let Err(e) = save(
        ctx,
        m,
        task,
        session_id,
        lead_session,
        &messages,
        ok,
        started,
    ) {
        ctx.emit(
            &lane,
            RunEventKind::Failed,
            format!("its session could not be saved: {e}"),
        );
    }
    ctx.emit(&lane, kind, text);
    result
}

fn work_inner(
    ctx: &Ctx,
    m: &TeamMember,
    lane: &Lane,
    task: &str,
    messages: &mut Vec<Message>,
) -> std::result::Result<String, String> {
    let describe = |e: Error| e.to_string();
    let conn = crate::api::open(ctx.db).map_err(describe)?;
    let agent = agents::get(&conn, &m.agent).map_err(describe)?;
    let agent_id = agents::id_of(&conn, &m.agent).map_err(describe)?;
    let provider = crate::llm::provider::resolve(&conn, agent.model.as_deref(), &Keychain::default())
        .map_err(describe)?
        .ok_or("no AI provider is chosen, so the team cannot work yet; choose Claude or a local model in Settings")?;
    let entries = memory::list(&conn, agent_id).map_err(describe)?;
    let mem = prompt::build(
        agent.memory_enabled,
        &entries,
        ctx.tags,
        prompt::BUDGET_TOKENS,
    );
    let specialists = if m.lead { Some(ctx.specialists) } else { None };
    let system = format!(
        "{}{}",
        prompt::system_prompt(&agent.system_prompt, &mem),
        team_note(m, ctx.specialists, &conn)
    );
    drop(conn);
    let tools = tool_defs(&m.tools, specialists);
    let mut turns = vec![Turn {
        assistant: false,
        blocks: vec![Block::Text(task.to_string())],
    }];
    for _ in 0..MAX_STEPS {
        if ctx.cancel.load(Ordering::Relaxed) {
            return Err("stopped".into());
        }
        if let Some(b) = ctx.budget.filter(|b| ctx.spent() >= *b) {
            return Err(format!("the run used its budget of {b} tokens"));
        }
        // Each piece of text as it is written, so the lane shows the member writing; an empty
        // piece means a retry started the turn over.
        let heard = |h: Heard| match h {
            Heard::Text(piece) => ctx.emit(lane, RunEventKind::Writing, piece),
            Heard::TextReset => ctx.emit(lane, RunEventKind::Writing, ""),
            _ => {}
        };
        let answer = block_on(step::step(
            &provider, &system, &turns, &tools, ctx.cancel, &heard,
        ))
        .map_err(describe)?
        .map_err(|f| match f {
            crate::llm::Failure::Canceled => "stopped".to_string(),
            f => f.describe(&provider.kind.label()),
        })?;
        ctx.usage.lock().expect("lock").add(&answer.usage);
        let text = answer.text();
        let uses = answer.tool_uses();
        messages.push(Message {
            role: Role::Assistant,
            content: text.clone(),
            tool_calls: uses
                .iter()
                .map(|(_, name, input)| ToolCall {
                    name: name.clone(),
                    input: input.clone(),
                })
                .collect(),
            stopped: false,
        });
        if !text.trim().is_empty() && !uses.is_empty() {
            ctx.emit(lane, RunEventKind::Text, text.clone());
        }
        turns.push(Turn {
            assistant: true,
            blocks: answer.blocks.clone(),
        });
        if uses.is_empty() {
            return Ok(text);
        }
        let results = run_tools(ctx, m, lane, &uses);
        for (_, content, is_error) in &results {
            messages.push(Message {
                role: Role::Tool,
                content: if *is_error {
                    format!("[error] {content}")
                } else {
                    content.clone()
                },
                tool_calls: Vec::new(),
                stopped: false,
            });
        }
        turns.push(Turn {
            assistant: false,
            blocks: results
                .into_iter()
                .map(|(id, content, is_error)| Block::ToolResult {
                    id,
                    content,
                    is_error,
                })
                .collect(),
        });
    }
    Err(format!("no final answer after {MAX_STEPS} turns"))
}

/// Run one turn's tool calls: delegations in parallel (at most `max_parallel` at once), file
/// tools in order. Each answers `(tool_use_id, content, is_error)`, in the calls' order.
fn run_tools(
    ctx: &Ctx,
    m: &TeamMember,
    lane: &Lane,
    uses: &[(String, String, Value)],
) -> Vec<(String, String, bool)> {
    let mut out: Vec<Option<(String, String, bool)>> = vec![None; uses.len()];
    let delegations: Vec<usize> = uses
        .iter()
        .enumerate()
        .filter(|(_, (_, name, _))| name == "delegate" && m.lead)
        .map(|(i, _)| i)
        .collect();
    for chunk in delegations.chunks(ctx.max_parallel.max(1)) {
        let answers: Vec<(usize, std::result::Result<String, String>)> = std::thread::scope(|s| {
            let handles: Vec<_> = chunk
                .iter()
                .map(|&i| {
                    let input = &uses[i].2;
                    s.spawn(move || (i, delegate(ctx, input)))
                })
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or((usize::MAX, Err("the specialist's thread failed".into())))
                })
                .collect()
        });
        for (i, r) in answers {
            if i == usize::MAX {
                continue;
            }
            out[i] = Some(match r {
                Ok(text) => (uses[i].0.clone(), text, false),
                Err(e) => (uses[i].0.clone(), e, true),
            });
        }
    }
    for (i, (id, name, input)) in uses.iter().enumerate() {
        if out[i].is_some() {
            continue;
        }
        let arg = |k: &str| input[k].as_str().unwrap_or_default();
        let allowed = |t: FileTool| m.tools.contains(&t);
        let r = match name.as_str() {
            "list_files" if allowed(FileTool::ListFiles) => ctx.folder.list(),
            "read_file" if allowed(FileTool::ReadFile) => {
                ctx.emit(lane, RunEventKind::Tool, format!("read {}", arg("path")));
                ctx.folder.read(arg("path"))
            }
            "write_file" if allowed(FileTool::WriteFile) => {
                let r = ctx.folder.write(arg("path"), arg("content"));
                if r.is_ok() {
                    ctx.emit(lane, RunEventKind::File, arg("path"));
                }
                r
            }
            "delegate" => Err("specialists do not delegate; do the task yourself".into()),
            other => Err(format!("{other} is not one of your tools")),
        };
        out[i] = Some(match r {
            Ok(t) => (id.clone(), t, false),
            Err(e) => (id.clone(), e, true),
        });
    }
    out.into_iter().flatten().collect()
}

/// A delegation: the named specialist works on the task in a session of its own.
fn delegate(ctx: &Ctx, input: &Value) -> std::result::Result<String, String> {
    let name = input["agent"].as_str().unwrap_or_default();
    let task = input["task"].as_str().unwrap_or_default().trim();
    let Some(sp) = ctx.specialists.iter().find(|s| s.agent == name) else {
        let names: Vec<&str> = ctx.specialists.iter().map(|s| s.agent.as_str()).collect();
        return Err(format!(
            "{name} is not a specialist of this team; choose one of: {}",
            names.join(", ")
        ));
    };
    if task.is_empty() {
        return Err("say what the specialist should do".into());
    }
    let session = format!("team-{}-{}-{:04x}", ctx.run, sp.agent, fastrand::u16(..));
    let lead_session = lead_session_id(ctx.run);
    work(ctx, sp, task, &session, &lead_session)
}

fn lead_session_id(run: i64) -> String {
    format!("team-{run}-lead")
}

#[allow(clippy::too_many_arguments)]
fn save(
    ctx: &Ctx,
    m: &TeamMember,
    task: &str,
    session_id: &str,
    lead_session: &str,
    messages: &[Message],
    ok: bool,
    started: DateTime<Utc>,
) -> Result<()> {
    let mut conn = crate::api::open(ctx.db)?;
    let agent_id = agents::id_of(&conn, &m.agent)?;
    let mut extra = serde_json::Map::new();
    extra.insert(
        "team_run".into(),
        json!({"id": ctx.run, "lead": m.lead, "task": task, "ok": ok, "lead_session": lead_session}),
    );
    let rec = SessionRecord {
        id: session_id.to_string(),
        agent: m.agent.clone(),
        started_at: started,
        ended_at: Some(Utc::now().max(started)),
        user: None,
        tags: ctx.tags.clone(),
        messages: messages.to_vec(),
        feedback: Vec::new(),
        outcomes: Default::default(),
        extra,
    };
    let tx = conn.transaction()?;
    sessions::upsert(&tx, agent_id, &rec, SOURCE, None, Utc::now())?;
    tx.commit()?;
    crate::dreaming::grading::ensure(&conn, &m.agent, Utc::now())?;
    Ok(())
}

/// Open a run of `req.team` (quick, so a window can show it at once); [`run`] does the work.
pub fn begin(conn: &Connection, req: &RunRequest, now: DateTime<Utc>) -> Result<i64> {
    let task = req.task.trim();
    if task.is_empty() {
        return Err(Error::invalid_field(
            "task",
            "write what the team should do",
        ));
    }
    let team_id = teams::id_of(conn, &req.team)?;
    teams::start_run(conn, team_id, task, &req.tags, now)
}

/// Do run `run_id` of `req.team`: the lead works until it answers, delegating as it goes.
/// `on_event` hears every lane as it moves; `cancel` stops every member.
pub fn run(
    db: &Path,
    run_id: i64,
    req: &RunRequest,
    cancel: &AtomicBool,
    on_event: &(dyn Fn(&RunEvent) + Sync),
) -> Result<TeamRun> {
    let conn = crate::api::open(db)?;
    let team = teams::get(&conn, &req.team)?;
    let lead = team
        .members
        .iter()
        .find(|m| m.lead)
        .cloned()
        .ok_or_else(|| Error::Internal(format!("team {} has no lead", team.slug)))?;
    let specialists: Vec<TeamMember> = team.members.iter().filter(|m| !m.lead).cloned().collect();
    let folder = match Folder::open(Path::new(&team.folder)) {
        Ok(f) => f,
        Err(e) => {
            teams::finish_run(
                &conn,
                run_id,
                RunStatus::Failed,
                None,
                Some(&e),
                0,
                0,
                Utc::now(),
            )?;
            return teams::run(&conn, run_id);
        }
    };
    let lead_session = lead_session_id(run_id);
    teams::set_lead_session(&conn, run_id, &lead_session)?;
    drop(conn);
    let ctx = Ctx {
        db,
        run: run_id,
        tags: &req.tags,
        folder: &folder,
        cancel,
        on_event,
        specialists: &specialists,
        max_parallel: team.max_parallel as usize,
        budget: team.budget_tokens,
        usage: Mutex::new(Usage::default()),
    };
    let result = work(&ctx, &lead, req.task.trim(), &lead_session, &lead_session);
    let usage = *ctx.usage.lock().expect("lock");
    let conn = crate::api::open(db)?;
    let (status, output, error) = match &result {
        Ok(text) => (RunStatus::Completed, Some(text.as_str()), None),
        Err(_) if cancel.load(Ordering::Relaxed) => (RunStatus::Canceled, None, None),
        Err(e) => (RunStatus::Failed, None, Some(e.as_str())),
    };
    teams::finish_run(
        &conn,
        run_id,
        status,
        output,
        error,
        usage.total_input(),
        usage.output_tokens,
        Utc::now(),
    )?;
    teams::run(&conn, run_id)
}
