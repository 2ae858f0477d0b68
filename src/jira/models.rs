//! Typed Jira Cloud REST API v3 response models.
//!
//! Decoding degrades instead of failing: unknown members are ignored, anything Jira may
//! omit or send as `null` is optional or defaulted, ids may arrive as strings or
//! numbers, and a member with an unexpected shape falls back to its default rather than
//! rejecting the whole issue (real payloads and even Atlassian's own spec examples
//! disagree on shapes such as `comment` being a page or a bare array). Custom fields
//! stay `serde_json::Value`s in [`IssueFields::other`].
//!
//! These types are only for reading; request bodies are built in the client.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use super::adf::{self, Adf};
use crate::sanitize::sanitize_line;

/// A Jira user (`User` / `UserDetails` in the spec).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct User {
    #[serde(deserialize_with = "de::string")]
    pub account_id: String,
    #[serde(deserialize_with = "de::string")]
    pub display_name: String,
    /// `None` when hidden by the user's privacy settings (Jira sends `""` or omits it).
    #[serde(deserialize_with = "de::opt_nonempty_string")]
    pub email_address: Option<String>,
    #[serde(deserialize_with = "de::bool_default_true")]
    pub active: bool,
    #[serde(deserialize_with = "de::opt_nonempty_string")]
    pub time_zone: Option<String>,
    /// `atlassian`, `app`, `customer` or `unknown`.
    #[serde(deserialize_with = "de::opt_nonempty_string")]
    pub account_type: Option<String>,
    #[serde(rename = "self", deserialize_with = "de::opt_nonempty_string")]
    pub self_url: Option<String>,
}

impl Default for User {
    fn default() -> Self {
        User {
            account_id: String::new(),
            display_name: String::new(),
            email_address: None,
            // Jira lists inactive users explicitly; a user object without `active` is
            // an abbreviated one for someone who exists.
            active: true,
            time_zone: None,
            account_type: None,
            self_url: None,
        }
    }
}

impl User {
    /// The name to show: display name, else account id, sanitised for the terminal.
    pub fn name(&self) -> String {
        let name = if self.display_name.trim().is_empty() {
            &self.account_id
        } else {
            &self.display_name
        };
        sanitize_line(name).into_owned()
    }
}

/// A group, as `GroupName` names it (`/myself?expand=groups`, `/user/groups`). Jira
/// Cloud identifies a group by `groupId`: its `name` can change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct GroupName {
    #[serde(deserialize_with = "de::string")]
    pub name: String,
    #[serde(deserialize_with = "de::opt_nonempty_string")]
    pub group_id: Option<String>,
}

/// `GET /myself?expand=groups`: only the groups, the rest of the user left unread.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct MyselfGroups {
    #[serde(deserialize_with = "de::lenient")]
    pub groups: GroupList,
}

/// `SimpleListWrapperGroupName`: `{size, items}`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct GroupList {
    #[serde(deserialize_with = "de::lenient_vec")]
    pub items: Vec<GroupName>,
}

/// `GET /rest/api/3/serverInfo`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ServerInfo {
    #[serde(deserialize_with = "de::string")]
    pub base_url: String,
    #[serde(deserialize_with = "de::string")]
    pub version: String,
    #[serde(deserialize_with = "de::lenient_vec")]
    pub version_numbers: Vec<u64>,
    /// `Cloud` for Jira Cloud.
    #[serde(deserialize_with = "de::string")]
    pub deployment_type: String,
    #[serde(deserialize_with = "de::opt_u64")]
    pub build_number: Option<u64>,
    #[serde(deserialize_with = "de::datetime")]
    pub build_date: Option<DateTime<FixedOffset>>,
    #[serde(deserialize_with = "de::datetime")]
    pub server_time: Option<DateTime<FixedOffset>>,
    #[serde(deserialize_with = "de::string")]
    pub scm_info: String,
    #[serde(deserialize_with = "de::string")]
    pub server_title: String,
    #[serde(deserialize_with = "de::opt_nonempty_string")]
    pub server_time_zone: Option<String>,
}

/// A project as listed by `/project/search` or returned by `/project/{key}`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Project {
    #[serde(deserialize_with = "de::string")]
    pub id: String,
    #[serde(deserialize_with = "de::string")]
    pub key: String,
    #[serde(deserialize_with = "de::string")]
    pub name: String,
    /// `software`, `business` or `service_desk`.
    #[serde(deserialize_with = "de::opt_nonempty_string")]
    pub project_type_key: Option<String>,
    /// `classic` (company-managed) or `next-gen` (team-managed).
    #[serde(deserialize_with = "de::opt_nonempty_string")]
    pub style: Option<String>,
    #[serde(deserialize_with = "de::bool")]
    pub simplified: bool,
    #[serde(deserialize_with = "de::lenient")]
    pub lead: Option<User>,
    /// Plain text (only with `expand=description`).
    #[serde(deserialize_with = "de::opt_nonempty_string")]
    pub description: Option<String>,
    #[serde(deserialize_with = "de::lenient")]
    pub project_category: Option<ProjectCategory>,
    #[serde(deserialize_with = "de::bool")]
    pub is_private: bool,
    #[serde(rename = "self", deserialize_with = "de::opt_nonempty_string")]
    pub self_url: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ProjectCategory {
    #[serde(deserialize_with = "de::string")]
    pub id: String,
    #[serde(deserialize_with = "de::string")]
    pub name: String,
    #[serde(deserialize_with = "de::opt_nonempty_string")]
    pub description: Option<String>,
}

/// An offset-paginated list (`PageBean*` in the spec): `/project/search`,
/// `/priority/search`, `/filter/search`, `/label`, ...
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub start_at: u64,
    pub max_results: u64,
    /// Some PageBeans omit it.
    pub total: Option<u64>,
    /// Always true when `values` is empty, so `while !page.is_last` loops terminate even
    /// against a server that says otherwise.
    pub is_last: bool,
    pub values: Vec<T>,
    /// URL of the next page, absent on the last one.
    pub next_page: Option<String>,
}

impl<T> Default for Page<T> {
    fn default() -> Self {
        Page {
            start_at: 0,
            max_results: 0,
            total: None,
            is_last: true,
            values: Vec::new(),
            next_page: None,
        }
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Page<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase", bound(deserialize = "T: DeserializeOwned"))]
        struct Raw<T> {
            #[serde(default, deserialize_with = "de::u64")]
            start_at: u64,
            #[serde(default, deserialize_with = "de::u64")]
            max_results: u64,
            #[serde(default, deserialize_with = "de::opt_u64")]
            total: Option<u64>,
            #[serde(default, deserialize_with = "de::opt_bool")]
            is_last: Option<bool>,
            #[serde(default = "Vec::new", deserialize_with = "de::lenient_vec")]
            values: Vec<T>,
            #[serde(default, deserialize_with = "de::opt_nonempty_string")]
            next_page: Option<String>,
        }
        let raw = Raw::<T>::deserialize(d)?;
        let shown = raw.start_at.saturating_add(raw.values.len() as u64);
        let is_last = raw.values.is_empty()
            || raw.is_last.unwrap_or(match (&raw.next_page, raw.total) {
                (Some(_), _) => false,
                (None, Some(total)) => shown >= total,
                (None, None) => true,
            });
        Ok(Page {
            start_at: raw.start_at,
            max_results: raw.max_results,
            total: raw.total,
            is_last,
            values: raw.values,
            next_page: raw.next_page,
        })
    }
}

/// Body of `POST /rest/api/3/search/jql`. Build with [`SearchRequest::new`] and the
/// `with_*` methods; the client serialises it exactly as Jira expects (`expand` as a
/// comma-separated string even in JSON).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchRequest {
    pub jql: String,
    /// Field ids or `*all`, `*navigable`, `-field`. Empty means Jira's default: `id` only.
    pub fields: Vec<String>,
    /// `names`, `renderedFields`, `schema`, `transitions`, `changelog`, ...
    pub expand: Vec<String>,
    /// `None` means Jira's default (50).
    pub max_results: Option<u32>,
    /// Token from the previous page; `None` for the first page.
    pub next_page_token: Option<String>,
    /// Ids of just-written issues, for read-after-write consistency (at most 50).
    pub reconcile_issues: Vec<u64>,
}

