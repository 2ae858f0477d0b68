//! Property tests for the JQL engine: printing round-trips through the parser, and the
//! lexer, parser and highlighter never panic. Case counts are bounded so the whole file
//! runs in well under a second or two.

use jtui::jql::{
    Clause, Direction, Field, FunctionCall, Operand, Operator, OrderBy, Query, Span, Term,
    TokenKind, Value, highlight, lex, line_and_character, parse, quote,
};
use proptest::prelude::*;

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        max_shrink_iters: 2_000,
        ..ProptestConfig::default()
    }
}

/// Strings that stress quoting: plain words, keywords and reserved words, numbers,
/// relative dates, arbitrary Unicode and control characters.
fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-zA-Z][a-zA-Z0-9_-]{0,6}",
        1 => prop::sample::select(vec![
            "AND", "or", "Not", "in", "IS", "empty", "NULL", "order", "by", "asc", "DESC", "cf",
            "was", "changed", "during", "user", "end", "select", "true", "start",
        ])
        .prop_map(String::from),
        1 => any::<i64>().prop_map(|n| n.to_string()),
        1 => "-?[0-9]{19,22}",
        1 => "[-+]?[0-9]{1,3}[wdhmM]",
        2 => "\\PC{0,8}",
        2 => prop::collection::vec(any::<char>(), 0..6).prop_map(String::from_iter),
        1 => prop::sample::select(vec![
            "", " ", "\"", "'", "\\", "a b", "x\"y", "it's", "a\\b", "\n", "\t", "(", ")", ",",
            "=", "!", "[", "cf[1]", "a@b.c", "1.0", "{}", "é", "😀", "\u{7f}", "\u{fffe}",
        ])
        .prop_map(String::from),
    ]
}

/// Jira rejects blank field and function names.
fn non_blank_text() -> impl Strategy<Value = String> {
    any_text().prop_filter("blank", |s| !s.trim().is_empty())
}

fn field() -> impl Strategy<Value = Field> {
    prop_oneof![
        4 => non_blank_text().prop_map(Field::Name),
        1 => (0..=i64::MAX as u64).prop_map(Field::CustomId),
    ]
}

fn operator() -> impl Strategy<Value = Operator> {
    prop::sample::select(vec![
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
    ])
}

fn value() -> impl Strategy<Value = Value> {
    prop_oneof![
        5 => any_text().prop_map(Value::Text),
        1 => Just(Value::Empty),
        2 => (non_blank_text(), prop::collection::vec(any_text(), 0..3))
            .prop_map(|(name, args)| Value::Function(FunctionCall { name, args })),
    ]
}

fn operand() -> impl Strategy<Value = Operand> {
    prop_oneof![
        3 => value().prop_map(Operand::Single),
        1 => prop::collection::vec(value(), 1..4).prop_map(Operand::List),
    ]
}

fn term() -> impl Strategy<Value = Clause> {
    (field(), operator(), operand())
        .prop_map(|(field, op, operand)| Clause::Term(Term { field, op, operand }))
}

/// The shape the parser produces: no `And` directly inside an `And`, no `Or` directly
/// inside an `Or`.
fn normalize(c: Clause) -> Clause {
    match c {
        Clause::And(children) => Clause::And(flatten(children, true)),
        Clause::Or(children) => Clause::Or(flatten(children, false)),
        Clause::Not(inner) => Clause::Not(Box::new(normalize(*inner))),
        t @ Clause::Term(_) => t,
    }
}

fn flatten(children: Vec<Clause>, and: bool) -> Vec<Clause> {
    let mut out = Vec::new();
    for c in children.into_iter().map(normalize) {
        match c {
            Clause::And(cs) if and => out.extend(cs),
            Clause::Or(cs) if !and => out.extend(cs),
            other => out.push(other),
        }
    }
    out
}

fn clause() -> impl Strategy<Value = Clause> {
    term()
        .prop_recursive(4, 24, 3, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 2..4).prop_map(Clause::And),
                prop::collection::vec(inner.clone(), 2..4).prop_map(Clause::Or),
                inner.prop_map(|c| Clause::Not(Box::new(c))),
            ]
        })
        .prop_map(normalize)
}

fn order_by() -> impl Strategy<Value = OrderBy> {
    (
        field(),
        prop::option::of(prop::sample::select(vec![Direction::Asc, Direction::Desc])),
    )
        .prop_map(|(field, direction)| OrderBy { field, direction })
}

fn query() -> impl Strategy<Value = Query> {
    (
        prop::option::of(clause()),
        prop::collection::vec(order_by(), 0..3),
    )
        .prop_map(|(clause, order_by)| Query { clause, order_by })
}

