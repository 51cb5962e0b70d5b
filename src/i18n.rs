//! Renders the core's reports: message catalogues, one per locale, keyed by the stable
//! field [`Code`]s and [`PhotoCode`]s.
//!
//! The core ([`crate::checks`]) emits codes and typed parameters only and never names this
//! module; everything a shopper reads is made here. Templates use `{name}` placeholders
//! filled from an issue's params (or, for photo errors, from the error's own values). Each
//! catalogue is an exhaustive `match`, so the compiler refuses a code without a message in
//! every locale.

mod en;
mod zh_cn;

use crate::checks::photo::guidance::GuideCode;
use crate::checks::photo::{PhotoCode, PhotoError, PhotoReport};
use crate::checks::{Code, FieldKind, FieldReport, Issue, Severity, Status};
use serde::Serialize;

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

/// The issue message for `code` in `locale`, with `{placeholders}` filled from `params`.
#[must_use]
pub fn message(locale: Locale, code: Code, params: &[(&'static str, String)]) -> String {
    let template = match locale {
        Locale::ZhCn => zh_cn::issue(code),
        Locale::En => en::issue(code),
    };
    let params: Vec<(&'static str, String)> = params
        .iter()
        .map(|(k, v)| {
            (
                *k,
                if *k == "positions" {
                    list(locale, v)
                } else {
                    v.clone()
                },
            )
        })
        .collect();
    fill(template, &params)
}

/// A comma-separated list as the locale writes one: `3、13、14`, `3, 13, 14`.
fn list(locale: Locale, items: &str) -> String {
    let sep = match locale {
        Locale::ZhCn => "、",
        Locale::En => ", ",
    };
    items.split(',').collect::<Vec<_>>().join(sep)
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

/// The live camera guidance message of `code` in `locale`.
#[must_use]
pub fn guide_message(locale: Locale, code: GuideCode) -> &'static str {
    match locale {
        Locale::ZhCn => zh_cn::guide(code),
        Locale::En => en::guide(code),
    }
}

/// The message of one field issue in `locale`.
#[must_use]
pub fn issue_message(locale: Locale, issue: &Issue) -> String {
    message(locale, issue.code, &issue.params)
}

/// The message of a photo that could not be checked, in `locale`, with the limit that was
/// exceeded (from the error itself, never retyped).
#[must_use]
pub fn photo_error_message(locale: Locale, error: &PhotoError) -> String {
    let template = photo_message(locale, error.message_code());
    let params = match *error {
        // Decimal units, as phones show file sizes.
        PhotoError::TooLarge { max, .. } => vec![("max_mb", format!("{}", max / 1_000_000))],
        PhotoError::TooManyPixels { max, .. } => vec![("max_pixels", pixel_count(locale, max))],
        _ => Vec::new(),
    };
    fill(template, &params)
}

/// A pixel count as people say it: `200 megapixels`, `2 亿像素`, `5000 万像素`.
fn pixel_count(locale: Locale, pixels: u64) -> String {
    match locale {
        Locale::En => format!("{} megapixels", pixels / 1_000_000),
        Locale::ZhCn if pixels.is_multiple_of(100_000_000) => {
            format!("{} 亿像素", pixels / 100_000_000)
        }
        Locale::ZhCn => format!("{} 万像素", pixels / 10_000),
    }
}

/// The JSON shape of a field report: `{"kind","input","status","normalized","issues":[…]}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReportView {
    pub kind: FieldKind,
    pub input: String,
    pub status: Status,
    pub normalized: String,
    pub issues: Vec<IssueView>,
}

/// One issue with its message rendered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct IssueView {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
}

/// A field report with its messages in `locale` (the CLI and the JS API print this).
#[must_use]
pub fn field_view(report: &FieldReport, locale: Locale) -> ReportView {
    ReportView {
        kind: report.kind,
        input: report.input.clone(),
        status: report.status(),
        normalized: report.normalized.clone(),
        issues: report
            .issues
            .iter()
            .map(|i| IssueView {
                code: i.code,
                severity: i.severity,
                message: issue_message(locale, i),
            })
            .collect(),
    }
}

/// A photo report as JSON with messages in `locale`: `{slot, width, height, status,
/// checks: [{id, status, value, threshold, code, message}], metrics, glare_boxes,
/// document_quad: [{x, y}; 4] | null, face_boxes: [{x, y, width, height, score}]}`. The
/// CLI and the JS API both print this.
#[must_use]
pub fn photo_json(report: &PhotoReport, locale: Locale) -> serde_json::Value {
    let checks: Vec<serde_json::Value> = report
        .checks
        .iter()
        .map(|c| {
            serde_json::json!({
                "id": c.id,
                "status": c.status,
                "value": c.value,
                "threshold": c.threshold,
                "code": c.code,
                "message": photo_message(locale, c.code),
            })
        })
        .collect();
    serde_json::json!({
        "slot": report.slot,
        "width": report.width,
        "height": report.height,
        "status": report.status(),
        "checks": checks,
        "metrics": report.metrics,
        "glare_boxes": report.glare_boxes,
        "document_quad": report.document_quad,
        "face_boxes": report.face_boxes,
        "mrz": report.mrz,
        "id_number": report.id_number,
    })
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
    fn positions_are_listed_as_each_locale_writes_them() {
        let issue = id_number::photo_mismatch("11110519491213002X", "11010519491231002X");
        let m = |locale| issue.as_ref().map(|i| issue_message(locale, i));
        assert_eq!(
            m(Locale::ZhCn).as_deref(),
            Some("与身份证照片上的号码（11010519491231002X）不一致：第 3、13、14 位不同，请逐位核对。")
        );
        assert!(m(Locale::En).is_some_and(|m| m.contains("positions: 3, 13, 14.")));
    }

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
        .chain(id_number::photo_mismatch("11110519491213002X", "11010519491231002X").map(|i| FieldReport::new(FieldKind::IdNumber, "", String::new(), vec![i])))
        .chain(["", "ext", "1380013800x", "+852 61234567", "01012345678", "12345678901", "1440123456789", "138", "138001380001", "14912345678", "+8613800138000", "13800l38000"].iter().map(|s| phone::check(s)))
        .chain(["", "x", "2020-01-01", "2026-12-01", "2030-01-01"].iter().map(|s| crate::checks::expiry::check(s, today)))
        .chain(["", "P<", "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"].iter().map(|s| mrz::check(s, &mrz::Typed::default(), today)))
        .collect();
        let mut seen = std::collections::HashSet::new();
        for r in &reports {
            for issue in &r.issues {
                seen.insert(issue.code);
                for locale in Locale::ALL {
                    let m = issue_message(locale, issue);
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
    fn photo_errors_name_the_limit_in_force() {
        let big = PhotoError::TooLarge {
            bytes: 60_000_000,
            max: 50_000_000,
        };
        assert!(photo_error_message(Locale::En, &big).contains("under 50 MB"));
        assert!(photo_error_message(Locale::ZhCn, &big).contains("50 MB"));
        let huge = PhotoError::TooManyPixels {
            width: 20_000,
            height: 20_000,
            max: 200_000_000,
        };
        assert!(photo_error_message(Locale::En, &huge).contains("200 megapixels"));
        assert!(photo_error_message(Locale::ZhCn, &huge).contains("2 亿像素"));
        let small = PhotoError::TooManyPixels {
            width: 9000,
            height: 9000,
            max: 50_000_000,
        };
        assert!(photo_error_message(Locale::ZhCn, &small).contains("5000 万像素"));
        for code in PhotoCode::ALL {
            for locale in Locale::ALL {
                assert!(!photo_message(locale, *code).trim().is_empty());
            }
        }
        for &code in GuideCode::ALL {
            let zh = guide_message(Locale::ZhCn, code);
            assert!(
                zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{zh}"
            );
            assert_ne!(
                guide_message(Locale::ZhCn, code),
                guide_message(Locale::En, code)
            );
        }
    }

    #[test]
    fn locale_tags() {
        assert_eq!(Locale::parse("zh_CN"), Some(Locale::ZhCn));
        assert_eq!(Locale::parse("en-GB"), Some(Locale::En));
        assert_eq!(Locale::parse("fr"), None);
        assert_eq!(Locale::default().tag(), "zh-CN");
    }
}
