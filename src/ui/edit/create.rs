//! The create form: project, issue type and the create screen's fields, one row each
//! (required ones marked `*`), Jira's or our own complaint next to the field it concerns,
//! and the editor of the selected row in front (a line in place, a picker or the
//! description's text area in a box of their own).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Span;

use super::{MAX_WIDTH, input_line, line, picker_area, popup};
use crate::sanitize::sanitize_line;
use crate::state::edit::{CreateField, CreateForm, CreateRow, CreateStage, RowEditor};
use crate::state::fieldkind::{self, FieldValue};
use crate::ui::{Theme, text};

/// Columns of the field names.
const NAME_WIDTH: usize = 18;
/// Rows above the fields: the form's message line.
const HEAD_ROWS: u16 = 1;

/// Draws the form and the editor open on it; places the terminal cursor.
pub fn render(frame: &mut Frame, screen: Rect, form: &CreateForm, theme: &Theme) {
    let rows = form.rows();
    let height = u16::try_from(rows.len())
        .unwrap_or(u16::MAX)
        .saturating_add(HEAD_ROWS + 2);
    let title = match &form.parent {
        Some(parent) => format!("New sub-task of {parent}"),
        None => format!("New issue in {}", form.project),
    };
    let inner = popup(
        frame.buffer_mut(),
        screen,
        MAX_WIDTH,
        height,
        &title,
        "Tab/↑↓ move · Enter edit · Ctrl-S create · Ctrl-R start over · Esc close, draft kept",
        theme,
    );
    if inner.height == 0 || inner.width == 0 {
        return;
    }
    let head = match (&form.error, form.stage) {
        (Some(error), _) => {
            Span::styled(text::truncate(error, usize::from(inner.width)), theme.error)
        }
        (None, CreateStage::Types(_)) => Span::styled("Loading the issue types…", theme.dim),
        (None, CreateStage::Ready) if form.notice.is_some() => Span::styled(
            text::truncate(
                form.notice.as_deref().unwrap_or_default(),
                usize::from(inner.width),
            ),
            theme.dim,
        ),
        (None, CreateStage::Fields(_)) => Span::styled("Loading the fields…", theme.dim),
        (None, CreateStage::Ready) => Span::styled("* required", theme.dim),
    };
    line(frame.buffer_mut(), inner, 0, vec![head]);
    let list_rows = usize::from(inner.height.saturating_sub(HEAD_ROWS));
    let mut offset = form.offset.get();
    if form.selected < offset {
        offset = form.selected;
    } else if list_rows > 0 && form.selected >= offset + list_rows {
        offset = form.selected + 1 - list_rows;
    }
    form.offset.set(offset);
    let width = usize::from(inner.width);
    let mut cursor = None;
    for (n, row) in rows.iter().enumerate().skip(offset).take(list_rows) {
        let y = HEAD_ROWS + u16::try_from(n - offset).unwrap_or(u16::MAX);
        let selected = n == form.selected;
        let style = if selected {
            theme.selected
        } else {
            Style::default()
        };
        let (name, value, error) = row_text(form, *row);
        let name = text::fit(&name, NAME_WIDTH);
        if selected && let Some(RowEditor::Line { input, .. }) = &form.editing {
            let label = format!("{name} ");
            let buf = frame.buffer_mut();
            let at = input_line(buf, inner, y, &label, input, theme);
            if let Some(error) = &error {
                let used = label.chars().count() + input.text().chars().count() + 2;
                let room = width.saturating_sub(used);
                if room > 4 {
                    let x = inner.x + u16::try_from(used).unwrap_or(u16::MAX);
                    line(
                        buf,
                        Rect::new(
                            x,
                            inner.y,
                            inner.width.saturating_sub(x - inner.x),
                            inner.height,
                        ),
                        y,
                        vec![Span::styled(text::truncate(error, room), theme.error)],
                    );
                }
            }
            cursor = Some(at);
            continue;
        }
        let room = width.saturating_sub(NAME_WIDTH + 1);
        let mut spans = vec![Span::styled(name, style), Span::raw(" ")];
        match &error {
            Some(error) => {
                let value = text::truncate(&value, room / 2);
                let rest = room.saturating_sub(text::width(&value) + 3);
                spans.push(Span::styled(value, style));
                spans.push(Span::styled(
                    format!(" ← {}", text::truncate(error, rest)),
                    theme.error,
                ));
            }
            None if value.is_empty() => spans.push(Span::styled("—", theme.dim)),
            None => spans.push(Span::styled(text::truncate(&value, room), style)),
        }
        line(frame.buffer_mut(), inner, y, spans);
    }
    match &form.editing {
        Some(RowEditor::Pick(field)) => {
            let (name, _, _) = form
                .selected_row()
                .map_or_else(Default::default, |r| row_text(form, r));
            let area = picker_area(screen, field.picker.rows().len(), 0);
            crate::ui::picker::render_picker(
                frame,
                area,
                &field.picker,
                theme,
                name.trim_start_matches('*'),
            );
        }
        Some(RowEditor::Text(area)) => {
            let (name, _, _) = form
                .selected_row()
                .map_or_else(Default::default, |r| row_text(form, r));
            super::render_text_box(
                frame,
                screen,
                area,
                name.trim_start_matches('*'),
                "markdown-style text · Esc done · Ctrl-S create",
                theme,
            );
        }
        _ => {
            if let Some((x, y)) = cursor {
                frame.set_cursor_position((x, y));
            }
        }
    }
}

/// A row's name (`*` when required), its value as shown, and its complaint.
fn row_text(form: &CreateForm, row: CreateRow) -> (String, String, Option<String>) {
    match row {
        CreateRow::Project => {
            let name = sanitize_line(&form.project).into_owned();
            ("*Project".to_owned(), name, None)
        }
        CreateRow::IssueType => (
            "*Issue type".to_owned(),
            form.issue_type
                .as_ref()
                .map(|t| sanitize_line(&t.name).into_owned())
                .unwrap_or_default(),
            None,
        ),
        CreateRow::Field(i) => match form.fields.get(i) {
            Some(field) => (field_name(field), field_value(field), field.error.clone()),
            None => Default::default(),
        },
    }
}

fn field_name(field: &CreateField) -> String {
    let marker = if field.needs_value() { "*" } else { " " };
    let name = sanitize_line(&field.meta.name);
    let name = if name.trim().is_empty() {
        field.id.clone()
    } else {
        name.into_owned()
    };
    format!("{marker}{name}")
}

/// The value as the row shows it: a date typed relatively with what it resolved to.
fn field_value(field: &CreateField) -> String {
    let shown = match &field.value {
        FieldValue::Empty => String::new(),
        FieldValue::Rich(_) => {
            let first = field.text.lines().next().unwrap_or_default();
            let more = field.text.lines().count() > 1;
            format!("{first}{}", if more { " …" } else { "" })
        }
        FieldValue::Items(items) => items
            .iter()
            .map(|i| i.label.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        FieldValue::Date(_) | FieldValue::DateTime(_) => {
            let offset = match &field.value {
                FieldValue::DateTime(at) => *at.offset(),
                _ => chrono::Offset::fix(&chrono::Utc),
            };
            let resolved = fieldkind::editor_text(&field.value, offset);
            if field.text.trim() == resolved || field.text.trim().is_empty() {
                resolved
            } else {
                format!("{} → {resolved}", field.text.trim())
            }
        }
        other => fieldkind::editor_text(other, chrono::Offset::fix(&chrono::Utc)),
    };
    sanitize_line(&shown).into_owned()
}
