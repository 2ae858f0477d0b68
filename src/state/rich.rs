//! The rich-text editor popup (a comment or a description as markdown-style text), the
//! comments list that opens it for one's own comments, and the delete confirmation.
//!
//! Plain data: `app::update::edit::rich` drives it. The text converts to ADF only when
//! saved, against the document it was made from, so nothing the text cannot show is lost.

use std::cell::Cell;

use chrono::{DateTime, FixedOffset};

use serde_json::Value;

use super::picker::{Picker, PickerItem};
use super::textarea::TextArea;
use crate::jira::adf::Adf;
use crate::jira::markdown::MentionDirectory;
use crate::jira::models::GroupName;
use crate::jira::worker::RequestId;
use crate::jira::write::CommentVisibility;

/// What a rich-text editor writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RichTarget {
    /// A rich-text field: the description, the environment, a custom text area.
    Field {
        key: String,
        field: String,
        /// The field's name, as the title says it ("Description").
        name: String,
    },
    NewComment {
        key: String,
    },
    EditComment {
        key: String,
        id: String,
    },
}

impl RichTarget {
    pub fn key(&self) -> &str {
        match self {
            Self::Field { key, .. } | Self::NewComment { key } | Self::EditComment { key, .. } => {
                key
            }
        }
    }

    pub fn is_comment(&self) -> bool {
        !matches!(self, Self::Field { .. })
    }

    /// "Comment on NAV-12", "Description of NAV-12", "Edit comment 10234 on NAV-12".
    pub fn title(&self) -> String {
        match self {
            Self::Field { key, name, .. } => format!("{name} of {key}"),
            Self::NewComment { key } => format!("Comment on {key}"),
            Self::EditComment { key, id } => format!("Edit comment {id} on {key}"),
        }
    }

    /// How the status line names an unsent draft: "NAV-12 comment".
    pub fn draft_label(&self) -> String {
        match self {
            Self::Field { key, name, .. } => format!("{key} {}", name.to_lowercase()),
            Self::NewComment { key } => format!("{key} comment"),
            Self::EditComment { key, id } => format!("{key} comment {id}"),
        }
    }

    /// What the draft store calls this target; `None` for fields it keeps no drafts of.
    pub fn draft_target(&self) -> Option<crate::drafts::DraftTarget> {
        use crate::drafts::DraftTarget;
        match self {
            Self::Field { field, .. } if field == "description" => Some(DraftTarget::Description),
            Self::Field { .. } => None,
            Self::NewComment { .. } => Some(DraftTarget::NewComment),
            Self::EditComment { id, .. } => Some(DraftTarget::Comment { id: id.clone() }),
        }
    }

    /// The target of a stored draft; `None` for a create form's, which no rich editor
    /// opens.
    pub fn of_draft(draft: &crate::drafts::Draft) -> Option<Self> {
        use crate::drafts::DraftTarget;
        let key = draft.issue_key.clone();
        Some(match &draft.target {
            DraftTarget::Description => Self::Field {
                key,
                field: "description".to_owned(),
                name: "Description".to_owned(),
            },
            DraftTarget::NewComment => Self::NewComment { key },
            DraftTarget::Comment { id } => Self::EditComment {
                key,
                id: id.clone(),
            },
            DraftTarget::NewIssue | DraftTarget::NewSubtask => return None,
        })
    }

    /// The name a draft of this target is stored under: one draft per target.
    pub fn draft_key(&self) -> String {
        match self {
            Self::Field { key, field, .. } => format!("{key}.{field}"),
            Self::NewComment { key } => format!("{key}.comment"),
            Self::EditComment { key, id } => format!("{key}.comment-{id}"),
        }
    }
}

