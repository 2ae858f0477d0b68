//! Moving between issues and the everyday keys around the open issue: related-issue
//! highlight, back/forward history, jump to a key, zoom, history tab, open in the
//! browser and copy. Pure, like the rest of `update`.

use super::{Effect, areas, open_issue};
use crate::app::action::InputEdit;
use crate::jira::client::browse_url;
use crate::state::input::InputOutcome;
use crate::state::issue::IssueTab;
use crate::state::nav::{JumpPrompt, NavEntry, parse_issue_key};
use crate::state::{Pane, State};
use crate::ui::issue::ensure_lines;

/// Where the open issue is, to come back to it.
fn current_entry(state: &State) -> Option<NavEntry> {
    let key = state.issue.key.clone()?;
    Some(NavEntry {
        key,
        scroll: state.issue.scroll.get(),
        tab: state.issue.tab,
    })
}

/// Opens `key` in the issue pane and records the issue it replaces, so Back returns.
pub fn open(state: &mut State, key: &str) -> Vec<Effect> {
    if let Some(current) = current_entry(state).filter(|c| c.key != key) {
        state.nav.visit(current);
    }
    state.focus = Pane::Issue;
    open_issue(state, key)
}

fn restore(state: &mut State, entry: NavEntry) -> Vec<Effect> {
    state.focus = Pane::Issue;
    let effects = open_issue(state, &entry.key);
    state.issue.tab = entry.tab;
    state.issue.pending_scroll = Some(entry.scroll);
    // A prefetched issue is in already: no answer will come to apply these.
    state.issue.touch();
    apply_pending_scroll(state);
    effects
}

/// Back/Ctrl-O. With nothing to go back to, Backspace in the issue pane still returns to
/// the results, as it always did.
pub fn back(state: &mut State) -> Vec<Effect> {
    let current = current_entry(state);
    match state.nav.back(current) {
        Some(entry) => restore(state, entry),
        None => {
            if state.focus == Pane::Issue {
                state.focus = Pane::Results;
            } else {
                state.info("No earlier issue");
            }
            Vec::new()
        }
    }
}

/// Ctrl-I / Alt-→.
pub fn forward(state: &mut State) -> Vec<Effect> {
    let current = current_entry(state);
    match state.nav.forward(current) {
        Some(entry) => restore(state, entry),
        None => {
            state.info("No later issue");
            Vec::new()
        }
    }
}

/// Once the issue and its first comments are in, scrolls to where the issue was left.
pub fn apply_pending_scroll(state: &mut State) {
    let issue = &mut state.issue;
    if issue.status.is_loading() || issue.comments_request.is_some() {
        return;
    }
    if let Some(scroll) = issue.pending_scroll.take() {
        issue.scroll.set(scroll);
    }
}

/// `]` / `[`: moves the highlight among the parent, sub-tasks and linked issues,
/// wrapping around, and scrolls it into view.
pub fn move_related(state: &mut State, delta: isize) {
    let len = state.issue.detail.as_ref().map_or(0, |d| d.related.len());
    if len == 0 {
        state.info("This issue has no parent, sub-tasks or links");
        return;
    }
    if state.issue.tab != IssueTab::Details {
        toggle_history(state);
    }
    let next = match state.issue.related_selected {
        None if delta >= 0 => 0,
        None => len - 1,
        Some(i) => (i as isize + delta).rem_euclid(len as isize) as usize,
    };
    state.issue.related_selected = Some(next);
    reveal_related(state);
}

/// Lays the issue pane out for its current width (a no-op when the last draw did) and
/// returns its inner height, so scrolling does not depend on a draw having happened.
pub fn layout_issue(state: &State) -> usize {
    let area = areas(state).issue;
    let (width, height) = (area.width.saturating_sub(2), area.height.saturating_sub(2));
    if width > 0 {
        ensure_lines(&state.issue, width);
    }
    usize::from(height)
}

/// Scrolls the issue pane so the highlighted related issue is visible.
fn reveal_related(state: &State) {
    let Some(index) = state.issue.related_selected else {
        return;
    };
    let height = layout_issue(state);
    if height == 0 {
        return;
    }
    let cache = state.issue.lines.borrow();
    let Some(&line) = cache.related_lines.get(index) else {
        return;
    };
    let scroll = state.issue.scroll.get();
    if line < scroll {
        state.issue.scroll.set(line);
    } else if line >= scroll + height {
        state.issue.scroll.set(line + 1 - height);
    }
}

