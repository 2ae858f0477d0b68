//! Reading the field values of a write the way Jira does: `fields` (set) and `update`
//! (`set`/`add`/`remove`/`edit` per field), checked against the screen the write goes
//! through, each field's type, the project's options and the site's users, with Jira's own
//! messages in its `ErrorCollection` (per-field `errors`, global `errorMessages`).
//!
//! Nothing here changes the store: a request is read completely into [`Change`]s first and
//! applied (by `emulator::write`) only when nothing was wrong, so a refused write leaves
//! no trace. Messages are Jira Cloud's where known (quoted in issue threads and Atlassian's
//! docs); the few marked "inferred" follow Jira's style where no real one was found.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde_json::{Map, Value, json};

use super::adf;
use super::fields::{self, FieldDef};
use super::screens;
use super::store::{CustomFieldKind, Issue, IssueType, Project, ScreenField, Store, User};

/// Cloud's answer to a body that is not the JSON it expects.
pub const BAD_PAYLOAD: &str =
    "Invalid request payload. Refer to the REST API documentation and try again.";
pub const SUMMARY_REQUIRED: &str = "You must specify a summary of the issue.";
pub const NOT_ADF: &str = "Operation value must be an Atlassian Document";
pub const NOT_A_STRING: &str = "Operation value must be a string";
pub const NOT_A_NUMBER: &str = "Operation value must be a number";
pub const NOT_AN_ARRAY: &str = "data was not an array";
pub const COMMENT_EMPTY: &str = "Comment body can not be empty!";
/// The most characters a summary, a label or a single-line text field holds.
pub const MAX_TEXT_CHARS: usize = 255;
/// The key Jira reports comment visibility problems under.
pub const VISIBILITY_KEY: &str = "commentLevel";

/// Jira's default working time, for estimates such as `1w 2d`.
const SECONDS_PER_MINUTE: u64 = 60;
const SECONDS_PER_HOUR: u64 = 60 * SECONDS_PER_MINUTE;
const SECONDS_PER_DAY: u64 = 8 * SECONDS_PER_HOUR;
const SECONDS_PER_WEEK: u64 = 5 * SECONDS_PER_DAY;

/// "Field 'x' cannot be set. It is not on the appropriate screen, or unknown."
pub fn not_on_screen(field: &str) -> String {
    format!("Field '{field}' cannot be set. It is not on the appropriate screen, or unknown.")
}

/// "Story Points is required."
pub fn required(name: &str) -> String {
    format!("{name} is required.")
}

/// Why a write was refused: the two halves of Jira's `ErrorCollection`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rejection {
    pub messages: Vec<String>,
    pub errors: BTreeMap<String, String>,
}

impl Rejection {
    pub fn message(message: impl Into<String>) -> Self {
        Self {
            messages: vec![message.into()],
            errors: BTreeMap::new(),
        }
    }

    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        let mut out = Self::default();
        out.errors.insert(field.into(), message.into());
        out
    }

    pub fn is_empty(&self) -> bool {
        self.messages.is_empty() && self.errors.is_empty()
    }

    /// Adds a field's error; the first one per field is what Jira reports.
    pub fn add_field(&mut self, field: &str, message: impl Into<String>) {
        self.errors
            .entry(field.to_owned())
            .or_insert_with(|| message.into());
    }

    pub fn merge(&mut self, other: Rejection) {
        self.messages.extend(other.messages);
        for (field, message) in other.errors {
            self.add_field(&field, message);
        }
    }

    pub fn to_json(&self) -> Value {
        json!({ "errorMessages": self.messages, "errors": self.errors })
    }
}

/// A comment restricted to a project role or a group: (`role` | `group`, name).
pub type Visibility = (String, String);

/// A field's new value (or a comment operation), read and checked.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    Summary(String),
    Description(Option<Value>),
    Environment(Option<Value>),
    IssueType(u64),
    /// The parent's key.
    Parent(Option<String>),
    Priority(Option<u64>),
    Assignee(Option<String>),
    Reporter(Option<String>),
    /// The whole new list, after every operation.
    Labels(Vec<String>),
    Components(Vec<u64>),
    FixVersions(Vec<u64>),
    Versions(Vec<u64>),
    DueDate(Option<NaiveDate>),
    Resolution(Option<u64>),
    /// New estimates in seconds; `None` leaves one as it is.
    TimeTracking {
        original: Option<u64>,
        remaining: Option<u64>,
    },
    /// A custom field's value in the shape the store keeps it, or `None` to clear it.
    Custom(u64, Option<Value>),
    AddComment {
        body: Value,
        visibility: Option<Visibility>,
    },
    EditComment {
        id: u64,
        body: Value,
        /// `None` keeps the current restriction.
        visibility: Option<Option<Visibility>>,
    },
    RemoveComment(u64),
}

/// What a write is about: the issue (absent while it is being created) and the project
/// and issue type that decide its options.
#[derive(Debug, Clone, Copy)]
pub struct Subject<'a> {
    pub store: &'a Store,
    pub project: &'a Project,
    pub issue_type: &'a IssueType,
    pub issue: Option<&'a Issue>,
    /// The caller's account id.
    pub me: &'a str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Set,
    Add,
    Remove,
    Edit,
    Copy,
}

