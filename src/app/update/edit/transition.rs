//! `update` for transitions (`t`): the issue's transitions from Jira, then either the
//! move at once or the form its screen asks for, sent as one `PendingSave` so the new
//! status shows at once and is taken back if Jira refuses.

use std::collections::BTreeMap;

use crossterm::event::{KeyCode, KeyModifiers};
use serde_json::Value;

use super::audience;
use super::pick::{self, PickStep};
use super::{
    Effect, command, ensure_open, is_cancel, line_edit, parse_line, send_write, show_status,
    target_key,
};
use crate::config::keymap::KeyBinding;
use crate::jira::adf::Adf;
use crate::jira::error::JiraError;
use crate::jira::markdown::{MentionDirectory, from_editor_text};
use crate::jira::models::Transition;
use crate::jira::worker::{JiraRequest, JiraResponse, RequestId};
use crate::jira::write::CommentVisibility;
use crate::state::State;
use crate::state::edit::bulk::{BulkJob, BulkRun, Shown};
use crate::state::edit::transition::{
    FormEditor, FormInput, TransitionChoice, TransitionForm, TransitionMenu,
};
use crate::state::edit::{AfterLoad, Editor, Loading, PendingSave, UserScope};
use crate::state::fieldkind::{self, FieldValue};
use crate::state::input::InputOutcome;
use crate::state::textarea::TextArea;

/// `t`: loads the transitions of the highlighted or open issue.
pub fn open(state: &mut State) -> Vec<Effect> {
    let Some(key) = target_key(state) else {
        state.info("No issue to transition: open one first");
        return Vec::new();
    };
    if !state.allow_write(&format!("transition {key}")) {
        return Vec::new();
    }
    let mut effects = ensure_open(state, &key);
    let effect = command(state, JiraRequest::Transitions { key: key.clone() });
    let Effect::Jira(cmd) = &effect else {
        return effects;
    };
    state.edit.editor = Some(Editor::Loading(Loading {
        what: format!("the transitions of {key}"),
        key,
        request: cmd.id,
        then: AfterLoad::Transitions,
    }));
    effects.push(effect);
    effects
}

/// Jira's transitions for the issue a `Loading` popup waits for.
pub fn on_transitions(state: &mut State, id: RequestId, found: Vec<Transition>) -> Vec<Effect> {
    let Some(Editor::Loading(loading)) = &state.edit.editor else {
        return Vec::new();
    };
    if loading.request != id || loading.then != AfterLoad::Transitions {
        return Vec::new();
    }
    let key = loading.key.clone();
    let choices: Vec<TransitionChoice> = found
        .iter()
        .filter(|t| t.is_available)
        .map(|t| TransitionChoice::from_transition(&key, t))
        .collect();
    if choices.is_empty() {
        state.edit.editor = None;
        state.info(format!(
            "{key} has no transition you can make from its status"
        ));
        return Vec::new();
    }
    state.edit.editor = Some(Editor::Transitions(Box::new(TransitionMenu {
        keys: vec![key],
        bulk: false,
        choices,
        selected: 0,
        error: None,
    })));
    Vec::new()
}

pub fn menu_key(state: &mut State, mut menu: Box<TransitionMenu>, key: KeyBinding) -> Vec<Effect> {
    if is_cancel(key) {
        return Vec::new();
    }
    let last = menu.choices.len().saturating_sub(1);
    match key.code {
        KeyCode::Up | KeyCode::Char('k') => menu.selected = menu.selected.saturating_sub(1),
        KeyCode::Down | KeyCode::Char('j') => menu.selected = (menu.selected + 1).min(last),
        KeyCode::Home => menu.selected = 0,
        KeyCode::End => menu.selected = last,
        KeyCode::Enter => {
            let Some(choice) = menu.choices.get(menu.selected).cloned() else {
                return Vec::new();
            };
            menu.error = None;
            if choice.has_form() {
                let mut form = TransitionForm::new(menu.keys.clone(), menu.bulk, choice);
                fill_current(state, &mut form);
                let mut effects = Vec::new();
                if form.has_comment()
                    && let Some(first) = form.keys.first()
                {
                    let project = super::rich::project_of(state, first);
                    effects = audience::ask(state, &mut form.audience, project);
                }
                state.edit.editor = Some(Editor::TransitionForm(Box::new(form)));
                return effects;
            }
            let keys = menu.keys.clone();
            let bulk = menu.bulk;
            return send(
                state,
                keys,
                bulk,
                choice,
                ScreenValues::default(),
                Editor::Transitions(menu),
            );
        }
        _ => {}
    }
    state.edit.editor = Some(Editor::Transitions(menu));
    Vec::new()
}

