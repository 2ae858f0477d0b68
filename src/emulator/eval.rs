//! JQL evaluation over the emulator's store.
//!
//! A parsed [`Query`] is first *compiled* against the store: field names, values, functions
//! and dates are resolved once, and every problem becomes one of Jira's error messages. The
//! compiled predicate then runs over the issues without any per-issue parsing or lookups by
//! name, so a search over tens of thousands of issues takes milliseconds.
//!
//! Semantics follow Jira where it is known: `!=` and `NOT IN` never match an empty field,
//! `~` is a case-insensitive word match (with a light English stemming and `*` prefixes),
//! relative dates resolve against the store's fixed "now". Where the emulator chooses, the
//! choice is written down next to the code (default order, start of week).
//!
//! [`field_info`] and [`FUNCTIONS`] describe what the compiler accepts, for JQL completion.

use std::cmp::Ordering;

use chrono::{Datelike, Duration, Months, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use thiserror::Error;

use super::db::{Db, split_key};
use super::store::{CustomFieldKind, Issue, LinkDirection, StatusCategory, Store, Timestamp};
use crate::jql::{Clause, Direction, Field, FunctionCall, Operand, Operator, Query, Term, Value};

/// Who is asking and when: `currentUser()` and relative dates resolve against this.
#[derive(Debug, Clone, Copy)]
pub struct EvalContext<'a> {
    pub current_user: Option<&'a str>,
    pub now: Timestamp,
}

/// One or more of Jira's JQL error messages (`errorMessages` of a 400).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{}", messages.join(" "))]
pub struct EvalError {
    pub messages: Vec<String>,
}

/// A query resolved against one store: run it with [`Compiled::run`].
#[derive(Debug, Clone)]
pub struct Compiled {
    pred: Option<Pred>,
    order: Vec<(SortKey, Direction)>,
}

/// Compiles and runs `query`: the positions (in `store.issues`) of the matching issues, in
/// the query's order.
pub fn search(db: &Db, query: &Query, ctx: &EvalContext<'_>) -> Result<Vec<usize>, EvalError> {
    Ok(compile(db, query, ctx)?.run(db))
}

/// Resolves every field, value and function of `query`, collecting all of Jira's errors.
pub fn compile(db: &Db, query: &Query, ctx: &EvalContext<'_>) -> Result<Compiled, EvalError> {
    let mut compiler = Compiler {
        db,
        store: db.store(),
        ctx,
        errors: Vec::new(),
    };
    let pred = query.clause.as_ref().map(|c| compiler.clause(c));
    let order = query
        .order_by
        .iter()
        .filter_map(|o| {
            compiler
                .sort_key(&o.field)
                .map(|(key, default)| (key, o.direction.unwrap_or(default)))
        })
        .collect();
    if compiler.errors.is_empty() {
        Ok(Compiled { pred, order })
    } else {
        Err(EvalError {
            messages: compiler.errors,
        })
    }
}

impl Compiled {
    /// Whether the issue at `pos` matches the restriction (a query without one matches all).
    pub fn matches(&self, db: &Db, pos: usize) -> bool {
        match (&self.pred, db.store().issues.get(pos)) {
            (Some(pred), Some(issue)) => pred.test(db, pos, issue),
            (None, Some(_)) => true,
            (_, None) => false,
        }
    }

    /// The matching positions, sorted by the ORDER BY and then by key descending.
    ///
    /// Without ORDER BY the emulator orders by `key DESC` (newest first within a project):
    /// Jira documents no default for the enhanced search, so this is our choice, and it is
    /// also the final tie-breaker so that pages are stable.
    pub fn run(&self, db: &Db) -> Vec<usize> {
        let mut hits: Vec<usize> = (0..db.store().issues.len())
            .filter(|pos| self.matches(db, *pos))
            .collect();
        let mut keyed: Vec<(Vec<SortVal>, usize)> = hits
            .iter()
            .map(|pos| {
                let vals = self
                    .order
                    .iter()
                    .map(|(key, _)| key.value(db, *pos))
                    .collect();
                (vals, *pos)
            })
            .collect();
        keyed.sort_by(|(a, pa), (b, pb)| {
            for ((x, y), (_, dir)) in a.iter().zip(b).zip(&self.order) {
                let ord = x.cmp_with(y, *dir);
                if ord != Ordering::Equal {
                    return ord;
                }
            }
            let (ka, kb) = (db.index().key_parts(*pa), db.index().key_parts(*pb));
            kb.cmp(&ka)
        });
        hits.clear();
        hits.extend(keyed.into_iter().map(|(_, pos)| pos));
        hits
    }

    pub fn count(&self, db: &Db) -> usize {
        (0..db.store().issues.len())
            .filter(|pos| self.matches(db, *pos))
            .count()
    }
}

// ---------------------------------------------------------------------------------------
// What the evaluator understands, for JQL completion: derived from the same tables the
// compiler uses, so completion never offers a field, operator or function the search
// would reject.

/// What the values of a clause are. A function fits a clause when it returns this kind,
/// and completion looks up values by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ValueKind {
    Project,
    IssueType,
    Status,
    StatusCategory,
    Priority,
    Resolution,
    User,
    Label,
    Component,
    Version,
    Sprint,
    /// A select custom field's option.
    Option,
    Issue,
    Text,
    Date,
    Number,
}

/// A JQL function the evaluator evaluates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FunctionInfo {
    /// As written in JQL, without parentheses: `currentUser`.
    pub name: &'static str,
    /// The kind of its values: it fits clauses on fields of this kind.
    pub returns: ValueKind,
    /// Whether it yields several values (written after `IN`).
    pub is_list: bool,
}

const fn function(name: &'static str, returns: ValueKind, is_list: bool) -> FunctionInfo {
    FunctionInfo {
        name,
        returns,
        is_list,
    }
}

/// Every function the evaluator evaluates (anything else is a 400).
pub const FUNCTIONS: &[FunctionInfo] = &[
    function("currentUser", ValueKind::User, false),
    function("now", ValueKind::Date, false),
    function("startOfDay", ValueKind::Date, false),
    function("endOfDay", ValueKind::Date, false),
    function("startOfWeek", ValueKind::Date, false),
    function("endOfWeek", ValueKind::Date, false),
    function("startOfMonth", ValueKind::Date, false),
    function("endOfMonth", ValueKind::Date, false),
    function("startOfYear", ValueKind::Date, false),
    function("endOfYear", ValueKind::Date, false),
    function("openSprints", ValueKind::Sprint, true),
    function("closedSprints", ValueKind::Sprint, true),
    function("futureSprints", ValueKind::Sprint, true),
    function("releasedVersions", ValueKind::Version, true),
    function("unreleasedVersions", ValueKind::Version, true),
    function("standardIssueTypes", ValueKind::IssueType, true),
    function("subTaskIssueTypes", ValueKind::IssueType, true),
    function("watchedIssues", ValueKind::Issue, true),
    function("linkedIssues", ValueKind::Issue, true),
];

/// How the evaluator treats one field name.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldInfo {
    pub kind: ValueKind,
    /// The operators a clause on it accepts, in the order Jira lists them.
    pub operators: Vec<Operator>,
    /// Whether ORDER BY accepts it.
    pub orderable: bool,
    /// The custom field's number, when the name resolves to a custom field.
    pub custom_field: Option<u64>,
}

/// The order operators are listed in; Jira's own lists follow it (`=`, `!=`, `in`...).
const OPERATOR_ORDER: [Operator; 12] = [
    Operator::Like,
    Operator::NotLike,
    Operator::Eq,
    Operator::NotEq,
    Operator::In,
    Operator::NotIn,
    Operator::Is,
    Operator::IsNot,
    Operator::Lt,
    Operator::Lte,
    Operator::Gt,
    Operator::Gte,
];

/// What the evaluator makes of `field` (`status`, `"Story Points"`, `cf[10016]`), or `None`
/// when a search on it would fail with "Field ... does not exist".
pub fn field_info(store: &Store, field: &Field) -> Option<FieldInfo> {
    let target = target(store, field)?;
    let class = class(store, target);
    let custom = match target {
        Target::Custom(idx) => store.custom_fields.get(idx),
        _ => None,
    };
    let kind = match target {
        Target::Project => ValueKind::Project,
        Target::IssueType => ValueKind::IssueType,
        Target::Status => ValueKind::Status,
        Target::StatusCategory => ValueKind::StatusCategory,
        Target::Priority => ValueKind::Priority,
        Target::Resolution => ValueKind::Resolution,
        Target::Assignee | Target::Reporter | Target::Creator | Target::Watcher => ValueKind::User,
        Target::Labels => ValueKind::Label,
        Target::Component => ValueKind::Component,
        Target::FixVersion | Target::AffectedVersion => ValueKind::Version,
        Target::Key | Target::Parent => ValueKind::Issue,
        Target::Summary
        | Target::Description
        | Target::Environment
        | Target::Comment
        | Target::AllText => ValueKind::Text,
        Target::Created
        | Target::Updated
        | Target::Resolved
        | Target::Due
        | Target::StatusCategoryChanged => ValueKind::Date,
        Target::Votes => ValueKind::Number,
        Target::Custom(_) => match custom.map(|f| &f.kind)? {
            CustomFieldKind::Number => ValueKind::Number,
            CustomFieldKind::Text | CustomFieldKind::TextArea => ValueKind::Text,
            CustomFieldKind::Sprint => ValueKind::Sprint,
            CustomFieldKind::Select(_) => ValueKind::Option,
            CustomFieldKind::User => ValueKind::User,
            CustomFieldKind::Date => ValueKind::Date,
        },
    };
    Some(FieldInfo {
        kind,
        operators: OPERATOR_ORDER
            .into_iter()
            .filter(|op| operator_allowed(target, class, *op))
            .collect(),
        orderable: sort_direction(store, target).is_some(),
        custom_field: custom.map(|f| f.id),
    })
}

