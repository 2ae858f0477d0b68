//! JQL completion: what the cursor expects (a field, an operator, a value, a keyword),
//! the candidates for it from Jira's reference data and value suggestions, and the text
//! edit that accepts one. Plain data and pure functions; `update` drives them.

use std::cell::Cell;
use std::collections::HashMap;
use std::ops::Range;

use super::LoadStatus;
use crate::jira::models::{JqlAutocompleteData, JqlSuggestion};
use crate::jira::worker::RequestId;
use crate::jql::{Keyword, Token, TokenKind, lex, quote_if_needed};
use crate::sanitize::sanitize_field;

/// Operators offered for a field the reference data does not know.
const ALL_OPERATORS: &[&str] = &[
    "=", "!=", "~", "!~", ">", ">=", "<", "<=", "IN", "NOT IN", "IS", "IS NOT",
];
/// Operators after which `EMPTY` is a value.
const EMPTY_OPERATORS: &[&str] = &["=", "!=", "IN", "NOT IN", "IS", "IS NOT"];

/// What the cursor's position calls for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expect {
    /// A field to search on (or `NOT`, `ORDER BY`).
    Field,
    /// A field to sort by, after `ORDER BY` or a comma there.
    SortField,
    /// An operator for `field` (unquoted, as written).
    Operator { field: String },
    /// A value for `field` after `op` (upper case, as JQL spells it: `=`, `NOT IN`).
    Value {
        field: String,
        op: String,
        /// Inside `IN ( … )`: values are followed by `,` or `)`, not a space.
        in_list: bool,
    },
    /// After a complete term: `AND`, `OR`, `ORDER BY`.
    AfterTerm,
    /// After `ORDER`: `BY`.
    By,
    /// After a sort field: `ASC`, `DESC`.
    AfterSort,
    /// Nothing sensible here (inside a function's arguments, for instance).
    Nothing,
}

