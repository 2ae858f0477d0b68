//! The emulator's HTTP server: binds loopback, checks Basic auth, routes `/rest/api/3/...`
//! and Jira Software's `/rest/agile/1.0/...` (also under the API gateway prefix
//! `/ex/jira/{cloudId}`) and answers in Jira's shapes.
//!
//! Routing is one dispatcher rather than an axum route table: every request, known or not,
//! goes through the same latency, auth and error handling, which is also where later work
//! (fault injection, rate limits) plugs in.

mod agile;
mod autocomplete;
mod filters;
mod meta;
mod permissions;
mod writes;

use std::collections::HashMap;
use std::collections::VecDeque;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde_json::{Value, json};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::db::Db;
use super::eval::{self, EvalContext};
use super::faults::{self, FaultRule, Faults, RateLimit};
use super::fields::{self, DefaultFields, FieldDef};
use super::json::{Expand, Render, timestamp};
use super::store::{Comment, Store, Timestamp};
use super::write::Clock;

pub use writes::WriteLimit;

/// How the emulator serves. `Default` binds an ephemeral port with no added latency,
/// no faults and no rate limit.
#[derive(Debug, Clone, Default)]
pub struct ServerOptions {
    /// 0 picks a free port.
    pub port: u16,
    /// Added before every response, to make loading states visible in demos and tests.
    pub latency: Option<Duration>,
    /// Jira's per-issue write limit: writes to one issue beyond it are refused with 429.
    pub per_issue_writes: WriteLimit,
    /// Faults from the start (more can be added while running, see
    /// [`RunningEmulator::faults`]).
    pub faults: Vec<FaultRule>,
    /// A request budget for the site, answered with 429 once spent.
    pub rate_limit: Option<RateLimit>,
}

/// A server running on the current tokio runtime. Dropping it stops the server too.
#[derive(Debug)]
pub struct RunningEmulator {
    /// `http://127.0.0.1:PORT`, no trailing slash.
    pub base_url: String,
    pub addr: SocketAddr,
    db: Arc<RwLock<Db>>,
    requests: Arc<Mutex<RequestLog>>,
    faults: Faults,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<io::Result<()>>>,
}

/// The log [`RequestLog::entries`] keeps at most this many requests (the newest); the
/// counts cover every request however many there were.
const REQUEST_LOG_CAPACITY: usize = 10_000;

/// Every request the server received, as (method, path): the path without the query and
/// without the gateway prefix `/ex/jira/{cloudId}`. Tests use it to check how often the app
/// calls the API (debouncing, caching).
#[derive(Debug, Default)]
struct RequestLog {
    counts: HashMap<(String, String), usize>,
    entries: VecDeque<(String, String)>,
}

impl RequestLog {
    fn record(&mut self, method: &str, path: &str) {
        let key = (method.to_owned(), path.to_owned());
        *self.counts.entry(key.clone()).or_default() += 1;
        if self.entries.len() == REQUEST_LOG_CAPACITY {
            self.entries.pop_front();
        }
        self.entries.push_back(key);
    }
}

impl RunningEmulator {
    /// The server's data, shared with the running server (writes become visible at once).
    pub fn db(&self) -> Arc<RwLock<Db>> {
        Arc::clone(&self.db)
    }

    /// How many `method` requests reached `path` (no query; under the gateway prefix the
    /// same path counts), whatever their answer. `method` is matched case-insensitively.
    pub fn request_count(&self, method: &str, path: &str) -> usize {
        let key = (method.to_ascii_uppercase(), path.to_owned());
        self.lock_requests().counts.get(&key).copied().unwrap_or(0)
    }

    /// The requests received so far as (method, path), oldest first (at most the newest
    /// 10 000).
    pub fn request_log(&self) -> Vec<(String, String)> {
        self.lock_requests().entries.iter().cloned().collect()
    }

    /// The server's faults and rate limit, to change while it runs.
    pub fn faults(&self) -> &Faults {
        &self.faults
    }

    /// Revokes an API token, as its owner would on id.atlassian.com: from now on requests
    /// with it get 401. False when no such credential existed.
    pub fn revoke_token(&self, email: &str, token: &str) -> bool {
        let mut db = self
            .db
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        db.modify(|store| {
            let before = store.credentials.len();
            store
                .credentials
                .retain(|c| !(c.email.eq_ignore_ascii_case(email) && c.token == token));
            store.credentials.len() < before
        })
    }

    fn lock_requests(&self) -> std::sync::MutexGuard<'_, RequestLog> {
        // The log is only ever appended to; a panic mid-append leaves it usable.
        self.requests
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Stops accepting, lets in-flight requests finish, and waits for the server task.
    pub async fn shutdown(mut self) -> io::Result<()> {
        if let Some(stop) = self.stop.take() {
            // The server may already be gone; then there is nothing to stop.
            let _ = stop.send(());
        }
        match self.task.take() {
            Some(task) => task.await.map_err(io::Error::other)?,
            None => Ok(()),
        }
    }
}

