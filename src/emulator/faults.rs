//! Fault injection and rate limiting for the emulator: the bad days of a real network
//! and a real Jira Cloud site, on demand.
//!
//! A [`FaultRule`] says which requests (a method and a path pattern) get which [`Fault`]
//! and how many times. Rules are set at start-up through `ServerOptions::faults` or at
//! any time through the running server's [`Faults`] handle, so a test can break the
//! network in the middle of a session and mend it again. A [`RateLimit`] gives the site
//! a request budget (a token bucket, like Jira's per-tenant burst limit) and answers
//! 429 with the headers NOTES.md §2.2 describes once it is spent.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use tokio::time::Instant;

/// What happens to a request a rule matches.
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// Waits this long, then answers normally (combines with the other faults).
    Latency(Duration),
    /// The connection drops before any answer arrives.
    Reset,
    /// The status and part of the body arrive, then nothing more, ever.
    StalledBody,
    /// A complete HTTP answer whose JSON body is cut in half.
    TruncatedJson,
    /// An error status with Jira's JSON error body (500, 502, 503, 504...).
    Status(u16),
    /// An error status with an HTML page, as a proxy or load balancer sends it.
    HtmlError(u16),
    /// A 200 whose body is not valid UTF-8.
    InvalidUtf8,
    /// 429 with `Retry-After`, `X-RateLimit-Reset` and `RateLimit-Reason`.
    RateLimited { retry_after: Duration },
    /// Answers normally, with `X-RateLimit-NearLimit: true`.
    NearLimit,
    /// Answers with exactly this (resource bombs, hostile error pages); `chunked`
    /// sends it in pieces without a `Content-Length`, so the size shows only as it
    /// arrives.
    Respond {
        status: u16,
        content_type: String,
        body: Bytes,
        chunked: bool,
    },
}

impl Fault {
    fn replaces_answer(&self) -> bool {
        !matches!(self, Fault::Latency(_) | Fault::NearLimit)
    }
}

/// Which requests get a fault, and how often.
#[derive(Debug, Clone, PartialEq)]
pub struct FaultRule {
    /// `GET`, `POST`...; `None` matches every method.
    pub method: Option<String>,
    /// The path without query and without the gateway prefix, where `*` matches any run
    /// of characters: `/rest/api/3/search/jql`, `/rest/api/3/issue/*`, `*`.
    pub path: String,
    pub fault: Fault,
    /// How many more requests it hits; `None` for all of them.
    pub times: Option<usize>,
}

impl FaultRule {
    /// `fault` for every request to `path` (a pattern, see [`FaultRule::path`]).
    pub fn new(path: impl Into<String>, fault: Fault) -> Self {
        Self {
            method: None,
            path: path.into(),
            fault,
            times: None,
        }
    }

    /// Only the next `n` matching requests.
    pub fn times(mut self, n: usize) -> Self {
        self.times = Some(n);
        self
    }

    /// Only requests with this method.
    pub fn method(mut self, method: &str) -> Self {
        self.method = Some(method.to_ascii_uppercase());
        self
    }

    fn matches(&self, method: &str, path: &str) -> bool {
        self.times != Some(0)
            && self
                .method
                .as_deref()
                .is_none_or(|m| m.eq_ignore_ascii_case(method))
            && glob(&self.path, path)
    }
}

/// A request budget for the whole site: `burst` requests at once, refilled at
/// `per_second`. When less than a fifth is left, answers carry
/// `X-RateLimit-NearLimit: true`; when none is left, requests get 429.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimit {
    pub burst: u32,
    pub per_second: f64,
}

#[derive(Debug)]
struct Bucket {
    limit: RateLimit,
    tokens: f64,
    refilled: Instant,
}

#[derive(Debug, Default)]
struct FaultState {
    rules: Vec<FaultRule>,
    bucket: Option<Bucket>,
}

/// The running server's faults and rate limit; clones share them.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    state: Arc<Mutex<FaultState>>,
}

