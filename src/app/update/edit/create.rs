//! `update` for the create form (`n`) and the sub-task form (`N`): the project, the issue
//! type, then the create screen's fields from createmeta, each edited with the editor that
//! fits it; Ctrl-S checks the required ones and sends `POST /issue` once. Jira's `errors`
//! land next to their fields and the form comes back as it was; on success the new issue
//! opens and the results run again so it shows. What the user gave the form is kept as a
//! draft (see [`draft`]) and offered back when the form opens again.

mod draft;

use crossterm::event::{KeyCode, KeyModifiers};

use super::pick::{self, PickStep};
use super::{line_edit, parse_line, send_write, target_key, utc};
use crate::app::effect::Effect;
use crate::app::update::{command, nav, start_search};
use crate::config::keymap::KeyBinding;
use crate::jira::error::JiraError;
use crate::jira::markdown::{MentionDirectory, from_editor_text};
use crate::jira::models::{CreatedIssue, FieldMeta, IssueType};
use crate::jira::worker::{JiraRequest, RequestId};
use crate::jira::write::{IssueCreate, account};
use crate::sanitize::sanitize_line;
use crate::state::edit::{
    CreateField, CreateForm, CreateRow, CreateStage, Editor, LineKind, PendingSave, PickField,
    RowEditor, UserScope,
};
use crate::state::fieldkind::{self, FieldKind, FieldValue};
use crate::state::input::InputOutcome;
use crate::state::picker::{Picker, PickerItem};
use crate::state::textarea::TextArea;
use crate::state::{Pane, State, TextInput};

/// Fields the form sets itself (the project and type rows, the sub-task's parent).
const FORM_FIELDS: [&str; 2] = ["project", "issuetype"];

/// `n` (`subtask` false) or `N`: opens the form and asks for the project's issue types.
pub fn open(state: &mut State, subtask: bool) -> Vec<Effect> {
    let (project, parent) = if subtask {
        let Some(parent) = state
            .issue
            .raw
            .as_ref()
            .filter(|_| state.focus == Pane::Issue)
        else {
            state.info("Open the parent issue first: N creates a sub-task of the open issue");
            return Vec::new();
        };
        if parent.fields.issuetype.as_ref().is_some_and(|t| t.subtask) {
            state.error(format!(
                "{} is a sub-task: sub-tasks cannot have sub-tasks",
                sanitize_line(&parent.key)
            ));
            return Vec::new();
        }
        let project = parent
            .fields
            .project
            .as_ref()
            .map(|p| p.key.clone())
            .unwrap_or_else(|| project_of_key(&parent.key));
        (project, Some(parent.key.clone()))
    } else {
        match default_project(state) {
            Some(project) => (project, None),
            None => {
                state.info("No project to create in: pick one in the projects pane first");
                return Vec::new();
            }
        }
    };
    let what = match &parent {
        Some(parent) => format!("create a sub-task of {parent}"),
        None => format!("create an issue in {project}"),
    };
    if !state.allow_write(&what) {
        return Vec::new();
    }
    let mut form = CreateForm::new(&project, parent);
    draft::offer(state, &mut form);
    let effects = load_types(state, &mut form);
    state.edit.editor = Some(Editor::Create(Box::new(form)));
    effects
}

/// `NAV` of `NAV-12`.
fn project_of_key(key: &str) -> String {
    key.rsplit_once('-')
        .map_or(key, |(project, _)| project)
        .to_owned()
}

/// The project a new issue goes to: the highlighted one in the projects pane, the open
/// issue's, the highlighted result's, the active one, the first one.
fn default_project(state: &State) -> Option<String> {
    let from_issue = || {
        state
            .issue
            .raw
            .as_ref()
            .and_then(|i| i.fields.project.as_ref().map(|p| p.key.clone()))
    };
    let found = match state.focus {
        Pane::Projects => state.projects.selected_item().map(|p| p.key.clone()),
        Pane::Issue => from_issue(),
        Pane::Results => target_key(state).map(|k| project_of_key(&k)),
    };
    found
        .or_else(|| state.projects.active.clone())
        .or_else(from_issue)
        .or_else(|| state.projects.items.first().map(|p| p.key.clone()))
        .filter(|p| !p.is_empty())
}