/// The completion context at a cursor: what is expected, what was typed of it, and
/// which bytes an accepted candidate replaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompletionContext {
    pub expect: Expect,
    /// Bytes of the text replaced on accept: the whole word under the cursor, or an
    /// empty range at the cursor.
    pub replace: Range<usize>,
    /// What is typed of the word so far (up to the cursor), quotes removed.
    pub prefix: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Walk {
    Field,
    Operator,
    NotIn,
    AfterIs,
    Value,
    AfterTerm,
    By,
    SortField,
    AfterSort,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Nest {
    Group,
    List,
    Args,
}

/// Whether a token can be the word being typed.
fn is_wordish(token: &Token) -> bool {
    match &token.kind {
        TokenKind::Word(_) | TokenKind::Quoted(_) => true,
        // Includes `!`, so typing `!` in operator position narrows to `!=`, `!~`.
        TokenKind::Keyword(_) => true,
        TokenKind::Error(e) => {
            matches!(e.kind, crate::jql::LexErrorKind::UnterminatedString { .. })
        }
        _ => false,
    }
}

/// `cf[123]` (or the unfinished `cf[`, `cf[12`) starting at token `i`: the index one past
/// its last token.
fn custom_field_end(tokens: &[Token], i: usize) -> Option<usize> {
    if tokens.get(i)?.kind != TokenKind::Keyword(Keyword::Cf) {
        return None;
    }
    let mut j = i + 1;
    if tokens.get(j).map(|t| &t.kind) != Some(&TokenKind::LBracket) {
        return Some(j);
    }
    j += 1;
    if matches!(tokens.get(j).map(|t| &t.kind), Some(TokenKind::Word(_))) {
        j += 1;
    }
    if tokens.get(j).map(|t| &t.kind) == Some(&TokenKind::RBracket) {
        j += 1;
    }
    Some(j)
}

fn token_value(src: &str, token: &Token) -> String {
    match &token.kind {
        TokenKind::Word(w) | TokenKind::Quoted(w) => w.clone(),
        _ => token.text(src).to_owned(),
    }
}

/// The field a run of tokens names: a word, a quoted name, or `cf[N]` spelled out.
fn field_text(src: &str, tokens: &[Token]) -> String {
    match tokens {
        [one] => token_value(src, one),
        many => many
            .iter()
            .map(|t| t.text(src))
            .collect::<String>()
            .to_ascii_lowercase(),
    }
}

/// What comes after `tokens`, walked with a forgiving version of the highlighter's
/// state machine (unexpected tokens leave the state as it was, like half-typed input).
fn expect_after(src: &str, tokens: &[Token]) -> Expect {
    let mut walk = Walk::Field;
    let mut stack: Vec<Nest> = Vec::new();
    let mut field = String::new();
    let mut op = String::new();
    let mut i = 0;
    while let Some(token) = tokens.get(i) {
        let kind = &token.kind;
        if stack.last() == Some(&Nest::Args) {
            match kind {
                TokenKind::LParen => stack.push(Nest::Args),
                TokenKind::RParen => {
                    stack.pop();
                    if stack.last() != Some(&Nest::Args) {
                        walk = Walk::AfterTerm;
                    }
                }
                _ => {}
            }
            i += 1;
            continue;
        }
        match (walk, kind) {
            (Walk::Field | Walk::SortField, TokenKind::Keyword(Keyword::Cf)) => {
                let end = custom_field_end(tokens, i).unwrap_or(i + 1);
                field = field_text(src, &tokens[i..end]);
                walk = if walk == Walk::Field {
                    Walk::Operator
                } else {
                    Walk::AfterSort
                };
                i = end;
                continue;
            }
            (Walk::Field, TokenKind::Keyword(Keyword::Not)) => {}
            (Walk::Field, TokenKind::LParen) => stack.push(Nest::Group),
            (Walk::Field, TokenKind::Word(w) | TokenKind::Quoted(w)) => {
                field = w.clone();
                walk = Walk::Operator;
            }
            (Walk::Field | Walk::AfterTerm, TokenKind::Keyword(Keyword::Order)) => {
                walk = Walk::By;
            }
            (Walk::Operator, TokenKind::Op(o)) => {
                op = o.as_str().to_owned();
                walk = Walk::Value;
            }
            (Walk::Operator, TokenKind::Keyword(Keyword::In)) => {
                op = "IN".into();
                walk = Walk::Value;
            }
            (Walk::Operator, TokenKind::Keyword(Keyword::Not)) => walk = Walk::NotIn,
            (Walk::NotIn, TokenKind::Keyword(Keyword::In)) => {
                op = "NOT IN".into();
                walk = Walk::Value;
            }
            (Walk::Operator, TokenKind::Keyword(Keyword::Is)) => {
                op = "IS".into();
                walk = Walk::AfterIs;
            }
            (Walk::AfterIs, TokenKind::Keyword(Keyword::Not)) => {
                op = "IS NOT".into();
                walk = Walk::Value;
            }
            (Walk::Operator, TokenKind::Keyword(k @ (Keyword::Was | Keyword::Changed))) => {
                op = k.as_str().to_owned();
                walk = Walk::Value;
            }
            (Walk::Value | Walk::AfterIs, TokenKind::Keyword(Keyword::Empty)) => {
                walk = Walk::AfterTerm;
            }
            (Walk::Value | Walk::AfterIs, TokenKind::Word(_) | TokenKind::Quoted(_)) => {
                if tokens.get(i + 1).map(|t| &t.kind) == Some(&TokenKind::LParen) {
                    stack.push(Nest::Args);
                    i += 2;
                    continue;
                }
                walk = Walk::AfterTerm;
            }
            (Walk::Value | Walk::AfterIs, TokenKind::LParen) => stack.push(Nest::List),
            (Walk::AfterTerm, TokenKind::Comma) if stack.last() == Some(&Nest::List) => {
                walk = Walk::Value;
            }
            (Walk::AfterTerm | Walk::Value, TokenKind::RParen) => {
                stack.pop();
                walk = Walk::AfterTerm;
            }
            (Walk::AfterTerm, TokenKind::Keyword(Keyword::And | Keyword::Or)) => {
                walk = Walk::Field;
            }
            (Walk::By, TokenKind::Keyword(Keyword::By)) => walk = Walk::SortField,
            (Walk::SortField, TokenKind::Word(_) | TokenKind::Quoted(_)) => {
                walk = Walk::AfterSort;
            }
            (Walk::AfterSort, TokenKind::Keyword(Keyword::Asc | Keyword::Desc)) => {}
            (Walk::AfterSort, TokenKind::Comma) => walk = Walk::SortField,
            // A string after a complete term most likely starts the next one (the user
            // has not typed AND/OR yet); the highlighter reads it the same way.
            (Walk::AfterTerm, TokenKind::Word(w) | TokenKind::Quoted(w))
                if stack.last() != Some(&Nest::List) =>
            {
                field = w.clone();
                walk = Walk::Operator;
            }
            _ => {}
        }
        i += 1;
    }
    if stack.last() == Some(&Nest::Args) {
        return Expect::Nothing;
    }
    match walk {
        Walk::Field => Expect::Field,
        Walk::SortField => Expect::SortField,
        Walk::Operator | Walk::NotIn => Expect::Operator { field },
        Walk::AfterIs | Walk::Value => Expect::Value {
            field,
            op,
            in_list: stack.last() == Some(&Nest::List),
        },
        Walk::AfterTerm => Expect::AfterTerm,
        Walk::By => Expect::By,
        Walk::AfterSort => Expect::AfterSort,
    }
}

/// The completion context for `text` with the cursor at byte `cursor`.
pub fn context_at(text: &str, cursor: usize) -> CompletionContext {
    let cursor = cursor.min(text.len());
    let tokens = lex(text);
    // The word being typed: a token holding the cursor or ending right at it. A custom
    // field (`cf[12`) counts as one word from its `cf`.
    let mut current: Option<(usize, usize)> = None;
    let mut i = 0;
    while i < tokens.len() {
        let end = custom_field_end(&tokens, i)
            .filter(|&e| e > i + 1)
            .unwrap_or(i + 1);
        let (start_byte, end_byte) = (tokens[i].span.start, tokens[end - 1].span.end);
        if start_byte < cursor && cursor <= end_byte {
            if end > i + 1 || is_wordish(&tokens[i]) {
                current = Some((i, end));
            }
            break;
        }
        if start_byte >= cursor {
            break;
        }
        i = end;
    }
    match current {
        Some((first, end)) => {
            let start = tokens[first].span.start;
            let replace = start..tokens[end - 1].span.end;
            let typed = &text[start..cursor];
            let prefix = if end > first + 1 {
                typed.to_ascii_lowercase()
            } else if cursor == replace.end {
                match &tokens[first].kind {
                    TokenKind::Error(e) => match &e.kind {
                        crate::jql::LexErrorKind::UnterminatedString { content } => content.clone(),
                        _ => typed.to_owned(),
                    },
                    _ => token_value(text, &tokens[first]),
                }
            } else {
                typed.trim_start_matches(['"', '\'']).to_owned()
            };
            CompletionContext {
                expect: expect_after(text, &tokens[..first]),
                replace,
                prefix,
            }
        }
        None => {
            let before: Vec<Token> = tokens
                .iter()
                .take_while(|t| t.span.end <= cursor)
                .cloned()
                .collect();
            CompletionContext {
                expect: expect_after(text, &before),
                replace: cursor..cursor,
                prefix: String::new(),
            }
        }
    }
}

/// A field from `/jql/autocompletedata`, cleaned for display.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldRef {
    /// As JQL takes it: `status`, `Sprint`, `cf[10880]`, or already quoted.
    pub value: String,
    /// `value` without quotes, for matching and for the suggestions request.
    pub name: String,
    pub display: String,
    pub cfid: Option<String>,
    /// Operators in upper case: `=`, `NOT IN`, `IS NOT`.
    pub operators: Vec<String>,
    pub types: Vec<String>,
    pub orderable: bool,
    pub searchable: bool,
    /// Jira can suggest values for it (`/jql/autocompletedata/suggestions`).
    pub auto: bool,
}

