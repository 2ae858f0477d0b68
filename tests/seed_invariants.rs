//! The demo dataset is deterministic, realistic in shape, and internally consistent at any
//! size: what the emulator serves from it must be something Jira could have produced.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use jtui::emulator::seed::{self, demo_store};
use jtui::emulator::store::{
    CustomFieldKind, History, Issue, LinkDirection, StatusCategory, Store, Timestamp,
};

fn assert_same(a: &Store, b: &Store) {
    assert_eq!(a.now, b.now);
    assert_eq!(a.users, b.users);
    assert_eq!(a.credentials, b.credentials);
    assert_eq!(a.projects, b.projects);
    assert_eq!(a.issue_types, b.issue_types);
    assert_eq!(a.statuses, b.statuses);
    assert_eq!(a.priorities, b.priorities);
    assert_eq!(a.resolutions, b.resolutions);
    assert_eq!(a.link_types, b.link_types);
    assert_eq!(a.custom_fields, b.custom_fields);
    assert_eq!(a.sprints, b.sprints);
    assert_eq!(a.workflow, b.workflow);
    assert_eq!(a.issues, b.issues);
}

#[test]
fn same_count_same_store() {
    assert_same(&demo_store(600), &demo_store(600));
    let small = demo_store(50);
    assert_eq!(small.issues.len(), 50);
    assert_ne!(small.issues, demo_store(600).issues[..50].to_vec());
}

#[test]
fn now_is_fixed() {
    let store = demo_store(10);
    let now = store.now.unwrap();
    assert_eq!(now.to_rfc3339(), "2026-11-20T16:00:00+01:00");
    assert_eq!(now.timestamp(), seed::NOW_UNIX_SECONDS);
    assert_eq!(seed::now(), now);
}

#[test]
fn demo_credentials_log_in_as_real_users() {
    let store = demo_store(10);
    let demo = store
        .credentials
        .iter()
        .find(|c| c.email == seed::DEMO_EMAIL)
        .unwrap();
    assert_eq!(demo.token, seed::DEMO_TOKEN);
    assert_eq!(demo.account_id, seed::DEMO_ACCOUNT_ID);
    let other = store
        .credentials
        .iter()
        .find(|c| c.email == seed::DEMO_OTHER_EMAIL)
        .unwrap();
    assert_eq!(other.token, seed::DEMO_OTHER_TOKEN);
    assert_eq!(other.account_id, seed::DEMO_OTHER_ACCOUNT_ID);
    assert_ne!(demo.account_id, other.account_id);
    for c in &store.credentials {
        let user = store.user(&c.account_id).unwrap();
        assert!(user.active && user.account_type == "atlassian");
        assert_eq!(user.email.as_deref(), Some(c.email.as_str()));
    }
}

#[test]
fn organisation_is_varied() {
    let store = demo_store(10);
    let people: Vec<_> = store
        .users
        .iter()
        .filter(|u| u.account_type == "atlassian")
        .collect();
    assert!(people.len() >= 12, "{} people", people.len());
    assert!(
        store
            .users
            .iter()
            .any(|u| u.email.is_none() && u.account_type == "atlassian"),
        "hidden email"
    );
    assert!(store.users.iter().any(|u| !u.active), "inactive user");
    assert!(store.users.iter().any(|u| u.account_type == "app"), "bot");
    assert!(
        store.users.iter().any(|u| u.account_type == "customer"),
        "service desk customer"
    );
    let zones: BTreeSet<&str> = store.users.iter().map(|u| u.time_zone.as_str()).collect();
    assert!(zones.len() >= 10, "time zones: {zones:?}");
    let ids: HashSet<&str> = store.users.iter().map(|u| u.account_id.as_str()).collect();
    assert_eq!(ids.len(), store.users.len(), "account ids are unique");

    assert!(store.projects.len() >= 4);
    let types: BTreeSet<&str> = store
        .projects
        .iter()
        .map(|p| p.project_type_key.as_str())
        .collect();
    assert_eq!(
        types,
        BTreeSet::from(["business", "service_desk", "software"])
    );
    let styles: BTreeSet<&str> = store.projects.iter().map(|p| p.style.as_str()).collect();
    assert_eq!(styles, BTreeSet::from(["classic", "next-gen"]));
    for p in &store.projects {
        assert_eq!(p.simplified, p.style == "next-gen");
        assert!(store.user(&p.lead).is_some(), "{} lead", p.key);
        assert!(!p.components.is_empty(), "{} components", p.key);
        for c in &p.components {
            assert!(c.lead.as_deref().is_none_or(|l| store.user(l).is_some()));
        }
        assert!(
            p.versions.iter().any(|v| v.released),
            "{} released version",
            p.key
        );
        assert!(
            p.versions.iter().any(|v| !v.released),
            "{} unreleased version",
            p.key
        );
        let levels: BTreeSet<i32> = p
            .issue_type_ids
            .iter()
            .map(|id| {
                store
                    .issue_types
                    .iter()
                    .find(|t| t.id == *id)
                    .unwrap()
                    .hierarchy_level
            })
            .collect();
        assert_eq!(levels, BTreeSet::from([-1, 0, 1]), "{} hierarchy", p.key);
        assert!(
            p.issue_type_ids.contains(&seed::BUG_TYPE_ID),
            "{} has bugs",
            p.key
        );
    }
}

