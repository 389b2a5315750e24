//! The AI providers: Anthropic Messages and OpenAI-compatible chat completions over HTTP, which
//! one is chosen (`provider`), and prices. The curator that uses them lives in
//! `dreaming::curator`. Everything here is async inside and offers blocking
//! entry points ([`block_on`]) because dreams run on plain threads.

pub mod anthropic;
pub mod http;
pub mod openai;
pub mod price;
pub mod provider;
pub mod sse;

use std::sync::atomic::AtomicBool;
use std::time::Duration;

use serde::Serialize;
use serde_json::Value;

pub use http::{Failure, RetryPolicy};
pub use provider::{ProviderConfig, ProviderKind};

use crate::error::{Error, Result};
use crate::secret::Secret;

/// Tokens one call used, as the provider counted them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Usage {
    /// Input tokens read at full price (not from or into the cache).
    pub input_tokens: u64,
    pub cache_creation_input_tokens: u64,
    pub cache_read_input_tokens: u64,
    pub output_tokens: u64,
}

impl Usage {
    /// Every input token, cached or not.
    pub fn total_input(&self) -> u64 {
        self.input_tokens + self.cache_creation_input_tokens + self.cache_read_input_tokens
    }

    pub fn add(&mut self, o: &Usage) {
        self.input_tokens += o.input_tokens;
        self.cache_creation_input_tokens += o.cache_creation_input_tokens;
        self.cache_read_input_tokens += o.cache_read_input_tokens;
        self.output_tokens += o.output_tokens;
    }
}

/// What a provider answered.
#[derive(Debug, Clone, Default)]
pub struct Reply {
    /// The structured output (the forced tool's input, or the JSON content); `Null` if none.
    pub output: Value,
    /// Any plain text the model wrote.
    pub text: String,
    pub usage: Usage,
    pub model: String,
    pub stop_reason: Option<String>,
}

/// A request in provider-neutral form.
#[derive(Debug, Clone)]
pub struct Prompt {
    /// Standing instructions.
    pub system: String,
    /// The stable part that changes rarely between dreams (rubric, memory): cached.
    pub context: String,
    /// This dream's evidence and excerpts.
    pub user: String,
    /// A conversation instead of one `user` message: earlier turns and the latest, in order.
    pub turns: Vec<ChatTurn>,
    /// JSON schema of the structured answer; `None` for plain text.
    pub schema: Option<Value>,
    pub max_tokens: u32,
}

impl Prompt {
    /// A chars/4 estimate of the prompt's input tokens.
    pub fn estimate_tokens(&self) -> u64 {
        estimate_tokens(&self.system) + estimate_tokens(&self.context) + estimate_tokens(&self.user)
    }
}

/// One turn of a conversation sent to a provider.
#[derive(Debug, Clone, PartialEq)]
pub struct ChatTurn {
    /// `user` or `assistant`.
    pub role: crate::model::Role,
    pub content: String,
}

/// How to send: plainly, streamed (someone is waiting and sees progress), or as a Message
/// Batch (nobody waits; half price).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Plain,
    Stream,
    Batch,
}

/// How to wait for a Message Batch.
#[derive(Debug, Clone)]
pub struct PollPolicy {
    pub interval: Duration,
    pub max_wait: Duration,
}

impl Default for PollPolicy {
    fn default() -> Self {
        PollPolicy {
            interval: Duration::from_secs(30),
            max_wait: Duration::from_secs(3 * 3600),
        }
    }
}

/// A provider ready to call: kind, where, which model, and the key (if any).
#[derive(Debug, Clone)]
pub struct Provider {
    pub kind: ProviderKind,
    pub base_url: String,
    pub model: String,
    pub use_batches: bool,
    pub key: Option<Secret>,
    pub retry: RetryPolicy,
    pub poll: PollPolicy,
}

/// What a call tells the dream while it runs.
#[derive(Debug, Clone, PartialEq)]
pub enum Heard {
    /// A short status line ("1200 characters written"); empty means "still alive".
    Progress(String),
    /// A Message Batch was created: until it ends, canceling the dream must cancel it too, and
    /// a restart after a crash must cancel it so nothing is billed and lost.
    BatchOpened(String),
    /// The batch ended, or was canceled.
    BatchClosed(String),
    /// More of the answer's text, as it streams in.
    Text(String),
    /// A streamed answer starts over (the attempt before failed and is retried): forget the
    /// text heard so far.
    TextReset,
}