fn load_types(state: &mut State, form: &mut CreateForm) -> Vec<Effect> {
    let effect = command(
        state,
        JiraRequest::CreateIssueTypes {
            project: form.project.clone(),
        },
    );
    if let Effect::Jira(cmd) = &effect {
        form.stage = CreateStage::Types(cmd.id);
    }
    vec![effect]
}

fn load_fields(state: &mut State, form: &mut CreateForm) -> Vec<Effect> {
    let Some(kind) = &form.issue_type else {
        return Vec::new();
    };
    let effect = command(
        state,
        JiraRequest::CreateFields {
            project: form.project.clone(),
            issue_type: kind.id.clone(),
        },
    );
    if let Effect::Jira(cmd) = &effect {
        form.stage = CreateStage::Fields(cmd.id);
    }
    vec![effect]
}

fn open_form(state: &mut State) -> Option<&mut CreateForm> {
    match state.edit.editor.as_mut()? {
        Editor::Create(form) => Some(form),
        _ => None,
    }
}

/// The issue types of the project: only sub-task types for a sub-task, none of them
/// otherwise (a sub-task needs a parent). The type chosen before stays if offered.
pub fn on_types(state: &mut State, id: RequestId, types: Vec<IssueType>) -> Vec<Effect> {
    let Some(mut form) = take_form(state, CreateStage::Types(id)) else {
        return Vec::new();
    };
    let subtask = form.parent.is_some();
    form.types = types.into_iter().filter(|t| t.subtask == subtask).collect();
    form.stage = CreateStage::Ready;
    draft::check_type(&mut form);
    let keep = form
        .issue_type
        .as_ref()
        .and_then(|t| form.types.iter().find(|o| o.id == t.id).cloned());
    // A standard type (task, story) over an epic, when the user has not chosen.
    let standard = form
        .types
        .iter()
        .find(|t| t.hierarchy_level == Some(0) || t.subtask)
        .cloned();
    form.issue_type = keep.or(standard).or_else(|| form.types.first().cloned());
    let effects = if form.issue_type.is_none() {
        form.error = Some(format!(
            "You cannot create {} in {}",
            if subtask { "sub-tasks" } else { "issues" },
            form.project
        ));
        Vec::new()
    } else {
        load_fields(state, &mut form)
    };
    state.edit.editor = Some(Editor::Create(form));
    effects
}

/// The open form, when it waits for `stage`.
fn take_form(state: &mut State, stage: CreateStage) -> Option<Box<CreateForm>> {
    match state.edit.editor.take() {
        Some(Editor::Create(form)) if form.stage == stage => Some(form),
        other => {
            state.edit.editor = other;
            None
        }
    }
}