impl Drop for RunningEmulator {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Binds `127.0.0.1:<opts.port>` and serves `store` in a task on the current runtime.
pub async fn start(store: Store, opts: ServerOptions) -> io::Result<RunningEmulator> {
    let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, opts.port)).await?;
    let addr = listener.local_addr()?;
    let base_url = format!("http://{addr}");
    let state = AppState::new(store, opts, base_url.clone());
    let db = Arc::clone(&state.db);
    let requests = Arc::clone(&state.requests);
    let faults = state.faults.clone();
    let app = app(state);
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                // Either an explicit stop or the handle being dropped ends the server.
                let _ = stopped.await;
            })
            .await
    });
    Ok(RunningEmulator {
        base_url,
        addr,
        db,
        requests,
        faults,
        stop: Some(stop),
        task: Some(task),
    })
}

/// The emulator as an in-process axum `Router`, for tests that drive it without a socket.
/// `base_url` is what `self` links start with.
pub fn router(store: Store, opts: ServerOptions, base_url: impl Into<String>) -> Router {
    app(AppState::new(store, opts, base_url.into()))
}

fn app(state: AppState) -> Router {
    Router::new().fallback(dispatch).with_state(Arc::new(state))
}

#[derive(Debug)]
struct AppState {
    db: Arc<RwLock<Db>>,
    requests: Arc<Mutex<RequestLog>>,
    faults: Faults,
    opts: ServerOptions,
    base_url: String,
    /// Recent writes per issue, for [`ServerOptions::per_issue_writes`].
    writes: Mutex<writes::WriteLog>,
    /// What writes are stamped with.
    clock: Clock,
}

impl AppState {
    fn new(store: Store, opts: ServerOptions, base_url: String) -> Self {
        let clock = Clock::new(store.now);
        Self {
            db: Arc::new(RwLock::new(Db::new(store))),
            requests: Arc::default(),
            faults: Faults::new(opts.faults.clone(), opts.rate_limit),
            opts,
            base_url,
            writes: Mutex::default(),
            clock,
        }
    }

    fn write(&self) -> RwLockWriteGuard<'_, Db> {
        // Writes are applied whole inside `Db::modify`; a panic before that left nothing
        // half-written, so the data is still consistent.
        self.db
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn read(&self) -> RwLockReadGuard<'_, Db> {
        // A writer that panicked leaves the data as it was; serving it is still correct.
        self.db
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

// ---------------------------------------------------------------------------------------
// Responses

const JSON_CONTENT_TYPE: &str = "application/json;charset=UTF-8";

/// The cloud id `/_edge/tenant_info` reports; scoped-token clients put it in the gateway
/// prefix `/ex/jira/{cloudId}` (any value is accepted there).
pub const CLOUD_ID: &str = "6d1c5e2a-3b4f-4e8a-9c7d-0f1e2d3c4b5a";

const UNAUTHENTICATED: &str =
    "You are not authenticated. Authentication required to perform this operation.";
const UNBOUNDED: &str =
    "Unbounded JQL queries are not allowed here. Please add a search restriction to your query.";
const ISSUE_NOT_FOUND: &str = "Issue does not exist or you do not have permission to see it.";
const SEARCH_REMOVED: &str = "The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046";
const BAD_PAYLOAD: &str =
    "Invalid request payload. Refer to the REST API documentation and try again.";
const BAD_PAGE_TOKEN: &str =
    "The nextPageToken is invalid: it is malformed or belongs to a different query.";

/// `/search/jql` page sizes: the default, the most for id/key-only pages, the most when
/// fields are returned ("the API may return fewer items per page").
const SEARCH_DEFAULT_PAGE: i64 = 50;
const SEARCH_MAX_ID_PAGE: usize = 5000;
const SEARCH_MAX_FIELDS_PAGE: usize = 100;
/// `/project/search` page sizes.
const PROJECT_DEFAULT_PAGE: i64 = 50;
const PROJECT_MAX_PAGE: i64 = 100;
/// `/issue/{key}/comment` page sizes.
const COMMENT_DEFAULT_PAGE: i64 = 100;
const COMMENT_MAX_PAGE: i64 = 5000;

fn json_response(status: StatusCode, body: &Value) -> Response {
    let mut response = (status, body.to_string()).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(JSON_CONTENT_TYPE),
    );
    response
}

fn ok(body: &Value) -> Response {
    json_response(StatusCode::OK, body)
}

/// Jira's `ErrorCollection` with global messages only.
fn error(status: StatusCode, messages: &[&str]) -> Response {
    json_response(status, &json!({ "errorMessages": messages, "errors": {} }))
}

fn bad_request(message: &str) -> Response {
    error(StatusCode::BAD_REQUEST, &[message])
}

/// A failure of a handler step, answered as Jira's `ErrorCollection`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ApiError {
    status: StatusCode,
    messages: Vec<String>,
}

