//! Applying checked writes to the store: field changes with the changelog Jira records for
//! them, comments, status changes, new issues, and the clock writes are stamped with.
//!
//! Everything here runs inside `Db::modify`, after `emulator::validate` accepted the whole
//! request, so a write is applied completely or not at all.

use std::time::Instant;

use chrono::{DateTime, TimeDelta, Utc};
use serde_json::Value;

use super::adf;
use super::eval::{select_id, sprint_ids, user_id};
use super::store::{
    ChangeItem, Comment, CustomField, CustomFieldKind, History, Issue, StatusCategory, Store,
    TimeTracking, Timestamp,
};
use super::validate::{Change, Visibility};

/// The smallest step of Jira's timestamps.
const TICK: TimeDelta = TimeDelta::milliseconds(1);

/// The emulator's clock for writes: the store's seeded "now" moving on in real time, so a
/// demo's writes land after its history, and never twice on the same millisecond, so every
/// write changes `updated`.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    started: Instant,
    seed_now: Option<Timestamp>,
}

impl Clock {
    pub fn new(seed_now: Option<Timestamp>) -> Self {
        Self {
            started: Instant::now(),
            seed_now,
        }
    }

    /// The time of a write, after every earlier one; it becomes the store's `now`.
    pub fn tick(&self, store: &mut Store) -> Timestamp {
        let elapsed = TimeDelta::from_std(self.started.elapsed()).unwrap_or_default();
        let wall = match self.seed_now {
            Some(seed) => seed + elapsed,
            None => Utc::now().fixed_offset(),
        };
        let wall = DateTime::from_timestamp_millis(wall.timestamp_millis())
            .map_or(wall, |t| t.with_timezone(wall.offset()));
        let now = match store.now {
            Some(previous) if wall <= previous => previous + TICK,
            _ => wall,
        };
        store.now = Some(now);
        now
    }
}

/// Who writes, and when.
#[derive(Debug, Clone, Copy)]
pub struct Stamp<'a> {
    pub author: &'a str,
    pub now: Timestamp,
}

fn next_history_id(store: &Store) -> u64 {
    store
        .issues
        .iter()
        .flat_map(|i| i.changelog.iter().map(|h| h.id))
        .max()
        .map_or(FIRST_ID, |id| id + 1)
}

fn next_comment_id(store: &Store) -> u64 {
    store
        .issues
        .iter()
        .flat_map(|i| i.comments.iter().map(|c| c.id))
        .max()
        .map_or(FIRST_ID, |id| id + 1)
}

/// Where Jira Cloud starts numbering entities.
const FIRST_ID: u64 = 10_000;

fn item(field: &str, from: Option<(String, String)>, to: Option<(String, String)>) -> ChangeItem {
    let (from, from_string) = from.map_or((None, None), |(id, s)| (Some(id), Some(s)));
    let (to, to_string) = to.map_or((None, None), |(id, s)| (Some(id), Some(s)));
    ChangeItem {
        field: field.to_owned(),
        field_type: "jira".to_owned(),
        from,
        from_string,
        to,
        to_string,
    }
}

/// A text change: Jira keeps only the strings.
fn text_item(field: &str, from: Option<String>, to: Option<String>) -> ChangeItem {
    ChangeItem {
        field: field.to_owned(),
        field_type: "jira".to_owned(),
        from: None,
        from_string: from,
        to: None,
        to_string: to,
    }
}

fn doc_text(doc: &Option<Value>) -> Option<String> {
    doc.as_ref()
        .map(|d| adf::to_text(d).trim_end().to_owned())
        .filter(|t| !t.is_empty())
}

fn user_pair(store: &Store, account: &Option<String>) -> Option<(String, String)> {
    account.as_ref().map(|id| {
        let name = store
            .user(id)
            .map_or_else(|| id.clone(), |u| u.display_name.clone());
        (id.clone(), name)
    })
}

/// One item per value added or removed, as Jira records components and versions.
fn list_items(
    field: &str,
    before: &[u64],
    after: &[u64],
    name: impl Fn(u64) -> String,
) -> Vec<ChangeItem> {
    let removed = before
        .iter()
        .filter(|id| !after.contains(id))
        .map(|id| item(field, Some((id.to_string(), name(*id))), None));
    let added = after
        .iter()
        .filter(|id| !before.contains(id))
        .map(|id| item(field, None, Some((id.to_string(), name(*id)))));
    removed.chain(added).collect()
}

