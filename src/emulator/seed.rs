//! The demo dataset: Acme Robotics, a fictional company with four Jira projects, built
//! deterministically from the hand-written texts in `assets/demo/`.
//!
//! `demo_store(n)` backs `jtui demo`, `jtui emulator` and the tests. The same `n` always
//! gives the same store (own PRNG with a constant seed, a fixed `now`), so tests can name
//! issues and counts. Every date is relative to [`NOW_UNIX_SECONDS`]. Generation runs in
//! stages, one module per concern: `reference` (users, projects, workflow, fields,
//! sprints), `plan` (issue skeletons and their status timelines), `issue` (people, fields,
//! texts, attachments, comments and changelog of one issue), `links`, `filters` (saved
//! filters); with `assets` (the embedded JSON), `text` (slot filling) and `markup` (texts
//! to ADF) under them.

mod assets;
mod filters;
mod issue;
mod links;
mod markup;
mod plan;
mod reference;
mod rng;
mod text;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Offset, Utc};
use serde_json::{Value, json};

use self::assets::{Assets, ProjectSpec, ProjectTexts, date_offset, is_slot_name};
use self::plan::*;
use self::reference::*;
use self::rng::Rng;
use self::text::*;
use super::store::{
    Attachment, ChangeItem, Comment, Component, Credential, CustomField, CustomFieldKind, Group,
    History, Issue, IssueLink, IssueType, LinkDirection, LinkType, Priority, Project, Resolution,
    Schemes, ScreenField, Sprint, Status, StatusCategory, Store, TimeTracking, Timestamp,
    Transition, User, Version, Workflow,
};

/// The demo user's login (printed by `jtui emulator`).
pub const DEMO_EMAIL: &str = "dev@acme-robotics.example";
/// The demo user's API token.
pub const DEMO_TOKEN: &str = "jtui-demo-token";
/// The demo user's account id (Dev Patel, an engineer on NAV).
pub const DEMO_ACCOUNT_ID: &str = "712020:5f3c1d2e-8a4b-4c6d-9e0f-1a2b3c4d5e6f";
/// A scoped API token of the demo user: it only works through the gateway prefix
/// `/ex/jira/{cloudId}`, like Atlassian's scoped tokens.
pub const DEMO_SCOPED_TOKEN: &str = "jtui-demo-scoped-token";
/// A second login, a support agent on HELP, for tests that need another user.
pub const DEMO_OTHER_EMAIL: &str = "nina.kowalski@acme-robotics.example";
/// The second user's API token.
pub const DEMO_OTHER_TOKEN: &str = "jtui-demo-token-nina";
/// The second user's account id (Nina Kowalski).
pub const DEMO_OTHER_ACCOUNT_ID: &str = "5d8a3b1c9e7f2a0012b4c6d8";
/// A third login that may only look: Grace Thompson (WEB), whose permissions the site
/// limits to browsing, for least-privilege demos and tests (`jtui status` shows it).
pub const DEMO_VIEWER_EMAIL: &str = "grace.thompson@acme-robotics.example";
/// The viewer's API token.
pub const DEMO_VIEWER_TOKEN: &str = "jtui-demo-token-viewer";
/// The viewer's account id.
pub const DEMO_VIEWER_ACCOUNT_ID: &str = "61c2d3e4f5a6b70072c3d4e5";
/// The only permissions the viewer holds.
pub const DEMO_VIEWER_PERMISSIONS: &[&str] = &["BROWSE_PROJECTS"];
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
pub const REVIEWER_FIELD: u64 = 10039;

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
    seeder.store.filters = filters::filters(&seeder.store.users)?;
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
            permissions: BTreeMap::from([(
                DEMO_VIEWER_ACCOUNT_ID.to_owned(),
                DEMO_VIEWER_PERMISSIONS
                    .iter()
                    .map(|p| (*p).to_owned())
                    .collect(),
            )]),
            ..Store::default()
        };
        let mut projects = Vec::new();
        let mut next_id = FIRST_CHILD_ID;
        for spec in &assets.company.projects {
            let (project, rt) = project(assets, spec, &mut next_id, &mut store.sprints, &mut rng)?;
            store.projects.push(project);
            projects.push(rt);
        }
        store.schemes = schemes(assets, &projects);
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
