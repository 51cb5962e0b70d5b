//! `resolution`: whether the photo as taken has pixels enough (a screenshot or a compressed
//! copy does not). Measured on the original size, before any reduction.

use super::{below, worse, CheckId};
use crate::checks::photo::report::{CheckResult, PhotoCode};
use crate::checks::photo::rules::{limit, limits};
use crate::checks::photo::slot::Slot;

/// Codes of this check.
pub const CODES: [PhotoCode; 3] = [
    PhotoCode::ResolutionOk,
    PhotoCode::ResolutionLow,
    PhotoCode::ResolutionTooLow,
];

limits! {
    /// Thresholds of `resolution`.
    pub struct Rules {
        /// Short side of the original photo, px; bad below.
        pub short_side,
        /// Megapixels of the original photo; bad below.
        pub megapixels,
    }
}

impl Rules {
    /// A face needs fewer pixels than a document's print.
    #[must_use]
    pub fn default_for(slot: Slot) -> Rules {
        match slot {
            Slot::Face => Rules {
                short_side: limit(720.0, 600.0),
                megapixels: limit(0.8, 0.4),
            },
            _ => Rules {
                short_side: limit(1080.0, 720.0),
                megapixels: limit(1.5, 0.6),
            },
        }
    }
}

/// The verdict on a `width × height` photo: the short side unless the megapixel rule is the
/// stricter verdict.
#[must_use]
pub fn check(width: u32, height: u32, r: &Rules) -> CheckResult {
    let megapixels = f64::from(width) * f64::from(height) / 1e6;
    let by_side = below(
        CheckId::Resolution,
        f64::from(width.min(height)),
        r.short_side,
        CODES,
    );
    let by_mp = below(CheckId::Resolution, megapixels, r.megapixels, CODES);
    worse(by_side, by_mp)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Status;

    #[test]
    fn short_side_then_megapixels() {
        let r = Rules::default_for(Slot::IdFront);
        let ok = check(4032, 3024, &r);
        assert_eq!(
            (ok.status, ok.value, ok.threshold),
            (Status::Pass, 3024.0, Some(1080.0))
        );
        let low = check(1280, 960, &r);
        assert_eq!(
            (low.status, low.code),
            (Status::Warn, PhotoCode::ResolutionLow)
        );
        // A long thin strip: short side 1200 px passes, 0.6 MP does not.
        let strip = check(500, 1200, &r);
        assert_eq!((strip.status, strip.value), (Status::Fail, 500.0));
        let face = check(800, 600, &Rules::default_for(Slot::Face));
        assert_eq!(face.status, Status::Warn, "{face:?}");
    }
}
