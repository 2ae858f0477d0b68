//! Decodes every real payload in `tests/fixtures/payloads/` with the model for its
//! endpoint and checks real content, so the models are proven on what Jira (and
//! Atlassian's own spec examples) actually send. Sources are in the fixtures README.

// The whole file is test code; helpers outside #[test] fns may unwrap too.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use jtui::jira::JiraError;
use jtui::jira::adf::{self, Adf, RenderContext};
use jtui::jira::models::*;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;
use serde_json::Value;

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/payloads")
}

fn load(rel: &str) -> Value {
    let path = fixtures_dir().join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{rel} is not JSON: {e}"))
}

fn decode<T: DeserializeOwned>(rel: &str) -> T {
    // Through bytes, like the client does, not from an already-parsed Value.
    let bytes = std::fs::read(fixtures_dir().join(rel)).unwrap();
    serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn error_from(rel: &str, status: u16) -> JiraError {
    let bytes = std::fs::read(fixtures_dir().join(rel)).unwrap();
    JiraError::from_response_parts(status, &HeaderMap::new(), &bytes, chrono::Utc::now())
}

fn render_text(doc: &Adf, width: u16) -> Vec<String> {
    adf::render(doc, width, &RenderContext::default())
        .iter()
        .map(|l| l.text())
        .collect()
}

type Check = fn(&str);

/// Every file in the fixtures folder, the endpoint it stands for, and how it is checked.
static TABLE: &[(&str, Check)] = &[
    // --- real Cloud payloads (demisto/content) ---
    ("issue-expanded-cloud-demisto.json", check_demisto_issue),
    ("comments-page-cloud-demisto.json", |f| {
        let page: CommentPage = decode(f);
        assert_eq!((page.start_at, page.max_results, page.total), (0, 50, 3));
        assert_eq!(page.comments.len(), 3);
        assert_eq!(page.comments[0].id, "18322");
        assert_eq!(adf::plain_text(&page.comments[0].body), "Hello there");
        assert!(page.comments.iter().all(|c| c.created.is_some()));
        assert!(page.comments[0].rendered_body.is_some());
    }),
    ("comment-created-cloud-demisto.json", |f| {
        let c: Comment = decode(f);
        assert_eq!(c.id, "18395");
        let vis = c.visibility.expect("visibility");
        assert_eq!(vis.kind, "role");
        assert!(!vis.value.is_empty());
        assert!(!adf::plain_text(&c.body).is_empty());
    }),
    ("transitions-cloud-demisto.json", |f| {
        let t: Transitions = decode(f);
        let names: Vec<&str> = t.transitions.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["Backlog", "In Development"]);
        assert!(!t.transitions[1].is_global);
        let backlog = &t.transitions[0];
        assert!(backlog.is_global && backlog.is_available && !backlog.has_screen);
        let to = backlog.to.as_ref().unwrap();
        assert_eq!(to.name, "Backlog");
        assert_eq!(to.status_category.as_ref().unwrap().key, "new");
    }),
    ("myself-cloud-demisto.json", |f| {
        let u: User = decode(f);
        assert_eq!(u.account_id, "123456:cd68d496-c059-4e88-9e29-12ef5c911bcf");
        assert_eq!(u.display_name, "Example User");
        assert_eq!(u.email_address.as_deref(), Some("user@example.com"));
        assert_eq!(u.account_type.as_deref(), Some("atlassian"));
        assert!(u.active);
    }),
    ("user-search-cloud-demisto.json", |f| {
        let users: Vec<User> = decode(f);
        assert_eq!(users.len(), 1);
        assert_eq!(users[0].account_id, "1234");
        // Hidden by privacy settings: "" means absent.
        assert_eq!(users[0].email_address, None);
    }),
    // Data-Center-style createmeta pages (`values` instead of `issueTypes`/`fields`).
    ("createmeta-issuetypes-demisto.json", |f| {
        let m: CreateMetaIssueTypes = decode(f);
        assert_eq!(m.issue_types.len(), 1);
        assert_eq!(m.issue_types[0].name, "Bug");
        assert!(!m.issue_types[0].subtask);
    }),
    ("createmeta-fields-demisto.json", |f| {
        let m: CreateMetaFields = decode(f);
        assert_eq!(m.fields.len(), 1);
        assert_eq!(m.fields[0].field_id.as_deref(), Some("assignee"));
        assert!(m.fields[0].required);
        assert_eq!(m.fields[0].operations, ["set"]);
    }),
    ("error-410-search-removed.json", |f| {
        let err = error_from(f, 410);
        let JiraError::Gone { messages } = &err else {
            panic!("expected Gone, got {err:?}");
        };
        assert!(messages[0].contains("/rest/api/3/search/jql"));
        assert!(err.to_string().contains("removed"));
    }),
    // --- ankitpokhrel/jira-cli (trimmed Cloud payloads) ---
    ("jiracli-issue.json", |f| {
        let i: Issue = decode(f);
        assert_eq!(i.key, "TEST-1");
        assert_eq!(i.fields.summary, "Bug summary");
        assert_eq!(i.fields.status.as_ref().unwrap().name, "To Do");
        let desc = i.fields.description.as_ref().unwrap();
        assert_eq!(render_text(desc, 40), ["Test description"]);
        // One link has an empty outwardIssue: no usable other end.
        assert_eq!(i.fields.issuelinks.len(), 2);
        assert_eq!(i.fields.issuelinks[0].other_end().unwrap().1.key, "TEST-2");
        assert!(i.fields.issuelinks[1].other_end().is_none());
        assert_eq!(i.fields.reporter.as_ref().unwrap().name(), "Person A");
        assert_eq!(i.fields.watches.as_ref().unwrap().watch_count, 1);
    }),
    ("jiracli-issue-1.json", |f| {
        let i: Issue = decode(f);
        assert_eq!(i.key, "TEST-1");
        assert!(i.fields.description.is_none());
        assert!(i.fields.assignee.is_none());
        assert_eq!(
            i.fields.created.unwrap().to_rfc3339(),
            "2020-12-03T14:05:20.974+01:00"
        );
    }),
    ("jiracli-search.json", |f| {
        let p: SearchPage = decode(f);
        assert!(p.is_last);
        let keys: Vec<&str> = p.issues.iter().map(|i| i.key.as_str()).collect();
        assert_eq!(keys, ["TEST-1", "TEST-2", "TEST-3"]);
        assert_eq!(p.issues[1].fields.labels, ["critical", "feature"]);
        assert_eq!(p.issues[2].fields.resolution.as_ref().unwrap().name, "Done");
    }),
    // Old /rest/api/3/search shape (startAt/total, no isLast): decodes as a last page.
    ("jiracli-epic.json", |f| {
        let p: SearchPage = decode(f);
        assert!(p.is_last && p.next_page_token.is_none());
        assert_eq!(p.issues.len(), 2);
        assert_eq!(p.issues[1].fields.summary, "Epic 2 summary");
        assert_eq!(p.issues[1].fields.watches.as_ref().unwrap().watch_count, 12);
    }),
    ("jiracli-transitions.json", |f| {
        let t: Transitions = decode(f);
        let avail: Vec<(&str, bool)> = t
            .transitions
            .iter()
            .map(|t| (t.name.as_str(), t.is_available))
            .collect();
        assert_eq!(
            avail,
            [("To Do", true), ("In Progress", true), ("Done", false)]
        );
    }),
    ("jiracli-users.json", |f| {
        let users: Vec<User> = decode(f);
        assert_eq!(users.len(), 2);
        assert_eq!(users[0].display_name, "Jane Doe");
        assert!(!users[1].active);
        assert_eq!(users[1].email_address.as_deref(), Some("jon@domain.tld"));
    }),
    ("jiracli-serverinfo.json", |f| {
        let s: ServerInfo = decode(f);
        assert_eq!(s.deployment_type, "Cloud");
        assert_eq!(s.version, "1001.0.0-SNAPSHOT");
        assert_eq!(s.version_numbers, [1001, 0, 0]);
        assert_eq!(s.build_number, Some(100_204));
        assert!(s.server_time.is_some());
    }),
    // Jira DC 9 createmeta (`values`).
    ("jiracli-createmetav9.json", |f| {
        let m: CreateMetaIssueTypes = decode(f);
        let names: Vec<&str> = m.issue_types.iter().map(|t| t.name.as_str()).collect();
        assert!(names.starts_with(&["Epic", "Task", "Sub-task"]));
        assert!(m.issue_types[2].subtask);
    }),
    ("jiracli-fields.json", |f| {
        let fields: Vec<FieldDetails> = decode(f);
        assert_eq!(fields.len(), 3);
        assert_eq!(fields[0].clause_names, ["fixVersion"]);
        let sp = &fields[1];
        assert!(sp.custom && sp.searchable);
        assert_eq!(sp.schema.as_ref().unwrap().custom_id, Some(10111));
        assert_eq!(fields[2].key.as_deref(), Some("timespent"));
    }),
    // --- andygrunwald/go-jira mock data ---
    ("gojira-transitions.json", |f| {
        let t: Transitions = decode(f);
        let first = &t.transitions[0];
        assert_eq!(first.name, "Close Issue");
        let meta = first.fields.get("summary").unwrap();
        assert_eq!(meta.name, "My Multi Select");
        assert_eq!(meta.operations, ["set", "add"]);
        assert_eq!(meta.allowed_values.len(), 2);
    }),
    ("gojira-favourite_filters.json", |f| {
        let filters: Vec<Filter> = decode(f);
        assert_eq!(filters[0].name, "All Open Bugs");
        assert!(filters[0].jql.as_deref().unwrap().contains("Bug"));
    }),
    ("gojira-my_filters.json", |f| {
        let filters: Vec<Filter> = decode(f);
        assert_eq!(filters.len(), 2);
        assert!(
            filters
                .iter()
                .all(|f| !f.id.is_empty() && f.owner.is_some())
        );
    }),
    ("gojira-filter.json", |f| {
        let filter: Filter = decode(f);
        assert_eq!(filter.id, "10000");
        assert!(filter.view_url.is_some());
    }),
    ("gojira-search_filters.json", |f| {
        let page: Page<Filter> = decode(f);
        assert!(page.is_last);
        assert_eq!(page.total, Some(2));
        assert_eq!(page.values.len(), 2);
    }),
    // Apache JIRA (v2 server): a bare array; Cloud wraps it in `issueLinkTypes`.
    ("gojira-all_issuelinktypes.json", |f| {
        let types: Vec<IssueLinkType> = decode(f);
        assert_eq!(types.len(), 17);
        let blocker = types.iter().find(|t| t.name == "Blocker").unwrap();
        assert_eq!(
            (blocker.inward.as_str(), blocker.outward.as_str()),
            ("is blocked by", "blocks")
        );
    }),
    // Apache JIRA (v2 server) priorities: same shape as v3.
    ("gojira-all_priorities.json", |f| {
        let p: Vec<Priority> = decode(f);
        assert_eq!(p[0].name, "Blocker");
        assert_eq!(p[0].status_color.as_deref(), Some("#cc0000"));
    }),
    ("gojira-all_statuses.json", |f| {
        let s: Vec<Status> = decode(f);
        assert_eq!(s.len(), 37);
        assert_eq!(s[0].name, "Idea");
        assert_eq!(s[0].status_category.as_ref().unwrap().id, "2");
    }),
    ("gojira-remote_links.json", |f| {
        let links: Vec<RemoteLink> = decode(f);
        assert_eq!(links[0].id, "10000");
        assert_eq!(links[0].object.title, "TSTSUP-111");
        assert_eq!(links[0].relationship.as_deref(), Some("causes"));
    }),
    // --- ADF documents ---
    ("adf/jiracli-md.json", |f| {
        let doc: Adf = decode(f);
        let text = render_text(&doc, 80).join("\n");
        for expected in [
            "H1",
            "1. Some text",
            "│ Blockquote text",
            "┃ ℹ Info",
            "@Person A",
            "• Prefix: Unordered list item 1",
            "  ◦ Next",
            "   1. nested",
            "│ Table Header 1",
            "[go]",
            "    fmt.Println(\"Hello, World!\")",
        ] {
            assert!(text.contains(expected), "missing {expected:?} in\n{text}");
        }
        assert_eq!(serde_json::to_value(&doc).unwrap(), load(f));
    }),
    ("adf/afm-status-with-all-attrs.json", |f| {
        let doc: Adf = decode(f);
        assert_eq!(render_text(&doc, 40), ["[ THE TRUTH IS OUT THERE ]"]);
    }),
    ("adf/afm-mediaSingle-with-caption.json", |f| {
        let doc: Adf = decode(f);
        let mut ctx = RenderContext::default();
        ctx.media_names.insert("1234".into(), "diagram.png".into());
        let lines: Vec<String> = adf::render(&doc, 40, &ctx)
            .iter()
            .map(|l| l.text())
            .collect();
        assert_eq!(lines, ["[📎 diagram.png]", "Hello World!"]);
        assert_eq!(render_text(&doc, 40), ["[media]", "Hello World!"]);
    }),
    ("adf/afm-expand-with-nestedExpand.json", |f| {
        let doc: Adf = decode(f);
        let lines = render_text(&doc, 40);
        assert_eq!(lines[0], "▸ Expand title");
        assert!(lines[1].starts_with("  ┌"));
        assert!(lines.iter().any(|l| l.contains("▸ Nested Expand Title")));
    }),
    ("adf/afm-doc-with-all-content.json", |f| {
        let doc: Adf = decode(f);
        assert_eq!(
            render_text(&doc, 10),
            ["│ foo", "", "foo", "", "──────────"]
        );
    }),
    // --- Atlassian's spec examples (spec-examples/_index.json lists the operations) ---
    ("spec-examples/_index.json", |f| {
        // The index itself: every listed example file exists and is covered here.
        let index = load(f);
        for entry in index.as_array().unwrap() {
            let file = entry[0].as_str().unwrap();
            let rel = format!("spec-examples/{file}");
            assert!(
                TABLE.iter().any(|(name, _)| *name == rel),
                "{rel} not covered"
            );
        }
    }),
    ("spec-examples/get_search_jql_200.json", |f| {
        let p: SearchPage = decode(f);
        assert_eq!(p.issues.len(), 1);
        let issue = &p.issues[0];
        assert!(!issue.id.is_empty());
        // The spec example's description is a plain string; it still renders.
        let desc = issue.fields.description.as_ref().unwrap();
        assert_eq!(adf::plain_text(desc), "Main order flow broken");
        // Its `comment` is a bare array, not a page; attachment ids are numbers.
        assert_eq!(issue.fields.comment.as_ref().unwrap().total, 1);
        assert_eq!(issue.fields.attachment[0].id, "10001");
        assert!(p.is_last);
    }),
    (
        "spec-examples/post_search_approximate-count_200.json",
        |f| {
            let c: ApproximateCount = decode(f);
            assert_eq!(c.count, 153);
        },
    ),
    ("spec-examples/get_project_search_200.json", |f| {
        let p: Page<Project> = decode(f);
        assert!(!p.is_last);
        assert_eq!(p.total, Some(7));
        assert!(p.next_page.is_some());
        let keys: Vec<&str> = p.values.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(keys, ["EX", "ABC"]);
        assert_eq!(p.values[0].style.as_deref(), Some("classic"));
        assert_eq!(p.values[0].project_category.as_ref().unwrap().name, "FIRST");
    }),
    ("spec-examples/get_issue_issueIdOrKey_200.json", |f| {
        let i: Issue = decode(f);
        assert_eq!(
            adf::plain_text(i.fields.description.as_ref().unwrap()),
            "Main order flow broken"
        );
        assert_eq!(i.fields.project.as_ref().unwrap().key, "EX");
        let links: Vec<(&str, &str)> = i
            .fields
            .issuelinks
            .iter()
            .filter_map(|l| l.other_end())
            .map(|(rel, issue)| (rel, issue.key.as_str()))
            .collect();
        assert_eq!(links, [("is depended by", "PR-2"), ("depends on", "PR-3")]);
        assert_eq!(i.fields.attachment[0].filename, "picture.jpg");
        assert_eq!(i.fields.attachment[0].size, 23123);
    }),
    (
        "spec-examples/get_issue_issueIdOrKey_editmeta_200.json",
        |f| {
            let m: EditMeta = decode(f);
            let summary = &m.fields["summary"];
            assert_eq!(summary.name, "My Multi Select");
            assert_eq!(summary.schema.as_ref().unwrap().kind, "array");
            assert_eq!(
                summary.allowed_values,
                [Value::from("red"), Value::from("blue")]
            );
        },
    ),
    (
        "spec-examples/get_issue_issueIdOrKey_transitions_200.json",
        |f| {
            let t: Transitions = decode(f);
            assert!(!t.transitions.is_empty());
            assert!(t.transitions[0].fields.contains_key("summary"));
        },
    ),
    (
        "spec-examples/get_issue_issueIdOrKey_comment_200.json",
        |f| {
            let p: CommentPage = decode(f);
            assert_eq!(p.comments.len(), 1);
            assert!(adf::plain_text(&p.comments[0].body).starts_with("Lorem ipsum"));
            assert_eq!(p.comments[0].author.as_ref().unwrap().name(), "Mia Krystof");
        },
    ),
    (
        "spec-examples/post_issue_issueIdOrKey_comment_201.json",
        |f| {
            let c: Comment = decode(f);
            assert_eq!(c.id, "10000");
            assert!(c.updated > c.created);
        },
    ),
    // Quirk: the spec's example is a single user although the schema is an array.
    ("spec-examples/get_user_assignable_search_200.json", |f| {
        let u: User = decode(f);
        assert_eq!(u.time_zone.as_deref(), Some("Australia/Sydney"));
    }),
    ("spec-examples/get_user_picker_200.json", |f| {
        let r: UserPickerResults = decode(f);
        assert_eq!(r.total, 25);
        assert_eq!(r.users[0].display_name, "Mia Krystof");
    }),
    ("spec-examples/get_user_search_200.json", |f| {
        let users: Vec<User> = decode(f);
        assert_eq!(users.len(), 2);
        assert!(users.iter().all(|u| !u.account_id.is_empty()));
    }),
    ("spec-examples/get_priority_search_200.json", |f| {
        let p: Page<Priority> = decode(f);
        assert_eq!(p.values.len(), 2);
        assert_eq!(p.values[0].is_default, Some(true));
    }),
    ("spec-examples/get_label_200.json", |f| {
        let p: Page<String> = decode(f);
        assert_eq!(p.values, ["performance", "security"]);
        assert!(!p.is_last);
    }),
    ("spec-examples/post_issue_201.json", |f| {
        let c: CreatedIssue = decode(f);
        assert_eq!((c.id.as_str(), c.key.as_str()), ("10000", "ED-24"));
    }),
    ("spec-examples/post_issue_400.json", |f| {
        let err = error_from(f, 400);
        assert_eq!(err.messages(), ["Field 'priority' is required".to_string()]);
        assert!(matches!(err, JiraError::Api { status: 400, .. }));
    }),
    (
        "spec-examples/get_issue_createmeta_projectIdOrKey_issuetypes_200.json",
        |f| {
            let m: CreateMetaIssueTypes = decode(f);
            assert_eq!(m.issue_types[0].name, "Bug");
            assert_eq!(m.total, 1);
        },
    ),
    (
        "spec-examples/get_issue_createmeta_projectIdOrKey_issuetypes_issueTypeId_200.json",
        |f| {
            let m: CreateMetaFields = decode(f);
            assert_eq!(m.fields[0].field_id.as_deref(), Some("assignee"));
        },
    ),
    // Error body with an odd extra member (`httpStatusCode`), still an ErrorCollection.
    (
        "spec-examples/get_issue_createmeta_projectIdOrKey_issuetypes_400.json",
        |f| {
            let err = error_from(f, 400);
            assert!(err.messages()[0].contains("maxResults"));
        },
    ),
    ("spec-examples/get_jql_autocompletedata_200.json", |f| {
        let d: JqlAutocompleteData = decode(f);
        let summary = &d.visible_field_names[0];
        assert_eq!(summary.value, "summary");
        // "true" strings read as booleans.
        assert!(summary.orderable && summary.searchable);
        assert!(d.jql_reserved_words.contains(&"and".to_string()));
        assert!(!d.visible_function_names.is_empty());
    }),
    (
        "spec-examples/get_jql_autocompletedata_suggestions_200.json",
        |f| {
            let s: AutocompleteSuggestions = decode(f);
            assert_eq!(s.results[0].value, "ActiveObjects");
        },
    ),
    ("spec-examples/post_jql_parse_200.json", |f| {
        let p: ParsedJqlQueries = decode(f);
        assert!(p.queries.len() >= 2);
        assert!(p.queries[0].structure.is_some());
        assert!(p.queries.iter().any(|q| !q.errors.is_empty()));
    }),
    ("spec-examples/get_filter_favourite_200.json", |f| {
        let filters: Vec<Filter> = decode(f);
        assert_eq!(
            filters[0].jql.as_deref(),
            Some("type = Bug and resolution is empty")
        );
    }),
    ("spec-examples/get_filter_my_200.json", |f| {
        let filters: Vec<Filter> = decode(f);
        assert!(filters[0].favourite);
    }),
    ("spec-examples/get_filter_search_200.json", |f| {
        let p: Page<Filter> = decode(f);
        assert_eq!(p.values.len(), 2);
        assert!(p.is_last);
    }),
    (
        "spec-examples/get_issue_issueIdOrKey_watchers_200.json",
        |f| {
            let w: Watchers = decode(f);
            assert_eq!(w.watch_count, 1);
            assert_eq!(w.watchers[0].display_name, "Mia Krystof");
        },
    ),
    (
        "spec-examples/get_issue_issueIdOrKey_worklog_200.json",
        |f| {
            let w: WorklogPage = decode(f);
            assert_eq!(w.worklogs[0].time_spent_seconds, 12000);
            assert_eq!(
                adf::plain_text(w.worklogs[0].comment.as_ref().unwrap()),
                "I did some work here."
            );
        },
    ),
    ("spec-examples/get_issueLinkType_200.json", |f| {
        let t: IssueLinkTypes = decode(f);
        assert_eq!(t.issue_link_types.len(), 2);
        assert_eq!(t.issue_link_types[0].name, "Duplicate");
    }),
    ("spec-examples/get_issueLink_linkId_200.json", |f| {
        let l: IssueLink = decode(f);
        assert_eq!(l.id, "10001");
        assert!(l.inward_issue.is_some() && l.outward_issue.is_some());
    }),
    ("spec-examples/get_myself_200.json", |f| {
        let u: User = decode(f);
        assert_eq!(u.display_name, "Mia Krystof");
        assert_eq!(u.email_address.as_deref(), Some("mia@example.com"));
    }),
    ("spec-examples/get_serverInfo_200.json", |f| {
        let s: ServerInfo = decode(f);
        assert_eq!(s.server_title, "My Jira instance");
        assert_eq!(s.server_time_zone.as_deref(), Some("Australia/Sydney"));
        assert!(s.build_date.is_some());
    }),
    ("spec-examples/get_field_200.json", |f| {
        let fields: Vec<FieldDetails> = decode(f);
        let ids: Vec<&str> = fields.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, ["description", "summary"]);
        assert_eq!(
            fields[1].schema.as_ref().unwrap().system.as_deref(),
            Some("summary")
        );
    }),
    ("spec-examples/get_status_200.json", |f| {
        let s: Vec<Status> = decode(f);
        assert_eq!(s[0].name, "In Progress");
        assert_eq!(s[0].status_category.as_ref().unwrap().color_name, "yellow");
    }),
    ("spec-examples/get_project_projectIdOrKey_200.json", |f| {
        let p: Project = decode(f);
        assert!(!p.key.is_empty());
        assert_eq!(
            p.description.as_deref(),
            Some("This project was created as an example for REST.")
        );
        assert!(p.lead.is_some());
    }),
];

