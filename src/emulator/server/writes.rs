//! Handlers of the write routes: edit issue (`PUT /issue/{key}`), assign, transition,
//! add/update/delete comment and create issue, all under the store's write lock, with
//! Jira's per-issue write limit in front of every write to an existing issue.
//!
//! Reading and checking the fields is `emulator::validate`; changing the store is
//! `emulator::write`. This module is the HTTP around them: bodies, statuses, headers.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use axum::http::{HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use super::{ApiError, AppState, ISSUE_NOT_FOUND, Request, Route, error, json_response, ok};
use crate::emulator::db::Db;
use crate::emulator::fields;
use crate::emulator::json::{Expand, Render};
use crate::emulator::screens;
use crate::emulator::store::ScreenField;
use crate::emulator::validate::{self, Change, Rejection, Subject};
use crate::emulator::write::{self, Stamp};

/// Writes one issue takes within [`DEFAULT_WRITE_WINDOW`] before Jira says 429. High
/// enough that ordinary use and tests never meet it; tests of the limit set their own.
const DEFAULT_WRITES_PER_ISSUE: usize = 20;
const DEFAULT_WRITE_WINDOW: Duration = Duration::from_secs(2);

/// Jira's reason header value for the per-issue write limit.
const PER_ISSUE_REASON: &str = "jira-per-issue-on-write";
/// The body Cloud sends with a 429 (NOTES.md §2.2).
const RATE_LIMITED: &str = "Rate limit exceeded.";

/// Jira's per-issue write limit: more than `max_writes` writes to one issue within
/// `window` are refused with 429 (and not applied) until the oldest leaves the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WriteLimit {
    pub max_writes: usize,
    pub window: Duration,
}

impl Default for WriteLimit {
    fn default() -> Self {
        Self {
            max_writes: DEFAULT_WRITES_PER_ISSUE,
            window: DEFAULT_WRITE_WINDOW,
        }
    }
}

/// When each issue was last written, within the limit's window.
#[derive(Debug, Default)]
pub(super) struct WriteLog {
    recent: HashMap<u64, VecDeque<Instant>>,
}

impl WriteLog {
    /// `Err(wait)` when one more write to `issue` now would break `limit`.
    fn check(&mut self, issue: u64, limit: WriteLimit, now: Instant) -> Result<(), Duration> {
        let recent = self.recent.entry(issue).or_default();
        while recent
            .front()
            .is_some_and(|t| now.duration_since(*t) >= limit.window)
        {
            recent.pop_front();
        }
        match recent.front() {
            Some(oldest) if recent.len() >= limit.max_writes => {
                Err(limit.window.saturating_sub(now.duration_since(*oldest)))
            }
            _ => Ok(()),
        }
    }

    fn record(&mut self, issue: u64, now: Instant) {
        self.recent.entry(issue).or_default().push_back(now);
    }
}

/// Jira's 429 for the per-issue limit: `Retry-After` in whole seconds (rounded up, at
/// least 1), `X-RateLimit-Reset` as the minute-precision UTC time it ends, and the reason.
fn rate_limited(wait: Duration) -> Response {
    let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    let seconds = seconds.max(1);
    let reset = chrono::Utc::now() + chrono::TimeDelta::seconds(seconds as i64);
    let mut response = error(StatusCode::TOO_MANY_REQUESTS, &[RATE_LIMITED]);
    let headers = response.headers_mut();
    headers.insert("Retry-After", HeaderValue::from(seconds));
    if let Ok(value) = HeaderValue::from_str(&reset.format("%Y-%m-%dT%H:%MZ").to_string()) {
        headers.insert("X-RateLimit-Reset", value);
    }
    headers.insert(
        "RateLimit-Reason",
        HeaderValue::from_static(PER_ISSUE_REASON),
    );
    response
}

fn rejected(rejection: &Rejection) -> Response {
    json_response(StatusCode::BAD_REQUEST, &rejection.to_json())
}

fn no_content() -> Response {
    StatusCode::NO_CONTENT.into_response()
}

