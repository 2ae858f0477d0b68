//! The issue pane: header, fields, description and comments as one scrollable document.
//! Its lines are laid out once per width and content, then only the visible window is
//! drawn, so scrolling a long issue costs nothing.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::{Theme, pane_block, text};
use crate::jira::adf::{
    self, Adf, LozengeColor, PanelKind, RenderContext, RichLine, RichSpan, TextStyle,
};
use crate::jira::client::CommentOrder;
use crate::state::search::StatusCategory;
use crate::state::{IssueState, LoadStatus, Pane, State};

/// Field labels are cut to this many columns.
const MAX_LABEL_WIDTH: usize = 14;
/// Comment bodies are indented this much under their author line.
const COMMENT_INDENT: usize = 2;

fn plain(text: &str, style: TextStyle) -> RichLine {
    RichLine {
        spans: vec![RichSpan::new(text, style)],
    }
}

/// `text` wrapped to `width` columns (by display width), every span in `style`.
fn wrap(text: &str, width: usize, style: TextStyle) -> Vec<RichLine> {
    let width = u16::try_from(width.max(1)).unwrap_or(u16::MAX);
    let mut lines = adf::render(
        &Adf::from_plain_text(text),
        width,
        &RenderContext::default(),
    );
    for line in &mut lines {
        for span in &mut line.spans {
            span.style = style;
        }
    }
    if lines.is_empty() {
        lines.push(RichLine::default());
    }
    lines
}

fn indent(lines: Vec<RichLine>, cols: usize) -> impl Iterator<Item = RichLine> {
    lines.into_iter().map(move |mut line| {
        line.spans
            .insert(0, RichSpan::new(" ".repeat(cols), TextStyle::default()));
        line
    })
}

fn category_color(category: StatusCategory) -> LozengeColor {
    match category {
        StatusCategory::ToDo | StatusCategory::Unknown => LozengeColor::Neutral,
        StatusCategory::InProgress => LozengeColor::Blue,
        StatusCategory::Done => LozengeColor::Green,
    }
}

/// Every line of the pane for `width` columns.
pub fn detail_lines(issue: &IssueState, width: u16) -> Vec<RichLine> {
    let width = usize::from(width);
    let bold = TextStyle {
        bold: true,
        ..TextStyle::default()
    };
    let dim = TextStyle {
        dim: true,
        ..TextStyle::default()
    };
    let heading = TextStyle {
        heading: 2,
        ..TextStyle::default()
    };
    let mut out = Vec::new();
    let Some(detail) = &issue.detail else {
        let text = match (&issue.status, &issue.key) {
            (LoadStatus::Failed(e), _) => e.clone(),
            (_, Some(key)) => format!("loading {key}…"),
            (_, None) => "Pick an issue in the results and press Enter.".to_owned(),
        };
        return wrap(&text, width, dim);
    };

    let key_width = text::width(&detail.key) + 1;
    let summary = wrap(&detail.summary, width.saturating_sub(key_width), bold);
    for (i, mut line) in summary.into_iter().enumerate() {
        let lead = if i == 0 {
            format!("{} ", detail.key)
        } else {
            " ".repeat(key_width)
        };
        line.spans.insert(
            0,
            RichSpan::new(
                lead,
                TextStyle {
                    mention: true,
                    ..bold
                },
            ),
        );
        out.push(line);
    }
    let status = TextStyle {
        status: Some(category_color(detail.category)),
        ..TextStyle::default()
    };
    out.push(plain(
        &format!("[ {} ]", detail.status.to_uppercase()),
        status,
    ));
    out.push(RichLine::default());

    let label_width = detail
        .fields
        .iter()
        .map(|(l, _)| text::width(l))
        .max()
        .unwrap_or(0)
        .min(MAX_LABEL_WIDTH);
    let value_width = width.saturating_sub(label_width + 2).max(1);
    for (label, value) in &detail.fields {
        for (i, mut line) in wrap(value, value_width, TextStyle::default())
            .into_iter()
            .enumerate()
        {
            let lead = if i == 0 {
                text::fit(label, label_width)
            } else {
                " ".repeat(label_width)
            };
            line.spans
                .insert(0, RichSpan::new(format!("{lead}  "), dim));
            out.push(line);
        }
    }

    out.push(RichLine::default());
    out.push(plain("Description", heading));
    match &detail.description {
        Some(doc) => out.extend(adf::render(
            doc,
            u16::try_from(width).unwrap_or(u16::MAX),
            &detail.render_ctx,
        )),
        None => out.push(plain("No description.", dim)),
    }

    out.push(RichLine::default());
    let order = match issue.comment_order {
        CommentOrder::OldestFirst => "oldest first",
        CommentOrder::NewestFirst => "newest first",
    };
    out.push(plain(
        &format!("Comments ({} · {order})", issue.comments_total),
        heading,
    ));
    if issue.comments.is_empty()
        && issue.comments_request.is_none()
        && issue.comments_error.is_none()
    {
        out.push(plain("No comments.", dim));
    }
    let body_width = u16::try_from(width.saturating_sub(COMMENT_INDENT).max(1)).unwrap_or(u16::MAX);
    for comment in &issue.comments {
        let mut head = RichLine {
            spans: vec![RichSpan::new(comment.author.clone(), bold)],
        };
        let when = if comment.edited {
            format!(" · {} · edited", comment.created)
        } else {
            format!(" · {}", comment.created)
        };
        head.spans.push(RichSpan::new(when, dim));
        out.push(head);
        out.extend(indent(
            adf::render(&comment.body, body_width, &detail.render_ctx),
            COMMENT_INDENT,
        ));
        out.push(RichLine::default());
    }
    if let Some(e) = &issue.comments_error {
        out.extend(wrap(
            &format!("Comments failed to load: {e}"),
            width,
            TextStyle {
                bold: true,
                status: Some(LozengeColor::Red),
                ..TextStyle::default()
            },
        ));
    } else if issue.comments_request.is_some() {
        out.push(plain("loading comments…", dim));
    } else if issue.has_more_comments() {
        let more = issue.comments_total - issue.comments.len() as u64;
        out.push(plain(&format!("{more} more — scroll down or press m"), dim));
    }
    out
}

