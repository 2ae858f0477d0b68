//! `update` for bulk changes: marking rows, the bulk menu, the reads a change needs
//! (issue by issue), and the run that sends one write per issue, one at a time.
//!
//! A bulk run has no conflict check: it changes one field (or the status) of many
//! issues, which the user chose knowingly; each write is still sent once and its
//! failure is reported per issue. Succeeded issues lose their mark, failed ones keep it
//! so the same change can be tried again on them alone.

use crossterm::event::KeyCode;

use super::pick::{self, PickStep};
use super::{Effect, command, is_cancel, send_write, show_change, show_status, target_key};
use crate::app::update::move_by;
use crate::config::keymap::KeyBinding;
use crate::jira::models::{FieldMeta, FieldSchema, Transition};
use crate::jira::worker::{JiraRequest, JiraResponse, RequestId};
use crate::jira::write::IssueUpdate;
use crate::state::edit::bulk::{
    BulkAction, BulkFetch, BulkJob, BulkMenu, BulkOutcome, BulkRun, BulkStep, Shown, labels_after,
};
use crate::state::edit::transition::{TransitionChoice, TransitionMenu};
use crate::state::edit::{Editor, PendingSave, PickField, UserScope};
use crate::state::fieldkind::{self, FieldKind, FieldValue};
use crate::state::picker::{Picker, PickerItem};
use crate::state::{Pane, State};

/// Space: marks or unmarks the highlighted row, then moves down (to mark the next).
pub fn toggle_mark(state: &mut State) -> Vec<Effect> {
    if state.focus != Pane::Results {
        return Vec::new();
    }
    let Some(key) = target_key(state) else {
        return Vec::new();
    };
    if !state.edit.marked.remove(&key) {
        state.edit.marked.insert(key);
    }
    state.edit.range_anchor = Some(state.search.selected);
    move_by(state, 1)
}

/// `V`: marks every row from the last mark (or the anchor) to the cursor.
pub fn mark_range(state: &mut State) {
    if state.focus != Pane::Results || state.search.rows.is_empty() {
        return;
    }
    let cursor = state.search.selected.min(state.search.rows.len() - 1);
    let anchor = state
        .edit
        .range_anchor
        .unwrap_or(cursor)
        .min(state.search.rows.len() - 1);
    let (from, to) = (anchor.min(cursor), anchor.max(cursor));
    for row in &state.search.rows[from..=to] {
        state.edit.marked.insert(row.key.clone());
    }
    state.edit.range_anchor = Some(cursor);
    state.info(format!("{} marked", state.edit.marked.len()));
}

/// Clears every mark.
pub fn clear_marks(state: &mut State) {
    let n = state.edit.marked.len();
    state.edit.marked.clear();
    state.edit.range_anchor = None;
    if n > 0 {
        state.info(format!("Cleared {n} marks"));
    }
}

/// The marked issues in the order of the results (marked ones no longer listed last).
pub fn marked_keys(state: &State) -> Vec<String> {
    let marked = &state.edit.marked;
    let mut keys: Vec<String> = state
        .search
        .rows
        .iter()
        .filter(|r| marked.contains(&r.key))
        .map(|r| r.key.clone())
        .collect();
    for key in marked {
        if !keys.contains(key) {
            keys.push(key.clone());
        }
    }
    keys
}

/// `b`: the bulk menu for the marked issues.
pub fn open(state: &mut State) -> Vec<Effect> {
    let keys = marked_keys(state);
    if keys.is_empty() {
        state.info("Mark issues first: Space marks a row, V a range");
        return Vec::new();
    }
    if !state.allow_write(&format!("change {} issues", keys.len())) {
        return Vec::new();
    }
    state.edit.editor = Some(Editor::Bulk(Box::new(BulkMenu {
        keys,
        step: BulkStep::Actions { selected: 0 },
        field_id: None,
    })));
    Vec::new()
}

