//! `update` for the JQL bar's helpers: completion (value suggestions debounced and
//! cached), history on Up/Down, the saved-filter picker and the quick filters.
//! `update.rs` reaches this through one-line hooks.

use std::cell::Cell;
use std::time::Duration;

use super::super::action::{Action, InputEdit};
use super::super::effect::Effect;
use crate::jira::worker::{JiraCommand, JiraRequest, JiraResponse, RequestId};
use crate::state::completion::{
    Popup, Reference, Suggestion, ValuesRequest, accept_edit, cache_key, candidates, context_at,
    values_query,
};
use crate::state::filters::{FilterItem, QuickFilter};
use crate::state::history::Step;
use crate::state::{LoadStatus, Pane, State, TextInput};

/// Typing must pause this long before value suggestions are requested.
pub const SUGGEST_DEBOUNCE: Duration = Duration::from_millis(150);
/// Suggestion answers kept per session before the cache starts over.
const VALUES_CACHE_MAX: usize = 1000;
/// Rows a page key moves in the filter picker.
const PICKER_PAGE_ROWS: isize = 10;

/// Why the popup is being recomputed; decides whether value suggestions are requested
/// now, after the debounce, or not at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Trigger {
    /// The user asked (Tab): request now, retry what failed.
    Open,
    /// The user typed: request after the debounce.
    Typing,
    /// An answer or the debounce timer came in: request now unless a timer is pending.
    Answer,
}

/// Sees every action first while the filter picker or the JQL bar is open; hands back
/// the ones it leaves to `update`.
pub(super) fn intercept(state: &mut State, action: Action) -> Result<Vec<Effect>, Action> {
    if state.filters.open {
        return picker(state, action);
    }
    if state.jql_bar.is_some() {
        return bar(state, action);
    }
    if action == Action::OpenJql {
        // A fresh bar: no walk through history, no popup from last time.
        state.history.walk = None;
        close_popup(state);
    }
    Err(action)
}

/// The actions of this module's own block in `Action`.
pub(super) fn update(state: &mut State, action: Action) -> Vec<Effect> {
    match action {
        Action::Complete => complete(state, 1),
        Action::CompletePrev => complete(state, -1),
        Action::OpenFilters => open_filters(state),
        Action::FilterMine => quick(state, QuickFilter::Mine),
        Action::FilterReported => quick(state, QuickFilter::Reported),
        Action::FilterRecent => quick(state, QuickFilter::Recent),
        Action::FilterUnassigned => quick(state, QuickFilter::Unassigned),
        Action::CompletionDue(id) => completion_due(state, id),
        _ => Vec::new(),
    }
}

fn command(state: &mut State, request: JiraRequest) -> (RequestId, Effect) {
    let id = state.next_id();
    (id, Effect::Jira(JiraCommand { id, request }))
}

// ---------------------------------------------------------------------------------
// The JQL bar

fn bar(state: &mut State, action: Action) -> Result<Vec<Effect>, Action> {
    match action {
        Action::Input(edit) => bar_input(state, edit),
        Action::Paste(text) => {
            if let Some(bar) = &mut state.jql_bar {
                bar.input.insert_str(&text);
            }
            Ok(after_edit(state))
        }
        Action::Up => Ok(up_down(state, -1)),
        Action::Down => Ok(up_down(state, 1)),
        Action::Back if state.completion.popup.is_some() => {
            close_popup(state);
            Ok(Vec::new())
        }
        Action::Click(..) | Action::Scroll(..) => {
            close_popup(state);
            Err(action)
        }
        other => Err(other),
    }
}

