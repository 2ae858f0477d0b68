//! Neutralises server-supplied text before it reaches the terminal.
//!
//! Anything Jira sends (summaries, comments, user names, error bodies) is attacker
//! controlled: a comment containing `ESC ] 52 ; c ; ...` would write to the user's
//! clipboard, `ESC [ 2 J` would wipe the screen, and bidi overrides can make `exe.doc`
//! read as `cod.exe`. Every string is passed through [`sanitize`] (multi-line text) or
//! [`sanitize_line`] (single-line fields) before drawing.
//!
//! Escape sequences are dropped whole rather than shown, so their payload (a URL, a
//! base64 clipboard blob) cannot leak into the text as if it were content.

use std::borrow::Cow;

const ESC: char = '\u{1b}';
const BEL: char = '\u{07}';
/// 8-bit C1 introducers and terminator, as Unicode scalars. Some terminals honour
/// them even in UTF-8 mode, so they start (or end) sequences like their 7-bit forms.
const C1_DCS: char = '\u{90}';
const C1_SOS: char = '\u{98}';
const C1_CSI: char = '\u{9b}';
const C1_ST: char = '\u{9c}';
const C1_OSC: char = '\u{9d}';
const C1_PM: char = '\u{9e}';
const C1_APC: char = '\u{9f}';

/// True for a character that must never be written to the terminal as-is.
///
/// Tab and newline are allowed here because multi-line text keeps them; callers
/// decide how to lay them out (see [`sanitize_line`] and [`expand_tabs`]).
pub fn is_unsafe_char(c: char) -> bool {
    match c {
        '\t' | '\n' => false,
        // C0 controls (incl. ESC, CR, BEL), DEL, and C1 controls.
        '\u{00}'..='\u{1f}' | '\u{7f}' | '\u{80}'..='\u{9f}' => true,
        // Soft hyphen: invisible unless at a line break, used to split look-alike words.
        '\u{ad}' => true,
        // Arabic letter mark and Mongolian vowel separator: invisible format characters.
        '\u{61c}' | '\u{180e}' => true,
        // Zero-width space/non-joiner/joiner, LRM, RLM.
        '\u{200b}'..='\u{200f}' => true,
        // Line and paragraph separators: terminals treat them inconsistently.
        '\u{2028}' | '\u{2029}' => true,
        // Bidi embeddings/overrides and isolates.
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => true,
        // Word joiner and invisible operators.
        '\u{2060}'..='\u{2064}' => true,
        // Byte order mark / zero-width no-break space.
        '\u{feff}' => true,
        // Interlinear annotation controls.
        '\u{fff9}'..='\u{fffb}' => true,
        // Tag characters: invisible, used to smuggle hidden ASCII text.
        '\u{e0000}'..='\u{e007f}' => true,
        _ => false,
    }
}

/// True when every byte is printable ASCII (space to `~`): no control, DEL, or
/// non-ASCII character, so neither [`sanitize`] nor [`sanitize_line`] changes it.
pub fn is_printable_ascii(s: &str) -> bool {
    s.bytes().all(|b| (0x20..0x7f).contains(&b))
}

/// Removes escape sequences and invisible or control characters from `s`.
///
/// Tabs and newlines are kept. Returns the input borrowed when nothing had to change,
/// which is the common case for ordinary text.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    if is_printable_ascii(s) {
        return Cow::Borrowed(s);
    }
    match s.char_indices().find(|&(_, c)| is_unsafe_char(c)) {
        None => Cow::Borrowed(s),
        Some((first_bad, _)) => {
            let mut out = String::with_capacity(s.len());
            out.push_str(&s[..first_bad]);
            strip_into(&s[first_bad..], &mut out);
            Cow::Owned(out)
        }
    }
}

