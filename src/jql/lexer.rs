//! The JQL lexer: total (never fails, never panics), with byte spans.
//!
//! It follows Jira's own tokenisation: whitespace (space, tab, CR, LF) separates tokens
//! and is dropped; unquoted words run until whitespace or one of
//! `" ' = ! < > ( ) ~ , [ ] | &` or a reserved character; `'…'` and `"…"` are strings
//! with backslash escapes (`\" \' \\ \t \n \r \<space> \uXXXX`), also allowed in
//! unquoted words. Keywords are case-insensitive words; `&`/`&&`, `|`/`||` and `!`
//! are accepted for AND, OR and NOT.
//!
//! Deliberate leniency: Jira reserves `@`, `/` and `+` (they must be quoted there); this
//! lexer accepts them inside unquoted words so that `user@example.com` or `a/b` read as
//! one word. The printer always quotes them, so JQL we generate stays valid for Jira.

use super::{Operator, Span};

/// One token of JQL source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    /// Byte range in the source (never empty).
    pub span: Span,
}

impl Token {
    /// The token's source text, as written (quotes and escapes included).
    pub fn text<'a>(&self, src: &'a str) -> &'a str {
        src.get(self.span.start..self.span.end).unwrap_or("")
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenKind {
    /// An unquoted word, escapes resolved: `status`, `PROJ-123`, `-7d`, `10016`.
    /// Never one of the keywords (those lex as [`TokenKind::Keyword`]); it may still be a
    /// Jira reserved word (see [`is_reserved_word`]), which the parser rejects.
    Word(String),
    /// A single- or double-quoted string, quotes stripped and escapes resolved.
    Quoted(String),
    Keyword(Keyword),
    /// `=`, `!=`, `~`, `!~`, `<`, `<=`, `>`, `>=`.
    Op(Operator),
    LParen,
    RParen,
    Comma,
    LBracket,
    RBracket,
    /// Something Jira would reject while lexing. The token spans the offending text (for
    /// an unterminated string: from the quote to the end of the input).
    Error(LexError),
}

/// Case-insensitive JQL keywords.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Keyword {
    /// `AND`, `&`, `&&`.
    And,
    /// `OR`, `|`, `||`.
    Or,
    /// `NOT`, `!`.
    Not,
    In,
    Is,
    /// `EMPTY` or `NULL`.
    Empty,
    Order,
    By,
    Asc,
    Desc,
    /// `cf`, as in `cf[10016]`.
    Cf,
    // History-search keywords: lexed like Jira does, but the AST has no place for them,
    // so the parser reports them as unsupported.
    Was,
    Changed,
    Before,
    After,
    From,
    To,
    On,
    During,
}

impl Keyword {
    /// The keyword spelled in upper case.
    pub fn as_str(self) -> &'static str {
        match self {
            Keyword::And => "AND",
            Keyword::Or => "OR",
            Keyword::Not => "NOT",
            Keyword::In => "IN",
            Keyword::Is => "IS",
            Keyword::Empty => "EMPTY",
            Keyword::Order => "ORDER",
            Keyword::By => "BY",
            Keyword::Asc => "ASC",
            Keyword::Desc => "DESC",
            Keyword::Cf => "cf",
            Keyword::Was => "WAS",
            Keyword::Changed => "CHANGED",
            Keyword::Before => "BEFORE",
            Keyword::After => "AFTER",
            Keyword::From => "FROM",
            Keyword::To => "TO",
            Keyword::On => "ON",
            Keyword::During => "DURING",
        }
    }

    /// The keyword a bare word spells, if any (ASCII case-insensitive).
    pub fn from_word(word: &str) -> Option<Keyword> {
        let kw = match word.to_ascii_lowercase().as_str() {
            "and" => Keyword::And,
            "or" => Keyword::Or,
            "not" => Keyword::Not,
            "in" => Keyword::In,
            "is" => Keyword::Is,
            "empty" | "null" => Keyword::Empty,
            "order" => Keyword::Order,
            "by" => Keyword::By,
            "asc" => Keyword::Asc,
            "desc" => Keyword::Desc,
            "cf" => Keyword::Cf,
            "was" => Keyword::Was,
            "changed" => Keyword::Changed,
            "before" => Keyword::Before,
            "after" => Keyword::After,
            "from" => Keyword::From,
            "to" => Keyword::To,
            "on" => Keyword::On,
            "during" => Keyword::During,
            _ => return None,
        };
        Some(kw)
    }
}

