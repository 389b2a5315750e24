//! `reverie`: the command line over the same engine as the app. Argument parsing and dispatch;
//! each verb lives in its own module, calls `reverie::api`, and prints either plain text for
//! people or, with `--json`, the shapes documented in DESIGN.md.

// A dream reads a window on two threads and allocates millions of small strings and vectors:
// mimalloc keeps those cheap and keeps the threads from contending for one heap (glibc's
// malloc was a third of a dream's time). v2, as v3 holds freed memory for a second and that
// raised a 100,000-session dream's peak by 50 MB. Declared in each binary, not the engine
// library, so a library build (the app's cdylib) and the tests keep the system allocator's
// freedom; the benches declare it too, to measure what people run.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod agent;
mod dream;
mod flow;
mod import;
mod managed;
mod mcp;
mod memory;
mod progress;
mod provider;
mod rubric;
mod scheduler;
mod session;
mod team;
mod work;

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use reverie::{api, ErrorCode};
use rusqlite::Connection;

#[derive(Parser)]
#[command(
    name = "reverie",
    version,
    about = "Reverie: your agents learn from their own sessions by dreaming over them.",
    long_about = "Reverie: your agents learn from their own sessions by dreaming over them.\n\n\
        The same engine as the desktop app. Every command takes --db PATH (default: the app's \
        database; REVERIE_DB overrides) and --json for machine-readable output.\n\n\
        Exit status: 0 when it worked; 1 when it failed; 2 when an argument or a file's content \
        is wrong; 3 when an import took the good lines but some lines failed (each is listed)."
)]
pub struct Cli {
    /// Database file (default: the app's database in your data folder)
    #[arg(long, global = true, value_name = "PATH", env = "REVERIE_DB")]
    db: Option<PathBuf>,
    /// Print machine-readable JSON instead of text
    #[arg(long, global = true)]
    json: bool,
    /// Pretend it is this time (RFC 3339); for reproducible scripts and tests
    #[arg(long, global = true, hide = true, value_name = "TIME")]
    now: Option<chrono::DateTime<chrono::Utc>>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Import sessions from a file (Reverie JSONL, Anthropic, OpenAI or Claude Code transcripts);
    /// exits with status 3 when some lines failed (the good ones are imported)
    Import(import::Args),
    /// List, create and show agents
    #[command(subcommand)]
    Agent(agent::Cmd),
    /// Show or replace an agent's rubric ("what good looks like")
    #[command(subcommand)]
    Rubric(rubric::Cmd),
    /// List, import and export an agent's memory
    #[command(subcommand)]
    Memory(memory::Cmd),
    /// Dream over an agent's recent sessions and propose memory changes
    Dream(dream::DreamArgs),
    /// Review proposed memory changes: list, approve, reject
    #[command(subcommand)]
    Review(dream::ReviewCmd),
    /// The LLM tier's provider, model and base URL
    #[command(subcommand)]
    Provider(provider::ProviderCmd),
    /// Run dreams on their schedules without a window
    #[command(subcommand)]
    Scheduler(scheduler::SchedulerCmd),
    /// Give the agent a task (or continue a session) and stream its answer, with its system
    /// prompt, model and memory for the tags
    Run(work::RunArgs),
    /// Show a session; give feedback on its answers; tag sessions
    #[command(subcommand)]
    Session(session::Cmd),
    /// Folders and files an agent's sessions are synced from (a Claude Code project, say)
    #[command(subcommand)]
    Source(flow::SourceCmd),
    /// Where an agent's approved memory is written after every change (CLAUDE.md, AGENTS.md,
    /// a Claude Code memory folder, Markdown, JSON Lines)
    #[command(subcommand)]
    Publish(flow::PublishCmd),
    /// Serve memory to MCP clients (Claude Desktop, Claude Code, Cursor) over stdio
    Mcp,
    /// Claude Managed Agents: link, pull sessions and outcomes, push memory to a memory
    /// store, run Anthropic's dream and review it here
    #[command(subcommand)]
    Managed(managed::Cmd),
    /// Teams of agents: a lead delegates to specialists over a shared folder
    #[command(subcommand)]
    Team(team::Cmd),
    /// Whether dreaming helps: drafts accepted as written week by week, before and since
    /// dreaming, and each memory entry's effect
    Progress(progress::ProgressArgs),
}

/// What a verb needs: the open database and how to print.
pub struct Ctx {
    pub conn: Connection,
    /// Where the database is, for work that opens its own connections (the scheduler loop).
    pub path: PathBuf,
    pub json: bool,
}

impl Ctx {
    /// Print `value` as JSON, or `text()` for people.
    pub fn out<T: serde::Serialize>(&self, value: &T, text: impl FnOnce() -> String) {
        if self.json {
            write_out(&serde_json::to_string_pretty(value).expect("serializable"));
        } else {
            let t = text();
            if !t.is_empty() {
                write_out(t.trim_end());
            }
        }
    }
}

/// Print a line to stdout; a closed pipe (`reverie … | head`) is not an error worth a panic.
pub fn write_out(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{text}");
}

