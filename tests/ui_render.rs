//! Render snapshots of each pane and popup from hand-built state (TestBackend + insta).

#![allow(clippy::unwrap_used)]
#![recursion_limit = "256"]

use jtui::app::action::{Action, InputEdit};
use jtui::app::update::update;
use jtui::config::keymap::Keymap;
use jtui::jira::models::Issue;
use jtui::state::issue::{CommentItem, IssueDetail};
use jtui::state::projects::ProjectItem;
use jtui::state::search::{IssueRow, StatusCategory};
use jtui::state::{LoadStatus, Pane, State};
use jtui::ui::{self, Theme};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::json;

fn draw(state: &State, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| ui::render(frame, state, &Theme::default(), &Keymap::default()))
        .unwrap();
    terminal
}

fn row(key: &str, summary: &str, status: &str, category: StatusCategory) -> IssueRow {
    IssueRow {
        key: key.into(),
        issue_type: "Bug".into(),
        priority: "High".into(),
        status: status.into(),
        category,
        assignee: "Priya Nair".into(),
        summary: summary.into(),
        updated: "2026-11-20 16:04".into(),
    }
}

fn sample_state(width: u16, height: u16) -> State {
    let mut state = State::new("demo");
    state.size = (width, height);
    state.me = Some("Dana Whitfield".into());
    state.projects.items = vec![
        ProjectItem {
            key: "NAV".into(),
            name: "Autonomous Navigation".into(),
            kind: "software".into(),
        },
        ProjectItem {
            key: "WEB".into(),
            name: "Customer Web Portal".into(),
            kind: "software".into(),
        },
        ProjectItem {
            key: "OPS".into(),
            name: "IT Operations".into(),
            kind: "business".into(),
        },
        ProjectItem {
            key: "HELP".into(),
            name: "Customer Support".into(),
            kind: "service_desk".into(),
        },
    ];
    state.projects.active = Some("NAV".into());
    state.search.jql = "project = NAV ORDER BY updated DESC".into();
    state.search.count = Some(153);
    state.search.next_page_token = Some("t".into());
    state.search.rows = vec![
        row(
            "NAV-101",
            "Lidar point cloud drops frames above 30 Hz on rev-C boards",
            "In Progress",
            StatusCategory::InProgress,
        ),
        row(
            "NAV-99",
            "経路計画がトンネル内で停止する (path planner stalls in tunnels)",
            "To Do",
            StatusCategory::ToDo,
        ),
        row(
            "NAV-98",
            "🚀 Ship odometry fusion v2 🎉 to the fleet",
            "Done",
            StatusCategory::Done,
        ),
        row("NAV-7", "Short", "In Review", StatusCategory::InProgress),
    ];
    state
}

fn detail_issue() -> Issue {
    serde_json::from_value(json!({
        "id": "10101", "key": "NAV-101",
        "names": {"customfield_10016": "Story Points", "customfield_10001": "Team"},
        "fields": {
            "summary": "Lidar point cloud drops frames above 30 Hz on rev-C boards",
            "status": {"id": "3", "name": "In Progress", "statusCategory": {"id": 4, "key": "indeterminate", "name": "In Progress", "colorName": "yellow"}},
            "issuetype": {"id": "10004", "name": "Bug"},
            "priority": {"id": "2", "name": "High"},
            "assignee": {"accountId": "a1", "displayName": "Priya Nair"},
            "reporter": {"accountId": "a2", "displayName": "Tomás Ortega"},
            "labels": ["perf", "regression"],
            "components": [{"id": "1", "name": "Perception"}],
            "customfield_10016": 5,
            "customfield_10001": {"id": "7", "value": "Perception squad"},
            "issuelinks": [{"id": "1", "type": {"id": "1", "name": "Blocks", "inward": "is blocked by", "outward": "blocks"},
                            "outwardIssue": {"id": "2", "key": "NAV-120", "fields": {"summary": "Release 4.2", "status": {"id": "1", "name": "To Do"}}}}],
            "created": "2026-10-01T09:00:00.000+0200",
            "updated": "2026-11-20T16:04:00.000+0100",
            "description": {"version": 1, "type": "doc", "content": [
                {"type": "heading", "attrs": {"level": 2}, "content": [{"type": "text", "text": "Steps"}]},
                {"type": "orderedList", "content": [
                    {"type": "listItem", "content": [{"type": "paragraph", "content": [{"type": "text", "text": "Flash "}, {"type": "text", "text": "rev-C", "marks": [{"type": "code"}]}]}]},
                    {"type": "listItem", "content": [{"type": "paragraph", "content": [{"type": "text", "text": "Run at 40 Hz", "marks": [{"type": "strong"}]}]}]}
                ]},
                {"type": "codeBlock", "attrs": {"language": "rust"}, "content": [{"type": "text", "text": "let hz = 40;"}]},
                {"type": "panel", "attrs": {"panelType": "warning"}, "content": [{"type": "paragraph", "content": [{"type": "text", "text": "Blocks the 4.2 release."}]}]}
            ]}
        }
    }))
    .unwrap()
}