impl Op {
    fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "set" => Op::Set,
            "add" => Op::Add,
            "remove" => Op::Remove,
            "edit" => Op::Edit,
            "copy" => Op::Copy,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Op::Set => "set",
            Op::Add => "add",
            Op::Remove => "remove",
            Op::Edit => "edit",
            Op::Copy => "copy",
        }
    }
}

/// A failure while reading one field: under its id in `errors`, or a global message.
enum FieldError {
    Field(String),
    Global(String),
}

impl From<String> for FieldError {
    fn from(message: String) -> Self {
        FieldError::Field(message)
    }
}

impl From<&str> for FieldError {
    fn from(message: &str) -> Self {
        FieldError::Field(message.to_owned())
    }
}

/// The `fields` and `update` objects of a body.
pub type Parts = (Map<String, Value>, Map<String, Value>);

/// The `fields` and `update` objects of a body (either may be absent).
pub fn parts(body: &Map<String, Value>) -> Result<Parts, Rejection> {
    let object = |key: &str| match body.get(key) {
        None | Some(Value::Null) => Ok(Map::new()),
        Some(Value::Object(map)) => Ok(map.clone()),
        Some(_) => Err(Rejection::message(BAD_PAYLOAD)),
    };
    Ok((object("fields")?, object("update")?))
}

/// Reads every field a write sets, against `screen`. Fields named in `skip` are read by
/// the caller (`project` and `issuetype` of a create) and ignored here.
pub fn changes(
    subject: &Subject<'_>,
    screen: &[ScreenField],
    body: &Map<String, Value>,
    skip: &[&str],
) -> Result<Vec<Change>, Rejection> {
    let (set_fields, update) = parts(body)?;
    let catalogue = fields::catalogue(subject.store);
    let mut rejection = Rejection::default();
    let mut out = Vec::new();
    let mut names: Vec<&String> = set_fields.keys().collect();
    names.extend(update.keys().filter(|k| !set_fields.contains_key(*k)));
    for id in names {
        if skip.contains(&id.as_str()) {
            continue;
        }
        if set_fields.contains_key(id) && update.contains_key(id) {
            // Inferred wording: Jira refuses the combination without a documented message.
            rejection.add_field(
                id,
                format!("Field '{id}' cannot be set in both 'fields' and 'update'."),
            );
            continue;
        }
        let on_screen = screen.iter().find(|f| f.field == *id);
        let def = catalogue.iter().find(|d| d.id == *id);
        let (Some(field), Some(def)) = (on_screen, def) else {
            rejection.add_field(id, not_on_screen(id));
            continue;
        };
        let ops = match (set_fields.get(id), update.get(id)) {
            (Some(value), _) => vec![(Op::Set, value)],
            (None, Some(list)) => match operations(list) {
                Some(ops) => ops,
                None => {
                    rejection.messages.push(BAD_PAYLOAD.to_owned());
                    continue;
                }
            },
            (None, None) => continue,
        };
        let allowed = screens::operations(def);
        if let Some((op, _)) = ops.iter().find(|(op, _)| !allowed.contains(&op.name())) {
            // Jira's own wording, quirks included ("id' customfield_10028'").
            rejection.messages.push(format!(
                "Field with id' {id}' and name '{}' does not support operation '{}' Supported operation(s) are: '{}'",
                def.name,
                op.name(),
                allowed.join("', '")
            ));
            continue;
        }
        match read_field(subject, def, field.required, &ops) {
            Ok(mut changes) => out.append(&mut changes),
            Err(FieldError::Field(message)) => rejection.add_field(id, message),
            Err(FieldError::Global(message)) => rejection.messages.push(message),
        }
    }
    if rejection.is_empty() {
        Ok(out)
    } else {
        Err(rejection)
    }
}

/// `[{"add": "x"}, {"remove": "y"}]` as (operation, value) pairs; `None` when malformed.
fn operations(list: &Value) -> Option<Vec<(Op, &Value)>> {
    list.as_array()?
        .iter()
        .map(|item| {
            let map = item.as_object().filter(|m| m.len() == 1)?;
            let (name, value) = map.iter().next()?;
            Some((Op::parse(name)?, value))
        })
        .collect()
}

/// The last `set` value of a single-valued field (Jira applies operations in order).
fn last_value<'v>(ops: &[(Op, &'v Value)]) -> &'v Value {
    ops.last().map_or(&Value::Null, |(_, v)| v)
}