static NOW: std::sync::OnceLock<chrono::DateTime<chrono::Utc>> = std::sync::OnceLock::new();

/// The time every verb uses: `--now` when given, else the clock at start-up.
pub fn now() -> chrono::DateTime<chrono::Utc> {
    *NOW.get_or_init(chrono::Utc::now)
}

fn main() {
    std::process::exit(run_main());
}

/// Raised by Ctrl-C: a running dream stops at its next step (canceling a Message Batch it
/// waits on), leaving memory as it was, and a streaming answer stops keeping what arrived,
/// instead of the process dying half-way. `what` tells the person what is stopping.
pub fn interrupt_flag(what: &'static str) -> &'static std::sync::atomic::AtomicBool {
    static FLAG: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    static INSTALL: std::sync::Once = std::sync::Once::new();
    INSTALL.call_once(|| {
        let _ = ctrlc::set_handler(move || {
            if FLAG.swap(true, std::sync::atomic::Ordering::Relaxed) {
                // A second Ctrl-C: the person really wants out.
                std::process::exit(130);
            }
            eprintln!("\n{what}; press Ctrl-C again to quit at once.");
        });
    });
    &FLAG
}

/// Set by an import when some lines failed (the good ones still landed): exit status 3.
static SOME_LINES_FAILED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// An import reports lines it could not take: the command still succeeds for the rest, but
/// exits with status 3 so scripts notice.
pub fn lines_failed() {
    SOME_LINES_FAILED.store(true, std::sync::atomic::Ordering::Relaxed);
}

fn run_main() -> i32 {
    let cli = Cli::parse();
    let json = cli.json;
    match run(cli) {
        Ok(()) if SOME_LINES_FAILED.load(std::sync::atomic::Ordering::Relaxed) => 3,
        Ok(()) => 0,
        Err(e) => {
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&serde_json::json!({ "error": e.to_json() }))
                        .expect("serializable")
                );
            } else {
                eprintln!("error: {}", e.to_json().message);
                if let Some(hint) = hint(e.code()) {
                    eprintln!("hint: {hint}");
                }
            }
            match e.code() {
                ErrorCode::InvalidInput | ErrorCode::InvalidRubric => 2,
                _ => 1,
            }
        }
    }
}

/// What to try next on the command line, by error code; the engine's messages name no verbs.
fn hint(code: ErrorCode) -> Option<&'static str> {
    Some(match code {
        ErrorCode::NotFound => "`reverie agent list`, `reverie dream list --agent SLUG` and `reverie review list` show what there is",
        ErrorCode::AlreadyDecided => "`reverie review list` shows the changes still waiting",
        ErrorCode::DreamRunning => "wait for it to finish; `reverie dream list --agent SLUG` shows it",
        ErrorCode::NoProvider => "choose one with `reverie provider set --kind anthropic` (or `--kind openai --base-url URL`)",
        ErrorCode::NoKey => "add it with `reverie provider key set < key.txt`, or set ANTHROPIC_API_KEY / OPENAI_API_KEY",
        ErrorCode::KeychainLocked => "set ANTHROPIC_API_KEY or OPENAI_API_KEY for the command line instead",
        ErrorCode::KeyRefused => "replace it with `reverie provider key set < key.txt`",
        ErrorCode::Busy => "run the command again",
        _ => return None,
    })
}

fn run(cli: Cli) -> reverie::Result<()> {
    if let Some(t) = cli.now {
        let _ = NOW.set(t);
    }
    // Any verb may reach a provider (a memory change publishes to a linked managed agent's
    // store): the command line may take keys from ANTHROPIC_API_KEY / OPENAI_API_KEY.
    api::provider::allow_env_keys();
    let path = cli.db.unwrap_or_else(api::default_db_path);
    let ctx = Ctx {
        conn: api::open(&path)?,
        path: path.clone(),
        json: cli.json,
    };
    match cli.command {
        Command::Import(args) => import::run(ctx, args),
        Command::Agent(cmd) => agent::run(ctx, cmd),
        Command::Rubric(cmd) => rubric::run(ctx, cmd),
        Command::Memory(cmd) => memory::run(ctx, cmd),
        Command::Dream(args) => dream::run_dream(ctx, args),
        Command::Review(cmd) => dream::run_review(ctx, cmd),
        Command::Provider(cmd) => provider::run(ctx, cmd),
        Command::Scheduler(cmd) => scheduler::run(ctx, cmd),
        Command::Run(args) => work::run(ctx, args),
        Command::Session(cmd) => session::run(ctx, cmd),
        Command::Source(cmd) => flow::run_source(ctx, cmd),
        Command::Publish(cmd) => flow::run_publish(ctx, cmd),
        Command::Managed(cmd) => managed::run(ctx, cmd),
        Command::Team(cmd) => team::run(ctx, cmd),
        Command::Progress(args) => progress::run(ctx, args),
        Command::Mcp => {
            drop(ctx.conn);
            mcp::run(path)
        }
    }
}
