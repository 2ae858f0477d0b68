//! Errors from talking to Jira, mapped from HTTP status and body into cases the UI can
//! explain ("token rejected: run `jtui login`").
//!
//! Nothing here ever holds the API token or the Authorization header: errors are built
//! from the response (status, a few headers, the body) and from transport failures only,
//! and server text is sanitised because it is shown in the terminal.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, NaiveDateTime, Utc};
use reqwest::header::HeaderMap;
use serde_json::Value;

use super::access::Needed;
use crate::sanitize::sanitize_line;

/// Longest excerpt of a non-JSON error body kept for display. Enough for a proxy's
/// one-line message, short enough for the status line.
const MAX_EXCERPT_CHARS: usize = 200;
/// Longest single message kept from a JSON error body (JQL errors can be long, but a
/// hostile server should not be able to hand us megabytes of "message").
const MAX_MESSAGE_CHARS: usize = 1_000;
/// Most messages kept from one error body.
const MAX_MESSAGES: usize = 20;

/// Why a Jira request failed.
#[derive(Debug, thiserror::Error)]
pub enum JiraError {
    /// 401: the token is wrong, expired or revoked (or a scoped token hit the site URL).
    #[error(
        "Jira rejected the credentials (401){} The API token may be expired or revoked: run `jtui login`",
        sentence(.messages)
    )]
    Unauthorized { messages: Vec<String> },

    /// 403: authenticated, but not allowed to do this.
    #[error(
        "permission denied (403){} Ask a Jira administrator for access",
        sentence(.messages)
    )]
    Forbidden { messages: Vec<String> },

    /// 404: Jira also answers 404 when the thing exists but you may not see it.
    #[error("not found (404){}", detail(.messages))]
    NotFound { messages: Vec<String> },

    /// 410: the endpoint was removed from Jira Cloud (e.g. the old `/rest/api/3/search`).
    #[error(
        "this Jira API has been removed (410){} Update jtui to a newer version",
        sentence(.messages)
    )]
    Gone { messages: Vec<String> },

    /// 429: too many requests; `retry_after` from `Retry-After` or `X-RateLimit-Reset`.
    #[error("Jira is rate limiting requests (429){}", retry_hint(.retry_after))]
    RateLimited { retry_after: Option<Duration> },

    /// Any other 4xx/5xx. `messages` are Jira's `errorMessages` (or a short excerpt of
    /// a non-JSON body), `field_errors` its per-field `errors`.
    #[error("Jira returned HTTP {status}{}", api_detail(.messages, .field_errors))]
    Api {
        status: u16,
        messages: Vec<String>,
        field_errors: BTreeMap<String, String>,
    },

    /// The response was successful but its body could not be read as `what`.
    #[error("could not read {what} from Jira's response: {message}")]
    Decode { what: String, message: String },

    /// No usable HTTP exchange: DNS, connect, TLS, timeout, connection reset.
    #[error("{0}")]
    Transport(String),

    /// The configured site URL cannot be used.
    #[error("invalid Jira site URL `{url}`: {reason}")]
    InvalidUrl { url: String, reason: String },

    /// A write refused before it was sent: the session is read-only (`--read-only` or the
    /// profile's `read_only = true`). Nothing reached Jira. `action` is what was refused,
    /// said as a verb phrase ("add a comment to NAV-1").
    #[error(
        "read-only profile: jtui will not {action}. `jtui profile read-only --off` allows changes on this profile"
    )]
    ReadOnly { action: String },

    /// Jira refused a write (401/403) because the token lacks a scope or the user a
    /// permission; `needs` says which. Built by `JiraClient::send_write`.
    ///
    /// The contract for editors: nothing changed in Jira, so keep what the user typed open
    /// (it is theirs to retry or copy), show this message, and offer
    /// `jtui profile read-only` so the profile stops offering changes it cannot make.
    #[error("Jira refused to {action} ({status}){} This needs {needs}. {}", sentence(.messages), denied_advice(.needs))]
    Denied {
        action: String,
        status: u16,
        needs: Needed,
        messages: Vec<String>,
    },
}

impl JiraError {
    /// The HTTP status this error came from, if it came from a response.
    pub fn status(&self) -> Option<u16> {
        match self {
            JiraError::Unauthorized { .. } => Some(401),
            JiraError::Forbidden { .. } => Some(403),
            JiraError::NotFound { .. } => Some(404),
            JiraError::Gone { .. } => Some(410),
            JiraError::RateLimited { .. } => Some(429),
            JiraError::Api { status, .. } | JiraError::Denied { status, .. } => Some(*status),
            JiraError::Decode { .. }
            | JiraError::Transport(_)
            | JiraError::InvalidUrl { .. }
            | JiraError::ReadOnly { .. } => None,
        }
    }

