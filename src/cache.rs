//! The view cache: the last view of each profile — query, first rows, selection, open
//! issue, pane focus and zoom — kept in the platform's cache dir, so the next start draws
//! it in its first frame (marked stale) while the usual requests bring it up to date.
//!
//! One small JSON file per profile, `<cache dir>/views/<profile>.json`, in the serde form
//! of the state types it restores. It never holds the token: nothing in `State` does. A
//! file that does not decode, has another version or belongs to another site is ignored
//! (one uncached start, nothing worse); one too large to read quickly is not written.
//! The file is the user's own, written from already sanitised state.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::jira::client::CommentOrder;
use crate::state::history::profile_file_stem;
use crate::state::issue::{CommentItem, IssueDetail, IssueTab};
use crate::state::projects::ProjectItem;
use crate::state::search::IssueRow;
use crate::state::{Pane, State};

/// Bumped whenever the file's shape changes; other versions are ignored.
pub const VIEW_CACHE_VERSION: u32 = 1;
/// Rows kept: two first pages' worth, what a screen shows and a little more.
pub const MAX_CACHED_ROWS: usize = 100;
/// Projects kept for the projects pane.
pub const MAX_CACHED_PROJECTS: usize = 500;
/// The largest file written. Reading happens before the first frame, so it must stay a
/// small file: comments go first, then the issue, then rows, until the view fits.
pub const MAX_VIEW_BYTES: usize = 256 * 1024;

/// Why the cache could not be read or written. Never shown as an error to the user:
/// the app starts uncached and logs it.
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    #[error("cannot read {}: {source}", path.display())]
    Read { path: PathBuf, source: io::Error },
    #[error("cannot write {}: {source}", path.display())]
    Write { path: PathBuf, source: io::Error },
    #[error("{} is not a view cache: {source}", path.display())]
    Decode {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("{} has version {found}, not {VIEW_CACHE_VERSION}", path.display())]
    Version { path: PathBuf, found: u32 },
    #[error("{} belongs to another site", path.display())]
    OtherSite { path: PathBuf },
    #[error("the view does not fit in {MAX_VIEW_BYTES} bytes even without its issue")]
    TooLarge,
    #[error("the view cache could not be encoded: {0}")]
    Encode(#[from] serde_json::Error),
}

/// The open issue as it was shown.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CachedIssue {
    pub key: String,
    pub detail: IssueDetail,
    pub comments: Vec<CommentItem>,
    pub comments_total: u64,
    pub comment_order: CommentOrder,
    pub tab: IssueTab,
    pub scroll: usize,
}

/// Everything the first frame needs to look like the last one.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CachedView {
    pub version: u32,
    /// The site the data came from (for the demo, whose port changes each run, its dataset:
    /// `DataArgs::cache_site`).
    pub site: String,
    pub jql: String,
    pub rows: Vec<IssueRow>,
    pub selected: usize,
    pub offset: usize,
    pub count: Option<u64>,
    pub projects: Vec<ProjectItem>,
    pub project_selected: usize,
    pub active_project: Option<String>,
    pub me: Option<String>,
    pub focus: Pane,
    pub zoomed: bool,
    pub issue: Option<CachedIssue>,
}

/// Only the version, read first so an old file is told apart from a corrupt one.
#[derive(Deserialize)]
struct VersionProbe {
    version: u32,
}

/// The comments as Jira has them: a change still on its way to Jira is left out (a new
/// comment) or undone (an edited or deleted one is kept as it was), since the next
/// start cannot know whether Jira took it.
fn confirmed_comments(comments: &[CommentItem]) -> Vec<CommentItem> {
    comments
        .iter()
        .filter_map(|c| match &c.pending {
            None => Some(c.clone()),
            Some(pending) => pending.before.as_deref().cloned(),
        })
        .collect()
}

/// Where the views live: the platform's cache dir (`~/.cache/jtui` on Linux).
pub fn default_dir() -> Option<PathBuf> {
    crate::config::cache_dir()
}

/// The view file of `profile` under `dir`.
pub fn path(dir: &Path, profile: &str) -> PathBuf {
    dir.join("views")
        .join(format!("{}.json", profile_file_stem(profile)))
}