pub fn menu_key(state: &mut State, mut menu: Box<BulkMenu>, key: KeyBinding) -> Vec<Effect> {
    match &mut menu.step {
        BulkStep::Actions { selected } => {
            if is_cancel(key) {
                return Vec::new();
            }
            let last = BulkAction::ALL.len() - 1;
            match key.code {
                KeyCode::Up | KeyCode::Char('k') => *selected = selected.saturating_sub(1),
                KeyCode::Down | KeyCode::Char('j') => *selected = (*selected + 1).min(last),
                KeyCode::Enter => {
                    let action = BulkAction::ALL[(*selected).min(last)];
                    return choose(state, menu, action);
                }
                _ => {}
            }
        }
        BulkStep::Pick { action, field } => {
            let action = *action;
            match pick::key(state, field, key) {
                PickStep::Continue(effects) => {
                    state.edit.editor = Some(Editor::Bulk(menu));
                    return effects;
                }
                PickStep::Cancelled => {
                    menu.step = BulkStep::Actions {
                        selected: action.index(),
                    };
                }
                PickStep::Chosen(items) => return picked(state, menu, action, items),
            }
        }
    }
    state.edit.editor = Some(Editor::Bulk(menu));
    Vec::new()
}

/// What was chosen in the bulk picker: the run that writes it to every marked issue.
/// Nothing chosen (no label checked) goes back to the menu.
fn picked(
    state: &mut State,
    mut menu: Box<BulkMenu>,
    action: BulkAction,
    items: Vec<PickerItem>,
) -> Vec<Effect> {
    let keys = menu.keys.clone();
    match action {
        BulkAction::Assignee => {
            // "Unassigned" answers no item: the run unassigns.
            let user = items.first();
            let account_id = user.map(|u| u.id.clone());
            let name = user.map_or_else(|| "Unassigned".to_owned(), |u| u.label.clone());
            let jobs = assign_jobs(&keys, account_id.as_deref(), &name);
            let title = match user {
                Some(_) => format!("Assignee: {name}"),
                None => "Unassign".to_owned(),
            };
            start(state, BulkRun::new(title, "Assigning".to_owned(), jobs))
        }
        BulkAction::Priority => {
            let Some(option) = items.into_iter().next() else {
                menu.step = BulkStep::Actions {
                    selected: action.index(),
                };
                state.edit.editor = Some(Editor::Bulk(menu));
                return Vec::new();
            };
            let jobs = set_jobs(&keys, "priority", &option.value, &option.label);
            let run = BulkRun::new(
                format!("Priority: {}", option.label),
                "Setting priority".to_owned(),
                jobs,
            );
            start(state, run)
        }
        BulkAction::AddLabels | BulkAction::RemoveLabels => {
            let labels: Vec<String> = items.into_iter().map(|i| i.id).collect();
            if labels.is_empty() {
                state.info("No label chosen: nothing changed");
                menu.step = BulkStep::Actions {
                    selected: action.index(),
                };
                state.edit.editor = Some(Editor::Bulk(menu));
                return Vec::new();
            }
            labels_run(state, &keys, action == BulkAction::AddLabels, labels)
        }
        BulkAction::Sprint => {
            let Some(field) = menu.field_id.clone() else {
                return Vec::new();
            };
            // "No sprint" answers no item: the run takes the issues out of the sprint.
            let sprint = items.first();
            let value = sprint.map_or(serde_json::Value::Null, |s| s.value.clone());
            let name = sprint.map_or_else(|| "No sprint".to_owned(), |s| s.label.clone());
            let jobs = set_jobs(&keys, &field, &value, &name);
            start(
                state,
                BulkRun::new(format!("Sprint: {name}"), "Moving".to_owned(), jobs),
            )
        }
        BulkAction::Transition | BulkAction::AssignToMe | BulkAction::Unassign => Vec::new(),
    }
}

/// One job per issue: `field` set to `value` with `PUT /issue`, shown as `label`.
fn set_jobs(keys: &[String], field: &str, value: &serde_json::Value, label: &str) -> Vec<BulkJob> {
    field_jobs(keys, field, label, |key| JiraRequest::EditIssue {
        key: key.to_owned(),
        update: IssueUpdate::new().set(field, value.clone()),
    })
}

/// One job per issue: assigned to `account_id` (nobody for `None`), shown as `label`.
fn assign_jobs(keys: &[String], account_id: Option<&str>, label: &str) -> Vec<BulkJob> {
    field_jobs(keys, "assignee", label, |key| JiraRequest::Assign {
        key: key.to_owned(),
        account_id: account_id.map(str::to_owned),
    })
}