/// The create screen's fields: summary first, then the required ones, then the rest in
/// Jira's order. Values typed for a field the new type also has are kept.
pub fn on_fields(state: &mut State, id: RequestId, metas: Vec<FieldMeta>) -> Vec<Effect> {
    let Some(mut form) = take_form(state, CreateStage::Fields(id)) else {
        return Vec::new();
    };
    let first_load = form.fields.is_empty();
    let old = std::mem::take(&mut form.fields);
    let mut fields: Vec<CreateField> = metas
        .into_iter()
        .filter_map(|meta| {
            let id = meta.field_id.clone().or_else(|| meta.key.clone())?;
            if FORM_FIELDS.contains(&id.as_str()) || (id == "parent" && form.parent.is_some()) {
                return None;
            }
            let kind = fieldkind::classify(&meta);
            // A field jtui cannot fill is left out, unless Jira insists on it: then it
            // shows, so Jira's complaint has a place.
            if kind == FieldKind::ReadOnly && !meta.required {
                return None;
            }
            if let Some(before) = old.iter().find(|f| f.id == id && f.kind == kind) {
                let mut kept = before.clone();
                kept.meta = meta;
                kept.error = None;
                return Some(kept);
            }
            let value = initial_value(state, &id, &meta);
            let text = match (&value, LineKind::of(kind)) {
                (FieldValue::Empty, _) | (_, None) => String::new(),
                (value, Some(_)) => fieldkind::editor_text(value, utc()),
            };
            Some(CreateField {
                id,
                kind,
                initial: value.clone(),
                initial_text: text.clone(),
                value,
                text,
                error: None,
                meta,
            })
        })
        .collect();
    fields.sort_by_key(|f| (f.id != "summary", !f.needs_value()));
    form.fields = fields;
    form.stage = CreateStage::Ready;
    if let Some(notice) = draft::put_back(state, &mut form) {
        // The status line is wider than the form: the fields left out show in full.
        state.info(notice);
    }
    if first_load {
        form.select_field("summary");
    }
    state.edit.editor = Some(Editor::Create(form));
    Vec::new()
}

/// What a new field starts with: Jira's default, or me as the reporter.
fn initial_value(state: &State, id: &str, meta: &FieldMeta) -> FieldValue {
    if id == "reporter"
        && let Some(me) = &state.edit.my_account
    {
        let name = state.me.clone().unwrap_or_else(|| "me".to_owned());
        return FieldValue::Items(vec![PickerItem::new(
            me.clone(),
            &name,
            None,
            account(Some(me)),
        )]);
    }
    match (&meta.default_value, meta.has_default_value) {
        (Some(default), true) => fieldkind::value_from_json(meta, default),
        _ => FieldValue::Empty,
    }
}

/// A failed createmeta read: the form says why.
pub fn on_error(state: &mut State, id: RequestId, text: &str) -> bool {
    let Some(form) = open_form(state) else {
        return false;
    };
    if !matches!(form.stage, CreateStage::Types(r) | CreateStage::Fields(r) if r == id) {
        return false;
    }
    form.stage = CreateStage::Ready;
    form.error = Some(text.to_owned());
    true
}

/// Jira's `errors` next to their fields; what concerns no field of the form (project,
/// issue type) above them.
pub fn place_errors(form: &mut CreateForm, error: &JiraError, text: &str) {
    let mut general = Vec::new();
    let mut first = None;
    if let JiraError::Api { field_errors, .. } = error {
        for (field, message) in field_errors {
            let message = sanitize_line(message).into_owned();
            match form.field_mut(field) {
                Some(f) => {
                    f.error = Some(message);
                    first.get_or_insert_with(|| field.clone());
                }
                None => general.push(format!("{field}: {message}")),
            }
        }
    }
    form.error = match (general.is_empty(), &first) {
        (false, _) => Some(general.join("; ")),
        (true, None) => Some(text.to_owned()),
        (true, Some(_)) => Some("Jira refused some fields: see below".to_owned()),
    };
    if let Some(field) = first {
        form.select_field(&field);
    }
}

/// A key while the form is open; the draft is due a moment after it.
pub fn on_key(state: &mut State, mut form: Box<CreateForm>, key: KeyBinding) -> Vec<Effect> {
    let timer = draft::touch(&mut form);
    let mut effects = form_key(state, form, key);
    if matches!(state.edit.editor, Some(Editor::Create(_))) {
        effects.push(timer);
    }
    effects
}