/// A lexing problem, with the exact place Jira would report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexError {
    pub kind: LexErrorKind,
    /// Where the problem is (inside the token's span): the opening quote of an
    /// unterminated string, the backslash of a bad escape, the bad character.
    pub at: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LexErrorKind {
    /// A quoted string without its closing quote; `content` is the raw text after the
    /// opening quote.
    UnterminatedString { content: String },
    /// A backslash escape Jira does not know, as written (e.g. `\q`, `\u12g`).
    IllegalEscape { sequence: String },
    /// A backslash at the very end of the input.
    UnfinishedEscape,
    /// One of Jira's reserved characters `{ } * % ^ $ # ? ;` outside quotes.
    ReservedCharacter(char),
    /// A control character that must be written as an escape.
    IllegalCharacter(char),
}

/// Jira's reserved words (`JqlStringSupportImpl.RESERVED_WORDS`), which must be quoted
/// wherever they are used as a field, value, function name or argument. Lower case.
pub const RESERVED_WORDS: &[&str] = &[
    "abort",
    "access",
    "add",
    "after",
    "alias",
    "all",
    "alter",
    "and",
    "any",
    "as",
    "asc",
    "audit",
    "avg",
    "before",
    "begin",
    "between",
    "boolean",
    "break",
    "by",
    "byte",
    "catch",
    "cf",
    "changed",
    "char",
    "character",
    "check",
    "checkpoint",
    "collate",
    "collation",
    "column",
    "commit",
    "connect",
    "continue",
    "count",
    "create",
    "current",
    "date",
    "decimal",
    "declare",
    "decrement",
    "default",
    "defaults",
    "define",
    "delete",
    "delimiter",
    "desc",
    "difference",
    "distinct",
    "divide",
    "do",
    "double",
    "drop",
    "else",
    "empty",
    "encoding",
    "end",
    "equals",
    "escape",
    "exclusive",
    "exec",
    "execute",
    "exists",
    "explain",
    "false",
    "fetch",
    "field",
    "file",
    "first",
    "float",
    "for",
    "from",
    "function",
    "go",
    "goto",
    "grant",
    "greater",
    "group",
    "having",
    "identified",
    "if",
    "immediate",
    "in",
    "increment",
    "index",
    "initial",
    "inner",
    "inout",
    "input",
    "insert",
    "int",
    "integer",
    "intersect",
    "intersection",
    "into",
    "is",
    "isempty",
    "isnull",
    "join",
    "last",
    "left",
    "less",
    "like",
    "limit",
    "lock",
    "long",
    "max",
    "min",
    "minus",
    "mode",
    "modify",
    "modulo",
    "more",
    "multiply",
    "next",
    "noaudit",
    "not",
    "notin",
    "nowait",
    "null",
    "number",
    "object",
    "of",
    "on",
    "option",
    "or",
    "order",
    "outer",
    "output",
    "power",
    "previous",
    "prior",
    "privileges",
    "public",
    "raise",
    "raw",
    "remainder",
    "rename",
    "resource",
    "return",
    "returns",
    "revoke",
    "right",
    "row",
    "rowid",
    "rownum",
    "rows",
    "select",
    "session",
    "set",
    "share",
    "size",
    "sqrt",
    "start",
    "strict",
    "string",
    "subtract",
    "sum",
    "synonym",
    "table",
    "then",
    "to",
    "trans",
    "transaction",
    "trigger",
    "true",
    "uid",
    "union",
    "unique",
    "update",
    "user",
    "validate",
    "values",
    "view",
    "was",
    "when",
    "whenever",
    "where",
    "while",
    "with",
];

/// Whether `word` is a Jira reserved word (case-insensitive), which must be quoted.
pub fn is_reserved_word(word: &str) -> bool {
    // All reserved words are short ASCII; skip the allocation for anything else.
    word.len() <= 16
        && word.is_ascii()
        && RESERVED_WORDS
            .binary_search(&word.to_ascii_lowercase().as_str())
            .is_ok()
}

/// Characters Jira reserves outside quotes (minus the `@ / +` this lexer tolerates).
pub fn is_reserved_char(c: char) -> bool {
    matches!(c, '{' | '}' | '*' | '%' | '^' | '$' | '#' | '?' | ';')
}

/// Jira's JQL control characters: they must be escaped everywhere (`\n` and `\r` may
/// appear raw inside quotes).
pub fn is_control_char(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{9}'
        | '\u{b}'..='\u{c}'
        | '\u{e}'..='\u{1f}'
        | '\u{7f}'..='\u{9f}'
        | '\u{fdd0}'..='\u{fdef}'
        | '\u{fffe}'..='\u{ffff}')
}