/// JQL-ish text: mostly real tokens and fragments, some random characters.
fn jqlish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        6 => prop::sample::select(vec![
            "status", "project", "PROJ-1", "\"In Progress\"", "'x y'", "=", "!=", "~", "!~",
            "<", "<=", ">", ">=", "IN", "NOT", "IS", "EMPTY", "null", "AND", "OR", "&&", "||",
            "!", "(", ")", ",", "ORDER", "BY", "ASC", "DESC", "cf", "[", "]", "10016",
            "currentUser()", "startOfDay(-1d)", "-7d", "\\", "\"", "'", "{", "#", "user",
            "was", "\\u0041", "\\u12", "\n", "é",
        ])
        .prop_map(String::from),
        1 => any::<char>().prop_map(String::from),
        1 => "\\PC{1,4}",
    ];
    prop::collection::vec(
        (piece, prop::sample::select(vec!["", " ", " ", "\n"])),
        0..24,
    )
    .prop_map(|parts| parts.into_iter().map(|(p, sep)| p + sep).collect())
}

fn assert_span_ok(src: &str, span: Span) {
    assert!(
        span.start <= span.end && span.end <= src.len(),
        "{span:?} for {src:?}"
    );
    assert!(src.is_char_boundary(span.start) && src.is_char_boundary(span.end));
}

proptest! {
    #![proptest_config(config(400))]

    #[test]
    fn printed_ast_parses_back(q in query()) {
        let printed = q.to_string();
        prop_assert_eq!(parse(&printed), Ok(q), "printed: {}", printed);
    }

    #[test]
    fn quote_is_always_a_single_value(s in any_text()) {
        let src = format!("f = {}", quote(&s));
        let expected = Query {
            clause: Some(Clause::Term(Term {
                field: Field::Name("f".into()),
                op: Operator::Eq,
                operand: Operand::Single(Value::Text(s)),
            })),
            order_by: vec![],
        };
        prop_assert_eq!(parse(&src), Ok(expected), "src: {}", src);
    }
}

proptest! {
    #![proptest_config(config(400))]

    #[test]
    fn never_panics_on_arbitrary_strings(s in "\\PC{0,40}") {
        check_total(&s);
    }

    #[test]
    fn never_panics_on_arbitrary_chars(s in prop::collection::vec(any::<char>(), 0..40)) {
        check_total(&String::from_iter(s));
    }

    #[test]
    fn never_panics_on_jql_like_text(s in jqlish()) {
        check_total(&s);
    }

    #[test]
    fn never_panics_on_mutated_queries(
        q in query(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0..4u8, mutation_text()), 1..4),
    ) {
        let mut src = q.to_string();
        for (at, how, text) in edits {
            let bounds: Vec<usize> = src.char_indices().map(|(i, _)| i).chain([src.len()]).collect();
            let i = bounds[at.index(bounds.len())];
            let next = bounds.iter().copied().find(|&b| b > i).unwrap_or(i);
            match how {
                0 => src.replace_range(i..next, ""),
                1 => src.insert_str(i, &text),
                2 => src.replace_range(i..next, &text),
                _ => src = src.to_lowercase(),
            }
        }
        check_total(&src);
    }
}

fn mutation_text() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            " ",
            "(",
            ")",
            ",",
            "\"",
            "'",
            "\\",
            "=",
            "!",
            "AND ",
            " OR ",
            "NOT ",
            "[",
            "]",
            "x",
            "EMPTY",
            " ORDER BY k",
            "\n",
            "{",
        ])
        .prop_map(String::from),
        any::<char>().prop_map(String::from),
    ]
}

/// Runs everything on `src` and checks the invariants that hold for any input.
fn check_total(src: &str) {
    let tokens = lex(src);
    let mut last_end = 0;
    for t in &tokens {
        assert_span_ok(src, t.span);
        assert!(t.span.start < t.span.end, "empty token in {src:?}");
        assert!(t.span.start >= last_end, "overlapping tokens in {src:?}");
        last_end = t.span.end;
        if let TokenKind::Error(e) = &t.kind {
            assert_span_ok(src, e.at);
        }
    }

    let spans = highlight(src);
    assert_eq!(spans.len(), tokens.len());
    for ((span, _), t) in spans.iter().zip(&tokens) {
        assert_eq!(*span, t.span);
    }

    match parse(src) {
        Ok(q) => {
            // Anything that parses prints canonically and parses back to the same AST.
            let printed = q.to_string();
            assert_eq!(parse(&printed), Ok(q), "{src:?} printed as {printed:?}");
        }
        Err(e) => {
            assert_span_ok(src, e.span);
            assert_eq!((e.line, e.character), line_and_character(src, e.span.start));
            assert!(!e.message.is_empty());
            let text = e.to_string();
            assert!(text.starts_with("Error in the JQL Query: "));
        }
    }
}
