//! Instant start: the view restored from the cache (`crate::cache`) is on screen from the
//! first frame, marked stale, while the requests a fresh start sends bring it up to
//! date. Each answer replaces its cached part and clears its mark; until then the cached
//! data stays put rather than blinking away.

use super::super::effect::Effect;
use super::start_search;
use crate::jira::worker::{JiraCommand, JiraRequest, RequestId};
use crate::state::issue::COMMENTS_PAGE_SIZE;
use crate::state::search::PAGE_SIZE;
use crate::state::{LoadStatus, State};

/// The first search: `jql` from its first page. Rows restored for this same query stay
/// (stale) until the fresh page replaces them; any other query starts afresh.
pub fn search(state: &mut State, jql: &str) -> Vec<Effect> {
    if !(state.stale.results && state.search.jql == jql) {
        return start_search(state, jql.to_owned());
    }
    let id = state.next_id();
    let count_id = state.next_id();
    let search = &mut state.search;
    search.status = LoadStatus::Loading(id);
    search.next_page_token = None;
    search.page_request = None;
    search.count_request = Some(count_id);
    search.follow_end = false;
    vec![
        Effect::Jira(JiraCommand {
            id,
            request: JiraRequest::Search {
                jql: jql.to_owned(),
                fields: search.columns.search_fields(),
                page_token: None,
                max_results: PAGE_SIZE,
            },
        }),
        Effect::Jira(JiraCommand {
            id: count_id,
            request: JiraRequest::Count {
                jql: jql.to_owned(),
            },
        }),
    ]
}

/// The restored issue, asked for again; what is shown stays until the answers land.
pub fn issue(state: &mut State) -> Vec<Effect> {
    if !state.stale.issue {
        return Vec::new();
    }
    let Some(key) = state.issue.key.clone() else {
        state.stale.issue = false;
        state.stale.comments = false;
        return Vec::new();
    };
    let id = state.next_id();
    let comments_id = state.next_id();
    state.issue.status = LoadStatus::Loading(id);
    state.issue.comments_request = Some(comments_id);
    vec![
        Effect::Jira(JiraCommand {
            id,
            request: JiraRequest::Issue { key: key.clone() },
        }),
        Effect::Jira(JiraCommand {
            id: comments_id,
            request: JiraRequest::Comments {
                key,
                start_at: 0,
                max_results: COMMENTS_PAGE_SIZE,
                order: state.issue.comment_order,
            },
        }),
    ]
}

/// Whether `id` answers one of the requests the view (and so the cache) is made of.
pub fn is_view_answer(state: &State, id: RequestId) -> bool {
    state.projects.status.awaits(id)
        || state.search.status.awaits(id)
        || state.issue.status.awaits(id)
        || state.issue.comments_request == Some(id)
}

/// Before the fresh first page replaces stale rows: the key to keep highlighted.
pub fn take_stale_selection(state: &mut State) -> Option<String> {
    if !std::mem::take(&mut state.stale.results) {
        return None;
    }
    state.search.selected_row().map(|r| r.key.clone())
}

/// After the fresh first page landed: the issue highlighted before stays highlighted
/// if it is still there, else the cursor stays on the same line (within the rows).
pub fn reselect(state: &mut State, key: Option<String>) {
    let search = &mut state.search;
    match key.and_then(|k| search.rows.iter().position(|r| r.key == k)) {
        Some(at) => search.selected = at,
        None => search.selected = search.selected.min(search.rows.len().saturating_sub(1)),
    }
}

/// A new issue opens: whatever was cached about the old one is gone.
pub fn leave_issue(state: &mut State) {
    state.stale.issue = false;
    state.stale.comments = false;
}