impl SearchRequest {
    pub fn new(jql: impl Into<String>) -> Self {
        SearchRequest {
            jql: jql.into(),
            ..SearchRequest::default()
        }
    }

    pub fn with_fields<I, S>(mut self, fields: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.fields = fields.into_iter().map(Into::into).collect();
        self
    }

    pub fn with_expand<I, S>(mut self, expand: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.expand = expand.into_iter().map(Into::into).collect();
        self
    }

    pub fn with_max_results(mut self, max_results: u32) -> Self {
        self.max_results = Some(max_results);
        self
    }

    pub fn with_page_token(mut self, token: Option<String>) -> Self {
        self.next_page_token = token;
        self
    }

    /// The JSON body Jira's `SearchAndReconcileRequestBean` expects.
    pub fn to_body(&self) -> Value {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Body<'a> {
            jql: &'a str,
            #[serde(skip_serializing_if = "<[_]>::is_empty")]
            fields: &'a [String],
            #[serde(skip_serializing_if = "Option::is_none")]
            expand: Option<String>,
            #[serde(skip_serializing_if = "Option::is_none")]
            max_results: Option<u32>,
            #[serde(skip_serializing_if = "Option::is_none")]
            next_page_token: Option<&'a str>,
            #[serde(skip_serializing_if = "<[_]>::is_empty")]
            reconcile_issues: &'a [u64],
        }
        let body = Body {
            jql: &self.jql,
            fields: &self.fields,
            expand: (!self.expand.is_empty()).then(|| self.expand.join(",")),
            max_results: self.max_results,
            next_page_token: self.next_page_token.as_deref(),
            reconcile_issues: &self.reconcile_issues,
        };
        serde_json::to_value(body).unwrap_or(Value::Null)
    }
}

/// One page of `/search/jql` results. There is no total: use `approximate_count`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchPage {
    pub issues: Vec<Issue>,
    /// Absent on the last page.
    pub next_page_token: Option<String>,
    /// True when there is nothing more to fetch. Forced true when no token came back,
    /// since asking again without one would restart from the first page.
    pub is_last: bool,
    /// Field id to display name, when `expand=names`.
    pub names: BTreeMap<String, String>,
    /// Field id to schema, when `expand=schema`.
    pub schema: BTreeMap<String, FieldSchema>,
}

impl<'de> Deserialize<'de> for SearchPage {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase", default)]
        #[derive(Default)]
        struct Raw {
            #[serde(deserialize_with = "de::lenient_vec")]
            issues: Vec<Issue>,
            #[serde(deserialize_with = "de::opt_nonempty_string")]
            next_page_token: Option<String>,
            #[serde(deserialize_with = "de::opt_bool")]
            is_last: Option<bool>,
            #[serde(deserialize_with = "de::string_map")]
            names: BTreeMap<String, String>,
            #[serde(deserialize_with = "de::lenient_map")]
            schema: BTreeMap<String, FieldSchema>,
        }
        let raw = Raw::deserialize(d)?;
        let is_last = raw.next_page_token.is_none() || raw.is_last.unwrap_or(false);
        Ok(SearchPage {
            issues: raw.issues,
            next_page_token: raw.next_page_token,
            is_last,
            names: raw.names,
            schema: raw.schema,
        })
    }
}

/// `POST /rest/api/3/search/approximate-count`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct ApproximateCount {
    #[serde(deserialize_with = "de::u64")]
    pub count: u64,
}

/// An issue (`IssueBean`). Expansions are empty unless requested.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Issue {
    #[serde(deserialize_with = "de::string")]
    pub id: String,
    #[serde(deserialize_with = "de::string")]
    pub key: String,
    #[serde(rename = "self", deserialize_with = "de::opt_nonempty_string")]
    pub self_url: Option<String>,
    #[serde(deserialize_with = "de::lenient")]
    pub fields: IssueFields,
    /// Field id to display name (`expand=names`).
    #[serde(deserialize_with = "de::string_map")]
    pub names: BTreeMap<String, String>,
    /// Field id to schema (`expand=schema`).
    #[serde(deserialize_with = "de::lenient_map")]
    pub schema: BTreeMap<String, FieldSchema>,
    /// HTML renderings and human dates (`expand=renderedFields`), kept raw.
    #[serde(deserialize_with = "de::opt_value")]
    pub rendered_fields: Option<Value>,
    #[serde(deserialize_with = "de::lenient")]
    pub changelog: Option<Changelog>,
    #[serde(deserialize_with = "de::lenient_vec")]
    pub transitions: Vec<Transition>,
    #[serde(deserialize_with = "de::lenient")]
    pub editmeta: Option<EditMeta>,
}

/// The `fields` of an issue: typed system fields, everything else in `other`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct IssueFields {
    #[serde(deserialize_with = "de::string")]
    pub summary: String,
    #[serde(deserialize_with = "de::opt_adf")]
    pub description: Option<Adf>,
    #[serde(deserialize_with = "de::opt_adf")]
    pub environment: Option<Adf>,
    #[serde(deserialize_with = "de::lenient")]
    pub status: Option<Status>,
    #[serde(deserialize_with = "de::lenient")]
    pub issuetype: Option<IssueType>,
    #[serde(deserialize_with = "de::lenient")]
    pub priority: Option<Priority>,
    #[serde(deserialize_with = "de::lenient")]
    pub resolution: Option<Resolution>,
    #[serde(deserialize_with = "de::lenient")]
    pub assignee: Option<User>,
    #[serde(deserialize_with = "de::lenient")]
    pub reporter: Option<User>,
    #[serde(deserialize_with = "de::lenient")]
    pub creator: Option<User>,
    #[serde(deserialize_with = "de::lenient_vec")]
    pub labels: Vec<String>,
    #[serde(deserialize_with = "de::lenient_vec")]
    pub components: Vec<Component>,
    #[serde(deserialize_with = "de::lenient_vec")]
    pub fix_versions: Vec<Version>,
    /// Affected versions.
    #[serde(deserialize_with = "de::lenient_vec")]
    pub versions: Vec<Version>,
    #[serde(deserialize_with = "de::lenient")]
    pub parent: Option<LinkedIssue>,
    #[serde(deserialize_with = "de::lenient_vec")]
    pub subtasks: Vec<LinkedIssue>,
    #[serde(deserialize_with = "de::lenient_vec")]
    pub issuelinks: Vec<IssueLink>,
    /// The first page of comments embedded in the issue.
    #[serde(deserialize_with = "de::lenient")]
    pub comment: Option<CommentPage>,
    #[serde(deserialize_with = "de::lenient_vec")]
    pub attachment: Vec<Attachment>,
    #[serde(deserialize_with = "de::lenient")]
    pub watches: Option<Watches>,
    #[serde(deserialize_with = "de::lenient")]
    pub votes: Option<Votes>,
    #[serde(deserialize_with = "de::lenient")]
    pub timetracking: Option<TimeTracking>,
    #[serde(deserialize_with = "de::datetime")]
    pub created: Option<DateTime<FixedOffset>>,
    #[serde(deserialize_with = "de::datetime")]
    pub updated: Option<DateTime<FixedOffset>>,
    #[serde(deserialize_with = "de::date")]
    pub duedate: Option<NaiveDate>,
    #[serde(deserialize_with = "de::datetime")]
    pub resolutiondate: Option<DateTime<FixedOffset>>,
    #[serde(deserialize_with = "de::lenient")]
    pub project: Option<Project>,
    /// Custom fields (`customfield_NNNNN`) and system fields not modelled above, raw.
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

