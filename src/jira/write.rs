//! The write side of the client, and the reads editors need first: editmeta, edits,
//! assignment, transitions, comments, assignable users, labels, create metadata and
//! create issue.
//!
//! Every write goes through [`JiraClient::send_write`], once: a write is never retried
//! here, because one that timed out or failed may still have happened (a comment posted
//! twice is worse than an error the user sees). A 429 comes back as
//! [`JiraError::RateLimited`] with Jira's `Retry-After`; Jira did not apply that write,
//! and the caller decides whether to send it again. A refused write keeps Jira's per-field
//! `errors` in [`JiraError::Api::field_errors`], so an editor can show each message next
//! to its field.

use std::collections::BTreeMap;

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::adf::Adf;
use super::client::{JiraClient, Shape, path_key, sanitize_key};
use super::error::JiraError;
use super::models::{
    Comment, CreateMetaFields, CreateMetaIssueTypes, CreatedIssue, EditMeta, FieldMeta, GroupName,
    Issue, IssueType, MyselfGroups, Page, SearchRequest, Transition, Transitions, User,
};

/// Issues asked for per page of parent candidates (Jira's enhanced search serves up to
/// 100 with few fields).
const PARENT_PAGE: u32 = 100;
/// The largest create metadata page Jira serves.
const CREATE_META_PAGE: u32 = 200;
/// Stop paging create metadata after this many pages: a server that keeps saying "more"
/// must not hold a form forever.
const CREATE_META_MAX_PAGES: u32 = 50;

/// One operation of `update`: `{"set": v}`, `{"add": v}`, `{"remove": v}`, `{"edit": v}`.
/// Which ones a field takes is in its metadata's `operations`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldOperation {
    Set(Value),
    Add(Value),
    Remove(Value),
    Edit(Value),
}

/// The body of `PUT /issue/{key}`: `fields` (each set to a value) and `update` (operations
/// per field). Jira refuses a field named in both.
///
/// Values are Jira's shapes: a string for text, a number, `"2024-05-20"` for dates, ADF
/// for rich text, `{"id": ..}` or `{"name": ..}` for priorities, components and versions,
/// `{"value": ..}` for select options, `{"accountId": ..}` for users, `null` to clear.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct IssueUpdate {
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, Value>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub update: BTreeMap<String, Vec<FieldOperation>>,
}

impl IssueUpdate {
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `field` to `value` (in `fields`).
    pub fn set(mut self, field: impl Into<String>, value: impl Into<Value>) -> Self {
        self.fields.insert(field.into(), value.into());
        self
    }

    /// Appends an operation on `field` (in `update`); operations apply in order.
    pub fn operation(mut self, field: impl Into<String>, operation: FieldOperation) -> Self {
        self.update.entry(field.into()).or_default().push(operation);
        self
    }

    /// `{"add": value}` on a multi-value field (labels, components, versions).
    pub fn add(self, field: impl Into<String>, value: impl Into<Value>) -> Self {
        self.operation(field, FieldOperation::Add(value.into()))
    }

    /// `{"remove": value}` on a multi-value field.
    pub fn remove(self, field: impl Into<String>, value: impl Into<Value>) -> Self {
        self.operation(field, FieldOperation::Remove(value.into()))
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.update.is_empty()
    }
}

/// The body of `POST /issue`: the project, the issue type and the summary, then any
/// other field of the create screen (see [`JiraClient::create_meta_fields`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IssueCreate {
    pub fields: BTreeMap<String, Value>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub update: BTreeMap<String, Vec<FieldOperation>>,
}

impl IssueCreate {
    pub fn new(project_key: &str, issue_type_id: &str, summary: &str) -> Self {
        let fields = BTreeMap::from([
            ("project".to_owned(), json!({ "key": project_key })),
            ("issuetype".to_owned(), json!({ "id": issue_type_id })),
            ("summary".to_owned(), json!(summary)),
        ]);
        Self {
            fields,
            update: BTreeMap::new(),
        }
    }

