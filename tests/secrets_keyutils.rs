//! The API token in the Linux kernel's user keyring, and the fallback to it where no
//! Secret Service runs.
//!
//! CI sets `JTUI_TEST_KEYUTILS=1`, which turns an unusable kernel keyring into a failure.
//! Elsewhere (a container whose sandbox forbids keyctl) the tests end early with a note.
#![cfg(target_os = "linux")]

mod support {
    pub mod secrets;
}

use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use jtui::jira::ApiToken;
use jtui::secrets::{KeyringStore, SecretError, TokenStore};
use linux_keyutils::{KeyError, KeyRing, KeyRingIdentifier};
use support::secrets::{Forget, required, unavailable, unique_profile, within};

/// Set to 1 by CI: the kernel keyring must work.
const REQUIRE: &str = "JTUI_TEST_KEYUTILS";
const BACKEND: &str = "kernel keyutils (user keyring)";
/// Well above the store's own per-call timeout, so a hang shows up as that error first.
const WATCHDOG: Duration = Duration::from_secs(300);
/// The test the fallback test runs in a child process without a session bus.
const CHILD_TEST: &str = "child_detect_without_a_session_bus";

/// The keyutils store, or `None` after a note where the kernel keyring is unusable and
/// not required.
fn keyutils() -> Option<KeyringStore> {
    let store = KeyringStore::keyutils();
    match store.get(&unique_profile("ku-probe")) {
        Ok(None) => Some(store),
        Ok(Some(_)) => panic!("a fresh profile already has a token"),
        Err(err) => {
            unavailable(REQUIRE, BACKEND, &err.to_string());
            None
        }
    }
}

#[test]
fn stores_reads_overwrites_and_deletes_a_token() {
    let Some(store) = keyutils() else {
        return;
    };
    assert_eq!(store.backend(), BACKEND);
    assert!(!store.survives_reboot());
    let profile = unique_profile("ku-round-trip");
    let _forget = Forget {
        store: &store,
        profile: profile.clone(),
    };

    assert_eq!(store.get(&profile).unwrap(), None);
    assert!(!store.delete(&profile).unwrap(), "nothing to delete yet");

    let first = ApiToken::new("ATATT-first-token-for-the-kernel-keyring");
    store.set(&profile, &first).unwrap();
    assert_eq!(store.get(&profile).unwrap(), Some(first));

    let second = ApiToken::new("ATATT-second-token-replaces-the-first");
    store.set(&profile, &second).unwrap();
    assert_eq!(store.get(&profile).unwrap(), Some(second));

    assert!(store.delete(&profile).unwrap());
    assert_eq!(store.get(&profile).unwrap(), None);
    assert!(!store.delete(&profile).unwrap(), "already gone");
}

#[test]
fn the_key_is_where_entry_name_says() {
    let Some(store) = keyutils() else {
        return;
    };
    let profile = unique_profile("ku-name");
    let _forget = Forget {
        store: &store,
        profile: profile.clone(),
    };
    assert_eq!(
        store.entry_name(&profile),
        format!("user key \"jtui:{profile}\" in the user keyring (@u)")
    );
    store
        .set(&profile, &ApiToken::new("token-by-name"))
        .unwrap();

    // Found by its documented description, as `keyctl search @u user jtui:<profile>` would.
    let user = KeyRing::from_special_id(KeyRingIdentifier::User, false).unwrap();
    let key = user.search(&format!("jtui:{profile}")).unwrap();
    assert_eq!(key.read_to_vec().unwrap(), b"token-by-name");
}