/// Display names Jira Cloud uses for the story points field (company- and team-managed).
const STORY_POINT_FIELD_NAMES: [&str; 2] = ["Story Points", "Story point estimate"];
const SPRINT_FIELD_NAME: &str = "Sprint";

impl IssueFields {
    /// A field not modelled as a typed member (usually `customfield_NNNNN`), unless null.
    pub fn custom(&self, field_id: &str) -> Option<&Value> {
        self.other.get(field_id).filter(|v| !v.is_null())
    }

    /// The first non-null custom field whose display name (from `names`) matches one of
    /// `display_names`, case-insensitively.
    pub fn custom_by_name(
        &self,
        names: &BTreeMap<String, String>,
        display_names: &[&str],
    ) -> Option<(&str, &Value)> {
        display_names.iter().find_map(|wanted| {
            names
                .iter()
                .filter(|(_, name)| name.trim().eq_ignore_ascii_case(wanted))
                .find_map(|(id, _)| {
                    self.other
                        .get_key_value(id)
                        .filter(|(_, v)| !v.is_null())
                        .map(|(k, v)| (k.as_str(), v))
                })
        })
    }

    /// Story points from "Story Points" or "Story point estimate", given the names map.
    pub fn story_points(&self, names: &BTreeMap<String, String>) -> Option<f64> {
        let (_, value) = self.custom_by_name(names, &STORY_POINT_FIELD_NAMES)?;
        match value {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// Names of the sprints the issue is in, given the names map. Handles both the
    /// Cloud shape (array of sprint objects) and the legacy string form
    /// `com.atlassian.greenhopper.service.sprint.Sprint@1a2b[id=1,...,name=Sprint 1,...]`.
    pub fn sprint_names(&self, names: &BTreeMap<String, String>) -> Vec<String> {
        let Some((_, value)) = self.custom_by_name(names, &[SPRINT_FIELD_NAME]) else {
            return Vec::new();
        };
        let one = |v: &Value| -> Option<String> {
            match v {
                Value::Object(map) => map.get("name").and_then(Value::as_str).map(str::to_string),
                Value::String(s) => Some(legacy_sprint_name(s).unwrap_or(s).to_string()),
                _ => None,
            }
        };
        let raw: Vec<String> = match value {
            Value::Array(items) => items.iter().filter_map(one).collect(),
            other => one(other).into_iter().collect(),
        };
        raw.iter()
            .map(|s| sanitize_line(s).into_owned())
            .filter(|s| !s.is_empty())
            .collect()
    }

    /// A display string for any field kept in `other`: select options, users, numbers,
    /// dates, arrays (comma-joined), ADF (plain text). `None` if null or unrenderable.
    pub fn custom_display(&self, field_id: &str) -> Option<String> {
        self.custom(field_id).and_then(display_value)
    }
}

fn legacy_sprint_name(s: &str) -> Option<&str> {
    let start = s.find("name=")? + "name=".len();
    let rest = &s[start..];
    let end = rest.find([',', ']']).unwrap_or(rest.len());
    Some(&rest[..end])
}

/// How many array elements [`display_value`] joins before summarising the rest.
const MAX_DISPLAY_ITEMS: usize = 20;

/// Renders a custom field value for display, or `None` when there is nothing to show.
/// Handles select options (`value`), users (`displayName`), objects with `name`/`key`,
/// cascading selects (`value` + `child`), numbers, booleans, strings, arrays and ADF.
pub fn display_value(value: &Value) -> Option<String> {
    let text = match value {
        Value::Null => return None,
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        Value::Array(items) => {
            let mut parts: Vec<String> = items
                .iter()
                .take(MAX_DISPLAY_ITEMS)
                .filter_map(display_value)
                .collect();
            if items.len() > MAX_DISPLAY_ITEMS {
                parts.push(format!("+{} more", items.len() - MAX_DISPLAY_ITEMS));
            }
            if parts.is_empty() {
                return None;
            }
            parts.join(", ")
        }
        Value::Object(map) => {
            if map.get("type").and_then(Value::as_str) == Some("doc") {
                adf::plain_text(&Adf::from_value(value.clone()))
            } else if let Some(v) = map.get("value").and_then(Value::as_str) {
                // Cascading select: "Parent - Child".
                match map.get("child").and_then(display_value) {
                    Some(child) => format!("{v} - {child}"),
                    None => v.to_string(),
                }
            } else if let Some(s) = ["displayName", "name", "key", "title"]
                .iter()
                .find_map(|k| map.get(*k).and_then(Value::as_str))
            {
                s.to_string()
            } else {
                return None;
            }
        }
    };
    let clean = crate::sanitize::sanitize_field(text.trim());
    (!clean.is_empty()).then_some(clean)
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Status {
    #[serde(deserialize_with = "de::string")]
    pub id: String,
    #[serde(deserialize_with = "de::string")]
    pub name: String,
    #[serde(deserialize_with = "de::opt_nonempty_string")]
    pub description: Option<String>,
    #[serde(deserialize_with = "de::lenient")]
    pub status_category: Option<StatusCategory>,
}

/// `new` (To Do), `indeterminate` (In Progress) or `done`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct StatusCategory {
    /// An integer in JSON; kept as a string like every other id.
    #[serde(deserialize_with = "de::string")]
    pub id: String,
    #[serde(deserialize_with = "de::string")]
    pub key: String,
    #[serde(deserialize_with = "de::string")]
    pub name: String,
    /// `blue-gray`, `yellow`, `green`, ...
    #[serde(deserialize_with = "de::string")]
    pub color_name: String,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct IssueType {
    #[serde(deserialize_with = "de::string")]
    pub id: String,
    #[serde(deserialize_with = "de::string")]
    pub name: String,
    #[serde(deserialize_with = "de::opt_nonempty_string")]
    pub description: Option<String>,
    #[serde(deserialize_with = "de::bool")]
    pub subtask: bool,
    /// 1 epic, 0 standard, -1 sub-task.
    #[serde(deserialize_with = "de::opt_i64")]
    pub hierarchy_level: Option<i64>,
    #[serde(deserialize_with = "de::opt_nonempty_string")]
    pub icon_url: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Priority {
    #[serde(deserialize_with = "de::string")]
    pub id: String,
    #[serde(deserialize_with = "de::string")]
    pub name: String,
    #[serde(deserialize_with = "de::opt_nonempty_string")]
    pub description: Option<String>,
    /// `#rrggbb`.
    #[serde(deserialize_with = "de::opt_nonempty_string")]
    pub status_color: Option<String>,
    #[serde(deserialize_with = "de::opt_nonempty_string")]
    pub icon_url: Option<String>,
    #[serde(deserialize_with = "de::opt_bool")]
    pub is_default: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Resolution {
    #[serde(deserialize_with = "de::string")]
    pub id: String,
    #[serde(deserialize_with = "de::string")]
    pub name: String,
    #[serde(deserialize_with = "de::opt_nonempty_string")]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Component {
    #[serde(deserialize_with = "de::string")]
    pub id: String,
    #[serde(deserialize_with = "de::string")]
    pub name: String,
    #[serde(deserialize_with = "de::opt_nonempty_string")]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Version {
    #[serde(deserialize_with = "de::string")]
    pub id: String,
    #[serde(deserialize_with = "de::string")]
    pub name: String,
    #[serde(deserialize_with = "de::opt_nonempty_string")]
    pub description: Option<String>,
    #[serde(deserialize_with = "de::bool")]
    pub released: bool,
    #[serde(deserialize_with = "de::bool")]
    pub archived: bool,
    #[serde(deserialize_with = "de::date")]
    pub release_date: Option<NaiveDate>,
}

/// An issue referenced from another one (parent, subtask, link end): key plus a few
/// fields.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct LinkedIssue {
    #[serde(deserialize_with = "de::string")]
    pub id: String,
    #[serde(deserialize_with = "de::string")]
    pub key: String,
    #[serde(rename = "self", deserialize_with = "de::opt_nonempty_string")]
    pub self_url: Option<String>,
    #[serde(deserialize_with = "de::lenient")]
    pub fields: LinkedIssueFields,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct LinkedIssueFields {
    #[serde(deserialize_with = "de::string")]
    pub summary: String,
    #[serde(deserialize_with = "de::lenient")]
    pub status: Option<Status>,
    #[serde(deserialize_with = "de::lenient")]
    pub priority: Option<Priority>,
    #[serde(deserialize_with = "de::lenient")]
    pub issuetype: Option<IssueType>,
}

/// A link on an issue. Only the *other* end is present: `outward_issue` means "this
/// issue <type.outward> other", `inward_issue` means "this issue <type.inward> other".
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct IssueLink {
    #[serde(deserialize_with = "de::string")]
    pub id: String,
    #[serde(rename = "type", deserialize_with = "de::lenient")]
    pub link_type: IssueLinkType,
    #[serde(deserialize_with = "de::lenient")]
    pub inward_issue: Option<LinkedIssue>,
    #[serde(deserialize_with = "de::lenient")]
    pub outward_issue: Option<LinkedIssue>,
}

impl IssueLink {
    /// How this issue relates to the other end ("blocks", "is blocked by") and that
    /// issue. `None` for a link without a usable other end (no key).
    pub fn other_end(&self) -> Option<(&str, &LinkedIssue)> {
        let has_key = |i: &&LinkedIssue| !i.key.is_empty();
        if let Some(out) = self.outward_issue.as_ref().filter(has_key) {
            Some((self.link_type.outward.as_str(), out))
        } else {
            self.inward_issue
                .as_ref()
                .filter(has_key)
                .map(|inw| (self.link_type.inward.as_str(), inw))
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct IssueLinkType {
    #[serde(deserialize_with = "de::string")]
    pub id: String,
    #[serde(deserialize_with = "de::string")]
    pub name: String,
    /// e.g. "is blocked by".
    #[serde(deserialize_with = "de::string")]
    pub inward: String,
    /// e.g. "blocks".
    #[serde(deserialize_with = "de::string")]
    pub outward: String,
}

/// `GET /rest/api/3/issueLinkType`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct IssueLinkTypes {
    #[serde(deserialize_with = "de::lenient_vec")]
    pub issue_link_types: Vec<IssueLinkType>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Attachment {
    /// A number in some payloads, a string in others.
    #[serde(deserialize_with = "de::string")]
    pub id: String,
    #[serde(deserialize_with = "de::string")]
    pub filename: String,
    #[serde(deserialize_with = "de::u64")]
    pub size: u64,
    #[serde(deserialize_with = "de::opt_nonempty_string")]
    pub mime_type: Option<String>,
    #[serde(deserialize_with = "de::lenient")]
    pub author: Option<User>,
    #[serde(deserialize_with = "de::datetime")]
    pub created: Option<DateTime<FixedOffset>>,
    /// Download URL.
    #[serde(deserialize_with = "de::opt_nonempty_string")]
    pub content: Option<String>,
    #[serde(deserialize_with = "de::opt_nonempty_string")]
    pub thumbnail: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Watches {
    #[serde(deserialize_with = "de::u64")]
    pub watch_count: u64,
    #[serde(deserialize_with = "de::bool")]
    pub is_watching: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Votes {
    #[serde(deserialize_with = "de::u64")]
    pub votes: u64,
    #[serde(deserialize_with = "de::bool")]
    pub has_voted: bool,
}

/// Estimates as Jira formats them ("15w 2d 6m") and in seconds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TimeTracking {
    #[serde(deserialize_with = "de::opt_nonempty_string")]
    pub original_estimate: Option<String>,
    #[serde(deserialize_with = "de::opt_nonempty_string")]
    pub remaining_estimate: Option<String>,
    #[serde(deserialize_with = "de::opt_nonempty_string")]
    pub time_spent: Option<String>,
    #[serde(deserialize_with = "de::opt_u64")]
    pub original_estimate_seconds: Option<u64>,
    #[serde(deserialize_with = "de::opt_u64")]
    pub remaining_estimate_seconds: Option<u64>,
    #[serde(deserialize_with = "de::opt_u64")]
    pub time_spent_seconds: Option<u64>,
}

/// A comment. `body` is ADF in v3 (a plain string in v2, kept as-is and rendered as
/// text).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Comment {
    #[serde(deserialize_with = "de::string")]
    pub id: String,
    #[serde(deserialize_with = "de::lenient")]
    pub author: Option<User>,
    #[serde(deserialize_with = "de::lenient")]
    pub update_author: Option<User>,
    #[serde(deserialize_with = "de::adf")]
    pub body: Adf,
    /// HTML (`expand=renderedBody`).
    #[serde(deserialize_with = "de::opt_nonempty_string")]
    pub rendered_body: Option<String>,
    #[serde(deserialize_with = "de::datetime")]
    pub created: Option<DateTime<FixedOffset>>,
    #[serde(deserialize_with = "de::datetime")]
    pub updated: Option<DateTime<FixedOffset>>,
    #[serde(deserialize_with = "de::lenient")]
    pub visibility: Option<Visibility>,
    /// Jira Service Management: whether the customer can see it.
    #[serde(deserialize_with = "de::opt_bool")]
    pub jsd_public: Option<bool>,
}

/// Restriction of a comment or worklog to a group or project role.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Visibility {
    /// `group` or `role`.
    #[serde(rename = "type", deserialize_with = "de::string")]
    pub kind: String,
    #[serde(deserialize_with = "de::string")]
    pub value: String,
    #[serde(deserialize_with = "de::opt_nonempty_string")]
    pub identifier: Option<String>,
}

/// `GET /issue/{key}/comment` (`PageOfComments`), also embedded as `fields.comment`.
/// A bare array of comments (as in some of Atlassian's own examples) is accepted too.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CommentPage {
    pub start_at: u64,
    pub max_results: u64,
    pub total: u64,
    pub comments: Vec<Comment>,
}

impl<'de> Deserialize<'de> for CommentPage {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize, Default)]
        #[serde(rename_all = "camelCase", default)]
        struct Raw {
            #[serde(deserialize_with = "de::u64")]
            start_at: u64,
            #[serde(deserialize_with = "de::u64")]
            max_results: u64,
            #[serde(deserialize_with = "de::opt_u64")]
            total: Option<u64>,
            #[serde(deserialize_with = "de::lenient_vec")]
            comments: Vec<Comment>,
        }
        let value = Value::deserialize(d)?;
        let page = match value {
            Value::Array(_) => {
                let comments: Vec<Comment> = de::vec_from_value(value);
                let n = comments.len() as u64;
                CommentPage {
                    start_at: 0,
                    max_results: n,
                    total: n,
                    comments,
                }
            }
            other => {
                let raw: Raw = serde_json::from_value(other).unwrap_or_default();
                let shown = raw.start_at.saturating_add(raw.comments.len() as u64);
                CommentPage {
                    start_at: raw.start_at,
                    max_results: raw.max_results,
                    total: raw.total.unwrap_or(shown).max(shown),
                    comments: raw.comments,
                }
            }
        };
        Ok(page)
    }
}

/// A field as listed by `GET /rest/api/3/field`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct FieldDetails {
    #[serde(deserialize_with = "de::string")]
    pub id: String,
    #[serde(deserialize_with = "de::opt_nonempty_string")]
    pub key: Option<String>,
    #[serde(deserialize_with = "de::string")]
    pub name: String,
    #[serde(deserialize_with = "de::bool")]
    pub custom: bool,
    #[serde(deserialize_with = "de::bool")]
    pub navigable: bool,
    #[serde(deserialize_with = "de::bool")]
    pub orderable: bool,
    #[serde(deserialize_with = "de::bool")]
    pub searchable: bool,
    /// Names usable in JQL, e.g. `cf[10016]`, `"Story Points"`.
    #[serde(deserialize_with = "de::lenient_vec")]
    pub clause_names: Vec<String>,
    #[serde(deserialize_with = "de::lenient")]
    pub schema: Option<FieldSchema>,
}

/// `JsonTypeBean`: what kind of value a field holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct FieldSchema {
    /// `string`, `number`, `array`, `user`, `option`, `date`, `datetime`, ...
    #[serde(rename = "type", deserialize_with = "de::string")]
    pub kind: String,
    /// Element type for arrays.
    #[serde(deserialize_with = "de::opt_nonempty_string")]
    pub items: Option<String>,
    /// System field id, for system fields.
    #[serde(deserialize_with = "de::opt_nonempty_string")]
    pub system: Option<String>,
    /// Custom field type key, e.g. `com.pyxis.greenhopper.jira:gh-sprint`.
    #[serde(deserialize_with = "de::opt_nonempty_string")]
    pub custom: Option<String>,
    #[serde(deserialize_with = "de::opt_u64")]
    pub custom_id: Option<u64>,
}

/// A workflow transition available from the issue's current status.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Transition {
    #[serde(deserialize_with = "de::string")]
    pub id: String,
    #[serde(deserialize_with = "de::string")]
    pub name: String,
    /// The status the transition leads to.
    #[serde(deserialize_with = "de::lenient")]
    pub to: Option<Status>,
    #[serde(deserialize_with = "de::bool")]
    pub has_screen: bool,
    /// Jira lists unavailable transitions only on request, so absent means available.
    #[serde(deserialize_with = "de::bool_default_true")]
    pub is_available: bool,
    #[serde(deserialize_with = "de::bool")]
    pub is_global: bool,
    #[serde(deserialize_with = "de::bool")]
    pub is_initial: bool,
    #[serde(deserialize_with = "de::bool")]
    pub is_conditional: bool,
    #[serde(deserialize_with = "de::bool")]
    pub is_looped: bool,
    /// Fields on the transition screen (`expand=transitions.fields`).
    #[serde(deserialize_with = "de::lenient_map")]
    pub fields: BTreeMap<String, FieldMeta>,
}

