//! The results pane: the current JQL, the rows loaded so far, and paging.

use std::cell::Cell;

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

use super::LoadStatus;
use super::columns::{Column, ResultsColumns};
use crate::jira::worker::RequestId;

/// Jira's status categories, which decide a status's colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
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

/// One row of the results table; strings are sanitised single-line text. Serde is for
/// the view cache (`crate::cache`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
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
    /// For relative dates ("3h") and the columns the config may add.
    pub updated_at: Option<DateTime<FixedOffset>>,
    pub created_at: Option<DateTime<FixedOffset>>,
    pub reporter: String,
    pub resolution: String,
    pub due: Option<NaiveDate>,
    pub labels: String,
    pub components: String,
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
    /// The table's columns (from the config); the search asks only for their fields.
    pub columns: ResultsColumns,
    /// `End` was pressed while pages remain: keep loading and follow the last row.
    pub follow_end: bool,
    /// `key_width` of the rows seen so far: (where `rows` was allocated, how many rows
    /// were measured, the widest). Pages are appended, so each frame measures only the
    /// rows added since the last one instead of all of them.
    key_width_memo: Cell<(usize, usize, usize)>,
}

impl SearchState {
    pub fn selected_row(&self) -> Option<&IssueRow> {
        self.rows.get(self.selected)
    }

    /// The widest key among the rows (at least the header's width), for the key column.
    pub fn key_width(&self) -> usize {
        // A new list of rows is a new allocation (assigned, or grown past its capacity);
        // fewer rows than measured means it was cut. Either way: measure from the start.
        let place = self.rows.as_ptr() as usize;
        let (memo_place, measured, widest) = self.key_width_memo.get();
        let (from, widest) = if memo_place == place && measured <= self.rows.len() {
            (measured, widest)
        } else {
            (0, 0)
        };
        let widest = self.rows[from..]
            .iter()
            .map(|r| unicode_width::UnicodeWidthStr::width(r.key.as_str()))
            .fold(widest, usize::max);
        self.key_width_memo.set((place, self.rows.len(), widest));
        widest.max(3)
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
        use crate::sanitize::sanitize_field;
        let f = &issue.fields;
        let clean = |s: &str| sanitize_field(s);
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
            updated_at: f.updated,
            created_at: f.created,
            reporter: f
                .reporter
                .as_ref()
                .map(|u| clean(&u.display_name))
                .unwrap_or_default(),
            resolution: f
                .resolution
                .as_ref()
                .map(|r| clean(&r.name))
                .unwrap_or_default(),
            due: f.duedate,
            labels: f
                .labels
                .iter()
                .map(|l| clean(l))
                .collect::<Vec<_>>()
                .join(", "),
            components: f
                .components
                .iter()
                .map(|c| clean(&c.name))
                .collect::<Vec<_>>()
                .join(", "),
        }
    }

    /// A text cell (dates are drawn by the results pane, which knows the time).
    pub fn text(&self, column: Column) -> &str {
        match column {
            Column::Key => &self.key,
            Column::Type => &self.issue_type,
            Column::Priority => &self.priority,
            Column::Status => &self.status,
            Column::Summary => &self.summary,
            Column::Assignee => &self.assignee,
            Column::Reporter => &self.reporter,
            Column::Updated => &self.updated,
            Column::Resolution => &self.resolution,
            Column::Labels => &self.labels,
            Column::Components => &self.components,
            Column::Created | Column::Due => "",
        }
    }
}