/// One job per issue writing `field` with `write(key)`; the row and the detail pane
/// show `label` for it at once.
fn field_jobs(
    keys: &[String],
    field: &str,
    label: &str,
    write: impl Fn(&str) -> JiraRequest,
) -> Vec<BulkJob> {
    keys.iter()
        .map(|key| BulkJob {
            key: key.clone(),
            write: write(key),
            fields: vec![field.to_owned()],
            shown: Shown::Field {
                field: field.to_owned(),
                value: label.to_owned(),
            },
        })
        .collect()
}

/// The sprint picker of a bulk move: the open sprints of the first issue's project
/// boards, written to the field its editmeta calls the sprint.
fn sprint_picker(
    state: &mut State,
    fetch: BulkFetch,
    meta: &crate::jira::models::EditMeta,
) -> Vec<Effect> {
    let first = fetch.keys.first().cloned().unwrap_or_default();
    let Some((id, field_meta)) = meta
        .fields
        .iter()
        .find(|(_, m)| fieldkind::classify(m) == FieldKind::Sprint)
    else {
        state.error(format!(
            "Jira does not let you change the sprint of {first}"
        ));
        return Vec::new();
    };
    let picked = pick::pick_field(
        state,
        field_meta,
        FieldValue::Empty,
        Some(UserScope::Issue(first)),
    );
    let Some((field, effects)) = picked else {
        return Vec::new();
    };
    state.edit.editor = Some(Editor::Bulk(Box::new(BulkMenu {
        keys: fetch.keys,
        step: BulkStep::Pick {
            action: BulkAction::Sprint,
            field: Box::new(field),
        },
        field_id: Some(id.clone()),
    })));
    effects
}

/// Text pasted into the bulk picker's filter.
pub fn paste(state: &mut State, menu: &mut BulkMenu, text: &str) -> Vec<Effect> {
    match &mut menu.step {
        BulkStep::Pick { field, .. } => pick::paste(state, field, text),
        BulkStep::Actions { .. } => Vec::new(),
    }
}

/// The bulk menu showing a picker for `action`.
fn with_picker(
    state: &mut State,
    mut menu: Box<BulkMenu>,
    action: BulkAction,
    picked: Option<(PickField, Vec<Effect>)>,
) -> Vec<Effect> {
    let Some((field, effects)) = picked else {
        return Vec::new();
    };
    menu.step = BulkStep::Pick {
        action,
        field: Box::new(field),
    };
    state.edit.editor = Some(Editor::Bulk(menu));
    effects
}

/// A system field's metadata, for the pickers of fields the bulk menu changes without
/// reading editmeta first (labels, the assignee).
fn system_meta(id: &str, name: &str, kind: &str, items: Option<&str>) -> FieldMeta {
    FieldMeta {
        key: Some(id.to_owned()),
        name: name.to_owned(),
        schema: Some(FieldSchema {
            kind: kind.to_owned(),
            items: items.map(str::to_owned),
            system: Some(id.to_owned()),
            ..FieldSchema::default()
        }),
        operations: vec!["set".to_owned(), "add".to_owned(), "remove".to_owned()],
        ..FieldMeta::default()
    }
}

fn labels_run(state: &mut State, keys: &[String], add: bool, labels: Vec<String>) -> Vec<Effect> {
    let jobs = keys
        .iter()
        .map(|k| {
            let update = labels.iter().fold(IssueUpdate::new(), |u, l| {
                if add {
                    u.add("labels", l.clone())
                } else {
                    u.remove("labels", l.clone())
                }
            });
            let (plus, minus) = if add {
                (labels.clone(), Vec::new())
            } else {
                (Vec::new(), labels.clone())
            };
            BulkJob {
                key: k.clone(),
                write: JiraRequest::EditIssue {
                    key: k.clone(),
                    update,
                },
                fields: vec!["labels".to_owned()],
                shown: Shown::Labels {
                    add: plus,
                    remove: minus,
                },
            }
        })
        .collect();
    let (title, verb) = if add {
        (format!("Add labels: {}", labels.join(" ")), "Adding labels")
    } else {
        (
            format!("Remove labels: {}", labels.join(" ")),
            "Removing labels",
        )
    };
    start(state, BulkRun::new(title, verb.to_owned(), jobs))
}