// ---------------------------------------------------------------------------------------
// Compiled form

/// Which part of an issue a clause looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Project,
    IssueType,
    Status,
    StatusCategory,
    Priority,
    Resolution,
    Assignee,
    Reporter,
    Creator,
    Watcher,
    Labels,
    Component,
    FixVersion,
    AffectedVersion,
    Key,
    Parent,
    Summary,
    Description,
    Environment,
    Comment,
    AllText,
    Created,
    Updated,
    Resolved,
    Due,
    StatusCategoryChanged,
    Votes,
    /// Index into `store.custom_fields`.
    Custom(usize),
}

/// How values of a target compare, which decides the operators it accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Ids,
    Users,
    Labels,
    Key,
    Parent,
    Text,
    Time,
    Number,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cmp {
    Lt,
    Le,
    Gt,
    Ge,
}

impl Cmp {
    fn of(op: Operator) -> Option<Self> {
        match op {
            Operator::Lt => Some(Self::Lt),
            Operator::Lte => Some(Self::Le),
            Operator::Gt => Some(Self::Gt),
            Operator::Gte => Some(Self::Ge),
            _ => None,
        }
    }

    fn holds(self, ord: Ordering) -> bool {
        match self {
            Self::Lt => ord == Ordering::Less,
            Self::Le => ord != Ordering::Greater,
            Self::Gt => ord == Ordering::Greater,
            Self::Ge => ord != Ordering::Less,
        }
    }
}

#[derive(Debug, Clone)]
enum Pred {
    Const(bool),
    And(Vec<Pred>),
    Or(Vec<Pred>),
    Not(Box<Pred>),
    /// `IS EMPTY` (`negate`: `IS NOT EMPTY`).
    Empty {
        target: Target,
        negate: bool,
    },
    /// `=`/`IN` (`negate`: `!=`/`NOT IN`, which never match an empty field). `empty`: the
    /// list holds EMPTY (or `Unresolved` for resolution).
    Ids {
        target: Target,
        ids: Vec<u64>,
        empty: bool,
        negate: bool,
    },
    Users {
        target: Target,
        ids: Vec<String>,
        empty: bool,
        negate: bool,
    },
    Labels {
        values: Vec<String>,
        empty: bool,
        negate: bool,
    },
    Parent {
        keys: Vec<String>,
        empty: bool,
        negate: bool,
    },
    /// Priority ordering: compares the "height" (higher priority = larger).
    Rank {
        cmp: Cmp,
        height: usize,
    },
    KeyCmp {
        project: String,
        number: u64,
        cmp: Cmp,
    },
    Text {
        target: Target,
        query: TextQuery,
        negate: bool,
    },
    TimeIn {
        target: Target,
        values: Vec<i64>,
        empty: bool,
        negate: bool,
    },
    TimeCmp {
        target: Target,
        cmp: Cmp,
        at: i64,
    },
    NumIn {
        target: Target,
        values: Vec<f64>,
        empty: bool,
        negate: bool,
    },
    NumCmp {
        target: Target,
        cmp: Cmp,
        value: f64,
    },
}

fn set_match<T>(values: &[T], negate: bool, empty: bool, hit: impl Fn(&T) -> bool) -> bool {
    if values.is_empty() {
        !negate && empty
    } else if negate {
        !values.iter().any(hit)
    } else {
        values.iter().any(hit)
    }
}

