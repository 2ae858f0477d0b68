//! The Jira worker: owns the client and runs each command in its own task, off the UI
//! path, answering with a `JiraEvent`. A newer command of the same kind aborts the
//! older one (latest wins); `update` also drops answers whose id is stale.

use std::collections::{BTreeMap, HashMap};

use chrono::Utc;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio::time::Instant;
use tracing::Instrument;

use super::adf::Adf;
use super::agile::{OPEN_SPRINT_STATES, Sprint};
use super::client::{CommentOrder, JiraClient};
use super::error::JiraError;
use super::models::{
    Comment, CommentPage, CreatedIssue, EditMeta, FieldMeta, Filter, GroupName, Issue, IssueType,
    JqlReferenceData, JqlSuggestion, Project, SearchPage, SearchRequest, Transition, User,
};
use super::retry::{self, Holdup, RetryNotice};
use super::write::{CommentVisibility, IssueCreate, IssueUpdate};

/// Identifies a request so its answer can be matched (and ignored when stale).
pub type RequestId = u64;

/// Projects requested per page while loading the whole list.
const PROJECTS_PAGE_SIZE: u32 = 50;
/// Stop paging projects after this many, so a huge site cannot hold the pane forever.
const PROJECTS_MAX: usize = 5000;
/// Users one picker query shows; more means the query should be more precise.
const ASSIGNABLE_USERS_MAX: u32 = 50;
/// How long a write refused with 429 waits when Jira did not say (`Retry-After`).
const WRITE_RATE_LIMIT_WAIT: std::time::Duration = std::time::Duration::from_secs(2);
/// Labels requested per page (Jira's largest).
const LABELS_PAGE_SIZE: u32 = 1000;
/// Stop paging labels after this many; the picker also takes free entry.
const LABELS_MAX: usize = 20_000;
/// Parent candidates offered in a picker: the most recently updated; older ones are
/// typed by key.
const PARENT_CANDIDATES: u32 = 200;
/// Boards and sprints requested per page (the Agile API's largest).
const AGILE_PAGE_SIZE: u32 = 50;
/// Stop paging a project's boards, and the sprints of them, after this many: a picker
/// of more is no use.
const BOARDS_MAX: usize = 200;
const SPRINTS_MAX: usize = 1000;

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
    Count {
        jql: String,
    },
    /// One issue with everything the detail pane shows.
    Issue {
        key: String,
    },
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
    Suggestions {
        field: String,
        value: String,
    },
    /// The user's favourite filters.
    FavouriteFilters,
    /// The filters the user owns.
    MyFilters,
    /// An issue and its first comments, fetched ahead of an Enter that may come. Each
    /// has a slot of its own: only `Worker::cancel` stops it, so a prefetch adopted by
    /// an open survives the next prefetch.
    Prefetch {
        key: String,
        max_comments: u32,
        order: CommentOrder,
    },
    // Editing (issue 5): the reads editors need, then the writes. A write is sent once;
    // only a 429 (which Jira did not apply) is sent again, after Jira's `Retry-After`.
    /// Which fields of `key` the user may edit, and how.
    EditMeta {
        key: String,
    },
    /// The issue as it is now, with the changes made to it, to tell whether someone else
    /// changed it since it was loaded (`fields` are the ones about to be written).
    Current {
        key: String,
        fields: Vec<String>,
    },
    /// The transitions available from the issue's status, with their screens' fields.
    Transitions {
        key: String,
    },
    /// Users who may be assigned `key`, matching `query` (a picker; latest wins).
    AssignableUsers {
        key: String,
        query: String,
    },
    /// Users who may be assigned issues of `project`, matching `query`: the create form's
    /// user picker, before there is an issue key.
    AssignableUsersInProject {
        project: String,
        query: String,
    },
    /// Every label on the site (the labels picker filters them locally).
    Labels,
    /// The active and future sprints of the boards of `project` (the sprint picker).
    Sprints {
        project: String,
    },
    /// The project roles a comment may be restricted to (project administrators only).
    ProjectRoles {
        project: String,
    },
    /// The groups the user is in, which a comment may be restricted to.
    MyGroups,
    /// Issues of `project` that may be a parent: standard issues for a sub-task
    /// (`subtask`), else epics.
    ParentCandidates {
        project: String,
        subtask: bool,
    },
    /// Issue types the user may create in `project`.
    CreateIssueTypes {
        project: String,
    },
    /// The create screen's fields for one issue type.
    CreateFields {
        project: String,
        issue_type: String,
    },
    /// `PUT /issue/{key}`.
    EditIssue {
        key: String,
        update: IssueUpdate,
    },
    /// `PUT /issue/{key}/assignee`; `None` unassigns.
    Assign {
        key: String,
        account_id: Option<String>,
    },
    /// `POST /issue/{key}/transitions`, with the screen's fields and an optional comment.
    Transition {
        key: String,
        transition: String,
        fields: BTreeMap<String, serde_json::Value>,
        /// Values added to list fields (a bulk transition keeps each issue's own).
        adds: BTreeMap<String, Vec<serde_json::Value>>,
        comment: Option<Adf>,
        /// Who may see the comment (everyone when `None`).
        visibility: Option<CommentVisibility>,
    },
    AddComment {
        key: String,
        body: Adf,
        visibility: Option<CommentVisibility>,
    },
    UpdateComment {
        key: String,
        id: String,
        body: Adf,
        visibility: Option<CommentVisibility>,
    },
    DeleteComment {
        key: String,
        id: String,
    },
    CreateIssue(IssueCreate),
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
    EditMeta,
    Current,
    Transitions,
    /// A newer query's users make the older ones useless.
    AssignableUsers,
    Labels,
    Sprints,
    ProjectRoles,
    MyGroups,
    ParentCandidates,
    CreateMeta,
    /// Writes never supersede each other: each has its own slot, so none is aborted
    /// half-way by a later one.
    Write(RequestId),
    /// Nor do prefetches: the one an Enter adopted must survive the next prefetch, and
    /// none may abort the open issue's request. `Worker::cancel` stops them.
    Prefetch(RequestId),
}

