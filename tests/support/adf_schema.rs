//! A validator for Atlassian Document Format against Atlassian's own JSON Schema
//! (`tests/fixtures/adf/adf-schema-v1.json`, Draft-04).
//!
//! The schema uses only a small set of keywords, so a compact validator lives here instead
//! of a large dependency; `tests/seed_adf.rs` shows it rejects what the schema forbids.

#![allow(dead_code)]

use std::collections::{BTreeSet, HashMap};

use regex::Regex;
use serde_json::Value;

const SCHEMA: &str = include_str!("../fixtures/adf/adf-schema-v1.json");

/// A Draft-04 validator for the keywords the ADF schema uses: `$ref` (local), `type`,
/// `enum`, `properties`, `required`, `additionalProperties`, `items` (schema or tuple),
/// `minItems`, `maxItems`, `minLength`, `minimum`, `maximum`, `pattern`, `anyOf`,
/// `allOf`, `oneOf`, `not`.
pub struct Validator {
    root: Value,
    patterns: HashMap<String, Regex>,
}

/// Keywords this validator understands; anything else in the schema fails the build of
/// the validator, so a schema update cannot silently skip checks.
const KNOWN_KEYWORDS: &[&str] = &[
    "$ref",
    "$schema",
    "description",
    "definitions",
    "type",
    "enum",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "minItems",
    "maxItems",
    "minLength",
    "minimum",
    "maximum",
    "pattern",
    "anyOf",
    "allOf",
    "oneOf",
    "not",
];

impl Validator {
    pub fn new(root: Value) -> Self {
        let mut patterns = HashMap::new();
        let mut unknown = BTreeSet::new();
        collect(&root, &mut patterns, &mut unknown);
        assert!(
            unknown.is_empty(),
            "schema uses unsupported keywords: {unknown:?}"
        );
        Self { root, patterns }
    }

    pub fn validate(&self, doc: &Value) -> Result<(), String> {
        self.check(&self.root, doc, "$")
    }

