//! The Jira worker: owns the client and runs each command in its own task, off the UI
//! path, answering with a `JiraEvent`. A newer command of the same kind aborts the
//! older one (latest wins); `update` also drops answers whose id is stale.

use std::collections::HashMap;

use chrono::Utc;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio::time::Instant;
use tracing::Instrument;

use super::client::{CommentOrder, JiraClient};
use super::error::JiraError;
use super::models::{
    CommentPage, Filter, Issue, JqlReferenceData, JqlSuggestion, Project, SearchPage,
    SearchRequest, User,
};
use super::retry::{self, Holdup, RetryNotice};

/// Identifies a request so its answer can be matched (and ignored when stale).
pub type RequestId = u64;

/// Projects requested per page while loading the whole list.
const PROJECTS_PAGE_SIZE: u32 = 50;
/// Stop paging projects after this many, so a huge site cannot hold the pane forever.
const PROJECTS_MAX: usize = 5000;

#[derive(Debug, Clone, PartialEq)]
pub struct JiraCommand {
    pub id: RequestId,
    pub request: JiraRequest,
}

#[derive(Debug, Clone, PartialEq)]
pub enum JiraRequest {
    /// The signed-in user.
    Myself,
    /// Every project the user can browse (all pages).
    Projects,
    /// One page of a JQL search.
    Search {
        jql: String,
        fields: Vec<String>,
        page_token: Option<String>,
        max_results: u32,
    },
    /// The approximate number of matches of a JQL query.
    Count { jql: String },
    /// One issue with everything the detail pane shows.
    Issue { key: String },
    /// A page of an issue's comments.
    Comments {
        key: String,
        start_at: u32,
        max_results: u32,
        order: CommentOrder,
    },
    /// JQL reference data: fields, their operators, functions (for completion).
    AutocompleteData,
    /// Values Jira suggests for `field` starting with `value`.
    Suggestions { field: String, value: String },
    /// The user's favourite filters.
    FavouriteFilters,
    /// The filters the user owns.
    MyFilters,
    /// An issue and its first comments, fetched ahead of an Enter that may come. It
    /// has no slot: only `Worker::cancel` stops it, so a prefetch adopted by an open
    /// survives the next prefetch.
    Prefetch {
        key: String,
        max_comments: u32,
        order: CommentOrder,
    },
}

/// Commands in the same slot supersede each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Slot {
    Myself,
    Projects,
    /// First page and later pages share the slot: a new search aborts the old paging.
    Search,
    Count,
    Issue,
    Comments,
    AutocompleteData,
    /// A newer prefix's suggestions make the older ones useless.
    Suggestions,
    FavouriteFilters,
    MyFilters,
}

impl JiraRequest {
    fn slot(&self) -> Option<Slot> {
        Some(match self {
            Self::Prefetch { .. } => return None,
            Self::Myself => Slot::Myself,
            Self::Projects => Slot::Projects,
            Self::Search { .. } => Slot::Search,
            Self::Count { .. } => Slot::Count,
            Self::Issue { .. } => Slot::Issue,
            Self::Comments { .. } => Slot::Comments,
            Self::AutocompleteData => Slot::AutocompleteData,
            Self::Suggestions { .. } => Slot::Suggestions,
            Self::FavouriteFilters => Slot::FavouriteFilters,
            Self::MyFilters => Slot::MyFilters,
        })
    }

    /// Whether the request only reads, so sending it twice is harmless and it may be
    /// retried. Every request has to say: a write added later must not inherit retries.
    pub fn is_read(&self) -> bool {
        match self {
            Self::Myself
            | Self::Projects
            | Self::Search { .. }
            | Self::Count { .. }
            | Self::Issue { .. }
            | Self::Comments { .. }
            | Self::AutocompleteData
            | Self::Suggestions { .. }
            | Self::FavouriteFilters
            | Self::MyFilters
            | Self::Prefetch { .. } => true,
        }
    }

