//! The results pane: the current JQL, the rows loaded so far, and paging.

use std::cell::Cell;

use super::LoadStatus;
use crate::jira::worker::RequestId;

/// Jira's status categories, which decide a status's colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StatusCategory {
    /// `new`: To Do.
    ToDo,
    /// `indeterminate`: In Progress.
    InProgress,
    /// `done`.
    Done,
    #[default]
    Unknown,
}

impl StatusCategory {
    pub fn from_key(key: &str) -> Self {
        match key {
            "new" => Self::ToDo,
            "indeterminate" => Self::InProgress,
            "done" => Self::Done,
            _ => Self::Unknown,
        }
    }
}

/// One row of the results table; strings are sanitised single-line text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IssueRow {
    pub key: String,
    pub issue_type: String,
    pub priority: String,
    pub status: String,
    pub category: StatusCategory,
    pub assignee: String,
    pub summary: String,
    /// `2026-11-20 16:04`, in the issue's own offset.
    pub updated: String,
}

/// How many rows before the end of what is loaded the next page is requested.
pub const PREFETCH_MARGIN_ROWS: usize = 20;
/// Rows requested per search page.
pub const PAGE_SIZE: u32 = 50;

#[derive(Debug, Default)]
pub struct SearchState {
    /// The query the rows belong to.
    pub jql: String,
    pub status: LoadStatus,
    pub rows: Vec<IssueRow>,
    /// Where the next page starts; `None` once the last page is in.
    pub next_page_token: Option<String>,
    /// The in-flight request for the next page, if any.
    pub page_request: Option<RequestId>,
    /// Approximate number of matches, from `/search/approximate-count`.
    pub count: Option<u64>,
    pub count_request: Option<RequestId>,
    pub selected: usize,
    pub offset: Cell<usize>,
}

impl SearchState {
    pub fn selected_row(&self) -> Option<&IssueRow> {
        self.rows.get(self.selected)
    }

    /// The next page should be fetched: the cursor is near the end of what is loaded.
    pub fn wants_next_page(&self) -> bool {
        self.next_page_token.is_some()
            && self.page_request.is_none()
            && !self.status.is_loading()
            && self.selected + PREFETCH_MARGIN_ROWS >= self.rows.len()
    }
}

/// How dates are shown in lists and fields.
pub const DATE_TIME_FORMAT: &str = "%Y-%m-%d %H:%M";

impl IssueRow {
    pub fn from_issue(issue: &crate::jira::models::Issue) -> Self {
        use crate::sanitize::sanitize_line;
        let f = &issue.fields;
        let clean = |s: &str| sanitize_line(s).into_owned();
        let status = f.status.as_ref();
        Self {
            key: clean(&issue.key),
            issue_type: f
                .issuetype
                .as_ref()
                .map(|t| clean(&t.name))
                .unwrap_or_default(),
            priority: f
                .priority
                .as_ref()
                .map(|p| clean(&p.name))
                .unwrap_or_default(),
            status: status.map(|s| clean(&s.name)).unwrap_or_default(),
            category: status
                .and_then(|s| s.status_category.as_ref())
                .map_or(StatusCategory::Unknown, |c| {
                    StatusCategory::from_key(&c.key)
                }),
            assignee: f
                .assignee
                .as_ref()
                .map_or_else(|| "—".to_owned(), |u| clean(&u.display_name)),
            summary: clean(&f.summary),
            updated: f
                .updated
                .map(|d| d.format(DATE_TIME_FORMAT).to_string())
                .unwrap_or_default(),
        }
    }
}
