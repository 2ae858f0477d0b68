//! Inline syntax: the text of a paragraph (its lines joined by `\n`) into inline content.
//!
//! Two passes. The first splits the text into literal runs and candidate tokens (mark
//! delimiters, link brackets, code spans, mentions…), left to right. The second pairs
//! delimiters and brackets; whatever stays unpaired is literal text. Mark delimiters
//! toggle their mark, matching ADF's flat mark sets. Every scan is bounded, so the whole
//! is linear in the text.

use std::collections::HashMap;

use super::ConvertError;
use super::ast::{Inline, Marks, push_inline};
use super::emoji::EmojiSet;
use super::read::Stored;
use super::syntax::{
    Directory, MAX_DESTINATION, MAX_NAME, TAGS, TOKEN_OPEN, bare_name_len, card_url_ok, emoji_len,
    is_escapable, is_word_char, starts_with_ignore_case, token, url_len, url_run_len, url_scheme,
};

/// What inline parsing needs to know besides the text.
pub(super) struct InlineCtx<'c, 'a> {
    pub registry: &'c [Stored<'a>],
    pub directory: &'c Directory,
    pub emoji: &'c EmojiSet,
    /// The line the text starts on, for errors.
    pub line: usize,
}

#[derive(Debug)]
enum Tok {
    Text(String),
    /// A run of one to three `*`: em, strong, or both.
    Stars(usize),
    Tildes,
    UnderlineOpen,
    UnderlineClose,
    Code(String),
    LinkOpen,
    LinkClose {
        href: String,
        raw: String,
    },
    /// A bare URL.
    Auto(String),
    Break,
    Mention(String),
    Emoji(String),
    Card(String),
    Placeholder(usize),
}

pub(super) fn parse(src: &str, ctx: &InlineCtx<'_, '_>) -> Result<Vec<Inline>, ConvertError> {
    let mut lexer = Lexer {
        src,
        ctx,
        toks: Vec::new(),
        buf: String::new(),
        tail_ws: 0,
        tail_spaces: 0,
        code_runs: code_runs(src),
        scan_budget: src.len() + SCAN_ALLOWANCE,
    };
    lexer.run()?;
    Ok(resolve(lexer.toks))
}

/// Where runs of backticks start, by length: the closers a code span can end at.
fn code_runs(src: &str) -> HashMap<usize, Vec<usize>> {
    let mut runs: HashMap<usize, Vec<usize>> = HashMap::new();
    let bytes = src.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'`' {
            let start = i;
            while i < bytes.len() && bytes[i] == b'`' {
                i += 1;
            }
            runs.entry(i - start).or_default().push(start);
        } else {
            i += 1;
        }
    }
    runs
}

struct Lexer<'s, 'c, 'a> {
    src: &'s str,
    ctx: &'c InlineCtx<'c, 'a>,
    toks: Vec<Tok>,
    /// Literal text not yet emitted.
    buf: String,
    /// Bytes of unescaped whitespace at the end of `buf`.
    tail_ws: usize,
    /// Unescaped spaces at the end of `buf` (two make a hard break before a newline).
    tail_spaces: usize,
    code_runs: HashMap<usize, Vec<usize>>,
    /// Bytes failed destination scans may still read; once spent, `](` is text. Bounds
    /// the work of text full of `](` with no `)`; a real link's scan is never a failure.
    scan_budget: usize,
}

/// Failed-scan bytes allowed besides the text's own length.
const SCAN_ALLOWANCE: usize = 64 * 1024;