    fn name(&self) -> &'static str {
        match self {
            Self::Myself => "myself",
            Self::Projects => "projects",
            Self::Search { .. } => "search",
            Self::Count { .. } => "count",
            Self::Issue { .. } => "issue",
            Self::Comments { .. } => "comments",
            Self::AutocompleteData => "jql_autocomplete_data",
            Self::Suggestions { .. } => "jql_suggestions",
            Self::FavouriteFilters => "favourite_filters",
            Self::MyFilters => "my_filters",
            Self::Prefetch { .. } => "prefetch",
        }
    }
}

#[derive(Debug)]
pub enum JiraResponse {
    Myself(User),
    Projects(Vec<Project>),
    Search(SearchPage),
    Count(u64),
    Issue(Box<Issue>),
    Comments(CommentPage),
    AutocompleteData(Box<JqlReferenceData>),
    Suggestions(Vec<JqlSuggestion>),
    /// Favourite or own filters (the request id tells which).
    Filters(Vec<Filter>),
    /// An issue fetched ahead, with its first comments.
    Prefetched {
        issue: Box<Issue>,
        comments: CommentPage,
    },
}

#[derive(Debug)]
pub struct JiraEvent {
    pub id: RequestId,
    pub result: Result<JiraResponse, JiraError>,
}

/// News about a request still in flight: it failed and will be tried again. Sent on
/// its own channel (see [`Worker::with_progress`]) before the request's `JiraEvent`.
#[derive(Debug, Clone, PartialEq)]
pub struct JiraProgress {
    pub id: RequestId,
    pub notice: RetryNotice,
}

/// The fields the detail pane shows; asking for them (not `*all`) keeps responses small.
pub const ISSUE_FIELDS: &[&str] = &["*all", "-comment", "-worklog"];
/// Expansions the detail pane uses: display names of custom fields, and the changelog
/// for the History tab (Jira includes its latest page; one request serves both tabs).
pub const ISSUE_EXPAND: &[&str] = &["names", "changelog"];

/// Handle to the worker: send commands, receive events on the channel given at spawn.
#[derive(Debug)]
pub struct Worker {
    client: JiraClient,
    events: mpsc::UnboundedSender<JiraEvent>,
    progress: Option<mpsc::UnboundedSender<JiraProgress>>,
    running: HashMap<Slot, (RequestId, JoinHandle<()>)>,
    /// Commands without a slot (prefetches), until they finish or are cancelled.
    unslotted: Vec<(RequestId, JoinHandle<()>)>,
}

impl Worker {
    pub fn new(client: JiraClient, events: mpsc::UnboundedSender<JiraEvent>) -> Self {
        Self {
            client,
            events,
            progress: None,
            running: HashMap::new(),
            unslotted: Vec::new(),
        }
    }

    /// Also reports retries ("retrying in 4 s") on `progress`, for the status line.
    pub fn with_progress(mut self, progress: mpsc::UnboundedSender<JiraProgress>) -> Self {
        self.progress = Some(progress);
        self
    }

    pub fn client(&self) -> &JiraClient {
        &self.client
    }

    /// Starts `cmd` in its own task, aborting an older command of the same kind.
    ///
    /// Once Jira has rejected the credentials, nothing is sent any more: every command
    /// is answered at once with that same 401, until jtui is restarted with a new token.
    pub fn send(&mut self, cmd: JiraCommand) {
        if let Some(err) = self.client.gate().revoked() {
            let _ = self.events.send(JiraEvent {
                id: cmd.id,
                result: Err(err),
            });
            return;
        }
        let slot = cmd.request.slot();
        if let Some((_, old)) = slot.and_then(|slot| self.running.remove(&slot)) {
            old.abort();
        }
        let id = cmd.id;
        let client = self.client.clone();
        let events = self.events.clone();
        let progress = self.progress.clone();
        let span = tracing::info_span!("jira", id = cmd.id, op = cmd.request.name());
        let handle = tokio::spawn(
            async move {
                let report = |notice: RetryNotice| {
                    if let Some(progress) = &progress {
                        let _ = progress.send(JiraProgress { id: cmd.id, notice });
                    }
                };
                let result = run_with_retry(&client, &cmd.request, report).await;
                if let Err(e) = &result {
                    tracing::warn!(error = %e, "request failed");
                }
                // The receiver is gone only when the app is shutting down.
                let _ = events.send(JiraEvent { id: cmd.id, result });
            }
            .instrument(span),
        );
        match slot {
            Some(slot) => {
                self.running.insert(slot, (id, handle));
            }
            None => {
                self.unslotted.retain(|(_, h)| !h.is_finished());
                self.unslotted.push((id, handle));
            }
        }
    }

