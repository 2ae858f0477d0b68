//! Jira's JSON, written by hand from the store: issues (with field selection and the
//! `renderedFields`, `names`, `schema`, `transitions`, `editmeta`, `changelog`, `operations`
//! expansions), users, projects, statuses, priorities, fields and comments.
//!
//! Shapes follow Atlassian's OpenAPI spec and real Cloud payloads: ids are strings, every
//! entity has an absolute `self`, timestamps look like `2024-03-01T11:34:49.730+0200`.

use serde_json::{Map, Value, json};

use super::adf;
use super::db::Db;
use super::eval::{select_id, sprint_ids, user_id};
use super::fields::{FieldDef, Selection, custom_field_id};
use super::store::{
    Attachment, ChangeItem, Comment, Component, CustomField, CustomFieldKind, Group, Issue,
    IssueType, LinkDirection, Priority, Project, Resolution, Sprint, Status, StatusCategory, Store,
    Timestamp, User, Version,
};

/// Jira's timestamp format: milliseconds and a numeric offset without a colon.
pub fn timestamp(t: &Timestamp) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.3f%z").to_string()
}

/// The expansions an issue advertises in its `expand` member.
const ISSUE_EXPANDS: &str =
    "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations";

/// Jira Cloud's default time tracking settings: 8-hour days, 5-day weeks.
const SECONDS_PER_MINUTE: u64 = 60;
const SECONDS_PER_HOUR: u64 = 60 * SECONDS_PER_MINUTE;
const SECONDS_PER_WORK_DAY: u64 = 8 * SECONDS_PER_HOUR;
const SECONDS_PER_WORK_WEEK: u64 = 5 * SECONDS_PER_WORK_DAY;

/// A page size Jira uses for the worklog embedded in an issue.
const EMBEDDED_WORKLOG_PAGE: u64 = 20;

/// Which per-issue expansions were asked for (`names` and `schema` are handled by callers,
/// because the search puts them beside the issues rather than inside).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Expand {
    pub rendered_fields: bool,
    pub names: bool,
    pub schema: bool,
    pub transitions: bool,
    pub editmeta: bool,
    pub changelog: bool,
    pub operations: bool,
    pub versioned_representations: bool,
}

impl Expand {
    /// Parses Jira's comma-delimited `expand` (repeated parameters already joined by callers).
    pub fn parse<'a>(values: impl IntoIterator<Item = &'a str>) -> Self {
        let mut expand = Self::default();
        for part in values.into_iter().flat_map(|v| v.split(',')) {
            match part.trim() {
                "renderedFields" => expand.rendered_fields = true,
                "names" => expand.names = true,
                "schema" => expand.schema = true,
                "transitions" => expand.transitions = true,
                "editmeta" => expand.editmeta = true,
                "changelog" => expand.changelog = true,
                "operations" => expand.operations = true,
                "versionedRepresentations" => expand.versioned_representations = true,
                _ => {}
            }
        }
        expand
    }
}

/// Renders entities for one request: `api` is the base of every `self` URL (the server's
/// address, plus `/ex/jira/{cloudId}` when the request came through that prefix).
#[derive(Debug, Clone, Copy)]
pub struct Render<'a> {
    pub db: &'a Db,
    pub api: &'a str,
    /// The caller's account id (for `isWatching` and friends).
    pub me: Option<&'a str>,
    pub catalogue: &'a [FieldDef],
}

fn avatar_urls(base: &str) -> Value {
    json!({
        "48x48": format!("{base}?size=48&s=48"),
        "24x24": format!("{base}?size=24&s=24"),
        "16x16": format!("{base}?size=16&s=16"),
        "32x32": format!("{base}?size=32&s=32"),
    })
}

fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|w| w.chars().next())
        .take(2)
        .flat_map(char::to_uppercase)
        .collect()
}

/// Picks one of Atlassian's initials avatar colours from the account id, deterministically.
fn avatar_colour(account_id: &str) -> u32 {
    const COLOURS: u32 = 6;
    account_id
        .bytes()
        .fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)))
        % COLOURS
}

fn category_json(api: &str, category: StatusCategory) -> Value {
    let (id, key, colour, name) = match category {
        StatusCategory::New => (2, "new", "blue-gray", "To Do"),
        StatusCategory::Indeterminate => (4, "indeterminate", "yellow", "In Progress"),
        StatusCategory::Done => (3, "done", "green", "Done"),
    };
    json!({
        "self": format!("{api}/rest/api/3/statuscategory/{id}"),
        "id": id,
        "key": key,
        "colorName": colour,
        "name": name,
    })
}

