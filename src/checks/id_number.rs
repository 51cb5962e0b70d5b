//! PRC resident identity card number (公民身份号码, GB 11643-1999).
//!
//! `AAAAAA YYYYMMDD SSS C`: 6-digit address code, birth date, sequence (odd = male), and an
//! ISO 7064 MOD 11-2 check character. The same format is used by the HK/Macao/Taiwan
//! residents' residence permits (address codes 810000/820000/830000) and, with first digit 9,
//! by the 2023 foreigners' permanent residence card.
//!
//! County codes are deliberately not checked against a list: a number is for life, and
//! old county codes stay valid on millions of cards.

use super::date::Date;
use super::normalize;
use super::report::{Code, FieldKind, FieldReport, Issue};

/// Weights `W_i = 2^(18-i) mod 11` for positions 1..=17.
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// Check character for `S mod 11`.
const CHECK_CHARS: &[u8; 11] = b"10X98765432";

/// Province-level codes of GB/T 2260 (71 = Taiwan) plus 81/82/83 for the residence permits.
const PROVINCES: [u8; 35] = [
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
    53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83,
];

/// Earliest accepted birth date; `18xx` is almost always a typo.
const EARLIEST_BIRTH: Date = Date {
    year: 1900,
    month: 1,
    day: 1,
};

/// ISO 7064 MOD 11-2 check character of the first 17 digits: `"10X98765432"[Σ aᵢ·Wᵢ mod 11]`.
/// `None` unless `body` is exactly 17 ASCII digits.
#[must_use]
pub fn check_char(body: &str) -> Option<char> {
    if body.len() != 17 || !body.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sum: u32 = body
        .bytes()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    Some(char::from(CHECK_CHARS[(sum % 11) as usize]))
}

/// Checks a resident ID number; `today` is the current date in Asia/Shanghai.
#[must_use]
pub fn check(input: &str, today: Date) -> FieldReport {
    // Besides spaces and dashes, people group ID numbers with dots (`360426.19910101.0071`).
    let n = normalize::number_with(input, |c| normalize::is_number_separator(c) || c == '.');
    let issues = issues(&n, today);
    FieldReport::new(FieldKind::IdNumber, input, n, issues)
}

fn issues(n: &str, today: Date) -> Vec<Issue> {
    if n.is_empty() {
        return vec![Issue::fail(Code::IdEmpty)];
    }
    if let Some(bad) = n.chars().find(|c| !c.is_ascii_digit() && *c != 'X') {
        return vec![Issue::fail(Code::IdInvalidChar).with("char", bad.to_string())];
    }
    let len = n.len(); // ASCII only from here on
    let mut out = Vec::new();
    if n[..len.saturating_sub(1)].contains('X') || (len < 18 && n.ends_with('X')) {
        out.push(Issue::fail(Code::IdXPosition));
    }
    if len >= 2 && !n.starts_with('9') {
        let province = n[..2].parse::<u8>().unwrap_or(0);
        if !PROVINCES.contains(&province) {
            out.push(Issue::fail(Code::IdRegionUnknown).with("region", &n[..2]));
        }
    }
    if len == 15 && n.bytes().all(|b| b.is_ascii_digit()) {
        out.push(Issue::fail(Code::IdFirstGeneration).incomplete());
        out.extend(upgrade_suggestion(n));
        return out;
    }
    if len < 18 {
        out.push(
            Issue::fail(Code::IdTooShort)
                .with("count", len.to_string())
                .incomplete(),
        );
        return out;
    }
    if len > 18 {
        out.push(Issue::fail(Code::IdTooLong).with("count", len.to_string()));
        return out;
    }
    if !out.is_empty() && out.iter().any(|i| i.code == Code::IdXPosition) {
        return out;
    }
    let birth = &n[6..14];
    match Date::from_yyyymmdd(birth) {
        None => out.push(Issue::fail(Code::IdDateInvalid).with("digits", birth)),
        Some(d) if d > today => {
            out.push(Issue::fail(Code::IdDateFuture).with("date", d.to_string()))
        }
        Some(d) if d < EARLIEST_BIRTH => {
            out.push(Issue::fail(Code::IdDateTooEarly).with("date", d.to_string()));
        }
        Some(d) => out.push(
            Issue::info(Code::IdBirthDate)
                .with("date", d.to_string())
                .with("age", d.age_on(today).to_string()),
        ),
    }
    if check_char(&n[..17]) != n[17..].chars().next() {
        out.push(Issue::fail(Code::IdCheckMismatch));
    }
    if n.starts_with('9') {
        out.push(Issue::info(Code::IdPermanentResidence));
    } else if matches!(&n[..6], "810000" | "820000" | "830000") {
        out.push(Issue::info(Code::IdResidencePermit));
    }
    out
}

/// [`check`], and when a number was read from the portrait side's photo (`photo`), the
/// [`photo_mismatch`] warning against it.
#[must_use]
pub fn check_with_photo(input: &str, today: Date, photo: Option<&str>) -> FieldReport {
    let report = check(input, today);
    match photo.and_then(|read| photo_mismatch(&report.normalized, read)) {
        Some(mismatch) => {
            let issues = report.issues.into_iter().chain([mismatch]).collect();
            FieldReport::new(FieldKind::IdNumber, input, report.normalized, issues)
        }
        None => report,
    }
}

