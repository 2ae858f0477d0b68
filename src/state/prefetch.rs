//! Issues fetched ahead of an Enter that may come: the highlighted row's issue and its
//! first comments, requested once the cursor has rested on it for a moment.

use crate::jira::client::CommentOrder;
use crate::jira::models::Issue;
use crate::jira::worker::RequestId;

use super::issue::{CommentItem, IssueDetail};

/// Prefetched issues kept at once; moving back up a few rows still finds them.
pub const PREFETCH_KEEP: usize = 8;

/// An issue ready to open without a request.
#[derive(Debug, Clone)]
pub struct PrefetchedIssue {
    pub key: String,
    pub detail: IssueDetail,
    /// The issue as Jira sent it, for the editors (see `IssueState::raw`).
    pub raw: Box<Issue>,
    pub comments: Vec<CommentItem>,
    pub comments_total: u64,
    /// The order the comments were asked in; another order needs a new request.
    pub order: CommentOrder,
}

/// A prefetch in flight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrefetchRequest {
    pub id: RequestId,
    pub key: String,
    pub order: CommentOrder,
}

#[derive(Debug, Default)]
pub struct PrefetchState {
    /// The dwell timer waiting for the cursor to rest; a newer one replaces it.
    pub timer: Option<RequestId>,
    /// The prefetch in flight.
    pub request: Option<PrefetchRequest>,
    /// Issues fetched ahead, oldest first, at most [`PREFETCH_KEEP`].
    pub ready: Vec<PrefetchedIssue>,
}

impl PrefetchState {
    /// Keeps `issue`, replacing an older copy and dropping the oldest beyond the cap.
    pub fn keep(&mut self, issue: PrefetchedIssue) {
        self.ready.retain(|p| p.key != issue.key);
        if self.ready.len() >= PREFETCH_KEEP {
            self.ready.remove(0);
        }
        self.ready.push(issue);
    }

    /// Takes the prefetched `key` if its comments are in `order`.
    pub fn take(&mut self, key: &str, order: CommentOrder) -> Option<PrefetchedIssue> {
        let at = self
            .ready
            .iter()
            .position(|p| p.key == key && p.order == order)?;
        Some(self.ready.remove(at))
    }

    pub fn is_ready(&self, key: &str) -> bool {
        self.ready.iter().any(|p| p.key == key)
    }

    pub fn is_in_flight(&self, key: &str) -> bool {
        self.request.as_ref().is_some_and(|r| r.key == key)
    }

    /// Forgets everything fetched ahead (a refresh asks for fresh data).
    pub fn clear(&mut self) {
        self.ready.clear();
    }
}