/// Runs a write route for the authenticated `me` under the write lock.
pub(super) fn handle(
    state: &AppState,
    db: &mut Db,
    req: &Request,
    route: Route,
    me: &str,
) -> Response {
    // The permission each write needs; a limited user (e.g. the demo viewer) gets Jira's
    // 403 and nothing changes.
    let needed = match (route, &req.method) {
        (Route::CreateIssue, _) => "CREATE_ISSUES",
        (Route::Issue, _) => "EDIT_ISSUES",
        (Route::Assignee, _) => "ASSIGN_ISSUES",
        (Route::Transitions, _) => "TRANSITION_ISSUES",
        (Route::IssueComments, _) => "ADD_COMMENTS",
        (Route::Comment, &Method::PUT) => "EDIT_OWN_COMMENTS",
        (Route::Comment, _) => "DELETE_OWN_COMMENTS",
        _ => "BROWSE_PROJECTS",
    };
    let holds = |key: &str| db.store().has_permission(me, key);
    // Editing or deleting one's own comment falls under commenting for limited users.
    let allowed = holds(needed) || (needed.ends_with("_OWN_COMMENTS") && holds("ADD_COMMENTS"));
    if !allowed {
        return ApiError::new(
            StatusCode::FORBIDDEN,
            "You do not have permission to perform this operation.",
        )
        .into_response();
    }
    let mut writer = Writer { state, db, req, me };
    let result = match (route, &req.method) {
        (Route::CreateIssue, _) => writer.create_issue(),
        (Route::Issue, _) => writer.edit_issue(),
        (Route::Assignee, _) => writer.assign(),
        (Route::Transitions, _) => writer.transition(),
        (Route::IssueComments, _) => writer.add_comment(),
        (Route::Comment, &Method::PUT) => writer.update_comment(),
        (Route::Comment, _) => writer.delete_comment(),
        _ => Err(ApiError::new(StatusCode::NOT_FOUND, ISSUE_NOT_FOUND)),
    };
    result.unwrap_or_else(IntoResponse::into_response)
}

struct Writer<'a> {
    state: &'a AppState,
    db: &'a mut Db,
    req: &'a Request,
    me: &'a str,
}