fn read_field(
    subject: &Subject<'_>,
    def: &FieldDef,
    required_field: bool,
    ops: &[(Op, &Value)],
) -> Result<Vec<Change>, FieldError> {
    let empty_required = |empty: bool| -> Result<(), FieldError> {
        if required_field && empty {
            Err(required(&def.name).into())
        } else {
            Ok(())
        }
    };
    if let Some(custom_id) = def.custom_id {
        let value = last_value(ops);
        let change = read_custom(subject, custom_id, value)?;
        if let Change::Custom(_, stored) = &change {
            empty_required(stored.is_none())?;
        }
        return Ok(vec![change]);
    }
    let value = last_value(ops);
    let change = match def.id.as_str() {
        "summary" => Change::Summary(summary(value)?),
        "description" => {
            let doc = document(value)?;
            empty_required(doc.is_none())?;
            Change::Description(doc)
        }
        "environment" => {
            let doc = document(value)?;
            empty_required(doc.is_none())?;
            Change::Environment(doc)
        }
        "issuetype" => Change::IssueType(issue_type_change(subject, value)?),
        "parent" => {
            let parent = parent(subject, value)?;
            if parent.is_none() && required_field {
                return Err(if subject.issue.is_none() {
                    FieldError::Field(
                        "Issue type is a sub-task but parent issue key or id not specified.".into(),
                    )
                } else {
                    FieldError::Field(required(&def.name))
                });
            }
            Change::Parent(parent)
        }
        "priority" => {
            let id = priority(subject.store, value)?;
            empty_required(id.is_none())?;
            Change::Priority(id)
        }
        "assignee" => {
            let who = assignee(subject, value)?;
            empty_required(who.is_none())?;
            Change::Assignee(who)
        }
        "reporter" => {
            let who = reporter(subject.store, value)?;
            empty_required(who.is_none())?;
            Change::Reporter(who)
        }
        "labels" => {
            let start = subject.issue.map(|i| i.labels.clone()).unwrap_or_default();
            let labels = labels(start, ops)?;
            empty_required(labels.is_empty())?;
            Change::Labels(labels)
        }
        "components" => {
            let start = subject
                .issue
                .map(|i| i.component_ids.clone())
                .unwrap_or_default();
            let choices: Vec<(u64, &str)> = subject
                .project
                .components
                .iter()
                .map(|c| (c.id, c.name.as_str()))
                .collect();
            let ids = id_list(start, ops, &choices, "Component")?;
            empty_required(ids.is_empty())?;
            Change::Components(ids)
        }
        "fixVersions" | "versions" => {
            let start = subject
                .issue
                .map(|i| {
                    if def.id == "fixVersions" {
                        i.fix_version_ids.clone()
                    } else {
                        i.affects_version_ids.clone()
                    }
                })
                .unwrap_or_default();
            let choices: Vec<(u64, &str)> = subject
                .project
                .versions
                .iter()
                .filter(|v| !v.archived)
                .map(|v| (v.id, v.name.as_str()))
                .collect();
            let ids = id_list(start, ops, &choices, "Version")?;
            empty_required(ids.is_empty())?;
            if def.id == "fixVersions" {
                Change::FixVersions(ids)
            } else {
                Change::Versions(ids)
            }
        }
        "duedate" => {
            let date = date(value)?;
            empty_required(date.is_none())?;
            Change::DueDate(date)
        }
        "resolution" => {
            let id = resolution(subject.store, value)?;
            empty_required(id.is_none())?;
            Change::Resolution(id)
        }
        "timetracking" => time_tracking(ops)?,
        "comment" => return comments(subject, ops),
        other => return Err(not_on_screen(other).into()),
    };
    Ok(vec![change])
}

fn summary(value: &Value) -> Result<String, FieldError> {
    match value {
        Value::Null => Err(SUMMARY_REQUIRED.into()),
        Value::String(s) if s.trim().is_empty() => Err(SUMMARY_REQUIRED.into()),
        Value::String(s) if s.chars().count() > MAX_TEXT_CHARS => {
            Err("Summary must be less than 255 characters.".into())
        }
        Value::String(s) if s.contains(['\n', '\r']) => {
            // Inferred wording: the summary is a single line in Jira's UI and API.
            Err("The summary must be a single line of text.".into())
        }
        Value::String(s) => Ok(s.trim().to_owned()),
        _ => Err(NOT_A_STRING.into()),
    }
}

/// Whether `value` is an ADF document with the structure Jira insists on: a `doc` of
/// version 1 whose nodes all have a type, and no empty text nodes.
pub fn is_document(value: &Value) -> bool {
    fn node_ok(node: &Value, depth: usize) -> bool {
        const MAX_DEPTH: usize = 64;
        let Some(map) = node.as_object() else {
            return false;
        };
        let Some(kind) = map.get("type").and_then(Value::as_str) else {
            return false;
        };
        if kind == "text"
            && map
                .get("text")
                .and_then(Value::as_str)
                .is_none_or(str::is_empty)
        {
            return false;
        }
        match map.get("content") {
            None => true,
            Some(Value::Array(children)) => {
                depth < MAX_DEPTH && children.iter().all(|c| node_ok(c, depth + 1))
            }
            Some(_) => false,
        }
    }
    value.get("type").and_then(Value::as_str) == Some("doc")
        && value.get("version").and_then(Value::as_u64) == Some(1)
        && value.get("content").is_some_and(Value::is_array)
        && node_ok(value, 0)
}

