//! Drawing with 10,000 issues loaded: a full frame at 200×60, and key-to-frame (the
//! `update` for a cursor move plus the frame it causes). Both must not depend on how
//! many rows are loaded: only the visible window is laid out.

use chrono::{DateTime, Duration, FixedOffset, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use jtui::app::action::Action;
use jtui::app::update::update;
use jtui::config::keymap::Keymap;
use jtui::jira::adf::Adf;
use jtui::state::issue::{IssueDetail, RelatedIssue};
use jtui::state::projects::ProjectItem;
use jtui::state::search::{IssueRow, StatusCategory};
use jtui::state::{Pane, State};
use jtui::ui::{self, Theme};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::hint::black_box;

const WIDTH: u16 = 200;
const HEIGHT: u16 = 60;
/// Issues loaded in the results.
const ROWS: usize = 10_000;

const STATUSES: [(&str, StatusCategory); 4] = [
    ("To Do", StatusCategory::ToDo),
    ("In Progress", StatusCategory::InProgress),
    ("In Review", StatusCategory::InProgress),
    ("Done", StatusCategory::Done),
];
const PEOPLE: [&str; 5] = [
    "Priya Nair",
    "Dana Whitfield",
    "Kenji Watanabe",
    "Nina Kowalski",
    "—",
];
const WORDS: [&str; 12] = [
    "lidar",
    "drops",
    "frames",
    "when",
    "the",
    "bus",
    "is",
    "saturated",
    "retry",
    "backoff",
    "watchdog",
    "restart",
];

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-28T12:00:00Z")
        .map(|d| d.with_timezone(&Utc))
        .unwrap_or_default()
}

fn row(n: usize) -> IssueRow {
    let (status, category) = STATUSES[n % STATUSES.len()];
    let summary: Vec<&str> = (0..8)
        .map(|i| WORDS[(n * 7 + i * 3) % WORDS.len()])
        .collect();
    let updated: DateTime<FixedOffset> =
        (now() - Duration::minutes(i64::try_from(n).unwrap_or(0) * 37)).fixed_offset();
    IssueRow {
        key: format!("NAV-{}", ROWS - n),
        issue_type: if n.is_multiple_of(3) { "Bug" } else { "Story" }.into(),
        priority: ["Highest", "High", "Medium", "Low"][n % 4].into(),
        status: status.into(),
        category,
        assignee: PEOPLE[n % PEOPLE.len()].into(),
        summary: summary.join(" "),
        updated: updated.format("%Y-%m-%d %H:%M").to_string(),
        updated_at: Some(updated),
        ..IssueRow::default()
    }
}

/// A session with 10,000 results, the issue pane showing one with a description.
fn loaded_state() -> State {
    let mut state = State::new("bench");
    state.size = (WIDTH, HEIGHT);
    state.now = Some(now());
    state.me = Some("Dana Whitfield".into());
    state.projects.items = ["NAV", "WEB", "OPS", "HW"]
        .iter()
        .map(|k| ProjectItem {
            key: (*k).into(),
            name: format!("Project {k}"),
            kind: "software".into(),
        })
        .collect();
    state.search.jql = "project = NAV ORDER BY updated DESC".into();
    state.search.rows = (0..ROWS).map(row).collect();
    state.search.count = Some(ROWS as u64);
    state.focus = Pane::Results;
    let description = (0..40)
        .map(|i| format!("Paragraph {i}: {}", WORDS.join(" ").repeat(3)))
        .collect::<Vec<_>>()
        .join("\n\n");
    state.issue.key = Some("NAV-10000".into());
    state.issue.detail = Some(IssueDetail {
        key: "NAV-10000".into(),
        summary: "Lidar drops frames when the bus is saturated".into(),
        status: "In Progress".into(),
        category: StatusCategory::InProgress,
        fields: vec![
            ("Type".into(), "Bug".into()),
            ("Priority".into(), "High".into()),
            ("Assignee".into(), "Priya Nair".into()),
        ],
        related: vec![RelatedIssue {
            relation: "blocks".into(),
            key: "NAV-9".into(),
            summary: "Bus arbitration".into(),
            status: "To Do".into(),
            category: StatusCategory::ToDo,
        }],
        history: Vec::new(),
        history_total: 0,
        description: Some(Adf::from_plain_text(&description)),
        render_ctx: Default::default(),
    });
    state.issue.touch();
    state
}

fn frame(c: &mut Criterion) {
    let theme = Theme::default();
    let keymap = Keymap::default();
    let mut group = c.benchmark_group("frame");

    let mut state = loaded_state();
    let mut terminal = match Terminal::new(TestBackend::new(WIDTH, HEIGHT)) {
        Ok(t) => t,
        Err(e) => panic!("test backend: {e}"),
    };
    // Somewhere in the middle of the list.
    state.search.selected = ROWS / 2;
    group.bench_function("full_render_200x60_10k_rows", |b| {
        b.iter(|| {
            let drawn = terminal.draw(|f| ui::render(f, black_box(&state), &theme, &keymap));
            black_box(drawn.is_ok())
        })
    });

    // Key to frame: one cursor move, then the frame it changes. Moves down through
    // all 10,000 rows and starts over at the top.
    let mut state = loaded_state();
    group.bench_function("key_to_frame_down_10k_rows", |b| {
        b.iter(|| {
            if state.search.selected + 1 >= ROWS {
                state.search.selected = 0;
            }
            let effects = update(&mut state, Action::Down);
            let drawn = terminal.draw(|f| ui::render(f, &state, &theme, &keymap));
            black_box((effects, drawn.is_ok()))
        })
    });
    let mut state = loaded_state();
    group.bench_function("key_to_frame_page_down_10k_rows", |b| {
        b.iter(|| {
            if state.search.selected + 60 >= ROWS {
                state.search.selected = 0;
            }
            let effects = update(&mut state, Action::PageDown);
            let drawn = terminal.draw(|f| ui::render(f, &state, &theme, &keymap));
            black_box((effects, drawn.is_ok()))
        })
    });
    group.finish();
}

criterion_group!(benches, frame);
criterion_main!(benches);
