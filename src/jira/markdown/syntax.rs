//! The editor format's vocabulary, shared by the printer and the parser so that what one
//! writes the other reads: line recognisers, escapes, limits, where blocks may go, and the
//! mention directory.

use std::borrow::Cow;
use std::collections::HashMap;

use serde_json::Value;

use super::MentionDirectory;
use crate::jira::adf::MAX_DEPTH;

/// Deepest block nesting the editor text gives structure to. Deeper blocks are
/// placeholders when read from ADF, and plain text when typed; the margin under the
/// renderer's [`MAX_DEPTH`] leaves room for a table's row, cell and paragraph.
pub const STRUCTURE_DEPTH: usize = MAX_DEPTH - 4;
/// Largest list number (CommonMark's nine digits).
pub(super) const MAX_ORDER: u64 = 999_999_999;
/// Longest link destination read; longer ones are placeholders. Bounds the work a
/// hostile `](` can cause.
pub(super) const MAX_DESTINATION: usize = 16 * 1024;
/// Longest mention name or account id in `@[…]`.
pub(super) const MAX_NAME: usize = 256;
/// Longest emoji short name between the colons.
pub(super) const MAX_EMOJI_NAME: usize = 64;
/// Longest placeholder token, label included.
pub(super) const MAX_TOKEN: usize = 256;
/// Longest placeholder kind.
pub(super) const MAX_KIND: usize = 32;
/// Columns a tab advances indentation to.
const TAB_STOP: usize = 4;
/// Spaces allowed before a block marker (more is indentation).
const MAX_MARKER_INDENT: usize = 3;
/// Spaces after a list marker that still count towards the item's indentation.
const MAX_MARKER_GAP: usize = 4;
/// Shortest code fence.
pub(super) const MIN_FENCE: usize = 3;

pub(super) const PANEL_TYPES: [&str; 6] = ["info", "note", "tip", "warning", "error", "success"];

pub(super) const TOKEN_OPEN: char = '⟦';
pub(super) const TOKEN_CLOSE: char = '⟧';

/// Where a block stands; decides which blocks it may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Container {
    Doc,
    ListItem,
    Quote,
    Panel,
    /// The lines of a task item after its text: only nested task lists.
    TaskItem,
}

/// The block constructs of the editor text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum BlockKind {
    Paragraph,
    Heading,
    Code,
    Quote,
    Panel,
    Rule,
    List,
    Tasks,
    Table,
}

/// Whether `kind` may stand in `container` at `depth`, following Atlassian's schema
/// (a quote holds no headings, a list item no rules, and so on).
pub(super) fn allowed(container: Container, kind: BlockKind, depth: usize) -> bool {
    use BlockKind as K;
    if kind == K::Paragraph {
        return true;
    }
    if depth > STRUCTURE_DEPTH {
        return false;
    }
    match container {
        Container::Doc => true,
        Container::ListItem => matches!(kind, K::List | K::Tasks | K::Code),
        Container::Quote => matches!(kind, K::List | K::Code),
        Container::Panel => matches!(kind, K::Heading | K::List | K::Code | K::Tasks | K::Rule),
        Container::TaskItem => kind == K::Tasks,
    }
}

/// Whether a node of ADF type `node_type` may stand in `container` (for placeholders
/// moved by the user).
pub(super) fn schema_allows(container: Container, node_type: &str) -> bool {
    const LIST_ITEM: &[&str] = &[
        "paragraph",
        "bulletList",
        "orderedList",
        "taskList",
        "mediaSingle",
        "codeBlock",
        "extension",
    ];
    const QUOTE: &[&str] = &[
        "paragraph",
        "orderedList",
        "bulletList",
        "codeBlock",
        "mediaSingle",
        "mediaGroup",
        "extension",
    ];
    const PANEL: &[&str] = &[
        "paragraph",
        "heading",
        "bulletList",
        "orderedList",
        "blockCard",
        "mediaGroup",
        "mediaSingle",
        "codeBlock",
        "taskList",
        "rule",
        "decisionList",
        "extension",
    ];
    const DOC: &[&str] = &[
        "blockCard",
        "codeBlock",
        "mediaSingle",
        "paragraph",
        "taskList",
        "orderedList",
        "bulletList",
        "blockquote",
        "decisionList",
        "embedCard",
        "extension",
        "heading",
        "mediaGroup",
        "rule",
        "panel",
        "table",
        "bodiedExtension",
        "expand",
        "layoutSection",
        "syncBlock",
        "bodiedSyncBlock",
    ];
    let list = match container {
        Container::Doc => DOC,
        Container::ListItem => LIST_ITEM,
        Container::Quote => QUOTE,
        Container::Panel => PANEL,
        Container::TaskItem => &[],
    };
    list.contains(&node_type)
}