impl Default for Transition {
    fn default() -> Self {
        Transition {
            id: String::new(),
            name: String::new(),
            to: None,
            has_screen: false,
            is_available: true,
            is_global: false,
            is_initial: false,
            is_conditional: false,
            is_looped: false,
            fields: BTreeMap::new(),
        }
    }
}

/// `GET /issue/{key}/transitions`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Transitions {
    #[serde(deserialize_with = "de::lenient_vec")]
    pub transitions: Vec<Transition>,
}

/// `expand=changelog`: the issue's history, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Changelog {
    #[serde(deserialize_with = "de::u64")]
    pub start_at: u64,
    #[serde(deserialize_with = "de::u64")]
    pub max_results: u64,
    #[serde(deserialize_with = "de::u64")]
    pub total: u64,
    #[serde(deserialize_with = "de::lenient_vec")]
    pub histories: Vec<History>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct History {
    #[serde(deserialize_with = "de::string")]
    pub id: String,
    #[serde(deserialize_with = "de::lenient")]
    pub author: Option<User>,
    #[serde(deserialize_with = "de::datetime")]
    pub created: Option<DateTime<FixedOffset>>,
    #[serde(deserialize_with = "de::lenient_vec")]
    pub items: Vec<ChangeItem>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ChangeItem {
    #[serde(deserialize_with = "de::string")]
    pub field: String,
    #[serde(deserialize_with = "de::opt_nonempty_string")]
    pub field_id: Option<String>,
    /// `jira` or `custom`.
    #[serde(deserialize_with = "de::opt_nonempty_string")]
    pub fieldtype: Option<String>,
    #[serde(deserialize_with = "de::opt_nonempty_string")]
    pub from: Option<String>,
    #[serde(deserialize_with = "de::opt_nonempty_string")]
    pub from_string: Option<String>,
    #[serde(deserialize_with = "de::opt_nonempty_string")]
    pub to: Option<String>,
    #[serde(deserialize_with = "de::opt_nonempty_string")]
    pub to_string: Option<String>,
}

/// `GET /issue/{key}/editmeta` or `expand=editmeta`: which fields can be edited, how.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct EditMeta {
    #[serde(deserialize_with = "de::lenient_map")]
    pub fields: BTreeMap<String, FieldMeta>,
}

