//! The result of checking one field: a status, the normalized value and the issues found.
//!
//! A field that is wrong is a normal *result*, never an error: every check returns a
//! [`FieldReport`]. Issue codes ([`Code`]) are public API; their texts are rendered outside
//! the core (`crate::i18n`).

use serde::{Deserialize, Serialize};

/// Which form field a report is about. The serialised names are the DOM `name`s.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FieldKind {
    Name,
    IdNumber,
    PassportNumber,
    Phone,
    PassportExpiry,
    Mrz,
}

impl FieldKind {
    /// Every kind, in form order.
    pub const ALL: [FieldKind; 6] = [
        FieldKind::Name,
        FieldKind::IdNumber,
        FieldKind::PassportNumber,
        FieldKind::Phone,
        FieldKind::PassportExpiry,
        FieldKind::Mrz,
    ];

    /// The stable name used in the DOM (`name`, `data-field`), the CLI and the JS API.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            FieldKind::Name => "name",
            FieldKind::IdNumber => "id-number",
            FieldKind::PassportNumber => "passport-number",
            FieldKind::Phone => "phone",
            FieldKind::PassportExpiry => "passport-expiry",
            FieldKind::Mrz => "mrz",
        }
    }

    /// Parses [`FieldKind::as_str`] back.
    #[must_use]
    pub fn parse(s: &str) -> Option<FieldKind> {
        FieldKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Overall verdict on a field. Ordered: `Pass < Warn < Fail`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Valid.
    Pass,
    /// Accepted, but the shopper should look again.
    Warn,
    /// Will be rejected: submission is blocked.
    Fail,
}

impl Status {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Warn => "warn",
            Status::Fail => "fail",
        }
    }
}

/// How much one issue weighs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// A notice (something was normalized, a derived fact); does not change the status.
    Info,
    Warn,
    Fail,
}

/// Declares a public enum of stable string codes: the enum, `ALL`, `as_str` and a
/// `Serialize` impl that writes the string. Used for field issue codes and photo codes.
macro_rules! stable_codes {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $code:literal,)* }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name { $($variant,)* }

        impl $name {
            /// Every code, for catalogue completeness tests and docs.
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            /// The stable string, e.g. `id-number.check-mismatch`.
            #[must_use]
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code,)* }
            }

            /// The code whose stable string is `s`.
            #[must_use]
            pub fn parse(s: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|c| c.as_str() == s)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                $name::parse(&s)
                    .ok_or_else(|| serde::de::Error::custom(format!("unknown code {s:?}")))
            }
        }
    };
}
pub(crate) use stable_codes;

stable_codes! {
    /// Stable message codes. The strings are public API: host pages and the CLI key on them.
    Code {
    NameEmpty => "name.empty",
    NameTooLong => "name.too-long",
    NameDigits => "name.digits",
    NameEmoji => "name.emoji",
    NameMarkup => "name.markup",
    NameInvalidChar => "name.invalid-char",
    NameSeparatorPosition => "name.separator-position",
    NameLatinPunctuation => "name.latin-punctuation",
    NameSingleChar => "name.single-char",
    NameMixedScript => "name.mixed-script",
    NameSpacesRemoved => "name.spaces-removed",
    NameDotsNormalized => "name.dots-normalized",
    NameWidthNormalized => "name.width-normalized",
    NameMrzStyle => "name.mrz-style",
    IdEmpty => "id-number.empty",
    IdInvalidChar => "id-number.invalid-char",
    IdTooShort => "id-number.too-short",
    IdTooLong => "id-number.too-long",
    IdFirstGeneration => "id-number.first-generation",
    IdUpgradeSuggestion => "id-number.upgrade-suggestion",
    IdXPosition => "id-number.x-position",
    IdRegionUnknown => "id-number.region-unknown",
    IdDateInvalid => "id-number.date-invalid",
    IdDateFuture => "id-number.date-future",
    IdDateTooEarly => "id-number.date-too-early",
    IdCheckMismatch => "id-number.check-mismatch",
    IdBirthDate => "id-number.birth-date",
    IdResidencePermit => "id-number.residence-permit",
    IdPermanentResidence => "id-number.permanent-residence",
    IdPhotoMismatch => "id-number.photo-mismatch",
    PassportEmpty => "passport-number.empty",
    PassportInvalidChar => "passport-number.invalid-char",
    PassportTooShort => "passport-number.too-short",
    PassportTooLong => "passport-number.too-long",
    PassportChnLength => "passport-number.chn-length",
    PassportChnOldSeries => "passport-number.chn-old-series",
    PassportChnPattern => "passport-number.chn-pattern",
    PassportChnLetterForDigit => "passport-number.chn-letter-for-digit",
    PassportRepeated => "passport-number.repeated",
    PassportFillerRemoved => "passport-number.filler-removed",
    PassportCountryInvalid => "passport-number.country-invalid",
    PhoneEmpty => "phone.empty",
    PhoneInvalidChar => "phone.invalid-char",
    PhoneExtension => "phone.extension",
    PhoneNotMainland => "phone.not-mainland",
    PhoneNotMobile => "phone.not-mobile",
    PhoneInvalidPrefix => "phone.invalid-prefix",
    PhoneDataOnly => "phone.data-only",
    PhoneTooShort => "phone.too-short",
    PhoneTooLong => "phone.too-long",
    PhoneUnusualPrefix => "phone.unusual-prefix",
    PhonePrefixRemoved => "phone.prefix-removed",
    ExpiryEmpty => "passport-expiry.empty",
    ExpiryInvalid => "passport-expiry.invalid",
    ExpiryPassed => "passport-expiry.passed",
    ExpirySoon => "passport-expiry.soon",
    ExpiryValid => "passport-expiry.valid",
    MrzEmpty => "mrz.empty",
    MrzFormat => "mrz.format",
    MrzNotPassport => "mrz.not-passport",
    MrzCheckNumber => "mrz.check-number",
    MrzCheckBirth => "mrz.check-birth",
    MrzCheckExpiry => "mrz.check-expiry",
    MrzCheckPersonal => "mrz.check-personal",
    MrzCheckComposite => "mrz.check-composite",
    MrzNumberMismatch => "mrz.number-mismatch",
    MrzExpiryMismatch => "mrz.expiry-mismatch",
    MrzNameMismatch => "mrz.name-mismatch",
    MrzCountryMismatch => "mrz.country-mismatch",
    MrzExpired => "mrz.expired",
    MrzValid => "mrz.valid",
    }
}

