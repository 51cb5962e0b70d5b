//! `brightness`: too dark by the 95th percentile of luma, too bright by the share of clipped
//! pixels (luma ≥ 250). Measured on the document when one was found (its region of the
//! working image for darkness, the document image for clipping), else on the whole frame
//! ([`exposure`](crate::checks::photo::exposure)).

use super::{above, below, worse, CheckId};
use crate::checks::photo::document::DocImage;
use crate::checks::photo::exposure::{Exposure, CLIPPED_FROM};
use crate::checks::photo::report::{CheckResult, PhotoCode};
use crate::checks::photo::rules::{limit, limits};
use crate::checks::photo::slot::Slot;

/// Codes of this check.
pub const CODES: [PhotoCode; 5] = [
    PhotoCode::BrightnessOk,
    PhotoCode::Dim,
    PhotoCode::TooDark,
    PhotoCode::Bright,
    PhotoCode::TooBright,
];

limits! {
    /// Thresholds of `brightness`.
    pub struct Rules {
        /// Too dark: 95th percentile of luma, 0–255; bad below.
        pub dark_p95,
        /// Too bright: share of the frame's pixels with luma ≥ 250; bad above.
        pub clipped,
        /// Too bright, on a found document: share of its pixels with luma ≥ 250; bad above
        /// (white paper clips in many good photos while the print stays legible).
        pub document_clipped,
    }
}

impl Rules {
    #[must_use]
    pub fn default_for(_slot: Slot) -> Rules {
        Rules {
            dark_p95: limit(120.0, 100.0),
            clipped: limit(0.05, 0.10),
            document_clipped: limit(0.30, 0.60),
        }
    }
}

/// The verdict: too dark by `judged.p95`; too bright by `document_clipped` (the document
/// image's clipped share, [`clipped_share`]) against `document_clipped` when a document was
/// found, else by `judged.clipped` against `clipped`. The worse verdict wins.
#[must_use]
pub fn check(judged: &Exposure, document_clipped: Option<f64>, r: &Rules) -> CheckResult {
    let dark = below(
        CheckId::Brightness,
        f64::from(judged.p95),
        r.dark_p95,
        [PhotoCode::BrightnessOk, PhotoCode::Dim, PhotoCode::TooDark],
    );
    let (clipped, limit) = match document_clipped {
        Some(share) => (share, r.document_clipped),
        None => (judged.clipped, r.clipped),
    };
    let bright = above(
        CheckId::Brightness,
        clipped,
        limit,
        [
            PhotoCode::BrightnessOk,
            PhotoCode::Bright,
            PhotoCode::TooBright,
        ],
    );
    worse(dark, bright)
}

/// Share of the document image's pixels (inside the quad) with luma ≥ [`CLIPPED_FROM`].
#[must_use]
pub fn clipped_share(d: &DocImage) -> f64 {
    let (mut on, mut clipped) = (0usize, 0usize);
    for (&y, &inside) in d.luma.iter().zip(&d.mask()) {
        if inside {
            on += 1;
            clipped += usize::from(y >= CLIPPED_FROM);
        }
    }
    if on == 0 {
        0.0
    } else {
        clipped as f64 / on as f64
    }
}