impl Lexer<'_, '_, '_> {
    fn destination(&mut self, s: &str) -> Option<(String, usize)> {
        if self.scan_budget == 0 {
            return None;
        }
        let found = destination(s);
        if found.is_none() {
            let scanned = s.len().min(MAX_DESTINATION);
            self.scan_budget = self.scan_budget.saturating_sub(scanned.max(1));
        }
        found
    }

    fn push_raw(&mut self, c: char) {
        self.buf.push(c);
        match c {
            ' ' => {
                self.tail_ws += 1;
                self.tail_spaces += 1;
            }
            '\t' => {
                self.tail_ws += 1;
                self.tail_spaces = 0;
            }
            _ => {
                self.tail_ws = 0;
                self.tail_spaces = 0;
            }
        }
    }

    fn push_raw_str(&mut self, s: &str) {
        for c in s.chars() {
            self.push_raw(c);
        }
    }

    fn push_escaped(&mut self, c: char) {
        self.buf.push(c);
        self.tail_ws = 0;
        self.tail_spaces = 0;
    }

    fn emit(&mut self, tok: Tok) {
        if !self.buf.is_empty() {
            self.toks.push(Tok::Text(std::mem::take(&mut self.buf)));
        }
        self.tail_ws = 0;
        self.tail_spaces = 0;
        self.toks.push(tok);
    }

    fn run(&mut self) -> Result<(), ConvertError> {
        let src = self.src;
        let mut i = 0;
        let mut prev: Option<char> = None;
        // Start of text, a newline or unescaped whitespace: a delimiter run between two
        // of these is punctuation, not formatting.
        let mut after_space = true;
        while let Some(c) = src[i..].chars().next() {
            let rest = &src[i..];
            let mut last = c;
            let mut spaced = false;
            match c {
                '\\' => match rest[1..].chars().next() {
                    None => {
                        self.emit(Tok::Break);
                        i += 1;
                    }
                    Some('\n') => {
                        self.emit(Tok::Break);
                        i += 2;
                        last = '\n';
                        spaced = true;
                    }
                    Some(n) if is_escapable(n) => {
                        self.push_escaped(n);
                        i += 1 + n.len_utf8();
                        last = n;
                    }
                    Some(_) => {
                        self.push_raw('\\');
                        i += 1;
                    }
                },
                '\n' => {
                    self.soft_break();
                    i += 1;
                    spaced = true;
                }
                ' ' | '\t' => {
                    self.push_raw(c);
                    i += 1;
                    spaced = true;
                }
                '`' => {
                    let n = rest.bytes().take_while(|b| *b == b'`').count();
                    match self.closing_run(i + n, n) {
                        Some(close) => {
                            self.emit(Tok::Code(code_content(&src[i + n..close])));
                            i = close + n;
                        }
                        None => {
                            self.push_raw_str(&rest[..n]);
                            i += n;
                        }
                    }
                }
                '*' | '~' => {
                    let n = rest.bytes().take_while(|b| *b == c as u8).count();
                    let next = rest[n..].chars().next();
                    let spaced_both =
                        after_space && next.is_none_or(|n| matches!(n, ' ' | '\t' | '\n'));
                    let tok = match (c, n) {
                        _ if spaced_both => None,
                        ('*', 1..=3) => Some(Tok::Stars(n)),
                        ('~', 2) => Some(Tok::Tildes),
                        _ => None,
                    };
                    match tok {
                        Some(tok) => self.emit(tok),
                        None => self.push_raw_str(&rest[..n]),
                    }
                    i += n;
                }
                '<' => match lt_token(rest) {
                    Some((tok, len)) => {
                        self.emit(tok);
                        i += len;
                        last = '>';
                    }
                    None => {
                        self.push_raw('<');
                        i += 1;
                    }
                },
                '[' => {
                    self.emit(Tok::LinkOpen);
                    i += 1;
                }
                ']' => match rest.strip_prefix("](").and_then(|d| self.destination(d)) {
                    Some((href, len)) => {
                        let raw = rest[..2 + len].to_string();
                        self.emit(Tok::LinkClose { href, raw });
                        i += 2 + len;
                        last = ')';
                    }
                    None => {
                        self.push_raw(']');
                        i += 1;
                    }
                },
                '@' => match self.mention(rest, prev) {
                    Some((id, len)) => {
                        self.emit(Tok::Mention(id));
                        i += len;
                        last = rest[..len].chars().last().unwrap_or('@');
                    }
                    None => {
                        self.push_raw('@');
                        i += 1;
                    }
                },
                ':' => match emoji_len(rest).filter(|n| self.ctx.emoji.contains(&rest[..*n])) {
                    Some(n) => {
                        self.emit(Tok::Emoji(rest[..n].to_string()));
                        i += n;
                    }
                    None => {
                        self.push_raw(':');
                        i += 1;
                    }
                },
                TOKEN_OPEN => match token(rest) {
                    Some((kind, number, len)) => {
                        let index = self.placeholder(kind, number, &rest[..len])?;
                        self.emit(Tok::Placeholder(index));
                        i += len;
                    }
                    None => {
                        self.push_raw(c);
                        i += c.len_utf8();
                    }
                },
                'h' | 'H' if !prev.is_some_and(char::is_alphanumeric) => match url_len(rest) {
                    Some(n) => {
                        self.emit(Tok::Auto(rest[..n].to_string()));
                        i += n;
                        last = rest[..n].chars().last().unwrap_or(c);
                    }
                    // Too long for a link: the whole run is text, not rescanned.
                    None if url_scheme(rest).is_some() => {
                        let n = url_run_len(rest);
                        self.push_raw_str(&rest[..n]);
                        i += n;
                        last = rest[..n].chars().last().unwrap_or(c);
                    }
                    None => {
                        self.push_raw(c);
                        i += 1;
                    }
                },
                _ => {
                    self.push_raw(c);
                    i += c.len_utf8();
                }
            }
            prev = Some(last);
            after_space = spaced;
        }
        if !self.buf.is_empty() {
            self.toks.push(Tok::Text(std::mem::take(&mut self.buf)));
        }
        Ok(())
    }

    /// A newline inside a paragraph: a space, or a hard break after two spaces. The
    /// whitespace around it is not text.
    fn soft_break(&mut self) {
        let hard = self.tail_spaces >= 2;
        let keep = self.buf.len() - self.tail_ws;
        self.buf.truncate(keep);
        self.tail_ws = 0;
        self.tail_spaces = 0;
        if hard {
            self.emit(Tok::Break);
        } else {
            self.push_escaped(' ');
        }
    }

    fn closing_run(&self, from: usize, len: usize) -> Option<usize> {
        let starts = self.code_runs.get(&len)?;
        let at = starts.partition_point(|s| *s < from);
        starts.get(at).copied()
    }

    /// A mention at the start of `rest` (which starts with `@`): the account and length.
    fn mention(&self, rest: &str, prev: Option<char>) -> Option<(String, usize)> {
        if let Some(body) = rest.strip_prefix("@[") {
            let (raw, len) = bracketed(body)?;
            let id = match raw.strip_prefix('~') {
                Some(id) => unescape(id),
                None => self.ctx.directory.resolve(&unescape(raw))?.to_string(),
            };
            return (!id.is_empty()).then_some((id, 2 + len));
        }
        if prev.is_some_and(is_word_char) {
            return None;
        }
        let n = bare_name_len(&rest[1..]);
        let id = self.ctx.directory.resolve(&rest[1..1 + n])?;
        (n > 0).then(|| (id.to_string(), 1 + n))
    }

    fn placeholder(&self, kind: &str, number: usize, written: &str) -> Result<usize, ConvertError> {
        let token = written.to_string();
        let line = self.ctx.line;
        let index = number.checked_sub(1);
        let Some((index, stored)) = index.and_then(|i| Some((i, self.ctx.registry.get(i)?))) else {
            return Err(ConvertError::UnknownPlaceholder { token, line });
        };
        if stored.kind != kind {
            return Err(ConvertError::WrongPlaceholder {
                token,
                line,
                actual: stored.kind.clone(),
            });
        }
        if !stored.inline {
            return Err(ConvertError::MisplacedPlaceholder {
                token,
                line,
                reason: "stands for a block: put it on a line of its own",
            });
        }
        Ok(index)
    }
}

