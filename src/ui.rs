//! Drawing: a pure function of the state. Each pane and popup has its own file; the
//! only thing drawing may change is a scroll offset (to keep the selection in view).

pub mod age;
pub mod changelog;
pub mod completion;
pub mod edit;
pub mod filters;
pub mod help;
pub mod issue;
pub mod jql_bar;
pub mod jump;
pub mod layout;
pub mod picker;
pub mod projects;
pub mod results;
pub mod rich;
pub mod status;
pub mod text;
pub mod textarea;
pub mod theme;
pub mod welcome;

use ratatui::Frame;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders};

pub use theme::Theme;

use crate::config::keymap::Keymap;
use crate::state::{LoadStatus, Pane, State};

/// Spinner frames, one per tick while something loads.
const SPINNER: [&str; 8] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧"];

pub fn spinner(state: &State) -> &'static str {
    SPINNER[state.spinner_frame % SPINNER.len()]
}

pub fn render(frame: &mut Frame, state: &State, theme: &Theme, keymap: &Keymap) {
    let area = frame.area();
    let areas = layout::areas_zoomed(area.width, area.height, state.zoomed.then_some(state.focus));
    let buf = frame.buffer_mut();
    jql_bar::render(buf, areas.jql, state, theme);
    projects::render(buf, areas.projects, state, theme);
    results::render(buf, areas.results, state, theme);
    issue::render(buf, areas.issue, state, theme);
    status::render(buf, areas.status, state, theme);
    if state.show_help {
        help::render(buf, area, state, theme, keymap);
    }
    completion::render(buf, area, areas.jql, state, theme);
    filters::render(buf, area, state, theme);
    if state.filters.open {
        frame.set_cursor_position(filters::cursor_position(area, state));
    } else if let Some(bar) = &state.jql_bar {
        let (x, y) = jql_bar::cursor_position(areas.jql, bar);
        frame.set_cursor_position((x, y));
    }
    if let Some(prompt) = &state.jump {
        let cursor = jump::render(frame.buffer_mut(), area, prompt, theme);
        frame.set_cursor_position(cursor);
    }
    edit::render(frame, area, state, theme);
    scrub(frame.buffer_mut());
}

/// The last line of defence behind `crate::sanitize`: whatever a widget was handed, no
/// cell carries a control, escape or invisible formatting character to the terminal.
/// (ratatui already skips control characters, but not bidi overrides or zero-width
/// characters that ride along in a grapheme.) A screenful of cells costs nothing.
pub fn scrub(buf: &mut ratatui::buffer::Buffer) {
    let bad = |c: char| c.is_control() || crate::sanitize::is_unsafe_char(c);
    for cell in &mut buf.content {
        // Most cells are one printable ASCII byte, which is never bad: skip decoding.
        if crate::sanitize::is_printable_ascii(cell.symbol()) {
            continue;
        }
        if cell.symbol().chars().any(bad) {
            let clean: String = cell.symbol().chars().filter(|c| !bad(*c)).collect();
            cell.set_symbol(if clean.is_empty() { " " } else { &clean });
        }
    }
}

/// A pane's frame: focused panes get a bright border; the title carries its load state.
pub fn pane_block<'a>(
    pane: Pane,
    title: Vec<Span<'a>>,
    status: &LoadStatus,
    state: &State,
    theme: &Theme,
) -> Block<'a> {
    let focused = state.focus == pane;
    let border = if focused {
        theme.border_focused
    } else {
        theme.border
    };
    let mut spans = vec![Span::styled(format!(" {} ", pane.title()), theme.title)];
    spans.extend(title);
    match status {
        LoadStatus::Loading(_) => {
            spans.push(Span::styled(
                format!(" {} loading ", spinner(state)),
                theme.info,
            ));
        }
        LoadStatus::Failed(_) => spans.push(Span::styled(" failed ", theme.error)),
        LoadStatus::Idle => {}
    }
    // Cached data from the last session, until Jira's answer replaces it.
    if state.stale.pane(pane) {
        spans.push(Span::styled(" stale ", theme.dim));
    }
    Block::default()
        .borders(Borders::ALL)
        .border_type(if focused {
            BorderType::Thick
        } else {
            BorderType::Rounded
        })
        .border_style(border)
        .title(Line::from(spans))
}

/// A span of dim text, for hints and empty states.
pub fn dim<'a>(text: impl Into<std::borrow::Cow<'a, str>>, theme: &Theme) -> Span<'a> {
    Span::styled(text, theme.dim)
}

/// Style for a selected row, depending on whether its pane has focus.
pub fn selection_style(focused: bool, theme: &Theme) -> Style {
    if focused {
        theme.selected
    } else {
        theme.selected_unfocused
    }
}

#[cfg(test)]
mod tests {
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;

    #[test]
    fn scrub_removes_what_widgets_let_through() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 5, 1));
        buf[(0, 0)].set_symbol("a\u{200d}");
        buf[(1, 0)].set_symbol("\u{202e}");
        buf[(2, 0)].set_symbol("\x1b");
        buf[(3, 0)].set_symbol("e\u{e0041}");
        buf[(4, 0)].set_symbol("é");
        super::scrub(&mut buf);
        let symbols: Vec<&str> = buf.content.iter().map(|c| c.symbol()).collect();
        assert_eq!(symbols, ["a", " ", " ", "e", "é"]);
    }
}