/// What the server does with one request, decided as it arrives.
#[derive(Debug, Default)]
pub(super) struct Plan {
    pub latency: Duration,
    pub near_limit: bool,
    /// Replaces the normal answer (all but latency and near-limit faults).
    pub fault: Option<Fault>,
}

impl Faults {
    pub fn new(rules: Vec<FaultRule>, rate_limit: Option<RateLimit>) -> Self {
        let faults = Self::default();
        faults.lock().rules = rules;
        faults.set_rate_limit(rate_limit);
        faults
    }

    fn lock(&self) -> MutexGuard<'_, FaultState> {
        // Each change is one assignment; a panic elsewhere leaves the rules usable.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Adds a rule after the existing ones.
    pub fn add(&self, rule: FaultRule) {
        self.lock().rules.push(rule);
    }

    /// Removes every rule: the network is healthy again.
    pub fn clear(&self) {
        self.lock().rules.clear();
    }

    /// Sets (or with `None` lifts) the site's request budget, starting full.
    pub fn set_rate_limit(&self, limit: Option<RateLimit>) {
        self.lock().bucket = limit.map(|limit| Bucket {
            limit,
            tokens: f64::from(limit.burst),
            refilled: Instant::now(),
        });
    }

    /// Matching rules with hits left, each used once, plus the rate limit's verdict.
    pub(super) fn plan(&self, method: &str, path: &str) -> Plan {
        let mut s = self.lock();
        let mut plan = Plan::default();
        for rule in s.rules.iter_mut().filter(|r| r.matches(method, path)) {
            if rule.fault.replaces_answer() && plan.fault.is_some() {
                // The first answer-replacing rule wins; later ones keep their hits.
                continue;
            }
            if let Some(n) = &mut rule.times {
                *n -= 1;
            }
            match &rule.fault {
                Fault::Latency(d) => plan.latency += *d,
                Fault::NearLimit => plan.near_limit = true,
                other => plan.fault = Some(other.clone()),
            }
        }
        s.rules.retain(|r| r.times != Some(0));
        if plan.fault.is_none()
            && let Some(bucket) = &mut s.bucket
        {
            let now = Instant::now();
            let limit = bucket.limit;
            let burst = f64::from(limit.burst);
            let refill = now.duration_since(bucket.refilled).as_secs_f64() * limit.per_second;
            bucket.tokens = (bucket.tokens + refill).min(burst);
            bucket.refilled = now;
            if bucket.tokens >= 1.0 {
                bucket.tokens -= 1.0;
                plan.near_limit |= bucket.tokens < burst * NEAR_LIMIT_FRACTION;
            } else {
                // Jira sends whole seconds; round up so an early retry is not refused.
                let secs = ((1.0 - bucket.tokens) / limit.per_second.max(f64::MIN_POSITIVE))
                    .ceil()
                    .clamp(1.0, MAX_RETRY_AFTER_SECS);
                plan.fault = Some(Fault::RateLimited {
                    retry_after: Duration::from_secs_f64(secs),
                });
            }
        }
        plan
    }
}

/// Piece size of a chunked [`Fault::Respond`].
const CHUNK_BYTES: usize = 64 * 1024;
/// Below this share of the budget, answers say `X-RateLimit-NearLimit: true`.
const NEAR_LIMIT_FRACTION: f64 = 0.2;
/// The longest `Retry-After` the rate limiter asks for.
const MAX_RETRY_AFTER_SECS: f64 = 3600.0;

/// `*` matches any run of characters (slashes included); everything else itself.
fn glob(pattern: &str, text: &str) -> bool {
    let (p, t) = (pattern.as_bytes(), text.as_bytes());
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && p[pi] == b'*' {
            star = Some((pi, ti));
            pi += 1;
        } else if pi < p.len() && p[pi] == t[ti] {
            pi += 1;
            ti += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&b| b == b'*')
}