fn bar_input(state: &mut State, edit: InputEdit) -> Result<Vec<Effect>, Action> {
    match edit {
        InputEdit::Submit => {
            if state
                .completion
                .popup
                .as_ref()
                .is_some_and(|p| p.selected_item().is_some())
            {
                return Ok(accept(state));
            }
            close_popup(state);
            state.history.walk = None;
            let mut effects = Vec::new();
            let jql = state
                .jql_bar
                .as_ref()
                .map(|b| b.input.text().to_owned())
                .unwrap_or_default();
            if state.history.push(&jql) {
                effects.push(Effect::SaveHistory(state.history.entries().to_vec()));
            }
            effects.extend(super::input(state, InputEdit::Submit));
            Ok(effects)
        }
        InputEdit::Cancel => {
            if state.completion.popup.is_some() {
                close_popup(state);
                return Ok(Vec::new());
            }
            state.history.walk = None;
            Err(Action::Input(edit))
        }
        InputEdit::Left
        | InputEdit::Right
        | InputEdit::Home
        | InputEdit::End
        | InputEdit::WordLeft
        | InputEdit::WordRight => {
            // The popup belongs to the word it was opened on.
            close_popup(state);
            Err(Action::Input(edit))
        }
        InputEdit::Insert(_)
        | InputEdit::Backspace
        | InputEdit::Delete
        | InputEdit::DeleteWordBack
        | InputEdit::ClearToStart => {
            let mut effects = super::input(state, edit);
            effects.extend(after_edit(state));
            Ok(effects)
        }
    }
}

/// The text changed: editing leaves the history walk, and an open popup follows the
/// word being typed.
fn after_edit(state: &mut State) -> Vec<Effect> {
    state.history.walk = None;
    if state.completion.popup.is_some() {
        refresh(state, Trigger::Typing)
    } else {
        Vec::new()
    }
}

/// Up/Down: through the popup while it is open, through history otherwise.
fn up_down(state: &mut State, delta: isize) -> Vec<Effect> {
    if let Some(popup) = &mut state.completion.popup {
        popup.select_by(delta);
        return Vec::new();
    }
    let Some(bar) = &mut state.jql_bar else {
        return Vec::new();
    };
    match state.history.step(bar.input.text(), delta < 0) {
        Step::Entry(text) | Step::Draft(text) => bar.input = TextInput::new(&text),
        Step::Stay => {}
    }
    Vec::new()
}

fn close_popup(state: &mut State) {
    state.completion.popup = None;
    // A timer still running for the closed popup must not start a request.
    state.completion.debounce = None;
}

/// Tab / Ctrl-Space: open the popup (accepting at once when there is exactly one
/// candidate), or move through it.
fn complete(state: &mut State, delta: isize) -> Vec<Effect> {
    if state.jql_bar.is_none() {
        return Vec::new();
    }
    if let Some(popup) = &mut state.completion.popup {
        popup.select_by(delta);
        return Vec::new();
    }
    if delta < 0 {
        return Vec::new();
    }
    let effects = refresh(state, Trigger::Open);
    let single = state
        .completion
        .popup
        .as_ref()
        .is_some_and(|p| p.items.len() == 1 && !p.loading);
    if single {
        let mut effects = effects;
        effects.extend(accept(state));
        return effects;
    }
    effects
}

/// Replaces the word at the cursor with the selected candidate and closes the popup.
fn accept(state: &mut State) -> Vec<Effect> {
    let Some(popup) = state.completion.popup.take() else {
        return Vec::new();
    };
    state.completion.debounce = None;
    let (Some(item), Some(bar)) = (popup.selected_item(), &mut state.jql_bar) else {
        return Vec::new();
    };
    let (range, with) = accept_edit(bar.input.text(), &popup.context, item);
    bar.input.replace(range, &with);
    state.history.walk = None;
    Vec::new()
}