#[test]
fn reference_data_matches_jira_defaults() {
    let store = demo_store(10);
    let levels: Vec<(&str, i32, bool)> = store
        .issue_types
        .iter()
        .map(|t| (t.name.as_str(), t.hierarchy_level, t.subtask))
        .collect();
    assert_eq!(
        levels,
        [
            ("Epic", 1, false),
            ("Story", 0, false),
            ("Task", 0, false),
            ("Bug", 0, false),
            ("Sub-task", -1, true)
        ]
    );
    let statuses: Vec<(&str, StatusCategory)> = store
        .statuses
        .iter()
        .map(|s| (s.name.as_str(), s.category))
        .collect();
    assert_eq!(
        statuses,
        [
            ("To Do", StatusCategory::New),
            ("In Progress", StatusCategory::Indeterminate),
            ("In Review", StatusCategory::Indeterminate),
            ("Blocked", StatusCategory::Indeterminate),
            ("Done", StatusCategory::Done),
            ("Won't Do", StatusCategory::Done),
        ]
    );
    let priorities: Vec<&str> = store.priorities.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(priorities, ["Highest", "High", "Medium", "Low", "Lowest"]);
    assert_eq!(store.priorities.iter().filter(|p| p.is_default).count(), 1);
    assert!(
        store
            .priorities
            .iter()
            .all(|p| p.status_color.len() == 7 && p.status_color.starts_with('#'))
    );
    let resolutions: BTreeSet<&str> = store.resolutions.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(
        resolutions,
        BTreeSet::from(["Cannot Reproduce", "Done", "Duplicate", "Won't Do"])
    );
    let links: BTreeSet<&str> = store.link_types.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(
        links,
        BTreeSet::from(["Blocks", "Cloners", "Duplicate", "Relates"])
    );
    let blocks = store
        .link_types
        .iter()
        .find(|l| l.name == "Blocks")
        .unwrap();
    assert_eq!(
        (blocks.inward.as_str(), blocks.outward.as_str()),
        ("is blocked by", "blocks")
    );

    let field = |id: u64| store.custom_fields.iter().find(|f| f.id == id).unwrap();
    assert_eq!(
        (field(10016).name.as_str(), &field(10016).kind),
        ("Story Points", &CustomFieldKind::Number)
    );
    assert_eq!(
        (field(10020).name.as_str(), &field(10020).kind),
        ("Sprint", &CustomFieldKind::Sprint)
    );
    assert!(matches!(&field(10001).kind, CustomFieldKind::Select(o) if o.len() >= 4));
    assert!(
        matches!(&field(seed::SEVERITY_FIELD).kind, CustomFieldKind::Select(o) if o.len() == 4)
    );
    assert_eq!(
        field(seed::ACCEPTANCE_CRITERIA_FIELD).kind,
        CustomFieldKind::TextArea
    );

    // The workflow connects every status, and closing transitions ask for a resolution.
    let status_ids: HashSet<u64> = store.statuses.iter().map(|s| s.id).collect();
    for t in &store.workflow.transitions {
        assert!(status_ids.contains(&t.to));
        assert!(t.from.iter().all(|f| status_ids.contains(f)));
    }
    for name in ["Done", "Won't Do"] {
        let to = store.statuses.iter().find(|s| s.name == name).unwrap().id;
        let t = store
            .workflow
            .transitions
            .iter()
            .find(|t| t.to == to)
            .unwrap();
        assert!(
            t.screen_fields.iter().any(|f| f == "resolution"),
            "{name} screen"
        );
        assert!(
            t.screen_fields.iter().any(|f| f == "comment"),
            "{name} screen"
        );
    }
    for s in &store.statuses {
        let reachable = store.workflow.transitions.iter().any(|t| t.to == s.id);
        let leavable = store
            .workflow
            .transitions
            .iter()
            .any(|t| t.from.is_empty() || t.from.contains(&s.id));
        assert!(reachable && leavable, "{} is a dead end", s.name);
    }

    // Software projects have closed, active and future sprints on their own board.
    for p in store
        .projects
        .iter()
        .filter(|p| p.project_type_key == "software")
    {
        let prefix = format!("{} Sprint", p.key);
        let states: BTreeSet<&str> = store
            .sprints
            .iter()
            .filter(|s| s.name.starts_with(&prefix))
            .map(|s| s.state.as_str())
            .collect();
        assert_eq!(
            states,
            BTreeSet::from(["active", "closed", "future"]),
            "{}",
            p.key
        );
    }
    let now = store.now.unwrap();
    for s in &store.sprints {
        match s.state.as_str() {
            "active" => assert!(s.start_date.unwrap() <= now && now < s.end_date.unwrap()),
            "closed" => assert!(s.end_date.unwrap() <= now),
            _ => assert!(s.start_date.is_none()),
        }
    }
}