/// How a field may be set on a screen (editmeta, createmeta, transition screens).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct FieldMeta {
    /// Present in createmeta's field list; editmeta keys the map by it instead.
    #[serde(deserialize_with = "de::opt_nonempty_string")]
    pub field_id: Option<String>,
    #[serde(deserialize_with = "de::opt_nonempty_string")]
    pub key: Option<String>,
    #[serde(deserialize_with = "de::bool")]
    pub required: bool,
    #[serde(deserialize_with = "de::string")]
    pub name: String,
    #[serde(deserialize_with = "de::lenient")]
    pub schema: Option<FieldSchema>,
    /// `set`, `add`, `remove`, `edit`, `copy`.
    #[serde(deserialize_with = "de::lenient_vec")]
    pub operations: Vec<String>,
    /// Options, priorities, versions... as Jira sends them (shapes vary by field).
    #[serde(deserialize_with = "de::lenient_vec")]
    pub allowed_values: Vec<Value>,
    #[serde(deserialize_with = "de::opt_nonempty_string")]
    pub auto_complete_url: Option<String>,
    #[serde(deserialize_with = "de::bool")]
    pub has_default_value: bool,
    #[serde(deserialize_with = "de::opt_value")]
    pub default_value: Option<Value>,
}

/// `GET /issue/createmeta/{project}/issuetypes`. Accepts the spec's `issueTypes`, the
/// deprecated `createMetaIssueType` and the Data-Center-style `values`, also when a
/// server sends more than one of them (the spec lists both of its names).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CreateMetaIssueTypes {
    pub start_at: u64,
    pub max_results: u64,
    pub total: u64,
    pub issue_types: Vec<IssueType>,
}

impl<'de> Deserialize<'de> for CreateMetaIssueTypes {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut page = de::MetaPage::deserialize(d)?;
        let issue_types: Vec<IssueType> =
            de::vec_from_value(page.list(&["issueTypes", "createMetaIssueType", "values"]));
        Ok(CreateMetaIssueTypes {
            start_at: page.start_at,
            max_results: page.max_results,
            total: page.total.unwrap_or(issue_types.len() as u64),
            issue_types,
        })
    }
}

/// `GET /issue/createmeta/{project}/issuetypes/{id}`. Accepts `fields`, `results` and
/// the Data-Center-style `values`, also side by side.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CreateMetaFields {
    pub start_at: u64,
    pub max_results: u64,
    pub total: u64,
    pub fields: Vec<FieldMeta>,
}

impl<'de> Deserialize<'de> for CreateMetaFields {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut page = de::MetaPage::deserialize(d)?;
        let fields: Vec<FieldMeta> =
            de::vec_from_value(page.list(&["fields", "results", "values"]));
        Ok(CreateMetaFields {
            start_at: page.start_at,
            max_results: page.max_results,
            total: page.total.unwrap_or(fields.len() as u64),
            fields,
        })
    }
}

/// `POST /rest/api/3/issue` (201).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CreatedIssue {
    #[serde(deserialize_with = "de::string")]
    pub id: String,
    #[serde(deserialize_with = "de::string")]
    pub key: String,
    #[serde(rename = "self", deserialize_with = "de::opt_nonempty_string")]
    pub self_url: Option<String>,
}

/// A saved filter (`/filter/favourite`, `/filter/my`, `/filter/{id}`, `/filter/search`).
/// `jql` is absent from `/filter/search` unless `expand=jql`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Filter {
    #[serde(deserialize_with = "de::string")]
    pub id: String,
    #[serde(deserialize_with = "de::string")]
    pub name: String,
    #[serde(deserialize_with = "de::opt_nonempty_string")]
    pub description: Option<String>,
    #[serde(deserialize_with = "de::opt_nonempty_string")]
    pub jql: Option<String>,
    #[serde(deserialize_with = "de::lenient")]
    pub owner: Option<User>,
    #[serde(deserialize_with = "de::bool")]
    pub favourite: bool,
    #[serde(deserialize_with = "de::u64")]
    pub favourited_count: u64,
    #[serde(deserialize_with = "de::opt_nonempty_string")]
    pub view_url: Option<String>,
    #[serde(deserialize_with = "de::opt_nonempty_string")]
    pub search_url: Option<String>,
}