impl ApiError {
    fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            messages: vec![message.into()],
        }
    }

    fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        json_response(
            self.status,
            &json!({ "errorMessages": self.messages, "errors": {} }),
        )
    }
}

fn unauthorized(realm: &str, failed: bool) -> Response {
    let mut response = error(StatusCode::UNAUTHORIZED, &[UNAUTHENTICATED]);
    let realm = url::form_urlencoded::byte_serialize(realm.as_bytes()).collect::<String>();
    if let Ok(value) = HeaderValue::from_str(&format!("OAuth realm=\"{realm}\"")) {
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, value);
    }
    if failed {
        // Jira's login filter names why a presented credential was refused.
        response.headers_mut().insert(
            "X-Seraph-LoginReason",
            HeaderValue::from_static("AUTHENTICATED_FAILED"),
        );
    }
    response
}

// ---------------------------------------------------------------------------------------
// Requests

/// One request as the handlers see it.
#[derive(Debug)]
struct Request {
    method: Method,
    /// The path under `/rest/api/3/` (or `/rest/agile/1.0/`), split and percent-decoded.
    segments: Vec<String>,
    query: Vec<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
    /// Base of every `self` link: the server, plus the gateway prefix if one was used.
    api_base: String,
}

impl Request {
    fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn params(&self, name: &str) -> Vec<String> {
        self.query
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// An integer parameter: its value, the default when absent, or a 400 when unreadable.
    fn int_param(&self, name: &str, default: i64) -> Result<i64, ApiError> {
        match self.param(name) {
            None => Ok(default),
            Some(raw) => raw.trim().parse().map_err(|_| {
                ApiError::bad_request(format!(
                    "The value '{raw}' of the query parameter '{name}' is not a valid integer."
                ))
            }),
        }
    }

    fn segs(&self) -> Vec<&str> {
        self.segments.iter().map(String::as_str).collect()
    }

    /// A request's JSON object body: 415 unless it is sent as JSON, 400 unless it is an object.
    fn json_body(&self) -> Result<serde_json::Map<String, Value>, ApiError> {
        let req = self;
        let content_type = req
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        if !content_type
            .split(';')
            .next()
            .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"))
        {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!(
                    "Content-Type '{}' is not supported; send application/json.",
                    if content_type.is_empty() {
                        "null"
                    } else {
                        content_type
                    }
                ),
            ));
        }
        match serde_json::from_slice(&req.body) {
            Ok(Value::Object(body)) => Ok(body),
            _ => Err(ApiError::bad_request(BAD_PAYLOAD)),
        }
    }
}

fn percent_decode(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(h), Some(l)) = (
                bytes.get(i + 1).copied().and_then(hex),
                bytes.get(i + 2).copied().and_then(hex),
            )
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

async fn dispatch(
    State(state): State<Arc<AppState>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    // Recorded on arrival, so a test that has its answer also sees it counted.
    state
        .requests
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .record(method.as_str(), without_gateway_prefix(uri.path()));
    if let Some(latency) = state.opts.latency {
        tokio::time::sleep(latency).await;
    }
    let plan = state
        .faults
        .plan(method.as_str(), without_gateway_prefix(uri.path()));
    if !plan.latency.is_zero() {
        tokio::time::sleep(plan.latency).await;
    }
    let mut response = match &plan.fault {
        Some(fault) => match faults::respond(fault) {
            Some(response) => response,
            None => faults::mangle(fault, handle(&state, method, &uri, headers, body)).await,
        },
        None => handle(&state, method, &uri, headers, body),
    };
    if plan.near_limit {
        faults::mark_near_limit(&mut response);
    }
    response
}

/// `/ex/jira/{cloudId}/rest/...` -> `/rest/...`; other paths as they are.
fn without_gateway_prefix(path: &str) -> &str {
    match path.strip_prefix("/ex/jira/") {
        Some(after) => after.find('/').map_or("/", |slash| &after[slash..]),
        None => path,
    }
}

/// The routes, as (method, path pattern). `{}` matches one segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Route {
    ServerInfo,
    Myself,
    MyPermissions,
    ProjectSearch,
    ProjectRoles,
    ProjectRoleDetails,
    UserGroups,
    SearchJql,
    ApproximateCount,
    Issue,
    IssueComments,
    // The write side of issue 5 and the reads its editors need.
    CreateIssue,
    CreateMetaIssueTypes,
    CreateMetaFields,
    EditMeta,
    Assignee,
    Transitions,
    Comment,
    AssignableUsers,
    Labels,
    Priorities,
    Statuses,
    Fields,
    RemovedSearch,
    JqlAutocompleteData,
    JqlSuggestions,
    FavouriteFilters,
    MyFilters,
    FilterSearch,
    Filter,
    /// Jira Software's Agile API (`/rest/agile/1.0/`): a project's boards.
    AgileBoards,
    /// A board's sprints.
    AgileBoardSprints,
}

