//! The HTTP client for Jira Cloud REST API v3: one `reqwest::Client` per session,
//! Basic auth with an API token, typed calls returning models or [`JiraError`].
//!
//! URLs are built from path segments (percent-encoded), never by pasting user text.
//! The token lives only inside the Authorization header value, which is marked
//! sensitive, and in a redaction list; nothing here prints it.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use chrono::Utc;
use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderValue};
use reqwest::{Method, RequestBuilder};
use serde::de::DeserializeOwned;
use serde_json::error::Category;
use serde_json::{Value, json};
use url::Url;

use super::access;
use super::bounds;
use super::error::{self, JiraError};
use super::models::{
    ApproximateCount, AutocompleteSuggestions, CommentPage, FieldDetails, Filter, Issue,
    JqlReferenceData, JqlSuggestion, MyPermissions, Page, Priority, Project, SearchPage,
    SearchRequest, ServerInfo, Status, User,
};
use super::retry::{self, Gate, Outcome, Permit, RetryPolicy};

/// Time allowed to establish a connection (DNS + TCP + TLS).
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Time allowed for a whole request, body included.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Sent with every request so Atlassian can tell our traffic apart.
pub const USER_AGENT: &str = concat!("jtui/", env!("CARGO_PKG_VERSION"));
/// The header Jira sets on answers while less than a fifth of a rate-limit budget is left.
const NEAR_LIMIT_HEADER: &str = "x-ratelimit-nearlimit";
/// Why Jira refused a request with 429 (NOTES.md §2.2).
const RATE_LIMIT_REASON_HEADER: &str = "ratelimit-reason";
/// The reason of the limit on writes to one issue (`jira-per-issue-on-write`).
const PER_ISSUE_REASON: &str = "per-issue";
/// What `/filter/search` is asked to include, so its `FilterDetails` carry what a filter
/// picker shows (without `jql` in particular, Jira leaves the query out).
const FILTER_SEARCH_EXPAND: &str = "description,owner,jql,favourite,favouritedCount,viewUrl";
/// The REST API prefix under the site (or gateway) URL.
const API_PREFIX: [&str; 3] = ["rest", "api", "3"];
/// Redirects followed before giving up.
const MAX_REDIRECTS: usize = 5;

/// The HTTP client of a session: rustls (the system's roots and webpki's), gzip, and
/// HTTP/2 when the server offers it (reqwest's `http2` feature adds it to ALPN).
fn build_http() -> Result<reqwest::Client, reqwest::Error> {
    reqwest::Client::builder()
        .use_rustls_tls()
        .gzip(true)
        .connect_timeout(CONNECT_TIMEOUT)
        .timeout(REQUEST_TIMEOUT)
        .user_agent(USER_AGENT)
        .redirect(reqwest::redirect::Policy::custom(|attempt| {
            // A redirect must not downgrade the connection that carries the token.
            if attempt.url().scheme() != "https" && !is_loopback(attempt.url()) {
                attempt.error("refusing to follow a redirect away from https")
            } else if attempt.previous().len() >= MAX_REDIRECTS {
                attempt.stop()
            } else {
                attempt.follow()
            }
        }))
        .build()
}

/// `localhost`, `127.0.0.0/8` or `[::1]`: traffic that never leaves this machine.
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// An Atlassian API token. Its `Debug` and `Display` print `***`; there is
/// deliberately no `Serialize`.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiToken(String);

impl ApiToken {
    pub fn new(token: impl Into<String>) -> Self {
        ApiToken(token.into())
    }

    /// The secret itself, for building the auth header or storing it in the keyring.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl From<String> for ApiToken {
    fn from(token: String) -> Self {
        ApiToken(token)
    }
}

impl fmt::Debug for ApiToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for ApiToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// Email and API token for Basic auth.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    pub email: String,
    pub token: ApiToken,
}

impl Credentials {
    pub fn new(email: impl Into<String>, token: impl Into<ApiToken>) -> Self {
        Credentials {
            email: email.into(),
            token: token.into(),
        }
    }
}

impl From<&str> for ApiToken {
    fn from(token: &str) -> Self {
        ApiToken(token.to_string())
    }
}

/// Which way `comments` are sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum CommentOrder {
    #[default]
    OldestFirst,
    NewestFirst,
}

impl CommentOrder {
    fn as_query(self) -> &'static str {
        match self {
            CommentOrder::OldestFirst => "created",
            CommentOrder::NewestFirst => "-created",
        }
    }
}

