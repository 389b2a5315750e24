use clap::{Args, Subcommand};
use reverie::Error;

use super::Ctx;

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct DreamArgs {
    #[command(subcommand)]
    sub: Option<DreamCmd>,
    /// The agent to dream for
    #[arg(long, value_name = "SLUG")]
    agent: Option<String>,
    /// Use only the embedded offline dreamer (no API key, no network)
    #[arg(long)]
    offline: bool,
    /// Review the last N days instead of the rubric's review window
    #[arg(long, value_name = "N")]
    window_days: Option<u32>,
}

#[derive(Subcommand)]
pub enum DreamCmd {
    /// Undo a dream: memory goes back exactly to how it was before the dream's changes
    Undo { id: i64 },
    /// List an agent's dreams, newest first
    List {
        #[arg(long, value_name = "SLUG")]
        agent: String,
    },
}

#[derive(Subcommand)]
pub enum ReviewCmd {
    /// List proposals waiting for review
    List {
        #[arg(long, value_name = "SLUG")]
        agent: Option<String>,
    },
    /// Approve proposals and apply them to memory
    Approve {
        #[arg(required = true)]
        ids: Vec<i64>,
    },
    /// Reject proposals; later dreams remember and become more careful about the same pattern
    Reject {
        #[arg(required = true)]
        ids: Vec<i64>,
        /// Why, in your words (shown in the dream's history)
        #[arg(long)]
        reason: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum ProviderCmd {
    /// Show the provider, model and base URL the LLM tier uses
    Show,
    /// Choose the provider, model or base URL
    Set,
    /// Check that the provider answers
    Test,
}

#[derive(Subcommand)]
pub enum SchedulerCmd {
    /// Run dreams when their schedules say, until stopped
    Run {
        /// Run whatever is due or was missed, then exit
        #[arg(long)]
        once: bool,
    },
}

fn not_yet(what: &str) -> reverie::Result<()> {
    Err(Error::NotAvailable(format!("{what} is not available yet in this version of Reverie")))
}

pub fn run_dream(_ctx: Ctx, _args: DreamArgs) -> reverie::Result<()> {
    not_yet("dreaming")
}

pub fn run_review(_ctx: Ctx, _cmd: ReviewCmd) -> reverie::Result<()> {
    not_yet("review")
}

pub fn run_provider(_ctx: Ctx, _cmd: ProviderCmd) -> reverie::Result<()> {
    not_yet("the LLM provider (the offline dreamer needs none)")
}

pub fn run_scheduler(_ctx: Ctx, _cmd: SchedulerCmd) -> reverie::Result<()> {
    not_yet("the scheduler")
}
