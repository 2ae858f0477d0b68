//! The client over real loopback HTTP against a tiny canned-response server: what goes
//! on the wire (method, path, query, body, auth, user agent) and how every kind of
//! failure (401 JSON and plain text, 403, 404, 410, 429, 500 HTML, truncated JSON,
//! refused connections) maps to `JiraError`. The server is a test double for the
//! transport only: successful bodies are the real payloads from `tests/fixtures/`.

// The whole file is test code; helpers outside #[test] fns may unwrap too.
#![allow(clippy::unwrap_used)]

use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use base64::Engine as _;
use jtui::jira::models::SearchRequest;
use jtui::jira::{ApiToken, CommentOrder, Credentials, JiraClient, JiraError};
use serde_json::{Value, json};
use url::Url;

const EMAIL: &str = "ana.silva@acme-robotics.example";
const TOKEN: &str = "ATATT3xFfGF0-very-secret-token";

fn fixture(rel: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/payloads")
        .join(rel);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"))
}

#[derive(Debug, Clone)]
struct Recorded {
    method: String,
    path: String,
    query: Vec<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
}

impl Recorded {
    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap()
    }
}

struct Canned {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
}

impl Canned {
    fn new(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Canned {
            status,
            headers: vec![("content-type", "application/json".into())],
            body: body.into(),
        }
    }

    fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.retain(|(n, _)| *n != name);
        self.headers.push((name, value.into()));
        self
    }
}

type Responder = Arc<dyn Fn(&Recorded) -> Canned + Send + Sync>;

struct TestServer {
    addr: SocketAddr,
    requests: Arc<Mutex<Vec<Recorded>>>,
}

