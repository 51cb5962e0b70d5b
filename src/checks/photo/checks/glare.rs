//! `glare`: reflections that hide part of the photo.
//!
//! On a found document page the document image decides: the largest washed-out (clipped,
//! colorless) area, % of the document ([`highlights::on_document`]); when the paper itself
//! clips, a reflection cannot be told from it and the check warns at most. Elsewhere the
//! largest near-white, compact, haloed blob inside the frame (or inside the held document
//! of a selfie), % of the frame ([`highlights::measure_within`]). The measurements are in
//! [`highlights`].

pub mod highlights;

use super::{above, CheckId};
use crate::checks::photo::report::{CheckResult, PhotoCode};
use crate::checks::photo::rules::{limit, limits};
use crate::checks::photo::slot::Slot;
use crate::checks::Status;
pub use highlights::{BoxPx, DocumentGlare, Glare};

/// Codes of this check.
pub const CODES: [PhotoCode; 3] = [PhotoCode::NoGlare, PhotoCode::SomeGlare, PhotoCode::Glare];

limits! {
    /// Thresholds of `glare`.
    pub struct Rules {
        /// Largest near-white, low-saturation blob not touching the frame, % of the frame; bad
        /// above.
        pub largest,
        /// On a found document: largest washed-out (clipped, colorless) area, % of the
        /// document; bad above. When the document's paper is itself clipped, at most a warning.
        pub document,
    }
}

impl Rules {
    #[must_use]
    pub fn default_for(_slot: Slot) -> Rules {
        Rules {
            largest: limit(0.15, 0.40),
            document: limit(0.4, 10.0),
        }
    }
}

/// The verdict on highlight blobs of the frame (or of the selfie's held document).
#[must_use]
pub fn check(g: &Glare, r: &Rules) -> CheckResult {
    above(CheckId::Glare, g.largest_percent, r.largest, CODES)
}

/// The verdict on the document image's washed-out areas (see the module docs).
#[must_use]
pub fn check_document(g: &DocumentGlare, r: &Rules) -> CheckResult {
    let mut result = above(CheckId::Glare, g.largest_percent, r.document, CODES);
    if result.status == Status::Fail && g.paper_clipped() {
        result.status = Status::Warn;
        result.code = PhotoCode::SomeGlare;
        result.threshold = r.document.warn;
    }
    result
}
