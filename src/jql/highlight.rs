//! Syntax highlighting for the JQL bar.
//!
//! [`highlight`] lexes the text and walks the tokens with a small, forgiving state
//! machine (field → operator → value → AND/OR …) so that a word in field position and a
//! word in value position get different roles even while the query is half typed. Then it
//! overlays errors: lexing errors, unquoted reserved words, and the token the parser
//! reports (so the underline matches the error message).

use super::Span;
use super::lexer::{Keyword, Token, TokenKind, is_reserved_word, lex};
use super::parser::parse_tokens;

/// What a piece of JQL is, for colouring.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// A field name, including all of `cf[10016]`.
    Field,
    /// `=`, `!=`, `~`, `IN`, `NOT IN`, `IS`, `IS NOT`, …
    Operator,
    /// `AND`, `OR`, clause `NOT`, `ORDER BY`, `ASC`, `DESC`, `EMPTY`/`NULL`.
    Keyword,
    /// A value or a function argument.
    Value,
    /// A function name.
    Function,
    /// Parentheses and commas.
    Punctuation,
    /// Anything invalid: the token the parse error points at, bad characters, unquoted
    /// reserved words, unterminated strings.
    Error,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Expecting a field, `NOT`, `(` or `ORDER BY`.
    Field,
    /// After a field: expecting an operator.
    Operator,
    /// After `NOT` in operator position: expecting `IN`.
    NotIn,
    /// After `IS`: `NOT` or a value.
    AfterIs,
    /// Expecting a value, list or function.
    Value,
    /// After a complete term: `AND`, `OR`, `)` or `ORDER BY`.
    AfterTerm,
    /// After `ORDER`: expecting `BY`.
    By,
    /// Expecting a sort field.
    SortField,
    /// After a sort field: `ASC`, `DESC` or `,`.
    AfterSort,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ctx {
    /// `( clause )`
    Group,
    /// `( value, … )`
    List,
    /// `fn( arg, … )`
    Args,
}

/// Roles for every token of `src`, in order; together the spans cover every
/// non-whitespace byte. Never panics.
pub fn highlight(src: &str) -> Vec<(Span, Role)> {
    let tokens = lex(src);
    let mut roles = assign_roles(&tokens);

    for (t, role) in tokens.iter().zip(roles.iter_mut()) {
        match &t.kind {
            TokenKind::Error(_) => *role = Role::Error,
            TokenKind::Word(w) if is_reserved_word(w) => *role = Role::Error,
            _ => {}
        }
    }
    if let Err(e) = parse_tokens(src, &tokens)
        && !e.at_end()
    {
        for (t, role) in tokens.iter().zip(roles.iter_mut()) {
            if t.span.start < e.span.end && e.span.start < t.span.end {
                *role = Role::Error;
            }
        }
    }
    tokens.iter().map(|t| t.span).zip(roles).collect()
}

/// The role a token has regardless of position.
fn default_role(kind: &TokenKind) -> Role {
    match kind {
        TokenKind::Word(_) | TokenKind::Quoted(_) => Role::Value,
        TokenKind::Keyword(Keyword::In | Keyword::Is | Keyword::Was | Keyword::Changed) => {
            Role::Operator
        }
        TokenKind::Keyword(Keyword::Cf) => Role::Field,
        TokenKind::Keyword(_) => Role::Keyword,
        TokenKind::Op(_) => Role::Operator,
        TokenKind::LParen
        | TokenKind::RParen
        | TokenKind::Comma
        | TokenKind::LBracket
        | TokenKind::RBracket => Role::Punctuation,
        TokenKind::Error(_) => Role::Error,
    }
}

fn is_string(kind: Option<&TokenKind>) -> bool {
    matches!(kind, Some(TokenKind::Word(_) | TokenKind::Quoted(_)))
}