/// Recomputes the popup for the text and cursor now, asking Jira for what is missing:
/// the reference data (once per session) and value suggestions (cached per field and
/// prefix; debounced while typing).
fn refresh(state: &mut State, trigger: Trigger) -> Vec<Effect> {
    let Some(bar) = &state.jql_bar else {
        return Vec::new();
    };
    let ctx = context_at(bar.input.text(), bar.input.cursor_byte());
    let mut effects = Vec::new();

    let fetch_reference = match &state.completion.reference_status {
        LoadStatus::Idle => state.completion.reference.is_none(),
        LoadStatus::Failed(_) => trigger == Trigger::Open,
        LoadStatus::Loading(_) => false,
    };
    if fetch_reference {
        let (id, effect) = command(state, JiraRequest::AutocompleteData);
        state.completion.reference_status = LoadStatus::Loading(id);
        effects.push(effect);
    }
    let mut loading = state.completion.reference_status.is_loading();
    let mut error = match &state.completion.reference_status {
        LoadStatus::Failed(e) => Some(e.clone()),
        _ => None,
    };

    let query = state
        .completion
        .reference
        .as_ref()
        .and_then(|r| values_query(&ctx, r));
    let mut key = None;
    if let Some((field, prefix)) = query {
        let k = cache_key(&field, &prefix);
        if trigger == Trigger::Open {
            state.completion.values_errors.remove(&k);
        }
        let cached = state.completion.values.contains_key(&k);
        let failed = state.completion.values_errors.get(&k).cloned();
        let in_flight = state
            .completion
            .request
            .as_ref()
            .is_some_and(|r| r.key == k);
        if cached {
            // Nothing to wait for: a timer started for an earlier prefix is moot.
            state.completion.debounce = None;
        } else if failed.is_none() {
            loading = true;
            if !in_flight {
                let timer_pending = state.completion.debounce.is_some();
                match trigger {
                    Trigger::Typing => {
                        let id = state.next_id();
                        state.completion.debounce = Some(id);
                        effects.push(Effect::Debounce {
                            id,
                            delay: SUGGEST_DEBOUNCE,
                            action: Action::CompletionDue(id),
                        });
                    }
                    Trigger::Answer if timer_pending => {}
                    Trigger::Open | Trigger::Answer => {
                        state.completion.debounce = None;
                        effects.push(request_values(state, field, prefix, k.clone()));
                    }
                }
            }
        }
        if failed.is_some() {
            error = failed;
        }
        key = Some(k);
    }

    let completion = &state.completion;
    let values = key.as_ref().and_then(|k| completion.values_for(k));
    let items = candidates(&ctx, completion.reference.as_ref(), values);
    // Keep the highlighted candidate when the list is recomputed around it.
    let previous = completion
        .popup
        .as_ref()
        .and_then(|p| p.selected_item().cloned());
    let selected = previous
        .and_then(|prev| items.iter().position(|i| *i == prev))
        .unwrap_or(0);
    state.completion.popup = Some(Popup {
        context: ctx,
        items,
        selected,
        offset: Cell::new(0),
        loading,
        error,
    });
    effects
}

fn request_values(
    state: &mut State,
    field: String,
    prefix: String,
    key: (String, String),
) -> Effect {
    let (id, effect) = command(
        state,
        JiraRequest::Suggestions {
            field,
            value: prefix,
        },
    );
    state.completion.request = Some(ValuesRequest { id, key });
    effect
}

/// The debounce timer fired: only the latest one counts.
fn completion_due(state: &mut State, id: RequestId) -> Vec<Effect> {
    if state.completion.debounce != Some(id) {
        return Vec::new();
    }
    state.completion.debounce = None;
    if state.completion.popup.is_none() {
        return Vec::new();
    }
    refresh(state, Trigger::Answer)
}

// ---------------------------------------------------------------------------------
// Saved filters and quick filters

fn open_filters(state: &mut State) -> Vec<Effect> {
    state.show_help = false;
    let filters = &mut state.filters;
    filters.open = true;
    filters.query = TextInput::default();
    filters.selected = 0;
    filters.offset.set(0);
    // Filters change outside jtui; the old lists show while the new ones load.
    let (fav, fav_effect) = command(state, JiraRequest::FavouriteFilters);
    let (mine, mine_effect) = command(state, JiraRequest::MyFilters);
    state.filters.favourites.status = LoadStatus::Loading(fav);
    state.filters.mine.status = LoadStatus::Loading(mine);
    vec![fav_effect, mine_effect]
}

