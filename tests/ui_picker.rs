//! Render snapshots of the field editors' picker (TestBackend + insta): single and multi
//! select, free entry, loading, scrolling, hostile and wide labels, and where the cursor
//! goes.

#![allow(clippy::unwrap_used)]

use jtui::config::keymap::KeyBinding;
use jtui::state::fieldkind::label_item;
use jtui::state::picker::{Picker, PickerItem, PickerOutcome};
use jtui::ui::Theme;
use jtui::ui::picker::render_picker;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::{Position, Rect};
use serde_json::json;

fn draw(picker: &Picker, title: &str, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| {
            let area = Rect::new(0, 0, width, height);
            render_picker(frame, area, picker, &Theme::default(), title);
        })
        .unwrap();
    terminal
}

/// The rows drawn with the selection's background (the snapshots show text only).
fn highlighted_rows(terminal: &Terminal<TestBackend>) -> Vec<u16> {
    let buffer = terminal.backend().buffer();
    let selected = Theme::default().selected.bg;
    (0..buffer.area.height)
        .filter(|&y| buffer[(2, y)].style().bg == selected)
        .collect()
}

fn item(id: &str, label: &str) -> PickerItem {
    PickerItem::new(id, label, None, json!({ "id": id }))
}

fn typed(picker: &mut Picker, text: &str) {
    for c in text.chars() {
        let key = if c == ' ' {
            KeyBinding::parse("space").unwrap()
        } else {
            KeyBinding::parse(&c.to_string()).unwrap()
        };
        picker.apply(key);
    }
}

fn press(picker: &mut Picker, key: &str) -> PickerOutcome {
    picker.apply(KeyBinding::parse(key).unwrap())
}

fn priorities() -> Vec<PickerItem> {
    ["Highest", "High", "Medium", "Low", "Lowest"]
        .iter()
        .enumerate()
        .map(|(i, name)| item(&(i + 1).to_string(), name))
        .collect()
}

#[test]
fn single_select_marks_the_current_value() {
    let picker = Picker::single(priorities(), Some("3")).with_pinned(PickerItem::new(
        "none",
        "None",
        None,
        json!(null),
    ));
    let mut terminal = draw(&picker, "Priority", 40, 10);
    insta::assert_snapshot!(terminal.backend());
    assert_eq!(terminal.get_cursor_position().unwrap(), Position::new(4, 1));
    assert_eq!(
        highlighted_rows(&terminal),
        [5],
        "Medium, the current value"
    );
}

#[test]
fn multi_select_with_checks_and_a_filter() {
    let components = vec![
        item("1", "Perception"),
        item("2", "Planning"),
        item("3", "Localisation"),
        item("4", "Fleet Console"),
        item("5", "Firmware"),
    ];
    let mut picker = Picker::multi(components, vec![item("2", "Planning")]);
    press(&mut picker, "space");
    typed(&mut picker, "p");
    let mut terminal = draw(&picker, "Components", 44, 10);
    insta::assert_snapshot!(terminal.backend());
    assert_eq!(terminal.get_cursor_position().unwrap(), Position::new(5, 1));
    assert_eq!(highlighted_rows(&terminal), [3]);
}

#[test]
fn labels_offer_free_entry_and_explain_refusals() {
    let labels: Vec<PickerItem> = ["backend", "blocker", "ui"]
        .iter()
        .map(|l| label_item(l).unwrap())
        .collect();
    let mut picker = Picker::multi(labels, Vec::new()).with_free_entry(label_item);
    typed(&mut picker, "b");
    insta::assert_snapshot!(
        "labels_partial_match",
        draw(&picker, "Labels", 40, 8).backend()
    );
    typed(&mut picker, "ug-42");
    insta::assert_snapshot!("labels_no_match", draw(&picker, "Labels", 40, 8).backend());
    typed(&mut picker, " x");
    assert_eq!(press(&mut picker, "enter"), PickerOutcome::Changed);
    let terminal = draw(&picker, "Labels", 40, 8);
    insta::assert_snapshot!("labels_refused", terminal.backend());
    let error = terminal.backend().buffer()[(2, 6)].style().fg;
    assert_eq!(
        error,
        Theme::default().error.fg,
        "the reason in the error colour"
    );
}

