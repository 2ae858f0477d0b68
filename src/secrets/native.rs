//! [`KeyringStore`]: the platform's own credential store through the `keyring` crate, and
//! on Linux the kernel keyring where no Secret Service runs.
//!
//! Every call runs on a short-lived thread of its own, outside any async runtime: keyring's
//! Secret Service client drives D-Bus with `zbus` on a private tokio runtime and blocks on
//! it, which panics when the calling thread is already inside a tokio runtime.

use std::any::Any;
use std::sync::{Mutex, PoisonError, mpsc};
use std::thread;
use std::time::Duration;

use super::{SERVICE, SecretError, StoreAction, TokenStore, validate_profile, validate_token};
use crate::jira::ApiToken;

/// Longest wait for one store call. Long enough to type a password into an unlock prompt;
/// short enough that a prompt nobody can see (no display) does not hang jtui for good.
pub const OP_TIMEOUT: Duration = Duration::from_secs(60);
/// Longest wait for the Secret Service to answer when choosing a backend. D-Bus may start
/// the service on demand, which takes a moment.
pub const PROBE_TIMEOUT: Duration = Duration::from_secs(10);

/// Name of the worker threads, as seen in debuggers and `top -H`.
const THREAD_NAME: &str = "jtui-keyring";
/// Shown by [`TokenStore::backend`] when no store works.
#[cfg_attr(
    any(
        target_os = "macos",
        target_os = "windows",
        target_os = "freebsd",
        target_os = "openbsd"
    ),
    allow(dead_code, reason = "these platforms always have their store")
)]
const NO_BACKEND: &str = "no keyring";

#[cfg(target_os = "macos")]
const NATIVE_NAME: &str = "macOS Keychain";
#[cfg(target_os = "windows")]
const NATIVE_NAME: &str = "Windows Credential Manager";
#[cfg(any(target_os = "freebsd", target_os = "openbsd"))]
const NATIVE_NAME: &str = "Secret Service";
#[cfg(target_os = "linux")]
const SECRET_SERVICE_NAME: &str = "Secret Service";

/// keyring's own stores warn that concurrent calls into D-Bus based stores can fail; jtui
/// makes a handful of calls per run, so one at a time costs nothing.
static ONE_CALL_AT_A_TIME: Mutex<()> = Mutex::new(());

#[derive(Debug, Clone)]
enum Backend {
    /// keyring's default store for the platform.
    #[cfg(any(
        target_os = "macos",
        target_os = "windows",
        target_os = "freebsd",
        target_os = "openbsd"
    ))]
    Native,
    #[cfg(target_os = "linux")]
    SecretService,
    #[cfg(target_os = "linux")]
    Keyutils,
    /// Nothing works; every call says why.
    #[cfg(target_os = "linux")]
    NoKeyring {
        secret_service: String,
        keyutils: String,
    },
    #[cfg(not(any(
        target_os = "linux",
        target_os = "macos",
        target_os = "windows",
        target_os = "freebsd",
        target_os = "openbsd"
    )))]
    Unsupported,
}

/// The OS keyring: macOS Keychain, Windows Credential Manager, or on Linux the Secret
/// Service (GNOME Keyring, KWallet, KeePassXC) with the kernel's user keyring as fallback.
///
/// Its methods block for a D-Bus round trip or a keychain call (an unlock prompt may
/// appear); from async code, call them through `tokio::task::spawn_blocking`. Each call
/// runs on its own thread and gives up after [`OP_TIMEOUT`], so calling one directly on a
/// runtime thread cannot panic or deadlock either; it only holds that thread meanwhile.
#[derive(Debug, Clone)]
pub struct KeyringStore {
    backend: Backend,
    /// Why the Secret Service was passed over, when it was.
    fallback_reason: Option<String>,
}