fn check_demisto_issue(f: &str) {
    let issue: Issue = decode(f);
    assert_eq!(issue.key, "COMPANYSA-35");
    assert_eq!(issue.id, "21487");
    let fields = &issue.fields;
    assert_eq!(fields.summary, "Testing summary XSOAR mirroring");
    let status = fields.status.as_ref().unwrap();
    assert_eq!(status.name, "In Progress");
    assert_eq!(fields.issuetype.as_ref().unwrap().name, "Story");
    assert_eq!(fields.priority.as_ref().unwrap().name, "Low");
    assert_eq!(fields.project.as_ref().unwrap().key, "COMPANYSA");
    assert_eq!(
        fields.labels,
        [
            "Demisto",
            "XSOAR",
            "dummy-label",
            "dummy-label2",
            "xsoar-mirror"
        ]
    );
    let components: Vec<&str> = fields.components.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        components,
        ["Almost-Done", "dummy-comp", "Integration", "New-Component"]
    );

    // Links: one inward Blocks, one outward Post-Incident Reviews.
    let links: Vec<(&str, &str, &str)> = fields
        .issuelinks
        .iter()
        .filter_map(|l| l.other_end())
        .map(|(rel, i)| (rel, i.key.as_str(), i.fields.summary.as_str()))
        .collect();
    assert_eq!(
        links,
        [
            ("is blocked by", "TSTPRD-6", "Hire UX designers"),
            ("reviews", "XSOAR-19", "something"),
        ]
    );
    assert_eq!(fields.issuelinks[0].link_type.name, "Blocks");
    assert_eq!(
        fields.issuelinks[0]
            .inward_issue
            .as_ref()
            .unwrap()
            .fields
            .status
            .as_ref()
            .unwrap()
            .name,
        "To Do"
    );

    let subtasks: Vec<&str> = fields.subtasks.iter().map(|s| s.key.as_str()).collect();
    assert_eq!(subtasks, ["COMPANYSA-63", "COMPANYSA-70"]);
    assert_eq!(fields.subtasks[0].fields.summary, "Mirrored subtask1");

    let comments = fields.comment.as_ref().unwrap();
    assert_eq!(comments.total, 2);
    assert_eq!(comments.comments.len(), 2);
    assert_eq!(
        adf::plain_text(&comments.comments[1].body),
        "Second comment"
    );

    let attachment = &fields.attachment[0];
    assert_eq!(attachment.filename, "dummy.pdf");
    assert_eq!(attachment.size, 13264);
    assert_eq!(attachment.mime_type.as_deref(), Some("application/pdf"));
    assert!(attachment.author.is_some() && attachment.created.is_some());

    assert_eq!(
        fields.watches,
        Some(Watches {
            watch_count: 1,
            is_watching: true
        })
    );
    let tt = fields.timetracking.as_ref().unwrap();
    assert_eq!(tt.original_estimate.as_deref(), Some("15w 2d 6m"));
    assert_eq!(tt.original_estimate_seconds, Some(2_217_960));
    assert_eq!(
        fields.created.unwrap().to_rfc3339(),
        "2023-03-01T11:34:49.730+02:00"
    );
    assert_eq!(fields.duedate.unwrap().to_string(), "2024-12-30");
    assert!(fields.updated.unwrap() > fields.created.unwrap());
    assert!(fields.resolution.is_none() && fields.resolutiondate.is_none());
    assert_eq!(fields.assignee.as_ref().unwrap().name(), "Example User");

    // The description renders, and wraps within the width.
    let desc = fields.description.as_ref().unwrap();
    assert_eq!(render_text(desc, 80), ["XSOAR description stam"]);
    for line in adf::render(desc, 10, &RenderContext::default()) {
        assert!(line.width() <= 10);
    }
    assert_eq!(render_text(desc, 10), ["XSOAR", "descriptio", "n stam"]);

    // Custom fields stay raw; JSM error objects in them do not break decoding.
    assert_eq!(fields.story_points(&issue.names), Some(1.0));
    assert_eq!(
        fields.custom_display("customfield_10019").as_deref(),
        Some("0|i00kjb:")
    );
    assert!(fields.custom("customfield_10071").is_some());
    assert!(
        fields.custom("customfield_10075").is_none(),
        "null is absent"
    );
    assert_eq!(
        issue.names.get("customfield_10018").map(String::as_str),
        Some("Sprint")
    );

    // Expansions.
    let transitions: Vec<&str> = issue.transitions.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(transitions, ["Backlog", "Complete"]);
    assert!(issue.rendered_fields.as_ref().unwrap().is_object());
    assert!(issue.changelog.is_none() && issue.editmeta.is_none());
}