/// `GET /issue/{key}/remotelink`: links to things outside Jira.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RemoteLink {
    #[serde(deserialize_with = "de::string")]
    pub id: String,
    #[serde(deserialize_with = "de::opt_nonempty_string")]
    pub global_id: Option<String>,
    #[serde(deserialize_with = "de::opt_nonempty_string")]
    pub relationship: Option<String>,
    #[serde(deserialize_with = "de::lenient")]
    pub object: RemoteObject,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RemoteObject {
    #[serde(deserialize_with = "de::string")]
    pub url: String,
    #[serde(deserialize_with = "de::string")]
    pub title: String,
    #[serde(deserialize_with = "de::opt_nonempty_string")]
    pub summary: Option<String>,
}

/// `GET /issue/{key}/watchers`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Watchers {
    #[serde(deserialize_with = "de::bool")]
    pub is_watching: bool,
    #[serde(deserialize_with = "de::u64")]
    pub watch_count: u64,
    #[serde(deserialize_with = "de::lenient_vec")]
    pub watchers: Vec<User>,
}

/// `GET /issue/{key}/worklog` (`PageOfWorklogs`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct WorklogPage {
    #[serde(deserialize_with = "de::u64")]
    pub start_at: u64,
    #[serde(deserialize_with = "de::u64")]
    pub max_results: u64,
    #[serde(deserialize_with = "de::u64")]
    pub total: u64,
    #[serde(deserialize_with = "de::lenient_vec")]
    pub worklogs: Vec<Worklog>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Worklog {
    #[serde(deserialize_with = "de::string")]
    pub id: String,
    #[serde(deserialize_with = "de::string")]
    pub issue_id: String,
    #[serde(deserialize_with = "de::lenient")]
    pub author: Option<User>,
    #[serde(deserialize_with = "de::lenient")]
    pub update_author: Option<User>,
    #[serde(deserialize_with = "de::opt_adf")]
    pub comment: Option<Adf>,
    #[serde(deserialize_with = "de::datetime")]
    pub started: Option<DateTime<FixedOffset>>,
    #[serde(deserialize_with = "de::opt_nonempty_string")]
    pub time_spent: Option<String>,
    #[serde(deserialize_with = "de::u64")]
    pub time_spent_seconds: u64,
    #[serde(deserialize_with = "de::datetime")]
    pub created: Option<DateTime<FixedOffset>>,
    #[serde(deserialize_with = "de::datetime")]
    pub updated: Option<DateTime<FixedOffset>>,
}

/// `GET /rest/api/3/user/picker`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct UserPickerResults {
    #[serde(deserialize_with = "de::lenient_vec")]
    pub users: Vec<UserPickerUser>,
    #[serde(deserialize_with = "de::u64")]
    pub total: u64,
    #[serde(deserialize_with = "de::opt_nonempty_string")]
    pub header: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct UserPickerUser {
    #[serde(deserialize_with = "de::string")]
    pub account_id: String,
    #[serde(deserialize_with = "de::string")]
    pub display_name: String,
    #[serde(deserialize_with = "de::opt_nonempty_string")]
    pub account_type: Option<String>,
    /// The match highlighted with `<strong>` (HTML).
    #[serde(deserialize_with = "de::opt_nonempty_string")]
    pub html: Option<String>,
}

/// `GET /rest/api/3/jql/autocompletedata`. Its boolean members arrive as the strings
/// `"true"`/`"false"`; they are read as booleans.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct JqlAutocompleteData {
    #[serde(deserialize_with = "de::lenient_vec")]
    pub visible_field_names: Vec<AutocompleteField>,
    #[serde(deserialize_with = "de::lenient_vec")]
    pub visible_function_names: Vec<AutocompleteFunction>,
    #[serde(deserialize_with = "de::lenient_vec")]
    pub jql_reserved_words: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AutocompleteField {
    #[serde(deserialize_with = "de::string")]
    pub value: String,
    #[serde(deserialize_with = "de::string")]
    pub display_name: String,
    #[serde(deserialize_with = "de::bool")]
    pub orderable: bool,
    #[serde(deserialize_with = "de::bool")]
    pub searchable: bool,
    #[serde(deserialize_with = "de::bool")]
    pub auto: bool,
    /// `cf[10880]` for custom fields.
    #[serde(deserialize_with = "de::opt_nonempty_string")]
    pub cfid: Option<String>,
    #[serde(deserialize_with = "de::lenient_vec")]
    pub operators: Vec<String>,
    #[serde(deserialize_with = "de::lenient_vec")]
    pub types: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AutocompleteFunction {
    #[serde(deserialize_with = "de::string")]
    pub value: String,
    #[serde(deserialize_with = "de::string")]
    pub display_name: String,
    #[serde(deserialize_with = "de::bool")]
    pub is_list: bool,
    #[serde(deserialize_with = "de::lenient_vec")]
    pub types: Vec<String>,
}

/// `GET /rest/api/3/jql/autocompletedata/suggestions`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct AutocompleteSuggestions {
    #[serde(deserialize_with = "de::lenient_vec")]
    pub results: Vec<AutocompleteSuggestion>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AutocompleteSuggestion {
    #[serde(deserialize_with = "de::string")]
    pub value: String,
    /// HTML with the typed part in `<b>`.
    #[serde(deserialize_with = "de::string")]
    pub display_name: String,
}

/// `GET /rest/api/3/jql/autocompletedata` under the spec's name (`JQLReferenceData`).
pub type JqlReferenceData = JqlAutocompleteData;

/// A value suggestion for JQL completion, ready to show: `display_name` is the server's
/// HTML with the `<b>` highlighting and any other tags removed, entities decoded and
/// sanitised for the terminal. `value` is what goes into the query (quote it with
/// [`crate::jql::quote_if_needed`]); it is server data, so sanitise it before drawing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JqlSuggestion {
    pub value: String,
    pub display_name: String,
}

impl From<AutocompleteSuggestion> for JqlSuggestion {
    fn from(s: AutocompleteSuggestion) -> Self {
        let text = html_to_text(&s.display_name);
        let display_name = if text.trim().is_empty() {
            sanitize_line(&s.value).into_owned()
        } else {
            sanitize_line(&text).into_owned()
        };
        JqlSuggestion {
            value: s.value,
            display_name,
        }
    }
}

/// Plain text of a short HTML snippet: tags dropped, character references decoded. Enough
/// for Jira's highlighted suggestion labels (`<b>Ac</b>tiveObjects (AO)`).
pub fn html_to_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(['<', '&']) {
        text.push_str(&rest[..at]);
        rest = &rest[at..];
        if rest.starts_with('<') {
            // A tag runs to the next `>`; an unclosed one is text, not markup.
            match rest.find('>') {
                Some(end) => rest = &rest[end + 1..],
                None => {
                    text.push_str(rest);
                    rest = "";
                }
            }
            continue;
        }
        match decode_entity(rest) {
            Some((c, len)) => {
                text.push(c);
                rest = &rest[len..];
            }
            None => {
                text.push('&');
                rest = &rest[1..];
            }
        }
    }
    text.push_str(rest);
    text
}

/// Longest entity name worth looking for (`&#x10FFFF;` is the longest we decode).
const MAX_ENTITY_LEN: usize = 10;

/// The character of the reference at the start of `text` (`&amp;`, `&#39;`, `&#x27;`) and
/// the reference's length.
fn decode_entity(text: &str) -> Option<(char, usize)> {
    let (end, _) = text
        .char_indices()
        .take(MAX_ENTITY_LEN)
        .find(|(_, c)| *c == ';')?;
    let name = &text[1..end];
    let c = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)?
        }
    };
    Some((c, end + 1))
}