impl Writer<'_> {
    fn render<'c>(&'c self, catalogue: &'c [fields::FieldDef]) -> Render<'c> {
        Render {
            db: self.db,
            api: &self.req.api_base,
            me: Some(self.me),
            catalogue,
        }
    }

    /// The issue the path names (`/issue/{key}/...`), as a store position.
    fn issue_pos(&self) -> Result<usize, ApiError> {
        self.req
            .segments
            .get(1)
            .and_then(|key| self.db.issue_pos(key))
            .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, ISSUE_NOT_FOUND))
    }

    /// Checks the per-issue limit before a write to the issue at `pos`: its id, or how
    /// long to wait.
    fn check_limit(&self, pos: usize) -> Result<u64, Duration> {
        let id = self.db.store().issues[pos].id;
        let mut log = self
            .state
            .writes
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        log.check(id, self.state.opts.per_issue_writes, Instant::now())
            .map(|()| id)
    }

    /// Counts a write that was applied to issue `id` against its limit.
    fn record_write(&self, id: u64) {
        self.state
            .writes
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .record(id, Instant::now());
    }

    /// The subject of a write to the issue at `pos`.
    fn subject(&self, pos: usize) -> Result<Subject<'_>, ApiError> {
        let store = self.db.store();
        let issue = &store.issues[pos];
        let project = store.project(issue.project_id);
        let issue_type = screens::issue_type(store, issue.issue_type_id);
        let (Some(project), Some(issue_type)) = (project, issue_type) else {
            // A store that lost the project or type of an issue cannot take writes to it.
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "The issue's project or issue type is not configured.",
            ));
        };
        Ok(Subject {
            store,
            project,
            issue_type,
            issue: Some(issue),
            me: self.me,
        })
    }

    /// Applies checked changes (and a status move) to the issue at `pos` at the clock's
    /// next tick.
    fn apply(&mut self, pos: usize, changes: &[Change], to: Option<u64>) -> write::Outcome {
        let clock = self.state.clock;
        let author = self.me;
        self.db.modify(|store| {
            let now = clock.tick(store);
            write::apply(store, pos, changes, to, Stamp { author, now })
        })
    }

    fn edit_issue(&mut self) -> Result<Response, ApiError> {
        let pos = self.issue_pos()?;
        let id = match self.check_limit(pos) {
            Ok(id) => id,
            Err(wait) => return Ok(rate_limited(wait)),
        };
        let body = self.req.json_body()?;
        let changes = {
            let subject = self.subject(pos)?;
            let screen = screens::edit_screen(subject.store, subject.issue_type.id);
            match validate::changes(&subject, &screen, &body, &[]) {
                Ok(changes) => changes,
                Err(rejection) => return Ok(rejected(&rejection)),
            }
        };
        self.apply(pos, &changes, None);
        self.record_write(id);
        if self.req.param("returnIssue") == Some("true") {
            let catalogue = fields::catalogue(self.db.store());
            let selection = fields::select(&catalogue, &[], fields::DefaultFields::All);
            let expand = Expand::parse(self.req.params("expand").iter().map(String::as_str));
            return Ok(ok(&self
                .render(&catalogue)
                .issue(pos, &selection, expand, true)));
        }
        Ok(no_content())
    }

    fn assign(&mut self) -> Result<Response, ApiError> {
        let pos = self.issue_pos()?;
        let id = match self.check_limit(pos) {
            Ok(id) => id,
            Err(wait) => return Ok(rate_limited(wait)),
        };
        let body = self.req.json_body()?;
        let account = match body.get("accountId") {
            // Inferred wording; the spec says only that a missing accountId is a 400.
            None => return Err(ApiError::bad_request("accountId is required.")),
            Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => return Err(ApiError::bad_request(validate::BAD_PAYLOAD)),
        };
        let assignee = {
            let subject = self.subject(pos)?;
            match validate::assignee_of(subject.store, subject.project, account.as_deref()) {
                Ok(who) => who,
                Err(message) => return Ok(rejected(&Rejection::field("assignee", message))),
            }
        };
        self.apply(pos, &[Change::Assignee(assignee)], None);
        self.record_write(id);
        Ok(no_content())
    }

    fn transition(&mut self) -> Result<Response, ApiError> {
        let pos = self.issue_pos()?;
        let id = match self.check_limit(pos) {
            Ok(id) => id,
            Err(wait) => return Ok(rate_limited(wait)),
        };
        let body = self.req.json_body()?;
        let wanted = body
            .get("transition")
            .and_then(|t| t.get("id"))
            .and_then(|id| match id {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            });
        let Some(wanted) = wanted else {
            // Inferred wording.
            return Err(ApiError::bad_request("Missing 'transition' identifier."));
        };
        let (changes, to) = {
            let subject = self.subject(pos)?;
            let store = subject.store;
            let issue = &store.issues[pos];
            let available = store.workflow.transitions.iter().find(|t| {
                t.id.to_string() == wanted
                    && (t.from.is_empty() || t.from.contains(&issue.status_id))
                    && t.to != issue.status_id
            });
            let Some(transition) = available else {
                return Err(ApiError::bad_request(format!(
                    "Transition id '{wanted}' is not valid for this issue."
                )));
            };
            let mut screen = screens::transition_screen(transition);
            // Jira takes a comment with any transition, with or without a screen.
            if !screen.iter().any(|f| f.field == "comment") {
                screen.push(ScreenField::new("comment", false));
            }
            let mut rejection = Rejection::default();
            let changes = validate::changes(&subject, &screen, &body, &[]).unwrap_or_else(|r| {
                rejection.merge(r);
                Vec::new()
            });
            rejection.merge(validate::missing_required(
                store,
                &screen,
                &provided(&body),
                &[],
            ));
            if !rejection.is_empty() {
                return Ok(rejected(&rejection));
            }
            (changes, transition.to)
        };
        self.apply(pos, &changes, Some(to));
        self.record_write(id);
        Ok(no_content())
    }

    /// The comment id in the path (`/issue/{key}/comment/{id}`) and its position.
    fn comment_of(&self, pos: usize) -> Result<u64, ApiError> {
        let raw = self
            .req
            .segments
            .get(3)
            .map(String::as_str)
            .unwrap_or_default();
        let not_found = || ApiError::new(StatusCode::NOT_FOUND, validate::comment_not_found(raw));
        let id: u64 = raw.parse().map_err(|_| not_found())?;
        let issue = &self.db.store().issues[pos];
        let comment = issue
            .comments
            .iter()
            .find(|c| c.id == id)
            .ok_or_else(not_found)?;
        if comment.author != self.me {
            let message = if self.req.method == Method::DELETE {
                validate::NO_DELETE_PERMISSION
            } else {
                validate::NO_EDIT_PERMISSION
            };
            return Err(ApiError::new(StatusCode::FORBIDDEN, message));
        }
        Ok(id)
    }

    /// The body and visibility of a comment on the issue at `pos` (`visibility`: `None`
    /// when absent).
    fn comment_fields(
        &self,
        pos: usize,
        body: &Map<String, Value>,
    ) -> Result<(Value, Option<Option<validate::Visibility>>), Rejection> {
        let project_id = self
            .db
            .store()
            .issues
            .get(pos)
            .map_or(0, |issue| issue.project_id);
        let mut rejection = Rejection::default();
        let text = validate::comment_body(body.get("body")).unwrap_or_else(|message| {
            rejection.add_field("comment", message);
            Value::Null
        });
        let visibility = match body.get("visibility") {
            None => None,
            Some(value) => {
                match validate::visibility(self.db.store(), project_id, self.me, Some(value)) {
                    Ok(v) => Some(v),
                    Err(message) => {
                        rejection.add_field(validate::VISIBILITY_KEY, message);
                        None
                    }
                }
            }
        };
        if rejection.is_empty() {
            Ok((text, visibility))
        } else {
            Err(rejection)
        }
    }

    fn comment_response(&self, pos: usize, id: u64, status: StatusCode) -> Response {
        let store = self.db.store();
        let issue = &store.issues[pos];
        let rendered = self
            .req
            .params("expand")
            .iter()
            .any(|e| e.split(',').any(|x| x.trim() == "renderedBody"));
        let catalogue = [];
        match issue.comments.iter().find(|c| c.id == id) {
            Some(comment) => json_response(
                status,
                &self.render(&catalogue).comment(issue, comment, rendered),
            ),
            None => error(StatusCode::NOT_FOUND, &[&validate::comment_not_found(id)]),
        }
    }

    fn add_comment(&mut self) -> Result<Response, ApiError> {
        let pos = self.issue_pos()?;
        let issue_id = match self.check_limit(pos) {
            Ok(id) => id,
            Err(wait) => return Ok(rate_limited(wait)),
        };
        let body = self.req.json_body()?;
        let (text, visibility) = match self.comment_fields(pos, &body) {
            Ok(parts) => parts,
            Err(rejection) => return Ok(rejected(&rejection)),
        };
        let visibility = visibility.flatten();
        let outcome = self.apply(
            pos,
            &[Change::AddComment {
                body: text,
                visibility,
            }],
            None,
        );
        self.record_write(issue_id);
        let Some(id) = outcome.added_comments.first().copied() else {
            return Err(ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "The comment could not be added.",
            ));
        };
        Ok(self.comment_response(pos, id, StatusCode::CREATED))
    }

    fn update_comment(&mut self) -> Result<Response, ApiError> {
        let pos = self.issue_pos()?;
        let id = self.comment_of(pos)?;
        let issue_id = match self.check_limit(pos) {
            Ok(id) => id,
            Err(wait) => return Ok(rate_limited(wait)),
        };
        let body = self.req.json_body()?;
        let (text, visibility) = match self.comment_fields(pos, &body) {
            Ok(parts) => parts,
            Err(rejection) => return Ok(rejected(&rejection)),
        };
        self.apply(
            pos,
            &[Change::EditComment {
                id,
                body: text,
                visibility,
            }],
            None,
        );
        self.record_write(issue_id);
        Ok(self.comment_response(pos, id, StatusCode::OK))
    }

    fn delete_comment(&mut self) -> Result<Response, ApiError> {
        let pos = self.issue_pos()?;
        let id = self.comment_of(pos)?;
        let issue_id = match self.check_limit(pos) {
            Ok(id) => id,
            Err(wait) => return Ok(rate_limited(wait)),
        };
        self.apply(pos, &[Change::RemoveComment(id)], None);
        self.record_write(issue_id);
        Ok(no_content())
    }

    fn create_issue(&mut self) -> Result<Response, ApiError> {
        let body = self.req.json_body()?;
        let (fields_part, _) = match validate::parts(&body) {
            Ok(parts) => parts,
            Err(rejection) => return Ok(rejected(&rejection)),
        };
        let store = self.db.store();
        let mut rejection = Rejection::default();
        let project = fields_part.get("project").and_then(|p| {
            let key = p.get("key").and_then(Value::as_str);
            let id = p.get("id").and_then(|id| match id {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            });
            store.projects.iter().find(|candidate| {
                key.is_some_and(|k| candidate.key.eq_ignore_ascii_case(k))
                    || id.as_deref() == Some(candidate.id.to_string().as_str())
            })
        });
        if project.is_none() {
            rejection.add_field("project", "Specify a valid project ID or key");
        }
        let issue_type = match (project, fields_part.get("issuetype")) {
            (_, None | Some(Value::Null)) => {
                rejection.add_field("issuetype", "Specify an issue type");
                None
            }
            (None, Some(_)) => None,
            (Some(project), Some(wanted)) => {
                let id = wanted.get("id").and_then(|id| match id {
                    Value::String(s) => Some(s.clone()),
                    Value::Number(n) => Some(n.to_string()),
                    _ => None,
                });
                let name = wanted.get("name").and_then(Value::as_str);
                let found = project
                    .issue_type_ids
                    .iter()
                    .filter_map(|t| screens::issue_type(store, *t))
                    .find(|t| {
                        id.as_deref() == Some(t.id.to_string().as_str())
                            || name.is_some_and(|n| t.name.eq_ignore_ascii_case(n))
                    });
                if found.is_none() {
                    rejection.add_field("issuetype", "The issue type selected is invalid.");
                }
                found
            }
        };
        let (Some(project), Some(issue_type)) = (project, issue_type) else {
            return Ok(rejected(&rejection));
        };
        let subject = Subject {
            store,
            project,
            issue_type,
            issue: None,
            me: self.me,
        };
        let screen = screens::create_screen(store, issue_type.id);
        const READ_ABOVE: [&str; 2] = ["project", "issuetype"];
        let changes =
            validate::changes(&subject, &screen, &body, &READ_ABOVE).unwrap_or_else(|r| {
                rejection.merge(r);
                Vec::new()
            });
        rejection.merge(validate::missing_required(
            store,
            &screen,
            &provided(&body),
            &READ_ABOVE,
        ));
        if !rejection.is_empty() {
            return Ok(rejected(&rejection));
        }
        let (project_id, type_id) = (project.id, issue_type.id);
        let clock = self.state.clock;
        let author = self.me;
        let created = self.db.modify(|store| {
            let now = clock.tick(store);
            write::create_issue(store, project_id, type_id, &changes, Stamp { author, now })
        });
        let Some(pos) = created else {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "The project has no status to start the issue in.",
            ));
        };
        let issue = &self.db.store().issues[pos];
        Ok(json_response(
            StatusCode::CREATED,
            &json!({
                "id": issue.id.to_string(),
                "key": issue.key,
                "self": format!("{}/rest/api/3/issue/{}", self.req.api_base, issue.id),
            }),
        ))
    }
}