fn form_key(state: &mut State, mut form: Box<CreateForm>, key: KeyBinding) -> Vec<Effect> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl && key.code == KeyCode::Char('s') {
        // The draft is written first: a crash while the create is out loses nothing.
        let mut effects = draft::keep(state, &mut form);
        effects.extend(submit(state, form));
        return effects;
    }
    if ctrl && key.code == KeyCode::Char('r') {
        return start_over(state, form);
    }
    if let Some(editor) = form.editing.take() {
        return row_key(state, form, editor, key);
    }
    let rows = form.rows().len();
    match key.code {
        KeyCode::Esc => return close(state, form),
        KeyCode::Char('c') if ctrl => return close(state, form),
        KeyCode::Tab | KeyCode::Down => form.selected = (form.selected + 1) % rows.max(1),
        KeyCode::BackTab | KeyCode::Up => {
            form.selected = (form.selected + rows.max(1) - 1) % rows.max(1);
        }
        KeyCode::Enter => return start_row(state, form, None),
        KeyCode::Char(c) if !ctrl && !key.modifiers.contains(KeyModifiers::ALT) => {
            // Typing on a text row starts editing it with what was typed.
            let typed = matches!(form.selected_row(), Some(CreateRow::Field(i))
                if LineKind::of(form.fields[i].kind).is_some()
                    || form.fields[i].kind == FieldKind::RichText);
            if typed {
                return start_row(state, form, Some(c));
            }
        }
        _ => {}
    }
    state.edit.editor = Some(Editor::Create(form));
    Vec::new()
}

/// Esc or Ctrl-C: the form closes, what the user gave it kept as a draft.
fn close(state: &mut State, mut form: Box<CreateForm>) -> Vec<Effect> {
    let effects = draft::keep(state, &mut form);
    match (&form.kept, &form.parent) {
        (None, _) => state.info("Not created"),
        (Some(_), Some(parent)) => state.info(format!(
            "Not created; the sub-task is kept as a draft: N on {parent} opens it again"
        )),
        (Some(_), None) => state.info(format!(
            "Not created; the issue is kept as a draft: n in {} opens it again",
            form.project
        )),
    }
    effects
}

/// Ctrl-R: a fresh form for the same project (or parent), the draft deleted.
fn start_over(state: &mut State, mut form: Box<CreateForm>) -> Vec<Effect> {
    let mut effects = draft::forget(state, &mut form);
    let mut fresh = CreateForm::new(&form.project, form.parent.clone());
    fresh.notice = Some("Started over: the draft is deleted".to_owned());
    effects.extend(load_types(state, &mut fresh));
    state.edit.editor = Some(Editor::Create(Box::new(fresh)));
    effects
}

/// Opens the editor of the selected row (with `typed` already in it).
fn start_row(state: &mut State, mut form: Box<CreateForm>, typed: Option<char>) -> Vec<Effect> {
    let mut effects = Vec::new();
    match form.selected_row() {
        Some(CreateRow::Project) => {
            let items: Vec<PickerItem> = state
                .projects
                .items
                .iter()
                .map(|p| {
                    PickerItem::new(
                        p.key.clone(),
                        &p.name,
                        Some(&p.key),
                        serde_json::json!({ "key": p.key }),
                    )
                })
                .collect();
            form.editing = Some(RowEditor::Pick(Box::new(list_field(Picker::single(
                items,
                Some(&form.project),
            )))));
        }
        Some(CreateRow::IssueType) => {
            let items: Vec<PickerItem> = form
                .types
                .iter()
                .map(|t| {
                    PickerItem::new(
                        t.id.clone(),
                        &t.name,
                        t.description.as_deref(),
                        serde_json::json!({ "id": t.id }),
                    )
                })
                .collect();
            let current = form.issue_type.as_ref().map(|t| t.id.clone());
            form.editing = Some(RowEditor::Pick(Box::new(list_field(Picker::single(
                items,
                current.as_deref(),
            )))));
        }
        Some(CreateRow::Field(i)) => {
            let field = &form.fields[i];
            if let Some(kind) = LineKind::of(field.kind) {
                let mut input = TextInput::new(&field.text);
                if let Some(c) = typed {
                    input.insert_str(&c.to_string());
                }
                form.editing = Some(RowEditor::Line { kind, input });
            } else if field.kind == FieldKind::RichText {
                let mut area = TextArea::new(&field.text);
                if let Some(c) = typed {
                    area.insert_str(&c.to_string());
                }
                form.editing = Some(RowEditor::Text(Box::new(area)));
            } else if field.kind.uses_picker() {
                let users = Some(match field.kind {
                    FieldKind::Parent => UserScope::Parents {
                        project: form.project.clone(),
                        subtask: form.issue_type.as_ref().is_some_and(|t| t.subtask),
                    },
                    _ => UserScope::Project(form.project.clone()),
                });
                let (meta, value) = (field.meta.clone(), field.value.clone());
                if let Some((pick, more)) = pick::pick_field(state, &meta, value, users) {
                    form.editing = Some(RowEditor::Pick(Box::new(pick)));
                    effects = more;
                }
            } else {
                state.info(format!(
                    "{} cannot be filled in jtui",
                    sanitize_line(&field.meta.name)
                ));
            }
        }
        None => {}
    }
    state.edit.editor = Some(Editor::Create(form));
    effects
}

