//! Editing: the editor popup that is open (if any), the saves in flight with what they
//! changed on screen ahead of Jira's answer, and the rows marked for a bulk change.
//!
//! An editor owns the user's text and choices until Jira has accepted them: a save that
//! fails reopens the editor exactly as it was, with Jira's message next to the field it
//! concerns. Nothing here does I/O; `app::update::edit` drives it.

pub mod bulk;
pub mod transition;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, FixedOffset};

pub mod create;

use super::fieldkind::{FieldKind, FieldValue};
use super::input::TextInput;
use super::picker::Picker;
use super::search::IssueRow;
use crate::jira::models::{EditMeta, FieldMeta};
use crate::jira::worker::{JiraRequest, RequestId};

pub use create::{CreateField, CreateForm, CreateRow, CreateStage, RowEditor};

/// The popup in front of the panes while the user edits something.
#[derive(Debug, Clone)]
pub enum Editor {
    /// Waiting for what an editor needs (editmeta, transitions...); Esc gives up.
    Loading(Loading),
    /// Which field of the issue to edit: the ones `editmeta` allows, then the rest
    /// shown read-only.
    Menu(Box<FieldMenu>),
    /// One field's value.
    Field(Box<FieldEditor>),
    /// Someone else changed the issue since it was loaded: overwrite, or go back.
    Conflict(ConflictPrompt),
    /// A comment or a rich-text field as markdown-style text.
    Rich(Box<super::rich::RichEditor>),
    /// The issue's loaded comments: edit or delete one's own.
    Comments(super::rich::CommentList),
    /// "Delete your comment?"
    ConfirmDelete(super::rich::ConfirmDelete),
    /// Where the issue (or the marked issues) can go from its status.
    Transitions(Box<transition::TransitionMenu>),
    /// The fields a transition's screen asks for.
    TransitionForm(Box<transition::TransitionForm>),
    /// What to change on the marked issues.
    Bulk(Box<bulk::BulkMenu>),
    /// Reading what a bulk change needs, issue by issue.
    BulkFetch(Box<bulk::BulkFetch>),
    /// A bulk change under way, then its summary.
    BulkRun(Box<bulk::BulkRun>),
    /// The form that creates an issue or a sub-task.
    Create(Box<CreateForm>),
}

impl Editor {
    /// Drops what the editor waits for (a user search, the label list, the roles and
    /// groups a comment may go to): a copy kept to reopen after a failed save never gets
    /// those answers, and would wait for them for ever. What arrived stays.
    pub fn settle(&mut self) {
        match self {
            Editor::Field(f) => {
                if let FieldInput::Pick(p) = &mut f.input {
                    p.settle();
                }
            }
            Editor::Rich(r) => {
                r.mentions_request = None;
                r.audience.settle();
            }
            Editor::TransitionForm(form) => {
                form.audience.settle();
                if let Some(transition::FormEditor::Pick(p)) = &mut form.editing {
                    p.settle();
                }
            }
            Editor::Create(form) => {
                if let Some(RowEditor::Pick(p)) = &mut form.editing {
                    p.settle();
                }
            }
            _ => {}
        }
    }

    /// The issue the editor works on.
    pub fn issue_key(&self) -> Option<&str> {
        match self {
            Editor::Loading(l) => Some(&l.key),
            Editor::Menu(m) => Some(&m.key),
            Editor::Field(f) => Some(&f.key),
            Editor::Conflict(c) => c.save.keys.first().map(String::as_str),
            Editor::Rich(r) => Some(r.target.key()),
            Editor::Comments(c) => Some(&c.key),
            Editor::ConfirmDelete(c) => Some(&c.key),
            Editor::Transitions(t) => t.keys.first().map(String::as_str),
            Editor::TransitionForm(f) => f.keys.first().map(String::as_str),
            Editor::Bulk(b) => b.keys.first().map(String::as_str),
            Editor::BulkFetch(b) => b.keys.first().map(String::as_str),
            Editor::BulkRun(r) => r.jobs.first().map(|j| j.key.as_str()),
            Editor::Create(form) => form.parent.as_deref(),
        }
    }
}

