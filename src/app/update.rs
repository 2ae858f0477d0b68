//! `update`: the one place state changes. Synchronous, no I/O, no clock, no terminal;
//! anything that must happen outside comes back as an `Effect`.

pub mod edit;
mod jql;
pub mod nav;
pub mod network;
pub mod prefetch;
pub mod revalidate;
pub mod sort;

use super::action::{Action, InputEdit};
use super::effect::Effect;
use crate::jira::client::CommentOrder;
use crate::jira::error::JiraError;
use crate::jira::worker::{JiraCommand, JiraEvent, JiraRequest, JiraResponse};
use crate::jql::{Direction, JqlBuilder};
use crate::state::input::InputOutcome;
use crate::state::issue::{COMMENTS_PAGE_SIZE, CommentItem, IssueDetail, IssueTab};
use crate::state::projects::ProjectItem;
use crate::state::search::{IssueRow, PAGE_SIZE};
use crate::state::{JqlBar, LoadStatus, Pane, State, TextInput};
use crate::ui::layout::{self, Areas};

/// The fields the default results columns need (`ResultsColumns::search_fields`).
pub const SEARCH_FIELDS: &[&str] = &[
    "issuetype",
    "priority",
    "status",
    "summary",
    "assignee",
    "updated",
];

/// Lines scrolled by one mouse wheel notch.
const WHEEL_LINES: usize = 3;
/// Start loading the next comments page this many lines before the end.
const COMMENTS_PREFETCH_LINES: usize = 10;

/// The JQL a project's issues are listed with.
pub fn project_jql(key: &str) -> String {
    JqlBuilder::new()
        .eq("project", key)
        .order_by("updated", Direction::Desc)
        .to_jql()
}

/// What to do when the app starts: who am I, which projects, and the first search
/// (and the open issue, when the view came from the cache).
pub fn init(state: &mut State, jql: &str) -> Vec<Effect> {
    let mut effects = vec![command(state, JiraRequest::Myself)];
    effects.extend(load_projects(state));
    effects.extend(revalidate::search(state, jql));
    effects.extend(revalidate::issue(state));
    effects
}

fn command(state: &mut State, request: JiraRequest) -> Effect {
    Effect::Jira(JiraCommand {
        id: state.next_id(),
        request,
    })
}

fn load_projects(state: &mut State) -> Vec<Effect> {
    let effect = command(state, JiraRequest::Projects);
    if let Effect::Jira(cmd) = &effect {
        state.projects.status = LoadStatus::Loading(cmd.id);
    }
    vec![effect]
}

/// Runs `jql` from its first page, replacing the results.
pub fn start_search(state: &mut State, jql: String) -> Vec<Effect> {
    // A query may come from anywhere (`--jql`, the config, the history file, a paste):
    // no control or invisible character is ever part of a real one.
    let jql = crate::sanitize::sanitize_line(&jql).into_owned();
    let id = state.next_id();
    let count_id = state.next_id();
    // A new search makes the last message (often the old search's error) stale.
    state.message = None;
    state.stale.results = false;
    state.search.jql = jql.clone();
    state.search.status = LoadStatus::Loading(id);
    state.search.rows.clear();
    state.search.next_page_token = None;
    state.search.page_request = None;
    state.search.count = None;
    state.search.count_request = Some(count_id);
    state.search.selected = 0;
    state.search.offset.set(0);
    state.search.follow_end = false;
    vec![
        Effect::Jira(JiraCommand {
            id,
            request: JiraRequest::Search {
                jql: jql.clone(),
                fields: state.search.columns.search_fields(),
                page_token: None,
                max_results: PAGE_SIZE,
            },
        }),
        Effect::Jira(JiraCommand {
            id: count_id,
            request: JiraRequest::Count { jql },
        }),
    ]
}

fn next_page(state: &mut State) -> Vec<Effect> {
    if !state.search.wants_next_page() {
        return Vec::new();
    }
    let id = state.next_id();
    state.search.page_request = Some(id);
    vec![Effect::Jira(JiraCommand {
        id,
        request: JiraRequest::Search {
            jql: state.search.jql.clone(),
            fields: state.search.columns.search_fields(),
            page_token: state.search.next_page_token.clone(),
            max_results: PAGE_SIZE,
        },
    })]
}