/// CR LF and lone CR become LF: editors on every platform, one line model.
pub(super) fn normalize_newlines(text: &str) -> Cow<'_, str> {
    if text.contains('\r') {
        Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(text)
    }
}

pub(super) fn is_ws(c: char) -> bool {
    c == ' ' || c == '\t'
}

pub(super) fn is_blank(line: &str) -> bool {
    line.chars().all(is_ws)
}

pub(super) fn trim_ws_start(s: &str) -> &str {
    s.trim_start_matches(is_ws)
}

/// Characters a backslash makes literal.
pub(super) fn is_escapable(c: char) -> bool {
    c.is_ascii_punctuation() || is_ws(c) || c == TOKEN_OPEN || c == TOKEN_CLOSE
}

/// Characters that continue a word (a mention or URL cannot start right after one).
pub(super) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Characters of a bare `@Name`.
pub(super) fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '.')
}

/// Characters of an emoji short name.
pub(super) fn is_emoji_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '+' | '-')
}

/// Whether `line` ends with a backslash that is not itself escaped.
pub(super) fn ends_with_backslash(line: &str) -> bool {
    line.bytes().rev().take_while(|b| *b == b'\\').count() % 2 == 1
}

/// Indentation in columns, tabs advancing to the next tab stop.
pub(super) fn indent_cols(line: &str) -> usize {
    let mut cols = 0;
    for c in line.chars() {
        match c {
            ' ' => cols += 1,
            '\t' => cols += TAB_STOP - cols % TAB_STOP,
            _ => break,
        }
    }
    cols
}

/// `line` without its first `cols` columns of indentation (a tab straddling the
/// boundary goes whole).
pub(super) fn strip_cols(line: &str, cols: usize) -> &str {
    let mut seen = 0;
    for (i, c) in line.char_indices() {
        if seen >= cols {
            return &line[i..];
        }
        match c {
            ' ' => seen += 1,
            '\t' => seen += TAB_STOP - seen % TAB_STOP,
            _ => return &line[i..],
        }
    }
    ""
}

/// `line` without up to three leading spaces, or `None` when it is indented more.
fn marker_start(line: &str) -> Option<&str> {
    let spaces = line.bytes().take_while(|b| *b == b' ').count();
    (spaces <= MAX_MARKER_INDENT && !line[spaces..].starts_with('\t')).then(|| &line[spaces..])
}

/// `#` … `######` then a space or the end: the level and the text after the space.
pub(super) fn heading(line: &str) -> Option<(u8, &str)> {
    let s = marker_start(line)?;
    let level = s.bytes().take_while(|b| *b == b'#').count();
    if !(1..=6).contains(&level) {
        return None;
    }
    let rest = &s[level..];
    if rest.is_empty() {
        return Some((level as u8, ""));
    }
    rest.starts_with(is_ws)
        .then(|| (level as u8, trim_ws_start(rest)))
}

/// Three or more `-`, `*` or `_` (the same one), spaces allowed between.
pub(super) fn is_rule(line: &str) -> bool {
    let Some(s) = marker_start(line) else {
        return false;
    };
    let Some(first) = s.chars().next().filter(|c| matches!(c, '-' | '*' | '_')) else {
        return false;
    };
    let mut count = 0;
    for c in s.chars() {
        if c == first {
            count += 1;
        } else if !is_ws(c) {
            return false;
        }
    }
    count >= 3
}

/// An opening code fence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Fence<'a> {
    pub ch: char,
    pub len: usize,
    pub indent: usize,
    pub info: &'a str,
}

pub(super) fn fence_open(line: &str) -> Option<Fence<'_>> {
    let s = marker_start(line)?;
    let indent = line.len() - s.len();
    let ch = s.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let len = s.chars().take_while(|c| *c == ch).count();
    if len < MIN_FENCE {
        return None;
    }
    let info = s[len..].trim_matches(is_ws);
    // A backtick fence's info cannot hold backticks (it would be inline code).
    if ch == '`' && info.contains('`') {
        return None;
    }
    Some(Fence {
        ch,
        len,
        indent,
        info,
    })
}

