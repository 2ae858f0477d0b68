//! The rich-text editor popup (a comment or a description as markdown-style text), the
//! comments list that opens it for one's own comments, and the delete confirmation.
//!
//! Plain data: `app::update::edit::rich` drives it. The text converts to ADF only when
//! saved, against the document it was made from, so nothing the text cannot show is lost.

use std::cell::Cell;

use chrono::{DateTime, FixedOffset};

use super::audience::Audience;
use super::textarea::TextArea;
use crate::jira::adf::Adf;
use crate::jira::markdown::MentionDirectory;
use crate::jira::worker::RequestId;

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
    /// Who may see a comment (unused for a field).
    pub audience: Audience,
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
            audience: Audience::default(),
            error: None,
            notice: None,
            base_updated: None,
            draft_revision: 0,
            draft_due: None,
        }
    }

    /// Whether it still waits for the people it can mention or the roles it offers.
    pub fn is_loading(&self) -> bool {
        self.mentions_request.is_some() || self.audience.is_loading()
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
