//! Real name, as on the ID card (Han characters) or the passport (Latin letters).
//!
//! Rules (民委发〔2016〕33号; ICAO Doc 9303): the separator in Han names is U+00B7 `·`; at
//! least 50 characters must be allowed; every Han ideograph, including the supplementary
//! planes, is accepted. Latin names may carry accents, spaces, hyphens, apostrophes and
//! periods. Length is counted in Unicode scalar values, never UTF-16 units.

use super::normalize;
use super::report::{Code, FieldKind, FieldReport, Issue};
use unicode_normalization::UnicodeNormalization;

/// Longest accepted name, in Unicode scalar values (the 2016 rule asks for at least 50).
pub const MAX_CHARS: usize = 100;

/// The name separator dot, U+00B7 MIDDLE DOT.
pub const SEPARATOR: char = '\u{00B7}';

/// Characters people type for the separator dot between Han characters.
#[must_use]
pub fn is_dot_lookalike(c: char) -> bool {
    matches!(
        c,
        '\u{00B7}'
            | '\u{0387}'
            | '\u{2022}'
            | '\u{2024}'
            | '\u{2027}'
            | '\u{2219}'
            | '\u{22C5}'
            | '\u{2E31}'
            | '\u{30FB}'
            | '\u{A78F}'
            | '\u{FF0E}'
            | '\u{FF65}'
            | '.'
    )
}

/// Script=Han, generously: every CJK ideograph block, planes 2 and 3 whole (future
/// extensions land there), radicals, 〇, 々 and the Hangzhou numerals.
#[must_use]
pub fn is_han(c: char) -> bool {
    matches!(c,
        '\u{2E80}'..='\u{2EF3}'
        | '\u{2F00}'..='\u{2FD5}'
        | '\u{3005}'
        | '\u{3007}'
        | '\u{3021}'..='\u{3029}'
        | '\u{3038}'..='\u{303B}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{16FE2}'..='\u{16FE3}'
        | '\u{16FF0}'..='\u{16FF1}'
        | '\u{20000}'..='\u{2FFFD}'
        | '\u{30000}'..='\u{3FFFD}')
}

/// Latin letters (incl. Latin-1, Extended-A/B, IPA-free Extended Additional) and
/// combining accents.
#[must_use]
pub fn is_latin_letter(c: char) -> bool {
    c.is_ascii_alphabetic()
        || matches!(c,
            '\u{00C0}'..='\u{00D6}'
            | '\u{00D8}'..='\u{00F6}'
            | '\u{00F8}'..='\u{024F}'
            | '\u{0300}'..='\u{036F}'
            | '\u{1E00}'..='\u{1EFF}')
}

/// Punctuation allowed inside Latin names (after apostrophe folding).
fn is_latin_punct(c: char) -> bool {
    matches!(c, ' ' | '-' | '\'' | '.' | ',')
}

/// Pictographs, dingbats, flags, variation selectors and keycaps.
fn is_emoji(c: char) -> bool {
    matches!(c,
        '\u{1F000}'..='\u{1FAFF}'
        | '\u{2600}'..='\u{27BF}'
        | '\u{2B00}'..='\u{2BFF}'
        | '\u{FE0E}'..='\u{FE0F}'
        | '\u{20E3}'
        | '\u{E0020}'..='\u{E007F}')
}

/// Digits of any script, but not Han number characters such as 〇 (category Nl).
fn is_digit_like(c: char) -> bool {
    c.is_numeric() && !is_han(c)
}

/// Checks a real name.
#[must_use]
pub fn check(input: &str) -> FieldReport {
    let (normalized, mut issues) = normalize(input);
    issues.extend(validate(&normalized));
    FieldReport::new(FieldKind::Name, input, normalized, issues)
}

/// Cleans a name and reports each visible change as a notice. The result is NFC: removing a
/// space or a dot between combining marks can change their canonical order.
fn normalize(input: &str) -> (String, Vec<Issue>) {
    let (name, notices) = normalize_parts(input);
    (name.nfc().collect(), notices)
}

fn normalize_parts(input: &str) -> (String, Vec<Issue>) {
    let mut notices = Vec::new();
    let cleaned = normalize::clean(input);

    // Full-width ASCII (PDF/IME copy) and Kangxi radicals fold to their ordinary forms;
    // everything else gets NFC only (NFKC would rewrite CJK punctuation and more).
    let mut widened = false;
    let folded: String = cleaned
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' | '\u{3000}' | '\u{2F00}'..='\u{2FD5}' => {
                widened |= !('\u{2F00}'..='\u{2FD5}').contains(&c);
                c.nfkc().next().unwrap_or(c)
            }
            '\u{2019}' | '\u{2018}' | '\u{02BC}' => '\'',
            '\u{2010}' | '\u{2011}' => '-',
            _ => c,
        })
        .collect();
    if widened {
        notices.push(Issue::info(Code::NameWidthNormalized));
    }
    let nfc: String = folded.nfc().collect();

    let has_han = nfc.chars().any(is_han);
    let has_latin = nfc.chars().any(is_latin_letter);

    if has_han && !has_latin {
        let (name, dots, spaces) = tidy_han(&nfc);
        if dots {
            notices.push(Issue::info(Code::NameDotsNormalized));
        }
        if spaces {
            notices.push(Issue::info(Code::NameSpacesRemoved));
        }
        return (name, notices);
    }
    if !has_han && is_mrz_style(&nfc) {
        notices.push(Issue::info(Code::NameMrzStyle));
        return (from_mrz_style(&nfc), notices);
    }
    // Latin or mixed: collapse runs of whitespace to one space.
    let name = nfc.split_whitespace().collect::<Vec<_>>().join(" ");
    (name, notices)
}