impl KeyringStore {
    /// The platform's store. On Linux: the Secret Service when one answers on the session
    /// bus; else (no D-Bus session, no provider, no answer within [`PROBE_TIMEOUT`]) the
    /// kernel's user keyring; else a store whose every call fails with
    /// [`SecretError::NoKeyring`]. Blocks for the probe; see the type's docs.
    pub fn detect() -> KeyringStore {
        #[cfg(target_os = "linux")]
        {
            detect_linux()
        }
        #[cfg(any(
            target_os = "macos",
            target_os = "windows",
            target_os = "freebsd",
            target_os = "openbsd"
        ))]
        {
            KeyringStore::with(Backend::Native)
        }
        #[cfg(not(any(
            target_os = "linux",
            target_os = "macos",
            target_os = "windows",
            target_os = "freebsd",
            target_os = "openbsd"
        )))]
        {
            KeyringStore::with(Backend::Unsupported)
        }
    }

    /// The Secret Service, without probing or falling back.
    #[cfg(target_os = "linux")]
    pub fn secret_service() -> KeyringStore {
        KeyringStore::with(Backend::SecretService)
    }

    /// The kernel's user keyring, without probing.
    #[cfg(target_os = "linux")]
    pub fn keyutils() -> KeyringStore {
        KeyringStore::with(Backend::Keyutils)
    }

    fn with(backend: Backend) -> KeyringStore {
        KeyringStore {
            backend,
            fallback_reason: None,
        }
    }

    /// Why the Secret Service is not used, when [`detect`](Self::detect) passed it over.
    pub fn fallback_reason(&self) -> Option<&str> {
        self.fallback_reason.as_deref()
    }

    /// Whether a stored token outlives a reboot. The kernel keyring lives in memory only.
    pub fn is_persistent(&self) -> bool {
        match self.backend {
            #[cfg(target_os = "linux")]
            Backend::Keyutils | Backend::NoKeyring { .. } => false,
            #[cfg(not(any(
                target_os = "linux",
                target_os = "macos",
                target_os = "windows",
                target_os = "freebsd",
                target_os = "openbsd"
            )))]
            Backend::Unsupported => false,
            #[allow(unreachable_patterns)]
            _ => true,
        }
    }

    /// Where the token of `profile` is kept, in the words of the backend's own tools
    /// (see the table in the [module docs](super)).
    pub fn entry_name(&self, profile: &str) -> String {
        match &self.backend {
            #[cfg(target_os = "macos")]
            Backend::Native => {
                format!("generic password, service \"{SERVICE}\", account \"{profile}\"")
            }
            #[cfg(target_os = "windows")]
            Backend::Native => format!("generic credential \"{profile}.{SERVICE}\""),
            #[cfg(any(target_os = "freebsd", target_os = "openbsd"))]
            Backend::Native => format!("item with service=\"{SERVICE}\", username=\"{profile}\""),
            #[cfg(target_os = "linux")]
            Backend::SecretService => format!(
                "item with service=\"{SERVICE}\", username=\"{profile}\", target=\"default\""
            ),
            #[cfg(target_os = "linux")]
            Backend::Keyutils => format!(
                "user key \"{}\" in the user keyring (@u)",
                super::keyutils::description(profile)
            ),
            #[cfg(target_os = "linux")]
            Backend::NoKeyring { .. } => {
                format!("nowhere (no keyring available for \"{profile}\")")
            }
            #[cfg(not(any(
                target_os = "linux",
                target_os = "macos",
                target_os = "windows",
                target_os = "freebsd",
                target_os = "openbsd"
            )))]
            Backend::Unsupported => format!("nowhere (no keyring available for \"{profile}\")"),
        }
    }

    /// Runs `op` on this backend on a thread of its own (see the type's docs), one call
    /// at a time.
    fn call<T: Send + 'static>(
        &self,
        op: impl FnOnce(&Backend) -> Result<T, SecretError> + Send + 'static,
    ) -> Result<T, SecretError> {
        let backend = self.backend.clone();
        isolated(backend_name(&self.backend), OP_TIMEOUT, move || {
            let _one = ONE_CALL_AT_A_TIME
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            op(&backend)
        })
    }
}

impl TokenStore for KeyringStore {
    fn get(&self, profile: &str) -> Result<Option<ApiToken>, SecretError> {
        validate_profile(profile)?;
        let profile = profile.to_owned();
        self.call(move |backend| get(backend, &profile))
    }

    fn set(&self, profile: &str, token: &ApiToken) -> Result<(), SecretError> {
        validate_profile(profile)?;
        validate_token(token)?;
        let (owned_profile, owned_token) = (profile.to_owned(), token.clone());
        self.call(move |backend| set(backend, &owned_profile, &owned_token))
            .map_err(|err| err.redact(token.expose_secret()))
    }

    fn delete(&self, profile: &str) -> Result<bool, SecretError> {
        validate_profile(profile)?;
        let profile = profile.to_owned();
        self.call(move |backend| delete(backend, &profile))
    }

    fn backend(&self) -> &str {
        backend_name(&self.backend)
    }

    fn survives_reboot(&self) -> bool {
        self.is_persistent()
    }
}