/// JQL whitespace (Jira's set; other Unicode spaces are ordinary word characters).
pub fn is_whitespace(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

/// Characters that end an unquoted word.
fn is_word_stop(c: char) -> bool {
    is_whitespace(c)
        || is_control_char(c)
        || is_reserved_char(c)
        || matches!(
            c,
            '"' | '\'' | '=' | '!' | '<' | '>' | '(' | ')' | '~' | ',' | '[' | ']' | '|' | '&'
        )
}

/// Whether `c` can appear unescaped in an unquoted word.
pub(crate) fn is_word_char(c: char) -> bool {
    c != '\\' && !is_word_stop(c)
}

struct Cursor<'a> {
    src: &'a str,
    pos: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<char> {
        self.src.get(self.pos..).and_then(|s| s.chars().next())
    }

    fn peek2(&self) -> Option<char> {
        self.src.get(self.pos..).and_then(|s| s.chars().nth(1))
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }
}

/// Result of reading one backslash escape.
enum Escape {
    Char(char),
    Error(LexErrorKind, Span),
}

/// Reads an escape; the cursor is on the backslash.
fn read_escape(cur: &mut Cursor<'_>) -> Escape {
    let start = cur.pos;
    cur.bump(); // the backslash
    let Some(c) = cur.peek() else {
        return Escape::Error(
            LexErrorKind::UnfinishedEscape,
            Span {
                start,
                end: cur.pos,
            },
        );
    };
    let simple = match c {
        't' => Some('\t'),
        'n' => Some('\n'),
        'r' => Some('\r'),
        '"' => Some('"'),
        '\'' => Some('\''),
        '\\' => Some('\\'),
        ' ' => Some(' '),
        _ => None,
    };
    if let Some(ch) = simple {
        cur.bump();
        return Escape::Char(ch);
    }
    if c != 'u' {
        cur.bump();
        let mut sequence = String::from('\\');
        sequence.push(c);
        return Escape::Error(
            LexErrorKind::IllegalEscape { sequence },
            Span {
                start,
                end: cur.pos,
            },
        );
    }
    cur.bump(); // 'u'
    match read_hex4(cur) {
        Ok(unit) => {
            if (0xD800..0xDC00).contains(&unit) {
                // A high surrogate: only valid followed by `\u` + a low surrogate.
                let save = cur.pos;
                if cur.peek() == Some('\\') && cur.peek2() == Some('u') {
                    cur.bump();
                    cur.bump();
                    if let Ok(low) = read_hex4(cur)
                        && (0xDC00..0xE000).contains(&low)
                    {
                        let code = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                        if let Some(ch) = char::from_u32(code) {
                            return Escape::Char(ch);
                        }
                    }
                }
                cur.pos = save;
                let sequence = format!("\\u{}", cur.src.get(start + 2..save).unwrap_or(""));
                Escape::Error(
                    LexErrorKind::IllegalEscape { sequence },
                    Span { start, end: save },
                )
            } else if let Some(ch) = char::from_u32(unit) {
                Escape::Char(ch)
            } else {
                let sequence = format!("\\u{}", cur.src.get(start + 2..cur.pos).unwrap_or(""));
                Escape::Error(
                    LexErrorKind::IllegalEscape { sequence },
                    Span {
                        start,
                        end: cur.pos,
                    },
                )
            }
        }
        Err(()) => {
            // Jira shows the sequence up to and including the first bad character.
            let mut sequence = format!("\\u{}", cur.src.get(start + 2..cur.pos).unwrap_or(""));
            if let Some(bad) = cur.peek() {
                sequence.push(bad);
            }
            Escape::Error(
                LexErrorKind::IllegalEscape { sequence },
                Span {
                    start,
                    end: cur.pos,
                },
            )
        }
    }
}

/// Reads exactly four hex digits; on failure the cursor stays after the valid ones.
fn read_hex4(cur: &mut Cursor<'_>) -> Result<u32, ()> {
    let mut value = 0u32;
    for _ in 0..4 {
        match cur.peek().and_then(|c| c.to_digit(16)) {
            Some(d) => {
                value = value * 16 + d;
                cur.bump();
            }
            None => return Err(()),
        }
    }
    Ok(value)
}

