//! Printing the editor's tree as text, so that `parse` gives the same tree back.
//!
//! Escaping is minimal but sufficient: a character gets a backslash only where the parser
//! would otherwise read syntax (a `#` at a line start, a `:` that would start a known
//! emoji, an `@` before a known name…), so ordinary prose stays readable.

use super::ast::{Block, Inline, Marks, Task};
use super::emoji::EmojiSet;
use super::read::Stored;
use super::syntax::{
    Container, Directory, MAX_EMOJI_NAME, MAX_NAME, MAX_ORDER, TOKEN_OPEN, bare_name_len,
    bare_name_ok, emoji_len, ends_with_backslash, fence_for, is_delimiter_cell, is_emoji_char,
    is_escapable, is_url_stop, is_word_char, is_ws, lt_is_special, starts_with_ignore_case,
    url_len,
};

pub(super) fn print(
    blocks: &[Block],
    registry: &[Stored<'_>],
    directory: &Directory,
    emoji: &EmojiSet,
) -> String {
    let printer = Printer {
        registry,
        directory,
        emoji,
    };
    let mut out = String::new();
    for line in printer.blocks(blocks, Container::Doc) {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

struct Printer<'p, 'a> {
    registry: &'p [Stored<'a>],
    directory: &'p Directory,
    emoji: &'p EmojiSet,
}

/// How a list starts, to tell it from a list of the same kind right before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ListSig {
    Bullet(char),
    Ordered(char),
    Tasks(char),
}

fn list_sig(block: &Block, prev: Option<ListSig>) -> Option<ListSig> {
    // Two lists of a kind in a row would read as one; a different marker splits them.
    Some(match block {
        Block::List { start: None, .. } => ListSig::Bullet(if prev == Some(ListSig::Bullet('-')) {
            '*'
        } else {
            '-'
        }),
        Block::List { .. } => ListSig::Ordered(if prev == Some(ListSig::Ordered('.')) {
            ')'
        } else {
            '.'
        }),
        Block::Tasks(_) => ListSig::Tasks(task_char(prev == Some(ListSig::Tasks('-')))),
        _ => return None,
    })
}

fn task_char(after_dash: bool) -> char {
    if after_dash { '*' } else { '-' }
}

fn indent(line: &str, width: usize) -> String {
    if line.is_empty() {
        String::new()
    } else {
        format!("{}{line}", " ".repeat(width))
    }
}

/// Line starts: which syntax a text at the start of a line must not be mistaken for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LineStart {
    /// Not at a line start.
    No,
    /// Only leading whitespace would be lost (after `# ` or `- [ ] `, in a cell).
    Whitespace,
    /// Anything a block could start with.
    Full,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Block,
    Heading,
    Task,
    Cell,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Toggles {
    strong: bool,
    em: bool,
    strike: bool,
    underline: bool,
}

impl From<&Marks> for Toggles {
    fn from(m: &Marks) -> Self {
        Toggles {
            strong: m.strong,
            em: m.em,
            strike: m.strike,
            underline: m.underline,
        }
    }
}

impl Printer<'_, '_> {
    fn blocks(&self, blocks: &[Block], container: Container) -> Vec<String> {
        let mut out = Vec::new();
        let mut prev: Option<&Block> = None;
        let mut prev_sig = None;
        for block in blocks {
            let sig = list_sig(block, prev_sig);
            if let Some(prev) = prev {
                // A list right under an item's text reads as it is usually written.
                let tight = container == Container::ListItem
                    && matches!(block, Block::List { .. } | Block::Tasks(_))
                    && matches!(prev, Block::Paragraph(c) if !c.is_empty());
                if !tight {
                    out.push(String::new());
                }
            }
            out.extend(self.block(block, sig));
            prev = Some(block);
            prev_sig = sig;
        }
        out
    }

    fn block(&self, block: &Block, sig: Option<ListSig>) -> Vec<String> {
        match block {
            Block::Paragraph(content) if content.is_empty() => vec!["\\".to_string()],
            Block::Paragraph(content) => self.inline(content, Mode::Block),
            Block::Heading { level, content } => {
                let hashes = "#".repeat(usize::from(*level));
                if content.is_empty() {
                    return vec![hashes];
                }
                let mut lines = self.inline(content, Mode::Heading);
                lines[0] = format!("{hashes} {}", lines[0]);
                lines
            }
            Block::Code { language, text } => {
                let language = language.as_deref();
                let fence = fence_for(language, text).unwrap_or_else(|| "```".to_string());
                let mut lines = vec![format!("{fence}{}", language.unwrap_or(""))];
                if !text.is_empty() {
                    lines.extend(text.split('\n').map(str::to_string));
                }
                lines.push(fence);
                lines
            }
            Block::Quote(content) => self
                .blocks(content, Container::Quote)
                .into_iter()
                .map(|l| {
                    if l.is_empty() {
                        ">".to_string()
                    } else {
                        format!("> {l}")
                    }
                })
                .collect(),
            Block::Panel { kind, content } => {
                let mut lines = vec![format!(":::{kind}")];
                lines.extend(self.blocks(content, Container::Panel));
                lines.push(":::".to_string());
                lines
            }
            Block::Rule => vec!["---".to_string()],
            Block::List { start, items } => {
                let ch = match sig {
                    Some(ListSig::Bullet(c) | ListSig::Ordered(c)) => c,
                    _ => '-',
                };
                let mut out = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    let marker = match start {
                        None => ch.to_string(),
                        Some(s) => format!("{}{ch}", s.saturating_add(i as u64).min(MAX_ORDER)),
                    };
                    let lines = self.blocks(item, Container::ListItem);
                    let Some((first, rest)) = lines.split_first() else {
                        out.push(marker);
                        continue;
                    };
                    out.push(format!("{marker} {first}"));
                    let width = marker.len() + 1;
                    out.extend(rest.iter().map(|l| indent(l, width)));
                }
                out
            }
            Block::Tasks(entries) => {
                let ch = match sig {
                    Some(ListSig::Tasks(c)) => c,
                    _ => '-',
                };
                self.tasks(entries, ch)
            }
            Block::Table { header, rows } => self.table(*header, rows),
            Block::Placeholder(i) => vec![self.token(*i)],
        }
    }

    fn token(&self, index: usize) -> String {
        self.registry
            .get(index)
            .map(|s| s.token(index))
            .unwrap_or_default()
    }

    fn tasks(&self, entries: &[Task], ch: char) -> Vec<String> {
        let mut out = Vec::new();
        let mut prev_nested: Option<char> = None;
        for entry in entries {
            match entry {
                Task::Item { done, content } => {
                    prev_nested = None;
                    let check = if *done { "[x]" } else { "[ ]" };
                    let lines = if content.is_empty() {
                        Vec::new()
                    } else {
                        self.inline(content, Mode::Task)
                    };
                    match lines.split_first() {
                        None => out.push(format!("{ch} {check}")),
                        Some((first, rest)) => {
                            out.push(format!("{ch} {check} {first}"));
                            out.extend(rest.iter().map(|l| indent(l, 2)));
                        }
                    }
                }
                Task::List(nested) => {
                    let c = task_char(prev_nested == Some('-'));
                    out.extend(self.tasks(nested, c).iter().map(|l| indent(l, 2)));
                    prev_nested = Some(c);
                }
            }
        }
        out
    }

    fn table(&self, header: bool, rows: &[Vec<Vec<Inline>>]) -> Vec<String> {
        let columns = rows.first().map_or(0, Vec::len);
        let delimiter = format!("| {} |", vec!["---"; columns].join(" | "));
        let mut out = Vec::with_capacity(rows.len() + 1);
        for (r, row) in rows.iter().enumerate() {
            if r == 0 && !header {
                out.push(delimiter.clone());
            }
            let cells: Vec<String> = row.iter().map(|c| self.cell(c)).collect();
            out.push(format!("| {} |", cells.join(" | ")));
            if r == 0 && header {
                out.push(delimiter.clone());
            }
        }
        out
    }

    fn cell(&self, content: &[Inline]) -> String {
        let mut text = self
            .inline(content, Mode::Cell)
            .into_iter()
            .next()
            .unwrap_or_default();
        if is_delimiter_cell(&text) {
            text.insert(0, '\\');
        }
        // The row is split at pipes before the cell is read; `\|` is a pipe in a cell.
        text.replace('|', "\\|")
    }

    fn inline(&self, content: &[Inline], mode: Mode) -> Vec<String> {
        let mut w = Writer {
            p: self,
            mode,
            lines: Vec::new(),
            cur: String::new(),
            first_line: true,
            open: Toggles::default(),
            flank: None,
        };
        w.content(content);
        w.lines
    }

    /// `text` with backslashes where the parser would otherwise read syntax.
    fn escape(&self, text: &str, line_start: LineStart, in_link: bool, first_ws: bool) -> String {
        let forced = forced_at_line_start(text, line_start, first_ws);
        let mut out = String::with_capacity(text.len() + 4);
        let mut prev: Option<char> = None;
        let mut url_colon: Option<usize> = None;
        for (i, c) in text.char_indices() {
            let rest = &text[i..];
            let next = rest[c.len_utf8()..].chars().next();
            let escape = forced == Some(i)
                || url_colon == Some(i)
                || match c {
                    '\\' => next.is_none_or(is_escapable),
                    '*' | '`' | TOKEN_OPEN => true,
                    '~' => prev.is_none_or(|p| p == '~') || next.is_none_or(|n| n == '~'),
                    '[' => in_link,
                    ']' => in_link || next.is_none_or(|n| n == '('),
                    '<' => lt_is_special(rest),
                    '@' => next == Some('[') || self.mention_at(prev, &rest[1..]),
                    ':' => self.emoji_at(rest),
                    'h' | 'H' => {
                        if !prev.is_some_and(char::is_alphanumeric)
                            && (starts_with_ignore_case(rest, "http://")
                                || starts_with_ignore_case(rest, "https://"))
                        {
                            url_colon = rest.find(':').map(|c| i + c);
                        }
                        false
                    }
                    _ => false,
                };
            if escape {
                out.push('\\');
            }
            out.push(c);
            prev = Some(c);
        }
        out
    }

    /// Whether a bare `@` followed by `rest` would be read as a mention.
    fn mention_at(&self, prev: Option<char>, rest: &str) -> bool {
        if prev.is_some_and(is_word_char) {
            return false;
        }
        let n = bare_name_len(rest);
        n > 0 && self.directory.resolve(&rest[..n]).is_some()
    }

    /// Whether a `:` starting `rest` could be read as (the start of) an emoji.
    fn emoji_at(&self, rest: &str) -> bool {
        if let Some(n) = emoji_len(rest)
            && self.emoji.contains(&rest[..n])
        {
            return true;
        }
        // A name running to the end of the text could be closed by what follows.
        let tail = &rest[1..];
        !tail.is_empty() && tail.len() <= MAX_EMOJI_NAME && tail.chars().all(is_emoji_char)
    }
}