pub(super) fn is_fence_close(line: &str, fence: &Fence<'_>) -> bool {
    let Some(s) = marker_start(line) else {
        return false;
    };
    let len = s.chars().take_while(|c| *c == fence.ch).count();
    len >= fence.len && is_blank(&s[len..])
}

/// A fence longer than any run of its character inside `text`, and able to carry
/// `language` (backticks when it can, tildes when the language holds a backtick).
pub(super) fn fence_for(language: Option<&str>, text: &str) -> Option<String> {
    let longest = |ch: char| {
        let mut best = 0;
        let mut run = 0;
        for c in text.chars() {
            run = if c == ch { run + 1 } else { 0 };
            best = best.max(run);
        }
        best
    };
    let ch = match language {
        Some(l) if l.contains('`') => {
            if l.starts_with('~') {
                return None;
            }
            '~'
        }
        _ => '`',
    };
    if language.is_some_and(|l| l.starts_with(ch)) {
        return None;
    }
    let len = (longest(ch) + 1).max(MIN_FENCE);
    Some(std::iter::repeat_n(ch, len).collect())
}

/// A language the fence's info string can carry exactly.
pub(super) fn language_ok(language: &str) -> bool {
    !language.is_empty()
        && !language.starts_with(|c: char| c.is_whitespace())
        && !language.ends_with(|c: char| c.is_whitespace())
        && !language.chars().any(|c| c.is_control() && c != '\t')
        && fence_for(Some(language), "").is_some()
}

/// The rest of a `>` line (one space after `>` is part of the marker).
pub(super) fn quote_strip(line: &str) -> Option<&str> {
    let s = marker_start(line)?.strip_prefix('>')?;
    Some(s.strip_prefix(' ').unwrap_or(s))
}

/// `:::type` at the start of a line.
pub(super) fn panel_open(line: &str) -> Option<&'static str> {
    let kind = line.strip_prefix(":::")?.trim_end_matches(is_ws);
    PANEL_TYPES.iter().copied().find(|t| *t == kind)
}

pub(super) fn is_panel_close(line: &str) -> bool {
    line.trim_end_matches(is_ws) == ":::"
}

/// A list item's marker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct ListMarker {
    /// `-`, `*`, `+`, or for ordered items the delimiter `.` or `)`.
    pub ch: char,
    /// The number of an ordered item.
    pub number: Option<u64>,
    /// Byte offset of the item's text in the line.
    pub content: usize,
    /// Columns the item's continuation lines are indented by.
    pub width: usize,
}

pub(super) fn list_marker(line: &str) -> Option<ListMarker> {
    let s = marker_start(line)?;
    let lead = line.len() - s.len();
    let (ch, number, marker_len) = match s.chars().next()? {
        c @ ('-' | '*' | '+') => (c, None, 1),
        c if c.is_ascii_digit() => {
            let digits = s.bytes().take_while(u8::is_ascii_digit).count();
            if digits > 9 {
                return None;
            }
            let delim = s[digits..]
                .chars()
                .next()
                .filter(|c| *c == '.' || *c == ')')?;
            (delim, Some(s[..digits].parse().ok()?), digits + 1)
        }
        _ => return None,
    };
    let after = &s[marker_len..];
    if after.is_empty() {
        return Some(ListMarker {
            ch,
            number,
            content: line.len(),
            width: lead + marker_len + 1,
        });
    }
    if !after.starts_with(is_ws) {
        return None;
    }
    let gap = after.chars().take_while(|c| is_ws(*c)).count();
    let gap_used = if gap > MAX_MARKER_GAP || gap == after.len() {
        1
    } else {
        gap
    };
    Some(ListMarker {
        ch,
        number,
        content: lead + marker_len + gap_used,
        width: lead + marker_len + gap_used,
    })
}

/// `[ ]`, `[x]` or `[X]` then a space or the end: done, and the text after it.
pub(super) fn task_box(text: &str) -> Option<(bool, &str)> {
    let done = match text.get(..3)? {
        "[ ]" => false,
        "[x]" | "[X]" => true,
        _ => return None,
    };
    let rest = &text[3..];
    (rest.is_empty() || rest.starts_with(is_ws)).then(|| (done, trim_ws_start(rest)))
}

/// A line of a pipe table.
pub(super) fn is_row(line: &str) -> bool {
    marker_start(line).is_some_and(|s| s.starts_with('|'))
}