/// In a Han name, every dot look-alike becomes U+00B7 and all whitespace goes.
/// Returns the name and whether dots / spaces were changed.
fn tidy_han(s: &str) -> (String, bool, bool) {
    let mut dots = false;
    let mut spaces = false;
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_whitespace() {
            spaces = true;
        } else if is_dot_lookalike(c) {
            dots |= c != SEPARATOR;
            out.push(SEPARATOR);
        } else {
            out.push(c);
        }
    }
    (out, dots, spaces)
}

/// `ZHANG<<SAN`, `ERIKSSON<<ANNA<MARIA`: upper-case letters and `<` with a `<<` split.
fn is_mrz_style(s: &str) -> bool {
    s.contains("<<")
        && s.chars().all(|c| c.is_ascii_uppercase() || c == '<')
        && s.chars().any(|c| c.is_ascii_uppercase())
}

fn from_mrz_style(s: &str) -> String {
    s.split('<')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn validate(name: &str) -> Vec<Issue> {
    let count = name.chars().count();
    if count == 0 {
        return vec![Issue::fail(Code::NameEmpty)];
    }
    let mut out = Vec::new();
    if count > MAX_CHARS {
        out.push(Issue::fail(Code::NameTooLong).with("max", MAX_CHARS.to_string()));
    }
    let han = name.chars().filter(|&c| is_han(c)).count();
    let latin = name.chars().filter(|&c| is_latin_letter(c)).count();

    if name.chars().any(is_digit_like) {
        out.push(Issue::fail(Code::NameDigits));
    }
    if name.chars().any(is_emoji) {
        out.push(Issue::fail(Code::NameEmoji));
    }
    if name
        .chars()
        .any(|c| matches!(c, '<' | '>' | '&' | '"' | '/' | '\\' | '{' | '}' | '='))
    {
        out.push(Issue::fail(Code::NameMarkup));
    }
    let other = name.chars().find(|&c| {
        !(is_han(c)
            || is_latin_letter(c)
            || c == SEPARATOR
            || is_latin_punct(c)
            || is_digit_like(c)
            || is_emoji(c)
            || matches!(c, '<' | '>' | '&' | '"' | '/' | '\\' | '{' | '}' | '='))
    });
    if let Some(c) = other {
        out.push(Issue::fail(Code::NameInvalidChar).with("char", display_char(c)));
    }
    if !out.is_empty() {
        return out;
    }

    if han > 0 && latin == 0 {
        han_rules(name, han, &mut out);
    } else if han == 0 {
        latin_rules(name, latin, &mut out);
    } else {
        out.push(Issue::warn(Code::NameMixedScript));
        if separator_misplaced(name) {
            out.push(Issue::fail(Code::NameSeparatorPosition));
        }
    }
    out
}

fn han_rules(name: &str, han: usize, out: &mut Vec<Issue>) {
    if name.chars().any(|c| is_latin_punct(c) && c != '.') {
        let c = name.chars().find(|&c| is_latin_punct(c)).unwrap_or(' ');
        out.push(Issue::fail(Code::NameInvalidChar).with("char", display_char(c)));
    }
    if separator_misplaced(name) {
        out.push(Issue::fail(Code::NameSeparatorPosition));
    } else if han == 1 {
        out.push(Issue::warn(Code::NameSingleChar));
    }
}

fn latin_rules(name: &str, latin: usize, out: &mut Vec<Issue>) {
    if latin == 0 {
        // Only separators or punctuation were typed.
        out.push(Issue::fail(Code::NameSeparatorPosition));
        return;
    }
    if name.contains(SEPARATOR) {
        out.push(Issue::fail(Code::NameInvalidChar).with("char", SEPARATOR.to_string()));
    }
    let first_ok = name.chars().next().is_some_and(is_latin_letter);
    let last_ok = name
        .chars()
        .last()
        .is_some_and(|c| is_latin_letter(c) || c == '.');
    let doubled = name
        .chars()
        .zip(name.chars().skip(1))
        .any(|(a, b)| a != ' ' && b != ' ' && is_latin_punct(a) && is_latin_punct(b));
    if !first_ok || !last_ok || doubled {
        out.push(Issue::fail(Code::NameLatinPunctuation));
    }
}

/// A separator at either end, or two in a row.
fn separator_misplaced(name: &str) -> bool {
    name.starts_with(SEPARATOR) || name.ends_with(SEPARATOR) || name.contains("\u{00B7}\u{00B7}")
}

/// A character as shown in a message: itself, or its code point when invisible.
fn display_char(c: char) -> String {
    if c.is_control() || c.is_whitespace() {
        format!("U+{:04X}", u32::from(c))
    } else {
        c.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::super::report::Status::{self, Fail, Pass, Warn};
    use super::*;
    use proptest::prelude::*;

    fn expect(input: &str, status: Status, normalized: Option<&str>) {
        let r = check(input);
        assert_eq!(r.status(), status, "{input:?}: {:?}", r.issues);
        if let Some(n) = normalized {
            assert_eq!(r.normalized, n, "{input:?}");
        }
    }

    #[test]
    fn han_names() {
        expect("张三", Pass, Some("张三"));
        expect("欧阳娜娜", Pass, None);
        expect("陳大文", Pass, Some("陳大文"));
        expect("阿卜杜热合曼·买买提", Pass, None);
        for dot in [
            '\u{2022}', '\u{30FB}', '\u{FF65}', '\u{2027}', '\u{FF0E}', '.', '\u{22C5}',
            '\u{0387}', '\u{2219}',
        ] {
            expect(
                &format!("阿卜杜热合曼{dot}买买提"),
                Pass,
                Some("阿卜杜热合曼·买买提"),
            );
        }
        for rare in ["王𠀀", "𪚥", "张𬱖", "李䶮", "龑龑", "𰻝𰻝", "张﨎", "洪〇"]
        {
            expect(
                rare,
                if rare.chars().count() == 1 {
                    Warn
                } else {
                    Pass
                },
                Some(rare),
            );
        }
        expect("王⼀", Pass, Some("王一"));
        expect("张 三", Pass, Some("张三"));
        expect("张\u{3000}三", Pass, Some("张三"));
        expect(" 张三\u{200B} ", Pass, Some("张三"));
        expect("阿卜杜热合曼 · 买买提", Pass, Some("阿卜杜热合曼·买买提"));
        expect("张", Warn, None);
    }

    #[test]
    fn fifty_and_more_characters_are_allowed() {
        let long: String = std::iter::repeat_n("阿卜杜热合曼", 8)
            .collect::<Vec<_>>()
            .join("·");
        assert!(long.chars().count() >= 50);
        expect(&long, Pass, None);
        let rare: String = std::iter::repeat_n('𠀀', 60).collect();
        expect(&rare, Pass, None);
        let too_long: String = std::iter::repeat_n('张', MAX_CHARS + 1).collect();
        expect(&too_long, Fail, None);
    }

    #[test]
    fn han_fails() {
        for bad in [
            "",
            "   ",
            "张三1",
            "张三😀",
            "张三!",
            "<b>张三</b>",
            "·买买提",
            "买买提·",
            "买买提··艾力",
            "买买提•",
            "张三@",
            "张,三",
        ] {
            expect(bad, Fail, None);
        }
        assert!(check("·买买提").has(Code::NameSeparatorPosition));
        assert!(check("张三😀").has(Code::NameEmoji));
        assert!(check("张三1").has(Code::NameDigits));
    }

    #[test]
    fn latin_names() {
        expect("Zhang San", Pass, None);
        expect("ZHANG SAN", Pass, None);
        expect("zhang  san", Pass, Some("zhang san"));
        expect("ＺＨＡＮＧ　ＳＡＮ", Pass, Some("ZHANG SAN"));
        expect("ZHANG<<SAN", Pass, Some("ZHANG SAN"));
        expect(
            "ERIKSSON<<ANNA<MARIA<<<<",
            Pass,
            Some("ERIKSSON ANNA MARIA"),
        );
        expect("LYU XIAOJUN", Pass, None);
        expect("O'Brien", Pass, None);
        expect("O\u{2019}Brien", Pass, Some("O'Brien"));
        expect("Jean-Luc Picard", Pass, None);
        expect("Jose\u{0301}", Pass, Some("José"));
        expect("MÜLLER", Pass, None);
        expect("Madonna", Pass, None);
        expect("Martin Luther King Jr.", Pass, None);
        expect("Smith, John", Pass, None);
        expect("张San", Warn, None);
        for bad in [
            "John3", "<script>", "-John", "John-", "Jo--hn", "John!", "'", "...", "John😀",
        ] {
            expect(bad, Fail, None);
        }
    }

    proptest! {
        #[test]
        fn normalization_is_idempotent(s in "\\PC{0,30}") {
            let once = check(&s).normalized;
            prop_assert_eq!(check(&once).normalized, once.clone());
        }

        #[test]
        fn any_run_of_supplementary_ideographs_passes(
            chars in proptest::collection::vec(0x20000u32..0x2A6E0, 2..50)
        ) {
            let name: String = chars.into_iter().filter_map(char::from_u32).collect();
            prop_assert_eq!(check(&name).status(), Pass);
        }
    }
}
