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
}