impl FieldRef {
    /// The text inserted into the query.
    pub fn insert_text(&self) -> String {
        let bare = self.value.trim();
        let is_cf = crate::jql::Field::from(bare).custom_id().is_some() && bare.contains('[');
        if bare.starts_with('"') || is_cf {
            bare.to_owned()
        } else {
            quote_if_needed(bare)
        }
    }

    /// Whether `name` (unquoted, as typed) is this field.
    pub fn is(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
            || self
                .cfid
                .as_deref()
                .is_some_and(|c| c.eq_ignore_ascii_case(name))
            || self.display.eq_ignore_ascii_case(name)
    }
}

/// A JQL function from `/jql/autocompletedata`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionRef {
    /// `currentUser()`, as inserted.
    pub value: String,
    pub display: String,
    pub is_list: bool,
    pub types: Vec<String>,
}

/// The session's JQL reference data, fetched once.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Reference {
    pub fields: Vec<FieldRef>,
    pub functions: Vec<FunctionRef>,
}

/// `"Story Points"` → `Story Points`; anything else as it is.
fn unquote(value: &str) -> String {
    let value = value.trim();
    if value.starts_with(['"', '\''])
        && let [token] = lex(value).as_slice()
        && let TokenKind::Quoted(inner) = &token.kind
    {
        return inner.clone();
    }
    value.to_owned()
}

fn clean(s: &str) -> String {
    sanitize_field(s).trim().to_owned()
}

impl Reference {
    pub fn from_data(data: &JqlAutocompleteData) -> Self {
        let mut fields: Vec<FieldRef> = Vec::new();
        for f in &data.visible_field_names {
            let value = clean(&f.value);
            if value.is_empty() || fields.iter().any(|seen| seen.value == value) {
                continue;
            }
            let display = clean(&f.display_name);
            fields.push(FieldRef {
                name: unquote(&value),
                display: if display.is_empty() {
                    unquote(&value)
                } else {
                    display
                },
                value,
                cfid: f.cfid.as_deref().map(clean),
                operators: f
                    .operators
                    .iter()
                    .map(|o| clean(o).to_uppercase())
                    .collect(),
                types: f.types.clone(),
                orderable: f.orderable,
                searchable: f.searchable,
                auto: f.auto,
            });
        }
        let functions = data
            .visible_function_names
            .iter()
            .map(|f| FunctionRef {
                value: clean(&f.value),
                display: clean(&f.display_name),
                is_list: f.is_list,
                types: f.types.clone(),
            })
            .filter(|f| !f.value.is_empty())
            .collect();
        Self { fields, functions }
    }