    /// Whether repeating the same request later may succeed: rate limits, transport
    /// failures and the gateway-style 5xx Jira Cloud emits under load. Only idempotent
    /// requests should be retried on this basis.
    pub fn is_retryable(&self) -> bool {
        match self {
            JiraError::RateLimited { .. } | JiraError::Transport(_) => true,
            JiraError::Api { status, .. } => matches!(status, 500 | 502 | 503 | 504),
            _ => false,
        }
    }

    /// How long the server asked us to wait, when it said so.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            JiraError::RateLimited { retry_after } => *retry_after,
            _ => None,
        }
    }

    /// The server's messages, if any (for showing in a popup).
    pub fn messages(&self) -> &[String] {
        match self {
            JiraError::Unauthorized { messages }
            | JiraError::Forbidden { messages }
            | JiraError::NotFound { messages }
            | JiraError::Gone { messages }
            | JiraError::Api { messages, .. }
            | JiraError::Denied { messages, .. } => messages,
            _ => &[],
        }
    }

    /// Builds the error for a non-success response.
    ///
    /// `now` is used only to turn an `X-RateLimit-Reset` timestamp into a wait; it is a
    /// parameter so tests are deterministic.
    pub fn from_response_parts(
        status: u16,
        headers: &HeaderMap,
        body: &[u8],
        now: DateTime<Utc>,
    ) -> JiraError {
        if status == 429 {
            return JiraError::RateLimited {
                retry_after: retry_after_from_headers(headers, now),
            };
        }
        let ErrorBody {
            messages,
            field_errors,
        } = parse_error_body(headers, body);
        // Variants without a field map still show field errors, so nothing is lost.
        let with_fields = || {
            let mut all = messages.clone();
            all.extend(field_errors.iter().map(|(k, v)| format!("{k}: {v}")));
            all
        };
        match status {
            401 => JiraError::Unauthorized {
                messages: with_fields(),
            },
            403 => JiraError::Forbidden {
                messages: with_fields(),
            },
            404 => JiraError::NotFound {
                messages: with_fields(),
            },
            410 => JiraError::Gone {
                messages: with_fields(),
            },
            _ => JiraError::Api {
                status,
                messages,
                field_errors,
            },
        }
    }

    /// Maps a reqwest failure (no response, or the body could not be read).
    pub fn from_transport(err: &reqwest::Error) -> JiraError {
        // reqwest's Display includes the URL, which never carries credentials here
        // (auth travels in a header), and the source chain has the useful detail.
        let mut detail = String::new();
        let mut source = std::error::Error::source(err);
        while let Some(s) = source {
            detail.push_str(": ");
            detail.push_str(&s.to_string());
            source = s.source();
        }
        let host = err
            .url()
            .and_then(|u| u.host_str())
            .unwrap_or("the Jira site")
            .to_string();
        let message = if err.is_timeout() {
            format!("request to {host} timed out{detail}. Check your network and try again")
        } else if err.is_connect() {
            format!("could not connect to {host}{detail}. Check the site URL and your network")
        } else if err.is_body() || err.is_decode() {
            format!("connection to {host} broke while reading the response{detail}")
        } else {
            format!("request to {host} failed{detail}")
        };
        JiraError::Transport(sanitize_line(&message).into_owned())
    }

    /// Replaces any occurrence of the given secrets in the error's text with `***`.
    ///
    /// A misbehaving proxy could echo request headers into an error page; this is the
    /// last line of defence so the token never reaches the screen or a log.
    pub fn redact(self, secrets: &[&str]) -> JiraError {
        let scrub = |s: String| -> String {
            secrets
                .iter()
                .filter(|secret| !secret.is_empty())
                .fold(s, |acc, secret| acc.replace(secret, "***"))
        };
        let scrub_all = |v: Vec<String>| v.into_iter().map(scrub).collect();
        match self {
            JiraError::Unauthorized { messages } => JiraError::Unauthorized {
                messages: scrub_all(messages),
            },
            JiraError::Forbidden { messages } => JiraError::Forbidden {
                messages: scrub_all(messages),
            },
            JiraError::NotFound { messages } => JiraError::NotFound {
                messages: scrub_all(messages),
            },
            JiraError::Gone { messages } => JiraError::Gone {
                messages: scrub_all(messages),
            },
            JiraError::Api {
                status,
                messages,
                field_errors,
            } => JiraError::Api {
                status,
                messages: scrub_all(messages),
                field_errors: field_errors
                    .into_iter()
                    .map(|(k, v)| (scrub(k), scrub(v)))
                    .collect(),
            },
            JiraError::Decode { what, message } => JiraError::Decode {
                what: scrub(what),
                message: scrub(message),
            },
            JiraError::Transport(m) => JiraError::Transport(scrub(m)),
            JiraError::InvalidUrl { url, reason } => JiraError::InvalidUrl {
                url: scrub(url),
                reason: scrub(reason),
            },
            JiraError::ReadOnly { action } => JiraError::ReadOnly {
                action: scrub(action),
            },
            JiraError::Denied {
                action,
                status,
                needs,
                messages,
            } => JiraError::Denied {
                action: scrub(action),
                status,
                needs,
                messages: scrub_all(messages),
            },
            other @ JiraError::RateLimited { .. } => other,
        }
    }
}