/// `POST /rest/api/3/jql/parse`. Per-query errors come back with HTTP 200.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct ParsedJqlQueries {
    #[serde(deserialize_with = "de::lenient_vec")]
    pub queries: Vec<ParsedJqlQuery>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct ParsedJqlQuery {
    #[serde(deserialize_with = "de::string")]
    pub query: String,
    /// The clause tree, kept raw.
    #[serde(deserialize_with = "de::opt_value")]
    pub structure: Option<Value>,
    #[serde(deserialize_with = "de::lenient_vec")]
    pub errors: Vec<String>,
    #[serde(deserialize_with = "de::lenient_vec")]
    pub warnings: Vec<String>,
}

/// `GET /rest/api/3/mypermissions`: the permissions asked for, by key (`EDIT_ISSUES`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct MyPermissions {
    #[serde(deserialize_with = "de::lenient_map")]
    pub permissions: BTreeMap<String, UserPermission>,
}

impl MyPermissions {
    /// Whether the user holds `key`; `None` when Jira did not report it.
    pub fn has(&self, key: &str) -> Option<bool> {
        self.permissions.get(key).map(|p| p.have_permission)
    }
}

/// One permission and whether the user holds it (`UserPermission` in the spec). Without a
/// project or issue in the query, a project permission counts as held when the user holds
/// it in at least one project.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct UserPermission {
    #[serde(deserialize_with = "de::string")]
    pub id: String,
    #[serde(deserialize_with = "de::string")]
    pub key: String,
    /// For people: `Edit Issues`.
    #[serde(deserialize_with = "de::string")]
    pub name: String,
    #[serde(deserialize_with = "de::string")]
    pub description: String,
    /// `GLOBAL` or `PROJECT`.
    #[serde(rename = "type", deserialize_with = "de::opt_nonempty_string")]
    pub kind: Option<String>,
    #[serde(deserialize_with = "de::bool")]
    pub have_permission: bool,
}

/// Lenient field deserializers: each reads whatever JSON is there and falls back to a
/// default instead of failing, so one odd member never costs the whole response.
mod de {
    use std::collections::BTreeMap;

    use chrono::{DateTime, FixedOffset, NaiveDate};
    use serde::de::DeserializeOwned;
    use serde::{Deserialize, Deserializer};
    use serde_json::Value;

    use super::Adf;

    /// Jira's `2024-03-01T11:34:49.730+0200` (offset without a colon), with or without
    /// the fraction; RFC 3339 as a fallback.
    const JIRA_DATETIME_FORMATS: [&str; 2] = ["%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%dT%H:%M%z"];

    /// A create metadata page, whose list may sit under any of several names.
    #[derive(Deserialize, Default)]
    #[serde(rename_all = "camelCase", default)]
    pub(super) struct MetaPage {
        #[serde(deserialize_with = "u64")]
        pub(super) start_at: u64,
        #[serde(deserialize_with = "u64")]
        pub(super) max_results: u64,
        #[serde(deserialize_with = "opt_u64")]
        pub(super) total: Option<u64>,
        #[serde(flatten)]
        pub(super) rest: BTreeMap<String, Value>,
    }

    impl MetaPage {
        /// The first non-empty array among `names`, else the first array, else nothing.
        pub(super) fn list(&mut self, names: &[&str]) -> Value {
            let non_empty = names.iter().find(|n| {
                self.rest
                    .get(**n)
                    .and_then(Value::as_array)
                    .is_some_and(|a| !a.is_empty())
            });
            let chosen = non_empty.or_else(|| {
                names
                    .iter()
                    .find(|n| self.rest.get(**n).is_some_and(Value::is_array))
            });
            chosen
                .and_then(|n| self.rest.remove(*n))
                .unwrap_or(Value::Null)
        }
    }

    pub(super) fn vec_from_value<T: DeserializeOwned>(value: Value) -> Vec<T> {
        match value {
            Value::Array(items) => items
                .into_iter()
                .filter_map(|v| serde_json::from_value(v).ok())
                .collect(),
            _ => Vec::new(),
        }
    }

    pub(super) fn lenient<'de, D, T>(d: D) -> Result<T, D::Error>
    where
        D: Deserializer<'de>,
        T: DeserializeOwned + Default,
    {
        let value = Value::deserialize(d)?;
        Ok(serde_json::from_value(value).unwrap_or_default())
    }

    /// An array whose elements are decoded one by one; undecodable elements are
    /// skipped, a non-array gives an empty list.
    pub(super) fn lenient_vec<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
    where
        D: Deserializer<'de>,
        T: DeserializeOwned,
    {
        Ok(vec_from_value(Value::deserialize(d)?))
    }

    /// An object whose values are decoded one by one; undecodable entries are skipped.
    pub(super) fn lenient_map<'de, D, T>(d: D) -> Result<BTreeMap<String, T>, D::Error>
    where
        D: Deserializer<'de>,
        T: DeserializeOwned,
    {
        Ok(match Value::deserialize(d)? {
            Value::Object(map) => map
                .into_iter()
                .filter_map(|(k, v)| serde_json::from_value(v).ok().map(|v| (k, v)))
                .collect(),
            _ => BTreeMap::new(),
        })
    }

    /// A map of strings (`names`); non-string values are skipped.
    pub(super) fn string_map<'de, D>(d: D) -> Result<BTreeMap<String, String>, D::Error>
    where
        D: Deserializer<'de>,
    {
        Ok(match Value::deserialize(d)? {
            Value::Object(map) => map
                .into_iter()
                .filter_map(|(k, v)| match v {
                    Value::String(s) => Some((k, s)),
                    _ => None,
                })
                .collect(),
            _ => BTreeMap::new(),
        })
    }

    fn scalar_string(value: Value) -> Option<String> {
        match value {
            Value::String(s) => Some(s),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// A string, or a number/bool written as one (ids are numbers in a few places).
    pub(super) fn string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        Ok(scalar_string(Value::deserialize(d)?).unwrap_or_default())
    }

    /// Like [`string`], with `""` read as absent.
    pub(super) fn opt_nonempty_string<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<String>, D::Error> {
        Ok(scalar_string(Value::deserialize(d)?).filter(|s| !s.is_empty()))
    }

    fn as_bool(value: &Value) -> Option<bool> {
        match value {
            Value::Bool(b) => Some(*b),
            Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
            Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        }
    }

    pub(super) fn bool<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
        Ok(as_bool(&Value::deserialize(d)?).unwrap_or(false))
    }

