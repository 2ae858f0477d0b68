//! Composing JQL from user data without pasting text into queries.
//!
//! ```
//! use jtui::jql::{Direction, JqlBuilder};
//!
//! let key = "AND"; // hostile input is just a value
//! let jql = JqlBuilder::new()
//!     .eq("project", key)
//!     .is_empty("assignee")
//!     .in_list("status", ["To Do", "In Progress"])
//!     .order_by("updated", Direction::Desc)
//!     .to_jql();
//! assert_eq!(
//!     jql,
//!     r#"project = "AND" AND assignee IS EMPTY AND status IN ("To Do", "In Progress") ORDER BY updated DESC"#
//! );
//! ```

use super::{
    Clause, Direction, Field, FunctionCall, Operand, Operator, OrderBy, Query, Term, Value,
};

/// Builds a [`Query`]: every call adds a clause, all joined with `AND`; values are AST
/// values, so the printer quotes them as needed and nothing the user typed can change the
/// query's structure.
#[derive(Debug, Clone, Default)]
pub struct JqlBuilder {
    clauses: Vec<Clause>,
    order_by: Vec<OrderBy>,
}

impl JqlBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `field op value`.
    pub fn term(self, field: impl Into<Field>, op: Operator, value: impl Into<Value>) -> Self {
        self.clause(Clause::Term(Term {
            field: field.into(),
            op,
            operand: Operand::Single(value.into()),
        }))
    }

    /// Adds `field op (v1, v2, …)`.
    pub fn term_list<V: Into<Value>>(
        self,
        field: impl Into<Field>,
        op: Operator,
        values: impl IntoIterator<Item = V>,
    ) -> Self {
        self.clause(Clause::Term(Term {
            field: field.into(),
            op,
            operand: Operand::List(values.into_iter().map(Into::into).collect()),
        }))
    }

    /// Adds any clause (for `OR` groups build it with [`Clause::or`]). Nested `AND`s are
    /// flattened.
    pub fn clause(mut self, clause: impl Into<Clause>) -> Self {
        match clause.into() {
            Clause::And(children) => self.clauses.extend(children),
            other => self.clauses.push(other),
        }
        self
    }

    /// Adds the clauses of another query (its ORDER BY is ignored).
    pub fn query_clause(self, query: &Query) -> Self {
        match &query.clause {
            Some(c) => self.clause(c.clone()),
            None => self,
        }
    }

    /// Adds a clause only when `clause` is `Some`.
    pub fn maybe(self, clause: Option<Clause>) -> Self {
        match clause {
            Some(c) => self.clause(c),
            None => self,
        }
    }

    pub fn eq(self, field: impl Into<Field>, value: impl Into<Value>) -> Self {
        self.term(field, Operator::Eq, value)
    }

    pub fn not_eq(self, field: impl Into<Field>, value: impl Into<Value>) -> Self {
        self.term(field, Operator::NotEq, value)
    }

    /// `field ~ value` (text search).
    pub fn like(self, field: impl Into<Field>, value: impl Into<Value>) -> Self {
        self.term(field, Operator::Like, value)
    }

    pub fn not_like(self, field: impl Into<Field>, value: impl Into<Value>) -> Self {
        self.term(field, Operator::NotLike, value)
    }

    pub fn gt(self, field: impl Into<Field>, value: impl Into<Value>) -> Self {
        self.term(field, Operator::Gt, value)
    }

    pub fn gte(self, field: impl Into<Field>, value: impl Into<Value>) -> Self {
        self.term(field, Operator::Gte, value)
    }

    pub fn lt(self, field: impl Into<Field>, value: impl Into<Value>) -> Self {
        self.term(field, Operator::Lt, value)
    }

    pub fn lte(self, field: impl Into<Field>, value: impl Into<Value>) -> Self {
        self.term(field, Operator::Lte, value)
    }

    pub fn in_list<V: Into<Value>>(
        self,
        field: impl Into<Field>,
        values: impl IntoIterator<Item = V>,
    ) -> Self {
        self.term_list(field, Operator::In, values)
    }

    pub fn not_in<V: Into<Value>>(
        self,
        field: impl Into<Field>,
        values: impl IntoIterator<Item = V>,
    ) -> Self {
        self.term_list(field, Operator::NotIn, values)
    }

    /// `field IS EMPTY`.
    pub fn is_empty(self, field: impl Into<Field>) -> Self {
        self.term(field, Operator::Is, Value::Empty)
    }

    /// `field IS NOT EMPTY`.
    pub fn is_not_empty(self, field: impl Into<Field>) -> Self {
        self.term(field, Operator::IsNot, Value::Empty)
    }

    /// `field op name(args…)`, e.g. `assignee = currentUser()`.
    pub fn function<A: Into<String>>(
        self,
        field: impl Into<Field>,
        op: Operator,
        name: &str,
        args: impl IntoIterator<Item = A>,
    ) -> Self {
        self.term(field, op, Value::Function(FunctionCall::new(name, args)))
    }

    /// Appends `ORDER BY field direction`.
    pub fn order_by(mut self, field: impl Into<Field>, direction: Direction) -> Self {
        self.order_by.push(OrderBy {
            field: field.into(),
            direction: Some(direction),
        });
        self
    }

    /// Appends `ORDER BY field` with the field's default direction.
    pub fn order_by_default(mut self, field: impl Into<Field>) -> Self {
        self.order_by.push(OrderBy {
            field: field.into(),
            direction: None,
        });
        self
    }

    /// The query: clauses joined with `AND` (flattened like the parser does).
    pub fn build(self) -> Query {
        Query {
            clause: Clause::and(self.clauses),
            order_by: self.order_by,
        }
    }

    /// The query's canonical JQL.
    pub fn to_jql(self) -> String {
        self.build().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::super::{parse, quote, quote_if_needed};
    use super::*;

    #[test]
    fn quote_always_quotes_and_escapes() {
        assert_eq!(quote("abc"), r#""abc""#);
        assert_eq!(quote(""), r#""""#);
        assert_eq!(quote(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(quote("it's"), r#""it's""#);
        assert_eq!(quote("a\nb\tc\r"), r#""a\nb\tc\r""#);
        assert_eq!(quote("\u{1}\u{7f}"), r#""\u0001\u007f""#);
        assert_eq!(quote("héllo 😀"), "\"héllo 😀\"");
        for s in [
            "abc",
            "",
            "a\"b",
            "\\",
            "AND",
            "x) OR (y = z",
            "\u{0}\u{fffe}",
        ] {
            let q = parse(&format!("f = {}", quote(s))).unwrap();
            assert_eq!(
                q.clause,
                Some(Clause::Term(Term::new(
                    "f",
                    Operator::Eq,
                    Operand::Single(s.into())
                )))
            );
        }
    }

    #[test]
    fn quote_if_needed_is_minimal() {
        assert_eq!(quote_if_needed("PROJ-123"), "PROJ-123");
        assert_eq!(quote_if_needed("-7d"), "-7d");
        assert_eq!(quote_if_needed("10"), "10");
        assert_eq!(quote_if_needed("In Progress"), r#""In Progress""#);
        assert_eq!(quote_if_needed("and"), r#""and""#);
        assert_eq!(quote_if_needed("user"), r#""user""#);
        assert_eq!(quote_if_needed("null"), r#""null""#);
        assert_eq!(quote_if_needed("cf"), r#""cf""#);
        assert_eq!(quote_if_needed("during"), r#""during""#);
        assert_eq!(quote_if_needed("a@b.com"), r#""a@b.com""#);
        assert_eq!(quote_if_needed("1.0"), r#""1.0""#);
        assert_eq!(
            quote_if_needed("99999999999999999999"),
            r#""99999999999999999999""#
        );
        assert_eq!(quote_if_needed(""), r#""""#);
    }

    #[test]
    fn builder_builds_safe_queries() {
        let q = JqlBuilder::new()
            .eq("project", "PROJ")
            .not_eq("status", "Done")
            .like("summary", "crash \"on\" start")
            .in_list("labels", ["a", "b c"])
            .not_in("priority", ["Low"])
            .is_empty("assignee")
            .is_not_empty("duedate")
            .gt("created", "-7d")
            .gte("cf[10016]", "3")
            .lt("updated", "2024-01-01")
            .lte("Story Points", "8")
            .function(
                "reporter",
                Operator::Eq,
                "currentUser",
                Vec::<String>::new(),
            )
            .function("updated", Operator::Gt, "startOfDay", ["-1d"])
            .order_by("updated", Direction::Desc)
            .order_by_default("key");
        let jql = q.clone().to_jql();
        assert_eq!(
            jql,
            "project = PROJ AND status != Done AND summary ~ \"crash \\\"on\\\" start\" AND labels IN (a, \"b c\") \
             AND priority NOT IN (Low) AND assignee IS EMPTY AND duedate IS NOT EMPTY AND created > -7d \
             AND cf[10016] >= 3 AND updated < 2024-01-01 AND \"Story Points\" <= 8 \
             AND reporter = currentUser() AND updated > startOfDay(-1d) ORDER BY updated DESC, key"
        );
        assert_eq!(parse(&jql), Ok(q.build()));
    }

    #[test]
    fn hostile_values_stay_values() {
        let evil = "x\" OR project = SECRET OR summary ~ \"";
        let q = JqlBuilder::new()
            .eq("project", "PROJ")
            .like("summary", evil)
            .build();
        let parsed = parse(&q.to_string()).unwrap();
        assert_eq!(parsed, q);
        let Some(Clause::And(children)) = &parsed.clause else {
            panic!("{parsed:?}")
        };
        assert_eq!(children.len(), 2);
    }

    #[test]
    fn empty_builder_and_or_groups() {
        assert_eq!(JqlBuilder::new().build(), Query::default());
        assert_eq!(JqlBuilder::new().to_jql(), "");
        let or = Clause::or([
            Term::new(
                "assignee",
                Operator::Eq,
                Operand::Single(FunctionCall::new("currentUser", Vec::<String>::new()).into()),
            )
            .into(),
            Term::new(
                "reporter",
                Operator::Eq,
                Operand::Single(FunctionCall::new("currentUser", Vec::<String>::new()).into()),
            )
            .into(),
        ]);
        let jql = JqlBuilder::new()
            .eq("project", "P")
            .maybe(or)
            .maybe(None)
            .to_jql();
        assert_eq!(
            jql,
            "project = P AND (assignee = currentUser() OR reporter = currentUser())"
        );
        let base = parse("a = 1 AND b = 2 ORDER BY c").unwrap();
        let jql = JqlBuilder::new().query_clause(&base).eq("d", "3").to_jql();
        assert_eq!(jql, "a = 1 AND b = 2 AND d = 3");
    }
}
