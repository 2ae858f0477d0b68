//! The demo dataset: Acme Robotics, a fictional company with four Jira projects, built
//! deterministically from the hand-written texts in `assets/demo/`.
//!
//! `demo_store(n)` backs `jtui demo`, `jtui emulator` and the tests. The same `n` always
//! gives the same store (own PRNG with a constant seed, a fixed `now`), so tests can name
//! issues and counts. Every date is relative to [`NOW`]. Generation runs in stages, one
//! function per concern: reference data (users, projects, workflow, fields, sprints), issue
//! skeletons with their status timelines, then people, fields, texts, comments and history
//! per issue, and finally links between issues.

mod assets;
mod markup;
mod rng;

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Offset, Utc};
use serde_json::{Value, json};

use self::assets::{Assets, ProjectSpec, ProjectTexts, date_offset, is_slot_name};
use self::rng::Rng;
use super::store::{
    Attachment, ChangeItem, Comment, Component, Credential, CustomField, CustomFieldKind, History,
    Issue, IssueLink, IssueType, LinkDirection, LinkType, Priority, Project, Resolution, Sprint,
    Status, StatusCategory, Store, TimeTracking, Timestamp, Transition, User, Version, Workflow,
};

/// The demo user's login (printed by `jtui emulator`).
pub const DEMO_EMAIL: &str = "dev@acme-robotics.example";
/// The demo user's API token.
pub const DEMO_TOKEN: &str = "jtui-demo-token";
/// The demo user's account id (Dev Patel, an engineer on NAV).
pub const DEMO_ACCOUNT_ID: &str = "712020:5f3c1d2e-8a4b-4c6d-9e0f-1a2b3c4d5e6f";
/// A second login, a support agent on HELP, for tests that need another user.
pub const DEMO_OTHER_EMAIL: &str = "nina.kowalski@acme-robotics.example";
/// The second user's API token.
pub const DEMO_OTHER_TOKEN: &str = "jtui-demo-token-nina";
/// The second user's account id (Nina Kowalski).
pub const DEMO_OTHER_ACCOUNT_ID: &str = "5d8a3b1c9e7f2a0012b4c6d8";
/// The site the demo data pretends to live on; links inside texts point here.
pub const DEMO_SITE_URL: &str = "https://acme-robotics.atlassian.net";
/// The issue count `jtui demo` uses.
pub const DEMO_ISSUE_COUNT: usize = 600;
/// The store's fixed "now": 2026-11-20T16:00:00+01:00, as Unix seconds.
pub const NOW_UNIX_SECONDS: i64 = 1_795_186_800;

// Issue types.
pub const EPIC_TYPE_ID: u64 = 10000;
pub const STORY_TYPE_ID: u64 = 10001;
pub const TASK_TYPE_ID: u64 = 10002;
pub const BUG_TYPE_ID: u64 = 10003;
pub const SUBTASK_TYPE_ID: u64 = 10004;
// Statuses (ids as a Jira Cloud site that grew over time would have them).
pub const TODO_STATUS_ID: u64 = 10000;
pub const IN_PROGRESS_STATUS_ID: u64 = 3;
pub const IN_REVIEW_STATUS_ID: u64 = 10001;
pub const BLOCKED_STATUS_ID: u64 = 10002;
pub const DONE_STATUS_ID: u64 = 10003;
pub const WONT_DO_STATUS_ID: u64 = 10004;
// Resolutions.
pub const DONE_RESOLUTION_ID: u64 = 10000;
pub const WONT_DO_RESOLUTION_ID: u64 = 10001;
pub const DUPLICATE_RESOLUTION_ID: u64 = 10002;
pub const CANNOT_REPRODUCE_RESOLUTION_ID: u64 = 10003;
// Link types.
pub const BLOCKS_LINK_TYPE_ID: u64 = 10000;
pub const CLONERS_LINK_TYPE_ID: u64 = 10001;
pub const DUPLICATE_LINK_TYPE_ID: u64 = 10002;
pub const RELATES_LINK_TYPE_ID: u64 = 10003;
// Custom fields (the number in `customfield_NNNNN`).
pub const TEAM_FIELD: u64 = 10001;
pub const START_DATE_FIELD: u64 = 10015;
pub const STORY_POINTS_FIELD: u64 = 10016;
pub const SPRINT_FIELD: u64 = 10020;
pub const ACCEPTANCE_CRITERIA_FIELD: u64 = 10035;
pub const SEVERITY_FIELD: u64 = 10036;
pub const ROOT_CAUSE_FIELD: u64 = 10037;
pub const ROBOT_SERIAL_FIELD: u64 = 10038;

/// Any constant works; this one is fixed so the dataset never changes between runs.
const SEED: u64 = 0x4A54_5549_2D44_454D;
const MINUTE: i64 = 60;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;
/// How far back the backlog reaches (about nine months).
const HISTORY_SPAN_SECONDS: i64 = 272 * DAY;
/// The newest issue is at least this old, so its events fit before `now`.
const MIN_ISSUE_AGE_SECONDS: i64 = 2 * HOUR;
/// The automation bot (Atlassian's "Automation for Jira" app user).
const BOT_ACCOUNT_ID: &str = "557058:f58131cb-b67d-43c7-b30d-6b58d40bd077";
/// One in this many issues gets a long comment thread (30+), so comment paging is exercised.
const LONG_THREAD_ONE_IN: usize = 45;
const LONG_THREAD_MIN: usize = 30;
const LONG_THREAD_MAX: usize = 42;
/// How many times a summary is redrawn when it collides with an earlier one.
const SUMMARY_RETRIES: usize = 12;
const FIRST_ISSUE_ID: u64 = 10_000;
const FIRST_CHILD_ID: u64 = 10_000;
const GITHUB_ORG_URL: &str = "https://github.com/acme-robotics";

/// The demo dataset could not be built from the embedded assets.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("demo asset {file} is not valid JSON for its shape: {source}")]
    Asset {
        file: String,
        #[source]
        source: serde_json::Error,
    },
    #[error("demo assets are inconsistent: {0}")]
    Invalid(String),
}

/// The demo store with `issue_count` issues (600 for `jtui demo`; any count scales).
///
/// The assets are compiled in and checked by the seed tests, so this cannot fail at run
/// time unless the binary was built from broken assets.
pub fn demo_store(issue_count: usize) -> Store {
    try_demo_store(issue_count).expect("embedded demo assets are valid (checked by tests)")
}

/// Like [`demo_store`], reporting broken assets instead of panicking.
pub fn try_demo_store(issue_count: usize) -> Result<Store, SeedError> {
    let assets = Assets::load()?;
    let mut seeder = Seeder::new(&assets)?;
    seeder.issues(issue_count);
    Ok(seeder.store)
}

/// A point in time as Unix seconds; converted to [`Timestamp`] only when stored.
type Secs = i64;

/// `now` as a timestamp in the site's zone.
pub fn now() -> Timestamp {
    ts(NOW_UNIX_SECONDS)
}

/// The site's zone is Europe/Berlin: +01:00, or +02:00 in summer time (last Sunday of
/// March to last Sunday of October, switching at 01:00 UTC), as Jira renders it.
fn berlin_offset_seconds(secs: Secs) -> i32 {
    let Some(utc) = DateTime::from_timestamp(secs, 0) else {
        return 3600;
    };
    let year = utc.year();
    let summer = last_sunday_1am_utc(year, 3)..last_sunday_1am_utc(year, 10);
    if summer.contains(&secs) { 7200 } else { 3600 }
}

fn last_sunday_1am_utc(year: i32, month: u32) -> Secs {
    // March and October both have 31 days.
    NaiveDate::from_ymd_opt(year, month, 31)
        .map(|last| last - chrono::Days::new(u64::from(last.weekday().num_days_from_sunday())))
        .and_then(|d| d.and_hms_opt(1, 0, 0))
        .map_or(0, |dt| dt.and_utc().timestamp())
}

fn ts(secs: Secs) -> Timestamp {
    let offset = FixedOffset::east_opt(berlin_offset_seconds(secs)).unwrap_or_else(|| Utc.fix());
    // Jira prints milliseconds; derive them from the second so order is unaffected,
    // and keep `now` itself exact so nothing lands after it.
    let millis = if secs >= NOW_UNIX_SECONDS {
        0
    } else {
        (secs.rem_euclid(997) as u32 * 7) % 1000
    };
    DateTime::from_timestamp(secs, millis * 1_000_000)
        .unwrap_or_default()
        .with_timezone(&offset)
}

fn local_date(secs: Secs) -> NaiveDate {
    ts(secs).date_naive()
}

/// ADF `date` nodes hold midnight UTC of the day, in epoch milliseconds.
fn date_node_millis(day: NaiveDate) -> i64 {
    day.and_hms_opt(0, 0, 0)
        .map_or(0, |dt| dt.and_utc().timestamp_millis())
}

/// Sprint dates are UTC with a `Z`, as the Agile API formats them.
fn sprint_time(secs: Secs) -> String {
    DateTime::from_timestamp(secs, 0)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}

fn browse_url(key: &str) -> String {
    format!("{DEMO_SITE_URL}/browse/{key}")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Epic,
    Story,
    Task,
    Bug,
    SubTask,
}

impl Kind {
    const ALL: [Kind; 5] = [
        Kind::Epic,
        Kind::Story,
        Kind::Task,
        Kind::Bug,
        Kind::SubTask,
    ];

    fn name(self) -> &'static str {
        match self {
            Kind::Epic => "Epic",
            Kind::Story => "Story",
            Kind::Task => "Task",
            Kind::Bug => "Bug",
            Kind::SubTask => "Sub-task",
        }
    }

    fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }

    fn type_id(self) -> u64 {
        match self {
            Kind::Epic => EPIC_TYPE_ID,
            Kind::Story => STORY_TYPE_ID,
            Kind::Task => TASK_TYPE_ID,
            Kind::Bug => BUG_TYPE_ID,
            Kind::SubTask => SUBTASK_TYPE_ID,
        }
    }

    fn standard(self) -> bool {
        matches!(self, Kind::Story | Kind::Task | Kind::Bug)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum St {
    ToDo,
    InProgress,
    InReview,
    Blocked,
    Done,
    WontDo,
}

impl St {
    fn id(self) -> u64 {
        match self {
            St::ToDo => TODO_STATUS_ID,
            St::InProgress => IN_PROGRESS_STATUS_ID,
            St::InReview => IN_REVIEW_STATUS_ID,
            St::Blocked => BLOCKED_STATUS_ID,
            St::Done => DONE_STATUS_ID,
            St::WontDo => WONT_DO_STATUS_ID,
        }
    }

    fn name(self) -> &'static str {
        match self {
            St::ToDo => "To Do",
            St::InProgress => "In Progress",
            St::InReview => "In Review",
            St::Blocked => "Blocked",
            St::Done => "Done",
            St::WontDo => "Won't Do",
        }
    }

    fn category(self) -> StatusCategory {
        match self {
            St::ToDo => StatusCategory::New,
            St::InProgress | St::InReview | St::Blocked => StatusCategory::Indeterminate,
            St::Done | St::WontDo => StatusCategory::Done,
        }
    }

    fn closed(self) -> bool {
        self.category() == StatusCategory::Done
    }
}

