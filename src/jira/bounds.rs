//! Limits on what one answer from Jira may cost: its size, and how deeply its JSON nests.
//!
//! A broken or hostile server (or a pathological document someone pasted into a ticket)
//! must cost a bounded amount of memory and time and never overflow the stack. The body
//! limit is enforced while reading; the depth limit by [`limit_depth`], which replaces
//! anything nested deeper than [`MAX_JSON_DEPTH`] with `null` before decoding, so the
//! rest of the issue still shows (serde_json would otherwise refuse the whole body at
//! its recursion limit of 128).

use std::borrow::Cow;

/// Largest response body accepted. A page of 100 issues with every field is a few MB;
/// four times the biggest real answer seen still fits.
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;
/// Deepest JSON nesting kept. Under serde_json's own limit (128) with room to spare; an
/// ADF node costs two levels (object and `content` array), so documents keep about 45
/// levels, far more than any editor produces.
pub const MAX_JSON_DEPTH: usize = 100;
/// What takes the place of a value nested too deeply.
const PRUNED: &[u8] = b"null";

/// `body` with every value nested deeper than `max_depth` replaced by `null`, borrowed
/// when nothing is that deep (the common case costs one scan). Works on bytes, without
/// recursion, and never fails: text that is not JSON comes back as it was, for the
/// decoder to reject with its own message.
pub fn limit_depth(body: &[u8], max_depth: usize) -> Cow<'_, [u8]> {
    if max_nesting(body) <= max_depth {
        return Cow::Borrowed(body);
    }
    let mut out = Vec::with_capacity(body.len().min(1 << 20));
    let mut depth = 0usize;
    let mut skip_from: Option<usize> = None;
    let mut scan = Scanner::default();
    for &b in body {
        let event = scan.step(b);
        match skip_from {
            Some(level) => {
                match event {
                    Event::Open => depth += 1,
                    Event::Close => depth = depth.saturating_sub(1),
                    Event::Other => {}
                }
                if depth < level {
                    skip_from = None;
                }
            }
            None => match event {
                Event::Open if depth == max_depth => {
                    depth += 1;
                    skip_from = Some(depth);
                    out.extend_from_slice(PRUNED);
                }
                Event::Open => {
                    depth += 1;
                    out.push(b);
                }
                Event::Close => {
                    depth = depth.saturating_sub(1);
                    out.push(b);
                }
                Event::Other => out.push(b),
            },
        }
    }
    Cow::Owned(out)
}

/// The deepest nesting of objects and arrays in `body` (outside strings).
pub fn max_nesting(body: &[u8]) -> usize {
    let mut scan = Scanner::default();
    let (mut depth, mut deepest) = (0usize, 0usize);
    for &b in body {
        match scan.step(b) {
            Event::Open => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            Event::Close => depth = depth.saturating_sub(1),
            Event::Other => {}
        }
    }
    deepest
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Event {
    Open,
    Close,
    Other,
}

/// Tells brackets that structure the JSON from brackets inside strings.
#[derive(Debug, Default)]
struct Scanner {
    in_string: bool,
    escaped: bool,
}

impl Scanner {
    fn step(&mut self, b: u8) -> Event {
        if self.in_string {
            if self.escaped {
                self.escaped = false;
            } else if b == b'\\' {
                self.escaped = true;
            } else if b == b'"' {
                self.in_string = false;
            }
            return Event::Other;
        }
        match b {
            b'"' => {
                self.in_string = true;
                Event::Other
            }
            b'{' | b'[' => Event::Open,
            b'}' | b']' => Event::Close,
            _ => Event::Other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::{Value, json};

    fn nested(depth: usize) -> String {
        // Built as text: a Value this deep would overflow the stack when dropped.
        let mut s = String::new();
        for _ in 0..depth {
            s.push_str(r#"{"a":["#);
        }
        s.push('1');
        for _ in 0..depth {
            s.push_str("]}");
        }
        s
    }

    #[test]
    fn shallow_bodies_are_borrowed() {
        let body = br#"{"a":[1,{"b":"[[[{{{"}]}"#;
        assert!(matches!(limit_depth(body, 3), Cow::Borrowed(_)));
        assert_eq!(max_nesting(body), 3, "brackets in strings do not count");
    }

    #[test]
    fn deep_values_become_null() {
        let body = br#"{"keep":{"x":1},"deep":{"y":{"z":[1]}},"after":"ok"}"#;
        let out = limit_depth(body, 2);
        let v: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(
            v,
            json!({"keep": {"x": 1}, "deep": {"y": null}, "after": "ok"})
        );
    }

    #[test]
    fn escaped_quotes_do_not_confuse_the_scanner() {
        let body = br#"{"s":"a\"{[","t":[[1]]}"#;
        let out = limit_depth(body, 2);
        let v: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v, json!({"s": "a\"{[", "t": [null]}));
    }

    #[test]
    fn ten_thousand_levels_decode_after_pruning() {
        let body = nested(10_000);
        assert!(
            serde_json::from_str::<Value>(&body).is_err(),
            "serde refuses it"
        );
        let out = limit_depth(body.as_bytes(), MAX_JSON_DEPTH);
        assert_eq!(max_nesting(&out), MAX_JSON_DEPTH);
        let v: Value = serde_json::from_slice(&out).unwrap();
        assert!(v.get("a").is_some());
    }

    #[test]
    fn garbage_passes_through_for_the_decoder_to_reject() {
        let body = b"\xff\xfe<html>[[[[";
        let out = limit_depth(body, 2);
        assert!(serde_json::from_slice::<Value>(&out).is_err());
    }

    fn arb_json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<i32>().prop_map(Value::from),
            "[\\[\\]{}\"\\\\a-z]{0,6}".prop_map(Value::from),
        ];
        leaf.prop_recursive(12, 64, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                proptest::collection::btree_map("[a-z\\[{\"]{0,3}", inner, 0..4)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn pruned_json_is_valid_and_within_the_limit(v in arb_json(), max in 1usize..8) {
            let body = serde_json::to_vec(&v).unwrap();
            let out = limit_depth(&body, max);
            prop_assert!(max_nesting(&out) <= max);
            let back: Value = serde_json::from_slice(&out).unwrap();
            if max_nesting(&body) <= max {
                prop_assert_eq!(back, v);
            }
        }

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..256), max in 0usize..4) {
            let out = limit_depth(&bytes, max);
            prop_assert!(out.len() <= bytes.len().max(PRUNED.len() * bytes.len()));
        }
    }
}
