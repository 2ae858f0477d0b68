//! Prefetch: once the cursor has rested on a results row for [`PREFETCH_DWELL`], its
//! issue and first comments are fetched; moving on cancels that fetch (latest wins).
//! Enter on a prefetched row then opens the issue in the next frame, with no request;
//! Enter while the prefetch is still in flight adopts it instead of asking again.

use std::time::Duration;

use super::super::action::Action;
use super::super::effect::Effect;
use super::nav;
use crate::jira::models::{CommentPage, Issue};
use crate::jira::worker::{JiraCommand, JiraRequest, RequestId};
use crate::state::issue::{COMMENTS_PAGE_SIZE, CommentItem, IssueDetail};
use crate::state::prefetch::{PrefetchRequest, PrefetchedIssue};
use crate::state::{LoadStatus, State};

/// How long the cursor must rest on a row before its issue is fetched ahead. Short
/// enough to beat a deliberate Enter, long enough that holding `j` sends nothing.
pub const PREFETCH_DWELL: Duration = Duration::from_millis(120);

/// The issue worth fetching ahead: the highlighted row's, unless it is open or fetched.
fn wanted(state: &State) -> Option<String> {
    let key = &state.search.selected_row()?.key;
    let open = state.issue.key.as_deref() == Some(key.as_str());
    if open || state.prefetch.is_ready(key) {
        return None;
    }
    Some(key.clone())
}

/// The highlighted row changed (or new rows landed): a prefetch for another row is
/// cancelled, and the dwell timer starts over for this one.
pub fn schedule(state: &mut State) -> Vec<Effect> {
    let mut effects = Vec::new();
    let wanted = wanted(state);
    if let Some(request) = &state.prefetch.request
        && wanted.as_deref() != Some(request.key.as_str())
    {
        effects.push(Effect::CancelJira(request.id));
        state.prefetch.request = None;
    }
    match wanted {
        Some(key) if !state.prefetch.is_in_flight(&key) => {
            let id = state.next_id();
            state.prefetch.timer = Some(id);
            effects.push(Effect::Debounce {
                id,
                delay: PREFETCH_DWELL,
                action: Action::PrefetchDue(id),
            });
        }
        _ => state.prefetch.timer = None,
    }
    effects
}

/// The dwell timer `id` fired: fetch the highlighted row's issue, if the timer is still
/// the latest and the issue is still wanted.
pub fn due(state: &mut State, id: RequestId) -> Vec<Effect> {
    if state.prefetch.timer != Some(id) {
        return Vec::new();
    }
    state.prefetch.timer = None;
    let Some(key) = wanted(state) else {
        return Vec::new();
    };
    if state.prefetch.is_in_flight(&key) {
        return Vec::new();
    }
    let mut effects = Vec::new();
    if let Some(older) = state.prefetch.request.take() {
        effects.push(Effect::CancelJira(older.id));
    }
    let id = state.next_id();
    let order = state.issue.comment_order;
    state.prefetch.request = Some(PrefetchRequest {
        id,
        key: key.clone(),
        order,
    });
    effects.push(Effect::Jira(JiraCommand {
        id,
        request: JiraRequest::Prefetch {
            key,
            max_comments: COMMENTS_PAGE_SIZE,
            order,
        },
    }));
    effects
}

/// Opening `key` (its fields already reset by `open_issue`): from a finished prefetch,
/// with no request at all, or by adopting the one in flight. `None` when neither has it.
pub fn open(state: &mut State, key: &str) -> Option<Vec<Effect>> {
    let order = state.issue.comment_order;
    if let Some(ready) = state.prefetch.take(key, order) {
        let issue = &mut state.issue;
        issue.status = LoadStatus::Idle;
        issue.detail = Some(ready.detail);
        issue.comments = ready.comments;
        issue.comments_total = ready.comments_total;
        issue.comments_request = None;
        issue.comments_error = None;
        issue.touch();
        return Some(Vec::new());
    }
    let adopt = state
        .prefetch
        .request
        .as_ref()
        .is_some_and(|r| r.key == key && r.order == order);
    if !adopt {
        return None;
    }
    let request = state.prefetch.request.take()?;
    let issue = &mut state.issue;
    issue.status = LoadStatus::Loading(request.id);
    issue.comments_request = Some(request.id);
    issue.comments.clear();
    issue.comments_total = 0;
    issue.comments_error = None;
    issue.touch();
    Some(Vec::new())
}

/// A prefetch answered: straight into the issue pane if an open adopted it, else kept
/// for an Enter. An answer to a cancelled prefetch is dropped.
pub fn on_response(state: &mut State, id: RequestId, issue: &Issue, comments: &CommentPage) {
    let items = || {
        comments
            .comments
            .iter()
            .map(CommentItem::from_comment)
            .collect::<Vec<_>>()
    };
    if state.issue.status.awaits(id) {
        let pane = &mut state.issue;
        pane.status = LoadStatus::Idle;
        pane.detail = Some(IssueDetail::from_issue(issue));
        if pane.comments_request == Some(id) {
            pane.comments_request = None;
            pane.comments_total = comments.total;
            pane.comments = items();
        }
        pane.touch();
        nav::apply_pending_scroll(state);
        return;
    }
    let Some(request) = state.prefetch.request.take_if(|r| r.id == id) else {
        return;
    };
    state.prefetch.keep(PrefetchedIssue {
        key: request.key,
        detail: IssueDetail::from_issue(issue),
        comments: items(),
        comments_total: comments.total,
        order: request.order,
    });
}

/// A prefetch failed. A plain one fails silently (Enter will ask again and show the
/// error); true then. An adopted one is the issue pane's failure: false, after letting
/// go of its comments half.
pub fn on_error(state: &mut State, id: RequestId) -> bool {
    if state.prefetch.request.take_if(|r| r.id == id).is_some() {
        return true;
    }
    if state.issue.status.awaits(id) && state.issue.comments_request == Some(id) {
        state.issue.comments_request = None;
    }
    false
}