fn picker(state: &mut State, action: Action) -> Result<Vec<Effect>, Action> {
    let filters = &mut state.filters;
    match action {
        Action::Input(InputEdit::Submit) | Action::Select => return Ok(run_filter(state)),
        Action::Input(InputEdit::Cancel) | Action::Back => filters.open = false,
        Action::Input(edit) => {
            if filters.query.apply(edit) == crate::state::input::InputOutcome::Edited {
                filters.selected = 0;
            }
        }
        Action::Paste(text) => {
            filters.query.insert_str(&text);
            filters.selected = 0;
        }
        Action::Up => move_picker(state, -1),
        Action::Down => move_picker(state, 1),
        Action::PageUp => move_picker(state, -PICKER_PAGE_ROWS),
        Action::PageDown => move_picker(state, PICKER_PAGE_ROWS),
        Action::Top => state.filters.selected = 0,
        Action::Bottom => move_picker(state, isize::MAX / 2),
        // The picker is modal: the panes under it do not react.
        Action::Click(..) | Action::Scroll(..) => {}
        other => return Err(other),
    }
    state.filters.clamp_selection();
    Ok(Vec::new())
}

fn move_picker(state: &mut State, delta: isize) {
    let len = state.filters.visible().len();
    let filters = &mut state.filters;
    filters.selected = filters
        .selected
        .saturating_add_signed(delta)
        .min(len.saturating_sub(1));
}

fn run_filter(state: &mut State) -> Vec<Effect> {
    let Some(item) = state.filters.selected_item().cloned() else {
        return Vec::new();
    };
    let Some(jql) = item.jql else {
        state.error(format!("Filter \"{}\" has no JQL to run", item.name));
        return Vec::new();
    };
    state.filters.open = false;
    state.projects.active = None;
    state.focus = Pane::Results;
    let effects = super::start_search(state, jql);
    state.info(format!("Filter: {}", item.name));
    effects
}

/// The project a quick filter scopes to: the one picked in the projects pane, else the
/// selected issue's.
fn current_project(state: &State) -> Option<String> {
    state.projects.active.clone().or_else(|| {
        let row = state.search.selected_row()?;
        let (project, _) = row.key.rsplit_once('-')?;
        Some(project.to_owned()).filter(|p| !p.is_empty())
    })
}

fn quick(state: &mut State, filter: QuickFilter) -> Vec<Effect> {
    let project = match filter {
        QuickFilter::Unassigned => current_project(state),
        _ => None,
    };
    let Some(jql) = filter.jql(project.as_deref()) else {
        state.error("No project yet: pick one in the Projects pane or select one of its issues");
        return Vec::new();
    };
    if filter != QuickFilter::Unassigned {
        state.projects.active = None;
    }
    state.focus = Pane::Results;
    super::start_search(state, jql)
}

// ---------------------------------------------------------------------------------
// Answers

/// Applies an answer to one of this module's requests; stale ones are dropped.
pub(super) fn on_response(state: &mut State, id: RequestId, response: JiraResponse) -> Vec<Effect> {
    match response {
        JiraResponse::AutocompleteData(data) => {
            if !state.completion.reference_status.awaits(id) {
                return Vec::new();
            }
            state.completion.reference_status = LoadStatus::Idle;
            state.completion.reference = Some(Reference::from_data(&data));
        }
        JiraResponse::Suggestions(results) => {
            let Some(request) = state.completion.request.take_if(|r| r.id == id) else {
                return Vec::new();
            };
            let completion = &mut state.completion;
            if completion.values.len() >= VALUES_CACHE_MAX {
                completion.values.clear();
            }
            completion.values_errors.remove(&request.key);
            completion.values.insert(
                request.key,
                results.iter().map(Suggestion::from_api).collect(),
            );
        }
        JiraResponse::Filters(list) => {
            let filters = &mut state.filters;
            let target = if filters.favourites.status.awaits(id) {
                &mut filters.favourites
            } else if filters.mine.status.awaits(id) {
                &mut filters.mine
            } else {
                return Vec::new();
            };
            target.status = LoadStatus::Idle;
            target.items = list.iter().map(FilterItem::from_filter).collect();
            filters.clamp_selection();
            return Vec::new();
        }
        _ => return Vec::new(),
    }
    if state.completion.popup.is_some() {
        refresh(state, Trigger::Answer)
    } else {
        Vec::new()
    }
}

