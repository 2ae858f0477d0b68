//! The create form's draft: what the user gave the form (the open row editor's text
//! included) as the draft store keeps it, written a moment after the last key and when
//! the form closes, put back field by field once the create screen's fields arrive, and
//! deleted when Jira has the issue or the user starts over.

use super::{LineKind, commit_text_to, parse_line};
use crate::app::action::Action;
use crate::app::effect::Effect;
use crate::app::update::edit::rich::DRAFT_DEBOUNCE;
use crate::drafts::{Draft, DraftField, DraftIssueType, DraftItem, DraftTarget, DraftValue};
use crate::jira::models::IssueType;
use crate::sanitize::sanitize_line;
use crate::state::State;
use crate::state::edit::create::{Restore, draft_slot};
use crate::state::edit::{CreateField, CreateForm, CreateRow, Editor, RowEditor};
use crate::state::fieldkind::{FieldKind, FieldValue};
use crate::state::picker::PickerItem;

/// The form opens with the draft kept for it, if there is one: its type is asked for
/// first, and its fields wait for the create screen.
pub fn offer(state: &State, form: &mut CreateForm) {
    let (key, target) = form.draft_name();
    let Some(draft) = state.edit.drafts.get(&draft_slot(&key, &target)) else {
        return;
    };
    let Some(saved) = draft.form.clone() else {
        return;
    };
    form.issue_type = saved.issue_type.as_ref().map(|t| IssueType {
        id: t.id.clone(),
        name: sanitize_line(&t.name).into_owned(),
        ..IssueType::default()
    });
    form.kept = Some(saved.clone());
    form.restore = Some(Restore {
        draft: saved,
        saved_at: draft.saved_at,
        type_gone: None,
    });
}

/// The project's types arrived: notes the draft's type if it is no longer offered.
pub fn check_type(form: &mut CreateForm) {
    let offered = &form.types;
    if let Some(restore) = &mut form.restore
        && let Some(wanted) = &restore.draft.issue_type
    {
        restore.type_gone = (!offered.iter().any(|t| t.id == wanted.id))
            .then(|| sanitize_line(&wanted.name).into_owned());
    }
}

/// The fields arrived: each one Jira still shows gets the draft's value back; the
/// notice (returned too) names what could not be put back.
pub fn put_back(state: &State, form: &mut CreateForm) -> Option<String> {
    let restore = form.restore.take()?;
    let mut gone = Vec::new();
    for saved in restore.draft.fields {
        let name = if saved.name.trim().is_empty() {
            saved.id.clone()
        } else {
            sanitize_line(&saved.name).into_owned()
        };
        let filled = match form.field_mut(&saved.id) {
            Some(field) => fill(state, field, saved),
            None => false,
        };
        if !filled {
            gone.push(name);
        }
    }
    let mut notice = format!(
        "Restored your unsent {} from {}; Ctrl-R starts over",
        if form.parent.is_some() {
            "sub-task"
        } else {
            "issue"
        },
        restore
            .saved_at
            .with_timezone(&chrono::Local)
            .format("%Y-%m-%d %H:%M")
    );
    if let Some(kind) = restore.type_gone {
        notice.push_str(&format!(" ({kind} is no longer offered)"));
    }
    if !gone.is_empty() {
        notice.push_str(&format!(" · no longer on the form: {}", gone.join(", ")));
    }
    form.notice = Some(notice.clone());
    Some(notice)
}

