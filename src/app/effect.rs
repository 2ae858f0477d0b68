//! What `update` asks the outside world to do. `App` carries these out; `update` itself
//! never performs I/O.

use std::time::Duration;

use super::action::Action;
use crate::jira::worker::{JiraCommand, RequestId};

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Send a request to the Jira worker.
    Jira(JiraCommand),
    /// Leave the event loop and restore the terminal.
    Quit,
    /// Dispatch `action` after `delay`. A newer debounce replaces a pending one (the
    /// action carries `id`, and `update` ignores ids that are not the latest).
    Debounce {
        id: RequestId,
        delay: Duration,
        action: Action,
    },
    /// Write the JQL history (newest first) to the profile's history file.
    SaveHistory(Vec<String>),
    /// Open a URL in the user's browser (`xdg-open`, `open`, `start`), detached.
    OpenBrowser(String),
    /// Put text on the clipboard through the terminal (OSC 52, so it works over SSH).
    Copy(String),
    // Instant start and prefetch (perf).
    /// Stop a request still in flight; its answer would be dropped anyway.
    CancelJira(RequestId),
    /// Write the current view to the profile's view cache, off the UI path.
    SaveView,
    /// Dispatch `action` after `delay`; unlike `Debounce`, never replaced by another.
    Timer { delay: Duration, action: Action },
    /// Keep (or replace) the draft of a description or comment in the draft store.
    SaveDraft(crate::drafts::Draft),
    /// Leave the terminal to the user's editor with `text` in a temp file named with
    /// `suffix`; `Action::ExternalEdited` brings the result back.
    ExternalEditor { text: String, suffix: String },
    /// The draft was sent to Jira (or given up): forget it.
    DeleteDraft {
        issue_key: String,
        target: crate::drafts::DraftTarget,
    },
}