/// Opens `key` in the issue pane: the issue and its first comments load side by side
/// (or come from a prefetch).
pub fn open_issue(state: &mut State, key: &str) -> Vec<Effect> {
    revalidate::leave_issue(state);
    let issue = &mut state.issue;
    issue.key = Some(key.to_owned());
    issue.scroll.set(0);
    issue.tab = IssueTab::Details;
    issue.other_tab_scroll = 0;
    issue.related_selected = None;
    issue.pending_scroll = None;
    if let Some(effects) = prefetch::open(state, key) {
        return effects;
    }
    let id = state.next_id();
    state.issue.status = LoadStatus::Loading(id);
    let mut effects = vec![Effect::Jira(JiraCommand {
        id,
        request: JiraRequest::Issue {
            key: key.to_owned(),
        },
    })];
    effects.extend(load_comments(state, 0));
    effects
}

fn load_comments(state: &mut State, start_at: u32) -> Vec<Effect> {
    let Some(key) = state.issue.key.clone() else {
        return Vec::new();
    };
    let id = state.next_id();
    state.issue.comments_request = Some(id);
    if start_at == 0 {
        state.issue.comments.clear();
        state.issue.comments_total = 0;
        state.issue.comments_error = None;
        state.issue.touch();
    }
    vec![Effect::Jira(JiraCommand {
        id,
        request: JiraRequest::Comments {
            key,
            start_at,
            max_results: COMMENTS_PAGE_SIZE,
            order: state.issue.comment_order,
        },
    })]
}

fn areas(state: &State) -> Areas {
    layout::areas_zoomed(
        state.size.0,
        state.size.1,
        state.zoomed.then_some(state.focus),
    )
}

/// Rows a page key moves in a pane: its inner height, at least one.
fn page_rows(state: &State, pane: Pane) -> usize {
    let area = areas(state).pane(pane);
    usize::from(area.height.saturating_sub(3)).max(1)
}