/// The cells of a table row: `\|` is a pipe inside a cell, anything else stays as written
/// for the inline parser; cells are trimmed, keeping whitespace a backslash protects.
pub(super) fn split_row(line: &str) -> Vec<String> {
    let s = marker_start(line).unwrap_or(line).trim_end_matches(is_ws);
    let s = s.strip_prefix('|').unwrap_or(s);
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut chars = s.chars().peekable();
    let mut closed = false;
    while let Some(c) = chars.next() {
        closed = false;
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                cell.push('|');
                chars.next();
            }
            '|' => {
                cells.push(trim_cell(&cell));
                cell.clear();
                closed = true;
            }
            _ => cell.push(c),
        }
    }
    if !closed || cells.is_empty() {
        cells.push(trim_cell(&cell));
    }
    cells
}

fn trim_cell(cell: &str) -> String {
    let start = trim_ws_start(cell);
    let trimmed = start.trim_end_matches(is_ws);
    // `\ ` at the end: the escaped space is content.
    if ends_with_backslash(trimmed) && trimmed.len() < start.len() {
        let keep = trimmed.len() + 1;
        return start[..keep].to_string();
    }
    trimmed.to_string()
}

/// `---`, `:--`, `--:`, `:-:` in every cell.
pub(super) fn is_delimiter_row(line: &str) -> bool {
    is_row(line) && split_row(line).iter().all(|c| is_delimiter_cell(c))
}

pub(super) fn is_delimiter_cell(cell: &str) -> bool {
    let inner = cell.strip_prefix(':').unwrap_or(cell);
    let inner = inner.strip_suffix(':').unwrap_or(inner);
    !inner.is_empty() && inner.bytes().all(|b| b == b'-')
}

/// A placeholder token at the start of `s`: kind, number and length in bytes.
pub(super) fn token(s: &str) -> Option<(&str, usize, usize)> {
    let body = s.strip_prefix(TOKEN_OPEN)?;
    let kind_len = body
        .bytes()
        .take(MAX_KIND + 1)
        .take_while(u8::is_ascii_alphanumeric)
        .count();
    if kind_len == 0 || kind_len > MAX_KIND || !body.starts_with(|c: char| c.is_ascii_alphabetic())
    {
        return None;
    }
    let rest = body[kind_len..].strip_prefix('#')?;
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 9 {
        return None;
    }
    let number: usize = rest[..digits].parse().ok()?;
    let after = &rest[digits..];
    let label_len = if after.starts_with(' ') {
        // Labels never hold a bracket, so a scan stops at the next token's start.
        after
            .char_indices()
            .take_while(|(i, _)| *i < MAX_TOKEN)
            .find(|(_, c)| matches!(*c, TOKEN_CLOSE | TOKEN_OPEN | '\n'))
            .filter(|(_, c)| *c == TOKEN_CLOSE)?
            .0
    } else {
        0
    };
    let close = after[label_len..].strip_prefix(TOKEN_CLOSE)?;
    let len = s.len() - close.len();
    Some((&body[..kind_len], number, len))
}

/// The length of the run of URL characters at the start of `s`.
pub(super) fn url_run_len(s: &str) -> usize {
    s.char_indices()
        .find(|(_, c)| is_url_stop(*c))
        .map_or(s.len(), |(i, _)| i)
}

/// Whether `s` starts with an `http://` or `https://` scheme, and its length.
pub(super) fn url_scheme(s: &str) -> Option<usize> {
    if starts_with_ignore_case(s, "https://") {
        Some(8)
    } else if starts_with_ignore_case(s, "http://") {
        Some(7)
    } else {
        None
    }
}

/// The length of a bare URL at the start of `s` (which follows a non-alphanumeric
/// character), after trailing punctuation is given back to the sentence.
pub(super) fn url_len(s: &str) -> Option<usize> {
    let scheme = url_scheme(s)?;
    let end = url_run_len(s);
    if end > MAX_DESTINATION {
        return None;
    }
    let mut url = &s[..end];
    let mut open = url.matches('(').count();
    let mut close = url.matches(')').count();
    while let Some(last) = url.chars().last() {
        let strip = match last {
            '?' | '!' | '.' | ',' | ':' | ';' | '*' | '_' | '~' | '\'' => true,
            ')' => open < close,
            _ => false,
        };
        if !strip {
            break;
        }
        match last {
            ')' => close -= 1,
            '(' => open -= 1,
            _ => {}
        }
        url = &url[..url.len() - last.len_utf8()];
    }
    (url.len() > scheme).then_some(url.len())
}