    pub fn set(mut self, field: impl Into<String>, value: impl Into<Value>) -> Self {
        self.fields.insert(field.into(), value.into());
        self
    }

    /// The parent: required for a sub-task (a standard issue of the same project).
    pub fn parent(self, key: &str) -> Self {
        self.set("parent", json!({ "key": key }))
    }

    pub fn description(self, doc: &Adf) -> Self {
        self.set("description", doc.as_value().clone())
    }
}

/// Who may see a comment: members of a project role, or of a group. (Deserialize is for
/// the view cache, which keeps the open issue's comments.)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentVisibility {
    /// `role` or `group`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The role's or group's name.
    pub value: String,
    /// A group's id: Jira Cloud matches a group by it first, as names can change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identifier: Option<String>,
}

impl CommentVisibility {
    pub fn role(name: impl Into<String>) -> Self {
        Self {
            kind: "role".to_owned(),
            value: name.into(),
            identifier: None,
        }
    }

    /// A group by name and, when Jira gave one, its id.
    pub fn group(name: impl Into<String>, id: Option<String>) -> Self {
        Self {
            kind: "group".to_owned(),
            value: name.into(),
            identifier: id,
        }
    }

    pub fn is_group(&self) -> bool {
        self.kind == "group"
    }

    /// Whether both name the same role or group (a group by id when both have one).
    pub fn same(&self, other: &Self) -> bool {
        self.kind == other.kind
            && match (&self.identifier, &other.identifier) {
                (Some(a), Some(b)) if self.is_group() => a == b,
                _ => self.value == other.value,
            }
    }
}

/// `{"id": id}`: how priorities, issue types, components, versions and resolutions are
/// named in a write.
pub fn by_id(id: &str) -> Value {
    json!({ "id": id })
}

/// `{"accountId": id}`, or `null` for nobody: a user field's value.
pub fn account(account_id: Option<&str>) -> Value {
    account_id.map_or(Value::Null, |id| json!({ "accountId": id }))
}

/// A comment id in a URL: digits only, so it cannot change the path.
fn comment_id<'c>(id: &'c str, client: &JiraClient) -> Result<&'c str, JiraError> {
    let id = id.trim();
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
        return Err(JiraError::InvalidUrl {
            url: client.base_url().to_string(),
            reason: format!("`{}` is not a comment id", sanitize_key(id)),
        });
    }
    Ok(id)
}

/// The body of a successful write that must have one.
fn expect_body<T: serde::de::DeserializeOwned>(
    body: Option<Value>,
    what: &str,
) -> Result<T, JiraError> {
    let Some(body) = body else {
        return Err(JiraError::Decode {
            what: what.to_owned(),
            message: "the response had no body".to_owned(),
        });
    };
    serde_json::from_value(body).map_err(|e| JiraError::Decode {
        what: what.to_owned(),
        message: e.to_string(),
    })
}

impl JiraClient {
    /// `GET /issue/{key}/editmeta`: the fields the user may edit on this issue, with their
    /// schema, operations, allowed values and auto-complete URLs. A field missing here is
    /// not editable (show it read-only).
    pub async fn editmeta(&self, key: &str) -> Result<EditMeta, JiraError> {
        let key = path_key(key, self)?;
        self.get(
            &["issue", key, "editmeta"],
            &[],
            &format!("the editable fields of {key}"),
        )
        .await
    }

    /// `PUT /issue/{key}`: applies `update`. Jira answers 204; a refused value comes back
    /// as [`JiraError::Api`] with the message per field in `field_errors`.
    pub async fn edit_issue(&self, key: &str, update: &IssueUpdate) -> Result<(), JiraError> {
        let key = path_key(key, self)?;
        let body = serde_json::to_value(update).map_err(|e| JiraError::Decode {
            what: format!("the edit of {key}"),
            message: e.to_string(),
        })?;
        self.send_write(
            Method::PUT,
            &["issue", key],
            Some(&body),
            &format!("edit {key}"),
        )
        .await
        .map(drop)
    }