// ---------------------------------------------------------------------------------------
// Reference data
// ---------------------------------------------------------------------------------------

fn users(assets: &Assets) -> Vec<User> {
    assets
        .company
        .users
        .iter()
        .map(|u| User {
            account_id: u.account_id.clone(),
            display_name: u.display_name.clone(),
            email: u.email.clone(),
            active: u.active,
            time_zone: u.time_zone.clone(),
            account_type: u.account_type.clone(),
        })
        .collect()
}

fn credentials(users: &[User]) -> Result<Vec<Credential>, SeedError> {
    [
        (DEMO_EMAIL, DEMO_TOKEN, DEMO_ACCOUNT_ID),
        (DEMO_OTHER_EMAIL, DEMO_OTHER_TOKEN, DEMO_OTHER_ACCOUNT_ID),
    ]
    .into_iter()
    .map(|(email, token, account_id)| {
        let user = users
            .iter()
            .find(|u| u.email.as_deref() == Some(email) && u.account_id == account_id)
            .ok_or_else(|| SeedError::Invalid(format!("no user {account_id} <{email}>")))?;
        Ok(Credential {
            email: email.to_string(),
            token: token.to_string(),
            account_id: user.account_id.clone(),
        })
    })
    .collect()
}

fn issue_types() -> Vec<IssueType> {
    let describe = |k: Kind| match k {
        Kind::Epic => "A big user story that needs to be broken down.",
        Kind::Story => "Functionality or a feature expressed as a user goal.",
        Kind::Task => "A small, distinct piece of work.",
        Kind::Bug => "A problem or error.",
        Kind::SubTask => "A small piece of work that's part of a larger task.",
    };
    Kind::ALL
        .into_iter()
        .map(|k| IssueType {
            id: k.type_id(),
            name: k.name().to_string(),
            description: describe(k).to_string(),
            subtask: k == Kind::SubTask,
            hierarchy_level: match k {
                Kind::Epic => 1,
                Kind::SubTask => -1,
                _ => 0,
            },
        })
        .collect()
}

fn statuses() -> Vec<Status> {
    [
        (St::ToDo, "Work that has not been started."),
        (St::InProgress, "Someone is actively working on this."),
        (
            St::InReview,
            "The work is done and waits for a code or peer review.",
        ),
        (
            St::Blocked,
            "Work cannot continue until something outside it changes.",
        ),
        (St::Done, "The work is finished."),
        (St::WontDo, "The work was declined or is no longer needed."),
    ]
    .into_iter()
    .map(|(s, description)| Status {
        id: s.id(),
        name: s.name().to_string(),
        description: description.to_string(),
        category: s.category(),
    })
    .collect()
}

/// Jira Cloud's default priority scheme and colours.
const PRIORITIES: [(u64, &str, &str, &str); 5] = [
    (1, "Highest", "#d04437", "This problem will block progress."),
    (
        2,
        "High",
        "#f15c75",
        "Serious problem that could block progress.",
    ),
    (
        3,
        "Medium",
        "#f79232",
        "Has the potential to affect progress.",
    ),
    (
        4,
        "Low",
        "#707070",
        "Minor problem or easily worked around.",
    ),
    (
        5,
        "Lowest",
        "#999999",
        "Trivial problem with little or no impact on progress.",
    ),
];
const DEFAULT_PRIORITY_ID: u64 = 3;

fn priorities() -> Vec<Priority> {
    PRIORITIES
        .iter()
        .map(|(id, name, color, description)| Priority {
            id: *id,
            name: name.to_string(),
            description: description.to_string(),
            status_color: color.to_string(),
            is_default: *id == DEFAULT_PRIORITY_ID,
        })
        .collect()
}

fn priority_name(id: u64) -> &'static str {
    PRIORITIES
        .iter()
        .find(|p| p.0 == id)
        .map_or("Medium", |p| p.1)
}

fn resolutions() -> Vec<Resolution> {
    [
        (
            DONE_RESOLUTION_ID,
            "Done",
            "Work has been completed on this issue.",
        ),
        (
            WONT_DO_RESOLUTION_ID,
            "Won't Do",
            "This issue won't be actioned.",
        ),
        (
            DUPLICATE_RESOLUTION_ID,
            "Duplicate",
            "The problem is a duplicate of an existing issue.",
        ),
        (
            CANNOT_REPRODUCE_RESOLUTION_ID,
            "Cannot Reproduce",
            "This issue could not be reproduced at this time.",
        ),
    ]
    .into_iter()
    .map(|(id, name, description)| Resolution {
        id,
        name: name.to_string(),
        description: description.to_string(),
    })
    .collect()
}

fn resolution_name(id: u64) -> &'static str {
    match id {
        WONT_DO_RESOLUTION_ID => "Won't Do",
        DUPLICATE_RESOLUTION_ID => "Duplicate",
        CANNOT_REPRODUCE_RESOLUTION_ID => "Cannot Reproduce",
        _ => "Done",
    }
}

fn link_types() -> Vec<LinkType> {
    [
        (BLOCKS_LINK_TYPE_ID, "Blocks", "is blocked by", "blocks"),
        (CLONERS_LINK_TYPE_ID, "Cloners", "is cloned by", "clones"),
        (
            DUPLICATE_LINK_TYPE_ID,
            "Duplicate",
            "is duplicated by",
            "duplicates",
        ),
        (RELATES_LINK_TYPE_ID, "Relates", "relates to", "relates to"),
    ]
    .into_iter()
    .map(|(id, name, inward, outward)| LinkType {
        id,
        name: name.to_string(),
        inward: inward.to_string(),
        outward: outward.to_string(),
    })
    .collect()
}

const TEAM_OPTION_FIRST_ID: u64 = 10100;
const SEVERITY_OPTION_FIRST_ID: u64 = 10200;

fn options(first_id: u64, values: &[String]) -> Vec<(u64, String)> {
    (first_id..).zip(values.iter().cloned()).collect()
}

fn custom_fields(assets: &Assets) -> Vec<CustomField> {
    let field = |id, name: &str, kind, description: &str| CustomField {
        id,
        name: name.to_string(),
        kind,
        description: description.to_string(),
    };
    vec![
        field(
            TEAM_FIELD,
            "Team",
            CustomFieldKind::Select(options(TEAM_OPTION_FIRST_ID, &assets.company.teams)),
            "The team that owns the work.",
        ),
        field(
            START_DATE_FIELD,
            "Start date",
            CustomFieldKind::Date,
            "When work on the epic is planned to start.",
        ),
        field(
            STORY_POINTS_FIELD,
            "Story Points",
            CustomFieldKind::Number,
            "Measurement of complexity and/or size of a requirement.",
        ),
        field(
            SPRINT_FIELD,
            "Sprint",
            CustomFieldKind::Sprint,
            "Jira Software sprint field",
        ),
        field(
            ACCEPTANCE_CRITERIA_FIELD,
            "Acceptance criteria",
            CustomFieldKind::TextArea,
            "What must be true for the story to be accepted.",
        ),
        field(
            SEVERITY_FIELD,
            "Severity",
            CustomFieldKind::Select(options(
                SEVERITY_OPTION_FIRST_ID,
                &assets.company.severities,
            )),
            "Impact of a bug on customers.",
        ),
        field(
            ROOT_CAUSE_FIELD,
            "Root cause",
            CustomFieldKind::TextArea,
            "Why the bug happened, filled in when it is resolved.",
        ),
        field(
            ROBOT_SERIAL_FIELD,
            "Robot serial number",
            CustomFieldKind::Text,
            "Serial number of the customer's robot, as printed on the chassis.",
        ),
    ]
}

fn select_value((id, value): &(u64, String)) -> Value {
    json!({ "id": id.to_string(), "value": value })
}

/// One workflow for every project. Transition ids step by ten, as Jira numbers them.
fn workflow() -> Workflow {
    use St::*;
    let t = |id, name: &str, from: &[St], to: St, screen: &[&str]| Transition {
        id,
        name: name.to_string(),
        from: from.iter().map(|s| s.id()).collect(),
        to: to.id(),
        screen_fields: screen.iter().map(|f| f.to_string()).collect(),
    };
    Workflow {
        transitions: vec![
            t(
                11,
                "Back to backlog",
                &[InProgress, InReview, Blocked],
                ToDo,
                &[],
            ),
            t(21, "Start progress", &[ToDo], InProgress, &[]),
            t(31, "Send to review", &[InProgress], InReview, &[]),
            t(41, "Request changes", &[InReview], InProgress, &["comment"]),
            t(
                51,
                "Mark blocked",
                &[ToDo, InProgress, InReview],
                Blocked,
                &["comment"],
            ),
            t(61, "Unblock", &[Blocked], InProgress, &[]),
            t(
                71,
                "Done",
                &[ToDo, InProgress, InReview],
                Done,
                &["resolution", "comment"],
            ),
            t(81, "Won't do", &[], WontDo, &["resolution", "comment"]),
            t(91, "Reopen", &[Done, WontDo], ToDo, &["comment"]),
        ],
    }
}

// ---------------------------------------------------------------------------------------
// Projects as the generator sees them
// ---------------------------------------------------------------------------------------

#[derive(Debug)]
struct Member {
    account_id: String,
    /// Last moment the person works here (`Secs::MAX` while employed).
    until: Secs,
}

#[derive(Debug)]
struct VersionRt {
    id: u64,
    name: String,
    release: Option<Secs>,
    released: bool,
}

#[derive(Debug)]
struct SprintRt {
    id: u64,
    name: String,
    start: Secs,
    end: Secs,
    value: Value,
}

#[derive(Debug)]
struct ProjectRt {
    id: u64,
    key: String,
    lead: String,
    repo: String,
    software: bool,
    service_desk: bool,
    kinds: Vec<Kind>,
    kind_weights: Vec<u32>,
    components: Vec<(u64, String)>,
    versions: Vec<VersionRt>,
    members: Vec<Member>,
    /// Customers who raise requests (service desk projects).
    customers: Vec<String>,
    sprints: Vec<SprintRt>,
    teams: Vec<Value>,
}

