//! Which editor a field gets, from what Jira's metadata (`editmeta`, createmeta, a
//! transition's screen) says about it; its current value on an issue; and the JSON and the
//! `PUT /issue` body that write a new one. Pure: no I/O.
//!
//! The classification reads the field's `schema` (`type`, `items`, `system`, `custom`)
//! and `operations`, so it holds for any site's custom fields, not only the ones jtui
//! knows by name. Anything it cannot write without losing data (cascading selects,
//! unknown plugin types) is [`FieldKind::ReadOnly`]: shown, not offered. The parent is
//! picked from the issues one hierarchy level up, or typed by key.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde_json::{Value, json};

pub use super::fieldparse::Estimates;
use super::fieldparse::{
    date_preview, datetime_preview, parse_date, parse_datetime, parse_estimates, parse_number,
};
use super::picker::{Picker, PickerItem};
use crate::jira::adf::{self, Adf};
use crate::jira::agile::Sprint;
use crate::jira::models::{FieldMeta, FieldSchema, Issue, User};
use crate::jira::write::{IssueUpdate, account, by_id};
use crate::sanitize::sanitize_field;

/// Id of the "None"/"Unassigned" row of an optional single-select: no Jira id looks like
/// it (ids are numbers, account ids, keys and option values never hold this sign alone).
pub const NONE_ID: &str = "∅";
/// The longest label Jira takes.
pub const MAX_LABEL_CHARS: usize = 255;
/// Jira's date-time format for writes: milliseconds and an offset without a colon.
const JIRA_DATETIME: &str = "%Y-%m-%dT%H:%M:%S%.3f%z";
const ISO_DATE: &str = "%Y-%m-%d";
/// How a date-time is shown for editing (at the user's offset).
const EDIT_DATETIME: &str = "%Y-%m-%d %H:%M";
/// Integers up to here are exact in an `f64`, so a whole number is written without `.0`.
const MAX_EXACT_INTEGER: f64 = 9_007_199_254_740_992.0;

/// Custom field types by the end of their plugin key (`…customfieldtypes:textarea`), so
/// the check holds for Cloud's keys and for apps that reuse the names.
const CUSTOM_TEXTAREA: &str = ":textarea";
const CUSTOM_LABELS: &str = ":labels";
const CUSTOM_READONLY: &str = ":readonlyfield";
/// Jira Software's sprint field (`com.pyxis.greenhopper.jira:gh-sprint`).
const CUSTOM_SPRINT: &str = ":gh-sprint";
/// The sprint state that is history: an issue keeps its closed sprints, and cannot be
/// moved into one.
const CLOSED_SPRINT: &str = "closed";
/// How sprint dates show in the picker.
const SPRINT_DATE: &str = "%Y-%m-%d";

/// Single-valued schema types that are chosen from `allowedValues`.
const SELECT_TYPES: [&str; 8] = [
    "priority",
    "issuetype",
    "resolution",
    "option",
    "version",
    "component",
    "securitylevel",
    "project",
];
/// Element types of multi-valued fields chosen from `allowedValues`.
const MULTI_SELECT_ITEMS: [&str; 3] = ["option", "version", "component"];

/// The editor a field gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// One line of text: summary, text custom fields.
    Text,
    /// A document (ADF): description, environment, paragraph custom fields.
    RichText,
    Number,
    /// `yyyy-MM-dd`: due date, date pickers.
    Date,
    DateTime,
    /// One of `allowedValues`: priority, issue type, resolution, select lists, a version.
    Select,
    /// Several of `allowedValues`: components, versions, multi-selects, checkboxes.
    MultiSelect,
    /// Strings, with completion and free entry.
    Labels,
    /// One user, searched for on Jira: assignee, reporter, user pickers.
    User,
    /// Several users.
    MultiUser,
    /// The parent issue (an epic, or a sub-task's standard issue), chosen from Jira's
    /// candidates or typed by key.
    Parent,
    /// The issue's open sprint, chosen among the active and future sprints of its
    /// project's boards (Jira Software's Agile API); writes the sprint id.
    Sprint,
    /// Original and remaining estimates, typed in Jira's duration syntax (`3d 4h`).
    TimeTracking,
    /// Shown, not offered for editing.
    ReadOnly,
}

impl FieldKind {
    /// Several values, written by `add`/`remove` (or `set` of the whole list).
    pub fn is_multi(self) -> bool {
        matches!(
            self,
            FieldKind::MultiSelect | FieldKind::Labels | FieldKind::MultiUser
        )
    }

    /// Chosen in a [`Picker`] rather than typed.
    pub fn uses_picker(self) -> bool {
        matches!(
            self,
            FieldKind::Select
                | FieldKind::MultiSelect
                | FieldKind::Labels
                | FieldKind::User
                | FieldKind::MultiUser
                | FieldKind::Parent
                | FieldKind::Sprint
        )
    }

    pub fn is_editable(self) -> bool {
        self != FieldKind::ReadOnly
    }
}

/// The editor for a field, from its metadata. A field whose operations allow no write
/// (neither `set`, nor `add` and `remove` for lists) is read-only whatever its type.
pub fn classify(meta: &FieldMeta) -> FieldKind {
    let Some(schema) = &meta.schema else {
        return FieldKind::ReadOnly;
    };
    let has = |op: &str| meta.operations.iter().any(|o| o == op);
    let can_set = has("set");
    let kind = of_schema(schema, !meta.allowed_values.is_empty());
    let writable = if kind.is_multi() {
        can_set || (has("add") && has("remove"))
    } else {
        can_set
    };
    if writable { kind } else { FieldKind::ReadOnly }
}

fn of_schema(schema: &FieldSchema, has_allowed: bool) -> FieldKind {
    let system = schema.system.as_deref().unwrap_or_default();
    let custom = schema.custom.as_deref().unwrap_or_default();
    let custom_is = |suffix: &str| !custom.is_empty() && custom.ends_with(suffix);
    match schema.kind.as_str() {
        "string" if custom_is(CUSTOM_READONLY) => FieldKind::ReadOnly,
        "string" if matches!(system, "description" | "environment") => FieldKind::RichText,
        "string" if custom_is(CUSTOM_TEXTAREA) => FieldKind::RichText,
        "string" => FieldKind::Text,
        "number" => FieldKind::Number,
        "date" => FieldKind::Date,
        "datetime" => FieldKind::DateTime,
        "user" => FieldKind::User,
        "issuelink" if system == "parent" => FieldKind::Parent,
        "array" => match schema.items.as_deref().unwrap_or_default() {
            "string" if system == "labels" || custom_is(CUSTOM_LABELS) => FieldKind::Labels,
            "user" => FieldKind::MultiUser,
            items if MULTI_SELECT_ITEMS.contains(&items) => FieldKind::MultiSelect,
            "json" if custom_is(CUSTOM_SPRINT) => FieldKind::Sprint,
            // Other `json` arrays, links, attachments, worklogs... have their own endpoints.
            "json" | "issuelinks" | "attachment" | "worklog" => FieldKind::ReadOnly,
            _ if has_allowed => FieldKind::MultiSelect,
            _ => FieldKind::ReadOnly,
        },
        // A cascading select's value is a parent and a child; writing only the parent
        // would drop the child.
        "option-with-child" => FieldKind::ReadOnly,
        "timetracking" => FieldKind::TimeTracking,
        kind if SELECT_TYPES.contains(&kind) => FieldKind::Select,
        _ if has_allowed => FieldKind::Select,
        _ => FieldKind::ReadOnly,
    }
}

