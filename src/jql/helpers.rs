//! Conveniences on the AST for the evaluator and the UI.

use std::str::FromStr;

use super::{Clause, Field, FunctionCall, JqlError, Operand, Operator, Query, Term, Value};

/// Jira's limit on ORDER BY fields for `/rest/api/3/search/jql`. The parser accepts any
/// number; see [`Query::order_by_exceeds_limit`].
pub const MAX_ORDER_BY_FIELDS: usize = 7;

impl Operator {
    /// The operator as JQL spells it: `=`, `!=`, `~`, `!~`, `>`, `>=`, `<`, `<=`, `IN`,
    /// `NOT IN`, `IS`, `IS NOT`.
    pub fn as_str(self) -> &'static str {
        match self {
            Operator::Eq => "=",
            Operator::NotEq => "!=",
            Operator::Like => "~",
            Operator::NotLike => "!~",
            Operator::Gt => ">",
            Operator::Gte => ">=",
            Operator::Lt => "<",
            Operator::Lte => "<=",
            Operator::In => "IN",
            Operator::NotIn => "NOT IN",
            Operator::Is => "IS",
            Operator::IsNot => "IS NOT",
        }
    }

    /// The operator with the opposite meaning (`=` ↔ `!=`, `<` ↔ `>=`, `IN` ↔ `NOT IN`, …).
    pub fn negated(self) -> Operator {
        match self {
            Operator::Eq => Operator::NotEq,
            Operator::NotEq => Operator::Eq,
            Operator::Like => Operator::NotLike,
            Operator::NotLike => Operator::Like,
            Operator::Gt => Operator::Lte,
            Operator::Gte => Operator::Lt,
            Operator::Lt => Operator::Gte,
            Operator::Lte => Operator::Gt,
            Operator::In => Operator::NotIn,
            Operator::NotIn => Operator::In,
            Operator::Is => Operator::IsNot,
            Operator::IsNot => Operator::Is,
        }
    }

    /// Whether this is one of the negative operators (`!=`, `!~`, `NOT IN`, `IS NOT`).
    pub fn is_negative(self) -> bool {
        matches!(
            self,
            Operator::NotEq | Operator::NotLike | Operator::NotIn | Operator::IsNot
        )
    }
}

impl Field {
    /// Human text for the field, unquoted: `status`, `Story Points`, `cf[10016]`.
    /// (`Display` gives the JQL form, quoted when needed.)
    pub fn display(&self) -> String {
        match self {
            Field::Name(name) => name.clone(),
            Field::CustomId(id) => format!("cf[{id}]"),
        }
    }

    /// The name, for a named field.
    pub fn name(&self) -> Option<&str> {
        match self {
            Field::Name(name) => Some(name),
            Field::CustomId(_) => None,
        }
    }

    /// The custom field id: `cf[10016]`, or a name spelled `cf[10016]` or
    /// `customfield_10016` (as the REST API names custom fields).
    pub fn custom_id(&self) -> Option<u64> {
        match self {
            Field::CustomId(id) => Some(*id),
            Field::Name(name) => parse_custom_field_id(name),
        }
    }

    /// Whether this is the named field `name`, ignoring ASCII case (JQL field names are
    /// case-insensitive).
    pub fn name_eq(&self, name: &str) -> bool {
        self.name().is_some_and(|n| n.eq_ignore_ascii_case(name))
    }
}

fn parse_custom_field_id(s: &str) -> Option<u64> {
    let lower = s.trim().to_ascii_lowercase();
    let digits = lower
        .strip_prefix("cf[")
        .and_then(|r| r.strip_suffix(']'))
        .or_else(|| lower.strip_prefix("customfield_"))?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// A field from text: `cf[10016]` and `customfield_10016` become [`Field::CustomId`],
/// anything else a [`Field::Name`].
impl From<&str> for Field {
    fn from(s: &str) -> Self {
        match parse_custom_field_id(s) {
            Some(id) => Field::CustomId(id),
            None => Field::Name(s.to_string()),
        }
    }
}

impl From<String> for Field {
    fn from(s: String) -> Self {
        match parse_custom_field_id(&s) {
            Some(id) => Field::CustomId(id),
            None => Field::Name(s),
        }
    }
}

impl From<&String> for Field {
    fn from(s: &String) -> Self {
        Field::from(s.as_str())
    }
}

impl FunctionCall {
    pub fn new(name: impl Into<String>, args: impl IntoIterator<Item = impl Into<String>>) -> Self {
        FunctionCall {
            name: name.into(),
            args: args.into_iter().map(Into::into).collect(),
        }
    }

    /// Whether the function is called `name`, ignoring ASCII case
    /// (`name_eq("currentUser")` matches `currentuser()`).
    pub fn name_eq(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
    }

    /// The first argument, if any.
    pub fn first_arg(&self) -> Option<&str> {
        self.args.first().map(String::as_str)
    }
}

impl Value {
    /// The text of a plain value.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            Value::Text(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_function(&self) -> Option<&FunctionCall> {
        match self {
            Value::Function(f) => Some(f),
            _ => None,
        }
    }

    pub fn is_empty_value(&self) -> bool {
        matches!(self, Value::Empty)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::Text(s.to_string())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::Text(s)
    }
}