/// What happens when a bulk menu entry is chosen.
fn choose(state: &mut State, menu: Box<BulkMenu>, action: BulkAction) -> Vec<Effect> {
    let keys = menu.keys.clone();
    match action {
        BulkAction::AssignToMe | BulkAction::Unassign => {
            let to_me = action == BulkAction::AssignToMe;
            let account = if to_me {
                match state.edit.my_account.clone() {
                    Some(id) => Some(id),
                    None => {
                        state.error("Not yet known who you are; try again in a moment");
                        state.edit.editor = Some(Editor::Bulk(menu));
                        return Vec::new();
                    }
                }
            } else {
                None
            };
            let shown = if to_me {
                state.me.clone().unwrap_or_else(|| "me".to_owned())
            } else {
                "Unassigned".to_owned()
            };
            let jobs = assign_jobs(&keys, account.as_deref(), &shown);
            let (title, verb) = if to_me {
                ("Assign to me", "Assigning")
            } else {
                ("Unassign", "Unassigning")
            };
            start(state, BulkRun::new(title.to_owned(), verb.to_owned(), jobs))
        }
        BulkAction::AddLabels | BulkAction::RemoveLabels => {
            // The site's labels (asked once a session) complete what is typed; a new
            // label is typed in full.
            let meta = system_meta("labels", "Labels", "array", Some("string"));
            let picked = pick::pick_field(state, &meta, FieldValue::Empty, None);
            with_picker(state, menu, action, picked)
        }
        BulkAction::Assignee => {
            // Users assignable to the first marked issue, searched as the user types
            // (debounced, the latest query winning).
            let Some(first) = keys.first().cloned() else {
                return Vec::new();
            };
            let meta = system_meta("assignee", "Assignee", "user", None);
            let picked = pick::pick_field(
                state,
                &meta,
                FieldValue::Empty,
                Some(UserScope::Issue(first)),
            );
            with_picker(state, menu, action, picked)
        }
        BulkAction::Transition | BulkAction::Priority | BulkAction::Sprint => {
            let Some(first) = keys.first().cloned() else {
                return Vec::new();
            };
            let request = if action == BulkAction::Transition {
                JiraRequest::Transitions { key: first }
            } else {
                JiraRequest::EditMeta { key: first }
            };
            let effect = command(state, request);
            if let Effect::Jira(cmd) = &effect {
                state.edit.editor = Some(Editor::BulkFetch(Box::new(BulkFetch {
                    keys,
                    action,
                    request: cmd.id,
                    transitions: Vec::new(),
                })));
            }
            vec![effect]
        }
    }
}

/// Whether a bulk read waits for request `id`.
pub fn awaits(state: &State, id: RequestId) -> bool {
    matches!(&state.edit.editor, Some(Editor::BulkFetch(f)) if f.request == id)
}