/// The useful parts of an error body.
#[derive(Debug, Default)]
struct ErrorBody {
    messages: Vec<String>,
    field_errors: BTreeMap<String, String>,
}

/// Reads Jira's `{"errorMessages":[],"errors":{}}`, the gateway's `{"message":..}`
/// variants, or keeps a short excerpt of anything else (HTML, plain text, truncated
/// JSON).
fn parse_error_body(headers: &HeaderMap, body: &[u8]) -> ErrorBody {
    let text = String::from_utf8_lossy(body);
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return ErrorBody::default();
    }
    if let Ok(value) = serde_json::from_str::<Value>(trimmed)
        && let Some(parsed) = parse_json_error(&value)
    {
        return parsed;
    }
    let is_html = headers
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.contains("html"))
        || trimmed.starts_with('<');
    let excerpt = if is_html {
        html_excerpt(trimmed)
    } else {
        collapse_whitespace(trimmed)
    };
    let excerpt = truncate_chars(&sanitize_line(&excerpt), MAX_EXCERPT_CHARS);
    ErrorBody {
        messages: if excerpt.is_empty() {
            Vec::new()
        } else {
            vec![excerpt]
        },
        field_errors: BTreeMap::new(),
    }
}

fn parse_json_error(value: &Value) -> Option<ErrorBody> {
    let clean = |s: &str| truncate_chars(&sanitize_line(s), MAX_MESSAGE_CHARS);
    match value {
        Value::Object(map) => {
            let mut body = ErrorBody::default();
            let mut recognised = false;
            if let Some(Value::Array(items)) = map.get("errorMessages") {
                recognised = true;
                body.messages.extend(
                    items
                        .iter()
                        .filter_map(Value::as_str)
                        .take(MAX_MESSAGES)
                        .map(clean),
                );
            }
            if let Some(Value::Object(errors)) = map.get("errors") {
                recognised = true;
                for (field, msg) in errors.iter().take(MAX_MESSAGES) {
                    let msg = match msg {
                        Value::String(s) => clean(s),
                        other => clean(&other.to_string()),
                    };
                    body.field_errors.insert(clean(field), msg);
                }
            }
            // Atlassian's gateway and some add-ons answer `{"message": "..."}` or
            // `{"code":401,"message":"..."}` instead of an ErrorCollection.
            for key in ["message", "errorMessage", "error"] {
                if let Some(Value::String(s)) = map.get(key) {
                    recognised = true;
                    body.messages.push(clean(s));
                }
            }
            recognised.then_some(body)
        }
        Value::String(s) => Some(ErrorBody {
            messages: vec![clean(s)],
            field_errors: BTreeMap::new(),
        }),
        _ => None,
    }
}

/// The `<title>` of an HTML page if it has one, otherwise its text with tags removed.
fn html_excerpt(html: &str) -> String {
    let lower = html.to_ascii_lowercase();
    if let (Some(start), Some(end)) = (lower.find("<title>"), lower.find("</title>")) {
        let start = start + "<title>".len();
        if start <= end && html.is_char_boundary(start) && html.is_char_boundary(end) {
            let title = collapse_whitespace(&html[start..end]);
            if !title.is_empty() {
                return title;
            }
        }
    }
    let mut text = String::with_capacity(html.len().min(4 * MAX_EXCERPT_CHARS));
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    collapse_whitespace(&text)
}

fn collapse_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn truncate_chars(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        None => s.to_string(),
        Some((cut, _)) => format!("{}…", s[..cut].trim_end()),
    }
}