    /// The field a query names: by name, `cf[N]`, or display name (case-insensitive).
    pub fn field(&self, name: &str) -> Option<&FieldRef> {
        self.fields.iter().find(|f| f.is(name))
    }
}

/// A value Jira suggested, as the popup shows it and the query takes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub value: String,
    pub label: String,
}

impl Suggestion {
    /// From the client's suggestion, whose display name is already plain text.
    pub fn from_api(s: &JqlSuggestion) -> Self {
        let value = clean(&s.value);
        let label = clean(&s.display_name);
        Self {
            label: if label.is_empty() {
                value.clone()
            } else {
                label
            },
            value,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CandidateKind {
    Field,
    Operator,
    Value,
    Function,
    Keyword,
}

impl CandidateKind {
    /// A short word for the popup's right column.
    pub fn label(self) -> &'static str {
        match self {
            CandidateKind::Field => "field",
            CandidateKind::Operator => "operator",
            CandidateKind::Value => "value",
            CandidateKind::Function => "function",
            CandidateKind::Keyword => "keyword",
        }
    }
}

/// One line of the popup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// What the popup shows (sanitised).
    pub label: String,
    /// What goes into the query, quoted as needed.
    pub insert: String,
    pub kind: CandidateKind,
}

impl Candidate {
    fn new(label: impl Into<String>, insert: impl Into<String>, kind: CandidateKind) -> Self {
        Self {
            label: label.into(),
            insert: insert.into(),
            kind,
        }
    }

