//! Input clean-up shared by the field checks.

use unicode_normalization::UnicodeNormalization;

/// Zero-width and soft formatting characters that copy-paste leaves behind:
/// ZWSP, ZWNJ, ZWJ, word joiner, BOM, soft hyphen.
#[must_use]
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
    )
}

/// Drops invisible characters and trims whitespace (incl. U+3000, NBSP, tab) at both ends.
#[must_use]
pub fn clean(input: &str) -> String {
    let visible: String = input.chars().filter(|&c| !is_invisible(c)).collect();
    visible.trim().to_owned()
}

/// Separators people type inside document numbers: spaces, hyphens and dashes. Other
/// punctuation is reported, not silently dropped: it may hide a missing character.
#[must_use]
pub fn is_number_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '-' | '\u{2010}'..='\u{2015}' | '\u{2212}')
}

/// Normalizes a number field: invisible characters dropped, NFKC (full-width `１２Ｘ` →
/// `12X`), separators removed, ASCII letters upper-cased, then NFKC again (dropping a
/// separator can leave a decomposed pair), so that normalizing twice changes nothing.
/// Document numbers are ASCII: any other letter is refused as typed, so only ASCII case is
/// folded (Unicode's case tables cost the page's wasm 15 KB gzipped, measured).
#[must_use]
pub fn number(input: &str) -> String {
    number_with(input, is_number_separator)
}

/// [`number`] with another set of separators.
#[must_use]
pub fn number_with(input: &str, is_separator: impl Fn(char) -> bool) -> String {
    clean(input)
        .nfkc()
        .filter(|&c| !is_separator(c))
        .map(|c| c.to_ascii_uppercase())
        .nfkc()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_fold_width_separators_and_case() {
        assert_eq!(number(" 3604 2619-9101–0100—71 "), "360426199101010071");
        assert_eq!(number("3604.2619"), "3604.2619");
        assert_eq!(
            number("１１０１０１１９９００３０７００２ｘ"),
            "11010119900307002X"
        );
        assert_eq!(number("\u{200B}e1234\u{3000}5678\u{FEFF}"), "E12345678");
        assert_eq!(number("+86 138–0013—8000"), "+8613800138000");
    }

    #[test]
    fn dropping_a_separator_between_marks_keeps_nfkc() {
        let s = "\u{3}\u{33d}.\u{33b}\u{33d}\u{33b}\u{31d}";
        let sep = |c: char| is_number_separator(c) || c == '.';
        let once = number_with(s, sep);
        assert_eq!(number_with(&once, sep), once);
    }

    #[test]
    fn clean_trims_unicode_whitespace() {
        assert_eq!(clean("\u{3000}张三\u{00A0}\t\u{200B}"), "张三");
    }
}
