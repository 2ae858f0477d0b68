//! Transitions: where the issue (or every marked issue) can go from its status, and the
//! form a transition's screen asks to fill in before it is sent.

use std::collections::BTreeMap;

use super::{LineKind, PickField};
use crate::jira::models::{FieldMeta, Transition};
use crate::sanitize::sanitize_line;
use crate::state::TextInput;
use crate::state::fieldkind::{self, FieldKind, FieldValue};
use crate::state::search::StatusCategory;
use crate::state::textarea::TextArea;

/// One transition the user can pick. In bulk it stands for the transitions of the same
/// name on every marked issue (their ids may differ between workflows).
#[derive(Debug, Clone, PartialEq)]
pub struct TransitionChoice {
    pub name: String,
    /// The status it leads to.
    pub to: String,
    pub category: StatusCategory,
    /// The fields of its screen (of the first issue, in bulk).
    pub fields: BTreeMap<String, FieldMeta>,
    /// `(issue key, transition id)` for every issue it is sent to.
    pub ids: Vec<(String, String)>,
}

impl TransitionChoice {
    /// The choice for one issue's transition.
    pub fn from_transition(key: &str, transition: &Transition) -> Self {
        let to = transition.to.as_ref();
        TransitionChoice {
            name: sanitize_line(&transition.name).into_owned(),
            to: to
                .map(|s| sanitize_line(&s.name).into_owned())
                .unwrap_or_default(),
            category: to
                .and_then(|s| s.status_category.as_ref())
                .map(|c| StatusCategory::from_key(&c.key))
                .unwrap_or_default(),
            fields: transition.fields.clone(),
            ids: vec![(key.to_owned(), transition.id.clone())],
        }
    }

    /// Whether a form asks for the screen's fields before the transition is sent.
    pub fn has_form(&self) -> bool {
        !self.fields.is_empty()
    }

    /// Whether the screen has a field that must be filled in.
    pub fn has_required(&self) -> bool {
        self.fields.values().any(|f| f.required)
    }
}

/// The transitions of one issue, or those common to the marked issues.
#[derive(Debug, Clone)]
pub struct TransitionMenu {
    pub keys: Vec<String>,
    /// A bulk change: one write per issue, no conflict check.
    pub bulk: bool,
    pub choices: Vec<TransitionChoice>,
    pub selected: usize,
    /// Why the last transition failed (Jira's message), shown under the list.
    pub error: Option<String>,
}

/// How a form field's value is entered.
#[derive(Debug, Clone)]
pub enum FormInput {
    /// Chosen in the shared picker (resolution and other selects, users, labels): what
    /// was picked so far.
    Pick { kind: FieldKind, chosen: FieldValue },
    /// A single-line text, number or date, typed in place.
    Line { kind: LineKind, input: TextInput },
    /// Markdown-style text (several lines, edited in a text area), added to the issue
    /// as an ADF comment.
    Comment { text: String },
    /// A field jtui cannot fill in yet; it is shown so the user knows it is there.
    Unsupported,
}

#[derive(Debug, Clone)]
pub struct FormField {
    pub id: String,
    pub name: String,
    pub required: bool,
    /// Jira's metadata for the field on this screen (allowed values, schema).
    pub meta: FieldMeta,
    pub input: FormInput,
    /// Our check's or Jira's complaint, shown next to the field.
    pub error: Option<String>,
}

impl FormField {
    pub fn from_meta(id: &str, meta: &FieldMeta) -> FormField {
        let name = match sanitize_line(&meta.name).into_owned() {
            n if n.is_empty() => id.to_owned(),
            n => n,
        };
        let schema = meta.schema.as_ref().map(|s| s.kind.as_str());
        let kind = fieldkind::classify(meta);
        let input = if id == "comment" || schema == Some("comment") {
            FormInput::Comment {
                text: String::new(),
            }
        } else if kind.uses_picker() {
            FormInput::Pick {
                kind,
                chosen: FieldValue::Empty,
            }
        } else if let Some(kind) = LineKind::of(kind) {
            FormInput::Line {
                kind,
                input: TextInput::default(),
            }
        } else {
            FormInput::Unsupported
        };
        FormField {
            id: id.to_owned(),
            name,
            required: meta.required,
            meta: meta.clone(),
            input,
            error: None,
        }
    }

    /// What the field shows as its value (a comment: all of its lines).
    pub fn shown(&self) -> String {
        match &self.input {
            FormInput::Pick { chosen, .. } => chosen
                .items()
                .iter()
                .map(|i| i.label.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            FormInput::Line { input, .. } => input.text().to_owned(),
            FormInput::Comment { text } => text.clone(),
            FormInput::Unsupported => String::new(),
        }
    }

    /// Whether nothing was entered.
    pub fn is_empty(&self) -> bool {
        self.shown().trim().is_empty()
    }
}

/// The editor open on the selected field of a transition form.
#[derive(Debug, Clone)]
pub enum FormEditor {
    /// Choosing the field's value in the shared picker.
    Pick(Box<PickField>),
    /// Writing the comment (several lines).
    Comment(Box<TextArea>),
}

/// The fields a transition's screen asks for: required ones first, the comment last.
#[derive(Debug, Clone)]
pub struct TransitionForm {
    pub keys: Vec<String>,
    pub bulk: bool,
    pub choice: TransitionChoice,
    pub fields: Vec<FormField>,
    pub selected: usize,
    /// The editor open on the selected field, if any.
    pub editing: Option<FormEditor>,
    /// A message that belongs to no field (Jira's `errorMessages`).
    pub error: Option<String>,
    /// Who may see the screen's comment (Ctrl-V), when it has one.
    pub audience: crate::state::audience::Audience,
}

impl TransitionForm {
    /// Whether the screen takes a comment.
    pub fn has_comment(&self) -> bool {
        self.fields
            .iter()
            .any(|f| matches!(f.input, FormInput::Comment { .. }))
    }

    pub fn new(keys: Vec<String>, bulk: bool, choice: TransitionChoice) -> TransitionForm {
        let mut fields: Vec<FormField> = choice
            .fields
            .iter()
            .map(|(id, meta)| FormField::from_meta(id, meta))
            .collect();
        fields.sort_by_key(|f| {
            (
                matches!(f.input, FormInput::Comment { .. }),
                !f.required,
                f.name.to_lowercase(),
            )
        });
        TransitionForm {
            keys,
            bulk,
            choice,
            fields,
            selected: 0,
            editing: None,
            error: None,
            audience: crate::state::audience::Audience::default(),
        }
    }

    /// Whether a picker open on the form waits for Jira (users, the label list), or the
    /// comment for the roles and groups it may be restricted to.
    pub fn is_waiting(&self) -> bool {
        matches!(&self.editing, Some(FormEditor::Pick(p)) if p.is_waiting())
            || self.audience.is_loading()
    }

    pub fn selected_field(&self) -> Option<&FormField> {
        self.fields.get(self.selected)
    }

    pub fn selected_field_mut(&mut self) -> Option<&mut FormField> {
        self.fields.get_mut(self.selected)
    }
}
