//! The issue pane: the open issue's fields, description and comments.

use std::cell::{Cell, RefCell};

use chrono::{DateTime, FixedOffset};

use super::LoadStatus;
use super::search::{DATE_TIME_FORMAT, StatusCategory};
use crate::jira::adf::{Adf, RenderContext, RichLine};
use crate::jira::client::CommentOrder;
use crate::jira::models::{Comment, Issue, LinkedIssue, User};
use crate::jira::worker::RequestId;
use crate::sanitize::sanitize_line;

/// Comments requested per page.
pub const COMMENTS_PAGE_SIZE: u32 = 50;

/// A comment ready to show; strings are sanitised.
#[derive(Debug, Clone)]
pub struct CommentItem {
    pub id: String,
    pub author: String,
    /// `2026-11-20 16:04`.
    pub created: String,
    pub edited: bool,
    pub body: Adf,
}

/// An issue ready to show; strings are sanitised.
#[derive(Debug, Clone)]
pub struct IssueDetail {
    pub key: String,
    pub summary: String,
    pub status: String,
    pub category: StatusCategory,
    /// (label, value) pairs in display order, empty values left out.
    pub fields: Vec<(String, String)>,
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
}

/// Wrapped lines of the issue pane for one width and one generation of content.
#[derive(Debug, Default)]
pub struct LineCache {
    pub width: u16,
    pub generation: u64,
    pub lines: Vec<RichLine>,
}

impl IssueState {
    pub fn touch(&mut self) {
        self.generation += 1;
    }

    /// True when more comments exist on the server than are loaded.
    pub fn has_more_comments(&self) -> bool {
        (self.comments.len() as u64) < self.comments_total
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
        let clean = |s: &str| sanitize_line(s).into_owned();
        let user = |u: &Option<User>| u.as_ref().map(|u| clean(&u.display_name));
        let date =
            |d: Option<DateTime<FixedOffset>>| d.map(|d| d.format(DATE_TIME_FORMAT).to_string());
        let join = |items: Vec<String>| (!items.is_empty()).then(|| items.join(", "));
        let linked = |i: &LinkedIssue| {
            let status = i
                .fields
                .status
                .as_ref()
                .map(|s| format!(" [{}]", clean(&s.name)))
                .unwrap_or_default();
            format!("{}{} {}", clean(&i.key), status, clean(&i.fields.summary))
        };

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
            ("Parent".into(), f.parent.as_ref().map(linked)),
        ];
        for sub in &f.subtasks {
            fields.push(("Sub-task".into(), Some(linked(sub))));
        }
        for link in &f.issuelinks {
            if let Some((verb, other)) = link.other_end() {
                fields.push((clean(verb), Some(linked(other))));
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
            description: f.description.clone().filter(|d| !d.is_empty()),
            render_ctx,
        }
    }
}

impl CommentItem {
    pub fn from_comment(c: &Comment) -> Self {
        let clean = |s: &str| sanitize_line(s).into_owned();
        let edited = match (c.created, c.updated) {
            (Some(a), Some(b)) => b > a,
            _ => false,
        };
        let mut author = c
            .author
            .as_ref()
            .map_or_else(|| "Anonymous".to_owned(), |u| clean(&u.display_name));
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
            created: c
                .created
                .map(|d| d.format(DATE_TIME_FORMAT).to_string())
                .unwrap_or_default(),
            edited,
            body: c.body.clone(),
        }
    }
}
