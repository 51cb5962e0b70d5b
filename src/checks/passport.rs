//! Passport number, by issuing country.
//!
//! PRC ordinary passports (NIA): `E` + 8 digits (2012–2017), then `E` + a letter other than
//! I/O + 7 digits; `DE`/`SE`/`PE` + 7 digits for official passports; `G` + 8 digits and
//! `14`/`15` + 7 digits are old, now expired series. Other countries: ICAO 9303 allows
//! `A–Z 0–9`; real numbers are 5–20 characters. Typed numbers carry no check digit.

use super::normalize;
use super::report::{Code, FieldKind, FieldReport, Issue};

/// The default issuing country.
pub const DEFAULT_COUNTRY: &str = "CHN";
/// Length bounds for non-PRC passport numbers.
pub const OTHER_MIN: usize = 5;
pub const OTHER_MAX: usize = 20;

/// Normalizes an ISO 3166-1 alpha-3 code (`chn` → `CHN`); `None` unless 3 ASCII letters.
#[must_use]
pub fn country_code(input: &str) -> Option<String> {
    let c = normalize::number(input);
    (c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase())).then_some(c)
}

/// Normalizes a passport number: width, separators, case; trailing MRZ fillers `<` removed.
#[must_use]
pub fn normalize(input: &str) -> (String, bool) {
    let n = normalize::number(input);
    let trimmed = n.trim_end_matches('<');
    let had_filler = trimmed.len() != n.len();
    (trimmed.to_owned(), had_filler)
}

/// Checks a passport number issued by `country` (ISO 3166-1 alpha-3).
#[must_use]
pub fn check(input: &str, country: &str) -> FieldReport {
    let (n, had_filler) = normalize(input);
    let mut issues = Vec::new();
    if had_filler && !n.is_empty() {
        issues.push(Issue::info(Code::PassportFillerRemoved));
    }
    match country_code(country) {
        None => issues.push(Issue::fail(Code::PassportCountryInvalid).with("country", country)),
        Some(_) if n.is_empty() => issues.push(Issue::fail(Code::PassportEmpty)),
        Some(c) => {
            if let Some(bad) = n.chars().find(|c| !c.is_ascii_alphanumeric()) {
                issues.push(Issue::fail(Code::PassportInvalidChar).with("char", bad.to_string()));
            } else if c == DEFAULT_COUNTRY {
                issues.extend(chn(&n));
            } else {
                issues.extend(other(&n));
            }
        }
    }
    FieldReport::new(FieldKind::PassportNumber, input, n, issues)
}

/// PRC passports: 9 characters, then the series rules.
fn chn(n: &str) -> Option<Issue> {
    let len = n.len();
    if len != 9 {
        let issue = Issue::fail(Code::PassportChnLength).with("count", len.to_string());
        return Some(if len < 9 { issue.incomplete() } else { issue });
    }
    let b = n.as_bytes();
    let digits = |from: usize| b[from..].iter().all(u8::is_ascii_digit);
    let e_series = b[0] == b'E'
        && (digits(1) || (b[1].is_ascii_uppercase() && !matches!(b[1], b'I' | b'O') && digits(2)));
    let official = matches!(&n[..2], "DE" | "SE" | "PE") && digits(2);
    if e_series || official {
        return None;
    }
    if b[0] == b'E' && matches!(b[1], b'I' | b'O') && digits(2) {
        let digit = if b[1] == b'O' { '0' } else { '1' };
        let suggestion = format!("E{digit}{}", &n[2..]);
        return Some(Issue::warn(Code::PassportChnLetterForDigit).with("suggestion", suggestion));
    }
    if (b[0] == b'G' && digits(1)) || (matches!(&n[..2], "14" | "15") && digits(2)) {
        return Some(Issue::warn(Code::PassportChnOldSeries));
    }
    Some(Issue::warn(Code::PassportChnPattern))
}

fn other(n: &str) -> Option<Issue> {
    let len = n.len();
    if len < OTHER_MIN {
        return Some(
            Issue::fail(Code::PassportTooShort)
                .with("min", OTHER_MIN.to_string())
                .incomplete(),
        );
    }
    if len > OTHER_MAX {
        return Some(Issue::fail(Code::PassportTooLong).with("max", OTHER_MAX.to_string()));
    }
    let first = n.chars().next();
    if n.chars().all(|c| Some(c) == first) {
        return Some(Issue::warn(Code::PassportRepeated));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::report::Status::{self, Fail, Pass, Warn};
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn prc_passports() {
        let cases: &[(&str, Status, Option<Code>)] = &[
            ("E12345678", Pass, None),
            ("EA1234567", Pass, None),
            ("EH1234567", Pass, None),
            ("e12345678", Pass, None),
            ("e 1234 5678", Pass, None),
            ("Ｅ１２３４５６７８", Pass, None),
            ("DE1234567", Pass, None),
            ("SE1234567", Pass, None),
            ("PE1234567", Pass, None),
            ("G12345678", Warn, Some(Code::PassportChnOldSeries)),
            ("141234567", Warn, Some(Code::PassportChnOldSeries)),
            ("EO1234567", Warn, Some(Code::PassportChnLetterForDigit)),
            ("EI1234567", Warn, Some(Code::PassportChnLetterForDigit)),
            ("123456789", Warn, Some(Code::PassportChnPattern)),
            ("K12345678", Warn, Some(Code::PassportChnPattern)),
            ("E1234567", Fail, Some(Code::PassportChnLength)),
            ("E123456789", Fail, Some(Code::PassportChnLength)),
            ("E1234567!", Fail, Some(Code::PassportInvalidChar)),
            ("", Fail, Some(Code::PassportEmpty)),
        ];
        for (input, status, code) in cases {
            let r = check(input, "CHN");
            assert_eq!(r.status(), *status, "{input:?}: {:?}", r.issues);
            if let Some(code) = code {
                assert!(r.has(*code), "{input:?}: {:?}", r.issues);
            }
        }
        let hint = check("EO1234567", "CHN");
        assert_eq!(
            hint.issues[0].params,
            vec![("suggestion", "E01234567".to_owned())]
        );
    }

    #[test]
    fn other_countries() {
        for (input, country, status) in [
            ("L898902C3", "UTO", Pass),
            ("C233126", "PRT", Pass),
            ("A12345678", "usa", Pass),
            ("123456789", "USA", Pass),
            ("L898902C<", "UTO", Pass),
            ("AB12", "USA", Fail),
            ("E1234567", "GBR", Pass),
            ("A1234567890123456789X", "DEU", Fail),
            ("AAAAAAA", "DEU", Warn),
            ("E12345678", "C", Fail),
        ] {
            assert_eq!(check(input, country).status(), status, "{input} {country}");
        }
        assert_eq!(check("L898902C<", "UTO").normalized, "L898902C");
    }

    proptest! {
        #[test]
        fn normalization_is_idempotent(s in "\\PC{0,24}") {
            let once = check(&s, "CHN").normalized;
            prop_assert_eq!(check(&once, "CHN").normalized, once.clone());
        }
    }
}
