//! JQL evaluation through `POST /rest/api/3/search/jql` on the fixture store, whose
//! issue table (tests/support/fixture.rs) gives the expected answers.

mod support {
    pub mod fixture;
}

use std::time::{Duration, Instant};

use jtui::emulator::db::Db;
use jtui::emulator::eval::{self, EvalContext};
use support::fixture::{self, Api};

/// Expected results, in `ORDER BY key ASC` order unless the query orders itself.
const CASES: &[(&str, &[&str])] = &[
    (
        "project = ALPHA",
        &[
            "ALPHA-1", "ALPHA-2", "ALPHA-3", "ALPHA-4", "ALPHA-5", "ALPHA-6", "ALPHA-7", "ALPHA-8",
        ],
    ),
    (
        "project = \"Beta Mobile\"",
        &["BETA-1", "BETA-2", "BETA-3", "BETA-10"],
    ),
    (
        "project = 10001",
        &["BETA-1", "BETA-2", "BETA-3", "BETA-10"],
    ),
    (
        "project in (alpha, BETA) AND status = Done",
        &["ALPHA-5", "ALPHA-6", "BETA-2"],
    ),
    ("status = \"In Progress\"", &["ALPHA-2", "BETA-1"]),
    (
        "status in (\"In Progress\", \"In Review\")",
        &["ALPHA-2", "ALPHA-3", "BETA-1"],
    ),
    (
        "status != Done AND project = BETA",
        &["BETA-1", "BETA-3", "BETA-10"],
    ),
    ("status = 10001", &["ALPHA-3"]),
    (
        "statusCategory = \"In Progress\"",
        &["ALPHA-2", "ALPHA-3", "BETA-1"],
    ),
    ("statusCategory = Done", &["ALPHA-5", "ALPHA-6", "BETA-2"]),
    (
        "statusCategory = new AND project = ALPHA",
        &["ALPHA-1", "ALPHA-4", "ALPHA-7", "ALPHA-8"],
    ),
    (
        "statusCategory = \"To Do\" AND project = BETA",
        &["BETA-3", "BETA-10"],
    ),
    ("issuetype = Bug", &["ALPHA-3", "ALPHA-6", "BETA-2"]),
    (
        "type in (Story, Epic) AND project = ALPHA",
        &["ALPHA-1", "ALPHA-2", "ALPHA-7"],
    ),
    (
        "issuetype in standardIssueTypes() AND project = ALPHA",
        &[
            "ALPHA-1", "ALPHA-2", "ALPHA-3", "ALPHA-5", "ALPHA-6", "ALPHA-7", "ALPHA-8",
        ],
    ),
    ("issuetype in subTaskIssueTypes()", &["ALPHA-4"]),
    ("priority = High", &["ALPHA-1", "ALPHA-3", "BETA-2"]),
    (
        "priority > Medium",
        &["ALPHA-1", "ALPHA-2", "ALPHA-3", "ALPHA-6", "BETA-2"],
    ),
    ("priority <= Low", &["ALPHA-5", "ALPHA-7", "BETA-10"]),
    (
        "priority in (Highest, Lowest)",
        &["ALPHA-2", "ALPHA-6", "ALPHA-7"],
    ),
    ("priority is EMPTY", &["ALPHA-8"]),
    (
        "resolution = Unresolved",
        &[
            "ALPHA-1", "ALPHA-2", "ALPHA-3", "ALPHA-4", "ALPHA-7", "ALPHA-8", "BETA-1", "BETA-3",
            "BETA-10",
        ],
    ),
    ("resolution is not EMPTY", &["ALPHA-5", "ALPHA-6", "BETA-2"]),
    (
        "resolution in (\"Won't Do\", Duplicate)",
        &["ALPHA-6", "BETA-2"],
    ),
    ("resolution != Done", &["ALPHA-6", "BETA-2"]),
    (
        "assignee = currentUser()",
        &["ALPHA-1", "ALPHA-3", "ALPHA-8"],
    ),
    ("assignee is EMPTY", &["ALPHA-4", "ALPHA-7", "BETA-3"]),
    (
        "assignee = \"Bob Builder\"",
        &["ALPHA-2", "ALPHA-6", "BETA-2"],
    ),
    ("assignee = \"carol@example.com\"", &["ALPHA-5", "BETA-1"]),
    (
        "assignee != acc-alice AND project = ALPHA",
        &["ALPHA-2", "ALPHA-5", "ALPHA-6"],
    ),
    (
        "assignee in (acc-bob, EMPTY) AND project = ALPHA",
        &["ALPHA-2", "ALPHA-4", "ALPHA-6", "ALPHA-7"],
    ),
    (
        "reporter = currentUser() AND creator = currentUser()",
        &[
            "ALPHA-1", "ALPHA-2", "ALPHA-5", "ALPHA-7", "BETA-3", "BETA-10",
        ],
    ),
    ("labels = frontend", &["ALPHA-2", "ALPHA-7"]),
    ("labels in (payments, export)", &["ALPHA-3", "ALPHA-6"]),
    (
        "labels is EMPTY AND project = ALPHA",
        &["ALPHA-4", "ALPHA-5", "ALPHA-8"],
    ),
    (
        "labels not in (frontend) AND project = ALPHA",
        &["ALPHA-1", "ALPHA-3", "ALPHA-6"],
    ),
    ("component = Backend", &["ALPHA-1", "ALPHA-3"]),
    (
        "component is EMPTY AND project = BETA",
        &["BETA-2", "BETA-3", "BETA-10"],
    ),
    ("fixVersion = \"2.0\"", &["ALPHA-1", "ALPHA-2", "ALPHA-7"]),
    ("fixVersion in releasedVersions()", &["ALPHA-5", "BETA-1"]),
    (
        "fixVersion in unreleasedVersions(ALPHA)",
        &["ALPHA-1", "ALPHA-2", "ALPHA-7"],
    ),
    ("affectedVersion = \"1.0\"", &["ALPHA-2", "ALPHA-3"]),
    ("parent = ALPHA-1", &["ALPHA-2", "ALPHA-3", "ALPHA-7"]),
    (
        "parent in (ALPHA-1, ALPHA-2)",
        &["ALPHA-2", "ALPHA-3", "ALPHA-4", "ALPHA-7"],
    ),
    ("parent = 20002", &["ALPHA-4"]),
    ("summary ~ login", &["ALPHA-2"]),
    ("summary ~ \"payment*\"", &["ALPHA-1", "ALPHA-3"]),
    ("summary ~ payment", &["ALPHA-1", "ALPHA-3"]),
    ("description ~ crashes", &["ALPHA-6"]),
    ("text ~ SAFARI", &["ALPHA-2", "ALPHA-4"]),
    ("comment ~ reproduce", &["ALPHA-2"]),
    ("text ~ \"stories\"", &["ALPHA-6"]),
    (
        "summary !~ login AND project = ALPHA AND status = \"In Progress\"",
        &[],
    ),
    (
        "description !~ users AND project = ALPHA",
        &[
            "ALPHA-1", "ALPHA-3", "ALPHA-4", "ALPHA-5", "ALPHA-6", "ALPHA-8",
        ],
    ),
    ("text ~ \"\\\"login button\\\"\"", &["ALPHA-2"]),
    ("text ~ \"\\\"button login\\\"\"", &[]),
    ("environment ~ production", &["ALPHA-3"]),
    (
        "description is EMPTY AND project = ALPHA",
        &["ALPHA-1", "ALPHA-4", "ALPHA-5", "ALPHA-8"],
    ),
    (
        "created >= \"2024-05-08\"",
        &["ALPHA-3", "ALPHA-4", "ALPHA-8", "BETA-3"],
    ),
    ("created >= -7d", &["ALPHA-4", "ALPHA-8", "BETA-3"]),
    ("created > \"2024/05/14 17:59\"", &["ALPHA-8", "BETA-3"]),
    ("updated >= startOfDay()", &["ALPHA-3", "ALPHA-8"]),
    (
        "updated >= startOfDay(-1)",
        &["ALPHA-2", "ALPHA-3", "ALPHA-8", "BETA-3"],
    ),
    (
        "updated < startOfWeek() AND updated >= startOfWeek(-1)",
        &["ALPHA-1", "ALPHA-6"],
    ),
    ("created < \"2024-02-01 10:00\"", &["BETA-1", "BETA-10"]),
    (
        "createdDate <= now() AND createdDate >= \"2024-05-15\"",
        &["ALPHA-8"],
    ),
    (
        "due <= endOfDay() AND resolution = Unresolved",
        &["ALPHA-8"],
    ),
    ("due = \"2024-05-20\"", &["ALPHA-2"]),
    (
        "duedate is EMPTY AND project = ALPHA",
        &["ALPHA-3", "ALPHA-4", "ALPHA-6", "ALPHA-7"],
    ),
    ("resolved >= startOfMonth()", &["ALPHA-6"]),
    ("resolutiondate < \"2024-04-01\"", &["BETA-2"]),
    (
        "sprint in openSprints()",
        &["ALPHA-2", "ALPHA-3", "ALPHA-4", "ALPHA-6", "ALPHA-7"],
    ),
    ("sprint in closedSprints()", &["ALPHA-2", "ALPHA-5"]),
    (
        "sprint = \"ALPHA Sprint 2\"",
        &["ALPHA-2", "ALPHA-3", "ALPHA-4", "ALPHA-6"],
    ),
    ("sprint = 3", &["ALPHA-7"]),
    (
        "sprint is EMPTY AND project = ALPHA",
        &["ALPHA-1", "ALPHA-8"],
    ),
    (
        "\"Story Points\" > 4",
        &["ALPHA-2", "ALPHA-6", "ALPHA-7", "BETA-1"],
    ),
    ("cf[10016] <= 3", &["ALPHA-3", "ALPHA-5"]),
    (
        "\"story points\" in (5, 13)",
        &["ALPHA-2", "ALPHA-7", "BETA-1"],
    ),
    (
        "\"Story Points\" is EMPTY",
        &[
            "ALPHA-1", "ALPHA-4", "ALPHA-8", "BETA-2", "BETA-3", "BETA-10",
        ],
    ),
    ("Team = Mobile", &["ALPHA-7", "BETA-1"]),
    ("cf[10001] = 10100", &["ALPHA-1", "ALPHA-2"]),
    ("Reviewer = \"Carol Chen\"", &["ALPHA-2"]),
    ("\"Start date\" >= \"2024-05-01\"", &["ALPHA-2"]),
    ("\"Acceptance criteria\" ~ screen", &["ALPHA-7"]),
    ("\"Robot serial number\" ~ RX", &["ALPHA-3"]),
    ("watcher = currentUser()", &["ALPHA-1", "ALPHA-2"]),
    ("issue in watchedIssues()", &["ALPHA-1", "ALPHA-2"]),
    ("votes > 0", &["ALPHA-1", "ALPHA-2"]),
    ("key in (ALPHA-2, beta-10)", &["ALPHA-2", "BETA-10"]),
    ("key > ALPHA-5", &["ALPHA-6", "ALPHA-7", "ALPHA-8"]),
    ("key <= BETA-3", &["BETA-1", "BETA-2", "BETA-3"]),
    ("id = 20003", &["ALPHA-3"]),
    (
        "issuekey != ALPHA-1 AND project = ALPHA AND parent is EMPTY",
        &["ALPHA-5", "ALPHA-6", "ALPHA-8"],
    ),
    ("issue in linkedIssues(ALPHA-2)", &["ALPHA-3"]),
    ("issue in linkedIssues(BETA-1, \"relates to\")", &["BETA-2"]),
    (
        "NOT status = Done AND project = BETA",
        &["BETA-1", "BETA-3", "BETA-10"],
    ),
    (
        "(priority = Highest OR labels = payments) AND NOT issuetype = Bug",
        &["ALPHA-2"],
    ),
    (
        "project = BETA AND (assignee = currentUser() OR assignee is EMPTY)",
        &["BETA-3"],
    ),
    (
        "NOT (project = ALPHA OR status = Done)",
        &["BETA-1", "BETA-3", "BETA-10"],
    ),
];

