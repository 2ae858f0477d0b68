//! `update` for editing: opening editors, their keys, and the way every save goes.
//!
//! A save shows its change at once (optimistic), asks Jira whether the issue changed
//! since it was loaded (someone else's edit is never overwritten silently), sends the
//! write once, and on success reloads the issue. When Jira refuses, the change is taken
//! back on screen and the editor reopens as the user left it, with Jira's message next
//! to the field it concerns.

pub mod audience;
pub mod bulk;
pub mod create;
pub mod pick;
pub mod rich;
pub mod transition;

use chrono::{DateTime, FixedOffset, NaiveDate};

use self::pick::PickStep;
use super::{Effect, command, open_issue};
use crate::app::update::nav;
use crate::config::keymap::KeyBinding;
use crate::jira::error::JiraError;
use crate::jira::models::{EditMeta, FieldMeta, Issue};
use crate::jira::worker::{JiraRequest, JiraResponse, RequestId};
use crate::jira::write::IssueUpdate;
use crate::sanitize::sanitize_line;
use crate::state::edit::{
    AfterLoad, ConflictPrompt, DetailSnapshot, Editor, FieldEditor, FieldInput, FieldMenu,
    LineKind, Loading, MenuField, Optimistic, PendingSave, SaveStage, ServerChange, UserScope,
};
use crate::state::fieldkind::{self, FieldKind, FieldValue};
use crate::state::input::InputOutcome;
use crate::state::picker::PickerItem;
use crate::state::{Pane, State, TextInput};
use crossterm::event::{KeyCode, KeyModifiers};

/// The issue an editing key acts on: the highlighted row in the results, the open
/// issue elsewhere.
pub fn target_key(state: &State) -> Option<String> {
    match state.focus {
        Pane::Results => state.search.selected_row().map(|r| r.key.clone()),
        _ => state.issue.key.clone(),
    }
}

/// Makes sure `key` is the open issue (editors show and start from its values).
fn ensure_open(state: &mut State, key: &str) -> Vec<Effect> {
    if state.issue.key.as_deref() == Some(key) && state.issue.detail.is_some() {
        return Vec::new();
    }
    let focus = state.focus;
    let effects = nav::open(state, key);
    // Editing from the results keeps the cursor there; the detail pane follows.
    state.focus = focus;
    effects
}

/// `e`: the field menu of the highlighted or open issue, from its editmeta.
pub fn open_menu(state: &mut State) -> Vec<Effect> {
    load_meta(state, AfterLoad::Menu)
}

/// Opens the editor of one field (`field` is its id), loading editmeta first.
pub fn open_field(state: &mut State, field: &str) -> Vec<Effect> {
    load_meta(state, AfterLoad::Field(field.to_owned()))
}

fn load_meta(state: &mut State, then: AfterLoad) -> Vec<Effect> {
    let Some(key) = target_key(state) else {
        state.info("No issue to edit: open one first");
        return Vec::new();
    };
    if !state.allow_write(&format!("edit {key}")) {
        return Vec::new();
    }
    let mut effects = ensure_open(state, &key);
    let effect = command(state, JiraRequest::EditMeta { key: key.clone() });
    let Effect::Jira(cmd) = &effect else {
        return effects;
    };
    state.edit.editor = Some(Editor::Loading(Loading {
        what: format!("the fields of {key}"),
        key,
        request: cmd.id,
        then,
    }));
    effects.push(effect);
    effects
}