/// The multi-line editor of a comment or a rich-text field.
#[derive(Debug, Clone)]
pub struct RichEditor {
    pub target: RichTarget,
    pub area: TextArea,
    /// The document the text was made from; saving converts against it, so nodes the
    /// text shows as `⟦…⟧` tokens come back intact. `None` for a new comment.
    pub original: Option<Adf>,
    /// The text as Jira has it (Ctrl-R starts over from it).
    pub jira_text: String,
    /// Who `@Name` can mention: the issue's assignable users and its people.
    pub mentions: MentionDirectory,
    pub mentions_request: Option<RequestId>,
    /// Project roles a comment may be restricted to (Jira lists them to project
    /// administrators only; empty for everyone else).
    pub roles: Vec<String>,
    pub roles_request: Option<RequestId>,
    /// The user's groups, which a comment may be restricted to (sanitised names).
    pub groups: Vec<GroupName>,
    pub groups_request: Option<RequestId>,
    /// The chosen visibility; `None` is everyone.
    pub visibility: Option<CommentVisibility>,
    /// Ctrl-V's list of who may see the comment, open over the text.
    pub visibility_picker: Option<Picker>,
    /// Jira's (or the converter's) complaint, shown under the text.
    pub error: Option<String>,
    /// A note above the text ("restored your draft from …").
    pub notice: Option<String>,
    /// `updated` of the issue when the editor opened, for the conflict check.
    pub base_updated: Option<DateTime<FixedOffset>>,
    /// The text revision last handed to the draft store.
    pub draft_revision: u64,
    /// The revision the pending draft timer was set for.
    pub draft_due: Option<u64>,
}

impl RichEditor {
    pub fn new(target: RichTarget, text: &str, original: Option<Adf>) -> Self {
        Self {
            target,
            area: TextArea::new(text),
            original,
            jira_text: text.to_owned(),
            mentions: MentionDirectory::default(),
            mentions_request: None,
            roles: Vec::new(),
            roles_request: None,
            groups: Vec::new(),
            groups_request: None,
            visibility: None,
            visibility_picker: None,
            error: None,
            notice: None,
            base_updated: None,
            draft_revision: 0,
            draft_due: None,
        }
    }

    /// Whether it still waits for the people it can mention or the roles it offers.
    pub fn is_loading(&self) -> bool {
        self.mentions_request.is_some() || self.visibility_loading()
    }

    /// Whether the roles or groups a comment may be restricted to are still on their way.
    pub fn visibility_loading(&self) -> bool {
        self.roles_request.is_some() || self.groups_request.is_some()
    }

    /// The visibility as the editor shows it: "everyone", "role Developers".
    pub fn visibility_label(&self) -> String {
        visibility_label(self.visibility.as_ref())
    }

    /// Who Jira lets this comment be restricted to: everyone, each project role, each of
    /// the user's groups; and the current choice, should Jira no longer list it (an
    /// existing comment's role, when the roles cannot be read), so it is never dropped.
    pub fn visibility_items(&self) -> Vec<PickerItem> {
        let mut items = vec![visibility_item(None)];
        items.extend(
            self.roles
                .iter()
                .map(|r| visibility_item(Some(&CommentVisibility::role(r.clone())))),
        );
        items.extend(self.groups.iter().map(|g| {
            visibility_item(Some(&CommentVisibility::group(
                g.name.clone(),
                g.group_id.clone(),
            )))
        }));
        let current = visibility_id(self.visibility.as_ref());
        if !items.iter().any(|i| i.id == current) {
            items.push(visibility_item(self.visibility.as_ref()));
        }
        items
    }

    /// Opens the visibility list on the current choice.
    pub fn open_visibility_picker(&mut self) {
        let current = visibility_id(self.visibility.as_ref());
        let mut picker = Picker::single(self.visibility_items(), Some(&current));
        picker.set_loading(self.visibility_loading());
        self.visibility_picker = Some(picker);
    }

    /// The open visibility list, brought up to date with the roles and groups that
    /// arrived since it opened.
    pub fn refresh_visibility_picker(&mut self) {
        let items = self.visibility_items();
        let loading = self.visibility_loading();
        if let Some(picker) = &mut self.visibility_picker {
            picker.set_items(items);
            picker.set_loading(loading);
        }
    }

    /// Whether Jira offers anything but "everyone".
    pub fn offers_restriction(&self) -> bool {
        !self.roles.is_empty() || !self.groups.is_empty()
    }
}