impl Pred {
    fn test(&self, db: &Db, pos: usize, issue: &Issue) -> bool {
        let store = db.store();
        match self {
            Pred::Const(b) => *b,
            Pred::And(all) => all.iter().all(|p| p.test(db, pos, issue)),
            Pred::Or(any) => any.iter().any(|p| p.test(db, pos, issue)),
            Pred::Not(inner) => !inner.test(db, pos, issue),
            Pred::Empty { target, negate } => is_empty(db, *target, pos, issue) != *negate,
            Pred::Ids {
                target,
                ids,
                empty,
                negate,
            } => set_match(&issue_ids(db, *target, issue), *negate, *empty, |v| {
                ids.contains(v)
            }),
            Pred::Users {
                target,
                ids,
                empty,
                negate,
            } => set_match(&issue_users(store, *target, issue), *negate, *empty, |v| {
                ids.iter().any(|id| id == v)
            }),
            Pred::Labels {
                values,
                empty,
                negate,
            } => set_match(&issue.labels, *negate, *empty, |label| {
                values.iter().any(|v| v.eq_ignore_ascii_case(label))
            }),
            Pred::Parent {
                keys,
                empty,
                negate,
            } => {
                let parent: Vec<&str> = issue.parent.iter().map(String::as_str).collect();
                set_match(&parent, *negate, *empty, |p| {
                    keys.iter().any(|k| k.eq_ignore_ascii_case(p))
                })
            }
            Pred::Rank { cmp, height } => issue
                .priority_id
                .and_then(|id| priority_height(store, id))
                .is_some_and(|h| cmp.holds(h.cmp(height))),
            Pred::KeyCmp {
                project,
                number,
                cmp,
            } => {
                let (p, n) = db.index().key_parts(pos);
                p == project && cmp.holds(n.cmp(number))
            }
            Pred::Text {
                target,
                query,
                negate,
            } => query.matches_any(&issue_texts(db, *target, pos, issue)) != *negate,
            Pred::TimeIn {
                target,
                values,
                empty,
                negate,
            } => {
                let v: Vec<i64> = issue_time(store, *target, issue).into_iter().collect();
                set_match(&v, *negate, *empty, |t| values.contains(t))
            }
            Pred::TimeCmp { target, cmp, at } => {
                issue_time(store, *target, issue).is_some_and(|t| cmp.holds(t.cmp(at)))
            }
            Pred::NumIn {
                target,
                values,
                empty,
                negate,
            } => {
                let v: Vec<f64> = issue_number(store, *target, issue).into_iter().collect();
                set_match(&v, *negate, *empty, |n| values.iter().any(|x| x == n))
            }
            Pred::NumCmp { target, cmp, value } => issue_number(store, *target, issue)
                .and_then(|n| n.partial_cmp(value))
                .is_some_and(|ord| cmp.holds(ord)),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Reading values off an issue

fn category_id(category: StatusCategory) -> u64 {
    match category {
        StatusCategory::New => 2,
        StatusCategory::Indeterminate => 4,
        StatusCategory::Done => 3,
    }
}

/// 1 for the lowest priority up to N for the highest (store order is highest first).
fn priority_height(store: &Store, id: u64) -> Option<usize> {
    let rank = store.priorities.iter().position(|p| p.id == id)?;
    Some(store.priorities.len() - rank)
}

fn issue_ids(db: &Db, target: Target, issue: &Issue) -> Vec<u64> {
    let store = db.store();
    match target {
        Target::Project => vec![issue.project_id],
        Target::IssueType => vec![issue.issue_type_id],
        Target::Status => vec![issue.status_id],
        Target::StatusCategory => store
            .status(issue.status_id)
            .map(|s| category_id(s.category))
            .into_iter()
            .collect(),
        Target::Priority => issue.priority_id.into_iter().collect(),
        Target::Resolution => issue.resolution_id.into_iter().collect(),
        Target::Component => issue.component_ids.clone(),
        Target::FixVersion => issue.fix_version_ids.clone(),
        Target::AffectedVersion => issue.affects_version_ids.clone(),
        Target::Key => vec![issue.id],
        Target::Custom(idx) => {
            let Some(field) = store.custom_fields.get(idx) else {
                return Vec::new();
            };
            let value = issue.custom.get(&field.id);
            match &field.kind {
                CustomFieldKind::Sprint => sprint_ids(value),
                CustomFieldKind::Select(options) => select_id(value, options).into_iter().collect(),
                _ => Vec::new(),
            }
        }
        _ => Vec::new(),
    }
}

/// Sprint ids from a sprint field value: numbers or sprint objects with an `id`.
pub(crate) fn sprint_ids(value: Option<&serde_json::Value>) -> Vec<u64> {
    let one = |v: &serde_json::Value| {
        v.as_u64()
            .or_else(|| v.get("id").and_then(serde_json::Value::as_u64))
    };
    match value {
        Some(serde_json::Value::Array(items)) => items.iter().filter_map(one).collect(),
        Some(v) => one(v).into_iter().collect(),
        None => Vec::new(),
    }
}

/// The option id of a select field value: `{"id": "10"}`, `{"value": "High"}`, `10` or `"High"`.
pub(crate) fn select_id(
    value: Option<&serde_json::Value>,
    options: &[(u64, String)],
) -> Option<u64> {
    let value = value?;
    let by_id = |id: u64| options.iter().find(|(o, _)| *o == id).map(|(o, _)| *o);
    let by_name = |name: &str| {
        options
            .iter()
            .find(|(_, n)| n.eq_ignore_ascii_case(name))
            .map(|(o, _)| *o)
    };
    match value {
        serde_json::Value::Number(n) => n.as_u64().and_then(by_id),
        serde_json::Value::String(s) => s.parse().ok().and_then(by_id).or_else(|| by_name(s)),
        serde_json::Value::Object(map) => map
            .get("id")
            .and_then(|id| {
                id.as_u64()
                    .or_else(|| id.as_str().and_then(|s| s.parse().ok()))
            })
            .and_then(by_id)
            .or_else(|| {
                map.get("value")
                    .and_then(serde_json::Value::as_str)
                    .and_then(by_name)
            }),
        _ => None,
    }
}

/// The account id held by a user field value: `"abc"` or `{"accountId": "abc"}`.
pub(crate) fn user_id(value: Option<&serde_json::Value>) -> Option<&str> {
    match value? {
        serde_json::Value::String(s) => Some(s),
        other => other.get("accountId").and_then(serde_json::Value::as_str),
    }
}

fn issue_users<'i>(store: &Store, target: Target, issue: &'i Issue) -> Vec<&'i str> {
    match target {
        Target::Assignee => issue.assignee.as_deref().into_iter().collect(),
        Target::Reporter => issue.reporter.as_deref().into_iter().collect(),
        Target::Creator => issue.creator.as_deref().into_iter().collect(),
        Target::Watcher => issue.watchers.iter().map(String::as_str).collect(),
        Target::Custom(idx) => store
            .custom_fields
            .get(idx)
            .and_then(|f| user_id(issue.custom.get(&f.id)))
            .into_iter()
            .collect(),
        _ => Vec::new(),
    }
}

fn millis(t: &Timestamp) -> i64 {
    t.timestamp_millis()
}

/// A date-only value as the instant it starts in the store's zone.
fn date_millis(store: &Store, date: NaiveDate) -> Option<i64> {
    let offset = store.now.map(|n| *n.offset()).unwrap_or_else(utc);
    offset
        .from_local_datetime(&date.and_time(NaiveTime::MIN))
        .single()
        .map(|t| t.timestamp_millis())
}

fn utc() -> chrono::FixedOffset {
    use chrono::Offset;
    chrono::Utc.fix()
}

pub(crate) fn date_value(value: Option<&serde_json::Value>) -> Option<NaiveDate> {
    value
        .and_then(serde_json::Value::as_str)
        .and_then(|s| NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d").ok())
}

fn issue_time(store: &Store, target: Target, issue: &Issue) -> Option<i64> {
    match target {
        Target::Created => Some(millis(&issue.created)),
        Target::Updated => Some(millis(&issue.updated)),
        Target::Resolved => issue.resolution_date.as_ref().map(millis),
        Target::StatusCategoryChanged => issue.status_category_change_date.as_ref().map(millis),
        Target::Due => issue.due_date.and_then(|d| date_millis(store, d)),
        Target::Custom(idx) => {
            let field = store.custom_fields.get(idx)?;
            date_value(issue.custom.get(&field.id)).and_then(|d| date_millis(store, d))
        }
        _ => None,
    }
}

fn issue_number(store: &Store, target: Target, issue: &Issue) -> Option<f64> {
    match target {
        Target::Votes => Some(f64::from(issue.votes)),
        Target::Custom(idx) => {
            let field = store.custom_fields.get(idx)?;
            match issue.custom.get(&field.id)? {
                serde_json::Value::Number(n) => n.as_f64(),
                serde_json::Value::String(s) => s.parse().ok(),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The lowercased texts a text clause searches.
fn issue_texts<'d>(
    db: &'d Db,
    target: Target,
    pos: usize,
    issue: &Issue,
) -> Vec<std::borrow::Cow<'d, str>> {
    use std::borrow::Cow;
    let Some(text) = db.index().text(pos) else {
        return Vec::new();
    };
    match target {
        Target::Summary => vec![Cow::Borrowed(text.summary.as_str())],
        Target::Description => vec![Cow::Borrowed(text.description.as_str())],
        Target::Environment => vec![Cow::Borrowed(text.environment.as_str())],
        Target::Comment => vec![Cow::Borrowed(text.comments.as_str())],
        Target::AllText => vec![
            Cow::Borrowed(text.summary.as_str()),
            Cow::Borrowed(text.description.as_str()),
            Cow::Borrowed(text.environment.as_str()),
            Cow::Borrowed(text.comments.as_str()),
            Cow::Borrowed(text.custom.as_str()),
        ],
        Target::Custom(idx) => {
            let value = db
                .store()
                .custom_fields
                .get(idx)
                .and_then(|f| issue.custom.get(&f.id));
            match value {
                Some(serde_json::Value::String(s)) => vec![Cow::Owned(s.to_lowercase())],
                Some(doc @ serde_json::Value::Object(_)) => {
                    vec![Cow::Owned(super::adf::to_text(doc).to_lowercase())]
                }
                _ => Vec::new(),
            }
        }
        _ => Vec::new(),
    }
}

fn is_empty(db: &Db, target: Target, pos: usize, issue: &Issue) -> bool {
    let store = db.store();
    match target {
        Target::Assignee | Target::Reporter | Target::Creator | Target::Watcher => {
            issue_users(store, target, issue).is_empty()
        }
        Target::Labels => issue.labels.is_empty(),
        Target::Parent => issue.parent.is_none(),
        Target::Summary
        | Target::Description
        | Target::Environment
        | Target::Comment
        | Target::AllText => issue_texts(db, target, pos, issue)
            .iter()
            .all(|t| t.trim().is_empty()),
        Target::Created
        | Target::Updated
        | Target::Resolved
        | Target::Due
        | Target::StatusCategoryChanged => issue_time(store, target, issue).is_none(),
        Target::Votes => false,
        Target::Custom(idx) => match store.custom_fields.get(idx).map(|f| &f.kind) {
            Some(CustomFieldKind::Number) => issue_number(store, target, issue).is_none(),
            Some(CustomFieldKind::Date) => issue_time(store, target, issue).is_none(),
            Some(CustomFieldKind::User) => issue_users(store, target, issue).is_empty(),
            Some(CustomFieldKind::Text | CustomFieldKind::TextArea) => {
                issue_texts(db, target, pos, issue)
                    .iter()
                    .all(|t| t.trim().is_empty())
            }
            Some(CustomFieldKind::Sprint | CustomFieldKind::Select(_)) => {
                issue_ids(db, target, issue).is_empty()
            }
            None => true,
        },
        _ => issue_ids(db, target, issue).is_empty(),
    }
}

// ---------------------------------------------------------------------------------------
// Full-text matching

/// A `~` operand: every term must occur (Jira combines the words of a text search with AND).
#[derive(Debug, Clone, PartialEq)]
struct TextQuery {
    terms: Vec<TextTerm>,
}

#[derive(Debug, Clone, PartialEq)]
enum TextTerm {
    /// A word, compared by stem; `prefix` for `word*`.
    Word { word: String, prefix: bool },
    /// `"\"exact phrase\""`: consecutive words.
    Phrase(Vec<String>),
}

impl TextQuery {
    fn parse(text: &str) -> Option<Self> {
        let trimmed = text.trim();
        let mut terms = Vec::new();
        if trimmed.len() >= 2 && trimmed.starts_with('"') && trimmed.ends_with('"') {
            let words: Vec<String> = words(&trimmed[1..trimmed.len() - 1].to_lowercase())
                .map(|(_, w)| stem(w))
                .collect();
            if !words.is_empty() {
                terms.push(TextTerm::Phrase(words));
            }
        } else {
            for chunk in trimmed.to_lowercase().split_whitespace() {
                let prefix = chunk.ends_with('*');
                let chunk = chunk.trim_end_matches('*');
                let parts: Vec<&str> = words(chunk).map(|(_, w)| w).collect();
                let last = parts.len().saturating_sub(1);
                for (i, part) in parts.into_iter().enumerate() {
                    terms.push(TextTerm::Word {
                        word: part.to_owned(),
                        prefix: prefix && i == last,
                    });
                }
            }
        }
        (!terms.is_empty()).then_some(Self { terms })
    }

    fn matches_any<S: AsRef<str>>(&self, texts: &[S]) -> bool {
        self.terms
            .iter()
            .all(|term| texts.iter().any(|t| term.matches(t.as_ref())))
    }
}

impl TextTerm {
    fn matches(&self, haystack: &str) -> bool {
        match self {
            TextTerm::Word { word, prefix } => {
                let wanted = if *prefix { word.clone() } else { stem(word) };
                // Fast path: find the stem's letters first, then check word boundaries and
                // the stem of the word found there. Stems ending in `y` come from `-ies`.
                let needle = wanted.trim_end_matches('y');
                let needle = if needle.is_empty() {
                    wanted.as_str()
                } else {
                    needle
                };
                haystack.match_indices(needle).any(|(at, _)| {
                    let starts_word = haystack[..at]
                        .chars()
                        .next_back()
                        .is_none_or(|c| !c.is_alphanumeric());
                    if !starts_word {
                        return false;
                    }
                    let rest = &haystack[at..];
                    let end = rest
                        .char_indices()
                        .find(|(_, c)| !c.is_alphanumeric())
                        .map_or(rest.len(), |(i, _)| i);
                    let found = &rest[..end];
                    if *prefix {
                        found.starts_with(word.as_str())
                    } else {
                        stem(found) == wanted
                    }
                })
            }
            TextTerm::Phrase(stems) => {
                let Some(first) = stems.first() else {
                    return false;
                };
                if !haystack.contains(first.trim_end_matches('y')) {
                    return false;
                }
                let all: Vec<String> = words(haystack).map(|(_, w)| stem(w)).collect();
                all.windows(stems.len()).any(|w| w == stems.as_slice())
            }
        }
    }
}

/// The alphanumeric runs of `text`, with their byte offsets.
fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(move |w| (w.as_ptr() as usize - text.as_ptr() as usize, w))
}

/// A light English stemmer, enough for "fails"/"failed"/"failing" and "stories"/"story" to
/// meet. Jira uses a real stemmer; this is an approximation and says so.
fn stem(word: &str) -> String {
    let mut w = word.to_owned();
    let long = |w: &str, n: usize| w.chars().count() > n;
    if let Some(base) = w.strip_suffix("ies").filter(|b| long(b, 1)) {
        w = format!("{base}y");
    } else if ["sses", "xes", "ches", "shes"]
        .iter()
        .any(|s| w.ends_with(s))
    {
        w.truncate(w.len() - 2);
    } else if w.ends_with('s') && !w.ends_with("ss") && long(&w, 3) {
        w.pop();
    }
    if let Some(base) = w.strip_suffix("ing").filter(|b| long(b, 2)) {
        w = base.to_owned();
    } else if let Some(base) = w.strip_suffix("ed").filter(|b| long(b, 2)) {
        w = base.to_owned();
    }
    if w.ends_with('e') && long(&w, 3) {
        w.pop();
    }
    w
}

// ---------------------------------------------------------------------------------------
// Sorting

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SortKey {
    Key,
    Of(Target),
}

#[derive(Debug, Clone, PartialEq)]
enum SortVal {
    /// Sorts after every value ascending (and so first descending), like an empty field in Jira.
    Missing,
    Int(i64),
    Num(f64),
    Str(String),
    Key(String, u64),
}

impl SortVal {
    fn cmp_with(&self, other: &Self, dir: Direction) -> Ordering {
        let ord = match (self, other) {
            (SortVal::Missing, SortVal::Missing) => Ordering::Equal,
            (SortVal::Missing, _) => Ordering::Greater,
            (_, SortVal::Missing) => Ordering::Less,
            (SortVal::Int(a), SortVal::Int(b)) => a.cmp(b),
            (SortVal::Num(a), SortVal::Num(b)) => a.total_cmp(b),
            (SortVal::Str(a), SortVal::Str(b)) => a.cmp(b),
            (SortVal::Key(pa, na), SortVal::Key(pb, nb)) => pa.cmp(pb).then(na.cmp(nb)),
            _ => Ordering::Equal,
        };
        match dir {
            Direction::Asc => ord,
            Direction::Desc => ord.reverse(),
        }
    }
}

impl SortKey {
    fn value(&self, db: &Db, pos: usize) -> SortVal {
        let store = db.store();
        let Some(issue) = store.issues.get(pos) else {
            return SortVal::Missing;
        };
        let position =
            |found: Option<usize>| found.map_or(SortVal::Missing, |p| SortVal::Int(p as i64));
        let user_name = |id: Option<&str>| {
            id.and_then(|id| store.user(id))
                .map_or(SortVal::Missing, |u| {
                    SortVal::Str(u.display_name.to_lowercase())
                })
        };
        let target = match self {
            SortKey::Key => {
                let (p, n) = db.index().key_parts(pos);
                return SortVal::Key(p.to_owned(), n);
            }
            SortKey::Of(target) => *target,
        };
        match target {
            Target::Project => store
                .project(issue.project_id)
                .map_or(SortVal::Missing, |p| SortVal::Str(p.name.to_lowercase())),
            Target::IssueType => position(
                store
                    .issue_types
                    .iter()
                    .position(|t| t.id == issue.issue_type_id),
            ),
            Target::Status => position(store.statuses.iter().position(|s| s.id == issue.status_id)),
            Target::Priority => issue
                .priority_id
                .and_then(|id| priority_height(store, id))
                .map_or(SortVal::Missing, |h| SortVal::Int(h as i64)),
            Target::Resolution => position(
                issue
                    .resolution_id
                    .and_then(|id| store.resolutions.iter().position(|r| r.id == id)),
            ),
            Target::Assignee | Target::Reporter | Target::Creator => {
                user_name(issue_users(store, target, issue).first().copied())
            }
            Target::Summary => SortVal::Str(issue.summary.to_lowercase()),
            Target::Votes => SortVal::Int(i64::from(issue.votes)),
            Target::Created
            | Target::Updated
            | Target::Resolved
            | Target::Due
            | Target::StatusCategoryChanged => {
                issue_time(store, target, issue).map_or(SortVal::Missing, SortVal::Int)
            }
            Target::Custom(idx) => {
                let Some(field) = store.custom_fields.get(idx) else {
                    return SortVal::Missing;
                };
                let value = issue.custom.get(&field.id);
                match &field.kind {
                    CustomFieldKind::Number => {
                        issue_number(store, target, issue).map_or(SortVal::Missing, SortVal::Num)
                    }
                    CustomFieldKind::Date => {
                        issue_time(store, target, issue).map_or(SortVal::Missing, SortVal::Int)
                    }
                    CustomFieldKind::Text => value
                        .and_then(serde_json::Value::as_str)
                        .map_or(SortVal::Missing, |s| SortVal::Str(s.to_lowercase())),
                    CustomFieldKind::Select(options) => position(
                        select_id(value, options)
                            .and_then(|id| options.iter().position(|(o, _)| *o == id)),
                    ),
                    CustomFieldKind::User => user_name(user_id(value)),
                    CustomFieldKind::TextArea | CustomFieldKind::Sprint => SortVal::Missing,
                }
            }
            _ => SortVal::Missing,
        }
    }
}

// ---------------------------------------------------------------------------------------
// Compilation

struct Compiler<'a> {
    db: &'a Db,
    store: &'a Store,
    ctx: &'a EvalContext<'a>,
    errors: Vec<String>,
}

/// Functions Jira has that the emulator does not evaluate: these get an honest 400 rather than
/// a silently wrong result.
const UNSUPPORTED_FUNCTIONS: &[&str] = &[
    "approved",
    "approver",
    "breached",
    "cascadeOption",
    "completed",
    "componentsLeadByUser",
    "currentLogin",
    "earliestUnreleasedVersion",
    "elapsed",
    "everBreached",
    "issueHistory",
    "issuesWithRemoteLinksByGlobalId",
    "lastLogin",
    "latestReleasedVersion",
    "membersOf",
    "myApproval",
    "myPending",
    "paused",
    "pending",
    "pendingBy",
    "projectsLeadByUser",
    "projectsWhereUserHasPermission",
    "projectsWhereUserHasRole",
    "remaining",
    "running",
    "updatedBy",
    "votedIssues",
    "withinCalendarHours",
];

fn op_text(op: Operator) -> &'static str {
    match op {
        Operator::Eq => "=",
        Operator::NotEq => "!=",
        Operator::Like => "~",
        Operator::NotLike => "!~",
        Operator::Gt => ">",
        Operator::Gte => ">=",
        Operator::Lt => "<",
        Operator::Lte => "<=",
        Operator::In => "in",
        Operator::NotIn => "not in",
        Operator::Is => "is",
        Operator::IsNot => "is not",
    }
}

fn field_text(field: &Field) -> String {
    match field {
        Field::Name(name) => name.clone(),
        Field::CustomId(id) => format!("cf[{id}]"),
    }
}

/// The values of an operand, whatever its shape.
fn operand_values(operand: &Operand) -> Vec<&Value> {
    match operand {
        Operand::Single(v) => vec![v],
        Operand::List(vs) => vs.iter().collect(),
    }
}

/// A field as written, to a target. System names win over custom field names, as in Jira.
fn target(store: &Store, field: &Field) -> Option<Target> {
    let name = match field {
        Field::CustomId(id) => {
            return store
                .custom_fields
                .iter()
                .position(|f| f.id == *id)
                .map(Target::Custom);
        }
        Field::Name(name) => name,
    };
    let system = match name.to_ascii_lowercase().as_str() {
        "project" => Some(Target::Project),
        "issuetype" | "type" => Some(Target::IssueType),
        "status" => Some(Target::Status),
        "statuscategory" => Some(Target::StatusCategory),
        "priority" => Some(Target::Priority),
        "resolution" => Some(Target::Resolution),
        "assignee" => Some(Target::Assignee),
        "reporter" => Some(Target::Reporter),
        "creator" => Some(Target::Creator),
        "watcher" | "watchers" => Some(Target::Watcher),
        "labels" => Some(Target::Labels),
        "component" => Some(Target::Component),
        "fixversion" => Some(Target::FixVersion),
        "affectedversion" => Some(Target::AffectedVersion),
        "key" | "issuekey" | "issue" | "id" => Some(Target::Key),
        "parent" => Some(Target::Parent),
        "summary" => Some(Target::Summary),
        "description" => Some(Target::Description),
        "environment" => Some(Target::Environment),
        "comment" => Some(Target::Comment),
        "text" => Some(Target::AllText),
        "created" | "createddate" => Some(Target::Created),
        "updated" | "updateddate" => Some(Target::Updated),
        "resolved" | "resolutiondate" => Some(Target::Resolved),
        "due" | "duedate" => Some(Target::Due),
        "statuscategorychangeddate" => Some(Target::StatusCategoryChanged),
        "votes" => Some(Target::Votes),
        "sprint" => store
            .custom_fields
            .iter()
            .position(|f| f.kind == CustomFieldKind::Sprint)
            .map(Target::Custom),
        _ => None,
    };
    system.or_else(|| {
        let wanted = name.to_lowercase();
        store
            .custom_fields
            .iter()
            .position(|f| {
                f.name.to_lowercase() == wanted || format!("customfield_{}", f.id) == wanted
            })
            .map(Target::Custom)
    })
}

fn class(store: &Store, target: Target) -> Class {
    match target {
        Target::Assignee | Target::Reporter | Target::Creator | Target::Watcher => Class::Users,
        Target::Labels => Class::Labels,
        Target::Key => Class::Key,
        Target::Parent => Class::Parent,
        Target::Summary
        | Target::Description
        | Target::Environment
        | Target::Comment
        | Target::AllText => Class::Text,
        Target::Created
        | Target::Updated
        | Target::Resolved
        | Target::Due
        | Target::StatusCategoryChanged => Class::Time,
        Target::Votes => Class::Number,
        Target::Custom(idx) => match store.custom_fields.get(idx).map(|f| &f.kind) {
            Some(CustomFieldKind::Number) => Class::Number,
            Some(CustomFieldKind::Text | CustomFieldKind::TextArea) => Class::Text,
            Some(CustomFieldKind::User) => Class::Users,
            Some(CustomFieldKind::Date) => Class::Time,
            _ => Class::Ids,
        },
        _ => Class::Ids,
    }
}

fn operator_allowed(target: Target, class: Class, op: Operator) -> bool {
    use Operator::*;
    match class {
        Class::Ids => {
            matches!(op, Eq | NotEq | In | NotIn | Is | IsNot)
                || (target == Target::Priority && matches!(op, Gt | Gte | Lt | Lte))
        }
        Class::Users | Class::Labels | Class::Parent => {
            matches!(op, Eq | NotEq | In | NotIn | Is | IsNot)
        }
        Class::Key => matches!(op, Eq | NotEq | In | NotIn | Gt | Gte | Lt | Lte),
        Class::Text => matches!(op, Like | NotLike | Is | IsNot),
        Class::Time | Class::Number => !matches!(op, Like | NotLike),
    }
}

impl Compiler<'_> {
    fn clause(&mut self, clause: &Clause) -> Pred {
        match clause {
            Clause::And(all) => Pred::And(all.iter().map(|c| self.clause(c)).collect()),
            Clause::Or(any) => Pred::Or(any.iter().map(|c| self.clause(c)).collect()),
            Clause::Not(inner) => Pred::Not(Box::new(self.clause(inner))),
            Clause::Term(term) => self.term(term),
        }
    }

