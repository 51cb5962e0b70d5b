//! Passport machine-readable zone (ICAO Doc 9303 TD3: two lines of 44 characters).
//!
//! Check digits (Part 3 §4.9): values `0–9` → 0–9, `A–Z` → 10–35, `<` → 0; weights 7, 3, 1
//! repeating; the digit is `Σ value·weight mod 10`. A long document number overflows into
//! the optional-data field (Part 4 §4.2.2.2).

use super::date::Date;
use super::name::is_latin_letter;
use super::report::{Code, FieldKind, FieldReport, Issue};
use unicode_normalization::UnicodeNormalization;

/// Length of each TD3 line.
pub const LINE: usize = 44;

/// ICAO 9303 7-3-1 check digit of `field`; `None` on a character outside `0-9A-Z<`.
#[must_use]
pub fn check_digit(field: &str) -> Option<u32> {
    let mut sum = 0u32;
    for (c, w) in field.chars().zip([7u32, 3, 1].into_iter().cycle()) {
        let v = match c {
            '0'..='9' => u32::from(c) - u32::from('0'),
            'A'..='Z' => u32::from(c) - u32::from('A') + 10,
            '<' => 0,
            _ => return None,
        };
        sum += v * w;
    }
    Some(sum % 10)
}

/// The fields of a TD3 MRZ.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Td3 {
    pub document_code: String,
    pub issuing_state: String,
    pub surname: String,
    pub given_names: String,
    pub number: String,
    pub nationality: String,
    /// `YYMMDD` as printed.
    pub birth: String,
    pub sex: char,
    /// `YYMMDD` as printed.
    pub expiry: String,
    pub personal: String,
    /// Codes of the check digits that do not match.
    pub bad_checks: Vec<Code>,
}

impl Td3 {
    /// Expiry as a date (always 20YY: passports are valid ≤ 10 years).
    #[must_use]
    pub fn expiry_date(&self) -> Option<Date> {
        Date::from_yyyymmdd(&format!("20{}", self.expiry))
    }
}

/// Pasted or typed MRZ text → two 44-character lines; spaces, width and ASCII case differences
/// are ignored (an MRZ is ASCII: see [`crate::checks::normalize::number_with`]).
fn lines(input: &str) -> Option<(String, String)> {
    let text: String = input
        .nfkc()
        .map(|c| c.to_ascii_uppercase())
        .map(|c| if matches!(c, '«' | '‹') { '<' } else { c })
        .collect();
    let rows: Vec<String> = text
        .lines()
        .map(|l| l.chars().filter(|c| !c.is_whitespace()).collect::<String>())
        .filter(|l| !l.is_empty())
        .collect();
    // Byte lengths and slicing below are only meaningful for ASCII text.
    if !rows.iter().all(|r| r.is_ascii()) {
        return None;
    }
    match rows.as_slice() {
        [a, b] if a.len() == LINE && b.len() == LINE => Some((a.clone(), b.clone())),
        [one] if one.len() == 2 * LINE => Some((one[..LINE].to_owned(), one[LINE..].to_owned())),
        _ => None,
    }
}

/// Parses a TD3 MRZ. `Err` carries the code of the structural problem.
///
/// # Errors
/// `MrzFormat` when the text is not two lines of 44 characters from `A–Z 0–9 <`;
/// `MrzNotPassport` when line 1 does not start with `P`.
pub fn parse(input: &str) -> Result<Td3, Code> {
    let (l1, l2) = lines(input).ok_or(Code::MrzFormat)?;
    parse_lines(&l1, &l2)
}