fn transition_allowed(store: &Store, from: u64, to: u64) -> bool {
    store
        .workflow
        .transitions
        .iter()
        .any(|t| t.to == to && (t.from.is_empty() || t.from.contains(&from)))
}

/// Follows one field through the changelog: every change starts where the previous one
/// ended, and the last one ends at the issue's current value.
fn check_chain(
    issue: &Issue,
    histories: &[History],
    field: &str,
    current: Option<String>,
    first_from: Option<Option<String>>,
) {
    let items: Vec<_> = histories
        .iter()
        .flat_map(|h| &h.items)
        .filter(|i| i.field == field)
        .collect();
    let Some(last) = items.last() else {
        return;
    };
    if let Some(expected) = first_from {
        assert_eq!(
            items[0].from, expected,
            "{} {field}: first change",
            issue.key
        );
    }
    for pair in items.windows(2) {
        assert_eq!(
            pair[0].to, pair[1].from,
            "{} {field}: chain broken",
            issue.key
        );
    }
    assert_eq!(
        last.to, current,
        "{} {field}: last change vs current value",
        issue.key
    );
}

// A test helper: a panic here is the failure report, like an assert.
#[allow(clippy::unwrap_used)]
fn check_invariants(store: &Store) {
    let now: Timestamp = store.now.unwrap();
    let users: HashSet<&str> = store.users.iter().map(|u| u.account_id.as_str()).collect();
    let user_ok = |id: &str| users.contains(id);
    let by_key: HashMap<&str, &Issue> = store.issues.iter().map(|i| (i.key.as_str(), i)).collect();
    assert_eq!(by_key.len(), store.issues.len(), "keys are unique");
    let ids: HashSet<u64> = store.issues.iter().map(|i| i.id).collect();
    assert_eq!(ids.len(), store.issues.len(), "issue ids are unique");
    let level = |type_id: u64| {
        store
            .issue_types
            .iter()
            .find(|t| t.id == type_id)
            .unwrap()
            .hierarchy_level
    };
    let sprint_ids: HashSet<u64> = store.sprints.iter().map(|s| s.id).collect();
    let mut comment_ids = HashSet::new();
    let mut history_ids = HashSet::new();
    let mut attachment_ids = HashSet::new();
    let mut previous_created: Option<Timestamp> = None;

    for issue in &store.issues {
        let key = issue.key.as_str();
        let project = store
            .project(issue.project_id)
            .unwrap_or_else(|| panic!("{key}: project"));
        assert!(
            key.starts_with(&format!("{}-", project.key)),
            "{key} in {}",
            project.key
        );
        assert!(
            project.issue_type_ids.contains(&issue.issue_type_id),
            "{key}: type not in project"
        );
        assert!(!issue.summary.trim().is_empty(), "{key}: summary");
        // Creation order.
        if let Some(prev) = previous_created {
            assert!(
                prev <= issue.created,
                "{key}: issues are not in creation order"
            );
        }
        previous_created = Some(issue.created);

        // Dates.
        assert!(issue.created <= issue.updated, "{key}: updated < created");
        assert!(issue.updated <= now, "{key}: updated in the future");
        assert!(
            issue.created >= now - chrono::Duration::days(290),
            "{key}: too old"
        );
        let status = store
            .status(issue.status_id)
            .unwrap_or_else(|| panic!("{key}: status"));
        let done = status.category == StatusCategory::Done;
        assert_eq!(
            issue.resolution_id.is_some(),
            done,
            "{key}: resolution vs {}",
            status.name
        );
        assert_eq!(
            issue.resolution_date.is_some(),
            done,
            "{key}: resolution date vs {}",
            status.name
        );
        if let Some(r) = issue.resolution_date {
            assert!(
                issue.created <= r && r <= issue.updated,
                "{key}: resolution date"
            );
            assert!(
                store
                    .resolutions
                    .iter()
                    .any(|x| Some(x.id) == issue.resolution_id)
            );
        }
        let category_change = issue.status_category_change_date.unwrap();
        assert!(
            issue.created <= category_change && category_change <= issue.updated,
            "{key}: category change date"
        );
        if let Some(p) = issue.priority_id {
            assert!(
                store.priorities.iter().any(|x| x.id == p),
                "{key}: priority"
            );
        }

        // Hierarchy.
        let own = level(issue.issue_type_id);
        match &issue.parent {
            Some(parent_key) => {
                let parent = by_key
                    .get(parent_key.as_str())
                    .unwrap_or_else(|| panic!("{key}: parent {parent_key}"));
                assert_eq!(
                    parent.project_id, issue.project_id,
                    "{key}: parent in another project"
                );
                assert_eq!(level(parent.issue_type_id), own + 1, "{key}: parent level");
                assert!(
                    parent.created < issue.created,
                    "{key}: parent created later"
                );
            }
            None => assert_ne!(own, -1, "{key}: sub-task without parent"),
        }

        // People.
        for who in [&issue.assignee, &issue.reporter, &issue.creator]
            .into_iter()
            .flatten()
        {
            assert!(user_ok(who), "{key}: unknown user {who}");
        }
        assert!(
            issue.reporter.is_some() && issue.creator.is_some(),
            "{key}: reporter/creator"
        );
        let watchers: HashSet<&String> = issue.watchers.iter().collect();
        assert_eq!(
            watchers.len(),
            issue.watchers.len(),
            "{key}: duplicate watcher"
        );
        assert!(issue.watchers.iter().all(|w| user_ok(w)), "{key}: watcher");

        // Components, versions, links.
        for c in &issue.component_ids {
            assert!(
                project.components.iter().any(|x| x.id == *c),
                "{key}: component"
            );
        }
        for v in issue
            .fix_version_ids
            .iter()
            .chain(&issue.affects_version_ids)
        {
            assert!(
                project.versions.iter().any(|x| x.id == *v),
                "{key}: version"
            );
        }
        for link in &issue.links {
            assert!(
                store.link_types.iter().any(|t| t.id == link.link_type_id),
                "{key}: link type"
            );
            let other = by_key
                .get(link.other_key.as_str())
                .unwrap_or_else(|| panic!("{key}: link to {}", link.other_key));
            assert_ne!(other.key, issue.key, "{key}: self link");
            let opposite = match link.direction {
                LinkDirection::Outward => LinkDirection::Inward,
                LinkDirection::Inward => LinkDirection::Outward,
            };
            let mirrored = other
                .links
                .iter()
                .filter(|l| l.id == link.id)
                .collect::<Vec<_>>();
            assert_eq!(
                mirrored.len(),
                1,
                "{key}: link {} not mirrored once on {}",
                link.id,
                other.key
            );
            assert_eq!(mirrored[0].link_type_id, link.link_type_id);
            assert_eq!(mirrored[0].direction, opposite);
            assert_eq!(mirrored[0].other_key, issue.key);
        }
        let link_ids: HashSet<u64> = issue.links.iter().map(|l| l.id).collect();
        assert_eq!(
            link_ids.len(),
            issue.links.len(),
            "{key}: duplicate link id"
        );

        // Comments.
        assert!(
            issue
                .comments
                .windows(2)
                .all(|w| w[0].created <= w[1].created),
            "{key}: comment order"
        );
        for c in &issue.comments {
            assert!(
                comment_ids.insert(c.id),
                "{key}: comment id {} reused",
                c.id
            );
            assert!(
                user_ok(&c.author) && user_ok(&c.update_author),
                "{key}: comment author"
            );
            assert!(
                issue.created <= c.created && c.created <= c.updated && c.updated <= issue.updated,
                "{key}: comment {} dates",
                c.id
            );
            assert_eq!(c.body["type"], "doc");
        }

        // Attachments.
        for a in &issue.attachments {
            assert!(attachment_ids.insert(a.id), "{key}: attachment id reused");
            assert!(user_ok(&a.author), "{key}: attachment author");
            assert!(
                a.size > 0 && a.mime_type.contains('/') && !a.filename.contains('{'),
                "{key}: attachment {}",
                a.filename
            );
            assert!(
                issue.created <= a.created && a.created <= issue.updated,
                "{key}: attachment date"
            );
        }

        // Changelog.
        for h in &issue.changelog {
            assert!(history_ids.insert(h.id), "{key}: history id reused");
            assert!(user_ok(&h.author), "{key}: history author");
            assert!(
                issue.created < h.created && h.created <= issue.updated,
                "{key}: history {} date",
                h.id
            );
            assert!(!h.items.is_empty());
        }
        assert!(
            issue
                .changelog
                .windows(2)
                .all(|w| w[0].created <= w[1].created),
            "{key}: history order"
        );
        let statuses: Vec<_> = issue
            .changelog
            .iter()
            .flat_map(|h| &h.items)
            .filter(|i| i.field == "status")
            .collect();
        for item in &statuses {
            let from: u64 = item.from.as_deref().unwrap().parse().unwrap();
            let to: u64 = item.to.as_deref().unwrap().parse().unwrap();
            assert!(
                transition_allowed(store, from, to),
                "{key}: {from} -> {to} is not a workflow transition"
            );
            assert_eq!(
                item.to_string.as_deref(),
                store.status(to).map(|s| s.name.as_str())
            );
        }
        let todo = store
            .statuses
            .iter()
            .find(|s| s.name == "To Do")
            .unwrap()
            .id
            .to_string();
        check_chain(
            issue,
            &issue.changelog,
            "status",
            Some(issue.status_id.to_string()),
            Some(Some(todo)),
        );
        if statuses.is_empty() {
            assert_eq!(
                store.status(issue.status_id).unwrap().name,
                "To Do",
                "{key}: moved without history"
            );
        }
        check_chain(
            issue,
            &issue.changelog,
            "resolution",
            issue.resolution_id.map(|r| r.to_string()),
            Some(None),
        );
        check_chain(
            issue,
            &issue.changelog,
            "assignee",
            issue.assignee.clone(),
            None,
        );
        check_chain(
            issue,
            &issue.changelog,
            "priority",
            issue.priority_id.map(|p| p.to_string()),
            None,
        );
        if done {
            let last_status = issue
                .changelog
                .iter()
                .rev()
                .find(|h| h.items.iter().any(|i| i.field == "status"));
            if let Some(h) = last_status {
                assert_eq!(
                    Some(h.created),
                    issue.resolution_date,
                    "{key}: resolved when it moved to done"
                );
            }
        }
        for h in &issue.changelog {
            for item in &h.items {
                if item.field == "assignee" {
                    for who in item.from.iter().chain(&item.to) {
                        assert!(user_ok(who), "{key}: assignee change to unknown {who}");
                    }
                }
            }
        }

        // Custom fields.
        for (field, value) in &issue.custom {
            let def = store
                .custom_fields
                .iter()
                .find(|f| f.id == *field)
                .unwrap_or_else(|| panic!("{key}: field {field}"));
            match &def.kind {
                CustomFieldKind::Number => assert!(value.is_number(), "{key}: {}", def.name),
                CustomFieldKind::Text => assert!(value.is_string(), "{key}: {}", def.name),
                CustomFieldKind::Date => {
                    chrono::NaiveDate::parse_from_str(value.as_str().unwrap(), "%Y-%m-%d").unwrap();
                }
                CustomFieldKind::TextArea => {
                    assert_eq!(value["type"], "doc", "{key}: {}", def.name)
                }
                CustomFieldKind::Select(options) => {
                    let id: u64 = value["id"].as_str().unwrap().parse().unwrap();
                    assert!(
                        options
                            .iter()
                            .any(|(o, v)| *o == id && value["value"] == *v),
                        "{key}: {} option",
                        def.name
                    );
                }
                CustomFieldKind::Sprint => {
                    let sprints = value.as_array().unwrap();
                    assert!(!sprints.is_empty() && sprints.len() <= 2, "{key}: sprints");
                    for s in sprints {
                        assert!(
                            sprint_ids.contains(&s["id"].as_u64().unwrap()),
                            "{key}: sprint id"
                        );
                    }
                    let ids = sprints
                        .iter()
                        .map(|s| s["id"].to_string())
                        .collect::<Vec<_>>()
                        .join(", ");
                    let last_sprint_change = issue
                        .changelog
                        .iter()
                        .flat_map(|h| &h.items)
                        .rfind(|i| i.field == "Sprint");
                    if let Some(change) = last_sprint_change {
                        assert_eq!(
                            change.to.as_deref(),
                            Some(ids.as_str()),
                            "{key}: sprint history"
                        );
                    }
                }
                CustomFieldKind::User => assert!(user_ok(value["accountId"].as_str().unwrap())),
            }
        }

        // Time tracking.
        let t = &issue.time_tracking;
        if let Some(original) = t.original_estimate_seconds {
            let remaining = t.remaining_estimate_seconds.unwrap();
            assert!(remaining <= original, "{key}: remaining > original");
            if done {
                assert_eq!(remaining, 0, "{key}: done with work remaining");
            }
        }
        if let Some(due) = issue.due_date {
            assert!(
                due >= issue.created.date_naive(),
                "{key}: due before created"
            );
        }
    }
}