    /// `PUT /issue/{key}/assignee`: assigns to `account_id`, or unassigns with `None`
    /// (`Some("-1")` asks for the project's default assignee).
    pub async fn assign(&self, key: &str, account_id: Option<&str>) -> Result<(), JiraError> {
        let key = path_key(key, self)?;
        let body = json!({ "accountId": account_id });
        self.send_write(
            Method::PUT,
            &["issue", key, "assignee"],
            Some(&body),
            &format!("assign {key}"),
        )
        .await
        .map(drop)
    }

    /// `GET /issue/{key}/transitions?expand=transitions.fields`: where the issue can go
    /// from its status, each with the fields its screen asks for.
    pub async fn transitions(&self, key: &str) -> Result<Vec<Transition>, JiraError> {
        let key = path_key(key, self)?;
        let found: Transitions = self
            .get(
                &["issue", key, "transitions"],
                &[("expand", "transitions.fields")],
                &format!("the transitions of {key}"),
            )
            .await?;
        Ok(found.transitions)
    }

    /// `POST /issue/{key}/transitions`: moves the issue through transition `id`, with the
    /// screen's `fields` (e.g. `resolution`) and an optional comment.
    pub async fn transition(
        &self,
        key: &str,
        id: &str,
        fields: &BTreeMap<String, Value>,
        comment: Option<&Adf>,
    ) -> Result<(), JiraError> {
        let comment = comment.map(|body| (body, None));
        self.transition_with(key, id, fields, &BTreeMap::new(), comment)
            .await
    }

    /// [`JiraClient::transition`] that also adds values to list fields of the screen
    /// (`adds`: field id -> values, sent as `update` `add` operations), leaving the
    /// values the issue already has: how a bulk transition fills a list field; and whose
    /// comment may be restricted to a role or group.
    pub async fn transition_with(
        &self,
        key: &str,
        id: &str,
        fields: &BTreeMap<String, Value>,
        adds: &BTreeMap<String, Vec<Value>>,
        comment: Option<(&Adf, Option<&CommentVisibility>)>,
    ) -> Result<(), JiraError> {
        let key = path_key(key, self)?;
        let mut body = json!({ "transition": { "id": id } });
        if !fields.is_empty() {
            body["fields"] = json!(fields);
        }
        let mut update = serde_json::Map::new();
        for (field, values) in adds.iter().filter(|(_, v)| !v.is_empty()) {
            let ops: Vec<Value> = values.iter().map(|v| json!({ "add": v })).collect();
            update.insert(field.clone(), Value::Array(ops));
        }
        if let Some((body, visibility)) = comment {
            let mut add = json!({ "body": body });
            if let Some(visibility) = visibility {
                add["visibility"] = json!(visibility);
            }
            update.insert("comment".to_owned(), json!([{ "add": add }]));
        }
        if !update.is_empty() {
            body["update"] = Value::Object(update);
        }
        self.send_write(
            Method::POST,
            &["issue", key, "transitions"],
            Some(&body),
            &format!("transition {key}"),
        )
        .await
        .map(drop)
    }

    /// `POST /issue/{key}/comment`: adds a comment (201) and returns it as Jira stored it.
    pub async fn add_comment(
        &self,
        key: &str,
        body: &Adf,
        visibility: Option<&CommentVisibility>,
    ) -> Result<Comment, JiraError> {
        let key = path_key(key, self)?;
        let mut request = json!({ "body": body });
        if let Some(visibility) = visibility {
            request["visibility"] = json!(visibility);
        }
        let action = format!("add a comment to {key}");
        let reply = self
            .send_write(
                Method::POST,
                &["issue", key, "comment"],
                Some(&request),
                &action,
            )
            .await?;
        expect_body(reply, &action)
    }

    /// `PUT /issue/{key}/comment/{id}`: replaces a comment's body and visibility (`None`:
    /// visible to everyone who sees the issue). Only its author may, unless Jira grants
    /// *Edit all comments*; otherwise [`JiraError::Forbidden`].
    pub async fn update_comment(
        &self,
        key: &str,
        id: &str,
        body: &Adf,
        visibility: Option<&CommentVisibility>,
    ) -> Result<Comment, JiraError> {
        let key = path_key(key, self)?;
        let id = comment_id(id, self)?;
        let request = json!({ "body": body, "visibility": visibility });
        let action = format!("edit comment {id} of {key}");
        let reply = self
            .send_write(
                Method::PUT,
                &["issue", key, "comment", id],
                Some(&request),
                &action,
            )
            .await?;
        expect_body(reply, &action)
    }

