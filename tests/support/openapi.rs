//! A small OpenAPI 3.0 schema validator, enough for Atlassian's Jira spec: `$ref` into the
//! document, `type`, `nullable`, `enum`, `properties`/`required`/`additionalProperties`,
//! `items`, `allOf`/`oneOf`/`anyOf`, `maxLength`, `minimum`/`maximum`. Unknown keywords
//! (`format`, `readOnly`, `xml`, `discriminator`...) are ignored. Errors name the JSON path
//! and the schema they broke.

#![allow(dead_code)]

use std::path::Path;

use serde_json::Value;

/// A loaded OpenAPI document.
#[derive(Debug)]
pub struct Spec {
    doc: Value,
}

/// One validation failure: where in the value, and what was wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    pub path: String,
    pub message: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

impl Spec {
    pub fn load(path: impl AsRef<Path>) -> Self {
        let text = std::fs::read_to_string(path.as_ref()).expect("spec file reads");
        Self::from_value(serde_json::from_str(&text).expect("spec is JSON"))
    }

    pub fn from_value(doc: Value) -> Self {
        Self { doc }
    }

    /// `paths[path][method].responses[status].content["application/json"].schema`.
    pub fn response_schema(&self, path: &str, method: &str, status: u16) -> Option<&Value> {
        self.response(path, method, status)?
            .get("content")?
            .get("application/json")?
            .get("schema")
    }

    /// The declared response for a status, with or without a body schema.
    pub fn response(&self, path: &str, method: &str, status: u16) -> Option<&Value> {
        self.doc
            .get("paths")?
            .get(path)?
            .get(method.to_ascii_lowercase())?
            .get("responses")?
            .get(status.to_string())
    }

    /// `#/components/schemas/{name}`.
    pub fn schema(&self, name: &str) -> Option<&Value> {
        self.doc.get("components")?.get("schemas")?.get(name)
    }

    pub fn validator(&self) -> Validator<'_> {
        Validator {
            spec: self,
            allowed_extra: Vec::new(),
        }
    }

    fn resolve(&self, reference: &str) -> Option<&Value> {
        let pointer = reference.strip_prefix('#')?;
        self.doc.pointer(pointer)
    }
}

/// Validates values against schemas of one spec.
#[derive(Debug, Clone)]
pub struct Validator<'a> {
    spec: &'a Spec,
    /// (schema name, property) pairs accepted despite `additionalProperties: false`:
    /// members real Jira sends that the spec forgot. Each use must say where it was seen.
    allowed_extra: Vec<(String, String)>,
}

impl<'a> Validator<'a> {
    /// Accepts `property` on objects of component schema `schema` although the spec omits it.
    pub fn allow_extra(mut self, schema: &str, property: &str) -> Self {
        self.allowed_extra
            .push((schema.to_owned(), property.to_owned()));
        self
    }

    /// Every violation of `schema` by `value` (empty when valid).
    pub fn validate(&self, schema: &Value, value: &Value) -> Vec<Violation> {
        let mut out = Vec::new();
        self.check(schema, value, "$", None, &mut out);
        out
    }

    /// Validates against `#/components/schemas/{name}`.
    pub fn validate_named(&self, name: &str, value: &Value) -> Vec<Violation> {
        let schema = serde_json::json!({ "$ref": format!("#/components/schemas/{name}") });
        self.validate(&schema, value)
    }

    fn fail(out: &mut Vec<Violation>, path: &str, name: Option<&str>, message: String) {
        let message = match name {
            Some(name) => format!("({name}) {message}"),
            None => message,
        };
        out.push(Violation {
            path: path.to_owned(),
            message,
        });
    }