/// The answer for a fault that does not need the normal answer.
pub(super) fn respond(fault: &Fault) -> Option<Response> {
    Some(match fault {
        Fault::Reset => {
            let broken = futures_util::stream::iter([Err::<Bytes, std::io::Error>(
                std::io::Error::new(std::io::ErrorKind::ConnectionReset, "injected reset"),
            )]);
            Body::from_stream(broken).into_response()
        }
        Fault::Status(status) => {
            let status = status_code(*status);
            let message = status
                .canonical_reason()
                .unwrap_or("The server could not handle the request.");
            json(
                status,
                json!({ "errorMessages": [message], "errors": {} }).to_string(),
            )
        }
        Fault::HtmlError(status) => {
            let status = status_code(*status);
            let title = format!(
                "{} {}",
                status.as_u16(),
                status.canonical_reason().unwrap_or("Error")
            );
            let page = format!(
                "<!DOCTYPE html><html><head><title>{title}</title></head>\
                 <body><h1>{title}</h1><p>The upstream server is not available.</p></body></html>"
            );
            with_type(status, "text/html; charset=utf-8", Bytes::from(page))
        }
        Fault::RateLimited { retry_after } => rate_limited(*retry_after),
        Fault::Respond {
            status,
            content_type,
            body,
            chunked: false,
        } => with_type(status_code(*status), content_type, body.clone()),
        Fault::Respond {
            status,
            content_type,
            body,
            chunked: true,
        } => {
            let pieces: Vec<Result<Bytes, std::io::Error>> = (0..body.len())
                .step_by(CHUNK_BYTES)
                .map(|start| Ok(body.slice(start..(start + CHUNK_BYTES).min(body.len()))))
                .collect();
            let mut response =
                Body::from_stream(futures_util::stream::iter(pieces)).into_response();
            *response.status_mut() = status_code(*status);
            if let Ok(value) = HeaderValue::from_str(content_type) {
                response.headers_mut().insert(header::CONTENT_TYPE, value);
            }
            response
        }
        Fault::Latency(_)
        | Fault::NearLimit
        | Fault::StalledBody
        | Fault::TruncatedJson
        | Fault::InvalidUtf8 => return None,
    })
}

/// The answer for a fault that mangles the normal answer `normal`.
pub(super) async fn mangle(fault: &Fault, normal: Response) -> Response {
    let (parts, body) = normal.into_parts();
    // The emulator's own answers are in memory already; the limit only guards the type.
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let half = bytes.slice(..bytes.len() / 2);
    let mut parts = parts;
    parts.headers.remove(header::CONTENT_LENGTH);
    let body = match fault {
        Fault::StalledBody => {
            let start = futures_util::stream::iter([Ok::<Bytes, std::io::Error>(half)]);
            Body::from_stream(futures_util::StreamExt::chain(
                start,
                futures_util::stream::pending(),
            ))
        }
        Fault::TruncatedJson => Body::from(half),
        Fault::InvalidUtf8 => {
            // Bytes that can never appear in UTF-8, inside the first string.
            let mut garbled = Vec::with_capacity(bytes.len() + 2);
            match bytes.iter().position(|&b| b == b'"') {
                Some(quote) => {
                    garbled.extend_from_slice(&bytes[..=quote]);
                    garbled.extend_from_slice(b"\xff\xfe");
                    garbled.extend_from_slice(&bytes[quote + 1..]);
                }
                None => garbled.extend_from_slice(b"\xff\xfe"),
            }
            parts.status = StatusCode::OK;
            Body::from(garbled)
        }
        _ => Body::from(bytes),
    };
    Response::from_parts(parts, body)
}