/// What happens when a [`Loading`] popup's request answers.
#[derive(Debug, Clone, PartialEq)]
pub enum AfterLoad {
    /// Open the field menu.
    Menu,
    /// Open the editor of this field directly (`a`ssign, priority...).
    Field(String),
    /// List the issue's transitions (`t`).
    Transitions,
}

#[derive(Debug, Clone)]
pub struct Loading {
    pub key: String,
    /// "fields of NAV-12": what the popup says it waits for.
    pub what: String,
    pub request: RequestId,
    pub then: AfterLoad,
}

/// One row of the field menu.
#[derive(Debug, Clone, PartialEq)]
pub struct MenuField {
    pub id: String,
    pub name: String,
    /// The value as the detail pane shows it.
    pub current: String,
    /// Jira's editmeta offers it; others are listed greyed out and cannot be chosen.
    pub editable: bool,
    pub required: bool,
}

#[derive(Debug, Clone)]
pub struct FieldMenu {
    pub key: String,
    pub fields: Vec<MenuField>,
    pub filter: TextInput,
    pub selected: usize,
    pub meta: EditMeta,
    /// First visible row, kept by drawing.
    pub offset: std::cell::Cell<usize>,
}

impl FieldMenu {
    /// Indexes into `fields` that match the filter, editable ones first.
    pub fn visible(&self) -> Vec<usize> {
        let needle = self.filter.text().trim().to_lowercase();
        let mut out: Vec<usize> = (0..self.fields.len())
            .filter(|&i| {
                needle.is_empty()
                    || self.fields[i].name.to_lowercase().contains(&needle)
                    || self.fields[i].id.to_lowercase().contains(&needle)
            })
            .collect();
        out.sort_by_key(|&i| !self.fields[i].editable);
        out
    }

    pub fn selected_field(&self) -> Option<&MenuField> {
        self.visible().get(self.selected).map(|&i| &self.fields[i])
    }
}

/// A single-line value: text, a number, a date, a date and time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    Text,
    Number,
    /// `2026-12-01`, or relative (`+3d`, `fri`), previewed as it is typed.
    Date,
    DateTime,
    /// Original / remaining estimate (`3d / 1d 4h`), previewed as it is typed.
    TimeTracking,
}

impl LineKind {
    /// The line editor of a field kind, for the kinds typed as one line.
    pub fn of(kind: FieldKind) -> Option<LineKind> {
        match kind {
            FieldKind::Text => Some(LineKind::Text),
            FieldKind::Number => Some(LineKind::Number),
            FieldKind::Date => Some(LineKind::Date),
            FieldKind::DateTime => Some(LineKind::DateTime),
            FieldKind::TimeTracking => Some(LineKind::TimeTracking),
            _ => None,
        }
    }

    pub fn field_kind(self) -> FieldKind {
        match self {
            LineKind::Text => FieldKind::Text,
            LineKind::Number => FieldKind::Number,
            LineKind::Date => FieldKind::Date,
            LineKind::DateTime => FieldKind::DateTime,
            LineKind::TimeTracking => FieldKind::TimeTracking,
        }
    }
}

/// How the value is being entered.
#[derive(Debug, Clone)]
pub enum FieldInput {
    Line {
        kind: LineKind,
        input: TextInput,
    },
    /// Chosen from a list: selects, labels, users.
    Pick(Box<PickField>),
}