/// Jira's "1w 2d 3h" duration text with its default working week.
pub fn duration_short(seconds: u64) -> String {
    duration_parts(seconds)
        .iter()
        .map(|(n, unit)| format!("{n}{}", &unit[..1]))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The long form renderedFields use: "1 week, 2 days, 3 hours".
fn duration_long(seconds: u64) -> String {
    duration_parts(seconds)
        .iter()
        .map(|(n, unit)| format!("{n} {unit}{}", if *n == 1 { "" } else { "s" }))
        .collect::<Vec<_>>()
        .join(", ")
}

fn duration_parts(seconds: u64) -> Vec<(u64, &'static str)> {
    let mut rest = seconds;
    let mut parts = Vec::new();
    for (size, unit) in [
        (SECONDS_PER_WORK_WEEK, "week"),
        (SECONDS_PER_WORK_DAY, "day"),
        (SECONDS_PER_HOUR, "hour"),
        (SECONDS_PER_MINUTE, "minute"),
    ] {
        if rest >= size {
            parts.push((rest / size, unit));
            rest %= size;
        }
    }
    if parts.is_empty() {
        parts.push((0, "minute"));
    }
    parts
}

/// Human dates as renderedFields show them: "Today 12:51 AM", "Yesterday 3:10 PM",
/// "Tuesday 4:38 PM" within a week, else "01/Mar/23 11:34 AM".
fn human_time(t: &Timestamp, now: Option<Timestamp>) -> String {
    let clock = t.format("%-I:%M %p");
    if let Some(now) = now {
        let local = t.with_timezone(now.offset());
        let days = (now.date_naive() - local.date_naive()).num_days();
        match days {
            0 => return format!("Today {clock}"),
            1 => return format!("Yesterday {clock}"),
            2..=6 => return format!("{} {clock}", local.format("%A")),
            _ => {}
        }
    }
    t.format("%d/%b/%y %-I:%M %p").to_string()
}

/// A sprint's dates as Jira's sprint objects carry them (the issue field and the Agile
/// API alike): UTC with a `Z`; a closed sprint completed when it ended.
pub(crate) fn put_sprint_dates(out: &mut Value, sprint: &Sprint) {
    let utc = |t: &Timestamp| {
        t.with_timezone(&chrono::Utc)
            .format("%Y-%m-%dT%H:%M:%S%.3fZ")
            .to_string()
    };
    if let Some(start) = &sprint.start_date {
        out["startDate"] = json!(utc(start));
    }
    if let Some(end) = &sprint.end_date {
        out["endDate"] = json!(utc(end));
        if sprint.state == "closed" {
            out["completeDate"] = json!(utc(end));
        }
    }
}

impl<'a> Render<'a> {
    fn store(&self) -> &'a Store {
        self.db.store()
    }

    fn api(&self, path: &str) -> String {
        format!("{}/rest/api/3/{path}", self.api)
    }

    /// `UserDetails` for an account id; ids the store does not know render as Jira's
    /// "Former user" (an account that was deleted).
    pub fn user_ref(&self, account_id: &str) -> Value {
        match self.store().user(account_id) {
            Some(user) => self.user_details(user),
            None => json!({
                "self": self.api(&format!("user?accountId={account_id}")),
                "accountId": account_id,
                "avatarUrls": avatar_urls(&format!(
                    "https://avatar-management--avatars.us-west-2.prod.public.atl-paas.net/default-avatar-{}.png",
                    avatar_colour(account_id)
                )),
                "displayName": "Former user",
                "active": false,
                "timeZone": "Etc/UTC",
                "accountType": "unknown",
            }),
        }
    }

    fn opt_user(&self, account_id: Option<&str>) -> Value {
        account_id.map_or(Value::Null, |id| self.user_ref(id))
    }

    /// `UserDetails`: what issues embed. `emailAddress` only when the user does not hide it.
    pub fn user_details(&self, user: &User) -> Value {
        let mut out = json!({
            "self": self.api(&format!("user?accountId={}", user.account_id)),
            "accountId": user.account_id,
            "avatarUrls": avatar_urls(&format!(
                "https://avatar-management--avatars.us-west-2.prod.public.atl-paas.net/initials/{}-{}.png",
                initials(&user.display_name),
                avatar_colour(&user.account_id)
            )),
            "displayName": user.display_name,
            "active": user.active,
            "timeZone": user.time_zone,
            "accountType": user.account_type,
        });
        if let Some(email) = &user.email {
            out["emailAddress"] = json!(email);
        }
        out
    }

    /// `User` as `GET /myself` returns it: `groups` always says how many groups the user
    /// is in, and lists them only when expanded (`expand=groups`), as Jira does. The store
    /// has no application roles, so that list is always empty.
    pub fn myself(&self, user: &User, expand_groups: bool) -> Value {
        let mut out = self.user_details(user);
        out["locale"] = json!("en_US");
        out["expand"] = json!("groups,applicationRoles");
        let groups: Vec<Value> = self
            .store()
            .groups_of(&user.account_id)
            .map(|g| self.group_name(g))
            .collect();
        let size = groups.len();
        let items = if expand_groups { groups } else { Vec::new() };
        out["groups"] = json!({"size": size, "items": items});
        out["applicationRoles"] = json!({"size": 0, "items": []});
        out
    }

    /// `GroupName`: how `/myself?expand=groups` and `/user/groups` name a group.
    pub fn group_name(&self, group: &Group) -> Value {
        json!({
            "name": group.name,
            "groupId": group.id,
            "self": self.api(&format!("group?groupId={}", group.id)),
        })
    }

    pub fn status(&self, status: &Status) -> Value {
        json!({
            "self": self.api(&format!("status/{}", status.id)),
            "description": status.description,
            "iconUrl": format!("{}/images/icons/statuses/generic.png", self.api),
            "name": status.name,
            "untranslatedName": status.name,
            "id": status.id.to_string(),
            "statusCategory": category_json(self.api, status.category),
        })
    }

    fn status_by_id(&self, id: u64) -> Value {
        self.store()
            .status(id)
            .map_or(Value::Null, |s| self.status(s))
    }

    /// The short priority shape issues embed.
    pub fn priority_ref(&self, priority: &Priority) -> Value {
        json!({
            "self": self.api(&format!("priority/{}", priority.id)),
            "iconUrl": self.priority_icon(priority),
            "name": priority.name,
            "id": priority.id.to_string(),
        })
    }

    fn priority_icon(&self, priority: &Priority) -> String {
        format!(
            "{}/images/icons/priorities/{}.svg",
            self.api,
            priority.name.to_lowercase().replace(' ', "")
        )
    }

    /// The full priority shape of `GET /priority`.
    pub fn priority(&self, priority: &Priority) -> Value {
        json!({
            "self": self.api(&format!("priority/{}", priority.id)),
            "statusColor": priority.status_color,
            "description": priority.description,
            "iconUrl": self.priority_icon(priority),
            "name": priority.name,
            "id": priority.id.to_string(),
            "isDefault": priority.is_default,
        })
    }

    fn opt_priority(&self, id: Option<u64>) -> Value {
        id.and_then(|id| self.store().priorities.iter().find(|p| p.id == id))
            .map_or(Value::Null, |p| self.priority_ref(p))
    }

    fn issue_type_avatar(issue_type: &IssueType) -> u64 {
        const AVATAR_BASE: u64 = 10300;
        AVATAR_BASE + issue_type.id % 100
    }

    pub fn issue_type(&self, issue_type: &IssueType) -> Value {
        let avatar = Self::issue_type_avatar(issue_type);
        json!({
            "self": self.api(&format!("issuetype/{}", issue_type.id)),
            "id": issue_type.id.to_string(),
            "description": issue_type.description,
            "iconUrl": format!(
                "{}/rest/api/2/universal_avatar/view/type/issuetype/avatar/{avatar}?size=medium",
                self.api
            ),
            "name": issue_type.name,
            "subtask": issue_type.subtask,
            "avatarId": avatar,
            "hierarchyLevel": issue_type.hierarchy_level,
        })
    }

    fn issue_type_by_id(&self, id: u64) -> Value {
        self.store()
            .issue_types
            .iter()
            .find(|t| t.id == id)
            .map_or(Value::Null, |t| self.issue_type(t))
    }

    fn project_avatars(&self, project: &Project) -> Value {
        const PROJECT_AVATAR_BASE: u64 = 10400;
        let avatar = PROJECT_AVATAR_BASE + project.id % 100;
        let base = format!(
            "{}/rest/api/3/universal_avatar/view/type/project/avatar/{avatar}",
            self.api
        );
        json!({
            "48x48": base,
            "24x24": format!("{base}?size=small"),
            "16x16": format!("{base}?size=xsmall"),
            "32x32": format!("{base}?size=medium"),
        })
    }

    fn category(&self, name: &str) -> Value {
        const CATEGORY_ID_BASE: usize = 10000;
        let mut names: Vec<&str> = self
            .store()
            .projects
            .iter()
            .filter_map(|p| p.category.as_deref())
            .collect();
        names.sort_unstable();
        names.dedup();
        let id = CATEGORY_ID_BASE + names.iter().position(|n| *n == name).unwrap_or_default();
        json!({
            "self": self.api(&format!("projectCategory/{id}")),
            "id": id.to_string(),
            "name": name,
            "description": format!("{name} projects"),
        })
    }

    /// The short project shape issues embed.
    pub fn project_ref(&self, project: &Project) -> Value {
        let mut out = json!({
            "self": self.api(&format!("project/{}", project.id)),
            "id": project.id.to_string(),
            "key": project.key,
            "name": project.name,
            "projectTypeKey": project.project_type_key,
            "simplified": project.simplified,
            "avatarUrls": self.project_avatars(project),
        });
        if let Some(category) = &project.category {
            out["projectCategory"] = self.category(category);
        }
        out
    }

    /// A `Project` as `GET /project/search` lists it, with the requested expansions.
    pub fn project(&self, project: &Project, expand: &[&str]) -> Value {
        let wants = |name: &str| expand.iter().any(|e| e.trim() == name);
        let mut out = json!({
            "expand": "description,lead,issueTypes,url,projectKeys,permissions,insight",
            "self": self.api(&format!("project/{}", project.id)),
            "id": project.id.to_string(),
            "key": project.key,
            "name": project.name,
            "avatarUrls": self.project_avatars(project),
            "projectTypeKey": project.project_type_key,
            "simplified": project.simplified,
            "style": project.style,
            "isPrivate": false,
            "properties": {},
        });
        if let Some(category) = &project.category {
            out["projectCategory"] = self.category(category);
        }
        if wants("description") {
            out["description"] = json!(project.description);
        }
        if wants("lead") {
            out["lead"] = self.user_ref(&project.lead);
        }
        if wants("issueTypes") {
            out["issueTypes"] = project
                .issue_type_ids
                .iter()
                .filter_map(|id| self.store().issue_types.iter().find(|t| t.id == *id))
                .map(|t| self.issue_type(t))
                .collect();
        }
        if wants("url") {
            out["url"] = json!("");
        }
        if wants("insight") {
            let issues = self
                .store()
                .issues
                .iter()
                .filter(|i| i.project_id == project.id);
            let count = issues.clone().count();
            let mut insight = json!({ "totalIssueCount": count });
            if let Some(last) = issues.map(|i| i.updated).max() {
                insight["lastIssueUpdateTime"] = json!(timestamp(&last));
            }
            out["insight"] = insight;
        }
        out
    }

    pub fn resolution(&self, resolution: &Resolution) -> Value {
        json!({
            "self": self.api(&format!("resolution/{}", resolution.id)),
            "id": resolution.id.to_string(),
            "description": resolution.description,
            "name": resolution.name,
        })
    }

    pub fn component(&self, component: &Component) -> Value {
        let mut out = json!({
            "self": self.api(&format!("component/{}", component.id)),
            "id": component.id.to_string(),
            "name": component.name,
        });
        if !component.description.is_empty() {
            out["description"] = json!(component.description);
        }
        out
    }

    pub fn version(&self, version: &Version) -> Value {
        let mut out = json!({
            "self": self.api(&format!("version/{}", version.id)),
            "id": version.id.to_string(),
            "name": version.name,
            "archived": version.archived,
            "released": version.released,
        });
        if !version.description.is_empty() {
            out["description"] = json!(version.description);
        }
        if let Some(date) = version.release_date {
            out["releaseDate"] = json!(date.format("%Y-%m-%d").to_string());
        }
        out
    }

    /// A select field's option (`CustomFieldOption`, with the `id` real payloads carry).
    pub fn select_option(&self, id: u64, value: &str) -> Value {
        json!({
            "self": self.api(&format!("customFieldOption/{id}")),
            "value": value,
            "id": id.to_string(),
        })
    }

    fn components_of(&self, ids: &[u64]) -> Value {
        let all = self.store().projects.iter().flat_map(|p| &p.components);
        ids.iter()
            .filter_map(|id| all.clone().find(|c| c.id == *id))
            .map(|c| self.component(c))
            .collect()
    }

    fn versions_of(&self, ids: &[u64]) -> Value {
        let all = self.store().projects.iter().flat_map(|p| &p.versions);
        ids.iter()
            .filter_map(|id| all.clone().find(|v| v.id == *id))
            .map(|v| self.version(v))
            .collect()
    }

    fn sprint(&self, sprint: &Sprint) -> Value {
        let mut out = json!({
            "id": sprint.id,
            "name": sprint.name,
            "state": sprint.state,
            "boardId": sprint.board_id,
            "goal": sprint.goal,
        });
        put_sprint_dates(&mut out, sprint);
        out
    }

    /// `{id, key, self, fields{summary,status,priority,issuetype}}`: how parents, sub-tasks
    /// and linked issues appear inside another issue.
    fn issue_stub(&self, issue: &Issue) -> Value {
        json!({
            "id": issue.id.to_string(),
            "key": issue.key,
            "self": self.api(&format!("issue/{}", issue.id)),
            "fields": {
                "summary": issue.summary,
                "status": self.status_by_id(issue.status_id),
                "priority": self.opt_priority(issue.priority_id),
                "issuetype": self.issue_type_by_id(issue.issue_type_id),
            },
        })
    }

    /// A comment; `rendered` adds `renderedBody` (HTML).
    pub fn comment(&self, issue: &Issue, comment: &Comment, rendered: bool) -> Value {
        let mut out = json!({
            "self": self.api(&format!("issue/{}/comment/{}", issue.id, comment.id)),
            "id": comment.id.to_string(),
            "author": self.user_ref(&comment.author),
            "body": comment.body,
            "updateAuthor": self.user_ref(&comment.update_author),
            "created": timestamp(&comment.created),
            "updated": timestamp(&comment.updated),
            "jsdPublic": true,
        });
        if let Some((kind, value)) = &comment.visibility {
            // A group is identified by its id, a role by its name (the spec's wording).
            let identifier = match kind.as_str() {
                "group" => self
                    .store()
                    .schemes
                    .groups
                    .iter()
                    .find(|g| g.name == *value)
                    .map_or_else(|| value.clone(), |g| g.id.clone()),
                _ => value.clone(),
            };
            out["visibility"] = json!({ "type": kind, "value": value, "identifier": identifier });
        }
        if rendered {
            out["renderedBody"] = json!(adf::to_html(&comment.body));
        }
        out
    }

    /// `PageOfComments` over `comments` (already ordered by the caller).
    pub fn comment_page(
        &self,
        issue: &Issue,
        comments: &[&Comment],
        start_at: usize,
        max_results: usize,
        rendered: bool,
    ) -> Value {
        let page: Vec<Value> = comments
            .iter()
            .skip(start_at)
            .take(max_results)
            .map(|c| self.comment(issue, c, rendered))
            .collect();
        json!({
            "startAt": start_at,
            "maxResults": max_results,
            "total": comments.len(),
            "comments": page,
        })
    }

    fn attachment(&self, attachment: &Attachment) -> Value {
        let mut out = json!({
            "self": self.api(&format!("attachment/{}", attachment.id)),
            "id": attachment.id.to_string(),
            "filename": attachment.filename,
            "author": self.user_ref(&attachment.author),
            "created": timestamp(&attachment.created),
            "size": attachment.size,
            "mimeType": attachment.mime_type,
            "content": self.api(&format!("attachment/content/{}", attachment.id)),
        });
        if attachment.mime_type.starts_with("image/") {
            out["thumbnail"] = json!(self.api(&format!("attachment/thumbnail/{}", attachment.id)));
        }
        out
    }

    fn issue_links(&self, issue: &Issue) -> Value {
        let store = self.store();
        issue
            .links
            .iter()
            .filter_map(|link| {
                let link_type = store
                    .link_types
                    .iter()
                    .find(|t| t.id == link.link_type_id)?;
                let other = self.db.issue(&link.other_key)?;
                let side = match link.direction {
                    LinkDirection::Outward => "outwardIssue",
                    LinkDirection::Inward => "inwardIssue",
                };
                let mut out = json!({
                    "id": link.id.to_string(),
                    "self": self.api(&format!("issueLink/{}", link.id)),
                    "type": {
                        "id": link_type.id.to_string(),
                        "name": link_type.name,
                        "inward": link_type.inward,
                        "outward": link_type.outward,
                        "self": self.api(&format!("issueLinkType/{}", link_type.id)),
                    },
                });
                out[side] = self.issue_stub(other);
                Some(out)
            })
            .collect()
    }

    fn subtasks(&self, pos: usize) -> Value {
        let store = self.store();
        self.db
            .index()
            .children(pos)
            .iter()
            .filter_map(|child| store.issues.get(*child))
            .filter(|child| {
                store
                    .issue_types
                    .iter()
                    .any(|t| t.id == child.issue_type_id && t.subtask)
            })
            .map(|child| self.issue_stub(child))
            .collect()
    }

    fn time_tracking(issue: &Issue) -> Value {
        let t = &issue.time_tracking;
        let mut out = Map::new();
        if let Some(s) = t.original_estimate_seconds {
            out.insert("originalEstimate".into(), json!(duration_short(s)));
            out.insert("originalEstimateSeconds".into(), json!(s));
        }
        if let Some(s) = t.remaining_estimate_seconds {
            out.insert("remainingEstimate".into(), json!(duration_short(s)));
            out.insert("remainingEstimateSeconds".into(), json!(s));
        }
        if let Some(s) = t.time_spent_seconds {
            out.insert("timeSpent".into(), json!(duration_short(s)));
            out.insert("timeSpentSeconds".into(), json!(s));
        }
        Value::Object(out)
    }

    fn progress(issue: &Issue) -> Value {
        let spent = issue.time_tracking.time_spent_seconds.unwrap_or_default();
        let remaining = issue
            .time_tracking
            .remaining_estimate_seconds
            .unwrap_or_default();
        let total = spent + remaining;
        let mut out = json!({ "progress": spent, "total": total });
        if let Some(percent) = (spent * 100).checked_div(total) {
            out["percent"] = json!(percent);
        }
        out
    }

    fn custom_value(&self, field: &CustomField, value: Option<&Value>) -> Value {
        let Some(value) = value.filter(|v| !v.is_null()) else {
            return Value::Null;
        };
        match &field.kind {
            CustomFieldKind::Number => match value {
                Value::String(s) => s.parse::<f64>().map_or(Value::Null, |n| json!(n)),
                other => other.clone(),
            },
            CustomFieldKind::Text | CustomFieldKind::TextArea => value.clone(),
            CustomFieldKind::Sprint => {
                let sprints: Vec<Value> = sprint_ids(Some(value))
                    .iter()
                    .filter_map(|id| self.store().sprints.iter().find(|s| s.id == *id))
                    .map(|s| self.sprint(s))
                    .collect();
                if sprints.is_empty() {
                    Value::Null
                } else {
                    Value::Array(sprints)
                }
            }
            CustomFieldKind::Select(options) => select_id(Some(value), options)
                .and_then(|id| options.iter().find(|(o, _)| *o == id))
                .map_or(Value::Null, |(id, name)| self.select_option(*id, name)),
            CustomFieldKind::User => self.opt_user(user_id(Some(value))),
            CustomFieldKind::Date => value
                .as_str()
                .map_or(Value::Null, |s| json!(s.get(..10).unwrap_or(s))),
        }
    }

    /// The value of one field of an issue, or `None` when Jira leaves the member out
    /// (`parent` of an issue without one).
    pub fn field_value(&self, pos: usize, def: &FieldDef) -> Option<Value> {
        let store = self.store();
        let issue = store.issues.get(pos)?;
        if let Some(custom_id) = def.custom_id {
            let field = store.custom_fields.iter().find(|f| f.id == custom_id)?;
            return Some(self.custom_value(field, issue.custom.get(&custom_id)));
        }
        let t = &issue.time_tracking;
        let ts = |t: &Option<Timestamp>| t.as_ref().map_or(Value::Null, |t| json!(timestamp(t)));
        let value = match def.id.as_str() {
            "summary" => json!(issue.summary),
            "issuetype" => self.issue_type_by_id(issue.issue_type_id),
            "parent" => {
                let parent = self.db.issue(issue.parent.as_deref()?)?;
                self.issue_stub(parent)
            }
            "project" => store
                .project(issue.project_id)
                .map_or(Value::Null, |p| self.project_ref(p)),
            "status" => self.status_by_id(issue.status_id),
            "statuscategorychangedate" => ts(&issue.status_category_change_date),
            "priority" => self.opt_priority(issue.priority_id),
            "resolution" => issue
                .resolution_id
                .and_then(|id| store.resolutions.iter().find(|r| r.id == id))
                .map_or(Value::Null, |r| self.resolution(r)),
            "resolutiondate" => ts(&issue.resolution_date),
            "assignee" => self.opt_user(issue.assignee.as_deref()),
            "reporter" => self.opt_user(issue.reporter.as_deref()),
            "creator" => self.opt_user(issue.creator.as_deref()),
            "description" => issue.description.clone().unwrap_or(Value::Null),
            "environment" => issue.environment.clone().unwrap_or(Value::Null),
            "labels" => json!(issue.labels),
            "components" => self.components_of(&issue.component_ids),
            "fixVersions" => self.versions_of(&issue.fix_version_ids),
            "versions" => self.versions_of(&issue.affects_version_ids),
            "duedate" => issue
                .due_date
                .map_or(Value::Null, |d| json!(d.format("%Y-%m-%d").to_string())),
            "created" => json!(timestamp(&issue.created)),
            "updated" => json!(timestamp(&issue.updated)),
            "lastViewed" => Value::Null,
            "subtasks" => self.subtasks(pos),
            "issuelinks" => self.issue_links(issue),
            "comment" => {
                let all: Vec<&Comment> = issue.comments.iter().collect();
                let mut page = self.comment_page(issue, &all, 0, all.len(), false);
                page["self"] = json!(self.api(&format!("issue/{}/comment", issue.id)));
                page
            }
            "attachment" => issue
                .attachments
                .iter()
                .map(|a| self.attachment(a))
                .collect(),
            "watches" => json!({
                "self": self.api(&format!("issue/{}/watchers", issue.key)),
                "watchCount": issue.watchers.len(),
                "isWatching": self.me.is_some_and(|me| issue.watchers.iter().any(|w| w == me)),
            }),
            "votes" => json!({
                "self": self.api(&format!("issue/{}/votes", issue.key)),
                "votes": issue.votes,
                "hasVoted": false,
            }),
            "worklog" => json!({
                "startAt": 0,
                "maxResults": EMBEDDED_WORKLOG_PAGE,
                "total": 0,
                "worklogs": [],
            }),
            "timetracking" => Self::time_tracking(issue),
            "timespent" | "aggregatetimespent" => json!(t.time_spent_seconds),
            "timeoriginalestimate" | "aggregatetimeoriginalestimate" => {
                json!(t.original_estimate_seconds)
            }
            "timeestimate" | "aggregatetimeestimate" => json!(t.remaining_estimate_seconds),
            "progress" | "aggregateprogress" => Self::progress(issue),
            "workratio" => match (t.original_estimate_seconds, t.time_spent_seconds) {
                (Some(original), spent) if original > 0 => {
                    json!(spent.unwrap_or_default() * 100 / original)
                }
                _ => json!(-1),
            },
            "security" => Value::Null,
            "issuerestriction" => json!({ "issuerestrictions": {}, "shouldDisplay": false }),
            _ => return None,
        };
        Some(value)
    }

    /// The `renderedFields` value of one field: HTML for rich text, human dates, or null.
    fn rendered_value(&self, pos: usize, def: &FieldDef) -> Value {
        let store = self.store();
        let Some(issue) = store.issues.get(pos) else {
            return Value::Null;
        };
        let now = store.now;
        let human = |t: &Option<Timestamp>| {
            t.as_ref()
                .map_or(Value::Null, |t| json!(human_time(t, now)))
        };
        let html =
            |doc: &Option<Value>| doc.as_ref().map_or(Value::Null, |d| json!(adf::to_html(d)));
        let long = |s: Option<u64>| s.map_or(Value::Null, |s| json!(duration_long(s)));
        if let Some(custom_id) = def.custom_id {
            let field = store.custom_fields.iter().find(|f| f.id == custom_id);
            let value = issue.custom.get(&custom_id);
            return match (field.map(|f| &f.kind), value) {
                (Some(CustomFieldKind::TextArea), Some(doc @ Value::Object(_))) => {
                    json!(adf::to_html(doc))
                }
                (
                    Some(CustomFieldKind::Text | CustomFieldKind::TextArea),
                    Some(Value::String(s)),
                ) => {
                    json!(adf::escape(s))
                }
                (Some(CustomFieldKind::Date), Some(Value::String(s))) => {
                    super::eval::date_value(Some(&json!(s)))
                        .map_or(Value::Null, |d| json!(d.format("%d/%b/%y").to_string()))
                }
                _ => Value::Null,
            };
        }
        let t = &issue.time_tracking;
        match def.id.as_str() {
            "description" => html(&issue.description),
            "environment" => html(&issue.environment),
            "created" => human(&Some(issue.created)),
            "updated" => human(&Some(issue.updated)),
            "resolutiondate" => human(&issue.resolution_date),
            "statuscategorychangedate" => human(&issue.status_category_change_date),
            "duedate" => issue
                .due_date
                .map_or(Value::Null, |d| json!(d.format("%d/%b/%y").to_string())),
            "comment" => {
                let comments: Vec<Value> = issue
                    .comments
                    .iter()
                    .map(|c| {
                        let mut out = self.comment(issue, c, false);
                        out["body"] = json!(adf::to_html(&c.body));
                        out["created"] = json!(human_time(&c.created, now));
                        out["updated"] = json!(human_time(&c.updated, now));
                        out
                    })
                    .collect();
                json!({
                    "comments": comments,
                    "maxResults": issue.comments.len(),
                    "total": issue.comments.len(),
                    "startAt": 0,
                })
            }
            "worklog" => json!({
                "startAt": 0,
                "maxResults": EMBEDDED_WORKLOG_PAGE,
                "total": 0,
                "worklogs": [],
            }),
            "timetracking" => {
                let mut out = Map::new();
                if let Some(s) = t.original_estimate_seconds {
                    out.insert("originalEstimate".into(), json!(duration_long(s)));
                    out.insert("originalEstimateSeconds".into(), json!(s));
                }
                if let Some(s) = t.remaining_estimate_seconds {
                    out.insert("remainingEstimate".into(), json!(duration_long(s)));
                    out.insert("remainingEstimateSeconds".into(), json!(s));
                }
                if let Some(s) = t.time_spent_seconds {
                    out.insert("timeSpent".into(), json!(duration_long(s)));
                    out.insert("timeSpentSeconds".into(), json!(s));
                }
                Value::Object(out)
            }
            "timespent" | "aggregatetimespent" => long(t.time_spent_seconds),
            "timeoriginalestimate" | "aggregatetimeoriginalestimate" => {
                long(t.original_estimate_seconds)
            }
            "timeestimate" | "aggregatetimeestimate" => long(t.remaining_estimate_seconds),
            _ => Value::Null,
        }
    }

    /// `names` for the selected fields: field id -> display name.
    pub fn names(&self, selection: &Selection) -> Value {
        selection
            .fields
            .iter()
            .filter_map(|p| self.catalogue.get(*p))
            .map(|f| (f.id.clone(), json!(f.name)))
            .collect::<Map<_, _>>()
            .into()
    }

    /// `schema` for the selected fields that have one: field id -> `JsonTypeBean`.
    pub fn schema(&self, selection: &Selection) -> Value {
        selection
            .fields
            .iter()
            .filter_map(|p| self.catalogue.get(*p))
            .filter_map(|f| f.schema.clone().map(|s| (f.id.clone(), s)))
            .collect::<Map<_, _>>()
            .into()
    }

    /// An `IssueBean`. With an id-only selection this is just `{"id": ...}`, as the enhanced
    /// search returns by default. `with_names_schema` puts `names`/`schema` inside the issue
    /// (GET issue) rather than beside it (search).
    pub fn issue(
        &self,
        pos: usize,
        selection: &Selection,
        expand: Expand,
        with_names_schema: bool,
    ) -> Value {
        let Some(issue) = self.store().issues.get(pos) else {
            return Value::Null;
        };
        if selection.id_only && expand == Expand::default() {
            return json!({ "id": issue.id.to_string() });
        }
        let mut fields = Map::new();
        for def in selection
            .fields
            .iter()
            .filter_map(|p| self.catalogue.get(*p))
        {
            if let Some(value) = self.field_value(pos, def) {
                fields.insert(def.id.clone(), value);
            }
        }
        let mut out = json!({
            "expand": ISSUE_EXPANDS,
            "id": issue.id.to_string(),
            "self": self.api(&format!("issue/{}", issue.id)),
            "key": issue.key,
        });
        if expand.versioned_representations {
            // "Instead of fields": every field becomes `{ "1": value }`.
            let versioned: Map<String, Value> = fields
                .into_iter()
                .map(|(id, value)| (id, json!({ "1": value })))
                .collect();
            out["versionedRepresentations"] = Value::Object(versioned);
        } else {
            out["fields"] = Value::Object(fields);
        }
        if expand.rendered_fields {
            let rendered: Map<String, Value> = selection
                .fields
                .iter()
                .filter_map(|p| self.catalogue.get(*p))
                .map(|def| (def.id.clone(), self.rendered_value(pos, def)))
                .collect();
            out["renderedFields"] = Value::Object(rendered);
        }
        if with_names_schema && expand.names {
            out["names"] = self.names(selection);
        }
        if with_names_schema && expand.schema {
            out["schema"] = self.schema(selection);
        }
        if expand.transitions {
            out["transitions"] = self.transitions(issue);
        }
        if expand.editmeta {
            out["editmeta"] = self.editmeta(issue);
        }
        if expand.changelog {
            out["changelog"] = self.changelog(issue);
        }
        if expand.operations {
            out["operations"] = self.operations(issue);
        }
        out
    }

    /// The transitions available from the issue's status under the store's workflow.
    pub fn transitions(&self, issue: &Issue) -> Value {
        self.store()
            .workflow
            .transitions
            .iter()
            .filter(|t| t.from.is_empty() || t.from.contains(&issue.status_id))
            .filter(|t| t.to != issue.status_id)
            .map(|t| {
                json!({
                    "id": t.id.to_string(),
                    "name": t.name,
                    "to": self.status_by_id(t.to),
                    "hasScreen": !t.screen_fields.is_empty(),
                    "isGlobal": t.from.is_empty(),
                    "isInitial": false,
                    "isAvailable": true,
                    "isConditional": false,
                    "isLooped": false,
                })
            })
            .collect()
    }

    /// `editmeta`: the fields an issue's edit screen offers, with allowed values (the
    /// screens live in [`super::screens`], which the write routes check against too).
    pub fn editmeta(&self, issue: &Issue) -> Value {
        json!({ "fields": super::screens::editmeta(self, issue) })
    }

    fn change_item(&self, item: &ChangeItem) -> Value {
        let mut out = json!({ "field": item.field, "fieldtype": item.field_type });
        let field_id = if item.field_type == "custom" {
            self.store()
                .custom_fields
                .iter()
                .find(|f| f.name.eq_ignore_ascii_case(&item.field))
                .map(|f| custom_field_id(f.id))
        } else {
            let wanted = item.field.to_lowercase();
            self.catalogue
                .iter()
                .find(|f| {
                    !f.custom && (f.id.to_lowercase() == wanted || f.name.to_lowercase() == wanted)
                })
                .map(|f| f.id.clone())
                .or_else(|| match wanted.as_str() {
                    "fix version" => Some("fixVersions".to_owned()),
                    "version" => Some("versions".to_owned()),
                    "component" => Some("components".to_owned()),
                    _ => None,
                })
        };
        if let Some(id) = field_id {
            out["fieldId"] = json!(id);
        }
        // Jira sends nulls here; the spec declares plain strings, so absent members stand in.
        for (key, value) in [
            ("from", &item.from),
            ("fromString", &item.from_string),
            ("to", &item.to),
            ("toString", &item.to_string),
        ] {
            if let Some(value) = value {
                out[key] = json!(value);
            }
        }
        out
    }

    /// `changelog`: every history, most recent first.
    pub fn changelog(&self, issue: &Issue) -> Value {
        let mut histories: Vec<_> = issue.changelog.iter().collect();
        histories.sort_by(|a, b| b.created.cmp(&a.created).then(b.id.cmp(&a.id)));
        let histories: Vec<Value> = histories
            .iter()
            .map(|h| {
                json!({
                    "id": h.id.to_string(),
                    "author": self.user_ref(&h.author),
                    "created": timestamp(&h.created),
                    "items": h.items.iter().map(|i| self.change_item(i)).collect::<Vec<_>>(),
                })
            })
            .collect();
        json!({
            "startAt": 0,
            "maxResults": histories.len(),
            "total": histories.len(),
            "histories": histories,
        })
    }

    /// `operations`: the link groups of the issue's menus, reduced to edit/comment/transitions.
    fn operations(&self, issue: &Issue) -> Value {
        let site = self.api;
        let link = |id: &str, label: &str, href: String, weight: u64| {
            json!({
                "id": id,
                "styleClass": format!("issueaction-{id}"),
                "label": label,
                "title": label,
                "href": href,
                "weight": weight,
            })
        };
        let transitions: Vec<Value> = self
            .transitions(issue)
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let id = t["id"].as_str().unwrap_or_default();
                let name = t["name"].as_str().unwrap_or_default();
                link(
                    &format!("action_id_{id}"),
                    name,
                    format!(
                        "{site}/secure/WorkflowUIDispatcher.jspa?id={}&action={id}",
                        issue.id
                    ),
                    i as u64 + 1,
                )
            })
            .collect();
        json!({
            "linkGroups": [
                {
                    "id": "view.issue.opsbar",
                    "links": [],
                    "groups": [
                        {
                            "id": "edit-issue_container",
                            "weight": 1,
                            "links": [link("edit-issue", "Edit", format!("{site}/secure/EditIssue!default.jspa?id={}", issue.id), 1)],
                            "groups": [],
                        },
                        {
                            "id": "comment-issue_container",
                            "weight": 2,
                            "links": [link("comment-issue", "Comment", format!("{site}/secure/AddComment!default.jspa?id={}", issue.id), 1)],
                            "groups": [],
                        },
                        {
                            "id": "transitions-all",
                            "weight": 3,
                            "links": transitions,
                            "groups": [],
                        },
                    ],
                },
            ],
        })
    }

    /// A `FieldDetails` entry of `GET /field`.
    pub fn field_details(def: &FieldDef) -> Value {
        let mut out = json!({
            "id": def.id,
            "key": def.id,
            "name": def.name,
            "custom": def.custom,
            "orderable": def.orderable,
            "navigable": def.navigable,
            "searchable": def.searchable,
            "clauseNames": def.clause_names,
        });
        if let Some(schema) = &def.schema {
            out["schema"] = schema.clone();
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;

    #[test]
    fn timestamps_use_jira_format() {
        let t = DateTime::parse_from_rfc3339("2023-03-01T11:34:49.730+02:00").expect("valid");
        assert_eq!(timestamp(&t), "2023-03-01T11:34:49.730+0200");
    }

    #[test]
    fn durations_use_the_working_week() {
        assert_eq!(duration_short(2_217_960), "15w 2d 6m");
        assert_eq!(duration_long(2_217_960), "15 weeks, 2 days, 6 minutes");
        assert_eq!(duration_short(3600), "1h");
        assert_eq!(duration_long(60), "1 minute");
    }

    #[test]
    fn human_times_are_relative_within_a_week() {
        let now = DateTime::parse_from_rfc3339("2023-04-20T01:00:00+03:00").expect("valid");
        let at = |s: &str| human_time(&DateTime::parse_from_rfc3339(s).expect("valid"), Some(now));
        assert_eq!(at("2023-04-20T00:51:21+03:00"), "Today 12:51 AM");
        assert_eq!(at("2023-04-19T15:10:00+03:00"), "Yesterday 3:10 PM");
        assert_eq!(at("2023-04-18T16:38:35+03:00"), "Tuesday 4:38 PM");
        assert_eq!(at("2023-03-01T11:34:49+03:00"), "01/Mar/23 11:34 AM");
    }

    #[test]
    fn expand_parses_comma_lists() {
        let e = Expand::parse(["names, renderedFields", "transitions,bogus"]);
        assert!(e.names && e.rendered_fields && e.transitions);
        assert!(!e.schema && !e.changelog);
    }
}