/// The typed number (normalized, as [`check`] gives it) against the number read from the
/// portrait side's photo (18 characters, its check character valid): a warning naming the
/// 1-based positions that differ (`positions`, comma-separated) and the read number
/// (`photo`). `None` when they agree, or when the typed number is not 18 characters long
/// (its length is reported already, and positions would not line up).
#[must_use]
pub fn photo_mismatch(typed: &str, read: &str) -> Option<Issue> {
    let positions = differing_positions(typed, read);
    if typed.len() != 18 || positions.is_empty() {
        return None;
    }
    let positions: Vec<String> = positions.iter().map(usize::to_string).collect();
    Some(
        Issue::warn(Code::IdPhotoMismatch)
            .with("photo", read)
            .with("positions", positions.join(",")),
    )
}

/// The 1-based positions where two numbers of the same length differ; empty when they are
/// equal or their lengths differ.
#[must_use]
pub fn differing_positions(a: &str, b: &str) -> Vec<usize> {
    if a.len() != b.len() {
        return Vec::new();
    }
    (a.bytes().zip(b.bytes()).enumerate())
        .filter(|(_, (x, y))| x != y)
        .map(|(i, _)| i + 1)
        .collect()
}

/// The 18-digit number a 15-digit first-generation number (`AAAAAA YYMMDD SSS`, born in the
/// 1900s) became: `19` inserted before the year, check character appended. Only offered
/// when the date is real.
fn upgrade_suggestion(n: &str) -> Option<Issue> {
    let body = format!("{}19{}", &n[..6], &n[6..]);
    Date::from_yyyymmdd(&body[6..14])?;
    let c = check_char(&body)?;
    Some(Issue::info(Code::IdUpgradeSuggestion).with("suggestion", format!("{body}{c}")))
}

#[cfg(test)]
mod tests {
    use super::super::report::{Severity, Status};
    use super::*;
    use crate::checks::date::TEST_TODAY as TODAY;
    use proptest::prelude::*;

    #[test]
    fn photo_mismatch_names_the_positions_that_differ() {
        let read = "11010519491231002X";
        assert_eq!(photo_mismatch(read, read), None);
        // One digit mistyped (position 3) and two swapped (positions 13 and 14).
        let typed = "11110519491213002X";
        let issue = photo_mismatch(typed, read).map(|i| (i.severity, i.params));
        assert_eq!(
            issue,
            Some((
                Severity::Warn,
                vec![
                    ("photo", read.to_owned()),
                    ("positions", "3,13,14".to_owned())
                ]
            ))
        );
        // A typed number of another length is reported by `check`; no positions.
        assert_eq!(photo_mismatch("1101051949123100", read), None);
    }

    struct Case {
        input: &'static str,
        status: Status,
        code: Option<Code>,
        normalized: &'static str,
    }

    const fn case(input: &'static str, status: Status, code: Option<Code>) -> Case {
        Case {
            input,
            status,
            code,
            normalized: "",
        }
    }

    #[test]
    fn reference_vectors() {
        use Status::{Fail, Pass};
        let cases = [
            case("360426199101010071", Pass, Some(Code::IdBirthDate)),
            case("11010119900307002X", Pass, None),
            Case {
                normalized: "11010119900307002X",
                ..case("11010119900307002x", Pass, None)
            },
            case("44011320141005001x", Pass, None),
            Case {
                normalized: "360426199101010071",
                ..case(" 3604 2619 9101 0100 71 ", Pass, None)
            },
            case("360426-19910101-0071", Pass, None),
            case("３６０４２６１９９１０１０１００７１", Pass, None),
            case("11010119900307002Ｘ", Pass, None),
            case("412723199010050012", Pass, None),
            case("110115199001010013", Pass, None),
            case("110118199001010012", Pass, None),
            case("810000198001010014", Pass, Some(Code::IdResidencePermit)),
            case("820000199001010010", Pass, None),
            case("830000198001010018", Pass, None),
            case("911840198001010013", Pass, Some(Code::IdPermanentResidence)),
            case("110101200002290018", Pass, None),
            case("110101199001010007", Pass, None),
            case("110101192001019990", Pass, None),
            case("110101190002290011", Fail, Some(Code::IdDateInvalid)),
            case("110101200102290015", Fail, Some(Code::IdDateInvalid)),
            case("110101199013010012", Fail, Some(Code::IdDateInvalid)),
            case("11010119900100001X", Fail, Some(Code::IdDateInvalid)),
            case("110101209901010017", Fail, Some(Code::IdDateFuture)),
            case("110101180001010015", Fail, Some(Code::IdDateTooEarly)),
            case("000000199001010018", Fail, Some(Code::IdRegionUnknown)),
            case("100101199001010013", Fail, Some(Code::IdRegionUnknown)),
            case("360426199101010070", Fail, Some(Code::IdCheckMismatch)),
            case("360426199101010017", Fail, Some(Code::IdCheckMismatch)),
            case("110101900101001", Fail, Some(Code::IdFirstGeneration)),
            case("36042619910101007", Fail, Some(Code::IdTooShort)),
            case("3604261991010100711", Fail, Some(Code::IdTooLong)),
            case("3604261991010100X1", Fail, Some(Code::IdXPosition)),
            case("36042619910101007A", Fail, Some(Code::IdInvalidChar)),
            case("", Fail, Some(Code::IdEmpty)),
            case(" \u{3000} ", Fail, Some(Code::IdEmpty)),
        ];
        for c in cases {
            let r = check(c.input, TODAY);
            assert_eq!(r.status(), c.status, "{:?}: {:?}", c.input, r.issues);
            if let Some(code) = c.code {
                assert!(
                    r.has(code),
                    "{:?} lacks {:?}: {:?}",
                    c.input,
                    code,
                    r.issues
                );
            }
            if !c.normalized.is_empty() {
                assert_eq!(r.normalized, c.normalized);
            }
        }
    }