/// The byte index of the character a line start forces a backslash before, if any.
fn forced_at_line_start(text: &str, line_start: LineStart, first_ws: bool) -> Option<usize> {
    let first = text.chars().next()?;
    if is_ws(first) && (first_ws || line_start != LineStart::No) {
        return Some(0);
    }
    if line_start != LineStart::Full {
        return None;
    }
    let second = text[first.len_utf8()..].chars().next();
    let ends = |c: Option<char>| c.is_none_or(is_ws);
    match first {
        '#' => {
            let n = text.bytes().take_while(|b| *b == b'#').count();
            (n <= 6 && ends(text[n..].chars().next())).then_some(0)
        }
        '-' | '+' | '_' => {
            let rule = first != '+'
                && text.chars().all(|c| c == first || is_ws(c))
                && text.chars().filter(|c| *c == first).count() >= 3;
            (rule || (first != '_' && ends(second))).then_some(0)
        }
        '>' | '|' => Some(0),
        ':' => text.starts_with(":::").then_some(0),
        '[' => matches!(text.get(..3), Some("[ ]" | "[x]" | "[X]"))
            .then(|| ends(text[3..].chars().next()))
            .filter(|e| *e)
            .map(|_| 0),
        c if c.is_ascii_digit() => {
            let n = text.bytes().take_while(u8::is_ascii_digit).count();
            let delim = text[n..].chars().next()?;
            (n <= 9 && (delim == '.' || delim == ')') && ends(text[n + 1..].chars().next()))
                .then_some(n)
        }
        _ => None,
    }
}