/// A value chosen in a [`Picker`], and what feeds the list when Jira filters it.
#[derive(Debug, Clone)]
pub struct PickField {
    pub kind: FieldKind,
    pub picker: Picker,
    /// The value before editing: a list field writes only what changed (`add`/`remove`).
    pub original: FieldValue,
    /// Users are searched on Jira: where to search (an issue, or a project on create).
    pub users: Option<UserScope>,
    /// The pending debounce of the next user query (`Action::EditorDue`).
    pub due: Option<RequestId>,
    /// The user query in flight and its text; an answer to any other id is stale.
    pub asked: Option<(RequestId, String)>,
    /// Waiting for the list Jira gives once: the site's labels (kept in
    /// [`EditState::labels`] once they came), a parent picker's candidates, or the open
    /// sprints of the project's boards.
    pub list_request: Option<RequestId>,
}

/// Where a picker's choices are asked for on Jira: assignable users of an issue or a
/// project, or the issues that may be a parent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserScope {
    Issue(String),
    Project(String),
    /// Parent candidates in `project`: standard issues when the child is a sub-task,
    /// else epics.
    Parents {
        project: String,
        subtask: bool,
    },
}

#[derive(Debug, Clone)]
pub struct FieldEditor {
    pub key: String,
    pub field: String,
    pub meta: FieldMeta,
    pub input: FieldInput,
    /// Jira's (or our own check's) complaint about the value, shown under it.
    pub error: Option<String>,
    /// A preview of what will be written when it differs from what was typed
    /// (`+3d → 2026-12-01`).
    pub hint: Option<String>,
}

impl PickField {
    /// Nothing pending any more: how it is kept to reopen after a failed save, when no
    /// answer to what it asked will ever reach it.
    pub fn settle(&mut self) {
        self.due = None;
        self.asked = None;
        self.list_request = None;
        self.picker.set_loading(false);
    }

    /// A query is due or out, or the label list is on its way.
    pub fn is_waiting(&self) -> bool {
        self.due.is_some() || self.asked.is_some() || self.list_request.is_some()
    }
}

/// What the user saw change, and what it was before: put back if Jira refuses.
#[derive(Debug, Clone)]
pub struct Optimistic {
    pub key: String,
    /// The detail pane's summary, status and fields before the change, when it showed
    /// this issue.
    pub detail_before: Option<DetailSnapshot>,
    /// The results row before the change.
    pub row_before: Option<IssueRow>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DetailSnapshot {
    pub summary: String,
    pub status: String,
    pub category: super::search::StatusCategory,
    pub fields: Vec<(String, String)>,
}

/// Where a save is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveStage {
    /// Asking Jira whether the issue changed since it was loaded.
    Checking(RequestId),
    /// The write is out.
    Writing(RequestId),
}

/// A change on its way to Jira.
#[derive(Debug, Clone)]
pub struct PendingSave {
    /// The issues it changes (one, except in bulk).
    pub keys: Vec<String>,
    /// What the status line calls it: "Priority of NAV-12".
    pub label: String,
    /// The write, sent once.
    pub write: JiraRequest,
    /// The field ids written, for the conflict check and to put errors in place.
    pub fields: Vec<String>,
    /// `updated` of the issue as it was loaded; `None` skips the conflict check.
    pub base_updated: Option<DateTime<FixedOffset>>,
    pub stage: SaveStage,
    /// The editor as the user left it, reopened if the save fails.
    pub editor: Option<Box<Editor>>,
    pub optimistic: Vec<Optimistic>,
}

impl PendingSave {
    /// A write of `fields` on `keys`, called `label` in the status line: no conflict
    /// check, no editor to reopen and nothing shown ahead unless the `with_` methods
    /// add them.
    pub fn new(
        keys: Vec<String>,
        label: impl Into<String>,
        write: JiraRequest,
        fields: Vec<String>,
    ) -> Self {
        PendingSave {
            keys,
            label: label.into(),
            write,
            fields,
            base_updated: None,
            stage: SaveStage::Writing(0),
            editor: None,
            optimistic: Vec::new(),
        }
    }

    /// Checks first that the issue is still as it was at `updated` (see `start_save`).
    pub fn with_base(mut self, updated: Option<DateTime<FixedOffset>>) -> Self {
        self.base_updated = updated;
        self
    }

