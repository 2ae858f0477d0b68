//! A small hand-made store with known answers, and HTTP helpers for talking to the
//! emulator as a plain client (`serde_json::Value`, never the jtui client models).
//!
//! The store: projects ALPHA (8 issues) and BETA (4 issues: BETA-1, -2, -3, -10), four
//! users, three saved filters, "now" fixed at 2024-05-15 10:30 +02:00. The table in
//! `issues()` is the truth the JQL tests are checked against.

#![allow(dead_code)]

use std::collections::BTreeMap;

use base64::Engine;
use chrono::{DateTime, NaiveDate};
use jtui::emulator::server::{RunningEmulator, ServerOptions, start};
use jtui::emulator::store::*;
use serde_json::{Value, json};

pub const ALICE: &str = "acc-alice";
pub const BOB: &str = "acc-bob";
pub const CAROL: &str = "acc-carol";
pub const BOT: &str = "acc-bot";
pub const ALICE_EMAIL: &str = "alice@example.com";
pub const ALICE_TOKEN: &str = "alice-token";
pub const BOB_EMAIL: &str = "bob@example.com";
pub const BOB_TOKEN: &str = "bob-token";

pub const STORY_POINTS: u64 = 10016;
pub const SPRINT: u64 = 10020;
pub const TEAM: u64 = 10001;
pub const START_DATE: u64 = 10015;
pub const ACCEPTANCE: u64 = 10030;
pub const SERIAL: u64 = 10040;
pub const REVIEWER: u64 = 10050;

pub fn ts(text: &str) -> Timestamp {
    DateTime::parse_from_rfc3339(&format!("{text}:00+02:00")).expect("fixture timestamp")
}

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("fixture date")
}

pub fn adf(text: &str) -> Value {
    json!({"type": "doc", "version": 1, "content": [
        {"type": "paragraph", "content": [{"type": "text", "text": text}]}
    ]})
}

fn user(id: &str, name: &str, email: Option<&str>, kind: &str) -> User {
    User {
        account_id: id.into(),
        display_name: name.into(),
        email: email.map(Into::into),
        active: true,
        time_zone: "Europe/Berlin".into(),
        account_type: kind.into(),
    }
}

fn version(id: u64, name: &str, released: bool) -> Version {
    Version {
        id,
        name: name.into(),
        description: format!("Release {name}"),
        released,
        archived: false,
        release_date: released.then(|| date("2024-04-01")),
    }
}

fn component(id: u64, name: &str) -> Component {
    Component {
        id,
        name: name.into(),
        description: format!("{name} work"),
        lead: None,
    }
}

fn status(id: u64, name: &str, category: StatusCategory) -> Status {
    Status {
        id,
        name: name.into(),
        description: format!("{name} status"),
        category,
    }
}

/// One row of the issue table; everything else defaults to empty.
struct Row {
    key: &'static str,
    id: u64,
    kind: u64,
    summary: &'static str,
    status: u64,
    priority: Option<u64>,
    assignee: Option<&'static str>,
    reporter: &'static str,
    created: &'static str,
    updated: &'static str,
}

fn issue(row: Row) -> Issue {
    let project_id = if row.key.starts_with("ALPHA") {
        10000
    } else {
        10001
    };
    Issue {
        id: row.id,
        key: row.key.into(),
        project_id,
        issue_type_id: row.kind,
        summary: row.summary.into(),
        description: None,
        environment: None,
        status_id: row.status,
        priority_id: row.priority,
        resolution_id: None,
        resolution_date: None,
        status_category_change_date: Some(ts(row.updated)),
        assignee: row.assignee.map(Into::into),
        reporter: Some(row.reporter.into()),
        creator: Some(row.reporter.into()),
        labels: Vec::new(),
        component_ids: Vec::new(),
        fix_version_ids: Vec::new(),
        affects_version_ids: Vec::new(),
        parent: None,
        links: Vec::new(),
        created: ts(row.created),
        updated: ts(row.updated),
        due_date: None,
        comments: Vec::new(),
        changelog: Vec::new(),
        watchers: Vec::new(),
        votes: 0,
        attachments: Vec::new(),
        time_tracking: TimeTracking::default(),
        custom: BTreeMap::new(),
    }
}