/// How a custom field's stored value reads in the changelog: (id, text).
fn custom_pair(
    store: &Store,
    field: &CustomField,
    value: Option<&Value>,
) -> Option<(String, String)> {
    let value = value.filter(|v| !v.is_null())?;
    Some(match &field.kind {
        CustomFieldKind::Select(options) => {
            let id = select_id(Some(value), options)?;
            let name = options
                .iter()
                .find(|(o, _)| *o == id)
                .map(|(_, n)| n.clone())?;
            (id.to_string(), name)
        }
        CustomFieldKind::User => {
            let id = user_id(Some(value))?.to_owned();
            return user_pair(store, &Some(id));
        }
        CustomFieldKind::Sprint => {
            let ids = sprint_ids(Some(value));
            let names: Vec<String> = ids
                .iter()
                .filter_map(|id| store.sprints.iter().find(|s| s.id == *id))
                .map(|s| s.name.clone())
                .collect();
            let ids: Vec<String> = ids.iter().map(u64::to_string).collect();
            (ids.join(", "), names.join(", "))
        }
        CustomFieldKind::TextArea => {
            let text = adf::to_text(value).trim_end().to_owned();
            (String::new(), text)
        }
        CustomFieldKind::Number | CustomFieldKind::Text | CustomFieldKind::Date => {
            let text = match value {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            (text.clone(), text)
        }
    })
}

/// The mutable state of one write while it is applied.
struct Apply<'a> {
    store: &'a Store,
    stamp: Stamp<'a>,
    items: Vec<ChangeItem>,
    /// Something changed that the changelog does not record (comments).
    touched: bool,
    next_comment: u64,
    /// Ids of the comments this write added, in order.
    added_comments: Vec<u64>,
}

