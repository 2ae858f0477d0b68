//! Parser tests: every construct, precedence, flattening, case-insensitivity, and every
//! error message kind with its position (texts checked against Jira's own messages).

use jtui::jql::{
    Clause, Direction, Field, FunctionCall, JqlError, Operand, Operator, OrderBy, Query, Span,
    Term, Value, parse,
};

fn q(src: &str) -> Query {
    match parse(src) {
        Ok(q) => q,
        Err(e) => panic!("{src:?} failed: {e}"),
    }
}

fn clause(src: &str) -> Clause {
    q(src)
        .clause
        .unwrap_or_else(|| panic!("{src:?} has no clause"))
}

fn text(s: &str) -> Value {
    Value::Text(s.to_string())
}

fn term(field: &str, op: Operator, v: Value) -> Clause {
    Clause::Term(Term {
        field: Field::Name(field.into()),
        op,
        operand: Operand::Single(v),
    })
}

fn eq(field: &str, v: &str) -> Clause {
    term(field, Operator::Eq, text(v))
}

fn func(name: &str, args: &[&str]) -> Value {
    Value::Function(FunctionCall {
        name: name.into(),
        args: args.iter().map(|s| s.to_string()).collect(),
    })
}

fn err(src: &str) -> JqlError {
    match parse(src) {
        Ok(q) => panic!("{src:?} parsed: {q:?}"),
        Err(e) => e,
    }
}

/// Asserts the full Jira text of the error for `src`.
fn assert_error(src: &str, expected: &str) {
    let e = err(src);
    assert_eq!(e.to_string(), expected, "for {src:?}");
}

/// Asserts the error message and the exact offending text.
fn assert_error_at(src: &str, message: &str, offending: &str) {
    let e = err(src);
    assert_eq!(e.message, message, "for {src:?}");
    assert_eq!(
        &src[e.span.start..e.span.end],
        offending,
        "span for {src:?}"
    );
}

const OPS: &str = "The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'.";

// ---------------------------------------------------------------- constructs

#[test]
fn empty_input_is_the_default_query() {
    for src in ["", " ", "\n\t  \r\n"] {
        assert_eq!(q(src), Query::default());
    }
}

#[test]
fn every_operator() {
    let cases = [
        ("=", Operator::Eq),
        ("!=", Operator::NotEq),
        ("~", Operator::Like),
        ("!~", Operator::NotLike),
        (">", Operator::Gt),
        (">=", Operator::Gte),
        ("<", Operator::Lt),
        ("<=", Operator::Lte),
        ("in", Operator::In),
        ("not in", Operator::NotIn),
        ("is", Operator::Is),
        ("is not", Operator::IsNot),
    ];
    for (spelled, op) in cases {
        assert_eq!(
            clause(&format!("f {spelled} v")),
            term("f", op, text("v")),
            "{spelled}"
        );
        // Symbol operators need no spaces.
        if !spelled.chars().any(char::is_alphabetic) {
            assert_eq!(clause(&format!("f{spelled}v")), term("f", op, text("v")));
        }
    }
}

