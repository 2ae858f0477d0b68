//! The issue pane: the open issue's fields, description and comments.

use std::cell::{Cell, RefCell};

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use super::LoadStatus;
use super::search::{DATE_TIME_FORMAT, StatusCategory};
use crate::jira::adf::{Adf, RenderContext, RichLine};
use crate::jira::client::CommentOrder;
use crate::jira::models::{ChangeItem, Changelog, Comment, Issue, LinkedIssue, User};
use crate::jira::worker::RequestId;
use crate::sanitize::sanitize_field;

/// Comments requested per page.
pub const COMMENTS_PAGE_SIZE: u32 = 50;
/// Most comments loaded for one issue. Each page lays the whole pane out again, so an
/// issue with 100,000 comments must stop somewhere; the browser has the rest.
pub const MAX_COMMENTS: usize = 1_000;

/// A comment ready to show; strings are sanitised.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CommentItem {
    pub id: String,
    /// The author's name, with the visibility when the comment is restricted.
    pub author: String,
    /// The author's name alone.
    pub author_name: String,
    /// The author's account id (empty when Jira sent none): one's own comments are
    /// the ones that can be edited.
    pub author_id: String,
    /// Who may see it; `None` is everyone.
    pub visibility: Option<crate::jira::write::CommentVisibility>,
    /// A change of ours on its way to Jira, shown ahead of its answer. Never cached: a
    /// restored view has no write in flight.
    #[serde(skip)]
    pub pending: Option<PendingComment>,
    /// `2026-11-20 16:04`.
    pub created: String,
    pub edited: bool,
    pub body: Adf,
}

/// A comment being added, edited or deleted: shown at once, replaced by Jira's copy or
/// put back as it was when Jira refuses.
#[derive(Debug, Clone)]
pub struct PendingComment {
    /// The write's request id.
    pub request: RequestId,
    /// "sending…", "deleting…".
    pub note: &'static str,
    /// The comment as it was (an edit or a delete); `None` for a new one.
    pub before: Option<Box<CommentItem>>,
}

/// An issue ready to show; strings are sanitised. Serde is for the view cache.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IssueDetail {
    pub key: String,
    pub summary: String,
    pub status: String,
    pub category: StatusCategory,
    /// (label, value) pairs in display order, empty values left out.
    pub fields: Vec<(String, String)>,
    /// Parent, sub-tasks and linked issues, in that order: the issues Enter can open.
    pub related: Vec<RelatedIssue>,
    /// The changelog (`expand=changelog`), newest first.
    pub history: Vec<HistoryEntry>,
    /// How many changes Jira has in all; it sends at most a page of them.
    pub history_total: u64,
    pub description: Option<Adf>,
    /// Names of users and attachments the ADF refers to by id.
    pub render_ctx: RenderContext,
}

#[derive(Debug, Default)]
pub struct IssueState {
    /// The issue asked for (may still be loading).
    pub key: Option<String>,
    pub status: LoadStatus,
    pub detail: Option<IssueDetail>,
    pub comments: Vec<CommentItem>,
    pub comments_total: u64,
    pub comments_request: Option<RequestId>,
    pub comments_error: Option<String>,
    pub comment_order: CommentOrder,
    /// First visible line.
    pub scroll: Cell<usize>,
    /// Bumped whenever what the pane shows changes, to invalidate `lines`.
    pub generation: u64,
    /// The laid-out lines for one width, so scrolling costs nothing.
    pub lines: RefCell<LineCache>,
    /// Details or History.
    pub tab: IssueTab,
    /// Where the other tab was scrolled to, restored when switching back.
    pub other_tab_scroll: usize,
    /// The highlighted entry of `detail.related`, if any.
    pub related_selected: Option<usize>,
    /// A scroll position to restore once the issue and its first comments are in
    /// (going back to an issue returns to where it was left).
    pub pending_scroll: Option<usize>,
    /// The issue as Jira sent it (unsanitised: sanitise before drawing). Editors start
    /// from its values, and its `updated` is what the conflict check compares.
    pub raw: Option<Box<Issue>>,
}

/// What the issue pane shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum IssueTab {
    /// Fields, related issues, description and comments.
    #[default]
    Details,
    /// The changelog.
    History,
}

/// An issue the open one points to: its parent, a sub-task or a link's other end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelatedIssue {
    /// "Parent", "Sub-task", or the link's wording ("blocks", "is cloned by").
    pub relation: String,
    pub key: String,
    pub summary: String,
    pub status: String,
    pub category: StatusCategory,
}

/// One change set of the changelog: who, when, and what changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub author: String,
    /// `2026-11-20 16:04`.
    pub created: String,
    pub changes: Vec<FieldChange>,
}

/// `field: from → to`, strings sanitised, `None` for an empty side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub from: Option<String>,
    pub to: Option<String>,
}

/// Wrapped lines of the issue pane for one width and one generation of content.
#[derive(Debug, Default)]
pub struct LineCache {
    pub width: u16,
    pub generation: u64,
    pub lines: Vec<RichLine>,
    /// The line each entry of `detail.related` starts on (Details tab only).
    pub related_lines: Vec<usize>,
}