pub fn update(state: &mut State, action: Action) -> Vec<Effect> {
    // Pasted text may come from a web page (Jira's own included): every field it lands
    // in is one line, and no control or invisible character belongs in any of them.
    // The rich-text editor keeps the lines (its text area sanitises what it inserts).
    let action = match action {
        Action::Paste(text) if state.edit.takes_lines() => Action::Paste(text),
        Action::Paste(text) => Action::Paste(crate::sanitize::sanitize_line(&text).into_owned()),
        other => other,
    };
    if state.edit.is_open() {
        match action {
            Action::EditorKey(key) => return edit::on_key(state, key),
            Action::DraftDue(revision) => return edit::rich::draft_due(state, revision),
            Action::ExternalEdited(result) => return edit::rich::external_done(state, result),
            Action::Paste(text) => return edit::on_paste(state, &text),
            // The panes behind a popup are not the user's target: a click there must not
            // open another issue under the editor (a comment would then show on it).
            Action::Click(..) => return Vec::new(),
            // The wheel moves through the popup's list or text, a step per notch.
            Action::Scroll(_, _, delta) => {
                let code = if delta < 0 {
                    crossterm::event::KeyCode::Up
                } else {
                    crossterm::event::KeyCode::Down
                };
                let key = crate::config::keymap::KeyBinding {
                    code,
                    modifiers: crossterm::event::KeyModifiers::NONE,
                };
                return edit::on_key(state, key);
            }
            _ => {}
        }
    }
    let action = match jql::intercept(state, action) {
        Ok(effects) => return effects,
        Err(action) => action,
    };
    match action {
        Action::Quit => return vec![Effect::Quit],
        Action::ToggleHelp => {
            state.show_help = !state.show_help;
            state.help_scroll.set(0);
        }
        Action::Up
        | Action::Down
        | Action::PageUp
        | Action::PageDown
        | Action::Top
        | Action::Bottom
            if state.show_help =>
        {
            scroll_help(state, &action);
        }
        Action::Tick => state.spinner_frame = state.spinner_frame.wrapping_add(1),
        Action::Resize(w, h) => state.size = (w, h),
        Action::FocusNext => state.focus = state.focus.next(),
        Action::FocusPrev => state.focus = state.focus.prev(),
        Action::Up => return move_by(state, -1),
        Action::Down => return move_by(state, 1),
        Action::PageUp => {
            let rows = page_rows(state, state.focus) as isize;
            return move_by(state, -rows);
        }
        Action::PageDown => {
            let rows = page_rows(state, state.focus) as isize;
            return move_by(state, rows);
        }
        Action::Top => return move_by(state, isize::MIN / 2),
        Action::Bottom => {
            let effects = move_by(state, isize::MAX / 2);
            // Jira pages by token, so the real end is reached by loading every page:
            // keep following the last row while they stream in.
            if state.focus == Pane::Results && state.search.next_page_token.is_some() {
                state.search.follow_end = true;
            }
            return effects;
        }
        Action::Select => return select(state),
        Action::Back => back(state),
        Action::OpenJql => {
            state.show_help = false;
            state.jql_bar = Some(JqlBar {
                input: TextInput::new(&state.search.jql),
            });
        }
        Action::Refresh => return refresh(state),
        Action::ToggleCommentOrder => {
            state.issue.comment_order = match state.issue.comment_order {
                CommentOrder::OldestFirst => CommentOrder::NewestFirst,
                CommentOrder::NewestFirst => CommentOrder::OldestFirst,
            };
            return load_comments(state, 0);
        }
        Action::MoreComments => return more_comments(state),
        // Results, issue detail, navigation and everyday keys (ui4b).
        Action::SortNext => return sort::sort_next(state),
        Action::SortFlip => return sort::sort_flip(state),
        Action::ToggleHistory => nav::toggle_history(state),
        Action::NextRelated => nav::move_related(state, 1),
        Action::PrevRelated => nav::move_related(state, -1),
        Action::NavBack => return nav::back(state),
        Action::NavForward => return nav::forward(state),
        Action::JumpToIssue => nav::open_jump(state),
        Action::ToggleZoom => state.zoomed = !state.zoomed,
        Action::OpenInBrowser => return nav::open_in_browser(state),
        Action::CopyKey => return nav::copy_key(state),
        Action::CopyUrl => return nav::copy_url(state),
        Action::Input(edit) if state.jump.is_some() => return nav::jump_input(state, edit),
        Action::Input(edit) => return input(state, edit),
        Action::Paste(text) => {
            if let Some(prompt) = &mut state.jump {
                prompt.input.insert_str(&text);
            } else if let Some(bar) = &mut state.jql_bar {
                bar.input.insert_str(&text);
            } else if state.focus == Pane::Projects {
                state.projects.filter.insert_str(&text);
                state.projects.selected = 0;
            }
        }
        Action::Click(x, y) => return click(state, x, y),
        Action::Scroll(x, y, delta) => {
            if let Some(pane) = areas(state).pane_at(x, y) {
                state.focus = pane;
                let lines = if pane == Pane::Issue {
                    WHEEL_LINES as isize
                } else {
                    1
                };
                return move_by(state, lines * isize::from(delta));
            }
        }
        ours @ (Action::Complete
        | Action::CompletePrev
        | Action::OpenFilters
        | Action::FilterMine
        | Action::FilterReported
        | Action::FilterRecent
        | Action::FilterUnassigned
        | Action::CompletionDue(_)) => return jql::update(state, ours),
        Action::PrefetchDue(id) => return prefetch::due(state, id),
        Action::EditField => return edit::open_menu(state),
        Action::AssignToMe => return edit::assign(state, true),
        Action::Unassign => return edit::assign(state, false),
        Action::AddComment => return edit::rich::open_comment(state),
        Action::ListComments => return edit::rich::open_comments(state),
        Action::EditDescription => return edit::rich::open_description(state),
        Action::Transition => return edit::transition::open(state),
        Action::ToggleMark => return edit::bulk::toggle_mark(state),
        Action::MarkRange => edit::bulk::mark_range(state),
        Action::ClearMarks => edit::bulk::clear_marks(state),
        Action::Bulk => return edit::bulk::open(state),
        Action::PickAssignee => return edit::open_field(state, "assignee"),
        Action::EditPriority => return edit::open_field(state, "priority"),
        Action::CreateIssue => return edit::create::open(state, false),
        Action::CreateSubtask => return edit::create::open(state, true),
        Action::EditorDue(id) => return edit::pick::on_due(state, id),
        // An editor closed between the key and its action: nothing to do.
        Action::EditorKey(_) => {}
        Action::DraftDue(revision) => return edit::rich::draft_due(state, revision),
        // The editor closed while $EDITOR ran: nothing to put the text in.
        Action::ExternalEdited(_) => {}
    }
    Vec::new()
}