    /// `DELETE /issue/{key}/comment/{id}`.
    pub async fn delete_comment(&self, key: &str, id: &str) -> Result<(), JiraError> {
        let key = path_key(key, self)?;
        let id = comment_id(id, self)?;
        self.send_write(
            Method::DELETE,
            &["issue", key, "comment", id],
            None,
            &format!("delete comment {id} of {key}"),
        )
        .await
        .map(drop)
    }

    /// `GET /user/assignable/search?issueKey=..&query=..`: up to `max` users who may be
    /// assigned `issue_key`, whose name or e-mail starts with `query` (empty: anyone).
    pub async fn assignable_users(
        &self,
        issue_key: &str,
        query: &str,
        max: u32,
    ) -> Result<Vec<User>, JiraError> {
        let key = path_key(issue_key, self)?;
        self.assignable_search(("issueKey", key), query, max).await
    }

    /// `GET /user/assignable/search?project=..&query=..`: up to `max` users who may be
    /// assigned issues of `project` (key or id), for a form that has no issue yet.
    pub async fn assignable_users_in_project(
        &self,
        project: &str,
        query: &str,
        max: u32,
    ) -> Result<Vec<User>, JiraError> {
        let project = path_key(project, self)?;
        self.assignable_search(("project", project), query, max)
            .await
    }

    /// The assignable-user search, for one issue or one project (`scope`).
    async fn assignable_search(
        &self,
        scope: (&str, &str),
        query: &str,
        max: u32,
    ) -> Result<Vec<User>, JiraError> {
        let max = max.to_string();
        let params = [scope, ("query", query.trim()), ("maxResults", max.as_str())];
        let url = self.endpoint(&["user", "assignable", "search"], &params);
        let request = |http: &reqwest::Client| http.request(Method::GET, url);
        // An array, not an object: fetched with the shape check off.
        let found: Value = self
            .fetch(request, "the assignable users", Shape::Any)
            .await?;
        users_from(found)
    }

    /// `GET /label`: one page of every label on the site.
    pub async fn labels(&self, start_at: u32, max_results: u32) -> Result<Page<String>, JiraError> {
        let start = start_at.to_string();
        let max = max_results.to_string();
        self.get(
            &["label"],
            &[("startAt", start.as_str()), ("maxResults", max.as_str())],
            "the label list",
        )
        .await
    }

    /// `GET /project/{key}/roledetails?currentMember=true`: the names of the project
    /// roles the user holds in `project`, which a comment may be restricted to (Jira
    /// refuses a role the author is not in), sorted. Jira answers project administrators
    /// only (others get 404 or 403); callers offer "everyone" and the groups then.
    pub async fn project_roles(&self, project: &str) -> Result<Vec<String>, JiraError> {
        #[derive(Deserialize)]
        struct RoleDetails {
            #[serde(default)]
            name: String,
        }
        let project = path_key(project, self)?;
        let url = self.endpoint(
            &["project", project, "roledetails"],
            &[("currentMember", "true")],
        );
        let request = |http: &reqwest::Client| http.request(Method::GET, url);
        // An array, not an object: fetched with the shape check off.
        let found: Value = self.fetch(request, "the project roles", Shape::Any).await?;
        let Value::Array(found) = found else {
            return Err(JiraError::Decode {
                what: "the project roles".to_owned(),
                message: "expected a list of roles".to_owned(),
            });
        };
        let mut roles: Vec<String> = found
            .into_iter()
            .filter_map(|v| serde_json::from_value::<RoleDetails>(v).ok())
            .map(|r| r.name)
            .filter(|name| !name.trim().is_empty())
            .collect();
        roles.sort();
        roles.dedup();
        Ok(roles)
    }

