//! `update` for what the worker says about the network: a retry in progress shows in
//! the status line ("rate limited by Jira, retrying in 12 s…") until an answer arrives,
//! and a rejected token is said plainly whatever request ran into it.

use crate::jira::error::JiraError;
use crate::jira::retry;
use crate::jira::worker::JiraProgress;
use crate::state::State;

/// A read failed and will be tried again: say so, and when.
pub fn on_progress(state: &mut State, progress: JiraProgress) {
    state.retry = Some(progress.notice);
}

/// Any final answer ends the wait the status line showed. A success after a wait
/// means Jira is back, which is worth a word; a failure says its own.
pub(super) fn on_result(state: &mut State, error: Option<&JiraError>) {
    let was_waiting = state.retry.take().is_some();
    if was_waiting && error.is_none() {
        state.info("Jira is answering again");
    }
}

/// Whether `error` ends the session: the credentials were rejected, every later
/// request is refused the same way, and the user must sign in again. The error then
/// stays in the status line whichever request ran into it, so it is never lost behind a
/// silent failure (suggestions, counts); input in the JQL bar and filters stays as it was.
pub(super) fn ends_session(error: &JiraError) -> bool {
    retry::is_credential_rejection(error)
}