/// Characters that end a bare URL.
pub(super) fn is_url_stop(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(c, '<' | '>' | '[' | ']' | '`' | '\\' | '"' | TOKEN_OPEN)
}

/// A URL `<url>` can carry (an inline card).
pub(super) fn card_url_ok(url: &str) -> bool {
    url.len() <= MAX_DESTINATION
        && (starts_with_ignore_case(url, "https://") && url.len() > 8
            || starts_with_ignore_case(url, "http://") && url.len() > 7)
        && !url
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>')
}

pub(super) fn starts_with_ignore_case(s: &str, prefix: &str) -> bool {
    s.len() >= prefix.len()
        && s.is_char_boundary(prefix.len())
        && s[..prefix.len()].eq_ignore_ascii_case(prefix)
}

/// The HTML-like tags the inline syntax knows, lower case.
pub(super) const TAGS: [&str; 5] = ["<u>", "</u>", "<br>", "<br/>", "<br />"];

/// Whether a `<` at the start of `s` begins a tag or an inline card.
pub(super) fn lt_is_special(s: &str) -> bool {
    TAGS.iter().any(|t| starts_with_ignore_case(s, t))
        || starts_with_ignore_case(s, "<http://")
        || starts_with_ignore_case(s, "<https://")
}

/// The length of `:name:` at the start of `s`, if it has that shape.
pub(super) fn emoji_len(s: &str) -> Option<usize> {
    let body = s.strip_prefix(':')?;
    // Emoji characters are ASCII, so bytes count them.
    let name = body
        .bytes()
        .take(MAX_EMOJI_NAME + 1)
        .take_while(|b| is_emoji_char(char::from(*b)))
        .count();
    (name > 0 && name <= MAX_EMOJI_NAME && body[name..].starts_with(':')).then_some(name + 2)
}

/// The length of a bare `@Name`'s name at the start of `s` (trailing `.` and `-` belong to
/// the sentence).
pub(super) fn bare_name_len(s: &str) -> usize {
    let run = s
        .char_indices()
        .find(|(_, c)| !is_name_char(*c))
        .map_or(s.len(), |(i, _)| i);
    s[..run].trim_end_matches(['.', '-']).len()
}

/// Whether `name` can be written as a bare `@Name`.
pub(super) fn bare_name_ok(name: &str) -> bool {
    name.starts_with(char::is_alphanumeric) && bare_name_len(name) == name.len()
}

/// Who `@Name` means: the caller's users, then people mentioned in the document.
#[derive(Debug, Default)]
pub(super) struct Directory {
    names: HashMap<String, String>,
    by_name: HashMap<String, Vec<String>>,
    by_folded: HashMap<String, Vec<String>>,
}

impl Directory {
    pub fn new(ctx: &MentionDirectory, root: &Value) -> Directory {
        let mut dir = Directory::default();
        for (id, name) in &ctx.users {
            dir.add(id, name);
        }
        let mut stack = vec![root];
        while let Some(node) = stack.pop() {
            if node.get("type").and_then(Value::as_str) == Some("mention")
                && let Some(attrs) = node.get("attrs")
                && let Some(id) = attrs.get("id").and_then(Value::as_str)
                && let Some(text) = attrs.get("text").and_then(Value::as_str)
            {
                dir.add(id, text.strip_prefix('@').unwrap_or(text));
            }
            if let Some(children) = node.get("content").and_then(Value::as_array) {
                stack.extend(children.iter());
            }
        }
        dir
    }

    fn add(&mut self, id: &str, name: &str) {
        if id.is_empty() || name.is_empty() || self.names.contains_key(id) {
            return;
        }
        self.names.insert(id.to_string(), name.to_string());
        for (map, key) in [
            (&mut self.by_name, name.to_string()),
            (&mut self.by_folded, name.to_lowercase()),
        ] {
            let ids = map.entry(key).or_default();
            if !ids.iter().any(|i| i == id) {
                ids.push(id.to_string());
            }
        }
    }

    pub fn name(&self, id: &str) -> Option<&str> {
        self.names.get(id).map(String::as_str)
    }