impl ProjectRt {
    /// Members still working here at `at`.
    fn members_at(&self, at: Secs) -> Vec<&str> {
        self.members
            .iter()
            .filter(|m| m.until >= at)
            .map(|m| m.account_id.as_str())
            .collect()
    }

    fn sprint_at(&self, at: Secs) -> Option<usize> {
        self.sprints
            .iter()
            .position(|s| s.start <= at && at < s.end)
    }

    fn latest_released_before(&self, at: Secs) -> Option<&VersionRt> {
        self.versions
            .iter()
            .filter(|v| v.released && v.release.is_some_and(|r| r <= at))
            .max_by_key(|v| v.release)
    }

    /// The release that shipped work finished at `at`: the first one dated after it.
    fn release_after(&self, at: Secs) -> Option<&VersionRt> {
        self.versions
            .iter()
            .filter(|v| v.release.is_some_and(|r| r >= at))
            .min_by_key(|v| v.release)
    }
}

/// Everything a generator stage needs, plus the store it fills.
struct Seeder<'a> {
    assets: &'a Assets,
    rng: Rng,
    store: Store,
    projects: Vec<ProjectRt>,
    /// accountId -> display name, for mentions and changelog strings.
    names: HashMap<String, String>,
    next_child_id: u64,
}

/// A planned issue: what it is and when things happen to it, before any text exists.
#[derive(Debug, Clone)]
struct Plan {
    project: usize,
    kind: Kind,
    created: Secs,
    parent: Option<usize>,
    timeline: Timeline,
}

/// The status history of an issue: each step is a transition at a time.
#[derive(Debug, Clone, Default)]
struct Timeline {
    steps: Vec<(Secs, St)>,
    resolution: Option<u64>,
    resolved_at: Option<Secs>,
}

impl Timeline {
    fn status(&self) -> St {
        self.steps.last().map_or(St::ToDo, |s| s.1)
    }

    /// When the issue first left To Do.
    fn started(&self) -> Option<Secs> {
        self.steps.iter().find(|s| s.1 != St::ToDo).map(|s| s.0)
    }

    fn last(&self, created: Secs) -> Secs {
        self.steps.last().map_or(created, |s| s.0)
    }
}

/// One changelog entry before it gets an id.
struct Event {
    at: Secs,
    author: String,
    items: Vec<ChangeItem>,
}

fn change(field: &str, from: Option<(String, String)>, to: Option<(String, String)>) -> ChangeItem {
    let field_type = if field == "Sprint" { "custom" } else { "jira" };
    let (from, from_string) = from.map_or((None, None), |(id, s)| (Some(id), Some(s)));
    let (to, to_string) = to.map_or((None, None), |(id, s)| (Some(id), Some(s)));
    ChangeItem {
        field: field.to_string(),
        field_type: field_type.to_string(),
        from,
        from_string,
        to,
        to_string,
    }
}

/// Labels change by their space-separated text only, as Jira records them.
fn labels_change(before: &[String], after: &[String]) -> ChangeItem {
    let text = |l: &[String]| (!l.is_empty()).then(|| l.join(" "));
    ChangeItem {
        field: "labels".into(),
        field_type: "jira".into(),
        from: None,
        from_string: text(before),
        to: None,
        to_string: text(after),
    }
}

impl<'a> Seeder<'a> {
    fn new(assets: &'a Assets) -> Result<Self, SeedError> {
        let mut rng = Rng::new(SEED);
        let users = users(assets);
        let credentials = credentials(&users)?;
        let names = users
            .iter()
            .map(|u| (u.account_id.clone(), u.display_name.clone()))
            .collect();
        let mut store = Store {
            now: Some(now()),
            users,
            credentials,
            issue_types: issue_types(),
            statuses: statuses(),
            priorities: priorities(),
            resolutions: resolutions(),
            link_types: link_types(),
            custom_fields: custom_fields(assets),
            workflow: workflow(),
            ..Store::default()
        };
        let mut projects = Vec::new();
        let mut next_id = FIRST_CHILD_ID;
        for spec in &assets.company.projects {
            let (project, rt) = project(assets, spec, &mut next_id, &mut store.sprints, &mut rng)?;
            store.projects.push(project);
            projects.push(rt);
        }
        Ok(Self {
            assets,
            rng,
            store,
            projects,
            names,
            next_child_id: FIRST_CHILD_ID,
        })
    }

    fn child_id(&mut self) -> u64 {
        let id = self.next_child_id;
        self.next_child_id += 1;
        id
    }
}

fn project(
    assets: &Assets,
    spec: &ProjectSpec,
    next_id: &mut u64,
    sprints: &mut Vec<Sprint>,
    rng: &mut Rng,
) -> Result<(Project, ProjectRt), SeedError> {
    let mut take_id = || {
        let id = *next_id;
        *next_id += 1;
        id
    };
    let components: Vec<Component> = spec
        .components
        .iter()
        .map(|c| Component {
            id: take_id(),
            name: c.name.clone(),
            description: c.description.clone(),
            lead: c.lead.clone(),
        })
        .collect();
    let versions: Vec<Version> = spec
        .versions
        .iter()
        .map(|v| Version {
            id: take_id(),
            name: v.name.clone(),
            description: v.description.clone(),
            released: v.released,
            archived: v.archived,
            release_date: v
                .release_day
                .map(|d| local_date(NOW_UNIX_SECONDS + d * DAY)),
        })
        .collect();
    if !spec.issue_types.iter().any(|(name, _)| name == "Task") {
        // A sub-task without a possible parent falls back to a task.
        return Err(SeedError::Invalid(format!(
            "{}: every project needs Task",
            spec.key
        )));
    }
    let mut kinds = Vec::new();
    let mut kind_weights = Vec::new();
    for (name, weight) in &spec.issue_types {
        let kind = Kind::from_name(name).ok_or_else(|| {
            SeedError::Invalid(format!("{}: unknown issue type {name}", spec.key))
        })?;
        kinds.push(kind);
        kind_weights.push(*weight);
    }
    let members = assets
        .company
        .users
        .iter()
        .filter(|u| u.account_type == "atlassian" && u.projects.contains(&spec.key))
        .map(|u| Member {
            account_id: u.account_id.clone(),
            until: u
                .left_days_ago
                .map_or(Secs::MAX, |d| NOW_UNIX_SECONDS - d * DAY),
        })
        .collect();
    let customers = assets
        .company
        .users
        .iter()
        .filter(|u| u.account_type == "customer" && u.projects.contains(&spec.key))
        .map(|u| u.account_id.clone())
        .collect();
    let team_options = options(TEAM_OPTION_FIRST_ID, &assets.company.teams);
    let teams = team_options
        .iter()
        .filter(|(_, name)| spec.teams.contains(name))
        .map(select_value)
        .collect();
    let sprint_rts = match &spec.sprints {
        Some(s) => project_sprints(s, sprints, rng),
        None => Vec::new(),
    };
    let rt = ProjectRt {
        id: spec.id,
        key: spec.key.clone(),
        lead: spec.lead.clone(),
        repo: spec.repo.clone(),
        software: spec.project_type_key == "software",
        service_desk: spec.project_type_key == "service_desk",
        kinds,
        kind_weights,
        components: components.iter().map(|c| (c.id, c.name.clone())).collect(),
        versions: versions
            .iter()
            .map(|v| VersionRt {
                id: v.id,
                name: v.name.clone(),
                release: v
                    .release_date
                    .and_then(|d| d.and_hms_opt(12, 0, 0))
                    .map(|d| d.and_utc().timestamp()),
                released: v.released,
            })
            .collect(),
        members,
        customers,
        sprints: sprint_rts,
        teams,
    };
    let project = Project {
        id: spec.id,
        key: spec.key.clone(),
        name: spec.name.clone(),
        project_type_key: spec.project_type_key.clone(),
        simplified: spec.style == "next-gen",
        style: spec.style.clone(),
        description: spec.description.clone(),
        lead: spec.lead.clone(),
        category: spec.category.clone(),
        components,
        versions,
        issue_type_ids: rt.kinds.iter().map(|k| k.type_id()).collect(),
    };
    Ok((project, rt))
}

/// Back-to-back sprints covering the history span: closed ones, the active one that
/// contains `now`, and two future ones.
fn project_sprints(
    spec: &assets::SprintSpec,
    all: &mut Vec<Sprint>,
    rng: &mut Rng,
) -> Vec<SprintRt> {
    const FUTURE_SPRINTS: i64 = 2;
    const START_HOUR_UTC: i64 = 8;
    let length = spec.length_days * DAY;
    let today_utc = NOW_UNIX_SECONDS - NOW_UNIX_SECONDS.rem_euclid(DAY);
    let active_start = today_utc - spec.days_into_active * DAY + START_HOUR_UTC * HOUR;
    let closed = (HISTORY_SPAN_SECONDS + length - 1) / length;
    let mut out = Vec::new();
    for (n, k) in (-closed..=FUTURE_SPRINTS).enumerate() {
        let start = active_start + k * length;
        let end = start + length;
        let state = match k {
            k if k < 0 => "closed",
            0 => "active",
            _ => "future",
        };
        let id = all.len() as u64 + 1;
        let name = format!("{} {}", spec.prefix, n + 1);
        let goal = rng.pick(&spec.goals).clone();
        let mut value = json!({
            "id": id,
            "name": name,
            "state": state,
            "boardId": spec.board_id,
            "goal": goal,
        });
        if let Some(obj) = value.as_object_mut().filter(|_| state != "future") {
            obj.insert("startDate".into(), json!(sprint_time(start)));
            obj.insert("endDate".into(), json!(sprint_time(end)));
            if state == "closed" {
                obj.insert("completeDate".into(), json!(sprint_time(end - HOUR)));
            }
        }
        all.push(Sprint {
            id,
            name: name.clone(),
            state: state.to_string(),
            board_id: spec.board_id,
            goal,
            start_date: (state != "future").then(|| ts(start)),
            end_date: (state != "future").then(|| ts(end)),
        });
        out.push(SprintRt {
            id,
            name,
            start,
            end,
            value,
        });
    }
    out
}

// ---------------------------------------------------------------------------------------
// Issue skeletons and status timelines
// ---------------------------------------------------------------------------------------