/// `Retry-After` in seconds (or an HTTP date), else `X-RateLimit-Reset` as an ISO-8601
/// instant, turned into a wait from `now`. Header names are matched case-insensitively
/// by `HeaderMap`.
pub(crate) fn retry_after_from_headers(
    headers: &HeaderMap,
    now: DateTime<Utc>,
) -> Option<Duration> {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    if let Some(v) = header("retry-after") {
        if let Ok(secs) = v.parse::<u64>() {
            return Some(Duration::from_secs(secs));
        }
        // `try_from` because a hostile `1e300` must not panic.
        if let Some(d) = v
            .parse::<f64>()
            .ok()
            .and_then(|secs| Duration::try_from_secs_f64(secs).ok())
        {
            return Some(d);
        }
        if let Ok(at) = DateTime::parse_from_rfc2822(v) {
            return Some(until(at.with_timezone(&Utc), now));
        }
    }
    header("x-ratelimit-reset")
        .and_then(parse_reset_instant)
        .map(|at| until(at, now))
}

/// Jira documents `yyyy-MM-ddTHH:mmZ`; accept full RFC 3339 as well.
fn parse_reset_instant(v: &str) -> Option<DateTime<Utc>> {
    if let Ok(at) = DateTime::parse_from_rfc3339(v) {
        return Some(at.with_timezone(&Utc));
    }
    let without_z = v.strip_suffix('Z').unwrap_or(v);
    [
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M:%S%.f",
    ]
    .iter()
    .find_map(|fmt| NaiveDateTime::parse_from_str(without_z, fmt).ok())
    .map(|naive| naive.and_utc())
}

fn until(at: DateTime<Utc>, now: DateTime<Utc>) -> Duration {
    (at - now).to_std().unwrap_or(Duration::ZERO)
}

fn detail(messages: &[String]) -> String {
    if messages.is_empty() {
        String::new()
    } else {
        format!(": {}", messages.join("; "))
    }
}

/// Like [`detail`], ending in exactly one full stop, for messages followed by advice.
fn sentence(messages: &[String]) -> String {
    let mut text = detail(messages);
    if !text.ends_with(['.', '!', '?']) {
        text.push('.');
    }
    text
}

fn api_detail(messages: &[String], field_errors: &BTreeMap<String, String>) -> String {
    let mut parts: Vec<String> = messages.to_vec();
    parts.extend(field_errors.iter().map(|(k, v)| format!("{k}: {v}")));
    detail(&parts)
}

fn denied_advice(needs: &Needed) -> &'static str {
    match needs {
        Needed::Permission(_) => {
            "Ask a Jira administrator for it, or stop jtui from trying changes here: `jtui profile read-only`"
        }
        Needed::Scope(_) => {
            "Create an API token with that scope and run `jtui login --rotate`, or stop jtui from trying changes here: `jtui profile read-only`"
        }
    }
}