    fn fail(&mut self, message: String) -> Pred {
        if !self.errors.contains(&message) {
            self.errors.push(message);
        }
        Pred::Const(false)
    }
    fn term(&mut self, term: &Term) -> Pred {
        let written = field_text(&term.field);
        let Some(target) = target(self.store, &term.field) else {
            return self.fail(format!(
                "Field '{written}' does not exist or you do not have permission to view it."
            ));
        };
        let class = class(self.store, target);
        if !operator_allowed(target, class, term.op) {
            return self.fail(format!(
                "The operator '{}' is not supported by the '{written}' field.",
                op_text(term.op)
            ));
        }
        let values = operand_values(&term.operand);
        let list = matches!(term.operand, Operand::List(_));
        match term.op {
            Operator::In | Operator::NotIn
                if !list && !matches!(term.operand, Operand::Single(Value::Function(_))) =>
            {
                return self.fail(format!(
                    "Error in the JQL Query: The operator '{}' requires a list of values for the field '{written}'.",
                    op_text(term.op)
                ));
            }
            Operator::Eq
            | Operator::NotEq
            | Operator::Like
            | Operator::NotLike
            | Operator::Gt
            | Operator::Gte
            | Operator::Lt
            | Operator::Lte
            | Operator::Is
            | Operator::IsNot
                if list =>
            {
                return self.fail(format!(
                    "Error in the JQL Query: The operator '{}' does not support a list of values for the field '{written}'.",
                    op_text(term.op)
                ));
            }
            _ => {}
        }
        if matches!(term.op, Operator::Is | Operator::IsNot) {
            if values.iter().any(|v| **v != Value::Empty) {
                return self.fail(format!(
                    "The operator '{}' only supports searching for EMPTY values on the field '{written}'.",
                    op_text(term.op)
                ));
            }
            return Pred::Empty {
                target,
                negate: term.op == Operator::IsNot,
            };
        }
        let negate = matches!(
            term.op,
            Operator::NotEq | Operator::NotIn | Operator::NotLike
        );
        if let Some(cmp) = Cmp::of(term.op) {
            return self.comparison(target, class, cmp, values[0], &written);
        }
        match class {
            Class::Ids => self.ids_pred(target, &values, negate, &written),
            Class::Users => self.users_pred(target, &values, negate, &written),
            Class::Labels => self.labels_pred(&values, negate, &written),
            Class::Key => self.key_pred(&values, negate, &written),
            Class::Parent => self.parent_pred(&values, negate, &written),
            Class::Text => self.text_pred(target, values[0], negate, &written),
            Class::Time => self.time_in_pred(target, &values, negate, &written),
            Class::Number => self.number_in_pred(target, &values, negate, &written),
        }
    }

