//! Render snapshots of each pane and popup from hand-built state (TestBackend + insta).

#![allow(clippy::unwrap_used)]
#![recursion_limit = "256"]

use jtui::app::action::{Action, InputEdit};
use jtui::app::update::update;
use jtui::config::keymap::Keymap;
use jtui::jira::models::Issue;
use jtui::state::columns::ResultsColumns;
use jtui::state::issue::{CommentItem, IssueDetail};
use jtui::state::projects::ProjectItem;
use jtui::state::search::{IssueRow, StatusCategory};
use jtui::state::{LoadStatus, Pane, State};
use jtui::ui::{self, Theme};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::{Value, json};

fn draw(state: &State, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| ui::render(frame, state, &Theme::default(), &Keymap::default()))
        .unwrap();
    terminal
}

/// What "now" is in these snapshots: relative dates are measured from it.
const NOW: &str = "2026-11-20T19:04:00Z";

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
        updated_at: Some("2026-11-20T16:04:00+01:00".parse().unwrap()),
        ..IssueRow::default()
    }
}

fn sample_state(width: u16, height: u16) -> State {
    let mut state = State::new("demo");
    state.size = (width, height);
    state.now = Some(NOW.parse().unwrap());
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
    // Ages from "just now" to weeks, to show the relative dates.
    for (row, age_hours) in state.search.rows.iter_mut().zip([3, 50, 840, 0]) {
        let now: chrono::DateTime<chrono::Utc> = NOW.parse().unwrap();
        row.updated_at = Some((now - chrono::Duration::hours(age_hours)).fixed_offset());
    }
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
            author_name: "Tomás Ortega".into(),
            author_id: String::new(),
            visibility: None,
            pending: None,
            created: "2026-11-19 10:00".into(),
            edited: false,
            body: body("Reproduced on two boards."),
        },
        CommentItem {
            id: "2".into(),
            author: "Priya Nair".into(),
            author_name: "Priya Nair".into(),
            author_id: String::new(),
            visibility: None,
            pending: None,
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

/// The keys inside editors are in the help too (below the fold of the snapshot), and
/// no line is cut on a wide screen.
#[test]
fn help_names_the_editor_keys_and_fits_its_longest_line() {
    let lines = ui::help::lines(&Keymap::default(), &Theme::default());
    let text: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    for expected in [
        "Editors (fields, comments, descriptions, forms)",
        "Ctrl-V",
        "comment: who may see it (everyone, a role, a group)",
        "Ctrl-E",
    ] {
        assert!(
            text.iter().any(|l| l.contains(expected)),
            "{expected:?} in {text:#?}"
        );
    }
    let longest = lines.iter().map(|l| l.width()).max().unwrap();
    let mut state = sample_state(160, 48);
    update(&mut state, Action::ToggleHelp);
    let screen = draw(&state, 160, 48);
    // Taller than the screen, the popup starts on the top row: its corners give its width.
    let top: Vec<&str> = screen.backend().buffer().content[..160]
        .iter()
        .map(|c| c.symbol())
        .collect();
    let left = top.iter().position(|c| *c == "╭").unwrap();
    let right = top.iter().rposition(|c| *c == "╮").unwrap();
    assert!(
        right - left > longest,
        "the popup ({} inside) holds its longest line ({longest}): {}",
        right - left - 1,
        top.concat()
    );
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

/// An issue with every standard field set, relations of each kind and a changelog.
fn full_issue() -> Issue {
    let status = |name: &str, key: &str| json!({"id": "1", "name": name, "statusCategory": {"id": 2, "key": key, "name": name}});
    let linked = |key: &str, summary: &str, st: Value| json!({"id": "9", "key": key, "fields": {"summary": summary, "status": st}});
    let user = |id: &str, name: &str| json!({"accountId": id, "displayName": name});
    serde_json::from_value(json!({
        "id": "10102", "key": "NAV-102",
        "names": {"customfield_10016": "Story Points", "customfield_10020": "Sprint"},
        "fields": {
            "summary": "Fuse wheel odometry with IMU",
            "status": status("Done", "done"),
            "issuetype": {"id": "10001", "name": "Story"},
            "priority": {"id": "3", "name": "Medium"},
            "resolution": {"id": "1", "name": "Done"},
            "assignee": user("a1", "Priya Nair"),
            "reporter": user("a2", "Tomás Ortega"),
            "labels": ["fusion"],
            "components": [{"id": "1", "name": "Localisation"}, {"id": "2", "name": "Firmware"}],
            "fixVersions": [{"id": "1", "name": "4.2"}],
            "customfield_10016": 8,
            "customfield_10020": [{"id": 3, "name": "NAV Sprint 14", "state": "active"}],
            "duedate": "2026-12-01",
            "created": "2026-10-01T09:00:00.000+0200",
            "updated": "2026-11-20T16:04:00.000+0100",
            "resolutiondate": "2026-11-20T16:04:00.000+0100",
            "parent": linked("NAV-90", "Localisation v2", status("In Progress", "indeterminate")),
            "subtasks": [linked("NAV-103", "Calibrate IMU bias", status("Done", "done"))],
            "issuelinks": [
                {"id": "1", "type": {"id": "1", "name": "Blocks", "inward": "is blocked by", "outward": "blocks"},
                 "outwardIssue": linked("NAV-120", "Release 4.2", status("To Do", "new"))},
                {"id": "2", "type": {"id": "2", "name": "Cloners", "inward": "is cloned by", "outward": "clones"},
                 "inwardIssue": linked("WEB-7", "経路の可視化 (route view)", status("To Do", "new"))}
            ],
            "watches": {"watchCount": 4, "isWatching": true},
            "timetracking": {"originalEstimate": "3d", "remainingEstimate": "0m", "timeSpent": "2d 4h"},
            "attachment": [{"id": "5", "filename": "imu-trace.csv", "size": 48213}]
        },
        "changelog": {"startAt": 0, "maxResults": 3, "total": 5, "histories": [
            {"id": "1", "author": user("a2", "Tomás Ortega"), "created": "2026-10-02T10:00:00.000+0200",
             "items": [{"field": "assignee", "fieldtype": "jira", "from": null, "fromString": null, "to": "a1", "toString": "Priya Nair"}]},
            {"id": "3", "author": user("a1", "Priya Nair"), "created": "2026-11-20T16:04:00.000+0100",
             "items": [{"field": "status", "fieldtype": "jira", "from": "3", "fromString": "In Progress", "to": "10001", "toString": "Done"},
                       {"field": "resolution", "fieldtype": "jira", "from": null, "fromString": null, "to": "1", "toString": "Done"}]},
            {"id": "2", "author": user("a1", "Priya Nair"), "created": "2026-10-05T08:30:00.000+0200",
             "items": [{"field": "status", "fieldtype": "jira", "from": "1", "fromString": "To Do", "to": "3", "toString": "In Progress"}]}
        ]}
    }))
    .unwrap()
}

fn issue_state(width: u16, height: u16, issue: &Issue) -> State {
    let mut state = sample_state(width, height);
    state.focus = Pane::Issue;
    state.issue.key = Some(issue.key.clone());
    state.issue.detail = Some(IssueDetail::from_issue(issue));
    state.issue.touch();
    state
}

fn screen_text(terminal: &Terminal<TestBackend>) -> String {
    let buffer = terminal.backend().buffer();
    let area = buffer.area;
    (0..area.height)
        .map(|y| {
            (0..area.width)
                .map(|x| buffer[(x, y)].symbol().to_owned())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_standard_field_and_a_highlighted_related_issue() {
    let mut state = issue_state(120, 48, &full_issue());
    update(&mut state, Action::ToggleZoom);
    update(&mut state, Action::NextRelated);
    update(&mut state, Action::NextRelated);
    update(&mut state, Action::NextRelated);
    let terminal = draw(&state, 120, 48);
    insta::assert_snapshot!(terminal.backend());
    let screen = screen_text(&terminal);
    for needle in [
        "Story",
        "Medium",
        "Resolution",
        "Priya Nair",
        "Tomás Ortega",
        "fusion",
        "Localisation, Firmware",
        "4.2",
        "NAV Sprint 14",
        "8",
        "2026-12-01",
        "Watchers",
        "3d estimate, 0m remaining, 2d 4h logged",
        "imu-trace.csv (47.1 KB)",
        "Parent",
        "NAV-90",
        "Sub-task",
        "NAV-103",
        "blocks",
        "NAV-120",
        "is cloned by",
        "WEB-7",
    ] {
        assert!(screen.contains(needle), "{needle:?} missing:\n{screen}");
    }
    // The highlight is drawn on the third related issue's row, in the selection style.
    let row = screen.lines().position(|l| l.contains("NAV-120")).unwrap() as u16;
    let cell = &terminal.backend().buffer()[(2, row)];
    assert_eq!(cell.bg, Theme::default().selected.bg.unwrap());
}

#[test]
fn history_tab_lists_changes_newest_first() {
    let mut state = issue_state(100, 30, &full_issue());
    update(&mut state, Action::ToggleHistory);
    let terminal = draw(&state, 100, 30);
    insta::assert_snapshot!(terminal.backend());
    let screen = screen_text(&terminal);
    assert!(
        screen.contains("History (latest 3 of 5 changes)"),
        "{screen}"
    );
    let newest = screen.find("status: In Progress → Done").unwrap();
    let middle = screen.find("status: To Do → In Progress").unwrap();
    let oldest = screen.find("assignee: — → Priya Nair").unwrap();
    assert!(newest < middle && middle < oldest, "{screen}");
    assert!(screen.contains("resolution: — → Done"));
}

#[test]
fn a_zoomed_pane_fills_the_screen() {
    let mut state = sample_state(100, 20);
    state.focus = Pane::Results;
    update(&mut state, Action::ToggleZoom);
    let terminal = draw(&state, 100, 20);
    insta::assert_snapshot!(terminal.backend());
    let screen = screen_text(&terminal);
    assert!(!screen.contains("Projects"), "{screen}");
    assert!(screen.contains("NAV-101"));
}

#[test]
fn configured_columns_at_several_widths() {
    let columns =
        ResultsColumns::from_names(["key", "status", "summary", "reporter", "created", "due"])
            .unwrap();
    for width in [160u16, 90] {
        let mut state = sample_state(width, 14);
        state.search.columns = columns.clone();
        state.search.jql = "project = NAV ORDER BY created ASC".into();
        for row in &mut state.search.rows {
            row.reporter = "Tomás Ortega".into();
            row.created_at = row.updated_at.map(|d| d - chrono::Duration::days(30));
            row.due = chrono::NaiveDate::from_ymd_opt(2026, 12, 1);
        }
        let terminal = draw(&state, width, 14);
        insta::assert_snapshot!(format!("configured_columns_{width}"), terminal.backend());
        let screen = screen_text(&terminal);
        assert!(screen.contains("Created ↑"), "{screen}");
    }
}

#[test]
fn the_jump_prompt_shows_the_local_check() {
    let mut state = sample_state(100, 16);
    update(&mut state, Action::JumpToIssue);
    for c in "nav12".chars() {
        update(&mut state, Action::Input(InputEdit::Insert(c)));
    }
    update(&mut state, Action::Input(InputEdit::Submit));
    let terminal = draw(&state, 100, 16);
    insta::assert_snapshot!(terminal.backend());
    assert!(screen_text(&terminal).contains("\"nav12\" is not an issue key: expected PROJ-123"));
}

#[test]
fn a_tall_help_scrolls() {
    let mut state = sample_state(100, 20);
    update(&mut state, Action::ToggleHelp);
    let top = screen_text(&draw(&state, 100, 20));
    assert!(top.contains("↓ more"), "{top}");
    update(&mut state, Action::Bottom);
    let bottom = screen_text(&draw(&state, 100, 20));
    assert!(bottom.contains("submit / cancel"), "{bottom}");
    assert!(!bottom.contains("Quit jtui"));
}

#[test]
fn ten_thousand_rows_draw_only_the_visible_window() {
    let mut state = sample_state(160, 48);
    state.search.rows = (0..10_000)
        .map(|n| {
            row(
                &format!("NAV-{n}"),
                &format!("Issue {n}"),
                "To Do",
                StatusCategory::ToDo,
            )
        })
        .collect();
    state.search.next_page_token = None;
    let mut terminal = Terminal::new(TestBackend::new(160, 48)).unwrap();
    // Page through all of it, drawing every step, as holding PageDown would.
    let mut frames = 0;
    while state.search.selected + 1 < state.search.rows.len() {
        update(&mut state, Action::PageDown);
        terminal
            .draw(|f| ui::render(f, &state, &Theme::default(), &Keymap::default()))
            .unwrap();
        frames += 1;
    }
    update(&mut state, Action::Top);
    update(&mut state, Action::Bottom);
    terminal
        .draw(|f| ui::render(f, &state, &Theme::default(), &Keymap::default()))
        .unwrap();
    assert!(frames > 400, "{frames} pages");
    assert!(screen_text(&terminal).contains("NAV-9999"));
    // How fast this is belongs to the benchmarks (`cargo bench`), not to a timed test.
}

#[test]
fn document_colours_follow_the_terminals_colour_support() {
    use jtui::ui::theme::ColorSupport;
    use ratatui::style::Color;
    let mut issue = detail_issue();
    issue.fields.description = Some(jtui::jira::Adf::from_value(
        json!({"type": "doc", "version": 1, "content": [
            {"type": "paragraph", "content": [{"type": "text", "text": "RED ALERT", "marks": [{"type": "textColor", "attrs": {"color": "#bf2600"}}]}]}
        ]}),
    ));
    let state = issue_state(120, 40, &issue);
    for (support, want) in [
        (ColorSupport::TrueColor, Some(Color::Rgb(0xbf, 0x26, 0x00))),
        (ColorSupport::Ansi16, Some(Color::Red)),
        (ColorSupport::None, None),
    ] {
        let theme = Theme::for_support(support);
        let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
        terminal
            .draw(|f| ui::render(f, &state, &theme, &Keymap::default()))
            .unwrap();
        let screen = screen_text(&terminal);
        let y = screen
            .lines()
            .position(|l| l.contains("RED ALERT"))
            .unwrap();
        let x = screen
            .lines()
            .nth(y)
            .unwrap()
            .chars()
            .position(|c| c == 'R')
            .unwrap();
        let fg = terminal.backend().buffer()[(x as u16, y as u16)].fg;
        match want {
            Some(color) => assert_eq!(fg, color, "{support:?}"),
            None => assert_eq!(fg, Color::Reset, "{support:?}"),
        }
    }
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