fn backend_name(backend: &Backend) -> &'static str {
    match backend {
        #[cfg(any(
            target_os = "macos",
            target_os = "windows",
            target_os = "freebsd",
            target_os = "openbsd"
        ))]
        Backend::Native => NATIVE_NAME,
        #[cfg(target_os = "linux")]
        Backend::SecretService => SECRET_SERVICE_NAME,
        #[cfg(target_os = "linux")]
        Backend::Keyutils => super::keyutils::NAME,
        #[cfg(target_os = "linux")]
        Backend::NoKeyring { .. } => NO_BACKEND,
        #[cfg(not(any(
            target_os = "linux",
            target_os = "macos",
            target_os = "windows",
            target_os = "freebsd",
            target_os = "openbsd"
        )))]
        Backend::Unsupported => NO_BACKEND,
    }
}

/// The error of a store that has no backend at all.
fn unavailable(backend: &Backend) -> Option<SecretError> {
    match backend {
        #[cfg(target_os = "linux")]
        Backend::NoKeyring {
            secret_service,
            keyutils,
        } => Some(SecretError::NoKeyring {
            secret_service: secret_service.clone(),
            keyutils: keyutils.clone(),
        }),
        #[cfg(not(any(
            target_os = "linux",
            target_os = "macos",
            target_os = "windows",
            target_os = "freebsd",
            target_os = "openbsd"
        )))]
        Backend::Unsupported => Some(SecretError::Unsupported {
            os: std::env::consts::OS,
        }),
        #[allow(unreachable_patterns)]
        _ => None,
    }
}

fn get(backend: &Backend, profile: &str) -> Result<Option<ApiToken>, SecretError> {
    let action = StoreAction::Read;
    #[cfg(target_os = "linux")]
    if let Backend::Keyutils = backend {
        return super::keyutils::get(profile);
    }
    if let Some(err) = unavailable(backend) {
        return Err(err);
    }
    let entry =
        entry(backend, profile).map_err(|err| from_keyring(err, backend, action, profile))?;
    match entry.get_password() {
        Ok(token) => Ok(Some(ApiToken::new(token))),
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(err) => Err(from_keyring(err, backend, action, profile)),
    }
}

fn set(backend: &Backend, profile: &str, token: &ApiToken) -> Result<(), SecretError> {
    let action = StoreAction::Store;
    #[cfg(target_os = "linux")]
    if let Backend::Keyutils = backend {
        return super::keyutils::set(profile, token);
    }
    if let Some(err) = unavailable(backend) {
        return Err(err);
    }
    let entry =
        entry(backend, profile).map_err(|err| from_keyring(err, backend, action, profile))?;
    entry
        .set_password(token.expose_secret())
        .map_err(|err| from_keyring(err, backend, action, profile))
}

fn delete(backend: &Backend, profile: &str) -> Result<bool, SecretError> {
    let action = StoreAction::Delete;
    #[cfg(target_os = "linux")]
    if let Backend::Keyutils = backend {
        return super::keyutils::delete(profile);
    }
    if let Some(err) = unavailable(backend) {
        return Err(err);
    }
    let entry =
        entry(backend, profile).map_err(|err| from_keyring(err, backend, action, profile))?;
    match entry.delete_credential() {
        Ok(()) => Ok(true),
        Err(keyring::Error::NoEntry) => Ok(false),
        Err(err) => Err(from_keyring(err, backend, action, profile)),
    }
}

/// The keyring entry of `profile`: service [`SERVICE`], user = the profile.
fn entry(backend: &Backend, profile: &str) -> Result<keyring::Entry, keyring::Error> {
    #[cfg(target_os = "linux")]
    if let Backend::SecretService = backend {
        let mut credential =
            keyring::secret_service::SsCredential::new_with_target(None, SERVICE, profile)?;
        // What keyring managers (Seahorse, KWalletManager) show for the item.
        credential.label = format!("jtui API token ({profile})");
        return Ok(keyring::Entry::new_with_credential(Box::new(credential)));
    }
    let _ = backend;
    keyring::Entry::new(SERVICE, profile)
}

fn from_keyring(
    err: keyring::Error,
    backend: &Backend,
    action: StoreAction,
    profile: &str,
) -> SecretError {
    let name = backend_name(backend);
    match err {
        keyring::Error::NoStorageAccess(inner) => SecretError::Locked {
            backend: name,
            detail: inner.to_string(),
        },
        #[cfg(target_os = "linux")]
        keyring::Error::PlatformFailure(inner) if secret_service_locked(&*inner) => {
            SecretError::Locked {
                backend: name,
                detail: inner.to_string(),
            }
        }
        #[cfg(target_os = "linux")]
        keyring::Error::PlatformFailure(inner) if secret_service_absent(&*inner) => {
            SecretError::SecretServiceUnavailable {
                detail: inner.to_string(),
            }
        }
        keyring::Error::BadEncoding(_) => SecretError::NotText {
            backend: name,
            profile: profile.to_owned(),
        },
        keyring::Error::Ambiguous(matches) => SecretError::Ambiguous {
            backend: name,
            profile: profile.to_owned(),
            count: matches.len(),
        },
        other => SecretError::Backend {
            backend: name,
            action,
            profile: profile.to_owned(),
            detail: other.to_string(),
        },
    }
}