    fn keyword(word: &str) -> Self {
        Self::new(word, word, CandidateKind::Keyword)
    }
}

/// How well `texts` match what was typed: 0 a prefix, 1 a substring, `None` no match.
fn rank(prefix: &str, texts: &[&str]) -> Option<u8> {
    if prefix.is_empty() {
        return Some(0);
    }
    let prefix = prefix.to_lowercase();
    let lower: Vec<String> = texts.iter().map(|t| t.to_lowercase()).collect();
    if lower.iter().any(|t| t.starts_with(&prefix)) {
        Some(0)
    } else if lower.iter().any(|t| t.contains(&prefix)) {
        Some(1)
    } else {
        None
    }
}

/// Keeps the candidates that match, best matches first, in their order otherwise.
fn ranked(prefix: &str, items: Vec<(Candidate, Vec<String>)>) -> Vec<Candidate> {
    let mut scored: Vec<(u8, Candidate)> = items
        .into_iter()
        .filter_map(|(c, texts)| {
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            rank(prefix, &refs).map(|r| (r, c))
        })
        .collect();
    scored.sort_by_key(|(r, _)| *r);
    let mut out: Vec<Candidate> = Vec::new();
    for (_, c) in scored {
        if !out.iter().any(|o| o.insert == c.insert) {
            out.push(c);
        }
    }
    out
}

fn field_candidates(prefix: &str, reference: Option<&Reference>, sort: bool) -> Vec<Candidate> {
    let mut items: Vec<(Candidate, Vec<String>)> = Vec::new();
    for f in reference.map_or(&[][..], |r| &r.fields) {
        if (sort && !f.orderable) || (!sort && !f.searchable) {
            continue;
        }
        let mut texts = vec![f.name.clone(), f.display.clone()];
        texts.extend(f.cfid.clone());
        items.push((
            Candidate::new(&f.display, f.insert_text(), CandidateKind::Field),
            texts,
        ));
    }
    if !sort {
        for kw in ["NOT", "ORDER BY"] {
            items.push((Candidate::keyword(kw), vec![kw.to_owned()]));
        }
    }
    ranked(prefix, items)
}

/// Values for the popup: what Jira suggested (`values`, `exact` when they answer this
/// very prefix, so no local filtering), functions that fit the field, and `EMPTY`.
fn value_candidates(
    prefix: &str,
    field: &str,
    op: &str,
    reference: Option<&Reference>,
    values: Option<(&[Suggestion], bool)>,
) -> Vec<Candidate> {
    if op == "IS" || op == "IS NOT" {
        return ranked(
            prefix,
            vec![(Candidate::keyword("EMPTY"), vec!["EMPTY".into()])],
        );
    }
    let mut out = Vec::new();
    if let Some((values, exact)) = values {
        for v in values {
            let c = Candidate::new(&v.label, quote_if_needed(&v.value), CandidateKind::Value);
            if exact || rank(prefix, &[&v.value, &v.label]).is_some() {
                out.push(c);
            }
        }
    }
    let field_ref = reference.and_then(|r| r.field(field));
    let list_op = op == "IN" || op == "NOT IN";
    let mut rest: Vec<(Candidate, Vec<String>)> = Vec::new();
    for f in reference.map_or(&[][..], |r| &r.functions) {
        let fits = field_ref.is_none_or(|fr| f.types.iter().any(|t| fr.types.contains(t)));
        if fits && (list_op || !f.is_list) {
            rest.push((
                Candidate::new(&f.display, &f.value, CandidateKind::Function),
                vec![f.value.clone()],
            ));
        }
    }
    if EMPTY_OPERATORS.contains(&op) {
        rest.push((Candidate::keyword("EMPTY"), vec!["EMPTY".into()]));
    }
    for c in ranked(prefix, rest) {
        if !out.iter().any(|o: &Candidate| o.insert == c.insert) {
            out.push(c);
        }
    }
    out
}

/// The candidates for `ctx`. `values` are Jira's suggestions for the field, when known.
pub fn candidates(
    ctx: &CompletionContext,
    reference: Option<&Reference>,
    values: Option<(&[Suggestion], bool)>,
) -> Vec<Candidate> {
    let prefix = ctx.prefix.as_str();
    let keywords = |words: &[&str]| {
        ranked(
            prefix,
            words
                .iter()
                .map(|w| (Candidate::keyword(w), vec![(*w).to_owned()]))
                .collect(),
        )
    };
    match &ctx.expect {
        Expect::Field => field_candidates(prefix, reference, false),
        Expect::SortField => field_candidates(prefix, reference, true),
        Expect::Operator { field } => {
            let ops: Vec<String> = match reference.and_then(|r| r.field(field)) {
                Some(f) if !f.operators.is_empty() => f.operators.clone(),
                _ => ALL_OPERATORS.iter().map(|o| (*o).to_owned()).collect(),
            };
            ranked(
                prefix,
                ops.into_iter()
                    .map(|o| {
                        (
                            Candidate::new(&o, &o, CandidateKind::Operator),
                            vec![o.clone()],
                        )
                    })
                    .collect(),
            )
        }
        Expect::Value { field, op, .. } => value_candidates(prefix, field, op, reference, values),
        Expect::AfterTerm => keywords(&["AND", "OR", "ORDER BY"]),
        Expect::By => keywords(&["BY"]),
        Expect::AfterSort => keywords(&["ASC", "DESC"]),
        Expect::Nothing => Vec::new(),
    }
}

/// The edit that accepts `candidate`: the byte range to replace and its replacement,
/// with a space before it where it would otherwise stick to the previous token and a
/// space after it where the next thing is typed (not inside `IN ( … )`).
pub fn accept_edit(
    text: &str,
    ctx: &CompletionContext,
    candidate: &Candidate,
) -> (Range<usize>, String) {
    let range = ctx.replace.start.min(text.len())..ctx.replace.end.min(text.len());
    let before = text[..range.start].chars().next_back();
    let after = text[range.end..].chars().next();
    let mut with = String::new();
    if range.is_empty() && before.is_some_and(|c| !c.is_whitespace() && c != '(') {
        with.push(' ');
    }
    with.push_str(&candidate.insert);
    let in_list = matches!(ctx.expect, Expect::Value { in_list: true, .. });
    let trailing = match after {
        None => !in_list,
        Some(c) => !(c.is_whitespace() || c == ')' || c == ','),
    };
    if trailing {
        with.push(' ');
    }
    (range, with)
}

/// The suggestions request for a context: the field as the reference data names it (its
/// `value`, which the suggestions endpoint takes back), and the typed prefix. `None` when
/// Jira cannot suggest values there.
pub fn values_query(ctx: &CompletionContext, reference: &Reference) -> Option<(String, String)> {
    let Expect::Value { field, op, .. } = &ctx.expect else {
        return None;
    };
    if op == "IS" || op == "IS NOT" {
        return None;
    }
    let f = reference.field(field)?;
    f.auto.then(|| (f.value.clone(), ctx.prefix.clone()))
}

/// The key suggestions are cached under: the field, and the prefix ignoring case (Jira
/// matches suggestions case-insensitively).
pub fn cache_key(field: &str, prefix: &str) -> (String, String) {
    (field.to_lowercase(), prefix.to_lowercase())
}

/// The popup under the JQL bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Popup {
    pub context: CompletionContext,
    pub items: Vec<Candidate>,
    pub selected: usize,
    /// First visible row; drawing keeps the selection in view.
    pub offset: Cell<usize>,
    /// Waiting for Jira (reference data or value suggestions).
    pub loading: bool,
    /// Why there is nothing to offer, when a request failed.
    pub error: Option<String>,
}

impl Popup {
    pub fn selected_item(&self) -> Option<&Candidate> {
        self.items.get(self.selected)
    }

    /// Moves the selection, wrapping around at both ends.
    pub fn select_by(&mut self, delta: isize) {
        let len = self.items.len();
        if len == 0 {
            self.selected = 0;
            return;
        }
        let len = len as isize;
        self.selected = (self.selected as isize + delta).rem_euclid(len) as usize;
    }

