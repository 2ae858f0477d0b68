//! Which panes show data from the view cache that Jira has not confirmed yet. The
//! pane titles say `stale` until the fresh answer replaces it.

use super::Pane;

/// One mark per piece of cached data; each goes when its fresh answer lands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StaleMarks {
    pub projects: bool,
    pub results: bool,
    /// The open issue's fields and description.
    pub issue: bool,
    /// The open issue's comments (they load separately from the issue).
    pub comments: bool,
}

impl StaleMarks {
    /// Whether `pane` shows anything cached.
    pub fn pane(&self, pane: Pane) -> bool {
        match pane {
            Pane::Projects => self.projects,
            Pane::Results => self.results,
            Pane::Issue => self.issue || self.comments,
        }
    }

    pub fn any(&self) -> bool {
        self.projects || self.results || self.issue || self.comments
    }
}