/// Whether a Secret Service error means "there is none": no session bus, or nobody owns
/// (or can be started for) the `org.freedesktop.secrets` name on it.
#[cfg(target_os = "linux")]
fn secret_service_absent(err: &(dyn std::error::Error + 'static)) -> bool {
    use secret_service::Error as SsError;
    /// D-Bus errors for a name with no owner and no activatable service.
    const ABSENT_NAMES: [&str; 2] = [
        "org.freedesktop.DBus.Error.ServiceUnknown",
        "org.freedesktop.DBus.Error.NameHasNoOwner",
    ];
    let absent_name = |name: &str| ABSENT_NAMES.contains(&name);
    let fdo_absent = |fdo: &zbus::fdo::Error| {
        use zbus::DBusError as _;
        absent_name(fdo.name().as_str())
    };
    match err.downcast_ref::<SsError>() {
        Some(SsError::Unavailable) => true,
        Some(SsError::Zbus(zbus::Error::MethodError(name, _, _))) => absent_name(name.as_str()),
        Some(SsError::Zbus(zbus::Error::FDO(fdo))) => fdo_absent(fdo),
        Some(SsError::ZbusFdo(fdo)) => fdo_absent(fdo),
        _ => false,
    }
}

/// Whether a Secret Service error is its "collection is locked" answer, which keyring
/// passes on as a plain platform failure (seen when writing to a locked collection while
/// no unlock prompt can be shown).
#[cfg(target_os = "linux")]
fn secret_service_locked(err: &(dyn std::error::Error + 'static)) -> bool {
    const IS_LOCKED: &str = "org.freedesktop.Secret.Error.IsLocked";
    match err.downcast_ref::<secret_service::Error>() {
        Some(secret_service::Error::Locked) => true,
        Some(secret_service::Error::Zbus(zbus::Error::MethodError(name, _, _))) => {
            name.as_str() == IS_LOCKED
        }
        _ => false,
    }
}

#[cfg(target_os = "linux")]
fn detect_linux() -> KeyringStore {
    let reason = match probe_secret_service() {
        Ok(()) => return KeyringStore::secret_service(),
        Err(Probe::Absent(reason)) => reason,
        Err(Probe::Failed(reason)) => {
            // A Secret Service is there but unhappy (locked, broken); its own errors on
            // each call say more than a silent switch to a store that forgets at reboot.
            tracing::debug!(%reason, "the Secret Service answered the probe with an error");
            return KeyringStore::secret_service();
        }
    };
    tracing::debug!(%reason, "no Secret Service; trying the kernel's user keyring");
    let keyutils = isolated(super::keyutils::NAME, PROBE_TIMEOUT, || {
        Ok(super::keyutils::probe())
    })
    .unwrap_or_else(|err| Err(err.to_string()));
    match keyutils {
        Ok(()) => KeyringStore {
            backend: Backend::Keyutils,
            fallback_reason: Some(reason),
        },
        Err(keyutils) => KeyringStore {
            backend: Backend::NoKeyring {
                secret_service: reason.clone(),
                keyutils,
            },
            fallback_reason: Some(reason),
        },
    }
}

#[cfg(target_os = "linux")]
enum Probe {
    /// No Secret Service on this machine: fall back.
    Absent(String),
    /// One answered, with an error.
    Failed(String),
}

/// Opens a session with the Secret Service, which proves one runs and talks to us.
#[cfg(target_os = "linux")]
fn probe_secret_service() -> Result<(), Probe> {
    let answer = isolated(SECRET_SERVICE_NAME, PROBE_TIMEOUT, || {
        let _one = ONE_CALL_AT_A_TIME
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        Ok(
            secret_service::blocking::SecretService::connect(secret_service::EncryptionType::Dh)
                .map(drop)
                .map_err(|err| {
                    let text = err.to_string();
                    if secret_service_absent(&err) {
                        Probe::Absent(text)
                    } else {
                        Probe::Failed(text)
                    }
                }),
        )
    });
    match answer {
        Ok(result) => result,
        // Not answering within the probe's time is as good as absent for a CLI.
        Err(err @ SecretError::Timeout { .. }) => Err(Probe::Absent(err.to_string())),
        Err(err) => Err(Probe::Failed(err.to_string())),
    }
}

/// Runs `op` on a fresh thread, outside any async runtime, and waits at most `timeout`.
/// A call that times out is left to finish (or hang) on its own thread.
fn isolated<T: Send + 'static>(
    backend: &'static str,
    timeout: Duration,
    op: impl FnOnce() -> Result<T, SecretError> + Send + 'static,
) -> Result<T, SecretError> {
    let (answer_tx, answer_rx) = mpsc::sync_channel(1);
    let worker = thread::Builder::new()
        .name(THREAD_NAME.to_owned())
        .spawn(move || {
            // The caller may have stopped waiting (timeout); then nobody wants the answer.
            let _ = answer_tx.send(op());
        })
        .map_err(|err| SecretError::Internal {
            backend,
            detail: format!("could not start a thread: {err}"),
        })?;
    match answer_rx.recv_timeout(timeout) {
        Ok(answer) => {
            // The thread has sent its answer and ends right away.
            let _ = worker.join();
            answer
        }
        Err(mpsc::RecvTimeoutError::Timeout) => Err(SecretError::Timeout {
            backend,
            after: timeout,
        }),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            let detail = match worker.join() {
                Err(payload) => panic_message(payload.as_ref()),
                Ok(()) => "the call ended without an answer".to_owned(),
            };
            Err(SecretError::Internal { backend, detail })
        }
    }
}

fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        format!("panicked: {text}")
    } else if let Some(text) = payload.downcast_ref::<String>() {
        format!("panicked: {text}")
    } else {
        "panicked".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn isolated_returns_the_answer() {
        let answer = isolated("test", Duration::from_secs(5), || Ok(41 + 1));
        assert_eq!(answer.unwrap(), 42);
    }

    #[test]
    fn isolated_runs_outside_the_callers_runtime() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let inside = runtime.block_on(async {
            isolated("test", Duration::from_secs(5), || {
                Ok(tokio::runtime::Handle::try_current().is_ok())
            })
        });
        assert!(!inside.unwrap(), "the worker thread must not see a runtime");
    }

    #[test]
    fn isolated_gives_up_after_the_timeout() {
        let (release_tx, release_rx) = mpsc::channel::<()>();
        let answer = isolated("test", Duration::from_millis(20), move || {
            // Blocks until the test lets go, well past the timeout.
            let _ = release_rx.recv();
            Ok(())
        });
        drop(release_tx);
        let err = answer.unwrap_err();
        assert!(
            matches!(
                err,
                SecretError::Timeout {
                    backend: "test",
                    ..
                }
            ),
            "{err:?}"
        );
    }

    #[test]
    fn isolated_turns_a_panic_into_an_error() {
        let answer: Result<(), _> = isolated("test", Duration::from_secs(5), || {
            panic!("boom in the store client")
        });
        let err = answer.unwrap_err();
        assert!(
            err.to_string()
                .contains("the test failed unexpectedly: panicked: boom in the store client"),
            "{err}"
        );
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_missing_secret_service_is_told_apart_from_other_failures() {
        assert!(secret_service_absent(&secret_service::Error::Unavailable));
        assert!(!secret_service_absent(&secret_service::Error::Locked));
        assert!(!secret_service_absent(&secret_service::Error::NoResult));
        let fdo = zbus::fdo::Error::ServiceUnknown("org.freedesktop.secrets".into());
        assert!(secret_service_absent(&secret_service::Error::ZbusFdo(fdo)));
        let io = std::io::Error::other("x");
        assert!(!secret_service_absent(&io));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn unavailable_stores_answer_every_call_with_the_reasons() {
        let store = KeyringStore {
            backend: Backend::NoKeyring {
                secret_service: "no secret service provider or dbus session found".into(),
                keyutils: "operation not permitted".into(),
            },
            fallback_reason: Some("no secret service provider or dbus session found".into()),
        };
        assert_eq!(store.backend(), NO_BACKEND);
        assert!(!store.is_persistent());
        let token = ApiToken::new("tok-unavailable");
        for err in [
            store.get("p").unwrap_err(),
            store.set("p", &token).unwrap_err(),
            store.delete("p").unwrap_err(),
        ] {
            assert!(matches!(err, SecretError::NoKeyring { .. }), "{err:?}");
            assert!(err.to_string().contains("Set JIRA_API_TOKEN"), "{err}");
        }
    }
}
