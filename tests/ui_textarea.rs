//! Render snapshots of the multi-line text area (TestBackend + insta): wrapping by
//! display width, scrolling to the cursor, the placeholder, and where the terminal
//! cursor goes.

#![allow(clippy::unwrap_used)]

use jtui::config::keymap::KeyBinding;
use jtui::state::textarea::TextArea;
use jtui::ui::Theme;
use jtui::ui::textarea::render_textarea;
use ratatui::Terminal;
use ratatui::backend::{Backend, TestBackend};
use ratatui::layout::{Position, Rect};
use ratatui::widgets::{Block, Borders};

/// Draws `textarea` inside a bordered box filling a `width` × `height` screen, as an
/// editor popup would.
fn draw_boxed(
    textarea: &TextArea,
    width: u16,
    height: u16,
    focused: bool,
) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| {
            let block = Block::default()
                .borders(Borders::ALL)
                .title(" Description ");
            let inner = block.inner(frame.area());
            frame.render_widget(block, frame.area());
            render_textarea(frame, inner, textarea, &Theme::default(), focused);
        })
        .unwrap();
    terminal
}

fn press(area: &mut TextArea, keys: &[&str]) {
    for key in keys {
        area.apply(KeyBinding::parse(key).unwrap());
    }
}

const DESCRIPTION: &str = "## Steps to reproduce\n\
Run the rev-C board at 40 Hz and watch the lidar driver drop every third frame while the \
CPU sits idle.\n\
\n\
- 経路計画がトンネル内で停止する\n\
- 🚀 ship it 🎉";

#[test]
fn wraps_paragraphs_at_word_boundaries_by_display_width() {
    let mut area = TextArea::new(DESCRIPTION);
    // Up/Down move by the rows last drawn, as in the app: draw, then move.
    let _ = draw_boxed(&area, 32, 12, true);
    press(&mut area, &["ctrl-home", "down", "down"]);
    let mut terminal = draw_boxed(&area, 32, 12, true);
    insta::assert_snapshot!(terminal.backend());
    // Second row of the paragraph (Down moves by screen rows), column 0, inside the
    // border.
    terminal
        .backend_mut()
        .assert_cursor_position(Position::new(1, 3));
}

#[test]
fn the_cursor_after_wide_characters_sits_on_the_drawn_cell() {
    let mut area = TextArea::new(DESCRIPTION);
    press(&mut area, &["ctrl-end", "up", "end"]);
    // Inside the border: "- " and 15 characters two cells wide fit one 34-column row.
    let mut terminal = draw_boxed(&area, 36, 12, true);
    insta::assert_snapshot!(terminal.backend());
    terminal
        .backend_mut()
        .assert_cursor_position(Position::new(1 + 2 + 30, 7));
}

#[test]
fn a_cursor_after_a_full_row_gets_a_row_of_its_own() {
    let mut area = TextArea::new(DESCRIPTION);
    press(&mut area, &["ctrl-end", "up", "end"]);
    // 30 columns inside: the Japanese text fills its row exactly.
    let mut terminal = draw_boxed(&area, 32, 12, true);
    insta::assert_snapshot!(terminal.backend());
    terminal
        .backend_mut()
        .assert_cursor_position(Position::new(1, 9));
    // Elsewhere, no blank row is drawn for it.
    press(&mut area, &["left"]);
    let mut terminal = draw_boxed(&area, 32, 12, true);
    insta::assert_snapshot!("full_row_cursor_elsewhere", terminal.backend());
    terminal
        .backend_mut()
        .assert_cursor_position(Position::new(29, 8));
}

