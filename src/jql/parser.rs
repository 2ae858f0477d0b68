//! The JQL parser: Jira's grammar and precedence, Jira's error messages.
//!
//! ```text
//! query    := [or] [ORDER BY sort ("," sort)*]
//! or       := and (OR and)*
//! and      := not (AND not)*
//! not      := (NOT | "!") not | "(" or ")" | term
//! term     := field operator operand
//! field    := word | string | cf "[" number "]"
//! operator := = | != | ~ | !~ | < | <= | > | >= | IN | NOT IN | IS | IS NOT
//! operand  := EMPTY | NULL | value | function | "(" operand ("," operand)* ")"
//! function := (word | string) "(" [arg ("," arg)*] ")"
//! sort     := field [ASC | DESC]
//! ```
//!
//! As in Jira, every lexing error (anywhere in the query) is reported before any
//! grammar error. Nested lists `((a, b), c)` are accepted and flattened, since the AST
//! list holds plain values. History operators (`WAS`, `CHANGED`) are reported as
//! unsupported: the AST has no place for them.

use super::lexer::{Keyword, LexError, LexErrorKind, Token, TokenKind, is_reserved_word, lex};
use super::{
    Clause, Direction, Field, FunctionCall, JqlError, Operand, Operator, OrderBy, Query, Span,
    Term, Value,
};

/// Maximum nesting of parentheses, `NOT`s and lists. Deeper queries are rejected rather
/// than risking the stack.
pub const MAX_DEPTH: usize = 100;

const VALID_OPERATORS: &str = "The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'.";

const VALID_ESCAPES: &str =
    r#"The valid escape sequences are \', \", \t, \n, \r, \\, '\ ' and \uXXXX."#;

const NUMBER_RANGE: &str =
    "Numbers must be between -9,223,372,036,854,775,808 and 9,223,372,036,854,775,807.";

/// Parses JQL. Empty or whitespace-only input is `Query::default()`.
pub fn parse(src: &str) -> Result<Query, JqlError> {
    parse_tokens(src, &lex(src))
}

/// Parses the tokens [`lex`] produced for `src`.
pub(crate) fn parse_tokens(src: &str, tokens: &[Token]) -> Result<Query, JqlError> {
    if let Some(e) = first_lex_error(src, tokens) {
        return Err(e);
    }
    let mut p = Parser {
        src,
        tokens,
        pos: 0,
        depth: 0,
    };
    p.query()
}

/// The first lexing problem (in source order) as Jira would report it, counting reserved
/// words used unquoted.
pub(crate) fn first_lex_error(src: &str, tokens: &[Token]) -> Option<JqlError> {
    for t in tokens {
        match &t.kind {
            TokenKind::Error(e) => return Some(lex_error(src, t.span, e)),
            TokenKind::Word(w) if is_reserved_word(w) => {
                return Some(JqlError::new(
                    src,
                    t.span,
                    format!(
                        "'{w}' is a reserved JQL word. You must surround it in quotation marks to use it in a query."
                    ),
                ));
            }
            _ => {}
        }
    }
    None
}

/// The error for a lexing problem in the token at `token_span`. The span underlines the
/// problem: the whole rest of the input for an unterminated string, else the bad escape or
/// character.
fn lex_error(src: &str, token_span: Span, e: &LexError) -> JqlError {
    let message = match &e.kind {
        LexErrorKind::UnterminatedString { content } => {
            let content: String = content
                .chars()
                .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
                .collect();
            if content.trim().is_empty() {
                "The quoted string has not been completed.".to_string()
            } else {
                format!("The quoted string '{content}' has not been completed.")
            }
        }
        LexErrorKind::IllegalEscape { sequence } => {
            format!("'{sequence}' is an illegal JQL escape sequence. {VALID_ESCAPES}")
        }
        LexErrorKind::UnfinishedEscape => {
            format!("The escape sequence has not been completed. {VALID_ESCAPES}")
        }
        LexErrorKind::ReservedCharacter(c) => format!(
            "The character '{c}' is a reserved JQL character. You must enclose it in a string or use the escape '\\u{:04x}' instead.",
            u32::from(*c)
        ),
        LexErrorKind::IllegalCharacter(c) => {
            let (line, character) = super::error::line_and_character(src, e.at.start);
            format!(
                "The character 'U+{:04X}' on line {line} at position {character} must be escaped. Use the escape '\\u{:04x}' instead.",
                u32::from(*c),
                u32::from(*c)
            )
        }
    };
    let span = match e.kind {
        LexErrorKind::UnterminatedString { .. } => Span {
            start: e.at.start,
            end: token_span.end,
        },
        _ => e.at,
    };
    JqlError::new(src, span, message)
}