/// Status paths (after the initial To Do) that end in each final status, with weights.
/// Every consecutive pair is a transition of [`workflow`]; the seed tests check that.
fn paths(last: St) -> &'static [(&'static [St], u32)] {
    use St::*;
    match last {
        ToDo => &[
            (&[], 85),
            (&[InProgress, ToDo], 10),
            (&[InProgress, InReview, Done, ToDo], 5),
        ],
        InProgress => &[
            (&[InProgress], 60),
            (&[InProgress, InReview, InProgress], 20),
            (&[InProgress, Blocked, InProgress], 20),
        ],
        InReview => &[
            (&[InProgress, InReview], 80),
            (&[InProgress, InReview, InProgress, InReview], 20),
        ],
        Blocked => &[(&[InProgress, Blocked], 60), (&[Blocked], 40)],
        Done => &[
            (&[InProgress, InReview, Done], 40),
            (&[InProgress, Done], 20),
            (&[Done], 6),
            (&[InProgress, InReview, InProgress, InReview, Done], 10),
            (&[InProgress, Blocked, InProgress, InReview, Done], 8),
            (
                &[InProgress, InReview, Done, ToDo, InProgress, InReview, Done],
                4,
            ),
        ],
        WontDo => &[
            (&[WontDo], 6),
            (&[InProgress, WontDo], 3),
            (&[Blocked, WontDo], 2),
        ],
    }
}

/// Moves a random moment into office hours (06:00-18:00 UTC, Monday to Friday), when
/// people file issues. Order within a day is kept.
fn working_hours(secs: Secs) -> Secs {
    const OFFICE_START_SECONDS: Secs = 6 * HOUR;
    let day_start = secs - secs.rem_euclid(DAY);
    let into_day = secs - day_start;
    let mut at = day_start + OFFICE_START_SECONDS + into_day / 2;
    // 1970-01-01 was a Thursday: day 2 of a week is Saturday, day 3 Sunday.
    match (day_start / DAY).rem_euclid(7) {
        2 => at -= DAY,
        3 => at -= 2 * DAY,
        _ => {}
    }
    at.min(NOW_UNIX_SECONDS - MIN_ISSUE_AGE_SECONDS)
}

/// How long an issue of a kind typically takes from creation to resolution: (min, max).
fn work_duration(kind: Kind) -> (Secs, Secs) {
    match kind {
        Kind::Epic => (20 * DAY, 150 * DAY),
        Kind::Story => (DAY, 35 * DAY),
        Kind::Task => (HOUR, 20 * DAY),
        Kind::Bug => (2 * HOUR, 25 * DAY),
        Kind::SubTask => (30 * MINUTE, 6 * DAY),
    }
}

/// `n` strictly increasing times in `(from, to]`, the last one exactly `to`.
fn spread(rng: &mut Rng, from: Secs, to: Secs, n: usize) -> Vec<Secs> {
    if n == 0 {
        return Vec::new();
    }
    let span = (to - from).max(n as Secs);
    let mut times: Vec<Secs> = (0..n - 1)
        .map(|_| from + 1 + (rng.unit() * (span - 1) as f64) as Secs)
        .collect();
    times.sort_unstable();
    times.push(from + span);
    for k in (0..n - 1).rev() {
        times[k] = times[k].min(times[k + 1] - 1);
    }
    times
}

fn timeline(rng: &mut Rng, kind: Kind, created: Secs, cap: Option<Secs>) -> Timeline {
    let now = NOW_UNIX_SECONDS;
    let age_days = (now - created) as f64 / DAY as f64;
    let horizon_days = match kind {
        Kind::Epic => 160.0,
        Kind::Story => 45.0,
        Kind::Task => 25.0,
        Kind::Bug => 30.0,
        Kind::SubTask => 15.0,
    };
    let closed = cap.is_some() || rng.chance((age_days / horizon_days).min(0.92));
    let last = if closed {
        if rng.chance(0.1) {
            St::WontDo
        } else {
            St::Done
        }
    } else if kind == Kind::Epic {
        [St::ToDo, St::InProgress][rng.weighted(&[40, 60])]
    } else {
        [St::ToDo, St::InProgress, St::InReview, St::Blocked][rng.weighted(&[45, 30, 12, 13])]
    };
    let options = paths(last);
    let weights: Vec<u32> = options.iter().map(|o| o.1).collect();
    let path = options[rng.weighted(&weights)].0;
    let end = if closed {
        let limit = cap
            .unwrap_or(now - MINUTE)
            .max(created + path.len() as Secs * MINUTE);
        let (lo, hi) = work_duration(kind);
        let duration = lo + ((hi - lo) as f64 * rng.unit().powi(2)) as Secs;
        (created + duration).min(limit)
    } else if path.is_empty() {
        created
    } else {
        // Open work was touched recently more often than long ago.
        let u = rng.unit();
        created + (((now - created) as f64) * (1.0 - 0.9 * u * u)) as Secs
    };
    let times = spread(rng, created, end, path.len());
    let steps: Vec<(Secs, St)> = times.into_iter().zip(path.iter().copied()).collect();
    let (resolution, resolved_at) = match steps.last() {
        Some(&(at, St::Done)) => {
            let roll = rng.unit();
            let res = if kind == Kind::Bug && roll < 0.08 {
                CANNOT_REPRODUCE_RESOLUTION_ID
            } else if kind == Kind::Bug && roll < 0.14 {
                DUPLICATE_RESOLUTION_ID
            } else {
                DONE_RESOLUTION_ID
            };
            (Some(res), Some(at))
        }
        Some(&(at, St::WontDo)) => {
            let res = if rng.chance(0.2) {
                DUPLICATE_RESOLUTION_ID
            } else {
                WONT_DO_RESOLUTION_ID
            };
            (Some(res), Some(at))
        }
        _ => (None, None),
    };
    Timeline {
        steps,
        resolution,
        resolved_at,
    }
}

impl Seeder<'_> {
    /// Decides every issue's project, kind, creation time, parent and status timeline,
    /// and returns them in creation order (parents always before their children).
    fn plan(&mut self, count: usize) -> Vec<Plan> {
        let project_weights: Vec<u32> = self
            .assets
            .company
            .projects
            .iter()
            .map(|p| p.weight)
            .collect();
        let mut top: Vec<Plan> = Vec::new();
        let mut subtasks: Vec<usize> = Vec::new();
        for _ in 0..count {
            let project = self.rng.weighted(&project_weights);
            let rt = &self.projects[project];
            let kind = rt.kinds[self.rng.weighted(&rt.kind_weights)];
            if kind == Kind::SubTask {
                subtasks.push(project);
                continue;
            }
            // Epics are planned ahead, so they skew older; other work skews recent.
            let skew = if kind == Kind::Epic { 0.8 } else { 1.6 };
            let age = MIN_ISSUE_AGE_SECONDS
                + ((HISTORY_SPAN_SECONDS - MIN_ISSUE_AGE_SECONDS) as f64
                    * self.rng.unit().powf(skew)) as Secs;
            top.push(Plan {
                project,
                kind,
                created: NOW_UNIX_SECONDS - age,
                parent: None,
                timeline: Timeline::default(),
            });
        }
        for plan in &mut top {
            plan.created = working_hours(plan.created);
        }
        top.sort_by_key(|p| p.created);
        let mut epics: Vec<Vec<usize>> = vec![Vec::new(); self.projects.len()];
        for i in 0..top.len() {
            top[i].timeline = timeline(&mut self.rng, top[i].kind, top[i].created, None);
            top[i].parent = self.pick_epic(&top, &epics[top[i].project], i);
            if top[i].kind == Kind::Epic {
                epics[top[i].project].push(i);
            }
        }
        let mut parents: Vec<Vec<usize>> = vec![Vec::new(); self.projects.len()];
        for (i, plan) in top.iter().enumerate() {
            if plan.kind.standard() {
                parents[plan.project].push(i);
            }
        }
        let mut all = top;
        for project in subtasks {
            let plan = self.plan_subtask(&all, &parents[project], project);
            all.push(plan);
        }
        // Stable order by creation; parents were created strictly earlier than children.
        let mut order: Vec<usize> = (0..all.len()).collect();
        order.sort_by_key(|&i| (all[i].created, i));
        let mut position = vec![0; all.len()];
        for (pos, &i) in order.iter().enumerate() {
            position[i] = pos;
        }
        order
            .iter()
            .map(|&i| {
                let mut plan = all[i].clone();
                plan.parent = plan.parent.map(|p| position[p]);
                plan
            })
            .collect()
    }

    /// An open epic of the same project for a standard issue, if the project uses epics.
    fn pick_epic(&mut self, plans: &[Plan], epics: &[usize], i: usize) -> Option<usize> {
        let plan = &plans[i];
        if !plan.kind.standard() {
            return None;
        }
        let rt = &self.projects[plan.project];
        let share = if rt.software {
            0.75
        } else if rt.service_desk {
            0.12
        } else {
            0.45
        };
        if !self.rng.chance(share) {
            return None;
        }
        const RECENT_EPICS: usize = 6;
        let candidates: Vec<usize> = epics
            .iter()
            .rev()
            .copied()
            .filter(|&j| {
                let e = &plans[j];
                e.created < plan.created && e.timeline.resolved_at.is_none_or(|r| r > plan.created)
            })
            .take(RECENT_EPICS)
            .collect();
        (!candidates.is_empty()).then(|| *self.rng.pick(&candidates))
    }

    /// A sub-task under a standard issue of the project, created and finished while its
    /// parent was open. Without a suitable parent it becomes a plain task.
    fn plan_subtask(&mut self, plans: &[Plan], parents: &[usize], project: usize) -> Plan {
        const TRIES: usize = 12;
        const MIN_WINDOW_SECONDS: Secs = 30 * MINUTE;
        for _ in 0..TRIES.min(parents.len() * 2) {
            let p = *self.rng.pick(parents);
            let parent = &plans[p];
            let start = parent.created + 10 * MINUTE;
            let end = parent
                .timeline
                .resolved_at
                .unwrap_or(NOW_UNIX_SECONDS - MIN_ISSUE_AGE_SECONDS)
                - 10 * MINUTE;
            if end - start < MIN_WINDOW_SECONDS {
                continue;
            }
            // Sub-tasks are usually split off soon after the parent is picked up.
            let created = start + ((end - start) as f64 * self.rng.unit().powi(2) * 0.8) as Secs;
            let cap = parent.timeline.resolved_at.map(|r| r - MINUTE);
            return Plan {
                project,
                kind: Kind::SubTask,
                created,
                parent: Some(p),
                timeline: timeline(&mut self.rng, Kind::SubTask, created, cap),
            };
        }
        let age = MIN_ISSUE_AGE_SECONDS
            + ((HISTORY_SPAN_SECONDS - MIN_ISSUE_AGE_SECONDS) as f64 * self.rng.unit().powf(1.6))
                as Secs;
        let created = working_hours(NOW_UNIX_SECONDS - age);
        Plan {
            project,
            kind: Kind::Task,
            created,
            parent: None,
            timeline: timeline(&mut self.rng, Kind::Task, created, None),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Texts: slot filling
// ---------------------------------------------------------------------------------------

/// What `{slot}`s in a template resolve to for one issue at one moment.
struct Slots<'s> {
    rt: &'s ProjectRt,
    texts: &'s ProjectTexts,
    names: &'s HashMap<String, String>,
    key: &'s str,
    parent: Option<&'s str>,
    other: Option<&'s str>,
    summary: &'s str,
    assignee: Option<&'s str>,
    reporter: Option<&'s str>,
    /// Who is writing (so `{@peer}` is someone else).
    author: Option<&'s str>,
    /// Project members at `at`.
    peers: &'s [&'s str],
    at: Secs,
}