/// A picker of the form's own (project, type): no requests behind it.
fn list_field(picker: Picker) -> PickField {
    PickField {
        kind: FieldKind::Select,
        picker,
        original: FieldValue::Empty,
        users: None,
        due: None,
        asked: None,
        list_request: None,
    }
}

/// A key for the editor open on a row.
fn row_key(
    state: &mut State,
    mut form: Box<CreateForm>,
    editor: RowEditor,
    key: KeyBinding,
) -> Vec<Effect> {
    let mut effects = Vec::new();
    match editor {
        RowEditor::Line { kind, mut input } => {
            let step = match key.code {
                KeyCode::Tab => Some(1),
                KeyCode::BackTab => Some(-1),
                _ => None,
            };
            let outcome = match step {
                Some(_) => InputOutcome::Submitted,
                None => match line_edit(key) {
                    Some(edit) => input.apply(edit),
                    None => InputOutcome::Moved,
                },
            };
            match outcome {
                InputOutcome::Cancelled => {}
                InputOutcome::Submitted => {
                    if commit_line(state, &mut form, kind, input.text()) {
                        move_selection(&mut form, step.unwrap_or(1));
                    } else {
                        form.editing = Some(RowEditor::Line { kind, input });
                    }
                }
                InputOutcome::Edited | InputOutcome::Moved => {
                    if let Some(field) = selected_field(&mut form) {
                        field.error = None;
                    }
                    form.editing = Some(RowEditor::Line { kind, input });
                }
            }
        }
        RowEditor::Text(mut area) => {
            if key.code == KeyCode::Esc {
                commit_text(&mut form, &area.text());
            } else {
                area.apply(key);
                form.editing = Some(RowEditor::Text(area));
            }
        }
        RowEditor::Pick(mut field) => match pick::key(state, &mut field, key) {
            PickStep::Continue(more) => {
                effects = more;
                form.editing = Some(RowEditor::Pick(field));
            }
            PickStep::Cancelled => {}
            PickStep::Chosen(items) => {
                effects = chosen(state, &mut form, field.kind, items);
                move_selection(&mut form, 1);
            }
        },
    }
    state.edit.editor = Some(Editor::Create(form));
    effects
}

fn move_selection(form: &mut CreateForm, by: isize) {
    let rows = form.rows().len().max(1);
    form.selected = (form.selected as isize + by).rem_euclid(rows as isize) as usize;
}

fn selected_field(form: &mut CreateForm) -> Option<&mut CreateField> {
    match form.selected_row()? {
        CreateRow::Field(i) => form.fields.get_mut(i),
        _ => None,
    }
}