/// What a transition's screen gives the write: values set, values added to lists (a
/// bulk run), and a comment.
#[derive(Default)]
struct ScreenValues {
    fields: BTreeMap<String, Value>,
    adds: BTreeMap<String, Vec<Value>>,
    comment: Option<Adf>,
    visibility: Option<CommentVisibility>,
}

/// Sends the transition: one save for one issue, a bulk run for several.
fn send(
    state: &mut State,
    keys: Vec<String>,
    bulk: bool,
    choice: TransitionChoice,
    values: ScreenValues,
    editor: Editor,
) -> Vec<Effect> {
    let ScreenValues {
        fields,
        adds,
        comment,
        visibility,
    } = values;
    let mut written: Vec<String> = fields.keys().chain(adds.keys()).cloned().collect();
    if comment.is_some() {
        written.push("comment".to_owned());
    }
    if bulk {
        let jobs = choice
            .ids
            .iter()
            .filter(|(k, _)| keys.contains(k))
            .map(|(key, id)| BulkJob {
                key: key.clone(),
                write: JiraRequest::Transition {
                    key: key.clone(),
                    transition: id.clone(),
                    fields: fields.clone(),
                    adds: adds.clone(),
                    comment: comment.clone(),
                    visibility: visibility.clone(),
                },
                fields: written.clone(),
                shown: Shown::Status {
                    name: choice.to.clone(),
                    category: choice.category,
                },
            })
            .collect();
        let title = if choice.name == choice.to {
            choice.name.clone()
        } else {
            format!("{} → {}", choice.name, choice.to)
        };
        let run = BulkRun::new(title, "Transitioning".to_owned(), jobs);
        return super::bulk::start(state, run);
    }
    let Some((key, id)) = choice.ids.first().cloned() else {
        return Vec::new();
    };
    let optimistic = show_status(state, &key, &choice.to, choice.category);
    // No conflict check: Jira itself refuses a transition that is no longer available
    // from the issue's status, and a transition overwrites no field someone else set
    // (its screen's values and a new comment are all it writes).
    let save = PendingSave::new(
        vec![key.clone()],
        format!("Transition of {key} to {}", choice.to),
        JiraRequest::Transition {
            key: key.clone(),
            transition: id,
            fields,
            adds,
            comment,
            visibility,
        },
        written,
    )
    .with_editor(editor)
    .with_shown(vec![optimistic]);
    send_write(state, save)
}

/// Keys on the form. Ctrl-S sends it from anywhere. With no editor open: Tab/↑↓ move
/// between fields, Enter opens the selected field's editor (the picker, the comment's
/// text area; on a line it moves on), typing edits a line in place or opens the
/// picker/text area with what was typed, Esc closes the form.
pub fn form_key(state: &mut State, mut form: Box<TransitionForm>, key: KeyBinding) -> Vec<Effect> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    // The comment's visibility list, open over the form, takes every key.
    if form.audience.picker.is_some() {
        if let Some(notice) = audience::picker_key(&mut form.audience, key) {
            state.info(notice);
        }
        state.edit.editor = Some(Editor::TransitionForm(form));
        return Vec::new();
    }
    if ctrl && key.code == KeyCode::Char('v') && form.has_comment() {
        form.audience.open_picker();
        state.edit.editor = Some(Editor::TransitionForm(form));
        return Vec::new();
    }
    if ctrl && key.code == KeyCode::Char('s') {
        return submit(state, form);
    }
    if let Some(editor) = form.editing.take() {
        return editor_key(state, form, editor, key);
    }
    if is_cancel(key) {
        return Vec::new();
    }
    let last = form.fields.len().saturating_sub(1);
    let mut effects = Vec::new();
    match key.code {
        KeyCode::Tab | KeyCode::Down => form.selected = (form.selected + 1).min(last),
        KeyCode::BackTab | KeyCode::Up => form.selected = form.selected.saturating_sub(1),
        KeyCode::Enter => match form.selected_field().map(|f| &f.input) {
            Some(FormInput::Pick { .. } | FormInput::Comment { .. }) => {
                effects = start_editor(state, &mut form, None);
            }
            Some(FormInput::Line { .. }) => form.selected = (form.selected + 1).min(last),
            Some(FormInput::Unsupported) => {
                if let Some(field) = form.selected_field() {
                    state.info(format!("{} cannot be filled in jtui", field.name));
                }
            }
            None => {}
        },
        _ => {
            let alt = key.modifiers.contains(KeyModifiers::ALT);
            if let Some(field) = form.selected_field_mut() {
                match &mut field.input {
                    FormInput::Line { input, .. } => {
                        if let Some(edit) = line_edit(key)
                            && input.apply(edit) == InputOutcome::Edited
                        {
                            field.error = None;
                        }
                    }
                    FormInput::Pick { chosen, .. }
                        if matches!(key.code, KeyCode::Backspace | KeyCode::Delete) =>
                    {
                        *chosen = FieldValue::Empty;
                        field.error = None;
                    }
                    FormInput::Pick { .. } | FormInput::Comment { .. }
                        if matches!(key.code, KeyCode::Char(_)) && !ctrl && !alt =>
                    {
                        effects = start_editor(state, &mut form, Some(key));
                    }
                    _ => {}
                }
            }
        }
    }
    state.edit.editor = Some(Editor::TransitionForm(form));
    effects
}