/// Parses the two lines of a TD3 MRZ as they stand: no Unicode normalisation, case folding or
/// whitespace removal (what [`parse`] does to pasted text first). For text that is already two
/// MRZ lines, such as the photo engine's reading of the zone, it gives what [`parse`] gives
/// for `"{l1}\n{l2}"`, without linking the NFKC tables (about 100 KB) into the photo worker.
///
/// # Errors
/// As [`parse`]; a line that is not 44 characters is `MrzFormat`.
pub fn parse_lines(l1: &str, l2: &str) -> Result<Td3, Code> {
    let ok = |s: &str| {
        s.len() == LINE
            && s.bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'<')
    };
    if !ok(l1) || !ok(l2) {
        return Err(Code::MrzFormat);
    }
    if !l1.starts_with('P') {
        return Err(Code::MrzNotPassport);
    }
    let name = &l1[5..];
    let (surname, given) = name.split_once("<<").unwrap_or((name, ""));
    let words = |s: &str| {
        s.split('<')
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    };

    let mut bad = Vec::new();
    let digit_ok = |field: &str, check: &str| {
        let expected = check_digit(field);
        match check {
            "<" => field.bytes().all(|b| b == b'<'),
            c => c.parse::<u32>().ok() == expected,
        }
    };
    // Document number, with the ICAO overflow into optional data.
    let mut number = l2[0..9].trim_end_matches('<').to_owned();
    let personal_field = &l2[28..42];
    if &l2[9..10] == "<" && !l2[0..9].contains('<') {
        let rest = personal_field.split('<').next().unwrap_or("");
        if rest.len() >= 2 {
            let (more, check) = rest.split_at(rest.len() - 1);
            if !digit_ok(&format!("{}{more}", &l2[0..9]), check) {
                bad.push(Code::MrzCheckNumber);
            }
            number.push_str(more);
        } else {
            bad.push(Code::MrzCheckNumber);
        }
    } else if !digit_ok(&l2[0..9], &l2[9..10]) {
        bad.push(Code::MrzCheckNumber);
    }
    if !digit_ok(&l2[13..19], &l2[19..20]) {
        bad.push(Code::MrzCheckBirth);
    }
    if !digit_ok(&l2[21..27], &l2[27..28]) {
        bad.push(Code::MrzCheckExpiry);
    }
    let personal_check = &l2[42..43];
    let personal_ok = if personal_check == "0" && personal_field.bytes().all(|b| b == b'<') {
        true
    } else {
        digit_ok(personal_field, personal_check)
    };
    if !personal_ok {
        bad.push(Code::MrzCheckPersonal);
    }
    let composite = format!("{}{}{}", &l2[0..10], &l2[13..20], &l2[21..43]);
    if !digit_ok(&composite, &l2[43..44]) {
        bad.push(Code::MrzCheckComposite);
    }

    Ok(Td3 {
        document_code: l1[0..2].trim_end_matches('<').to_owned(),
        issuing_state: l1[2..5].trim_end_matches('<').to_owned(),
        surname: words(surname),
        given_names: words(given),
        number,
        nationality: l2[10..13].trim_end_matches('<').to_owned(),
        birth: l2[13..19].to_owned(),
        sex: l2[20..21].chars().next().unwrap_or('<'),
        expiry: l2[21..27].to_owned(),
        personal: personal_field.trim_end_matches('<').to_owned(),
        bad_checks: bad,
    })
}

/// What the shopper typed elsewhere in the form, to compare with the MRZ.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Typed<'a> {
    pub number: &'a str,
    pub name: &'a str,
    pub expiry: &'a str,
    pub country: &'a str,
}

/// Checks pasted MRZ text and cross-checks it with the typed number, name and expiry.
#[must_use]
pub fn check(input: &str, typed: &Typed<'_>, today: Date) -> FieldReport {
    if input.trim().is_empty() {
        return FieldReport::new(
            FieldKind::Mrz,
            input,
            String::new(),
            vec![Issue::fail(Code::MrzEmpty)],
        );
    }
    let td3 = match parse(input) {
        Ok(t) => t,
        Err(code) => {
            let mut issue = Issue::fail(code);
            if code == Code::MrzFormat {
                issue = issue.incomplete();
            }
            return FieldReport::new(FieldKind::Mrz, input, String::new(), vec![issue]);
        }
    };
    let normalized = lines(input).map_or_else(String::new, |(a, b)| format!("{a}\n{b}"));
    let mut issues: Vec<Issue> = td3.bad_checks.iter().map(|&c| Issue::fail(c)).collect();
    if issues.is_empty() {
        issues.extend(cross_check(&td3, typed, today));
    }
    FieldReport::new(FieldKind::Mrz, input, normalized, issues)
}