/// An answer to a bulk read: the next issue's read, or what the change offers.
pub fn on_fetched(state: &mut State, response: JiraResponse) -> Vec<Effect> {
    let Some(Editor::BulkFetch(mut fetch)) = state.edit.editor.take() else {
        return Vec::new();
    };
    match response {
        JiraResponse::EditMeta(meta) if fetch.action == BulkAction::Sprint => {
            sprint_picker(state, *fetch, &meta)
        }
        JiraResponse::EditMeta(meta) => {
            let first = fetch.keys.first().cloned().unwrap_or_default();
            let Some(priority) = meta
                .fields
                .get("priority")
                .filter(|f| !f.allowed_values.is_empty())
            else {
                state.error(format!(
                    "Jira does not let you change the priority of {first}"
                ));
                return Vec::new();
            };
            // The first issue's priorities, without a "None" row: a bulk change sets one.
            let items: Vec<PickerItem> = priority
                .allowed_values
                .iter()
                .map(|v| fieldkind::item_from_allowed(priority, v))
                .collect();
            let field = PickField {
                kind: FieldKind::Select,
                picker: Picker::single(items, None),
                original: FieldValue::Empty,
                users: None,
                due: None,
                asked: None,
                list_request: None,
            };
            state.edit.editor = Some(Editor::Bulk(Box::new(BulkMenu {
                keys: fetch.keys,
                step: BulkStep::Pick {
                    action: BulkAction::Priority,
                    field: Box::new(field),
                },
                field_id: None,
            })));
            Vec::new()
        }
        JiraResponse::Transitions(found) => {
            let index = fetch.transitions.len();
            let key = fetch.keys.get(index).cloned().unwrap_or_default();
            fetch.transitions.push((key, found));
            if let Some(next) = fetch.keys.get(fetch.transitions.len()).cloned() {
                let effect = command(state, JiraRequest::Transitions { key: next });
                if let Effect::Jira(cmd) = &effect {
                    fetch.request = cmd.id;
                }
                state.edit.editor = Some(Editor::BulkFetch(fetch));
                return vec![effect];
            }
            let choices = common_transitions(&fetch.transitions);
            if choices.is_empty() {
                state.error(format!(
                    "No transition is available on all {} marked issues (their statuses differ?)",
                    fetch.keys.len()
                ));
                return Vec::new();
            }
            state.edit.editor = Some(Editor::Transitions(Box::new(TransitionMenu {
                keys: fetch.keys,
                bulk: true,
                choices,
                selected: 0,
                error: None,
            })));
            Vec::new()
        }
        _ => {
            state.edit.editor = Some(Editor::BulkFetch(fetch));
            Vec::new()
        }
    }
}

/// The transitions every issue has, matched by name, in the first issue's order; each
/// with its id on every issue and the first issue's screen.
pub fn common_transitions(all: &[(String, Vec<Transition>)]) -> Vec<TransitionChoice> {
    let Some((first_key, first)) = all.first() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for transition in first.iter().filter(|t| t.is_available) {
        let mut choice = TransitionChoice::from_transition(first_key, transition);
        let mut everywhere = true;
        for (key, theirs) in &all[1..] {
            match theirs
                .iter()
                .find(|t| t.is_available && t.name == transition.name)
            {
                Some(t) => choice.ids.push((key.clone(), t.id.clone())),
                None => {
                    everywhere = false;
                    break;
                }
            }
        }
        if everywhere {
            out.push(choice);
        }
    }
    out
}

/// Opens the progress popup and sends the first write.
pub fn start(state: &mut State, run: BulkRun) -> Vec<Effect> {
    if run.jobs.is_empty() {
        return Vec::new();
    }
    state.edit.editor = Some(Editor::BulkRun(Box::new(run)));
    resume(state)
}

/// Sends the run's next write when none is out and the run goes on.
pub fn resume(state: &mut State) -> Vec<Effect> {
    let Some(Editor::BulkRun(run)) = &mut state.edit.editor else {
        return Vec::new();
    };
    if run.in_flight.is_some() || run.stopped {
        return Vec::new();
    }
    let Some(job) = run.jobs.get(run.sent).cloned() else {
        return Vec::new();
    };
    run.sent += 1;
    let label = format!("{} of {}", run.title, job.key);
    // The row changes when Jira has accepted the write (see `after_write`).
    let save = PendingSave::new(vec![job.key.clone()], label, job.write, job.fields);
    let effects = send_write(state, save);
    let id = effects.iter().find_map(|e| match e {
        Effect::Jira(cmd) => Some(cmd.id),
        _ => None,
    });
    if let Some(Editor::BulkRun(run)) = &mut state.edit.editor {
        run.in_flight = id;
        let (n, total) = (run.sent, run.jobs.len());
        let verb = run.verb.clone();
        state.info(format!("{verb} {n}/{total}: {}…", job.key));
    }
    effects
}