    pub(super) fn bool_default_true<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
        Ok(as_bool(&Value::deserialize(d)?).unwrap_or(true))
    }

    pub(super) fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
        Ok(as_bool(&Value::deserialize(d)?))
    }

    fn as_u64(value: &Value) -> Option<u64> {
        match value {
            Value::Number(n) => n.as_u64().or_else(|| {
                n.as_f64()
                    .filter(|f| f.is_finite() && *f >= 0.0)
                    // Saturating float-to-int conversion is the intent here.
                    .map(|f| f as u64)
            }),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    pub(super) fn u64<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
        Ok(as_u64(&Value::deserialize(d)?).unwrap_or(0))
    }

    pub(super) fn opt_u64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
        Ok(as_u64(&Value::deserialize(d)?))
    }

    pub(super) fn opt_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
        Ok(match Value::deserialize(d)? {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        })
    }

    /// Any JSON except `null`.
    pub(super) fn opt_value<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
        Ok(Some(Value::deserialize(d)?).filter(|v| !v.is_null()))
    }

    /// ADF content (or a v2 plain string); `null` is absent.
    pub(super) fn opt_adf<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Adf>, D::Error> {
        Ok(opt_value(d)?.map(Adf::from_value))
    }

    pub(super) fn adf<'de, D: Deserializer<'de>>(d: D) -> Result<Adf, D::Error> {
        Ok(opt_adf(d)?.unwrap_or_default())
    }

    pub(super) fn parse_datetime(s: &str) -> Option<DateTime<FixedOffset>> {
        let s = s.trim();
        JIRA_DATETIME_FORMATS
            .iter()
            .find_map(|fmt| DateTime::parse_from_str(s, fmt).ok())
            .or_else(|| DateTime::parse_from_rfc3339(s).ok())
    }

    /// A timestamp, `None` for null, absent or junk.
    pub(super) fn datetime<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<DateTime<FixedOffset>>, D::Error> {
        Ok(match Value::deserialize(d)? {
            Value::String(s) => parse_datetime(&s),
            _ => None,
        })
    }

    /// A `yyyy-MM-dd` date (a full timestamp is cut to its date).
    pub(super) fn date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        Ok(match Value::deserialize(d)? {
            Value::String(s) => NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
                .ok()
                .or_else(|| parse_datetime(&s).map(|dt| dt.date_naive())),
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn jira_timestamps_parse_with_colonless_offset() {
        let dt = de::parse_datetime("2024-03-01T11:34:49.730+0200").unwrap();
        assert_eq!(dt.to_rfc3339(), "2024-03-01T11:34:49.730+02:00");
        assert!(de::parse_datetime("2024-03-01T11:34:49+0200").is_some());
        assert!(de::parse_datetime("2024-03-01T11:34:49.730Z").is_some());
        assert!(de::parse_datetime("2024-03-01T11:34:49.730+02:00").is_some());
        assert!(de::parse_datetime("yesterday").is_none());
        assert!(de::parse_datetime("").is_none());
    }

    #[test]
    fn junk_timestamps_become_none_not_errors() {
        let f: IssueFields = serde_json::from_value(json!({
            "created": "not a date", "updated": 12, "duedate": "2024-13-45",
            "resolutiondate": "2024-03-01T11:34:49.730+0200"
        }))
        .unwrap();
        assert!(f.created.is_none() && f.updated.is_none() && f.duedate.is_none());
        assert!(f.resolutiondate.is_some());
    }

    #[test]
    fn wrong_shapes_degrade_to_defaults() {
        let issue: Issue = serde_json::from_value(json!({
            "id": 10001, "key": "AB-1",
            "fields": {
                "summary": ["not", "a", "string"],
                "status": "Open",
                "assignee": 7,
                "labels": ["ok", 3, null, "fine"],
                "issuelinks": {"not": "an array"},
                "comment": [{"id": "1", "body": "plain v2 body"}],
                "watches": {"watchCount": "4", "isWatching": "true"},
                "customfield_10016": {"weird": [1, 2]}
            },
            "transitions": [{"id": 11, "name": "Go"}, "junk"],
            "names": {"customfield_10016": "Story Points", "bad": 5}
        }))
        .unwrap();
        assert_eq!(issue.id, "10001");
        assert_eq!(issue.key, "AB-1");
        assert_eq!(issue.fields.summary, "");
        assert!(issue.fields.status.is_none());
        assert!(issue.fields.assignee.is_none());
        assert_eq!(issue.fields.labels, ["ok", "fine"]);
        assert!(issue.fields.issuelinks.is_empty());
        let comments = issue.fields.comment.unwrap();
        assert_eq!(comments.total, 1);
        assert_eq!(comments.comments[0].id, "1");
        assert_eq!(adf::plain_text(&comments.comments[0].body), "plain v2 body");
        assert_eq!(
            issue.fields.watches,
            Some(Watches {
                watch_count: 4,
                is_watching: true
            })
        );
        assert_eq!(
            issue.fields.other.get("customfield_10016"),
            Some(&json!({"weird": [1, 2]}))
        );
        assert_eq!(issue.transitions.len(), 1);
        assert!(issue.transitions[0].is_available);
        assert_eq!(issue.names.len(), 1);
    }

    #[test]
    fn page_is_last_is_inferred_and_never_loops() {
        let p: Page<Project> = serde_json::from_value(json!({
            "startAt": 0, "maxResults": 2, "total": 3, "values": [{"key": "A"}, {"key": "B"}]
        }))
        .unwrap();
        assert!(!p.is_last);
        let p: Page<Project> = serde_json::from_value(json!({
            "startAt": 2, "maxResults": 2, "total": 3, "values": [{"key": "C"}]
        }))
        .unwrap();
        assert!(p.is_last);
        let p: Page<Project> =
            serde_json::from_value(json!({"isLast": false, "values": []})).unwrap();
        assert!(p.is_last, "an empty page must end pagination");
    }

    #[test]
    fn search_page_without_token_is_last() {
        let p: SearchPage =
            serde_json::from_value(json!({"issues": [{"id": "1"}], "isLast": false})).unwrap();
        assert!(p.is_last);
        let p: SearchPage = serde_json::from_value(
            json!({"issues": [{"id": "1"}], "isLast": false, "nextPageToken": "abc"}),
        )
        .unwrap();
        assert!(!p.is_last);
        assert_eq!(p.next_page_token.as_deref(), Some("abc"));
    }

    #[test]
    fn search_request_body_matches_jira_bean() {
        let req = SearchRequest::new("project = NAV")
            .with_fields(["summary", "status"])
            .with_expand(["names", "renderedFields"])
            .with_max_results(50)
            .with_page_token(Some("tok".into()));
        assert_eq!(
            req.to_body(),
            json!({
                "jql": "project = NAV", "fields": ["summary", "status"],
                "expand": "names,renderedFields", "maxResults": 50, "nextPageToken": "tok"
            })
        );
        assert_eq!(SearchRequest::new("x").to_body(), json!({"jql": "x"}));
    }

    #[test]
    fn custom_field_helpers() {
        let names: BTreeMap<String, String> = [
            ("customfield_10016", "Story point estimate"),
            ("customfield_10020", "Sprint"),
            ("customfield_10001", "Team"),
            ("customfield_10050", "Reviewers"),
        ]
        .into_iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        let f: IssueFields = serde_json::from_value(json!({
            "customfield_10016": 5.0,
            "customfield_10020": [
                {"id": 1, "name": "NAV Sprint 14", "state": "closed"},
                {"id": 2, "name": "NAV Sprint 15", "state": "active"}
            ],
            "customfield_10001": {"self": "x", "value": "Platform", "id": "10100"},
            "customfield_10050": [{"accountId": "a", "displayName": "Ana\u{1b}[2J Silva"}, {"displayName": "Bo"}],
            "customfield_10099": {"value": "Hardware", "child": {"value": "Lidar"}}
        }))
        .unwrap();
        assert_eq!(f.story_points(&names), Some(5.0));
        assert_eq!(f.sprint_names(&names), ["NAV Sprint 14", "NAV Sprint 15"]);
        assert_eq!(
            f.custom_display("customfield_10001").as_deref(),
            Some("Platform")
        );
        assert_eq!(
            f.custom_display("customfield_10050").as_deref(),
            Some("Ana Silva, Bo")
        );
        assert_eq!(
            f.custom_display("customfield_10099").as_deref(),
            Some("Hardware - Lidar")
        );
        assert_eq!(f.custom_display("customfield_404"), None);
    }

    #[test]
    fn legacy_sprint_strings() {
        let names = BTreeMap::from([("customfield_10010".to_string(), "Sprint".to_string())]);
        let f: IssueFields = serde_json::from_value(json!({
            "customfield_10010": ["com.atlassian.greenhopper.service.sprint.Sprint@1a2b[id=1,rapidViewId=2,state=ACTIVE,name=Sprint 7,startDate=2020]"]
        }))
        .unwrap();
        assert_eq!(f.sprint_names(&names), ["Sprint 7"]);
    }

    #[test]
    fn empty_email_means_hidden() {
        let u: User =
            serde_json::from_value(json!({"accountId": "x", "emailAddress": ""})).unwrap();
        assert_eq!(u.email_address, None);
        assert!(u.active);
        assert_eq!(u.name(), "x");
    }
}
