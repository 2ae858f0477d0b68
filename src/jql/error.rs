//! The JQL parse error, worded like Jira's.

use std::fmt;

use super::Span;

/// A JQL syntax error.
///
/// `message` is Jira's sentence without the `Error in the JQL Query:` prefix and without
/// the position, e.g. `Expecting operator but got 'query'. The valid operators are …`.
/// [`fmt::Display`] renders the full Jira text:
/// `Error in the JQL Query: Expecting ')' but got 'AND'. (line 1, character 27)`.
///
/// `span` points at the offending token so the UI can underline it. Errors about the end
/// of the query ("… before the end of the query.") have an empty span at `src.len()`, and,
/// as in Jira, their text carries no position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JqlError {
    pub message: String,
    pub span: Span,
    /// 1-based line of `span.start` (lines end at `\n`).
    pub line: usize,
    /// 1-based position of `span.start` in its line, counted in characters.
    pub character: usize,
}

/// The prefix Jira puts before every JQL syntax error.
pub const ERROR_PREFIX: &str = "Error in the JQL Query:";

impl JqlError {
    /// Builds an error at `span` of `src`, computing the line and character.
    pub fn new(src: &str, span: Span, message: impl Into<String>) -> Self {
        let (line, character) = line_and_character(src, span.start);
        JqlError {
            message: message.into(),
            span,
            line,
            character,
        }
    }

    /// Whether the error is about the end of the query (no token to point at).
    pub fn at_end(&self) -> bool {
        self.span.start == self.span.end
    }
}

impl fmt::Display for JqlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{ERROR_PREFIX} {}", self.message)?;
        if !self.at_end() {
            write!(f, " (line {}, character {})", self.line, self.character)?;
        }
        Ok(())
    }
}

impl std::error::Error for JqlError {}

/// The 1-based line and character (not byte) of byte offset `offset` in `src`. An offset
/// inside a multi-byte character counts as that character; offsets past the end clamp.
pub fn line_and_character(src: &str, offset: usize) -> (usize, usize) {
    let mut line = 1;
    let mut character = 1;
    for (i, c) in src.char_indices() {
        if i >= offset {
            break;
        }
        if c == '\n' {
            line += 1;
            character = 1;
        } else {
            character += 1;
        }
    }
    (line, character)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters() {
        assert_eq!(line_and_character("abc", 0), (1, 1));
        assert_eq!(line_and_character("abc", 2), (1, 3));
        assert_eq!(line_and_character("a\nbc", 3), (2, 2));
        assert_eq!(line_and_character("éé x", 5), (1, 4));
        assert_eq!(line_and_character("ab", 99), (1, 3));
    }

    #[test]
    fn display_matches_jira() {
        let src = "a = b AND (c = d AND";
        let e = JqlError::new(
            src,
            Span { start: 6, end: 9 },
            "Expecting ')' but got 'AND'.",
        );
        assert_eq!(
            e.to_string(),
            "Error in the JQL Query: Expecting ')' but got 'AND'. (line 1, character 7)"
        );
        let e = JqlError::new(
            src,
            Span {
                start: src.len(),
                end: src.len(),
            },
            "Expecting a field name at the end of the query.",
        );
        assert!(e.at_end());
        assert_eq!(
            e.to_string(),
            "Error in the JQL Query: Expecting a field name at the end of the query."
        );
    }
}
