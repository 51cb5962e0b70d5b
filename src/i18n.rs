//! Message catalogues, one per locale, keyed by the stable issue [`Code`]s and UI [`Text`]s.
//!
//! Templates use `{name}` placeholders filled from an issue's params. Each catalogue is an
//! exhaustive `match`, so the compiler refuses a code without a message in every locale.

mod en;
mod zh_cn;

use crate::checks::photo::PhotoCode;
use crate::checks::Code;

/// A supported locale. zh-CN is the default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Locale {
    #[default]
    ZhCn,
    En,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::ZhCn, Locale::En];

    /// BCP 47 tag, as used in `<html lang>` and the API.
    #[must_use]
    pub fn tag(self) -> &'static str {
        match self {
            Locale::ZhCn => "zh-CN",
            Locale::En => "en",
        }
    }

    /// Parses a tag loosely: `zh`, `zh-CN`, `zh_cn`, `en`, `en-US`…
    #[must_use]
    pub fn parse(tag: &str) -> Option<Locale> {
        let t = tag.trim().to_ascii_lowercase().replace('_', "-");
        if t == "zh" || t.starts_with("zh-") {
            Some(Locale::ZhCn)
        } else if t == "en" || t.starts_with("en-") {
            Some(Locale::En)
        } else {
            None
        }
    }
}

/// Texts of the user interface that are not issue messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Text {
    Title,
    Intro,
    DocType,
    DocIdCard,
    DocPassport,
    Name,
    NameHint,
    IdNumber,
    IdNumberHint,
    PassportNumber,
    PassportNumberHint,
    PassportCountry,
    PassportExpiry,
    PassportExpiryHint,
    Mrz,
    MrzHint,
    Phone,
    PhoneHint,
    StatusPass,
    StatusWarn,
    StatusFail,
    StatusEmpty,
    Normalized,
    Privacy,
    Language,
    Summary,
    SummaryPending,
    SummaryReady,
    SummaryWarn,
    SummaryFail,
    Crashed,
    Optional,
    Photos,
    PhotosIntro,
    SlotIdFront,
    SlotIdBack,
    SlotPassportData,
    SlotPassportVisa,
    SlotFace,
    SlotSelfie,
    HintIdFront,
    HintIdBack,
    HintPassportData,
    HintPassportVisa,
    HintFace,
    HintSelfie,
    ChoosePhoto,
    TakePhoto,
    DropHere,
    NoPhotoYet,
    Retake,
    Remove,
    Checking,
    CouldNotCheck,
    CheckResolution,
    CheckBrightness,
    CheckContrast,
    CheckBlur,
    CheckGlare,
    CheckColor,
    CheckDuplicate,
    CheckFraming,
    CheckFace,
    DuplicateOf,
    UploadSize,
    Review,
    ReviewMissing,
    Submit,
    SubmitBlocked,
    WarningsToConfirm,
    ConfirmSubmit,
    Submitted,
}

/// The issue message for `code` in `locale`, with `{placeholders}` filled from `params`.
#[must_use]
pub fn message(locale: Locale, code: Code, params: &[(&'static str, String)]) -> String {
    let template = match locale {
        Locale::ZhCn => zh_cn::issue(code),
        Locale::En => en::issue(code),
    };
    fill(template, params)
}

/// The `{placeholders}` of `code`'s template in `locale` that `params` does not fill.
#[must_use]
pub fn unfilled(
    locale: Locale,
    code: Code,
    params: &[(&'static str, String)],
) -> Vec<&'static str> {
    let template = match locale {
        Locale::ZhCn => zh_cn::issue(code),
        Locale::En => en::issue(code),
    };
    template
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(key, _)| key))
        .filter(|key| !params.iter().any(|(k, _)| k == key))
        .collect()
}

/// The message of a photo result or error, with its tip, in `locale`.
#[must_use]
pub fn photo_message(locale: Locale, code: PhotoCode) -> &'static str {
    match locale {
        Locale::ZhCn => zh_cn::photo(code),
        Locale::En => en::photo(code),
    }
}

