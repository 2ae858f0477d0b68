//! What can go wrong keeping the token, each message saying what to do next.
//!
//! No variant holds the token: details come from the store's own error text, which
//! [`SecretError::redact`] scrubs once more where a token was at hand.

use std::fmt;
use std::time::Duration;

/// What a store was asked to do when it failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreAction {
    Read,
    Store,
    Delete,
}

impl fmt::Display for StoreAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            StoreAction::Read => "read",
            StoreAction::Store => "store",
            StoreAction::Delete => "delete",
        })
    }
}

/// Why the token could not be read, stored or deleted.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SecretError {
    /// Neither the Secret Service nor the kernel keyring works on this machine.
    #[error(
        "no keyring available (no Secret Service on D-Bus: {secret_service}; and the kernel \
         keyring refused: {keyutils}). Set JIRA_API_TOKEN for this session, or start a Secret \
         Service (GNOME Keyring, KWallet or KeePassXC)."
    )]
    NoKeyring {
        secret_service: String,
        keyutils: String,
    },

    /// The Secret Service was asked for explicitly and is not there.
    #[error(
        "the Secret Service is not reachable ({detail}). Start one (GNOME Keyring, KWallet or \
         KeePassXC), or set JIRA_API_TOKEN for this session."
    )]
    SecretServiceUnavailable { detail: String },

    /// jtui was built for a platform without a supported keyring.
    #[error("no supported keyring on {os}. Set JIRA_API_TOKEN for this session.")]
    Unsupported { os: &'static str },

    /// The store is there but locked, or it refused access to the entry.
    #[error(
        "the {backend} is locked or refused access ({detail}). Unlock it and try again, or set \
         JIRA_API_TOKEN for this session."
    )]
    Locked {
        backend: &'static str,
        detail: String,
    },

    /// Any other failure of the store.
    #[error(
        "the {backend} could not {action} the API token of profile '{profile}': {detail}. Set \
         JIRA_API_TOKEN for this session to go on without it."
    )]
    Backend {
        backend: &'static str,
        action: StoreAction,
        profile: String,
        detail: String,
    },

    /// The entry exists but holds bytes that are not UTF-8, so no API token.
    #[error(
        "the {backend} entry of profile '{profile}' is not text. Remove it with your keyring \
         manager and store the token again."
    )]
    NotText {
        backend: &'static str,
        profile: String,
    },

    /// Several entries match one profile (written by another tool); jtui will not guess.
    #[error(
        "{count} entries in the {backend} match profile '{profile}'. Remove all but one with \
         your keyring manager."
    )]
    Ambiguous {
        backend: &'static str,
        profile: String,
        count: usize,
    },

    /// The store did not answer in time, typically an unlock prompt nobody can see.
    #[error(
        "the {backend} did not answer within {} s (is it waiting for an unlock prompt?). Try \
         again, or set JIRA_API_TOKEN for this session.",
        .after.as_secs()
    )]
    Timeout {
        backend: &'static str,
        after: Duration,
    },

    /// The profile name cannot name a keyring entry.
    #[error("invalid profile name \"{profile}\": {reason}")]
    InvalidProfile { profile: String, reason: String },

    /// An empty token was offered for storing.
    #[error("refusing to store an empty API token")]
    EmptyToken,

    /// The store's client code panicked; we caught it on its own thread.
    #[error("the {backend} failed unexpectedly: {detail}")]
    Internal {
        backend: &'static str,
        detail: String,
    },
}

impl SecretError {
    /// Replaces `secret` in every detail text with `***`, in case a store echoed what it
    /// was given.
    pub(crate) fn redact(self, secret: &str) -> SecretError {
        if secret.is_empty() {
            return self;
        }
        let scrub = |text: String| text.replace(secret, "***");
        match self {
            SecretError::NoKeyring {
                secret_service,
                keyutils,
            } => SecretError::NoKeyring {
                secret_service: scrub(secret_service),
                keyutils: scrub(keyutils),
            },
            SecretError::SecretServiceUnavailable { detail } => {
                SecretError::SecretServiceUnavailable {
                    detail: scrub(detail),
                }
            }
            SecretError::Locked { backend, detail } => SecretError::Locked {
                backend,
                detail: scrub(detail),
            },
            SecretError::Backend {
                backend,
                action,
                profile,
                detail,
            } => SecretError::Backend {
                backend,
                action,
                profile,
                detail: scrub(detail),
            },
            SecretError::Internal { backend, detail } => SecretError::Internal {
                backend,
                detail: scrub(detail),
            },
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_keyring_says_what_to_do() {
        let err = SecretError::NoKeyring {
            secret_service: "no secret service provider or dbus session found".into(),
            keyutils: "operation not permitted".into(),
        };
        assert_eq!(
            err.to_string(),
            "no keyring available (no Secret Service on D-Bus: no secret service provider or \
             dbus session found; and the kernel keyring refused: operation not permitted). Set \
             JIRA_API_TOKEN for this session, or start a Secret Service (GNOME Keyring, KWallet \
             or KeePassXC)."
        );
    }

    #[test]
    fn timeouts_name_the_backend_and_the_wait() {
        let err = SecretError::Timeout {
            backend: "Secret Service",
            after: Duration::from_secs(60),
        };
        assert_eq!(
            err.to_string(),
            "the Secret Service did not answer within 60 s (is it waiting for an unlock \
             prompt?). Try again, or set JIRA_API_TOKEN for this session."
        );
    }

    #[test]
    fn redact_scrubs_every_detail() {
        let secret = "ATATT3xFfGF0-secret";
        let errors = [
            SecretError::NoKeyring {
                secret_service: format!("echo {secret}"),
                keyutils: format!("echo {secret}"),
            },
            SecretError::SecretServiceUnavailable {
                detail: format!("echo {secret}"),
            },
            SecretError::Locked {
                backend: "Secret Service",
                detail: format!("echo {secret}"),
            },
            SecretError::Backend {
                backend: "Secret Service",
                action: StoreAction::Store,
                profile: "p".into(),
                detail: format!("echo {secret}"),
            },
            SecretError::Internal {
                backend: "Secret Service",
                detail: format!("echo {secret}"),
            },
        ];
        for err in errors {
            let err = err.redact(secret);
            for text in [err.to_string(), format!("{err:?}")] {
                assert!(!text.contains(secret), "{text}");
                assert!(text.contains("echo ***"), "{text}");
            }
        }
    }
}