/// An issue's page in the browser, `<base>/browse/KEY`, for a site URL without query
/// or fragment (as `JiraClient` keeps it). Free so `update` can build links without
/// holding the client.
pub fn browse_url(base: &Url, key: &str) -> Url {
    let mut url = base.clone();
    url.set_query(None);
    url.set_fragment(None);
    if let Ok(mut segments) = url.path_segments_mut() {
        segments.pop_if_empty().push("browse").push(key);
    }
    url
}

/// A Jira Cloud client. Cheap to clone: all clones share one connection pool.
#[derive(Clone)]
pub struct JiraClient {
    inner: Arc<Inner>,
}

#[derive(Clone)]
struct Inner {
    /// Built on the first request, not in `new`: building it loads the system's root
    /// certificates (milliseconds of file reads), which must not delay the first frame.
    /// Shared by every clone, so the session keeps one connection pool.
    http: Arc<tokio::sync::OnceCell<reqwest::Client>>,
    /// Site (`https://x.atlassian.net`) or gateway
    /// (`https://api.atlassian.com/ex/jira/{cloudId}`) URL, without query or fragment.
    base_url: Url,
    email: String,
    /// `Basic base64(email:token)`, marked sensitive.
    auth: HeaderValue,
    /// Strings scrubbed from every error: the token and the encoded header.
    secrets: Vec<String>,
    /// The site for browser links, when requests go to the gateway instead.
    site_url: Option<Url>,
    /// Refuse every request that is not a read (see [`access::is_read`]).
    read_only: bool,
    /// Shared backoff, pacing and the end of a session whose token was rejected.
    gate: Arc<Gate>,
}

impl fmt::Debug for JiraClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JiraClient")
            .field("base_url", &self.inner.base_url.as_str())
            .field("email", &self.inner.email)
            .field("auth", &"***")
            .field("read_only", &self.inner.read_only)
            .finish()
    }
}

impl JiraClient {
    /// Builds the client. Fails with [`JiraError::InvalidUrl`] for a URL that is not
    /// http(s), cannot hold a path, or embeds a user name or password.
    pub fn new(base_url: Url, creds: Credentials) -> Result<JiraClient, JiraError> {
        let invalid = |reason: &str| JiraError::InvalidUrl {
            url: display_without_credentials(&base_url),
            reason: reason.to_string(),
        };
        if !matches!(base_url.scheme(), "http" | "https") {
            return Err(invalid("only http and https URLs are supported"));
        }
        if base_url.cannot_be_a_base() || base_url.host_str().is_none() {
            return Err(invalid(
                "expected a site URL such as https://your-site.atlassian.net",
            ));
        }
        if !base_url.username().is_empty() || base_url.password().is_some() {
            return Err(invalid(
                "the URL must not contain a user name or password; use `jtui login`",
            ));
        }
        // The token travels in every request: only over TLS, except to this machine
        // (the built-in emulator listens on loopback).
        if base_url.scheme() != "https" && !is_loopback(&base_url) {
            return Err(invalid(
                "only https is allowed (plain http only for loopback addresses such as the emulator)",
            ));
        }
        let mut base = base_url.clone();
        base.set_query(None);
        base.set_fragment(None);

        let encoded = BASE64.encode(format!("{}:{}", creds.email, creds.token.expose_secret()));
        let mut auth = HeaderValue::from_str(&format!("Basic {encoded}"))
            .map_err(|_| JiraError::Transport("could not build the Authorization header".into()))?;
        auth.set_sensitive(true);

        let secrets = [creds.token.expose_secret().to_string(), encoded]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect();
        Ok(JiraClient {
            inner: Arc::new(Inner {
                http: Arc::new(tokio::sync::OnceCell::new()),
                base_url: base,
                email: creds.email,
                auth,
                secrets,
                site_url: None,
                read_only: false,
                gate: Arc::new(Gate::new(RetryPolicy::default())),
            }),
        })
    }

    /// Where browser links point (`https://acme.atlassian.net`): the site even when
    /// requests go through the API gateway.
    pub fn with_site_url(mut self, site: Url) -> JiraClient {
        Arc::make_mut(&mut self.inner).site_url = Some(site);
        self
    }

    /// A client that sends reads only: every other request fails with
    /// [`JiraError::ReadOnly`] before it leaves this process (`--read-only`, or a profile's
    /// `read_only = true`).
    pub fn with_read_only(mut self, read_only: bool) -> JiraClient {
        Arc::make_mut(&mut self.inner).read_only = read_only;
        self
    }

    pub fn is_read_only(&self) -> bool {
        self.inner.read_only
    }

    /// Whether requests go through Atlassian's API gateway, i.e. with a scoped token.
    pub fn is_gateway(&self) -> bool {
        self.inner.base_url.path().starts_with("/ex/jira/")
    }

    pub fn base_url(&self) -> &Url {
        &self.inner.base_url
    }