/// Code span content: newlines are spaces, and one space of padding on both sides is
/// dropped (it lets code start or end with a backtick).
fn code_content(raw: &str) -> String {
    let s = raw.replace('\n', " ");
    if s.len() >= 2 && s.starts_with(' ') && s.ends_with(' ') && !s.bytes().all(|b| b == b' ') {
        s[1..s.len() - 1].to_string()
    } else {
        s
    }
}

/// `<u>`, `</u>`, `<br>` or an inline card `<https://…>` at the start of `rest`.
fn lt_token(rest: &str) -> Option<(Tok, usize)> {
    for tag in TAGS {
        if starts_with_ignore_case(rest, tag) {
            let tok = match tag {
                "<u>" => Tok::UnderlineOpen,
                "</u>" => Tok::UnderlineClose,
                _ => Tok::Break,
            };
            return Some((tok, tag.len()));
        }
    }
    if !(starts_with_ignore_case(rest, "<http://") || starts_with_ignore_case(rest, "<https://")) {
        return None;
    }
    let end = rest
        .char_indices()
        .skip(1)
        .take_while(|(i, _)| *i <= MAX_DESTINATION + 1)
        .find(|(_, c)| *c == '>' || *c == '<' || c.is_whitespace() || c.is_control())
        .filter(|(_, c)| *c == '>')?
        .0;
    let url = &rest[1..end];
    card_url_ok(url).then(|| (Tok::Card(url.to_string()), end + 1))
}

