//! Mainland China mobile number (must receive the SMS code).
//!
//! Hard rule: after removing formatting and one prefix (`+86`, `0086`, `86`, a trunk `0`, an
//! IP-dial prefix such as `17951`), the number is `1[3-9]` + 9 digits. Prefixes outside
//! libphonenumber's current mobile ranges only warn: its metadata lags new ranges (149, 192…).
//! 13-digit IoT numbers (140–144, 146, 148) cannot receive SMS.

use super::normalize::{self, is_number_separator};
use super::report::{Code, FieldKind, FieldReport, Issue};
use unicode_normalization::UnicodeNormalization;

/// Checks a mobile number.
#[must_use]
pub fn check(input: &str) -> FieldReport {
    // Trim again after NFKC: it turns some symbols into a space plus a combining mark.
    let text = normalize::clean(&normalize::clean(input).nfkc().collect::<String>());
    let (normalized, issues) = classify(&text);
    FieldReport::new(FieldKind::Phone, input, normalized, issues)
}

fn classify(text: &str) -> (String, Vec<Issue>) {
    if text.is_empty() {
        return (String::new(), vec![Issue::fail(Code::PhoneEmpty)]);
    }
    if has_extension(text) {
        return (text.to_owned(), vec![Issue::fail(Code::PhoneExtension)]);
    }
    // NFKC again: dropping a separator between combining marks can change their order.
    let compact: String = text
        .chars()
        .filter(|&c| !is_phone_separator(c))
        .nfkc()
        .collect();
    let (plus, digits) = match compact.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, compact.as_str()),
    };
    if let Some(bad) = digits.chars().find(|c| !c.is_ascii_digit()) {
        return (
            compact.clone(),
            vec![Issue::fail(Code::PhoneInvalidChar).with("char", bad.to_string())],
        );
    }

    let mut notices = Vec::new();
    let national = match strip_country(plus, digits) {
        Ok(Some(n)) => {
            notices.push(Issue::info(Code::PhonePrefixRemoved));
            n
        }
        Ok(None) => digits,
        Err(code) => {
            return (
                compact.clone(),
                vec![Issue::fail(Code::PhoneNotMainland).with("code", code)],
            );
        }
    };
    let national = match strip_trunk_or_ip_prefix(national) {
        Some(n) => {
            notices.push(Issue::info(Code::PhonePrefixRemoved));
            n
        }
        None => national,
    };
    notices.dedup();
    let mut issues = rules(national);
    if issues.iter().all(|i| i.code == Code::PhoneUnusualPrefix) {
        issues.extend(notices);
        (national.to_owned(), issues)
    } else {
        // A rejected number is shown as typed (without formatting), not half-stripped:
        // that keeps re-checking the normalized value stable.
        (compact.clone(), issues)
    }
}

/// Phone numbers are also written with dots, brackets and slashes: `(+86) 138.0013.8000`.
fn is_phone_separator(c: char) -> bool {
    is_number_separator(c) || matches!(c, '.' | '(' | ')' | '/')
}

/// `ext`, `x12`, `#`, `转`, `分机`, `,`/`;` (dialler pauses) mark an extension.
fn has_extension(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    lower.contains("ext")
        || lower.contains('#')
        || lower.contains('转')
        || lower.contains("分机")
        || lower.contains(',')
        || lower.contains(';')
        || lower
            .char_indices()
            .any(|(i, c)| c == 'x' && lower[..i].chars().any(|d| d.is_ascii_digit()))
}

/// Removes an international prefix. `Ok(None)`: there was none; `Err(code)`: a country
/// other than China (+86).
fn strip_country(plus: bool, digits: &str) -> Result<Option<&str>, String> {
    let international = if plus {
        Some(digits)
    } else {
        digits.strip_prefix("00")
    };
    if let Some(rest) = international {
        if let Some(national) = rest.strip_prefix("86") {
            return Ok(Some(national));
        }
        if "86".starts_with(rest) {
            // `+`, `+8`, `00`, `008`: the country code is still being typed.
            return Ok(Some(""));
        }
        return Err(format!("+{}", &rest[..rest.len().min(3)]));
    }
    if digits.len() == 13 && digits.starts_with("86") {
        return Ok(Some(&digits[2..]));
    }
    Ok(None)
}

/// A trunk `0` before a mobile (`013800138000`), or an IP-dial prefix `1[12]xx`/`179xx`
/// (`1795113800138000`), as libphonenumber strips them.
fn strip_trunk_or_ip_prefix(n: &str) -> Option<&str> {
    let is_mobile = |s: &str| s.len() == 11 && s.starts_with('1');
    if n.len() == 12 && n.starts_with("01") && is_mobile(&n[1..]) {
        return Some(&n[1..]);
    }
    let b = n.as_bytes();
    let ip_prefix = n.len() == 16
        && b[0] == b'1'
        && (matches!(b[1], b'1' | b'2') || (b[1] == b'7' && b[2] == b'9'));
    (ip_prefix && is_mobile(&n[5..])).then(|| &n[5..])
}