impl From<FunctionCall> for Value {
    fn from(f: FunctionCall) -> Self {
        Value::Function(f)
    }
}

impl Operand {
    /// The values: one for `Single`, all for `List`.
    pub fn values(&self) -> &[Value] {
        match self {
            Operand::Single(v) => std::slice::from_ref(v),
            Operand::List(vs) => vs,
        }
    }
}

impl Term {
    pub fn new(field: impl Into<Field>, op: Operator, operand: Operand) -> Self {
        Term {
            field: field.into(),
            op,
            operand,
        }
    }
}

impl Clause {
    /// `AND` of `clauses`, flattened like the parser does: nested `And`s are spliced in,
    /// one clause is returned as is. `None` for no clauses.
    pub fn and(clauses: impl IntoIterator<Item = Clause>) -> Option<Clause> {
        Self::group(clauses, true)
    }

    /// `OR` of `clauses`, flattened like the parser does. `None` for no clauses.
    pub fn or(clauses: impl IntoIterator<Item = Clause>) -> Option<Clause> {
        Self::group(clauses, false)
    }

    fn group(clauses: impl IntoIterator<Item = Clause>, and: bool) -> Option<Clause> {
        let mut out = Vec::new();
        for c in clauses {
            match c {
                Clause::And(children) if and => out.extend(children),
                Clause::Or(children) if !and => out.extend(children),
                other => out.push(other),
            }
        }
        if out.len() <= 1 {
            return out.pop();
        }
        Some(if and {
            Clause::And(out)
        } else {
            Clause::Or(out)
        })
    }

    /// `NOT clause`.
    pub fn negate(self) -> Clause {
        Clause::Not(Box::new(self))
    }

    /// Calls `f` on every term, depth first, left to right.
    pub fn for_each_term<'a>(&'a self, f: &mut impl FnMut(&'a Term)) {
        match self {
            Clause::And(cs) | Clause::Or(cs) => cs.iter().for_each(|c| c.for_each_term(f)),
            Clause::Not(c) => c.for_each_term(f),
            Clause::Term(t) => f(t),
        }
    }

    /// All terms, depth first, left to right.
    pub fn terms(&self) -> Vec<&Term> {
        let mut out = Vec::new();
        self.for_each_term(&mut |t| out.push(t));
        out
    }
}

impl From<Term> for Clause {
    fn from(t: Term) -> Self {
        Clause::Term(t)
    }
}

impl Query {
    /// Whether ORDER BY has more fields than Jira's search accepts
    /// ([`MAX_ORDER_BY_FIELDS`]).
    pub fn order_by_exceeds_limit(&self) -> bool {
        self.order_by.len() > MAX_ORDER_BY_FIELDS
    }

    /// Whether the query has neither a restriction nor an ordering.
    pub fn is_empty(&self) -> bool {
        self.clause.is_none() && self.order_by.is_empty()
    }
}

impl FromStr for Query {
    type Err = JqlError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        super::parse(s)
    }
}

