//! Property tests for the hardening layer, bounded to a few hundred cases each: error
//! bodies and rate-limit headers from a hostile server, documents cut to a line budget,
//! and the sanitiser against any mix of the hostile dataset's payloads. (The JQL
//! parser, ADF rendering, model decoding and the sanitiser's own properties have theirs
//! in `jql_props.rs`, `client_adf.rs`, `client_robustness.rs` and `src/sanitize.rs`.)

#![allow(clippy::unwrap_used)]

use jtui::emulator::hostile::{HIDDEN_MARKERS, PAYLOADS, taint};
use jtui::jira::JiraError;
use jtui::jira::adf::{self, Adf, RenderContext};
use jtui::sanitize::{MAX_FIELD_CHARS, is_unsafe_char, sanitize, sanitize_field};
use proptest::prelude::*;
use proptest::sample::select;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde_json::{Value, json};

/// Longest message an error keeps (see `jira::error`), plus its ellipsis.
const MAX_MESSAGE_CHARS: usize = 1_001;

fn bad(c: char) -> bool {
    c.is_control() || is_unsafe_char(c)
}

/// Bytes that look like what a broken proxy or a hostile server answers.
fn error_body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..300),
        (
            proptest::collection::vec(select(PAYLOADS.to_vec()), 0..6),
            "\\PC{0,30}"
        )
            .prop_map(|(payloads, text)| {
                json!({
                    "errorMessages": [format!("{}{text}", payloads.concat()), text.clone()],
                    "errors": { payloads.concat(): text },
                    "message": payloads.concat(),
                })
                .to_string()
                .into_bytes()
            }),
        (select(PAYLOADS.to_vec()), "\\PC{0,30}").prop_map(|(payload, text)| {
            format!("<html><head><title>{payload}{text}</title></head><body>{payload}</body>")
                .into_bytes()
        }),
    ]
}

fn header_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9]{1,25}",
        "-?[0-9]{0,5}\\.[0-9]{0,5}(e[0-9]{1,4})?",
        "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}Z",
        "\\PC{0,20}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn error_bodies_become_clean_bounded_messages(
        status in 400u16..600,
        body in error_body(),
        html in any::<bool>(),
    ) {
        let mut headers = HeaderMap::new();
        if html {
            headers.insert("content-type", HeaderValue::from_static("text/html"));
        }
        let err = JiraError::from_response_parts(status, &headers, &body, chrono::Utc::now());
        for m in err.messages() {
            prop_assert!(!m.chars().any(bad), "{:?}", m);
            prop_assert!(m.chars().count() <= MAX_MESSAGE_CHARS, "{} chars", m.chars().count());
            for marker in HIDDEN_MARKERS {
                prop_assert!(!m.contains(marker), "{:?} in {:?}", marker, m);
            }
        }
        prop_assert!(!err.to_string().chars().any(bad));
    }

    #[test]
    fn rate_limit_headers_never_panic(retry_after in header_text(), reset in header_text()) {
        let mut headers = HeaderMap::new();
        for (name, value) in [("retry-after", &retry_after), ("x-ratelimit-reset", &reset)] {
            if let Ok(value) = HeaderValue::from_str(value) {
                headers.insert(HeaderName::from_static(name), value);
            }
        }
        let err = JiraError::from_response_parts(429, &headers, b"", chrono::Utc::now());
        let limited = matches!(err, JiraError::RateLimited { .. });
        prop_assert!(limited, "{:?}", err);
        prop_assert!(err.is_retryable());
        let _ = err.to_string();
    }

    #[test]
    fn documents_stay_within_their_line_budget(
        paragraphs in proptest::collection::vec("\\PC{0,80}", 0..60),
        width in 1u16..80,
        max_lines in 1usize..40,
    ) {
        let content: Vec<Value> = paragraphs
            .iter()
            .map(|t| json!({ "type": "paragraph", "content": [{ "type": "text", "text": t }] }))
            .collect();
        let doc = Adf::from_value(json!({ "type": "doc", "version": 1, "content": content }));
        let full = adf::render(&doc, width, &RenderContext::default());
        let capped = adf::render_capped(&doc, width, &RenderContext::default(), max_lines);
        if full.len() < max_lines {
            prop_assert_eq!(capped.len(), full.len());
        } else if full.len() > max_lines {
            // The document's own lines, then a note (wrapped, in a narrow pane) saying
            // what was left out.
            let note_at = capped
                .iter()
                .position(|l| l.text().starts_with('…'))
                .expect("a note");
            prop_assert!(note_at <= max_lines, "{} lines before the note", note_at);
            let note: String = capped[note_at..]
                .iter()
                .flat_map(|l| l.text().chars().filter(|c| !c.is_whitespace()).collect::<Vec<_>>())
                .collect();
            prop_assert!(note.contains("notshown"), "{}", note);
        }
        for line in &capped {
            prop_assert!(line.width() <= usize::from(width));
            prop_assert!(!line.text().chars().any(bad));
        }
    }

    #[test]
    fn no_mix_of_payloads_survives_the_sanitiser(
        parts in proptest::collection::vec(
            prop_oneof![select(PAYLOADS.to_vec()).prop_map(str::to_owned), "\\PC{0,12}"],
            0..12,
        ),
        n in 0usize..1000,
    ) {
        let text: String = parts.concat();
        for dirty in [text.clone(), taint(&text, n)] {
            let clean = sanitize(&dirty);
            prop_assert!(!clean.chars().any(|c| bad(c) && c != '\n' && c != '\t'));
            let field = sanitize_field(&dirty);
            prop_assert!(!field.chars().any(bad));
            prop_assert!(field.chars().count() <= MAX_FIELD_CHARS + 1);
            for marker in HIDDEN_MARKERS {
                // Only markers the payloads brought: random text may spell one itself.
                if !parts.iter().any(|p| !PAYLOADS.contains(&p.as_str()) && p.contains(marker)) {
                    prop_assert!(!field.contains(marker), "{:?} in {:?}", marker, field);
                }
            }
        }
    }
}