/// Like [`sanitize`], and also turns newlines, carriage returns and tabs into single
/// spaces, for fields drawn on one line (summaries, names, status text).
pub fn sanitize_line(s: &str) -> Cow<'_, str> {
    // Printable ASCII (most text) has nothing to strip or space out; a byte scan says
    // so without decoding characters.
    if is_printable_ascii(s) {
        return Cow::Borrowed(s);
    }
    let needs_work = s
        .chars()
        .any(|c| c == '\t' || c == '\n' || is_unsafe_char(c));
    if !needs_work {
        return Cow::Borrowed(s);
    }
    // Only LF and tab become spaces; CR is dropped by `sanitize`, so a Windows line
    // end "\r\n" still yields exactly one space.
    let spaced: String = s
        .chars()
        .map(|c| match c {
            '\t' | '\n' => ' ',
            _ => c,
        })
        .collect();
    let clean = sanitize(&spaced).into_owned();
    Cow::Owned(clean)
}

/// Longest single-line field kept, in characters. Jira caps summaries at 255; this
/// leaves room for joined lists (labels, components) and stops a hostile megabyte
/// summary from costing layout time on every frame.
pub const MAX_FIELD_CHARS: usize = 2_000;

/// [`sanitize_line`], then cut to [`MAX_FIELD_CHARS`] (ending in `…` when cut), as an
/// owned string: what the state keeps for any single-line field from Jira.
pub fn sanitize_field(s: &str) -> String {
    // Cut first (with slack for what sanitising removes) so a huge field is not copied
    // whole; then clean, then cut exactly.
    let rough = match s.char_indices().nth(MAX_FIELD_CHARS * 4) {
        Some((end, _)) => &s[..end],
        None => s,
    };
    let clean = sanitize_line(rough);
    match clean.char_indices().nth(MAX_FIELD_CHARS) {
        Some((end, _)) => format!("{}…", &clean[..end]),
        None if rough.len() < s.len() => format!("{clean}…"),
        None => clean.into_owned(),
    }
}

/// Expands tabs to spaces up to the next multiple of `tab_width` columns, measuring
/// with display width. Used for code blocks, where indentation must line up.
pub fn expand_tabs(s: &str, tab_width: usize) -> Cow<'_, str> {
    if !s.contains('\t') {
        return Cow::Borrowed(s);
    }
    let tab_width = tab_width.max(1);
    let mut out = String::with_capacity(s.len() + tab_width * 2);
    let mut col = 0usize;
    for c in s.chars() {
        match c {
            '\t' => {
                let n = tab_width - col % tab_width;
                out.extend(std::iter::repeat_n(' ', n));
                col += n;
            }
            '\n' => {
                out.push(c);
                col = 0;
            }
            _ => {
                out.push(c);
                col += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
            }
        }
    }
    Cow::Owned(out)
}

/// Copies `s` into `out`, skipping escape sequences and unsafe characters.
fn strip_into(s: &str, out: &mut String) {
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ESC => match chars.next() {
                Some('[') => skip_csi(&mut chars),
                Some(']') => skip_string(&mut chars, true),
                Some('P' | 'X' | '^' | '_') => skip_string(&mut chars, false),
                // nF escapes: intermediates then one final byte (e.g. `ESC ( B`).
                Some(c2) if ('\u{20}'..='\u{2f}').contains(&c2) => {
                    while chars
                        .next_if(|c| ('\u{20}'..='\u{2f}').contains(c))
                        .is_some()
                    {}
                    chars.next();
                }
                // Two-character escapes (`ESC c`, `ESC 7`, ...): the second char goes too.
                Some(_) | None => {}
            },
            C1_CSI => skip_csi(&mut chars),
            C1_OSC => skip_string(&mut chars, true),
            C1_DCS | C1_SOS | C1_PM | C1_APC => skip_string(&mut chars, false),
            c if is_unsafe_char(c) => {}
            c => out.push(c),
        }
    }
}