// Issue types, statuses, priorities, resolutions.
pub const EPIC: u64 = 10000;
pub const STORY: u64 = 10001;
pub const BUG: u64 = 10002;
pub const TASK: u64 = 10003;
pub const SUBTASK: u64 = 10004;
pub const TODO: u64 = 10000;
pub const IN_PROGRESS: u64 = 3;
pub const IN_REVIEW: u64 = 10001;
pub const DONE: u64 = 10002;
const HIGHEST: u64 = 1;
const HIGH: u64 = 2;
const MEDIUM: u64 = 3;
const LOW: u64 = 4;
const LOWEST: u64 = 5;

fn labels(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

fn issues() -> Vec<Issue> {
    let row =
        |key, id, kind, summary, status, priority, assignee, reporter, created, updated| Row {
            key,
            id,
            kind,
            summary,
            status,
            priority,
            assignee,
            reporter,
            created,
            updated,
        };
    let mut a1 = issue(row(
        "ALPHA-1",
        20001,
        EPIC,
        "Payments platform",
        TODO,
        Some(HIGH),
        Some(ALICE),
        ALICE,
        "2024-04-01T09:00",
        "2024-05-10T12:00",
    ));
    a1.labels = labels(&["platform"]);
    a1.component_ids = vec![10100];
    a1.fix_version_ids = vec![10201];
    a1.due_date = Some(date("2024-06-30"));
    a1.watchers = vec![ALICE.into()];
    a1.votes = 2;
    a1.custom
        .insert(TEAM, json!({"id": "10100", "value": "Platform"}));

    let mut a2 = issue(row(
        "ALPHA-2",
        20002,
        STORY,
        "Login page fails on Safari",
        IN_PROGRESS,
        Some(HIGHEST),
        Some(BOB),
        ALICE,
        "2024-05-01T10:00",
        "2024-05-14T16:00",
    ));
    a2.description = Some(adf(
        "Users cannot log in when using Safari. The login button does nothing.",
    ));
    a2.labels = labels(&["frontend", "safari"]);
    a2.component_ids = vec![10101];
    a2.fix_version_ids = vec![10201];
    a2.affects_version_ids = vec![10200];
    a2.parent = Some("ALPHA-1".into());
    a2.due_date = Some(date("2024-05-20"));
    a2.watchers = vec![ALICE.into(), BOB.into()];
    a2.votes = 1;
    a2.comments = vec![
        Comment {
            id: 30001,
            author: ALICE.into(),
            update_author: ALICE.into(),
            body: adf("I can reproduce this on macOS."),
            created: ts("2024-05-02T09:00"),
            updated: ts("2024-05-02T09:00"),
            visibility: None,
        },
        Comment {
            id: 30002,
            author: BOB.into(),
            update_author: BOB.into(),
            body: adf("Fix is in review."),
            created: ts("2024-05-14T16:00"),
            updated: ts("2024-05-14T16:00"),
            visibility: Some(("role".into(), "Developers".into())),
        },
        Comment {
            id: 30003,
            author: CAROL.into(),
            update_author: CAROL.into(),
            body: adf("Thanks, looks good."),
            created: ts("2024-05-14T17:00"),
            updated: ts("2024-05-14T17:00"),
            visibility: None,
        },
    ];
    a2.links = vec![IssueLink {
        id: 40001,
        link_type_id: 10000,
        direction: LinkDirection::Outward,
        other_key: "ALPHA-3".into(),
    }];
    a2.changelog = vec![
        History {
            id: 50001,
            author: BOB.into(),
            created: ts("2024-05-03T09:00"),
            items: vec![ChangeItem {
                field: "status".into(),
                field_type: "jira".into(),
                from: Some(TODO.to_string()),
                from_string: Some("To Do".into()),
                to: Some(IN_PROGRESS.to_string()),
                to_string: Some("In Progress".into()),
            }],
        },
        History {
            id: 50002,
            author: ALICE.into(),
            created: ts("2024-05-01T10:05"),
            items: vec![ChangeItem {
                field: "Sprint".into(),
                field_type: "custom".into(),
                from: None,
                from_string: None,
                to: Some("1".into()),
                to_string: Some("ALPHA Sprint 1".into()),
            }],
        },
    ];
    a2.attachments = vec![Attachment {
        id: 60001,
        filename: "safari.png".into(),
        size: 2048,
        mime_type: "image/png".into(),
        author: BOB.into(),
        created: ts("2024-05-02T09:30"),
    }];
    a2.time_tracking = TimeTracking {
        original_estimate_seconds: Some(8 * 3600),
        remaining_estimate_seconds: Some(6 * 3600),
        time_spent_seconds: Some(2 * 3600),
    };
    a2.custom.insert(STORY_POINTS, json!(5.0));
    a2.custom.insert(SPRINT, json!([{"id": 1}, {"id": 2}]));
    a2.custom
        .insert(TEAM, json!({"id": "10100", "value": "Platform"}));
    a2.custom.insert(START_DATE, json!("2024-05-02"));
    a2.custom.insert(REVIEWER, json!(CAROL));

    let mut a3 = issue(row(
        "ALPHA-3",
        20003,
        BUG,
        "Payment webhook retries forever",
        IN_REVIEW,
        Some(HIGH),
        Some(ALICE),
        CAROL,
        "2024-05-08T08:00",
        "2024-05-15T09:00",
    ));
    a3.description = Some(adf("The webhook endpoint keeps retrying failed payments."));
    a3.environment = Some(adf("Production"));
    a3.labels = labels(&["backend", "payments"]);
    a3.component_ids = vec![10100];
    a3.affects_version_ids = vec![10200];
    a3.parent = Some("ALPHA-1".into());
    a3.links = vec![IssueLink {
        id: 40001,
        link_type_id: 10000,
        direction: LinkDirection::Inward,
        other_key: "ALPHA-2".into(),
    }];
    a3.custom.insert(STORY_POINTS, json!(3));
    a3.custom.insert(SPRINT, json!([{"id": 2}]));
    a3.custom.insert(SERIAL, json!("RX-1000"));

    let mut a4 = issue(row(
        "ALPHA-4",
        20004,
        SUBTASK,
        "Write Safari regression test",
        TODO,
        Some(MEDIUM),
        None,
        BOB,
        "2024-05-13T11:00",
        "2024-05-13T11:00",
    ));
    a4.parent = Some("ALPHA-2".into());
    a4.custom.insert(SPRINT, json!([{"id": 2}]));

    let mut a5 = issue(row(
        "ALPHA-5",
        20005,
        TASK,
        "Upgrade database driver",
        DONE,
        Some(LOW),
        Some(CAROL),
        ALICE,
        "2024-04-10T09:00",
        "2024-04-20T17:00",
    ));
    a5.resolution_id = Some(10000);
    a5.resolution_date = Some(ts("2024-04-20T17:00"));
    a5.fix_version_ids = vec![10200];
    a5.due_date = Some(date("2024-04-19"));
    a5.custom.insert(STORY_POINTS, json!(2));
    a5.custom.insert(SPRINT, json!([{"id": 1}]));

    let mut a6 = issue(row(
        "ALPHA-6",
        20006,
        BUG,
        "Crash when exporting stories to CSV",
        DONE,
        Some(HIGHEST),
        Some(BOB),
        CAROL,
        "2024-05-06T09:00",
        "2024-05-09T10:00",
    ));
    a6.description = Some(adf("Exporting many stories crashes the app."));
    a6.resolution_id = Some(10001);
    a6.resolution_date = Some(ts("2024-05-09T10:00"));
    a6.labels = labels(&["export"]);
    a6.custom.insert(STORY_POINTS, json!(8));
    a6.custom.insert(SPRINT, json!([{"id": 2}]));

    let mut a7 = issue(row(
        "ALPHA-7",
        20007,
        STORY,
        "Dark mode",
        TODO,
        Some(LOWEST),
        None,
        ALICE,
        "2024-03-15T09:00",
        "2024-03-20T09:00",
    ));
    a7.description = Some(adf("Users asked for a dark theme."));
    a7.labels = labels(&["ui", "frontend"]);
    a7.fix_version_ids = vec![10201];
    a7.parent = Some("ALPHA-1".into());
    a7.custom.insert(STORY_POINTS, json!(13));
    a7.custom.insert(SPRINT, json!([{"id": 3}]));
    a7.custom
        .insert(TEAM, json!({"id": "10101", "value": "Mobile"}));
    a7.custom.insert(ACCEPTANCE, adf("Works in every screen."));

    let mut a8 = issue(row(
        "ALPHA-8",
        20008,
        TASK,
        "Quarterly access review",
        TODO,
        None,
        Some(ALICE),
        BOB,
        "2024-05-15T08:00",
        "2024-05-15T08:00",
    ));
    a8.due_date = Some(date("2024-05-15"));

    let mut b1 = issue(row(
        "BETA-1",
        20101,
        STORY,
        "Offline mode for the mobile app",
        IN_PROGRESS,
        Some(MEDIUM),
        Some(CAROL),
        BOB,
        "2024-02-01T09:00",
        "2024-05-12T09:00",
    ));
    b1.component_ids = vec![10102];
    b1.fix_version_ids = vec![10202];
    b1.links = vec![IssueLink {
        id: 40002,
        link_type_id: 10003,
        direction: LinkDirection::Outward,
        other_key: "BETA-2".into(),
    }];
    b1.custom.insert(STORY_POINTS, json!(5));
    b1.custom
        .insert(TEAM, json!({"id": "10101", "value": "Mobile"}));

    let mut b2 = issue(row(
        "BETA-2",
        20102,
        BUG,
        "Push notifications arrive twice",
        DONE,
        Some(HIGH),
        Some(BOB),
        CAROL,
        "2024-02-20T09:00",
        "2024-03-01T12:00",
    ));
    b2.resolution_id = Some(10002);
    b2.resolution_date = Some(ts("2024-03-01T12:00"));
    b2.labels = labels(&["notifications"]);
    b2.links = vec![IssueLink {
        id: 40002,
        link_type_id: 10003,
        direction: LinkDirection::Inward,
        other_key: "BETA-1".into(),
    }];

    let mut b3 = issue(row(
        "BETA-3",
        20103,
        TASK,
        "Prepare app store screenshots",
        TODO,
        Some(MEDIUM),
        None,
        ALICE,
        "2024-05-14T18:00",
        "2024-05-14T18:00",
    ));
    b3.watchers = vec![BOB.into()];

    let b10 = issue(row(
        "BETA-10",
        20110,
        TASK,
        "Localise onboarding",
        TODO,
        Some(LOW),
        Some(BOT),
        ALICE,
        "2024-01-10T09:00",
        "2024-01-10T09:00",
    ));

    vec![a1, a2, a3, a4, a5, a6, a7, a8, b1, b2, b3, b10]
}

/// The fixture store described at the top of this file.
pub fn store() -> Store {
    Store {
        now: Some(ts("2024-05-15T10:30")),
        users: vec![
            user(ALICE, "Alice Archer", Some(ALICE_EMAIL), "atlassian"),
            user(BOB, "Bob Builder", None, "atlassian"),
            user(CAROL, "Carol Chen", Some("carol@example.com"), "atlassian"),
            user(BOT, "Automation Bot", None, "app"),
        ],
        credentials: vec![
            Credential {
                email: ALICE_EMAIL.into(),
                token: ALICE_TOKEN.into(),
                account_id: ALICE.into(),
                scoped: false,
            },
            Credential {
                email: BOB_EMAIL.into(),
                token: BOB_TOKEN.into(),
                account_id: BOB.into(),
                scoped: false,
            },
        ],
        projects: vec![
            Project {
                id: 10000,
                key: "ALPHA".into(),
                name: "Alpha Platform".into(),
                project_type_key: "software".into(),
                style: "classic".into(),
                simplified: false,
                description: "The payments platform.".into(),
                lead: ALICE.into(),
                category: Some("Engineering".into()),
                components: vec![component(10100, "Backend"), component(10101, "Frontend")],
                versions: vec![version(10200, "1.0", true), version(10201, "2.0", false)],
                issue_type_ids: vec![EPIC, STORY, BUG, TASK, SUBTASK],
            },
            Project {
                id: 10001,
                key: "BETA".into(),
                name: "Beta Mobile".into(),
                project_type_key: "business".into(),
                style: "next-gen".into(),
                simplified: true,
                description: "The mobile app.".into(),
                lead: BOB.into(),
                category: None,
                components: vec![component(10102, "Mobile")],
                versions: vec![version(10202, "0.9", true)],
                issue_type_ids: vec![STORY, BUG, TASK],
            },
        ],
        issue_types: vec![
            IssueType {
                id: EPIC,
                name: "Epic".into(),
                description: "A big user story.".into(),
                subtask: false,
                hierarchy_level: 1,
            },
            IssueType {
                id: STORY,
                name: "Story".into(),
                description: "A user story.".into(),
                subtask: false,
                hierarchy_level: 0,
            },
            IssueType {
                id: BUG,
                name: "Bug".into(),
                description: "A problem.".into(),
                subtask: false,
                hierarchy_level: 0,
            },
            IssueType {
                id: TASK,
                name: "Task".into(),
                description: "A task.".into(),
                subtask: false,
                hierarchy_level: 0,
            },
            IssueType {
                id: SUBTASK,
                name: "Sub-task".into(),
                description: "Part of a task.".into(),
                subtask: true,
                hierarchy_level: -1,
            },
        ],
        statuses: vec![
            status(TODO, "To Do", StatusCategory::New),
            status(IN_PROGRESS, "In Progress", StatusCategory::Indeterminate),
            status(IN_REVIEW, "In Review", StatusCategory::Indeterminate),
            status(DONE, "Done", StatusCategory::Done),
        ],
        priorities: [
            (HIGHEST, "Highest", "#d04437"),
            (HIGH, "High", "#f15c75"),
            (MEDIUM, "Medium", "#f79232"),
            (LOW, "Low", "#707070"),
            (LOWEST, "Lowest", "#999999"),
        ]
        .iter()
        .map(|(id, name, colour)| Priority {
            id: *id,
            name: (*name).into(),
            description: format!("{name} priority"),
            status_color: (*colour).into(),
            is_default: *id == MEDIUM,
        })
        .collect(),
        resolutions: vec![
            Resolution {
                id: 10000,
                name: "Done".into(),
                description: "Work is done.".into(),
            },
            Resolution {
                id: 10001,
                name: "Won't Do".into(),
                description: "Will not be done.".into(),
            },
            Resolution {
                id: 10002,
                name: "Duplicate".into(),
                description: "Duplicate issue.".into(),
            },
        ],
        link_types: vec![
            LinkType {
                id: 10000,
                name: "Blocks".into(),
                inward: "is blocked by".into(),
                outward: "blocks".into(),
            },
            LinkType {
                id: 10003,
                name: "Relates".into(),
                inward: "relates to".into(),
                outward: "relates to".into(),
            },
        ],
        custom_fields: vec![
            CustomField {
                id: TEAM,
                name: "Team".into(),
                kind: CustomFieldKind::Select(vec![
                    (10100, "Platform".into()),
                    (10101, "Mobile".into()),
                ]),
                description: String::new(),
            },
            CustomField {
                id: START_DATE,
                name: "Start date".into(),
                kind: CustomFieldKind::Date,
                description: String::new(),
            },
            CustomField {
                id: STORY_POINTS,
                name: "Story Points".into(),
                kind: CustomFieldKind::Number,
                description: String::new(),
            },
            CustomField {
                id: SPRINT,
                name: "Sprint".into(),
                kind: CustomFieldKind::Sprint,
                description: String::new(),
            },
            CustomField {
                id: ACCEPTANCE,
                name: "Acceptance criteria".into(),
                kind: CustomFieldKind::TextArea,
                description: String::new(),
            },
            CustomField {
                id: SERIAL,
                name: "Robot serial number".into(),
                kind: CustomFieldKind::Text,
                description: String::new(),
            },
            CustomField {
                id: REVIEWER,
                name: "Reviewer".into(),
                kind: CustomFieldKind::User,
                description: String::new(),
            },
        ],
        sprints: vec![
            Sprint {
                id: 1,
                name: "ALPHA Sprint 1".into(),
                state: "closed".into(),
                board_id: 1,
                project: "ALPHA".into(),
                goal: "Ship login".into(),
                start_date: Some(ts("2024-04-15T09:00")),
                end_date: Some(ts("2024-04-29T09:00")),
            },
            Sprint {
                id: 2,
                name: "ALPHA Sprint 2".into(),
                state: "active".into(),
                board_id: 1,
                project: "ALPHA".into(),
                goal: String::new(),
                start_date: Some(ts("2024-05-06T09:00")),
                end_date: Some(ts("2024-05-20T09:00")),
            },
            Sprint {
                id: 3,
                name: "ALPHA Sprint 3".into(),
                state: "future".into(),
                board_id: 1,
                project: "ALPHA".into(),
                goal: String::new(),
                start_date: None,
                end_date: None,
            },
        ],
        workflow: Workflow {
            transitions: vec![
                Transition {
                    id: 11,
                    name: "To Do".into(),
                    from: vec![],
                    to: TODO,
                    screen_fields: vec![],
                },
                Transition {
                    id: 21,
                    name: "Start".into(),
                    from: vec![TODO],
                    to: IN_PROGRESS,
                    screen_fields: vec![],
                },
                Transition {
                    id: 31,
                    name: "Review".into(),
                    from: vec![IN_PROGRESS],
                    to: IN_REVIEW,
                    screen_fields: vec![],
                },
                Transition {
                    id: 41,
                    name: "Done".into(),
                    from: vec![IN_PROGRESS, IN_REVIEW],
                    to: DONE,
                    screen_fields: vec!["resolution".into()],
                },
                Transition {
                    id: 51,
                    name: "Reopen".into(),
                    from: vec![DONE],
                    to: TODO,
                    screen_fields: vec![],
                },
            ],
        },
        issues: issues(),
        filters: filters(),
        permissions: BTreeMap::new(),
        schemes: Schemes::default(),
    }
}

pub const ALPHA_BUGS_FILTER: u64 = 10000;
pub const BOB_PRIVATE_FILTER: u64 = 10001;
pub const IN_REVIEW_FILTER: u64 = 10002;

/// Alice sees her shared "Alpha bugs" and Carol's shared "Everything in review"; Bob's
/// private list is his alone.
fn filters() -> Vec<Filter> {
    let filter =
        |id, name: &str, description: &str, jql: &str, owner: &str, favourites: &[&str], shared| {
            Filter {
                id,
                name: name.into(),
                description: description.into(),
                jql: jql.into(),
                owner: owner.into(),
                favourite_of: favourites.iter().map(|a| (*a).to_owned()).collect(),
                shared,
            }
        };
    vec![
        filter(
            ALPHA_BUGS_FILTER,
            "Alpha bugs",
            "Every bug in ALPHA.",
            "project = ALPHA AND type = Bug ORDER BY key",
            ALICE,
            &[ALICE, BOB],
            true,
        ),
        filter(
            BOB_PRIVATE_FILTER,
            "Bob's private list",
            "",
            "assignee = currentUser()",
            BOB,
            &[BOB],
            false,
        ),
        filter(
            IN_REVIEW_FILTER,
            "Everything in review",
            "",
            "status = \"In Review\"",
            CAROL,
            &[],
            true,
        ),
    ]
}

/// A running emulator over `store`, on an ephemeral loopback port.
pub async fn serve(store: Store) -> RunningEmulator {
    start(store, ServerOptions::default())
        .await
        .expect("emulator binds 127.0.0.1:0")
}

/// `Basic base64(email:token)`.
pub fn basic(email: &str, token: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{email}:{token}"))
    )
}

