//! The editor popups: a box in front of the panes for the field menu, a field's value,
//! the conflict prompt. Drawn from state alone; returns where the cursor goes.

mod bulk;
pub mod create;
mod transition;

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Widget};
use unicode_width::UnicodeWidthStr;

use super::{Theme, text};
use crate::state::State;
use crate::state::edit::bulk::BulkStep;
use crate::state::edit::{
    ConflictPrompt, Editor, FieldEditor, FieldInput, FieldMenu, LineKind, PickField,
};
use crate::state::input::TextInput;

/// Widest an editor box gets.
pub(crate) const MAX_WIDTH: u16 = 90;
/// Tallest the field menu gets.
pub(crate) const MENU_MAX_HEIGHT: u16 = 24;

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

/// Tallest a picker popup gets.
const PICKER_MAX_HEIGHT: u16 = 20;
/// Widest a picker popup gets.
const PICKER_WIDTH: u16 = 70;

/// Draws the open editor, if any, and puts the terminal cursor where it types.
pub fn render(frame: &mut Frame, screen: Rect, state: &State, theme: &Theme) {
    let Some(editor) = state.edit.editor.as_ref() else {
        return;
    };
    if let Editor::Create(form) = editor {
        create::render(frame, screen, form, theme);
        return;
    }
    if let Editor::TransitionForm(form) = editor {
        transition::render_form(frame, screen, form, theme);
        return;
    }
    if let Editor::Bulk(menu) = editor
        && let BulkStep::Pick { action, field } = &menu.step
    {
        bulk::render_pick(frame, screen, menu.keys.len(), *action, field, theme);
        return;
    }
    if let Editor::Field(field) = editor
        && let FieldInput::Pick(pick) = &field.input
    {
        render_pick(frame, screen, field, pick, theme);
        return;
    }
    if let Some(cursor) = render_simple(frame.buffer_mut(), screen, state, theme) {
        frame.set_cursor_position(cursor);
    }
}

/// The box a picker is drawn in: centred, as tall as its rows (within limits).
pub fn picker_area(screen: Rect, rows: usize, extra: u16) -> Rect {
    let rows = u16::try_from(rows).unwrap_or(u16::MAX);
    let height = rows
        .saturating_add(4 + extra)
        .clamp(6, PICKER_MAX_HEIGHT)
        .min(screen.height);
    let width = PICKER_WIDTH.min(screen.width);
    Rect::new(
        screen.x + (screen.width - width) / 2,
        screen.y + (screen.height - height) / 3,
        width,
        height,
    )
}

/// Height of a box of several lines of text (a description, a comment).
const TEXT_BOX_HEIGHT: u16 = 12;

/// A text area in a box of its own, centred, over a form: `title` on top, `hint` at the
/// bottom.
pub fn render_text_box(
    frame: &mut Frame,
    screen: Rect,
    area: &crate::state::textarea::TextArea,
    title: &str,
    hint: &str,
    theme: &Theme,
) {
    let width = MAX_WIDTH.min(screen.width);
    let height = TEXT_BOX_HEIGHT.min(screen.height);
    let outer = Rect::new(
        screen.x + (screen.width - width) / 2,
        screen.y + (screen.height - height) / 2,
        width,
        height,
    );
    let buf = frame.buffer_mut();
    Clear.render(outer, buf);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(theme.border_focused)
        .title(Span::styled(format!(" {title} "), theme.title))
        .title_bottom(Span::styled(format!(" {hint} "), theme.dim));
    let text_area = block.inner(outer);
    block.render(outer, buf);
    crate::ui::textarea::render_textarea(frame, text_area, area, theme, true);
}

/// A field chosen from a list: the picker, and under it Jira's complaint if a save failed.
fn render_pick(
    frame: &mut Frame,
    screen: Rect,
    editor: &FieldEditor,
    field: &PickField,
    theme: &Theme,
) {
    let extra = u16::from(editor.error.is_some());
    let area = picker_area(screen, field.picker.rows().len(), extra);
    let title = format!(
        "{} — {}",
        crate::sanitize::sanitize_line(&editor.meta.name),
        editor.key
    );
    let list = Rect::new(area.x, area.y, area.width, area.height - extra);
    crate::ui::picker::render_picker(frame, list, &field.picker, theme, &title);
    if let Some(error) = &editor.error {
        let y = area.y + area.height - 1;
        let buf = frame.buffer_mut();
        Clear.render(Rect::new(area.x, y, area.width, 1), buf);
        line(
            buf,
            Rect::new(area.x, y, area.width, 1),
            0,
            vec![Span::styled(
                text::truncate(error, usize::from(area.width)),
                theme.error,
            )],
        );
    }
}

/// The editors drawn on the buffer alone; returns where the terminal cursor goes.
fn render_simple(
    buf: &mut Buffer,
    screen: Rect,
    state: &State,
    theme: &Theme,
) -> Option<(u16, u16)> {
    match state.edit.editor.as_ref()? {
        Editor::Loading(loading) => {
            let inner = popup(
                buf,
                screen,
                50,
                3,
                &match loading.then {
                    crate::state::edit::AfterLoad::Transitions => {
                        format!("Transition {}", loading.key)
                    }
                    _ => format!("Edit {}", loading.key),
                },
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
        Editor::Transitions(menu) => {
            transition::render_menu(buf, screen, menu, theme);
            None
        }
        Editor::Bulk(menu) => {
            bulk::render_menu(buf, screen, menu, theme);
            None
        }
        Editor::BulkFetch(fetch) => {
            let inner = popup(
                buf,
                screen,
                50,
                3,
                &format!("Change {} marked issues", fetch.keys.len()),
                "Esc cancel",
                theme,
            );
            let got = fetch.transitions.len();
            let what = match fetch.action {
                crate::state::edit::bulk::BulkAction::Transition => format!(
                    "Loading transitions {}/{}…",
                    (got + 1).min(fetch.keys.len()),
                    fetch.keys.len()
                ),
                _ => "Loading the fields…".to_owned(),
            };
            line(buf, inner, 0, vec![Span::styled(what, theme.dim)]);
            None
        }
        Editor::BulkRun(run) => {
            bulk::render_run(buf, screen, run, theme);
            None
        }
        // Drawn by `render` with the frame (they place their own cursor).
        Editor::Create(_) | Editor::TransitionForm(_) => None,
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
    let (kind, input) = match &editor.input {
        FieldInput::Line { kind, input } => (kind, input),
        // Drawn by `render_pick`.
        FieldInput::Pick(_) => return (screen.x, screen.y),
    };
    let hint = match kind {
        LineKind::Text => "Enter save · Esc cancel",
        LineKind::Number => "a number, empty clears · Enter save · Esc cancel",
        LineKind::Date => "2026-12-01, +3d, fri; empty clears · Enter save · Esc cancel",
        LineKind::DateTime => {
            "2026-12-01 14:30, tomorrow 9:00; empty clears · Enter save · Esc cancel"
        }
        LineKind::TimeTracking => {
            "original / remaining: 3d / 1d 4h (w d h m) · Enter save · Esc cancel"
        }
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