/// Skips a CSI sequence body: parameter and intermediate bytes, then the final byte.
/// Stops early (keeping the character) at anything that cannot be part of a CSI, so
/// a malformed sequence does not swallow the following text.
fn skip_csi(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while let Some(&c) = chars.peek() {
        match c {
            // Parameter bytes and intermediate bytes.
            '\u{20}'..='\u{3f}' => {
                chars.next();
            }
            // Final byte ends the sequence.
            '\u{40}'..='\u{7e}' => {
                chars.next();
                return;
            }
            _ => return,
        }
    }
}

/// Skips an OSC/DCS/SOS/PM/APC string up to and including its terminator: ST
/// (`ESC \` or 8-bit ST), or BEL for OSC. An unterminated string runs to the end of
/// the input, exactly as a terminal would swallow it.
fn skip_string(chars: &mut std::iter::Peekable<std::str::Chars<'_>>, bel_ends: bool) {
    while let Some(c) = chars.next() {
        match c {
            C1_ST => return,
            BEL if bel_ends => return,
            ESC => {
                if chars.peek() == Some(&'\\') {
                    chars.next();
                    return;
                }
                // Any other ESC aborts the string in real terminals; the ESC starts a
                // new sequence, which is dropped the same way.
                match chars.next() {
                    Some('[') => skip_csi(chars),
                    Some(']') => skip_string(chars, true),
                    Some('P' | 'X' | '^' | '_') => skip_string(chars, false),
                    _ => {}
                }
                return;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn is_forbidden(c: char) -> bool {
        matches!(c,
            '\u{00}'..='\u{1f}' | '\u{7f}' | '\u{80}'..='\u{9f}'
            | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
            | '\u{200b}'..='\u{200f}' | '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{ad}')
    }

    #[test]
    fn plain_text_is_borrowed() {
        let s = "Lidar drops frames — ünïcödé 日本語 🚀";
        assert!(matches!(sanitize(s), Cow::Borrowed(_)));
        assert!(matches!(sanitize_line(s), Cow::Borrowed(_)));
        assert!(matches!(sanitize("two\nlines\twith tab"), Cow::Borrowed(_)));
    }

    #[test]
    fn osc52_clipboard_write_is_dropped_whole() {
        let s = "before\x1b]52;c;ZWNobyBwd25lZA==\x07after";
        assert_eq!(sanitize(s), "beforeafter");
        // The base64 payload must not leak as visible text either.
        assert!(!sanitize(s).contains("ZWNo"));
    }

    #[test]
    fn osc52_terminated_by_st() {
        assert_eq!(sanitize("x\x1b]52;c;ZWNobyBwd25lZA==\x1b\\y"), "xy");
    }

    #[test]
    fn clear_screen_csi_is_dropped() {
        assert_eq!(sanitize("\x1b[2Jhello"), "hello");
        assert_eq!(sanitize("a\x1b[1;31mred\x1b[0m"), "ared");
        assert_eq!(sanitize("\x1b[?1049h"), "");
    }

    #[test]
    fn osc8_hyperlink_keeps_only_visible_label() {
        let s = "\x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\";
        assert_eq!(sanitize(s), "click");
    }

    #[test]
    fn bidi_override_is_removed() {
        assert_eq!(sanitize("\u{202e}cod.exe"), "cod.exe");
        assert_eq!(sanitize("a\u{2066}b\u{2069}c"), "abc");
    }

    #[test]
    fn invisible_characters_are_removed() {
        assert_eq!(sanitize("pay\u{200b}pal"), "paypal");
        assert_eq!(sanitize("\u{feff}BOM"), "BOM");
        assert_eq!(sanitize("soft\u{ad}hyphen"), "softhyphen");
        assert_eq!(sanitize("line\u{2028}sep"), "linesep");
        assert_eq!(sanitize("tag\u{e0041}\u{e0042}s"), "tags");
    }

    #[test]
    fn c0_c1_and_del_are_removed_but_newline_and_tab_kept() {
        assert_eq!(sanitize("a\x07b\x08c\x7fd\u{85}e\r\n\tf"), "abcde\n\tf");
    }

    #[test]
    fn eight_bit_csi_and_osc_are_dropped() {
        assert_eq!(sanitize("a\u{9b}2Jb"), "ab");
        assert_eq!(sanitize("a\u{9d}52;c;AAAA\u{9c}b"), "ab");
    }

    #[test]
    fn dcs_and_apc_are_dropped() {
        assert_eq!(sanitize("a\x1bPq#0;2;0;0;0\x1b\\b"), "ab");
        assert_eq!(sanitize("a\x1b_payload\x1b\\b"), "ab");
        assert_eq!(sanitize("a\x1b^pm\x1b\\b"), "ab");
        assert_eq!(sanitize("a\x1bXsos\x1b\\b"), "ab");
    }

    #[test]
    fn unterminated_sequences_do_not_panic() {
        assert_eq!(sanitize("a\x1b"), "a");
        assert_eq!(sanitize("a\x1b["), "a");
        assert_eq!(sanitize("a\x1b]52;c;abc"), "a");
        assert_eq!(sanitize("a\x1b(Bb"), "ab");
        assert_eq!(sanitize("a\x1bcb"), "ab");
    }

    #[test]
    fn sanitize_line_flattens_whitespace() {
        assert_eq!(sanitize_line("a\nb\tc\r\nd"), "a b c d");
        assert_eq!(sanitize_line("x\x1b[31my"), "xy");
    }

    #[test]
    fn fields_are_cleaned_and_cut() {
        assert_eq!(sanitize_field("a\x1b[2Jb\tc"), "ab c");
        let huge = "x".repeat(1 << 20);
        let cut = sanitize_field(&huge);
        assert_eq!(cut.chars().count(), MAX_FIELD_CHARS + 1);
        assert!(cut.ends_with('…'));
        let exact = "y".repeat(MAX_FIELD_CHARS);
        assert_eq!(sanitize_field(&exact), exact);
        // Escape sequences do not count against the limit (within reason).
        let padded = format!("{}{}", "\x1b[0m".repeat(100), "z");
        assert_eq!(sanitize_field(&padded), "z");
    }

    #[test]
    fn expand_tabs_aligns_to_stops() {
        assert_eq!(expand_tabs("\tx", 4), "    x");
        assert_eq!(expand_tabs("ab\tx", 4), "ab  x");
        assert_eq!(expand_tabs("a\n\tb", 2), "a\n  b");
        assert!(matches!(expand_tabs("none", 4), Cow::Borrowed(_)));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn output_never_contains_forbidden_chars(s in any::<String>()) {
            let out = sanitize(&s);
            prop_assert!(!out.chars().any(|c| is_forbidden(c) && c != '\t' && c != '\n'));
            let line = sanitize_line(&s);
            prop_assert!(!line.chars().any(is_forbidden));
        }

        #[test]
        fn escape_heavy_input_is_clean(parts in proptest::collection::vec(
            prop_oneof![
                Just("\x1b".to_string()), Just("[".to_string()), Just("]".to_string()),
                Just("\x07".to_string()), Just("\\".to_string()), Just("\u{9b}".to_string()),
                Just("\u{202e}".to_string()), Just("P".to_string()), Just("52;c;".to_string()),
                "[a-z0-9;]{0,4}",
            ], 0..24)) {
            let s: String = parts.concat();
            let out = sanitize_line(&s);
            prop_assert!(!out.chars().any(is_forbidden));
        }

        #[test]
        fn fields_are_clean_and_bounded(s in any::<String>()) {
            let out = sanitize_field(&s);
            prop_assert!(!out.chars().any(is_forbidden));
            prop_assert!(out.chars().count() <= MAX_FIELD_CHARS + 1);
        }

        #[test]
        fn safe_text_is_unchanged(s in "[a-zA-Z0-9 .,;:!?()\\[\\]{}<>/\\\\'\"-]{0,64}") {
            prop_assert_eq!(sanitize(&s), s.as_str());
        }
    }
}