/// Jira answered the run's write `id`: `failure` is its reason when it failed. The row
/// shows the change of a write that succeeded; its mark goes. The next write goes out
/// with [`resume`], which the caller runs (an error path cannot send effects itself).
pub fn after_write(state: &mut State, id: RequestId, failure: Option<String>) {
    let Some(Editor::BulkRun(run)) = &mut state.edit.editor else {
        return;
    };
    if run.in_flight != Some(id) {
        return;
    }
    run.in_flight = None;
    let Some(job) = run.jobs.get(run.sent.saturating_sub(1)).cloned() else {
        return;
    };
    let outcome = match failure {
        Some(why) => BulkOutcome::Failed(why),
        None => BulkOutcome::Done,
    };
    run.outcomes.push((job.key.clone(), outcome.clone()));
    if outcome == BulkOutcome::Done {
        state.edit.marked.remove(&job.key);
        show(state, &job);
    }
    if let Some(Editor::BulkRun(run)) = &state.edit.editor
        && run.finished()
    {
        let failed = run.failed().count();
        let done = run.succeeded();
        let text = format!(
            "{}: {done} of {} changed{}",
            run.title,
            run.jobs.len(),
            if failed > 0 {
                format!(", {failed} failed (still marked)")
            } else {
                String::new()
            }
        );
        if failed > 0 {
            state.error(text);
        } else {
            state.info(text);
        }
    }
}

/// Shows what a succeeded write changed, in the row and the detail pane.
fn show(state: &mut State, job: &BulkJob) {
    match &job.shown {
        Shown::Field { field, value } => {
            show_change(state, &job.key, field, value);
        }
        Shown::Status { name, category } => {
            show_status(state, &job.key, name, *category);
        }
        Shown::Labels { add, remove } => {
            let current = state
                .search
                .rows
                .iter()
                .find(|r| r.key == job.key)
                .map(|r| r.labels.clone())
                .unwrap_or_default();
            let after = labels_after(&current, add, remove);
            show_change(state, &job.key, "labels", &after);
        }
    }
}