/// A process whose session keyring does not link the user keyring (`keyctl new_session`,
/// some service managers) cannot read keys it filed there: new keys grant read and search
/// to their possessor only. The store must read them anyway.
#[test]
fn works_from_a_fresh_session_keyring() {
    let Some(store) = keyutils() else {
        return;
    };
    let profile = unique_profile("ku-session");
    within(WATCHDOG, "keyutils calls from a fresh session", move || {
        // Threads have their own credentials: this joins a new anonymous session keyring
        // for this thread (and the store's worker threads it starts) when it has none.
        let session = KeyRing::from_special_id(KeyRingIdentifier::Session, true).unwrap();
        let _forget = Forget {
            store: &store,
            profile: profile.clone(),
        };
        store
            .set(&profile, &ApiToken::new("token-in-a-new-session"))
            .unwrap();

        let user = KeyRing::from_special_id(KeyRingIdentifier::User, false).unwrap();
        match user.search(&format!("jtui:{profile}")) {
            Err(KeyError::AccessDenied) => {
                eprintln!("the plain lookup was denied, as expected in a fresh session")
            }
            other => eprintln!(
                "note: session keyring {session:?} reaches the user keyring here ({other:?}); \
                 the case this test guards did not arise"
            ),
        }
        assert_eq!(
            store.get(&profile).unwrap(),
            Some(ApiToken::new("token-in-a-new-session"))
        );
        assert!(store.delete(&profile).unwrap());
    });
}

#[test]
fn calls_from_inside_tokio_runtimes_neither_panic_nor_deadlock() {
    let Some(store) = keyutils() else {
        return;
    };
    let store: Arc<dyn TokenStore> = Arc::new(store);
    let profile = unique_profile("ku-tokio");
    within(WATCHDOG, "keyutils calls from tokio", move || {
        let _forget = Forget {
            store: store.as_ref(),
            profile: profile.clone(),
        };
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let (writer, name) = (store.clone(), profile.clone());
            tokio::task::spawn_blocking(move || writer.set(&name, &ApiToken::new("tok-tokio")))
                .await
                .unwrap()
                .unwrap();
            let (reader, name) = (store.clone(), profile.clone());
            let from_task = tokio::spawn(async move { reader.get(&name) })
                .await
                .unwrap()
                .unwrap();
            assert_eq!(from_task, Some(ApiToken::new("tok-tokio")));
            assert!(store.delete(&profile).unwrap());
        });
    });
}

/// Without a session bus, `detect` must pick the kernel keyring by itself. The
/// environment is process-wide, so the check runs in a child process of this test binary
/// whose bus address leads nowhere.
#[test]
fn detect_falls_back_to_keyutils_without_a_session_bus() {
    let runtime_dir = std::env::temp_dir().join(unique_profile("no-bus"));
    std::fs::create_dir_all(&runtime_dir).unwrap();
    let output = Command::new(std::env::current_exe().unwrap())
        .args([CHILD_TEST, "--exact", "--ignored", "--nocapture"])
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        // Without an address zbus tries $XDG_RUNTIME_DIR/bus: an empty directory here.
        .env("XDG_RUNTIME_DIR", &runtime_dir)
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&runtime_dir);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "child failed:\n{stdout}\n{stderr}");
    assert!(
        stdout.contains("1 passed"),
        "the child test did not run:\n{stdout}\n{stderr}"
    );
}

#[test]
#[ignore = "run by detect_falls_back_to_keyutils_without_a_session_bus in a child process"]
fn child_detect_without_a_session_bus() {
    let runtime_dir = PathBuf::from(std::env::var_os("XDG_RUNTIME_DIR").unwrap());
    assert!(
        std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none() && !runtime_dir.join("bus").exists(),
        "this must run without a session bus"
    );
    let store = KeyringStore::detect();
    let reason = store.fallback_reason().unwrap();
    assert!(
        reason.contains("no secret service provider or dbus session found"),
        "{reason}"
    );
    let profile = unique_profile("ku-detect");
    if store.backend() == BACKEND {
        let _forget = Forget {
            store: &store,
            profile: profile.clone(),
        };
        store
            .set(&profile, &ApiToken::new("token-after-fallback"))
            .unwrap();
        assert_eq!(
            store.get(&profile).unwrap(),
            Some(ApiToken::new("token-after-fallback"))
        );
        assert!(store.delete(&profile).unwrap());
    } else {
        // No kernel keyring either: every call says what to do instead.
        assert!(!required(REQUIRE), "{REQUIRE}=1 but detect chose {store:?}");
        let err = store.get(&profile).unwrap_err();
        assert!(matches!(err, SecretError::NoKeyring { .. }), "{err:?}");
        assert!(err.to_string().contains("Set JIRA_API_TOKEN"), "{err}");
        eprintln!("note: no kernel keyring here either; checked the error instead");
    }
}