/// Slot values may contain slots themselves (one level), e.g. an attachment name.
const SLOT_DEPTH: usize = 2;

fn fill(rng: &mut Rng, s: &Slots<'_>, template: &str) -> String {
    fill_depth(rng, s, template, SLOT_DEPTH)
}

fn fill_depth(rng: &mut Rng, s: &Slots<'_>, template: &str, depth: usize) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if is_slot_name(&after[..close]) => {
                out.push_str(&resolve(rng, s, &after[..close], depth));
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn mention(s: &Slots<'_>, account_id: &str) -> String {
    let name = s
        .names
        .get(account_id)
        .map_or("Unknown user", String::as_str);
    format!("@[{account_id}:{name}]")
}

fn date_token(day: NaiveDate) -> String {
    format!("{{date:{}}}", date_node_millis(day))
}

fn resolve(rng: &mut Rng, s: &Slots<'_>, name: &str, depth: usize) -> String {
    let lead = s.rt.lead.as_str();
    let peer = |rng: &mut Rng| -> String {
        let others: Vec<&str> = s
            .peers
            .iter()
            .copied()
            .filter(|p| Some(*p) != s.author)
            .collect();
        if others.is_empty() {
            lead.to_string()
        } else {
            rng.pick(&others).to_string()
        }
    };
    match name {
        "@assignee" => mention(s, s.assignee.unwrap_or(lead)),
        "@reporter" => mention(s, s.reporter.unwrap_or(lead)),
        "@lead" => mention(s, lead),
        "@peer" => {
            let p = peer(rng);
            mention(s, &p)
        }
        "user" => {
            let p = peer(rng);
            s.names.get(&p).cloned().unwrap_or_default()
        }
        "component" => rng.pick(&s.rt.components).1.clone(),
        "version" => {
            let released: Vec<&VersionRt> = s.rt.versions.iter().filter(|v| v.released).collect();
            if released.is_empty() {
                rng.pick(&s.rt.versions).name.clone()
            } else {
                rng.pick(&released).name.clone()
            }
        }
        "next_version" => {
            s.rt.versions
                .iter()
                .find(|v| !v.released)
                .or(s.rt.versions.last())
                .map(|v| v.name.clone())
                .unwrap_or_default()
        }
        "key" => s.key.to_string(),
        "parent" => format!("<<{}>>", browse_url(s.parent.or(s.other).unwrap_or(s.key))),
        "other" => format!("<<{}>>", browse_url(s.other.unwrap_or(s.key))),
        "summary" => s.summary.to_string(),
        "pr" => format!(
            "<<{GITHUB_ORG_URL}/{}/pull/{}>>",
            s.rt.repo,
            rng.range(120, 2400)
        ),
        "sha" => rng.hex(7),
        "build" => rng.range(1200, 9800).to_string(),
        "n" => rng.range(2, 9).to_string(),
        "nn" => rng.range(10, 99).to_string(),
        "nnn" => rng.range(100, 999).to_string(),
        "ms" => rng.range(40, 2500).to_string(),
        "pct" => rng.range(2, 98).to_string(),
        "time" => format!("{:02}:{:02}", rng.range(0, 23), rng.range(0, 59)),
        "today" => date_token(local_date(s.at)),
        "ymd" => local_date(s.at).format("%Y-%m-%d").to_string(),
        other => {
            if let Some(days) = date_offset(other) {
                return date_token(local_date(s.at + days * DAY));
            }
            match s.texts.slots.get(other) {
                Some(values) if depth > 0 => {
                    let value = rng.pick(values).clone();
                    fill_depth(rng, s, &value, depth - 1)
                }
                // Unknown slots are rejected when the assets load; keep the text visible.
                _ => format!("{{{other}}}"),
            }
        }
    }
}

fn adf(rng: &mut Rng, markup_text: &str) -> Value {
    markup::doc(markup::blocks(markup_text, rng))
}

// ---------------------------------------------------------------------------------------
// Issues
// ---------------------------------------------------------------------------------------

/// The borrowed pieces one issue's generation needs (split so the RNG can be mutated
/// while the reference data is read).
struct Gen<'s> {
    rng: &'s mut Rng,
    next_id: &'s mut u64,
    assets: &'s Assets,
    names: &'s HashMap<String, String>,
    rt: &'s ProjectRt,
    texts: &'s ProjectTexts,
}

/// Who did what on an issue, decided before texts are written.
struct People {
    reporter: String,
    creator: String,
    assignee: Option<String>,
}

const COMMENT_COUNT_WEIGHTS: [u32; 9] = [24, 20, 17, 12, 9, 7, 5, 3, 3];
const STORY_POINTS: [(f64, u32); 6] = [
    (1.0, 10),
    (2.0, 20),
    (3.0, 25),
    (5.0, 25),
    (8.0, 15),
    (13.0, 5),
];
const ESTIMATES_HOURS: [i64; 7] = [1, 2, 4, 8, 16, 24, 40];
const ROBOT_MODELS: [&str; 4] = ["AMR200", "AMR350", "PX2", "TUG1"];

impl Seeder<'_> {
    fn issues(&mut self, count: usize) {
        let plans = self.plan(count);
        let mut counters = vec![0u32; self.projects.len()];
        let mut keys: Vec<String> = Vec::with_capacity(plans.len());
        let mut by_project: Vec<Vec<usize>> = vec![Vec::new(); self.projects.len()];
        let mut sprint_sets: Vec<Vec<usize>> = Vec::with_capacity(plans.len());
        let mut summaries: HashSet<String> = HashSet::with_capacity(plans.len());
        for (i, plan) in plans.iter().enumerate() {
            counters[plan.project] += 1;
            keys.push(format!(
                "{}-{}",
                self.projects[plan.project].key, counters[plan.project]
            ));
            const OTHER_WINDOW: usize = 40;
            let recent = &by_project[plan.project];
            let other = recent
                .get(recent.len().saturating_sub(OTHER_WINDOW)..)
                .filter(|r| !r.is_empty())
                .map(|r| keys[*self.rng.pick(r)].clone());
            let parent_sprints = plan.parent.map(|p| sprint_sets[p].clone());
            let mut generator = Gen {
                rng: &mut self.rng,
                next_id: &mut self.next_child_id,
                assets: self.assets,
                names: &self.names,
                rt: &self.projects[plan.project],
                texts: &self.assets.projects[plan.project],
            };
            let parent_key = plan.parent.map(|p| keys[p].as_str());
            let (issue, sprints) = generator.issue(
                FIRST_ISSUE_ID + i as u64,
                &keys[i],
                plan,
                parent_key,
                other.as_deref(),
                parent_sprints,
                &mut summaries,
            );
            self.store.issues.push(issue);
            sprint_sets.push(sprints);
            by_project[plan.project].push(i);
        }
        self.links(&plans);
    }
}