#[test]
fn demo_600_keeps_invariants() {
    let store = demo_store(seed::DEMO_ISSUE_COUNT);
    assert_eq!(store.issues.len(), 600);
    check_invariants(&store);
}

#[test]
fn any_size_keeps_invariants() {
    for n in [0, 1, 2, 7, 33] {
        let store = demo_store(n);
        assert_eq!(store.issues.len(), n);
        check_invariants(&store);
    }
}

#[test]
fn twenty_thousand_issues_keep_invariants() {
    let store = demo_store(20_000);
    assert_eq!(store.issues.len(), 20_000);
    check_invariants(&store);
    let per_project: BTreeMap<u64, usize> =
        store.issues.iter().fold(BTreeMap::new(), |mut m, i| {
            *m.entry(i.project_id).or_default() += 1;
            m
        });
    assert!(per_project.values().all(|n| *n > 1000), "{per_project:?}");
}

#[test]
fn demo_600_looks_like_a_real_backlog() {
    let store = demo_store(600);
    let now = store.now.unwrap();

    // Summaries are distinct.
    let distinct: HashSet<&str> = store.issues.iter().map(|i| i.summary.as_str()).collect();
    assert!(
        distinct.len() * 100 >= store.issues.len() * 95,
        "{} distinct summaries",
        distinct.len()
    );

    // Every project uses each of its issue types.
    for p in &store.projects {
        for t in &p.issue_type_ids {
            let n = store
                .issues
                .iter()
                .filter(|i| i.project_id == p.id && i.issue_type_id == *t)
                .count();
            assert!(n > 0, "{} has no issues of type {t}", p.key);
        }
    }
    let with_parent = |type_id: u64| {
        store
            .issues
            .iter()
            .filter(|i| i.issue_type_id == type_id && i.parent.is_some())
            .count()
    };
    assert!(with_parent(seed::STORY_TYPE_ID) > 20, "stories under epics");

    // Statuses and resolutions are spread out.
    let per_status: BTreeMap<u64, usize> = store.issues.iter().fold(BTreeMap::new(), |mut m, i| {
        *m.entry(i.status_id).or_default() += 1;
        m
    });
    assert_eq!(per_status.len(), store.statuses.len(), "{per_status:?}");
    let resolutions: BTreeSet<u64> = store
        .issues
        .iter()
        .filter_map(|i| i.resolution_id)
        .collect();
    assert_eq!(resolutions.len(), store.resolutions.len());
    assert!(
        store.issues.iter().any(|i| i.assignee.is_none()),
        "unassigned work"
    );
    let inactive = store.users.iter().find(|u| !u.active).unwrap();
    assert!(
        store
            .issues
            .iter()
            .any(|i| i.assignee.as_deref() == Some(inactive.account_id.as_str())),
        "old work of a leaver"
    );

    // Recent activity is denser than old activity.
    let days_ago = |i: &Issue| (now - i.created).num_days();
    let recent = store.issues.iter().filter(|i| days_ago(i) < 90).count();
    let old = store.issues.iter().filter(|i| days_ago(i) >= 180).count();
    assert!(recent > old * 2, "recent {recent}, old {old}");
    assert!(
        store.issues.iter().any(|i| days_ago(i) > 240),
        "history reaches back ~9 months"
    );

    // Comments: mostly a handful, some long threads for paging.
    let long = store
        .issues
        .iter()
        .filter(|i| i.comments.len() >= 30)
        .count();
    assert!(long >= 3, "{long} long threads");
    assert!(
        store
            .issues
            .iter()
            .filter(|i| i.comments.len() < 30)
            .all(|i| i.comments.len() <= 8)
    );
    assert!(store.issues.iter().any(|i| i.comments.is_empty()));
    assert!(
        store
            .issues
            .iter()
            .flat_map(|i| &i.comments)
            .any(|c| c.visibility.is_some()),
        "restricted comments"
    );
    assert!(
        store
            .issues
            .iter()
            .flat_map(|i| &i.comments)
            .any(|c| c.updated > c.created),
        "edited comments"
    );

    // Fields.
    let count = |f: &dyn Fn(&Issue) -> bool| store.issues.iter().filter(|i| f(i)).count();
    assert!(count(&|i| !i.labels.is_empty()) > 200);
    assert!(count(&|i| !i.links.is_empty()) > 30);
    for t in &store.link_types {
        assert!(
            count(&|i| i.links.iter().any(|l| l.link_type_id == t.id)) > 0,
            "no {} links",
            t.name
        );
    }
    assert!(count(&|i| !i.attachments.is_empty()) > 60);
    assert!(count(&|i| i.due_date.is_some()) > 30);
    assert!(count(&|i| i.votes > 0) > 30);
    assert!(count(&|i| i.watchers.len() > 2) > 100);
    assert!(count(&|i| i.time_tracking.original_estimate_seconds.is_some()) > 40);
    assert!(count(&|i| i.environment.is_some()) > 40);
    assert!(count(&|i| !i.fix_version_ids.is_empty()) > 50);
    assert!(count(&|i| !i.affects_version_ids.is_empty()) > 30);
    let stories = count(&|i| i.issue_type_id == seed::STORY_TYPE_ID);
    let pointed = count(&|i| {
        i.issue_type_id == seed::STORY_TYPE_ID && i.custom.contains_key(&seed::STORY_POINTS_FIELD)
    });
    assert!(
        pointed * 10 >= stories * 7,
        "{pointed}/{stories} stories estimated"
    );
    let software: Vec<u64> = store
        .projects
        .iter()
        .filter(|p| p.project_type_key == "software")
        .map(|p| p.id)
        .collect();
    assert!(count(&|i| i.custom.contains_key(&seed::SPRINT_FIELD)) > 150);
    assert!(
        store
            .issues
            .iter()
            .filter(|i| i.custom.contains_key(&seed::SPRINT_FIELD))
            .all(|i| software.contains(&i.project_id))
    );
    let multi_sprint = count(&|i| {
        i.custom
            .get(&seed::SPRINT_FIELD)
            .and_then(|s| s.as_array())
            .is_some_and(|s| s.len() == 2)
    });
    assert!(multi_sprint > 5, "work carried over between sprints");
    let fields: BTreeSet<&str> = store
        .issues
        .iter()
        .flat_map(|i| &i.changelog)
        .flat_map(|h| &h.items)
        .map(|i| i.field.as_str())
        .collect();
    for f in [
        "status",
        "resolution",
        "assignee",
        "priority",
        "labels",
        "Sprint",
        "Fix Version",
    ] {
        assert!(fields.contains(f), "no {f} changes in the changelog");
    }
}