/// A click on row `row` of the issue pane's text: on a related issue it highlights it,
/// and a second click opens it (like rows in the lists).
pub fn click_line(state: &mut State, row: u16) -> Vec<Effect> {
    if state.issue.tab != IssueTab::Details {
        return Vec::new();
    }
    let height = layout_issue(state);
    if usize::from(row) >= height {
        return Vec::new();
    }
    let line = state.issue.scroll.get() + usize::from(row);
    let hit = state
        .issue
        .lines
        .borrow()
        .related_lines
        .iter()
        .position(|&l| l == line);
    match hit {
        Some(i) if state.issue.related_selected == Some(i) => open_related(state),
        Some(i) => {
            state.issue.related_selected = Some(i);
            Vec::new()
        }
        None => Vec::new(),
    }
}

/// Enter in the issue pane: open the highlighted related issue.
pub fn open_related(state: &mut State) -> Vec<Effect> {
    match state.issue.selected_related().map(|r| r.key.clone()) {
        Some(key) => open(state, &key),
        None => {
            state.info("Press ] to highlight a parent, sub-task or linked issue");
            Vec::new()
        }
    }
}

/// Details ⇄ History, each keeping its own scroll position.
pub fn toggle_history(state: &mut State) {
    let issue = &mut state.issue;
    issue.tab = match issue.tab {
        IssueTab::Details => IssueTab::History,
        IssueTab::History => IssueTab::Details,
    };
    let other = issue.other_tab_scroll;
    issue.other_tab_scroll = issue.scroll.get();
    issue.scroll.set(other);
    issue.touch();
}

pub fn open_jump(state: &mut State) {
    state.show_help = false;
    state.jump = Some(JumpPrompt::default());
}

/// An edit in the jump prompt; Enter checks the key locally before anything is sent.
pub fn jump_input(state: &mut State, edit: InputEdit) -> Vec<Effect> {
    let Some(prompt) = &mut state.jump else {
        return Vec::new();
    };
    match prompt.input.apply(edit) {
        InputOutcome::Submitted => match parse_issue_key(prompt.input.text()) {
            Ok(key) => {
                state.jump = None;
                open(state, &key)
            }
            Err(e) => {
                prompt.error = Some(e);
                Vec::new()
            }
        },
        InputOutcome::Cancelled => {
            state.jump = None;
            Vec::new()
        }
        InputOutcome::Edited => {
            prompt.error = None;
            Vec::new()
        }
        InputOutcome::Moved => Vec::new(),
    }
}

/// The issue the everyday keys act on: the selected row in the results, else the open
/// issue.
fn target_key(state: &State) -> Option<String> {
    let row = state.search.selected_row().map(|r| r.key.clone());
    let open = state.issue.key.clone();
    match state.focus {
        Pane::Results => row.or(open),
        Pane::Issue | Pane::Projects => open.or(row),
    }
}

fn target_url(state: &mut State) -> Option<String> {
    let Some(key) = target_key(state) else {
        state.info("No issue selected");
        return None;
    };
    let Some(base) = &state.site_url else {
        state.error("The site's URL is not known, so there is no link to open");
        return None;
    };
    Some(browse_url(base, &key).to_string())
}

pub fn open_in_browser(state: &mut State) -> Vec<Effect> {
    let Some(url) = target_url(state) else {
        return Vec::new();
    };
    state.info(format!("Opening {url}"));
    vec![Effect::OpenBrowser(url)]
}

pub fn copy_key(state: &mut State) -> Vec<Effect> {
    let Some(key) = target_key(state) else {
        state.info("No issue selected");
        return Vec::new();
    };
    state.info(format!("Copied {key}"));
    vec![Effect::Copy(key)]
}