/// The fields a body gives a value (in `fields`, or through `update`).
fn provided(body: &Map<String, Value>) -> Vec<String> {
    let mut out = Vec::new();
    for key in ["fields", "update"] {
        if let Some(Value::Object(map)) = body.get(key) {
            out.extend(
                map.iter()
                    .filter(|(_, v)| !v.is_null())
                    .map(|(k, _)| k.clone()),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_write_log_refuses_beyond_the_limit_until_the_window_passes() {
        let limit = WriteLimit {
            max_writes: 2,
            window: Duration::from_secs(10),
        };
        let mut log = WriteLog::default();
        let start = Instant::now();
        for _ in 0..2 {
            assert!(log.check(1, limit, start).is_ok());
            log.record(1, start);
        }
        let wait = log.check(1, limit, start + Duration::from_secs(4));
        assert_eq!(wait, Err(Duration::from_secs(6)));
        // Another issue has its own budget.
        assert!(log.check(2, limit, start).is_ok());
        assert!(log.check(1, limit, start + Duration::from_secs(10)).is_ok());
    }

    #[test]
    fn retry_after_rounds_up_to_whole_seconds() {
        let response = rate_limited(Duration::from_millis(1500));
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(response.headers()["retry-after"], "2");
        assert_eq!(response.headers()["ratelimit-reason"], PER_ISSUE_REASON);
        let response = rate_limited(Duration::ZERO);
        assert_eq!(response.headers()["retry-after"], "1");
    }
}
