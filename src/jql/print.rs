//! Canonical JQL printing: `Display` for the AST.
//!
//! Keywords are upper case, operators spaced (`a = b`, `a IN (b, c)`), `NULL` prints as
//! `EMPTY`. Values, field names, function names and arguments are quoted only when they
//! must be (see [`needs_quotes`]), with `"…"` and backslash escapes. `OR` inside `AND` and
//! `AND`/`OR` under `NOT` are parenthesised; so `parse(&q.to_string()) == Ok(q)` for any
//! AST the parser can produce.
//!
//! ASTs the parser never produces print as best they can: an `And`/`Or` with one child
//! prints that child, with none prints nothing; an empty list prints `()` (which does not
//! parse); a blank field or function name prints `""` (which Jira rejects).

use std::fmt::{self, Display, Write as _};

use super::lexer::{Keyword, is_control_char, is_reserved_word};
use super::{
    Clause, Direction, Field, FunctionCall, Operand, Operator, OrderBy, Query, Term, Value,
};

/// Whether `s` must be quoted to read back as the same single word: it is empty, holds a
/// character other than letters, digits, `_` and `-`, is a reserved word or keyword, or is
/// a number too large for Jira.
pub fn needs_quotes(s: &str) -> bool {
    if s.is_empty()
        || !s
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
    {
        return true;
    }
    if is_reserved_word(s) || Keyword::from_word(s).is_some() {
        return true;
    }
    let digits = s.strip_prefix('-').unwrap_or(s);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) && s.parse::<i64>().is_err()
}

/// `s` as a double-quoted JQL string, always quoted (safe for any input).
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_control_char(c) => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `s` as it must appear in JQL: bare when that is safe, quoted otherwise.
pub fn quote_if_needed(s: &str) -> String {
    if needs_quotes(s) {
        quote(s)
    } else {
        s.to_string()
    }
}

struct Word<'a>(&'a str);

impl Display for Word<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if needs_quotes(self.0) {
            f.write_str(&quote(self.0))
        } else {
            f.write_str(self.0)
        }
    }
}

impl Display for Operator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Direction::Asc => "ASC",
            Direction::Desc => "DESC",
        })
    }
}

impl Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Field::Name(name) => Word(name).fmt(f),
            Field::CustomId(id) => write!(f, "cf[{id}]"),
        }
    }
}

impl Display for FunctionCall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}(", Word(&self.name))?;
        for (i, arg) in self.args.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            Word(arg).fmt(f)?;
        }
        f.write_str(")")
    }
}

impl Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Text(s) => Word(s).fmt(f),
            Value::Empty => f.write_str("EMPTY"),
            Value::Function(call) => call.fmt(f),
        }
    }
}

impl Display for Operand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Operand::Single(v) => v.fmt(f),
            Operand::List(values) => {
                f.write_str("(")?;
                for (i, v) in values.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    v.fmt(f)?;
                }
                f.write_str(")")
            }
        }
    }
}

impl Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.field, self.op, self.operand)
    }
}

/// Binding strength, weakest first.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Prec {
    Or,
    And,
    Unary,
}

fn prec(c: &Clause) -> Prec {
    match c {
        Clause::Or(v) if v.len() > 1 => Prec::Or,
        Clause::And(v) if v.len() > 1 => Prec::And,
        Clause::Or(v) | Clause::And(v) => v.first().map_or(Prec::Unary, prec),
        Clause::Not(_) | Clause::Term(_) => Prec::Unary,
    }
}

/// Prints `c`, in parentheses when it binds more loosely than `min`, or when it is the
/// same kind of group as its parent (which the parser would flatten).
fn write_child(f: &mut fmt::Formatter<'_>, c: &Clause, min: Prec, parent: Prec) -> fmt::Result {
    let p = prec(c);
    if p < min || (p == parent && p != Prec::Unary) {
        write!(f, "({c})")
    } else {
        c.fmt(f)
    }
}

impl Display for Clause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Clause::Or(children) | Clause::And(children) if children.len() <= 1 => {
                children.first().map_or(Ok(()), |c| c.fmt(f))
            }
            Clause::Or(children) => {
                for (i, c) in children.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" OR ")?;
                    }
                    write_child(f, c, Prec::And, Prec::Or)?;
                }
                Ok(())
            }
            Clause::And(children) => {
                for (i, c) in children.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" AND ")?;
                    }
                    write_child(f, c, Prec::Unary, Prec::And)?;
                }
                Ok(())
            }
            Clause::Not(inner) => {
                f.write_str("NOT ")?;
                write_child(f, inner, Prec::Unary, Prec::Unary)
            }
            Clause::Term(t) => t.fmt(f),
        }
    }
}

impl Display for OrderBy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.field.fmt(f)?;
        if let Some(d) = self.direction {
            write!(f, " {d}")?;
        }
        Ok(())
    }
}

impl Display for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut wrote_clause = false;
        if let Some(c) = &self.clause {
            let text = c.to_string();
            wrote_clause = !text.is_empty();
            f.write_str(&text)?;
        }
        if !self.order_by.is_empty() {
            if wrote_clause {
                f.write_str(" ")?;
            }
            f.write_str("ORDER BY ")?;
            for (i, o) in self.order_by.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                o.fmt(f)?;
            }
        }
        Ok(())
    }
}