    /// The issues of `project` that may be the parent of an issue: one hierarchy level
    /// up (standard issues for a sub-task, else epics), most recently updated first, at
    /// most `limit`. JQL has no hierarchy level, so the project's issue types at that
    /// level come from the create metadata (which says `hierarchyLevel`); a server that
    /// leaves it out gets the usual names (standard types, or `Epic`).
    pub async fn parent_candidates(
        &self,
        project: &str,
        subtask: bool,
        limit: u32,
    ) -> Result<Vec<Issue>, JiraError> {
        let wanted = if subtask { 0 } else { 1 };
        let types = self.create_meta_issue_types(project).await?;
        let ids: Vec<String> = types
            .iter()
            .filter(|t| t.hierarchy_level == Some(wanted))
            .map(|t| crate::jql::quote(&t.id))
            .collect();
        let type_clause = match (ids.is_empty(), subtask) {
            (false, _) => format!("issuetype in ({})", ids.join(", ")),
            (true, true) => "issuetype in standardIssueTypes()".to_owned(),
            (true, false) => "issuetype = Epic".to_owned(),
        };
        let project = crate::jql::quote(project);
        let mut request = SearchRequest::new(format!(
            "project = {project} AND {type_clause} ORDER BY updated DESC"
        ))
        .with_fields(["summary", "status", "issuetype"])
        .with_max_results(limit.min(PARENT_PAGE));
        let mut found: Vec<Issue> = Vec::new();
        loop {
            let page = self.search_jql(&request).await?;
            let more = page.next_page_token.clone();
            found.extend(page.issues);
            match more {
                Some(token) if (found.len() as u32) < limit => {
                    request = request.with_page_token(Some(token));
                }
                _ => break,
            }
        }
        found.truncate(limit as usize);
        // Open work first: a finished epic is rarely where new work goes (stable, so
        // each group stays most recent first).
        found.sort_by_key(|i| {
            i.fields
                .status
                .as_ref()
                .and_then(|s| s.status_category.as_ref())
                .is_some_and(|c| c.key == "done")
        });
        Ok(found)
    }

    /// `GET /myself?expand=groups`: the groups the user is in (nested ones too), which a
    /// comment may be restricted to. Unlike `GET /user/groups` it needs no *Browse users
    /// and groups* permission, so every user gets an answer.
    pub async fn my_groups(&self) -> Result<Vec<GroupName>, JiraError> {
        let me: MyselfGroups = self
            .get(&["myself"], &[("expand", "groups")], "your groups")
            .await?;
        let mut groups: Vec<GroupName> = me
            .groups
            .items
            .into_iter()
            .filter(|g| !g.name.trim().is_empty())
            .collect();
        groups.sort_by_key(|g| g.name.to_lowercase());
        groups.dedup_by(|a, b| a.name == b.name && a.group_id == b.group_id);
        Ok(groups)
    }

    /// `GET /issue/createmeta/{project}/issuetypes`: the issue types the user may create
    /// in `project` (id or key), every page.
    pub async fn create_meta_issue_types(
        &self,
        project: &str,
    ) -> Result<Vec<IssueType>, JiraError> {
        let project = path_key(project, self)?;
        let mut out = Vec::new();
        for page in 0..CREATE_META_MAX_PAGES {
            let start = out.len().to_string();
            let max = CREATE_META_PAGE.to_string();
            let found: CreateMetaIssueTypes = self
                .get(
                    &["issue", "createmeta", project, "issuetypes"],
                    &[("startAt", start.as_str()), ("maxResults", max.as_str())],
                    &format!("the issue types of {project}"),
                )
                .await?;
            let received = found.issue_types.len();
            out.extend(found.issue_types);
            if received == 0 || out.len() as u64 >= found.total || page + 1 == CREATE_META_MAX_PAGES
            {
                break;
            }
        }
        Ok(out)
    }