/// Lays out the pane's lines for `width` if the cache holds another width or content.
pub fn ensure_lines(issue: &IssueState, width: u16) {
    let mut cache = issue.lines.borrow_mut();
    if cache.width != width || cache.generation != issue.generation || cache.lines.is_empty() {
        cache.lines = detail_lines(issue, width);
        cache.width = width;
        cache.generation = issue.generation;
    }
}

fn lozenge(color: LozengeColor) -> Style {
    let (fg, bg) = match color {
        LozengeColor::Neutral => (Color::Black, Color::Gray),
        LozengeColor::Purple => (Color::White, Color::Magenta),
        LozengeColor::Blue => (Color::White, Color::Blue),
        LozengeColor::Red => (Color::White, Color::Red),
        LozengeColor::Yellow => (Color::Black, Color::Yellow),
        LozengeColor::Green => (Color::Black, Color::Green),
    };
    Style::new().fg(fg).bg(bg).add_modifier(Modifier::BOLD)
}

fn panel(kind: PanelKind) -> Style {
    let color = match kind {
        PanelKind::Info => Color::Blue,
        PanelKind::Note => Color::Magenta,
        PanelKind::Tip | PanelKind::Success => Color::Green,
        PanelKind::Warning => Color::Yellow,
        PanelKind::Error => Color::Red,
        PanelKind::Custom => Color::Gray,
    };
    Style::new().fg(color)
}

/// The terminal style of a rich-text style, through the theme.
pub fn style_of(s: &TextStyle, theme: &Theme, monochrome: bool) -> Style {
    let mut style = Style::new();
    if s.heading > 0 {
        style = style.patch(theme.heading);
    }
    if s.code || s.code_block {
        style = style.patch(theme.code);
    }
    if s.quote {
        style = style.patch(theme.quote);
    }
    if s.link {
        style = style.patch(theme.link);
    }
    if s.mention {
        style = style.patch(theme.mention);
    }
    if s.dim {
        style = style.patch(theme.dim);
    }
    if !monochrome {
        if let Some(kind) = s.panel {
            style = style.patch(panel(kind));
        }
        if let Some(color) = s.status {
            style = style.patch(lozenge(color));
        }
        if let Some(fg) = s.fg {
            style = style.fg(Color::Rgb(fg.0, fg.1, fg.2));
        }
        if let Some(bg) = s.bg {
            style = style.bg(Color::Rgb(bg.0, bg.1, bg.2));
        }
    } else if s.status.is_some() {
        style = style.add_modifier(Modifier::REVERSED);
    }
    let mut m = Modifier::empty();
    for (on, modifier) in [
        (s.bold || s.table_header, Modifier::BOLD),
        (s.italic, Modifier::ITALIC),
        (s.strike, Modifier::CROSSED_OUT),
        (s.underline, Modifier::UNDERLINED),
    ] {
        if on {
            m |= modifier;
        }
    }
    style.add_modifier(m)
}

fn to_line<'a>(line: &'a RichLine, theme: &Theme, monochrome: bool) -> Line<'a> {
    Line::from(
        line.spans
            .iter()
            .map(|s| Span::styled(s.text.as_str(), style_of(&s.style, theme, monochrome)))
            .collect::<Vec<_>>(),
    )
}

pub fn render(buf: &mut Buffer, area: Rect, state: &State, theme: &Theme) {
    let issue = &state.issue;
    let block_probe = pane_block(Pane::Issue, vec![], &issue.status, state, theme);
    let inner = block_probe.inner(area);
    if inner.width == 0 || inner.height == 0 {
        block_probe.render(area, buf);
        return;
    }
    ensure_lines(issue, inner.width);
    let cache = issue.lines.borrow();
    let height = usize::from(inner.height);
    let max_scroll = cache.lines.len().saturating_sub(height);
    let scroll = issue.scroll.get().min(max_scroll);
    issue.scroll.set(scroll);

    let mut title = Vec::new();
    if let Some(key) = &issue.key {
        title.push(Span::styled(format!("{key} "), theme.key));
    }
    if cache.lines.len() > height {
        let end = (scroll + height).min(cache.lines.len());
        title.push(Span::styled(
            format!("{}–{}/{} ", scroll + 1, end, cache.lines.len()),
            theme.dim,
        ));
    }
    let block = pane_block(Pane::Issue, title, &issue.status, state, theme);
    block.render(area, buf);
    let monochrome = theme.status_done == theme.status_todo;
    let lines: Vec<Line> = cache
        .lines
        .iter()
        .skip(scroll)
        .take(height)
        .map(|l| to_line(l, theme, monochrome))
        .collect();
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .render(inner, buf);
}