/// Splits JQL source into tokens. Total: every input yields tokens; problems become
/// [`TokenKind::Error`] tokens. Whitespace is skipped, so the tokens cover every
/// non-whitespace byte of `src`.
pub fn lex(src: &str) -> Vec<Token> {
    let mut cur = Cursor { src, pos: 0 };
    let mut tokens = Vec::new();
    while let Some(c) = cur.peek() {
        let start = cur.pos;
        if is_whitespace(c) {
            cur.bump();
            continue;
        }
        let kind = match c {
            '(' => single(&mut cur, TokenKind::LParen),
            ')' => single(&mut cur, TokenKind::RParen),
            ',' => single(&mut cur, TokenKind::Comma),
            '[' => single(&mut cur, TokenKind::LBracket),
            ']' => single(&mut cur, TokenKind::RBracket),
            '=' => single(&mut cur, TokenKind::Op(Operator::Eq)),
            '~' => single(&mut cur, TokenKind::Op(Operator::Like)),
            '!' => {
                cur.bump();
                match cur.peek() {
                    Some('=') => single(&mut cur, TokenKind::Op(Operator::NotEq)),
                    Some('~') => single(&mut cur, TokenKind::Op(Operator::NotLike)),
                    _ => TokenKind::Keyword(Keyword::Not),
                }
            }
            '<' => {
                cur.bump();
                if cur.peek() == Some('=') {
                    single(&mut cur, TokenKind::Op(Operator::Lte))
                } else {
                    TokenKind::Op(Operator::Lt)
                }
            }
            '>' => {
                cur.bump();
                if cur.peek() == Some('=') {
                    single(&mut cur, TokenKind::Op(Operator::Gte))
                } else {
                    TokenKind::Op(Operator::Gt)
                }
            }
            '&' | '|' => {
                cur.bump();
                if cur.peek() == Some(c) {
                    cur.bump();
                }
                TokenKind::Keyword(if c == '&' { Keyword::And } else { Keyword::Or })
            }
            '"' | '\'' => lex_quoted(&mut cur, c),
            c if is_reserved_char(c) => {
                cur.bump();
                TokenKind::Error(LexError {
                    kind: LexErrorKind::ReservedCharacter(c),
                    at: Span {
                        start,
                        end: cur.pos,
                    },
                })
            }
            c if is_control_char(c) => {
                cur.bump();
                TokenKind::Error(LexError {
                    kind: LexErrorKind::IllegalCharacter(c),
                    at: Span {
                        start,
                        end: cur.pos,
                    },
                })
            }
            _ => lex_word(&mut cur),
        };
        // Every branch consumes at least one character; guard anyway so that a bug can
        // never turn into an endless loop.
        if cur.pos == start {
            cur.bump();
        }
        tokens.push(Token {
            kind,
            span: Span {
                start,
                end: cur.pos,
            },
        });
    }
    tokens
}

fn single(cur: &mut Cursor<'_>, kind: TokenKind) -> TokenKind {
    cur.bump();
    kind
}

fn lex_word(cur: &mut Cursor<'_>) -> TokenKind {
    let mut value = String::new();
    let mut escaped = false;
    let mut error: Option<LexError> = None;
    while let Some(c) = cur.peek() {
        if c == '\\' {
            escaped = true;
            match read_escape(cur) {
                Escape::Char(ch) => value.push(ch),
                Escape::Error(kind, at) => {
                    error.get_or_insert(LexError { kind, at });
                }
            }
        } else if is_word_char(c) {
            value.push(c);
            cur.bump();
        } else {
            break;
        }
    }
    if let Some(e) = error {
        return TokenKind::Error(e);
    }
    if !escaped && let Some(kw) = Keyword::from_word(&value) {
        return TokenKind::Keyword(kw);
    }
    TokenKind::Word(value)
}