#[test]
fn scrolls_to_keep_the_cursor_in_view() {
    let text: Vec<String> = (1..=40).map(|i| format!("line {i} of the draft")).collect();
    let mut area = TextArea::new(&text.join("\n"));
    let mut terminal = draw_boxed(&area, 30, 8, true);
    // Opened with the cursor at the end: the last lines show.
    insta::assert_snapshot!("scrolled_to_the_end", terminal.backend());
    terminal
        .backend_mut()
        .assert_cursor_position(Position::new(21, 6));
    press(&mut area, &["ctrl-home"]);
    let mut terminal = draw_boxed(&area, 30, 8, true);
    insta::assert_snapshot!("scrolled_to_the_top", terminal.backend());
    terminal
        .backend_mut()
        .assert_cursor_position(Position::new(1, 1));
    // Moving within the view does not scroll it.
    press(&mut area, &["down", "down"]);
    let mut terminal = draw_boxed(&area, 30, 8, true);
    terminal
        .backend_mut()
        .assert_cursor_position(Position::new(1, 3));
    insta::assert_snapshot!("scrolled_to_the_top", terminal.backend());
}

#[test]
fn an_empty_area_shows_its_placeholder() {
    let area = TextArea::new("").with_placeholder("Write a comment — Ctrl-S saves, Esc cancels");
    let mut terminal = draw_boxed(&area, 36, 5, true);
    insta::assert_snapshot!(terminal.backend());
    terminal
        .backend_mut()
        .assert_cursor_position(Position::new(1, 1));
}

#[test]
fn pasted_escape_sequences_never_reach_the_screen() {
    let mut area = TextArea::new("");
    area.insert_str("clip\x1b]52;c;ZWNobyBwd25lZA==\x07board\x1b[2J \u{202e}cod.exe\r\nnext");
    assert_eq!(area.text(), "clipboard cod.exe\nnext");
    let terminal = draw_boxed(&area, 24, 5, true);
    insta::assert_snapshot!(terminal.backend());
}

#[test]
fn unfocused_leaves_the_cursor_to_others() {
    let area = TextArea::new("some text");
    let mut terminal = Terminal::new(TestBackend::new(20, 3)).unwrap();
    terminal
        .draw(|frame| {
            frame.set_cursor_position((19, 2));
            render_textarea(
                frame,
                Rect::new(0, 0, 20, 2),
                &area,
                &Theme::default(),
                false,
            );
        })
        .unwrap();
    terminal
        .backend_mut()
        .assert_cursor_position(Position::new(19, 2));
    terminal.backend().assert_buffer_lines([
        "some text           ",
        "                    ",
        "                    ",
    ]);
}

#[test]
fn drawing_clears_what_was_under_the_area() {
    let area = TextArea::new("ab");
    let mut terminal = Terminal::new(TestBackend::new(6, 2)).unwrap();
    terminal
        .draw(|frame| {
            frame.render_widget(ratatui::text::Text::raw("xxxxxx\nxxxxxx"), frame.area());
            render_textarea(frame, Rect::new(1, 0, 4, 2), &area, &Theme::default(), true);
        })
        .unwrap();
    terminal.backend().assert_buffer_lines(["xab  x", "x    x"]);
    terminal
        .backend_mut()
        .assert_cursor_position(Position::new(3, 0));
}

#[test]
fn tiny_and_empty_areas_do_not_panic() {
    let mut area = TextArea::new("日本語 🚀 text that wraps\nand more");
    for (w, h) in [(0, 0), (1, 1), (1, 5), (2, 1), (3, 2), (0, 4), (4, 0)] {
        press(&mut area, &["up", "left"]);
        let mut terminal = Terminal::new(TestBackend::new(6, 6)).unwrap();
        terminal
            .draw(|frame| {
                render_textarea(frame, Rect::new(1, 1, w, h), &area, &Theme::default(), true);
            })
            .unwrap();
        if w > 0 && h > 0 {
            let pos = terminal.backend_mut().get_cursor_position().unwrap();
            assert!(
                pos.x >= 1 && pos.x < 1 + w && pos.y >= 1 && pos.y < 1 + h,
                "{pos:?} in {w}x{h}"
            );
        }
    }
}