    /// The error for a function used where it cannot be, in Jira's wording where known.
    fn function_error(&mut self, call: &FunctionCall, written: &str) -> Pred {
        let known = |list: &[&str]| list.iter().any(|f| f.eq_ignore_ascii_case(&call.name));
        if known(UNSUPPORTED_FUNCTIONS) {
            self.fail(format!(
                "Error in the JQL Query: The function '{}' is not supported by the jtui Jira emulator.",
                call.name
            ))
        } else if FUNCTIONS
            .iter()
            .any(|f| f.name.eq_ignore_ascii_case(&call.name))
        {
            self.fail(format!(
                "A value provided by the function '{}' is invalid for the field '{written}'.",
                call.name
            ))
        } else {
            self.fail(format!("Unable to find JQL function '{}()'.", call.name))
        }
    }

    fn no_value(&mut self, value: &str, written: &str) -> Pred {
        self.fail(format!(
            "The value '{value}' does not exist for the field '{written}'."
        ))
    }

    fn ids_pred(&mut self, target: Target, values: &[&Value], negate: bool, written: &str) -> Pred {
        let mut ids = Vec::new();
        let mut empty = false;
        let mut failed = false;
        for value in values {
            match value {
                Value::Empty => empty = true,
                Value::Function(call) => match self.ids_function(target, call) {
                    Some(found) => ids.extend(found),
                    None => {
                        self.function_error(call, written);
                        failed = true;
                    }
                },
                Value::Text(text) => {
                    if target == Target::Resolution && text.eq_ignore_ascii_case("unresolved") {
                        empty = true;
                        continue;
                    }
                    let found = self.lookup_ids(target, text);
                    if found.is_empty() {
                        self.no_value(text, written);
                        failed = true;
                    }
                    ids.extend(found);
                }
            }
        }
        if failed {
            return Pred::Const(false);
        }
        Pred::Ids {
            target,
            ids,
            empty,
            negate,
        }
    }

