//! `reverie session`: read a session, give feedback on its answers, tag sessions. What the app
//! does on the Sessions tab, through the same engine calls.

use std::path::PathBuf;

use clap::{Subcommand, ValueEnum};
use reverie::api::sessions::{self, FeedbackChange, Sessions};
use reverie::model::{Role, Session, Verdict};
use reverie::Error;
use serde_json::json;

use super::work::parse_tag;
use super::Ctx;

#[derive(Subcommand)]
pub enum Cmd {
    /// Print a session: its messages, verdicts, tags and comment
    Show {
        #[arg(long, value_name = "SLUG")]
        agent: String,
        id: String,
    },
    /// Give, change or clear the verdict on one of the agent's answers; the next dream reads it,
    /// and a re-import of the same file keeps it
    Feedback {
        #[arg(long, value_name = "SLUG")]
        agent: String,
        id: String,
        /// The answer's index in the session's messages (as `session show` numbers them)
        #[arg(long, value_name = "N")]
        message: u32,
        #[arg(long, value_enum, required_unless_present = "clear")]
        verdict: Option<VerdictArg>,
        /// Remove the verdict the answer has
        #[arg(long, conflicts_with_all = ["verdict", "final_text", "final_", "comment"])]
        clear: bool,
        /// For `revised`: a file with the text you used instead
        #[arg(long = "final-text", value_name = "FILE", conflicts_with = "final_")]
        final_text: Option<PathBuf>,
        /// For `revised`: the text you used instead
        #[arg(long = "final", value_name = "TEXT")]
        final_: Option<String>,
        /// Why, in your words
        #[arg(long, value_name = "TEXT")]
        comment: Option<String>,
    },
    /// Set a tag (such as the client) on sessions, or remove it; kept through re-imports
    Tag {
        #[arg(long, value_name = "SLUG")]
        agent: String,
        /// Session ids
        #[arg(required_unless_present = "file", conflicts_with = "file")]
        ids: Vec<String>,
        /// Every session imported from this file (as `session show` prints it)
        #[arg(long, value_name = "PATH")]
        file: Option<String>,
        /// KEY=VALUE; with --remove, KEY alone is enough
        #[arg(long, value_name = "KEY=VALUE")]
        tag: String,
        /// Remove the tag instead of setting it
        #[arg(long)]
        remove: bool,
    },
    /// A comment on the whole session (empty clears it)
    Comment {
        #[arg(long, value_name = "SLUG")]
        agent: String,
        id: String,
        text: String,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum VerdictArg {
    Accepted,
    Revised,
    Rejected,
}

pub fn run(mut ctx: Ctx, cmd: Cmd) -> reverie::Result<()> {
    match cmd {
        Cmd::Show { agent, id } => {
            let s = sessions::get(&ctx.conn, &agent, &id)?;
            ctx.out(&s, || show(&s));
        }
        Cmd::Feedback {
            agent,
            id,
            message,
            verdict,
            clear,
            final_text,
            final_,
            comment,
        } => {
            let final_text = match (final_text, final_) {
                (Some(path), _) => Some(
                    std::fs::read_to_string(&path)
                        .map_err(|e| Error::io(format!("could not read {}", path.display()), e))?,
                ),
                (None, text) => text,
            };
            let verdict = (!clear).then_some(verdict).flatten().map(|v| match v {
                VerdictArg::Accepted => Verdict::Accepted,
                VerdictArg::Revised => Verdict::Revised,
                VerdictArg::Rejected => Verdict::Rejected,
            });
            let change = FeedbackChange {
                message,
                verdict,
                final_text,
                comment,
            };
            let s = sessions::feedback(&mut ctx.conn, &agent, &id, &change)?;
            ctx.out(&s, || match verdict {
                Some(v) => format!("Message {message} of {id} is now {v}."),
                None => format!("Message {message} of {id} has no verdict now."),
            });
        }
        Cmd::Tag {
            agent,
            ids,
            file,
            tag,
            remove,
        } => {
            let (key, value) = if remove {
                let key = tag.split_once('=').map_or(tag.as_str(), |(k, _)| k);
                (key.trim().to_string(), None)
            } else {
                let (k, v) = parse_tag(&tag).map_err(|m| Error::invalid_field("tag", m))?;
                (k, Some(v))
            };
            let which = match file {
                Some(f) => Sessions::File(f),
                None => Sessions::Ids(ids),
            };
            let n = sessions::tag(&mut ctx.conn, &agent, &which, &key, value.as_deref())?;
            ctx.out(&json!({ "changed": n }), || match &value {
                Some(v) => format!("Tagged {n} sessions {key}: {v}."),
                None => format!("Removed the tag {key} from {n} sessions."),
            });
        }
        Cmd::Comment { agent, id, text } => {
            let s = sessions::comment(&ctx.conn, &agent, &id, Some(&text))?;
            ctx.out(&s, || match &s.comment {
                Some(_) => format!("Saved your comment on {id}."),
                None => format!("Cleared the comment on {id}."),
            });
        }
    }
    Ok(())
}

/// A session for a terminal: a header, then each message numbered as `--message` takes it,
/// with its verdict under it.
fn show(s: &Session) -> String {
    let mut out = format!(
        "Session {} ({})\nStarted {}\nTags: {}\n",
        s.summary.id,
        s.source,
        reverie::schedule::words::on(&s.summary.started_at.with_timezone(&chrono::Local)),
        s.summary.tags_label,
    );
    if let Some(f) = &s.file {
        out.push_str(&format!("From: {f}\n"));
    }
    if let Some(c) = &s.comment {
        out.push_str(&format!("Comment: {c}\n"));
    }
    for (i, m) in s.messages.iter().enumerate() {
        let who = match m.role {
            Role::User => "person",
            Role::Assistant => "agent",
            Role::Tool => "tool",
            Role::System => "system",
        };
        out.push_str(&format!(
            "\n[{i}] {who}{}:\n{}\n",
            if m.stopped { " (stopped)" } else { "" },
            m.content.trim_end()
        ));
        if let Some(f) = s.feedback.iter().find(|f| f.message == i as u32) {
            let by = if s.judged_here.contains(&(i as u32)) {
                " (given in Reverie)"
            } else {
                ""
            };
            out.push_str(&format!("    -> {}{by}", f.verdict));
            if let Some(c) = &f.comment {
                out.push_str(&format!(": {c}"));
            }
            out.push('\n');
            if let Some(t) = &f.final_text {
                out.push_str(&format!("    used instead:\n{}\n", indent(t)));
            }
        }
    }
    out
}

fn indent(t: &str) -> String {
    t.lines()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}