/// A rich-text field's value: an ADF document, or `None` for null or an empty document.
fn document(value: &Value) -> Result<Option<Value>, FieldError> {
    if value.is_null() {
        return Ok(None);
    }
    if !is_document(value) {
        return Err(NOT_ADF.into());
    }
    let empty = value
        .get("content")
        .and_then(Value::as_array)
        .is_none_or(Vec::is_empty);
    Ok((!empty).then(|| value.clone()))
}

/// `{"id": "10"}` / `{"name": "High"}` (or `key`/`value`): the members naming an entity.
fn reference<'v>(value: &'v Value, name_key: &str) -> (Option<String>, Option<&'v str>) {
    let id = value.get("id").and_then(|id| match id {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    });
    let name = value.get(name_key).and_then(Value::as_str);
    (id, name)
}

fn issue_type_change(subject: &Subject<'_>, value: &Value) -> Result<u64, FieldError> {
    const INVALID: &str = "The issue type selected is invalid.";
    let (id, name) = reference(value, "name");
    let store = subject.store;
    let level = subject.issue_type.hierarchy_level;
    let candidates = subject
        .project
        .issue_type_ids
        .iter()
        .filter_map(|id| screens::issue_type(store, *id))
        .filter(|t| t.hierarchy_level == level);
    let found = match (id, name) {
        (Some(id), _) => candidates.clone().find(|t| t.id.to_string() == id),
        (None, Some(name)) => candidates
            .clone()
            .find(|t| t.name.eq_ignore_ascii_case(name)),
        (None, None) => None,
    };
    found.map(|t| t.id).ok_or_else(|| INVALID.into())
}

/// The parent's key: `{"key": ...}` or `{"id": ...}`; null or `{"none": true}` removes it.
fn parent(subject: &Subject<'_>, value: &Value) -> Result<Option<String>, FieldError> {
    if value.is_null() || value.get("none").and_then(Value::as_bool) == Some(true) {
        return Ok(None);
    }
    let store = subject.store;
    let key = value.get("key").and_then(Value::as_str);
    let (id, _) = reference(value, "key");
    let found = match (key, id) {
        (Some(key), _) => store
            .issues
            .iter()
            .find(|i| i.key.eq_ignore_ascii_case(key)),
        (None, Some(id)) => store.issues.iter().find(|i| i.id.to_string() == id),
        (None, None) => return Err("Could not find valid 'id' or 'key' in parent object.".into()),
    };
    let Some(parent) = found else {
        return Err("Could not find issue by id or key.".into());
    };
    // Inferred wordings below: Jira rejects these with messages of this form.
    if subject.issue.is_some_and(|i| i.id == parent.id) {
        return Err("An issue cannot be its own parent.".into());
    }
    if parent.project_id != subject.project.id {
        return Err("The parent issue must belong to the same project.".into());
    }
    let parent_level = screens::issue_type(store, parent.issue_type_id).map(|t| t.hierarchy_level);
    if parent_level != Some(subject.issue_type.hierarchy_level + 1) {
        return Err("Given parent issue does not belong to appropriate hierarchy.".into());
    }
    Ok(Some(parent.key.clone()))
}

fn priority(store: &Store, value: &Value) -> Result<Option<u64>, FieldError> {
    if value.is_null() {
        return Ok(None);
    }
    let (id, name) = reference(value, "name");
    let found = match (id, name) {
        (Some(id), _) => store.priorities.iter().find(|p| p.id.to_string() == id),
        (None, Some(name)) => store
            .priorities
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name)),
        (None, None) => {
            return Err("Could not find valid 'id' or 'name' in priority object.".into());
        }
    };
    found
        .map(|p| Some(p.id))
        .ok_or_else(|| "The priority selected is invalid.".into())
}

fn resolution(store: &Store, value: &Value) -> Result<Option<u64>, FieldError> {
    if value.is_null() {
        return Ok(None);
    }
    let (id, name) = reference(value, "name");
    let found = match (id, name) {
        (Some(id), _) => store.resolutions.iter().find(|r| r.id.to_string() == id),
        (None, Some(name)) => store
            .resolutions
            .iter()
            .find(|r| r.name.eq_ignore_ascii_case(name)),
        (None, None) => {
            return Err("Could not find valid 'id' or 'name' in resolution object.".into());
        }
    };
    found
        .map(|r| Some(r.id))
        .ok_or_else(|| "The resolution selected is invalid.".into())
}

/// The account id a user value names: `{"accountId": ...}` (or the older `id`); `None`
/// for null or a null account id.
fn account_id(value: &Value) -> Result<Option<&str>, FieldError> {
    match value {
        Value::Null => Ok(None),
        Value::Object(map) => match map.get("accountId").or_else(|| map.get("id")) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.as_str())),
            Some(_) => Err(NOT_A_STRING.into()),
        },
        // Inferred wording for a user given as a bare string.
        _ => Err("expected Object containing an 'accountId' property".into()),
    }
}

