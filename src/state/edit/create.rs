//! The create form: project, issue type, then the create screen's fields (required
//! first), each holding its value until Jira has created the issue. A sub-task form has
//! its parent fixed and offers only sub-task types. What the user gave it is kept as a
//! draft (per project, or per parent for a sub-task) until Jira has the issue.

use chrono::{DateTime, Utc};

use crate::drafts::{DraftTarget, FormDraft};
use crate::jira::models::{FieldMeta, IssueType};
use crate::jira::worker::RequestId;
use crate::state::fieldkind::{FieldKind, FieldValue};
use crate::state::input::TextInput;

use super::{LineKind, PickField};

/// What the form waits for, if anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreateStage {
    /// Nothing: the user fills the form.
    Ready,
    /// The issue types of the project.
    Types(RequestId),
    /// The create screen's fields of the chosen type.
    Fields(RequestId),
}

/// One field of the create screen and the value the user gave it.
#[derive(Debug, Clone)]
pub struct CreateField {
    pub id: String,
    pub meta: FieldMeta,
    pub kind: FieldKind,
    pub value: FieldValue,
    /// The text typed for a line field (kept as typed, so `+3d` stays `+3d`).
    pub text: String,
    /// Our check's or Jira's complaint, shown next to the field.
    pub error: Option<String>,
    /// What the field started with (Jira's default, me as reporter): a field still
    /// holding it is nothing the user gave, so no draft keeps it.
    pub initial: FieldValue,
    pub initial_text: String,
}

impl CreateField {
    /// The form asks for it: Jira requires it and has no default for it.
    pub fn needs_value(&self) -> bool {
        self.meta.required && !self.meta.has_default_value
    }

    /// Whether the user gave it something other than what it started with.
    pub fn is_given(&self) -> bool {
        self.value != self.initial || self.text != self.initial_text
    }
}

/// A draft being put back: the form waits for the create screen's fields to give each
/// its value.
#[derive(Debug, Clone)]
pub struct Restore {
    pub draft: FormDraft,
    pub saved_at: DateTime<Utc>,
    /// The draft's issue type, when the project no longer offers it.
    pub type_gone: Option<String>,
}

/// Where [`super::EditState::drafts`] keeps the create draft of `key` (a project's key
/// for a new issue, the parent's for a sub-task).
pub fn draft_slot(key: &str, target: &DraftTarget) -> String {
    let what = match target {
        DraftTarget::NewSubtask => "new-subtask",
        _ => "new-issue",
    };
    format!("{}.{what}", key.to_ascii_uppercase())
}

/// A row of the form, in the order Tab visits them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreateRow {
    Project,
    IssueType,
    /// Index into [`CreateForm::fields`].
    Field(usize),
}

/// The editor open on the selected row.
#[derive(Debug, Clone)]
pub enum RowEditor {
    Line {
        kind: LineKind,
        input: TextInput,
    },
    /// Several lines of markdown-style text (the description).
    Text(Box<crate::state::textarea::TextArea>),
    Pick(Box<PickField>),
}

#[derive(Debug, Clone)]
pub struct CreateForm {
    /// The project's key.
    pub project: String,
    /// Sub-task: the parent's key (fixed; the project is the parent's).
    pub parent: Option<String>,
    /// The types offered (sub-task types only for a sub-task, none of them otherwise).
    pub types: Vec<IssueType>,
    pub issue_type: Option<IssueType>,
    /// The create screen's fields for the type, required ones first, summary first of all.
    pub fields: Vec<CreateField>,
    /// Index into [`CreateForm::rows`].
    pub selected: usize,
    pub editing: Option<RowEditor>,
    pub stage: CreateStage,
    /// A problem with the whole form (no types, Jira's message for no field).
    pub error: Option<String>,
    /// First visible row, kept by drawing.
    pub offset: std::cell::Cell<usize>,
    /// A note above the fields ("Restored your unsent issue from …").
    pub notice: Option<String>,
    /// Grows with every key and paste: the draft timer fires for one revision.
    pub revision: u64,
    /// The revision the pending draft timer was set for.
    pub draft_due: Option<u64>,
    /// What the draft store holds for this form, as last handed to it.
    pub kept: Option<FormDraft>,
    /// A draft waiting for the fields to be put back into.
    pub restore: Option<Restore>,
}

impl CreateForm {
    pub fn new(project: &str, parent: Option<String>) -> Self {
        Self {
            project: project.to_owned(),
            parent,
            types: Vec::new(),
            issue_type: None,
            fields: Vec::new(),
            selected: 0,
            editing: None,
            stage: CreateStage::Ready,
            error: None,
            offset: Default::default(),
            notice: None,
            revision: 0,
            draft_due: None,
            kept: None,
            restore: None,
        }
    }

    /// The store's name for this form's draft: the key and the target.
    pub fn draft_name(&self) -> (String, DraftTarget) {
        match &self.parent {
            Some(parent) => (parent.clone(), DraftTarget::NewSubtask),
            None => (self.project.clone(), DraftTarget::NewIssue),
        }
    }

    /// The key `n` (a new issue) or `N` (a sub-task) that opens this form again.
    pub fn opening_key(&self) -> char {
        if self.parent.is_some() { 'N' } else { 'n' }
    }

    /// Tab's order: project (not for a sub-task, whose project is the parent's), the
    /// type, then the fields.
    pub fn rows(&self) -> Vec<CreateRow> {
        let mut rows = Vec::new();
        if self.parent.is_none() {
            rows.push(CreateRow::Project);
        }
        rows.push(CreateRow::IssueType);
        rows.extend((0..self.fields.len()).map(CreateRow::Field));
        rows
    }

    pub fn selected_row(&self) -> Option<CreateRow> {
        self.rows().get(self.selected).copied()
    }

    pub fn field(&self, id: &str) -> Option<&CreateField> {
        self.fields.iter().find(|f| f.id == id)
    }

    pub fn field_mut(&mut self, id: &str) -> Option<&mut CreateField> {
        self.fields.iter_mut().find(|f| f.id == id)
    }

    /// Selects the row of field `id`.
    pub fn select_field(&mut self, id: &str) {
        if let Some(i) = self.fields.iter().position(|f| f.id == id)
            && let Some(row) = self.rows().iter().position(|r| *r == CreateRow::Field(i))
        {
            self.selected = row;
        }
    }

    pub fn is_waiting(&self) -> bool {
        self.stage != CreateStage::Ready
            || matches!(&self.editing, Some(RowEditor::Pick(p)) if p.is_waiting())
    }
}