struct Parser<'a> {
    src: &'a str,
    tokens: &'a [Token],
    pos: usize,
    depth: usize,
}

/// Tokens that may follow a plain value (Jira's look-ahead set after a string operand).
fn may_follow_value(t: Option<&TokenKind>) -> bool {
    matches!(
        t,
        None | Some(
            TokenKind::Keyword(Keyword::And | Keyword::Or | Keyword::Order)
                | TokenKind::RParen
                | TokenKind::Comma
        )
    )
}

fn can_start_operand(t: Option<&TokenKind>) -> bool {
    matches!(
        t,
        Some(
            TokenKind::Word(_)
                | TokenKind::Quoted(_)
                | TokenKind::Keyword(Keyword::Empty)
                | TokenKind::LParen
        )
    )
}

/// Whether the raw text is a JQL number (`123`, `-45`).
fn is_number_text(raw: &str) -> bool {
    let digits = raw.strip_prefix('-').unwrap_or(raw);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

impl Parser<'_> {
    fn peek(&self) -> Option<&TokenKind> {
        self.tokens.get(self.pos).map(|t| &t.kind)
    }

    fn peek_at(&self, offset: usize) -> Option<&TokenKind> {
        self.tokens.get(self.pos + offset).map(|t| &t.kind)
    }

    fn bump(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.pos).cloned();
        if t.is_some() {
            self.pos += 1;
        }
        t
    }

    fn peek_keyword(&self, kw: Keyword) -> bool {
        self.peek() == Some(&TokenKind::Keyword(kw))
    }

    /// `NOT` spelled as a word: `IS NOT` and `NOT IN` do not accept `!`.
    fn peek_word_not(&self) -> bool {
        self.peek_keyword(Keyword::Not)
            && self
                .tokens
                .get(self.pos)
                .is_some_and(|t| self.raw(t.span) != "!")
    }

    fn eof_span(&self) -> Span {
        Span {
            start: self.src.len(),
            end: self.src.len(),
        }
    }

    fn current_span(&self) -> Span {
        self.tokens
            .get(self.pos)
            .map(|t| t.span)
            .unwrap_or_else(|| self.eof_span())
    }

    /// The text Jira shows for a token: strings without quotes, anything else as written.
    fn text_of(&self, t: &Token) -> String {
        match &t.kind {
            TokenKind::Word(s) | TokenKind::Quoted(s) => s.clone(),
            _ => self.raw(t.span).to_string(),
        }
    }

    fn raw(&self, span: Span) -> &str {
        self.src.get(span.start..span.end).unwrap_or("")
    }

    fn error(&self, span: Span, message: impl Into<String>) -> JqlError {
        JqlError::new(self.src, span, message)
    }

    /// An error about the current token: `got(text)` if there is one, `eof` at the end.
    fn error_here(&self, got: impl FnOnce(&str) -> String, eof: &str) -> JqlError {
        match self.tokens.get(self.pos) {
            Some(t) => {
                let text = self.text_of(t);
                self.error(t.span, got(&text))
            }
            None => self.error(self.eof_span(), eof),
        }
    }

    fn expected(&self, what: &str) -> JqlError {
        self.error_here(
            |got| format!("Expecting '{what}' but got '{got}'."),
            &format!("Expecting '{what}' before the end of the query."),
        )
    }

    fn bad_field(&self) -> JqlError {
        if self.peek() == Some(&TokenKind::LBracket) {
            return self.error(
                self.current_span(),
                "Expecting a field name but got '['. Did you mean 'cf['?",
            );
        }
        self.error_here(
            |got| {
                format!(
                    "Expecting a field name but got '{got}'. You must surround '{got}' in quotation marks to use it as a field name."
                )
            },
            "Expecting a field name at the end of the query.",
        )
    }

    fn bad_operand(&self) -> JqlError {
        self.error_here(
            |got| {
                format!(
                    "Expecting either a value, list or function but got '{got}'. You must surround '{got}' in quotation marks to use it as a value."
                )
            },
            "Expecting either a value, list or function before the end of the query.",
        )
    }

    fn need_logical_operator(&self) -> JqlError {
        self.error_here(
            |got| format!("Expecting either 'OR' or 'AND' but got '{got}'."),
            "Expecting either 'OR' or 'AND' before the end of the query.",
        )
    }

    fn bad_function_argument(&self) -> JqlError {
        self.error_here(
            |got| {
                format!(
                    "Expecting a function argument but got '{got}'. You must surround '{got}' in quotation marks to use it as an argument."
                )
            },
            "Expecting a function argument at the end of the query.",
        )
    }

    fn enter(&mut self) -> Result<(), JqlError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error(self.current_span(), "The query is nested too deeply."));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    fn query(&mut self) -> Result<Query, JqlError> {
        let mut query = Query::default();
        if self.peek().is_none() {
            return Ok(query);
        }
        if !self.peek_keyword(Keyword::Order) {
            query.clause = Some(self.or_clause()?);
            match self.peek() {
                None | Some(TokenKind::Keyword(Keyword::Order)) => {}
                Some(_) => return Err(self.need_logical_operator()),
            }
        }
        if self.peek_keyword(Keyword::Order) {
            query.order_by = self.order_by()?;
        }
        Ok(query)
    }

    fn or_clause(&mut self) -> Result<Clause, JqlError> {
        let mut children = Vec::new();
        push_flat_or(&mut children, self.and_clause()?);
        while self.peek_keyword(Keyword::Or) {
            self.bump();
            push_flat_or(&mut children, self.and_clause()?);
        }
        Ok(single_or(children, Clause::Or))
    }

    fn and_clause(&mut self) -> Result<Clause, JqlError> {
        let mut children = Vec::new();
        push_flat_and(&mut children, self.not_clause()?);
        while self.peek_keyword(Keyword::And) {
            self.bump();
            push_flat_and(&mut children, self.not_clause()?);
        }
        Ok(single_or(children, Clause::And))
    }

    fn not_clause(&mut self) -> Result<Clause, JqlError> {
        match self.peek() {
            Some(TokenKind::Keyword(Keyword::Not)) => {
                self.bump();
                self.enter()?;
                let inner = self.not_clause();
                self.leave();
                Ok(Clause::Not(Box::new(inner?)))
            }
            Some(TokenKind::LParen) => {
                self.bump();
                self.enter()?;
                let inner = self.or_clause();
                self.leave();
                let inner = inner?;
                if self.peek() == Some(&TokenKind::RParen) {
                    self.bump();
                    Ok(inner)
                } else {
                    Err(self.expected(")"))
                }
            }
            _ => Ok(Clause::Term(self.term()?)),
        }
    }

    fn term(&mut self) -> Result<Term, JqlError> {
        let field = self.field()?;
        let op = self.operator()?;
        let operand = self.operand()?;
        Ok(Term { field, op, operand })
    }

    fn field(&mut self) -> Result<Field, JqlError> {
        match self.peek() {
            Some(TokenKind::Word(s) | TokenKind::Quoted(s)) => {
                if s.trim().is_empty() {
                    return Err(self.error(self.current_span(), "A field name cannot be empty."));
                }
                let name = s.clone();
                self.bump();
                Ok(Field::Name(name))
            }
            Some(TokenKind::Keyword(Keyword::Cf)) => {
                self.bump();
                if self.peek() != Some(&TokenKind::LBracket) {
                    return Err(self.expected("["));
                }
                self.bump();
                let id = match self.tokens.get(self.pos) {
                    Some(
                        t @ Token {
                            kind: TokenKind::Word(_),
                            span,
                        },
                    ) if self.raw(*span).bytes().all(|b| b.is_ascii_digit()) => {
                        let raw = self.raw(*span);
                        match raw.parse::<i64>() {
                            Ok(n) => n.unsigned_abs(),
                            Err(_) => {
                                return Err(self.error(
                                    t.span,
                                    format!("'{raw}' is not a valid number. {NUMBER_RANGE}"),
                                ));
                            }
                        }
                    }
                    _ => {
                        return Err(self.error_here(
                            |got| {
                                format!(
                                    "Expecting a custom field id (a positive number) but got '{got}'."
                                )
                            },
                            "Expecting a custom field id (a positive number) before the end of the query.",
                        ));
                    }
                };
                self.bump();
                if self.peek() != Some(&TokenKind::RBracket) {
                    return Err(self.expected("]"));
                }
                self.bump();
                Ok(Field::CustomId(id))
            }
            _ => Err(self.bad_field()),
        }
    }

    fn operator(&mut self) -> Result<Operator, JqlError> {
        let op = match self.peek() {
            Some(TokenKind::Op(op)) => *op,
            Some(TokenKind::Keyword(Keyword::In)) => Operator::In,
            Some(TokenKind::Keyword(Keyword::Not)) if self.peek_word_not() => {
                self.bump();
                if !self.peek_keyword(Keyword::In) {
                    return Err(self.expected("IN"));
                }
                Operator::NotIn
            }
            Some(TokenKind::Keyword(Keyword::Is)) => {
                self.bump();
                if self.peek_word_not() {
                    Operator::IsNot
                } else if can_start_operand(self.peek()) || may_follow_value(self.peek()) {
                    // `IS` alone; a missing operand is reported by `operand`.
                    return Ok(Operator::Is);
                } else {
                    return Err(self.expected("NOT"));
                }
            }
            Some(TokenKind::Keyword(kw @ (Keyword::Was | Keyword::Changed))) => {
                let kw = kw.as_str();
                return Err(self.error(
                    self.current_span(),
                    format!("The '{kw}' operator is not supported. {VALID_OPERATORS}"),
                ));
            }
            _ => {
                return Err(self.error_here(
                    |got| format!("Expecting operator but got '{got}'. {VALID_OPERATORS}"),
                    &format!("Expecting operator before the end of the query. {VALID_OPERATORS}"),
                ));
            }
        };
        self.bump();
        Ok(op)
    }

    fn operand(&mut self) -> Result<Operand, JqlError> {
        match self.peek() {
            Some(TokenKind::LParen) => {
                let mut values = Vec::new();
                self.list(&mut values, 1)?;
                Ok(Operand::List(values))
            }
            _ => Ok(Operand::Single(self.single_value(0)?)),
        }
    }

    /// A list `( operand, … )`; nested lists are flattened into `out`.
    fn list(&mut self, out: &mut Vec<Value>, level: usize) -> Result<(), JqlError> {
        self.bump(); // (
        self.enter()?;
        let result = self.list_items(out, level);
        self.leave();
        result
    }

    fn list_items(&mut self, out: &mut Vec<Value>, level: usize) -> Result<(), JqlError> {
        loop {
            if self.peek() == Some(&TokenKind::LParen) {
                self.list(out, level + 1)?;
            } else {
                out.push(self.single_value(level)?);
            }
            match self.peek() {
                Some(TokenKind::Comma) => {
                    self.bump();
                }
                Some(TokenKind::RParen) => {
                    self.bump();
                    return Ok(());
                }
                _ => return Err(self.expected(")")),
            }
        }
    }

    /// `EMPTY`, a value or a function call. `level` is the list nesting (0: top level).
    fn single_value(&mut self, level: usize) -> Result<Value, JqlError> {
        let Some(token) = self.tokens.get(self.pos).cloned() else {
            return Err(self.bad_operand());
        };
        match &token.kind {
            TokenKind::Keyword(Keyword::Empty) => {
                self.bump();
                Ok(Value::Empty)
            }
            TokenKind::Word(s) | TokenKind::Quoted(s) => {
                if self.peek_at(1) == Some(&TokenKind::LParen) {
                    return self.function(&token, s).map(Value::Function);
                }
                if matches!(token.kind, TokenKind::Word(_)) {
                    let raw = self.raw(token.span);
                    if is_number_text(raw) && raw.parse::<i64>().is_err() {
                        return Err(self.error(
                            token.span,
                            format!("'{raw}' is not a valid number. {NUMBER_RANGE}"),
                        ));
                    }
                }
                self.bump();
                if !may_follow_value(self.peek()) {
                    return Err(if level == 0 {
                        self.need_logical_operator()
                    } else {
                        self.error_here(
                            |got| format!("Expecting ',' or ')' but got '{got}'."),
                            "Expecting ',' or ')' before the end of the query.",
                        )
                    });
                }
                Ok(Value::Text(s.clone()))
            }
            _ => Err(self.bad_operand()),
        }
    }

    /// A function call; the current token is its name, followed by `(`.
    fn function(&mut self, name_token: &Token, name: &str) -> Result<FunctionCall, JqlError> {
        if name.trim().is_empty() {
            return Err(self.error(name_token.span, "A function name cannot be empty."));
        }
        self.bump(); // name
        self.bump(); // (
        let mut args = Vec::new();
        match self.peek() {
            Some(TokenKind::RParen) => {
                self.bump();
                return Ok(FunctionCall {
                    name: name.to_string(),
                    args,
                });
            }
            Some(TokenKind::Comma) | None => return Err(self.expected(")")),
            Some(TokenKind::Word(_) | TokenKind::Quoted(_)) => {}
            Some(_) => return Err(self.bad_function_argument()),
        }
        loop {
            match self.peek() {
                Some(TokenKind::Word(s) | TokenKind::Quoted(s)) => {
                    args.push(s.clone());
                    self.bump();
                }
                Some(TokenKind::Comma | TokenKind::RParen) => {
                    return Err(
                        self.error(self.current_span(), "Function argument must be specified.")
                    );
                }
                _ => return Err(self.bad_function_argument()),
            }
            match self.peek() {
                Some(TokenKind::RParen) => {
                    self.bump();
                    return Ok(FunctionCall {
                        name: name.to_string(),
                        args,
                    });
                }
                Some(TokenKind::Comma) => {
                    self.bump();
                }
                None => return Err(self.expected(")")),
                Some(_) => {
                    return Err(self.error_here(
                        |got| format!("Expecting ')' or ',' but got '{got}'."),
                        "Expecting ')' before the end of the query.",
                    ));
                }
            }
        }
    }

    fn order_by(&mut self) -> Result<Vec<OrderBy>, JqlError> {
        self.bump(); // ORDER
        if !self.peek_keyword(Keyword::By) {
            return Err(self.expected("by"));
        }
        self.bump();
        let mut sorts = Vec::new();
        loop {
            let field = self.field()?;
            let direction = match self.peek() {
                Some(TokenKind::Keyword(Keyword::Asc)) => Some(Direction::Asc),
                Some(TokenKind::Keyword(Keyword::Desc)) => Some(Direction::Desc),
                None | Some(TokenKind::Comma) => None,
                Some(_) => {
                    return Err(self.error_here(
                        |got| format!("Expecting either 'ASC' or 'DESC' but got '{got}'."),
                        "",
                    ));
                }
            };
            if direction.is_some() {
                self.bump();
            }
            sorts.push(OrderBy { field, direction });
            match self.peek() {
                None => return Ok(sorts),
                Some(TokenKind::Comma) => {
                    self.bump();
                }
                Some(_) => return Err(self.expected(",")),
            }
        }
    }
}

fn push_flat_or(out: &mut Vec<Clause>, c: Clause) {
    match c {
        Clause::Or(children) => out.extend(children),
        other => out.push(other),
    }
}

fn push_flat_and(out: &mut Vec<Clause>, c: Clause) {
    match c {
        Clause::And(children) => out.extend(children),
        other => out.push(other),
    }
}

/// The only child, or `make(children)` when there are several.
fn single_or(mut children: Vec<Clause>, make: fn(Vec<Clause>) -> Clause) -> Clause {
    if children.len() == 1
        && let Some(only) = children.pop()
    {
        return only;
    }
    make(children)
}
