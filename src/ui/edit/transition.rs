//! The transition popups: the list of transitions, and the form of a transition's screen
//! with the shared picker or the comment's text area open in front of it.

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Span;

use super::{MAX_WIDTH, MENU_MAX_HEIGHT, input_line, line, picker_area, popup, render_text_box};
use crate::sanitize::sanitize_line;
use crate::state::edit::transition::{
    FormEditor, FormField, FormInput, TransitionForm, TransitionMenu,
};
use crate::ui::{Theme, text};

/// Who the popup is about: one issue, or how many.
fn subject(keys: &[String]) -> String {
    match keys {
        [one] => one.clone(),
        many => format!("{} marked issues", many.len()),
    }
}

pub fn render_menu(buf: &mut Buffer, screen: Rect, menu: &TransitionMenu, theme: &Theme) {
    let rows = u16::try_from(menu.choices.len()).unwrap_or(u16::MAX);
    let height = (rows + 2 + u16::from(menu.error.is_some()) * 2).clamp(4, MENU_MAX_HEIGHT);
    let hint = if menu.bulk {
        "↑↓ · Enter transition all (one at a time, no conflict check) · Esc close"
    } else {
        "↑↓ · Enter transition · Esc close"
    };
    let inner = popup(
        buf,
        screen,
        MAX_WIDTH.min(70),
        height,
        &format!("Transition {}", subject(&menu.keys)),
        hint,
        theme,
    );
    let width = usize::from(inner.width);
    let name_width = menu
        .choices
        .iter()
        .map(|c| text::width(&c.name))
        .max()
        .unwrap_or(0)
        .min(width / 2);
    let list_rows =
        usize::from(inner.height).saturating_sub(if menu.error.is_some() { 2 } else { 0 });
    let offset = menu.selected.saturating_sub(list_rows.saturating_sub(1));
    for (row, choice) in menu.choices.iter().enumerate().skip(offset).take(list_rows) {
        let selected = row == menu.selected;
        let style = if selected {
            theme.selected
        } else {
            Style::default()
        };
        let mark = if choice.has_required() {
            " ⧉ asks for values*"
        } else if choice.has_form() {
            " ⧉ asks for values"
        } else {
            ""
        };
        let y = u16::try_from(row - offset).unwrap_or(u16::MAX);
        line(
            buf,
            inner,
            y,
            vec![
                Span::styled(text::fit(&choice.name, name_width), style),
                Span::styled(" → ", style),
                Span::styled(choice.to.clone(), theme.status(choice.category)),
                Span::styled(mark, theme.dim),
            ],
        );
    }
    if let Some(error) = &menu.error {
        let y = inner.height.saturating_sub(1);
        line(
            buf,
            inner,
            y,
            vec![Span::styled(text::truncate(error, width), theme.error)],
        );
    }
}

/// Draws the form (each field's value, Jira's or our complaint under it) and the editor
/// open on it: the picker or the comment's text area in front; places the cursor.
pub fn render_form(frame: &mut Frame, screen: Rect, form: &TransitionForm, theme: &Theme) {
    let cursor = draw_fields(frame.buffer_mut(), screen, form, theme);
    let name = form
        .selected_field()
        .map(|f| f.name.clone())
        .unwrap_or_default();
    match &form.editing {
        Some(FormEditor::Pick(field)) => {
            let area = picker_area(screen, field.picker.rows().len(), 0);
            crate::ui::picker::render_picker(frame, area, &field.picker, theme, &name);
        }
        Some(FormEditor::Comment(area)) => render_text_box(
            frame,
            screen,
            area,
            &name,
            "markdown-style text · Enter new line · Esc done · Ctrl-V who sees it · Ctrl-S send",
            theme,
        ),
        None => {
            if let Some(at) = cursor {
                frame.set_cursor_position(at);
            }
        }
    }
    // The comment's visibility list goes over everything.
    if let Some(picker) = &form.audience.picker {
        let area = picker_area(screen, picker.rows().len(), 0);
        crate::ui::picker::render_picker(frame, area, picker, theme, "Who may see the comment");
    }
}