    /// Ids of the named (or numbered) things a value denotes for `target`.
    fn lookup_ids(&self, target: Target, text: &str) -> Vec<u64> {
        let store = self.store;
        let number: Option<u64> = text.trim().parse().ok();
        let by = |id: u64, name: &str| number == Some(id) || name.eq_ignore_ascii_case(text.trim());
        match target {
            Target::Project => store
                .projects
                .iter()
                .filter(|p| by(p.id, &p.name) || p.key.eq_ignore_ascii_case(text.trim()))
                .map(|p| p.id)
                .collect(),
            Target::IssueType => store
                .issue_types
                .iter()
                .filter(|t| by(t.id, &t.name))
                .map(|t| t.id)
                .collect(),
            Target::Status => store
                .statuses
                .iter()
                .filter(|s| by(s.id, &s.name))
                .map(|s| s.id)
                .collect(),
            Target::StatusCategory => [
                (StatusCategory::New, "new", "To Do"),
                (
                    StatusCategory::Indeterminate,
                    "indeterminate",
                    "In Progress",
                ),
                (StatusCategory::Done, "done", "Done"),
            ]
            .iter()
            .filter(|(cat, key, name)| {
                by(category_id(*cat), name) || key.eq_ignore_ascii_case(text.trim())
            })
            .map(|(cat, _, _)| category_id(*cat))
            .collect(),
            Target::Priority => store
                .priorities
                .iter()
                .filter(|p| by(p.id, &p.name))
                .map(|p| p.id)
                .collect(),
            Target::Resolution => store
                .resolutions
                .iter()
                .filter(|r| by(r.id, &r.name))
                .map(|r| r.id)
                .collect(),
            Target::Component => store
                .projects
                .iter()
                .flat_map(|p| &p.components)
                .filter(|c| by(c.id, &c.name))
                .map(|c| c.id)
                .collect(),
            Target::FixVersion | Target::AffectedVersion => store
                .projects
                .iter()
                .flat_map(|p| &p.versions)
                .filter(|v| by(v.id, &v.name))
                .map(|v| v.id)
                .collect(),
            Target::Custom(idx) => match store.custom_fields.get(idx).map(|f| &f.kind) {
                Some(CustomFieldKind::Sprint) => store
                    .sprints
                    .iter()
                    .filter(|s| by(s.id, &s.name))
                    .map(|s| s.id)
                    .collect(),
                Some(CustomFieldKind::Select(options)) => options
                    .iter()
                    .filter(|(id, name)| by(*id, name))
                    .map(|(id, _)| *id)
                    .collect(),
                _ => Vec::new(),
            },
            _ => Vec::new(),
        }
    }

    fn ids_function(&self, target: Target, call: &FunctionCall) -> Option<Vec<u64>> {
        let store = self.store;
        let name = call.name.to_ascii_lowercase();
        let sprints = |states: &[&str]| -> Vec<u64> {
            store
                .sprints
                .iter()
                .filter(|s| states.contains(&s.state.as_str()))
                .map(|s| s.id)
                .collect()
        };
        let versions = |released: bool| -> Vec<u64> {
            store
                .projects
                .iter()
                .filter(|p| {
                    call.args.is_empty()
                        || call.args.iter().any(|a| {
                            a.eq_ignore_ascii_case(&p.key)
                                || a.eq_ignore_ascii_case(&p.name)
                                || *a == p.id.to_string()
                        })
                })
                .flat_map(|p| &p.versions)
                .filter(|v| v.released == released && !v.archived)
                .map(|v| v.id)
                .collect()
        };
        let is_sprint = matches!(target, Target::Custom(idx)
            if store.custom_fields.get(idx).is_some_and(|f| f.kind == CustomFieldKind::Sprint));
        match (name.as_str(), target) {
            // Jira's openSprints() is every sprint not yet completed: active and future.
            ("opensprints", _) if is_sprint => Some(sprints(&["active", "future"])),
            ("closedsprints", _) if is_sprint => Some(sprints(&["closed"])),
            ("futuresprints", _) if is_sprint => Some(sprints(&["future"])),
            ("releasedversions", Target::FixVersion | Target::AffectedVersion) => {
                Some(versions(true))
            }
            ("unreleasedversions", Target::FixVersion | Target::AffectedVersion) => {
                Some(versions(false))
            }
            ("standardissuetypes", Target::IssueType) => Some(
                store
                    .issue_types
                    .iter()
                    .filter(|t| !t.subtask)
                    .map(|t| t.id)
                    .collect(),
            ),
            ("subtaskissuetypes", Target::IssueType) => Some(
                store
                    .issue_types
                    .iter()
                    .filter(|t| t.subtask)
                    .map(|t| t.id)
                    .collect(),
            ),
            _ => None,
        }
    }

    fn users_pred(
        &mut self,
        target: Target,
        values: &[&Value],
        negate: bool,
        written: &str,
    ) -> Pred {
        let mut ids = Vec::new();
        let mut empty = false;
        let mut failed = false;
        for value in values {
            match value {
                Value::Empty => empty = true,
                Value::Function(call) if call.name.eq_ignore_ascii_case("currentUser") => {
                    // Anonymous callers have no current user: the clause matches nothing.
                    ids.extend(self.ctx.current_user.map(str::to_owned));
                }
                Value::Function(call) => {
                    self.function_error(call, written);
                    failed = true;
                }
                Value::Text(text) => {
                    let wanted = text.trim();
                    let found: Vec<String> = self
                        .store
                        .users
                        .iter()
                        .filter(|u| {
                            u.account_id == wanted
                                || u.display_name.eq_ignore_ascii_case(wanted)
                                || u.email
                                    .as_deref()
                                    .is_some_and(|e| e.eq_ignore_ascii_case(wanted))
                        })
                        .map(|u| u.account_id.clone())
                        .collect();
                    if found.is_empty() {
                        self.no_value(text, written);
                        failed = true;
                    }
                    ids.extend(found);
                }
            }
        }
        if failed {
            return Pred::Const(false);
        }
        Pred::Users {
            target,
            ids,
            empty,
            negate,
        }
    }

    fn labels_pred(&mut self, values: &[&Value], negate: bool, written: &str) -> Pred {
        let mut labels = Vec::new();
        let mut empty = false;
        for value in values {
            match value {
                Value::Empty => empty = true,
                Value::Text(text) => labels.push(text.clone()),
                Value::Function(call) => return self.function_error(call, written),
            }
        }
        Pred::Labels {
            values: labels,
            empty,
            negate,
        }
    }

    /// Issue ids for `key`/`issue`/`id` values: keys must exist (Jira's error otherwise),
    /// numeric ids may match nothing.
    fn key_ids(&mut self, value: &Value, written: &str) -> Option<Vec<u64>> {
        match value {
            Value::Empty => Some(Vec::new()),
            Value::Function(call) => {
                let name = call.name.to_ascii_lowercase();
                match name.as_str() {
                    "watchedissues" => {
                        let me = self.ctx.current_user?;
                        Some(
                            self.store
                                .issues
                                .iter()
                                .filter(|i| i.watchers.iter().any(|w| w == me))
                                .map(|i| i.id)
                                .collect(),
                        )
                    }
                    "linkedissues" => {
                        let Some(key) = call.args.first() else {
                            self.fail(format!(
                                "Error in the JQL Query: The function 'linkedIssues' requires an issue key for the field '{written}'."
                            ));
                            return None;
                        };
                        let link_type = call.args.get(1);
                        let Some(issue) = self.db.issue(key) else {
                            self.fail(format!(
                                "Issue '{key}' could not be found in function 'linkedIssues'."
                            ));
                            return None;
                        };
                        let store = self.store;
                        Some(
                            issue
                                .links
                                .iter()
                                .filter(|l| {
                                    link_type.is_none_or(|wanted| {
                                        store.link_types.iter().any(|t| {
                                            t.id == l.link_type_id
                                                && match l.direction {
                                                    LinkDirection::Outward => {
                                                        t.outward.eq_ignore_ascii_case(wanted)
                                                    }
                                                    LinkDirection::Inward => {
                                                        t.inward.eq_ignore_ascii_case(wanted)
                                                    }
                                                }
                                        })
                                    })
                                })
                                .filter_map(|l| self.db.issue(&l.other_key).map(|i| i.id))
                                .collect(),
                        )
                    }
                    _ => {
                        self.function_error(call, written);
                        None
                    }
                }
            }
            Value::Text(text) => {
                let text = text.trim();
                if let Ok(id) = text.parse::<u64>() {
                    return Some(vec![id]);
                }
                if split_key(text).is_none() {
                    self.fail(format!(
                        "The issue key '{text}' for field '{written}' is invalid."
                    ));
                    return None;
                }
                match self.db.issue(text) {
                    Some(issue) => Some(vec![issue.id]),
                    None => {
                        self.fail(format!(
                            "An issue with key '{text}' does not exist for field '{written}'."
                        ));
                        None
                    }
                }
            }
        }
    }