fn retry_hint(retry_after: &Option<Duration>) -> String {
    match retry_after {
        Some(d) => format!("; retry in {} s", d.as_secs().max(1)),
        None => "; wait a moment and retry".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-03-26T15:59:30Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn retry_after_seconds_wins_over_reset() {
        let h = headers(&[
            ("Retry-After", "7"),
            ("X-RateLimit-Reset", "2026-03-26T16:00Z"),
        ]);
        assert_eq!(
            retry_after_from_headers(&h, now()),
            Some(Duration::from_secs(7))
        );
    }

    #[test]
    fn reset_header_is_the_fallback() {
        let h = headers(&[("X-RateLimit-Reset", "2026-03-26T16:00Z")]);
        assert_eq!(
            retry_after_from_headers(&h, now()),
            Some(Duration::from_secs(30))
        );
        // A reset in the past means "now".
        let h = headers(&[("X-RateLimit-Reset", "2020-01-01T00:00Z")]);
        assert_eq!(retry_after_from_headers(&h, now()), Some(Duration::ZERO));
    }

    #[test]
    fn fractional_and_huge_retry_after_do_not_panic() {
        let h = headers(&[("Retry-After", "1.5")]);
        assert_eq!(
            retry_after_from_headers(&h, now()),
            Some(Duration::from_millis(1500))
        );
        let h = headers(&[("Retry-After", "1e300")]);
        assert_eq!(retry_after_from_headers(&h, now()), None);
        let h = headers(&[("Retry-After", "-3")]);
        assert_eq!(retry_after_from_headers(&h, now()), None);
    }

    #[test]
    fn junk_rate_limit_headers_give_none() {
        let h = headers(&[("Retry-After", "soon"), ("X-RateLimit-Reset", "later")]);
        assert_eq!(retry_after_from_headers(&h, now()), None);
    }

    #[test]
    fn field_errors_are_kept_for_api_errors() {
        let body = br#"{"errorMessages":[],"errors":{"summary":"You must specify a summary of the issue."}}"#;
        let err = JiraError::from_response_parts(400, &HeaderMap::new(), body, now());
        match &err {
            JiraError::Api {
                status,
                messages,
                field_errors,
            } => {
                assert_eq!(*status, 400);
                assert!(messages.is_empty());
                assert_eq!(
                    field_errors.get("summary").map(String::as_str),
                    Some("You must specify a summary of the issue.")
                );
            }
            other => panic!("unexpected {other:?}"),
        }
        assert!(err.to_string().contains("summary: You must specify"));
    }

    #[test]
    fn escape_sequences_in_error_bodies_are_removed() {
        let body = b"{\"errorMessages\":[\"bad \\u001b]52;c;AAAA\\u0007thing\"],\"errors\":{}}";
        let err = JiraError::from_response_parts(400, &HeaderMap::new(), body, now());
        assert_eq!(err.messages(), ["bad thing".to_string()]);
    }

    #[test]
    fn long_plain_bodies_are_truncated() {
        let body = "x".repeat(5_000);
        let err = JiraError::from_response_parts(502, &HeaderMap::new(), body.as_bytes(), now());
        let m = &err.messages()[0];
        assert!(m.chars().count() <= MAX_EXCERPT_CHARS + 1);
        assert!(m.ends_with('…'));
    }

    #[test]
    fn redact_scrubs_secrets_everywhere() {
        let err = JiraError::Api {
            status: 500,
            messages: vec!["echo: Authorization: Basic c2VjcmV0".into()],
            field_errors: BTreeMap::from([("h".into(), "c2VjcmV0".into())]),
        }
        .redact(&["c2VjcmV0", ""]);
        let text = format!("{err} {err:?}");
        assert!(!text.contains("c2VjcmV0"));
        assert!(text.contains("***"));
    }

    #[test]
    fn advice_follows_server_messages_with_one_full_stop() {
        let err = JiraError::Unauthorized {
            messages: vec!["You are not authenticated.".into()],
        };
        assert_eq!(
            err.to_string(),
            "Jira rejected the credentials (401): You are not authenticated. \
             The API token may be expired or revoked: run `jtui login`"
        );
        let err = JiraError::Forbidden { messages: vec![] };
        assert_eq!(
            err.to_string(),
            "permission denied (403). Ask a Jira administrator for access"
        );
        let err = JiraError::Gone {
            messages: vec!["Removed".into()],
        };
        assert_eq!(
            err.to_string(),
            "this Jira API has been removed (410): Removed. Update jtui to a newer version"
        );
    }

    #[test]
    fn refusals_before_and_after_sending_say_what_to_do() {
        let err = JiraError::ReadOnly {
            action: "add a comment to NAV-1".into(),
        };
        assert_eq!(
            err.to_string(),
            "read-only profile: jtui will not add a comment to NAV-1. \
             `jtui profile read-only --off` allows changes on this profile"
        );
        assert_eq!(err.status(), None);
        assert!(!err.is_retryable());
        let err = JiraError::Denied {
            action: "edit NAV-1".into(),
            status: 403,
            needs: Needed::Permission("EDIT_ISSUES"),
            messages: vec!["You do not have permission to edit issues in this project.".into()],
        };
        assert_eq!(
            err.to_string(),
            "Jira refused to edit NAV-1 (403): You do not have permission to edit issues in \
             this project. This needs the Jira permission EDIT_ISSUES. Ask a Jira administrator \
             for it, or stop jtui from trying changes here: `jtui profile read-only`"
        );
        assert_eq!(err.status(), Some(403));
        let redacted = JiraError::Denied {
            action: "edit NAV-1".into(),
            status: 401,
            needs: Needed::Scope("write:jira-work"),
            messages: vec!["echo c2VjcmV0".into()],
        }
        .redact(&["c2VjcmV0"]);
        assert!(!format!("{redacted} {redacted:?}").contains("c2VjcmV0"));
    }

    #[test]
    fn retryable_classification() {
        assert!(JiraError::RateLimited { retry_after: None }.is_retryable());
        assert!(JiraError::Transport("x".into()).is_retryable());
        let api = |status| JiraError::Api {
            status,
            messages: vec![],
            field_errors: BTreeMap::new(),
        };
        assert!(api(503).is_retryable());
        assert!(!api(400).is_retryable());
        assert!(!JiraError::Unauthorized { messages: vec![] }.is_retryable());
    }
}