#[test]
fn wide_layout_with_results_and_projects() {
    let state = sample_state(140, 24);
    insta::assert_snapshot!(draw(&state, 140, 24).backend());
}

#[test]
fn results_with_cjk_and_emoji_stay_aligned_at_several_widths() {
    for width in [100u16, 72] {
        let mut state = sample_state(width, 24);
        state.focus = Pane::Results;
        let terminal = draw(&state, width, 24);
        insta::assert_snapshot!(format!("results_{width}"), terminal.backend());
        // Every row of the results pane ends at the same column: no wide char spilled.
        let buffer = terminal.backend().buffer();
        let area = jtui::ui::layout::areas(width, 24).results;
        for y in area.y + 2..area.y + 6 {
            let right = buffer[(area.right() - 1, y)].symbol().to_owned();
            assert!(
                right == "│" || right == "┃",
                "row {y} is misaligned: {right:?}"
            );
        }
    }
}

#[test]
fn issue_pane_shows_fields_description_and_comments() {
    let mut state = sample_state(120, 40);
    state.focus = Pane::Issue;
    state.issue.key = Some("NAV-101".into());
    state.issue.detail = Some(IssueDetail::from_issue(&detail_issue()));
    state.issue.comments_total = 3;
    let body = |text: &str| jtui::jira::Adf::from_plain_text(text);
    state.issue.comments = vec![
        CommentItem {
            id: "1".into(),
            author: "Tomás Ortega".into(),
            created: "2026-11-19 10:00".into(),
            edited: false,
            body: body("Reproduced on two boards."),
        },
        CommentItem {
            id: "2".into(),
            author: "Priya Nair".into(),
            created: "2026-11-20 09:30".into(),
            edited: true,
            body: body("Bisected to the DMA change."),
        },
    ];
    state.issue.touch();
    insta::assert_snapshot!(draw(&state, 120, 40).backend());
    // Scrolled to the end: the comments, with author, date and the edited mark.
    state.issue.scroll.set(usize::MAX / 2);
    let terminal = draw(&state, 120, 40);
    insta::assert_snapshot!("issue_pane_comments", terminal.backend());
    let screen = format!("{:?}", terminal.backend());
    assert!(screen.contains("Bisected to the DMA change."));
    assert!(screen.contains("edited"));
}

#[test]
fn narrow_layout_stacks_panes() {
    let state = sample_state(80, 30);
    insta::assert_snapshot!(draw(&state, 80, 30).backend());
}

#[test]
fn jql_bar_highlights_and_reports_the_local_error() {
    let mut state = sample_state(120, 12);
    state.search.jql = "project = NAV AND (status = Done".into();
    update(&mut state, Action::OpenJql);
    update(&mut state, Action::Input(InputEdit::Insert(' ')));
    let terminal = draw(&state, 120, 12);
    insta::assert_snapshot!(terminal.backend());
    let status_line: String = (0..120)
        .map(|x| terminal.backend().buffer()[(x, 11)].symbol().to_owned())
        .collect();
    assert!(
        status_line.contains("Error in the JQL Query"),
        "{status_line}"
    );
}

#[test]
fn help_overlay_lists_the_keymap() {
    let mut state = sample_state(120, 40);
    update(&mut state, Action::ToggleHelp);
    insta::assert_snapshot!(draw(&state, 120, 40).backend());
}

#[test]
fn loading_and_failure_are_shown_in_titles() {
    let mut state = sample_state(120, 12);
    state.search.rows.clear();
    state.search.status = LoadStatus::Failed(
        "Error in the JQL Query: Expecting operator but got 'query'. (line 1, character 9)".into(),
    );
    state.projects.status = LoadStatus::Loading(1);
    insta::assert_snapshot!(draw(&state, 120, 12).backend());
}