impl CachedView {
    /// The view `state` shows, within the row and project caps.
    pub fn capture(state: &State, site: &str) -> Self {
        let search = &state.search;
        let rows: Vec<IssueRow> = search.rows.iter().take(MAX_CACHED_ROWS).cloned().collect();
        // A cursor beyond the kept rows starts at the top next time.
        let (selected, offset) = if search.selected < rows.len() {
            (search.selected, search.offset.get().min(search.selected))
        } else {
            (0, 0)
        };
        let issue = &state.issue;
        // Only an issue that is shown whole: not one still loading over another's detail.
        let cached_issue = match (&issue.key, &issue.detail) {
            (Some(key), Some(detail)) if detail.key == *key => Some(CachedIssue {
                key: key.clone(),
                detail: detail.clone(),
                comments: confirmed_comments(&issue.comments),
                comments_total: issue.comments_total,
                comment_order: issue.comment_order,
                tab: issue.tab,
                scroll: issue.scroll.get(),
            }),
            _ => None,
        };
        CachedView {
            version: VIEW_CACHE_VERSION,
            site: site.to_owned(),
            jql: search.jql.clone(),
            rows,
            selected,
            offset,
            count: search.count,
            projects: state
                .projects
                .items
                .iter()
                .take(MAX_CACHED_PROJECTS)
                .cloned()
                .collect(),
            project_selected: state.projects.selected,
            active_project: state.projects.active.clone(),
            me: state.me.clone(),
            focus: state.focus,
            zoomed: state.zoomed,
            issue: cached_issue,
        }
    }

    /// Puts the view into `state`, every part marked stale until Jira confirms it.
    pub fn apply(self, state: &mut State) {
        let search = &mut state.search;
        search.jql = self.jql;
        search.rows = self.rows;
        search.selected = self.selected.min(search.rows.len().saturating_sub(1));
        search.offset.set(self.offset.min(search.selected));
        search.count = self.count;
        state.stale.results = !search.jql.is_empty();
        let projects = &mut state.projects;
        projects.items = self.projects;
        projects.selected = self
            .project_selected
            .min(projects.items.len().saturating_sub(1));
        projects.active = self.active_project;
        state.stale.projects = !projects.items.is_empty();
        state.me = self.me;
        state.focus = self.focus;
        state.zoomed = self.zoomed;
        if let Some(cached) = self.issue {
            let issue = &mut state.issue;
            issue.key = Some(cached.key);
            issue.detail = Some(cached.detail);
            issue.comments = cached.comments;
            issue.comments_total = cached.comments_total;
            issue.comment_order = cached.comment_order;
            issue.tab = cached.tab;
            issue.scroll.set(cached.scroll);
            issue.touch();
            state.stale.issue = true;
            state.stale.comments = true;
        }
    }

    /// The file's bytes, at most `limit` of them: comments, then the issue, then rows
    /// are dropped until it fits. `TooLarge` if even an empty view does not.
    pub fn encode_within(mut self, limit: usize) -> Result<Vec<u8>, CacheError> {
        loop {
            let bytes = serde_json::to_vec(&self)?;
            if bytes.len() <= limit {
                return Ok(bytes);
            }
            match &mut self.issue {
                Some(issue) if !issue.comments.is_empty() => issue.comments.clear(),
                Some(_) => self.issue = None,
                None if !self.rows.is_empty() => {
                    self.rows.truncate(self.rows.len() / 2);
                    if self.selected >= self.rows.len() {
                        self.selected = 0;
                        self.offset = 0;
                    }
                }
                None if !self.projects.is_empty() => self.projects.clear(),
                None => return Err(CacheError::TooLarge),
            }
        }
    }
}

