//! The AI provider the curator uses, as it is stored and shown (never the key).

use serde::{Deserialize, Serialize};

crate::text_enum! {
    /// Which kind of AI provider the curator talks to.
    pub enum ProviderKind {
        /// Claude, through the Anthropic Messages API.
        Anthropic = "anthropic",
        /// Any OpenAI-compatible chat completions server: OpenAI, Ollama, llama.cpp, vLLM, LM Studio.
        Openai = "openai",
    }
}

impl ProviderKind {
    pub fn label(self) -> String {
        match self {
            ProviderKind::Anthropic => "Anthropic".into(),
            ProviderKind::Openai => "the OpenAI-compatible server".into(),
        }
    }

    pub fn default_base_url(self) -> &'static str {
        match self {
            ProviderKind::Anthropic => "https://api.anthropic.com",
            ProviderKind::Openai => "https://api.openai.com/v1",
        }
    }

    pub fn default_model(self) -> &'static str {
        match self {
            ProviderKind::Anthropic => "claude-sonnet-4-5",
            ProviderKind::Openai => "gpt-4.1-mini",
        }
    }

    pub fn base_url_env(self) -> &'static str {
        match self {
            ProviderKind::Anthropic => "ANTHROPIC_BASE_URL",
            ProviderKind::Openai => "OPENAI_BASE_URL",
        }
    }

    pub fn key_env(self) -> &'static str {
        match self {
            ProviderKind::Anthropic => "ANTHROPIC_API_KEY",
            ProviderKind::Openai => "OPENAI_API_KEY",
        }
    }

    /// The keychain account the key is stored under.
    pub fn keychain_account(self) -> &'static str {
        match self {
            ProviderKind::Anthropic => "anthropic-api-key",
            ProviderKind::Openai => "openai-api-key",
        }
    }

    /// What this provider uses when a field is left empty, and help in words.
    pub fn defaults(self) -> ProviderDefaults {
        let (placeholder, base_help, model_help) = match self {
            ProviderKind::Anthropic => (
                "https://api.anthropic.com",
                "Leave empty for Anthropic’s own server.",
                "Leave empty for the default shown.",
            ),
            ProviderKind::Openai => (
                "http://localhost:11434/v1",
                "Where your server listens, e.g. http://localhost:11434/v1 for Ollama. Empty means OpenAI’s own https://api.openai.com/v1.",
                "The model’s name as your server knows it, e.g. llama3.1. Empty means gpt-4.1-mini.",
            ),
        };
        ProviderDefaults {
            kind: self,
            label: self.label(),
            base_url: self.default_base_url().into(),
            base_url_placeholder: placeholder.into(),
            base_url_help: base_help.into(),
            base_url_env: self.base_url_env().into(),
            model: self.default_model().into(),
            model_help: model_help.into(),
            key_env: self.key_env().into(),
        }
    }

    /// Whether `model` names a model of this kind (an agent's model may be for another one).
    pub fn fits(self, model: &str) -> bool {
        let claude = model.trim().to_ascii_lowercase().starts_with("claude");
        (self == ProviderKind::Anthropic) == claude
    }
}

/// The stored choice. `None` fields mean "the default".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ProviderConfig {
    pub kind: ProviderKind,
    pub base_url: Option<String>,
    pub model: Option<String>,
    /// Scheduled dreams go through the Message Batches API (half price, slower). Anthropic only.
    pub use_batches: bool,
}

crate::text_enum! {
    /// Where the key comes from, as Settings and `provider show` say it. Never the key.
    pub enum KeySource {
        Environment = "environment",
        Keychain = "keychain",
        Missing = "missing",
        /// A local server that needs no key.
        NotNeeded = "not_needed",
        /// The keychain could not be read (locked, no Secret Service).
        KeychainUnavailable = "keychain_unavailable",
    }
}

/// The provider as it would be used now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ProviderStatus {
    /// `false`: dreams use the offline dreamer alone.
    pub configured: bool,
    pub kind: Option<ProviderKind>,
    pub base_url: Option<String>,
    /// `true` when `ANTHROPIC_BASE_URL` / `OPENAI_BASE_URL` overrides the stored base URL.
    pub base_url_from_env: bool,
    pub model: Option<String>,
    pub use_batches: bool,
    pub key: KeySource,
}

/// What a provider uses when a field is left empty, with help for each field in words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ProviderDefaults {
    pub kind: ProviderKind,
    /// "Anthropic", "the OpenAI-compatible server".
    pub label: String,
    pub base_url: String,
    pub base_url_placeholder: String,
    pub base_url_help: String,
    pub base_url_env: String,
    pub model: String,
    pub model_help: String,
    pub key_env: String,
}