    fn resolve<'a>(&'a self, reference: &str) -> Result<&'a Value, String> {
        let pointer = reference
            .strip_prefix('#')
            .ok_or_else(|| format!("non-local $ref {reference}"))?;
        self.root
            .pointer(pointer)
            .ok_or_else(|| format!("dangling $ref {reference}"))
    }

    fn check(&self, schema: &Value, v: &Value, path: &str) -> Result<(), String> {
        let Some(s) = schema.as_object() else {
            return Ok(());
        };
        if let Some(r) = s.get("$ref").and_then(Value::as_str) {
            // Draft-04: siblings of $ref are ignored.
            return self.check(self.resolve(r)?, v, path);
        }
        if let Some(t) = s.get("type") {
            let types: Vec<&str> = match t {
                Value::String(one) => vec![one.as_str()],
                Value::Array(many) => many.iter().filter_map(Value::as_str).collect(),
                _ => vec![],
            };
            if !types.iter().any(|t| type_matches(t, v)) {
                return Err(format!("{path}: expected type {types:?}, got {v}"));
            }
        }
        if let Some(options) = s.get("enum").and_then(Value::as_array)
            && !options.contains(v)
        {
            return Err(format!("{path}: {v} not in {options:?}"));
        }
        if let Some(text) = v.as_str() {
            if let Some(min) = s.get("minLength").and_then(Value::as_u64)
                && (text.chars().count() as u64) < min
            {
                return Err(format!("{path}: string shorter than {min}"));
            }
            if let Some(p) = s.get("pattern").and_then(Value::as_str)
                && !self.patterns[p].is_match(text)
            {
                return Err(format!("{path}: {text:?} does not match {p}"));
            }
        }
        if let Some(n) = v.as_f64() {
            if let Some(min) = s.get("minimum").and_then(Value::as_f64)
                && n < min
            {
                return Err(format!("{path}: {n} < minimum {min}"));
            }
            if let Some(max) = s.get("maximum").and_then(Value::as_f64)
                && n > max
            {
                return Err(format!("{path}: {n} > maximum {max}"));
            }
        }
        if let Some(obj) = v.as_object() {
            let props = s.get("properties").and_then(Value::as_object);
            for key in s
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let key = key.as_str().unwrap_or_default();
                if !obj.contains_key(key) {
                    return Err(format!("{path}: missing required {key:?}"));
                }
            }
            // `type` first: a wrong anyOf branch then fails before validating the content,
            // which keeps deep documents linear instead of exponential.
            let keys = obj
                .iter()
                .filter(|(k, _)| *k == "type")
                .chain(obj.iter().filter(|(k, _)| *k != "type"));
            for (key, value) in keys {
                let sub = format!("{path}.{key}");
                match props.and_then(|p| p.get(key)) {
                    Some(prop) => self.check(prop, value, &sub)?,
                    None => match s.get("additionalProperties") {
                        Some(Value::Bool(false)) => {
                            return Err(format!("{path}: property {key:?} not allowed"));
                        }
                        Some(extra @ Value::Object(_)) => self.check(extra, value, &sub)?,
                        _ => {}
                    },
                }
            }
        }
        if let Some(items) = v.as_array() {
            if let Some(min) = s.get("minItems").and_then(Value::as_u64)
                && (items.len() as u64) < min
            {
                return Err(format!("{path}: fewer than {min} items"));
            }
            if let Some(max) = s.get("maxItems").and_then(Value::as_u64)
                && (items.len() as u64) > max
            {
                return Err(format!("{path}: more than {max} items"));
            }
            match s.get("items") {
                Some(each @ Value::Object(_)) => {
                    for (i, item) in items.iter().enumerate() {
                        self.check(each, item, &format!("{path}[{i}]"))?;
                    }
                }
                // A tuple: positional schemas; extra items are allowed (no additionalItems).
                Some(Value::Array(tuple)) => {
                    for (i, (schema, item)) in tuple.iter().zip(items).enumerate() {
                        self.check(schema, item, &format!("{path}[{i}]"))?;
                    }
                }
                _ => {}
            }
        }
        if let Some(all) = s.get("allOf").and_then(Value::as_array) {
            for sub in all {
                self.check(sub, v, path)?;
            }
        }
        if let Some(any) = s.get("anyOf").and_then(Value::as_array) {
            let mut errors = Vec::new();
            for sub in any {
                match self.check(sub, v, path) {
                    Ok(()) => {
                        errors.clear();
                        break;
                    }
                    Err(e) => errors.push(e),
                }
            }
            if !errors.is_empty() {
                return Err(best_error(path, v, errors));
            }
        }
        if let Some(one) = s.get("oneOf").and_then(Value::as_array) {
            let matches = one
                .iter()
                .filter(|sub| self.check(sub, v, path).is_ok())
                .count();
            if matches != 1 {
                return Err(format!("{path}: {matches} oneOf branches match"));
            }
        }
        if let Some(not) = s.get("not")
            && self.check(not, v, path).is_ok()
        {
            return Err(format!("{path}: matches a forbidden schema"));
        }
        Ok(())
    }
}

/// For an anyOf failure, the deepest branch error is usually the informative one.
fn best_error(path: &str, v: &Value, errors: Vec<String>) -> String {
    let deepest = errors
        .into_iter()
        .max_by_key(|e| e.split(':').next().map_or(0, str::len));
    let kind = v.get("type").and_then(Value::as_str).unwrap_or("?");
    format!(
        "{path}: no anyOf branch accepts this {kind} node; closest: {}",
        deepest.unwrap_or_default()
    )
}

fn type_matches(t: &str, v: &Value) -> bool {
    match t {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "boolean" => v.is_boolean(),
        "null" => v.is_null(),
        "number" => v.is_number(),
        "integer" => v.as_f64().is_some_and(|n| n.fract() == 0.0),
        _ => false,
    }
}

fn collect(schema: &Value, patterns: &mut HashMap<String, Regex>, unknown: &mut BTreeSet<String>) {
    match schema {
        Value::Object(map) => {
            for (key, value) in map {
                if !KNOWN_KEYWORDS.contains(&key.as_str()) {
                    unknown.insert(key.clone());
                }
                match key.as_str() {
                    "pattern" => {
                        let p = value.as_str().expect("pattern is a string");
                        let re = Regex::new(p).expect("schema pattern compiles");
                        patterns.insert(p.to_string(), re);
                    }
                    // Keys of these maps are names, not keywords.
                    "properties" | "definitions" => {
                        for sub in value.as_object().expect("a map of schemas").values() {
                            collect(sub, patterns, unknown);
                        }
                    }
                    "enum" => {}
                    _ => collect(value, patterns, unknown),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|i| collect(i, patterns, unknown)),
        _ => {}
    }
}

/// The validator for the ADF schema fixture.
pub fn validator() -> Validator {
    Validator::new(serde_json::from_str(SCHEMA).expect("the ADF schema fixture is JSON"))
}