/// Applies a failure of one of this module's requests: it shows where it was asked
/// for (the popup, the picker). False when the id is not ours.
pub(super) fn on_error(state: &mut State, id: RequestId, text: &str) -> bool {
    if state.completion.reference_status.awaits(id) {
        state.completion.reference_status = LoadStatus::Failed(text.to_owned());
    } else if let Some(request) = state.completion.request.take_if(|r| r.id == id) {
        state
            .completion
            .values_errors
            .insert(request.key, text.to_owned());
    } else if state.filters.favourites.status.awaits(id) {
        state.filters.favourites.status = LoadStatus::Failed(text.to_owned());
        return true;
    } else if state.filters.mine.status.awaits(id) {
        state.filters.mine.status = LoadStatus::Failed(text.to_owned());
        return true;
    } else {
        return false;
    }
    if state.completion.popup.is_some() {
        // A failure never starts a request by itself, so there are no effects to run.
        let _ = refresh(state, Trigger::Answer);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jira::models::{
        AutocompleteField, AutocompleteFunction, AutocompleteSuggestion, Filter,
        JqlAutocompleteData, JqlSuggestion,
    };
    use crate::state::completion::Expect;
    use crate::state::search::IssueRow;

    fn state() -> State {
        let mut state = State::new("test");
        state.size = (160, 48);
        state
    }

    fn reference_data() -> JqlAutocompleteData {
        let field = |value: &str, ops: &[&str], auto: bool| AutocompleteField {
            value: value.into(),
            display_name: value.into(),
            orderable: true,
            searchable: true,
            auto,
            cfid: None,
            operators: ops.iter().map(|o| (*o).into()).collect(),
            types: vec!["user".into()],
        };
        JqlAutocompleteData {
            visible_field_names: vec![
                field("assignee", &["=", "!=", "in", "is"], true),
                field("summary", &["~", "!~"], false),
                field("status", &["=", "!=", "in"], true),
            ],
            visible_function_names: vec![AutocompleteFunction {
                value: "currentUser()".into(),
                display_name: "currentUser()".into(),
                is_list: false,
                types: vec!["user".into()],
            }],
            ..JqlAutocompleteData::default()
        }
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

    fn debounces(effects: &[Effect]) -> Vec<RequestId> {
        effects
            .iter()
            .filter_map(|e| match e {
                Effect::Debounce { id, delay, action } => {
                    assert_eq!(*delay, SUGGEST_DEBOUNCE);
                    assert_eq!(*action, Action::CompletionDue(*id));
                    Some(*id)
                }
                _ => None,
            })
            .collect()
    }

    fn type_text(state: &mut State, text: &str) -> Vec<Effect> {
        let mut effects = Vec::new();
        for c in text.chars() {
            effects.extend(super::super::update(
                state,
                Action::Input(InputEdit::Insert(c)),
            ));
        }
        effects
    }

    fn open_bar(state: &mut State, text: &str) {
        state.search.jql = text.into();
        super::super::update(state, Action::OpenJql);
    }

    fn bar_text(state: &State) -> &str {
        state.jql_bar.as_ref().unwrap().input.text()
    }

    /// Opens the popup with Tab and answers the reference-data request.
    fn tab_with_reference(state: &mut State) -> Vec<Effect> {
        let effects = super::super::update(state, Action::Complete);
        let cmds = jira(&effects);
        let data = cmds
            .iter()
            .find(|c| c.request == JiraRequest::AutocompleteData)
            .expect("reference data requested on first use")
            .id;
        super::super::on_jira(
            state,
            crate::jira::worker::JiraEvent {
                id: data,
                result: Ok(JiraResponse::AutocompleteData(Box::new(reference_data()))),
            },
        )
    }

    fn answer(state: &mut State, id: RequestId, response: JiraResponse) -> Vec<Effect> {
        super::super::on_jira(
            state,
            crate::jira::worker::JiraEvent {
                id,
                result: Ok(response),
            },
        )
    }

    fn suggestions(values: &[(&str, &str)]) -> JiraResponse {
        JiraResponse::Suggestions(
            values
                .iter()
                .map(|(v, d)| {
                    JqlSuggestion::from(AutocompleteSuggestion {
                        value: (*v).into(),
                        display_name: (*d).into(),
                    })
                })
                .collect(),
        )
    }

    #[test]
    fn tab_fetches_reference_data_once_then_offers_fields() {
        let mut state = state();
        open_bar(&mut state, "");
        type_text(&mut state, "sta");
        let effects = tab_with_reference(&mut state);
        assert!(jira(&effects).is_empty());
        let popup = state.completion.popup.as_ref().unwrap();
        assert_eq!(popup.context.expect, Expect::Field);
        assert_eq!(popup.items[0].insert, "status");
        // Enter accepts; the word is replaced and a space follows.
        super::super::update(&mut state, Action::Input(InputEdit::Submit));
        assert_eq!(bar_text(&state), "status ");
        assert!(state.jql_bar.is_some(), "accepting does not run the query");
        // The next Tab uses the cached data: operators for the field, no request.
        let effects = super::super::update(&mut state, Action::Complete);
        assert!(jira(&effects).is_empty(), "reference data is fetched once");
        let popup = state.completion.popup.as_ref().unwrap();
        let ops: Vec<&str> = popup.items.iter().map(|c| c.insert.as_str()).collect();
        assert_eq!(ops, ["=", "!=", "IN"]);
        // Down then Tab move the selection; Esc closes the popup only.
        super::super::update(&mut state, Action::Down);
        super::super::update(&mut state, Action::Complete);
        assert_eq!(state.completion.popup.as_ref().unwrap().selected, 2);
        super::super::update(&mut state, Action::Input(InputEdit::Cancel));
        assert!(state.completion.popup.is_none());
        assert_eq!(bar_text(&state), "status ");
        super::super::update(&mut state, Action::Complete);
        super::super::update(&mut state, Action::CompletePrev);
        super::super::update(&mut state, Action::Input(InputEdit::Submit));
        assert_eq!(bar_text(&state), "status IN ");
    }

    #[test]
    fn a_single_candidate_is_accepted_at_once() {
        let mut state = state();
        open_bar(&mut state, "");
        tab_with_reference(&mut state);
        super::super::update(&mut state, Action::Input(InputEdit::Cancel));
        type_text(&mut state, "summ");
        super::super::update(&mut state, Action::Complete);
        assert_eq!(bar_text(&state), "summary ");
        assert!(state.completion.popup.is_none());
        super::super::update(&mut state, Action::Complete);
        super::super::update(&mut state, Action::Input(InputEdit::Insert('!')));
        let popup = state.completion.popup.as_ref().unwrap();
        assert_eq!(popup.items[0].insert, "!~", "the popup follows typing");
    }

    #[test]
    fn value_suggestions_are_debounced_and_stale_timers_and_answers_ignored() {
        let mut state = state();
        open_bar(&mut state, "assignee = ");
        let effects = tab_with_reference(&mut state);
        // Tab asks right away for the empty prefix.
        let cmds = jira(&effects);
        assert_eq!(cmds.len(), 1);
        assert_eq!(
            cmds[0].request,
            JiraRequest::Suggestions {
                field: "assignee".into(),
                value: String::new()
            }
        );
        let first = cmds[0].id;
        assert!(state.completion.popup.as_ref().unwrap().loading);

        // Typing: each key restarts the timer; no request yet.
        let effects = type_text(&mut state, "pri");
        assert!(jira(&effects).is_empty());
        let timers = debounces(&effects);
        assert_eq!(timers.len(), 3);
        // Old timers firing do nothing.
        for stale in &timers[..2] {
            assert!(super::super::update(&mut state, Action::CompletionDue(*stale)).is_empty());
        }
        // The answer for the empty prefix comes while "pri" waits for its timer: it is
        // shown, filtered locally, until the answer for "pri" comes.
        answer(
            &mut state,
            first,
            suggestions(&[("acc-1", "Priya Nair"), ("acc-2", "Tomás Ortega")]),
        );
        let popup = state.completion.popup.as_ref().unwrap();
        assert_eq!(popup.items[0].label, "Priya Nair");
        assert!(popup.items.iter().all(|i| i.label != "Tomás Ortega"));
        assert!(popup.loading);
        // The latest timer sends exactly one request, for the whole prefix.
        let effects = super::super::update(&mut state, Action::CompletionDue(timers[2]));
        let cmds = jira(&effects);
        assert_eq!(cmds.len(), 1);
        assert_eq!(
            cmds[0].request,
            JiraRequest::Suggestions {
                field: "assignee".into(),
                value: "pri".into()
            }
        );
        let latest = cmds[0].id;
        // It fires only once.
        assert!(super::super::update(&mut state, Action::CompletionDue(timers[2])).is_empty());
        // An answer with another id is stale and dropped.
        answer(&mut state, latest + 100, suggestions(&[("x", "Stale")]));
        assert!(state.completion.popup.as_ref().unwrap().loading);
        answer(
            &mut state,
            latest,
            suggestions(&[("acc-1", "<b>Pri</b>ya Nair"), ("Sprint 4", "Sprint 4")]),
        );
        let popup = state.completion.popup.as_ref().unwrap();
        assert!(!popup.loading);
        let labels: Vec<&str> = popup.items.iter().map(|i| i.label.as_str()).collect();
        assert_eq!(
            labels,
            ["Priya Nair", "Sprint 4"],
            "the server's answer as it is"
        );
        // Backspace and retype: both prefixes are cached, nothing is asked again.
        let mut effects = super::super::update(&mut state, Action::Input(InputEdit::Backspace));
        effects.extend(type_text(&mut state, "i"));
        assert_eq!(debounces(&effects).len(), 1, "only \"pr\" is not cached");
        // Accepting quotes the value when needed.
        super::super::update(&mut state, Action::Down);
        super::super::update(&mut state, Action::Input(InputEdit::Submit));
        assert_eq!(bar_text(&state), "assignee = \"Sprint 4\" ");
    }

    #[test]
    fn closing_the_popup_makes_a_pending_timer_stale() {
        let mut state = state();
        open_bar(&mut state, "assignee = ");
        tab_with_reference(&mut state);
        let timers = debounces(&type_text(&mut state, "p"));
        super::super::update(&mut state, Action::Input(InputEdit::Cancel));
        assert!(super::super::update(&mut state, Action::CompletionDue(timers[0])).is_empty());
        assert!(state.jql_bar.is_some());
    }

    #[test]
    fn failures_show_in_the_popup_and_tab_retries() {
        let mut state = state();
        open_bar(&mut state, "sta");
        let effects = super::super::update(&mut state, Action::Complete);
        let id = jira(&effects)[0].id;
        super::super::on_jira(
            &mut state,
            crate::jira::worker::JiraEvent {
                id,
                result: Err(crate::jira::error::JiraError::Transport("offline".into())),
            },
        );
        let popup = state.completion.popup.as_ref().unwrap();
        assert!(popup.error.as_deref().unwrap().contains("offline"));
        assert!(
            state.message.is_none(),
            "shown in the popup, not the status line"
        );
        super::super::update(&mut state, Action::Input(InputEdit::Cancel));
        let effects = super::super::update(&mut state, Action::Complete);
        assert_eq!(jira(&effects)[0].request, JiraRequest::AutocompleteData);
    }

    #[test]
    fn history_walks_and_is_saved_on_submit() {
        let mut state = state();
        for q in ["project = A", "project = B"] {
            open_bar(&mut state, "");
            type_text(&mut state, q);
            let effects = super::super::update(&mut state, Action::Input(InputEdit::Submit));
            assert!(
                effects
                    .iter()
                    .any(|e| matches!(e, Effect::SaveHistory(h) if h[0] == q))
            );
            assert!(
                jira(&effects)
                    .iter()
                    .any(|c| matches!(&c.request, JiraRequest::Search { jql, .. } if jql == q))
            );
        }
        // The bar opens with the current query; Up skips it, Down restores the draft.
        super::super::update(&mut state, Action::OpenJql);
        type_text(&mut state, " AND x");
        super::super::update(&mut state, Action::Up);
        assert_eq!(bar_text(&state), "project = B");
        super::super::update(&mut state, Action::Up);
        assert_eq!(bar_text(&state), "project = A");
        super::super::update(&mut state, Action::Up);
        assert_eq!(bar_text(&state), "project = A");
        super::super::update(&mut state, Action::Down);
        super::super::update(&mut state, Action::Down);
        assert_eq!(bar_text(&state), "project = B AND x");
        // Re-running an old query moves it to the top instead of duplicating it.
        super::super::update(&mut state, Action::Up);
        super::super::update(&mut state, Action::Up);
        let effects = super::super::update(&mut state, Action::Input(InputEdit::Submit));
        let saved = effects.iter().find_map(|e| match e {
            Effect::SaveHistory(h) => Some(h.clone()),
            _ => None,
        });
        assert_eq!(saved.unwrap(), ["project = A", "project = B"]);
        // Running the same query again changes nothing to save.
        super::super::update(&mut state, Action::OpenJql);
        let effects = super::super::update(&mut state, Action::Input(InputEdit::Submit));
        assert!(!effects.iter().any(|e| matches!(e, Effect::SaveHistory(_))));
    }

    fn filter(id: &str, name: &str, jql: &str) -> Filter {
        Filter {
            id: id.into(),
            name: name.into(),
            jql: Some(jql.into()),
            ..Filter::default()
        }
    }

    #[test]
    fn the_filter_picker_loads_narrows_and_runs() {
        let mut state = state();
        let effects = super::super::update(&mut state, Action::OpenFilters);
        let cmds = jira(&effects);
        assert_eq!(cmds[0].request, JiraRequest::FavouriteFilters);
        assert_eq!(cmds[1].request, JiraRequest::MyFilters);
        assert!(state.filters.open && state.is_busy());
        answer(
            &mut state,
            cmds[0].id,
            JiraResponse::Filters(vec![filter("1", "Open bugs", "type = Bug")]),
        );
        super::super::on_jira(
            &mut state,
            crate::jira::worker::JiraEvent {
                id: cmds[1].id,
                result: Err(crate::jira::error::JiraError::Forbidden { messages: vec![] }),
            },
        );
        assert!(matches!(state.filters.mine.status, LoadStatus::Failed(_)));
        assert!(!state.is_busy());
        for c in "BUG".chars() {
            super::super::update(&mut state, Action::Input(InputEdit::Insert(c)));
        }
        assert_eq!(state.filters.visible().len(), 1);
        super::super::update(&mut state, Action::Down);
        let effects = super::super::update(&mut state, Action::Input(InputEdit::Submit));
        assert!(!state.filters.open);
        assert_eq!(state.search.jql, "type = Bug");
        assert_eq!(state.focus, Pane::Results);
        assert!(jira(&effects).len() == 2, "search and count");
        assert_eq!(state.message.as_ref().unwrap().text, "Filter: Open bugs");
        // Esc closes without running anything.
        super::super::update(&mut state, Action::OpenFilters);
        let effects = super::super::update(&mut state, Action::Input(InputEdit::Cancel));
        assert!(effects.is_empty() && !state.filters.open);
    }

    #[test]
    fn quick_filters_use_the_active_or_selected_project() {
        let mut state = state();
        let effects = super::super::update(&mut state, Action::FilterUnassigned);
        assert!(effects.is_empty());
        assert!(state.message.as_ref().unwrap().is_error);
        state.search.rows = vec![IssueRow {
            key: "WEB-12".into(),
            ..IssueRow::default()
        }];
        super::super::update(&mut state, Action::FilterUnassigned);
        assert_eq!(
            state.search.jql,
            "project = WEB AND assignee IS EMPTY AND statusCategory != Done ORDER BY updated DESC"
        );
        state.projects.active = Some("NAV".into());
        super::super::update(&mut state, Action::FilterUnassigned);
        assert!(state.search.jql.starts_with("project = NAV AND"));
        assert_eq!(state.projects.active.as_deref(), Some("NAV"));
        super::super::update(&mut state, Action::FilterMine);
        assert_eq!(
            state.search.jql,
            "assignee = currentUser() AND statusCategory != Done ORDER BY updated DESC"
        );
        assert_eq!(state.projects.active, None);
        super::super::update(&mut state, Action::FilterRecent);
        assert_eq!(state.search.jql, "updated >= -7d ORDER BY updated DESC");
        super::super::update(&mut state, Action::FilterReported);
        assert_eq!(
            state.search.jql,
            "reporter = currentUser() ORDER BY updated DESC"
        );
    }
}
