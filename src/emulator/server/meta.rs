//! Handlers of the reads that editing needs: `editmeta`, an issue's transitions (with their
//! screens' fields), one comment, assignable users, labels and the create metadata.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::{ApiError, Ctx, ISSUE_NOT_FOUND, error, json_response, ok};
use crate::emulator::screens;
use crate::emulator::store::{Issue, Project, User};
use crate::emulator::validate;

/// `/user/assignable/search` page sizes.
const USERS_DEFAULT_PAGE: i64 = 50;
const USERS_MAX_PAGE: i64 = 1000;
/// `/label` page sizes (Jira's default is its maximum).
const LABELS_DEFAULT_PAGE: i64 = 1000;
const LABELS_MAX_PAGE: i64 = 1000;
/// Create metadata page sizes.
const CREATE_META_DEFAULT_PAGE: i64 = 50;
const CREATE_META_MAX_PAGE: i64 = 200;

impl Ctx<'_> {
    /// The issue the path names (`/issue/{key}/...`).
    fn path_issue(&self) -> Result<&Issue, ApiError> {
        self.req
            .segments
            .get(1)
            .and_then(|key| self.db.issue(key))
            .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, ISSUE_NOT_FOUND))
    }

    /// A project by id or key.
    fn project_by(&self, id_or_key: &str) -> Option<&Project> {
        self.store()
            .projects
            .iter()
            .find(|p| p.key.eq_ignore_ascii_case(id_or_key) || p.id.to_string() == id_or_key)
    }

    pub(super) fn editmeta(&self) -> Response {
        let issue = match self.path_issue() {
            Ok(issue) => issue,
            Err(e) => return e.into_response(),
        };
        let catalogue = [];
        ok(&json!({ "fields": screens::editmeta(&self.render(&catalogue), issue) }))
    }

    /// `GET /issue/{key}/transitions`: what the workflow allows from the issue's status;
    /// `expand=transitions.fields` adds each screen's fields, `transitionId` picks one.
    pub(super) fn transitions(&self) -> Response {
        let issue = match self.path_issue() {
            Ok(issue) => issue,
            Err(e) => return e.into_response(),
        };
        let with_fields = self
            .req
            .params("expand")
            .iter()
            .any(|e| e.split(',').any(|x| x.trim() == "transitions.fields"));
        let only = self.req.param("transitionId");
        let catalogue = [];
        let render = self.render(&catalogue);
        let listed = render.transitions(issue);
        let transitions: Vec<Value> = listed
            .as_array()
            .into_iter()
            .flatten()
            .filter(|t| only.is_none_or(|id| t["id"] == id))
            .map(|t| {
                let mut t = t.clone();
                let found = self
                    .store()
                    .workflow
                    .transitions
                    .iter()
                    .find(|w| t["id"].as_str() == Some(w.id.to_string().as_str()));
                if let (true, Some(transition)) = (with_fields, found) {
                    t["fields"] = screens::transition_fields(&render, issue, transition);
                }
                t
            })
            .collect();
        ok(&json!({ "expand": "transitions", "transitions": transitions }))
    }

    /// `GET /issue/{key}/comment/{id}`.
    pub(super) fn comment(&self) -> Response {
        let issue = match self.path_issue() {
            Ok(issue) => issue,
            Err(e) => return e.into_response(),
        };
        let raw = self
            .req
            .segments
            .get(3)
            .map(String::as_str)
            .unwrap_or_default();
        let Some(comment) = raw
            .parse::<u64>()
            .ok()
            .and_then(|id| issue.comments.iter().find(|c| c.id == id))
        else {
            return error(StatusCode::NOT_FOUND, &[&validate::comment_not_found(raw)]);
        };
        let rendered = self
            .req
            .params("expand")
            .iter()
            .any(|e| e.split(',').any(|x| x.trim() == "renderedBody"));
        let catalogue = [];
        ok(&self.render(&catalogue).comment(issue, comment, rendered))
    }

    /// `GET /user/assignable/search`: users who may be assigned in the project (or the
    /// issue's project) whose display name, a word of it, or e-mail starts with `query`.
    pub(super) fn assignable_users(&self) -> Response {
        let req = self.req;
        let query = req.param("query").map(|q| q.trim().to_lowercase());
        let account = req.param("accountId");
        if query.as_deref().is_some_and(|q| !q.is_empty()) && account.is_some() {
            // Inferred wording.
            return error(
                StatusCode::BAD_REQUEST,
                &["The parameters 'query' and 'accountId' cannot be combined."],
            );
        }
        let project = if let Some(key) = req.param("issueKey") {
            match self.db.issue(key) {
                Some(issue) => self.store().project(issue.project_id),
                None => return error(StatusCode::NOT_FOUND, &[ISSUE_NOT_FOUND]),
            }
        } else if let Some(id) = req.param("issueId") {
            match id
                .parse::<u64>()
                .ok()
                .and_then(|id| self.db.index().pos_by_id(id))
            {
                Some(pos) => self
                    .store()
                    .issues
                    .get(pos)
                    .and_then(|i| self.store().project(i.project_id)),
                None => return error(StatusCode::NOT_FOUND, &[ISSUE_NOT_FOUND]),
            }
        } else if let Some(key) = req.param("project") {
            match self.project_by(key) {
                Some(project) => Some(project),
                None => {
                    return error(
                        StatusCode::NOT_FOUND,
                        &[&format!("No project could be found with key '{key}'.")],
                    );
                }
            }
        } else {
            // Inferred wording.
            return error(
                StatusCode::BAD_REQUEST,
                &["One of the query parameters 'issueKey', 'issueId' or 'project' is required."],
            );
        };
        let Some(project) = project else {
            return error(StatusCode::NOT_FOUND, &[ISSUE_NOT_FOUND]);
        };
        let start_at = match req.int_param("startAt", 0) {
            Ok(n) => n.max(0) as usize,
            Err(e) => return e.into_response(),
        };
        let max_results = match req.int_param("maxResults", USERS_DEFAULT_PAGE) {
            Ok(n) => n.clamp(0, USERS_MAX_PAGE) as usize,
            Err(e) => return e.into_response(),
        };
        let matches = |user: &&User| {
            if let Some(account) = account {
                return user.account_id == account;
            }
            let Some(query) = query.as_deref().filter(|q| !q.is_empty()) else {
                return true;
            };
            let name = user.display_name.to_lowercase();
            name.starts_with(query)
                || name.split_whitespace().any(|w| w.starts_with(query))
                || user
                    .email
                    .as_deref()
                    .is_some_and(|e| e.to_lowercase().starts_with(query))
        };
        let mut users: Vec<&User> = validate::assignable_users(self.store(), project)
            .into_iter()
            .filter(matches)
            .collect();
        users.sort_by_key(|u| u.display_name.to_lowercase());
        let catalogue = [];
        let render = self.render(&catalogue);
        ok(&users
            .iter()
            .skip(start_at)
            .take(max_results)
            .map(|u| render.user_details(u))
            .collect())
    }

    /// `GET /label`: every label in use, sorted, as an offset page of strings.
    pub(super) fn labels(&self) -> Response {
        let start_at = match self.req.int_param("startAt", 0) {
            Ok(n) => n.max(0) as usize,
            Err(e) => return e.into_response(),
        };
        let max_results = match self.req.int_param("maxResults", LABELS_DEFAULT_PAGE) {
            Ok(n) => n.clamp(0, LABELS_MAX_PAGE) as usize,
            Err(e) => return e.into_response(),
        };
        let mut labels: Vec<&str> = self
            .store()
            .issues
            .iter()
            .flat_map(|i| i.labels.iter().map(String::as_str))
            .collect();
        labels.sort_unstable();
        labels.dedup();
        let total = labels.len();
        let values: Vec<&str> = labels
            .iter()
            .skip(start_at)
            .take(max_results)
            .copied()
            .collect();
        let is_last = start_at + max_results >= total;
        let link = |start: usize| {
            format!(
                "{}/rest/api/3/label?startAt={start}&maxResults={max_results}",
                self.req.api_base
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

    /// The create metadata's paging: Jira refuses a page larger than 200 with this odd body.
    fn create_meta_page(&self) -> Result<(usize, usize), Box<Response>> {
        let start_at = self
            .req
            .int_param("startAt", 0)
            .map_err(|e| Box::new(e.into_response()))?
            .max(0) as usize;
        let max_results = self
            .req
            .int_param("maxResults", CREATE_META_DEFAULT_PAGE)
            .map_err(|e| Box::new(e.into_response()))?;
        if max_results > CREATE_META_MAX_PAGE {
            return Err(Box::new(json_response(
                StatusCode::BAD_REQUEST,
                &json!({
                    "errorMessages": [format!("Parameter 'maxResults' must not exceed the limit '{CREATE_META_MAX_PAGE}'")],
                    "errors": {},
                    "httpStatusCode": { "empty": false, "present": true },
                }),
            )));
        }
        Ok((start_at, max_results.max(0) as usize))
    }

    fn create_meta_project(&self) -> Result<&Project, Box<Response>> {
        let wanted = self
            .req
            .segments
            .get(2)
            .map(String::as_str)
            .unwrap_or_default();
        self.project_by(wanted).ok_or_else(|| {
            // The spec lists 400, not 404, for this operation's failures.
            Box::new(error(
                StatusCode::BAD_REQUEST,
                &[&format!("No project could be found with key '{wanted}'.")],
            ))
        })
    }

    /// `GET /issue/createmeta/{project}/issuetypes`.
    pub(super) fn create_meta_issue_types(&self) -> Response {
        let (start_at, max_results) = match self.create_meta_page() {
            Ok(page) => page,
            Err(response) => return *response,
        };
        let project = match self.create_meta_project() {
            Ok(project) => project,
            Err(response) => return *response,
        };
        let catalogue = [];
        let render = self.render(&catalogue);
        let types: Vec<Value> = project
            .issue_type_ids
            .iter()
            .filter_map(|id| screens::issue_type(self.store(), *id))
            .map(|t| render.issue_type(t))
            .collect();
        ok(&json!({
            "startAt": start_at,
            "maxResults": max_results,
            "total": types.len(),
            "issueTypes": types.into_iter().skip(start_at).take(max_results).collect::<Vec<_>>(),
        }))
    }

    /// `GET /issue/createmeta/{project}/issuetypes/{id}`: the create screen's fields.
    pub(super) fn create_meta_fields(&self) -> Response {
        let (start_at, max_results) = match self.create_meta_page() {
            Ok(page) => page,
            Err(response) => return *response,
        };
        let project = match self.create_meta_project() {
            Ok(project) => project,
            Err(response) => return *response,
        };
        let wanted = self
            .req
            .segments
            .get(4)
            .map(String::as_str)
            .unwrap_or_default();
        let Some(kind) = project
            .issue_type_ids
            .iter()
            .filter_map(|id| screens::issue_type(self.store(), *id))
            .find(|t| t.id.to_string() == wanted)
        else {
            // Inferred wording.
            return error(
                StatusCode::BAD_REQUEST,
                &[&format!(
                    "The issue type with id '{wanted}' does not exist or is not valid for project '{}'.",
                    project.key
                )],
            );
        };
        let catalogue = [];
        let fields = screens::create_fields(&self.render(&catalogue), project, kind);
        ok(&json!({
            "startAt": start_at,
            "maxResults": max_results,
            "total": fields.len(),
            "fields": fields.into_iter().skip(start_at).take(max_results).collect::<Vec<_>>(),
        }))
    }
}

/// The id of the first project role; the others follow in the order the site lists
/// them (Jira Cloud numbers its default roles from 10000 too).
const FIRST_ROLE_ID: usize = 10_000;

impl Ctx<'_> {
    /// The project of a `/project/{key}/...` path, when the caller administers it (the
    /// project or Jira); anyone else gets the 404 the spec names, as if it were not there.
    fn administered_project(&self) -> Result<&Project, ApiError> {
        let Some(key) = self.req.segments.get(1) else {
            return Err(ApiError::new(
                StatusCode::NOT_FOUND,
                "No project could be found.",
            ));
        };
        let admin = self.me.is_some_and(|me| {
            self.store().has_permission(me, "ADMINISTER_PROJECTS")
                || self.store().has_permission(me, "ADMINISTER")
        });
        self.project_by(key).filter(|_| admin).ok_or_else(|| {
            ApiError::new(
                StatusCode::NOT_FOUND,
                format!("No project could be found with key '{key}'."),
            )
        })
    }

    /// `GET /project/{key}/role`: the project roles, as `{name: self URL}`. Roles are
    /// shared by every project in Jira Cloud, so each project lists the site's roles.
    /// Jira serves it only to project or Jira administrators; anyone else gets the 404
    /// the spec names, as if the project were not there.
    pub(super) fn project_roles(&self) -> Response {
        let project = match self.administered_project() {
            Ok(project) => project,
            Err(e) => return e.into_response(),
        };
        let roles: serde_json::Map<String, Value> = self
            .store()
            .schemes
            .roles
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let url = format!(
                    "{}/rest/api/3/project/{}/role/{}",
                    self.req.api_base,
                    project.key,
                    FIRST_ROLE_ID + i
                );
                (name.clone(), Value::String(url))
            })
            .collect();
        ok(&Value::Object(roles))
    }
}