fn completion_reference() -> jtui::state::completion::Reference {
    use jtui::jira::models::{AutocompleteField, AutocompleteFunction, JqlAutocompleteData};
    let user = "com.atlassian.jira.user.ApplicationUser";
    let field = |value: &str, display: &str, ops: &[&str]| AutocompleteField {
        value: value.into(),
        display_name: display.into(),
        orderable: true,
        searchable: true,
        auto: true,
        cfid: None,
        operators: ops.iter().map(|o| (*o).into()).collect(),
        types: vec![user.into()],
    };
    jtui::state::completion::Reference::from_data(&JqlAutocompleteData {
        visible_field_names: vec![
            field(
                "assignee",
                "assignee",
                &["=", "!=", "in", "not in", "is", "is not"],
            ),
            field("status", "status", &["=", "!=", "in", "not in"]),
            field("statusCategory", "statusCategory", &["=", "!=", "in"]),
            AutocompleteField {
                cfid: Some("cf[10016]".into()),
                ..field("\"Story Points\"", "Story Points - cf[10016]", &["=", ">"])
            },
        ],
        visible_function_names: vec![AutocompleteFunction {
            value: "currentUser()".into(),
            display_name: "currentUser()".into(),
            is_list: false,
            types: vec![user.into()],
        }],
        ..JqlAutocompleteData::default()
    })
}

fn type_into_bar(state: &mut State, text: &str) {
    for c in text.chars() {
        update(state, Action::Input(InputEdit::Insert(c)));
    }
}

#[test]
fn jql_bar_with_the_completion_popup() {
    use jtui::state::completion::{Suggestion, cache_key};
    let mut state = sample_state(120, 16);
    state.completion.reference = Some(completion_reference());
    state.completion.values.insert(
        cache_key("assignee", "pri"),
        vec![
            Suggestion {
                value: "acc-priya".into(),
                label: "Priya Nair".into(),
            },
            Suggestion {
                value: "acc-prime".into(),
                label: "Prime Bot (app)".into(),
            },
        ],
    );
    state.search.jql = "project = NAV".into();
    update(&mut state, Action::OpenJql);
    type_into_bar(&mut state, " AND assignee = pri");
    update(&mut state, Action::Complete);
    update(&mut state, Action::Down);
    let terminal = draw(&state, 120, 16);
    insta::assert_snapshot!(terminal.backend());
    let screen = format!("{:?}", terminal.backend());
    assert!(screen.contains("values · assignee"), "{screen}");
    assert!(screen.contains("Priya Nair") && screen.contains("Prime Bot (app)"));

    // Fields: display names, custom fields by name, the popup under the word.
    update(&mut state, Action::Input(InputEdit::Cancel));
    type_into_bar(&mut state, " AND st");
    update(&mut state, Action::Complete);
    let popup = state.completion.popup.as_ref().unwrap();
    let inserts: Vec<&str> = popup.items.iter().map(|c| c.insert.as_str()).collect();
    assert_eq!(inserts, ["status", "statusCategory", "\"Story Points\""]);
    let screen = format!("{:?}", draw(&state, 120, 16).backend());
    assert!(screen.contains("Story Points - cf[10016]"), "{screen}");
    update(&mut state, Action::Up);
    update(&mut state, Action::Input(InputEdit::Submit));
    assert!(
        state
            .jql_bar
            .as_ref()
            .unwrap()
            .input
            .text()
            .ends_with("AND \"Story Points\" ")
    );
}

#[test]
fn the_filter_picker_lists_sections() {
    use jtui::state::filters::FilterItem;
    let mut state = sample_state(120, 30);
    let item = |id: &str, name: &str, jql: &str| FilterItem {
        id: id.into(),
        name: name.into(),
        jql: Some(jql.into()),
        owner: "Dana Whitfield".into(),
    };
    update(&mut state, Action::OpenFilters);
    // Still loading: the popup says so instead of looking empty.
    let screen = format!("{:?}", draw(&state, 120, 30).backend());
    assert!(screen.contains("loading"), "{screen}");
    state.filters.favourites.status = LoadStatus::Idle;
    state.filters.favourites.items = vec![
        item(
            "10000",
            "My open bugs",
            "assignee = currentUser() AND type = Bug AND resolution IS EMPTY",
        ),
        item(
            "10001",
            "Release 4.2 blockers",
            "fixVersion = \"4.2\" AND priority in (Highest, High)",
        ),
    ];
    state.filters.mine.status = LoadStatus::Idle;
    state.filters.mine.items = vec![
        item("10001", "Release 4.2 blockers", "fixVersion = \"4.2\""),
        item(
            "10002",
            "経路計画 regressions 🚀",
            "labels = regression AND component = Planner",
        ),
    ];
    update(&mut state, Action::Down);
    insta::assert_snapshot!(draw(&state, 120, 30).backend());
    // Typing narrows by name, case-insensitively; failures show in their section.
    type_into_bar(&mut state, "REG");
    state.filters.mine.status = LoadStatus::Failed("permission denied (403)".into());
    let terminal = draw(&state, 120, 30);
    insta::assert_snapshot!("the_filter_picker_narrowed", terminal.backend());
    let screen = format!("{:?}", terminal.backend());
    assert!(screen.contains("› REG"));
    assert!(!screen.contains("My open bugs"));
    assert!(screen.contains("My filters: permission denied (403)"));
}