    /// `Ok` when `method` on `path` (under `/rest/api/3/`, e.g. `issue/NAV-1/comment`) may
    /// be sent: always, unless the client is read-only and the request is not a read.
    /// Editors call it before they open, so a read-only profile says so at once.
    pub fn ensure_writable(&self, method: &Method, path: &str) -> Result<(), JiraError> {
        if !self.inner.read_only || access::is_read(method, path) {
            return Ok(());
        }
        Err(JiraError::ReadOnly {
            action: format!("send {method} /rest/api/3/{}", access::api_path(path)),
        })
    }

    /// Sends a write: `method` on `segments` under `/rest/api/3/`, with an optional JSON
    /// body; `action` says what it does for messages ("add a comment to NAV-1"). Answers
    /// the response's JSON, or `None` for an empty one (Jira's 204s).
    ///
    /// Never retried: a write that timed out may still have happened. A read-only client
    /// refuses with [`JiraError::ReadOnly`] without sending anything. A 401/403 for lack
    /// of a scope or permission becomes [`JiraError::Denied`] naming it; a 401 that is
    /// about the token itself stays [`JiraError::Unauthorized`].
    pub async fn send_write(
        &self,
        method: Method,
        segments: &[&str],
        body: Option<&Value>,
        action: &str,
    ) -> Result<Option<Value>, JiraError> {
        let url = self.endpoint(segments, &[]);
        let path = url.path().to_owned();
        if self.inner.read_only && !access::is_read(&method, &path) {
            return Err(JiraError::ReadOnly {
                action: action.to_owned(),
            });
        }
        let request = |http: &reqwest::Client| {
            let request = http.request(method.clone(), url);
            match body {
                Some(body) => request.json(body),
                None => request,
            }
        };
        let (permit, answered, body) = match self.execute(request, action).await {
            Ok(answer) => answer,
            Err(e) => return Err(denied(e, &method, &path, action)),
        };
        // The write went through, whatever its body looks like.
        permit.finish(&answered);
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(None);
        }
        decode(&body, action, Shape::Any).map(Some)
    }

    /// The issue's page in the browser: `<site>/browse/KEY`.
    pub fn browse_url(&self, key: &str) -> Url {
        browse_url(self.site_url(), key)
    }

    /// The site people browse: the base URL, unless requests go through the gateway.
    pub fn site_url(&self) -> &Url {
        self.inner.site_url.as_ref().unwrap_or(&self.inner.base_url)
    }

    /// `GET /myself`: who the credentials belong to. The login check.
    pub async fn myself(&self) -> Result<User, JiraError> {
        self.get(&["myself"], &[], "your user profile").await
    }

    /// `GET /mypermissions?permissions=...`: whether the user holds each permission (a
    /// project permission: in at least one project). A harmless read, so `jtui status`
    /// can say what the token can do without trying it.
    pub async fn my_permissions(&self, keys: &[&str]) -> Result<MyPermissions, JiraError> {
        let keys = keys.join(",");
        self.get(
            &["mypermissions"],
            &[("permissions", keys.as_str())],
            "your permissions",
        )
        .await
    }

    /// `GET /serverInfo`.
    pub async fn server_info(&self) -> Result<ServerInfo, JiraError> {
        self.get(&["serverInfo"], &[], "server information").await
    }

    /// `GET /project/search`: one page of projects, optionally filtered by key or name.
    pub async fn search_projects(
        &self,
        query: Option<&str>,
        start_at: u32,
        max_results: u32,
    ) -> Result<Page<Project>, JiraError> {
        let start = start_at.to_string();
        let max = max_results.to_string();
        let mut params = vec![("startAt", start.as_str()), ("maxResults", max.as_str())];
        if let Some(q) = query.map(str::trim).filter(|q| !q.is_empty()) {
            params.push(("query", q));
        }
        self.get(&["project", "search"], &params, "the project list")
            .await
    }

    /// `POST /search/jql`: one page of issues. Jira returns only ids unless
    /// `req.fields` names what to include.
    pub async fn search_jql(&self, req: &SearchRequest) -> Result<SearchPage, JiraError> {
        self.post(&["search", "jql"], &req.to_body(), "search results")
            .await
    }

    /// `POST /search/approximate-count`: roughly how many issues match (bounded JQL).
    pub async fn approximate_count(&self, jql: &str) -> Result<u64, JiraError> {
        let count: ApproximateCount = self
            .post(
                &["search", "approximate-count"],
                &json!({ "jql": jql }),
                "the issue count",
            )
            .await?;
        Ok(count.count)
    }

    /// `GET /issue/{key}`. An empty `fields` slice means Jira's default, `*all`.
    pub async fn issue(
        &self,
        key: &str,
        fields: &[&str],
        expand: &[&str],
    ) -> Result<Issue, JiraError> {
        let key = path_key(key, self)?;
        let fields = fields.join(",");
        let expand = expand.join(",");
        let mut params = Vec::new();
        if !fields.is_empty() {
            params.push(("fields", fields.as_str()));
        }
        if !expand.is_empty() {
            params.push(("expand", expand.as_str()));
        }
        self.get(&["issue", key], &params, &format!("issue {key}"))
            .await
    }

    /// `GET /issue/{key}/comment`: one page of comments.
    pub async fn comments(
        &self,
        key: &str,
        start_at: u32,
        max_results: u32,
        order: CommentOrder,
    ) -> Result<CommentPage, JiraError> {
        let key = path_key(key, self)?;
        let start = start_at.to_string();
        let max = max_results.to_string();
        let params = [
            ("startAt", start.as_str()),
            ("maxResults", max.as_str()),
            ("orderBy", order.as_query()),
        ];
        self.get(
            &["issue", key, "comment"],
            &params,
            &format!("comments of {key}"),
        )
        .await
    }

    /// `GET /priority`: every priority, in Jira's order (highest first).
    pub async fn priorities(&self) -> Result<Vec<Priority>, JiraError> {
        self.get_list(&["priority"], "the priority list").await
    }

    /// `GET /status`: every status visible to the user.
    pub async fn statuses(&self) -> Result<Vec<Status>, JiraError> {
        self.get_list(&["status"], "the status list").await
    }

    /// `GET /field`: system and custom fields, for names, JQL clause names and schema.
    pub async fn fields(&self) -> Result<Vec<FieldDetails>, JiraError> {
        self.get_list(&["field"], "the field list").await
    }

    /// `GET /jql/autocompletedata`: the fields (with their operators) and functions JQL
    /// accepts on this site, and its reserved words.
    pub async fn jql_autocomplete_data(&self) -> Result<JqlReferenceData, JiraError> {
        self.get(&["jql", "autocompletedata"], &[], "the JQL field list")
            .await
    }

    /// `GET /jql/autocompletedata/suggestions`: values for `field` (a field's `value` from
    /// [`Self::jql_autocomplete_data`], e.g. `status`, `"Story Points"`, `cf[10020]`)
    /// that match what was typed so far, best first (Jira sends at most 15).
    pub async fn jql_suggestions(
        &self,
        field: &str,
        value: &str,
    ) -> Result<Vec<JqlSuggestion>, JiraError> {
        let params = [("fieldName", field), ("fieldValue", value)];
        let found: AutocompleteSuggestions = self
            .get(
                &["jql", "autocompletedata", "suggestions"],
                &params,
                &format!("suggestions for {}", sanitize_key(field)),
            )
            .await?;
        Ok(found.results.into_iter().map(JqlSuggestion::from).collect())
    }

    /// `GET /filter/favourite`: the user's favourite filters that they may still see.
    pub async fn favourite_filters(&self) -> Result<Vec<Filter>, JiraError> {
        self.get_list(&["filter", "favourite"], "your favourite filters")
            .await
    }

    /// `GET /filter/my`: the filters the user owns. This endpoint returns whole `Filter`s,
    /// `jql` included, without any `expand`.
    pub async fn my_filters(&self) -> Result<Vec<Filter>, JiraError> {
        self.get_list(&["filter", "my"], "your filters").await
    }

    /// `GET /filter/{id}`. Jira answers 400 (an [`JiraError::Api`]) rather than 404 when
    /// the filter does not exist or is not shared with the user.
    pub async fn filter(&self, id: &str) -> Result<Filter, JiraError> {
        let id = id.trim();
        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(JiraError::InvalidUrl {
                url: self.inner.base_url.to_string(),
                reason: format!("`{}` is not a filter id", sanitize_key(id)),
            });
        }
        self.get(&["filter", id], &[], &format!("filter {id}"))
            .await
    }

    /// `GET /filter/search`: one page of the filters the user may see, by name (a
    /// case-insensitive substring when `name` is given), with `jql`, owner, description and
    /// favourite state expanded.
    pub async fn search_filters(
        &self,
        name: Option<&str>,
        start_at: u32,
        max_results: u32,
    ) -> Result<Page<Filter>, JiraError> {
        let start = start_at.to_string();
        let max = max_results.to_string();
        let mut params = vec![
            ("startAt", start.as_str()),
            ("maxResults", max.as_str()),
            ("expand", FILTER_SEARCH_EXPAND),
        ];
        if let Some(name) = name.map(str::trim).filter(|n| !n.is_empty()) {
            params.push(("filterName", name));
            params.push(("isSubstringMatch", "true"));
        }
        self.get(&["filter", "search"], &params, "the filter list")
            .await
    }

    /// `<base>/rest/api/3/<segments...>`, each segment percent-encoded.
    pub(super) fn endpoint(&self, segments: &[&str], params: &[(&str, &str)]) -> Url {
        self.endpoint_under(&API_PREFIX, segments, params)
    }

    /// Like [`JiraClient::endpoint`], under another API than the platform's (Jira
    /// Software's `rest/agile/1.0`).
    pub(super) fn endpoint_under(
        &self,
        prefix: &[&str],
        segments: &[&str],
        params: &[(&str, &str)],
    ) -> Url {
        let mut url = self.inner.base_url.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend(prefix).extend(segments);
        }
        if !params.is_empty() {
            url.query_pairs_mut().extend_pairs(params);
        }
        url
    }

    /// The session's HTTP client (one pool, gzip, HTTP/2 where the server offers it
    /// through ALPN), built on first use on the blocking pool. Only [`JiraClient::execute`]
    /// needs it; requests are described as closures over it (auth is added there).
    async fn http(&self) -> Result<&reqwest::Client, JiraError> {
        self.inner
            .http
            .get_or_try_init(|| async {
                match tokio::task::spawn_blocking(build_http).await {
                    Ok(built) => built.map_err(|e| self.transport(&e)),
                    Err(e) => Err(JiraError::Transport(format!(
                        "could not set up the HTTP client: {e}"
                    ))),
                }
            })
            .await
    }

    pub(super) async fn get<T: DeserializeOwned>(
        &self,
        segments: &[&str],
        params: &[(&str, &str)],
        what: &str,
    ) -> Result<T, JiraError> {
        let url = self.endpoint(segments, params);
        self.fetch(|http| http.request(Method::GET, url), what, Shape::Object)
            .await
    }

    /// A GET under another API than the platform's (see [`JiraClient::endpoint_under`]).
    pub(super) async fn get_under<T: DeserializeOwned>(
        &self,
        prefix: &[&str],
        segments: &[&str],
        params: &[(&str, &str)],
        what: &str,
    ) -> Result<T, JiraError> {
        let url = self.endpoint_under(prefix, segments, params);
        self.fetch(|http| http.request(Method::GET, url), what, Shape::Object)
            .await
    }

    async fn post<T: DeserializeOwned>(
        &self,
        segments: &[&str],
        json_body: &Value,
        what: &str,
    ) -> Result<T, JiraError> {
        let url = self.endpoint(segments, &[]);
        self.fetch(
            |http| http.request(Method::POST, url).json(json_body),
            what,
            Shape::Object,
        )
        .await
    }

    /// A JSON array whose elements are decoded one by one: an element with an odd
    /// shape is skipped rather than failing the list.
    async fn get_list<T: DeserializeOwned>(
        &self,
        segments: &[&str],
        what: &str,
    ) -> Result<Vec<T>, JiraError> {
        let url = self.endpoint(segments, &[]);
        let value: Value = self
            .fetch(|http| http.request(Method::GET, url), what, Shape::Any)
            .await?;
        match value {
            Value::Array(items) => Ok(items
                .into_iter()
                .filter_map(|v| serde_json::from_value(v).ok())
                .collect()),
            other => Err(JiraError::Decode {
                what: what.to_string(),
                message: format!("expected a JSON array, got {}", json_kind(&other)),
            }),
        }
    }

    /// The shared [`Gate`] every request of this client (and its clones) passes.
    pub fn gate(&self) -> &Gate {
        &self.inner.gate
    }

    /// Uses `policy` for timeouts, backoff and pacing. Call before the client is cloned
    /// or used: it starts a fresh gate.
    pub fn with_retry_policy(mut self, policy: RetryPolicy) -> JiraClient {
        Arc::make_mut(&mut self.inner).gate = Arc::new(Gate::new(policy));
        self
    }

    /// Sends the request `request` builds through the gate and decodes a successful
    /// answer as `T`, or maps the failure. Tells the gate what happened: a garbled body
    /// counts as a failed exchange (worth retrying), a body of the wrong shape as an
    /// answer (it is not).
    pub(super) async fn fetch<T: DeserializeOwned>(
        &self,
        request: impl FnOnce(&reqwest::Client) -> RequestBuilder,
        what: &str,
        shape: Shape,
    ) -> Result<T, JiraError> {
        let (permit, answered, body) = self.execute(request, what).await?;
        let body = bounds::limit_depth(&body, bounds::MAX_JSON_DEPTH);
        match decode(&body, what, shape) {
            Err(e @ JiraError::Transport(_)) => {
                permit.finish(&Outcome::Failed(short_reason(&e)));
                Err(self.redact(e))
            }
            other => {
                permit.finish(&answered);
                other.map_err(|e| self.redact(e))
            }
        }
    }

    /// The one place every request passes: read-only holds here whatever built it, then
    /// the gate admits it, one exchange runs under the attempt timeout, and an error
    /// status becomes its [`JiraError`] (a rejected token also shuts the gate). A
    /// successful body comes back with the permit, for the caller to report once it
    /// knows whether the body is usable. Logs method, path, status and timing; never
    /// headers.
    ///
    /// `request` builds the request on the session's HTTP client, which the first
    /// request builds (see [`JiraClient::http`]).
    async fn execute(
        &self,
        request: impl FnOnce(&reqwest::Client) -> RequestBuilder,
        what: &str,
    ) -> Result<(Permit<'_>, Outcome, Vec<u8>), JiraError> {
        let http = self.http().await?;
        let request = request(http)
            .header(AUTHORIZATION, self.inner.auth.clone())
            .header(ACCEPT, "application/json")
            .build()
            .map_err(|e| self.transport(&e))?;
        let method = request.method().clone();
        let path = request.url().path().to_string();
        self.ensure_writable(&method, &path)?;
        let gate = &self.inner.gate;
        let permit = gate.admit().await?;
        let started = Instant::now();
        let timeout = gate.policy().attempt_timeout;
        let exchange = tokio::time::timeout(timeout, self.exchange(http, request, what)).await;
        let (status, headers, body) = match exchange {
            Ok(Ok(answer)) => answer,
            Ok(Err(e)) => {
                if e.is_retryable() {
                    permit.finish(&Outcome::Failed(short_reason(&e)));
                }
                return Err(self.redact(e));
            }
            Err(_elapsed) => {
                permit.finish(&Outcome::Failed(format!(
                    "no answer within {} s",
                    timeout.as_secs()
                )));
                return Err(JiraError::Transport(format!(
                    "Jira did not answer {what} within {} s. Check your network and press r to retry",
                    timeout.as_secs()
                )));
            }
        };
        tracing::debug!(
            %method,
            path,
            status = status.as_u16(),
            bytes = body.len(),
            elapsed_ms = started.elapsed().as_millis() as u64,
            "jira request"
        );
        let answered = Outcome::Answered {
            status: status.as_u16(),
            retry_after: error::retry_after_from_headers(&headers, Utc::now()),
            near_limit: headers
                .get(NEAR_LIMIT_HEADER)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("true")),
        };
        if status.is_success() {
            return Ok((permit, answered, body));
        }
        // Jira's per-issue write limit holds back writes to that one issue, not the site:
        // the gate stays open for everything else.
        let per_issue = headers
            .get(RATE_LIMIT_REASON_HEADER)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|reason| reason.contains(PER_ISSUE_REASON));
        if !per_issue {
            permit.finish(&answered);
        }
        let err = self.redact(JiraError::from_response_parts(
            status.as_u16(),
            &headers,
            &body,
            Utc::now(),
        ));
        if retry::is_credential_rejection(&err)
            && let JiraError::Unauthorized { messages } = &err
        {
            gate.revoke(messages.clone());
        }
        Err(err)
    }

    /// One HTTP exchange: status, headers and the whole body, refusing bodies over
    /// [`bounds::MAX_BODY_BYTES`] (before reading them when the length is announced).
    async fn exchange(
        &self,
        http: &reqwest::Client,
        request: reqwest::Request,
        what: &str,
    ) -> Result<(reqwest::StatusCode, reqwest::header::HeaderMap, Vec<u8>), JiraError> {
        let too_big = || JiraError::Decode {
            what: what.to_string(),
            message: format!(
                "the answer is larger than {} MiB, more than jtui accepts",
                bounds::MAX_BODY_BYTES >> 20
            ),
        };
        let mut response = http
            .execute(request)
            .await
            .map_err(|e| JiraError::from_transport(&e))?;
        let status = response.status();
        let headers = response.headers().clone();
        if response
            .content_length()
            .is_some_and(|n| n > bounds::MAX_BODY_BYTES as u64)
        {
            return Err(too_big());
        }
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| JiraError::from_transport(&e))?
        {
            if body.len() + chunk.len() > bounds::MAX_BODY_BYTES {
                return Err(too_big());
            }
            body.extend_from_slice(&chunk);
        }
        Ok((status, headers, body))
    }

    fn transport(&self, err: &reqwest::Error) -> JiraError {
        self.redact(JiraError::from_transport(err))
    }

    fn redact(&self, err: JiraError) -> JiraError {
        let secrets: Vec<&str> = self.inner.secrets.iter().map(String::as_str).collect();
        err.redact(&secrets)
    }
}

