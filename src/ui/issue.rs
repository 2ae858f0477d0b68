//! The issue pane: header, fields, description and comments as one scrollable document.
//! Its lines are laid out once per width and content, then only the visible window is
//! drawn, so scrolling a long issue costs nothing.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::{Theme, changelog, pane_block, selection_style, text};
use crate::jira::adf::{
    self, Adf, LozengeColor, PanelKind, RenderContext, RichLine, RichSpan, TextStyle,
};
use crate::jira::client::CommentOrder;
use crate::state::issue::{IssueTab, RelatedIssue};
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
    layout(issue, width).0
}

/// The pane's lines, and the line each related issue is on (Details tab).
fn layout(issue: &IssueState, width: u16) -> (Vec<RichLine>, Vec<usize>) {
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
        return (wrap(&text, width, dim), Vec::new());
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
    if issue.tab == IssueTab::History {
        out.extend(changelog::history_lines(detail, width, wrap));
        return (out, Vec::new());
    }

    let label_width = detail
        .fields
        .iter()
        .map(|(l, _)| text::width(l))
        .chain(detail.related.iter().map(|r| text::width(&r.relation)))
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
    let mut related_lines = Vec::new();
    if !detail.related.is_empty() {
        out.push(RichLine::default());
        out.push(plain("Related issues", heading));
    }
    for related in &detail.related {
        related_lines.push(out.len());
        out.push(related_line(related, label_width, width));
    }

    out.push(RichLine::default());
    out.push(plain("Description", heading));
    match &detail.description {
        Some(doc) => out.extend(adf::render_capped(
            doc,
            u16::try_from(width).unwrap_or(u16::MAX),
            &detail.render_ctx,
            adf::MAX_DOC_LINES,
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
        if let Some(pending) = &comment.pending {
            head.spans
                .push(RichSpan::new(format!(" · {}", pending.note), dim));
        }
        out.push(head);
        out.extend(indent(
            adf::render_capped(
                &comment.body,
                body_width,
                &detail.render_ctx,
                adf::MAX_DOC_LINES,
            ),
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
    } else if issue.comments_capped() {
        let more = issue.comments_total - issue.comments.len() as u64;
        out.extend(wrap(
            &format!(
                "{more} more comments are not loaded here — press o to read them in the browser"
            ),
            width,
            dim,
        ));
    } else if issue.has_more_comments() {
        let more = issue.comments_total - issue.comments.len() as u64;
        out.push(plain(&format!("{more} more — scroll down or press m"), dim));
    }
    (out, related_lines)
}

/// One related issue on one line: relation, key, status lozenge, summary (cut to fit).
fn related_line(related: &RelatedIssue, label_width: usize, width: usize) -> RichLine {
    let dim = TextStyle {
        dim: true,
        ..TextStyle::default()
    };
    let key = TextStyle {
        mention: true,
        bold: true,
        ..TextStyle::default()
    };
    let mut spans = vec![
        RichSpan::new(
            format!("{}  ", text::fit(&related.relation, label_width)),
            dim,
        ),
        RichSpan::new(related.key.clone(), key),
    ];
    if !related.status.is_empty() {
        spans.push(RichSpan::new(" ", TextStyle::default()));
        spans.push(RichSpan::new(
            format!(" {} ", related.status),
            TextStyle {
                status: Some(category_color(related.category)),
                ..TextStyle::default()
            },
        ));
    }
    let used: usize = spans.iter().map(RichSpan::width).sum();
    let room = width.saturating_sub(used + 1);
    if room > 0 && !related.summary.is_empty() {
        spans.push(RichSpan::new(
            format!(" {}", text::truncate(&related.summary, room)),
            TextStyle::default(),
        ));
    }
    let mut line = RichLine { spans };
    if line.width() > width {
        // A pane narrower than the label and key: cut the whole line.
        let cut = text::truncate(&line.text(), width);
        line = RichLine {
            spans: vec![RichSpan::new(cut, TextStyle::default())],
        };
    }
    line
}

/// Lays out the pane's lines for `width` if the cache holds another width or content.
pub fn ensure_lines(issue: &IssueState, width: u16) {
    let mut cache = issue.lines.borrow_mut();
    if cache.width != width || cache.generation != issue.generation || cache.lines.is_empty() {
        let (lines, related_lines) = layout(issue, width);
        cache.lines = lines;
        cache.related_lines = related_lines;
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
pub fn style_of(s: &TextStyle, theme: &Theme) -> Style {
    let monochrome = theme.is_monochrome();
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
        if let Some(fg) = s.fg.and_then(|c| theme.rgb(c)) {
            style = style.fg(fg);
        }
        if let Some(bg) = s.bg.and_then(|c| theme.rgb(c)) {
            style = style.bg(bg);
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

fn to_line<'a>(line: &'a RichLine, theme: &Theme) -> Line<'a> {
    Line::from(
        line.spans
            .iter()
            .map(|s| Span::styled(s.text.as_str(), style_of(&s.style, theme)))
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
    if issue.tab == IssueTab::History {
        title.push(Span::styled("history ", theme.title));
    }
    if cache.lines.len() > height {
        let end = (scroll + height).min(cache.lines.len());
        title.push(Span::styled(
            format!("{}–{}/{} ", scroll + 1, end, cache.lines.len()),
            theme.dim,
        ));
    }
    let (behind, ahead) = state.nav.depth();
    if behind > 0 || ahead > 0 {
        title.push(Span::styled(format!("◂{behind} ▸{ahead} "), theme.dim));
    }
    let block = pane_block(Pane::Issue, title, &issue.status, state, theme);
    block.render(area, buf);
    let highlighted = match (issue.tab, issue.related_selected) {
        (IssueTab::Details, Some(i)) => cache.related_lines.get(i).copied(),
        _ => None,
    };
    let selected = selection_style(state.focus == Pane::Issue, theme);
    // Lines are laid out to the width already: one line, one row.
    for (row, (index, line)) in cache
        .lines
        .iter()
        .enumerate()
        .skip(scroll)
        .take(height)
        .enumerate()
    {
        let y = inner.y + u16::try_from(row).unwrap_or(u16::MAX);
        let row_area = Rect::new(inner.x, y, inner.width, 1);
        let mut line = to_line(line, theme);
        if highlighted == Some(index) {
            buf.set_style(row_area, selected);
            line = line.patch_style(selected);
        }
        line.render(row_area, buf);
    }
}