    fn key_pred(&mut self, values: &[&Value], negate: bool, written: &str) -> Pred {
        let mut ids = Vec::new();
        let mut failed = false;
        for value in values {
            match self.key_ids(value, written) {
                Some(found) => ids.extend(found),
                None => failed = true,
            }
        }
        if failed {
            return Pred::Const(false);
        }
        Pred::Ids {
            target: Target::Key,
            ids,
            empty: false,
            negate,
        }
    }

    fn parent_pred(&mut self, values: &[&Value], negate: bool, written: &str) -> Pred {
        let mut keys = Vec::new();
        let mut empty = false;
        let mut failed = false;
        for value in values {
            if **value == Value::Empty {
                empty = true;
                continue;
            }
            match self.key_ids(value, written) {
                Some(ids) => keys.extend(ids.into_iter().filter_map(|id| {
                    self.db
                        .index()
                        .pos_by_id(id)
                        .and_then(|pos| self.store.issues.get(pos))
                        .map(|i| i.key.clone())
                })),
                None => failed = true,
            }
        }
        if failed {
            return Pred::Const(false);
        }
        Pred::Parent {
            keys,
            empty,
            negate,
        }
    }

    fn text_pred(&mut self, target: Target, value: &Value, negate: bool, written: &str) -> Pred {
        match value {
            Value::Text(text) => match TextQuery::parse(text) {
                Some(query) => Pred::Text {
                    target,
                    query,
                    negate,
                },
                None => self.fail(format!(
                    "The field '{written}' does not support searching for an empty string."
                )),
            },
            Value::Empty => self.fail(format!(
                "The field '{written}' does not support searching for an empty string."
            )),
            Value::Function(call) => self.function_error(call, written),
        }
    }

    fn comparison(
        &mut self,
        target: Target,
        class: Class,
        cmp: Cmp,
        value: &Value,
        written: &str,
    ) -> Pred {
        match class {
            Class::Ids => {
                // Only priority gets here: compare by rank.
                let ids = match value {
                    Value::Text(text) => self.lookup_ids(target, text),
                    Value::Function(call) => return self.function_error(call, written),
                    Value::Empty => Vec::new(),
                };
                match ids.first().and_then(|id| priority_height(self.store, *id)) {
                    Some(height) => Pred::Rank { cmp, height },
                    None => match value {
                        Value::Text(text) => self.no_value(text, written),
                        _ => self.empty_comparison(cmp, written),
                    },
                }
            }
            Class::Key => match value {
                Value::Text(text) => {
                    let text = text.trim();
                    let parts = split_key(text).or_else(|| {
                        // Numeric ids compare within the issue's own project.
                        text.parse::<u64>()
                            .ok()
                            .and_then(|id| self.db.index().pos_by_id(id))
                            .map(|pos| {
                                let (p, n) = self.db.index().key_parts(pos);
                                (p.to_owned(), n)
                            })
                    });
                    match parts {
                        Some((project, number)) => Pred::KeyCmp {
                            project,
                            number,
                            cmp,
                        },
                        None => self.fail(format!(
                            "The issue key '{text}' for field '{written}' is invalid."
                        )),
                    }
                }
                Value::Function(call) => self.function_error(call, written),
                Value::Empty => self.empty_comparison(cmp, written),
            },
            Class::Time => match self.time_value(value, written) {
                Some(Some(at)) => Pred::TimeCmp { target, cmp, at },
                Some(None) => self.empty_comparison(cmp, written),
                None => Pred::Const(false),
            },
            Class::Number => match self.number_value(value, written) {
                Some(Some(n)) => Pred::NumCmp {
                    target,
                    cmp,
                    value: n,
                },
                Some(None) => self.empty_comparison(cmp, written),
                None => Pred::Const(false),
            },
            _ => self.fail(format!(
                "The operator '{}' is not supported by the '{written}' field.",
                match cmp {
                    Cmp::Lt => "<",
                    Cmp::Le => "<=",
                    Cmp::Gt => ">",
                    Cmp::Ge => ">=",
                }
            )),
        }
    }

    fn empty_comparison(&mut self, cmp: Cmp, written: &str) -> Pred {
        let op = match cmp {
            Cmp::Lt => "<",
            Cmp::Le => "<=",
            Cmp::Gt => ">",
            Cmp::Ge => ">=",
        };
        self.fail(format!(
            "The operator '{op}' does not support the EMPTY value for the field '{written}'."
        ))
    }

    /// `Some(Some(millis))` for a date, `Some(None)` for EMPTY, `None` after an error.
    fn time_value(&mut self, value: &Value, written: &str) -> Option<Option<i64>> {
        let now = self.ctx.now;
        match value {
            Value::Empty => Some(None),
            Value::Text(text) => match parse_time(text, now) {
                Some(t) => Some(Some(t.timestamp_millis())),
                None => {
                    self.fail(format!(
                        "Date value '{text}' for field '{written}' is invalid. Valid formats include: \
                         'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period \
                         format e.g. '-5d', '4w 2d'."
                    ));
                    None
                }
            },
            Value::Function(call) => match date_function(call, now) {
                Some(Ok(t)) => Some(Some(t.timestamp_millis())),
                Some(Err(())) => {
                    self.fail(format!(
                        "Error in the JQL Query: The argument '{}' of the function '{}' is not a valid period.",
                        call.args.join(", "),
                        call.name
                    ));
                    None
                }
                None => {
                    self.function_error(call, written);
                    None
                }
            },
        }
    }

    fn time_in_pred(
        &mut self,
        target: Target,
        values: &[&Value],
        negate: bool,
        written: &str,
    ) -> Pred {
        let mut times = Vec::new();
        let mut empty = false;
        for value in values {
            match self.time_value(value, written) {
                Some(Some(t)) => times.push(t),
                Some(None) => empty = true,
                None => return Pred::Const(false),
            }
        }
        Pred::TimeIn {
            target,
            values: times,
            empty,
            negate,
        }
    }

    fn number_value(&mut self, value: &Value, written: &str) -> Option<Option<f64>> {
        match value {
            Value::Empty => Some(None),
            Value::Text(text) => match text.trim().parse::<f64>() {
                Ok(n) if n.is_finite() => Some(Some(n)),
                _ => {
                    self.fail(format!(
                        "The value '{text}' is not a valid number for the field '{written}'."
                    ));
                    None
                }
            },
            Value::Function(call) => {
                self.function_error(call, written);
                None
            }
        }
    }

    fn number_in_pred(
        &mut self,
        target: Target,
        values: &[&Value],
        negate: bool,
        written: &str,
    ) -> Pred {
        let mut numbers = Vec::new();
        let mut empty = false;
        for value in values {
            match self.number_value(value, written) {
                Some(Some(n)) => numbers.push(n),
                Some(None) => empty = true,
                None => return Pred::Const(false),
            }
        }
        Pred::NumIn {
            target,
            values: numbers,
            empty,
            negate,
        }
    }

    /// The sort key for an ORDER BY field and the field's default direction.
    fn sort_key(&mut self, field: &Field) -> Option<(SortKey, Direction)> {
        let written = field_text(field);
        let Some(target) = target(self.store, field) else {
            self.fail(format!(
                "Field '{written}' does not exist or you do not have permission to view it."
            ));
            return None;
        };
        match sort_direction(self.store, target) {
            Some(direction) if target == Target::Key => Some((SortKey::Key, direction)),
            Some(direction) => Some((SortKey::Of(target), direction)),
            None => {
                self.fail(format!("Field '{written}' does not support sorting."));
                None
            }
        }
    }
}

/// The default ORDER BY direction of a target, or `None` when it cannot be sorted on: Jira
/// sorts dates, priority and votes newest/highest first unless told otherwise.
fn sort_direction(store: &Store, target: Target) -> Option<Direction> {
    match target {
        Target::Priority
        | Target::Created
        | Target::Updated
        | Target::Resolved
        | Target::StatusCategoryChanged
        | Target::Votes => Some(Direction::Desc),
        Target::Key
        | Target::Project
        | Target::IssueType
        | Target::Status
        | Target::Resolution
        | Target::Assignee
        | Target::Reporter
        | Target::Creator
        | Target::Summary
        | Target::Due => Some(Direction::Asc),
        Target::Custom(idx) => match store.custom_fields.get(idx).map(|f| &f.kind) {
            Some(CustomFieldKind::TextArea | CustomFieldKind::Sprint) | None => None,
            Some(_) => Some(Direction::Asc),
        },
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------
// Dates

/// A JQL date: `2024-05-01`, `2024/05/01`, either with ` HH:mm`, or a period relative to
/// `now` such as `-7d`, `+1w`, `4w 2d`, `-2h`, `30m`. Dates are read in `now`'s zone.
pub fn parse_time(text: &str, now: Timestamp) -> Option<Timestamp> {
    let text = text.trim();
    let zone = *now.offset();
    for format in ["%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M"] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(text, format) {
            return zone.from_local_datetime(&dt).single();
        }
    }
    for format in ["%Y-%m-%d", "%Y/%m/%d"] {
        if let Ok(date) = NaiveDate::parse_from_str(text, format) {
            return zone
                .from_local_datetime(&date.and_time(NaiveTime::MIN))
                .single();
        }
    }
    let period = parse_period(text)?;
    period.apply(now)
}

/// A signed calendar period: months (for `M`/`y`) and plain seconds (for `w`/`d`/`h`/`m`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Period {
    months: i64,
    seconds: i64,
}

