//! The Linux kernel's user keyring (keyutils): our fallback where no Secret Service runs.
//!
//! keyring's own keyutils store files keys in the session keyring, which a process started
//! outside a login session may not have; the user keyring always exists. Keys there live
//! in kernel memory until reboot (or until deleted).

use linux_keyutils::{KeyError, KeyRing, KeyRingIdentifier};

use super::{SERVICE, SecretError, StoreAction};
use crate::jira::ApiToken;

/// The backend's name for people.
pub(super) const NAME: &str = "kernel keyutils (user keyring)";

/// The key's description (its name) in the user keyring.
pub(super) fn description(profile: &str) -> String {
    format!("{SERVICE}:{profile}")
}

/// Checks that this process may use the user keyring at all, without changing anything.
/// Container sandboxes commonly forbid the keyctl system calls.
pub(super) fn probe() -> Result<(), String> {
    let user = user_keyring().map_err(|err| describe(&err))?;
    // No profile starts with a space (see `validate_profile`), so this finds nothing.
    match user.search(&description(" probe")) {
        Ok(_) | Err(KeyError::KeyDoesNotExist) => Ok(()),
        Err(err) => Err(describe(&err)),
    }
}

pub(super) fn get(profile: &str) -> Result<Option<ApiToken>, SecretError> {
    let fail = |err| failure(err, StoreAction::Read, profile);
    let user = user_keyring().map_err(fail)?;
    let key = match user.search(&description(profile)) {
        Ok(key) => key,
        Err(err) if gone(&err) => return Ok(None),
        Err(err) => return Err(fail(err)),
    };
    let bytes = match key.read_to_vec() {
        Ok(bytes) => bytes,
        // Deleted between the search and the read.
        Err(err) if gone(&err) => return Ok(None),
        Err(err) => return Err(fail(err)),
    };
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Some(ApiToken::new(text))),
        Err(_) => Err(SecretError::NotText {
            backend: NAME,
            profile: profile.to_owned(),
        }),
    }
}

pub(super) fn set(profile: &str, token: &ApiToken) -> Result<(), SecretError> {
    let fail = |err| failure(err, StoreAction::Store, profile);
    let user = user_keyring().map_err(fail)?;
    // add_key replaces the payload of an existing key with the same description.
    user.add_key(&description(profile), token.expose_secret().as_bytes())
        .map_err(fail)?;
    Ok(())
}

pub(super) fn delete(profile: &str) -> Result<bool, SecretError> {
    let fail = |err| failure(err, StoreAction::Delete, profile);
    let user = user_keyring().map_err(fail)?;
    let key = match user.search(&description(profile)) {
        Ok(key) => key,
        Err(err) if gone(&err) => return Ok(false),
        Err(err) => return Err(fail(err)),
    };
    // Invalidating removes the key from every keyring at once, not just this link.
    match key.invalidate() {
        Ok(()) => Ok(true),
        Err(err) if gone(&err) => Ok(false),
        Err(err) => Err(fail(err)),
    }
}

/// The user keyring, made reachable ("possessed") from the calling thread.
///
/// New keys grant read and search to their possessor only. A key is possessed when a
/// keyring holding it is reachable from the thread's own keyrings: the default
/// user-session keyring links the user keyring, but a fresh session keyring
/// (`keyctl new_session`, some service managers and login setups) does not. Linking the
/// user keyring from our process keyring, which lives only as long as this thread's
/// credentials, makes it reachable in every case without touching the shared session
/// keyring.
fn user_keyring() -> Result<KeyRing, KeyError> {
    let user = KeyRing::from_special_id(KeyRingIdentifier::User, true)?;
    let linked = KeyRing::from_special_id(KeyRingIdentifier::Process, true)
        .and_then(|process| process.link_keyring(user));
    if let Err(err) = linked {
        // Not fatal: the session keyring may reach the user keyring anyway.
        tracing::debug!(
            ?err,
            "could not link the user keyring from the process keyring"
        );
    }
    Ok(user)
}

/// Errors that mean "no such key (any more)".
fn gone(err: &KeyError) -> bool {
    matches!(
        err,
        KeyError::KeyDoesNotExist | KeyError::KeyRevoked | KeyError::KeyExpired
    )
}

fn failure(err: KeyError, action: StoreAction, profile: &str) -> SecretError {
    match err {
        KeyError::AccessDenied => SecretError::Locked {
            backend: NAME,
            detail: describe(&err),
        },
        _ => SecretError::Backend {
            backend: NAME,
            action,
            profile: profile.to_owned(),
            detail: describe(&err),
        },
    }
}

/// The error in words; linux-keyutils' Display is only the variant's name.
fn describe(err: &KeyError) -> String {
    match err {
        KeyError::PermissionDenied => {
            "operation not permitted (container sandboxes often block the kernel keyring)".into()
        }
        KeyError::AccessDenied => "access denied".into(),
        KeyError::QuotaExceeded => "the key quota of this user is used up".into(),
        KeyError::KeyDoesNotExist => "no such key".into(),
        KeyError::OperationNotSupported => "not supported by this kernel".into(),
        KeyError::Unknown(errno) => format!("system error {errno}"),
        other => format!("{other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_name_service_and_profile() {
        assert_eq!(description("default"), "jtui:default");
    }

    #[test]
    fn errors_read_as_words() {
        assert!(describe(&KeyError::PermissionDenied).contains("not permitted"));
        assert_eq!(describe(&KeyError::Unknown(38)), "system error 38");
        assert!(matches!(
            failure(KeyError::AccessDenied, StoreAction::Read, "p"),
            SecretError::Locked { .. }
        ));
        assert!(gone(&KeyError::KeyRevoked));
        assert!(!gone(&KeyError::AccessDenied));
    }
}