/// A write's 401/403 that names a missing scope or permission, as [`JiraError::Denied`].
fn denied(error: JiraError, method: &Method, path: &str, action: &str) -> JiraError {
    let Some(status) = error.status().filter(|s| matches!(s, 401 | 403)) else {
        return error;
    };
    match access::refusal_cause(status, error.messages(), method, path) {
        Some(needs) => JiraError::Denied {
            action: action.to_owned(),
            status,
            needs,
            messages: error.messages().to_vec(),
        },
        None => error,
    }
}

/// Rejects keys that would change the URL's meaning: `url` drops `.` and `..` path
/// segments, so `issue("..")` would otherwise request a different endpoint.
pub(super) fn path_key<'k>(key: &'k str, client: &JiraClient) -> Result<&'k str, JiraError> {
    let trimmed = key.trim();
    if trimmed.is_empty() || trimmed == "." || trimmed == ".." {
        return Err(JiraError::InvalidUrl {
            url: client.inner.base_url.to_string(),
            reason: format!("`{}` is not an issue key", sanitize_key(key)),
        });
    }
    Ok(trimmed)
}

pub(super) fn sanitize_key(key: &str) -> String {
    crate::sanitize::sanitize_line(key).into_owned()
}

/// What a successful body must be before it is decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Shape {
    /// A JSON object. serde would otherwise accept an array for a struct (as a
    /// sequence of fields), turning a wrong-endpoint answer into an empty model.
    Object,
    Any,
}