    /// What the popup's title says it offers.
    pub fn title(&self) -> String {
        match &self.context.expect {
            Expect::Field => "fields".into(),
            Expect::SortField => "sort by".into(),
            Expect::Operator { field } => format!("operators · {}", clean(field)),
            Expect::Value { field, .. } => format!("values · {}", clean(field)),
            Expect::AfterTerm | Expect::By | Expect::AfterSort => "keywords".into(),
            Expect::Nothing => "no completion here".into(),
        }
    }
}

/// A value-suggestions request in flight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValuesRequest {
    pub id: RequestId,
    pub key: (String, String),
}

/// Everything completion keeps for the session.
#[derive(Debug, Default)]
pub struct CompletionState {
    /// `/jql/autocompletedata`, fetched on first use.
    pub reference_status: LoadStatus,
    pub reference: Option<Reference>,
    /// Suggestions per `cache_key(field, prefix)`, for the session.
    pub values: HashMap<(String, String), Vec<Suggestion>>,
    /// The error of the last failed suggestions request, per key.
    pub values_errors: HashMap<(String, String), String>,
    pub popup: Option<Popup>,
    /// The latest debounce timer; a timer with any other id is stale.
    pub debounce: Option<RequestId>,
    pub request: Option<ValuesRequest>,
}

impl CompletionState {
    pub fn is_busy(&self) -> bool {
        self.reference_status.is_loading() || self.request.is_some()
    }