#[test]
fn user_search_loading_and_details() {
    let mut picker = Picker::single(Vec::new(), None)
        .with_remote_filter()
        .with_pinned(PickerItem::new("none", "Unassigned", None, json!(null)));
    typed(&mut picker, "pri");
    picker.set_loading(true);
    insta::assert_snapshot!("users_loading", draw(&picker, "Assignee", 50, 7).backend());
    let users = vec![
        PickerItem::new(
            "a1",
            "Priya Nair",
            Some("priya.nair@acme-robotics.example"),
            json!({ "accountId": "a1" }),
        ),
        PickerItem::new(
            "a2",
            "Prisca \u{1b}]52;c;aGk=\u{7}Evil\u{202e}gnp.exe",
            None,
            json!({ "accountId": "a2" }),
        ),
        PickerItem::new(
            "a3",
            "山田 プリンス",
            Some("yamada@acme-robotics.example"),
            json!({ "accountId": "a3" }),
        ),
    ];
    assert!(picker.replace_items("pri", users));
    press(&mut picker, "down");
    let terminal = draw(&picker, "Assignee", 50, 8);
    insta::assert_snapshot!("users_loaded", terminal.backend());
    assert_eq!(highlighted_rows(&terminal), [3], "Priya");
}

#[test]
fn long_lists_scroll_to_keep_the_selection_visible() {
    let versions: Vec<PickerItem> = (1..=30)
        .map(|n| item(&n.to_string(), &format!("Release 1.{n}")))
        .collect();
    let mut picker = Picker::multi(versions, Vec::new());
    for _ in 0..12 {
        press(&mut picker, "down");
    }
    press(&mut picker, "tab");
    let terminal = draw(&picker, "Fix versions", 36, 8);
    insta::assert_snapshot!("scrolled_down", terminal.backend());
    assert_eq!(highlighted_rows(&terminal), [6], "the last visible row");
    assert!(picker.offset.get() > 0);
    for _ in 0..10 {
        press(&mut picker, "up");
    }
    let terminal = draw(&picker, "Fix versions", 36, 8);
    insta::assert_snapshot!("scrolled_up", terminal.backend());
    assert_eq!(highlighted_rows(&terminal), [3], "the first visible row");
}

#[test]
fn a_long_filter_keeps_the_cursor_in_the_box() {
    let mut picker = Picker::single(priorities(), None);
    typed(&mut picker, "a rather long query that runs past the edge");
    let mut terminal = draw(&picker, "Priority", 24, 6);
    insta::assert_snapshot!(terminal.backend());
    let cursor = terminal.get_cursor_position().unwrap();
    assert_eq!(cursor.y, 1);
    assert!(cursor.x <= 22, "{cursor:?}");
}

/// The comment editor with its visibility list open over the text: the list (everyone,
/// the roles, the user's groups, the current one marked) and the cursor in its filter.
#[test]
fn the_comment_visibility_list_draws_over_the_editor() {
    use jtui::jira::models::GroupName;
    use jtui::jira::write::CommentVisibility;
    use jtui::state::rich::{RichEditor, RichTarget};
    use jtui::ui::rich::render_rich;

    let mut editor = RichEditor::new(
        RichTarget::NewComment {
            key: "NAV-7".into(),
        },
        "The planner regression is ours.",
        None,
    );
    editor.audience.roles = vec!["Administrators".into(), "Developers".into()];
    editor.audience.groups = ["jira-software-users", "robotics-core"]
        .iter()
        .map(|g| GroupName {
            name: (*g).into(),
            group_id: Some(format!("id-{g}")),
        })
        .collect();
    editor.audience.chosen = Some(CommentVisibility::group(
        "robotics-core",
        Some("id-robotics-core".into()),
    ));
    editor.audience.open_picker();
    let mut terminal = Terminal::new(TestBackend::new(80, 20)).unwrap();
    let mut cursor = None;
    terminal
        .draw(|frame| {
            let area = frame.area();
            cursor = render_rich(frame.buffer_mut(), area, &editor, false, &Theme::default());
        })
        .unwrap();
    insta::assert_snapshot!(terminal.backend());
    let (x, y) = cursor.unwrap();
    let filter_row = terminal.backend().buffer().content
        [usize::from(y) * 80..usize::from(y) * 80 + 80]
        .iter()
        .map(|c| c.symbol())
        .collect::<String>();
    assert!(
        filter_row.contains('›'),
        "the cursor sits in the list's filter: {filter_row} at {x}"
    );
}