/// The users who may be assigned issues of `project`: its *Assignable user* holders that
/// are active (everyone active of type `atlassian` when the scheme does not list it).
pub fn assignable_users<'s>(store: &'s Store, project: &Project) -> Vec<&'s User> {
    match store.schemes.assignable.get(&project.id) {
        Some(ids) => store
            .users
            .iter()
            .filter(|u| u.active && ids.contains(&u.account_id))
            .collect(),
        None => store
            .users
            .iter()
            .filter(|u| u.active && u.account_type == "atlassian")
            .collect(),
    }
}

/// "User 'x' cannot be assigned issues."
pub fn cannot_be_assigned(account_id: &str) -> String {
    format!("User '{account_id}' cannot be assigned issues.")
}

/// The account id `-1` stands for: the project's default assignee, its lead.
pub const AUTOMATIC_ASSIGNEE: &str = "-1";

/// An assignee value: an assignable user, `-1` for the project default, or nobody.
pub fn assignee_of(
    store: &Store,
    project: &Project,
    account: Option<&str>,
) -> Result<Option<String>, String> {
    let Some(account) = account else {
        return Ok(None);
    };
    let wanted = if account == AUTOMATIC_ASSIGNEE {
        project.lead.as_str()
    } else {
        account
    };
    if assignable_users(store, project)
        .iter()
        .any(|u| u.account_id == wanted)
    {
        Ok(Some(wanted.to_owned()))
    } else {
        Err(cannot_be_assigned(wanted))
    }
}

fn assignee(subject: &Subject<'_>, value: &Value) -> Result<Option<String>, FieldError> {
    let account = account_id(value)?;
    assignee_of(subject.store, subject.project, account).map_err(FieldError::Field)
}

fn reporter(store: &Store, value: &Value) -> Result<Option<String>, FieldError> {
    let Some(account) = account_id(value)? else {
        return Ok(None);
    };
    match store.user(account) {
        Some(user) if user.active => Ok(Some(account.to_owned())),
        // Inferred wording.
        _ => Err(format!("The reporter specified is not a user: '{account}'.").into()),
    }
}

fn label_ok(label: &str) -> Result<String, FieldError> {
    if label.is_empty() || label.chars().any(char::is_whitespace) {
        return Err(format!("The label '{label}' contains spaces which is invalid.").into());
    }
    if label.chars().count() > MAX_TEXT_CHARS {
        return Err(format!(
            "The label '{label}' exceeds the maximum length for a single label of 255 characters."
        )
        .into());
    }
    Ok(label.to_owned())
}

fn labels(mut current: Vec<String>, ops: &[(Op, &Value)]) -> Result<Vec<String>, FieldError> {
    let one = |value: &Value| match value {
        Value::String(s) => label_ok(s),
        _ => Err(NOT_A_STRING.into()),
    };
    for (op, value) in ops {
        match op {
            Op::Set => {
                let items = match value {
                    Value::Null => Vec::new(),
                    Value::Array(items) => items.iter().collect(),
                    _ => return Err(NOT_AN_ARRAY.into()),
                };
                current.clear();
                for item in items {
                    let label = one(item)?;
                    if !current.contains(&label) {
                        current.push(label);
                    }
                }
            }
            Op::Add => {
                let label = one(value)?;
                if !current.contains(&label) {
                    current.push(label);
                }
            }
            Op::Remove => {
                let label = one(value)?;
                current.retain(|l| *l != label);
            }
            Op::Edit | Op::Copy => return Err(BAD_PAYLOAD.into()),
        }
    }
    Ok(current)
}

/// Components or versions: operations on a list of ids, each value `{"id"}` or `{"name"}`
/// among `choices` (id, name). `what` names the entity in messages.
fn id_list(
    mut current: Vec<u64>,
    ops: &[(Op, &Value)],
    choices: &[(u64, &str)],
    what: &str,
) -> Result<Vec<u64>, FieldError> {
    let resolve = |value: &Value| -> Result<u64, FieldError> {
        let (id, name) = reference(value, "name");
        match (id, name) {
            (Some(id), _) => choices
                .iter()
                .find(|(c, _)| c.to_string() == id)
                .map(|(c, _)| *c)
                .ok_or_else(|| format!("{what} id '{id}' is not valid").into()),
            (None, Some(name)) => choices
                .iter()
                .find(|(_, n)| n.eq_ignore_ascii_case(name))
                .map(|(c, _)| *c)
                .ok_or_else(|| format!("{what} name '{name}' is not valid").into()),
            (None, None) => Err(format!(
                "Could not find valid 'id' or 'name' in {} object.",
                what.to_lowercase()
            )
            .into()),
        }
    };
    for (op, value) in ops {
        match op {
            Op::Set => {
                let items = match value {
                    Value::Null => Vec::new(),
                    Value::Array(items) => items.iter().collect(),
                    _ => return Err(NOT_AN_ARRAY.into()),
                };
                current.clear();
                for item in items {
                    let id = resolve(item)?;
                    if !current.contains(&id) {
                        current.push(id);
                    }
                }
            }
            Op::Add => {
                let id = resolve(value)?;
                if !current.contains(&id) {
                    current.push(id);
                }
            }
            Op::Remove => {
                let id = resolve(value)?;
                current.retain(|c| *c != id);
            }
            Op::Edit | Op::Copy => return Err(BAD_PAYLOAD.into()),
        }
    }
    Ok(current)
}