fn cross_check(td3: &Td3, typed: &Typed<'_>, today: Date) -> Vec<Issue> {
    let mut out = Vec::new();
    let (number, _) = super::passport::normalize(typed.number);
    if !number.is_empty() && number != td3.number {
        out.push(Issue::fail(Code::MrzNumberMismatch).with("mrz", td3.number.clone()));
    }
    let expiry = td3.expiry_date();
    if let (Some(typed_expiry), Some(mrz_expiry)) = (Date::parse_iso(typed.expiry), expiry) {
        if typed_expiry != mrz_expiry {
            out.push(Issue::fail(Code::MrzExpiryMismatch).with("mrz", mrz_expiry.to_string()));
        }
    }
    if let Some(e) = expiry {
        if e <= today {
            out.push(Issue::fail(Code::MrzExpired).with("date", e.to_string()));
        }
    }
    if !name_matches(typed.name, td3) {
        let mrz_name = format!("{} {}", td3.surname, td3.given_names);
        out.push(Issue::warn(Code::MrzNameMismatch).with("mrz", mrz_name.trim().to_owned()));
    }
    let country = typed.country.trim().to_ascii_uppercase();
    if !country.is_empty() && country != td3.issuing_state {
        out.push(Issue::warn(Code::MrzCountryMismatch).with("mrz", td3.issuing_state.clone()));
    }
    if out.is_empty() {
        out.push(
            Issue::info(Code::MrzValid)
                .with("number", td3.number.clone())
                .with("expiry", expiry.map_or_else(String::new, |e| e.to_string())),
        );
    }
    out
}

/// The MRZ spelling of a typed Latin name (Doc 9303 Part 3): accents dropped (`Ü` → `U`),
/// `ß` → `SS`, apostrophes dropped, separators split words.
fn mrz_words(name: &str) -> Vec<String> {
    let mut s = String::new();
    for c in name.nfd() {
        match c {
            '\u{0300}'..='\u{036F}' | '\'' => {}
            'ß' => s.push_str("SS"),
            'Æ' | 'æ' => s.push_str("AE"),
            'Ø' | 'ø' => s.push('O'),
            c if c.is_ascii_alphabetic() => s.push(c.to_ascii_uppercase()),
            _ => s.push(' '),
        }
    }
    s.split_whitespace().map(str::to_owned).collect()
}

/// True unless a typed Latin name clearly differs from the MRZ name. The MRZ may be truncated
/// and may spell umlauts as `AE`, so every typed word must start or equal an MRZ word or the
/// other way round; Han names cannot be compared and always match.
fn name_matches(typed: &str, td3: &Td3) -> bool {
    if typed.trim().is_empty() || !typed.chars().any(is_latin_letter) {
        return true;
    }
    let typed = mrz_words(typed);
    let mrz: Vec<&str> = td3
        .surname
        .split(' ')
        .chain(td3.given_names.split(' '))
        .filter(|w| !w.is_empty())
        .collect();
    let close =
        |a: &str, b: &str| a == b || a.starts_with(b) || b.starts_with(a) || umlaut_eq(a, b);
    mrz.iter().all(|m| typed.iter().any(|t| close(t, m)))
        && typed.iter().all(|t| mrz.iter().any(|m| close(t, m)))
}

/// `MUELLER` and `MULLER` are both valid MRZ forms of MÜLLER.
fn umlaut_eq(a: &str, b: &str) -> bool {
    let fold = |s: &str| s.replace("AE", "A").replace("OE", "O").replace("UE", "U");
    fold(a) == fold(b)
}

#[cfg(test)]
mod tests {
    use super::super::report::Status;
    use super::*;

    const SPECIMEN: &str = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";
    const BEFORE_EXPIRY: Date = Date {
        year: 2011,
        month: 1,
        day: 1,
    };

    #[test]
    fn icao_check_digits() {
        assert_eq!(check_digit("L898902C3"), Some(6));
        assert_eq!(check_digit("740812"), Some(2));
        assert_eq!(check_digit("120415"), Some(9));
        assert_eq!(check_digit("ZE184226B<<<<<"), Some(1));
        assert_eq!(check_digit("E12345678"), Some(2));
        assert_eq!(check_digit("EA1234567"), Some(6));
        assert_eq!(check_digit("G12345678"), Some(6));
        assert_eq!(check_digit("a"), None);
    }