#[tokio::test]
async fn jql_cases_return_the_expected_issues() {
    let server = fixture::serve(fixture::store()).await;
    let api = Api::alice(&server.base_url);
    let mut failures = Vec::new();
    for (jql, expected) in CASES {
        let ordered = format!("{jql} ORDER BY key ASC");
        let keys = api.keys(&ordered).await;
        if keys != *expected {
            failures.push(format!(
                "{jql}\n   expected {expected:?}\n   got      {keys:?}"
            ));
        }
    }
    assert!(CASES.len() >= 40);
    assert!(
        failures.is_empty(),
        "{} failing:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The counts match the searches (approximate-count shares the evaluator).
#[tokio::test]
async fn approximate_count_agrees_with_search() {
    let server = fixture::serve(fixture::store()).await;
    let api = Api::alice(&server.base_url);
    for (jql, expected) in CASES.iter().take(12) {
        let reply = api
            .post(
                "/rest/api/3/search/approximate-count",
                &serde_json::json!({ "jql": jql }),
            )
            .await;
        assert_eq!(reply.status, 200, "{jql}");
        assert_eq!(
            reply.body,
            serde_json::json!({ "count": expected.len() }),
            "{jql}"
        );
    }
}

const ORDER_CASES: &[(&str, &[&str])] = &[
    // No ORDER BY: key descending, our documented default.
    ("project = BETA", &["BETA-10", "BETA-3", "BETA-2", "BETA-1"]),
    (
        "project = BETA ORDER BY key",
        &["BETA-1", "BETA-2", "BETA-3", "BETA-10"],
    ),
    (
        "project = BETA ORDER BY issuekey DESC",
        &["BETA-10", "BETA-3", "BETA-2", "BETA-1"],
    ),
    (
        "key in (BETA-1, ALPHA-8, ALPHA-2) ORDER BY key",
        &["ALPHA-2", "ALPHA-8", "BETA-1"],
    ),
    // Empty values sort last ascending, so first descending.
    (
        "project = ALPHA ORDER BY priority DESC, key ASC",
        &[
            "ALPHA-8", "ALPHA-2", "ALPHA-6", "ALPHA-1", "ALPHA-3", "ALPHA-4", "ALPHA-5", "ALPHA-7",
        ],
    ),
    (
        "project = ALPHA ORDER BY priority ASC, key ASC",
        &[
            "ALPHA-7", "ALPHA-5", "ALPHA-4", "ALPHA-1", "ALPHA-3", "ALPHA-2", "ALPHA-6", "ALPHA-8",
        ],
    ),
    // Dates default to descending.
    (
        "project = ALPHA ORDER BY created",
        &[
            "ALPHA-8", "ALPHA-4", "ALPHA-3", "ALPHA-6", "ALPHA-2", "ALPHA-5", "ALPHA-1", "ALPHA-7",
        ],
    ),
    (
        "project = ALPHA ORDER BY updated ASC",
        &[
            "ALPHA-7", "ALPHA-5", "ALPHA-6", "ALPHA-1", "ALPHA-4", "ALPHA-2", "ALPHA-8", "ALPHA-3",
        ],
    ),
    (
        "project = ALPHA ORDER BY due ASC",
        &[
            "ALPHA-5", "ALPHA-8", "ALPHA-2", "ALPHA-1", "ALPHA-7", "ALPHA-6", "ALPHA-4", "ALPHA-3",
        ],
    ),
    (
        "project = BETA ORDER BY assignee ASC",
        &["BETA-10", "BETA-2", "BETA-1", "BETA-3"],
    ),
    (
        "project = ALPHA ORDER BY status ASC, key DESC",
        &[
            "ALPHA-8", "ALPHA-7", "ALPHA-4", "ALPHA-1", "ALPHA-2", "ALPHA-3", "ALPHA-6", "ALPHA-5",
        ],
    ),
    (
        "project = ALPHA ORDER BY \"Story Points\" DESC",
        &[
            "ALPHA-8", "ALPHA-4", "ALPHA-1", "ALPHA-7", "ALPHA-6", "ALPHA-2", "ALPHA-3", "ALPHA-5",
        ],
    ),
    (
        "project = ALPHA ORDER BY summary",
        &[
            "ALPHA-6", "ALPHA-7", "ALPHA-2", "ALPHA-3", "ALPHA-1", "ALPHA-8", "ALPHA-5", "ALPHA-4",
        ],
    ),
    (
        "project in (ALPHA, BETA) AND status = Done ORDER BY project ASC, resolved DESC",
        &["ALPHA-6", "ALPHA-5", "BETA-2"],
    ),
];

#[tokio::test]
async fn order_by_sorts_as_jira_does() {
    let server = fixture::serve(fixture::store()).await;
    let api = Api::alice(&server.base_url);
    for (jql, expected) in ORDER_CASES {
        assert_eq!(api.keys(jql).await, *expected, "{jql}");
    }
}

#[tokio::test]
async fn errors_carry_jiras_messages() {
    let server = fixture::serve(fixture::store()).await;
    let api = Api::alice(&server.base_url);
    let cases: &[(&str, &[&str])] = &[
        (
            "foo = bar",
            &["Field 'foo' does not exist or you do not have permission to view it."],
        ),
        (
            "project = NOPE",
            &["The value 'NOPE' does not exist for the field 'project'."],
        ),
        (
            "status = Doing",
            &["The value 'Doing' does not exist for the field 'status'."],
        ),
        (
            "assignee = nobody",
            &["The value 'nobody' does not exist for the field 'assignee'."],
        ),
        (
            "key = ALPHA-99",
            &["An issue with key 'ALPHA-99' does not exist for field 'key'."],
        ),
        (
            "status ~ done",
            &["The operator '~' is not supported by the 'status' field."],
        ),
        (
            "summary = login",
            &["The operator '=' is not supported by the 'summary' field."],
        ),
        (
            "labels > a",
            &["The operator '>' is not supported by the 'labels' field."],
        ),
        (
            "assignee in membersOf(\"devs\")",
            &[
                "Error in the JQL Query: The function 'membersOf' is not supported by the jtui Jira emulator.",
            ],
        ),
        (
            "status = currentUser()",
            &["A value provided by the function 'currentUser' is invalid for the field 'status'."],
        ),
        (
            "created > frobnicate()",
            &["Unable to find JQL function 'frobnicate()'."],
        ),
        (
            "created > \"yesterday\"",
            &[
                "Date value 'yesterday' for field 'created' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.",
            ],
        ),
        (
            "\"Story Points\" > lots",
            &["The value 'lots' is not a valid number for the field 'Story Points'."],
        ),
        (
            "project = ALPHA ORDER BY nonsense",
            &["Field 'nonsense' does not exist or you do not have permission to view it."],
        ),
        (
            "project = ALPHA ORDER BY labels",
            &["Field 'labels' does not support sorting."],
        ),
        (
            "foo = 1 AND project = NOPE",
            &[
                "Field 'foo' does not exist or you do not have permission to view it.",
                "The value 'NOPE' does not exist for the field 'project'.",
            ],
        ),
    ];
    for (jql, expected) in cases {
        assert_eq!(api.search_errors(jql).await, *expected, "{jql}");
    }
    // Syntax errors come from the shared parser, with Jira's prefix.
    let messages = api.search_errors("status = ").await;
    assert_eq!(messages.len(), 1);
    assert!(
        messages[0].starts_with("Error in the JQL Query: "),
        "{messages:?}"
    );
}

/// The evaluator must stay fast on big stores: compiled once, no per-issue lookups by name.
/// Bounds are generous for a debug build on a busy machine; quadratic work would blow them.
#[test]
fn evaluation_over_20000_issues_is_fast() {
    const ISSUES: usize = 20_000;
    const BOUND: Duration = Duration::from_secs(3);
    let mut store = fixture::store();
    let template = store.issues.clone();
    store.issues.clear();
    for n in 0..ISSUES {
        let mut issue = template[n % template.len()].clone();
        let project = if issue.key.starts_with("ALPHA") {
            "ALPHA"
        } else {
            "BETA"
        };
        issue.id = 100_000 + n as u64;
        issue.key = format!("{project}-{}", n + 1);
        issue.parent = None;
        issue.links.clear();
        store.issues.push(issue);
    }
    let built = Instant::now();
    let db = Db::new(store);
    assert!(
        built.elapsed() < BOUND,
        "indexing took {:?}",
        built.elapsed()
    );
    let ctx = EvalContext {
        current_user: Some(fixture::ALICE),
        now: fixture::ts("2024-05-15T10:30"),
    };
    for jql in [
        "text ~ safari AND status != Done ORDER BY priority DESC",
        "project = ALPHA AND \"Story Points\" > 3 ORDER BY created DESC",
        "key > ALPHA-100 AND key < ALPHA-19000 ORDER BY key",
        "assignee = currentUser() OR labels in (frontend, export) ORDER BY summary",
    ] {
        let query = jtui::jql::parse(jql).expect("parses");
        let started = Instant::now();
        let hits = eval::search(&db, &query, &ctx).expect("evaluates");
        let took = started.elapsed();
        assert!(!hits.is_empty(), "{jql}");
        assert!(took < BOUND, "{jql} took {took:?}");
    }
}

/// Searches over the demo dataset agree with counts computed straight from the store, so
/// the evaluator reads the seed's value shapes (sprints, selects, numbers) correctly.
#[tokio::test]
async fn demo_store_searches_agree_with_the_data() {
    use jtui::emulator::seed;
    use jtui::emulator::store::{Issue, Store};

    let store = seed::demo_store(seed::DEMO_ISSUE_COUNT);
    let server = fixture::serve(store.clone()).await;
    let api = Api::new(
        &server.base_url,
        Some(fixture::basic(seed::DEMO_EMAIL, seed::DEMO_TOKEN)),
    );
    let keys_where = |pred: &dyn Fn(&Store, &Issue) -> bool| -> Vec<String> {
        let mut keys: Vec<&Issue> = store.issues.iter().filter(|i| pred(&store, i)).collect();
        keys.sort_by_key(|i| {
            let (p, n) = i.key.rsplit_once('-').expect("key");
            (p.to_owned(), n.parse::<u64>().expect("number"))
        });
        keys.iter().map(|i| i.key.clone()).collect()
    };
    let sprint_ids = |i: &Issue| -> Vec<u64> {
        i.custom
            .get(&seed::SPRINT_FIELD)
            .and_then(|v| v.as_array())
            .map(|a| a.iter().filter_map(|s| s["id"].as_u64()).collect())
            .unwrap_or_default()
    };
    let open: Vec<u64> = store
        .sprints
        .iter()
        .filter(|s| s.state != "closed")
        .map(|s| s.id)
        .collect();
    let nav = store
        .projects
        .iter()
        .find(|p| p.key == "NAV")
        .expect("NAV")
        .id;
    let team = |i: &Issue| {
        i.custom
            .get(&seed::TEAM_FIELD)
            .and_then(|v| v["value"].as_str())
            .map(str::to_owned)
    };
    let some_team = store.issues.iter().find_map(team).expect("a team value");
    let cases: Vec<(String, Vec<String>)> = vec![
        (
            "project = NAV".into(),
            keys_where(&|_, i| i.project_id == nav),
        ),
        (
            "assignee = currentUser()".into(),
            keys_where(&|_, i| i.assignee.as_deref() == Some(seed::DEMO_ACCOUNT_ID)),
        ),
        (
            "resolution = Unresolved".into(),
            keys_where(&|_, i| i.resolution_id.is_none()),
        ),
        (
            "sprint in openSprints()".into(),
            keys_where(&|_, i| sprint_ids(i).iter().any(|s| open.contains(s))),
        ),
        (
            "\"Story Points\" >= 5".into(),
            keys_where(&|_, i| {
                i.custom
                    .get(&seed::STORY_POINTS_FIELD)
                    .and_then(|v| v.as_f64())
                    .is_some_and(|n| n >= 5.0)
            }),
        ),
        (
            format!("Team = \"{some_team}\""),
            keys_where(&|_, i| team(i).as_deref() == Some(some_team.as_str())),
        ),
        (
            "statusCategory = Done".into(),
            keys_where(&|s, i| {
                s.status(i.status_id)
                    .is_some_and(|st| st.category == jtui::emulator::store::StatusCategory::Done)
            }),
        ),
        (
            "parent is not EMPTY AND issuetype = Sub-task".into(),
            keys_where(&|_, i| i.parent.is_some() && i.issue_type_id == seed::SUBTASK_TYPE_ID),
        ),
        (
            "labels is EMPTY".into(),
            keys_where(&|_, i| i.labels.is_empty()),
        ),
        (
            "watcher = currentUser()".into(),
            keys_where(&|_, i| i.watchers.iter().any(|w| w == seed::DEMO_ACCOUNT_ID)),
        ),
    ];
    for (jql, expected) in cases {
        assert!(
            !expected.is_empty(),
            "{jql}: the demo data should have matches"
        );
        let got = api.keys(&format!("{jql} ORDER BY key ASC")).await;
        assert_eq!(got, expected, "{jql}");
    }
    // A word from a summary finds that issue by full-text search.
    let issue = &store.issues[store.issues.len() / 2];
    let word = issue
        .summary
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() >= 6)
        .max_by_key(|w| w.len())
        .expect("a long word");
    let found = api.keys(&format!("summary ~ \"{word}\"")).await;
    assert!(found.contains(&issue.key), "{word} -> {found:?}");
}