/// A plain HTTP client bound to one emulator and one identity.
#[derive(Debug, Clone)]
pub struct Api {
    pub base: String,
    pub auth: Option<String>,
    http: reqwest::Client,
}

/// A response: status, selected headers and the JSON body (`Null` when empty or not JSON).
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Api {
    pub fn new(base: &str, auth: Option<String>) -> Self {
        Self {
            base: base.to_owned(),
            auth,
            http: reqwest::Client::new(),
        }
    }

    /// As Alice, the fixture's main user.
    pub fn alice(base: &str) -> Self {
        Self::new(base, Some(basic(ALICE_EMAIL, ALICE_TOKEN)))
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> Reply {
        let request = match &self.auth {
            Some(auth) => request.header("Authorization", auth),
            None => request,
        };
        let response = request.send().await.expect("request reaches the emulator");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.expect("body reads");
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Reply {
            status,
            headers,
            body,
        }
    }

    /// GET `path` (starting with `/`) with query pairs (repeats allowed).
    pub async fn get(&self, path: &str, query: &[(&str, &str)]) -> Reply {
        self.send(self.http.get(format!("{}{path}", self.base)).query(query))
            .await
    }

    pub async fn post(&self, path: &str, body: &Value) -> Reply {
        self.send(self.http.post(format!("{}{path}", self.base)).json(body))
            .await
    }

    pub async fn put(&self, path: &str, body: &Value) -> Reply {
        self.send(self.http.put(format!("{}{path}", self.base)).json(body))
            .await
    }

    pub async fn delete(&self, path: &str) -> Reply {
        self.send(self.http.delete(format!("{}{path}", self.base)))
            .await
    }

    /// Any method, with query pairs and an optional JSON body.
    pub async fn request(
        &self,
        method: &str,
        path: &str,
        query: &[(&str, &str)],
        body: Option<&Value>,
    ) -> Reply {
        let method = reqwest::Method::from_bytes(method.to_ascii_uppercase().as_bytes())
            .expect("an HTTP method");
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.base))
            .query(query);
        if let Some(body) = body {
            request = request.json(body);
        }
        self.send(request).await
    }

    pub async fn post_raw(&self, path: &str, content_type: Option<&str>, body: &str) -> Reply {
        let mut request = self
            .http
            .post(format!("{}{path}", self.base))
            .body(body.to_owned());
        if let Some(content_type) = content_type {
            request = request.header("Content-Type", content_type);
        }
        self.send(request).await
    }

    /// The keys a JQL query returns, in order, following every page.
    pub async fn keys(&self, jql: &str) -> Vec<String> {
        let mut keys = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let mut body = json!({ "jql": jql, "fields": ["key"], "maxResults": 100 });
            if let Some(t) = &token {
                body["nextPageToken"] = json!(t);
            }
            let reply = self.post("/rest/api/3/search/jql", &body).await;
            assert_eq!(reply.status, 200, "{jql}: {}", reply.body);
            for issue in reply.body["issues"].as_array().expect("issues") {
                keys.push(issue["key"].as_str().expect("key").to_owned());
            }
            match reply.body["nextPageToken"].as_str() {
                Some(t) => token = Some(t.to_owned()),
                None => return keys,
            }
        }
    }

    /// The `errorMessages` of a search that must fail with 400.
    pub async fn search_errors(&self, jql: &str) -> Vec<String> {
        let reply = self
            .post("/rest/api/3/search/jql", &json!({ "jql": jql }))
            .await;
        assert_eq!(reply.status, 400, "{jql}: {}", reply.body);
        assert_eq!(reply.body["errors"], json!({}), "{jql}");
        reply.body["errorMessages"]
            .as_array()
            .expect("errorMessages")
            .iter()
            .map(|m| m.as_str().expect("string").to_owned())
            .collect()
    }
}
