//! Shared by the keyring tests: required-or-skip switches, unique profile names, clean-up
//! and a watchdog that turns a hang into a failure.

use std::sync::mpsc;
use std::thread;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use jtui::secrets::TokenStore;

/// Whether CI demands this store (`VAR=1`): then a missing store fails the test.
pub fn required(var: &str) -> bool {
    std::env::var(var).is_ok_and(|value| value.trim() == "1")
}

/// Ends a test early on a machine without the store, saying so; fails it where required.
pub fn unavailable(var: &str, store: &str, why: &str) {
    assert!(
        !required(var),
        "{var}=1 but the {store} is not usable here: {why}"
    );
    eprintln!("note: skipping: the {store} is not usable here ({why}); set {var}=1 to require it");
}

/// A profile name no other test run uses at the same time: pid, clock and a tag.
pub fn unique_profile(tag: &str) -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| elapsed.as_nanos())
        .unwrap_or_default();
    format!("jtui-test-{tag}-{}-{nanos}", std::process::id())
}

/// Deletes the profile's entry when dropped, so a failing test leaves nothing behind.
pub struct Forget<'a> {
    pub store: &'a dyn TokenStore,
    pub profile: String,
}

impl Drop for Forget<'_> {
    fn drop(&mut self) {
        let _ = self.store.delete(&self.profile);
    }
}

/// Runs `body` on its own thread and fails if it does not finish within `limit` (a
/// deadlock would otherwise hang the suite). Panics inside `body` fail the test as usual.
pub fn within<T: Send + 'static>(
    limit: Duration,
    what: &str,
    body: impl FnOnce() -> T + Send + 'static,
) -> T {
    let (done_tx, done_rx) = mpsc::channel();
    let worker = thread::spawn(move || {
        let _ = done_tx.send(body());
    });
    match done_rx.recv_timeout(limit) {
        Ok(value) => value,
        Err(mpsc::RecvTimeoutError::Timeout) => {
            panic!("{what} did not finish within {limit:?}: a deadlock?")
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => match worker.join() {
            Err(payload) => std::panic::resume_unwind(payload),
            Ok(()) => panic!("{what} ended without an answer"),
        },
    }
}
