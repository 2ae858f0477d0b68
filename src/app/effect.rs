//! What `update` asks the outside world to do. `App` carries these out; `update` itself
//! never performs I/O.

use crate::jira::worker::JiraCommand;

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Send a request to the Jira worker.
    Jira(JiraCommand),
    /// Leave the event loop and restore the terminal.
    Quit,
    /// Open a URL in the user's browser (`xdg-open`, `open`, `start`), detached.
    OpenBrowser(String),
    /// Put text on the clipboard through the terminal (OSC 52, so it works over SSH).
    Copy(String),
}