/// Opens the editor of the selected field: the shared picker (users searched among
/// those assignable to the first issue), or the comment's text area; `typed` goes to it
/// first (a filter to narrow the picker, the comment's first character).
fn start_editor(
    state: &mut State,
    form: &mut TransitionForm,
    typed: Option<KeyBinding>,
) -> Vec<Effect> {
    let Some(first) = form.keys.first().cloned() else {
        return Vec::new();
    };
    let Some(field) = form.fields.get(form.selected) else {
        return Vec::new();
    };
    match &field.input {
        FormInput::Pick { chosen, .. } => {
            let meta = field.meta.clone();
            let Some((mut pick, mut effects)) =
                pick::pick_field(state, &meta, chosen.clone(), Some(UserScope::Issue(first)))
            else {
                return Vec::new();
            };
            if let Some(typed) = typed
                && let PickStep::Continue(more) = pick::key(state, &mut pick, typed)
            {
                effects.extend(more);
            }
            form.editing = Some(FormEditor::Pick(Box::new(pick)));
            effects
        }
        FormInput::Comment { text } => {
            let mut area = TextArea::new(text);
            if let Some(typed) = typed {
                area.apply(typed);
            }
            form.editing = Some(FormEditor::Comment(Box::new(area)));
            Vec::new()
        }
        FormInput::Line { .. } | FormInput::Unsupported => Vec::new(),
    }
}

/// A key for the editor open on the form.
fn editor_key(
    state: &mut State,
    mut form: Box<TransitionForm>,
    editor: FormEditor,
    key: KeyBinding,
) -> Vec<Effect> {
    let mut effects = Vec::new();
    match editor {
        FormEditor::Pick(mut pick) => match pick::key(state, &mut pick, key) {
            PickStep::Continue(more) => {
                effects = more;
                form.editing = Some(FormEditor::Pick(pick));
            }
            PickStep::Cancelled => {}
            PickStep::Chosen(items) => {
                if let Some(field) = form.selected_field_mut()
                    && let FormInput::Pick { kind, chosen } = &mut field.input
                {
                    *chosen = pick::chosen_value(*kind, items);
                    field.error = None;
                }
                form.selected = (form.selected + 1).min(form.fields.len().saturating_sub(1));
            }
        },
        FormEditor::Comment(mut area) => {
            // Esc (or Ctrl-C) closes the text area and keeps what was written; the form
            // stays open.
            if is_cancel(key) {
                commit_comment(&mut form, &area);
            } else {
                area.apply(key);
                form.editing = Some(FormEditor::Comment(area));
            }
        }
    }
    state.edit.editor = Some(Editor::TransitionForm(form));
    effects
}

fn commit_comment(form: &mut TransitionForm, area: &TextArea) {
    if let Some(field) = form.selected_field_mut()
        && let FormInput::Comment { text } = &mut field.input
    {
        *text = area.text();
        field.error = None;
    }
}

/// Text pasted into the form: into the open picker's filter or text area, else into the
/// selected line.
pub fn paste(state: &mut State, form: &mut TransitionForm, text: &str) -> Vec<Effect> {
    if let Some(picker) = &mut form.audience.picker {
        picker.paste(text);
        return Vec::new();
    }
    match form.editing.as_mut() {
        Some(FormEditor::Pick(pick)) => return pick::paste(state, pick, text),
        Some(FormEditor::Comment(area)) => {
            area.insert_str(text);
            return Vec::new();
        }
        None => {}
    }
    if let Some(field) = form.selected_field_mut()
        && let FormInput::Line { input, .. } = &mut field.input
    {
        input.insert_str(text);
        field.error = None;
    }
    Vec::new()
}