/// One finding about a field, with the values its message needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issue {
    pub code: Code,
    pub severity: Severity,
    /// Named values substituted into the message (`{name}` placeholders).
    pub params: Vec<(&'static str, String)>,
    /// True when the value may simply be unfinished (too short so far). The UI holds such
    /// issues back while the shopper is still typing and shows them on blur.
    pub incomplete: bool,
}

impl Issue {
    #[must_use]
    pub fn new(code: Code, severity: Severity) -> Issue {
        Issue {
            code,
            severity,
            params: Vec::new(),
            incomplete: false,
        }
    }

    #[must_use]
    pub fn fail(code: Code) -> Issue {
        Issue::new(code, Severity::Fail)
    }

    #[must_use]
    pub fn warn(code: Code) -> Issue {
        Issue::new(code, Severity::Warn)
    }

    #[must_use]
    pub fn info(code: Code) -> Issue {
        Issue::new(code, Severity::Info)
    }

    /// Adds a message parameter.
    #[must_use]
    pub fn with(mut self, key: &'static str, value: impl Into<String>) -> Issue {
        self.params.push((key, value.into()));
        self
    }

    /// Marks the issue as possibly just unfinished typing.
    #[must_use]
    pub fn incomplete(mut self) -> Issue {
        self.incomplete = true;
        self
    }
}

/// The verdict on one field value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldReport {
    pub kind: FieldKind,
    /// The value as typed.
    pub input: String,
    /// The value after normalization; what should be submitted.
    pub normalized: String,
    /// Most severe issues first, in the order they were found otherwise.
    pub issues: Vec<Issue>,
}

impl FieldReport {
    /// Builds a report, ordering issues by severity (fail, warn, info), stable otherwise.
    #[must_use]
    pub fn new(kind: FieldKind, input: &str, normalized: String, issues: Vec<Issue>) -> Self {
        // A stable partition (a handful of issues; no sort code in the wasm).
        let issues = [Severity::Fail, Severity::Warn, Severity::Info]
            .into_iter()
            .flat_map(|s| issues.iter().filter(move |i| i.severity == s).cloned())
            .collect();
        FieldReport {
            kind,
            input: input.to_owned(),
            normalized,
            issues,
        }
    }

    /// The worst severity found; notices do not count.
    #[must_use]
    pub fn status(&self) -> Status {
        status_of(self.issues.iter())
    }

    /// Status while the shopper is still typing: issues that may only mean "not finished
    /// yet" are ignored; `None` when nothing but such issues was found.
    #[must_use]
    pub fn typing_status(&self) -> Option<Status> {
        let settled: Vec<&Issue> = self.issues.iter().filter(|i| !i.incomplete).collect();
        let only_unfinished = settled.len() < self.issues.len()
            && settled.iter().all(|i| i.severity < Severity::Fail);
        if only_unfinished {
            None
        } else {
            Some(status_of(settled.into_iter()))
        }
    }

    /// True when a code is among the issues.
    #[must_use]
    pub fn has(&self, code: Code) -> bool {
        self.issues.iter().any(|i| i.code == code)
    }
}

fn status_of<'a>(issues: impl Iterator<Item = &'a Issue>) -> Status {
    match issues.map(|i| i.severity).max() {
        Some(Severity::Fail) => Status::Fail,
        Some(Severity::Warn) => Status::Warn,
        _ => Status::Pass,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_prefixed_by_their_field() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            assert!(seen.insert(code.as_str()), "duplicate {}", code.as_str());
            let field = code.as_str().split('.').next().unwrap_or_default();
            assert!(FieldKind::parse(field).is_some(), "{}", code.as_str());
        }
    }

    #[test]
    fn status_is_the_worst_severity_and_ignores_notices() {
        let r = FieldReport::new(
            FieldKind::Name,
            "x",
            "x".into(),
            vec![Issue::info(Code::NameSpacesRemoved)],
        );
        assert_eq!(r.status(), Status::Pass);
        let r = FieldReport::new(
            FieldKind::Name,
            "x",
            "x".into(),
            vec![
                Issue::info(Code::NameSpacesRemoved),
                Issue::warn(Code::NameSingleChar),
                Issue::fail(Code::NameDigits),
            ],
        );
        assert_eq!(r.status(), Status::Fail);
        assert_eq!(r.issues[0].code, Code::NameDigits);
    }

    #[test]
    fn typing_status_holds_back_unfinished_values_only() {
        let short = FieldReport::new(
            FieldKind::IdNumber,
            "1101",
            "1101".into(),
            vec![Issue::fail(Code::IdTooShort).incomplete()],
        );
        assert_eq!(short.status(), Status::Fail);
        assert_eq!(short.typing_status(), None);
        let bad = FieldReport::new(
            FieldKind::IdNumber,
            "0001",
            "0001".into(),
            vec![
                Issue::fail(Code::IdTooShort).incomplete(),
                Issue::fail(Code::IdRegionUnknown),
            ],
        );
        assert_eq!(bad.typing_status(), Some(Status::Fail));
    }
}