pub(super) fn decode<T: DeserializeOwned>(
    body: &[u8],
    what: &str,
    shape: Shape,
) -> Result<T, JiraError> {
    // Not JSON at all (cut off, binary, an HTML page sent as 200): the exchange broke
    // somewhere between Jira and us, and trying again may well work.
    let garbled = |e: &serde_json::Error| {
        let found = if body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'<') {
            "an HTML page instead of JSON".to_owned()
        } else if e.classify() == Category::Eof {
            "cut off".to_owned()
        } else {
            format!("garbled ({e})")
        };
        JiraError::Transport(format!("Jira's answer to {what} was {found}"))
    };
    let is_syntax =
        |e: &serde_json::Error| matches!(e.classify(), Category::Syntax | Category::Eof);
    if let Err(e) = serde_json::from_slice::<serde::de::IgnoredAny>(body)
        && is_syntax(&e)
    {
        return Err(garbled(&e));
    }
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    if shape == Shape::Object && first.is_some_and(|b| *b != b'{') {
        let found = serde_json::from_slice::<Value>(body)
            .map(|v| json_kind(&v))
            .unwrap_or("something that is not JSON");
        return Err(JiraError::Decode {
            what: what.to_string(),
            message: format!("expected a JSON object, got {found}"),
        });
    }
    // Invalid UTF-8 inside strings only shows here: skipping a value does not check it.
    serde_json::from_slice(body).map_err(|e| {
        if is_syntax(&e) {
            garbled(&e)
        } else {
            JiraError::Decode {
                what: what.to_string(),
                message: e.to_string(),
            }
        }
    })
}