    /// Aborts the command `id` if it is still running (its answer never comes).
    pub fn cancel(&mut self, id: RequestId) {
        self.running.retain(|_, (running, handle)| {
            let hit = *running == id;
            if hit {
                handle.abort();
            }
            !hit
        });
        self.unslotted.retain(|(running, handle)| {
            let hit = *running == id;
            if hit {
                handle.abort();
            }
            !hit
        });
    }

    /// Aborts everything in flight.
    pub fn shutdown(&mut self) {
        for (_, (_, handle)) in self.running.drain() {
            handle.abort();
        }
        for (_, handle) in self.unslotted.drain(..) {
            handle.abort();
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// Runs `request` under its deadline, retrying a read while its failures are worth
/// another try, it has tries left and the wait fits before the deadline. The waiting
/// itself happens at the client's gate (one shared backoff for all requests); `report`
/// hears about each retry before it waits.
async fn run_with_retry(
    client: &JiraClient,
    request: &JiraRequest,
    report: impl Fn(RetryNotice),
) -> Result<JiraResponse, JiraError> {
    let policy = *client.gate().policy();
    let deadline = Instant::now() + policy.deadline;
    let attempts = async {
        let mut attempt = 1;
        loop {
            let err = match run(client, request).await {
                Ok(response) => return Ok(response),
                Err(err) => err,
            };
            if !request.is_read() || !retry::is_retryable(&err) || attempt >= policy.max_attempts {
                return Err(err);
            }
            let (wait, holdup) = client.gate().backoff_remaining().unwrap_or_else(|| {
                (
                    std::time::Duration::ZERO,
                    Holdup::Unavailable("error".to_owned()),
                )
            });
            if Instant::now() + wait > deadline {
                return Err(err);
            }
            tracing::info!(error = %err, ?wait, attempt, "retrying read");
            report(RetryNotice {
                holdup,
                delay: wait,
                retry_at: Utc::now() + wait,
                attempt,
                max_attempts: policy.max_attempts,
            });
            attempt += 1;
        }
    };
    match tokio::time::timeout_at(deadline, retry::DEADLINE.scope(deadline, attempts)).await {
        Ok(result) => result,
        Err(_elapsed) => Err(JiraError::Transport(format!(
            "Jira did not answer within {} s. Check your network and press r to retry",
            policy.deadline.as_secs()
        ))),
    }
}

async fn run(client: &JiraClient, request: &JiraRequest) -> Result<JiraResponse, JiraError> {
    Ok(match request {
        JiraRequest::Myself => JiraResponse::Myself(client.myself().await?),
        JiraRequest::Projects => {
            let mut all = Vec::new();
            loop {
                let start = u32::try_from(all.len()).unwrap_or(u32::MAX);
                let page = client
                    .search_projects(None, start, PROJECTS_PAGE_SIZE)
                    .await?;
                let got = page.values.len();
                all.extend(page.values);
                if page.is_last || got == 0 || all.len() >= PROJECTS_MAX {
                    break;
                }
            }
            JiraResponse::Projects(all)
        }
        JiraRequest::Search {
            jql,
            fields,
            page_token,
            max_results,
        } => {
            let req = SearchRequest {
                jql: jql.clone(),
                fields: fields.clone(),
                max_results: Some(*max_results),
                next_page_token: page_token.clone(),
                ..SearchRequest::default()
            };
            JiraResponse::Search(client.search_jql(&req).await?)
        }
        JiraRequest::Count { jql } => JiraResponse::Count(client.approximate_count(jql).await?),
        JiraRequest::Issue { key } => JiraResponse::Issue(Box::new(
            client.issue(key, ISSUE_FIELDS, ISSUE_EXPAND).await?,
        )),
        JiraRequest::Comments {
            key,
            start_at,
            max_results,
            order,
        } => JiraResponse::Comments(
            client
                .comments(key, *start_at, *max_results, *order)
                .await?,
        ),
        JiraRequest::AutocompleteData => {
            JiraResponse::AutocompleteData(Box::new(client.jql_autocomplete_data().await?))
        }
        JiraRequest::Suggestions { field, value } => {
            JiraResponse::Suggestions(client.jql_suggestions(field, value).await?)
        }
        JiraRequest::FavouriteFilters => JiraResponse::Filters(client.favourite_filters().await?),
        JiraRequest::MyFilters => JiraResponse::Filters(client.my_filters().await?),
        JiraRequest::Prefetch {
            key,
            max_comments,
            order,
        } => {
            // Side by side, as an open does: one round trip, not two.
            let (issue, comments) = tokio::join!(
                client.issue(key, ISSUE_FIELDS, ISSUE_EXPAND),
                client.comments(key, 0, *max_comments, *order),
            );
            JiraResponse::Prefetched {
                issue: Box::new(issue?),
                comments: comments?,
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emulator::{seed, server};
    use crate::jira::client::Credentials;

    /// Only catches a hang (a command aborted that should have answered): the answers
    /// themselves take milliseconds.
    const HANG: std::time::Duration = std::time::Duration::from_secs(30);

    fn prefetch(key: &str) -> JiraRequest {
        JiraRequest::Prefetch {
            key: key.to_owned(),
            max_comments: 5,
            order: CommentOrder::OldestFirst,
        }
    }

    #[test]
    fn a_prefetch_is_a_read_in_no_slot() {
        let request = prefetch("NAV-1");
        assert!(request.is_read(), "a prefetch may be retried");
        assert_eq!(request.slot(), None, "only Worker::cancel stops a prefetch");
    }

    /// The test's runtime has one thread: no task runs until the test awaits, so every
    /// abort below happens before its request starts, and the answers say exactly which
    /// commands were aborted.
    #[tokio::test]
    async fn prefetches_abort_neither_the_open_issue_nor_each_other_only_cancel_does() {
        let emulator = server::start(seed::demo_store(60), server::ServerOptions::default())
            .await
            .unwrap();
        let client = JiraClient::new(
            url::Url::parse(&emulator.base_url).unwrap(),
            Credentials::new(seed::DEMO_EMAIL, seed::DEMO_TOKEN),
        )
        .unwrap();
        let (tx, mut events) = mpsc::unbounded_channel();
        let mut worker = Worker::new(client, tx);
        let issue = JiraRequest::Issue {
            key: "NAV-1".into(),
        };
        worker.send(JiraCommand {
            id: 1,
            request: issue,
        });
        worker.send(JiraCommand {
            id: 2,
            request: prefetch("NAV-2"),
        });
        worker.send(JiraCommand {
            id: 3,
            request: prefetch("NAV-3"),
        });
        worker.send(JiraCommand {
            id: 4,
            request: prefetch("NAV-4"),
        });
        worker.cancel(3);

        let mut answered = Vec::new();
        for _ in 0..3 {
            let event = tokio::time::timeout(HANG, events.recv())
                .await
                .expect("an answer for every command not cancelled")
                .unwrap();
            match event.result.unwrap() {
                JiraResponse::Issue(issue) => {
                    assert_eq!((event.id, issue.key.as_str()), (1, "NAV-1"))
                }
                JiraResponse::Prefetched { issue, .. } => {
                    assert_eq!(issue.key, format!("NAV-{}", event.id));
                }
                other => panic!("unexpected answer {other:?}"),
            }
            answered.push(event.id);
        }
        answered.sort_unstable();
        assert_eq!(answered, [1, 2, 4]);
        // Once the worker and its tasks are gone the channel closes: the cancelled
        // prefetch never answers.
        drop(worker);
        let rest = tokio::time::timeout(HANG, events.recv()).await;
        assert!(matches!(rest, Ok(None)), "{rest:?}");
    }
}