/// The values of the open issue for the form's pick fields, so the form shows (and
/// sends) what the issue has unless the user changes it. Not in bulk: each issue has its
/// own.
pub fn fill_current(state: &State, form: &mut TransitionForm) {
    if form.bulk {
        return;
    }
    let Some(issue) = state
        .issue
        .raw
        .as_ref()
        .filter(|i| form.keys.first() == Some(&i.key))
    else {
        return;
    };
    for field in &mut form.fields {
        if let FormInput::Pick { chosen, .. } = &mut field.input {
            *chosen = fieldkind::current_value(issue, &field.id, &field.meta);
        }
    }
}

/// Checks the form locally (required values, numbers, dates), then sends it. The comment
/// being written is taken as it is; a picker left open keeps the value chosen before.
fn submit(state: &mut State, mut form: Box<TransitionForm>) -> Vec<Effect> {
    match form.editing.take() {
        Some(FormEditor::Comment(area)) => commit_comment(&mut form, &area),
        Some(FormEditor::Pick(_)) | None => {}
    }
    let mut fields = BTreeMap::new();
    let mut adds = BTreeMap::new();
    let mut comment = None;
    let mut first_bad = None;
    for (i, field) in form.fields.iter_mut().enumerate() {
        field.error = None;
        if field.required && field.is_empty() {
            field.error = Some(format!("{} is required", field.name));
        } else {
            match &field.input {
                // Several issues have several lists: what is picked is added to each,
                // never put in place of values the form did not show.
                FormInput::Pick { kind, chosen } if form.bulk && kind.is_multi() => {
                    let values: Vec<Value> =
                        chosen.items().iter().map(|i| i.value.clone()).collect();
                    if !values.is_empty() {
                        adds.insert(field.id.clone(), values);
                    }
                }
                FormInput::Pick { kind, chosen } => {
                    if *chosen != FieldValue::Empty {
                        fields.insert(field.id.clone(), fieldkind::write_value(*kind, chosen));
                    }
                }
                FormInput::Line { kind, input } if !input.text().trim().is_empty() => {
                    let parsed = parse_line(state, *kind, input.text())
                        .map(|v| fieldkind::write_value(kind.field_kind(), &v));
                    match parsed {
                        Ok(value) => {
                            fields.insert(field.id.clone(), value);
                        }
                        Err(e) => field.error = Some(e),
                    }
                }
                FormInput::Line { .. } | FormInput::Unsupported => {}
                FormInput::Comment { text } if !text.trim().is_empty() => {
                    match from_editor_text(text, None, &MentionDirectory::default()) {
                        Ok(doc) => comment = Some(doc),
                        Err(e) => field.error = Some(e.to_string()),
                    }
                }
                FormInput::Comment { .. } => {}
            }
        }
        if field.error.is_some() && first_bad.is_none() {
            first_bad = Some(i);
        }
    }
    if let Some(i) = first_bad {
        form.selected = i;
        form.error = None;
        state.edit.editor = Some(Editor::TransitionForm(form));
        return Vec::new();
    }
    form.error = None;
    let keys = form.keys.clone();
    let bulk = form.bulk;
    let choice = form.choice.clone();
    send(
        state,
        keys,
        bulk,
        choice,
        ScreenValues {
            fields,
            adds,
            visibility: comment.as_ref().and(form.audience.chosen.clone()),
            comment,
        },
        Editor::TransitionForm(form),
    )
}

/// Whether `id` is the roles or groups the open form's comment waits for.
pub fn owns(state: &State, id: RequestId) -> bool {
    matches!(&state.edit.editor, Some(Editor::TransitionForm(f)) if f.audience.awaits(id))
}

/// The roles or groups for the open form's comment.
pub fn on_audience(state: &mut State, id: RequestId, response: &JiraResponse) {
    if let Some(Editor::TransitionForm(form)) = &mut state.edit.editor
        && let (_, Some(groups)) = audience::on_response(&mut form.audience, id, response)
    {
        state.edit.my_groups = Some(groups);
    }
}

/// A failed read for the open form's comment: it can still go to everyone.
pub fn on_audience_error(state: &mut State, id: RequestId) -> bool {
    match &mut state.edit.editor {
        Some(Editor::TransitionForm(form)) => audience::on_error(&mut form.audience, id),
        _ => false,
    }
}