/// Inline code with a fence of backticks its content does not hold.
fn code_span(text: &str) -> String {
    let mut runs = Vec::new();
    let mut run = 0;
    for c in text.chars() {
        if c == '`' {
            run += 1;
        } else if run > 0 {
            runs.push(run);
            run = 0;
        }
    }
    if run > 0 {
        runs.push(run);
    }
    let n = (1..).find(|n| !runs.contains(n)).unwrap_or(1);
    let fence = "`".repeat(n);
    let pad = text.starts_with('`')
        || text.ends_with('`')
        || (text.starts_with(' ') && text.ends_with(' ') && !text.chars().all(|c| c == ' '));
    if pad {
        format!("{fence} {text} {fence}")
    } else {
        format!("{fence}{text}{fence}")
    }
}

/// A link destination: bare when it can be, else in angle brackets.
fn destination(href: &str) -> String {
    let mut depth: i64 = 0;
    let mut balanced = true;
    for c in href.chars() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                balanced &= depth >= 0;
            }
            _ => {}
        }
    }
    let bare = !href.is_empty()
        && balanced
        && depth == 0
        && !href.starts_with('<')
        && !href.chars().any(|c| c.is_whitespace() || c.is_control());
    if bare {
        href.replace('\\', "\\\\")
    } else {
        let mut out = String::with_capacity(href.len() + 2);
        out.push('<');
        for c in href.chars() {
            if matches!(c, '\\' | '<' | '>') {
                out.push('\\');
            }
            out.push(c);
        }
        out.push('>');
        out
    }
}