/// `a` / `u`: assign the issue to me, or to nobody, at once.
pub fn assign(state: &mut State, to_me: bool) -> Vec<Effect> {
    let Some(key) = target_key(state) else {
        state.info("No issue to assign: open one first");
        return Vec::new();
    };
    let verb = if to_me { "assign" } else { "unassign" };
    if !state.allow_write(&format!("{verb} {key}")) {
        return Vec::new();
    }
    let account = if to_me {
        match state.edit.my_account.clone() {
            Some(id) => Some(id),
            None => {
                state.error("Not yet known who you are; try again in a moment");
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
    let optimistic = show_change(state, &key, "assignee", &shown);
    let save = PendingSave::new(
        vec![key.clone()],
        format!("Assignee of {key}"),
        JiraRequest::Assign {
            key: key.clone(),
            account_id: account,
        },
        vec!["assignee".to_owned()],
    )
    .with_shown(vec![optimistic]);
    send_write(state, save)
}

/// The value the detail pane shows for `label`.
fn shown_value(state: &State, key: &str, label: &str) -> String {
    state
        .issue
        .detail
        .as_ref()
        .filter(|d| d.key == key)
        .and_then(|d| d.fields.iter().find(|(l, _)| l == label))
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

/// What a save of a field is called in messages: the field's own name ("Time
/// tracking", "Sprint"), the detail pane's label when Jira gave none.
fn save_label(field: &str, name: &str) -> String {
    if name.trim().is_empty() {
        detail_label(field, name)
    } else {
        name.to_owned()
    }
}

/// The detail pane's label for a field id, where it has one.
pub fn detail_label(field: &str, name: &str) -> String {
    match field {
        "issuetype" => "Type".to_owned(),
        "priority" => "Priority".to_owned(),
        "resolution" => "Resolution".to_owned(),
        "assignee" => "Assignee".to_owned(),
        "reporter" => "Reporter".to_owned(),
        "labels" => "Labels".to_owned(),
        "components" => "Components".to_owned(),
        "fixVersions" => "Fix versions".to_owned(),
        "versions" => "Affects".to_owned(),
        "duedate" => "Due".to_owned(),
        "timetracking" => "Time".to_owned(),
        _ => sanitize_line(name).into_owned(),
    }
}

/// Shows `value` for `field` of `key` at once, in the detail pane and the results row,
/// and remembers what was there.
pub fn show_change(state: &mut State, key: &str, field: &str, value: &str) -> Optimistic {
    let name = state
        .edit
        .meta
        .as_ref()
        .filter(|(k, _)| k == key)
        .and_then(|(_, m)| m.fields.get(field))
        .map(|m| m.name.clone())
        .unwrap_or_else(|| field.to_owned());
    let label = detail_label(field, &name);
    let value = sanitize_line(value).into_owned();
    let mut optimistic = Optimistic {
        key: key.to_owned(),
        detail_before: None,
        row_before: None,
    };
    if let Some(detail) = state.issue.detail.as_mut().filter(|d| d.key == key) {
        optimistic.detail_before = Some(DetailSnapshot {
            summary: detail.summary.clone(),
            status: detail.status.clone(),
            category: detail.category,
            fields: detail.fields.clone(),
        });
        if field == "summary" {
            detail.summary = value.clone();
        } else if field == "status" {
            detail.status = value.clone();
        } else if let Some(entry) = detail.fields.iter_mut().find(|(l, _)| *l == label) {
            entry.1 = value.clone();
        } else {
            detail.fields.push((label, value.clone()));
        }
        state.issue.touch();
    }
    if let Some(row) = state.search.rows.iter_mut().find(|r| r.key == key) {
        optimistic.row_before = Some(row.clone());
        match field {
            "summary" => row.summary = value,
            "priority" => row.priority = value,
            "assignee" => row.assignee = value,
            "issuetype" => row.issue_type = value,
            "labels" => row.labels = value,
            "components" => row.components = value,
            "reporter" => row.reporter = value,
            "resolution" => row.resolution = value,
            "status" => row.status = value,
            _ => {}
        }
    }
    optimistic
}

/// Shows the issue in `status` (of `category`) at once, in the detail pane and the
/// results row, and remembers what was there.
pub fn show_status(
    state: &mut State,
    key: &str,
    status: &str,
    category: crate::state::search::StatusCategory,
) -> Optimistic {
    let optimistic = show_change(state, key, "status", status);
    if let Some(detail) = state.issue.detail.as_mut().filter(|d| d.key == key) {
        detail.category = category;
    }
    if let Some(row) = state.search.rows.iter_mut().find(|r| r.key == key) {
        row.category = category;
    }
    optimistic
}

/// Puts back what `optimistic` changed, where nothing newer replaced it.
pub fn take_back(state: &mut State, optimistic: &Optimistic) {
    if let (Some(before), Some(detail)) = (
        &optimistic.detail_before,
        state
            .issue
            .detail
            .as_mut()
            .filter(|d| d.key == optimistic.key),
    ) {
        detail.summary = before.summary.clone();
        detail.status = before.status.clone();
        detail.category = before.category;
        detail.fields = before.fields.clone();
        state.issue.touch();
    }
    if let Some(before) = &optimistic.row_before
        && let Some(row) = state
            .search
            .rows
            .iter_mut()
            .find(|r| r.key == optimistic.key)
    {
        *row = before.clone();
    }
}

/// Starts a save: the conflict check first when the issue's `updated` is known,
/// otherwise the write itself.
pub fn start_save(state: &mut State, mut save: PendingSave) -> Vec<Effect> {
    let Some(key) = save.keys.first().cloned() else {
        return Vec::new();
    };
    if save.base_updated.is_none() {
        return send_write(state, save);
    }
    let effect = command(
        state,
        JiraRequest::Current {
            key,
            fields: save.fields.clone(),
        },
    );
    if let Effect::Jira(cmd) = &effect {
        save.stage = SaveStage::Checking(cmd.id);
        state.edit.saves.insert(cmd.id, save);
    }
    vec![effect]
}

/// Sends the write of `save`, once.
pub fn send_write(state: &mut State, mut save: PendingSave) -> Vec<Effect> {
    let effect = command(state, save.write.clone());
    if let Effect::Jira(cmd) = &effect {
        save.stage = SaveStage::Writing(cmd.id);
        state.info(format!("Saving {}…", save.label));
        state.edit.saves.insert(cmd.id, save);
    }
    vec![effect]
}

/// `updated` of the open issue, when it is `key`.
pub fn loaded_updated(state: &State, key: &str) -> Option<DateTime<FixedOffset>> {
    state
        .issue
        .raw
        .as_ref()
        .filter(|i| i.key == key)
        .and_then(|i| i.fields.updated)
}

/// The changes someone other than me made to `issue` after `since`, newest last.
fn changes_since(
    issue: &Issue,
    since: DateTime<FixedOffset>,
    me: Option<&str>,
) -> Vec<ServerChange> {
    let Some(changelog) = &issue.changelog else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for history in &changelog.histories {
        let Some(created) = history.created.filter(|c| *c > since) else {
            continue;
        };
        let author_id = history.author.as_ref().map(|a| a.account_id.as_str());
        if author_id.is_some() && author_id == me {
            continue;
        }
        let author = history.author.as_ref().map_or_else(
            || "someone".to_owned(),
            |a| sanitize_line(&a.display_name).into_owned(),
        );
        for item in &history.items {
            out.push(ServerChange {
                field: sanitize_line(&item.field).into_owned(),
                author: author.clone(),
                when: created.format("%Y-%m-%d %H:%M").to_string(),
                from: sanitize_line(item.from_string.as_deref().unwrap_or("")).into_owned(),
                to: sanitize_line(item.to_string.as_deref().unwrap_or("")).into_owned(),
            });
        }
    }
    out
}

/// Whether an answer is for editing (a save's, or what an editor waits for).
pub fn owns(state: &State, id: RequestId, response: &JiraResponse) -> bool {
    state.edit.saves.contains_key(&id)
        || matches!(
            response,
            JiraResponse::EditMeta(_)
                | JiraResponse::Transitions(_)
                | JiraResponse::Users(_)
                | JiraResponse::Labels(_)
                | JiraResponse::Candidates(_)
                | JiraResponse::Sprints(_)
                | JiraResponse::IssueTypes(_)
                | JiraResponse::CreateFields(_)
        )
        || rich::owns(state, id)
        || transition::owns(state, id)
}

/// Answers to editing requests (see [`owns`]).
pub fn on_response(state: &mut State, id: RequestId, response: JiraResponse) -> Vec<Effect> {
    if let Some(save) = state.edit.saves.remove(&id) {
        let mut effects = on_save_answer(state, id, save, response);
        bulk::after_write(state, id, None);
        effects.extend(bulk::resume(state));
        return effects;
    }
    if rich::owns(state, id) {
        return rich::on_response(state, id, response);
    }
    if transition::owns(state, id) {
        transition::on_audience(state, id, &response);
        return Vec::new();
    }
    if bulk::awaits(state, id) {
        return bulk::on_fetched(state, response);
    }
    match response {
        JiraResponse::EditMeta(meta) => on_meta(state, id, *meta),
        JiraResponse::Transitions(found) => transition::on_transitions(state, id, found),
        JiraResponse::Users(users) => {
            pick::on_users(state, id, &users);
            Vec::new()
        }
        JiraResponse::Labels(labels) => {
            pick::on_labels(state, id, labels);
            Vec::new()
        }
        JiraResponse::Candidates(issues) => {
            pick::on_candidates(state, id, &issues);
            Vec::new()
        }
        JiraResponse::Sprints(sprints) => {
            pick::on_sprints(state, id, &sprints);
            Vec::new()
        }
        JiraResponse::IssueTypes(types) => create::on_types(state, id, types),
        JiraResponse::CreateFields(fields) => create::on_fields(state, id, fields),
        _ => Vec::new(),
    }
}

fn on_save_answer(
    state: &mut State,
    id: RequestId,
    save: PendingSave,
    response: JiraResponse,
) -> Vec<Effect> {
    match (save.stage, response) {
        (SaveStage::Checking(_), JiraResponse::Current(current)) => {
            let changed = match (save.base_updated, current.fields.updated) {
                (Some(base), Some(now)) => now > base,
                _ => false,
            };
            let changes = save
                .base_updated
                .map(|base| changes_since(&current, base, state.edit.my_account.as_deref()))
                .unwrap_or_default();
            if changed && !changes.is_empty() {
                for optimistic in &save.optimistic {
                    take_back(state, optimistic);
                }
                rich::take_back(state, &save);
                state.error(format!(
                    "{} changed on the server since you opened it: choose what to do",
                    save.keys.join(", ")
                ));
                state.edit.editor = Some(Editor::Conflict(ConflictPrompt {
                    server_updated: current.fields.updated,
                    changes,
                    save: Box::new(save),
                }));
                return Vec::new();
            }
            send_write(state, save)
        }
        (SaveStage::Writing(_), JiraResponse::Created(created)) => {
            create::on_created(state, save, created)
        }
        (SaveStage::Writing(_), response) => {
            state.info(format!("Saved {}", save.label));
            let mut effects = rich::forget_draft(state, &save);
            if !rich::on_written(state, id, &save, &response) {
                effects.extend(reload_after_write(state, &save.keys));
            }
            effects
        }
        (SaveStage::Checking(_), _) => Vec::new(),
    }
}

/// After a write: the open issue comes again from Jira (the truth, with the new
/// `updated`), where the user was reading.
pub fn reload_after_write(state: &mut State, keys: &[String]) -> Vec<Effect> {
    let Some(open) = state.issue.key.clone() else {
        return Vec::new();
    };
    if !keys.contains(&open) || state.issue.status.is_loading() {
        return Vec::new();
    }
    let scroll = state.issue.scroll.get();
    let tab = state.issue.tab;
    let related = state.issue.related_selected;
    let effects = open_issue(state, &open);
    state.issue.tab = tab;
    state.issue.related_selected = related;
    state.issue.pending_scroll = Some(scroll);
    effects
}

/// A failed request of ours: true when it was.
pub fn on_error(state: &mut State, id: RequestId, error: &JiraError, text: &str) -> bool {
    if let Some(save) = state.edit.saves.remove(&id) {
        let message = field_message(error, &save.fields, text);
        on_save_failed(state, id, save, error, text);
        bulk::after_write(state, id, Some(message));
        return true;
    }
    if rich::on_error(state, id) || transition::on_audience_error(state, id) {
        return true;
    }
    if bulk::awaits(state, id) {
        state.edit.editor = None;
        state.error(text.to_owned());
        return true;
    }
    if let Some(Editor::Loading(loading)) = &state.edit.editor
        && loading.request == id
    {
        state.edit.editor = None;
        state.error(text.to_owned());
        return true;
    }
    if pick::on_error(state, id) || create::on_error(state, id, text) {
        state.error(text.to_owned());
        return true;
    }
    false
}

/// Jira's message for `field` out of an error, or the whole message.
pub fn field_message(error: &JiraError, fields: &[String], text: &str) -> String {
    if let JiraError::Api { field_errors, .. } = error {
        let mine: Vec<String> = fields
            .iter()
            .filter_map(|f| field_errors.get(f))
            .map(|m| sanitize_line(m).into_owned())
            .collect();
        if !mine.is_empty() {
            return mine.join("; ");
        }
    }
    text.to_owned()
}

fn on_save_failed(
    state: &mut State,
    id: RequestId,
    save: PendingSave,
    error: &JiraError,
    text: &str,
) {
    for optimistic in &save.optimistic {
        take_back(state, optimistic);
    }
    rich::on_failed(state, id, &save);
    let message = field_message(error, &save.fields, text);
    state.error(format!("{} not saved: {message}", save.label));
    if let Some(mut editor) = save.editor {
        if let Editor::Create(form) = editor.as_mut() {
            create::place_errors(form, error, text);
        }
        set_editor_error(&mut editor, error, message);
        // The user's text and choices come back; a newer editor they opened meanwhile
        // stays in front (the status line says what failed).
        if state.edit.editor.is_none() {
            state.edit.editor = Some(*editor);
        }
    }
}

fn set_editor_error(editor: &mut Editor, error: &JiraError, message: String) {
    match editor {
        Editor::Field(f) => f.error = Some(message),
        Editor::Rich(r) => rich::set_error(r, message),
        Editor::Transitions(menu) => menu.error = Some(message),
        Editor::TransitionForm(form) => transition::set_errors(form, error, message),
        _ => {}
    }
}

fn on_meta(state: &mut State, id: RequestId, meta: EditMeta) -> Vec<Effect> {
    let Some(Editor::Loading(loading)) = &state.edit.editor else {
        return Vec::new();
    };
    if loading.request != id {
        return Vec::new();
    }
    let key = loading.key.clone();
    let then = loading.then.clone();
    state.edit.meta = Some((key.clone(), meta.clone()));
    match then {
        AfterLoad::Menu => {
            let fields = menu_fields(state, &key, &meta);
            state.edit.editor = Some(Editor::Menu(Box::new(FieldMenu {
                key,
                fields,
                filter: TextInput::default(),
                selected: 0,
                meta,
                offset: Default::default(),
            })));
        }
        AfterLoad::Field(field) => {
            state.edit.editor = None;
            return match meta.fields.get(&field) {
                Some(field_meta) => open_editor(state, &key, &field, field_meta.clone()),
                None => {
                    state.error(format!(
                        "Jira does not let you change {} of {key}",
                        detail_label(&field, &field)
                    ));
                    Vec::new()
                }
            };
        }
        // Waits for transitions, not editmeta.
        AfterLoad::Transitions => {}
    }
    Vec::new()
}

/// The menu: every field editmeta offers, then the detail pane's other fields,
/// read-only.
fn menu_fields(state: &State, key: &str, meta: &EditMeta) -> Vec<MenuField> {
    let mut out: Vec<MenuField> = meta
        .fields
        .iter()
        .map(|(id, m)| {
            let name = sanitize_line(&m.name).into_owned();
            let label = detail_label(id, &name);
            let detail = state.issue.detail.as_ref().filter(|d| d.key == key);
            let current = match id.as_str() {
                "summary" => detail.map(|d| d.summary.clone()).unwrap_or_default(),
                // Shown in the body, not among the fields: its first words here.
                "description" => detail
                    .and_then(|d| d.description.as_ref())
                    .map(first_line)
                    .unwrap_or_default(),
                "parent" => detail
                    .and_then(|d| d.related.iter().find(|r| r.relation == "Parent"))
                    .map(|p| format!("{} {}", p.key, p.summary))
                    .unwrap_or_default(),
                _ => shown_value(state, key, &label),
            };
            MenuField {
                id: id.clone(),
                name: if name.is_empty() { id.clone() } else { name },
                current,
                editable: true,
                required: m.required,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        (a.id != "summary", !a.required, a.name.to_lowercase()).cmp(&(
            b.id != "summary",
            !b.required,
            b.name.to_lowercase(),
        ))
    });
    if let Some(detail) = state.issue.detail.as_ref().filter(|d| d.key == key) {
        for (label, value) in &detail.fields {
            let offered = out.iter().any(|f| detail_label(&f.id, &f.name) == *label);
            if !offered {
                out.push(MenuField {
                    id: String::new(),
                    name: label.clone(),
                    current: value.clone(),
                    editable: false,
                    required: false,
                });
            }
        }
    }
    out
}

/// The first line with text of a document, for a one-line summary of it.
fn first_line(doc: &crate::jira::adf::Adf) -> String {
    let text = crate::jira::adf::plain_text(doc);
    let line = text.lines().map(str::trim).find(|l| !l.is_empty());
    sanitize_line(line.unwrap_or_default()).into_owned()
}

/// How a field is edited, from its schema, when it is typed as one line.
pub fn line_kind(meta: &FieldMeta) -> Option<LineKind> {
    LineKind::of(fieldkind::classify(meta))
}

/// Today and the user's offset, from the time `App` last gave the state (`update` reads
/// no clock); `None` until it has.
pub fn today(state: &State) -> Option<(NaiveDate, FixedOffset)> {
    let local = state.now?.with_timezone(&chrono::Local);
    Some((local.date_naive(), *local.offset()))
}

/// What a line of `kind` holds, relative dates resolved against `today(state)`.
pub fn parse_line(state: &State, kind: LineKind, text: &str) -> Result<FieldValue, String> {
    let kind = kind.field_kind();
    if let Some((today, offset)) = today(state) {
        return fieldkind::parse_input(kind, text, today, offset);
    }
    // No clock yet: an absolute value reads the same against any day, a relative one
    // does not and cannot be resolved.
    let utc = utc();
    let one = fieldkind::parse_input(kind, text, NaiveDate::MIN, utc)?;
    let other = fieldkind::parse_input(kind, text, NaiveDate::MAX, utc)?;
    if one == other {
        Ok(one)
    } else {
        Err("today's date is not known yet: type the date itself (2026-12-01)".to_owned())
    }
}

/// The preview under a date line (`+3d → Tue 2026-12-01`), or why the text is no date.
pub fn line_preview(state: &State, kind: LineKind, text: &str) -> Result<Option<String>, String> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    if kind == LineKind::TimeTracking {
        // Durations do not depend on the day.
        return fieldkind::input_preview(kind.field_kind(), text, NaiveDate::MIN, utc());
    }
    if !matches!(kind, LineKind::Date | LineKind::DateTime) {
        return Ok(None);
    }
    let Some((today, offset)) = today(state) else {
        return Ok(None);
    };
    fieldkind::input_preview(kind.field_kind(), text, today, offset)
}

/// The value of `field` on `key` as its editor starts from it.
fn current_value(state: &State, key: &str, field: &str, meta: &FieldMeta) -> FieldValue {
    state
        .issue
        .raw
        .as_ref()
        .filter(|i| i.key == key)
        .map_or(FieldValue::Empty, |issue| {
            fieldkind::current_value(issue, field, meta)
        })
}

/// Opens the editor that fits `meta`, or says why there is none; the effects fill it
/// (labels, users).
#[must_use]
pub fn open_editor(state: &mut State, key: &str, field: &str, meta: FieldMeta) -> Vec<Effect> {
    if rich::is_rich(field, &meta) {
        let name = if meta.name.trim().is_empty() {
            field.to_owned()
        } else {
            meta.name.clone()
        };
        return rich::open_field(state, key, field, &name);
    }
    let kind = fieldkind::classify(&meta);
    let current = current_value(state, key, field, &meta);
    let (input, effects) = if let Some(line) = LineKind::of(kind) {
        let offset = today(state).map_or_else(utc, |(_, o)| o);
        let text = sanitize_line(&fieldkind::editor_text(&current, offset)).into_owned();
        (
            FieldInput::Line {
                kind: line,
                input: TextInput::new(&text),
            },
            Vec::new(),
        )
    } else if kind.uses_picker() {
        let users = Some(match kind {
            FieldKind::Parent => parent_scope(state, key),
            _ => UserScope::Issue(key.to_owned()),
        });
        match pick::pick_field(state, &meta, current, users) {
            Some((field, effects)) => (FieldInput::Pick(Box::new(field)), effects),
            None => return cannot_edit(state, key, &meta),
        }
    } else {
        return cannot_edit(state, key, &meta);
    };
    state.edit.editor = Some(Editor::Field(Box::new(FieldEditor {
        key: key.to_owned(),
        field: field.to_owned(),
        meta,
        input,
        error: None,
        hint: None,
    })));
    effects
}

/// Where the parents of `key` are: its project, one level up (a sub-task's parent is
/// a standard issue, anything else's an epic).
fn parent_scope(state: &State, key: &str) -> UserScope {
    let issue = state.issue.raw.as_ref().filter(|i| i.key == key);
    let project = issue
        .and_then(|i| i.fields.project.as_ref())
        .map(|p| p.key.clone())
        .filter(|k| !k.is_empty())
        .unwrap_or_else(|| key.rsplit_once('-').map_or(key, |(p, _)| p).to_owned());
    let subtask = issue
        .and_then(|i| i.fields.issuetype.as_ref())
        .is_some_and(|t| t.subtask || t.hierarchy_level == Some(-1));
    UserScope::Parents { project, subtask }
}

fn cannot_edit(state: &mut State, key: &str, meta: &FieldMeta) -> Vec<Effect> {
    state.error(format!(
        "{} of {key} cannot be edited in jtui yet",
        sanitize_line(&meta.name)
    ));
    Vec::new()
}

/// A key while an editor is open.
pub fn on_key(state: &mut State, key: KeyBinding) -> Vec<Effect> {
    let Some(editor) = state.edit.editor.take() else {
        return Vec::new();
    };
    match editor {
        Editor::Loading(loading) => {
            let cancel = key.code == KeyCode::Esc
                || (key.code == KeyCode::Char('c')
                    && key.modifiers.contains(KeyModifiers::CONTROL));
            if !cancel {
                state.edit.editor = Some(Editor::Loading(loading));
            }
            Vec::new()
        }
        Editor::Menu(menu) => menu_key(state, menu, key),
        Editor::Field(editor) => field_key(state, editor, key),
        Editor::Conflict(prompt) => conflict_key(
            state,
            *prompt.save,
            prompt.server_updated,
            prompt.changes,
            key,
        ),
        Editor::Rich(editor) => rich::rich_key(state, editor, key),
        Editor::Comments(list) => rich::list_key(state, list, key),
        Editor::ConfirmDelete(confirm) => rich::confirm_key(state, confirm, key),
        Editor::Transitions(menu) => transition::menu_key(state, menu, key),
        Editor::TransitionForm(form) => transition::form_key(state, form, key),
        Editor::Bulk(menu) => bulk::menu_key(state, menu, key),
        Editor::BulkFetch(fetch) => {
            if !is_cancel(key) {
                state.edit.editor = Some(Editor::BulkFetch(fetch));
            }
            Vec::new()
        }
        Editor::BulkRun(run) => bulk::run_key(state, run, key),
        Editor::Create(form) => create::on_key(state, form, key),
    }
}

/// Text pasted while an editor is open (one line, except for the rich editor).
pub fn on_paste(state: &mut State, text: &str) -> Vec<Effect> {
    if let Some(Editor::Rich(editor)) = &mut state.edit.editor {
        return rich::paste(editor, text);
    }
    let Some(mut editor) = state.edit.editor.take() else {
        return Vec::new();
    };
    let mut effects = Vec::new();
    match &mut editor {
        Editor::Menu(menu) => {
            menu.filter.insert_str(text);
            menu.selected = 0;
        }
        Editor::Field(editor) => match &mut editor.input {
            FieldInput::Line { input, .. } => input.insert_str(text),
            FieldInput::Pick(field) => effects = pick::paste(state, field, text),
        },
        Editor::TransitionForm(form) => effects = transition::paste(state, form, text),
        Editor::Bulk(menu) => effects = bulk::paste(state, menu, text),
        Editor::Create(form) => effects = create::on_paste(state, form, text),
        _ => {}
    }
    state.edit.editor = Some(editor);
    effects
}

/// Esc or Ctrl-C: what closes a popup.
pub fn is_cancel(key: KeyBinding) -> bool {
    key.code == KeyCode::Esc
        || (key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL))
}

/// The single-line editing step a key means, if any: the readline keys every input
/// shares, plus Ctrl-C, which cancels inside an editor (it quits elsewhere).
pub fn line_edit(key: KeyBinding) -> Option<crate::app::action::InputEdit> {
    if is_cancel(key) {
        return Some(crate::app::action::InputEdit::Cancel);
    }
    crate::config::keymap::text_edit(crossterm::event::KeyEvent::new(key.code, key.modifiers))
}

fn menu_key(state: &mut State, mut menu: Box<FieldMenu>, key: KeyBinding) -> Vec<Effect> {
    let len = menu.visible().len();
    match key.code {
        KeyCode::Esc => return Vec::new(),
        KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => return Vec::new(),
        KeyCode::Up => menu.selected = menu.selected.saturating_sub(1),
        KeyCode::Down => menu.selected = (menu.selected + 1).min(len.saturating_sub(1)),
        KeyCode::PageUp => menu.selected = menu.selected.saturating_sub(10),
        KeyCode::PageDown => menu.selected = (menu.selected + 10).min(len.saturating_sub(1)),
        KeyCode::Enter => {
            let Some(field) = menu.selected_field().cloned() else {
                state.edit.editor = Some(Editor::Menu(menu));
                return Vec::new();
            };
            if !field.editable {
                state.info(format!(
                    "{} is read-only here: Jira does not let you edit it on this issue",
                    field.name
                ));
                state.edit.editor = Some(Editor::Menu(menu));
                return Vec::new();
            }
            let Some(meta) = menu.meta.fields.get(&field.id).cloned() else {
                return Vec::new();
            };
            return open_editor(state, &menu.key, &field.id, meta);
        }
        _ => {
            if let Some(edit) = line_edit(key)
                && menu.filter.apply(edit) == InputOutcome::Edited
            {
                menu.selected = 0;
            }
        }
    }
    state.edit.editor = Some(Editor::Menu(menu));
    Vec::new()
}

fn field_key(state: &mut State, mut editor: Box<FieldEditor>, key: KeyBinding) -> Vec<Effect> {
    let kind = match &mut editor.input {
        FieldInput::Line { kind, .. } => *kind,
        FieldInput::Pick(field) => {
            return match pick::key(state, field, key) {
                PickStep::Continue(effects) => {
                    state.edit.editor = Some(Editor::Field(editor));
                    effects
                }
                PickStep::Cancelled => Vec::new(),
                PickStep::Chosen(items) => save_pick(state, editor, items),
            };
        }
    };
    let Some(edit) = line_edit(key) else {
        state.edit.editor = Some(Editor::Field(editor));
        return Vec::new();
    };
    let FieldInput::Line { input, .. } = &mut editor.input else {
        return Vec::new();
    };
    match input.apply(edit) {
        InputOutcome::Cancelled => return Vec::new(),
        InputOutcome::Submitted => {
            let text = input.text().to_owned();
            match parse_line(state, kind, &text) {
                Ok(value) => {
                    if editor.field == "summary" && value == FieldValue::Empty {
                        editor.error = Some("The summary cannot be empty".to_owned());
                    } else if kind == LineKind::TimeTracking && value == FieldValue::Empty {
                        editor.error = Some(
                            "Type an estimate: original / remaining, as in 3d / 1d 4h".to_owned(),
                        );
                    } else {
                        let json = fieldkind::write_value(kind.field_kind(), &value);
                        let shown = match &value {
                            FieldValue::Empty => String::new(),
                            FieldValue::Estimates(estimates) => estimates.shown(),
                            other => fieldkind::editor_text(
                                other,
                                today(state).map_or_else(utc, |(_, o)| o),
                            ),
                        };
                        return save_field(state, editor, json, &shown);
                    }
                }
                Err(e) => editor.error = Some(e),
            }
        }
        InputOutcome::Edited => {
            let text = input.text().to_owned();
            editor.error = None;
            match line_preview(state, kind, &text) {
                Ok(hint) => editor.hint = hint,
                Err(_) => editor.hint = None,
            }
        }
        InputOutcome::Moved => {}
    }
    state.edit.editor = Some(Editor::Field(editor));
    Vec::new()
}

/// UTC, the offset used before the state knows the user's.
fn utc() -> FixedOffset {
    chrono::Offset::fix(&chrono::Utc)
}

/// Saves what was chosen in a picker: the assignee through `PUT …/assignee`, any other
/// field with `set` (one value) or `add`/`remove` of what changed (lists).
fn save_pick(
    state: &mut State,
    mut editor: Box<FieldEditor>,
    items: Vec<PickerItem>,
) -> Vec<Effect> {
    let FieldInput::Pick(field) = &editor.input else {
        return Vec::new();
    };
    let kind = field.kind;
    let key = editor.key.clone();
    let id = editor.field.clone();
    let shown = pick::shown(&id, &items);
    let new = pick::chosen_value(kind, items);
    let write = if id == "assignee" {
        let account = new.items().first().map(|i| i.id.clone());
        if field.original.items().first().map(|i| &i.id) == account.as_ref() {
            state.info("No change");
            return Vec::new();
        }
        JiraRequest::Assign {
            key: key.clone(),
            account_id: account,
        }
    } else {
        match fieldkind::build_update(&id, &editor.meta, &field.original, &new) {
            Ok(update) if update.is_empty() => {
                state.info("No change");
                return Vec::new();
            }
            Ok(update) => JiraRequest::EditIssue {
                key: key.clone(),
                update,
            },
            Err(e) => {
                state.error(e.to_string());
                return Vec::new();
            }
        }
    };
    // Reopened as the user left it if the save fails: nothing pending in it.
    if let FieldInput::Pick(field) = editor.input {
        editor.input = FieldInput::Pick(Box::new(pick::settled(*field)));
    }
    let name = sanitize_line(&editor.meta.name).into_owned();
    let optimistic = show_change(state, &key, &id, &shown);
    let save = PendingSave::new(
        vec![key.clone()],
        format!("{} of {key}", save_label(&id, &name)),
        write,
        vec![id],
    )
    .with_base(loaded_updated(state, &key))
    .with_editor(Editor::Field(editor))
    .with_shown(vec![optimistic]);
    start_save(state, save)
}

/// Saves one field's new value: `fields: {id: value}`.
fn save_field(
    state: &mut State,
    editor: Box<FieldEditor>,
    value: serde_json::Value,
    shown: &str,
) -> Vec<Effect> {
    let key = editor.key.clone();
    let field = editor.field.clone();
    let name = sanitize_line(&editor.meta.name).into_owned();
    let optimistic = show_change(state, &key, &field, shown.trim());
    let save = PendingSave::new(
        vec![key.clone()],
        format!("{} of {key}", save_label(&field, &name)),
        JiraRequest::EditIssue {
            key: key.clone(),
            update: IssueUpdate::new().set(field.clone(), value),
        },
        vec![field],
    )
    .with_base(loaded_updated(state, &key))
    .with_editor(Editor::Field(editor))
    .with_shown(vec![optimistic]);
    start_save(state, save)
}

fn conflict_key(
    state: &mut State,
    mut save: PendingSave,
    server_updated: Option<DateTime<FixedOffset>>,
    changes: Vec<crate::state::edit::ServerChange>,
    key: KeyBinding,
) -> Vec<Effect> {
    match key.code {
        // Overwrite: the user has seen what changed and keeps their value.
        KeyCode::Char('o') => {
            let mut optimistic = Vec::new();
            // Show the change again (it was taken back when the conflict was found).
            if rich::show_again(state, &save) {
                // A rich field's document, shown as the description.
            } else if let (Some(key), JiraRequest::EditIssue { update, .. }) =
                (save.keys.first().cloned(), &save.write)
            {
                for (field, value) in &update.fields {
                    let shown = match value {
                        serde_json::Value::String(s) => s.clone(),
                        serde_json::Value::Null => String::new(),
                        other => other.to_string(),
                    };
                    optimistic.push(show_change(state, &key, field, &shown));
                }
            }
            save.optimistic = optimistic;
            save.base_updated = server_updated;
            send_write(state, save)
        }
        // Back to the editor, the user's value as it was; the issue reloads so the
        // editor's next save compares with what is there now.
        KeyCode::Char('e') | KeyCode::Esc => {
            let keys = save.keys.clone();
            if let Some(editor) = save.editor {
                state.edit.editor = Some(*editor);
            }
            state.info("Not saved; your change is still in the editor");
            reload_after_write(state, &keys)
        }
        _ => {
            state.edit.editor = Some(Editor::Conflict(ConflictPrompt {
                save: Box::new(save),
                changes,
                server_updated,
            }));
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_dates_need_the_time_the_app_gave() {
        let mut state = State::default();
        assert_eq!(
            parse_line(&state, LineKind::Date, "2026-12-01"),
            Ok(FieldValue::Date(
                NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
            ))
        );
        assert!(parse_line(&state, LineKind::Date, "+3d").is_err());
        assert_eq!(line_preview(&state, LineKind::Date, "+3d"), Ok(None));
        state.now = Some(
            chrono::DateTime::parse_from_rfc3339("2026-11-20T12:00:00Z")
                .unwrap()
                .with_timezone(&chrono::Utc),
        );
        let (today, _) = today(&state).unwrap();
        let expected = today + chrono::Days::new(3);
        assert_eq!(
            parse_line(&state, LineKind::Date, "+3d"),
            Ok(FieldValue::Date(expected))
        );
        let preview = line_preview(&state, LineKind::Date, "+3d")
            .unwrap()
            .unwrap();
        assert!(preview.contains(&expected.format("%Y-%m-%d").to_string()));
        assert_eq!(line_preview(&state, LineKind::Number, "3"), Ok(None));
    }
}
