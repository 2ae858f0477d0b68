//! Transitions: where the issue (or every marked issue) can go from its status, and the
//! form a transition's screen asks to fill in before it is sent.

use std::collections::BTreeMap;

use serde_json::Value;

use super::LineKind;
use crate::jira::models::{FieldMeta, Transition};
use crate::sanitize::sanitize_line;
use crate::state::TextInput;
use crate::state::search::StatusCategory;

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

/// One allowed value of a select field.
#[derive(Debug, Clone, PartialEq)]
pub struct FormOption {
    pub label: String,
    /// What is written: `{"id": ...}` (or the name/value when Jira gave no id).
    pub value: Value,
}

impl FormOption {
    /// An option from one of Jira's `allowedValues` (resolutions, priorities, options...).
    pub fn from_allowed(value: &Value) -> Option<FormOption> {
        let text = |k: &str| {
            value
                .get(k)
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
        };
        let label = text("name")
            .or_else(|| text("value"))
            .or_else(|| text("displayName"))?;
        let write = match (text("id"), text("name"), text("value")) {
            (Some(id), _, _) => serde_json::json!({ "id": id }),
            (None, Some(name), _) => serde_json::json!({ "name": name }),
            (None, None, Some(v)) => serde_json::json!({ "value": v }),
            (None, None, None) => return None,
        };
        Some(FormOption {
            label: sanitize_line(label).into_owned(),
            value: write,
        })
    }
}

/// How a form field's value is entered.
#[derive(Debug, Clone)]
pub enum FormInput {
    /// One of Jira's allowed values, chosen with ←/→.
    Select {
        options: Vec<FormOption>,
        chosen: Option<usize>,
    },
    /// A single-line text, number or date.
    Line { kind: LineKind, input: TextInput },
    /// Markdown-style text, added to the issue as an ADF comment.
    Comment { input: TextInput },
    /// A field jtui cannot fill in yet; it is shown so the user knows it is there.
    Unsupported,
}

#[derive(Debug, Clone)]
pub struct FormField {
    pub id: String,
    pub name: String,
    pub required: bool,
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
        let kind = meta.schema.as_ref().map(|s| s.kind.as_str());
        let input = if id == "comment" || kind == Some("comment") {
            FormInput::Comment {
                input: TextInput::default(),
            }
        } else if !meta.allowed_values.is_empty() {
            FormInput::Select {
                options: meta
                    .allowed_values
                    .iter()
                    .filter_map(FormOption::from_allowed)
                    .collect(),
                chosen: None,
            }
        } else if let Some(kind) = crate::app::update::edit::line_kind(meta) {
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
            input,
            error: None,
        }
    }

    /// What the field shows as its value.
    pub fn shown(&self) -> String {
        match &self.input {
            FormInput::Select { options, chosen } => chosen
                .and_then(|i| options.get(i))
                .map(|o| o.label.clone())
                .unwrap_or_default(),
            FormInput::Line { input, .. } | FormInput::Comment { input } => input.text().to_owned(),
            FormInput::Unsupported => String::new(),
        }
    }

    /// Whether nothing was entered.
    pub fn is_empty(&self) -> bool {
        self.shown().trim().is_empty()
    }
}

/// The fields a transition's screen asks for: required ones first, the comment last.
#[derive(Debug, Clone)]
pub struct TransitionForm {
    pub keys: Vec<String>,
    pub bulk: bool,
    pub choice: TransitionChoice,
    pub fields: Vec<FormField>,
    pub selected: usize,
    /// A message that belongs to no field (Jira's `errorMessages`).
    pub error: Option<String>,
}

impl TransitionForm {
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
            error: None,
        }
    }

    pub fn selected_field_mut(&mut self) -> Option<&mut FormField> {
        self.fields.get_mut(self.selected)
    }
}
