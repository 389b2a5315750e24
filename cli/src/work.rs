//! `reverie run`: work with the agent from a terminal, through the same engine call as the
//! app's Work view, and `--tag KEY=VALUE`, shared with `session tag` and `memory prompt`.

use std::io::Write;

use clap::Args;
use reverie::api::work;
use reverie::llm::Heard;
use reverie::model::Scope;
use reverie::Error;
use serde_json::json;

use super::Ctx;

#[derive(Args)]
pub struct RunArgs {
    /// The agent to work with
    #[arg(long, value_name = "SLUG")]
    agent: String,
    /// A tag of the new session, such as the client (repeat for more); chooses the memory it
    /// reads
    #[arg(long = "tag", value_name = "KEY=VALUE", value_parser = parse_tag)]
    tags: Vec<(String, String)>,
    /// Continue this session (it keeps its own tags)
    #[arg(long, value_name = "ID")]
    session: Option<String>,
    /// What the agent should do (with --session and no text: ask again after a failed answer)
    #[arg(value_name = "TEXT")]
    text: Vec<String>,
}

/// `client=Harbour Tea` as a key and a value.
pub fn parse_tag(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() && !v.trim().is_empty() => {
            Ok((k.trim().to_string(), v.trim().to_string()))
        }
        _ => Err(format!(
            "\"{s}\" is not a tag; write KEY=VALUE, for example client=Harbour Tea"
        )),
    }
}

pub fn scope(tags: Vec<(String, String)>) -> Result<Scope, Error> {
    let mut scope = Scope::new();
    for (k, v) in tags {
        if let Some(old) = scope.insert(k.clone(), v) {
            return Err(Error::invalid_field(
                "tag",
                format!("the tag {k} is given twice (first {old}); give each key once"),
            ));
        }
    }
    Ok(scope)
}

pub fn run(mut ctx: Ctx, args: RunArgs) -> reverie::Result<()> {
    if args.session.is_some() && !args.tags.is_empty() {
        return Err(Error::invalid_field(
            "tag",
            "a continued session keeps its own tags; change them with `reverie session tag`",
        ));
    }
    let req = work::TurnRequest {
        agent: args.agent,
        session: args.session,
        tags: scope(args.tags)?,
        text: args.text.join(" "),
    };
    reverie::api::provider::allow_env_keys();
    let cancel = super::interrupt_flag("Stopping the answer (what arrived is kept)");
    let json = ctx.json;
    let mut streamed = false;
    let mut on_heard = |h: Heard| {
        if json {
            return;
        }
        let mut out = std::io::stdout().lock();
        match h {
            Heard::Text(t) => {
                streamed = true;
                let _ = out.write_all(t.as_bytes());
                let _ = out.flush();
            }
            // A retry starts the answer over: say so rather than print it twice unmarked.
            Heard::TextReset if streamed => {
                let _ = writeln!(out, "\n[the answer was cut off; asking again]");
            }
            _ => {}
        }
    };
    let turn = work::turn(&mut ctx.conn, &req, super::now, cancel, &mut on_heard)?;
    if json {
        ctx.out(
            &json!({
                "session": turn.session,
                "message": turn.message,
                "answer": turn.answer,
                "stopped": turn.stopped,
                "memory_used": turn.memory.used.len(),
            }),
            String::new,
        );
    } else {
        println!();
        eprintln!(
            "\n{}session {} (answer is message {}; {} memory entries read). Continue with --session {}",
            if turn.stopped { "Stopped. " } else { "" },
            turn.session,
            turn.message,
            turn.memory.used.len(),
            turn.session
        );
    }
    Ok(())
}
