//! Values chosen from a list: selects from `allowedValues`, labels from the site's label
//! list (asked once a session) with free entry, and users searched on Jira as the user
//! types, debounced, the latest query winning. Shared by the field editor, the create
//! form, the transition form and the bulk menu.

use std::time::Duration;

use crate::app::action::Action;
use crate::app::effect::Effect;
use crate::app::update::command;
use crate::config::keymap::KeyBinding;
use crate::jira::agile::Sprint;
use crate::jira::models::{FieldMeta, User};
use crate::jira::worker::{JiraRequest, RequestId};
use crate::state::State;
use crate::state::edit::bulk::BulkStep;
use crate::state::edit::transition::FormEditor;
use crate::state::edit::{Editor, FieldInput, PickField, RowEditor, UserScope};
use crate::state::fieldkind::{self, FieldKind, FieldValue, NONE_ID};
use crate::state::picker::{PickerItem, PickerOutcome};

/// How long typing must pause before the user search goes out: a fast typist's five
/// characters make one or two requests, not five.
pub const USER_QUERY_DEBOUNCE: Duration = Duration::from_millis(200);

/// What a key did to a pick field.
#[derive(Debug)]
pub enum PickStep {
    /// Still choosing; these effects (a debounce, a request) go out.
    Continue(Vec<Effect>),
    /// Done: the picked items (one, or none for "None"/"Unassigned"; any number for lists).
    Chosen(Vec<PickerItem>),
    Cancelled,
}

/// The picker editor of a field of a picker kind, starting from `current`, with the
/// requests that fill it: the label list (unless this session has it), or the first page
/// of users (`users` says where to search). `None` for kinds that are not picked.
pub fn pick_field(
    state: &mut State,
    meta: &FieldMeta,
    current: FieldValue,
    users: Option<UserScope>,
) -> Option<(PickField, Vec<Effect>)> {
    let kind = fieldkind::classify(meta);
    let picker = fieldkind::picker_for(meta, &current)?;
    let mut field = PickField {
        kind,
        picker,
        original: current,
        users: None,
        due: None,
        asked: None,
        list_request: None,
    };
    let mut effects = Vec::new();
    match kind {
        FieldKind::Labels => match &state.edit.labels {
            Some(labels) => field.picker.set_items(label_items(labels)),
            None => {
                let effect = command(state, JiraRequest::Labels);
                if let Effect::Jira(cmd) = &effect {
                    field.list_request = Some(cmd.id);
                    field.picker.set_loading(true);
                }
                effects.push(effect);
            }
        },
        FieldKind::User | FieldKind::MultiUser => {
            field.users = users;
            // The first page at once, so the list is not empty while nothing is typed.
            effects.extend(ask_users(state, &mut field));
        }
        // Candidates are asked for once and filtered here: Jira has no search by text
        // and key at once, and an older one is typed by its key.
        FieldKind::Parent => {
            if let Some(UserScope::Parents { project, subtask }) = users {
                let effect = command(state, JiraRequest::ParentCandidates { project, subtask });
                if let Effect::Jira(cmd) = &effect {
                    field.list_request = Some(cmd.id);
                    field.picker.set_loading(true);
                }
                effects.push(effect);
            }
        }
        FieldKind::Sprint => {
            if let Some(project) = users.as_ref().and_then(|scope| project_of(state, scope)) {
                let effect = command(state, JiraRequest::Sprints { project });
                if let Effect::Jira(cmd) = &effect {
                    field.list_request = Some(cmd.id);
                    field.picker.set_loading(true);
                }
                effects.push(effect);
            }
        }
        _ => {}
    }
    Some((field, effects))
}

/// The project whose boards hold the sprints an issue can go to: the loaded issue's
/// project, else the key's prefix (`NAV` of `NAV-12`).
fn project_of(state: &State, scope: &UserScope) -> Option<String> {
    match scope {
        UserScope::Project(project) => Some(project.clone()),
        UserScope::Issue(key) => state
            .issue
            .raw
            .as_ref()
            .filter(|i| i.key == *key)
            .and_then(|i| i.fields.project.as_ref())
            .map(|p| p.key.clone())
            .filter(|k| !k.is_empty())
            .or_else(|| key.rsplit_once('-').map(|(project, _)| project.to_owned())),
        UserScope::Parents { project, .. } => Some(project.clone()),
    }
}

fn label_items(labels: &[String]) -> Vec<PickerItem> {
    labels
        .iter()
        .filter_map(|l| fieldkind::label_item(l).ok())
        .collect()
}

/// The user search for the picker's query, and that query.
fn user_request(field: &PickField) -> Option<(JiraRequest, String)> {
    let query = field.picker.query().to_owned();
    let request = match field.users.clone()? {
        UserScope::Issue(key) => JiraRequest::AssignableUsers {
            key,
            query: query.clone(),
        },
        UserScope::Project(project) => JiraRequest::AssignableUsersInProject {
            project,
            query: query.clone(),
        },
        UserScope::Parents { .. } => return None,
    };
    Some((request, query))
}