/// The type of one value: the element type of an array, else the field's type.
fn element_type(meta: &FieldMeta) -> &str {
    match &meta.schema {
        Some(s) if s.kind == "array" => s.items.as_deref().unwrap_or_default(),
        Some(s) => s.kind.as_str(),
        None => "",
    }
}

/// A JSON string or number as text (ids arrive as either).
fn scalar(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A picker row for one of a field's `allowedValues` (or one of its current values, in
/// the same shapes): label from `name`/`value`/`displayName`, id from `accountId`/`id`,
/// detail from `emailAddress`/`description`, and the value Jira takes in a write:
/// `{"accountId"}` for users, `{"id"}` for options, priorities, versions and the rest
/// (`{"value"}`/`{"name"}` when Jira gave no id), the string itself for labels.
pub fn item_from_allowed(field: &FieldMeta, v: &Value) -> PickerItem {
    let element = element_type(field);
    match v {
        Value::Object(map) => {
            let label = ["name", "value", "displayName", "key"]
                .iter()
                .find_map(|k| scalar(map.get(*k)));
            let id = ["accountId", "id", "key"]
                .iter()
                .find_map(|k| scalar(map.get(*k)));
            let detail = ["emailAddress", "description"]
                .iter()
                .find_map(|k| scalar(map.get(*k)));
            let value = match (element, &id) {
                ("user", Some(id)) => account(Some(id)),
                ("user", None) => Value::Null,
                (_, Some(id)) => by_id(id),
                ("option", None) => json!({ "value": label.clone().unwrap_or_default() }),
                (_, None) => json!({ "name": label.clone().unwrap_or_default() }),
            };
            let id = id.or_else(|| label.clone()).unwrap_or_default();
            let label = label.unwrap_or_else(|| id.clone());
            PickerItem::new(id, &label, detail.as_deref(), value)
        }
        other => {
            let text = scalar(Some(other)).unwrap_or_default();
            let value = match element {
                "string" => json!(text),
                "option" => json!({ "value": text }),
                "user" => account(Some(&text)),
                _ => json!({ "name": text }),
            };
            PickerItem::new(text.clone(), &text, None, value)
        }
    }
}

/// A picker row for a user (an assignable-user search result).
pub fn user_item(user: &User) -> PickerItem {
    PickerItem::new(
        user.account_id.clone(),
        &user.name(),
        user.email_address.as_deref(),
        account(Some(&user.account_id)),
    )
}

/// A label typed by the user or listed by `/label`, checked as Jira checks labels: no
/// spaces, at most 255 characters. Usable as a picker's free entry.
pub fn label_item(text: &str) -> Result<PickerItem, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("type a label".to_owned());
    }
    if text.chars().any(char::is_whitespace) {
        return Err("a label cannot contain spaces".to_owned());
    }
    if text.chars().count() > MAX_LABEL_CHARS {
        return Err(format!(
            "a label holds at most {MAX_LABEL_CHARS} characters"
        ));
    }
    Ok(PickerItem::new(text, text, None, json!(text)))
}

/// The row that clears an optional single-select.
pub fn none_item(label: &str) -> PickerItem {
    PickerItem::new(NONE_ID, label, None, Value::Null)
}

/// A picker row for a sprint: its name, its state and dates as detail, and its id as
/// the number Jira's sprint field takes.
pub fn sprint_item(sprint: &Sprint) -> PickerItem {
    let day = |at: Option<DateTime<FixedOffset>>| at.map(|d| d.format(SPRINT_DATE).to_string());
    let detail = match (day(sprint.start()), day(sprint.end())) {
        (Some(start), Some(end)) => format!("{} · {start} → {end}", sprint.state),
        (Some(start), None) => format!("{} · from {start}", sprint.state),
        _ => sprint.state.clone(),
    };
    PickerItem::new(
        sprint.id.to_string(),
        &sprint.name,
        Some(&detail),
        json!(sprint.id),
    )
}

/// The open (active or future) sprint among the sprint field's value on an issue (an
/// array of sprint objects, closed ones included): the last one, as Jira lists the
/// sprints in the order the issue went through them.
fn open_sprint(raw: &Value) -> Option<PickerItem> {
    let list = match raw {
        Value::Array(list) => list.as_slice(),
        one => std::slice::from_ref(one),
    };
    list.iter()
        .rev()
        .filter_map(|v| serde_json::from_value::<Sprint>(v.clone()).ok())
        .find(|s| s.id != 0 && s.state != CLOSED_SPRINT)
        .map(|s| sprint_item(&s))
}

/// A field's value as an editor holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldValue {
    /// Nothing: the field is empty, or is to be cleared.
    Empty,
    Text(String),
    Rich(Adf),
    Number(f64),
    Date(NaiveDate),
    DateTime(DateTime<FixedOffset>),
    /// Chosen items: one for a single-select, any number for a list.
    Items(Vec<PickerItem>),
    /// Time tracking's estimates.
    Estimates(Estimates),
}

impl FieldValue {
    /// The chosen items (none for other values).
    pub fn items(&self) -> &[PickerItem] {
        match self {
            FieldValue::Items(items) => items,
            _ => &[],
        }
    }
}

/// The JSON Jira takes for `value` in a field of `kind`: a string, ADF, a number (whole
/// numbers without a fraction), `"2026-12-01"`, `"2026-12-01T14:30:00.000+0100"`, an
/// item's value (`{"id"}`, `{"accountId"}`), an array of them for lists; `null` (or `[]`
/// for lists) to clear.
pub fn write_value(kind: FieldKind, value: &FieldValue) -> Value {
    match value {
        FieldValue::Empty if kind.is_multi() => json!([]),
        // How Jira takes "no parent" (`set` with `none`).
        FieldValue::Empty if kind == FieldKind::Parent => json!({ "none": true }),
        FieldValue::Empty => Value::Null,
        FieldValue::Text(text) => json!(text),
        FieldValue::Rich(doc) => doc.as_value().clone(),
        FieldValue::Number(n) => number(*n),
        FieldValue::Date(date) => json!(date.format(ISO_DATE).to_string()),
        FieldValue::DateTime(at) => json!(at.format(JIRA_DATETIME).to_string()),
        FieldValue::Items(items) if kind.is_multi() => {
            Value::Array(items.iter().map(|i| i.value.clone()).collect())
        }
        FieldValue::Items(items) => items.first().map_or(Value::Null, |i| i.value.clone()),
        FieldValue::Estimates(estimates) => estimates.to_json(),
    }
}