impl Route {
    /// The route a path names, with the methods it serves.
    fn of(segments: &[&str]) -> Option<(Self, &'static [Method])> {
        const GET: &[Method] = &[Method::GET];
        const GET_POST: &[Method] = &[Method::GET, Method::POST];
        const POST: &[Method] = &[Method::POST];
        const PUT: &[Method] = &[Method::PUT];
        const GET_PUT: &[Method] = &[Method::GET, Method::PUT];
        const GET_PUT_DELETE: &[Method] = &[Method::GET, Method::PUT, Method::DELETE];
        Some(match segments {
            ["serverInfo"] => (Self::ServerInfo, GET),
            ["myself"] => (Self::Myself, GET),
            ["mypermissions"] => (Self::MyPermissions, GET),
            ["project", "search"] => (Self::ProjectSearch, GET),
            ["project", _, "role"] => (Self::ProjectRoles, GET),
            ["project", _, "roledetails"] => (Self::ProjectRoleDetails, GET),
            ["search", "jql"] => (Self::SearchJql, GET_POST),
            ["search", "approximate-count"] => (Self::ApproximateCount, POST),
            ["search"] => (Self::RemovedSearch, GET_POST),
            ["issue"] => (Self::CreateIssue, POST),
            ["issue", "createmeta", _, "issuetypes"] => (Self::CreateMetaIssueTypes, GET),
            ["issue", "createmeta", _, "issuetypes", _] => (Self::CreateMetaFields, GET),
            ["issue", _] => (Self::Issue, GET_PUT),
            ["issue", _, "editmeta"] => (Self::EditMeta, GET),
            ["issue", _, "assignee"] => (Self::Assignee, PUT),
            ["issue", _, "transitions"] => (Self::Transitions, GET_POST),
            ["issue", _, "comment"] => (Self::IssueComments, GET_POST),
            ["issue", _, "comment", _] => (Self::Comment, GET_PUT_DELETE),
            ["user", "assignable", "search"] => (Self::AssignableUsers, GET),
            ["user", "groups"] => (Self::UserGroups, GET),
            ["label"] => (Self::Labels, GET),
            ["priority"] => (Self::Priorities, GET),
            ["status"] => (Self::Statuses, GET),
            ["field"] => (Self::Fields, GET),
            ["jql", "autocompletedata"] => (Self::JqlAutocompleteData, GET_POST),
            ["jql", "autocompletedata", "suggestions"] => (Self::JqlSuggestions, GET),
            ["filter", "favourite"] => (Self::FavouriteFilters, GET),
            ["filter", "my"] => (Self::MyFilters, GET),
            ["filter", "search"] => (Self::FilterSearch, GET),
            ["filter", _] => (Self::Filter, GET),
            _ => return None,
        })
    }

    /// The route of a path under `/rest/agile/1.0/`.
    fn of_agile(segments: &[&str]) -> Option<(Self, &'static [Method])> {
        const GET: &[Method] = &[Method::GET];
        Some(match segments {
            ["board"] => (Self::AgileBoards, GET),
            ["board", _, "sprint"] => (Self::AgileBoardSprints, GET),
            _ => return None,
        })
    }

    /// Real Jira serves some of these anonymously (returning public data only); the
    /// emulator has no public data, so it requires credentials everywhere except
    /// `serverInfo` and the removal notice of the old search.
    fn needs_auth(self) -> bool {
        !matches!(self, Self::ServerInfo | Self::RemovedSearch)
    }

    /// Whether `method` on this route changes data (handled under the write lock).
    fn writes(self, method: &Method) -> bool {
        *method != Method::GET
            && matches!(
                self,
                Self::CreateIssue
                    | Self::Issue
                    | Self::Assignee
                    | Self::Transitions
                    | Self::IssueComments
                    | Self::Comment
            )
    }
}