/// Jira's 429: `Retry-After` in seconds, the reset instant (minute precision, as Jira
/// documents it) and the reason.
pub(super) fn rate_limited(retry_after: Duration) -> Response {
    let secs = retry_after.as_secs_f64().ceil() as u64;
    let mut response = json(
        StatusCode::TOO_MANY_REQUESTS,
        json!({ "errorMessages": ["Rate limit exceeded."], "errors": {} }).to_string(),
    );
    let reset = chrono::Utc::now() + chrono::Duration::seconds(secs as i64 + 60);
    let headers = response.headers_mut();
    let pairs = [
        ("Retry-After", secs.to_string()),
        (
            "X-RateLimit-Reset",
            reset.format("%Y-%m-%dT%H:%MZ").to_string(),
        ),
        ("X-RateLimit-Remaining", "0".to_owned()),
        ("RateLimit-Reason", "jira-burst-based".to_owned()),
    ];
    for (name, value) in pairs {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    }
    response
}

/// Marks an answer as sent while the budget is nearly spent.
pub(super) fn mark_near_limit(response: &mut Response) {
    response
        .headers_mut()
        .insert("X-RateLimit-NearLimit", HeaderValue::from_static("true"));
}

fn status_code(status: u16) -> StatusCode {
    StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

fn json(status: StatusCode, body: String) -> Response {
    with_type(status, "application/json;charset=UTF-8", Bytes::from(body))
}

fn with_type(status: StatusCode, content_type: &str, body: Bytes) -> Response {
    let mut response = (status, body).into_response();
    if let Ok(value) = HeaderValue::from_str(content_type) {
        response.headers_mut().insert(header::CONTENT_TYPE, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_patterns() {
        assert!(glob("/rest/api/3/issue/*", "/rest/api/3/issue/NAV-1"));
        assert!(glob(
            "/rest/api/3/issue/*",
            "/rest/api/3/issue/NAV-1/comment"
        ));
        assert!(glob("*/comment", "/rest/api/3/issue/NAV-1/comment"));
        assert!(glob("*", "/anything"));
        assert!(glob("/rest/api/3/myself", "/rest/api/3/myself"));
        assert!(!glob("/rest/api/3/myself", "/rest/api/3/myselfish"));
        assert!(!glob("/rest/api/3/issue/*", "/rest/api/3/search/jql"));
        assert!(glob("/a*b*c", "/aXbYbZc"));
    }

    #[test]
    fn counted_rules_run_out_and_the_first_answer_wins() {
        let faults = Faults::new(
            vec![
                FaultRule::new("/x", Fault::Status(503)).times(2),
                FaultRule::new("*", Fault::Status(500)).times(1),
                FaultRule::new("/x", Fault::Latency(Duration::from_millis(5))),
            ],
            None,
        );
        let first = faults.plan("GET", "/x");
        assert_eq!(first.fault, Some(Fault::Status(503)));
        assert_eq!(first.latency, Duration::from_millis(5));
        assert_eq!(faults.plan("GET", "/x").fault, Some(Fault::Status(503)));
        assert_eq!(faults.plan("GET", "/x").fault, Some(Fault::Status(500)));
        assert_eq!(faults.plan("GET", "/x").fault, None);
        faults.clear();
        assert_eq!(faults.plan("GET", "/x").latency, Duration::ZERO);
    }

    #[test]
    fn methods_filter_rules() {
        let faults = Faults::new(vec![FaultRule::new("*", Fault::Reset).method("post")], None);
        assert_eq!(faults.plan("GET", "/x").fault, None);
        assert_eq!(faults.plan("POST", "/x").fault, Some(Fault::Reset));
    }

    #[tokio::test(start_paused = true)]
    async fn the_budget_warns_then_refuses_then_refills() {
        let faults = Faults::new(
            Vec::new(),
            Some(RateLimit {
                burst: 10,
                per_second: 1.0,
            }),
        );
        let plans: Vec<Plan> = (0..11).map(|_| faults.plan("GET", "/x")).collect();
        assert!(!plans[0].near_limit);
        assert!(plans[8].near_limit, "one token left of ten");
        assert!(plans[9].near_limit);
        assert_eq!(
            plans[10].fault,
            Some(Fault::RateLimited {
                retry_after: Duration::from_secs(1)
            })
        );
        tokio::time::advance(Duration::from_secs(1)).await;
        assert_eq!(faults.plan("GET", "/x").fault, None);
    }
}
