//! What `update` asks the outside world to do. `App` carries these out; `update` itself
//! never performs I/O.

use crate::jira::worker::JiraCommand;

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Send a request to the Jira worker.
    Jira(JiraCommand),
    /// Leave the event loop and restore the terminal.
    Quit,
}