/// Reads the view of `site` at `path`; `Ok(None)` when there is no file yet.
pub fn load(path: &Path, site: &str) -> Result<Option<CachedView>, CacheError> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(CacheError::Read {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    decode(path, &bytes, site).map(Some)
}

fn decode(path: &Path, bytes: &[u8], site: &str) -> Result<CachedView, CacheError> {
    let decode_error = |source| CacheError::Decode {
        path: path.to_path_buf(),
        source,
    };
    let probe: VersionProbe = serde_json::from_slice(bytes).map_err(decode_error)?;
    if probe.version != VIEW_CACHE_VERSION {
        return Err(CacheError::Version {
            path: path.to_path_buf(),
            found: probe.version,
        });
    }
    let view: CachedView = serde_json::from_slice(bytes).map_err(decode_error)?;
    if view.site != site {
        return Err(CacheError::OtherSite {
            path: path.to_path_buf(),
        });
    }
    Ok(view)
}

/// Writes `view` to `path` within [`MAX_VIEW_BYTES`]: to a private temporary file first,
/// renamed over the old one, so a crash leaves the old view rather than half a new one.
/// A view too large for the limit removes the old file (it would show an older view).
pub fn save(path: &Path, view: CachedView) -> Result<usize, CacheError> {
    let write_error = |source| CacheError::Write {
        path: path.to_path_buf(),
        source,
    };
    let bytes = match view.encode_within(MAX_VIEW_BYTES) {
        Ok(bytes) => bytes,
        Err(e) => {
            match std::fs::remove_file(path) {
                Ok(()) => {}
                Err(gone) if gone.kind() == io::ErrorKind::NotFound => {}
                Err(other) => return Err(write_error(other)),
            }
            return Err(e);
        }
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(write_error)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(write_error)?;
    tmp.write_all(&bytes).map_err(write_error)?;
    tmp.persist(path).map_err(|e| write_error(e.error))?;
    Ok(bytes.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::search::StatusCategory;

    fn row(n: usize) -> IssueRow {
        IssueRow {
            key: format!("NAV-{n}"),
            summary: format!("Issue {n} {}", "x".repeat(200)),
            status: "To Do".into(),
            category: StatusCategory::ToDo,
            ..IssueRow::default()
        }
    }

    fn comment(id: &str, text: &str) -> CommentItem {
        CommentItem {
            id: id.into(),
            author: "Priya Nair".into(),
            author_name: "Priya Nair".into(),
            author_id: "acc-1".into(),
            visibility: None,
            pending: None,
            created: "2026-11-20 16:04".into(),
            edited: false,
            body: crate::jira::Adf::from_plain_text(text),
        }
    }

    #[test]
    fn comments_on_their_way_to_jira_are_cached_as_jira_has_them() {
        use crate::state::issue::PendingComment;
        let kept = comment("1", "as posted");
        let mut edited = comment("2", "new words");
        edited.pending = Some(PendingComment {
            request: 7,
            note: "sending…",
            before: Some(Box::new(comment("2", "old words"))),
        });
        let mut added = comment("", "not in Jira yet");
        added.pending = Some(PendingComment {
            request: 8,
            note: "sending…",
            before: None,
        });
        let cached = confirmed_comments(&[kept, edited, added]);
        let texts: Vec<(&str, String)> = cached
            .iter()
            .map(|c| (c.id.as_str(), crate::jira::adf::plain_text(&c.body)))
            .collect();
        assert_eq!(
            texts,
            [("1", "as posted".to_owned()), ("2", "old words".to_owned())]
        );
        assert!(cached.iter().all(|c| c.pending.is_none()));
    }

    fn state_with(rows: usize) -> State {
        let mut state = State::new("test");
        state.search.jql = "project = NAV".into();
        state.search.rows = (0..rows).map(row).collect();
        state
    }

    #[test]
    fn capture_caps_rows_and_resets_a_cursor_beyond_them() {
        let mut state = state_with(300);
        state.search.selected = 250;
        let view = CachedView::capture(&state, "s");
        assert_eq!(view.rows.len(), MAX_CACHED_ROWS);
        assert_eq!(view.selected, 0);
        state.search.selected = 42;
        assert_eq!(CachedView::capture(&state, "s").selected, 42);
    }

    #[test]
    fn a_view_too_large_sheds_rows_until_it_fits() {
        let view = CachedView::capture(&state_with(100), "s");
        let full = serde_json::to_vec(&view).unwrap().len();
        let bytes = view.clone().encode_within(full / 3).unwrap();
        assert!(bytes.len() <= full / 3);
        let back: CachedView = serde_json::from_slice(&bytes).unwrap();
        assert!(!back.rows.is_empty() && back.rows.len() < 100);
        assert!(matches!(view.encode_within(10), Err(CacheError::TooLarge)));
    }

    #[test]
    fn paths_are_per_profile_and_safe() {
        let dir = Path::new("/c");
        assert_eq!(path(dir, "demo"), Path::new("/c/views/demo.json"));
        assert_eq!(
            path(dir, "../etc"),
            Path::new("/c/views/.._etc.json"),
            "no way out of the views dir"
        );
    }
}