fn date(value: &Value) -> Result<Option<NaiveDate>, FieldError> {
    match value {
        Value::Null => Ok(None),
        Value::String(s) if s.is_empty() => Ok(None),
        Value::String(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| format!("Error parsing date string: {s}").into()),
        _ => Err(NOT_A_STRING.into()),
    }
}

/// Jira's duration text (`1w 2d 3h 30m`, a bare number is minutes) in seconds.
pub fn parse_duration(text: &str) -> Option<u64> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if let Ok(minutes) = text.parse::<u64>() {
        return minutes.checked_mul(SECONDS_PER_MINUTE);
    }
    let mut total: u64 = 0;
    for part in text.split_whitespace() {
        let unit = part.chars().last()?;
        let number: u64 = part[..part.len() - unit.len_utf8()].parse().ok()?;
        let size = match unit.to_ascii_lowercase() {
            'w' => SECONDS_PER_WEEK,
            'd' => SECONDS_PER_DAY,
            'h' => SECONDS_PER_HOUR,
            'm' => SECONDS_PER_MINUTE,
            _ => return None,
        };
        total = total.checked_add(number.checked_mul(size)?)?;
    }
    Some(total)
}

fn time_tracking(ops: &[(Op, &Value)]) -> Result<Change, FieldError> {
    let mut original = None;
    let mut remaining = None;
    for (_, value) in ops {
        let Some(map) = value.as_object() else {
            return Err(BAD_PAYLOAD.into());
        };
        for (key, slot) in [
            ("originalEstimate", &mut original),
            ("remainingEstimate", &mut remaining),
        ] {
            match map.get(key) {
                None | Some(Value::Null) => {}
                Some(Value::String(text)) => {
                    // Inferred wording, reported under the field as Jira's form does.
                    *slot = Some(parse_duration(text).ok_or_else(|| {
                        FieldError::Field(format!("Invalid time duration entered: '{text}'."))
                    })?);
                }
                Some(_) => return Err(NOT_A_STRING.into()),
            }
        }
    }
    Ok(Change::TimeTracking {
        original,
        remaining,
    })
}

/// A comment body: a non-empty ADF document.
pub fn comment_body(value: Option<&Value>) -> Result<Value, String> {
    let Some(value) = value.filter(|v| !v.is_null()) else {
        return Err(COMMENT_EMPTY.to_owned());
    };
    if !is_document(value) {
        return Err(NOT_ADF.to_owned());
    }
    let content = value.get("content").and_then(Value::as_array);
    let only_empty_paragraphs = content.is_none_or(|blocks| {
        blocks.iter().all(|b| {
            b.get("type").and_then(Value::as_str) == Some("paragraph")
                && adf::to_text(b).trim().is_empty()
        })
    });
    if only_empty_paragraphs {
        return Err(COMMENT_EMPTY.to_owned());
    }
    Ok(value.clone())
}

/// A comment's `visibility`: `None` for none (absent or null), else a role `me` holds in
/// project `project_id` or a group `me` is a member of. A group is named by `identifier` (its id, which Jira
/// Cloud prefers) or `value` (its name); a role by `value`. Jira reports these under
/// `commentLevel`; "You are currently not a member of the project role" is Jira's
/// wording for roles (observed), the others are inferred in the same shape.
pub fn visibility(
    store: &Store,
    project_id: u64,
    me: &str,
    value: Option<&Value>,
) -> Result<Option<Visibility>, String> {
    let Some(value) = value.filter(|v| !v.is_null()) else {
        return Ok(None);
    };
    let text = |key: &str| value.get(key).and_then(Value::as_str).unwrap_or_default();
    let kind = text("type");
    match kind {
        "role" => {
            let name = Some(text("value"))
                .filter(|v| !v.is_empty())
                .unwrap_or_else(|| text("identifier"));
            match store
                .schemes
                .roles
                .iter()
                .find(|k| k.eq_ignore_ascii_case(name))
            {
                Some(found) if !store.in_role(project_id, found, me) => Err(format!(
                    "You are currently not a member of the project role: {found}."
                )),
                Some(found) => Ok(Some((kind.to_owned(), found.clone()))),
                None => Err(format!("Project role '{name}' does not exist.")),
            }
        }
        "group" => {
            let (id, name) = (text("identifier"), text("value"));
            let group = store.schemes.groups.iter().find(|g| {
                if id.is_empty() {
                    g.name.eq_ignore_ascii_case(name)
                } else {
                    g.id == id
                }
            });
            let shown = if id.is_empty() { name } else { id };
            match group {
                None => Err(format!("Group '{shown}' does not exist.")),
                Some(g) if !g.has_member(me) => Err(format!(
                    "You are currently not a member of the group: {}.",
                    g.name
                )),
                Some(g) => Ok(Some((kind.to_owned(), g.name.clone()))),
            }
        }
        other => Err(format!(
            "Visibility type '{other}' is not valid; use role or group."
        )),
    }
}