impl Gen<'_> {
    fn id(&mut self) -> u64 {
        let id = *self.next_id;
        *self.next_id += 1;
        id
    }

    fn name(&self, account_id: &str) -> String {
        self.names.get(account_id).cloned().unwrap_or_default()
    }

    #[allow(clippy::too_many_arguments)]
    fn issue(
        &mut self,
        id: u64,
        key: &str,
        plan: &Plan,
        parent: Option<&str>,
        other: Option<&str>,
        parent_sprints: Option<Vec<usize>>,
        summaries: &mut HashSet<String>,
    ) -> (Issue, Vec<usize>) {
        let created = plan.created;
        let tl = &plan.timeline;
        let horizon = self.horizon(plan);
        let people_until = tl.resolved_at.unwrap_or(NOW_UNIX_SECONDS);
        let people = self.people(plan, people_until);
        let mut events: Vec<Event> = Vec::new();
        let assignee = self.status_events(plan, &people, people_until, &mut events);
        let summary = self.summary(plan, key, summaries);
        let peers = self.rt.members_at(created);
        let slots = Slots {
            rt: self.rt,
            texts: self.texts,
            names: self.names,
            key,
            parent,
            other,
            summary: &summary,
            assignee: assignee.as_deref(),
            reporter: Some(people.reporter.as_str()),
            author: Some(people.reporter.as_str()),
            peers: &peers,
            at: created,
        };
        let priority_id = self.priority(plan, horizon, &mut events);
        let labels = self.labels(plan, horizon, &mut events);
        let (fix_version_ids, affects_version_ids) = self.versions(plan, &mut events);
        let sprints = match parent_sprints {
            Some(s) if plan.kind == Kind::SubTask => s,
            _ => self.sprints(plan, horizon, &mut events),
        };
        let mut custom = self.custom_fields(plan, &slots);
        if !sprints.is_empty() {
            let value: Vec<Value> = sprints
                .iter()
                .map(|&s| self.rt.sprints[s].value.clone())
                .collect();
            custom.insert(SPRINT_FIELD, Value::Array(value));
        }
        let attachments = self.attachments(plan, &people, assignee.as_deref(), horizon, &slots);
        let description = self.description(plan, &slots, &attachments);
        let environment = (plan.kind == Kind::Bug && self.rng.chance(0.7)).then(|| {
            let text = self.rng.pick(&self.texts.environments).clone();
            let filled = fill(self.rng, &slots, &text);
            adf(self.rng, &filled)
        });
        let comments = self.comments(plan, &people, assignee.as_deref(), horizon, &slots);
        let changelog = self.changelog(events, created);
        let updated = std::iter::once(created)
            .chain(changelog.iter().map(|h| h.created.timestamp()))
            .chain(comments.iter().map(|c| c.updated.timestamp()))
            .chain(attachments.iter().map(|a| a.created.timestamp()))
            .max()
            .unwrap_or(created);
        let issue = Issue {
            id,
            key: key.to_string(),
            project_id: self.rt.id,
            issue_type_id: plan.kind.type_id(),
            summary,
            description,
            environment,
            status_id: tl.status().id(),
            priority_id: Some(priority_id),
            resolution_id: tl.resolution,
            resolution_date: tl.resolved_at.map(ts),
            status_category_change_date: Some(ts(category_change(tl, created))),
            watchers: self.watchers(&people, assignee.as_deref(), created),
            votes: self.votes(plan),
            assignee,
            reporter: Some(people.reporter),
            creator: Some(people.creator),
            labels,
            component_ids: self.components(plan),
            fix_version_ids,
            affects_version_ids,
            parent: parent.map(str::to_string),
            links: Vec::new(),
            created: ts(created),
            updated: ts(updated),
            due_date: self.due_date(plan),
            comments,
            changelog,
            attachments,
            time_tracking: self.time_tracking(plan),
            custom,
        };
        (issue, sprints)
    }

    /// The last moment anything (a comment, a late edit) happens on the issue.
    fn horizon(&mut self, plan: &Plan) -> Secs {
        let created = plan.created;
        let tl = &plan.timeline;
        let now = NOW_UNIX_SECONDS;
        let h = match tl.resolved_at {
            // Some discussion continues after resolution ("verified on the fleet").
            Some(r) => r + (2.0 * DAY as f64 * self.rng.unit()) as Secs,
            None if tl.steps.is_empty() => {
                created + ((now - created) as f64 * self.rng.unit().powi(2)) as Secs
            }
            None => {
                let last = tl.last(created);
                last + ((now - last) as f64 * self.rng.unit()) as Secs
            }
        };
        h.max(created + 10 * MINUTE).min(now)
    }

    fn people(&mut self, plan: &Plan, until: Secs) -> People {
        let rt = self.rt;
        let created = plan.created;
        let members = rt.members_at(created);
        let reporter = if rt.service_desk && !rt.customers.is_empty() && self.rng.chance(0.75) {
            self.rng.pick(&rt.customers).clone()
        } else if !rt.software && !rt.service_desk && self.rng.chance(0.06) {
            // Scheduled automation files the recurring operations chores.
            BOT_ACCOUNT_ID.to_string()
        } else if !rt.software && !rt.service_desk && self.rng.chance(0.3) {
            // Anyone in the company can ask IT for something.
            let anyone: Vec<&str> = self
                .assets
                .company
                .users
                .iter()
                .filter(|u| u.account_type == "atlassian" && u.active)
                .map(|u| u.account_id.as_str())
                .collect();
            self.rng.pick(&anyone).to_string()
        } else {
            self.rng.pick(&members).to_string()
        };
        let creator = if rt.customers.contains(&reporter) && self.rng.chance(0.15) {
            // An agent logged the request from a phone call on the customer's behalf.
            self.rng.pick(&members).to_string()
        } else {
            reporter.clone()
        };
        let pool = rt.members_at(until);
        let assigned = if plan.timeline.steps.is_empty() {
            0.5
        } else {
            0.45
        };
        let assignee = self
            .rng
            .chance(assigned)
            .then(|| self.rng.pick(&pool).to_string());
        People {
            reporter,
            creator,
            assignee,
        }
    }

    /// Turns the status timeline into changelog entries (with resolution, assignment and
    /// hand-over items alongside) and returns the final assignee.
    fn status_events(
        &mut self,
        plan: &Plan,
        people: &People,
        until: Secs,
        events: &mut Vec<Event>,
    ) -> Option<String> {
        let pool = self.rt.members_at(until);
        let mut assignee = people.assignee.clone();
        let mut status = St::ToDo;
        let mut resolution: Option<u64> = None;
        let steps = &plan.timeline.steps;
        let handover_step = (steps.len() >= 2 && self.rng.chance(0.1)).then_some(steps.len() / 2);
        for (n, &(at, to)) in steps.iter().enumerate() {
            let mut items = Vec::new();
            if to != St::ToDo && assignee.is_none() {
                let who = self.rng.pick(&pool).to_string();
                items.push(change(
                    "assignee",
                    None,
                    Some((who.clone(), self.name(&who))),
                ));
                assignee = Some(who);
            }
            if handover_step == Some(n) {
                let current = assignee.clone();
                let others: Vec<&str> = pool
                    .iter()
                    .copied()
                    .filter(|p| Some(*p) != current.as_deref())
                    .collect();
                if !others.is_empty() {
                    let who = self.rng.pick(&others).to_string();
                    let from = current.map(|c| (c.clone(), self.name(&c)));
                    items.push(change(
                        "assignee",
                        from,
                        Some((who.clone(), self.name(&who))),
                    ));
                    assignee = Some(who);
                }
            }
            items.push(change(
                "status",
                Some((status.id().to_string(), status.name().to_string())),
                Some((to.id().to_string(), to.name().to_string())),
            ));
            if to.closed() {
                let res = if n + 1 == steps.len() {
                    plan.timeline.resolution.unwrap_or(DONE_RESOLUTION_ID)
                } else {
                    DONE_RESOLUTION_ID
                };
                items.push(change(
                    "resolution",
                    None,
                    Some((res.to_string(), resolution_name(res).to_string())),
                ));
                resolution = Some(res);
            } else if let Some(old) = resolution.take() {
                items.push(change(
                    "resolution",
                    Some((old.to_string(), resolution_name(old).to_string())),
                    None,
                ));
            }
            let author = if to == St::Done && self.rt.software && self.rng.chance(0.12) {
                // "When a pull request is merged, transition the issue to Done."
                BOT_ACCOUNT_ID.to_string()
            } else if status.closed() && to == St::ToDo {
                self.person_or_lead(&people.reporter)
            } else {
                assignee
                    .clone()
                    .unwrap_or_else(|| self.person_or_lead(&people.reporter))
            };
            events.push(Event { at, author, items });
            status = to;
        }
        assignee
    }

    /// The reporter if they work here, otherwise the project lead (customers and bots do
    /// not move issues through the workflow).
    fn person_or_lead(&self, account_id: &str) -> String {
        if self.rt.members.iter().any(|m| m.account_id == account_id) {
            account_id.to_string()
        } else {
            self.rt.lead.clone()
        }
    }

    fn summary(&mut self, plan: &Plan, key: &str, seen: &mut HashSet<String>) -> String {
        let pool = self
            .texts
            .summaries
            .get(plan.kind.name())
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        if pool.is_empty() {
            return format!("{} {key}", plan.kind.name());
        }
        let peers: Vec<&str> = Vec::new();
        let slots = Slots {
            rt: self.rt,
            texts: self.texts,
            names: self.names,
            key,
            parent: None,
            other: None,
            summary: "",
            assignee: None,
            reporter: None,
            author: None,
            peers: &peers,
            at: plan.created,
        };
        let mut text = String::new();
        for _ in 0..SUMMARY_RETRIES {
            let template = self.rng.pick(pool);
            text = fill(self.rng, &slots, template);
            if !seen.contains(&text) {
                break;
            }
        }
        seen.insert(text.clone());
        text
    }

    fn priority(&mut self, plan: &Plan, horizon: Secs, events: &mut Vec<Event>) -> u64 {
        let weights: [u32; 5] = match (plan.kind, self.rt.service_desk) {
            (Kind::Bug, _) | (_, true) => [6, 22, 50, 16, 6],
            (Kind::Epic, _) => [2, 30, 60, 8, 0],
            _ => [2, 14, 60, 18, 6],
        };
        let initial = PRIORITIES[self.rng.weighted(&weights)].0;
        if !self.rng.chance(0.08) {
            return initial;
        }
        // Escalated (or calmed down) once after triage.
        let changed = if initial > 1 && self.rng.chance(0.7) {
            initial - 1
        } else {
            (initial % 5) + 1
        };
        let at = plan.created + ((horizon - plan.created) as f64 * self.rng.unit()) as Secs + 1;
        let author = self.rt.lead.clone();
        events.push(Event {
            at: at.min(horizon),
            author,
            items: vec![change(
                "priority",
                Some((initial.to_string(), priority_name(initial).to_string())),
                Some((changed.to_string(), priority_name(changed).to_string())),
            )],
        });
        changed
    }

    fn labels(&mut self, plan: &Plan, horizon: Secs, events: &mut Vec<Event>) -> Vec<String> {
        let own = &self.texts.labels;
        let common = &self.assets.common.labels;
        let count = [0, 1, 1, 2, 2, 3][self.rng.below(6)];
        let mut labels: Vec<String> = Vec::new();
        for _ in 0..count {
            let pool = if self.rng.chance(0.7) { own } else { common };
            let label = self.rng.pick(pool).clone();
            if !labels.contains(&label) {
                labels.push(label);
            }
        }
        if plan.kind == Kind::Bug
            && self.rng.chance(0.15)
            && !labels.iter().any(|l| l == "regression")
        {
            labels.push("regression".into());
        }
        if self.rng.chance(0.1) {
            let before = labels.clone();
            let added = self.rng.pick(own).clone();
            if !labels.contains(&added) {
                labels.push(added);
                let at =
                    plan.created + 1 + ((horizon - plan.created) as f64 * self.rng.unit()) as Secs;
                events.push(Event {
                    at: at.min(horizon),
                    author: self.rt.lead.clone(),
                    items: vec![labels_change(&before, &labels)],
                });
            }
        }
        labels
    }

    fn components(&mut self, plan: &Plan) -> Vec<u64> {
        let count = match plan.kind {
            Kind::Epic => self.rng.weighted(&[50, 50, 0]),
            _ => self.rng.weighted(&[10, 80, 10]),
        };
        let picks = self.rng.sample_indices(self.rt.components.len(), count);
        picks.into_iter().map(|i| self.rt.components[i].0).collect()
    }

    /// Fix versions (set when the work ships, recorded in the changelog) and affected
    /// versions of bugs.
    fn versions(&mut self, plan: &Plan, events: &mut [Event]) -> (Vec<u64>, Vec<u64>) {
        let tl = &plan.timeline;
        let mut fix = Vec::new();
        if tl.status() == St::Done
            && plan.kind != Kind::Epic
            && !self.rt.service_desk
            && self.rng.chance(0.7)
        {
            let release = tl.resolved_at.and_then(|r| self.rt.release_after(r));
            if let Some(v) = release {
                fix.push(v.id);
                if let Some(done) = events.last_mut() {
                    done.items.push(change(
                        "Fix Version",
                        None,
                        Some((v.id.to_string(), v.name.clone())),
                    ));
                }
            }
        } else if !tl.status().closed()
            && self.rt.software
            && self.rng.chance(0.3)
            && let Some(v) = self.rt.versions.iter().find(|v| !v.released)
        {
            fix.push(v.id);
        }
        let mut affects = Vec::new();
        if plan.kind == Kind::Bug
            && self.rng.chance(0.7)
            && let Some(v) = self.rt.latest_released_before(plan.created)
        {
            affects.push(v.id);
        }
        (fix, affects)
    }

    /// Which sprints the issue was in (indices into the project's sprints), with the
    /// changelog entries that put it there.
    fn sprints(&mut self, plan: &Plan, horizon: Secs, events: &mut Vec<Event>) -> Vec<usize> {
        let rt = self.rt;
        if !rt.software || plan.kind == Kind::Epic || rt.sprints.is_empty() {
            return Vec::new();
        }
        let tl = &plan.timeline;
        let created = plan.created;
        let started = tl.started();
        let carried = |idx: usize| -> Vec<usize> {
            let was_open_at_previous_end = idx > 0
                && created < rt.sprints[idx - 1].end
                && started.is_some_and(|s| s < rt.sprints[idx].start);
            if was_open_at_previous_end {
                vec![idx - 1, idx]
            } else {
                vec![idx]
            }
        };
        let list = match (tl.status(), tl.resolved_at) {
            (St::WontDo, _) if self.rng.chance(0.5) => Vec::new(),
            (_, Some(r)) => rt.sprint_at(r).map(carried).unwrap_or_default(),
            (St::ToDo, None) => match (
                self.rng.weighted(&[35, 20, 45]),
                rt.sprint_at(NOW_UNIX_SECONDS),
            ) {
                (0, Some(active)) => vec![active],
                (1, Some(active)) if active + 1 < rt.sprints.len() => vec![active + 1],
                _ => Vec::new(),
            },
            (_, None) => rt
                .sprint_at(NOW_UNIX_SECONDS)
                .map(carried)
                .unwrap_or_default(),
        };
        let Some(&first) = list.first() else {
            return list;
        };
        let limit = tl.resolved_at.unwrap_or(horizon).max(created + 2 * MINUTE);
        let mut added = (created + MINUTE).max(rt.sprints[first].start - DAY);
        if added >= limit {
            added = created + (limit - created) / 2;
        }
        let sprint_ref = |ids: &[usize]| {
            let id = ids
                .iter()
                .map(|&s| rt.sprints[s].id.to_string())
                .collect::<Vec<_>>()
                .join(", ");
            let name = ids
                .iter()
                .map(|&s| rt.sprints[s].name.clone())
                .collect::<Vec<_>>()
                .join(", ");
            (id, name)
        };
        let planner = rt.lead.clone();
        events.push(Event {
            at: added,
            author: planner.clone(),
            items: vec![change("Sprint", None, Some(sprint_ref(&list[..1])))],
        });
        if list.len() > 1 {
            // Closing a sprint moves unfinished work into the next one.
            let moved = rt.sprints[first].end.max(added + MINUTE);
            events.push(Event {
                at: moved,
                author: planner,
                items: vec![change(
                    "Sprint",
                    Some(sprint_ref(&list[..1])),
                    Some(sprint_ref(&list)),
                )],
            });
        }
        list
    }

    fn custom_fields(&mut self, plan: &Plan, slots: &Slots<'_>) -> BTreeMap<u64, Value> {
        let mut custom = BTreeMap::new();
        let rt = self.rt;
        let team_share = if rt.service_desk { 0.5 } else { 0.85 };
        if self.rng.chance(team_share) {
            custom.insert(TEAM_FIELD, self.rng.pick(&rt.teams).clone());
        }
        let estimated = match plan.kind {
            Kind::Story => {
                if plan.timeline.status() == St::ToDo {
                    0.7
                } else {
                    0.92
                }
            }
            Kind::Task => 0.35,
            Kind::Bug => 0.25,
            _ => 0.0,
        };
        if rt.software && self.rng.chance(estimated) {
            let weights: Vec<u32> = STORY_POINTS.iter().map(|p| p.1).collect();
            custom.insert(
                STORY_POINTS_FIELD,
                json!(STORY_POINTS[self.rng.weighted(&weights)].0),
            );
        }
        if plan.kind == Kind::Epic {
            let start = local_date(plan.created + self.rng.range(0, 14) * DAY);
            custom.insert(
                START_DATE_FIELD,
                json!(start.format("%Y-%m-%d").to_string()),
            );
        }
        if plan.kind == Kind::Story && self.rng.chance(0.7) {
            let text = self.rng.pick(&self.texts.acceptance).clone();
            let filled = fill(self.rng, slots, &text);
            custom.insert(ACCEPTANCE_CRITERIA_FIELD, adf(self.rng, &filled));
        }
        if plan.kind == Kind::Bug && self.rng.chance(0.9) {
            let severities = options(SEVERITY_OPTION_FIRST_ID, &self.assets.company.severities);
            let weights: Vec<u32> = (0..severities.len())
                .map(|i| [5, 25, 50, 20].get(i).copied().unwrap_or(10))
                .collect();
            custom.insert(
                SEVERITY_FIELD,
                select_value(&severities[self.rng.weighted(&weights)]),
            );
        }
        if plan.kind == Kind::Bug
            && plan.timeline.resolution == Some(DONE_RESOLUTION_ID)
            && self.rng.chance(0.6)
        {
            let text = self.rng.pick(&self.texts.root_causes).clone();
            let filled = fill(self.rng, slots, &text);
            custom.insert(ROOT_CAUSE_FIELD, adf(self.rng, &filled));
        }
        if rt.service_desk && self.rng.chance(0.7) {
            let model = self.rng.pick(&ROBOT_MODELS);
            let serial = format!("ACME-{model}-{:06}", self.rng.range(1000, 99_999));
            custom.insert(ROBOT_SERIAL_FIELD, json!(serial));
        }
        custom
    }

    fn attachments(
        &mut self,
        plan: &Plan,
        people: &People,
        assignee: Option<&str>,
        horizon: Secs,
        slots: &Slots<'_>,
    ) -> Vec<Attachment> {
        let count = [0, 1, 2, 3, 5][self.rng.weighted(&[75, 12, 7, 4, 2])];
        let mut out = Vec::with_capacity(count);
        for n in 0..count {
            // The first files come with the report; later ones from whoever works on it.
            let (author, at) = if n < count.div_ceil(2) {
                (
                    people.reporter.clone(),
                    plan.created + self.rng.range(MINUTE, 20 * MINUTE),
                )
            } else {
                let who = assignee.map_or_else(|| self.rt.lead.clone(), str::to_string);
                (
                    who,
                    plan.created + 1 + ((horizon - plan.created) as f64 * self.rng.unit()) as Secs,
                )
            };
            let spec = self.rng.pick(&self.texts.attachments);
            let at = at.min(horizon);
            let moment = Slots {
                at,
                ..slots.clone_shallow()
            };
            let filename = fill(self.rng, &moment, &spec.name);
            let size = self
                .rng
                .range(spec.min_kb as i64, spec.max_kb.max(spec.min_kb) as i64)
                as u64
                * 1024
                + self.rng.range(0, 1023) as u64;
            out.push(Attachment {
                id: self.id(),
                filename,
                size,
                mime_type: spec.mime.clone(),
                author,
                created: ts(at),
            });
        }
        out
    }

    fn description(
        &mut self,
        plan: &Plan,
        slots: &Slots<'_>,
        attachments: &[Attachment],
    ) -> Option<Value> {
        let missing = if plan.kind == Kind::SubTask {
            0.45
        } else {
            0.08
        };
        if self.rng.chance(missing) {
            return None;
        }
        let parts = self.texts.descriptions.get(plan.kind.name())?;
        let mut blocks = Vec::new();
        for part in parts {
            if self.rng.chance(part.p) {
                let text = self.rng.pick(&part.options).clone();
                let filled = fill(self.rng, slots, &text);
                blocks.extend(markup::blocks(&filled, self.rng));
            }
        }
        let reported: Vec<&Attachment> = attachments
            .iter()
            .filter(|a| {
                a.author == slots.reporter.unwrap_or_default()
                    && a.created.timestamp() - plan.created <= 20 * MINUTE
            })
            .collect();
        if !reported.is_empty() && self.rng.chance(0.7) {
            blocks.extend(self.media(&reported));
        }
        if blocks.is_empty() {
            return None;
        }
        Some(markup::doc(blocks))
    }

    /// Embedded files, as Jira's editor inserts them: images inline (`mediaSingle`),
    /// other files as a card group. `alt` carries the attachment's file name, which is how
    /// a client maps media back to the issue's attachments.
    fn media(&mut self, files: &[&Attachment]) -> Vec<Value> {
        let mut blocks = Vec::new();
        let mut group = Vec::new();
        for file in files {
            let mut media = json!({
                "type": "media",
                "attrs": { "type": "file", "id": self.rng.uuid(), "collection": "", "alt": file.filename },
            });
            if file.mime_type.starts_with("image/") {
                if let Some(attrs) = media["attrs"].as_object_mut() {
                    attrs.insert("width".into(), json!(1600));
                    attrs.insert("height".into(), json!(900));
                }
                let mut content = vec![media];
                if self.rng.chance(0.4) {
                    content.push(json!({
                        "type": "caption",
                        "content": [{ "type": "text", "text": file.filename }],
                    }));
                }
                blocks.push(json!({
                    "type": "mediaSingle",
                    "attrs": { "layout": "center", "width": 80, "widthType": "percentage" },
                    "content": content,
                }));
            } else {
                group.push(media);
            }
        }
        if !group.is_empty() {
            blocks.push(json!({ "type": "mediaGroup", "content": group }));
        }
        blocks
    }

    fn comments(
        &mut self,
        plan: &Plan,
        people: &People,
        assignee: Option<&str>,
        horizon: Secs,
        slots: &Slots<'_>,
    ) -> Vec<Comment> {
        let rt = self.rt;
        let long_thread = plan.kind != Kind::SubTask && self.rng.below(LONG_THREAD_ONE_IN) == 0;
        let mut count = if long_thread {
            self.rng
                .range(LONG_THREAD_MIN as i64, LONG_THREAD_MAX as i64) as usize
        } else {
            self.rng.weighted(&COMMENT_COUNT_WEIGHTS)
        };
        if plan.kind == Kind::Epic && !long_thread {
            count /= 2;
        }
        let times = spread(self.rng, plan.created, horizon, count);
        let closed_at = plan.timeline.resolved_at;
        let mut out = Vec::with_capacity(count);
        for (n, at) in times.into_iter().enumerate() {
            let frac = (at - plan.created) as f64 / (horizon - plan.created).max(1) as f64;
            let late = closed_at.is_some_and(|r| at >= r) || (closed_at.is_some() && frac > 0.8);
            let members = rt.members_at(at);
            let (author, visibility, template) =
                self.comment_source(rt, people, assignee, &members, frac, late, n);
            let moment = Slots {
                at,
                author: Some(author.as_str()),
                peers: &members,
                ..slots.clone_shallow()
            };
            let text = fill(self.rng, &moment, &template);
            let body = adf(self.rng, &text);
            let edited = self.rng.chance(0.12);
            let updated = if edited {
                (at + self.rng.range(5 * MINUTE, 2 * HOUR)).min(horizon.max(at))
            } else {
                at
            };
            out.push(Comment {
                id: self.id(),
                update_author: author.clone(),
                author,
                body,
                created: ts(at),
                updated: ts(updated),
                visibility,
            });
        }
        out
    }

    /// Who writes the `n`th comment, who may see it, and its template.
    #[allow(clippy::too_many_arguments)]
    fn comment_source(
        &mut self,
        rt: &ProjectRt,
        people: &People,
        assignee: Option<&str>,
        members: &[&str],
        frac: f64,
        late: bool,
        n: usize,
    ) -> (String, Option<(String, String)>, String) {
        let common = &self.assets.common;
        let texts = self.texts;
        if rt.software && late && self.rng.chance(0.12) || (!rt.software && self.rng.chance(0.04)) {
            return (
                BOT_ACCOUNT_ID.to_string(),
                None,
                self.rng.pick(&common.bot_comments).clone(),
            );
        }
        let reporter_is_customer = rt.customers.contains(&people.reporter);
        let roll = self.rng.unit();
        let author = if reporter_is_customer {
            // Support threads alternate between the customer and the agent.
            if n.is_multiple_of(2) {
                people.reporter.clone()
            } else {
                assignee
                    .filter(|a| members.contains(a))
                    .map_or_else(|| self.rng.pick(members).to_string(), str::to_string)
            }
        } else if roll < 0.4 && assignee.is_some_and(|a| members.contains(&a)) {
            assignee.map(str::to_string).unwrap_or_default()
        } else if roll < 0.65 && members.contains(&people.reporter.as_str()) {
            people.reporter.clone()
        } else {
            self.rng.pick(members).to_string()
        };
        if rt.service_desk && author != people.reporter && self.rng.chance(0.25) {
            let note = self.rng.pick(&common.internal_notes).clone();
            return (
                author,
                Some(("role".into(), "Service Desk Team".into())),
                note,
            );
        }
        let visibility = (rt.software && self.rng.chance(0.03))
            .then(|| ("role".to_string(), "Developers".to_string()));
        let phases = match &texts.customer_comments {
            Some(customer) if rt.customers.contains(&author) => customer,
            // Support agents speak to customers in their own voice, not engineering chat.
            _ if rt.service_desk => &texts.comments,
            _ if self.rng.chance(0.75) => &texts.comments,
            _ => &common.comments,
        };
        let pool = if late {
            &phases.late
        } else if frac < 0.3 {
            &phases.early
        } else {
            &phases.middle
        };
        (author, visibility, self.rng.pick(pool).clone())
    }

    fn watchers(&mut self, people: &People, assignee: Option<&str>, created: Secs) -> Vec<String> {
        let mut watchers = vec![people.reporter.clone()];
        if let Some(a) = assignee {
            watchers.push(a.to_string());
        }
        let members = self.rt.members_at(created);
        for _ in 0..self.rng.weighted(&[40, 30, 20, 10]) {
            watchers.push(self.rng.pick(&members).to_string());
        }
        let mut seen = HashSet::new();
        watchers.retain(|w| w != BOT_ACCOUNT_ID && seen.insert(w.clone()));
        watchers
    }

    fn votes(&mut self, plan: &Plan) -> u32 {
        if plan.kind == Kind::Bug || self.rt.service_desk {
            [0, 1, 2, 3, 5, 8, 13][self.rng.weighted(&[50, 15, 12, 9, 7, 4, 3])]
        } else if self.rng.chance(0.05) {
            self.rng.range(1, 3) as u32
        } else {
            0
        }
    }

    fn due_date(&mut self, plan: &Plan) -> Option<NaiveDate> {
        let (share, lo, hi) = match plan.kind {
            Kind::Epic => (0.5, 30, 120),
            _ if self.rt.service_desk => (0.4, 1, 10),
            _ if !self.rt.software => (0.3, 2, 30),
            Kind::Bug | Kind::Story => (0.1, 5, 30),
            _ => (0.05, 3, 20),
        };
        self.rng
            .chance(share)
            .then(|| local_date(plan.created + self.rng.range(lo, hi) * DAY))
    }

    fn time_tracking(&mut self, plan: &Plan) -> TimeTracking {
        let tracked =
            matches!(plan.kind, Kind::Task | Kind::SubTask | Kind::Bug) && !self.rt.service_desk;
        if !tracked || !self.rng.chance(0.35) {
            return TimeTracking::default();
        }
        let original = (*self.rng.pick(&ESTIMATES_HOURS) * HOUR) as u64;
        let status = plan.timeline.status();
        let spent = if status.closed() {
            Some((original as f64 * (0.4 + 1.4 * self.rng.unit())) as u64 / 60 * 60)
        } else if plan.timeline.started().is_some() {
            Some((original as f64 * (0.1 + 0.8 * self.rng.unit())) as u64 / 60 * 60)
        } else {
            None
        };
        let remaining = match spent {
            _ if status.closed() => 0,
            Some(s) => original.saturating_sub(s),
            None => original,
        };
        TimeTracking {
            original_estimate_seconds: Some(original),
            remaining_estimate_seconds: Some(remaining),
            time_spent_seconds: spent,
        }
    }

    /// Orders the events and gives them ids; entries by one person at one moment merge,
    /// as Jira groups the items of one edit into one history.
    fn changelog(&mut self, mut events: Vec<Event>, created: Secs) -> Vec<History> {
        events.sort_by_key(|e| e.at);
        let mut out: Vec<History> = Vec::with_capacity(events.len());
        let mut last: Option<(Secs, String)> = None;
        for event in events {
            // max then min (not clamp): never panics, even for an issue created at `now`.
            let at = event.at.max(created + 1).min(NOW_UNIX_SECONDS);
            if let (Some(prev), Some((t, who))) = (out.last_mut(), &last)
                && *t == at
                && *who == event.author
            {
                prev.items.extend(event.items);
                continue;
            }
            last = Some((at, event.author.clone()));
            out.push(History {
                id: self.id(),
                author: event.author,
                created: ts(at),
                items: event.items,
            });
        }
        out
    }
}