/// Sends the user search for the picker's query now.
fn ask_users(state: &mut State, field: &mut PickField) -> Vec<Effect> {
    let Some((request, query)) = user_request(field) else {
        return Vec::new();
    };
    let effect = command(state, request);
    if let Effect::Jira(cmd) = &effect {
        field.asked = Some((cmd.id, query));
        field.picker.set_loading(true);
    }
    vec![effect]
}

/// A key for the pick field `field`.
pub fn key(state: &mut State, field: &mut PickField, key: KeyBinding) -> PickStep {
    let outcome = field.picker.apply(key);
    after(state, field, outcome)
}

/// Text pasted into the pick field's filter.
pub fn paste(state: &mut State, field: &mut PickField, text: &str) -> Vec<Effect> {
    let outcome = field.picker.paste(text);
    match after(state, field, outcome) {
        PickStep::Continue(effects) => effects,
        _ => Vec::new(),
    }
}

fn after(state: &mut State, field: &mut PickField, outcome: PickerOutcome) -> PickStep {
    match outcome {
        PickerOutcome::Chosen(items) => {
            field.due = None;
            field.asked = None;
            field.list_request = None;
            field.picker.set_loading(false);
            PickStep::Chosen(items.into_iter().filter(|i| i.id != NONE_ID).collect())
        }
        PickerOutcome::Cancelled => PickStep::Cancelled,
        PickerOutcome::FilterChanged(_) if field.users.is_some() => {
            // Latest wins: a newer timer replaces this one, and the answer to an older
            // query is dropped by its id.
            let id = state.next_id();
            field.due = Some(id);
            field.picker.set_loading(true);
            PickStep::Continue(vec![Effect::Debounce {
                id,
                delay: USER_QUERY_DEBOUNCE,
                action: Action::EditorDue(id),
            }])
        }
        PickerOutcome::FilterChanged(_) | PickerOutcome::Changed | PickerOutcome::Ignored => {
            PickStep::Continue(Vec::new())
        }
    }
}

/// The pick field of the open editor, if one is being chosen in.
fn open_pick(state: &mut State) -> Option<&mut PickField> {
    match state.edit.editor.as_mut()? {
        Editor::Field(f) => match &mut f.input {
            FieldInput::Pick(p) => Some(p),
            FieldInput::Line { .. } => None,
        },
        Editor::Create(form) => match form.editing.as_mut()? {
            RowEditor::Pick(p) => Some(p),
            _ => None,
        },
        Editor::TransitionForm(form) => match form.editing.as_mut()? {
            FormEditor::Pick(p) => Some(p),
            FormEditor::Comment(_) => None,
        },
        Editor::Bulk(menu) => match &mut menu.step {
            BulkStep::Pick { field, .. } => Some(field),
            BulkStep::Actions { .. } => None,
        },
        _ => None,
    }
}

/// `Action::EditorDue`: the typing paused; the search for what the filter says now goes
/// out, unless a newer timer replaced this one or the picker closed.
pub fn on_due(state: &mut State, id: RequestId) -> Vec<Effect> {
    let Some(field) = open_pick(state) else {
        return Vec::new();
    };
    if field.due != Some(id) {
        return Vec::new();
    }
    field.due = None;
    let Some((request, query)) = user_request(field) else {
        return Vec::new();
    };
    let effect = command(state, request);
    if let (Effect::Jira(cmd), Some(field)) = (&effect, open_pick(state)) {
        field.asked = Some((cmd.id, query));
        field.picker.set_loading(true);
    }
    vec![effect]
}

/// Users Jira found: shown when they answer the query the picker still asks; an answer
/// to an older query is dropped.
pub fn on_users(state: &mut State, id: RequestId, users: &[User]) {
    let Some(field) = open_pick(state) else {
        return;
    };
    let Some((asked, query)) = field.asked.clone() else {
        return;
    };
    if asked != id {
        return;
    }
    field.asked = None;
    let items = users.iter().map(fieldkind::user_item).collect();
    if !field.picker.replace_items(&query, items) {
        // The filter moved on; its own timer is pending and will ask again.
        field.picker.set_loading(field.due.is_some());
    }
}

/// The site's labels: kept for the session, and shown in an open labels picker.
pub fn on_labels(state: &mut State, id: RequestId, labels: Vec<String>) {
    let items = label_items(&labels);
    state.edit.labels = Some(labels);
    if let Some(field) = open_pick(state)
        && field.list_request == Some(id)
    {
        field.list_request = None;
        field.picker.set_loading(false);
        field.picker.set_items(items);
    }
}

/// Issues that may be the parent: the open parent picker's list (the current parent
/// and "No parent" stay).
pub fn on_candidates(state: &mut State, id: RequestId, issues: &[crate::jira::models::Issue]) {
    if let Some(field) = open_pick(state)
        && field.list_request == Some(id)
    {
        field.list_request = None;
        field.picker.set_loading(false);
        let mut items = field.original.items().to_vec();
        items.extend(issues.iter().map(fieldkind::issue_item));
        field.picker.set_items(items);
    }
}

