//! The JQL bar's history: queries run from the bar, newest first, deduplicated and capped,
//! and the Up/Down walk through them. Plain data; `App` reads and writes the file.

use serde::{Deserialize, Serialize};

/// At most this many queries are kept (the oldest fall off).
pub const HISTORY_CAP: usize = 500;

/// One line of the history file: `{"jql":"…"}`. An object, not a bare string, so a
/// field can be added later without breaking old files.
#[derive(Debug, Serialize, Deserialize)]
struct Line {
    jql: String,
}

/// Where Up/Down has taken the bar: which entry it shows, and what was typed before.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Walk {
    /// Index into the entries (0 is the newest).
    pub pos: usize,
    /// The text the bar held before walking; restored when walking back down past 0.
    pub draft: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryState {
    /// Newest first, no duplicates.
    entries: Vec<String>,
    cap: usize,
    /// Set while the bar shows an entry from history.
    pub walk: Option<Walk>,
}

impl Default for HistoryState {
    fn default() -> Self {
        Self::with_cap(HISTORY_CAP)
    }
}

/// Where a step through the history lands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Show this entry.
    Entry(String),
    /// Back at the text that was being typed.
    Draft(String),
    /// Nothing further in that direction.
    Stay,
}

impl HistoryState {
    pub fn with_cap(cap: usize) -> Self {
        Self {
            entries: Vec::new(),
            cap: cap.max(1),
            walk: None,
        }
    }

    /// Newest first.
    pub fn entries(&self) -> &[String] {
        &self.entries
    }

    /// Records a query that was run: it moves to the top (re-running an old query does
    /// not duplicate it) and the list is trimmed to the cap. Blank queries are not kept.
    /// Returns whether anything changed.
    pub fn push(&mut self, jql: &str) -> bool {
        let jql = jql.trim();
        if jql.is_empty() || self.entries.first().is_some_and(|e| e == jql) {
            return false;
        }
        self.entries.retain(|e| e != jql);
        self.entries.insert(0, jql.to_owned());
        self.entries.truncate(self.cap);
        true
    }

    /// One step older (`older = true`, the Up key) or newer, from what the bar shows now.
    /// Entries equal to the shown text are skipped, so Up never seems to do nothing.
    pub fn step(&mut self, shown: &str, older: bool) -> Step {
        let shown = shown.trim();
        match (&self.walk, older) {
            (None, false) => Step::Stay,
            (None, true) => match self.find(0..self.entries.len(), shown) {
                Some(pos) => {
                    self.walk = Some(Walk {
                        pos,
                        draft: shown.to_owned(),
                    });
                    Step::Entry(self.entries[pos].clone())
                }
                None => Step::Stay,
            },
            (Some(walk), true) => {
                let from = walk.pos + 1;
                match self.find(from..self.entries.len(), shown) {
                    Some(pos) => self.go(pos),
                    None => Step::Stay,
                }
            }
            (Some(walk), false) => {
                // The draft is where walking down ends; an entry equal to it (skipped on
                // the way up) is skipped on the way down too.
                let newer = (0..walk.pos)
                    .rev()
                    .find(|&i| self.entries[i] != shown && self.entries[i] != walk.draft);
                match newer {
                    Some(pos) => self.go(pos),
                    None => {
                        let draft = self.walk.take().map(|w| w.draft).unwrap_or_default();
                        Step::Draft(draft)
                    }
                }
            }
        }
    }

    fn find(&self, range: std::ops::Range<usize>, shown: &str) -> Option<usize> {
        range.into_iter().find(|&i| self.entries[i] != shown)
    }

    fn go(&mut self, pos: usize) -> Step {
        if let Some(walk) = &mut self.walk {
            walk.pos = pos;
        }
        Step::Entry(self.entries[pos].clone())
    }

    /// Reads a history file's text: one JSON object per line, oldest first. Lines that do
    /// not parse (a torn write, a future format) are skipped rather than losing the rest.
    pub fn from_jsonl(text: &str, cap: usize) -> Self {
        let mut history = Self::with_cap(cap);
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            if let Ok(Line { jql }) = serde_json::from_str::<Line>(line) {
                history.push(&jql);
            }
        }
        history
    }

    /// The file's text for `entries` (newest first, as `entries()` gives them).
    pub fn to_jsonl(entries: &[String]) -> String {
        let mut out = String::new();
        for jql in entries.iter().rev() {
            let line = Line { jql: jql.clone() };
            // Serialising a struct of one String cannot fail.
            if let Ok(json) = serde_json::to_string(&line) {
                out.push_str(&json);
                out.push('\n');
            }
        }
        out
    }
}