/// Takes a line's text as the selected field's value; false (the error shown) when it
/// is not one.
fn commit_line(state: &State, form: &mut CreateForm, kind: LineKind, text: &str) -> bool {
    let parsed = parse_line(state, kind, text);
    let Some(field) = selected_field(form) else {
        return true;
    };
    match parsed {
        Ok(value) => {
            field.text = text.trim().to_owned();
            field.value = value;
            field.error = None;
            true
        }
        Err(e) => {
            field.error = Some(e);
            false
        }
    }
}

/// Takes the description's text into the selected field.
fn commit_text(form: &mut CreateForm, text: &str) {
    if let Some(field) = selected_field(form) {
        commit_text_to(field, text);
    }
}

/// Takes rich text into `field`, converted to ADF (kept as typed if it cannot be, with
/// the converter's complaint).
fn commit_text_to(field: &mut CreateField, text: &str) {
    field.text = text.to_owned();
    if text.trim().is_empty() {
        field.value = FieldValue::Empty;
        field.error = None;
        return;
    }
    match from_editor_text(text, None, &MentionDirectory::default()) {
        Ok(doc) => {
            field.value = FieldValue::Rich(doc);
            field.error = None;
        }
        Err(e) => field.error = Some(e.to_string()),
    }
}

/// What was picked on the selected row: a project or type reloads what depends on it.
fn chosen(
    state: &mut State,
    form: &mut CreateForm,
    kind: FieldKind,
    items: Vec<PickerItem>,
) -> Vec<Effect> {
    match form.selected_row() {
        Some(CreateRow::Project) => {
            let Some(item) = items.first() else {
                return Vec::new();
            };
            if item.id == form.project {
                return Vec::new();
            }
            form.project = item.id.clone();
            form.error = None;
            load_types(state, form)
        }
        Some(CreateRow::IssueType) => {
            let Some(item) = items.first() else {
                return Vec::new();
            };
            if form.issue_type.as_ref().is_some_and(|t| t.id == item.id) {
                return Vec::new();
            }
            form.issue_type = form.types.iter().find(|t| t.id == item.id).cloned();
            form.error = None;
            load_fields(state, form)
        }
        Some(CreateRow::Field(i)) => {
            if let Some(field) = form.fields.get_mut(i) {
                field.value = pick::chosen_value(kind, items);
                field.error = None;
            }
            Vec::new()
        }
        None => Vec::new(),
    }
}

/// Text pasted into the form's open editor; the draft is due a moment after it.
pub fn on_paste(state: &mut State, form: &mut CreateForm, text: &str) -> Vec<Effect> {
    let mut effects = match form.editing.as_mut() {
        Some(RowEditor::Line { input, .. }) => {
            input.insert_str(text);
            Vec::new()
        }
        Some(RowEditor::Text(area)) => {
            area.insert_str(text);
            Vec::new()
        }
        Some(RowEditor::Pick(field)) => pick::paste(state, field, text),
        None => Vec::new(),
    };
    effects.push(draft::touch(form));
    effects
}

/// The draft timer fired while the form is open.
pub fn draft_due(state: &mut State, revision: u64) -> Vec<Effect> {
    draft::due(state, revision)
}