impl JiraRequest {
    fn slot(&self, id: RequestId) -> Slot {
        match self {
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
            Self::EditMeta { .. } => Slot::EditMeta,
            Self::Current { .. } => Slot::Current,
            Self::Transitions { .. } => Slot::Transitions,
            Self::AssignableUsers { .. } | Self::AssignableUsersInProject { .. } => {
                Slot::AssignableUsers
            }
            Self::Labels => Slot::Labels,
            Self::Sprints { .. } => Slot::Sprints,
            Self::ProjectRoles { .. } => Slot::ProjectRoles,
            Self::MyGroups => Slot::MyGroups,
            Self::ParentCandidates { .. } => Slot::ParentCandidates,
            Self::CreateIssueTypes { .. } | Self::CreateFields { .. } => Slot::CreateMeta,
            Self::EditIssue { .. }
            | Self::Assign { .. }
            | Self::Transition { .. }
            | Self::AddComment { .. }
            | Self::UpdateComment { .. }
            | Self::DeleteComment { .. }
            | Self::CreateIssue(_) => Slot::Write(id),
            Self::Prefetch { .. } => Slot::Prefetch(id),
        }
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
            | Self::EditMeta { .. }
            | Self::Current { .. }
            | Self::Transitions { .. }
            | Self::AssignableUsers { .. }
            | Self::AssignableUsersInProject { .. }
            | Self::Labels
            | Self::Sprints { .. }
            | Self::ProjectRoles { .. }
            | Self::MyGroups
            | Self::ParentCandidates { .. }
            | Self::CreateIssueTypes { .. }
            | Self::CreateFields { .. }
            | Self::Prefetch { .. } => true,
            Self::EditIssue { .. }
            | Self::Assign { .. }
            | Self::Transition { .. }
            | Self::AddComment { .. }
            | Self::UpdateComment { .. }
            | Self::DeleteComment { .. }
            | Self::CreateIssue(_) => false,
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
            Self::EditMeta { .. } => "editmeta",
            Self::Current { .. } => "current",
            Self::Transitions { .. } => "transitions",
            Self::AssignableUsers { .. } => "assignable_users",
            Self::AssignableUsersInProject { .. } => "assignable_users_in_project",
            Self::Labels => "labels",
            Self::Sprints { .. } => "sprints",
            Self::ProjectRoles { .. } => "project_roles",
            Self::MyGroups => "my_groups",
            Self::ParentCandidates { .. } => "parent_candidates",
            Self::CreateIssueTypes { .. } => "create_issue_types",
            Self::CreateFields { .. } => "create_fields",
            Self::EditIssue { .. } => "edit_issue",
            Self::Assign { .. } => "assign",
            Self::Transition { .. } => "transition",
            Self::AddComment { .. } => "add_comment",
            Self::UpdateComment { .. } => "update_comment",
            Self::DeleteComment { .. } => "delete_comment",
            Self::CreateIssue(_) => "create_issue",
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
    EditMeta(Box<EditMeta>),
    /// The issue now (for the conflict check), with its changelog.
    Current(Box<Issue>),
    Transitions(Vec<Transition>),
    Users(Vec<User>),
    Labels(Vec<String>),
    /// Open sprints of a project's boards, each once.
    Sprints(Vec<Sprint>),
    /// Project role names.
    Roles(Vec<String>),
    Groups(Vec<GroupName>),
    /// Issues that may be a parent.
    Candidates(Vec<Issue>),
    IssueTypes(Vec<IssueType>),
    CreateFields(Vec<FieldMeta>),
    /// A write that answers with no body went through (edit, assign, transition, delete).
    Written,
    /// A comment was added or edited: Jira's copy of it.
    Comment(Box<Comment>),
    Created(CreatedIssue),
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
}

impl Worker {
    pub fn new(client: JiraClient, events: mpsc::UnboundedSender<JiraEvent>) -> Self {
        Self {
            client,
            events,
            progress: None,
            running: HashMap::new(),
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
        let slot = cmd.request.slot(cmd.id);
        if let Some((_, old)) = self.running.remove(&slot) {
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
        // Slots of one command (writes, prefetches) are never reused: forget the
        // finished ones so the map stays as small as what is in flight.
        self.running
            .retain(|_, (_, running)| !running.is_finished());
        self.running.insert(slot, (id, handle));
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
    }

    /// Aborts everything in flight.
    pub fn shutdown(&mut self) {
        for (_, (_, handle)) in self.running.drain() {
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
            // A write is sent again only when Jira said it did not apply it (429).
            let again = if request.is_read() {
                retry::is_retryable(&err)
            } else {
                matches!(err, JiraError::RateLimited { .. })
            };
            if !again || attempt >= policy.max_attempts {
                return Err(err);
            }
            let (wait, holdup) = match &err {
                // A per-issue write limit does not close the gate for everyone: the
                // write waits for Jira's `Retry-After` itself.
                JiraError::RateLimited { retry_after } if !request.is_read() => (
                    retry_after.unwrap_or(WRITE_RATE_LIMIT_WAIT),
                    Holdup::RateLimited,
                ),
                _ => client.gate().backoff_remaining().unwrap_or_else(|| {
                    (
                        std::time::Duration::ZERO,
                        Holdup::Unavailable("error".to_owned()),
                    )
                }),
            };
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
            if !request.is_read() {
                tokio::time::sleep(wait).await;
            }
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
        JiraRequest::EditMeta { key } => {
            JiraResponse::EditMeta(Box::new(client.editmeta(key).await?))
        }
        JiraRequest::Current { key, fields } => {
            let mut wanted: Vec<&str> = vec!["updated", "summary", "status"];
            wanted.extend(fields.iter().map(String::as_str));
            JiraResponse::Current(Box::new(client.issue(key, &wanted, &["changelog"]).await?))
        }
        JiraRequest::Transitions { key } => {
            JiraResponse::Transitions(client.transitions(key).await?)
        }
        JiraRequest::AssignableUsers { key, query } => JiraResponse::Users(
            client
                .assignable_users(key, query, ASSIGNABLE_USERS_MAX)
                .await?,
        ),
        JiraRequest::AssignableUsersInProject { project, query } => JiraResponse::Users(
            client
                .assignable_users_in_project(project, query, ASSIGNABLE_USERS_MAX)
                .await?,
        ),
        JiraRequest::Labels => {
            let mut all = Vec::new();
            loop {
                let start = u32::try_from(all.len()).unwrap_or(u32::MAX);
                let page = client.labels(start, LABELS_PAGE_SIZE).await?;
                let got = page.values.len();
                all.extend(page.values);
                if page.is_last || got == 0 || all.len() >= LABELS_MAX {
                    break;
                }
            }
            JiraResponse::Labels(all)
        }
        JiraRequest::Sprints { project } => {
            JiraResponse::Sprints(open_sprints(client, project).await?)
        }
        JiraRequest::ProjectRoles { project } => {
            JiraResponse::Roles(client.project_roles(project).await?)
        }
        JiraRequest::MyGroups => JiraResponse::Groups(client.my_groups().await?),
        JiraRequest::ParentCandidates { project, subtask } => JiraResponse::Candidates(
            client
                .parent_candidates(project, *subtask, PARENT_CANDIDATES)
                .await?,
        ),
        JiraRequest::CreateIssueTypes { project } => {
            JiraResponse::IssueTypes(client.create_meta_issue_types(project).await?)
        }
        JiraRequest::CreateFields {
            project,
            issue_type,
        } => JiraResponse::CreateFields(client.create_meta_fields(project, issue_type).await?),
        JiraRequest::EditIssue { key, update } => {
            client.edit_issue(key, update).await?;
            JiraResponse::Written
        }
        JiraRequest::Assign { key, account_id } => {
            client.assign(key, account_id.as_deref()).await?;
            JiraResponse::Written
        }
        JiraRequest::Transition {
            key,
            transition,
            fields,
            adds,
            comment,
            visibility,
        } => {
            let comment = comment.as_ref().map(|body| (body, visibility.as_ref()));
            client
                .transition_with(key, transition, fields, adds, comment)
                .await?;
            JiraResponse::Written
        }
        JiraRequest::AddComment {
            key,
            body,
            visibility,
        } => JiraResponse::Comment(Box::new(
            client.add_comment(key, body, visibility.as_ref()).await?,
        )),
        JiraRequest::UpdateComment {
            key,
            id,
            body,
            visibility,
        } => JiraResponse::Comment(Box::new(
            client
                .update_comment(key, id, body, visibility.as_ref())
                .await?,
        )),
        JiraRequest::DeleteComment { key, id } => {
            client.delete_comment(key, id).await?;
            JiraResponse::Written
        }
        JiraRequest::CreateIssue(issue) => JiraResponse::Created(client.create_issue(issue).await?),
    })
}

/// The active and future sprints of every board of `project` that holds sprints, each
/// once (a sprint shows on every board whose filter takes its issues), in the boards'
/// order and each board's (Jira lists sprints oldest first).
async fn open_sprints(client: &JiraClient, project: &str) -> Result<Vec<Sprint>, JiraError> {
    let mut boards = Vec::new();
    loop {
        let start = u32::try_from(boards.len()).unwrap_or(u32::MAX);
        let page = client.boards(project, start, AGILE_PAGE_SIZE).await?;
        let got = page.values.len();
        boards.extend(page.values);
        if page.is_last || got == 0 || boards.len() >= BOARDS_MAX {
            break;
        }
    }
    let mut sprints: Vec<Sprint> = Vec::new();
    for board in boards.iter().filter(|b| b.has_sprints()) {
        let mut start: u32 = 0;
        loop {
            let page = client
                .board_sprints(board.id, OPEN_SPRINT_STATES, start, AGILE_PAGE_SIZE)
                .await?;
            let got = page.values.len();
            start = start.saturating_add(u32::try_from(got).unwrap_or(u32::MAX));
            for sprint in page.values {
                if !sprints.iter().any(|s| s.id == sprint.id) {
                    sprints.push(sprint);
                }
            }
            if page.is_last || got == 0 || sprints.len() >= SPRINTS_MAX {
                break;
            }
        }
        if sprints.len() >= SPRINTS_MAX {
            break;
        }
    }
    Ok(sprints)
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
    fn a_prefetch_is_a_read_in_a_slot_of_its_own() {
        let request = prefetch("NAV-1");
        assert!(request.is_read(), "a prefetch may be retried");
        assert_eq!(request.slot(7), Slot::Prefetch(7));
        assert_ne!(request.slot(7), prefetch("NAV-1").slot(8));
        let issue = JiraRequest::Issue {
            key: "NAV-1".into(),
        };
        assert_ne!(request.slot(7), issue.slot(7));
    }

    /// The demo emulator and a client signed in to it.
    async fn demo() -> (server::RunningEmulator, JiraClient) {
        let emulator = server::start(seed::demo_store(60), server::ServerOptions::default())
            .await
            .unwrap();
        let client = JiraClient::new(
            url::Url::parse(&emulator.base_url).unwrap(),
            Credentials::new(seed::DEMO_EMAIL, seed::DEMO_TOKEN),
        )
        .unwrap();
        (emulator, client)
    }

    #[tokio::test]
    async fn sprints_are_the_open_ones_of_the_projects_boards_each_once() {
        let (emulator, client) = demo().await;
        let request = JiraRequest::Sprints {
            project: "NAV".into(),
        };
        assert!(request.is_read());
        let JiraResponse::Sprints(sprints) = run(&client, &request).await.unwrap() else {
            panic!("sprints")
        };
        let states: Vec<&str> = sprints.iter().map(|s| s.state.as_str()).collect();
        assert_eq!(
            states.iter().filter(|s| **s == "active").count(),
            1,
            "{states:?}"
        );
        assert!(states.iter().all(|s| *s == "active" || *s == "future"));
        let mut ids: Vec<u64> = sprints.iter().map(|s| s.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), sprints.len(), "each once");
        assert_eq!(emulator.request_count("GET", "/rest/agile/1.0/board"), 1);
    }

    /// The test's runtime has one thread: no task runs until the test awaits, so every
    /// abort below happens before its request starts, and the answers say exactly which
    /// commands were aborted.
    #[tokio::test]
    async fn prefetches_abort_neither_the_open_issue_nor_each_other_only_cancel_does() {
        let (_emulator, client) = demo().await;
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