#[test]
fn values_quoted_unquoted_and_relative() {
    assert_eq!(clause("status = Done"), eq("status", "Done"));
    assert_eq!(
        clause("status = \"In Progress\""),
        eq("status", "In Progress")
    );
    assert_eq!(
        clause("status = 'In Progress'"),
        eq("status", "In Progress")
    );
    assert_eq!(
        clause("created >= -7d"),
        term("created", Operator::Gte, text("-7d"))
    );
    assert_eq!(clause("key = PROJ-123"), eq("key", "PROJ-123"));
    assert_eq!(clause("Points = 10"), eq("Points", "10"));
    assert_eq!(clause("x = -5"), eq("x", "-5"));
    assert_eq!(
        clause("due < 2024-01-31"),
        term("due", Operator::Lt, text("2024-01-31"))
    );
    assert_eq!(
        clause("due < \"2024/01/31 10:00\""),
        term("due", Operator::Lt, text("2024/01/31 10:00"))
    );
    assert_eq!(
        clause("assignee = user@example.com"),
        eq("assignee", "user@example.com")
    );
    assert_eq!(clause("fixVersion = 1.0"), eq("fixVersion", "1.0"));
    assert_eq!(
        clause(r#"summary ~ "say \"hi\"""#),
        term("summary", Operator::Like, text("say \"hi\""))
    );
    assert_eq!(
        clause(r"summary ~ 'it\'s'"),
        term("summary", Operator::Like, text("it's"))
    );
    assert_eq!(
        clause(r#"summary ~ "\u00e9t\u00e9""#),
        term("summary", Operator::Like, text("été"))
    );
    assert_eq!(
        clause("summary ~ \"\""),
        term("summary", Operator::Like, text(""))
    );
    // Quoting makes keywords and reserved words values.
    assert_eq!(clause("project = \"AND\""), eq("project", "AND"));
    assert_eq!(clause("project = 'user'"), eq("project", "user"));
}

#[test]
fn empty_and_null() {
    for src in [
        "assignee is empty",
        "assignee IS EMPTY",
        "assignee is NULL",
        "assignee Is Null",
    ] {
        assert_eq!(
            clause(src),
            term("assignee", Operator::Is, Value::Empty),
            "{src}"
        );
    }
    assert_eq!(
        clause("assignee is not empty"),
        term("assignee", Operator::IsNot, Value::Empty)
    );
    assert_eq!(
        clause("assignee = EMPTY"),
        term("assignee", Operator::Eq, Value::Empty)
    );
    assert_eq!(
        clause("fixVersion in (EMPTY, 1)"),
        Clause::Term(Term {
            field: Field::Name("fixVersion".into()),
            op: Operator::In,
            operand: Operand::List(vec![Value::Empty, text("1")]),
        })
    );
}

#[test]
fn lists() {
    let c = clause("status IN (Open, \"In Progress\", 'To Do', 10)");
    assert_eq!(
        c,
        Clause::Term(Term {
            field: Field::Name("status".into()),
            op: Operator::In,
            operand: Operand::List(vec![
                text("Open"),
                text("In Progress"),
                text("To Do"),
                text("10")
            ]),
        })
    );
    let c = clause("labels not in (a)");
    assert_eq!(
        c,
        Clause::Term(Term {
            field: Field::Name("labels".into()),
            op: Operator::NotIn,
            operand: Operand::List(vec![text("a")]),
        })
    );
    // Functions inside lists.
    let c = clause("assignee in (currentUser(), membersOf(\"devs\"), bob)");
    assert_eq!(
        c,
        Clause::Term(Term {
            field: Field::Name("assignee".into()),
            op: Operator::In,
            operand: Operand::List(vec![
                func("currentUser", &[]),
                func("membersOf", &["devs"]),
                text("bob")
            ]),
        })
    );
    // Nested lists are flattened.
    let c = clause("x in ((a, b), c, ((d)))");
    assert_eq!(
        c,
        Clause::Term(Term {
            field: Field::Name("x".into()),
            op: Operator::In,
            operand: Operand::List(vec![text("a"), text("b"), text("c"), text("d")]),
        })
    );
}

#[test]
fn functions() {
    assert_eq!(
        clause("assignee = currentUser()"),
        term("assignee", Operator::Eq, func("currentUser", &[]))
    );
    assert_eq!(
        clause("updated > now()"),
        term("updated", Operator::Gt, func("now", &[]))
    );
    assert_eq!(
        clause("updated > startOfDay(-1d)"),
        term("updated", Operator::Gt, func("startOfDay", &["-1d"]))
    );
    assert_eq!(
        clause("created > startOfWeek()"),
        term("created", Operator::Gt, func("startOfWeek", &[]))
    );
    assert_eq!(
        clause("assignee in membersOf(\"devs\")"),
        term("assignee", Operator::In, func("membersOf", &["devs"]))
    );
    assert_eq!(
        clause("issue in linkedIssues(PROJ-1, 'is blocked by', 10)"),
        term(
            "issue",
            Operator::In,
            func("linkedIssues", &["PROJ-1", "is blocked by", "10"])
        )
    );
    // Space before the parenthesis and a quoted name are fine, as in Jira.
    assert_eq!(
        clause("a = now ()"),
        term("a", Operator::Eq, func("now", &[]))
    );
    assert_eq!(
        clause("a = \"now\"()"),
        term("a", Operator::Eq, func("now", &[]))
    );
    // Case is preserved.
    assert_eq!(
        clause("a = CURRENTUSER()"),
        term("a", Operator::Eq, func("CURRENTUSER", &[]))
    );
    let Clause::Term(t) = clause("a = CURRENTUSER()") else {
        panic!()
    };
    assert!(matches!(&t.operand, Operand::Single(Value::Function(f)) if f.name_eq("currentUser")));
}

#[test]
fn custom_fields() {
    assert_eq!(
        clause("cf[10016] > 3"),
        Clause::Term(Term {
            field: Field::CustomId(10016),
            op: Operator::Gt,
            operand: Operand::Single(text("3")),
        })
    );
    assert_eq!(
        clause("CF [ 10016 ] = 3"),
        Clause::Term(Term {
            field: Field::CustomId(10016),
            op: Operator::Eq,
            operand: Operand::Single(text("3")),
        })
    );
    assert_eq!(
        clause("\"Story Points\" > 3"),
        term("Story Points", Operator::Gt, text("3"))
    );
    assert_eq!(clause("'Epic Link' = PROJ-1"), eq("Epic Link", "PROJ-1"));
    // A number is a valid field name.
    assert_eq!(clause("10000 = x"), eq("10000", "x"));
}

#[test]
fn precedence_not_and_or() {
    let (a, b, c, d) = (eq("a", "1"), eq("b", "2"), eq("c", "3"), eq("d", "4"));
    assert_eq!(
        clause("a = 1 OR b = 2 AND c = 3"),
        Clause::Or(vec![a.clone(), Clause::And(vec![b.clone(), c.clone()])])
    );
    assert_eq!(
        clause("a = 1 AND b = 2 OR c = 3"),
        Clause::Or(vec![Clause::And(vec![a.clone(), b.clone()]), c.clone()])
    );
    assert_eq!(
        clause("NOT a = 1 AND b = 2"),
        Clause::And(vec![Clause::Not(Box::new(a.clone())), b.clone()])
    );
    assert_eq!(
        clause("NOT (a = 1 AND b = 2)"),
        Clause::Not(Box::new(Clause::And(vec![a.clone(), b.clone()])))
    );
    assert_eq!(
        clause("(a = 1 OR b = 2) AND (c = 3 OR d = 4)"),
        Clause::And(vec![
            Clause::Or(vec![a.clone(), b.clone()]),
            Clause::Or(vec![c.clone(), d.clone()])
        ])
    );
    assert_eq!(
        clause("not not a = 1"),
        Clause::Not(Box::new(Clause::Not(Box::new(a.clone()))))
    );
    assert_eq!(clause("!a = 1"), Clause::Not(Box::new(a.clone())));
    assert_eq!(clause("((a = 1))"), a.clone());
    assert_eq!(
        clause("a = 1 && b = 2 || c = 3 & d = 4 | a = 1"),
        Clause::Or(vec![
            Clause::And(vec![a.clone(), b.clone()]),
            Clause::And(vec![c.clone(), d.clone()]),
            a.clone()
        ])
    );
}

#[test]
fn and_or_are_flattened() {
    let (a, b, c, d) = (eq("a", "1"), eq("b", "2"), eq("c", "3"), eq("d", "4"));
    assert_eq!(
        clause("a = 1 AND b = 2 AND c = 3"),
        Clause::And(vec![a.clone(), b.clone(), c.clone()])
    );
    assert_eq!(
        clause("(a = 1 AND b = 2) AND (c = 3 AND d = 4)"),
        Clause::And(vec![a.clone(), b.clone(), c.clone(), d.clone()])
    );
    assert_eq!(
        clause("a = 1 OR (b = 2 OR (c = 3 OR d = 4))"),
        Clause::Or(vec![a.clone(), b.clone(), c.clone(), d.clone()])
    );
    // NOT is a boundary.
    assert_eq!(
        clause("a = 1 AND NOT (b = 2 AND c = 3)"),
        Clause::And(vec![a, Clause::Not(Box::new(Clause::And(vec![b, c])))])
    );
}

#[test]
fn order_by() {
    let query = q("project = P ORDER BY updated DESC, cf[10016], \"Story Points\" asc, key");
    assert_eq!(query.clause, Some(eq("project", "P")));
    assert_eq!(
        query.order_by,
        vec![
            OrderBy {
                field: Field::Name("updated".into()),
                direction: Some(Direction::Desc)
            },
            OrderBy {
                field: Field::CustomId(10016),
                direction: None
            },
            OrderBy {
                field: Field::Name("Story Points".into()),
                direction: Some(Direction::Asc)
            },
            OrderBy {
                field: Field::Name("key".into()),
                direction: None
            },
        ]
    );
    let only = q("order by rank");
    assert_eq!(only.clause, None);
    assert_eq!(
        only.order_by,
        vec![OrderBy {
            field: Field::Name("rank".into()),
            direction: None
        }]
    );
    // Any number of fields parses; the limit is a separate check.
    let many = q("ORDER BY a, b, c, d, e, f, g, h, i");
    assert_eq!(many.order_by.len(), 9);
    assert!(many.order_by_exceeds_limit());
}

#[test]
fn keywords_are_case_insensitive() {
    let lower = q("not a = 1 and b in (x) or c is not empty order by d asc");
    let upper = q("NOT a = 1 AND b IN (x) OR c IS NOT EMPTY ORDER BY d ASC");
    let mixed = q("Not a = 1 aNd b In (x) oR c iS nOt EmPtY OrDeR bY d AsC");
    assert_eq!(lower, upper);
    assert_eq!(lower, mixed);
}

#[test]
fn whitespace_and_newlines() {
    let query = q("project = P\nAND\tstatus = Done\r\n  ORDER BY\nkey");
    assert_eq!(query, q("project = P AND status = Done ORDER BY key"));
}

#[test]
fn realistic_queries() {
    for src in [
        "project = PROJ AND assignee = currentUser() AND statusCategory != Done ORDER BY updated DESC",
        "assignee = currentUser() AND resolution = Unresolved ORDER BY priority DESC, updated DESC",
        "sprint in openSprints() AND project = PROJ",
        "\"Epic Link\" = PROJ-1 OR parent = PROJ-1",
        "text ~ \"login error\" AND created >= -30d",
        "reporter in membersOf(\"jira-developers\") AND updated >= startOfDay(-1d)",
        "labels IS EMPTY AND fixVersion in unreleasedVersions()",
        "duedate < now() OR duedate IS EMPTY",
        "cf[10016] >= 5 AND \"Story Points\" is not EMPTY",
        "issuekey in (PROJ-1, PROJ-2, PROJ-3)",
    ] {
        let query = q(src);
        // Canonical printing round-trips.
        assert_eq!(q(&query.to_string()), query, "{src}");
    }
}

#[test]
fn printer_output_is_canonical() {
    let cases = [
        ("a=b", "a = b"),
        ("a = b and c = d", "a = b AND c = d"),
        ("a = 1 or b = 2 and c = 3", "a = 1 OR b = 2 AND c = 3"),
        ("(a = 1 or b = 2) and c = 3", "(a = 1 OR b = 2) AND c = 3"),
        ("not (a = 1 or b = 2)", "NOT (a = 1 OR b = 2)"),
        ("not (a = 1 and b = 2)", "NOT (a = 1 AND b = 2)"),
        ("!a = 1", "NOT a = 1"),
        ("a is null", "a IS EMPTY"),
        ("a is not null", "a IS NOT EMPTY"),
        ("a not in (x,'y z')", "a NOT IN (x, \"y z\")"),
        ("a = 'it\\'s'", "a = \"it's\""),
        ("\"Story Points\" > 3", "\"Story Points\" > 3"),
        ("cf[10016] ~ 'a'", "cf[10016] ~ a"),
        ("a = \"AND\"", "a = \"AND\""),
        ("a = 'user'", "a = \"user\""),
        ("a = startofday( '-1d' )", "a = startofday(-1d)"),
        (
            "a in membersOf('jira users')",
            "a IN membersOf(\"jira users\")",
        ),
        ("a = \"x\\\"y\"", "a = \"x\\\"y\""),
        ("order by a desc, b", "ORDER BY a DESC, b"),
        ("a = b order by c asc", "a = b ORDER BY c ASC"),
        ("", ""),
    ];
    for (src, expected) in cases {
        assert_eq!(q(src).to_string(), expected, "{src}");
    }
}

#[test]
fn from_str() {
    let parsed: Query = "a = b".parse().unwrap();
    assert_eq!(parsed.clause, Some(eq("a", "b")));
    assert!("a = ".parse::<Query>().is_err());
}

// ---------------------------------------------------------------- errors

#[test]
fn error_display_and_positions() {
    let e = err("project = P AND (status = Done AND");
    assert_eq!(
        e.to_string(),
        "Error in the JQL Query: Expecting a field name at the end of the query."
    );
    assert!(e.at_end());
    assert_eq!(e.span, Span { start: 34, end: 34 });

    let e = err("summary query = x");
    assert_eq!(
        e.to_string(),
        format!(
            "Error in the JQL Query: Expecting operator but got 'query'. {OPS} (line 1, character 9)"
        )
    );
    assert_eq!((e.line, e.character), (1, 9));
    assert_eq!(e.span, Span { start: 8, end: 13 });

    // Lines and characters (not bytes).
    let e = err("a = b\nAND été = x y");
    assert_eq!((e.line, e.character), (2, 13));
    assert_eq!(&"a = b\nAND été = x y"[e.span.start..e.span.end], "y");
}

#[test]
fn expecting_close_paren() {
    assert_error(
        "(project = P AND status = Done ORDER BY key",
        "Error in the JQL Query: Expecting ')' but got 'ORDER'. (line 1, character 32)",
    );
    assert_error(
        "(a=b and c = d",
        "Error in the JQL Query: Expecting ')' before the end of the query.",
    );
    assert_error(
        "a=b or (c=d and not l ~ kate",
        "Error in the JQL Query: Expecting ')' before the end of the query.",
    );
    assert_error(
        "b in ((12, (288)",
        "Error in the JQL Query: Expecting ')' before the end of the query.",
    );
    assert_error(
        "abc IN ((foo) abc = a",
        "Error in the JQL Query: Expecting ')' but got 'abc'. (line 1, character 15)",
    );
    assert_error(
        "(a = b, c)",
        "Error in the JQL Query: Expecting ')' but got ','. (line 1, character 7)",
    );
    assert_error(
        "(a is empty c = d)",
        "Error in the JQL Query: Expecting ')' but got 'c'. (line 1, character 13)",
    );
}

#[test]
fn expecting_operator() {
    assert_error(
        "a",
        &format!("Error in the JQL Query: Expecting operator before the end of the query. {OPS}"),
    );
    assert_error(
        "a blah >",
        &format!(
            "Error in the JQL Query: Expecting operator but got 'blah'. {OPS} (line 1, character 3)"
        ),
    );
    assert_error(
        "a \"b c\" = d",
        &format!(
            "Error in the JQL Query: Expecting operator but got 'b c'. {OPS} (line 1, character 3)"
        ),
    );
    assert_error(
        "f() = x",
        &format!(
            "Error in the JQL Query: Expecting operator but got '('. {OPS} (line 1, character 2)"
        ),
    );
    assert_error(
        "a =a and j not is empty",
        "Error in the JQL Query: Expecting 'IN' but got 'is'. (line 1, character 16)",
    );
    assert_error(
        "a not",
        "Error in the JQL Query: Expecting 'IN' before the end of the query.",
    );
    assert_error(
        "a =a and j is ! empty",
        "Error in the JQL Query: Expecting 'NOT' but got '!'. (line 1, character 15)",
    );
    assert_error(
        "a is ,",
        "Error in the JQL Query: Expecting either a value, list or function but got ','. You must surround ',' in quotation marks to use it as a value. (line 1, character 6)",
    );
    assert_error_at(
        "status was Done",
        &format!("The 'WAS' operator is not supported. {OPS}"),
        "was",
    );
    assert_error_at(
        "status changed",
        &format!("The 'CHANGED' operator is not supported. {OPS}"),
        "changed",
    );
}

#[test]
fn expecting_operand() {
    assert_error(
        "a=",
        "Error in the JQL Query: Expecting either a value, list or function before the end of the query.",
    );
    assert_error(
        "a is",
        "Error in the JQL Query: Expecting either a value, list or function before the end of the query.",
    );
    assert_error(
        "a=!",
        "Error in the JQL Query: Expecting either a value, list or function but got '!'. You must surround '!' in quotation marks to use it as a value. (line 1, character 3)",
    );
    assert_error(
        "project = P AND status = AND x = y",
        "Error in the JQL Query: Expecting either a value, list or function but got 'AND'. You must surround 'AND' in quotation marks to use it as a value. (line 1, character 26)",
    );
    assert_error(
        "a=(a,",
        "Error in the JQL Query: Expecting either a value, list or function before the end of the query.",
    );
    assert_error(
        "a=(a,(,bad))",
        "Error in the JQL Query: Expecting either a value, list or function but got ','. You must surround ',' in quotation marks to use it as a value. (line 1, character 7)",
    );
    assert_error(
        "a in ()",
        "Error in the JQL Query: Expecting either a value, list or function but got ')'. You must surround ')' in quotation marks to use it as a value. (line 1, character 7)",
    );
    assert_error(
        "a = cf",
        "Error in the JQL Query: Expecting either a value, list or function but got 'cf'. You must surround 'cf' in quotation marks to use it as a value. (line 1, character 5)",
    );
    assert_error(
        "a = during",
        "Error in the JQL Query: Expecting either a value, list or function but got 'during'. You must surround 'during' in quotation marks to use it as a value. (line 1, character 5)",
    );
}

#[test]
fn expecting_and_or() {
    assert_error(
        "a=b c=d",
        "Error in the JQL Query: Expecting either 'OR' or 'AND' but got 'c'. (line 1, character 5)",
    );
    assert_error(
        "a=b !c=d",
        "Error in the JQL Query: Expecting either 'OR' or 'AND' but got '!'. (line 1, character 5)",
    );
    assert_error(
        "comment !~ \"brenden\" jack = jill",
        "Error in the JQL Query: Expecting either 'OR' or 'AND' but got 'jack'. (line 1, character 22)",
    );
    assert_error(
        "a = b)",
        "Error in the JQL Query: Expecting either 'OR' or 'AND' but got ')'. (line 1, character 6)",
    );
    assert_error(
        "a = b, c",
        "Error in the JQL Query: Expecting either 'OR' or 'AND' but got ','. (line 1, character 6)",
    );
    assert_error(
        "a is empty x",
        "Error in the JQL Query: Expecting either 'OR' or 'AND' but got 'x'. (line 1, character 12)",
    );
    assert_error(
        "a = f() x",
        "Error in the JQL Query: Expecting either 'OR' or 'AND' but got 'x'. (line 1, character 9)",
    );
    assert_error(
        "(a = b c)",
        "Error in the JQL Query: Expecting either 'OR' or 'AND' but got 'c'. (line 1, character 8)",
    );
    assert_error(
        "a in (b c)",
        "Error in the JQL Query: Expecting ',' or ')' but got 'c'. (line 1, character 9)",
    );
}

#[test]
fn expecting_field_name() {
    assert_error(
        "a = ((c,d), d, e, f, yyy) and",
        "Error in the JQL Query: Expecting a field name at the end of the query.",
    );
    assert_error(
        "comment !~ \"brenden\" and",
        "Error in the JQL Query: Expecting a field name at the end of the query.",
    );
    assert_error(
        "not",
        "Error in the JQL Query: Expecting a field name at the end of the query.",
    );
    assert_error(
        ", a = b",
        "Error in the JQL Query: Expecting a field name but got ','. You must surround ',' in quotation marks to use it as a field name. (line 1, character 1)",
    );
    assert_error(
        "AND a = b",
        "Error in the JQL Query: Expecting a field name but got 'AND'. You must surround 'AND' in quotation marks to use it as a field name. (line 1, character 1)",
    );
    assert_error(
        "()",
        "Error in the JQL Query: Expecting a field name but got ')'. You must surround ')' in quotation marks to use it as a field name. (line 1, character 2)",
    );
    assert_error(
        "[brenden] = a",
        "Error in the JQL Query: Expecting a field name but got '['. Did you mean 'cf['? (line 1, character 1)",
    );
    assert_error(
        "a = brenden and [78] = q",
        "Error in the JQL Query: Expecting a field name but got '['. Did you mean 'cf['? (line 1, character 17)",
    );
    assert_error(
        "'' = c",
        "Error in the JQL Query: A field name cannot be empty. (line 1, character 1)",
    );
    assert_error(
        "\"  \" = c",
        "Error in the JQL Query: A field name cannot be empty. (line 1, character 1)",
    );
}

#[test]
fn custom_field_errors() {
    assert_error(
        "cf",
        "Error in the JQL Query: Expecting '[' before the end of the query.",
    );
    assert_error(
        "a = b and not (cf = 6)",
        "Error in the JQL Query: Expecting '[' but got '='. (line 1, character 19)",
    );
    assert_error(
        "cf[",
        "Error in the JQL Query: Expecting a custom field id (a positive number) before the end of the query.",
    );
    assert_error(
        "cf[ = 9",
        "Error in the JQL Query: Expecting a custom field id (a positive number) but got '='. (line 1, character 5)",
    );
    assert_error(
        "cf[] = 1",
        "Error in the JQL Query: Expecting a custom field id (a positive number) but got ']'. (line 1, character 4)",
    );
    assert_error(
        "cf[29829k] = ",
        "Error in the JQL Query: Expecting a custom field id (a positive number) but got '29829k'. (line 1, character 4)",
    );
    assert_error(
        "cf[-29829] = ",
        "Error in the JQL Query: Expecting a custom field id (a positive number) but got '-29829'. (line 1, character 4)",
    );
    assert_error(
        "cf[\"1\"] = x",
        "Error in the JQL Query: Expecting a custom field id (a positive number) but got '1'. (line 1, character 4)",
    );
    assert_error(
        "cf[29829 = world",
        "Error in the JQL Query: Expecting ']' but got '='. (line 1, character 10)",
    );
    assert_error(
        "cf[29829",
        "Error in the JQL Query: Expecting ']' before the end of the query.",
    );
    assert_error(
        "cf[1002020202002020202020202020020202822]=a",
        "Error in the JQL Query: '1002020202002020202020202020020202822' is not a valid number. Numbers must be between -9,223,372,036,854,775,808 and 9,223,372,036,854,775,807. (line 1, character 4)",
    );
}

#[test]
fn number_errors() {
    assert_error(
        "aaaaa=-3482094382084092840932809482",
        "Error in the JQL Query: '-3482094382084092840932809482' is not a valid number. Numbers must be between -9,223,372,036,854,775,808 and 9,223,372,036,854,775,807. (line 1, character 7)",
    );
    // In range, or quoted, is fine.
    assert_eq!(
        clause("a = 9223372036854775807"),
        eq("a", "9223372036854775807")
    );
    assert_eq!(
        clause("a = \"99999999999999999999\""),
        eq("a", "99999999999999999999")
    );
}

#[test]
fn function_errors() {
    assert_error(
        "a = func(",
        "Error in the JQL Query: Expecting ')' before the end of the query.",
    );
    assert_error(
        "a = func(, and not (a = x)",
        "Error in the JQL Query: Expecting ')' but got ','. (line 1, character 10)",
    );
    assert_error(
        "b=func(bad",
        "Error in the JQL Query: Expecting ')' before the end of the query.",
    );
    assert_error(
        "bas=func(bad,)",
        "Error in the JQL Query: Function argument must be specified. (line 1, character 14)",
    );
    assert_error(
        "bas=func(bad,,x)",
        "Error in the JQL Query: Function argument must be specified. (line 1, character 14)",
    );
    assert_error(
        "bas=func(bad,",
        "Error in the JQL Query: Expecting a function argument at the end of the query.",
    );
    assert_error(
        "k = func(!",
        "Error in the JQL Query: Expecting a function argument but got '!'. You must surround '!' in quotation marks to use it as an argument. (line 1, character 10)",
    );
    assert_error(
        "k = func(a, EMPTY)",
        "Error in the JQL Query: Expecting a function argument but got 'EMPTY'. You must surround 'EMPTY' in quotation marks to use it as an argument. (line 1, character 13)",
    );
    assert_error(
        "k = func(abc, jk!)",
        "Error in the JQL Query: Expecting ')' or ',' but got '!'. (line 1, character 17)",
    );
    assert_error(
        "a = ''()",
        "Error in the JQL Query: A function name cannot be empty. (line 1, character 5)",
    );
    assert_error(
        "a = \"\"()",
        "Error in the JQL Query: A function name cannot be empty. (line 1, character 5)",
    );
}

#[test]
fn order_by_errors() {
    assert_error(
        "a =b order",
        "Error in the JQL Query: Expecting 'by' before the end of the query.",
    );
    assert_error(
        "a =b order summary",
        "Error in the JQL Query: Expecting 'by' but got 'summary'. (line 1, character 12)",
    );
    assert_error(
        "a =b order by",
        "Error in the JQL Query: Expecting a field name at the end of the query.",
    );
    assert_error(
        "a =b order by asc",
        "Error in the JQL Query: Expecting a field name but got 'asc'. You must surround 'asc' in quotation marks to use it as a field name. (line 1, character 15)",
    );
    assert_error(
        "a =b order by ajsks blah",
        "Error in the JQL Query: Expecting either 'ASC' or 'DESC' but got 'blah'. (line 1, character 21)",
    );
    assert_error(
        "a =b order by \"\" desc",
        "Error in the JQL Query: A field name cannot be empty. (line 1, character 15)",
    );
    assert_error(
        "comment !~ \"brenden\" and cf[1000] = jill order by a desc b",
        "Error in the JQL Query: Expecting ',' but got 'b'. (line 1, character 58)",
    );
    assert_error(
        "order by a desc d",
        "Error in the JQL Query: Expecting ',' but got 'd'. (line 1, character 17)",
    );
    assert_error(
        "order by a,",
        "Error in the JQL Query: Expecting a field name at the end of the query.",
    );
    assert_error(
        "order by a desc, ",
        "Error in the JQL Query: Expecting a field name at the end of the query.",
    );
}

#[test]
fn reserved_words() {
    for word in [
        "end", "user", "select", "where", "true", "date", "start", "DO", "AS", "ADD",
    ] {
        let src = format!("summary ~ {word}");
        assert_error(
            &src,
            &format!(
                "Error in the JQL Query: '{word}' is a reserved JQL word. You must surround it in quotation marks to use it in a query. (line 1, character 11)"
            ),
        );
    }
    assert_error(
        "project in (A, End, B)",
        "Error in the JQL Query: 'End' is a reserved JQL word. You must surround it in quotation marks to use it in a query. (line 1, character 16)",
    );
    // As a field name, too; an escaped spelling is still the reserved word.
    assert_error_at(
        "user = x",
        "'user' is a reserved JQL word. You must surround it in quotation marks to use it in a query.",
        "user",
    );
    assert_error_at(
        r"a = us\u0065r",
        "'user' is a reserved JQL word. You must surround it in quotation marks to use it in a query.",
        r"us\u0065r",
    );
}

#[test]
fn lexical_errors() {
    // Unfinished strings.
    assert_error(
        "comment ~ 'test",
        "Error in the JQL Query: The quoted string 'test' has not been completed. (line 1, character 11)",
    );
    assert_error(
        "comment ~ 'test\n",
        "Error in the JQL Query: The quoted string 'test ' has not been completed. (line 1, character 11)",
    );
    assert_error(
        "priority=\"test\nword",
        "Error in the JQL Query: The quoted string 'test word' has not been completed. (line 1, character 10)",
    );
    assert_error(
        "comment ~ '",
        "Error in the JQL Query: The quoted string has not been completed. (line 1, character 11)",
    );
    assert_error(
        "what = hrejw'ewjrhejkw",
        "Error in the JQL Query: The quoted string 'ewjrhejkw' has not been completed. (line 1, character 13)",
    );
    // The span runs from the quote to the end, for underlining.
    let e = err("a = \"open");
    assert_eq!(e.span, Span { start: 4, end: 9 });
    assert_eq!((e.line, e.character), (1, 5));

    // Escapes.
    let valid = r#"The valid escape sequences are \', \", \t, \n, \r, \\, '\ ' and \uXXXX."#;
    assert_error(
        "comme\\unt ~ 'test",
        &format!(
            "Error in the JQL Query: '\\un' is an illegal JQL escape sequence. {valid} (line 1, character 6)"
        ),
    );
    assert_error(
        "a = \"x\\qy\"",
        &format!(
            "Error in the JQL Query: '\\q' is an illegal JQL escape sequence. {valid} (line 1, character 7)"
        ),
    );
    assert_error(
        "status =\n\n\\c",
        &format!(
            "Error in the JQL Query: '\\c' is an illegal JQL escape sequence. {valid} (line 3, character 1)"
        ),
    );
    assert_error(
        "status = \"case\\",
        &format!(
            "Error in the JQL Query: The escape sequence has not been completed. {valid} (line 1, character 15)"
        ),
    );

    // Reserved characters.
    for (src, c, esc, at) in [
        ("mine{www = qwwr", '{', "\\u007b", 5),
        ("minewww# = qwwr", '#', "\\u0023", 8),
        ("minewww = qwwr}", '}', "\\u007d", 15),
        ("a = b*", '*', "\\u002a", 6),
        ("a = b;", ';', "\\u003b", 6),
    ] {
        assert_error(
            src,
            &format!(
                "Error in the JQL Query: The character '{c}' is a reserved JQL character. You must enclose it in a string or use the escape '{esc}' instead. (line 1, character {at})"
            ),
        );
    }
    // Inside quotes they are fine.
    assert_eq!(clause("a = \"{x}*#;\""), eq("a", "{x}*#;"));

    // Control characters.
    assert_error(
        "minewww =\u{7f}qwwr",
        "Error in the JQL Query: The character 'U+007F' on line 1 at position 10 must be escaped. Use the escape '\\u007f' instead. (line 1, character 10)",
    );
    assert_error(
        "mqwwr=\"\u{7f} this is broken\"",
        "Error in the JQL Query: The character 'U+007F' on line 1 at position 8 must be escaped. Use the escape '\\u007f' instead. (line 1, character 8)",
    );
    assert_error(
        "a = \"x\ty\"",
        "Error in the JQL Query: The character 'U+0009' on line 1 at position 7 must be escaped. Use the escape '\\u0009' instead. (line 1, character 7)",
    );
}

#[test]
fn lexical_errors_come_first() {
    // Like Jira, the lexer runs over the whole query before the grammar is checked.
    assert_error_at(
        "a = = b AND c = 'open",
        "The quoted string 'open' has not been completed.",
        "'open",
    );
    assert_error_at(
        "a b c d {",
        "The character '{' is a reserved JQL character. You must enclose it in a string or use the escape '\\u007b' instead.",
        "{",
    );
}

#[test]
fn too_deep_nesting_is_an_error_not_a_crash() {
    let deep = format!("{}a = b{}", "(".repeat(10_000), ")".repeat(10_000));
    assert_eq!(err(&deep).message, "The query is nested too deeply.");
    let nots = format!("{}a = b", "NOT ".repeat(10_000));
    assert_eq!(err(&nots).message, "The query is nested too deeply.");
    let lists = format!("a in {}b{}", "(".repeat(10_000), ")".repeat(10_000));
    assert_eq!(err(&lists).message, "The query is nested too deeply.");
    // Reasonable nesting is fine.
    let ok = format!("{}a = b{}", "(".repeat(50), ")".repeat(50));
    assert_eq!(clause(&ok), eq("a", "b"));
}