/// What Jira Cloud says of its default roles (`description` of `ProjectRoleDetails`).
fn role_description(name: &str) -> &'static str {
    match name {
        "Administrators" => "A project role that represents administrators in a project",
        "Developers" => "A project role that represents developers in a project",
        "Service Desk Team" => "Members of the service desk team",
        "Users" => "A project role that represents users in a project",
        _ => "",
    }
}

impl Ctx<'_> {
    /// `GET /project/{key}/roledetails[?currentMember=true]`: the roles with their
    /// details, only those the caller holds in the project when `currentMember` is set.
    /// Served to project or Jira administrators only, like `/role`.
    pub(super) fn project_role_details(&self) -> Response {
        let project = match self.administered_project() {
            Ok(project) => project,
            Err(e) => return e.into_response(),
        };
        let mine = self.req.param("currentMember") == Some("true");
        let me = self.me.unwrap_or_default();
        let roles: Vec<Value> = self
            .store()
            .schemes
            .roles
            .iter()
            .enumerate()
            .filter(|(_, name)| !mine || self.store().in_role(project.id, name, me))
            .map(|(i, name)| {
                let id = FIRST_ROLE_ID + i;
                json!({
                    "self": format!(
                        "{}/rest/api/3/project/{}/role/{id}",
                        self.req.api_base, project.key
                    ),
                    "name": name,
                    "id": id,
                    "description": role_description(name),
                    "admin": name == "Administrators",
                    "default": name == "Users",
                    "roleConfigurable": true,
                    "translatedName": name,
                })
            })
            .collect();
        ok(&Value::Array(roles))
    }

    /// `GET /user/groups?accountId=`: the groups a user is in, as a bare array of
    /// `GroupName`. Jira wants *Browse users and groups* for it (403 without); the
    /// messages of the 400 and 404 are inferred.
    pub(super) fn user_groups(&self) -> Response {
        let Some(account) = self.req.param("accountId").filter(|a| !a.is_empty()) else {
            return error(
                StatusCode::BAD_REQUEST,
                &["The query parameter 'accountId' is required."],
            );
        };
        if !self
            .me
            .is_some_and(|me| self.store().has_permission(me, "USER_PICKER"))
        {
            return error(
                StatusCode::FORBIDDEN,
                &["You do not have the permission to browse users and groups."],
            );
        }
        let Some(user) = self.store().user(account) else {
            return error(
                StatusCode::NOT_FOUND,
                &[&format!(
                    "The user with account ID '{account}' does not exist."
                )],
            );
        };
        let catalogue = [];
        let render = self.render(&catalogue);
        let groups: Vec<Value> = self
            .store()
            .groups_of(&user.account_id)
            .map(|g| render.group_name(g))
            .collect();
        ok(&Value::Array(groups))
    }
}