    fn check(
        &self,
        schema: &Value,
        value: &Value,
        path: &str,
        name: Option<&str>,
        out: &mut Vec<Violation>,
    ) {
        let Some(obj) = schema.as_object() else {
            // `true`/`{}`-like schemas accept anything.
            if schema == &Value::Bool(false) {
                Self::fail(out, path, name, "no value is allowed here".into());
            }
            return;
        };
        if let Some(reference) = obj.get("$ref").and_then(Value::as_str) {
            let Some(target) = self.spec.resolve(reference) else {
                Self::fail(out, path, name, format!("unresolvable $ref {reference}"));
                return;
            };
            let target_name = reference.rsplit('/').next();
            // In OpenAPI 3.0 siblings of `$ref` are ignored.
            self.check(target, value, path, target_name, out);
            return;
        }
        let nullable = obj
            .get("nullable")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if value.is_null() && nullable {
            return;
        }
        for sub in obj
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            self.check(sub, value, path, name, out);
        }
        if let Some(options) = obj.get("anyOf").and_then(Value::as_array) {
            let passing = options
                .iter()
                .filter(|s| self.validate_at(s, value, path, name).is_empty())
                .count();
            if passing == 0 {
                Self::fail(
                    out,
                    path,
                    name,
                    format!("matches none of {} anyOf schemas", options.len()),
                );
            }
        }
        if let Some(options) = obj.get("oneOf").and_then(Value::as_array) {
            let passing = options
                .iter()
                .filter(|s| self.validate_at(s, value, path, name).is_empty())
                .count();
            if passing != 1 {
                Self::fail(
                    out,
                    path,
                    name,
                    format!(
                        "matches {passing} of {} oneOf schemas, expected exactly one",
                        options.len()
                    ),
                );
            }
        }
        if let Some(kind) = obj.get("type").and_then(Value::as_str) {
            let fits = match kind {
                "string" => value.is_string(),
                "number" => value.is_number(),
                "integer" => value.is_i64() || value.is_u64(),
                "boolean" => value.is_boolean(),
                "array" => value.is_array(),
                "object" => value.is_object(),
                _ => true,
            };
            if !fits {
                Self::fail(
                    out,
                    path,
                    name,
                    format!("expected {kind}, got {}", describe(value)),
                );
                return;
            }
        } else if value.is_null() && !obj.is_empty() && has_constraints(obj) {
            Self::fail(
                out,
                path,
                name,
                "null is not allowed (schema is not nullable)".into(),
            );
            return;
        }
        if let Some(allowed) = obj.get("enum").and_then(Value::as_array)
            && !allowed.contains(value)
        {
            Self::fail(
                out,
                path,
                name,
                format!("{value} is not one of {}", Value::Array(allowed.clone())),
            );
        }
        if let (Some(max), Some(text)) =
            (obj.get("maxLength").and_then(Value::as_u64), value.as_str())
            && text.chars().count() as u64 > max
        {
            Self::fail(out, path, name, format!("longer than maxLength {max}"));
        }
        if let Some(n) = value.as_f64() {
            if let Some(min) = obj.get("minimum").and_then(Value::as_f64)
                && n < min
            {
                Self::fail(out, path, name, format!("{n} is below minimum {min}"));
            }
            if let Some(max) = obj.get("maximum").and_then(Value::as_f64)
                && n > max
            {
                Self::fail(out, path, name, format!("{n} is above maximum {max}"));
            }
        }
        if let (Some(items), Some(item_schema)) = (value.as_array(), obj.get("items")) {
            for (i, item) in items.iter().enumerate() {
                self.check(item_schema, item, &format!("{path}[{i}]"), None, out);
            }
        }
        if let Some(members) = value.as_object() {
            let properties = obj.get("properties").and_then(Value::as_object);
            for required in obj
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let Some(key) = required.as_str()
                    && !members.contains_key(key)
                {
                    Self::fail(
                        out,
                        path,
                        name,
                        format!("missing required property '{key}'"),
                    );
                }
            }
            for (key, member) in members {
                let member_path = format!("{path}.{key}");
                match properties.and_then(|p| p.get(key)) {
                    Some(property) => self.check(property, member, &member_path, None, out),
                    None => match obj.get("additionalProperties") {
                        Some(Value::Bool(false)) => {
                            let allowed = name.is_some_and(|n| {
                                self.allowed_extra.iter().any(|(s, p)| s == n && p == key)
                            });
                            if !allowed {
                                Self::fail(out, path, name, format!("unexpected property '{key}'"));
                            }
                        }
                        Some(extra @ Value::Object(_)) => {
                            self.check(extra, member, &member_path, None, out)
                        }
                        _ => {}
                    },
                }
            }
        }
    }

    fn validate_at(
        &self,
        schema: &Value,
        value: &Value,
        path: &str,
        name: Option<&str>,
    ) -> Vec<Violation> {
        let mut out = Vec::new();
        self.check(schema, value, path, name, &mut out);
        out
    }
}

/// Whether a schema without `type` still constrains its value (so `null` must be rejected).
fn has_constraints(obj: &serde_json::Map<String, Value>) -> bool {
    ["properties", "items", "enum", "required"]
        .iter()
        .any(|k| obj.contains_key(*k))
}

fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("boolean {b}"),
        Value::Number(n) => format!("number {n}"),
        Value::String(s) if s.chars().count() > 40 => {
            format!("string \"{}...\"", s.chars().take(40).collect::<String>())
        }
        Value::String(s) => format!("string \"{s}\""),
        Value::Array(_) => "array".into(),
        Value::Object(_) => "object".into(),
    }
}