impl Apply<'_> {
    fn one(&mut self, issue: &mut Issue, change: &Change) {
        let store = self.store;
        match change {
            Change::Summary(summary) if *summary != issue.summary => {
                self.items.push(text_item(
                    "summary",
                    Some(issue.summary.clone()),
                    Some(summary.clone()),
                ));
                issue.summary = summary.clone();
            }
            Change::Description(doc) if *doc != issue.description => {
                self.items.push(text_item(
                    "description",
                    doc_text(&issue.description),
                    doc_text(doc),
                ));
                issue.description = doc.clone();
            }
            Change::Environment(doc) if *doc != issue.environment => {
                self.items.push(text_item(
                    "environment",
                    doc_text(&issue.environment),
                    doc_text(doc),
                ));
                issue.environment = doc.clone();
            }
            Change::IssueType(id) if *id != issue.issue_type_id => {
                let name = |id: u64| {
                    store
                        .issue_types
                        .iter()
                        .find(|t| t.id == id)
                        .map_or_else(String::new, |t| t.name.clone())
                };
                self.items.push(item(
                    "issuetype",
                    Some((issue.issue_type_id.to_string(), name(issue.issue_type_id))),
                    Some((id.to_string(), name(*id))),
                ));
                issue.issue_type_id = *id;
            }
            Change::Parent(parent) if *parent != issue.parent => {
                let pair = |key: &Option<String>| {
                    key.as_ref()
                        .and_then(|k| store.issue_by_key(k))
                        .map(|p| (p.id.to_string(), p.key.clone()))
                };
                // Jira Cloud's changelog name for a parent change.
                self.items.push(item(
                    "IssueParentAssociation",
                    pair(&issue.parent),
                    pair(parent),
                ));
                issue.parent = parent.clone();
            }
            Change::Priority(id) if *id != issue.priority_id => {
                let pair = |id: Option<u64>| {
                    id.and_then(|id| store.priorities.iter().find(|p| p.id == id))
                        .map(|p| (p.id.to_string(), p.name.clone()))
                };
                self.items
                    .push(item("priority", pair(issue.priority_id), pair(*id)));
                issue.priority_id = *id;
            }
            Change::Assignee(who) if *who != issue.assignee => {
                self.items.push(item(
                    "assignee",
                    user_pair(store, &issue.assignee),
                    user_pair(store, who),
                ));
                issue.assignee = who.clone();
            }
            Change::Reporter(who) if *who != issue.reporter => {
                self.items.push(item(
                    "reporter",
                    user_pair(store, &issue.reporter),
                    user_pair(store, who),
                ));
                issue.reporter = who.clone();
            }
            Change::Labels(labels) if *labels != issue.labels => {
                let text = |l: &[String]| (!l.is_empty()).then(|| l.join(" "));
                self.items
                    .push(text_item("labels", text(&issue.labels), text(labels)));
                issue.labels = labels.clone();
            }
            Change::Components(ids) if *ids != issue.component_ids => {
                let name = |id: u64| {
                    store
                        .projects
                        .iter()
                        .flat_map(|p| &p.components)
                        .find(|c| c.id == id)
                        .map_or_else(String::new, |c| c.name.clone())
                };
                self.items
                    .extend(list_items("Component", &issue.component_ids, ids, name));
                issue.component_ids = ids.clone();
            }
            Change::FixVersions(ids) if *ids != issue.fix_version_ids => {
                self.items.extend(list_items(
                    "Fix Version",
                    &issue.fix_version_ids,
                    ids,
                    |id| version_name(store, id),
                ));
                issue.fix_version_ids = ids.clone();
            }
            Change::Versions(ids) if *ids != issue.affects_version_ids => {
                self.items.extend(list_items(
                    "Version",
                    &issue.affects_version_ids,
                    ids,
                    |id| version_name(store, id),
                ));
                issue.affects_version_ids = ids.clone();
            }
            Change::DueDate(date) if *date != issue.due_date => {
                let pair = |d: &Option<chrono::NaiveDate>| {
                    d.map(|d| {
                        let text = d.format("%Y-%m-%d").to_string();
                        (text.clone(), text)
                    })
                };
                self.items
                    .push(item("duedate", pair(&issue.due_date), pair(date)));
                issue.due_date = *date;
            }
            Change::Resolution(id) if *id != issue.resolution_id => {
                let pair = |id: Option<u64>| {
                    id.and_then(|id| store.resolutions.iter().find(|r| r.id == id))
                        .map(|r| (r.id.to_string(), r.name.clone()))
                };
                self.items
                    .push(item("resolution", pair(issue.resolution_id), pair(*id)));
                issue.resolution_id = *id;
            }
            Change::TimeTracking {
                original,
                remaining,
            } => self.time_tracking(issue, *original, *remaining),
            Change::Custom(id, value) => {
                let Some(field) = store.custom_fields.iter().find(|f| f.id == *id) else {
                    return;
                };
                let before = issue.custom.get(id).filter(|v| !v.is_null());
                if before == value.as_ref() {
                    return;
                }
                let mut change = item(
                    &field.name,
                    custom_pair(store, field, before),
                    custom_pair(store, field, value.as_ref()),
                );
                change.field_type = "custom".to_owned();
                self.items.push(change);
                match value {
                    Some(value) => {
                        issue.custom.insert(*id, value.clone());
                    }
                    None => {
                        issue.custom.remove(id);
                    }
                }
            }
            Change::AddComment { body, visibility } => {
                let id = self.next_comment;
                self.next_comment += 1;
                issue
                    .comments
                    .push(new_comment(id, body, visibility, self.stamp));
                self.added_comments.push(id);
                self.touched = true;
            }
            Change::EditComment {
                id,
                body,
                visibility,
            } => {
                if let Some(comment) = issue.comments.iter_mut().find(|c| c.id == *id) {
                    edit_comment(comment, body, visibility.clone(), self.stamp);
                    self.touched = true;
                }
            }
            Change::RemoveComment(id) => {
                let before = issue.comments.len();
                issue.comments.retain(|c| c.id != *id);
                self.touched |= issue.comments.len() != before;
            }
            // The value is the one the issue has: nothing to record.
            _ => {}
        }
    }

    fn time_tracking(&mut self, issue: &mut Issue, original: Option<u64>, remaining: Option<u64>) {
        let before = issue.time_tracking.clone();
        let mut after = before.clone();
        if let Some(original) = original {
            after.original_estimate_seconds = Some(original);
            // Without a remaining estimate of its own, work left starts as the estimate.
            if remaining.is_none() && before.remaining_estimate_seconds.is_none() {
                after.remaining_estimate_seconds = Some(original);
            }
        }
        if let Some(remaining) = remaining {
            after.remaining_estimate_seconds = Some(remaining);
        }
        let pair = |s: Option<u64>| s.map(|s| (s.to_string(), s.to_string()));
        for (field, old, new) in [
            (
                "timeoriginalestimate",
                before.original_estimate_seconds,
                after.original_estimate_seconds,
            ),
            (
                "timeestimate",
                before.remaining_estimate_seconds,
                after.remaining_estimate_seconds,
            ),
        ] {
            if old != new {
                self.items.push(item(field, pair(old), pair(new)));
            }
        }
        issue.time_tracking = after;
    }
}

