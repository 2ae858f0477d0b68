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

#[cfg(test)]
mod tests {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use serde_json::json;

    use super::*;
    use crate::app::update::{init, on_jira};
    use crate::cache::CachedView;
    use crate::config::keymap::Keymap;
    use crate::jira::models::{CommentPage, Issue, SearchPage};
    use crate::jira::worker::{JiraEvent, JiraResponse};
    use crate::state::Pane;
    use crate::state::search::IssueRow;
    use crate::ui::{self, Theme};

    const JQL: &str = "project = NAV ORDER BY updated DESC";

    fn issue(key: &str, summary: &str) -> Issue {
        serde_json::from_value(json!({"id": "1", "key": key, "fields": {"summary": summary}}))
            .unwrap()
    }

    fn comments(texts: &[&str]) -> CommentPage {
        serde_json::from_value(json!({
            "startAt": 0, "maxResults": 50, "total": texts.len(),
            "comments": texts.iter().enumerate().map(|(i, t)| json!({
                "id": format!("{i}"),
                "body": {"type": "doc", "version": 1, "content": [
                    {"type": "paragraph", "content": [{"type": "text", "text": t}]}
                ]}
            })).collect::<Vec<_>>()
        }))
        .unwrap()
    }

    /// The state of a session that ran `JQL`, had NAV-3 highlighted and NAV-7 open.
    fn last_session() -> CachedView {
        let mut old = State::new("test");
        old.search.jql = JQL.into();
        old.search.rows = (0..6)
            .map(|n| IssueRow {
                key: format!("NAV-{n}"),
                summary: format!("Old summary {n}"),
                ..IssueRow::default()
            })
            .collect();
        old.search.selected = 3;
        old.focus = Pane::Issue;
        old.zoomed = true;
        old.issue.key = Some("NAV-7".into());
        old.issue.detail = Some(crate::state::issue::IssueDetail::from_issue(&issue(
            "NAV-7",
            "Old NAV-7",
        )));
        old.issue.comments = comments(&["old comment"])
            .comments
            .iter()
            .map(crate::state::issue::CommentItem::from_comment)
            .collect();
        old.issue.comments_total = 1;
        CachedView::capture(&old, "site")
    }

    fn restored() -> State {
        let mut state = State::new("test");
        state.size = (160, 48);
        last_session().apply(&mut state);
        state
    }

    fn screen(state: &State) -> String {
        let mut terminal = Terminal::new(TestBackend::new(160, 48)).unwrap();
        terminal
            .draw(|f| ui::render(f, state, &Theme::default(), &Keymap::default()))
            .unwrap();
        let buffer = terminal.backend().buffer();
        (0..48)
            .map(|y| {
                (0..160)
                    .map(|x| buffer[(x, y)].symbol())
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn respond(state: &mut State, id: RequestId, response: JiraResponse) -> Vec<Effect> {
        on_jira(
            state,
            JiraEvent {
                id,
                result: Ok(response),
            },
        )
    }

    fn find(effects: &[Effect], want: fn(&JiraRequest) -> bool) -> RequestId {
        effects
            .iter()
            .find_map(|e| match e {
                Effect::Jira(cmd) if want(&cmd.request) => Some(cmd.id),
                _ => None,
            })
            .unwrap()
    }

    #[test]
    fn the_restored_view_is_drawn_stale_then_replaced_by_fresh_answers() {
        let mut state = restored();
        assert_eq!(state.search.selected, 3);
        assert_eq!(state.focus, Pane::Issue);
        state.zoomed = false;
        let effects = init(&mut state, JQL);
        // The first frame: the cached rows and issue, marked stale.
        let first = screen(&state);
        assert!(first.contains("Old summary 3"), "{first}");
        assert!(
            first.contains("Old NAV-7") && first.contains("old comment"),
            "{first}"
        );
        assert_eq!(first.matches(" stale ").count(), 2, "{first}");

        let search = find(&effects, |r| matches!(r, JiraRequest::Search { .. }));
        let issue_id = find(
            &effects,
            |r| matches!(r, JiraRequest::Issue { key } if key == "NAV-7"),
        );
        let comments_id = find(
            &effects,
            |r| matches!(r, JiraRequest::Comments { key, .. } if key == "NAV-7"),
        );
        // Jira's rows have moved: NAV-3 is now second.
        let page = SearchPage {
            issues: [9, 3, 1]
                .iter()
                .map(|n| issue(&format!("NAV-{n}"), &format!("Fresh {n}")))
                .collect(),
            is_last: true,
            ..SearchPage::default()
        };
        respond(&mut state, search, JiraResponse::Search(page));
        assert!(!state.stale.results);
        assert_eq!(
            state.search.rows.len(),
            3,
            "fresh rows replace the cached ones"
        );
        assert_eq!(state.search.selected, 1, "NAV-3 stays highlighted");

        respond(
            &mut state,
            issue_id,
            JiraResponse::Issue(Box::new(issue("NAV-7", "Fresh NAV-7"))),
        );
        assert!(state.stale.comments, "comments not in yet");
        respond(
            &mut state,
            comments_id,
            JiraResponse::Comments(comments(&["new comment"])),
        );
        let done = screen(&state);
        assert!(
            done.contains("Fresh NAV-7") && done.contains("new comment"),
            "{done}"
        );
        assert!(
            !done.contains("old comment"),
            "replaced, not appended: {done}"
        );
        assert!(!done.contains("Old summary"), "{done}");
        assert!(!state.stale.any());
    }

    #[test]
    fn another_query_starts_afresh() {
        let mut state = restored();
        init(&mut state, "project = WEB");
        assert!(state.search.rows.is_empty());
        assert!(!state.stale.results);
        assert_eq!(state.search.jql, "project = WEB");
        assert!(state.stale.issue, "the open issue is still the cached one");
    }

    #[test]
    fn the_view_is_saved_once_it_settles() {
        let mut state = restored();
        let effects = init(&mut state, JQL);
        let mut saves = 0;
        for effect in effects {
            let Effect::Jira(cmd) = effect else { continue };
            let response = match cmd.request {
                JiraRequest::Myself => continue,
                JiraRequest::Projects => JiraResponse::Projects(Vec::new()),
                JiraRequest::Search { .. } => JiraResponse::Search(SearchPage::default()),
                JiraRequest::Count { .. } => JiraResponse::Count(0),
                JiraRequest::Issue { key } => JiraResponse::Issue(Box::new(issue(&key, "x"))),
                JiraRequest::Comments { .. } => JiraResponse::Comments(comments(&[])),
                other => panic!("unexpected {other:?}"),
            };
            let more = respond(&mut state, cmd.id, response);
            saves += more.iter().filter(|e| **e == Effect::SaveView).count();
        }
        assert!(!state.is_busy());
        assert_eq!(saves, 1, "one save when the last view request lands");
    }

    #[test]
    fn a_failed_revalidation_keeps_the_cached_rows_marked() {
        let mut state = restored();
        assert!(state.zoomed, "the zoom is part of the view");
        state.zoomed = false;
        let effects = init(&mut state, JQL);
        let search = find(&effects, |r| matches!(r, JiraRequest::Search { .. }));
        on_jira(
            &mut state,
            JiraEvent {
                id: search,
                result: Err(crate::jira::error::JiraError::Transport("offline".into())),
            },
        );
        assert_eq!(state.search.rows.len(), 6);
        assert!(state.stale.results);
        let text = screen(&state);
        assert!(
            text.contains(" failed ") && text.contains(" stale "),
            "{text}"
        );
    }
}