/// The open sprints of the project's boards, shown in an open sprint picker (the
/// issue's own sprint stays listed even if no board lists it).
pub fn on_sprints(state: &mut State, id: RequestId, sprints: &[Sprint]) {
    let Some(field) = open_pick(state) else {
        return;
    };
    if field.list_request != Some(id) {
        return;
    }
    field.list_request = None;
    field.picker.set_loading(false);
    let mut items: Vec<PickerItem> = sprints.iter().map(fieldkind::sprint_item).collect();
    for current in field.original.items() {
        if !items.iter().any(|i| i.id == current.id) {
            items.push(current.clone());
        }
    }
    field.picker.set_items(items);
}

/// Whether a failed request was one a pick field waited for; it stops waiting, and the
/// picker says why.
pub fn on_error(state: &mut State, id: RequestId) -> bool {
    let Some(field) = open_pick(state) else {
        return false;
    };
    if field.asked.as_ref().is_some_and(|(asked, _)| *asked == id) {
        field.asked = None;
        field.picker.set_loading(field.due.is_some());
        return true;
    }
    if field.list_request == Some(id) {
        field.list_request = None;
        field.picker.set_loading(false);
        return true;
    }
    false
}

/// The pick field as it is kept for reopening after a failed save: nothing pending.
pub fn settled(mut field: PickField) -> PickField {
    field.settle();
    field
}

/// The chosen items as the detail pane shows them: joined, or "Unassigned"/"" for none.
pub fn shown(field_id: &str, items: &[PickerItem]) -> String {
    if items.is_empty() && field_id == "assignee" {
        return "Unassigned".to_owned();
    }
    items
        .iter()
        .map(|i| i.label.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The value the chosen items make for a field of `kind`.
pub fn chosen_value(kind: FieldKind, items: Vec<PickerItem>) -> FieldValue {
    if items.is_empty() && !kind.is_multi() {
        FieldValue::Empty
    } else {
        FieldValue::Items(items)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn item(id: &str, label: &str) -> PickerItem {
        PickerItem::new(id, label, None, json!({ "id": id }))
    }

    #[test]
    fn nothing_chosen_is_unassigned_or_empty() {
        assert_eq!(shown("assignee", &[]), "Unassigned");
        assert_eq!(shown("labels", &[]), "");
        assert_eq!(
            shown(
                "components",
                &[item("1", "Perception"), item("2", "Planning")]
            ),
            "Perception, Planning"
        );
        assert_eq!(
            chosen_value(FieldKind::Select, Vec::new()),
            FieldValue::Empty
        );
        assert_eq!(
            chosen_value(FieldKind::MultiSelect, Vec::new()),
            FieldValue::Items(Vec::new())
        );
    }

    #[test]
    fn a_typed_filter_waits_for_the_debounce_and_stale_answers_are_dropped() {
        let mut state = State::default();
        let meta: FieldMeta = serde_json::from_value(json!({
            "name": "Assignee", "key": "assignee", "required": false,
            "schema": { "type": "user", "system": "assignee" }, "operations": ["set"]
        }))
        .unwrap();
        let (mut field, effects) = pick_field(
            &mut state,
            &meta,
            FieldValue::Empty,
            Some(UserScope::Project("NAV".to_owned())),
        )
        .unwrap();
        assert!(matches!(
            &effects[..],
            [Effect::Jira(cmd)] if matches!(&cmd.request,
                JiraRequest::AssignableUsersInProject { project, query } if project == "NAV" && query.is_empty())
        ));
        let first = field.asked.clone().unwrap().0;
        let step = key(&mut state, &mut field, KeyBinding::parse("n").unwrap());
        let PickStep::Continue(effects) = step else {
            panic!()
        };
        assert!(matches!(
            &effects[..],
            [Effect::Debounce { delay, action: Action::EditorDue(id), .. }]
                if *delay == USER_QUERY_DEBOUNCE && Some(*id) == field.due
        ));
        // The answer to the empty query arrives after "n" was typed: not shown.
        state.edit.editor = Some(Editor::Field(Box::new(crate::state::edit::FieldEditor {
            key: "NAV-1".to_owned(),
            field: "assignee".to_owned(),
            meta,
            input: FieldInput::Pick(Box::new(field)),
            error: None,
            hint: None,
        })));
        let nina: User =
            serde_json::from_value(json!({ "accountId": "n1", "displayName": "Nina" })).unwrap();
        on_users(&mut state, first, std::slice::from_ref(&nina));
        let open = open_pick(&mut state).unwrap();
        assert!(open.picker.items().iter().all(|i| i.id != "n1"));
        assert!(open.picker.is_loading(), "the typed query is still due");
    }
}