/// A profile name made safe as a file name: anything but letters, digits, `-`, `_` and
/// `.` becomes `_`, and a name of only dots cannot climb out of the directory.
pub fn profile_file_stem(profile: &str) -> String {
    let stem: String = profile
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if stem.is_empty() || stem.chars().all(|c| c == '.') {
        format!("_{stem}")
    } else {
        stem
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn history(newest_first: &[&str]) -> HistoryState {
        let mut h = HistoryState::default();
        for q in newest_first.iter().rev() {
            h.push(q);
        }
        h
    }

    #[test]
    fn push_dedups_moves_to_top_and_skips_blank() {
        let mut h = history(&["c", "b", "a"]);
        assert!(h.push("a"));
        assert_eq!(h.entries(), ["a", "c", "b"]);
        assert!(!h.push("a"), "already on top");
        assert!(!h.push("   "));
        assert!(h.push("  d  "));
        assert_eq!(h.entries(), ["d", "a", "c", "b"]);
    }

    #[test]
    fn the_cap_drops_the_oldest() {
        let mut h = HistoryState::with_cap(3);
        for q in ["1", "2", "3", "4", "5"] {
            h.push(q);
        }
        assert_eq!(h.entries(), ["5", "4", "3"]);
        let mut h = HistoryState::default();
        for n in 0..HISTORY_CAP + 20 {
            h.push(&format!("project = P{n}"));
        }
        assert_eq!(h.entries().len(), HISTORY_CAP);
        assert_eq!(h.entries()[0], format!("project = P{}", HISTORY_CAP + 19));
    }

    #[test]
    fn walks_up_and_back_down_to_the_draft() {
        let mut h = history(&["c", "b", "a"]);
        assert_eq!(h.step("typing", false), Step::Stay);
        assert_eq!(h.step("typing", true), Step::Entry("c".into()));
        assert_eq!(h.step("c", true), Step::Entry("b".into()));
        assert_eq!(h.step("b", true), Step::Entry("a".into()));
        assert_eq!(h.step("a", true), Step::Stay, "the oldest is the end");
        assert_eq!(h.step("a", false), Step::Entry("b".into()));
        assert_eq!(h.step("b", false), Step::Entry("c".into()));
        assert_eq!(h.step("c", false), Step::Draft("typing".into()));
        assert!(h.walk.is_none());
        assert_eq!(h.step("typing", false), Step::Stay);
    }

    #[test]
    fn walking_skips_the_text_already_shown() {
        // The bar opens holding the current query, which is usually the newest entry.
        let mut h = history(&["c", "b"]);
        assert_eq!(h.step("c", true), Step::Entry("b".into()));
        assert_eq!(h.step("b", false), Step::Draft("c".into()));
        let mut empty = HistoryState::default();
        assert_eq!(empty.step("", true), Step::Stay);
    }

    #[test]
    fn jsonl_round_trips_oldest_first_and_survives_bad_lines() {
        let h = history(&["status = \"In Progress\"", "a\nb", "x"]);
        let text = HistoryState::to_jsonl(h.entries());
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0], r#"{"jql":"x"}"#, "oldest first, appendable");
        let back = HistoryState::from_jsonl(&text, HISTORY_CAP);
        assert_eq!(back.entries(), h.entries());
        let torn = format!("{text}not json\n{{\"jql\":\"y\"}}\n{{\"jq");
        let back = HistoryState::from_jsonl(&torn, HISTORY_CAP);
        assert_eq!(back.entries()[0], "y");
        assert_eq!(back.entries().len(), 4);
        let capped = HistoryState::from_jsonl(&text, 2);
        assert_eq!(capped.entries(), &h.entries()[..2]);
    }

    #[test]
    fn profile_names_become_safe_file_names() {
        assert_eq!(profile_file_stem("demo"), "demo");
        assert_eq!(
            profile_file_stem("acme.atlassian.net"),
            "acme.atlassian.net"
        );
        assert_eq!(profile_file_stem("../etc/passwd"), ".._etc_passwd");
        assert_eq!(profile_file_stem(".."), "_..");
        assert_eq!(profile_file_stem(""), "_");
        assert_eq!(profile_file_stem("a b/c"), "a_b_c");
    }
}