fn number(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < MAX_EXACT_INTEGER {
        // Exact: whole and within the range an f64 holds every integer of.
        json!(n as i64)
    } else {
        serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number)
    }
}

/// Why a change cannot be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FieldEditError {
    #[error("{0} cannot be changed here: Jira does not offer it for editing")]
    NotEditable(String),
}

/// The `PUT /issue/{key}` body that changes `field_id` from `old` to `new`. A
/// single-valued field is set (`fields`); a list gets `remove`s and `add`s of just what
/// changed when Jira offers both (so a concurrent change to other values survives), else
/// the whole list is set. Nothing changed gives an empty update.
pub fn build_update(
    field_id: &str,
    meta: &FieldMeta,
    old: &FieldValue,
    new: &FieldValue,
) -> Result<IssueUpdate, FieldEditError> {
    let kind = classify(meta);
    if kind == FieldKind::ReadOnly {
        let name = if meta.name.trim().is_empty() {
            field_id
        } else {
            meta.name.as_str()
        };
        return Err(FieldEditError::NotEditable(sanitize_field(name)));
    }
    let has = |op: &str| meta.operations.iter().any(|o| o == op);
    if !kind.is_multi() {
        let after = write_value(kind, new);
        return Ok(if write_value(kind, old) == after {
            IssueUpdate::new()
        } else {
            IssueUpdate::new().set(field_id, after)
        });
    }
    let (before, after) = (old.items(), new.items());
    let kept = |list: &[PickerItem], item: &PickerItem| list.iter().any(|i| i.id == item.id);
    if has("add") && has("remove") {
        let mut update = IssueUpdate::new();
        for gone in before.iter().filter(|i| !kept(after, i)) {
            update = update.remove(field_id, gone.value.clone());
        }
        for added in after.iter().filter(|i| !kept(before, i)) {
            update = update.add(field_id, added.value.clone());
        }
        return Ok(update);
    }
    let same = before.len() == after.len() && before.iter().zip(after).all(|(a, b)| a.id == b.id);
    Ok(if same {
        IssueUpdate::new()
    } else {
        IssueUpdate::new().set(field_id, write_value(kind, new))
    })
}

/// The value of `field_id` on `issue`, as its editor starts with it: the typed system
/// fields, else the raw JSON Jira sent (custom fields, in `IssueFields::other`).
pub fn current_value(issue: &Issue, field_id: &str, meta: &FieldMeta) -> FieldValue {
    let f = &issue.fields;
    let named = |id: &str, name: &str| json!({ "id": id, "name": name });
    let one = |v: Option<Value>| match v {
        Some(v) => FieldValue::Items(vec![item_from_allowed(meta, &v)]),
        None => FieldValue::Empty,
    };
    let many = |values: Vec<Value>| {
        FieldValue::Items(values.iter().map(|v| item_from_allowed(meta, v)).collect())
    };
    match field_id {
        "summary" => FieldValue::Text(f.summary.clone()),
        "description" => f
            .description
            .clone()
            .map_or(FieldValue::Empty, FieldValue::Rich),
        "environment" => f
            .environment
            .clone()
            .map_or(FieldValue::Empty, FieldValue::Rich),
        "priority" => one(f.priority.as_ref().map(|p| named(&p.id, &p.name))),
        "issuetype" => one(f.issuetype.as_ref().map(|t| named(&t.id, &t.name))),
        "resolution" => one(f.resolution.as_ref().map(|r| named(&r.id, &r.name))),
        "assignee" => f
            .assignee
            .as_ref()
            .map_or(FieldValue::Empty, |u| FieldValue::Items(vec![user_item(u)])),
        "reporter" => f
            .reporter
            .as_ref()
            .map_or(FieldValue::Empty, |u| FieldValue::Items(vec![user_item(u)])),
        "labels" => many(f.labels.iter().map(|l| json!(l)).collect()),
        "components" => many(f.components.iter().map(|c| named(&c.id, &c.name)).collect()),
        "fixVersions" => many(
            f.fix_versions
                .iter()
                .map(|v| named(&v.id, &v.name))
                .collect(),
        ),
        "versions" => many(f.versions.iter().map(|v| named(&v.id, &v.name)).collect()),
        "duedate" => f.duedate.map_or(FieldValue::Empty, FieldValue::Date),
        "parent" => f.parent.as_ref().map_or(FieldValue::Empty, |p| {
            FieldValue::Items(vec![linked_item(p)])
        }),
        "timetracking" => f.timetracking.as_ref().map_or(FieldValue::Empty, |t| {
            let estimates = Estimates {
                original: t.original_estimate.clone(),
                remaining: t.remaining_estimate.clone(),
            };
            if estimates == Estimates::default() {
                FieldValue::Empty
            } else {
                FieldValue::Estimates(estimates)
            }
        }),
        _ => f
            .other
            .get(field_id)
            .map_or(FieldValue::Empty, |raw| value_from_json(meta, raw)),
    }
}

/// An issue as a parent choice: its key and summary, its type and status beside them,
/// written as `{"key": ..}`.
fn parent_choice(key: &str, summary: &str, kind: Option<&str>, status: Option<&str>) -> PickerItem {
    let detail: Vec<&str> = [kind, status].into_iter().flatten().collect();
    PickerItem::new(
        key,
        &format!("{key} {summary}"),
        Some(&detail.join(" · ")),
        json!({ "key": key }),
    )
}

/// The parent an issue names (`fields.parent`).
pub fn linked_item(parent: &crate::jira::models::LinkedIssue) -> PickerItem {
    let f = &parent.fields;
    parent_choice(
        &parent.key,
        &f.summary,
        f.issuetype.as_ref().map(|t| t.name.as_str()),
        f.status.as_ref().map(|s| s.name.as_str()),
    )
}

/// A search result offered as a parent.
pub fn issue_item(issue: &Issue) -> PickerItem {
    let f = &issue.fields;
    parent_choice(
        &issue.key,
        &f.summary,
        f.issuetype.as_ref().map(|t| t.name.as_str()),
        f.status.as_ref().map(|s| s.name.as_str()),
    )
}

