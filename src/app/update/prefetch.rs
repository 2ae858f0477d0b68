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
        issue.raw = Some(ready.raw);
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
pub fn on_response(state: &mut State, id: RequestId, issue: Box<Issue>, comments: &CommentPage) {
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
        pane.detail = Some(IssueDetail::from_issue(&issue));
        pane.raw = Some(issue);
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
        detail: IssueDetail::from_issue(&issue),
        raw: issue,
        comments: items(),
        comments_total: comments.total,
        order: request.order,
    });
}

/// A write is on its way: what was fetched ahead may be what it changes, so it is all
/// forgotten (writes are rare, prefetches cheap), and the prefetch in flight is given
/// up: its id is returned for the worker to cancel. One an open adopted is the issue
/// pane's request now and stays.
pub fn on_write(state: &mut State) -> Option<RequestId> {
    state.prefetch.clear();
    state.prefetch.request.take().map(|r| r.id)
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

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::app::update::{on_jira, update};
    use crate::jira::error::JiraError;
    use crate::jira::worker::{JiraEvent, JiraResponse};
    use crate::state::Pane;
    use crate::state::search::IssueRow;

    fn state() -> State {
        let mut state = State::new("test");
        state.size = (160, 48);
        state.search.jql = "project = NAV".into();
        state.search.rows = (0..10)
            .map(|n| IssueRow {
                key: format!("NAV-{n}"),
                ..IssueRow::default()
            })
            .collect();
        state
    }

    fn issue(key: &str) -> Box<Issue> {
        Box::new(
            serde_json::from_value(json!({
                "id": "1", "key": key,
                "fields": {"summary": format!("Summary of {key}")}
            }))
            .unwrap(),
        )
    }

    fn comments(n: usize) -> CommentPage {
        serde_json::from_value(json!({
            "startAt": 0, "maxResults": 50, "total": n,
            "comments": (0..n).map(|i| json!({
                "id": format!("{i}"),
                "body": {"type": "doc", "version": 1, "content": [
                    {"type": "paragraph", "content": [{"type": "text", "text": format!("comment {i}")}]}
                ]}
            })).collect::<Vec<_>>()
        }))
        .unwrap()
    }

    /// The dwell timers in `effects`, checked to be prefetch timers.
    fn timers(effects: &[Effect]) -> Vec<RequestId> {
        effects
            .iter()
            .filter_map(|e| match e {
                Effect::Debounce { id, delay, action } => {
                    assert_eq!(*delay, PREFETCH_DWELL);
                    assert_eq!(*action, Action::PrefetchDue(*id));
                    Some(*id)
                }
                _ => None,
            })
            .collect()
    }

    fn jira(effects: &[Effect]) -> Vec<&JiraCommand> {
        effects
            .iter()
            .filter_map(|e| match e {
                Effect::Jira(cmd) => Some(cmd),
                _ => None,
            })
            .collect()
    }

    fn cancels(effects: &[Effect]) -> Vec<RequestId> {
        effects
            .iter()
            .filter_map(|e| match e {
                Effect::CancelJira(id) => Some(*id),
                _ => None,
            })
            .collect()
    }

    /// Moves down once and lets the dwell timer fire: the prefetch command's id.
    fn dwell_on_next(state: &mut State) -> RequestId {
        let moved = update(state, Action::Down);
        let [timer] = timers(&moved)[..] else {
            panic!("one timer: {moved:?}")
        };
        let due = update(state, Action::PrefetchDue(timer));
        let [cmd] = jira(&due)[..] else {
            panic!("one request: {due:?}")
        };
        let key = &state.search.selected_row().unwrap().key;
        assert!(
            matches!(&cmd.request, JiraRequest::Prefetch { key: k, max_comments: COMMENTS_PAGE_SIZE, .. } if k == key),
            "{cmd:?}"
        );
        cmd.id
    }

    fn answer(state: &mut State, id: RequestId, key: &str, n: usize) -> Vec<Effect> {
        on_jira(
            state,
            JiraEvent {
                id,
                result: Ok(JiraResponse::Prefetched {
                    issue: issue(key),
                    comments: comments(n),
                }),
            },
        )
    }

    #[test]
    fn holding_a_key_sends_nothing_until_the_cursor_rests() {
        let mut state = state();
        let mut all = Vec::new();
        for _ in 0..5 {
            let effects = update(&mut state, Action::Down);
            assert!(jira(&effects).is_empty(), "no request while moving");
            all.extend(timers(&effects));
        }
        assert_eq!(all.len(), 5, "each move restarts the dwell timer");
        // Timers that were replaced are stale when they fire.
        for stale in &all[..4] {
            assert!(update(&mut state, Action::PrefetchDue(*stale)).is_empty());
        }
        let due = update(&mut state, Action::PrefetchDue(all[4]));
        let reqs = jira(&due);
        assert_eq!(reqs.len(), 1);
        assert!(matches!(&reqs[0].request, JiraRequest::Prefetch { key, .. } if key == "NAV-5"));
        // The same timer again, or a rest on the same row: nothing more.
        assert!(update(&mut state, Action::PrefetchDue(all[4])).is_empty());
        assert!(!state.is_busy(), "a prefetch shows no spinner");
    }

    #[test]
    fn moving_on_cancels_the_prefetch_and_drops_its_late_answer() {
        let mut state = state();
        let first = dwell_on_next(&mut state);
        let moved = update(&mut state, Action::Down);
        assert_eq!(cancels(&moved), vec![first], "moving on cancels it");
        assert_eq!(timers(&moved).len(), 1);
        assert!(state.prefetch.request.is_none());
        // The cancelled answer may still arrive: it is dropped.
        assert!(answer(&mut state, first, "NAV-1", 2).is_empty());
        assert!(state.prefetch.ready.is_empty());
        // Coming back to a row in flight does not cancel or restart it.
        let second = dwell_on_next(&mut state);
        assert_eq!(state.prefetch.request.as_ref().unwrap().id, second);
        let again = update(&mut state, Action::Down);
        assert_eq!(cancels(&again), vec![second]);
    }

    #[test]
    fn a_prefetched_issue_opens_with_no_request() {
        let mut state = state();
        let id = dwell_on_next(&mut state);
        answer(&mut state, id, "NAV-1", 3);
        assert!(state.prefetch.is_ready("NAV-1"));
        let effects = update(&mut state, Action::Select);
        assert!(jira(&effects).is_empty(), "{effects:?}");
        assert_eq!(state.focus, Pane::Issue);
        assert_eq!(state.issue.status, LoadStatus::Idle);
        assert_eq!(state.issue.key.as_deref(), Some("NAV-1"));
        assert_eq!(
            state.issue.detail.as_ref().unwrap().summary,
            "Summary of NAV-1"
        );
        assert_eq!(state.issue.comments.len(), 3);
        assert_eq!(state.issue.comments_total, 3);
        assert!(!state.prefetch.is_ready("NAV-1"), "taken, not copied");
        let raw = state.issue.raw.as_ref().map(|i| i.key.as_str());
        assert_eq!(raw, Some("NAV-1"), "the editors start from Jira's copy");
        assert!(!state.is_busy());
        // Refresh asks Jira again.
        let refreshed = update(&mut state, Action::Refresh);
        assert_eq!(jira(&refreshed).len(), 2);
    }

    #[test]
    fn enter_during_the_prefetch_adopts_it() {
        let mut state = state();
        let id = dwell_on_next(&mut state);
        let effects = update(&mut state, Action::Select);
        assert!(jira(&effects).is_empty(), "no second request: {effects:?}");
        assert!(cancels(&effects).is_empty());
        assert_eq!(state.issue.status, LoadStatus::Loading(id));
        assert!(state.is_busy());
        // Another row's prefetch later must not take the adopted one's place.
        state.focus = Pane::Results;
        let moved = update(&mut state, Action::Down);
        assert!(cancels(&moved).is_empty(), "{moved:?}");
        answer(&mut state, id, "NAV-1", 1);
        assert_eq!(state.issue.status, LoadStatus::Idle);
        assert_eq!(state.issue.detail.as_ref().unwrap().key, "NAV-1");
        let raw = state.issue.raw.as_ref().map(|i| i.key.as_str());
        assert_eq!(raw, Some("NAV-1"), "the editors start from Jira's copy");
        assert_eq!(state.issue.comments.len(), 1);
        assert!(!state.is_busy());
    }

    #[test]
    fn a_failed_prefetch_is_silent_and_an_adopted_one_is_the_panes_failure() {
        let mut state = state();
        let id = dwell_on_next(&mut state);
        on_jira(
            &mut state,
            JiraEvent {
                id,
                result: Err(JiraError::Transport("reset".into())),
            },
        );
        assert!(state.message.is_none(), "nobody asked for it yet");
        assert!(state.prefetch.request.is_none());

        let id = dwell_on_next(&mut state);
        update(&mut state, Action::Select);
        on_jira(
            &mut state,
            JiraEvent {
                id,
                result: Err(JiraError::Transport("reset".into())),
            },
        );
        assert!(matches!(state.issue.status, LoadStatus::Failed(_)));
        assert!(state.message.as_ref().is_some_and(|m| m.is_error));
        assert!(!state.is_busy(), "the comments half is let go too");
    }

    #[test]
    fn a_write_forgets_what_was_fetched_ahead_but_not_an_adopted_prefetch() {
        let mut state = state();
        let first = dwell_on_next(&mut state);
        answer(&mut state, first, "NAV-1", 1);
        let second = dwell_on_next(&mut state);
        assert!(state.prefetch.is_ready("NAV-1"));
        assert_eq!(
            on_write(&mut state),
            Some(second),
            "the one in flight is given up"
        );
        assert!(
            !state.prefetch.is_ready("NAV-1"),
            "it may show what the write changes"
        );
        assert!(state.prefetch.request.is_none());

        let third = dwell_on_next(&mut state);
        update(&mut state, Action::Select);
        assert_eq!(state.issue.status, LoadStatus::Loading(third));
        assert_eq!(on_write(&mut state), None, "the issue pane's request stays");
    }

    #[test]
    fn the_open_issue_and_a_ready_one_are_not_fetched_again() {
        let mut state = state();
        let id = dwell_on_next(&mut state);
        answer(&mut state, id, "NAV-1", 0);
        update(&mut state, Action::Down);
        let back = update(&mut state, Action::Up);
        assert!(timers(&back).is_empty(), "NAV-1 is ready: {back:?}");
        update(&mut state, Action::Select);
        state.focus = Pane::Results;
        update(&mut state, Action::Down);
        let onto_open = update(&mut state, Action::Up);
        assert!(
            timers(&onto_open).is_empty(),
            "NAV-1 is open: {onto_open:?}"
        );
    }

    #[test]
    fn comments_in_another_order_are_not_taken() {
        let mut state = state();
        let id = dwell_on_next(&mut state);
        answer(&mut state, id, "NAV-1", 2);
        state.issue.comment_order = crate::jira::client::CommentOrder::NewestFirst;
        let effects = update(&mut state, Action::Select);
        assert_eq!(jira(&effects).len(), 2, "issue and comments asked for");
    }
}