impl Period {
    fn apply(self, at: Timestamp) -> Option<Timestamp> {
        let moved = if self.months >= 0 {
            at.checked_add_months(Months::new(u32::try_from(self.months).ok()?))?
        } else {
            at.checked_sub_months(Months::new(u32::try_from(-self.months).ok()?))?
        };
        moved.checked_add_signed(Duration::try_seconds(self.seconds)?)
    }
}

const SECONDS_PER_MINUTE: i64 = 60;
const SECONDS_PER_HOUR: i64 = 60 * SECONDS_PER_MINUTE;
const SECONDS_PER_DAY: i64 = 24 * SECONDS_PER_HOUR;
const SECONDS_PER_WEEK: i64 = 7 * SECONDS_PER_DAY;

/// `-7d`, `+1w`, `4w 2d`, `-1M` (months), `1y`; `default_unit` applies to a bare number.
fn parse_period_with(text: &str, default_unit: Option<char>) -> Option<Period> {
    let text = text.trim();
    let (sign, rest) = match text.chars().next()? {
        '-' => (-1, &text[1..]),
        '+' => (1, &text[1..]),
        _ => (1, text),
    };
    let mut period = Period::default();
    let mut any = false;
    for part in rest.split_whitespace() {
        let unit_at = part
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(part.len());
        let amount: i64 = part[..unit_at].parse().ok()?;
        let unit = match &part[unit_at..] {
            "" => default_unit?,
            u if u.chars().count() == 1 => u.chars().next()?,
            _ => return None,
        };
        match unit {
            'y' | 'Y' => period.months += 12 * amount,
            'M' => period.months += amount,
            'w' | 'W' => period.seconds += amount * SECONDS_PER_WEEK,
            'd' | 'D' => period.seconds += amount * SECONDS_PER_DAY,
            'h' | 'H' => period.seconds += amount * SECONDS_PER_HOUR,
            'm' => period.seconds += amount * SECONDS_PER_MINUTE,
            _ => return None,
        }
        any = true;
    }
    any.then_some(Period {
        months: sign * period.months,
        seconds: sign * period.seconds,
    })
}

fn parse_period(text: &str) -> Option<Period> {
    parse_period_with(text, None)
}

/// `now()`, `startOfDay()`, `endOfMonth(-1)`... `None` if `call` is not a date function,
/// `Some(Err)` if its argument is not a period.
///
/// Weeks start on Sunday, as in Jira with the en_US locale.
fn date_function(call: &FunctionCall, now: Timestamp) -> Option<Result<Timestamp, ()>> {
    let name = call.name.to_ascii_lowercase();
    let (unit, start) = match name.as_str() {
        "now" => return Some(Ok(now)),
        "startofday" => ('d', true),
        "endofday" => ('d', false),
        "startofweek" => ('w', true),
        "endofweek" => ('w', false),
        "startofmonth" => ('M', true),
        "endofmonth" => ('M', false),
        "startofyear" => ('y', true),
        "endofyear" => ('y', false),
        _ => return None,
    };
    let period = match call.args.first() {
        None => Period::default(),
        Some(arg) => match parse_period_with(arg, Some(unit)) {
            Some(p) => p,
            None => return Some(Err(())),
        },
    };
    // An increment in the function's own unit moves the base first (so `endOfMonth(-1)` is the
    // last moment of last month even when months differ in length); other units move the result.
    let in_own_unit = call.args.first().is_some_and(|a| {
        a.trim_start_matches(['+', '-'])
            .chars()
            .all(|c| c.is_ascii_digit() || c == unit)
    });
    let base = if in_own_unit {
        period.apply(now)
    } else {
        Some(now)
    };
    let result = base.and_then(|b| boundary(b, unit, start)).and_then(|t| {
        if in_own_unit {
            Some(t)
        } else {
            period.apply(t)
        }
    });
    Some(result.ok_or(()))
}

fn boundary(at: Timestamp, unit: char, start: bool) -> Option<Timestamp> {
    let zone = *at.offset();
    let date = at.date_naive();
    let (first, last) = match unit {
        'd' => (date, date),
        'w' => {
            let back = i64::from(date.weekday().num_days_from_sunday());
            let first = date.checked_sub_signed(Duration::try_days(back)?)?;
            (first, first.checked_add_signed(Duration::try_days(6)?)?)
        }
        'M' => {
            let first = date.with_day(1)?;
            let next = first.checked_add_months(Months::new(1))?;
            (first, next.pred_opt()?)
        }
        _ => {
            let first = NaiveDate::from_ymd_opt(date.year(), 1, 1)?;
            (first, NaiveDate::from_ymd_opt(date.year(), 12, 31)?)
        }
    };
    let moment = if start {
        first.and_time(NaiveTime::MIN)
    } else {
        last.and_hms_milli_opt(23, 59, 59, 999)?
    };
    zone.from_local_datetime(&moment).single()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;

    fn now() -> Timestamp {
        DateTime::parse_from_rfc3339("2024-05-15T10:30:00+02:00").expect("valid")
    }

    #[test]
    fn dates_and_periods() {
        let at = |s: &str| parse_time(s, now()).map(|t| t.to_rfc3339());
        assert_eq!(
            at("2024-05-01").as_deref(),
            Some("2024-05-01T00:00:00+02:00")
        );
        assert_eq!(
            at("2024/05/01 10:00").as_deref(),
            Some("2024-05-01T10:00:00+02:00")
        );
        assert_eq!(at("-7d").as_deref(), Some("2024-05-08T10:30:00+02:00"));
        assert_eq!(at("-1w 2d").as_deref(), Some("2024-05-06T10:30:00+02:00"));
        assert_eq!(at("+2h").as_deref(), Some("2024-05-15T12:30:00+02:00"));
        assert_eq!(at("-1M").as_deref(), Some("2024-04-15T10:30:00+02:00"));
        assert_eq!(at("yesterday"), None);
        assert_eq!(at("2024-13-01"), None);
    }

    #[test]
    fn date_functions() {
        let call = |name: &str, args: &[&str]| {
            date_function(
                &FunctionCall {
                    name: name.into(),
                    args: args.iter().map(|s| (*s).to_owned()).collect(),
                },
                now(),
            )
            .and_then(Result::ok)
            .map(|t| t.format("%Y-%m-%d %H:%M:%S%.3f").to_string())
        };
        assert_eq!(
            call("startOfDay", &[]).as_deref(),
            Some("2024-05-15 00:00:00.000")
        );
        assert_eq!(
            call("startOfDay", &["-1"]).as_deref(),
            Some("2024-05-14 00:00:00.000")
        );
        assert_eq!(
            call("endOfDay", &[]).as_deref(),
            Some("2024-05-15 23:59:59.999")
        );
        // 2024-05-15 is a Wednesday; the week starts on Sunday the 12th.
        assert_eq!(
            call("startOfWeek", &[]).as_deref(),
            Some("2024-05-12 00:00:00.000")
        );
        assert_eq!(
            call("startOfWeek", &["1d"]).as_deref(),
            Some("2024-05-13 00:00:00.000")
        );
        assert_eq!(
            call("endOfMonth", &["-1"]).as_deref(),
            Some("2024-04-30 23:59:59.999")
        );
        assert_eq!(
            call("startOfYear", &[]).as_deref(),
            Some("2024-01-01 00:00:00.000")
        );
        assert_eq!(call("NOW", &[]).as_deref(), Some("2024-05-15 10:30:00.000"));
        assert!(
            date_function(
                &FunctionCall {
                    name: "startOfDay".into(),
                    args: vec!["soon".into()]
                },
                now()
            )
            .is_some_and(|r| r.is_err())
        );
    }

    #[test]
    fn stemming_and_word_match() {
        assert_eq!(stem("fails"), stem("failed"));
        assert_eq!(stem("failing"), stem("fail"));
        assert_eq!(stem("stories"), stem("story"));
        assert_eq!(stem("issues"), stem("issue"));
        let q = |s: &str| TextQuery::parse(s).expect("terms");
        assert!(q("login").matches_any(&["the login page"]));
        assert!(q("LOGIN").matches_any(&["logins are slow"]));
        assert!(!q("log").matches_any(&["the login page"]));
        assert!(q("log*").matches_any(&["the login page"]));
        assert!(q("login page").matches_any(&["page of the login"]));
        assert!(!q("\"login page\"").matches_any(&["page of the login"]));
        assert!(q("\"login page\"").matches_any(&["the login page"]));
        assert!(q("story").matches_any(&["two stories"]));
        assert!(q("e-mail").matches_any(&["send an e-mail"]));
        assert!(TextQuery::parse("  ").is_none());
    }
}