impl TestServer {
    /// Binds 127.0.0.1:0 and serves until the test's runtime ends.
    async fn start(respond: impl Fn(&Recorded) -> Canned + Send + Sync + 'static) -> Self {
        let requests: Arc<Mutex<Vec<Recorded>>> = Arc::default();
        let respond: Responder = Arc::new(respond);
        let log = requests.clone();
        let app = Router::new().fallback(move |req: Request| {
            let log = log.clone();
            let respond = respond.clone();
            async move {
                let (parts, body) = req.into_parts();
                let body = axum::body::to_bytes(body, usize::MAX).await.unwrap();
                let query = url::form_urlencoded::parse(parts.uri.query().unwrap_or("").as_bytes())
                    .into_owned()
                    .collect();
                let recorded = Recorded {
                    method: parts.method.to_string(),
                    path: parts.uri.path().to_string(),
                    query,
                    headers: parts.headers,
                    body,
                };
                let canned = respond(&recorded);
                log.lock().unwrap().push(recorded);
                let mut resp =
                    Response::builder().status(StatusCode::from_u16(canned.status).unwrap());
                for (name, value) in canned.headers {
                    resp = resp.header(name, value);
                }
                resp.body(Body::from(canned.body)).unwrap()
            }
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        TestServer { addr, requests }
    }

    fn url(&self) -> Url {
        Url::parse(&format!("http://{}", self.addr)).unwrap()
    }

    fn client(&self) -> JiraClient {
        JiraClient::new(self.url(), Credentials::new(EMAIL, TOKEN)).unwrap()
    }

    fn only_request(&self) -> Recorded {
        let log = self.requests.lock().unwrap();
        assert_eq!(log.len(), 1, "{log:#?}");
        log[0].clone()
    }
}

fn expected_auth() -> String {
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{EMAIL}:{TOKEN}"));
    format!("Basic {encoded}")
}

fn assert_no_secret(text: &str) {
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{EMAIL}:{TOKEN}"));
    assert!(!text.contains(TOKEN), "token leaked: {text}");
    assert!(!text.contains(&encoded), "auth header leaked: {text}");
}

/// Display and Debug of an error never carry the secret.
fn checked(err: JiraError) -> JiraError {
    assert_no_secret(&format!("{err} {err:?}"));
    err
}

// ---------------------------------------------------------------- the wire

#[tokio::test]
async fn myself_sends_basic_auth_user_agent_and_accept() {
    let server =
        TestServer::start(|_| Canned::new(200, fixture("myself-cloud-demisto.json"))).await;
    let user = server.client().myself().await.unwrap();
    assert_eq!(user.display_name, "Example User");

    let req = server.only_request();
    assert_eq!(req.method, "GET");
    assert_eq!(req.path, "/rest/api/3/myself");
    assert_eq!(req.header("authorization"), expected_auth());
    assert_eq!(
        req.header("user-agent"),
        format!("jtui/{}", env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(req.header("accept"), "application/json");
    assert!(req.header("accept-encoding").contains("gzip"));
}

#[tokio::test]
async fn search_jql_posts_the_enhanced_search_body() {
    let server = TestServer::start(|_| Canned::new(200, fixture("jiracli-search.json"))).await;
    let req = SearchRequest::new("project = NAV AND statusCategory != Done ORDER BY updated DESC")
        .with_fields(["summary", "status", "assignee"])
        .with_expand(["names", "renderedFields"])
        .with_max_results(50)
        .with_page_token(Some("CAEaAggD".into()));
    let page = server.client().search_jql(&req).await.unwrap();
    assert_eq!(page.issues.len(), 3);
    assert!(page.is_last);

    let sent = server.only_request();
    assert_eq!(sent.method, "POST");
    assert_eq!(sent.path, "/rest/api/3/search/jql");
    assert!(sent.header("content-type").starts_with("application/json"));
    assert_eq!(
        sent.json(),
        json!({
            "jql": "project = NAV AND statusCategory != Done ORDER BY updated DESC",
            "fields": ["summary", "status", "assignee"],
            "expand": "names,renderedFields",
            "maxResults": 50,
            "nextPageToken": "CAEaAggD"
        })
    );
}

#[tokio::test]
async fn issue_passes_fields_and_expand_and_decodes_the_real_issue() {
    let server =
        TestServer::start(|_| Canned::new(200, fixture("issue-expanded-cloud-demisto.json"))).await;
    let client = server.client();
    let issue = client
        .issue(
            "COMPANYSA-35",
            &["summary", "status"],
            &["names", "transitions"],
        )
        .await
        .unwrap();
    assert_eq!(issue.key, "COMPANYSA-35");
    assert_eq!(issue.fields.subtasks.len(), 2);

    let req = server.only_request();
    assert_eq!(req.path, "/rest/api/3/issue/COMPANYSA-35");
    assert_eq!(
        req.query,
        [
            ("fields".to_string(), "summary,status".to_string()),
            ("expand".to_string(), "names,transitions".to_string())
        ]
    );
}

#[tokio::test]
async fn issue_with_no_fields_uses_the_server_default() {
    let server = TestServer::start(|_| Canned::new(200, fixture("jiracli-issue.json"))).await;
    server.client().issue("TEST-1", &[], &[]).await.unwrap();
    assert!(server.only_request().query.is_empty());
}

#[tokio::test]
async fn keys_are_percent_encoded_path_segments() {
    let server =
        TestServer::start(|_| Canned::new(200, fixture("comments-page-cloud-demisto.json"))).await;
    let page = server
        .client()
        .comments("NAV 1/../x?y#z", 50, 25, CommentOrder::NewestFirst)
        .await
        .unwrap();
    assert_eq!(page.comments.len(), 3);
    let req = server.only_request();
    assert_eq!(
        req.path,
        "/rest/api/3/issue/NAV%201%2F..%2Fx%3Fy%23z/comment"
    );
    assert_eq!(
        req.query,
        [
            ("startAt".to_string(), "50".to_string()),
            ("maxResults".to_string(), "25".to_string()),
            ("orderBy".to_string(), "-created".to_string())
        ]
    );
}

#[tokio::test]
async fn dot_dot_keys_never_reach_the_server() {
    let server = TestServer::start(|_| Canned::new(200, "{}")).await;
    let err = server.client().issue("..", &[], &[]).await.unwrap_err();
    assert!(matches!(err, JiraError::InvalidUrl { .. }), "{err:?}");
    assert!(server.requests.lock().unwrap().is_empty());
}

#[tokio::test]
async fn project_search_pages() {
    let server = TestServer::start(|_| {
        Canned::new(200, fixture("spec-examples/get_project_search_200.json"))
    })
    .await;
    let page = server
        .client()
        .search_projects(Some("  ex  "), 0, 2)
        .await
        .unwrap();
    assert!(!page.is_last);
    assert_eq!(page.values[0].key, "EX");
    let req = server.only_request();
    assert_eq!(req.path, "/rest/api/3/project/search");
    assert_eq!(
        req.query,
        [
            ("startAt".to_string(), "0".to_string()),
            ("maxResults".to_string(), "2".to_string()),
            ("query".to_string(), "ex".to_string())
        ]
    );
    // An empty query is not sent at all.
    server
        .client()
        .search_projects(Some(""), 2, 2)
        .await
        .unwrap();
    let log = server.requests.lock().unwrap();
    assert!(log[1].query.iter().all(|(k, _)| k != "query"));
}

#[tokio::test]
async fn approximate_count_posts_the_jql() {
    let server = TestServer::start(|_| {
        Canned::new(
            200,
            fixture("spec-examples/post_search_approximate-count_200.json"),
        )
    })
    .await;
    let n = server
        .client()
        .approximate_count("project = NAV")
        .await
        .unwrap();
    assert_eq!(n, 153);
    let req = server.only_request();
    assert_eq!(
        (req.method.as_str(), req.path.as_str()),
        ("POST", "/rest/api/3/search/approximate-count")
    );
    assert_eq!(req.json(), json!({"jql": "project = NAV"}));
}

#[tokio::test]
async fn reference_lists_and_server_info() {
    let server = TestServer::start(|req| match req.path.as_str() {
        "/rest/api/3/priority" => {
            // One junk element among real ones: skipped, not fatal.
            let mut list: Vec<Value> =
                serde_json::from_slice(&fixture("gojira-all_priorities.json")).unwrap();
            list.push(json!("junk"));
            Canned::new(200, serde_json::to_vec(&list).unwrap())
        }
        "/rest/api/3/status" => Canned::new(200, fixture("spec-examples/get_status_200.json")),
        "/rest/api/3/field" => Canned::new(200, fixture("jiracli-fields.json")),
        "/rest/api/3/serverInfo" => Canned::new(200, fixture("jiracli-serverinfo.json")),
        other => panic!("unexpected {other}"),
    })
    .await;
    let client = server.client();
    let priorities = client.priorities().await.unwrap();
    assert_eq!(priorities.len(), 5);
    assert_eq!(priorities[0].name, "Blocker");
    let statuses = client.statuses().await.unwrap();
    assert_eq!(statuses[1].name, "Closed");
    let fields = client.fields().await.unwrap();
    assert_eq!(fields[1].name, "Original story points");
    let info = client.server_info().await.unwrap();
    assert_eq!(info.deployment_type, "Cloud");
}

#[tokio::test]
async fn gateway_prefix_is_kept() {
    let server =
        TestServer::start(|_| Canned::new(200, fixture("myself-cloud-demisto.json"))).await;
    let base = server.url().join("/ex/jira/0f1e2d3c-cloud-id").unwrap();
    let client = JiraClient::new(base, Credentials::new(EMAIL, TOKEN)).unwrap();
    client.myself().await.unwrap();
    assert_eq!(
        server.only_request().path,
        "/ex/jira/0f1e2d3c-cloud-id/rest/api/3/myself"
    );
    assert_eq!(
        client.browse_url("NAV-7").path(),
        "/ex/jira/0f1e2d3c-cloud-id/browse/NAV-7"
    );
}

// ---------------------------------------------------------------- errors

async fn error_for(canned: impl Fn() -> Canned + Send + Sync + 'static) -> JiraError {
    let server = TestServer::start(move |_| canned()).await;
    checked(server.client().myself().await.unwrap_err())
}

#[tokio::test]
async fn unauthorized_json() {
    let err = error_for(|| {
        Canned::new(
            401,
            r#"{"errorMessages":["You are not authenticated. Authentication required to perform this operation."],"errors":{}}"#,
        )
        .with_header("www-authenticate", "Basic realm=\"protected-area\"")
    })
    .await;
    let JiraError::Unauthorized { messages } = &err else {
        panic!("{err:?}");
    };
    assert_eq!(
        messages,
        &["You are not authenticated. Authentication required to perform this operation."]
    );
    let text = err.to_string();
    assert!(text.contains("run `jtui login`"), "{text}");
    assert!(text.contains("You are not authenticated"), "{text}");
    assert_eq!(err.status(), Some(401));
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn unauthorized_plain_text() {
    let err = error_for(|| {
        Canned::new(401, "Client must be authenticated to access this resource.")
            .with_header("content-type", "text/plain;charset=UTF-8")
    })
    .await;
    assert!(matches!(
        &err,
        JiraError::Unauthorized { messages } if messages == &["Client must be authenticated to access this resource."]
    ));
}

#[tokio::test]
async fn forbidden_and_not_found() {
    let err = error_for(|| {
        Canned::new(
            403,
            r#"{"errorMessages":["You do not have permission to view this project."],"errors":{}}"#,
        )
    })
    .await;
    assert!(
        matches!(&err, JiraError::Forbidden { messages } if messages[0].contains("permission"))
    );
    assert!(err.to_string().contains("Ask a Jira administrator"));

    let server = TestServer::start(|_| {
        Canned::new(
            404,
            r#"{"errorMessages":["Issue does not exist or you do not have permission to see it."],"errors":{}}"#,
        )
    })
    .await;
    let err = checked(
        server
            .client()
            .issue("NAV-404", &[], &[])
            .await
            .unwrap_err(),
    );
    assert!(
        matches!(&err, JiraError::NotFound { messages } if messages[0].starts_with("Issue does not exist"))
    );
    assert_eq!(
        err.to_string(),
        "not found (404): Issue does not exist or you do not have permission to see it."
    );
}

#[tokio::test]
async fn gone_for_the_removed_search_api() {
    let err = error_for(|| Canned::new(410, fixture("error-410-search-removed.json"))).await;
    assert!(matches!(&err, JiraError::Gone { messages } if messages[0].contains("CHANGE-2046")));
}

#[tokio::test]
async fn rate_limited_with_retry_after() {
    let err = error_for(|| {
        Canned::new(
            429,
            r#"{"errorMessages":["Rate limit exceeded."],"errors":{}}"#,
        )
        .with_header("retry-after", "17")
        .with_header("x-ratelimit-reset", "2000-01-01T00:00Z")
        .with_header("ratelimit-reason", "jira-burst-based")
    })
    .await;
    assert!(matches!(
        err,
        JiraError::RateLimited {
            retry_after: Some(d)
        } if d == Duration::from_secs(17)
    ));
    assert!(err.is_retryable());
    assert_eq!(err.retry_after(), Some(Duration::from_secs(17)));
    assert!(err.to_string().contains("retry in 17 s"), "{err}");
}

#[tokio::test]
async fn rate_limited_falls_back_to_reset_header() {
    let reset = (chrono::Utc::now() + chrono::Duration::minutes(2))
        .format("%Y-%m-%dT%H:%MZ")
        .to_string();
    let err =
        error_for(move || Canned::new(429, "").with_header("x-ratelimit-reset", reset.clone()))
            .await;
    let wait = err.retry_after().expect("a wait from X-RateLimit-Reset");
    // Minute precision: between one and two minutes from now.
    assert!(
        wait >= Duration::from_secs(55) && wait <= Duration::from_secs(121),
        "{wait:?}"
    );

    let err = error_for(|| Canned::new(429, "")).await;
    assert!(matches!(err, JiraError::RateLimited { retry_after: None }));
}

#[tokio::test]
async fn server_error_html_keeps_a_short_excerpt() {
    let err = error_for(|| {
        Canned::new(
            500,
            "<!DOCTYPE html><html><head><title>Oops, you've found a dead link. - JIRA</title></head>\
             <body><script>alert(1)</script><h1>Something went wrong</h1></body></html>",
        )
        .with_header("content-type", "text/html;charset=UTF-8")
    })
    .await;
    let JiraError::Api {
        status,
        messages,
        field_errors,
    } = &err
    else {
        panic!("{err:?}");
    };
    assert_eq!(*status, 500);
    assert_eq!(messages, &["Oops, you've found a dead link. - JIRA"]);
    assert!(field_errors.is_empty());
    assert!(err.is_retryable());

    // No title: tags stripped, whitespace collapsed, cut short.
    let long_body = format!(
        "<html><body><p>Bad   gateway</p>{}</body></html>",
        "x ".repeat(500)
    );
    let err = error_for(move || {
        Canned::new(502, long_body.clone()).with_header("content-type", "text/html")
    })
    .await;
    let m = &err.messages()[0];
    assert!(m.starts_with("Bad gateway x x"), "{m}");
    assert!(m.chars().count() <= 201 && m.ends_with('…'), "{m}");
}

#[tokio::test]
async fn bad_request_keeps_messages_and_field_errors() {
    let server = TestServer::start(|_| {
        Canned::new(
            400,
            r#"{"errorMessages":["Error in the JQL Query: Expecting operator but got 'query'. (line 1, character 9)"],"errors":{"jql":"The JQL is invalid"},"warningMessages":[]}"#,
        )
    })
    .await;
    let err = checked(
        server
            .client()
            .search_jql(&SearchRequest::new("project query"))
            .await
            .unwrap_err(),
    );
    let JiraError::Api {
        status,
        messages,
        field_errors,
    } = &err
    else {
        panic!("{err:?}");
    };
    assert_eq!(*status, 400);
    assert!(messages[0].starts_with("Error in the JQL Query: Expecting operator"));
    assert_eq!(field_errors["jql"], "The JQL is invalid");
    assert!(err.to_string().contains("jql: The JQL is invalid"));
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn undecodable_success_bodies_are_errors() {
    // Truncated JSON: the exchange broke on the way, so it is a transport failure that a
    // read may retry, not a model mismatch.
    let err = error_for(|| {
        Canned::new(
            200,
            r#"{"accountId":"5b10a2844c20165700ede21g","displayName":"Mia Kr"#,
        )
    })
    .await;
    let JiraError::Transport(message) = &err else {
        panic!("{err:?}");
    };
    assert_eq!(message, "Jira's answer to your user profile was cut off");
    assert!(err.is_retryable());

    // A captive portal answering 200 with HTML.
    let err = error_for(|| {
        Canned::new(200, "<html><body>Sign in to the hotel Wi-Fi</body></html>")
            .with_header("content-type", "text/html")
    })
    .await;
    assert!(
        matches!(&err, JiraError::Transport(m) if m.contains("an HTML page instead of JSON")),
        "{err:?}"
    );

    // An array where an object belongs (serde alone would accept it as a struct).
    let err = error_for(|| Canned::new(200, r#"["5b10a2844c20165700ede21g", "Mia"]"#)).await;
    assert!(
        matches!(&err, JiraError::Decode { message, .. } if message == "expected a JSON object, got an array"),
        "{err:?}"
    );

    // A list endpoint answering with an object.
    let server = TestServer::start(|_| Canned::new(200, r#"{"values":[]}"#)).await;
    let err = checked(server.client().priorities().await.unwrap_err());
    assert!(
        matches!(&err, JiraError::Decode { message, .. } if message.contains("expected a JSON array")),
        "{err:?}"
    );
}

#[tokio::test]
async fn echoed_credentials_are_redacted() {
    // A broken proxy that echoes the request headers into its error page.
    let server = TestServer::start(|req| {
        let echo = format!(
            r#"{{"errorMessages":["bad gateway: Authorization: {} token={}"],"errors":{{"header":"{}"}}}}"#,
            req.header("authorization"),
            TOKEN,
            req.header("authorization"),
        );
        Canned::new(502, echo)
    })
    .await;
    let err = checked(server.client().myself().await.unwrap_err());
    assert!(err.to_string().contains("***"), "{err}");

    let server = TestServer::start(|req| {
        Canned::new(401, format!("rejected {}", req.header("authorization")))
            .with_header("content-type", "text/plain")
    })
    .await;
    let err = checked(server.client().myself().await.unwrap_err());
    assert!(matches!(err, JiraError::Unauthorized { .. }));
}

#[tokio::test]
async fn refused_connections_are_transport_errors() {
    // Bind and drop to get a port nothing listens on.
    let addr = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let client = JiraClient::new(
        Url::parse(&format!("http://{addr}")).unwrap(),
        Credentials::new(EMAIL, TOKEN),
    )
    .unwrap();
    let err = checked(client.myself().await.unwrap_err());
    let JiraError::Transport(message) = &err else {
        panic!("{err:?}");
    };
    assert!(
        message.starts_with("could not connect to 127.0.0.1"),
        "{message}"
    );
    assert!(message.contains("Check the site URL"), "{message}");
    assert!(err.is_retryable());
    assert_eq!(err.status(), None);
}

// ---------------------------------------------------------------- secrets

#[test]
fn debug_and_display_never_show_the_token() {
    let token = ApiToken::new(TOKEN);
    assert_eq!(format!("{token}"), "***");
    assert_eq!(format!("{token:?}"), "***");
    assert_eq!(token.expose_secret(), TOKEN);

    let creds = Credentials::new(EMAIL, TOKEN);
    let debug = format!("{creds:?} {creds:#?}");
    assert_no_secret(&debug);
    assert!(debug.contains(EMAIL) && debug.contains("***"));

    let client = JiraClient::new(Url::parse("https://acme.atlassian.net").unwrap(), creds).unwrap();
    let debug = format!("{client:?} {client:#?}");
    assert_no_secret(&debug);
    assert!(debug.contains("acme.atlassian.net") && debug.contains("***"));
    // Clones share the same session and print the same.
    assert_eq!(format!("{:?}", client.clone()), format!("{client:?}"));
}
