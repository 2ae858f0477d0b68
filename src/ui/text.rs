//! Measuring and cutting text by display width (unicode-width), never by bytes or chars.

use unicode_width::UnicodeWidthStr;

pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// The longest prefix of `s` that fits in `max` columns, with `…` when cut.
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_owned();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    for c in s.chars() {
        // Measured as the text so far, not char by char: a variation selector makes
        // `*` a two-column emoji, and the terminal counts the pair.
        out.push(c);
        if width(&out) > max - 1 {
            out.pop();
            break;
        }
    }
    out.push('…');
    out
}

/// `s` cut or padded with spaces to exactly `cols` columns.
pub fn fit(s: &str, cols: usize) -> String {
    let mut out = truncate(s, cols);
    let w = width(&out);
    out.extend(std::iter::repeat_n(' ', cols.saturating_sub(w)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fits_wide_characters_by_columns() {
        assert_eq!(fit("日本語のテキスト", 7), "日本語…");
        assert_eq!(width(&fit("日本語のテキスト", 7)), 7);
        assert_eq!(fit("ab", 4), "ab  ");
        assert_eq!(fit("🚀🚀🚀", 5), "🚀🚀…");
        assert_eq!(truncate("abc", 0), "");
    }

    #[test]
    fn a_variation_selector_counts_with_its_base() {
        // `*` + VS16 is a two-column emoji as a string, one column char by char.
        let text = "*\u{fe0f}*\u{fe0f}*\u{fe0f}abc";
        for cols in 1..8 {
            assert_eq!(width(&fit(text, cols)), cols, "{cols}");
        }
    }
}