/// Moves the help overlay; drawing clamps it to the text's length.
fn scroll_help(state: &State, action: &Action) {
    let page = usize::from(state.size.1.saturating_sub(4)).max(1);
    let scroll = state.help_scroll.get();
    state.help_scroll.set(match action {
        Action::Up => scroll.saturating_sub(1),
        Action::Down => scroll + 1,
        Action::PageUp => scroll.saturating_sub(page),
        Action::PageDown => scroll + page,
        Action::Top => 0,
        _ => usize::MAX / 2,
    });
}

fn back(state: &mut State) {
    if state.show_help {
        state.show_help = false;
    } else if state.jql_bar.is_some() {
        state.jql_bar = None;
    } else if state.focus == Pane::Projects && !state.projects.filter.is_empty() {
        state.projects.filter = TextInput::default();
        state.projects.selected = 0;
    } else if state.focus == Pane::Results && !state.edit.marked.is_empty() {
        edit::bulk::clear_marks(state);
    } else if state.focus == Pane::Issue {
        state.focus = Pane::Results;
    }
}

fn refresh(state: &mut State) -> Vec<Effect> {
    // Reload means fresh data: nothing fetched ahead is used after it.
    state.prefetch.clear();
    match state.focus {
        Pane::Projects => load_projects(state),
        Pane::Results => {
            let jql = state.search.jql.clone();
            start_search(state, jql)
        }
        Pane::Issue => match state.issue.key.clone() {
            Some(key) => open_issue(state, &key),
            None => Vec::new(),
        },
    }
}

fn more_comments(state: &mut State) -> Vec<Effect> {
    if state.issue.comments_request.is_some() || !state.issue.has_more_comments() {
        return Vec::new();
    }
    let start = u32::try_from(state.issue.comments.len()).unwrap_or(u32::MAX);
    load_comments(state, start)
}

fn clamp_add(value: usize, delta: isize, len: usize) -> usize {
    if len == 0 {
        return 0;
    }
    let moved = if delta < 0 {
        value.saturating_sub(delta.unsigned_abs())
    } else {
        value.saturating_add(delta.unsigned_abs())
    };
    moved.min(len - 1)
}

fn move_by(state: &mut State, delta: isize) -> Vec<Effect> {
    match state.focus {
        Pane::Projects => {
            let len = state.projects.visible().len();
            state.projects.selected = clamp_add(state.projects.selected, delta, len);
            Vec::new()
        }
        Pane::Results => {
            let len = state.search.rows.len();
            state.search.selected = clamp_add(state.search.selected, delta, len);
            state.search.follow_end = false;
            results_moved(state)
        }
        Pane::Issue => {
            nav::layout_issue(state);
            let total = state.issue.lines.borrow().lines.len();
            let view = page_rows(state, Pane::Issue);
            let max_scroll = total.saturating_sub(view);
            let scroll = clamp_add(state.issue.scroll.get(), delta, max_scroll + 1);
            state.issue.scroll.set(scroll);
            if scroll + view + COMMENTS_PREFETCH_LINES >= total {
                more_comments(state)
            } else {
                Vec::new()
            }
        }
    }
}

/// The results cursor moved: the next page if it is near, and the prefetch timer.
fn results_moved(state: &mut State) -> Vec<Effect> {
    let mut effects = next_page(state);
    effects.extend(prefetch::schedule(state));
    effects
}

fn select(state: &mut State) -> Vec<Effect> {
    match state.focus {
        Pane::Projects => {
            let Some(project) = state.projects.selected_item() else {
                return Vec::new();
            };
            let key = project.key.clone();
            state.projects.active = Some(key.clone());
            state.focus = Pane::Results;
            start_search(state, project_jql(&key))
        }
        Pane::Results => {
            let Some(row) = state.search.selected_row() else {
                return Vec::new();
            };
            let key = row.key.clone();
            nav::open(state, &key)
        }
        Pane::Issue => nav::open_related(state),
    }
}

fn input(state: &mut State, edit: InputEdit) -> Vec<Effect> {
    if let Some(bar) = &mut state.jql_bar {
        match bar.input.apply(edit) {
            InputOutcome::Submitted => {
                let jql = bar.input.text().trim().to_owned();
                state.jql_bar = None;
                state.projects.active = None;
                state.focus = Pane::Results;
                return start_search(state, jql);
            }
            InputOutcome::Cancelled => state.jql_bar = None,
            InputOutcome::Edited | InputOutcome::Moved => {}
        }
        return Vec::new();
    }
    if state.focus == Pane::Projects {
        match state.projects.filter.apply(edit) {
            InputOutcome::Submitted => return select(state),
            InputOutcome::Cancelled => state.projects.filter = TextInput::default(),
            InputOutcome::Edited => state.projects.selected = 0,
            InputOutcome::Moved => {}
        }
        state.projects.clamp_selection();
    }
    Vec::new()
}