impl<'s> Slots<'s> {
    /// A copy to adjust per moment with struct update syntax.
    fn clone_shallow(&self) -> Slots<'s> {
        Slots { ..*self }
    }
}

/// When the status category last changed (creation counts as entering To Do).
fn category_change(tl: &Timeline, created: Secs) -> Secs {
    let mut at = created;
    let mut category = StatusCategory::New;
    for &(t, s) in &tl.steps {
        if s.category() != category {
            category = s.category();
            at = t;
        }
    }
    at
}

// ---------------------------------------------------------------------------------------
// Links between issues
// ---------------------------------------------------------------------------------------

impl Seeder<'_> {
    fn links(&mut self, plans: &[Plan]) {
        const RECENT: usize = 30;
        let mut seen: HashSet<(u64, usize, usize)> = HashSet::new();
        let mut by_project: Vec<Vec<usize>> = vec![Vec::new(); self.projects.len()];
        let mut software_bugs: Vec<usize> = Vec::new();
        for i in 0..plans.len() {
            let plan = &plans[i];
            let (software, service_desk) = {
                let rt = &self.projects[plan.project];
                (rt.software, rt.service_desk)
            };
            let earlier: Vec<usize> = {
                let list = &by_project[plan.project];
                list[list.len().saturating_sub(RECENT)..].to_vec()
            };
            if !earlier.is_empty() {
                if self.store.issues[i].resolution_id == Some(DUPLICATE_RESOLUTION_ID) {
                    let same_kind: Vec<usize> = earlier
                        .iter()
                        .copied()
                        .filter(|&j| plans[j].kind == plan.kind)
                        .collect();
                    let pool = if same_kind.is_empty() {
                        &earlier
                    } else {
                        &same_kind
                    };
                    let j = *self.rng.pick(pool);
                    self.link(&mut seen, DUPLICATE_LINK_TYPE_ID, i, j);
                }
                if plan.kind != Kind::Epic && !service_desk && self.rng.chance(0.08) {
                    let j = *self.rng.pick(&earlier);
                    if self.rng.chance(0.5) {
                        self.link(&mut seen, BLOCKS_LINK_TYPE_ID, i, j);
                    } else {
                        self.link(&mut seen, BLOCKS_LINK_TYPE_ID, j, i);
                    }
                }
                if self.rng.chance(0.05) {
                    let j = *self.rng.pick(&earlier);
                    self.link(&mut seen, RELATES_LINK_TYPE_ID, i, j);
                }
                if plan.kind != Kind::Epic && self.rng.chance(0.01) {
                    let j = *self.rng.pick(&earlier);
                    self.link(&mut seen, CLONERS_LINK_TYPE_ID, i, j);
                }
            }
            // Customer reports point at the engineering bug that tracks the fix.
            if service_desk && !software_bugs.is_empty() && self.rng.chance(0.3) {
                let window = &software_bugs[software_bugs.len().saturating_sub(RECENT)..];
                let j = *self.rng.pick(window);
                self.link(&mut seen, RELATES_LINK_TYPE_ID, i, j);
            }
            by_project[plan.project].push(i);
            if software && plan.kind == Kind::Bug {
                software_bugs.push(i);
            }
        }
    }

    /// Records one link on both issues: `outward` <outward verb> `inward`.
    fn link(
        &mut self,
        seen: &mut HashSet<(u64, usize, usize)>,
        type_id: u64,
        outward: usize,
        inward: usize,
    ) {
        if outward == inward || !seen.insert((type_id, outward.min(inward), outward.max(inward))) {
            return;
        }
        let id = self.child_id();
        let outward_key = self.store.issues[outward].key.clone();
        let inward_key = self.store.issues[inward].key.clone();
        self.store.issues[outward].links.push(IssueLink {
            id,
            link_type_id: type_id,
            direction: LinkDirection::Outward,
            other_key: inward_key,
        });
        self.store.issues[inward].links.push(IssueLink {
            id,
            link_type_id: type_id,
            direction: LinkDirection::Inward,
            other_key: outward_key,
        });
    }
}
