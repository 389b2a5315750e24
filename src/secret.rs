//! API keys in the OS keychain (Keychain on macOS, Credential Manager on Windows, Secret
//! Service with a kernel keyutils cache on Linux), and [`Secret`], the one type a key lives in
//! while Reverie holds it. A key never reaches the database, a log, an export, an error message
//! or anything serialized: `Secret` redacts itself and refuses to serialize.

use std::fmt;

use crate::error::{Error, Result};

/// Release builds keep their keys apart from development builds, so testing never touches a
/// person's real key.
pub const SERVICE_RELEASE: &str = "app.reverie.desktop";
pub const SERVICE_DEV: &str = "app.reverie.desktop.dev";
/// Overrides the keychain service name (tests use a throwaway one).
pub const SERVICE_ENV: &str = "REVERIE_KEYCHAIN_SERVICE";
/// Linux only: `keyutils` (kernel keyring, gone at reboot; works without D-Bus) or
/// `secret-service` (GNOME Keyring, KWallet). Unset: Secret Service with a keyutils cache.
pub const BACKEND_ENV: &str = "REVERIE_KEYCHAIN_BACKEND";

/// A secret string. Shows as `[redacted]`, refuses to serialize; read it with [`Secret::expose`]
/// only where it leaves the process for its one purpose (an HTTP header).
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    /// `text` with every occurrence of this secret replaced by `[redacted]`.
    pub fn scrub(&self, text: &str) -> String {
        if self.0.len() < 4 {
            return text.to_string();
        }
        text.replace(&self.0, "[redacted]")
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl serde::Serialize for Secret {
    fn serialize<S: serde::Serializer>(&self, _: S) -> std::result::Result<S::Ok, S::Error> {
        Err(serde::ser::Error::custom("a secret is never serialized"))
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        // Overwrite the bytes before the allocation is freed; a best effort, not a guarantee.
        let mut bytes = std::mem::take(&mut self.0).into_bytes();
        bytes.iter_mut().for_each(|b| *b = 0);
        std::hint::black_box(&bytes);
    }
}

/// The keychain service name for this build (or [`SERVICE_ENV`] when set).
pub fn service() -> String {
    match std::env::var(SERVICE_ENV) {
        Ok(s) if !s.trim().is_empty() => s,
        _ if cfg!(debug_assertions) => SERVICE_DEV.to_string(),
        _ => SERVICE_RELEASE.to_string(),
    }
}

/// One service's entries in the OS keychain.
#[derive(Debug, Clone)]
pub struct Keychain {
    service: String,
}

impl Default for Keychain {
    fn default() -> Self {
        Keychain { service: service() }
    }
}

impl Keychain {
    pub fn with_service(service: impl Into<String>) -> Self {
        Keychain {
            service: service.into(),
        }
    }

    pub fn service(&self) -> &str {
        &self.service
    }

    /// The secret stored under `account`; `Ok(None)` when there is none.
    pub fn get(&self, account: &str) -> Result<Option<Secret>> {
        match self.entry(account)?.get_password() {
            Ok(p) => Ok(Some(Secret::new(p))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(unavailable("read the key from", e)),
        }
    }

    /// Store (add or replace) the secret under `account`.
    pub fn set(&self, account: &str, secret: &Secret) -> Result<()> {
        if secret.expose().trim().is_empty() {
            return Err(Error::invalid("the key is empty"));
        }
        self.entry(account)?
            .set_password(secret.expose())
            .map_err(|e| unavailable("store the key in", e))
    }

    /// Remove the secret under `account`. `Ok(false)` when there was none.
    pub fn remove(&self, account: &str) -> Result<bool> {
        match self.entry(account)?.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring::Error::NoEntry) => Ok(false),
            Err(e) => Err(unavailable("remove the key from", e)),
        }
    }

    fn entry(&self, account: &str) -> Result<keyring::Entry> {
        let backend = std::env::var(BACKEND_ENV).unwrap_or_default();
        let made = match backend.as_str() {
            #[cfg(target_os = "linux")]
            "keyutils" => {
                keyring::keyutils::KeyutilsCredential::new_with_target(None, &self.service, account)
                    .map(|c| keyring::Entry::new_with_credential(Box::new(c)))
            }
            #[cfg(target_os = "linux")]
            "secret-service" => {
                keyring::secret_service::SsCredential::new_with_target(None, &self.service, account)
                    .map(|c| keyring::Entry::new_with_credential(Box::new(c)))
            }
            _ => keyring::Entry::new(&self.service, account),
        };
        made.map_err(|e| unavailable("open", e))
    }
}

/// A keychain failure as a readable error. Never formats a `BadEncoding` payload (the bytes
/// could be a key).
fn unavailable(what: &str, e: keyring::Error) -> Error {
    let why = match &e {
        keyring::Error::BadEncoding(_) => "the stored key is not valid text".to_string(),
        keyring::Error::NoStorageAccess(_) => {
            format!("the keychain is locked or unreachable ({e})")
        }
        keyring::Error::PlatformFailure(_) => format!("the keychain failed ({e})"),
        keyring::Error::Ambiguous(_) => "more than one key matches".to_string(),
        _ => e.to_string(),
    };
    Error::KeychainLocked(format!(
        "could not {what} the system keychain: {why}. On a machine without a keychain, set \
         ANTHROPIC_API_KEY or OPENAI_API_KEY for the command line instead"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_redacts_itself_and_refuses_to_serialize() {
        let s = Secret::new("sk-ant-api03-abcdefghijklmnop");
        assert_eq!(format!("{s:?}"), "Secret([redacted])");
        assert_eq!(format!("{s}"), "[redacted]");
        assert!(serde_json::to_string(&s).is_err());
        assert_eq!(
            s.scrub("bad key sk-ant-api03-abcdefghijklmnop here"),
            "bad key [redacted] here"
        );
    }

    #[test]
    fn dev_builds_use_their_own_service_name() {
        if std::env::var(SERVICE_ENV).is_err() {
            assert_eq!(service(), SERVICE_DEV);
        }
    }
}