/// Puts Jira's complaints next to the fields they concern; the whole message above
/// them when some of it belongs to no field of the form.
pub fn set_errors(form: &mut TransitionForm, error: &JiraError, message: String) {
    let mut placed = 0;
    let mut unplaced = true;
    if let JiraError::Api {
        field_errors,
        messages,
        ..
    } = error
    {
        for field in &mut form.fields {
            if let Some(m) = field_errors.get(&field.id) {
                field.error = Some(crate::sanitize::sanitize_line(m).into_owned());
                placed += 1;
            }
        }
        unplaced = placed < field_errors.len() || !messages.is_empty() || placed == 0;
        if let Some(i) = form.fields.iter().position(|f| f.error.is_some()) {
            form.selected = i;
        }
    }
    form.error = unplaced.then_some(message);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::action::Action;
    use crate::app::update::update;
    use crate::jira::models::FieldMeta;
    use serde_json::json;

    fn meta(value: serde_json::Value) -> FieldMeta {
        serde_json::from_value(value).unwrap()
    }

    /// A form for NAV-1 whose screen asks for a reviewer (a user) and takes a comment.
    fn state_with_form() -> State {
        let mut state = State::new("test");
        state.size = (120, 40);
        let fields = [
            (
                "customfield_10200".to_owned(),
                meta(json!({
                    "name": "Reviewer", "key": "customfield_10200", "required": true,
                    "schema": { "type": "user", "custom": "com.atlassian.jira.plugin.system.customfieldtypes:userpicker", "customId": 10200 },
                    "operations": ["set"]
                })),
            ),
            (
                "comment".to_owned(),
                meta(json!({
                    "name": "Comment", "key": "comment", "required": false,
                    "schema": { "type": "comments-page", "system": "comment" },
                    "operations": ["add"]
                })),
            ),
        ]
        .into();
        let choice = TransitionChoice {
            name: "Send to review".to_owned(),
            to: "In Review".to_owned(),
            category: Default::default(),
            fields,
            ids: vec![("NAV-1".to_owned(), "31".to_owned())],
        };
        let form = TransitionForm::new(vec!["NAV-1".to_owned()], false, choice);
        state.edit.editor = Some(Editor::TransitionForm(Box::new(form)));
        state
    }

    fn press(state: &mut State, key: &str) -> Vec<Effect> {
        update(state, Action::EditorKey(KeyBinding::parse(key).unwrap()))
    }

    fn form(state: &State) -> &TransitionForm {
        match &state.edit.editor {
            Some(Editor::TransitionForm(form)) => form,
            other => panic!("no form: {other:?}"),
        }
    }

    #[test]
    fn a_user_field_searches_the_users_assignable_to_the_issue() {
        let mut state = state_with_form();
        assert_eq!(form(&state).fields[0].name, "Reviewer");
        let effects = press(&mut state, "enter");
        assert!(
            matches!(&effects[..], [Effect::Jira(cmd)] if matches!(&cmd.request,
                JiraRequest::AssignableUsers { key, query } if key == "NAV-1" && query.is_empty())),
            "{effects:?}"
        );
        assert!(matches!(form(&state).editing, Some(FormEditor::Pick(_))));
        // Typing waits for the debounce, as in the field editor.
        let effects = press(&mut state, "r");
        assert!(
            matches!(&effects[..], [Effect::Debounce { .. }]),
            "{effects:?}"
        );
        // Esc closes the picker, not the form; Ctrl-S then finds the reviewer missing.
        press(&mut state, "esc");
        assert!(form(&state).editing.is_none());
        let effects = press(&mut state, "ctrl-s");
        assert!(effects.is_empty());
        assert_eq!(
            form(&state).fields[0].error.as_deref(),
            Some("Reviewer is required")
        );
    }

    #[test]
    fn a_pasted_comment_keeps_its_lines() {
        let mut state = state_with_form();
        press(&mut state, "down");
        press(&mut state, "enter");
        assert!(
            state.edit.takes_lines(),
            "the comment's text area takes lines"
        );
        update(
            &mut state,
            Action::Paste("first line\n- a point".to_owned()),
        );
        press(&mut state, "esc");
        assert!(!state.edit.takes_lines());
        let comment = form(&state).fields.last().unwrap();
        assert_eq!(comment.shown(), "first line\n- a point");
        assert!(
            state.edit.editor.is_some(),
            "Esc in the text area keeps the form"
        );
    }
}
