//! The emoji `:shortname:` stands for: a small table of common ones, plus every emoji of
//! the document being edited (so custom and rare ones survive a round trip).

use std::collections::HashMap;

use serde_json::{Value, json};

use super::syntax::emoji_len;

/// Short name, Unicode id and glyph, as Jira's emoji picker writes them.
const TABLE: &[(&str, &str, &str)] = &[
    (":smile:", "1f604", "\u{1f604}"),
    (":grinning:", "1f600", "\u{1f600}"),
    (":slight_smile:", "1f642", "\u{1f642}"),
    (":wink:", "1f609", "\u{1f609}"),
    (":joy:", "1f602", "\u{1f602}"),
    (":sweat_smile:", "1f605", "\u{1f605}"),
    (":thinking:", "1f914", "\u{1f914}"),
    (":confused:", "1f615", "\u{1f615}"),
    (":cry:", "1f622", "\u{1f622}"),
    (":heart:", "2764", "\u{2764}\u{fe0f}"),
    (":thumbsup:", "1f44d", "\u{1f44d}"),
    (":thumbsdown:", "1f44e", "\u{1f44e}"),
    (":+1:", "1f44d", "\u{1f44d}"),
    (":-1:", "1f44e", "\u{1f44e}"),
    (":clap:", "1f44f", "\u{1f44f}"),
    (":wave:", "1f44b", "\u{1f44b}"),
    (":pray:", "1f64f", "\u{1f64f}"),
    (":ok_hand:", "1f44c", "\u{1f44c}"),
    (":muscle:", "1f4aa", "\u{1f4aa}"),
    (":point_right:", "1f449", "\u{1f449}"),
    (":eyes:", "1f440", "\u{1f440}"),
    (":tada:", "1f389", "\u{1f389}"),
    (":rocket:", "1f680", "\u{1f680}"),
    (":fire:", "1f525", "\u{1f525}"),
    (":sparkles:", "2728", "\u{2728}"),
    (":star:", "2b50", "\u{2b50}"),
    (":zap:", "26a1", "\u{26a1}"),
    (":bulb:", "1f4a1", "\u{1f4a1}"),
    (":memo:", "1f4dd", "\u{1f4dd}"),
    (":bug:", "1f41b", "\u{1f41b}"),
    (":robot:", "1f916", "\u{1f916}"),
    (":coffee:", "2615", "\u{2615}"),
    (":lock:", "1f512", "\u{1f512}"),
    (":link:", "1f517", "\u{1f517}"),
    (":calendar:", "1f4c5", "\u{1f4c5}"),
    (":hourglass:", "231b", "\u{231b}"),
    (":construction:", "1f6a7", "\u{1f6a7}"),
    (":warning:", "26a0", "\u{26a0}\u{fe0f}"),
    (":white_check_mark:", "2705", "\u{2705}"),
    (":heavy_check_mark:", "2714", "\u{2714}\u{fe0f}"),
    (":x:", "274c", "\u{274c}"),
    (":question:", "2753", "\u{2753}"),
    (":exclamation:", "2757", "\u{2757}"),
    (":100:", "1f4af", "\u{1f4af}"),
];

/// The emoji the editor text knows, with the attributes a new one gets.
#[derive(Debug)]
pub(super) struct EmojiSet {
    known: HashMap<String, Value>,
}

impl EmojiSet {
    pub fn new(root: &Value) -> EmojiSet {
        let mut known: HashMap<String, Value> = TABLE
            .iter()
            .map(|(short, id, text)| {
                (
                    (*short).to_string(),
                    json!({ "shortName": short, "id": id, "text": text }),
                )
            })
            .collect();
        let mut stack = vec![root];
        while let Some(node) = stack.pop() {
            if node.get("type").and_then(Value::as_str) == Some("emoji")
                && let Some(attrs) = node.get("attrs").filter(|a| a.is_object())
                && let Some(short) = attrs.get("shortName").and_then(Value::as_str)
                && emoji_len(short) == Some(short.len())
            {
                known
                    .entry(short.to_string())
                    .or_insert_with(|| attrs.clone());
            }
            if let Some(children) = node.get("content").and_then(Value::as_array) {
                // Reversed so the first emoji in document order is seen first.
                stack.extend(children.iter().rev());
            }
        }
        EmojiSet { known }
    }

    pub fn contains(&self, short_name: &str) -> bool {
        self.known.contains_key(short_name)
    }

    /// Attributes for a new emoji node.
    pub fn attrs(&self, short_name: &str) -> Value {
        self.known
            .get(short_name)
            .cloned()
            .unwrap_or_else(|| json!({ "shortName": short_name }))
    }
}