fn rules(n: &str) -> Vec<Issue> {
    let len = n.len();
    if len == 0 {
        return vec![Issue::fail(Code::PhoneTooShort)
            .with("count", "0")
            .incomplete()];
    }
    let trunk_mobile_so_far =
        n == "0" || (n.starts_with("01") && (len == 2 || n.as_bytes()[2] >= b'3'));
    if trunk_mobile_so_far && len < 12 {
        return vec![Issue::fail(Code::PhoneTooShort)
            .with("count", len.to_string())
            .incomplete()];
    }
    if !n.starts_with('1') {
        return vec![Issue::fail(Code::PhoneNotMobile)];
    }
    if len >= 2 && matches!(n.as_bytes()[1], b'0' | b'1' | b'2') {
        return vec![Issue::fail(Code::PhoneInvalidPrefix).with("prefix", &n[..2])];
    }
    if len == 13
        && matches!(
            &n[..3],
            "140" | "141" | "142" | "143" | "144" | "146" | "148"
        )
    {
        return vec![Issue::fail(Code::PhoneDataOnly).with("prefix", &n[..3])];
    }
    if len < 11 {
        return vec![Issue::fail(Code::PhoneTooShort)
            .with("count", len.to_string())
            .incomplete()];
    }
    if len > 11 {
        return vec![Issue::fail(Code::PhoneTooLong).with("count", len.to_string())];
    }
    if is_known_mobile_range(n) {
        Vec::new()
    } else {
        vec![Issue::warn(Code::PhoneUnusualPrefix).with("prefix", &n[..3])]
    }
}

/// libphonenumber 9.0.43's CN mobile pattern:
/// `1(?:610\d|740[0-5])\d{6}|1(?:[38]\d|4[57]|[59][0-35-9]|6[25-7]|7[0-35-8])\d{8}`.
/// `n` is 11 ASCII digits starting with 1.
#[must_use]
pub fn is_known_mobile_range(n: &str) -> bool {
    let b = n.as_bytes();
    if b.len() != 11 || b[0] != b'1' {
        return false;
    }
    let (second, third) = (b[1], b[2]);
    if n.starts_with("1610") || (n.starts_with("1740") && (b'0'..=b'5').contains(&b[4])) {
        return true;
    }
    match second {
        b'3' | b'8' => true,
        b'4' => matches!(third, b'5' | b'7'),
        b'5' | b'9' => third != b'4',
        b'6' => matches!(third, b'2' | b'5' | b'6' | b'7'),
        b'7' => matches!(third, b'0'..=b'3' | b'5'..=b'8'),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::super::report::Status::{self, Fail, Pass, Warn};
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reference_vectors() {
        let cases: &[(&str, Status)] = &[
            ("13800138000", Pass),
            ("+86 138 0013 8000", Pass),
            ("+86-138-0013-8000", Pass),
            ("(+86)13800138000", Pass),
            ("+86(138)00138000", Pass),
            ("008613800138000", Pass),
            ("0086 138 0013 8000", Pass),
            ("8613800138000", Pass),
            ("86-13800138000", Pass),
            ("+86 0138 0013 8000", Pass),
            ("013800138000", Pass),
            ("１３８００１３８０００", Pass),
            ("+８６１３８００１３８０００", Pass),
            ("138.0013.8000", Pass),
            ("1795113800138000", Pass),
            ("+86 13800138000 ext 12", Fail),
            ("13800138000转12", Fail),
            ("13800138000#12", Fail),
            ("13800138000 x12", Fail),
            ("19212345678", Pass),
            ("16212345678", Pass),
            ("16512345678", Pass),
            ("16712345678", Pass),
            ("17012345678", Pass),
            ("17112345678", Pass),
            ("16101234567", Pass),
            ("17212345678", Pass),
            ("17400123456", Pass),
            ("17491234567", Warn),
            ("14512345678", Pass),
            ("14712345678", Pass),
            ("14912345678", Warn),
            ("14612345678", Warn),
            ("14812345678", Warn),
            ("1440123456789", Fail),
            ("1410123456789", Fail),
            ("15412345678", Warn),
            ("19412345678", Warn),
            ("16112345678", Warn),
            ("12345678901", Fail),
            ("11012345678", Fail),
            ("10012345678", Fail),
            ("01012345678", Fail),
            ("+86 10 1234 5678", Fail),
            ("1380013800", Fail),
            ("138001380001", Fail),
            ("+852 61234567", Fail),
            ("+1 415 555 0100", Fail),
            ("13800l38000", Fail),
            ("", Fail),
        ];
        for (input, status) in cases {
            let r = check(input);
            assert_eq!(r.status(), *status, "{input:?}: {:?}", r.issues);
        }
        assert_eq!(check("+86 0138 0013 8000").normalized, "13800138000");
        let reordered = check("Jv\u{6db}\u{65f}.\u{6df}eU/");
        assert_eq!(
            check(&reordered.normalized).normalized,
            reordered.normalized
        );
        let twice = check("+86 8613800138000");
        assert_eq!(check(&twice.normalized).normalized, twice.normalized);
        assert!(check("1440123456789").has(Code::PhoneDataOnly));
        assert!(check("+852 61234567").has(Code::PhoneNotMainland));
        assert!(check("+86 13800138000 ext 12").has(Code::PhoneExtension));
    }

    #[test]
    fn typing_a_number_is_not_an_error_until_blur() {
        for partial in [
            "1", "13", "138", "1380013", "+", "+8", "+86", "+86 138", "0", "00", "0086", "0138",
        ] {
            assert_eq!(check(partial).typing_status(), None, "{partial}");
        }
        assert_eq!(check("12").typing_status(), Some(Fail));
    }

    proptest! {
        #[test]
        fn any_known_range_number_passes_in_any_format(prefix in 130u32..200, rest in 0u32..100_000_000) {
            let n = format!("{prefix}{rest:08}");
            prop_assume!(is_known_mobile_range(&n));
            for f in [n.clone(), format!("+86 {n}"), format!("0086-{n}"), format!("86{n}")] {
                prop_assert_eq!(check(&f).status(), Pass, "{}", f);
            }
        }

        #[test]
        fn normalization_is_idempotent(s in "(\\+|00)?(86)?[0-9 ()-]{0,18}") {
            let once = check(&s).normalized;
            prop_assert_eq!(check(&once).normalized, once.clone());
        }
    }
}
