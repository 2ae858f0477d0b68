//! The whole state of the app: plain data, no I/O, no clock, no terminal. `update`
//! changes it, `ui::render` draws it.

pub mod audience;
pub mod columns;
pub mod completion;
pub mod edit;
pub mod fieldkind;
pub mod fieldparse;
pub mod filters;
pub mod history;
pub mod input;
pub mod issue;
pub mod nav;
pub mod picker;
pub mod prefetch;
pub mod projects;
pub mod rich;
pub mod search;
pub mod stale;
pub mod textarea;

pub use input::TextInput;
pub use issue::IssueState;
pub use projects::ProjectsState;
pub use search::SearchState;

use crate::jira::worker::RequestId;

/// Loading and failure are data, shown in the pane's title.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum LoadStatus {
    #[default]
    Idle,
    Loading(RequestId),
    Failed(String),
}

impl LoadStatus {
    pub fn is_loading(&self) -> bool {
        matches!(self, Self::Loading(_))
    }

    /// True when `id` is the request this status waits for (older answers are stale).
    pub fn awaits(&self, id: RequestId) -> bool {
        *self == Self::Loading(id)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum Pane {
    Projects,
    #[default]
    Results,
    Issue,
}

impl Pane {
    pub const ALL: [Pane; 3] = [Pane::Projects, Pane::Results, Pane::Issue];

    pub fn next(self) -> Self {
        match self {
            Pane::Projects => Pane::Results,
            Pane::Results => Pane::Issue,
            Pane::Issue => Pane::Projects,
        }
    }

    pub fn prev(self) -> Self {
        match self {
            Pane::Projects => Pane::Issue,
            Pane::Results => Pane::Projects,
            Pane::Issue => Pane::Results,
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Pane::Projects => "Projects",
            Pane::Results => "Issues",
            Pane::Issue => "Issue",
        }
    }
}

/// A message in the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusMessage {
    pub text: String,
    pub is_error: bool,
}

/// The JQL prompt while it is open.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct JqlBar {
    pub input: TextInput,
}

#[derive(Debug, Default)]
pub struct State {
    /// Where the session points, for the status line: `acme.atlassian.net` or the emulator.
    pub site: String,
    /// The signed-in user's display name, once known.
    pub me: Option<String>,
    pub focus: Pane,
    pub projects: ProjectsState,
    pub search: SearchState,
    pub issue: IssueState,
    pub jql_bar: Option<JqlBar>,
    pub show_help: bool,
    pub message: Option<StatusMessage>,
    /// A read failed and the worker will try again; the status line counts down to it.
    pub retry: Option<crate::jira::retry::RetryNotice>,
    /// Jira rejected the credentials: nothing more is sent this session, and the status
    /// line keeps saying so (and how to sign in again) above everything else.
    pub session_ended: Option<String>,
    /// Advances while something loads; drives the spinner.
    pub spinner_frame: usize,
    /// Terminal size, as last reported.
    pub size: (u16, u16),
    /// JQL bar completion: reference data, cached suggestions, the popup.
    pub completion: completion::CompletionState,
    /// Queries run from the JQL bar, for Up/Down.
    pub history: history::HistoryState,
    /// The saved-filter picker.
    pub filters: filters::FiltersState,
    // Navigation and everyday keys (ui4b).
    /// Issues opened before and after the current one.
    pub nav: nav::NavHistory,
    /// The "go to issue" prompt, while open.
    pub jump: Option<nav::JumpPrompt>,
    /// The focused pane fills the screen.
    pub zoomed: bool,
    /// The time to show relative dates against; `App` sets it before each draw, since
    /// neither `update` nor drawing reads the clock. `None` shows absolute dates.
    pub now: Option<chrono::DateTime<chrono::Utc>>,
    /// The site's base URL, for `<site>/browse/KEY` links.
    pub site_url: Option<url::Url>,
    /// First visible line of the help overlay (drawing clamps it).
    pub help_scroll: std::cell::Cell<usize>,
    /// The session sends Jira no changes (`--read-only`, or the profile's setting); the
    /// status line says so and editors ask [`State::allow_write`] before they open.
    pub read_only: bool,
    /// The API token expires soon (or has): shown in the status line when no other
    /// message is.
    pub token_warning: Option<String>,
    // Instant start and prefetch (perf).
    /// Panes showing cached data not yet confirmed by Jira.
    pub stale: stale::StaleMarks,
    /// The highlighted row's issue, fetched ahead of Enter.
    pub prefetch: prefetch::PrefetchState,
    /// Editors, saves in flight, bulk marks.
    pub edit: edit::EditState,
    next_request_id: RequestId,
}

impl State {
    pub fn new(site: impl Into<String>) -> Self {
        Self {
            site: site.into(),
            ..Self::default()
        }
    }

    /// A fresh id for a request; ids only grow, so an answer's id tells its age.
    pub fn next_id(&mut self) -> RequestId {
        self.next_request_id += 1;
        self.next_request_id
    }

    /// Whether anything is in flight (the spinner, and the tick, run only then).
    pub fn is_busy(&self) -> bool {
        self.projects.status.is_loading()
            || self.search.status.is_loading()
            || self.search.page_request.is_some()
            || self.issue.status.is_loading()
            || self.issue.comments_request.is_some()
            || self.completion.is_busy()
            || self.filters.is_loading()
            || self.edit.is_busy()
    }

    /// For editors, before they open: in a read-only session, says "read-only profile"
    /// with what was refused in the status line and answers false.
    pub fn allow_write(&mut self, action: &str) -> bool {
        if self.read_only {
            self.error(format!(
                "read-only profile: jtui will not {action} (`jtui profile read-only --off` allows changes)"
            ));
        }
        !self.read_only
    }

    pub fn info(&mut self, text: impl Into<String>) {
        self.message = Some(StatusMessage {
            text: text.into(),
            is_error: false,
        });
    }

    pub fn error(&mut self, text: impl Into<String>) {
        self.message = Some(StatusMessage {
            text: text.into(),
            is_error: true,
        });
    }
}