/// Ctrl-S: the open row editor's value taken, the required fields checked here, then
/// `POST /issue`, once.
fn submit(state: &mut State, mut form: Box<CreateForm>) -> Vec<Effect> {
    match form.editing.take() {
        Some(RowEditor::Line { kind, input }) => {
            if !commit_line(state, &mut form, kind, input.text()) {
                form.editing = Some(RowEditor::Line { kind, input });
                state.edit.editor = Some(Editor::Create(form));
                return Vec::new();
            }
        }
        Some(RowEditor::Text(area)) => commit_text(&mut form, &area.text()),
        // A half-made choice is not taken: only what was picked counts.
        Some(RowEditor::Pick(_)) | None => {}
    }
    let Some(issue_type) = form
        .issue_type
        .clone()
        .filter(|_| form.stage == CreateStage::Ready)
    else {
        form.error = Some("Wait for the issue types and fields to load".to_owned());
        state.edit.editor = Some(Editor::Create(form));
        return Vec::new();
    };
    let mut missing = None;
    for field in &mut form.fields {
        // Jira fills the reporter in with the creator.
        if field.needs_value() && field.value == FieldValue::Empty && field.id != "reporter" {
            field.error = Some(format!("{} is required", sanitize_line(&field.meta.name)));
            missing.get_or_insert_with(|| field.id.clone());
        }
    }
    if form.fields.iter().any(|f| f.error.is_some()) {
        form.error = Some("Fix the fields marked below first".to_owned());
        if let Some(first) = missing.or_else(|| {
            form.fields
                .iter()
                .find(|f| f.error.is_some())
                .map(|f| f.id.clone())
        }) {
            form.select_field(&first);
        }
        state.edit.editor = Some(Editor::Create(form));
        return Vec::new();
    }
    form.error = None;
    let summary = match form.field("summary").map(|f| &f.value) {
        Some(FieldValue::Text(text)) => text.clone(),
        _ => String::new(),
    };
    let mut create = IssueCreate::new(&form.project, &issue_type.id, &summary);
    for field in &form.fields {
        if field.id == "summary" || field.value == FieldValue::Empty {
            continue;
        }
        create = create.set(
            field.id.clone(),
            fieldkind::write_value(field.kind, &field.value),
        );
    }
    if let Some(parent) = &form.parent {
        create = create.parent(parent);
    }
    let label = match &form.parent {
        Some(parent) => format!("the new sub-task of {parent}"),
        None => format!("the new {} in {}", issue_type.name, form.project),
    };
    let fields = form.fields.iter().map(|f| f.id.clone()).collect();
    let save = PendingSave::new(Vec::new(), label, JiraRequest::CreateIssue(create), fields)
        .with_editor(Editor::Create(form));
    send_write(state, save)
}

/// Jira created the issue: its draft goes, it opens in the detail pane, and the results
/// run again so it shows there.
pub fn on_created(state: &mut State, save: PendingSave, created: CreatedIssue) -> Vec<Effect> {
    let key = sanitize_line(&created.key).into_owned();
    let mut effects = match save.editor.map(|e| *e) {
        Some(Editor::Create(mut form)) => draft::forget(state, &mut form),
        _ => Vec::new(),
    };
    effects.extend(start_search(state, state.search.jql.clone()));
    effects.extend(nav::open(state, &key));
    state.info(format!("Created {key}"));
    effects
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn project_of_a_key_is_its_prefix() {
        assert_eq!(project_of_key("NAV-12"), "NAV");
        assert_eq!(project_of_key("MY-PROJ-3"), "MY-PROJ");
        assert_eq!(project_of_key("NAV"), "NAV");
    }

    #[test]
    fn errors_land_next_to_their_fields() {
        let mut form = CreateForm::new("NAV", None);
        form.fields.push(CreateField {
            id: "duedate".to_owned(),
            meta: FieldMeta::default(),
            kind: FieldKind::Date,
            value: FieldValue::Empty,
            text: String::new(),
            error: None,
            initial: FieldValue::Empty,
            initial_text: String::new(),
        });
        let error = JiraError::Api {
            status: 400,
            messages: Vec::new(),
            field_errors: [
                ("duedate".to_owned(), "Bad date".to_owned()),
                ("issuetype".to_owned(), "Invalid type".to_owned()),
            ]
            .into(),
        };
        place_errors(&mut form, &error, "400");
        assert_eq!(form.fields[0].error.as_deref(), Some("Bad date"));
        assert_eq!(form.error.as_deref(), Some("issuetype: Invalid type"));
        assert_eq!(form.selected_row(), Some(CreateRow::Field(0)));
    }
}