#[test]
fn every_payload_decodes_with_its_model() {
    // Run every check and report all failing files at once.
    let failed: Vec<&str> = TABLE
        .iter()
        .filter(|(file, check)| std::panic::catch_unwind(|| check(file)).is_err())
        .map(|(file, _)| *file)
        .collect();
    assert!(failed.is_empty(), "failed: {failed:#?}");
}

#[test]
fn every_fixture_file_is_in_the_table() {
    let mut on_disk = BTreeSet::new();
    let root = fixtures_dir();
    let mut dirs = vec![root.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                let rel = path.strip_prefix(&root).unwrap();
                on_disk.insert(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let in_table: BTreeSet<String> = TABLE.iter().map(|(f, _)| f.to_string()).collect();
    assert_eq!(on_disk, in_table);
    assert!(
        root.join("README.md").exists(),
        "sources must stay documented"
    );
}

#[test]
fn embedded_adf_documents_round_trip_unchanged() {
    for file in [
        "issue-expanded-cloud-demisto.json",
        "comments-page-cloud-demisto.json",
        "comment-created-cloud-demisto.json",
    ] {
        let raw = load(file);
        let mut docs = Vec::new();
        collect_docs(&raw, &mut docs);
        assert!(!docs.is_empty(), "{file} has ADF");
        for doc in docs {
            let adf: Adf = serde_json::from_value(doc.clone()).unwrap();
            assert_eq!(&serde_json::to_value(&adf).unwrap(), doc);
            // Rendering never panics and keeps the text.
            let text = adf::plain_text(&adf);
            let rendered = render_text(&adf, 24).join(" ");
            for word in text.split_whitespace() {
                let word: String = word.chars().take(20).collect();
                assert!(rendered.contains(&word), "{word:?} lost in {rendered:?}");
            }
        }
    }
}

fn collect_docs<'a>(v: &'a Value, out: &mut Vec<&'a Value>) {
    match v {
        Value::Object(map) => {
            if map.get("type").and_then(Value::as_str) == Some("doc") {
                out.push(v);
            }
            map.values().for_each(|c| collect_docs(c, out));
        }
        Value::Array(items) => items.iter().for_each(|c| collect_docs(c, out)),
        _ => {}
    }
}
