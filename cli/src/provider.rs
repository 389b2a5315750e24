//! `reverie provider show | set | test | key set | key remove`: the LLM curator's provider.
//! The key goes into the OS keychain from standard input and is never printed.

use std::io::Read;

use clap::{Args, Subcommand, ValueEnum};
use reverie::api::provider::{self, ProviderChange};
use reverie::model::{KeySource, ProviderKind, ProviderStatus};
use reverie::Error;
use serde_json::json;

use super::Ctx;

#[derive(Subcommand)]
pub enum ProviderCmd {
    /// Show the provider, model, base URL and where the key comes from (never the key itself)
    Show,
    /// Choose the provider, model, base URL, and whether scheduled dreams use batches
    Set(SetArgs),
    /// Send the smallest request: does the provider answer and accept the key?
    Test,
    /// Add, replace or remove the API key in the system keychain
    #[command(subcommand)]
    Key(KeyCmd),
}

#[derive(Clone, Copy, ValueEnum)]
pub enum KindArg {
    /// Claude, through the Anthropic API
    Anthropic,
    /// An OpenAI-compatible server: OpenAI, Ollama, llama.cpp, vLLM, LM Studio
    Openai,
    /// No provider: dreams use the offline dreamer alone
    None,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum OnOff {
    On,
    Off,
}

#[derive(Args)]
pub struct SetArgs {
    #[arg(long, value_enum)]
    kind: Option<KindArg>,
    /// e.g. https://api.anthropic.com or http://localhost:11434/v1 ("" for the default)
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// The model for dreaming ("" for the default); an agent's own model wins when it fits
    #[arg(long, value_name = "MODEL")]
    model: Option<String>,
    /// Scheduled dreams through the Message Batches API: half price, answers within hours
    #[arg(long, value_enum)]
    batches: Option<OnOff>,
}

#[derive(Subcommand)]
pub enum KeyCmd {
    /// Store the key read from standard input (add or replace)
    Set {
        /// Whose key (default: the configured provider's)
        #[arg(long, value_enum)]
        kind: Option<KindArg>,
    },
    /// Remove the key from the keychain
    Remove {
        #[arg(long, value_enum)]
        kind: Option<KindArg>,
    },
}

fn kind_of(arg: Option<KindArg>, ctx: &Ctx) -> reverie::Result<ProviderKind> {
    let kind = match arg {
        Some(KindArg::Anthropic) => Some(ProviderKind::Anthropic),
        Some(KindArg::Openai) => Some(ProviderKind::Openai),
        Some(KindArg::None) => {
            return Err(Error::invalid_field(
                "kind",
                "a key belongs to a provider: --kind anthropic or --kind openai",
            ))
        }
        None => None,
    };
    provider::key_kind(&ctx.conn, kind)
}

fn describe(s: &ProviderStatus) -> String {
    let Some(kind) = s.kind else {
        return "No provider: dreams use the offline dreamer alone.\n\
                Choose one with `reverie provider set --kind anthropic` (or `--kind openai --base-url http://localhost:11434/v1` for a local server)."
            .into();
    };
    let key = match s.key {
        KeySource::Environment => format!("from {}", kind.key_env()),
        KeySource::Keychain => "in the system keychain".into(),
        KeySource::Missing => "missing; add it with `reverie provider key set`".into(),
        KeySource::NotNeeded => "not needed for this server".into(),
        KeySource::KeychainUnavailable => {
            format!(
                "the system keychain could not be read; set {}",
                kind.key_env()
            )
        }
    };
    format!(
        "Provider: {}\nModel: {}\nBase URL: {}{}\nScheduled dreams: {}\nKey: {key}",
        kind.label(),
        s.model.as_deref().unwrap_or(""),
        s.base_url.as_deref().unwrap_or(""),
        if s.base_url_from_env {
            format!(" (from {})", kind.base_url_env())
        } else {
            String::new()
        },
        if s.use_batches {
            "through the Message Batches API (half price, slower)"
        } else {
            "one request each"
        }
    )
}

pub fn run(ctx: Ctx, cmd: ProviderCmd) -> reverie::Result<()> {
    provider::allow_env_keys();
    match cmd {
        ProviderCmd::Show => {
            let s = provider::status(&ctx.conn)?;
            ctx.out(&json!({ "provider": s }), || describe(&s));
        }
        ProviderCmd::Set(a) => {
            let change = ProviderChange {
                kind: a.kind.map(|k| match k {
                    KindArg::Anthropic => Some(ProviderKind::Anthropic),
                    KindArg::Openai => Some(ProviderKind::Openai),
                    KindArg::None => None,
                }),
                base_url: a.base_url,
                model: a.model,
                use_batches: a.batches.map(|b| matches!(b, OnOff::On)),
            };
            let s = provider::change(&ctx.conn, change)?;
            ctx.out(&json!({ "provider": s }), || describe(&s));
        }
        ProviderCmd::Test => {
            let message = provider::test(&ctx.conn)?;
            ctx.out(&json!({ "ok": true, "message": message }), || {
                message.clone()
            });
        }
        ProviderCmd::Key(KeyCmd::Set { kind }) => {
            let kind = kind_of(kind, &ctx)?;
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .map_err(|e| Error::io("could not read the key from standard input", e))?;
            if text.trim().is_empty() {
                return Err(Error::invalid_field(
                    "key",
                    "no key on standard input; pipe it in, e.g. `reverie provider key set < key.txt`",
                ));
            }
            provider::key_set(&ctx.conn, kind, text)?;
            ctx.out(&json!({ "stored": true, "kind": kind }), || {
                format!("Stored the {} key in the system keychain.", kind.label())
            });
        }
        ProviderCmd::Key(KeyCmd::Remove { kind }) => {
            let kind = kind_of(kind, &ctx)?;
            let removed = provider::key_remove(&ctx.conn, kind)?;
            ctx.out(&json!({ "removed": removed, "kind": kind }), || {
                if removed {
                    format!("Removed the {} key from the system keychain.", kind.label())
                } else {
                    format!("There was no {} key in the system keychain.", kind.label())
                }
            });
        }
    }
    Ok(())
}