/// Writes inline content, line by line.
struct Writer<'w, 'p, 'a> {
    p: &'w Printer<'p, 'a>,
    mode: Mode,
    lines: Vec<String>,
    cur: String,
    first_line: bool,
    open: Toggles,
    /// A `*` or `~~` run was just written after whitespace (`Some(Some(index))` of that
    /// whitespace) or at the line start (`Some(None)`). A run with whitespace on both
    /// sides is literal, so if whitespace or the end follows, one side gets a backslash.
    flank: Option<Option<usize>>,
}

impl Writer<'_, '_, '_> {
    fn line_start(&self) -> LineStart {
        if !self.cur.is_empty() {
            LineStart::No
        } else if self.mode == Mode::Cell || (self.first_line && self.mode != Mode::Block) {
            LineStart::Whitespace
        } else {
            LineStart::Full
        }
    }

    /// Something that does not start with whitespace follows.
    fn settle(&mut self) {
        self.flank = None;
    }

    fn ends_with_raw_ws(&self) -> bool {
        self.cur.ends_with(is_ws) && !ends_with_backslash(&self.cur[..self.cur.len() - 1])
    }

    fn push_run(&mut self, run: &str) {
        self.settle();
        let before = if self.cur.is_empty() {
            Some(None)
        } else if self.ends_with_raw_ws() {
            Some(Some(self.cur.len() - 1))
        } else {
            None
        };
        self.cur.push_str(run);
        self.flank = before;
    }

    fn toggles(&mut self, target: Toggles) {
        let open = self.open;
        if open == target {
            return;
        }
        if open.underline && !target.underline {
            self.settle();
            self.cur.push_str("</u>");
        }
        let stars =
            usize::from(open.em != target.em) + 2 * usize::from(open.strong != target.strong);
        if stars > 0 {
            self.push_run(&"*".repeat(stars));
        }
        if open.strike != target.strike {
            self.push_run("~~");
        }
        if !open.underline && target.underline {
            self.settle();
            self.cur.push_str("<u>");
        }
        self.open = target;
    }

    fn content(&mut self, items: &[Inline]) {
        let mut i = 0;
        while i < items.len() {
            match &items[i] {
                Inline::Text { marks, .. } if marks.link.is_some() => {
                    let href = marks.link.as_deref();
                    let run = items[i..]
                        .iter()
                        .take_while(
                            |it| matches!(it, Inline::Text { marks, .. } if marks.link.as_deref() == href),
                        )
                        .count();
                    self.link(&items[i..i + run], href.unwrap_or(""), &items[i + run..]);
                    i += run;
                    continue;
                }
                Inline::Text { text, marks } if marks.code => self.code(text),
                Inline::Text { text, marks } => self.text(text, marks, false),
                Inline::Break => self.line_break(i + 1 == items.len()),
                Inline::Mention(id) => self.mention(id, items.get(i + 1)),
                Inline::Emoji(short) => {
                    self.settle();
                    self.cur.push_str(short);
                }
                Inline::Card(url) => {
                    self.settle();
                    self.cur.push('<');
                    self.cur.push_str(url);
                    self.cur.push('>');
                }
                Inline::Placeholder(index) => {
                    self.settle();
                    let token = self.p.token(*index);
                    self.cur.push_str(&token);
                }
            }
            i += 1;
        }
        self.finish();
    }

    fn text(&mut self, text: &str, marks: &Marks, in_link: bool) {
        self.toggles(marks.into());
        let first_ws = self.flank.is_some() && text.starts_with(is_ws);
        let escaped = self.p.escape(text, self.line_start(), in_link, first_ws);
        self.settle();
        self.cur.push_str(&escaped);
    }

    fn code(&mut self, text: &str) {
        self.settle();
        self.cur.push_str(&code_span(text));
    }

    fn line_break(&mut self, last: bool) {
        if self.mode == Mode::Cell {
            self.settle();
            self.cur.push_str("<br>");
            return;
        }
        // Each line opens and closes its own marks.
        self.toggles(Toggles::default());
        self.settle();
        // A `\` ending the last line, or standing alone, would mean something else.
        if last || self.cur.is_empty() {
            self.cur.push_str("<br>");
        } else {
            self.cur.push('\\');
            self.lines.push(std::mem::take(&mut self.cur));
            self.first_line = false;
        }
    }

    fn mention(&mut self, id: &str, next: Option<&Inline>) {
        self.settle();
        let after_word = self.cur.chars().last().is_some_and(is_word_char);
        let next_is_name = matches!(
            next,
            Some(Inline::Text { text, marks }) if !marks.code && text.starts_with(super::syntax::is_name_char)
        );
        let name = self
            .p
            .directory
            .name(id)
            .filter(|n| n.len() <= MAX_NAME && !n.chars().any(char::is_control));
        let written = match name {
            Some(name) if self.p.directory.resolve(name) == Some(id) => {
                if !after_word && !next_is_name && bare_name_ok(name) {
                    format!("@{name}")
                } else {
                    format!("@[{}]", bracket_escape(name))
                }
            }
            _ => format!("@[~{}]", bracket_escape(id)),
        };
        self.cur.push_str(&written);
    }

    fn link(&mut self, run: &[Inline], href: &str, after: &[Inline]) {
        let Some(Inline::Text { marks: first, .. }) = run.first() else {
            return;
        };
        self.toggles(first.into());
        if let [Inline::Text { text, marks }] = run
            && !marks.code
            && text == href
            && url_len(href) == Some(href.len())
            && !href.chars().any(is_url_stop)
            && self.cur.chars().last().is_none_or(|c| !c.is_alphanumeric())
            && self.url_may_end_before(after)
        {
            self.settle();
            self.cur.push_str(href);
            return;
        }
        self.settle();
        self.cur.push('[');
        for item in run {
            if let Inline::Text { text, marks } = item {
                if marks.code {
                    self.code(text);
                } else {
                    self.text(text, marks, true);
                }
            }
        }
        self.settle();
        self.cur.push_str("](");
        self.cur.push_str(&destination(href));
        self.cur.push(')');
    }

    /// Whether a bare URL ends where it should when `after` follows it: at whitespace, a
    /// character URLs stop at, or sentence punctuation followed by one of those.
    fn url_may_end_before(&self, after: &[Inline]) -> bool {
        let ends = |c: Option<char>| c.is_none_or(|c| is_ws(c) || is_url_stop(c));
        match after.first() {
            None | Some(Inline::Break | Inline::Card(_) | Inline::Placeholder(_)) => true,
            Some(Inline::Text { text, marks }) if marks.link.is_none() => {
                if marks.code {
                    return true;
                }
                let printed = self.p.escape(text, LineStart::No, false, false);
                let mut chars = printed.chars();
                let first = chars.next();
                if ends(first) {
                    return true;
                }
                if first.is_some_and(|c| matches!(c, '.' | ',' | ';' | ':' | '!' | '?')) {
                    let second = chars.next();
                    return match second {
                        Some(_) => ends(second),
                        None => matches!(after.get(1), None | Some(Inline::Break)),
                    };
                }
                false
            }
            _ => false,
        }
    }

    fn finish(&mut self) {
        self.toggles(Toggles::default());
        // A closing run ends the line: escape the whitespace before it.
        if let Some(Some(index)) = self.flank.take() {
            self.cur.insert(index, '\\');
        }
        if self.mode == Mode::Cell && self.ends_with_raw_ws() {
            // A cell is trimmed; its last space must be written `\ `.
            let at = self.cur.len() - 1;
            self.cur.insert(at, '\\');
        }
        if !self.cur.is_empty() || self.lines.is_empty() {
            self.lines.push(std::mem::take(&mut self.cur));
        }
    }
}

fn bracket_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, c) in s.chars().enumerate() {
        if matches!(c, '\\' | ']' | '[') || (i == 0 && c == '~') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