/// A UI text in `locale`.
#[must_use]
pub fn text(locale: Locale, t: Text) -> &'static str {
    match locale {
        Locale::ZhCn => zh_cn::text(t),
        Locale::En => en::text(t),
    }
}

/// Replaces each `{key}` in `template` with its value; unknown keys stay as written.
#[must_use]
pub fn fill(template: &str, params: &[(&'static str, String)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) => {
                let key = &after[..end];
                match params.iter().find(|(k, _)| *k == key) {
                    Some((_, v)) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(key);
                        out.push('}');
                    }
                }
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::{id_number, mrz, name, passport, phone, Date, FieldReport};

    #[test]
    fn fill_substitutes_known_keys_only() {
        let p = [("a", "1".to_owned())];
        assert_eq!(fill("x{a}y{b}z{", &p), "x1y{b}z{");
    }

    /// Every placeholder a check emits is filled, in both locales, and every message is
    /// non-empty: a broken `{param}` would reach shoppers otherwise.
    #[test]
    fn messages_have_no_unfilled_placeholders() {
        let today = Date {
            year: 2026,
            month: 11,
            day: 28,
        };
        let reports: Vec<FieldReport> = [
            "360426199101010071", "360426199101010070", "110101900101001", "1101", "110101209901010017",
            "110101180001010015", "110101199013010012", "000000199001010018", "911840198001010013",
            "810000198001010014", "3604261991010100X1", "36042619910101007A", "3604261991010100711", "",
        ]
        .iter()
        .map(|s| id_number::check(s, today))
        .chain(["", "张三1", "张三😀", "<b>", "张三!", "·买买提", "张", "张San", "张 三", "王•二", "ＡＢ", "A<<B", "-John"].iter().map(|s| name::check(s)))
        .chain(["", "E1234567", "G12345678", "EO1234567", "123456789", "E1234567!", "L898902C<"].iter().map(|s| passport::check(s, "CHN")))
        .chain(["AB1", "AAAAAAA", "A1234567890123456789X"].iter().map(|s| passport::check(s, "USA")))
        .chain([passport::check("E12345678", "X"), name::check(&"张".repeat(101))])
        .chain(["", "ext", "1380013800x", "+852 61234567", "01012345678", "12345678901", "1440123456789", "138", "138001380001", "14912345678", "+8613800138000", "13800l38000"].iter().map(|s| phone::check(s)))
        .chain(["", "x", "2020-01-01", "2026-12-01", "2030-01-01"].iter().map(|s| crate::checks::expiry::check(s, today)))
        .chain(["", "P<", "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"].iter().map(|s| mrz::check(s, &mrz::Typed::default(), today)))
        .collect();
        let mut seen = std::collections::HashSet::new();
        for r in &reports {
            for issue in &r.issues {
                seen.insert(issue.code);
                for locale in Locale::ALL {
                    let m = issue.message(locale);
                    assert!(!m.trim().is_empty(), "{:?}", issue.code);
                    assert!(!m.contains('{'), "{:?} {locale:?}: {m}", issue.code);
                    assert_eq!(
                        unfilled(locale, issue.code, &issue.params),
                        Vec::<&str>::new()
                    );
                }
            }
        }
        // The MRZ cross-check codes are exercised in mrz.rs; the rest must all appear here.
        let untested: Vec<&str> = Code::ALL
            .iter()
            .filter(|c| !seen.contains(c) && !c.as_str().starts_with("mrz."))
            .map(|c| c.as_str())
            .collect();
        assert!(untested.is_empty(), "codes never produced: {untested:?}");
    }

    #[test]
    fn locale_tags() {
        assert_eq!(Locale::parse("zh_CN"), Some(Locale::ZhCn));
        assert_eq!(Locale::parse("en-GB"), Some(Locale::En));
        assert_eq!(Locale::parse("fr"), None);
        assert_eq!(Locale::default().tag(), "zh-CN");
    }
}