    /// Suggestions to show for `key` now: the exact answer, or, while that is awaited,
    /// the answer for the longest shorter prefix (filtered locally).
    pub fn values_for(&self, key: &(String, String)) -> Option<(&[Suggestion], bool)> {
        if let Some(v) = self.values.get(key) {
            return Some((v.as_slice(), true));
        }
        let (field, prefix) = key;
        prefix
            .char_indices()
            .map(|(i, _)| i)
            .rev()
            .find_map(|i| self.values.get(&(field.clone(), prefix[..i].to_owned())))
            .map(|v| (v.as_slice(), false))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jira::models::{AutocompleteField, AutocompleteFunction};

    fn ctx(text_with_cursor: &str) -> CompletionContext {
        let cursor = text_with_cursor.find('|').expect("a | marks the cursor");
        let text = text_with_cursor.replacen('|', "", 1);
        context_at(&text, cursor)
    }

    fn field(value: &str, display: &str, ops: &[&str], types: &[&str]) -> AutocompleteField {
        AutocompleteField {
            value: value.into(),
            display_name: display.into(),
            orderable: true,
            searchable: true,
            auto: true,
            cfid: None,
            operators: ops.iter().map(|o| (*o).into()).collect(),
            types: types.iter().map(|t| (*t).into()).collect(),
        }
    }

    fn reference() -> Reference {
        let user = "com.atlassian.jira.user.ApplicationUser";
        let visible_field_names = vec![
            field(
                "status",
                "status",
                &["=", "!=", "in", "not in", "was"],
                &["Status"],
            ),
            field(
                "statusCategory",
                "statusCategory",
                &["=", "!=", "in"],
                &["Category"],
            ),
            field(
                "assignee",
                "assignee",
                &["=", "!=", "in", "is", "is not"],
                &[user],
            ),
            AutocompleteField {
                cfid: Some("cf[10016]".into()),
                auto: false,
                ..field(
                    "\"Story Points\"",
                    "Story Points - cf[10016]",
                    &["=", ">", "<", "is"],
                    &["java.lang.Number"],
                )
            },
            AutocompleteField {
                searchable: false,
                ..field("lastViewed", "lastViewed", &[], &[])
            },
            AutocompleteField {
                orderable: false,
                auto: false,
                ..field("text", "text", &["~"], &["java.lang.String"])
            },
        ];
        let visible_function_names = vec![
            AutocompleteFunction {
                value: "currentUser()".into(),
                display_name: "currentUser()".into(),
                is_list: false,
                types: vec![user.into()],
            },
            AutocompleteFunction {
                value: "membersOf()".into(),
                display_name: "membersOf()".into(),
                is_list: true,
                types: vec![user.into()],
            },
            AutocompleteFunction {
                value: "now()".into(),
                display_name: "now()".into(),
                is_list: false,
                types: vec!["java.util.Date".into()],
            },
        ];
        Reference::from_data(&JqlAutocompleteData {
            visible_field_names,
            visible_function_names,
            ..JqlAutocompleteData::default()
        })
    }

    fn inserts(cands: &[Candidate]) -> Vec<&str> {
        cands.iter().map(|c| c.insert.as_str()).collect()
    }

    #[test]
    fn field_position_at_the_start_and_after_and_or_not_and_parens() {
        for text in [
            "|",
            "sta|",
            "a = b AND |",
            "a = b or st|",
            "NOT |",
            "(|",
            "a = b AND (NOT st|",
        ] {
            assert_eq!(ctx(text).expect, Expect::Field, "{text}");
        }
        let c = ctx("project = NAV AND sta|");
        assert_eq!(c.prefix, "sta");
        assert_eq!(c.replace, 18..21);
    }

    #[test]
    fn operator_position_knows_its_field() {
        let c = ctx("status |");
        assert_eq!(
            c.expect,
            Expect::Operator {
                field: "status".into()
            }
        );
        assert_eq!(c.replace, 7..7);
        assert_eq!(
            ctx("\"Story Points\" |").expect,
            Expect::Operator {
                field: "Story Points".into()
            }
        );
        assert_eq!(
            ctx("cf[10016] |").expect,
            Expect::Operator {
                field: "cf[10016]".into()
            }
        );
        // Typing the operator word.
        let c = ctx("assignee no|");
        assert_eq!(
            c.expect,
            Expect::Operator {
                field: "assignee".into()
            }
        );
        assert_eq!(c.prefix, "no");
    }

    #[test]
    fn value_position_knows_field_operator_and_lists() {
        let c = ctx("assignee = pri|");
        assert_eq!(
            c.expect,
            Expect::Value {
                field: "assignee".into(),
                op: "=".into(),
                in_list: false
            }
        );
        assert_eq!(c.prefix, "pri");
        assert_eq!(c.replace, 11..14);
        let c = ctx("status not in (Done, |");
        assert_eq!(
            c.expect,
            Expect::Value {
                field: "status".into(),
                op: "NOT IN".into(),
                in_list: true
            }
        );
        assert_eq!(
            ctx("assignee is not |").expect,
            Expect::Value {
                field: "assignee".into(),
                op: "IS NOT".into(),
                in_list: false
            }
        );
        // A quoted value being typed, even unterminated: the prefix is its content.
        let c = ctx("status = \"In Pro|");
        assert_eq!(c.prefix, "In Pro");
        assert_eq!(c.replace, 9..16);
        // Cursor in the middle of a word: the prefix stops at the cursor, the whole
        // word is replaced.
        let c = ctx("status = Do|ne AND x = y");
        assert_eq!(c.prefix, "Do");
        assert_eq!(c.replace, 9..13);
    }

    #[test]
    fn keyword_positions_and_order_by() {
        assert_eq!(ctx("status = Done |").expect, Expect::AfterTerm);
        assert_eq!(ctx("a in (x, y) |").expect, Expect::AfterTerm);
        assert_eq!(ctx("a = currentUser() |").expect, Expect::AfterTerm);
        assert_eq!(ctx("a = b ORDER |").expect, Expect::By);
        assert_eq!(ctx("a = b ORDER BY up|").expect, Expect::SortField);
        assert_eq!(ctx("ORDER BY |").expect, Expect::SortField);
        assert_eq!(ctx("a = b ORDER BY updated |").expect, Expect::AfterSort);
        assert_eq!(
            ctx("a = b ORDER BY updated DESC, |").expect,
            Expect::SortField
        );
        assert_eq!(ctx("a = startOfDay(|").expect, Expect::Nothing);
    }

    #[test]
    fn custom_field_ids_are_one_word() {
        let c = ctx("cf[100|");
        assert_eq!(c.expect, Expect::Field);
        assert_eq!(c.prefix, "cf[100");
        assert_eq!(c.replace, 0..6);
        let c = ctx("a = b AND cf[|");
        assert_eq!(c.prefix, "cf[");
        assert_eq!(c.replace, 10..13);
        let cands = candidates(&ctx("cf[100|"), Some(&reference()), None);
        assert_eq!(inserts(&cands), ["\"Story Points\""]);
    }

    #[test]
    fn fields_match_names_and_display_names_prefix_first_and_quote_when_needed() {
        let r = reference();
        let cands = candidates(&ctx("sta|"), Some(&r), None);
        assert_eq!(inserts(&cands), ["status", "statusCategory"]);
        let cands = candidates(&ctx("poin|"), Some(&r), None);
        assert_eq!(inserts(&cands), ["\"Story Points\""]);
        assert_eq!(cands[0].label, "Story Points - cf[10016]");
        // Unsearchable fields are not offered for searching, unorderable not for sorting.
        let all = candidates(&ctx("|"), Some(&r), None);
        assert!(!inserts(&all).contains(&"lastViewed"));
        assert!(inserts(&all).ends_with(&["NOT", "ORDER BY"]));
        let sort = candidates(&ctx("ORDER BY |"), Some(&r), None);
        assert!(inserts(&sort).contains(&"lastViewed"));
        assert!(!inserts(&sort).contains(&"text"));
    }

    #[test]
    fn a_field_whose_name_needs_quotes_is_quoted() {
        let data = JqlAutocompleteData {
            visible_field_names: vec![
                field("Epic Link", "Epic Link", &["="], &[]),
                field(
                    "\"Component[Dropdown]\"",
                    "Component - Component[Dropdown]",
                    &["="],
                    &[],
                ),
                field("cf[10880]", "Sprint - cf[10880]", &["="], &[]),
                field("order", "order", &["="], &[]),
            ],
            ..JqlAutocompleteData::default()
        };
        let r = Reference::from_data(&data);
        let cands = candidates(&ctx("|"), Some(&r), None);
        assert_eq!(
            &inserts(&cands)[..4],
            [
                "\"Epic Link\"",
                "\"Component[Dropdown]\"",
                "cf[10880]",
                "\"order\""
            ]
        );
    }

    #[test]
    fn operators_come_from_the_field_or_all_of_them() {
        let r = reference();
        let cands = candidates(&ctx("status |"), Some(&r), None);
        assert_eq!(inserts(&cands), ["=", "!=", "IN", "NOT IN", "WAS"]);
        let cands = candidates(&ctx("status n|"), Some(&r), None);
        assert_eq!(inserts(&cands), ["NOT IN", "IN"]);
        let cands = candidates(&ctx("mystery |"), Some(&r), None);
        assert_eq!(cands.len(), ALL_OPERATORS.len());
    }

    #[test]
    fn values_are_suggestions_then_fitting_functions_then_empty() {
        let r = reference();
        let values = [
            Suggestion {
                value: "acc-priya".into(),
                label: "Priya Nair".into(),
            },
            Suggestion {
                value: "In Progress".into(),
                label: "In Progress".into(),
            },
        ];
        let c = ctx("assignee = |");
        let cands = candidates(&c, Some(&r), Some((&values, true)));
        assert_eq!(
            inserts(&cands),
            ["acc-priya", "\"In Progress\"", "currentUser()", "EMPTY"],
            "list functions only after IN; date functions never for a user field"
        );
        let cands = candidates(&ctx("assignee in (|"), Some(&r), None);
        assert_eq!(inserts(&cands), ["currentUser()", "membersOf()", "EMPTY"]);
        let cands = candidates(&ctx("assignee is |"), Some(&r), None);
        assert_eq!(inserts(&cands), ["EMPTY"]);
        // An older, shorter prefix's answer is filtered locally until the exact one comes.
        let c = ctx("assignee = pri|");
        let cands = candidates(&c, Some(&r), Some((&values, false)));
        assert_eq!(inserts(&cands), ["acc-priya"]);
    }

    #[test]
    fn values_query_only_for_fields_jira_can_suggest() {
        let r = reference();
        assert_eq!(
            values_query(&ctx("assignee = Pri|"), &r),
            Some(("assignee".into(), "Pri".into()))
        );
        assert_eq!(
            values_query(&ctx("\"Story Points\" = |"), &r),
            None,
            "not auto"
        );
        assert_eq!(values_query(&ctx("assignee is |"), &r), None);
        assert_eq!(values_query(&ctx("assignee |"), &r), None);
        assert_eq!(values_query(&ctx("mystery = x|"), &r), None);
    }

    fn accept(text_with_cursor: &str, insert: &str, kind: CandidateKind) -> String {
        let cursor = text_with_cursor.find('|').unwrap();
        let mut text = text_with_cursor.replacen('|', "", 1);
        let c = context_at(&text, cursor);
        let (range, with) = accept_edit(&text, &c, &Candidate::new(insert, insert, kind));
        let at = range.start + with.len();
        text.replace_range(range, &with);
        text.insert(at, '|');
        text
    }

    #[test]
    fn accepting_replaces_the_word_and_spaces_naturally() {
        use CandidateKind::*;
        assert_eq!(accept("sta|", "status", Field), "status |");
        assert_eq!(
            accept("a = b AND sta|tus = x", "statusCategory", Field),
            "a = b AND statusCategory| = x"
        );
        assert_eq!(accept("status |", "IN", Operator), "status IN |");
        assert_eq!(accept("status|", "status", Field), "status |");
        assert_eq!(accept("status=|", "Done", Value), "status= Done |");
        assert_eq!(accept("status in (|", "Done", Value), "status in (Done|");
        assert_eq!(
            accept("status in (Done,|)", "\"To Do\"", Value),
            "status in (Done, \"To Do\"|)"
        );
        assert_eq!(
            accept("status = \"In Pro|", "\"In Progress\"", Value),
            "status = \"In Progress\" |"
        );
        assert_eq!(
            accept("cf[10|", "\"Story Points\"", Field),
            "\"Story Points\" |"
        );
        assert_eq!(accept("a = b |", "ORDER BY", Keyword), "a = b ORDER BY |");
    }

    #[test]
    fn cached_values_fall_back_to_a_shorter_prefix() {
        let mut state = CompletionState::default();
        let v = vec![Suggestion {
            value: "x".into(),
            label: "x".into(),
        }];
        state.values.insert(cache_key("assignee", "p"), v);
        let (got, exact) = state.values_for(&cache_key("assignee", "pri")).unwrap();
        assert_eq!((got.len(), exact), (1, false));
        assert!(state.values_for(&cache_key("reporter", "pri")).is_none());
        assert!(state.values_for(&cache_key("assignee", "p")).unwrap().1);
    }
}