pub fn copy_url(state: &mut State) -> Vec<Effect> {
    let Some(url) = target_url(state) else {
        return Vec::new();
    };
    state.info(format!("Copied {url}"));
    vec![Effect::Copy(url)]
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::app::action::Action;
    use crate::app::update::{on_jira, update};
    use crate::jira::models::Issue;
    use crate::jira::worker::{JiraEvent, JiraRequest, JiraResponse};
    use crate::state::search::IssueRow;

    fn state() -> State {
        let mut state = State::new("test");
        state.size = (160, 48);
        state.site_url = Some("https://acme.atlassian.net".parse().unwrap());
        state.search.rows = ["NAV-1", "NAV-2"]
            .iter()
            .map(|k| IssueRow {
                key: (*k).into(),
                ..IssueRow::default()
            })
            .collect();
        state
    }

    /// An issue whose parent is NAV-1, with sub-task NAV-3 and a "blocks" link to NAV-4.
    fn issue(key: &str) -> Issue {
        let linked = |k: &str| {
            json!({"id": "9", "key": k, "fields": {"summary": format!("About {k}"),
            "status": {"id": "1", "name": "To Do", "statusCategory": {"id": 2, "key": "new", "name": "To Do"}}}})
        };
        serde_json::from_value(json!({
            "id": "1", "key": key,
            "fields": {
                "summary": format!("Summary of {key}"),
                "description": {"type": "doc", "version": 1, "content": (0..80).map(|i| json!(
                    {"type": "paragraph", "content": [{"type": "text", "text": format!("line {i}")}]}
                )).collect::<Vec<_>>()},
                "parent": linked("NAV-1"),
                "subtasks": [linked("NAV-3")],
                "issuelinks": [{"id": "5", "type": {"id": "1", "name": "Blocks", "inward": "is blocked by", "outward": "blocks"},
                                "outwardIssue": linked("NAV-4")}]
            }
        }))
        .unwrap()
    }

    /// Answers every Jira request in `effects` as the server would, with no comments.
    fn answer_all(state: &mut State, effects: Vec<Effect>) {
        for effect in effects {
            let Effect::Jira(cmd) = effect else { continue };
            let response = match cmd.request {
                JiraRequest::Issue { key } => JiraResponse::Issue(Box::new(issue(&key))),
                JiraRequest::Comments { .. } => JiraResponse::Comments(Default::default()),
                other => panic!("unexpected request {other:?}"),
            };
            let more = on_jira(
                state,
                JiraEvent {
                    id: cmd.id,
                    result: Ok(response),
                },
            );
            // Only the view cache's save, once the view has settled.
            assert!(more.iter().all(|e| *e == Effect::SaveView), "{more:?}");
        }
    }

    fn opened(effects: &[Effect]) -> Option<&str> {
        effects.iter().find_map(|e| match e {
            Effect::Jira(cmd) => match &cmd.request {
                JiraRequest::Issue { key } => Some(key.as_str()),
                _ => None,
            },
            _ => None,
        })
    }

    #[test]
    fn following_links_and_coming_back_round_trips_with_scroll() {
        let mut state = state();
        state.focus = Pane::Results;
        update(&mut state, Action::Down);
        let effects = update(&mut state, Action::Select);
        assert_eq!(opened(&effects), Some("NAV-2"));
        answer_all(&mut state, effects);
        let related: Vec<&str> = state
            .issue
            .detail
            .as_ref()
            .unwrap()
            .related
            .iter()
            .map(|r| r.relation.as_str())
            .collect();
        assert_eq!(related, ["Parent", "Sub-task", "blocks"]);

        // Scroll down a bit, then highlight the link (third related) and follow it.
        for _ in 0..5 {
            update(&mut state, Action::Down);
        }
        let scrolled = state.issue.scroll.get();
        assert!(scrolled > 0);
        update(&mut state, Action::PrevRelated);
        assert_eq!(state.issue.selected_related().unwrap().key, "NAV-4");
        let effects = update(&mut state, Action::Select);
        assert_eq!(opened(&effects), Some("NAV-4"));
        answer_all(&mut state, effects);
        assert_eq!(state.issue.key.as_deref(), Some("NAV-4"));
        assert_eq!(
            state.issue.related_selected, None,
            "a new issue starts unhighlighted"
        );
        assert_eq!(state.nav.depth(), (1, 0));

        // Back: NAV-2 again, where it was left.
        let effects = update(&mut state, Action::NavBack);
        assert_eq!(opened(&effects), Some("NAV-2"));
        assert_eq!(state.issue.scroll.get(), 0, "restored only once loaded");
        answer_all(&mut state, effects);
        assert_eq!(state.issue.scroll.get(), scrolled);
        assert_eq!(state.nav.depth(), (0, 1));

        // Forward: NAV-4; then back with nothing behind returns focus to the results.
        let effects = update(&mut state, Action::NavForward);
        assert_eq!(opened(&effects), Some("NAV-4"));
        answer_all(&mut state, effects);
        update(&mut state, Action::NavBack);
        let effects = update(&mut state, Action::NavBack);
        assert!(effects.is_empty());
        assert_eq!(state.focus, Pane::Results);
        assert!(
            update(&mut state, Action::NavForward)
                .iter()
                .any(|e| matches!(e, Effect::Jira(_)))
        );
    }

    #[test]
    fn the_related_highlight_wraps_and_scrolls_into_view() {
        let mut state = state();
        state.size = (160, 12);
        let effects = open(&mut state, "NAV-2");
        answer_all(&mut state, effects);
        update(&mut state, Action::NextRelated);
        assert_eq!(state.issue.related_selected, Some(0));
        update(&mut state, Action::NextRelated);
        update(&mut state, Action::NextRelated);
        update(&mut state, Action::NextRelated);
        assert_eq!(state.issue.related_selected, Some(0), "wraps around");
        // Scrolled far away, the highlight brings its line back on screen.
        state.issue.scroll.set(60);
        update(&mut state, Action::NextRelated);
        let line = state.issue.lines.borrow().related_lines[1];
        let scroll = state.issue.scroll.get();
        assert!(
            scroll <= line && line < scroll + 3,
            "line {line} at scroll {scroll}"
        );
    }

    #[test]
    fn clicking_a_related_issue_highlights_then_opens_it() {
        let mut state = state();
        let effects = open(&mut state, "NAV-2");
        answer_all(&mut state, effects);
        layout_issue(&state);
        let line = state.issue.lines.borrow().related_lines[1];
        let area = areas(&state).issue;
        let y = area.y + 1 + u16::try_from(line).unwrap();
        assert!(update(&mut state, Action::Click(area.x + 5, y)).is_empty());
        assert_eq!(state.issue.related_selected, Some(1));
        let effects = update(&mut state, Action::Click(area.x + 5, y));
        assert_eq!(opened(&effects), Some("NAV-3"));
        // A click on plain text does nothing.
        assert!(update(&mut state, Action::Click(area.x + 5, area.y + 1)).is_empty());
    }

    #[test]
    fn the_history_tab_keeps_its_own_scroll() {
        let mut state = state();
        let effects = open(&mut state, "NAV-2");
        answer_all(&mut state, effects);
        state.issue.scroll.set(7);
        update(&mut state, Action::ToggleHistory);
        assert_eq!(state.issue.tab, IssueTab::History);
        assert_eq!(state.issue.scroll.get(), 0);
        state.issue.scroll.set(2);
        update(&mut state, Action::ToggleHistory);
        assert_eq!(state.issue.tab, IssueTab::Details);
        assert_eq!(state.issue.scroll.get(), 7);
    }

    #[test]
    fn jump_checks_the_key_before_sending() {
        let mut state = state();
        let effects = open(&mut state, "NAV-2");
        answer_all(&mut state, effects);
        update(&mut state, Action::JumpToIssue);
        for c in "nav 12".chars() {
            update(&mut state, Action::Input(InputEdit::Insert(c)));
        }
        let effects = update(&mut state, Action::Input(InputEdit::Submit));
        assert!(effects.is_empty(), "nothing is sent for a malformed key");
        let prompt = state.jump.as_ref().unwrap();
        assert!(prompt.error.as_deref().unwrap().contains("PROJ-123"));
        update(&mut state, Action::Input(InputEdit::Home));
        for _ in 0..3 {
            update(&mut state, Action::Input(InputEdit::Right));
        }
        update(&mut state, Action::Input(InputEdit::Delete));
        assert_eq!(
            state.jump.as_ref().unwrap().error,
            None,
            "editing clears it"
        );
        update(&mut state, Action::Input(InputEdit::Insert('-')));
        let effects = update(&mut state, Action::Input(InputEdit::Submit));
        assert_eq!(opened(&effects), Some("NAV-12"));
        assert!(state.jump.is_none());
        assert_eq!(state.focus, Pane::Issue);
        assert_eq!(state.nav.depth(), (1, 0), "the issue left is remembered");
        // Esc closes the prompt without doing anything.
        update(&mut state, Action::JumpToIssue);
        assert!(update(&mut state, Action::Input(InputEdit::Cancel)).is_empty());
        assert!(state.jump.is_none());
    }

    #[test]
    fn zoom_gives_the_focused_pane_the_screen() {
        let mut state = state();
        state.focus = Pane::Results;
        update(&mut state, Action::ToggleZoom);
        assert!(state.zoomed);
        let full = areas(&state).results;
        assert_eq!((full.width, full.height), (160, 46));
        // Zoom follows focus; a click lands in the zoomed pane.
        update(&mut state, Action::FocusNext);
        assert_eq!(areas(&state).issue.width, 160);
        update(&mut state, Action::Click(10, 20));
        assert_eq!(state.focus, Pane::Issue);
        update(&mut state, Action::ToggleZoom);
        assert!(!state.zoomed);
        assert!(areas(&state).issue.width < 160);
    }

    #[test]
    fn browser_and_copy_act_on_the_selection_or_the_open_issue() {
        let mut state = state();
        state.focus = Pane::Results;
        update(&mut state, Action::Down);
        assert_eq!(
            update(&mut state, Action::OpenInBrowser),
            [Effect::OpenBrowser(
                "https://acme.atlassian.net/browse/NAV-2".into()
            )]
        );
        assert_eq!(
            update(&mut state, Action::CopyKey),
            [Effect::Copy("NAV-2".into())]
        );
        assert_eq!(state.message.as_ref().unwrap().text, "Copied NAV-2");
        let effects = open(&mut state, "NAV-7");
        answer_all(&mut state, effects);
        assert_eq!(
            update(&mut state, Action::CopyUrl),
            [Effect::Copy(
                "https://acme.atlassian.net/browse/NAV-7".into()
            )]
        );
        state.site_url = None;
        assert!(update(&mut state, Action::OpenInBrowser).is_empty());
        assert!(state.message.as_ref().unwrap().is_error);
    }
}