/// Keys during a run: Esc stops sending (what was sent stays sent); once it is over,
/// Esc or Enter closes the summary.
pub fn run_key(state: &mut State, mut run: Box<BulkRun>, key: KeyBinding) -> Vec<Effect> {
    if run.finished() {
        if is_cancel(key) || matches!(key.code, KeyCode::Enter | KeyCode::Char('q')) {
            return Vec::new();
        }
    } else if is_cancel(key) && !run.stopped {
        run.stopped = true;
        let left = run.jobs.len().saturating_sub(run.sent);
        state.info(format!(
            "Stopped: {left} not sent; what was sent stays sent"
        ));
    }
    state.edit.editor = Some(Editor::BulkRun(run));
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::action::Action;
    use crate::app::update::update;
    use crate::state::search::IssueRow;

    fn state(rows: usize) -> State {
        let mut state = State::new("test");
        state.size = (120, 40);
        state.search.rows = (1..=rows)
            .map(|n| IssueRow {
                key: format!("NAV-{n}"),
                ..IssueRow::default()
            })
            .collect();
        state
    }

    fn marked(state: &State) -> Vec<String> {
        marked_keys(state)
    }

    #[test]
    fn space_toggles_the_row_and_moves_down() {
        let mut state = state(5);
        update(&mut state, Action::ToggleMark);
        assert_eq!(marked(&state), ["NAV-1"]);
        assert_eq!(state.search.selected, 1);
        update(&mut state, Action::ToggleMark);
        assert_eq!(marked(&state), ["NAV-1", "NAV-2"]);
        update(&mut state, Action::Up);
        update(&mut state, Action::ToggleMark);
        assert_eq!(marked(&state), ["NAV-1"], "a second press unmarks");
    }

    #[test]
    fn marking_happens_only_in_the_results() {
        let mut state = state(3);
        state.focus = Pane::Issue;
        update(&mut state, Action::ToggleMark);
        update(&mut state, Action::MarkRange);
        assert!(state.edit.marked.is_empty());
    }

    #[test]
    fn v_marks_from_the_last_mark_to_the_cursor_either_way() {
        let mut state = state(10);
        state.search.selected = 2;
        update(&mut state, Action::ToggleMark);
        // The cursor moved to 3; go to 6 and mark the range from the last mark (2).
        state.search.selected = 6;
        update(&mut state, Action::MarkRange);
        assert_eq!(
            marked(&state),
            ["NAV-3", "NAV-4", "NAV-5", "NAV-6", "NAV-7"]
        );
        // The next range starts where this one ended, and may go upwards.
        state.search.selected = 0;
        update(&mut state, Action::MarkRange);
        assert_eq!(marked(&state).len(), 7);
        assert_eq!(marked(&state)[0], "NAV-1");
    }

    #[test]
    fn v_without_an_anchor_marks_the_cursor_row() {
        let mut state = state(4);
        state.search.selected = 3;
        update(&mut state, Action::MarkRange);
        assert_eq!(marked(&state), ["NAV-4"]);
        // An anchor beyond the rows (a shorter new search) is clamped.
        state.search.rows.truncate(2);
        state.search.selected = 0;
        state.edit.range_anchor = Some(9);
        update(&mut state, Action::MarkRange);
        assert_eq!(marked(&state), ["NAV-1", "NAV-2", "NAV-4"]);
    }

    #[test]
    fn esc_in_the_results_clears_marks_before_anything_else() {
        let mut state = state(3);
        update(&mut state, Action::ToggleMark);
        update(&mut state, Action::ToggleMark);
        update(&mut state, Action::Back);
        assert!(state.edit.marked.is_empty());
        assert_eq!(state.edit.range_anchor, None);
        update(&mut state, Action::ToggleMark);
        update(&mut state, Action::ClearMarks);
        assert!(state.edit.marked.is_empty());
    }

    #[test]
    fn marked_keys_follow_the_results_order_then_the_rest() {
        let mut state = state(12);
        for key in ["NAV-10", "NAV-9", "GONE-1"] {
            state.edit.marked.insert(key.to_owned());
        }
        assert_eq!(marked_keys(&state), ["NAV-9", "NAV-10", "GONE-1"]);
    }

    #[test]
    fn bulk_without_marks_says_how_to_mark() {
        let mut state = state(3);
        let effects = update(&mut state, Action::Bulk);
        assert!(effects.is_empty());
        assert!(state.edit.editor.is_none());
        assert!(state.message.unwrap().text.contains("Space"));
    }

    #[test]
    fn a_bulk_run_sends_one_write_at_a_time_and_stops_on_esc() {
        let mut state = state(3);
        for key in ["NAV-1", "NAV-2", "NAV-3"] {
            state.edit.marked.insert(key.to_owned());
        }
        state.edit.my_account = Some("acc".to_owned());
        update(&mut state, Action::Bulk);
        update(
            &mut state,
            Action::EditorKey(KeyBinding::parse("down").unwrap()),
        );
        let effects = update(
            &mut state,
            Action::EditorKey(KeyBinding::parse("enter").unwrap()),
        );
        let ids: Vec<_> = effects
            .iter()
            .filter_map(|e| match e {
                Effect::Jira(cmd) => Some((cmd.id, cmd.request.clone())),
                _ => None,
            })
            .collect();
        assert_eq!(ids.len(), 1, "one write out: {ids:?}");
        assert!(matches!(&ids[0].1, JiraRequest::Assign { key, .. } if key == "NAV-1"));
        // Jira accepts it: the next goes out, and NAV-1 loses its mark.
        let next = crate::app::update::on_jira(
            &mut state,
            crate::jira::worker::JiraEvent {
                id: ids[0].0,
                result: Ok(JiraResponse::Written),
            },
        );
        let sent: Vec<_> = next
            .iter()
            .filter_map(|e| match e {
                Effect::Jira(cmd) => Some(cmd.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(sent.len(), 1);
        assert!(matches!(&sent[0].request, JiraRequest::Assign { key, .. } if key == "NAV-2"));
        assert_eq!(marked_keys(&state), ["NAV-2", "NAV-3"]);
        // Esc: NAV-3 is never sent; NAV-2's answer still counts.
        let none = update(
            &mut state,
            Action::EditorKey(KeyBinding::parse("esc").unwrap()),
        );
        assert!(none.is_empty());
        let after = crate::app::update::on_jira(
            &mut state,
            crate::jira::worker::JiraEvent {
                id: sent[0].id,
                result: Ok(JiraResponse::Written),
            },
        );
        assert!(
            !after.iter().any(|e| matches!(
                e,
                Effect::Jira(cmd) if !cmd.request.is_read()
            )),
            "no write after Esc: {after:?}"
        );
        let Some(Editor::BulkRun(run)) = &state.edit.editor else {
            panic!("the summary stays open");
        };
        assert!(run.finished());
        assert_eq!(run.succeeded(), 2);
        assert_eq!(marked_keys(&state), ["NAV-3"]);
    }
}