impl IssueState {
    pub fn touch(&mut self) {
        self.generation += 1;
    }

    /// True when more comments exist on the server than are loaded, and loading more
    /// is allowed (see [`MAX_COMMENTS`]).
    pub fn has_more_comments(&self) -> bool {
        (self.comments.len() as u64) < self.comments_total && !self.comments_capped()
    }

    /// True when comments stopped loading at [`MAX_COMMENTS`] with more on the server.
    pub fn comments_capped(&self) -> bool {
        self.comments.len() >= MAX_COMMENTS && (self.comments.len() as u64) < self.comments_total
    }

    /// The highlighted related issue, if any.
    pub fn selected_related(&self) -> Option<&RelatedIssue> {
        let detail = self.detail.as_ref()?;
        detail.related.get(self.related_selected?)
    }
}

/// Custom fields shown by their own label already, so not repeated in the custom list.
const SHOWN_CUSTOM_NAMES: [&str; 3] = ["Story Points", "Story point estimate", "Sprint"];

fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KB", "MB", "GB"];
    let mut size = bytes as f64;
    let mut unit = 0;
    while size >= 1024.0 && unit + 1 < UNITS.len() {
        size /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{size:.1} {}", UNITS[unit])
    }
}

impl IssueDetail {
    pub fn from_issue(issue: &Issue) -> Self {
        let f = &issue.fields;
        let clean = |s: &str| sanitize_field(s);
        let user = |u: &Option<User>| u.as_ref().map(|u| clean(&u.display_name));
        let date =
            |d: Option<DateTime<FixedOffset>>| d.map(|d| d.format(DATE_TIME_FORMAT).to_string());
        let join = |items: Vec<String>| (!items.is_empty()).then(|| items.join(", "));
        let mut fields: Vec<(String, Option<String>)> = vec![
            ("Type".into(), f.issuetype.as_ref().map(|t| clean(&t.name))),
            (
                "Priority".into(),
                f.priority.as_ref().map(|p| clean(&p.name)),
            ),
            (
                "Resolution".into(),
                f.resolution.as_ref().map(|r| clean(&r.name)),
            ),
            (
                "Assignee".into(),
                user(&f.assignee).or_else(|| Some("Unassigned".into())),
            ),
            ("Reporter".into(), user(&f.reporter)),
            (
                "Labels".into(),
                join(f.labels.iter().map(|l| clean(l)).collect()),
            ),
            (
                "Components".into(),
                join(f.components.iter().map(|c| clean(&c.name)).collect()),
            ),
            (
                "Fix versions".into(),
                join(f.fix_versions.iter().map(|v| clean(&v.name)).collect()),
            ),
            (
                "Affects".into(),
                join(f.versions.iter().map(|v| clean(&v.name)).collect()),
            ),
            ("Sprint".into(), join(f.sprint_names(&issue.names))),
            (
                "Story points".into(),
                f.story_points(&issue.names).map(|p| format!("{p}")),
            ),
            (
                "Due".into(),
                f.duedate.map(|d| d.format("%Y-%m-%d").to_string()),
            ),
            ("Created".into(), date(f.created)),
            ("Updated".into(), date(f.updated)),
            ("Resolved".into(), date(f.resolutiondate)),
        ];
        let mut related: Vec<RelatedIssue> = Vec::new();
        if let Some(parent) = f.parent.as_ref().filter(|p| !p.key.is_empty()) {
            related.push(RelatedIssue::new("Parent", parent));
        }
        for sub in f.subtasks.iter().filter(|s| !s.key.is_empty()) {
            related.push(RelatedIssue::new("Sub-task", sub));
        }
        for link in &f.issuelinks {
            if let Some((verb, other)) = link.other_end() {
                let verb = if verb.trim().is_empty() {
                    clean(&link.link_type.name)
                } else {
                    clean(verb)
                };
                related.push(RelatedIssue::new(&verb, other));
            }
        }
        if let Some(w) = &f.watches {
            fields.push(("Watchers".into(), Some(w.watch_count.to_string())));
        }
        if let Some(v) = &f.votes {
            fields.push(("Votes".into(), (v.votes > 0).then(|| v.votes.to_string())));
        }
        if let Some(t) = &f.timetracking {
            let parts: Vec<String> = [
                ("estimate", &t.original_estimate),
                ("remaining", &t.remaining_estimate),
                ("logged", &t.time_spent),
            ]
            .into_iter()
            .filter_map(|(label, v)| v.as_ref().map(|v| format!("{} {label}", clean(v))))
            .collect();
            fields.push(("Time".into(), join(parts)));
        }
        for a in &f.attachment {
            fields.push((
                "Attachment".into(),
                Some(format!("{} ({})", clean(&a.filename), human_size(a.size))),
            ));
        }
        // Custom fields by display name, in name order, skipping the ones shown above.
        let mut custom: Vec<(String, String)> = f
            .other
            .keys()
            .filter(|id| id.starts_with("customfield_"))
            .filter_map(|id| {
                let name = issue.names.get(id)?;
                if SHOWN_CUSTOM_NAMES
                    .iter()
                    .any(|n| n.eq_ignore_ascii_case(name.trim()))
                {
                    return None;
                }
                Some((clean(name), f.custom_display(id)?))
            })
            .collect();
        custom.sort();
        fields.extend(custom.into_iter().map(|(k, v)| (k, Some(v))));

        let mut render_ctx = RenderContext::default();
        for u in [&f.assignee, &f.reporter, &f.creator].into_iter().flatten() {
            render_ctx
                .user_names
                .insert(u.account_id.clone(), clean(&u.display_name));
        }
        for a in &f.attachment {
            render_ctx
                .media_names
                .insert(a.id.clone(), clean(&a.filename));
        }
        let status = f.status.as_ref();
        Self {
            key: clean(&issue.key),
            summary: clean(&f.summary),
            status: status.map(|s| clean(&s.name)).unwrap_or_default(),
            category: status
                .and_then(|s| s.status_category.as_ref())
                .map_or(StatusCategory::Unknown, |c| {
                    StatusCategory::from_key(&c.key)
                }),
            fields: fields
                .into_iter()
                .filter_map(|(k, v)| Some((k, v?)))
                .collect(),
            related,
            history: issue
                .changelog
                .as_ref()
                .map(HistoryEntry::from_changelog)
                .unwrap_or_default(),
            history_total: issue
                .changelog
                .as_ref()
                .map_or(0, |c| c.total.max(c.start_at + c.histories.len() as u64)),
            description: f.description.clone().filter(|d| !d.is_empty()),
            render_ctx,
        }
    }
}