    #[test]
    fn specimen_parses_and_all_checks_pass() {
        let t = parse(SPECIMEN).unwrap_or_else(|c| panic!("{c:?}"));
        assert_eq!(t.number, "L898902C3");
        assert_eq!(t.surname, "ERIKSSON");
        assert_eq!(t.given_names, "ANNA MARIA");
        assert_eq!(t.issuing_state, "UTO");
        assert_eq!(t.expiry_date(), Date::new(2012, 4, 15));
        assert!(t.bad_checks.is_empty());
        let typed = Typed {
            number: "L898902C3",
            name: "Anna Maria Eriksson",
            expiry: "2012-04-15",
            country: "UTO",
        };
        let r = check(SPECIMEN, &typed, BEFORE_EXPIRY);
        assert_eq!(r.status(), Status::Pass, "{:?}", r.issues);
        // Pasted as one line, with spaces and in lower case: the same.
        let one_line = SPECIMEN.replace('\n', "").to_lowercase();
        assert_eq!(
            check(&one_line, &typed, BEFORE_EXPIRY).status(),
            Status::Pass
        );
    }

    #[test]
    fn every_single_digit_change_in_line_2_breaks_a_check() {
        let (l1, l2) = SPECIMEN.split_once('\n').unwrap_or_default();
        for (i, c) in l2.char_indices() {
            let Some(d) = c.to_digit(10) else { continue };
            for replacement in (0..10).filter(|&r| r != d) {
                let mut changed = l2.to_owned();
                changed.replace_range(i..=i, &replacement.to_string());
                let t = parse(&format!("{l1}\n{changed}"));
                let broken = t.map_or(true, |t| !t.bad_checks.is_empty());
                assert!(broken, "position {i} → {replacement}");
            }
        }
    }

    #[test]
    fn cross_checks_with_typed_fields() {
        let typed = Typed {
            number: "L898902C4",
            name: "JOHN SMITH",
            expiry: "2013-04-15",
            country: "CHN",
        };
        let r = check(SPECIMEN, &typed, BEFORE_EXPIRY);
        for code in [
            Code::MrzNumberMismatch,
            Code::MrzExpiryMismatch,
            Code::MrzNameMismatch,
            Code::MrzCountryMismatch,
        ] {
            assert!(r.has(code), "{code:?}: {:?}", r.issues);
        }
        let expired = check(
            SPECIMEN,
            &Typed::default(),
            Date {
                year: 2026,
                month: 1,
                day: 1,
            },
        );
        assert!(expired.has(Code::MrzExpired));
    }

    #[test]
    fn names_compare_after_transliteration() {
        let mut t = parse(SPECIMEN).unwrap_or_else(|c| panic!("{c:?}"));
        assert!(name_matches("ERIKSSON ANNA MARIA", &t));
        assert!(name_matches("张三", &t));
        assert!(!name_matches("ERIKSSON ANNA", &t));
        t.surname = "MUELLER".into();
        t.given_names = "JOSE".into();
        assert!(name_matches("José Müller", &t));
        t.surname = "OBRIEN".into();
        assert!(name_matches("José O'Brien", &t));
    }

    #[test]
    fn parse_lines_gives_what_parse_gives_for_clean_lines() {
        let (l1, l2) = SPECIMEN.split_once('\n').unwrap_or_default();
        assert_eq!(parse_lines(l1, l2), parse(SPECIMEN));
        // Every single-character change of line 2 (check digits, letters, fillers), a line
        // too short or too long, a visa's first line, a non-ASCII line of 44 bytes.
        let alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<";
        for i in 0..l2.len() {
            for c in alphabet.chars() {
                let mut changed = l2.to_owned();
                changed.replace_range(i..=i, c.encode_utf8(&mut [0; 4]));
                let joined = format!("{l1}\n{changed}");
                assert_eq!(parse_lines(l1, &changed), parse(&joined), "{i} → {c}");
            }
        }
        let visa = l1.replacen('P', "V", 1);
        let wide = format!("P{}<", "압".repeat(14)); // 44 bytes, not ASCII
        for (a, b) in [
            (l1, &l2[..43]),
            (l1, &format!("{l2}<")[..]),
            (&visa[..], l2),
            (&wide[..], l2),
        ] {
            assert_eq!(parse_lines(a, b), parse(&format!("{a}\n{b}")), "{a}\n{b}");
        }
    }

    #[test]
    fn broken_input() {
        let wide = format!("P{}", "압".repeat(29)); // 88 bytes, no char boundary at 44
        assert_eq!(
            check(&wide, &Typed::default(), BEFORE_EXPIRY).status(),
            Status::Fail
        );
        for bad in ["", "P<UTO", "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"] {
            assert_eq!(check(bad, &Typed::default(), BEFORE_EXPIRY).status(), Status::Fail);
        }
    }
}