/// Parses a Jira relative duration: `-7d`, `-2w`, `4h`, `30m`, `1w2d`, `+1d`, `4w 2d`.
///
/// Units: `w` weeks, `d` days, `h` hours, `m` minutes (also upper case `W`, `D`, `H`), and
/// `M` months, counted as 30 days. A leading `-` or `+` applies to the whole duration.
/// Returns `None` for anything else (including a bare number or an overflow).
pub fn parse_relative_duration(s: &str) -> Option<chrono::Duration> {
    let s = s.trim();
    let (negative, rest) = match s.as_bytes().first()? {
        b'-' => (true, s.get(1..)?),
        b'+' => (false, s.get(1..)?),
        _ => (false, s),
    };
    let mut total_minutes: i64 = 0;
    let mut chars = rest.chars().peekable();
    let mut groups = 0;
    loop {
        while chars.peek().is_some_and(|c| *c == ' ') && groups > 0 {
            chars.next();
        }
        if chars.peek().is_none() {
            break;
        }
        let mut n: i64 = 0;
        let mut digits = 0;
        while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
            n = n.checked_mul(10)?.checked_add(i64::from(d))?;
            digits += 1;
            chars.next();
        }
        if digits == 0 {
            return None;
        }
        let minutes_per_unit: i64 = match chars.next()? {
            'w' | 'W' => 7 * 24 * 60,
            'd' | 'D' => 24 * 60,
            'h' | 'H' => 60,
            'm' => 1,
            'M' => 30 * 24 * 60,
            _ => return None,
        };
        total_minutes = total_minutes.checked_add(n.checked_mul(minutes_per_unit)?)?;
        groups += 1;
    }
    if groups == 0 {
        return None;
    }
    if negative {
        total_minutes = total_minutes.checked_neg()?;
    }
    chrono::Duration::try_minutes(total_minutes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn operator_strings_and_negation() {
        let all = [
            Operator::Eq,
            Operator::NotEq,
            Operator::Like,
            Operator::NotLike,
            Operator::Gt,
            Operator::Gte,
            Operator::Lt,
            Operator::Lte,
            Operator::In,
            Operator::NotIn,
            Operator::Is,
            Operator::IsNot,
        ];
        let strs: Vec<_> = all.iter().map(|o| o.as_str()).collect();
        assert_eq!(
            strs,
            [
                "=", "!=", "~", "!~", ">", ">=", "<", "<=", "IN", "NOT IN", "IS", "IS NOT"
            ]
        );
        for op in all {
            assert_eq!(op.negated().negated(), op);
            let ordering = matches!(
                op,
                Operator::Gt | Operator::Gte | Operator::Lt | Operator::Lte
            );
            if !ordering {
                assert_ne!(op.is_negative(), op.negated().is_negative(), "{op}");
            }
        }
        assert_eq!(Operator::In.to_string(), "IN");
    }

    #[test]
    fn fields() {
        assert_eq!(Field::CustomId(10016).display(), "cf[10016]");
        assert_eq!(Field::Name("Story Points".into()).display(), "Story Points");
        assert_eq!(
            Field::Name("Story Points".into()).to_string(),
            "\"Story Points\""
        );
        assert!(Field::Name("Status".into()).name_eq("status"));
        assert!(!Field::CustomId(1).name_eq("status"));
        assert_eq!(Field::from("cf[10016]"), Field::CustomId(10016));
        assert_eq!(Field::from("customfield_10016"), Field::CustomId(10016));
        assert_eq!(Field::from("CF[7]"), Field::CustomId(7));
        assert_eq!(Field::from("cf[x]"), Field::Name("cf[x]".into()));
        assert_eq!(Field::Name("customfield_5".into()).custom_id(), Some(5));
    }

    #[test]
    fn functions() {
        let f = FunctionCall::new("currentUser", Vec::<String>::new());
        assert!(f.name_eq("currentuser"));
        assert!(f.name_eq("CURRENTUSER"));
        assert!(!f.name_eq("now"));
        let g = FunctionCall::new("startOfDay", ["-1d"]);
        assert_eq!(g.first_arg(), Some("-1d"));
    }

    #[test]
    fn clause_builders_flatten() {
        let t = |n: &str| Clause::Term(Term::new(n, Operator::Eq, Operand::Single("x".into())));
        assert_eq!(Clause::and([]), None);
        assert_eq!(Clause::and([t("a")]), Some(t("a")));
        let ab = Clause::and([t("a"), t("b")]);
        assert_eq!(ab, Some(Clause::And(vec![t("a"), t("b")])));
        let abc = Clause::and([ab.unwrap_or_else(|| t("z")), t("c")]);
        assert_eq!(abc, Some(Clause::And(vec![t("a"), t("b"), t("c")])));
        let or = Clause::or([
            t("a"),
            Clause::or([t("b"), t("c")]).unwrap_or_else(|| t("z")),
        ]);
        assert_eq!(or, Some(Clause::Or(vec![t("a"), t("b"), t("c")])));
        let q: Query = "a = 1 AND (b = 2 OR NOT c = 3)".parse().unwrap();
        let names: Vec<_> = q
            .clause
            .as_ref()
            .map(|c| c.terms())
            .unwrap_or_default()
            .iter()
            .map(|t| t.field.display())
            .collect();
        assert_eq!(names, ["a", "b", "c"]);
    }

    #[test]
    fn order_by_limit() {
        let q: Query = "ORDER BY a, b, c, d, e, f, g".parse().unwrap();
        assert!(!q.order_by_exceeds_limit());
        let q: Query = "ORDER BY a, b, c, d, e, f, g, h".parse().unwrap();
        assert!(q.order_by_exceeds_limit());
        assert!(Query::default().is_empty());
    }

    #[test]
    fn relative_durations() {
        let d = |s| parse_relative_duration(s);
        assert_eq!(d("-7d"), Some(Duration::days(-7)));
        assert_eq!(d("-2w"), Some(Duration::weeks(-2)));
        assert_eq!(d("4h"), Some(Duration::hours(4)));
        assert_eq!(d("30m"), Some(Duration::minutes(30)));
        assert_eq!(d("1w2d"), Some(Duration::days(9)));
        assert_eq!(d("-1w2d"), Some(Duration::days(-9)));
        assert_eq!(d("4w 2d"), Some(Duration::days(30)));
        assert_eq!(d("+1d"), Some(Duration::days(1)));
        assert_eq!(d("1M"), Some(Duration::days(30)));
        assert_eq!(d("2D"), Some(Duration::days(2)));
        assert_eq!(d("0d"), Some(Duration::zero()));
        for bad in [
            "",
            "-",
            "7",
            "d",
            "7x",
            "7d-",
            "-7d 3",
            "7 d",
            "--7d",
            " ",
            "1y",
            "7dd",
            "99999999999999999999d",
        ] {
            assert_eq!(d(bad), None, "{bad:?}");
        }
    }
}