fn version_name(store: &Store, id: u64) -> String {
    store
        .projects
        .iter()
        .flat_map(|p| &p.versions)
        .find(|v| v.id == id)
        .map_or_else(String::new, |v| v.name.clone())
}

fn new_comment(
    id: u64,
    body: &Value,
    visibility: &Option<Visibility>,
    stamp: Stamp<'_>,
) -> Comment {
    Comment {
        id,
        author: stamp.author.to_owned(),
        update_author: stamp.author.to_owned(),
        body: body.clone(),
        created: stamp.now,
        updated: stamp.now,
        visibility: visibility.clone(),
    }
}

fn edit_comment(
    comment: &mut Comment,
    body: &Value,
    visibility: Option<Option<Visibility>>,
    stamp: Stamp<'_>,
) {
    comment.body = body.clone();
    comment.update_author = stamp.author.to_owned();
    comment.updated = stamp.now;
    if let Some(visibility) = visibility {
        comment.visibility = visibility;
    }
}

/// What a write did to an issue.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Whether anything changed (and `updated` moved).
    pub changed: bool,
    /// Ids of the comments it added.
    pub added_comments: Vec<u64>,
}

/// Applies `changes` (and, for a transition, the move to status `to`) to the issue at
/// `pos`: one changelog history for all its field changes, `updated` set when anything
/// changed. A transition also keeps the status category date and the resolution in step:
/// a done status records when the issue was resolved, any other status clears the
/// resolution.
pub fn apply(
    store: &mut Store,
    pos: usize,
    changes: &[Change],
    to: Option<u64>,
    stamp: Stamp<'_>,
) -> Outcome {
    let Some(mut issue) = store.issues.get(pos).cloned() else {
        return Outcome::default();
    };
    let mut work = Apply {
        store,
        stamp,
        items: Vec::new(),
        touched: false,
        next_comment: next_comment_id(store),
        added_comments: Vec::new(),
    };
    let before_resolution = issue.resolution_id;
    if let Some(to) = to {
        move_status(&mut work, &mut issue, to);
    }
    for change in changes {
        work.one(&mut issue, change);
    }
    if let Some(to) = to {
        let done = store.status(to).map(|s| s.category) == Some(StatusCategory::Done);
        if done {
            if issue.resolution_id.is_some()
                && (issue.resolution_id != before_resolution || issue.resolution_date.is_none())
            {
                issue.resolution_date = Some(stamp.now);
            }
        } else if issue.resolution_id.is_some() {
            work.one(&mut issue, &Change::Resolution(None));
            issue.resolution_date = None;
        }
    }
    let Apply {
        items,
        touched,
        added_comments,
        ..
    } = work;
    let changed = !items.is_empty() || touched;
    if !items.is_empty() {
        issue.changelog.push(History {
            id: next_history_id(store),
            author: stamp.author.to_owned(),
            created: stamp.now,
            items,
        });
    }
    if changed {
        issue.updated = stamp.now;
        store.issues[pos] = issue;
    }
    Outcome {
        changed,
        added_comments,
    }
}