/// A comment id inside an `update.comment` operation.
fn comment_id(value: &Value) -> Option<u64> {
    match value.get("id")? {
        Value::String(s) => s.parse().ok(),
        Value::Number(n) => n.as_u64(),
        _ => None,
    }
}

/// `update.comment`: add, edit (own comments) and remove (own comments).
fn comments(subject: &Subject<'_>, ops: &[(Op, &Value)]) -> Result<Vec<Change>, FieldError> {
    let mut out = Vec::new();
    for (op, value) in ops {
        let body = || comment_body(value.get("body")).map_err(FieldError::Field);
        let visibility = || {
            visibility(
                subject.store,
                subject.project.id,
                subject.me,
                value.get("visibility"),
            )
            .map_err(FieldError::Field)
        };
        let own = |id: u64| -> Result<(), FieldError> {
            let comment = subject
                .issue
                .and_then(|i| i.comments.iter().find(|c| c.id == id))
                .ok_or_else(|| FieldError::Global(comment_not_found(id)))?;
            if comment.author == subject.me {
                Ok(())
            } else {
                Err(FieldError::Field(
                    if *op == Op::Remove {
                        NO_DELETE_PERMISSION
                    } else {
                        NO_EDIT_PERMISSION
                    }
                    .to_owned(),
                ))
            }
        };
        match op {
            Op::Add => out.push(Change::AddComment {
                body: body()?,
                visibility: visibility()?,
            }),
            Op::Edit => {
                let id = comment_id(value).ok_or(FieldError::Global(BAD_PAYLOAD.to_owned()))?;
                own(id)?;
                let visibility = if value.get("visibility").is_some() {
                    Some(visibility()?)
                } else {
                    None
                };
                out.push(Change::EditComment {
                    id,
                    body: body()?,
                    visibility,
                });
            }
            Op::Remove => {
                let id = comment_id(value).ok_or(FieldError::Global(BAD_PAYLOAD.to_owned()))?;
                own(id)?;
                out.push(Change::RemoveComment(id));
            }
            Op::Set | Op::Copy => return Err(FieldError::Global(BAD_PAYLOAD.to_owned())),
        }
    }
    Ok(out)
}

/// "Can not find a comment for the id: 10000."
pub fn comment_not_found(id: impl std::fmt::Display) -> String {
    format!("Can not find a comment for the id: {id}.")
}

/// Only a comment's author may change it here (no one holds *Edit all comments*).
pub const NO_EDIT_PERMISSION: &str = "You do not have the permission to edit this comment.";
pub const NO_DELETE_PERMISSION: &str = "You do not have the permission to delete this comment.";

fn read_custom(subject: &Subject<'_>, custom_id: u64, value: &Value) -> Result<Change, FieldError> {
    let store = subject.store;
    let Some(field) = store.custom_fields.iter().find(|f| f.id == custom_id) else {
        return Err(not_on_screen(&fields::custom_field_id(custom_id)).into());
    };
    let stored: Option<Value> = match &field.kind {
        CustomFieldKind::Number => match value {
            Value::Null => None,
            Value::Number(n) => Some(Value::Number(n.clone())),
            _ => return Err(NOT_A_NUMBER.into()),
        },
        CustomFieldKind::Text => match value {
            Value::Null => None,
            Value::String(s) if s.is_empty() => None,
            Value::String(s) if s.chars().count() > MAX_TEXT_CHARS => {
                return Err(
                    "The entered text is too long. It exceeds the allowed limit of 255 characters."
                        .into(),
                );
            }
            Value::String(s) => Some(json!(s)),
            _ => return Err(NOT_A_STRING.into()),
        },
        CustomFieldKind::TextArea => document(value)?,
        CustomFieldKind::Date => date(value)?.map(|d| json!(d.format("%Y-%m-%d").to_string())),
        CustomFieldKind::User => match account_id(value)? {
            None => None,
            Some(account) => match store.user(account) {
                Some(user) if user.active => Some(json!(account)),
                // Inferred wording.
                _ => {
                    return Err(format!(
                        "Specified user '{account}' does not exist or is inactive."
                    )
                    .into());
                }
            },
        },
        CustomFieldKind::Select(options) => match value {
            Value::Null => None,
            Value::Object(_) => {
                let (id, name) = reference(value, "value");
                let found = match (id, name) {
                    (Some(id), _) => options
                        .iter()
                        .find(|(o, _)| o.to_string() == id)
                        .ok_or_else(|| {
                            FieldError::Field(format!("Option id '{id}' is not valid"))
                        })?,
                    (None, Some(name)) => {
                        options.iter().find(|(_, n)| n == name).ok_or_else(|| {
                            FieldError::Field(format!("Option value '{name}' is not valid"))
                        })?
                    }
                    (None, None) => {
                        return Err(
                            "Could not find valid 'id' or 'value' in the Parent Option object."
                                .into(),
                        );
                    }
                };
                Some(json!({ "id": found.0.to_string(), "value": found.1 }))
            }
            _ => {
                return Err(
                    "Could not find valid 'id' or 'value' in the Parent Option object.".into(),
                );
            }
        },
        CustomFieldKind::Sprint => {
            let current = subject
                .issue
                .and_then(|i| i.custom.get(&custom_id))
                .map(|v| super::eval::sprint_ids(Some(v)))
                .unwrap_or_default();
            // Closed sprints stay in the history; the open one is what an edit replaces.
            let mut ids: Vec<u64> = current
                .into_iter()
                .filter(|id| {
                    store
                        .sprints
                        .iter()
                        .any(|s| s.id == *id && s.state == "closed")
                })
                .collect();
            match value {
                Value::Null => {}
                Value::Number(n) => {
                    let id = n.as_u64().ok_or(FieldError::Field(
                        "Number value expected as the Sprint id.".into(),
                    ))?;
                    let Some(sprint) = store.sprints.iter().find(|s| s.id == id) else {
                        return Err(format!("Sprint with id {id} does not exist.").into());
                    };
                    if sprint.state == "closed" {
                        return Err("Issue can be assigned only active or future sprints.".into());
                    }
                    if !ids.contains(&id) {
                        ids.push(id);
                    }
                }
                _ => return Err("Number value expected as the Sprint id.".into()),
            }
            (!ids.is_empty()).then(|| ids.iter().map(|id| json!({ "id": id })).collect())
        }
    };
    Ok(Change::Custom(custom_id, stored))
}