fn assign_roles(tokens: &[Token]) -> Vec<Role> {
    let mut roles: Vec<Role> = tokens.iter().map(|t| default_role(&t.kind)).collect();
    let mut state = State::Field;
    let mut stack: Vec<Ctx> = Vec::new();
    let kind_at = |i: usize| tokens.get(i).map(|t| &t.kind);
    let mut i = 0;
    while let Some(kind) = kind_at(i) {
        let mut set = |j: usize, role: Role| {
            if let Some(r) = roles.get_mut(j) {
                *r = role;
            }
        };

        // Inside a function's argument list only arguments, commas and `)` matter.
        if stack.last() == Some(&Ctx::Args) {
            match kind {
                TokenKind::RParen => {
                    stack.pop();
                    state = State::AfterTerm;
                }
                TokenKind::Word(_) | TokenKind::Quoted(_) => set(i, Role::Value),
                _ => {}
            }
            i += 1;
            continue;
        }

        match (state, kind) {
            // A `cf[123]` field, wherever a field may stand.
            (State::Field | State::SortField, TokenKind::Keyword(Keyword::Cf)) => {
                set(i, Role::Field);
                let mut j = i + 1;
                if kind_at(j) == Some(&TokenKind::LBracket) {
                    set(j, Role::Field);
                    j += 1;
                    if matches!(kind_at(j), Some(TokenKind::Word(_))) {
                        set(j, Role::Field);
                        j += 1;
                    }
                    if kind_at(j) == Some(&TokenKind::RBracket) {
                        set(j, Role::Field);
                        j += 1;
                    }
                }
                state = if state == State::Field {
                    State::Operator
                } else {
                    State::AfterSort
                };
                i = j;
                continue;
            }
            (State::Field, TokenKind::Keyword(Keyword::Not)) => set(i, Role::Keyword),
            (State::Field, TokenKind::LParen) => stack.push(Ctx::Group),
            (State::Field, TokenKind::Word(_) | TokenKind::Quoted(_)) => {
                set(i, Role::Field);
                state = State::Operator;
            }
            (State::Field | State::AfterTerm, TokenKind::Keyword(Keyword::Order)) => {
                state = State::By;
            }

            (State::Operator, TokenKind::Op(_) | TokenKind::Keyword(Keyword::In)) => {
                state = State::Value;
            }
            (State::Operator, TokenKind::Keyword(Keyword::Not)) => {
                set(i, Role::Operator);
                state = State::NotIn;
            }
            (State::NotIn, TokenKind::Keyword(Keyword::In)) => state = State::Value,
            (State::Operator, TokenKind::Keyword(Keyword::Is)) => state = State::AfterIs,
            (State::AfterIs, TokenKind::Keyword(Keyword::Not)) => {
                set(i, Role::Operator);
                state = State::Value;
            }
            (State::Operator, TokenKind::Keyword(Keyword::Was | Keyword::Changed)) => {
                state = State::Value;
            }

            (State::Value | State::AfterIs, TokenKind::Keyword(Keyword::Empty)) => {
                state = State::AfterTerm;
            }
            (State::Value | State::AfterIs, TokenKind::Word(_) | TokenKind::Quoted(_)) => {
                if kind_at(i + 1) == Some(&TokenKind::LParen) {
                    set(i, Role::Function);
                    stack.push(Ctx::Args);
                    i += 2;
                    continue;
                }
                set(i, Role::Value);
                state = State::AfterTerm;
            }
            (State::Value | State::AfterIs, TokenKind::LParen) => stack.push(Ctx::List),

            (State::AfterTerm, TokenKind::Comma) if stack.last() == Some(&Ctx::List) => {
                state = State::Value;
            }
            (State::AfterTerm, TokenKind::RParen) => {
                stack.pop();
                state = State::AfterTerm;
            }
            (State::AfterTerm, TokenKind::Keyword(Keyword::And | Keyword::Or)) => {
                state = State::Field;
            }

            (State::By, TokenKind::Keyword(Keyword::By)) => state = State::SortField,
            (State::SortField, TokenKind::Word(_) | TokenKind::Quoted(_)) => {
                set(i, Role::Field);
                state = State::AfterSort;
            }
            (State::AfterSort, TokenKind::Keyword(Keyword::Asc | Keyword::Desc)) => {}
            (State::AfterSort, TokenKind::Comma) => state = State::SortField,

            // Anything unexpected keeps its default role; a string after a complete term
            // most likely starts the next one (the user is still typing AND/OR).
            (State::AfterTerm, _) if is_string(Some(kind)) && stack.last() != Some(&Ctx::List) => {
                set(i, Role::Field);
                state = State::Operator;
            }
            _ => {}
        }
        i += 1;
    }
    roles
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `(text, role)` pairs for `src`.
    fn roles(src: &str) -> Vec<(&str, Role)> {
        highlight(src)
            .into_iter()
            .map(|(s, r)| (&src[s.start..s.end], r))
            .collect()
    }

    use Role::*;

    #[test]
    fn fields_operators_values() {
        assert_eq!(
            roles("project = PROJ AND status != \"In Progress\""),
            vec![
                ("project", Field),
                ("=", Operator),
                ("PROJ", Value),
                ("AND", Keyword),
                ("status", Field),
                ("!=", Operator),
                ("\"In Progress\"", Value),
            ]
        );
    }

    #[test]
    fn same_word_in_field_and_value_position() {
        assert_eq!(
            roles("status = status"),
            vec![("status", Field), ("=", Operator), ("status", Value)]
        );
    }

    #[test]
    fn lists_functions_and_keywords() {
        assert_eq!(
            roles("NOT a IN (x, y) OR b IS NOT EMPTY"),
            vec![
                ("NOT", Keyword),
                ("a", Field),
                ("IN", Operator),
                ("(", Punctuation),
                ("x", Value),
                (",", Punctuation),
                ("y", Value),
                (")", Punctuation),
                ("OR", Keyword),
                ("b", Field),
                ("IS", Operator),
                ("NOT", Operator),
                ("EMPTY", Keyword),
            ]
        );
        assert_eq!(
            roles("a not in (currentUser(), membersOf(\"x y\"))"),
            vec![
                ("a", Field),
                ("not", Operator),
                ("in", Operator),
                ("(", Punctuation),
                ("currentUser", Function),
                ("(", Punctuation),
                (")", Punctuation),
                (",", Punctuation),
                ("membersOf", Function),
                ("(", Punctuation),
                ("\"x y\"", Value),
                (")", Punctuation),
                (")", Punctuation),
            ]
        );
        assert_eq!(
            roles("updated > startOfDay(-1d, x)"),
            vec![
                ("updated", Field),
                (">", Operator),
                ("startOfDay", Function),
                ("(", Punctuation),
                ("-1d", Value),
                (",", Punctuation),
                ("x", Value),
                (")", Punctuation),
            ]
        );
    }

    #[test]
    fn groups_custom_fields_and_order_by() {
        assert_eq!(
            roles("(cf[10016] > 3 or \"Story Points\" = 1) order by cf[1] desc, key"),
            vec![
                ("(", Punctuation),
                ("cf", Field),
                ("[", Field),
                ("10016", Field),
                ("]", Field),
                (">", Operator),
                ("3", Value),
                ("or", Keyword),
                ("\"Story Points\"", Field),
                ("=", Operator),
                ("1", Value),
                (")", Punctuation),
                ("order", Keyword),
                ("by", Keyword),
                ("cf", Field),
                ("[", Field),
                ("1", Field),
                ("]", Field),
                ("desc", Keyword),
                (",", Punctuation),
                ("key", Field),
            ]
        );
    }

    #[test]
    fn partial_input_while_typing() {
        assert_eq!(roles("status"), vec![("status", Field)]);
        assert_eq!(roles("status ="), vec![("status", Field), ("=", Operator)]);
        assert_eq!(
            roles("status = Done AND"),
            vec![
                ("status", Field),
                ("=", Operator),
                ("Done", Value),
                ("AND", Keyword)
            ]
        );
        assert_eq!(
            roles("a = f("),
            vec![
                ("a", Field),
                ("=", Operator),
                ("f", Function),
                ("(", Punctuation)
            ]
        );
    }

    #[test]
    fn errors_are_marked() {
        // The parse error's token.
        assert_eq!(
            roles("a = b c = d"),
            vec![
                ("a", Field),
                ("=", Operator),
                ("b", Value),
                ("c", Error),
                ("=", Operator),
                ("d", Value)
            ]
        );
        assert_eq!(
            roles("a blah b"),
            vec![("a", Field), ("blah", Error), ("b", Value)]
        );
        // Unterminated strings run to the end.
        assert_eq!(
            roles("a = 'open x"),
            vec![("a", Field), ("=", Operator), ("'open x", Error)]
        );
        // Reserved characters and words.
        assert_eq!(
            roles("a = b{"),
            vec![("a", Field), ("=", Operator), ("b", Value), ("{", Error)]
        );
        assert_eq!(
            roles("a = user AND b = end"),
            vec![
                ("a", Field),
                ("=", Operator),
                ("user", Error),
                ("AND", Keyword),
                ("b", Field),
                ("=", Operator),
                ("end", Error),
            ]
        );
        // An error at the end of the query marks nothing.
        assert_eq!(roles("a ="), vec![("a", Field), ("=", Operator)]);
    }

    #[test]
    fn covers_every_non_whitespace_byte() {
        for src in [
            "",
            "   ",
            "a = b",
            "((a = \"x\\\"y\" AND NOT b in (1, f(2))) OR cf[3] is empty) ORDER BY c DESC, d",
            ") ( , = != ~ !~ < <= > >= & && | || ! [ ] { } # \u{1} 'x",
            "é = 'ü' AND 😀 ~ \"😀\"",
        ] {
            let spans = highlight(src);
            let mut covered = vec![false; src.len()];
            for (s, _) in &spans {
                covered[s.start..s.end].iter_mut().for_each(|b| *b = true);
            }
            for (i, c) in src.char_indices() {
                if !matches!(c, ' ' | '\t' | '\n' | '\r') {
                    assert!(covered[i], "{src:?}: byte {i} ({c:?}) not covered");
                }
            }
        }
    }
}