fn move_status(work: &mut Apply<'_>, issue: &mut Issue, to: u64) {
    let store = work.store;
    if to == issue.status_id {
        return;
    }
    let pair = |id: u64| store.status(id).map(|s| (s.id.to_string(), s.name.clone()));
    work.items
        .push(item("status", pair(issue.status_id), pair(to)));
    let category = |id: u64| store.status(id).map(|s| s.category);
    if category(issue.status_id) != category(to) {
        issue.status_category_change_date = Some(work.stamp.now);
    }
    issue.status_id = to;
}

/// Adds a comment to the issue at `pos` and returns its id.
pub fn add_comment(
    store: &mut Store,
    pos: usize,
    body: &Value,
    visibility: &Option<Visibility>,
    stamp: Stamp<'_>,
) -> Option<u64> {
    let change = Change::AddComment {
        body: body.clone(),
        visibility: visibility.clone(),
    };
    apply(store, pos, &[change], None, stamp)
        .added_comments
        .first()
        .copied()
}

/// Replaces a comment's body (and its visibility, when given).
pub fn update_comment(
    store: &mut Store,
    pos: usize,
    id: u64,
    body: &Value,
    visibility: Option<Option<Visibility>>,
    stamp: Stamp<'_>,
) -> bool {
    let change = Change::EditComment {
        id,
        body: body.clone(),
        visibility,
    };
    apply(store, pos, &[change], None, stamp).changed
}

pub fn delete_comment(store: &mut Store, pos: usize, id: u64, stamp: Stamp<'_>) -> bool {
    apply(store, pos, &[Change::RemoveComment(id)], None, stamp).changed
}

/// `NAV-42` for the next issue of a project: one past the highest number it has used.
fn next_key(store: &Store, project_key: &str) -> String {
    let number = store
        .issues
        .iter()
        .filter_map(|i| super::db::split_key(&i.key))
        .filter(|(p, _)| p.eq_ignore_ascii_case(project_key))
        .map(|(_, n)| n)
        .max()
        .unwrap_or(0);
    format!("{project_key}-{}", number + 1)
}

/// Creates an issue in `project_id` of type `type_id` with `changes` (already checked
/// against the create screen) and returns its position. A new issue starts in the
/// workflow's first "To Do" status, with the default priority, reported and watched by its
/// creator unless the fields say otherwise; creating records no changelog.
pub fn create_issue(
    store: &mut Store,
    project_id: u64,
    type_id: u64,
    changes: &[Change],
    stamp: Stamp<'_>,
) -> Option<usize> {
    let project_key = store.project(project_id)?.key.clone();
    let status_id = store
        .statuses
        .iter()
        .find(|s| s.category == StatusCategory::New)
        .or_else(|| store.statuses.first())?
        .id;
    let id = store
        .issues
        .iter()
        .map(|i| i.id)
        .max()
        .map_or(FIRST_ID, |id| id + 1);
    let mut issue = Issue {
        id,
        key: next_key(store, &project_key),
        project_id,
        issue_type_id: type_id,
        summary: String::new(),
        description: None,
        environment: None,
        status_id,
        priority_id: store.priorities.iter().find(|p| p.is_default).map(|p| p.id),
        resolution_id: None,
        resolution_date: None,
        status_category_change_date: Some(stamp.now),
        assignee: None,
        reporter: Some(stamp.author.to_owned()),
        creator: Some(stamp.author.to_owned()),
        labels: Vec::new(),
        component_ids: Vec::new(),
        fix_version_ids: Vec::new(),
        affects_version_ids: Vec::new(),
        parent: None,
        links: Vec::new(),
        created: stamp.now,
        updated: stamp.now,
        due_date: None,
        comments: Vec::new(),
        changelog: Vec::new(),
        watchers: vec![stamp.author.to_owned()],
        votes: 0,
        attachments: Vec::new(),
        time_tracking: TimeTracking::default(),
        custom: Default::default(),
    };
    let mut work = Apply {
        store,
        stamp,
        items: Vec::new(),
        touched: false,
        next_comment: next_comment_id(store),
        added_comments: Vec::new(),
    };
    for change in changes {
        work.one(&mut issue, change);
    }
    store.issues.push(issue);
    Some(store.issues.len() - 1)
}