fn lex_quoted(cur: &mut Cursor<'_>, quote: char) -> TokenKind {
    let start = cur.pos;
    cur.bump(); // opening quote
    let content_start = cur.pos;
    let mut value = String::new();
    let mut error: Option<LexError> = None;
    loop {
        let Some(c) = cur.peek() else {
            let content = cur.src.get(content_start..).unwrap_or("").to_string();
            let e = error.unwrap_or(LexError {
                kind: LexErrorKind::UnterminatedString { content },
                at: Span {
                    start,
                    end: content_start,
                },
            });
            return TokenKind::Error(e);
        };
        if c == quote {
            cur.bump();
            break;
        }
        if c == '\\' {
            match read_escape(cur) {
                Escape::Char(ch) => value.push(ch),
                Escape::Error(kind, at) => {
                    error.get_or_insert(LexError { kind, at });
                }
            }
        } else {
            let at = Span {
                start: cur.pos,
                end: cur.pos + c.len_utf8(),
            };
            cur.bump();
            if is_control_char(c) {
                error.get_or_insert(LexError {
                    kind: LexErrorKind::IllegalCharacter(c),
                    at,
                });
            } else {
                value.push(c);
            }
        }
    }
    match error {
        Some(e) => TokenKind::Error(e),
        None => TokenKind::Quoted(value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<TokenKind> {
        lex(src).into_iter().map(|t| t.kind).collect()
    }

    fn word(s: &str) -> TokenKind {
        TokenKind::Word(s.to_string())
    }

    #[test]
    fn reserved_words_are_sorted_for_binary_search() {
        let mut sorted = RESERVED_WORDS.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, RESERVED_WORDS);
        assert!(is_reserved_word("END"));
        assert!(is_reserved_word("user"));
        assert!(!is_reserved_word("during"));
        assert!(!is_reserved_word("startOfDay"));
    }

    #[test]
    fn words_and_spans() {
        let toks = lex("project = PROJ-123");
        assert_eq!(toks.len(), 3);
        assert_eq!(toks[0].kind, word("project"));
        assert_eq!(toks[0].span, Span { start: 0, end: 7 });
        assert_eq!(toks[1].kind, TokenKind::Op(Operator::Eq));
        assert_eq!(toks[1].span, Span { start: 8, end: 9 });
        assert_eq!(toks[2].kind, word("PROJ-123"));
        assert_eq!(toks[2].text("project = PROJ-123"), "PROJ-123");
        assert_eq!(toks[2].span, Span { start: 10, end: 18 });
    }

    #[test]
    fn jira_word_characters() {
        assert_eq!(
            kinds("-7d user@example.com a/b:c+d 1.5 x_y éé"),
            vec![
                word("-7d"),
                word("user@example.com"),
                word("a/b:c+d"),
                word("1.5"),
                word("x_y"),
                word("éé")
            ]
        );
    }

    #[test]
    fn operators() {
        use Operator::*;
        assert_eq!(
            kinds("= != ~ !~ > >= < <="),
            vec![Eq, NotEq, Like, NotLike, Gt, Gte, Lt, Lte]
                .into_iter()
                .map(TokenKind::Op)
                .collect::<Vec<_>>()
        );
        // No whitespace needed.
        assert_eq!(
            kinds("a!=b"),
            vec![word("a"), TokenKind::Op(NotEq), word("b")]
        );
    }

    #[test]
    fn keywords_case_insensitive_and_symbols() {
        use Keyword::*;
        assert_eq!(
            kinds("and AND And or Or not NOT in IN is Is empty NULL order BY asc Desc"),
            vec![
                And, And, And, Or, Or, Not, Not, In, In, Is, Is, Empty, Empty, Order, By, Asc, Desc
            ]
            .into_iter()
            .map(TokenKind::Keyword)
            .collect::<Vec<_>>()
        );
        assert_eq!(
            kinds("& && | || !"),
            vec![And, And, Or, Or, Not]
                .into_iter()
                .map(TokenKind::Keyword)
                .collect::<Vec<_>>()
        );
        // Keywords are whole words only.
        assert_eq!(kinds("android"), vec![word("android")]);
    }

    #[test]
    fn custom_field() {
        assert_eq!(
            kinds("cf[10016]"),
            vec![
                TokenKind::Keyword(Keyword::Cf),
                TokenKind::LBracket,
                word("10016"),
                TokenKind::RBracket
            ]
        );
    }

    #[test]
    fn quoted_strings_and_escapes() {
        assert_eq!(
            kinds(r#""In Progress" 'it''s' "a\"b\\c\nd\te\u0041\ f""#),
            vec![
                TokenKind::Quoted("In Progress".into()),
                TokenKind::Quoted("it".into()),
                TokenKind::Quoted("s".into()),
                TokenKind::Quoted("a\"b\\c\nd\teA f".into()),
            ]
        );
        assert_eq!(
            kinds(r#"'say "hi"'"#),
            vec![TokenKind::Quoted("say \"hi\"".into())]
        );
        assert_eq!(kinds(r#""""#), vec![TokenKind::Quoted(String::new())]);
        // Raw newlines are allowed inside quotes.
        assert_eq!(kinds("\"a\nb\""), vec![TokenKind::Quoted("a\nb".into())]);
        // Surrogate pairs.
        assert_eq!(
            kinds(r#""\ud83d\ude00""#),
            vec![TokenKind::Quoted("😀".into())]
        );
        // Escapes work in unquoted words too, and such words are never keywords.
        assert_eq!(
            kinds(r"foo\ bar an\u0064"),
            vec![word("foo bar"), word("and")]
        );
    }

    #[test]
    fn keyword_text_quoted_is_a_string() {
        assert_eq!(kinds("\"AND\""), vec![TokenKind::Quoted("AND".into())]);
    }

    #[test]
    fn unterminated_string() {
        let toks = lex("a = \"abc def");
        assert_eq!(toks.len(), 3);
        assert_eq!(toks[2].span, Span { start: 4, end: 12 });
        assert_eq!(
            toks[2].kind,
            TokenKind::Error(LexError {
                kind: LexErrorKind::UnterminatedString {
                    content: "abc def".into()
                },
                at: Span { start: 4, end: 5 },
            })
        );
    }

    #[test]
    fn bad_escapes() {
        let toks = lex(r"a\qb");
        assert_eq!(toks.len(), 1);
        assert_eq!(
            toks[0].kind,
            TokenKind::Error(LexError {
                kind: LexErrorKind::IllegalEscape {
                    sequence: r"\q".into()
                },
                at: Span { start: 1, end: 3 },
            })
        );
        let toks = lex(r"comme\unt");
        assert!(matches!(
            &toks[0].kind,
            TokenKind::Error(LexError { kind: LexErrorKind::IllegalEscape { sequence }, .. })
                if sequence == r"\un"
        ));
        let toks = lex(r#""\u12"#);
        assert!(matches!(
            &toks[0].kind,
            TokenKind::Error(LexError { kind: LexErrorKind::IllegalEscape { sequence }, .. })
                if sequence == r"\u12"
        ));
        let toks = lex("x\\");
        assert!(matches!(
            &toks[0].kind,
            TokenKind::Error(LexError {
                kind: LexErrorKind::UnfinishedEscape,
                ..
            })
        ));
        // A lone surrogate cannot be represented.
        let toks = lex(r#""\ud800x""#);
        assert!(matches!(
            &toks[0].kind,
            TokenKind::Error(LexError { kind: LexErrorKind::IllegalEscape { sequence }, .. })
                if sequence == r"\ud800"
        ));
    }

    #[test]
    fn reserved_and_control_characters() {
        let toks = lex("mine{www");
        assert_eq!(toks.len(), 3);
        assert_eq!(toks[0].kind, word("mine"));
        assert_eq!(
            toks[1].kind,
            TokenKind::Error(LexError {
                kind: LexErrorKind::ReservedCharacter('{'),
                at: Span { start: 4, end: 5 },
            })
        );
        assert_eq!(toks[2].kind, word("www"));
        let toks = lex("a\u{7f}b");
        assert!(matches!(
            toks[1].kind,
            TokenKind::Error(LexError {
                kind: LexErrorKind::IllegalCharacter('\u{7f}'),
                ..
            })
        ));
        // A tab is whitespace outside quotes but a control character inside them.
        assert_eq!(kinds("a\tb"), vec![word("a"), word("b")]);
        assert!(matches!(
            lex("\"a\tb\"")[0].kind,
            TokenKind::Error(LexError {
                kind: LexErrorKind::IllegalCharacter('\t'),
                ..
            })
        ));
    }

    #[test]
    fn whitespace_and_newlines() {
        let toks = lex("  a\n=\r\n b  ");
        assert_eq!(toks.len(), 3);
        assert_eq!(toks[2].span, Span { start: 8, end: 9 });
        assert!(lex("").is_empty());
        assert!(lex(" \n\t ").is_empty());
    }

    #[test]
    fn tokens_cover_every_non_whitespace_byte() {
        let src = "a = \"x\" AND b IN (1, 2) ORDER BY c DESC {\u{1} 'open";
        let toks = lex(src);
        let mut covered = vec![false; src.len()];
        for t in &toks {
            assert!(t.span.start < t.span.end);
            for b in &mut covered[t.span.start..t.span.end] {
                *b = true;
            }
        }
        for (i, ch) in src.char_indices() {
            if !is_whitespace(ch) {
                assert!(covered[i], "byte {i} ({ch:?}) not covered");
            }
        }
    }
}