    /// The one account `name` means: an exact match, else a unique match ignoring case.
    pub fn resolve(&self, name: &str) -> Option<&str> {
        if let Some(ids) = self.by_name.get(name) {
            return (ids.len() == 1).then(|| ids[0].as_str());
        }
        match self.by_folded.get(&name.to_lowercase()) {
            Some(ids) if ids.len() == 1 => Some(ids[0].as_str()),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers() {
        let m = list_marker("- item").unwrap();
        assert_eq!((m.ch, m.number, m.content, m.width), ('-', None, 2, 2));
        let m = list_marker("12. item").unwrap();
        assert_eq!((m.ch, m.number, m.content), ('.', Some(12), 4));
        assert_eq!(list_marker("-item"), None);
        assert_eq!(list_marker("1234567890. x"), None);
        let m = list_marker("-").unwrap();
        assert_eq!(m.width, 2);
        let m = list_marker("-      code").unwrap();
        assert_eq!(m.content, 2);
        assert_eq!(list_marker("    - deep"), None);
    }

    #[test]
    fn headings_rules_fences() {
        assert_eq!(heading("## Title"), Some((2, "Title")));
        assert_eq!(heading("#"), Some((1, "")));
        assert_eq!(heading("#tag"), None);
        assert_eq!(heading("####### seven"), None);
        assert!(is_rule("---") && is_rule("* * *") && is_rule("___"));
        assert!(!is_rule("--") && !is_rule("-- x"));
        let f = fence_open("```rust").unwrap();
        assert_eq!((f.ch, f.len, f.info), ('`', 3, "rust"));
        assert!(fence_open("```a`b").is_none());
        assert!(fence_open("~~~a`b").is_some());
        assert!(is_fence_close("````", &f) && !is_fence_close("``", &f));
        assert_eq!(fence_for(Some("rust"), "a ``` b").as_deref(), Some("````"));
        assert_eq!(fence_for(Some("a`b"), "").as_deref(), Some("~~~"));
        assert_eq!(fence_for(Some("~x`"), ""), None);
    }

    #[test]
    fn rows() {
        assert_eq!(split_row("| a | b |"), ["a", "b"]);
        assert_eq!(split_row("| a \\| b | c"), ["a | b", "c"]);
        assert_eq!(split_row("|  |"), [""]);
        assert_eq!(split_row("| x\\  |"), ["x\\ "]);
        assert!(is_delimiter_row("| --- | :-: |"));
        assert!(!is_delimiter_row("| --- | x |"));
    }

    #[test]
    fn tokens_urls_emoji_names() {
        assert_eq!(
            token("⟦media#12 a.png⟧ rest"),
            Some(("media", 12, "⟦media#12 a.png⟧".len()))
        );
        assert_eq!(token("⟦media#1⟧"), Some(("media", 1, "⟦media#1⟧".len())));
        assert_eq!(token("⟦media#⟧"), None);
        assert_eq!(token("⟦1#1⟧"), None);
        assert_eq!(
            url_len("https://x.io/a_(b)."),
            Some("https://x.io/a_(b)".len())
        );
        assert_eq!(url_len("https://x.io)"), Some("https://x.io".len()));
        assert_eq!(url_len("https://"), None);
        assert_eq!(emoji_len(":+1: x"), Some(4));
        assert_eq!(emoji_len("::"), None);
        assert_eq!(bare_name_len("bob.smith. hi"), "bob.smith".len());
        assert!(bare_name_ok("Ana") && !bare_name_ok("Ana Silva") && !bare_name_ok("x-"));
    }

    #[test]
    fn indentation() {
        assert_eq!(indent_cols("\t- x"), 4);
        assert_eq!(strip_cols("    x", 2), "  x");
        assert_eq!(strip_cols("\tx", 2), "x");
        assert_eq!(strip_cols("  ", 4), "");
    }

    #[test]
    fn directory_resolves_unique_names() {
        let ctx = MentionDirectory::new([
            ("a1".to_string(), "Ana Silva".to_string()),
            ("b1".to_string(), "Bob".to_string()),
            ("b2".to_string(), "bob".to_string()),
        ]);
        let doc = serde_json::json!({"type": "doc", "content": [{"type": "paragraph", "content": [
            {"type": "mention", "attrs": {"id": "c1", "text": "@Carol"}},
            {"type": "mention", "attrs": {"id": "a1", "text": "@Old Name"}}
        ]}]});
        let dir = Directory::new(&ctx, &doc);
        assert_eq!(dir.resolve("ana silva"), Some("a1"));
        assert_eq!(dir.resolve("Bob"), Some("b1"));
        assert_eq!(dir.resolve("BOB"), None);
        assert_eq!(dir.resolve("Carol"), Some("c1"));
        assert_eq!(dir.resolve("Old Name"), None);
        assert_eq!(dir.name("a1"), Some("Ana Silva"));
    }
}