fn click(state: &mut State, x: u16, y: u16) -> Vec<Effect> {
    let areas = areas(state);
    let Some(pane) = areas.pane_at(x, y) else {
        return Vec::new();
    };
    state.focus = pane;
    let area = areas.pane(pane);
    // Lists start below the border (and, for results, below the header row).
    let first_row = match pane {
        Pane::Projects => area.y + 1,
        Pane::Results => area.y + 2,
        // Below the top border: which line of the document was clicked.
        Pane::Issue if y > area.y => return nav::click_line(state, y - area.y - 1),
        Pane::Issue => return Vec::new(),
    };
    if y < first_row || y + 1 >= area.y + area.height {
        return Vec::new();
    }
    let row = usize::from(y - first_row);
    match pane {
        Pane::Projects => {
            let index = state.projects.offset.get() + row;
            if index < state.projects.visible().len() {
                let again = state.projects.selected == index;
                state.projects.selected = index;
                if again {
                    return select(state);
                }
            }
            Vec::new()
        }
        Pane::Results => {
            let index = state.search.offset.get() + row;
            if index < state.search.rows.len() {
                let again = state.search.selected == index;
                state.search.selected = index;
                if again {
                    return select(state);
                }
                return results_moved(state);
            }
            Vec::new()
        }
        Pane::Issue => Vec::new(),
    }
}

/// Applies a finished request. Answers to requests that were superseded are dropped.
pub fn on_jira(state: &mut State, event: JiraEvent) -> Vec<Effect> {
    let JiraEvent { id, result } = event;
    let view_answer = revalidate::is_view_answer(state, id);
    network::on_result(state, result.as_ref().err());
    let mut effects = match result {
        Ok(response) => on_response(state, id, response),
        Err(error) => {
            on_error(state, id, &error);
            // A bulk run goes on with its next issue after one failed.
            edit::bulk::resume(state)
        }
    };
    // The view settled: a good moment to remember it for the next start.
    if view_answer && !state.is_busy() {
        effects.push(Effect::SaveView);
    }
    effects
}

fn on_response(state: &mut State, id: u64, response: JiraResponse) -> Vec<Effect> {
    if edit::owns(state, id, &response) {
        return edit::on_response(state, id, response);
    }
    match response {
        JiraResponse::Myself(user) => {
            state.me = Some(crate::sanitize::sanitize_line(&user.display_name).into_owned());
            state.edit.my_account = Some(user.account_id.clone()).filter(|a| !a.is_empty());
        }
        JiraResponse::Projects(projects) => {
            if !state.projects.status.awaits(id) {
                return Vec::new();
            }
            state.projects.items = projects.iter().map(ProjectItem::from_project).collect();
            state.projects.status = LoadStatus::Idle;
            state.stale.projects = false;
            state.projects.clamp_selection();
        }
        JiraResponse::Search(page) => {
            if state.search.status.awaits(id) {
                let reselect = revalidate::take_stale_selection(state);
                let search = &mut state.search;
                search.status = LoadStatus::Idle;
                search.rows = page.issues.iter().map(IssueRow::from_issue).collect();
                search.next_page_token = page.next_page_token.filter(|_| !page.is_last);
                if search.rows.is_empty() {
                    let text = format!("No issues match: {}", search.jql);
                    state.info(text);
                }
                revalidate::reselect(state, reselect);
                // The cursor may already sit near the end of a short first page.
                return results_moved(state);
            }
            let search = &mut state.search;
            if search.page_request == Some(id) {
                search.page_request = None;
                search
                    .rows
                    .extend(page.issues.iter().map(IssueRow::from_issue));
                search.next_page_token = page.next_page_token.filter(|_| !page.is_last);
                if search.follow_end {
                    search.selected = search.rows.len().saturating_sub(1);
                    search.follow_end = search.next_page_token.is_some();
                }
                return next_page(state);
            }
        }
        JiraResponse::Count(count) => {
            if state.search.count_request == Some(id) {
                state.search.count_request = None;
                state.search.count = Some(count);
            }
        }
        JiraResponse::Issue(issue) => {
            if state.issue.status.awaits(id) {
                state.issue.status = LoadStatus::Idle;
                state.stale.issue = false;
                state.issue.detail = Some(IssueDetail::from_issue(&issue));
                state.issue.raw = Some(issue);
                state.issue.touch();
                nav::apply_pending_scroll(state);
            }
        }
        JiraResponse::Comments(page) => {
            if state.issue.comments_request == Some(id) {
                state.issue.comments_request = None;
                if std::mem::take(&mut state.stale.comments) {
                    state.issue.comments.clear();
                }
                state.issue.comments_total = page.total;
                state
                    .issue
                    .comments
                    .extend(page.comments.iter().map(CommentItem::from_comment));
                state.issue.touch();
                nav::apply_pending_scroll(state);
            }
        }
        ours @ (JiraResponse::AutocompleteData(_)
        | JiraResponse::Suggestions(_)
        | JiraResponse::Filters(_)) => return jql::on_response(state, id, ours),
        JiraResponse::Prefetched { issue, comments } => {
            prefetch::on_response(state, id, issue, &comments);
        }
        // Answers to editors that were closed or superseded.
        JiraResponse::EditMeta(_)
        | JiraResponse::Current(_)
        | JiraResponse::Transitions(_)
        | JiraResponse::Users(_)
        | JiraResponse::Labels(_)
        | JiraResponse::Sprints(_)
        | JiraResponse::Roles(_)
        | JiraResponse::Groups(_)
        | JiraResponse::Candidates(_)
        | JiraResponse::IssueTypes(_)
        | JiraResponse::CreateFields(_)
        | JiraResponse::Written
        | JiraResponse::Comment(_)
        | JiraResponse::Created(_) => {}
    }
    Vec::new()
}

