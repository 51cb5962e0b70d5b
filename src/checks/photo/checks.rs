//! The photo checks, one module per public check id, and their registry.
//!
//! Each module holds what one check is: its rules (the thresholds of one slot, under the
//! check's id in the rules JSON), its measurement (or, where several checks share one, a
//! pointer to it), its verdict, and the codes it can give. [`CheckId::ALL`] is the registry:
//! the report lists checks in its order, the rules JSON nests them by [`CheckId::as_str`],
//! the catalogues and the UI labels match on it exhaustively, and every result code belongs
//! to exactly one check ([`CheckId::codes`]).
//!
//! | id | module | measured on |
//! |---|---|---|
//! | `resolution` | [`resolution`] | the original photo's size |
//! | `brightness` | [`brightness`] | luma histogram (`exposure`), of the document when found |
//! | `contrast` | [`contrast`] | luma range of the frame (`exposure`) |
//! | `blur` | [`blur`] | tile sharpness; crisp edges of the document image |
//! | `glare` | [`glare`] | highlight blobs; washed-out areas of the document image |
//! | `color` | [`color`] | colorfulness σ-term of the frame |
//! | `framing` | [`framing`] | the document's outline (`photo::framing`) |
//! | `face` | [`face`] | faces from the detector (`photo::face`) |
//! | `side` | [`side`] | the read MRZ's type; a printed portrait on an ID card |

pub mod blur;
pub mod brightness;
pub mod color;
pub mod contrast;
pub mod face;
pub mod framing;
pub mod glare;
pub mod resolution;
pub mod side;

use super::report::{CheckResult, PhotoCode};
use super::rules::Limit;
use crate::checks::Status;
use serde::{Deserialize, Serialize};

/// The checks, in report order. The kebab-case ids are public API (`data-check`, the CLI,
/// the rules JSON).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CheckId {
    Resolution,
    Brightness,
    Contrast,
    Blur,
    Glare,
    Color,
    /// The whole document in frame and large enough (document slots only).
    Framing,
    /// Exactly one face (`face`), or a face at all (`selfie-with-document`); only when the
    /// face detector ran ([`super::face::analyze_with_faces`]).
    Face,
    /// The slot's own page or side: silent without certain evidence (passport pages with
    /// a read MRZ, the ID card's emblem slot).
    Side,
}

impl CheckId {
    /// Every check, in report order: the registry.
    pub const ALL: [CheckId; 9] = [
        CheckId::Resolution,
        CheckId::Brightness,
        CheckId::Contrast,
        CheckId::Blur,
        CheckId::Glare,
        CheckId::Color,
        CheckId::Framing,
        CheckId::Face,
        CheckId::Side,
    ];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            CheckId::Resolution => "resolution",
            CheckId::Brightness => "brightness",
            CheckId::Contrast => "contrast",
            CheckId::Blur => "blur",
            CheckId::Glare => "glare",
            CheckId::Color => "color",
            CheckId::Framing => "framing",
            CheckId::Face => "face",
            CheckId::Side => "side",
        }
    }

    /// Parses [`CheckId::as_str`] back.
    #[must_use]
    pub fn parse(s: &str) -> Option<CheckId> {
        CheckId::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The result codes this check can give.
    #[must_use]
    pub fn codes(self) -> &'static [PhotoCode] {
        match self {
            CheckId::Resolution => &resolution::CODES,
            CheckId::Brightness => &brightness::CODES,
            CheckId::Contrast => &contrast::CODES,
            CheckId::Blur => &blur::CODES,
            CheckId::Glare => &glare::CODES,
            CheckId::Color => &color::CODES,
            CheckId::Framing => &framing::CODES,
            CheckId::Face => &face::CODES,
            CheckId::Side => &side::CODES,
        }
    }
}

/// The worse of two verdicts of one check; `first` on a tie.
#[must_use]
pub(crate) fn worse(first: CheckResult, second: CheckResult) -> CheckResult {
    if second.status > first.status {
        second
    } else {
        first
    }
}

/// A check whose value is bad when low. Codes: `[pass, warn, fail]`.
#[must_use]
pub(crate) fn below(id: CheckId, value: f64, limit: Limit, codes: [PhotoCode; 3]) -> CheckResult {
    judge(id, value, limit, codes, |v, t| v < t)
}

/// A check whose value is bad when high. Codes: `[pass, warn, fail]`.
#[must_use]
pub(crate) fn above(id: CheckId, value: f64, limit: Limit, codes: [PhotoCode; 3]) -> CheckResult {
    judge(id, value, limit, codes, |v, t| v > t)
}

/// The fail level first, then the warn level; the threshold reported is the one crossed,
/// else the warn level (else the fail level).
fn judge(
    id: CheckId,
    value: f64,
    limit: Limit,
    codes: [PhotoCode; 3],
    bad: impl Fn(f64, f64) -> bool,
) -> CheckResult {
    let (status, threshold, code) = match (limit.fail, limit.warn) {
        (Some(f), _) if bad(value, f) => (Status::Fail, Some(f), codes[2]),
        (_, Some(w)) if bad(value, w) => (Status::Warn, Some(w), codes[1]),
        (f, w) => (Status::Pass, w.or(f), codes[0]),
    };
    CheckResult {
        id,
        status,
        value,
        threshold,
        code,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(warn: f64, fail: f64) -> Limit {
        Limit {
            warn: Some(warn),
            fail: Some(fail),
        }
    }

    #[test]
    fn judging_both_directions() {
        let codes = [
            PhotoCode::Sharp,
            PhotoCode::SlightlyBlurry,
            PhotoCode::Blurry,
        ];
        let l = limits(1.0, 0.75);
        assert_eq!(below(CheckId::Blur, 1.2, l, codes).status, Status::Pass);
        assert_eq!(below(CheckId::Blur, 0.9, l, codes).status, Status::Warn);
        let fail = below(CheckId::Blur, 0.5, l, codes);
        assert_eq!(
            (fail.status, fail.threshold, fail.code),
            (Status::Fail, Some(0.75), PhotoCode::Blurry)
        );
        let g = limits(0.15, 0.4);
        let gc = [PhotoCode::NoGlare, PhotoCode::SomeGlare, PhotoCode::Glare];
        assert_eq!(above(CheckId::Glare, 0.1, g, gc).status, Status::Pass);
        assert_eq!(above(CheckId::Glare, 0.2, g, gc).status, Status::Warn);
        assert_eq!(above(CheckId::Glare, 1.0, g, gc).status, Status::Fail);
        let off = Limit {
            warn: None,
            fail: None,
        };
        assert_eq!(above(CheckId::Glare, 99.0, off, gc).status, Status::Pass);
    }

    /// Every result code belongs to exactly one check, and every non-error code to one.
    #[test]
    fn the_registry_owns_every_code_once() {
        let mut owner = std::collections::HashMap::new();
        for id in CheckId::ALL {
            assert_eq!(CheckId::parse(id.as_str()), Some(id));
            for &code in id.codes() {
                assert_eq!(owner.insert(code, id), None, "{code:?} in two checks");
            }
        }
        for &code in PhotoCode::ALL {
            let is_error = code.as_str().starts_with("photo.error.");
            assert_eq!(owner.contains_key(&code), !is_error, "{code:?}");
        }
    }
}
