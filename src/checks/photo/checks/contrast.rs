//! `contrast`: whether the photo has tones enough to read (a washed-out or blank frame does
//! not). Measured on the whole frame's luma histogram ([`exposure`](crate::checks::photo::exposure)).

use super::{below, CheckId};
use crate::checks::photo::exposure::Exposure;
use crate::checks::photo::report::{CheckResult, PhotoCode};
use crate::checks::photo::rules::{limit, limits};
use crate::checks::photo::slot::Slot;

/// Codes of this check.
pub const CODES: [PhotoCode; 3] = [
    PhotoCode::ContrastOk,
    PhotoCode::LowContrast,
    PhotoCode::NoContrast,
];

limits! {
    /// Thresholds of `contrast`.
    pub struct Rules {
        /// Luma range p95 − p5, 0–255; bad below.
        pub range,
    }
}

impl Rules {
    #[must_use]
    pub fn default_for(_slot: Slot) -> Rules {
        Rules {
            range: limit(40.0, 20.0),
        }
    }
}

/// The verdict on the frame's exposure statistics.
#[must_use]
pub fn check(frame: &Exposure, r: &Rules) -> CheckResult {
    below(CheckId::Contrast, f64::from(frame.range()), r.range, CODES)
}