/// A 401 in the middle of a session means the token stopped working (it worked to get
/// here, or the session could not have started): revoked, or past its expiry date. Unless
/// the gateway says a scope is missing, which is a different fix.
fn error_text(error: &JiraError) -> String {
    match error {
        JiraError::Unauthorized { messages }
            if !messages
                .iter()
                .any(|m| m.to_ascii_lowercase().contains("scope")) =>
        {
            "Jira no longer accepts the API token (401): it was revoked or has expired. \
             Create a new one, then run `jtui login --rotate`"
                .to_owned()
        }
        JiraError::Unauthorized { .. } => format!(
            "Jira refused the scoped API token (401): it lacks the {} scope. \
             Create one with it, then run `jtui login --rotate`",
            crate::jira::access::READ_SCOPE
        ),
        other => other.to_string(),
    }
}

fn on_error(state: &mut State, id: u64, error: &JiraError) {
    let text = crate::sanitize::sanitize_line(&error_text(error)).into_owned();
    if network::ends_session(error) {
        state.session_ended = Some(text.clone());
    }
    if jql::on_error(state, id, &text)
        || prefetch::on_error(state, id)
        || edit::on_error(state, id, error, &text)
    {
        return;
    }
    if state.projects.status.awaits(id) {
        state.projects.status = LoadStatus::Failed(text.clone());
    } else if state.search.status.awaits(id) {
        state.search.status = LoadStatus::Failed(text.clone());
    } else if state.search.page_request == Some(id) {
        state.search.page_request = None;
        state.search.follow_end = false;
        // Keep the token: the next cursor move tries the page again.
    } else if state.search.count_request == Some(id) {
        // The count is a nicety: a query the count endpoint refuses still lists.
        state.search.count_request = None;
        return;
    } else if state.issue.status.awaits(id) {
        state.issue.status = LoadStatus::Failed(text.clone());
    } else if state.issue.comments_request == Some(id) {
        state.issue.comments_request = None;
        state.issue.comments_error = Some(text.clone());
        state.issue.touch();
        nav::apply_pending_scroll(state);
    } else if matches!(error, JiraError::Unauthorized { .. }) {
        // `myself` failing is how a bad token shows first.
    } else {
        return;
    }
    state.error(text);
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::jira::models::{Issue, SearchPage};
    use crate::state::projects::ProjectItem;

    fn issue(key: &str, summary: &str) -> Issue {
        serde_json::from_value(json!({
            "id": "1", "key": key,
            "fields": {
                "summary": summary,
                "status": {"id": "3", "name": "In Progress",
                           "statusCategory": {"id": 4, "key": "indeterminate", "name": "In Progress", "colorName": "yellow"}},
                "issuetype": {"id": "1", "name": "Bug"},
                "priority": {"id": "2", "name": "High"},
                "assignee": {"accountId": "a1", "displayName": "Priya \u{1b}[31mNair"},
                "updated": "2026-11-20T16:04:05.000+0100"
            }
        }))
        .unwrap()
    }

    fn page(keys: std::ops::Range<usize>, next: Option<&str>) -> SearchPage {
        SearchPage {
            issues: keys
                .map(|n| issue(&format!("NAV-{n}"), &format!("Issue {n}")))
                .collect(),
            next_page_token: next.map(str::to_owned),
            is_last: next.is_none(),
            ..SearchPage::default()
        }
    }

    fn requests(effects: &[Effect]) -> Vec<&JiraCommand> {
        effects
            .iter()
            .filter_map(|e| match e {
                Effect::Jira(cmd) => Some(cmd),
                _ => None,
            })
            .collect()
    }

    fn search_id(effects: &[Effect]) -> u64 {
        requests(effects)
            .into_iter()
            .find(|c| matches!(c.request, JiraRequest::Search { .. }))
            .map(|c| c.id)
            .unwrap()
    }

    fn answer(state: &mut State, id: u64, response: JiraResponse) -> Vec<Effect> {
        on_jira(
            state,
            JiraEvent {
                id,
                result: Ok(response),
            },
        )
    }

    fn state() -> State {
        let mut state = State::new("test");
        state.size = (160, 48);
        state
    }

    #[test]
    fn init_asks_for_me_projects_search_and_count() {
        let mut state = state();
        let effects = init(&mut state, "project = NAV");
        let kinds: Vec<&JiraRequest> = requests(&effects).into_iter().map(|c| &c.request).collect();
        assert!(matches!(kinds[0], JiraRequest::Myself));
        assert!(matches!(kinds[1], JiraRequest::Projects));
        assert!(
            matches!(kinds[2], JiraRequest::Search { jql, page_token: None, fields, .. } if jql == "project = NAV" && fields == SEARCH_FIELDS)
        );
        assert!(matches!(kinds[3], JiraRequest::Count { jql } if jql == "project = NAV"));
        assert!(state.is_busy());
    }

    #[test]
    fn selecting_a_project_searches_its_issues_with_quoted_jql() {
        let mut state = state();
        state.projects.items = vec![
            ProjectItem {
                key: "NAV".into(),
                name: "Navigation".into(),
                kind: "software".into(),
            },
            ProjectItem {
                key: "AND".into(),
                name: "Reserved word".into(),
                kind: "software".into(),
            },
        ];
        state.focus = Pane::Projects;
        update(&mut state, Action::Down);
        let effects = update(&mut state, Action::Select);
        let id = search_id(&effects);
        assert_eq!(state.search.status, LoadStatus::Loading(id));
        assert_eq!(state.search.jql, "project = \"AND\" ORDER BY updated DESC");
        assert_eq!(state.focus, Pane::Results);
        assert_eq!(state.projects.active.as_deref(), Some("AND"));
    }

    #[test]
    fn results_arrive_sanitised_and_stale_answers_are_dropped() {
        let mut state = state();
        let first = search_id(&start_search(&mut state, "project = NAV".into()));
        let second = search_id(&start_search(&mut state, "project = WEB".into()));
        answer(&mut state, first, JiraResponse::Search(page(0..3, None)));
        assert!(
            state.search.rows.is_empty(),
            "an answer to a superseded search must be ignored"
        );
        answer(&mut state, second, JiraResponse::Search(page(0..3, None)));
        assert_eq!(state.search.rows.len(), 3);
        let row = &state.search.rows[0];
        assert_eq!(
            row.assignee, "Priya Nair",
            "escape sequences are dropped whole"
        );
        assert_eq!(row.updated, "2026-11-20 16:04");
        assert_eq!(
            row.category,
            crate::state::search::StatusCategory::InProgress
        );
    }

    #[test]
    fn scrolling_near_the_end_fetches_the_next_page_once() {
        let mut state = state();
        let id = search_id(&start_search(&mut state, "project = NAV".into()));
        answer(
            &mut state,
            id,
            JiraResponse::Search(page(0..50, Some("tok-2"))),
        );
        assert!(state.search.page_request.is_none());
        let mut fetches = Vec::new();
        for _ in 0..40 {
            for cmd in requests(&update(&mut state, Action::Down)) {
                fetches.push(cmd.clone());
            }
        }
        assert_eq!(fetches.len(), 1, "one page request while it is in flight");
        let JiraRequest::Search { page_token, .. } = &fetches[0].request else {
            panic!()
        };
        assert_eq!(page_token.as_deref(), Some("tok-2"));
        answer(
            &mut state,
            fetches[0].id,
            JiraResponse::Search(page(50..60, None)),
        );
        assert_eq!(state.search.rows.len(), 60);
        assert_eq!(state.search.rows[59].key, "NAV-59");
        assert!(state.search.next_page_token.is_none());
        assert!(requests(&update(&mut state, Action::Bottom)).is_empty());
        assert_eq!(state.search.selected, 59);
    }

    #[test]
    fn jql_bar_edits_then_runs_the_query() {
        let mut state = state();
        state.search.jql = "project = NAV".into();
        update(&mut state, Action::OpenJql);
        for c in " AND labels = perf".chars() {
            update(&mut state, Action::Input(InputEdit::Insert(c)));
        }
        let effects = update(&mut state, Action::Input(InputEdit::Submit));
        assert!(state.jql_bar.is_none());
        assert_eq!(state.search.jql, "project = NAV AND labels = perf");
        assert_eq!(requests(&effects).len(), 2);
        update(&mut state, Action::OpenJql);
        update(&mut state, Action::Input(InputEdit::Cancel));
        assert!(state.jql_bar.is_none());
        assert_eq!(state.search.jql, "project = NAV AND labels = perf");
    }

    #[test]
    fn a_failed_search_is_shown_and_stops_the_spinner() {
        let mut state = state();
        let effects = start_search(&mut state, "project = NAV AND".into());
        let id = search_id(&effects);
        let error = JiraError::Api {
            status: 400,
            messages: vec!["Error in the JQL Query: Expecting a field name.".into()],
            field_errors: Default::default(),
        };
        on_jira(
            &mut state,
            JiraEvent {
                id,
                result: Err(error),
            },
        );
        assert!(
            matches!(&state.search.status, LoadStatus::Failed(m) if m.contains("Expecting a field name"))
        );
        let message = state.message.as_ref().unwrap();
        assert!(message.is_error && message.text.contains("Expecting a field name"));
        // The count request is still out; answering it ends all activity.
        let count_id = state.search.count_request.unwrap();
        on_jira(
            &mut state,
            JiraEvent {
                id: count_id,
                result: Err(JiraError::Transport("x".into())),
            },
        );
        assert!(!state.is_busy());
    }

    #[test]
    fn opening_an_issue_loads_it_and_its_comments_together() {
        let mut state = state();
        let id = search_id(&start_search(&mut state, "project = NAV".into()));
        answer(&mut state, id, JiraResponse::Search(page(0..5, None)));
        update(&mut state, Action::Down);
        let effects = update(&mut state, Action::Select);
        let reqs = requests(&effects);
        assert!(matches!(&reqs[0].request, JiraRequest::Issue { key } if key == "NAV-1"));
        assert!(
            matches!(&reqs[1].request, JiraRequest::Comments { key, start_at: 0, .. } if key == "NAV-1")
        );
        assert_eq!(state.focus, Pane::Issue);
        let issue_id = reqs[0].id;
        answer(
            &mut state,
            issue_id,
            JiraResponse::Issue(Box::new(issue("NAV-1", "Lidar drops frames"))),
        );
        let detail = state.issue.detail.as_ref().unwrap();
        assert_eq!(detail.summary, "Lidar drops frames");
        assert!(
            detail
                .fields
                .iter()
                .any(|(l, v)| l == "Priority" && v == "High")
        );
        update(&mut state, Action::Back);
        assert_eq!(state.focus, Pane::Results);
    }

    #[test]
    fn project_filter_narrows_and_clears() {
        let mut state = state();
        state.projects.items = vec![
            ProjectItem {
                key: "NAV".into(),
                name: "Navigation".into(),
                kind: String::new(),
            },
            ProjectItem {
                key: "WEB".into(),
                name: "Customer portal".into(),
                kind: String::new(),
            },
        ];
        state.focus = Pane::Projects;
        for c in "port".chars() {
            update(&mut state, Action::Input(InputEdit::Insert(c)));
        }
        assert_eq!(state.projects.visible(), vec![1]);
        assert_eq!(state.projects.selected_item().unwrap().key, "WEB");
        update(&mut state, Action::Back);
        assert_eq!(state.projects.visible().len(), 2);
    }

    #[test]
    fn quit_is_an_effect() {
        assert_eq!(update(&mut state(), Action::Quit), vec![Effect::Quit]);
    }
}