/// Puts a draft's field into `field`; false when the field no longer takes it.
fn fill(state: &State, field: &mut CreateField, saved: DraftField) -> bool {
    if field.kind == FieldKind::RichText {
        let text = match saved.value {
            Some(DraftValue::Rich(text)) => text,
            _ => saved.text,
        };
        commit_text_to(field, &text);
        return true;
    }
    if let Some(line) = LineKind::of(field.kind) {
        field.text = sanitize_line(&saved.text).into_owned();
        // The value as it was taken then (a relative date stays the day it meant);
        // text that was no value yet is read again, and says why if it still is not.
        match saved.value.and_then(|v| value_for(field.kind, v)) {
            Some(value) => field.value = value,
            None => match parse_line(state, line, &field.text) {
                Ok(value) => field.value = value,
                Err(e) => {
                    field.value = FieldValue::Empty;
                    field.error = Some(e);
                }
            },
        }
        return true;
    }
    match saved.value {
        None => {
            field.value = FieldValue::Empty;
            true
        }
        Some(value) => match value_for(field.kind, value) {
            Some(value) => {
                field.value = value;
                true
            }
            None => false,
        },
    }
}

/// A draft's value as a field of `kind` holds it; `None` when the kind takes no such
/// value (the field changed since).
fn value_for(kind: FieldKind, value: DraftValue) -> Option<FieldValue> {
    match (kind, value) {
        (FieldKind::Text, DraftValue::Text(text)) => Some(FieldValue::Text(text)),
        (FieldKind::Number, DraftValue::Number(n)) if n.is_finite() => Some(FieldValue::Number(n)),
        (FieldKind::Date, DraftValue::Date(d)) => Some(FieldValue::Date(d)),
        (FieldKind::DateTime, DraftValue::DateTime(d)) => Some(FieldValue::DateTime(d)),
        (kind, DraftValue::Items(items)) if kind.uses_picker() => {
            let items: Vec<PickerItem> = items
                .into_iter()
                .map(|i| PickerItem::new(i.id, &i.label, i.detail.as_deref(), i.value))
                .collect();
            let fits = kind.is_multi() || items.len() <= 1;
            fits.then_some(FieldValue::Items(items))
        }
        _ => None,
    }
}

/// What the form holds that the user gave it, as a draft; `None` when nothing is.
fn snapshot(state: &State, form: &CreateForm) -> Option<crate::drafts::FormDraft> {
    let issue_type = form.issue_type.as_ref().map(|t| DraftIssueType {
        id: t.id.clone(),
        name: t.name.clone(),
    });
    // Still waiting for the fields: the draft being put back is what the form holds.
    if let Some(restore) = &form.restore {
        let mut draft = restore.draft.clone();
        draft.project = form.project.clone();
        draft.parent = form.parent.clone();
        draft.issue_type = issue_type.or(draft.issue_type);
        return Some(draft);
    }
    let open = match form.selected_row() {
        Some(CreateRow::Field(i)) => Some(i),
        _ => None,
    };
    let mut fields = Vec::new();
    for (i, field) in form.fields.iter().enumerate() {
        let mut field = field.clone();
        if open == Some(i) {
            match &form.editing {
                Some(RowEditor::Line { kind, input }) => {
                    field.text = input.text().trim().to_owned();
                    field.value =
                        parse_line(state, *kind, &field.text).unwrap_or(FieldValue::Empty);
                }
                Some(RowEditor::Text(area)) => commit_text_to(&mut field, &area.text()),
                // A half-made choice is no value.
                Some(RowEditor::Pick(_)) | None => {}
            }
        }
        if !field.is_given() {
            continue;
        }
        let value = match &field.value {
            FieldValue::Empty => None,
            FieldValue::Text(text) => Some(DraftValue::Text(text.clone())),
            FieldValue::Rich(_) => Some(DraftValue::Rich(field.text.clone())),
            FieldValue::Number(n) => Some(DraftValue::Number(*n)),
            FieldValue::Date(d) => Some(DraftValue::Date(*d)),
            FieldValue::DateTime(d) => Some(DraftValue::DateTime(*d)),
            // A line of its own syntax: kept as typed, read again when restored.
            FieldValue::Estimates(_) => None,
            FieldValue::Items(items) => Some(DraftValue::Items(
                items
                    .iter()
                    .map(|i| DraftItem {
                        id: i.id.clone(),
                        label: i.label.clone(),
                        detail: i.detail.clone(),
                        value: i.value.clone(),
                    })
                    .collect(),
            )),
        };
        // Rich text is kept as its text; an emptied one is nothing.
        let value = match (field.kind, value) {
            (FieldKind::RichText, _) if field.text.trim().is_empty() => None,
            (FieldKind::RichText, _) => Some(DraftValue::Rich(field.text.clone())),
            (_, value) => value,
        };
        // Only blanks typed where nothing was: nothing given.
        if value.is_none() && field.text.trim().is_empty() && field.initial == FieldValue::Empty {
            continue;
        }
        fields.push(DraftField {
            id: field.id.clone(),
            name: field.meta.name.clone(),
            text: field.text.clone(),
            value,
        });
    }
    if fields.is_empty() {
        return None;
    }
    Some(crate::drafts::FormDraft {
        project: form.project.clone(),
        parent: form.parent.clone(),
        issue_type,
        fields,
    })
}