    /// `GET /issue/createmeta/{project}/issuetypes/{id}`: the fields of the create screen,
    /// in Jira's order (putting the required ones first is the form's choice), every page.
    pub async fn create_meta_fields(
        &self,
        project: &str,
        issue_type_id: &str,
    ) -> Result<Vec<FieldMeta>, JiraError> {
        let project = path_key(project, self)?;
        let type_id = path_key(issue_type_id, self)?;
        let mut out = Vec::new();
        for page in 0..CREATE_META_MAX_PAGES {
            let start = out.len().to_string();
            let max = CREATE_META_PAGE.to_string();
            let found: CreateMetaFields = self
                .get(
                    &["issue", "createmeta", project, "issuetypes", type_id],
                    &[("startAt", start.as_str()), ("maxResults", max.as_str())],
                    &format!("the create fields of {project}"),
                )
                .await?;
            let received = found.fields.len();
            out.extend(found.fields);
            if received == 0 || out.len() as u64 >= found.total || page + 1 == CREATE_META_MAX_PAGES
            {
                break;
            }
        }
        Ok(out)
    }

    /// `POST /issue`: creates the issue (201) and returns its id and key.
    pub async fn create_issue(&self, issue: &IssueCreate) -> Result<CreatedIssue, JiraError> {
        let body = serde_json::to_value(issue).map_err(|e| JiraError::Decode {
            what: "the new issue".to_owned(),
            message: e.to_string(),
        })?;
        let action = "create the issue";
        let reply = self
            .send_write(Method::POST, &["issue"], Some(&body), action)
            .await?;
        expect_body(reply, action)
    }
}

/// Users from the array Jira answers, skipping elements that are not users.
fn users_from(value: Value) -> Result<Vec<User>, JiraError> {
    match value {
        Value::Array(items) => Ok(items
            .into_iter()
            .filter_map(|v| serde_json::from_value(v).ok())
            .collect()),
        _ => Err(JiraError::Decode {
            what: "the assignable users".to_owned(),
            message: "expected a JSON array".to_owned(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn updates_serialise_as_jira_expects() {
        let update = IssueUpdate::new()
            .set("summary", "New")
            .set("customfield_10016", 5)
            .add("labels", "triaged")
            .remove("labels", "blocker")
            .operation(
                "timetracking",
                FieldOperation::Edit(json!({ "originalEstimate": "1w" })),
            );
        assert_eq!(
            serde_json::to_value(&update).unwrap(),
            json!({
                "fields": { "summary": "New", "customfield_10016": 5 },
                "update": {
                    "labels": [{ "add": "triaged" }, { "remove": "blocker" }],
                    "timetracking": [{ "edit": { "originalEstimate": "1w" } }]
                }
            })
        );
        assert_eq!(serde_json::to_value(IssueUpdate::new()).unwrap(), json!({}));
        assert!(IssueUpdate::new().is_empty());
    }

    #[test]
    fn creates_name_project_type_and_summary() {
        let create = IssueCreate::new("NAV", "10004", "Sub")
            .parent("NAV-1")
            .set("assignee", account(Some("abc")))
            .set("priority", by_id("2"));
        assert_eq!(
            serde_json::to_value(&create).unwrap(),
            json!({ "fields": {
                "project": { "key": "NAV" },
                "issuetype": { "id": "10004" },
                "summary": "Sub",
                "parent": { "key": "NAV-1" },
                "assignee": { "accountId": "abc" },
                "priority": { "id": "2" }
            } })
        );
        assert_eq!(account(None), Value::Null);
    }

    #[test]
    fn visibility_serialises_with_type() {
        assert_eq!(
            serde_json::to_value(CommentVisibility::role("Developers")).unwrap(),
            json!({ "type": "role", "value": "Developers" })
        );
        assert_eq!(
            serde_json::to_value(CommentVisibility::group("jira-users", None)).unwrap(),
            json!({ "type": "group", "value": "jira-users" })
        );
        assert_eq!(
            serde_json::to_value(CommentVisibility::group(
                "jira-users",
                Some("b2e7c4a1".into())
            ))
            .unwrap(),
            json!({ "type": "group", "value": "jira-users", "identifier": "b2e7c4a1" })
        );
    }
}