/// The picker id of a visibility: `everyone`, `role:Developers`, `group:<id or name>`.
fn visibility_id(visibility: Option<&CommentVisibility>) -> String {
    match visibility {
        None => "everyone".to_owned(),
        Some(v) if v.is_group() => {
            format!("group:{}", v.identifier.as_deref().unwrap_or(&v.value))
        }
        Some(v) => format!("{}:{}", v.kind, v.value),
    }
}

/// A visibility as a row of the list; its value is the visibility to send (`null`:
/// everyone).
fn visibility_item(visibility: Option<&CommentVisibility>) -> PickerItem {
    let id = visibility_id(visibility);
    match visibility {
        None => PickerItem::new(
            id,
            "Everyone",
            Some("anyone who can see the issue"),
            Value::Null,
        ),
        Some(v) => PickerItem::new(
            id,
            &v.value,
            Some(if v.is_group() {
                "group"
            } else {
                "project role"
            }),
            serde_json::to_value(v).unwrap_or(Value::Null),
        ),
    }
}

/// The visibility a chosen row stands for.
pub fn chosen_visibility(item: &PickerItem) -> Option<CommentVisibility> {
    serde_json::from_value(item.value.clone()).ok()
}

pub fn visibility_label(visibility: Option<&CommentVisibility>) -> String {
    match visibility {
        None => "everyone".to_owned(),
        Some(v) => format!("{} {}", v.kind, v.value),
    }
}

/// The loaded comments of an issue, to pick one of one's own to edit or delete.
#[derive(Debug, Clone)]
pub struct CommentList {
    pub key: String,
    pub selected: usize,
    /// First visible row, kept by drawing.
    pub offset: Cell<usize>,
}

/// "Delete your comment?" before the delete is sent.
#[derive(Debug, Clone)]
pub struct ConfirmDelete {
    pub key: String,
    pub id: String,
    /// The comment's date and first line, so the user sees which one.
    pub preview: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comment_editor() -> RichEditor {
        RichEditor::new(
            RichTarget::NewComment {
                key: "NAV-1".into(),
            },
            "",
            None,
        )
    }

    #[test]
    fn visibility_rows_are_everyone_roles_then_groups_and_a_group_row_carries_its_id() {
        let mut editor = comment_editor();
        editor.roles = vec!["Developers".into()];
        editor.groups = vec![GroupName {
            name: "robotics-core".into(),
            group_id: Some("e6b1".into()),
        }];
        let items = editor.visibility_items();
        let ids: Vec<&str> = items.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["everyone", "role:Developers", "group:e6b1"]);
        assert_eq!(chosen_visibility(&items[0]), None);
        assert_eq!(
            chosen_visibility(&items[2]),
            Some(CommentVisibility::group(
                "robotics-core",
                Some("e6b1".into())
            ))
        );
    }

    #[test]
    fn a_current_visibility_jira_no_longer_lists_stays_offered() {
        let mut editor = comment_editor();
        editor.visibility = Some(CommentVisibility::role("Service Desk Team"));
        editor.open_visibility_picker();
        let picker = editor.visibility_picker.as_ref().unwrap();
        assert_eq!(picker.current(), Some("role:Service Desk Team"));
        assert!(
            picker
                .items()
                .iter()
                .any(|i| i.label == "Service Desk Team")
        );
    }

    #[test]
    fn roles_and_groups_arriving_later_fill_the_open_list() {
        let mut editor = comment_editor();
        editor.groups_request = Some(7);
        editor.open_visibility_picker();
        assert!(editor.visibility_picker.as_ref().unwrap().is_loading());
        editor.groups_request = None;
        editor.groups = vec![GroupName {
            name: "site-admins".into(),
            group_id: None,
        }];
        editor.refresh_visibility_picker();
        let picker = editor.visibility_picker.as_ref().unwrap();
        assert!(!picker.is_loading());
        assert_eq!(picker.items().len(), 2);
        assert_eq!(picker.items()[1].id, "group:site-admins");
    }
}