/// A failure in a few words, for the gate's "Jira is not answering (…)".
fn short_reason(e: &JiraError) -> String {
    match e {
        JiraError::Transport(m) if m.contains("timed out") => "timed out".to_owned(),
        JiraError::Transport(m) if m.contains("could not connect") => "cannot connect".to_owned(),
        JiraError::Transport(m) if m.contains("cut off") || m.contains("broke") => {
            "connection broke".to_owned()
        }
        JiraError::Transport(m) if m.contains("HTML page") => {
            "an HTML page instead of data".to_owned()
        }
        JiraError::Transport(m) if m.contains("garbled") => "garbled answer".to_owned(),
        JiraError::Transport(_) => "network error".to_owned(),
        other => other
            .status()
            .map_or_else(|| "error".to_owned(), |s| format!("HTTP {s}")),
    }
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The URL for messages, with any embedded user name and password removed.
fn display_without_credentials(url: &Url) -> String {
    let mut clean = url.clone();
    // Both setters only fail for URLs that cannot carry credentials at all.
    let _ = clean.set_username("");
    let _ = clean.set_password(None);
    clean.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(base: &str) -> JiraClient {
        JiraClient::new(
            Url::parse(base).unwrap(),
            Credentials::new("me@example.com", "s3cr3t-t0ken"),
        )
        .unwrap()
    }

    #[tokio::test]
    async fn every_clone_shares_one_http_client_built_on_first_use() {
        let a = client("http://127.0.0.1:9");
        let b = a
            .clone()
            .with_site_url(Url::parse("https://x.atlassian.net").unwrap());
        assert!(Arc::ptr_eq(&a.inner.http, &b.inner.http), "one pool");
        assert!(
            a.inner.http.get().is_none(),
            "nothing built before a request"
        );
        let first: *const reqwest::Client = a.http().await.unwrap();
        let second: *const reqwest::Client = b.http().await.unwrap();
        assert_eq!(first, second);
    }

    #[test]
    fn endpoints_are_built_from_segments() {
        let c = client("https://acme.atlassian.net");
        assert_eq!(
            c.endpoint(&["issue", "NAV-1"], &[]).as_str(),
            "https://acme.atlassian.net/rest/api/3/issue/NAV-1"
        );
        // User text is encoded, never interpreted as path or query.
        assert_eq!(
            c.endpoint(&["issue", "A/B?x=1#f"], &[("fields", "a,b")])
                .as_str(),
            "https://acme.atlassian.net/rest/api/3/issue/A%2FB%3Fx=1%23f?fields=a%2Cb"
        );
    }

    #[test]
    fn gateway_base_paths_are_kept() {
        let c = client("https://api.atlassian.com/ex/jira/abc-123/");
        assert_eq!(
            c.endpoint(&["myself"], &[]).as_str(),
            "https://api.atlassian.com/ex/jira/abc-123/rest/api/3/myself"
        );
        assert_eq!(
            c.browse_url("NAV-7").as_str(),
            "https://api.atlassian.com/ex/jira/abc-123/browse/NAV-7"
        );
    }

    #[test]
    fn browse_url_encodes_the_key() {
        let c = client("https://acme.atlassian.net/");
        assert_eq!(
            c.browse_url("NAV-12").as_str(),
            "https://acme.atlassian.net/browse/NAV-12"
        );
        assert_eq!(
            c.browse_url("x/../y").as_str(),
            "https://acme.atlassian.net/browse/x%2F..%2Fy"
        );
    }

    #[test]
    fn dot_keys_are_rejected() {
        let c = client("https://acme.atlassian.net/");
        assert!(matches!(
            path_key("..", &c),
            Err(JiraError::InvalidUrl { .. })
        ));
        assert!(matches!(
            path_key(" ", &c),
            Err(JiraError::InvalidUrl { .. })
        ));
        assert_eq!(path_key("NAV-1", &c).unwrap(), "NAV-1");
    }

    #[test]
    fn invalid_base_urls_are_rejected_without_echoing_passwords() {
        let creds = || Credentials::new("me@example.com", "tok");
        let err = JiraClient::new(Url::parse("ftp://x.example").unwrap(), creds()).unwrap_err();
        assert!(matches!(err, JiraError::InvalidUrl { .. }));
        let err =
            JiraClient::new(Url::parse("mailto:me@example.com").unwrap(), creds()).unwrap_err();
        assert!(matches!(err, JiraError::InvalidUrl { .. }));
        let err = JiraClient::new(
            Url::parse("https://bob:hunter2@acme.atlassian.net").unwrap(),
            creds(),
        )
        .unwrap_err();
        let text = format!("{err} {err:?}");
        assert!(!text.contains("hunter2"), "{text}");
    }

    #[test]
    fn auth_header_is_basic_and_sensitive() {
        let c = client("https://acme.atlassian.net");
        let expected = format!("Basic {}", BASE64.encode("me@example.com:s3cr3t-t0ken"));
        assert_eq!(c.inner.auth.to_str().unwrap(), expected);
        assert!(c.inner.auth.is_sensitive());
        // HeaderValue's Debug hides sensitive values.
        assert!(!format!("{:?}", c.inner.auth).contains("s3cr3t"));
    }

    #[test]
    fn client_and_its_futures_can_move_to_worker_tasks() {
        fn assert_send_sync<T: Send + Sync + 'static>(_: &T) {}
        fn assert_send<T: Send>(_: T) {}
        let c = client("https://acme.atlassian.net");
        assert_send_sync(&c);
        let req = SearchRequest::new("project = NAV");
        assert_send(c.search_jql(&req));
        assert_send(c.issue("NAV-1", &[], &[]));
        assert_send(c.comments("NAV-1", 0, 50, CommentOrder::OldestFirst));
        assert_send(c.jql_autocomplete_data());
        assert_send(c.jql_suggestions("status", "In"));
        assert_send(c.favourite_filters());
        assert_send(c.my_filters());
        assert_send(c.filter("10000"));
        assert_send(c.search_filters(Some("bugs"), 0, 50));
        assert_send_sync(&JiraError::Transport(String::new()));
    }

    #[test]
    fn comment_order_query_values() {
        assert_eq!(CommentOrder::OldestFirst.as_query(), "created");
        assert_eq!(CommentOrder::NewestFirst.as_query(), "-created");
    }
}