fn handle(
    state: &AppState,
    method: Method,
    uri: &Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path();
    let (api_base, rest) = match path.strip_prefix("/ex/jira/") {
        Some(after) => {
            let (cloud_id, rest) = after.split_once('/').unwrap_or((after, ""));
            (
                format!("{}/ex/jira/{cloud_id}", state.base_url),
                format!("/{rest}"),
            )
        }
        None => (state.base_url.clone(), path.to_owned()),
    };
    let display_path = format!("{method} {rest}");
    if rest == "/_edge/tenant_info" && method == Method::GET {
        return ok(&json!({ "cloudId": CLOUD_ID }));
    }
    let not_found = || {
        error(
            StatusCode::NOT_FOUND,
            &[&format!("No REST resource serves {display_path}.")],
        )
    };
    let (api_path, agile) = match rest.strip_prefix("/rest/api/3/") {
        Some(path) => (path, false),
        None => match rest.strip_prefix(agile::PREFIX) {
            Some(path) => (path, true),
            None => return not_found(),
        },
    };
    let segments: Vec<String> = api_path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(percent_decode)
        .collect();
    let seg_refs: Vec<&str> = segments.iter().map(String::as_str).collect();
    let found = if agile {
        Route::of_agile(&seg_refs)
    } else {
        Route::of(&seg_refs)
    };
    let Some((route, methods)) = found else {
        return not_found();
    };
    if !methods.contains(&method) {
        let allow = methods
            .iter()
            .map(Method::as_str)
            .collect::<Vec<_>>()
            .join(", ");
        let mut response = error(
            StatusCode::METHOD_NOT_ALLOWED,
            &[&format!("{method} is not supported here; use {allow}.")],
        );
        if let Ok(value) = HeaderValue::from_str(&allow) {
            response.headers_mut().insert(header::ALLOW, value);
        }
        return response;
    }
    let query = uri
        .query()
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .into_owned()
                .collect()
        })
        .unwrap_or_default();
    let request = Request {
        method,
        segments,
        query,
        headers,
        body,
        api_base,
    };
    let through_gateway = path
        .strip_prefix("/ex/jira/")
        .is_some_and(|rest| rest.starts_with(CLOUD_ID));
    if route.writes(&request.method) {
        // One lock for checking and applying, so a write is checked against the data it
        // changes.
        let mut db = state.write();
        let me = match authenticate(&request.headers, db.store(), through_gateway) {
            Auth::User(account_id) => account_id,
            Auth::Anonymous => return unauthorized(&request.api_base, false),
            Auth::Refused => return unauthorized(&request.api_base, true),
        };
        return writes::handle(state, &mut db, &request, route, &me);
    }
    let db = state.read();
    let me = match authenticate(&request.headers, db.store(), through_gateway) {
        Auth::User(account_id) => Some(account_id),
        Auth::Anonymous if !route.needs_auth() => None,
        Auth::Anonymous => return unauthorized(&request.api_base, false),
        Auth::Refused => return unauthorized(&request.api_base, true),
    };
    let ctx = Ctx {
        db: &db,
        req: &request,
        me: me.as_deref(),
    };
    match route {
        Route::ServerInfo => ctx.server_info(),
        Route::Myself => ctx.myself(),
        Route::MyPermissions => ctx.my_permissions(),
        Route::ProjectSearch => ctx.project_search(),
        Route::ProjectRoles => ctx.project_roles(),
        Route::ProjectRoleDetails => ctx.project_role_details(),
        Route::SearchJql => ctx.search_jql(),
        Route::ApproximateCount => ctx.approximate_count(),
        Route::Issue => ctx.issue(),
        Route::IssueComments => ctx.comments(),
        Route::CreateMetaIssueTypes => ctx.create_meta_issue_types(),
        Route::CreateMetaFields => ctx.create_meta_fields(),
        Route::EditMeta => ctx.editmeta(),
        Route::Transitions => ctx.transitions(),
        Route::Comment => ctx.comment(),
        Route::AssignableUsers => ctx.assignable_users(),
        Route::UserGroups => ctx.user_groups(),
        Route::Labels => ctx.labels(),
        // Only reached by writes, which returned above.
        Route::CreateIssue | Route::Assignee => not_found(),
        Route::Priorities => ctx.priorities(),
        Route::Statuses => ctx.statuses(),
        Route::Fields => ctx.fields(),
        Route::RemovedSearch => error(StatusCode::GONE, &[SEARCH_REMOVED]),
        Route::JqlAutocompleteData => ctx.jql_autocomplete_data(),
        Route::JqlSuggestions => ctx.jql_suggestions(),
        Route::FavouriteFilters => ctx.favourite_filters(),
        Route::MyFilters => ctx.my_filters(),
        Route::FilterSearch => ctx.filter_search(),
        Route::Filter => ctx.filter(),
        Route::AgileBoards => ctx.agile_boards(),
        Route::AgileBoardSprints => ctx.agile_board_sprints(),
    }
}

enum Auth {
    User(String),
    Anonymous,
    /// Credentials were presented and rejected.
    Refused,
}

/// Basic `email:token` against the store's credentials. Scoped tokens count only
/// when the request came through the gateway prefix with this site's cloud id.
fn authenticate(headers: &HeaderMap, store: &Store, through_gateway: bool) -> Auth {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Auth::Anonymous;
    };
    let Some((scheme, encoded)) = value.to_str().ok().and_then(|v| v.trim().split_once(' ')) else {
        return Auth::Refused;
    };
    if !scheme.eq_ignore_ascii_case("basic") {
        return Auth::Refused;
    }
    let decoded = STANDARD
        .decode(encoded.trim())
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok());
    let Some((email, token)) = decoded.as_deref().and_then(|d| d.split_once(':')) else {
        return Auth::Refused;
    };
    store
        .credentials
        .iter()
        .find(|c| c.email.eq_ignore_ascii_case(email) && c.token == token)
        .filter(|c| !c.scoped || through_gateway)
        .map_or(Auth::Refused, |c| Auth::User(c.account_id.clone()))
}

// ---------------------------------------------------------------------------------------
// Handlers

struct Ctx<'a> {
    db: &'a Db,
    req: &'a Request,
    me: Option<&'a str>,
}

