//! The editor popups: a box in front of the panes for the field menu, a field's value,
//! the conflict prompt. Drawn from state alone; returns where the cursor goes.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Widget};
use unicode_width::UnicodeWidthStr;

use super::{Theme, text};
use crate::state::State;
use crate::state::edit::{ConflictPrompt, Editor, FieldEditor, FieldInput, FieldMenu, LineKind};
use crate::state::input::TextInput;

/// Widest an editor box gets.
const MAX_WIDTH: u16 = 90;
/// Tallest the field menu gets.
const MENU_MAX_HEIGHT: u16 = 24;

/// A box of `width` × `height` centred on `screen` (clamped to it), cleared and framed
/// with `title` and a key `hint` on its bottom border. Returns its inside.
pub fn popup(
    buf: &mut Buffer,
    screen: Rect,
    width: u16,
    height: u16,
    title: &str,
    hint: &str,
    theme: &Theme,
) -> Rect {
    let width = width.min(screen.width);
    let height = height.min(screen.height);
    let area = Rect::new(
        screen.x + (screen.width - width) / 2,
        screen.y + (screen.height - height) / 3,
        width,
        height,
    );
    Clear.render(area, buf);
    let room = usize::from(width.saturating_sub(4));
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(theme.border_focused)
        .title(Line::from(Span::styled(
            format!(" {} ", text::truncate(title, room.saturating_sub(2))),
            theme.title,
        )))
        .title_bottom(Line::from(Span::styled(
            format!(" {} ", text::truncate(hint, room.saturating_sub(2))),
            theme.dim,
        )));
    let inner = block.inner(area);
    block.render(area, buf);
    inner
}

/// One line of text at row `y` of `area` (nothing when outside it).
pub fn line(buf: &mut Buffer, area: Rect, y: u16, spans: Vec<Span<'_>>) {
    if y < area.height {
        Line::from(spans).render(Rect::new(area.x, area.y + y, area.width, 1), buf);
    }
}

/// A single-line input at row `y`, scrolled so the cursor shows; returns the cursor.
pub fn input_line(
    buf: &mut Buffer,
    area: Rect,
    y: u16,
    label: &str,
    input: &TextInput,
    theme: &Theme,
) -> (u16, u16) {
    let room = usize::from(area.width).saturating_sub(label.width() + 1);
    let typed = input.text();
    let before: String = typed.chars().take(input.cursor()).collect();
    // Keep the cursor in view: drop characters from the left while it is not.
    let mut skip = 0;
    while before.chars().skip(skip).collect::<String>().width() > room {
        skip += 1;
    }
    let shown: String = typed.chars().skip(skip).collect();
    let shown = text::truncate(&shown, room + 1);
    line(
        buf,
        area,
        y,
        vec![
            Span::styled(label.to_owned(), theme.label),
            Span::raw(shown),
        ],
    );
    let col = label.width() + before.chars().skip(skip).collect::<String>().width();
    let x = area.x
        + u16::try_from(col)
            .unwrap_or(u16::MAX)
            .min(area.width.saturating_sub(1));
    (x, area.y + y.min(area.height.saturating_sub(1)))
}

/// Draws the open editor, if any; returns where the terminal cursor goes.
pub fn render(buf: &mut Buffer, screen: Rect, state: &State, theme: &Theme) -> Option<(u16, u16)> {
    match state.edit.editor.as_ref()? {
        Editor::Loading(loading) => {
            let inner = popup(
                buf,
                screen,
                50,
                3,
                &format!("Edit {}", loading.key),
                "Esc cancel",
                theme,
            );
            line(
                buf,
                inner,
                0,
                vec![Span::styled(
                    format!("Loading {}…", loading.what),
                    theme.dim,
                )],
            );
            None
        }
        Editor::Menu(menu) => {
            render_menu(buf, screen, menu, theme);
            None
        }
        Editor::Field(field) => Some(render_field(buf, screen, field, theme)),
        Editor::Conflict(prompt) => {
            render_conflict(buf, screen, prompt, theme);
            None
        }
        Editor::Rich(editor) => {
            let sending = state.edit.saves.values().any(|s| {
                matches!(s.editor.as_deref(), Some(Editor::Rich(r)) if r.target == editor.target)
            });
            super::rich::render_rich(buf, screen, editor, sending, theme)
        }
        Editor::Comments(list) => {
            super::rich::render_comments(buf, screen, list, state, theme);
            None
        }
        Editor::ConfirmDelete(confirm) => {
            super::rich::render_confirm(buf, screen, confirm, theme);
            None
        }
    }
}