    /// Reopens `editor` as it is if the save fails.
    pub fn with_editor(mut self, mut editor: Editor) -> Self {
        editor.settle();
        self.editor = Some(Box::new(editor));
        self
    }

    /// What the change already shows, taken back if the save fails.
    pub fn with_shown(mut self, optimistic: Vec<Optimistic>) -> Self {
        self.optimistic = optimistic;
        self
    }
}

/// A field that changed on the server since the issue was loaded.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerChange {
    pub field: String,
    pub author: String,
    pub when: String,
    pub from: String,
    pub to: String,
}

#[derive(Debug, Clone)]
pub struct ConflictPrompt {
    pub save: Box<PendingSave>,
    /// Who changed what since the issue was loaded (from the changelog).
    pub changes: Vec<ServerChange>,
    /// The issue's `updated` now: an overwrite is checked against this one.
    pub server_updated: Option<DateTime<FixedOffset>>,
}

/// Everything editing keeps.
#[derive(Debug, Default)]
pub struct EditState {
    pub editor: Option<Editor>,
    /// Saves in flight, by the id of the request they wait for.
    pub saves: BTreeMap<RequestId, PendingSave>,
    /// Issue keys marked in the results for a bulk change.
    pub marked: BTreeSet<String>,
    /// Where a `V` range started.
    pub range_anchor: Option<usize>,
    /// The signed-in user's account id (assign to me, whose comments are mine).
    pub my_account: Option<String>,
    /// Editmeta of the open issue, while it is open.
    pub meta: Option<(String, EditMeta)>,
    /// Unsent drafts of descriptions, comments and create forms, by [`draft_slot`]: what
    /// the draft store holds (loaded at start, kept in step with what is saved).
    pub drafts: BTreeMap<String, crate::drafts::Draft>,
    /// Every label on the site, once asked for: kept for the session (the picker adds
    /// the ones the user creates).
    pub labels: Option<Vec<String>>,
    /// The user's groups (comment visibility), once asked for: kept for the session.
    pub my_groups: Option<Vec<crate::jira::models::GroupName>>,
}

/// Where [`EditState::drafts`] keeps `draft`: one slot per editor target.
pub fn draft_slot(draft: &crate::drafts::Draft) -> String {
    match super::rich::RichTarget::of_draft(draft) {
        Some(target) => target.draft_key(),
        None => create::draft_slot(&draft.issue_key, &draft.target),
    }
}

impl EditState {
    pub fn is_open(&self) -> bool {
        self.editor.is_some()
    }

    /// Whether a save for `key` is in flight.
    pub fn saving(&self, key: &str) -> bool {
        self.saves.values().any(|s| s.keys.iter().any(|k| k == key))
    }

    pub fn is_busy(&self) -> bool {
        !self.saves.is_empty()
            || match &self.editor {
                Some(Editor::Loading(_) | Editor::BulkFetch(_)) => true,
                Some(Editor::Rich(r)) => r.is_loading(),
                Some(Editor::Field(f)) => match &f.input {
                    FieldInput::Pick(p) => p.is_waiting(),
                    FieldInput::Line { .. } => false,
                },
                Some(Editor::Create(form)) => form.is_waiting(),
                Some(Editor::TransitionForm(form)) => form.is_waiting(),
                Some(Editor::Bulk(menu)) => match &menu.step {
                    bulk::BulkStep::Pick { field, .. } => field.is_waiting(),
                    bulk::BulkStep::Actions { .. } => false,
                },
                _ => false,
            }
    }

    /// Whether the open editor takes pasted text with its newlines.
    pub fn takes_lines(&self) -> bool {
        match &self.editor {
            Some(Editor::Rich(_)) => true,
            Some(Editor::TransitionForm(form)) => {
                matches!(form.editing, Some(transition::FormEditor::Comment(_)))
            }
            _ => false,
        }
    }
}