/// What `/search/jql` was asked, from the query string (GET) or the JSON body (POST).
#[derive(Debug, Default)]
struct SearchParams {
    jql: Option<String>,
    next_page_token: Option<String>,
    max_results: Option<i64>,
    fields: Vec<String>,
    expand: Vec<String>,
}

/// A page token: base64 of the offset and a hash of the query it belongs to, so a token
/// cannot be replayed against another query.
fn page_token(offset: usize, query_hash: u64) -> String {
    URL_SAFE_NO_PAD.encode(format!("{offset}:{query_hash:016x}"))
}

fn read_page_token(token: &str, query_hash: u64) -> Option<usize> {
    let decoded = String::from_utf8(URL_SAFE_NO_PAD.decode(token.trim()).ok()?).ok()?;
    let (offset, hash) = decoded.split_once(':')?;
    (u64::from_str_radix(hash, 16).ok()? == query_hash).then_some(())?;
    offset.parse().ok()
}

fn query_hash(jql: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    jql.trim().hash(&mut hasher);
    hasher.finish()
}

impl Ctx<'_> {
    fn store(&self) -> &Store {
        self.db.store()
    }

    fn now(&self) -> Timestamp {
        self.store()
            .now
            .unwrap_or_else(|| chrono::Utc::now().fixed_offset())
    }

    fn render<'c>(&'c self, catalogue: &'c [FieldDef]) -> Render<'c> {
        Render {
            db: self.db,
            api: &self.req.api_base,
            me: self.me,
            catalogue,
        }
    }

    fn server_info(&self) -> Response {
        const BUILD_NUMBER: u64 = 100_292;
        ok(&json!({
            "baseUrl": self.req.api_base,
            "displayUrl": self.req.api_base,
            "version": "1001.0.0-SNAPSHOT",
            "versionNumbers": [1001, 0, 0],
            "deploymentType": "Cloud",
            "buildNumber": BUILD_NUMBER,
            "buildDate": "2025-10-01T00:00:00.000+0000",
            "serverTime": timestamp(&chrono::Utc::now().fixed_offset()),
            "scmInfo": "6e7d0c2b4f1a9e8d7c6b5a4f3e2d1c0b9a8f7e6d",
            "serverTitle": "Jira",
            "defaultLocale": { "locale": "en_US" },
        }))
    }

    fn myself(&self) -> Response {
        let catalogue = [];
        let render = self.render(&catalogue);
        let Some(me) = self.me else {
            return unauthorized(&self.req.api_base, false);
        };
        let expand = self.req.param("expand").unwrap_or_default();
        let groups = expand.split(',').any(|e| e.trim() == "groups");
        match self.store().user(me) {
            Some(user) => ok(&render.myself(user, groups)),
            None => ok(&render.user_ref(me)),
        }
    }

    fn project_search(&self) -> Response {
        let start_at = match self.req.int_param("startAt", 0) {
            Ok(n) => n.max(0) as usize,
            Err(e) => return e.into_response(),
        };
        let max_results = match self.req.int_param("maxResults", PROJECT_DEFAULT_PAGE) {
            Ok(n) => n.clamp(0, PROJECT_MAX_PAGE) as usize,
            Err(e) => return e.into_response(),
        };
        let order = self.req.param("orderBy").unwrap_or("key");
        let (descending, order_field) = match order.strip_prefix('-') {
            Some(field) => (true, field),
            None => (false, order.trim_start_matches('+')),
        };
        if !matches!(order_field, "key" | "name") {
            return bad_request(&format!(
                "The orderBy value '{order}' is not supported. Use key or name, optionally prefixed with + or -."
            ));
        }
        let text = self.req.param("query").map(str::to_lowercase);
        let keys: Vec<String> = self.req.params("keys");
        let ids: Vec<String> = self.req.params("id");
        let types: Vec<String> = self
            .req
            .params("typeKey")
            .iter()
            .flat_map(|t| {
                t.split(',')
                    .map(|s| s.trim().to_owned())
                    .collect::<Vec<_>>()
            })
            .collect();
        let mut projects: Vec<_> = self
            .store()
            .projects
            .iter()
            .filter(|p| {
                text.as_deref().is_none_or(|t| {
                    p.key.to_lowercase().contains(t) || p.name.to_lowercase().contains(t)
                })
            })
            .filter(|p| keys.is_empty() || keys.iter().any(|k| k.eq_ignore_ascii_case(&p.key)))
            .filter(|p| ids.is_empty() || ids.iter().any(|i| *i == p.id.to_string()))
            .filter(|p| types.is_empty() || types.contains(&p.project_type_key))
            .collect();
        projects.sort_by(|a, b| match order_field {
            "name" => a.name.to_lowercase().cmp(&b.name.to_lowercase()),
            _ => a.key.cmp(&b.key),
        });
        if descending {
            projects.reverse();
        }
        let expand: Vec<String> = self
            .req
            .params("expand")
            .iter()
            .flat_map(|e| {
                e.split(',')
                    .map(|s| s.trim().to_owned())
                    .collect::<Vec<_>>()
            })
            .collect();
        let expand: Vec<&str> = expand.iter().map(String::as_str).collect();
        let catalogue = [];
        let render = self.render(&catalogue);
        let total = projects.len();
        let values: Vec<Value> = projects
            .iter()
            .skip(start_at)
            .take(max_results)
            .map(|p| render.project(p, &expand))
            .collect();
        let is_last = start_at + max_results >= total;
        let link = |start: usize| {
            let mut query = url::form_urlencoded::Serializer::new(String::new());
            for (k, v) in &self.req.query {
                if k != "startAt" && k != "maxResults" {
                    query.append_pair(k, v);
                }
            }
            query.append_pair("startAt", &start.to_string());
            query.append_pair("maxResults", &max_results.to_string());
            format!(
                "{}/rest/api/3/project/search?{}",
                self.req.api_base,
                query.finish()
            )
        };
        let mut body = json!({
            "self": link(start_at),
            "maxResults": max_results,
            "startAt": start_at,
            "total": total,
            "isLast": is_last,
            "values": values,
        });
        if !is_last {
            body["nextPage"] = json!(link(start_at + max_results));
        }
        ok(&body)
    }

    fn search_params(&self) -> Result<SearchParams, ApiError> {
        let req = self.req;
        if req.method == Method::GET {
            let max_results = match req.param("maxResults") {
                None => None,
                Some(_) => Some(req.int_param("maxResults", SEARCH_DEFAULT_PAGE)?),
            };
            return Ok(SearchParams {
                jql: req.param("jql").map(str::to_owned),
                next_page_token: req.param("nextPageToken").map(str::to_owned),
                max_results,
                fields: req.params("fields"),
                expand: req.params("expand"),
            });
        }
        // POST reads the body only; query parameters are ignored, as in Jira.
        let body = self.json_body()?;
        let string = |key: &str| -> Result<Option<String>, ApiError> {
            match body.get(key) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(_) => Err(ApiError::bad_request(BAD_PAYLOAD)),
            }
        };
        let max_results = match body.get("maxResults") {
            None | Some(Value::Null) => None,
            Some(v) => Some(
                v.as_i64()
                    .ok_or_else(|| ApiError::bad_request(BAD_PAYLOAD))?,
            ),
        };
        let fields = match body.get("fields") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| v.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| ApiError::bad_request(BAD_PAYLOAD))?,
            Some(_) => return Err(ApiError::bad_request(BAD_PAYLOAD)),
        };
        Ok(SearchParams {
            jql: string("jql")?,
            next_page_token: string("nextPageToken")?,
            max_results,
            fields,
            expand: string("expand")?.into_iter().collect(),
        })
    }

    /// A POST's JSON object body: 415 unless it is sent as JSON, 400 unless it is an object.
    fn json_body(&self) -> Result<serde_json::Map<String, Value>, ApiError> {
        self.req.json_body()
    }

    /// Parses, checks boundedness and compiles a JQL query, with Jira's 400s.
    fn compile(&self, jql: Option<&str>) -> Result<eval::Compiled, ApiError> {
        let jql = jql.map(str::trim).unwrap_or_default();
        if jql.is_empty() {
            return Err(ApiError::bad_request(UNBOUNDED));
        }
        let query = crate::jql::parse(jql).map_err(|e| ApiError::bad_request(e.to_string()))?;
        if query.clause.is_none() {
            return Err(ApiError::bad_request(UNBOUNDED));
        }
        let ctx = EvalContext {
            current_user: self.me,
            now: self.now(),
        };
        eval::compile(self.db, &query, &ctx).map_err(|e| ApiError {
            status: StatusCode::BAD_REQUEST,
            messages: e.messages,
        })
    }

    fn search_jql(&self) -> Response {
        let params = match self.search_params() {
            Ok(p) => p,
            Err(e) => return e.into_response(),
        };
        let compiled = match self.compile(params.jql.as_deref()) {
            Ok(c) => c,
            Err(e) => return e.into_response(),
        };
        let catalogue = fields::catalogue(self.store());
        let selection = fields::select(&catalogue, &params.fields, DefaultFields::IdOnly);
        let expand = Expand::parse(params.expand.iter().map(String::as_str));
        let requested = params.max_results.unwrap_or(SEARCH_DEFAULT_PAGE);
        if !(1..=SEARCH_MAX_ID_PAGE as i64).contains(&requested) {
            return bad_request(&format!(
                "The maxResults value '{requested}' is out of range: it must be between 1 and {SEARCH_MAX_ID_PAGE}."
            ));
        }
        // `names` and `schema` sit beside the issues, so they do not change each issue.
        let per_issue = Expand {
            names: false,
            schema: false,
            ..expand
        };
        let ids_only = selection.fields.is_empty() && per_issue == Expand::default();
        let page_size = if ids_only {
            requested as usize
        } else {
            (requested as usize).min(SEARCH_MAX_FIELDS_PAGE)
        };
        let jql = params.jql.as_deref().unwrap_or_default();
        let hash = query_hash(jql);
        let offset = match params.next_page_token.as_deref().filter(|t| !t.is_empty()) {
            None => 0,
            Some(token) => match read_page_token(token, hash) {
                Some(offset) => offset,
                None => return bad_request(BAD_PAGE_TOKEN),
            },
        };
        let hits = compiled.run(self.db);
        let render = self.render(&catalogue);
        let issues: Vec<Value> = hits
            .iter()
            .skip(offset)
            .take(page_size)
            .map(|pos| render.issue(*pos, &selection, per_issue, false))
            .collect();
        let end = offset + page_size;
        let is_last = end >= hits.len();
        let mut body = json!({ "issues": issues, "isLast": is_last });
        if !is_last {
            body["nextPageToken"] = json!(page_token(end, hash));
        }
        if expand.names {
            body["names"] = render.names(&selection);
        }
        if expand.schema {
            body["schema"] = render.schema(&selection);
        }
        ok(&body)
    }

    fn approximate_count(&self) -> Response {
        let body: Value = match serde_json::from_slice(&self.req.body) {
            Ok(v) => v,
            Err(_) => return bad_request(BAD_PAYLOAD),
        };
        let jql = match body.get("jql") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.as_str()),
            Some(_) => return bad_request(BAD_PAYLOAD),
        };
        match self.compile(jql) {
            Ok(compiled) => ok(&json!({ "count": compiled.count(self.db) })),
            Err(e) => e.into_response(),
        }
    }

    fn issue(&self) -> Response {
        let segments = self.req.segs();
        let Some(pos) = segments.get(1).and_then(|key| self.db.issue_pos(key)) else {
            return error(StatusCode::NOT_FOUND, &[ISSUE_NOT_FOUND]);
        };
        let catalogue = fields::catalogue(self.store());
        let selection = fields::select(&catalogue, &self.req.params("fields"), DefaultFields::All);
        let expands = self.req.params("expand");
        let expand = Expand::parse(expands.iter().map(String::as_str));
        let render = self.render(&catalogue);
        let mut issue = render.issue(pos, &selection, expand, true);
        if selection.id_only {
            // GET issue always has the full envelope, even for `fields=id`.
            let full = fields::Selection {
                fields: Vec::new(),
                id_only: false,
            };
            issue = render.issue(pos, &full, expand, true);
        }
        ok(&issue)
    }

    fn comments(&self) -> Response {
        let segments = self.req.segs();
        let Some(issue) = segments.get(1).and_then(|key| self.db.issue(key)) else {
            return error(StatusCode::NOT_FOUND, &[ISSUE_NOT_FOUND]);
        };
        let start_at = match self.req.int_param("startAt", 0) {
            Ok(n) => n.max(0) as usize,
            Err(e) => return e.into_response(),
        };
        let max_results = match self.req.int_param("maxResults", COMMENT_DEFAULT_PAGE) {
            Ok(n) => n.clamp(0, COMMENT_MAX_PAGE) as usize,
            Err(e) => return e.into_response(),
        };
        let descending = match self.req.param("orderBy") {
            None | Some("created" | "+created") => false,
            Some("-created") => true,
            Some(other) => {
                return bad_request(&format!(
                    "The orderBy value '{other}' is not supported. Valid values are: created, -created, +created."
                ));
            }
        };
        let mut comments: Vec<&Comment> = issue.comments.iter().collect();
        comments.sort_by(|a, b| a.created.cmp(&b.created).then(a.id.cmp(&b.id)));
        if descending {
            comments.reverse();
        }
        let rendered = self
            .req
            .params("expand")
            .iter()
            .any(|e| e.split(',').any(|x| x.trim() == "renderedBody"));
        let catalogue = [];
        ok(&self
            .render(&catalogue)
            .comment_page(issue, &comments, start_at, max_results, rendered))
    }

    fn priorities(&self) -> Response {
        let catalogue = [];
        let render = self.render(&catalogue);
        ok(&self
            .store()
            .priorities
            .iter()
            .map(|p| render.priority(p))
            .collect())
    }

    fn statuses(&self) -> Response {
        let catalogue = [];
        let render = self.render(&catalogue);
        ok(&self
            .store()
            .statuses
            .iter()
            .map(|s| render.status(s))
            .collect())
    }

    fn fields(&self) -> Response {
        ok(&fields::catalogue(self.store())
            .iter()
            .map(Render::field_details)
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_tokens_belong_to_their_query() {
        let a = query_hash("project = A");
        let b = query_hash("project = B");
        let token = page_token(50, a);
        assert_eq!(read_page_token(&token, a), Some(50));
        assert_eq!(read_page_token(&token, b), None);
        assert_eq!(read_page_token("not a token", a), None);
        assert_eq!(read_page_token("", a), None);
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("ABC-1"), "ABC-1");
        assert_eq!(percent_decode("a%20b%2F"), "a b/");
        assert_eq!(percent_decode("100%"), "100%");
    }
}