fn render_menu(buf: &mut Buffer, screen: Rect, menu: &FieldMenu, theme: &Theme) {
    let visible = menu.visible();
    let rows = u16::try_from(visible.len()).unwrap_or(u16::MAX);
    let height = (rows + 4).clamp(5, MENU_MAX_HEIGHT);
    let inner = popup(
        buf,
        screen,
        MAX_WIDTH,
        height,
        &format!("Edit {} — choose a field", menu.key),
        "type to filter · ↑↓ · Enter edit · Esc close",
        theme,
    );
    if inner.height == 0 {
        return;
    }
    let typed = menu.filter.text();
    line(
        buf,
        inner,
        0,
        vec![
            Span::styled("Filter: ", theme.label),
            Span::raw(typed.to_owned()),
        ],
    );
    let list_rows = usize::from(inner.height.saturating_sub(1));
    let selected = menu.selected.min(visible.len().saturating_sub(1));
    let mut offset = menu.offset.get();
    if selected < offset {
        offset = selected;
    } else if list_rows > 0 && selected >= offset + list_rows {
        offset = selected + 1 - list_rows;
    }
    menu.offset.set(offset);
    let name_width = usize::from(inner.width / 3).max(8);
    for (row, &index) in visible.iter().skip(offset).take(list_rows).enumerate() {
        let field = &menu.fields[index];
        let marker = if field.required { "*" } else { " " };
        let name = text::fit(&format!("{marker}{}", field.name), name_width);
        let rest = usize::from(inner.width).saturating_sub(name_width + 1);
        let current = if field.editable {
            text::truncate(&field.current, rest)
        } else {
            text::truncate(&format!("{} (read-only)", field.current), rest)
        };
        let style = if offset + row == selected {
            theme.selected
        } else if field.editable {
            Style::default()
        } else {
            theme.dim
        };
        let y = u16::try_from(row + 1).unwrap_or(u16::MAX);
        line(
            buf,
            inner,
            y,
            vec![
                Span::styled(name, style),
                Span::styled(" ", style),
                Span::styled(current, if field.editable { style } else { theme.dim }),
            ],
        );
    }
    if visible.is_empty() {
        line(
            buf,
            inner,
            1,
            vec![Span::styled("No field matches", theme.dim)],
        );
    }
}

fn render_field(buf: &mut Buffer, screen: Rect, editor: &FieldEditor, theme: &Theme) -> (u16, u16) {
    let name = crate::sanitize::sanitize_line(&editor.meta.name);
    let FieldInput::Line { kind, input } = &editor.input;
    let hint = match kind {
        LineKind::Text => "Enter save · Esc cancel",
        LineKind::Number => "a number, empty clears · Enter save · Esc cancel",
        LineKind::Date => "YYYY-MM-DD, empty clears · Enter save · Esc cancel",
    };
    let height = 3 + u16::from(editor.error.is_some()) + u16::from(editor.hint.is_some());
    let inner = popup(
        buf,
        screen,
        MAX_WIDTH,
        height,
        &format!("{name} — {}", editor.key),
        hint,
        theme,
    );
    if inner.height == 0 || inner.width == 0 {
        return (inner.x, inner.y);
    }
    let cursor = input_line(buf, inner, 0, "", input, theme);
    let mut y = 1;
    if let Some(preview) = &editor.hint {
        line(
            buf,
            inner,
            y,
            vec![Span::styled(preview.clone(), theme.dim)],
        );
        y += 1;
    }
    if let Some(error) = &editor.error {
        line(
            buf,
            inner,
            y,
            vec![Span::styled(
                text::truncate(error, usize::from(inner.width)),
                theme.error,
            )],
        );
    }
    cursor
}

fn render_conflict(buf: &mut Buffer, screen: Rect, prompt: &ConflictPrompt, theme: &Theme) {
    let rows = u16::try_from(prompt.changes.len()).unwrap_or(u16::MAX);
    let height = rows
        .saturating_mul(2)
        .saturating_add(3)
        .min(MENU_MAX_HEIGHT);
    let inner = popup(
        buf,
        screen,
        MAX_WIDTH,
        height,
        &format!(
            "{} changed since you opened it",
            prompt.save.keys.join(", ")
        ),
        "o overwrite with yours · e / Esc back to your edit",
        theme,
    );
    line(
        buf,
        inner,
        0,
        vec![Span::styled(
            format!(
                "Not saved yet: {}. Changes made meanwhile:",
                prompt.save.label
            ),
            theme.error,
        )],
    );
    let width = usize::from(inner.width);
    let mut y = 1;
    for change in &prompt.changes {
        if y + 2 > inner.height {
            break;
        }
        let head = format!("{} {} changed {}", change.when, change.author, change.field);
        line(
            buf,
            inner,
            y,
            vec![Span::styled(text::truncate(&head, width), theme.label)],
        );
        let now = if change.to.is_empty() {
            "∅"
        } else {
            &change.to
        };
        let was = if change.from.is_empty() {
            "∅"
        } else {
            &change.from
        };
        let detail = format!("  now: {now}   (was: {was})");
        line(
            buf,
            inner,
            y + 1,
            vec![Span::raw(text::truncate(&detail, width))],
        );
        y += 2;
    }
}
