//! JQL: lexer (with byte spans for highlighting), parser to an AST, printer, and a
//! value-quoting builder. Shared by the JQL bar and the emulator's search.
//!
//! The AST types below are a contract between the parser, the emulator's evaluator
//! and the UI. Keep them stable.
//!
//! - [`lex`]: total lexer with byte spans ([`Token`], [`TokenKind`]).
//! - [`parse`]: Jira's grammar and precedence (`NOT` > `AND` > `OR`), Jira's error texts
//!   ([`JqlError`]).
//! - `Display` on [`Query`] and the other AST types: canonical JQL that parses back to
//!   the same AST.
//! - [`quote`] and [`JqlBuilder`]: build queries from user data safely.
//! - [`highlight`]: a [`Role`] for every token, for the JQL bar.
//! - Helpers for the evaluator: [`Operator::as_str`], [`Field::display`],
//!   [`FunctionCall::name_eq`], [`parse_relative_duration`].

mod builder;
mod error;
mod helpers;
mod highlight;
mod lexer;
mod parser;
mod print;

pub use builder::JqlBuilder;
pub use error::{ERROR_PREFIX, JqlError, line_and_character};
pub use helpers::{MAX_ORDER_BY_FIELDS, parse_relative_duration};
pub use highlight::{Role, highlight};
pub use lexer::{
    Keyword, LexError, LexErrorKind, RESERVED_WORDS, Token, TokenKind, is_reserved_word, lex,
};
pub use parser::{MAX_DEPTH, parse};
pub use print::{needs_quotes, quote, quote_if_needed};

/// A byte range `start..end` in the source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

/// A parsed JQL query: an optional restriction and an optional ORDER BY.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Query {
    /// `None` when the query has no restriction (e.g. only `ORDER BY key`): unbounded.
    pub clause: Option<Clause>,
    pub order_by: Vec<OrderBy>,
}

/// A boolean expression of terms.
#[derive(Debug, Clone, PartialEq)]
pub enum Clause {
    /// Two or more children, none of which is itself an `And` (the parser flattens).
    And(Vec<Clause>),
    /// Two or more children, none of which is itself an `Or` (the parser flattens).
    Or(Vec<Clause>),
    Not(Box<Clause>),
    Term(Term),
}

/// `field op operand`, e.g. `status != Done`, `labels IN (a, b)`, `assignee IS EMPTY`.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    pub field: Field,
    pub op: Operator,
    pub operand: Operand,
}

/// A field reference as the user wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Field {
    /// A system field or custom field by name (`status`, `"Story Points"`), unquoted text.
    Name(String),
    /// `cf[10016]`.
    CustomId(u64),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operator {
    Eq,
    NotEq,
    Like,
    NotLike,
    Gt,
    Gte,
    Lt,
    Lte,
    In,
    NotIn,
    Is,
    IsNot,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    Single(Value),
    List(Vec<Value>),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A quoted or unquoted word, after unescaping: `Done`, `"In Progress"`, `-7d`, `10`.
    Text(String),
    /// `EMPTY` or `NULL`.
    Empty,
    /// `currentUser()`, `startOfDay(-1d)`, `membersOf("devs")`.
    Function(FunctionCall),
}

#[derive(Debug, Clone, PartialEq)]
pub struct FunctionCall {
    /// As written (case preserved); compare case-insensitively.
    pub name: String,
    pub args: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OrderBy {
    pub field: Field,
    pub direction: Option<Direction>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    Asc,
    Desc,
}