fn draw_fields(
    buf: &mut Buffer,
    screen: Rect,
    form: &TransitionForm,
    theme: &Theme,
) -> Option<(u16, u16)> {
    let errors = form.fields.iter().filter(|f| f.error.is_some()).count();
    let rows = form.fields.len() + errors + usize::from(form.error.is_some());
    let height = u16::try_from(rows + 3)
        .unwrap_or(u16::MAX)
        .min(MENU_MAX_HEIGHT);
    let inner = popup(
        buf,
        screen,
        MAX_WIDTH,
        height,
        &format!(
            "{} → {} — {}",
            form.choice.name,
            form.choice.to,
            subject(&form.keys)
        ),
        "Tab/↑↓ field · Enter choose/write · Ctrl-S send · Esc cancel · * required",
        theme,
    );
    if inner.height == 0 || inner.width == 0 {
        return None;
    }
    let width = usize::from(inner.width);
    let label_width = form
        .fields
        .iter()
        .map(|f| text::width(&f.name) + 3)
        .max()
        .unwrap_or(0)
        .min(width / 3);
    let mut y = 0u16;
    if let Some(error) = &form.error {
        line(
            buf,
            inner,
            y,
            vec![Span::styled(text::truncate(error, width), theme.error)],
        );
        y += 1;
    }
    let mut cursor = None;
    for (i, field) in form.fields.iter().enumerate() {
        let selected = i == form.selected;
        let label = text::fit(
            &format!("{}{}: ", field.name, if field.required { "*" } else { "" }),
            label_width,
        );
        match &field.input {
            FormInput::Line { input, .. } if selected => {
                let at = input_line(buf, inner, y, &label, input, theme);
                cursor = Some(at);
            }
            _ => {
                let (value, style) = shown(field, theme);
                let label_style = if selected {
                    theme.selected
                } else {
                    theme.label
                };
                line(
                    buf,
                    inner,
                    y,
                    vec![
                        Span::styled(label, label_style),
                        Span::styled(
                            text::truncate(&value, width.saturating_sub(label_width)),
                            style,
                        ),
                    ],
                );
            }
        }
        y += 1;
        if let Some(error) = &field.error {
            line(
                buf,
                inner,
                y,
                vec![
                    Span::raw(" ".repeat(label_width)),
                    Span::styled(
                        text::truncate(error, width.saturating_sub(label_width)),
                        theme.error,
                    ),
                ],
            );
            y += 1;
        }
    }
    if form.has_comment() {
        line(
            buf,
            inner,
            y,
            vec![
                Span::styled(
                    format!("Comment visible to {} ", form.audience.label()),
                    theme.label,
                ),
                Span::styled(
                    "(Ctrl-V to change) · markdown-style text (**bold**, `code`, - lists, ``` blocks)",
                    theme.dim,
                ),
            ],
        );
    }
    cursor
}

/// A field's value as its row shows it, with its style: a hint when empty, a comment's
/// first line (and how many more).
fn shown(field: &FormField, theme: &Theme) -> (String, Style) {
    match &field.input {
        FormInput::Unsupported => ("(cannot be set in jtui yet)".to_owned(), theme.dim),
        FormInput::Pick { .. } if field.is_empty() => {
            ("— Enter or type to choose".to_owned(), theme.dim)
        }
        FormInput::Comment { .. } if field.is_empty() => {
            ("— Enter or type to write".to_owned(), theme.dim)
        }
        FormInput::Comment { text } => {
            let mut lines = text.lines();
            let first = sanitize_line(lines.next().unwrap_or_default()).into_owned();
            let more = lines.count();
            let value = if more > 0 {
                format!("{first} (+{more} lines)")
            } else {
                first
            };
            (value, Style::default())
        }
        FormInput::Pick { .. } | FormInput::Line { .. } => (field.shown(), Style::default()),
    }
}