    #[test]
    fn first_generation_number_suggests_the_18_digit_form() {
        let r = check("110101900101001", TODAY);
        let issue = r
            .issues
            .iter()
            .find(|i| i.code == Code::IdUpgradeSuggestion);
        let suggestion = issue.and_then(|i| i.params.iter().find(|(k, _)| *k == "suggestion"));
        assert_eq!(
            suggestion.map(|(_, v)| v.as_str()),
            Some("110101199001010015")
        );
    }

    #[test]
    fn born_today_in_shanghai_passes_and_tomorrow_fails() {
        let tomorrow = Date::from_days(TODAY.to_days() + 1);
        let body = |d: Date| format!("110101{:04}{:02}{:02}001", d.year, d.month, d.day);
        let full = |d: Date| {
            let b = body(d);
            let c = check_char(&b).unwrap_or('?');
            format!("{b}{c}")
        };
        assert_eq!(check(&full(TODAY), TODAY).status(), Status::Pass);
        let r = check(&full(tomorrow), TODAY);
        assert!(r.has(Code::IdDateFuture), "{:?}", r.issues);
    }

    #[test]
    fn age_is_derived() {
        let r = check("360426199101010071", TODAY);
        let info = r.issues.iter().find(|i| i.code == Code::IdBirthDate);
        let params = info.map(|i| i.params.clone()).unwrap_or_default();
        assert!(params.contains(&("date", "1991-01-01".to_owned())));
        assert!(params.contains(&("age", "35".to_owned())));
    }

    #[test]
    fn unfinished_numbers_are_not_failed_while_typing() {
        for partial in ["3", "36", "3604", "36042619910101", "360426199101010"] {
            assert_eq!(check(partial, TODAY).typing_status(), None, "{partial}");
        }
        assert_eq!(check("00", TODAY).typing_status(), Some(Status::Fail));
    }

    fn valid_number() -> impl Strategy<Value = String> {
        (
            proptest::sample::select(PROVINCES.to_vec()),
            0u32..10_000,
            0i64..(TODAY.to_days() - EARLIEST_BIRTH.to_days()),
            0u32..1000,
        )
            .prop_map(|(p, county, day, seq)| {
                let d = Date::from_days(EARLIEST_BIRTH.to_days() + day);
                let body = format!(
                    "{p:02}{county:04}{:04}{:02}{:02}{seq:03}",
                    d.year, d.month, d.day
                );
                let c = check_char(&body).unwrap_or('?');
                format!("{body}{c}")
            })
    }

    proptest! {
        #[test]
        fn generated_valid_numbers_pass(n in valid_number()) {
            prop_assert_eq!(check(&n, TODAY).status(), Status::Pass);
        }

        #[test]
        fn every_single_character_change_fails(n in valid_number(), pos in 0usize..18, delta in 1u8..11) {
            // Replace one position by another symbol of the alphabet 0-9X (X only at the end).
            let alphabet: &[u8] = if pos == 17 { b"0123456789X" } else { b"0123456789" };
            let bytes = n.as_bytes();
            let i = alphabet.iter().position(|&b| b == bytes[pos]).unwrap_or(0);
            let replacement = alphabet[(i + usize::from(delta)) % alphabet.len()];
            prop_assume!(replacement != bytes[pos]);
            let mut changed = bytes.to_vec();
            changed[pos] = replacement;
            let changed = String::from_utf8(changed).unwrap_or_default();
            prop_assert_eq!(check(&changed, TODAY).status(), Status::Fail);
        }

        #[test]
        fn every_adjacent_transposition_fails(n in valid_number(), pos in 0usize..17) {
            let mut b = n.clone().into_bytes();
            prop_assume!(b[pos] != b[pos + 1]);
            b.swap(pos, pos + 1);
            let swapped = String::from_utf8(b).unwrap_or_default();
            prop_assert_eq!(check(&swapped, TODAY).status(), Status::Fail);
        }

        #[test]
        fn normalization_is_idempotent(s in "\\PC{0,24}") {
            let once = check(&s, TODAY).normalized;
            prop_assert_eq!(check(&once, TODAY).normalized, once.clone());
        }
    }
}