/// Progress from a call, for the dream's progress line.
pub type OnProgress<'a> = &'a mut (dyn FnMut(Heard) + Send);

impl Provider {
    /// "Anthropic (claude-sonnet-4-5)".
    pub fn label(&self) -> String {
        format!("{} ({})", self.kind.label(), self.model)
    }

    /// Ask for `prompt`'s answer.
    pub async fn ask(
        &self,
        prompt: &Prompt,
        mode: Mode,
        cancel: &AtomicBool,
        progress: OnProgress<'_>,
    ) -> std::result::Result<Reply, Failure> {
        match self.kind {
            ProviderKind::Anthropic => {
                let c = anthropic::Anthropic::new(self)?;
                let body = anthropic::body(&self.model, prompt);
                match mode {
                    Mode::Plain => c.create(&body, cancel).await,
                    Mode::Stream => c.stream(&body, cancel, progress).await,
                    Mode::Batch => c.batch("dream", &body, cancel, &self.poll, progress).await,
                }
            }
            ProviderKind::Openai => {
                let c = openai::OpenAi::new(self)?;
                let body = openai::body(&self.model, prompt);
                match mode {
                    Mode::Stream => c.stream(&body, cancel, progress).await,
                    Mode::Plain | Mode::Batch => c.create(&body, cancel).await,
                }
            }
        }
    }

    /// Input tokens of `prompt`: Anthropic's `count_tokens`, else a chars/4 estimate.
    pub async fn count_tokens(
        &self,
        prompt: &Prompt,
        cancel: &AtomicBool,
    ) -> std::result::Result<u64, Failure> {
        match self.kind {
            ProviderKind::Anthropic => {
                let c = anthropic::Anthropic::new(self)?;
                c.count_tokens(&anthropic::body(&self.model, prompt), cancel)
                    .await
            }
            ProviderKind::Openai => Ok(prompt.estimate_tokens()),
        }
    }

    /// The smallest real request: does the provider answer, and does it accept the key?
    pub fn test(&self, cancel: &AtomicBool) -> Result<String> {
        let prompt = Prompt {
            system: "Answer with the single word OK.".into(),
            context: String::new(),
            user: "ping".into(),
            turns: Vec::new(),
            schema: None,
            max_tokens: 5,
        };
        let test = Provider {
            retry: RetryPolicy::test(),
            ..self.clone()
        };
        let reply = block_on(test.ask(&prompt, Mode::Plain, cancel, &mut |_| {}))?
            .map_err(|f| f.into_error(&self.kind.label()))?;
        let model = if reply.model.is_empty() {
            self.model.clone()
        } else {
            reply.model
        };
        Ok(format!("Connected to {} ({model}): OK", self.kind.label()))
    }
}

/// About four characters a token for English prose; used where no tokenizer is at hand.
pub fn estimate_tokens(text: &str) -> u64 {
    (text.chars().count() as u64).div_ceil(4)
}

/// Run a future to completion on a small runtime of its own (dreams run on plain threads).
/// Called from inside a tokio runtime (the desktop shell), it runs on a scoped thread so it
/// never blocks or nests that runtime.
pub fn block_on<F>(f: F) -> Result<F::Output>
where
    F: std::future::Future + Send,
    F::Output: Send,
{
    let run = move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map(|rt| rt.block_on(f))
            .map_err(|e| Error::Internal(format!("could not start the network runtime: {e}")))
    };
    if tokio::runtime::Handle::try_current().is_ok() {
        std::thread::scope(|s| {
            s.spawn(run)
                .join()
                .map_err(|_| Error::Internal("the network thread panicked".into()))?
        })
    } else {
        run()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_on_works_on_plain_threads_and_inside_a_runtime() {
        assert_eq!(block_on(async { 1 }).unwrap(), 1);
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        // The desktop shell calls the engine from inside its own runtime.
        assert_eq!(rt.block_on(async { block_on(async { 2 }).unwrap() }), 2);
    }
}