/// A parent typed by key (one older than the candidates offered): Jira checks that it
/// exists and sits one level up when the change is saved.
pub fn parent_key_item(typed: &str) -> Result<PickerItem, String> {
    let key = typed.trim().to_ascii_uppercase();
    let valid = key.rsplit_once('-').is_some_and(|(project, number)| {
        project
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
            && project
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !number.is_empty()
            && number.chars().all(|c| c.is_ascii_digit())
    });
    if !valid {
        return Err(format!("\"{typed}\" is not an issue key like NAV-12"));
    }
    Ok(PickerItem::new(
        key.clone(),
        &key,
        Some("by key"),
        json!({ "key": key }),
    ))
}

/// A field's value from the JSON Jira sends for it on an issue, read as its kind.
/// Anything of an unexpected shape is [`FieldValue::Empty`].
pub fn value_from_json(meta: &FieldMeta, raw: &Value) -> FieldValue {
    if raw.is_null() {
        return FieldValue::Empty;
    }
    let kind = classify(meta);
    let text = raw.as_str().map(str::trim);
    let value = match kind {
        FieldKind::Text => text.map(|t| FieldValue::Text(t.to_owned())),
        FieldKind::RichText => Some(FieldValue::Rich(Adf::from_value(raw.clone()))),
        FieldKind::Number => match raw {
            Value::Number(n) => n.as_f64().map(FieldValue::Number),
            Value::String(s) => s.trim().parse().ok().map(FieldValue::Number),
            _ => None,
        },
        FieldKind::Date => text.and_then(|t| {
            NaiveDate::parse_from_str(t, ISO_DATE)
                .ok()
                .or_else(|| jira_datetime(t).map(|at| at.date_naive()))
                .map(FieldValue::Date)
        }),
        FieldKind::DateTime => text.and_then(jira_datetime).map(FieldValue::DateTime),
        FieldKind::Select | FieldKind::User => {
            Some(FieldValue::Items(vec![item_from_allowed(meta, raw)]))
        }
        FieldKind::MultiSelect | FieldKind::Labels | FieldKind::MultiUser => {
            let items = match raw {
                Value::Array(values) => values
                    .iter()
                    .filter(|v| !v.is_null())
                    .map(|v| item_from_allowed(meta, v))
                    .collect(),
                one => vec![item_from_allowed(meta, one)],
            };
            Some(FieldValue::Items(items))
        }
        FieldKind::Parent => {
            serde_json::from_value::<crate::jira::models::LinkedIssue>(raw.clone())
                .ok()
                .filter(|p| !p.key.is_empty())
                .map(|p| FieldValue::Items(vec![linked_item(&p)]))
        }
        FieldKind::Sprint => open_sprint(raw).map(|item| FieldValue::Items(vec![item])),
        FieldKind::TimeTracking => {
            let text = |key: &str| {
                raw.get(key)
                    .and_then(Value::as_str)
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .map(str::to_owned)
            };
            let estimates = Estimates {
                original: text("originalEstimate"),
                remaining: text("remainingEstimate"),
            };
            (estimates != Estimates::default()).then_some(FieldValue::Estimates(estimates))
        }
        FieldKind::ReadOnly => None,
    };
    value.unwrap_or(FieldValue::Empty)
}

/// Jira's `2024-03-01T11:34:49.730+0200` (offset without a colon), or RFC 3339.
fn jira_datetime(text: &str) -> Option<DateTime<FixedOffset>> {
    ["%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%dT%H:%M%z"]
        .iter()
        .find_map(|format| DateTime::parse_from_str(text, format).ok())
        .or_else(|| DateTime::parse_from_rfc3339(text).ok())
}