/// A link destination and its closing `)` at the start of `s`: the URL and the bytes used.
fn destination(s: &str) -> Option<(String, usize)> {
    let mut href = String::new();
    let mut chars = s.char_indices().peekable();
    if s.starts_with('<') {
        chars.next();
        while let Some((i, c)) = chars.next() {
            if i > MAX_DESTINATION {
                return None;
            }
            match c {
                '\\' if chars.peek().is_some_and(|(_, n)| is_escapable(*n)) => {
                    if let Some((_, n)) = chars.next() {
                        href.push(n);
                    }
                }
                '>' => {
                    return s[i + 1..].starts_with(')').then_some((href, i + 2));
                }
                '<' | '\n' => return None,
                _ => href.push(c),
            }
        }
        return None;
    }
    let mut depth = 0usize;
    while let Some((i, c)) = chars.next() {
        if i > MAX_DESTINATION {
            return None;
        }
        match c {
            '\\' if chars.peek().is_some_and(|(_, n)| is_escapable(*n)) => {
                if let Some((_, n)) = chars.next() {
                    href.push(n);
                }
            }
            ')' if depth == 0 => return Some((href, i + 1)),
            ')' => {
                depth -= 1;
                href.push(c);
            }
            '(' => {
                depth += 1;
                href.push(c);
            }
            c if c.is_whitespace() || c.is_control() => return None,
            _ => href.push(c),
        }
    }
    None
}

/// The raw text inside `@[…]` (backslash escapes kept) and the bytes used, `]` included.
/// An unescaped `[` ends the attempt: printed names escape theirs, and text full of `@[`
/// is then read in one pass.
fn bracketed(body: &str) -> Option<(&str, usize)> {
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        if i > MAX_NAME {
            return None;
        }
        match c {
            '\\' => {
                chars.next();
            }
            ']' => return Some((&body[..i], i + 1)),
            '\n' | '[' => return None,
            _ => {}
        }
    }
    None
}

fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// Pairs delimiters and brackets, then walks the tokens applying marks.
fn resolve(mut toks: Vec<Tok>) -> Vec<Inline> {
    // Links: a `](…)` closes the nearest open `[`; openers before it cannot contain a link
    // any more, so they turn literal (as in CommonMark).
    let mut openers: Vec<usize> = Vec::new();
    let mut links: Vec<(usize, usize, String)> = Vec::new();
    for k in 0..toks.len() {
        match &mut toks[k] {
            Tok::LinkOpen => openers.push(k),
            Tok::LinkClose { href, raw } => {
                if let Some(open) = openers.pop() {
                    links.push((open, k, std::mem::take(href)));
                    for j in openers.drain(..) {
                        toks[j] = Tok::Text("[".into());
                    }
                } else {
                    let raw = std::mem::take(raw);
                    toks[k] = Tok::Text(raw);
                }
            }
            _ => {}
        }
    }
    for j in openers {
        toks[j] = Tok::Text("[".into());
    }

    // Toggles pair first with second, third with fourth; an odd one out is literal.
    let mut em = Vec::new();
    let mut strong = Vec::new();
    let mut strike = Vec::new();
    for (k, tok) in toks.iter().enumerate() {
        match tok {
            Tok::Stars(n) => {
                if *n != 2 {
                    em.push(k);
                }
                if *n >= 2 {
                    strong.push(k);
                }
            }
            Tok::Tildes => strike.push(k),
            _ => {}
        }
    }
    let paired = |positions: &[usize]| -> Vec<bool> {
        let mut on = vec![false; toks.len()];
        for pair in positions.chunks_exact(2) {
            on[pair[0]] = true;
            on[pair[1]] = true;
        }
        on
    };
    let em_on = paired(&em);
    let strong_on = paired(&strong);
    let strike_on = paired(&strike);
    let mut underline_on = vec![false; toks.len()];
    let mut open_underline: Option<usize> = None;
    for (k, tok) in toks.iter().enumerate() {
        match tok {
            Tok::UnderlineOpen if open_underline.is_none() => open_underline = Some(k),
            Tok::UnderlineClose => {
                if let Some(open) = open_underline.take() {
                    underline_on[open] = true;
                    underline_on[k] = true;
                }
            }
            _ => {}
        }
    }

    let mut out: Vec<Inline> = Vec::new();
    let mut marks = Marks::default();
    let mut links = links.into_iter().peekable();
    let mut link_end: Option<usize> = None;
    for (k, tok) in toks.into_iter().enumerate() {
        if link_end == Some(k) {
            marks.link = None;
            link_end = None;
            continue;
        }
        if let Some((open, close, _)) = links.peek()
            && *open == k
        {
            link_end = Some(*close);
            marks.link = links.next().map(|(_, _, href)| href);
            continue;
        }
        let text = |out: &mut Vec<Inline>, s: String, marks: &Marks| {
            if !s.is_empty() {
                push_inline(
                    out,
                    Inline::Text {
                        text: s,
                        marks: marks.clone(),
                    },
                );
            }
        };
        match tok {
            Tok::Text(s) => text(&mut out, s, &marks),
            Tok::Stars(n) => {
                let mut literal = String::new();
                if n != 2 {
                    if em_on[k] {
                        marks.em = !marks.em;
                    } else {
                        literal.push('*');
                    }
                }
                if n >= 2 {
                    if strong_on[k] {
                        marks.strong = !marks.strong;
                    } else {
                        literal.push_str("**");
                    }
                }
                text(&mut out, literal, &marks);
            }
            Tok::Tildes if strike_on[k] => marks.strike = !marks.strike,
            Tok::Tildes => text(&mut out, "~~".into(), &marks),
            Tok::UnderlineOpen if underline_on[k] => marks.underline = true,
            Tok::UnderlineOpen => text(&mut out, "<u>".into(), &marks),
            Tok::UnderlineClose if underline_on[k] => marks.underline = false,
            Tok::UnderlineClose => text(&mut out, "</u>".into(), &marks),
            Tok::Code(s) => {
                let code = Marks {
                    code: true,
                    link: marks.link.clone(),
                    ..Marks::default()
                };
                text(&mut out, s, &code);
            }
            Tok::Auto(url) => {
                let mut m = marks.clone();
                if m.link.is_none() {
                    m.link = Some(url.clone());
                }
                text(&mut out, url, &m);
            }
            Tok::Break => out.push(Inline::Break),
            Tok::Mention(id) => out.push(Inline::Mention(id)),
            Tok::Emoji(short) => out.push(Inline::Emoji(short)),
            Tok::Card(url) => out.push(Inline::Card(url)),
            Tok::Placeholder(i) => out.push(Inline::Placeholder(i)),
            // Paired ones were consumed above; unpaired ones became text.
            Tok::LinkOpen | Tok::LinkClose { .. } => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jira::markdown::MentionDirectory;

    fn parse_plain(src: &str) -> Vec<Inline> {
        let dir = Directory::new(
            &MentionDirectory::new([("a1".to_string(), "Ana Silva".to_string())]),
            &serde_json::Value::Null,
        );
        let emoji = EmojiSet::new(&serde_json::Value::Null);
        let ctx = InlineCtx {
            registry: &[],
            directory: &dir,
            emoji: &emoji,
            line: 1,
        };
        parse(src, &ctx).unwrap()
    }

    fn text(s: &str, f: impl FnOnce(&mut Marks)) -> Inline {
        let mut marks = Marks::default();
        f(&mut marks);
        Inline::Text {
            text: s.into(),
            marks,
        }
    }

    #[test]
    fn toggles_and_literals() {
        assert_eq!(
            parse_plain("a **b *c*** d"),
            [
                text("a ", |_| {}),
                text("b ", |m| m.strong = true),
                text("c", |m| {
                    m.strong = true;
                    m.em = true
                }),
                text(" d", |_| {})
            ]
        );
        assert_eq!(parse_plain("2 * 3 * 4"), [text("2 * 3 * 4", |_| {})]);
        assert_eq!(parse_plain("a *b"), [text("a *b", |_| {})]);
        assert_eq!(
            parse_plain("~~x~~ <u>y</u>"),
            [
                text("x", |m| m.strike = true),
                text(" ", |_| {}),
                text("y", |m| m.underline = true)
            ]
        );
    }

    #[test]
    fn code_links_and_breaks() {
        assert_eq!(
            parse_plain("`a*b` [`c`](u) x"),
            [
                text("a*b", |m| m.code = true),
                text(" ", |_| {}),
                text("c", |m| {
                    m.code = true;
                    m.link = Some("u".into())
                }),
                text(" x", |_| {})
            ]
        );
        assert_eq!(
            parse_plain("see https://x.io/a. ok"),
            [
                text("see ", |_| {}),
                text("https://x.io/a", |m| m.link = Some("https://x.io/a".into())),
                text(". ok", |_| {})
            ]
        );
        assert_eq!(
            parse_plain("a  \nb\\\nc\nd"),
            [
                text("a", |_| {}),
                Inline::Break,
                text("b", |_| {}),
                Inline::Break,
                text("c d", |_| {})
            ]
        );
        assert_eq!(
            parse_plain("[a](<b c>)"),
            [text("a", |m| m.link = Some("b c".into()))]
        );
        assert_eq!(parse_plain("[a] (b)"), [text("[a] (b)", |_| {})]);
    }

    #[test]
    fn mentions_emoji_cards() {
        assert_eq!(
            parse_plain("@[ana silva] @Nobody :tada: <https://x.io>"),
            [
                Inline::Mention("a1".into()),
                text(" @Nobody ", |_| {}),
                Inline::Emoji(":tada:".into()),
                text(" ", |_| {}),
                Inline::Card("https://x.io".into())
            ]
        );
        assert_eq!(parse_plain("@[~xyz]"), [Inline::Mention("xyz".into())]);
        assert_eq!(
            parse_plain("mail@[ana silva]"),
            [text("mail", |_| {}), Inline::Mention("a1".into())]
        );
    }
}