impl RelatedIssue {
    fn new(relation: &str, issue: &LinkedIssue) -> Self {
        let clean = |s: &str| sanitize_field(s);
        let status = issue.fields.status.as_ref();
        Self {
            relation: clean(relation),
            key: clean(&issue.key),
            summary: clean(&issue.fields.summary),
            status: status.map(|s| clean(&s.name)).unwrap_or_default(),
            category: status
                .and_then(|s| s.status_category.as_ref())
                .map_or(StatusCategory::Unknown, |c| {
                    StatusCategory::from_key(&c.key)
                }),
        }
    }
}

impl HistoryEntry {
    /// The changelog newest first, whatever order Jira sent it in (the issue expansion
    /// and the paged endpoint disagree).
    pub fn from_changelog(changelog: &Changelog) -> Vec<HistoryEntry> {
        let clean = |s: &str| sanitize_field(s);
        let mut histories: Vec<_> = changelog.histories.iter().collect();
        histories.sort_by_key(|h| std::cmp::Reverse(h.created));
        histories
            .into_iter()
            .map(|h| HistoryEntry {
                author: h
                    .author
                    .as_ref()
                    .map_or_else(|| "Jira".to_owned(), |u| clean(&u.display_name)),
                created: h
                    .created
                    .map(|d| d.format(DATE_TIME_FORMAT).to_string())
                    .unwrap_or_default(),
                changes: h.items.iter().map(FieldChange::from_item).collect(),
            })
            .collect()
    }
}

impl FieldChange {
    fn from_item(item: &ChangeItem) -> Self {
        // The display strings are what a person reads; ids only when Jira gives no string.
        let side = |text: &Option<String>, id: &Option<String>| {
            text.as_deref()
                .or(id.as_deref())
                .map(|s| sanitize_field(s).trim().to_owned())
                .filter(|s| !s.is_empty())
        };
        Self {
            field: sanitize_field(&item.field),
            from: side(&item.from_string, &item.from),
            to: side(&item.to_string, &item.to),
        }
    }
}

impl CommentItem {
    pub fn from_comment(c: &Comment) -> Self {
        let clean = |s: &str| sanitize_field(s);
        let edited = match (c.created, c.updated) {
            (Some(a), Some(b)) => b > a,
            _ => false,
        };
        let author_name = c
            .author
            .as_ref()
            .map_or_else(|| "Anonymous".to_owned(), |u| clean(&u.display_name));
        let mut author = author_name.clone();
        if let Some(v) = &c.visibility {
            author.push_str(&format!(
                " (visible to {} {})",
                clean(&v.kind),
                clean(&v.value)
            ));
        }
        Self {
            id: clean(&c.id),
            author,
            author_name,
            author_id: c
                .author
                .as_ref()
                .map(|u| u.account_id.clone())
                .unwrap_or_default(),
            visibility: c
                .visibility
                .as_ref()
                .map(|v| crate::jira::write::CommentVisibility {
                    kind: clean(&v.kind),
                    value: clean(&v.value),
                    // A group's id is what Jira matches it by; a role is named by value.
                    identifier: v.identifier.as_ref().filter(|_| v.kind == "group").cloned(),
                }),
            pending: None,
            created: c
                .created
                .map(|d| d.format(DATE_TIME_FORMAT).to_string())
                .unwrap_or_default(),
            edited,
            body: c.body.clone(),
        }
    }
}