/// The text a line editor starts with for `value` (date-times at the user's `offset`).
/// Rich text gives its plain text; the description editor converts ADF with
/// `jira::markdown` instead, which keeps marks and structure.
pub fn editor_text(value: &FieldValue, offset: FixedOffset) -> String {
    match value {
        FieldValue::Empty => String::new(),
        FieldValue::Text(text) => text.clone(),
        FieldValue::Rich(doc) => adf::plain_text(doc),
        // `Display` of an f64 prints 3.0 as `3` and 2.5 as `2.5`.
        FieldValue::Number(n) => n.to_string(),
        FieldValue::Date(date) => date.format(ISO_DATE).to_string(),
        FieldValue::DateTime(at) => at.with_timezone(&offset).format(EDIT_DATETIME).to_string(),
        FieldValue::Items(items) => items
            .iter()
            .map(|i| i.label.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        FieldValue::Estimates(e) => match (&e.original, &e.remaining) {
            (Some(original), Some(remaining)) => format!("{original} / {remaining}"),
            (Some(original), None) => original.clone(),
            (None, Some(remaining)) => format!("/ {remaining}"),
            (None, None) => String::new(),
        },
    }
}

/// What the user typed into a line editor of `kind`, read as its value (relative dates
/// against `today`, date-times at `offset`); empty input clears. The error is the text to
/// show next to the field.
pub fn parse_input(
    kind: FieldKind,
    text: &str,
    today: NaiveDate,
    offset: FixedOffset,
) -> Result<FieldValue, String> {
    let or_empty = |v: Option<FieldValue>| v.unwrap_or(FieldValue::Empty);
    match kind {
        FieldKind::Text if text.trim().is_empty() => Ok(FieldValue::Empty),
        FieldKind::Text => Ok(FieldValue::Text(text.trim().to_owned())),
        FieldKind::Number => parse_number(text).map(|n| or_empty(n.map(FieldValue::Number))),
        FieldKind::Date => parse_date(text, today).map(|d| or_empty(d.map(FieldValue::Date))),
        FieldKind::DateTime => {
            parse_datetime(text, today, offset).map(|d| or_empty(d.map(FieldValue::DateTime)))
        }
        FieldKind::TimeTracking if text.trim().is_empty() => Ok(FieldValue::Empty),
        FieldKind::TimeTracking => parse_estimates(text).map(FieldValue::Estimates),
        other => Err(format!("{other:?} fields are not typed as one line")),
    }
}

/// What a line editor shows under the input while the user types: the resolved date
/// (`+3d → Tue 2026-12-01`), nothing for text and valid numbers, or why the input is
/// not valid.
pub fn input_preview(
    kind: FieldKind,
    text: &str,
    today: NaiveDate,
    offset: FixedOffset,
) -> Result<Option<String>, String> {
    match kind {
        FieldKind::Date => date_preview(text, today).map(Some),
        FieldKind::DateTime => datetime_preview(text, today, offset).map(Some),
        FieldKind::Number => parse_number(text).map(|_| None),
        FieldKind::TimeTracking => parse_estimates(text).map(|e| Some(e.preview())),
        _ => Ok(None),
    }
}

/// Whether Jira marks an allowed value as not to be chosen any more (a disabled option,
/// an archived version).
fn retired(value: &Value) -> bool {
    let flag = |key: &str| value.get(key).and_then(Value::as_bool) == Some(true);
    flag("disabled") || flag("archived")
}

/// The picker for a field of a picker kind, set up from its metadata and current value:
/// allowed values listed (retired ones left out, though a current one stays checked), the
/// current value highlighted or checked, a "None"/"Unassigned" row first for an optional
/// single value, labels with free entry, users filtered by Jira (the owner queries
/// `autoCompleteUrl`'s endpoint and feeds [`Picker::replace_items`] with [`user_item`]s).
/// `None` for kinds typed as text.
pub fn picker_for(meta: &FieldMeta, current: &FieldValue) -> Option<Picker> {
    let kind = classify(meta);
    let allowed = || -> Vec<PickerItem> {
        meta.allowed_values
            .iter()
            .filter(|v| !retired(v))
            .map(|v| item_from_allowed(meta, v))
            .collect()
    };
    let current_items = current.items().to_vec();
    let none = (!meta.required).then(|| {
        let system = meta.schema.as_ref().and_then(|s| s.system.as_deref());
        none_item(match system {
            Some("assignee") => "Unassigned",
            Some("parent") => "No parent",
            _ if kind == FieldKind::Sprint => "No sprint",
            _ => "None",
        })
    });
    let single = |mut items: Vec<PickerItem>| {
        let current_id = match (current_items.first(), &none) {
            (Some(item), _) => Some(item.id.clone()),
            (None, Some(none)) => Some(none.id.clone()),
            (None, None) => None,
        };
        if let Some(none) = &none {
            items.insert(0, none.clone());
        }
        let picker = Picker::single(items, current_id.as_deref());
        match &none {
            Some(none) => picker.with_pinned(none.clone()),
            None => picker,
        }
    };
    Some(match kind {
        FieldKind::Select => single(allowed()),
        FieldKind::User => single(current_items.clone()).with_remote_filter(),
        // The owner lists the open sprints of the project's boards (`JiraRequest::Sprints`).
        FieldKind::Sprint => single(current_items.clone()),
        FieldKind::MultiSelect => Picker::multi(allowed(), current_items),
        FieldKind::Labels => {
            Picker::multi(current_items.clone(), current_items).with_free_entry(label_item)
        }
        FieldKind::MultiUser => {
            Picker::multi(current_items.clone(), current_items).with_remote_filter()
        }
        FieldKind::Parent => single(current_items.clone()).with_free_entry(parent_key_item),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::picker::PickerOutcome;
    use serde_json::json;

    fn meta(value: Value) -> FieldMeta {
        serde_json::from_value(value).unwrap()
    }

    fn system(kind: &str, items: Option<&str>, id: &str, ops: &[&str]) -> FieldMeta {
        let mut schema = json!({ "type": kind, "system": id });
        if let Some(items) = items {
            schema["items"] = json!(items);
        }
        meta(json!({ "name": id, "key": id, "schema": schema, "operations": ops }))
    }

    fn custom(kind: &str, items: Option<&str>, plugin: &str) -> FieldMeta {
        let mut schema = json!({
            "type": kind,
            "custom": format!("com.atlassian.jira.plugin.system.customfieldtypes:{plugin}"),
            "customId": 10100
        });
        if let Some(items) = items {
            schema["items"] = json!(items);
        }
        meta(
            json!({ "name": plugin, "key": "customfield_10100", "schema": schema, "operations": ["set"] }),
        )
    }

    #[test]
    fn classifies_system_fields() {
        use FieldKind::*;
        let cases = [
            (system("string", None, "summary", &["set"]), Text),
            (system("string", None, "description", &["set"]), RichText),
            (system("string", None, "environment", &["set"]), RichText),
            (system("priority", None, "priority", &["set"]), Select),
            (system("issuetype", None, "issuetype", &["set"]), Select),
            (system("resolution", None, "resolution", &["set"]), Select),
            (system("user", None, "assignee", &["set"]), User),
            (system("user", None, "reporter", &["set"]), User),
            (system("date", None, "duedate", &["set"]), Date),
            (
                system("array", Some("string"), "labels", &["add", "set", "remove"]),
                Labels,
            ),
            (
                system("array", Some("component"), "components", &["add", "remove"]),
                MultiSelect,
            ),
            (
                system("array", Some("version"), "fixVersions", &["set"]),
                MultiSelect,
            ),
            (
                system("timetracking", None, "timetracking", &["set", "edit"]),
                TimeTracking,
            ),
            (
                system("array", Some("issuelinks"), "issuelinks", &["add"]),
                ReadOnly,
            ),
            (
                system("array", Some("attachment"), "attachment", &["set"]),
                ReadOnly,
            ),
            (
                system("comments-page", None, "comment", &["add", "edit", "remove"]),
                ReadOnly,
            ),
            (system("issuelink", None, "parent", &["set"]), Parent),
            // Operations decide too: no `set`, nothing to write with.
            (system("string", None, "summary", &[]), ReadOnly),
            (system("priority", None, "priority", &["add"]), ReadOnly),
            (
                system("array", Some("string"), "labels", &["add"]),
                ReadOnly,
            ),
        ];
        for (m, want) in cases {
            assert_eq!(classify(&m), want, "{:?}", m.schema);
        }
        assert_eq!(classify(&FieldMeta::default()), ReadOnly, "no schema");
    }

    #[test]
    fn classifies_custom_fields_by_plugin_and_type() {
        use FieldKind::*;
        let cases = [
            (custom("string", None, "textfield"), Text),
            (custom("string", None, "url"), Text),
            (custom("string", None, "textarea"), RichText),
            (custom("string", None, "readonlyfield"), ReadOnly),
            (custom("number", None, "float"), Number),
            (custom("date", None, "datepicker"), Date),
            (custom("datetime", None, "datetime"), DateTime),
            (custom("option", None, "select"), Select),
            (custom("option", None, "radiobuttons"), Select),
            (custom("array", Some("option"), "multiselect"), MultiSelect),
            (
                custom("array", Some("option"), "multicheckboxes"),
                MultiSelect,
            ),
            (
                custom("array", Some("version"), "multiversion"),
                MultiSelect,
            ),
            (custom("version", None, "version"), Select),
            (custom("array", Some("string"), "labels"), Labels),
            (custom("user", None, "userpicker"), User),
            (custom("array", Some("user"), "multiuserpicker"), MultiUser),
            (
                custom("option-with-child", None, "cascadingselect"),
                ReadOnly,
            ),
            (custom("array", Some("json"), "gh-sprint"), Sprint),
            (custom("array", Some("json"), "some-app-list"), ReadOnly),
            (custom("array", Some("group"), "multigrouppicker"), ReadOnly),
            (custom("any", None, "some-app-field"), ReadOnly),
        ];
        for (m, want) in cases {
            assert_eq!(classify(&m), want, "{:?}", m.schema);
        }
        // The spec's own example: a multi-select with bare string values.
        let spec = meta(json!({
            "allowedValues": ["red", "blue"], "defaultValue": "red", "hasDefaultValue": false,
            "key": "field_key", "name": "My Multi Select", "operations": ["set", "add"],
            "required": false,
            "schema": {"custom": "com.atlassian.jira.plugin.system.customfieldtypes:multiselect",
                       "customId": 10001, "items": "option", "type": "array"}
        }));
        assert_eq!(classify(&spec), MultiSelect);
        let red = item_from_allowed(&spec, &spec.allowed_values[0]);
        assert_eq!((red.id.as_str(), red.label.as_str()), ("red", "red"));
        assert_eq!(red.value, json!({ "value": "red" }));
    }

    #[test]
    fn items_from_each_allowed_value_shape() {
        let priority = system("priority", None, "priority", &["set"]);
        let high = item_from_allowed(
            &priority,
            &json!({"self": "x", "iconUrl": "y", "name": "High", "id": "2"}),
        );
        assert_eq!(
            high,
            PickerItem::new("2", "High", None, json!({ "id": "2" }))
        );
        let option = custom("option", None, "select");
        let platform = item_from_allowed(
            &option,
            &json!({"self": "x", "value": "Platform", "id": 10100}),
        );
        assert_eq!(
            platform,
            PickerItem::new("10100", "Platform", None, json!({ "id": "10100" }))
        );
        let no_id = item_from_allowed(&option, &json!({ "value": "Mobile" }));
        assert_eq!(no_id.value, json!({ "value": "Mobile" }));
        let versions = system("array", Some("version"), "fixVersions", &["set"]);
        let v = item_from_allowed(
            &versions,
            &json!({"id": "10200", "name": "2.0", "description": "Big\u{1b}[31m one"}),
        );
        assert_eq!(v.value, json!({ "id": "10200" }));
        assert_eq!(v.detail.as_deref(), Some("Big one"), "sanitised");
        let by_name = item_from_allowed(&versions, &json!({ "name": "3.0" }));
        assert_eq!(by_name.value, json!({ "name": "3.0" }));
        let assignee = system("user", None, "assignee", &["set"]);
        let ana = item_from_allowed(
            &assignee,
            &json!({"accountId": "acc-1", "displayName": "Ana", "emailAddress": "ana@x.example"}),
        );
        assert_eq!(
            ana,
            PickerItem::new(
                "acc-1",
                "Ana",
                Some("ana@x.example"),
                json!({ "accountId": "acc-1" })
            )
        );
        let labels = system("array", Some("string"), "labels", &["add", "set", "remove"]);
        assert_eq!(
            item_from_allowed(&labels, &json!("backend")),
            PickerItem::new("backend", "backend", None, json!("backend"))
        );
    }

    #[test]
    fn the_parent_is_picked_by_key_and_cleared_with_none() {
        let parent = system("issuelink", None, "parent", &["set"]);
        assert_eq!(classify(&parent), FieldKind::Parent);
        assert!(FieldKind::Parent.uses_picker());
        assert_eq!(
            write_value(FieldKind::Parent, &FieldValue::Empty),
            json!({ "none": true })
        );
        let typed = parent_key_item(" nav-12 ").unwrap();
        assert_eq!(
            (typed.id.as_str(), &typed.value),
            ("NAV-12", &json!({ "key": "NAV-12" }))
        );
        for bad in ["", "NAV", "12", "NAV-", "-3", "NAV-1x", "1AB-2", "NA V-1"] {
            assert!(parent_key_item(bad).is_err(), "{bad:?}");
        }
        let picker = picker_for(&parent, &FieldValue::Empty).unwrap();
        assert_eq!(picker.items()[0].label, "No parent");
    }

    #[test]
    fn write_values_have_jiras_shapes() {
        use FieldKind::*;
        let cet = FixedOffset::east_opt(3600).unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let at = day
            .and_hms_opt(14, 30, 0)
            .unwrap()
            .and_local_timezone(cet)
            .unwrap();
        assert_eq!(
            write_value(Text, &FieldValue::Text("Hi".into())),
            json!("Hi")
        );
        assert_eq!(write_value(Number, &FieldValue::Number(3.0)), json!(3));
        assert_eq!(write_value(Number, &FieldValue::Number(-1.0)), json!(-1));
        assert_eq!(write_value(Number, &FieldValue::Number(2.5)), json!(2.5));
        assert_eq!(
            write_value(Number, &FieldValue::Number(1e300)),
            json!(1e300)
        );
        assert_eq!(
            write_value(Number, &FieldValue::Number(f64::NAN)),
            Value::Null
        );
        assert_eq!(
            write_value(Date, &FieldValue::Date(day)),
            json!("2026-12-01")
        );
        assert_eq!(
            write_value(DateTime, &FieldValue::DateTime(at)),
            json!("2026-12-01T14:30:00.000+0100")
        );
        let doc = Adf::from_plain_text("x");
        assert_eq!(
            write_value(RichText, &FieldValue::Rich(doc.clone())),
            doc.into_value()
        );
        let high = PickerItem::new("2", "High", None, by_id("2"));
        let ana = PickerItem::new("a", "Ana", None, account(Some("a")));
        assert_eq!(
            write_value(Select, &FieldValue::Items(vec![high.clone()])),
            json!({"id": "2"})
        );
        assert_eq!(
            write_value(User, &FieldValue::Items(vec![ana.clone()])),
            json!({"accountId": "a"})
        );
        assert_eq!(
            write_value(MultiUser, &FieldValue::Items(vec![ana])),
            json!([{"accountId": "a"}])
        );
        assert_eq!(
            write_value(Select, &FieldValue::Items(vec![none_item("None")])),
            Value::Null
        );
        for kind in [Text, Number, Date, DateTime, Select, User, RichText] {
            assert_eq!(
                write_value(kind, &FieldValue::Empty),
                Value::Null,
                "{kind:?}"
            );
        }
        for kind in [MultiSelect, Labels, MultiUser] {
            assert_eq!(write_value(kind, &FieldValue::Empty), json!([]), "{kind:?}");
        }
    }

    fn label_items(list: &[&str]) -> Vec<PickerItem> {
        list.iter().map(|l| label_item(l).unwrap()).collect()
    }

    fn labels(list: &[&str]) -> FieldValue {
        FieldValue::Items(label_items(list))
    }

    #[test]
    fn updates_add_and_remove_only_what_changed() {
        let meta = system("array", Some("string"), "labels", &["add", "set", "remove"]);
        let update =
            build_update("labels", &meta, &labels(&["a", "b"]), &labels(&["b", "c"])).unwrap();
        assert_eq!(
            serde_json::to_value(&update).unwrap(),
            json!({ "update": { "labels": [{ "remove": "a" }, { "add": "c" }] } })
        );
        let same = build_update("labels", &meta, &labels(&["a"]), &labels(&["a"])).unwrap();
        assert!(same.is_empty());
        // Without add/remove, the whole list is set.
        let components = system("array", Some("component"), "components", &["set"]);
        let item = |id: &str| PickerItem::new(id, id, None, by_id(id));
        let update = build_update(
            "components",
            &components,
            &FieldValue::Items(vec![item("1")]),
            &FieldValue::Items(vec![item("1"), item("2")]),
        )
        .unwrap();
        assert_eq!(
            serde_json::to_value(&update).unwrap(),
            json!({ "fields": { "components": [{ "id": "1" }, { "id": "2" }] } })
        );
        let cleared = build_update(
            "components",
            &components,
            &FieldValue::Items(vec![item("1")]),
            &FieldValue::Empty,
        )
        .unwrap();
        assert_eq!(
            serde_json::to_value(&cleared).unwrap(),
            json!({ "fields": { "components": [] } })
        );
    }

    #[test]
    fn updates_set_single_values_and_refuse_read_only_fields() {
        let points = custom("number", None, "float");
        let update = build_update(
            "customfield_10100",
            &points,
            &FieldValue::Number(3.0),
            &FieldValue::Number(5.0),
        )
        .unwrap();
        assert_eq!(
            serde_json::to_value(&update).unwrap(),
            json!({ "fields": { "customfield_10100": 5 } })
        );
        assert!(
            build_update(
                "customfield_10100",
                &points,
                &FieldValue::Number(3.0),
                &FieldValue::Number(3.0)
            )
            .unwrap()
            .is_empty()
        );
        let cleared = build_update(
            "customfield_10100",
            &points,
            &FieldValue::Number(3.0),
            &FieldValue::Empty,
        )
        .unwrap();
        assert_eq!(
            serde_json::to_value(&cleared).unwrap(),
            json!({ "fields": { "customfield_10100": null } })
        );
        let mut sprint = custom("array", Some("json"), "gh-sprint");
        sprint.operations.clear();
        assert_eq!(
            build_update(
                "customfield_10100",
                &sprint,
                &FieldValue::Empty,
                &FieldValue::Number(1.0)
            ),
            Err(FieldEditError::NotEditable("gh-sprint".into()))
        );
    }

    #[test]
    fn current_values_from_typed_and_raw_fields() {
        let issue: Issue = serde_json::from_value(json!({
            "key": "NAV-1",
            "fields": {
                "summary": "Lidar",
                "priority": {"id": "2", "name": "High"},
                "assignee": {"accountId": "acc-1", "displayName": "Ana"},
                "labels": ["a", "b"],
                "components": [{"id": "10", "name": "Perception"}],
                "duedate": "2026-12-01",
                "customfield_1": 5.0,
                "customfield_2": {"id": "10100", "value": "Platform"},
                "customfield_3": "2024-03-01T11:34:49.730+0200",
                "customfield_4": [{"accountId": "acc-2", "displayName": "Bo"}],
                "customfield_5": null
            }
        }))
        .unwrap();
        let sys = |kind, items, id| system(kind, items, id, &["set"]);
        let value = |id: &str, m: &FieldMeta| current_value(&issue, id, m);
        assert_eq!(
            value("summary", &sys("string", None, "summary")),
            FieldValue::Text("Lidar".into())
        );
        let priority = value("priority", &sys("priority", None, "priority"));
        assert_eq!(priority.items()[0].value, json!({"id": "2"}));
        let assignee = value("assignee", &sys("user", None, "assignee"));
        assert_eq!(assignee.items()[0].value, json!({"accountId": "acc-1"}));
        assert_eq!(
            value("labels", &sys("array", Some("string"), "labels")),
            labels(&["a", "b"])
        );
        let components = value("components", &sys("array", Some("component"), "components"));
        assert_eq!(components.items()[0].label, "Perception");
        assert_eq!(
            value("duedate", &sys("date", None, "duedate")),
            FieldValue::Date(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap())
        );
        assert_eq!(
            value("description", &sys("string", None, "description")),
            FieldValue::Empty
        );
        assert_eq!(
            value("customfield_1", &custom("number", None, "float")),
            FieldValue::Number(5.0)
        );
        let team = value("customfield_2", &custom("option", None, "select"));
        assert_eq!(team.items()[0].id, "10100");
        match value("customfield_3", &custom("datetime", None, "datetime")) {
            FieldValue::DateTime(at) => {
                assert_eq!(at.to_rfc3339(), "2024-03-01T11:34:49.730+02:00")
            }
            other => panic!("{other:?}"),
        }
        let reviewers = value(
            "customfield_4",
            &custom("array", Some("user"), "multiuserpicker"),
        );
        assert_eq!(reviewers.items()[0].value, json!({"accountId": "acc-2"}));
        assert_eq!(
            value("customfield_5", &custom("string", None, "textfield")),
            FieldValue::Empty
        );
        assert_eq!(
            value("customfield_9", &custom("string", None, "textfield")),
            FieldValue::Empty
        );
        // A value of the wrong shape is empty, not a panic.
        assert_eq!(
            value_from_json(&custom("number", None, "float"), &json!({"odd": true})),
            FieldValue::Empty
        );
    }

    #[test]
    fn line_editors_start_from_and_read_back_text() {
        let cet = FixedOffset::east_opt(3600).unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        assert_eq!(editor_text(&FieldValue::Number(3.0), cet), "3");
        assert_eq!(editor_text(&FieldValue::Number(2.5), cet), "2.5");
        let utc = DateTime::parse_from_rfc3339("2026-12-01T13:30:00Z").unwrap();
        assert_eq!(
            editor_text(&FieldValue::DateTime(utc), cet),
            "2026-12-01 14:30"
        );
        assert_eq!(editor_text(&labels(&["a", "b"]), cet), "a, b");
        assert_eq!(
            parse_input(FieldKind::Date, "+3d", today, cet),
            Ok(FieldValue::Date(
                NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
            ))
        );
        assert_eq!(
            parse_input(FieldKind::Number, "", today, cet),
            Ok(FieldValue::Empty)
        );
        assert_eq!(
            parse_input(FieldKind::Text, "  Hi ", today, cet),
            Ok(FieldValue::Text("Hi".into()))
        );
        assert!(parse_input(FieldKind::Number, "abc", today, cet).is_err());
        assert!(parse_input(FieldKind::Select, "x", today, cet).is_err());
        assert_eq!(
            input_preview(FieldKind::Date, "+3d", today, cet),
            Ok(Some("+3d → Tue 2026-12-01".into()))
        );
        assert_eq!(input_preview(FieldKind::Number, "4", today, cet), Ok(None));
        assert!(input_preview(FieldKind::Number, "four", today, cet).is_err());
    }

    #[test]
    fn pickers_from_metadata() {
        let priority = meta(json!({
            "name": "Priority", "schema": {"type": "priority", "system": "priority"},
            "operations": ["set"],
            "allowedValues": [{"id": "1", "name": "Highest"}, {"id": "2", "name": "High"}]
        }));
        let current = FieldValue::Items(vec![item_from_allowed(
            &priority,
            &json!({"id": "2", "name": "High"}),
        )]);
        let picker = picker_for(&priority, &current).unwrap();
        let names: Vec<&str> = picker.items().iter().map(|i| i.label.as_str()).collect();
        assert_eq!(
            names,
            ["None", "Highest", "High"],
            "optional: a None row first"
        );
        assert_eq!(picker.current(), Some("2"));
        assert_eq!(picker.selected(), 2);

        let mut required = priority.clone();
        required.required = true;
        let picker = picker_for(&required, &FieldValue::Empty).unwrap();
        assert_eq!(picker.items().len(), 2);
        assert_eq!(picker.current(), None);

        let assignee = system("user", None, "assignee", &["set"]);
        let mut picker = picker_for(&assignee, &FieldValue::Empty).unwrap();
        assert_eq!(picker.items()[0].label, "Unassigned");
        assert_eq!(picker.current(), Some(NONE_ID));
        assert!(picker.replace_items(
            "",
            vec![PickerItem::new("a", "Ana", None, account(Some("a")))]
        ));
        assert_eq!(picker.items().len(), 2, "Unassigned stays pinned");

        let options = meta(json!({
            "name": "Checks", "schema": {"type": "array", "items": "option",
                "custom": "com.atlassian.jira.plugin.system.customfieldtypes:multicheckboxes"},
            "operations": ["add", "set", "remove"],
            "allowedValues": [{"id": "1", "value": "A"}, {"id": "2", "value": "B", "disabled": true}]
        }));
        let old = item_from_allowed(&options, &json!({"id": "2", "value": "B"}));
        let picker = picker_for(&options, &FieldValue::Items(vec![old])).unwrap();
        assert_eq!(picker.items().len(), 1, "disabled options are not offered");
        assert!(picker.is_checked("2"), "but a current one stays checked");

        let label_meta = system("array", Some("string"), "labels", &["add", "set", "remove"]);
        let mut picker = picker_for(&label_meta, &labels(&["x"])).unwrap();
        for c in "new".chars() {
            picker.apply(crate::config::keymap::KeyBinding {
                code: crossterm::event::KeyCode::Char(c),
                modifiers: crossterm::event::KeyModifiers::NONE,
            });
        }
        assert!(picker.offers_create());
        let enter = crate::config::keymap::KeyBinding::parse("enter").unwrap();
        picker.apply(enter);
        assert_eq!(
            picker.apply(enter),
            PickerOutcome::Chosen(label_items(&["x", "new"]))
        );

        assert!(
            picker_for(
                &system("date", None, "duedate", &["set"]),
                &FieldValue::Empty
            )
            .is_none()
        );
    }

    #[test]
    fn estimates_are_written_and_read_as_time_tracking() {
        let remaining = parse_estimates("/ 2h").unwrap();
        // Left out is left out of the write.
        assert_eq!(
            write_value(
                FieldKind::TimeTracking,
                &FieldValue::Estimates(remaining.clone())
            ),
            json!({"remainingEstimate": "2h"})
        );
        let cet = FixedOffset::east_opt(3600).unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        for text in ["3d / 1d 4h", "1w", "/ 2h"] {
            let value = parse_input(FieldKind::TimeTracking, text, day, cet).unwrap();
            assert_eq!(editor_text(&value, cet), text, "round trip");
        }
        assert_eq!(
            parse_input(FieldKind::TimeTracking, " ", day, cet),
            Ok(FieldValue::Empty)
        );
        assert_eq!(
            input_preview(FieldKind::TimeTracking, "3d / 1d 4h", day, cet),
            Ok(Some("original 3d · remaining 1d 4h".into()))
        );
        let meta = system("timetracking", None, "timetracking", &["set", "edit"]);
        assert_eq!(
            value_from_json(&meta, &json!({"originalEstimate": "1w", "timeSpent": "2h"})),
            FieldValue::Estimates(Estimates {
                original: Some("1w".into()),
                remaining: None
            })
        );
    }

    #[test]
    fn the_open_sprint_is_the_current_value_and_ids_are_written_as_numbers() {
        let mut sprint = custom("array", Some("json"), "gh-sprint");
        sprint.schema.as_mut().unwrap().custom =
            Some("com.pyxis.greenhopper.jira:gh-sprint".into());
        assert_eq!(classify(&sprint), FieldKind::Sprint);
        let raw = json!([
            {"id": 1, "name": "NAV 1", "state": "closed", "boardId": 3},
            {"id": 2, "name": "NAV 2", "state": "active", "boardId": 3,
             "startDate": "2026-11-16T08:00:00.000Z", "endDate": "2026-11-30T08:00:00.000Z"}
        ]);
        let current = value_from_json(&sprint, &raw);
        let item = &current.items()[0];
        assert_eq!((item.id.as_str(), item.label.as_str()), ("2", "NAV 2"));
        assert_eq!(item.value, json!(2));
        assert_eq!(
            item.detail.as_deref(),
            Some("active · 2026-11-16 → 2026-11-30")
        );
        let closed_only = json!([{"id": 1, "name": "NAV 1", "state": "closed"}]);
        assert_eq!(value_from_json(&sprint, &closed_only), FieldValue::Empty);
        let picker = picker_for(&sprint, &current).unwrap();
        assert_eq!(picker.items()[0].label, "No sprint");
        assert_eq!(picker.current(), Some("2"), "the open sprint is marked");
        let next = PickerItem::new("3", "NAV 3", Some("future"), json!(3));
        let moved = build_update(
            "customfield_10100",
            &sprint,
            &current,
            &FieldValue::Items(vec![next]),
        )
        .unwrap();
        assert_eq!(
            serde_json::to_value(&moved).unwrap(),
            json!({"fields": {"customfield_10100": 3}})
        );
        let cleared =
            build_update("customfield_10100", &sprint, &current, &FieldValue::Empty).unwrap();
        assert_eq!(
            serde_json::to_value(&cleared).unwrap(),
            json!({"fields": {"customfield_10100": null}})
        );
    }

    #[test]
    fn labels_are_checked_like_jira() {
        assert!(label_item("ok-label_1").is_ok());
        assert_eq!(
            label_item("two words").unwrap_err(),
            "a label cannot contain spaces"
        );
        assert!(label_item("tab\there").is_err());
        assert!(label_item("  ").is_err());
        assert!(label_item(&"x".repeat(256)).is_err());
        assert!(label_item(&"x".repeat(255)).is_ok());
    }
}