/// The required fields of a create screen that `provided` leaves out, with Jira's
/// messages. The reporter and priority have defaults, so they are never missing.
pub fn missing_required(
    store: &Store,
    screen: &[ScreenField],
    provided: &[String],
    skip: &[&str],
) -> Rejection {
    let catalogue = fields::catalogue(store);
    let mut rejection = Rejection::default();
    for field in screen.iter().filter(|f| f.required) {
        let id = field.field.as_str();
        if provided.iter().any(|p| p == id) || skip.contains(&id) {
            continue;
        }
        let message = match id {
            "summary" => SUMMARY_REQUIRED.to_owned(),
            "reporter" | "priority" => continue,
            "parent" => {
                "Issue type is a sub-task but parent issue key or id not specified.".to_owned()
            }
            _ => required(
                catalogue
                    .iter()
                    .find(|d| d.id == id)
                    .map_or(id, |d| d.name.as_str()),
            ),
        };
        rejection.add_field(id, message);
    }
    rejection
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_use_the_working_week() {
        assert_eq!(
            parse_duration("1w 1d"),
            Some(SECONDS_PER_WEEK + SECONDS_PER_DAY)
        );
        assert_eq!(parse_duration("4d"), Some(4 * SECONDS_PER_DAY));
        assert_eq!(
            parse_duration("2h 30m"),
            Some(2 * SECONDS_PER_HOUR + 30 * SECONDS_PER_MINUTE)
        );
        assert_eq!(parse_duration("90"), Some(90 * SECONDS_PER_MINUTE));
        assert_eq!(parse_duration("soon"), None);
        assert_eq!(parse_duration("3x"), None);
        assert_eq!(parse_duration(""), None);
    }

    #[test]
    fn documents_need_the_doc_envelope_and_typed_nodes() {
        let doc = json!({"type": "doc", "version": 1, "content": [
            {"type": "paragraph", "content": [{"type": "text", "text": "hi"}]}
        ]});
        assert!(is_document(&doc));
        assert!(!is_document(&json!("plain text")));
        assert!(!is_document(
            &json!({"type": "doc", "version": 2, "content": []})
        ));
        assert!(!is_document(
            &json!({"type": "doc", "version": 1, "content": [{"text": "x"}]})
        ));
        assert!(!is_document(
            &json!({"type": "doc", "version": 1, "content": [
                {"type": "paragraph", "content": [{"type": "text", "text": ""}]}
            ]})
        ));
    }

    #[test]
    fn update_operations_must_be_single_key_objects() {
        let ops = json!([{"add": "a"}, {"remove": "b"}]);
        let parsed = operations(&ops).expect("valid");
        assert_eq!(parsed.len(), 2);
        assert_eq!(parsed[0].0, Op::Add);
        assert!(operations(&json!([{"add": "a", "set": "b"}])).is_none());
        assert!(operations(&json!([{"push": "a"}])).is_none());
        assert!(operations(&json!({"add": "a"})).is_none());
    }

    #[test]
    fn label_operations_apply_in_order() {
        let start = vec!["a".to_owned(), "b".to_owned()];
        let add = json!("c");
        let remove = json!("a");
        let out = labels(start.clone(), &[(Op::Add, &add), (Op::Remove, &remove)]).ok();
        assert_eq!(out, Some(vec!["b".to_owned(), "c".to_owned()]));
        let spaced = json!("two words");
        assert!(labels(start, &[(Op::Add, &spaced)]).is_err());
    }
}