/// The store's name of a kept draft.
fn name_of(draft: &crate::drafts::FormDraft) -> (String, DraftTarget) {
    match &draft.parent {
        Some(parent) => (parent.clone(), DraftTarget::NewSubtask),
        None => (draft.project.clone(), DraftTarget::NewIssue),
    }
}

fn delete(state: &mut State, (key, target): (String, DraftTarget)) -> Effect {
    state.edit.drafts.remove(&draft_slot(&key, &target));
    Effect::DeleteDraft {
        issue_key: key,
        target,
    }
}

/// Hands what the form holds to the draft store if it changed since; a form emptied
/// again has its draft deleted. Afterwards `form.kept` says whether a draft is kept.
pub fn keep(state: &mut State, form: &mut CreateForm) -> Vec<Effect> {
    let now = snapshot(state, form);
    if now == form.kept {
        return Vec::new();
    }
    let mut effects = Vec::new();
    let name = form.draft_name();
    // The draft kept under another name (the project changed) or no longer needed.
    if let Some(old) = &form.kept
        && (now.is_none() || name_of(old) != name)
    {
        let old = name_of(old);
        effects.push(delete(state, old));
    }
    if let Some(saved) = &now {
        let (key, target) = name;
        let draft = Draft {
            issue_key: key.clone(),
            target: target.clone(),
            text: String::new(),
            // `App` stamps the time it writes the draft; update reads no clock.
            saved_at: state.now.unwrap_or_default(),
            base_updated: None,
            form: Some(saved.clone()),
        };
        state
            .edit
            .drafts
            .insert(draft_slot(&key, &target), draft.clone());
        effects.push(Effect::SaveDraft(draft));
    }
    form.kept = now;
    effects
}

/// Jira has the issue, or the user starts over: the form's draft goes.
pub fn forget(state: &mut State, form: &mut CreateForm) -> Vec<Effect> {
    let mut names = Vec::new();
    if let Some(kept) = form.kept.take() {
        names.push(name_of(&kept));
    }
    let current = form.draft_name();
    if !names.contains(&current)
        && state
            .edit
            .drafts
            .contains_key(&draft_slot(&current.0, &current.1))
    {
        names.push(current);
    }
    form.restore = None;
    names.into_iter().map(|name| delete(state, name)).collect()
}

/// A key or paste reached the form: the draft is due a moment after the last one.
pub fn touch(form: &mut CreateForm) -> Effect {
    form.revision += 1;
    form.draft_due = Some(form.revision);
    Effect::Timer {
        delay: DRAFT_DEBOUNCE,
        action: Action::DraftDue(form.revision),
    }
}

/// The draft timer fired: writes the draft if the form is as it was then.
pub fn due(state: &mut State, revision: u64) -> Vec<Effect> {
    let Some(Editor::Create(mut form)) = state.edit.editor.take() else {
        return Vec::new();
    };
    let mut effects = Vec::new();
    if form.revision == revision && form.draft_due == Some(revision) {
        form.draft_due = None;
        effects = keep(state, &mut form);
    }
    state.edit.editor = Some(Editor::Create(form));
    effects
}
