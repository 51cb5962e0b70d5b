//! `contrast`: whether the photo has tones enough to read (a washed-out or blank frame does
//! not). Measured on the whole frame's luma histogram ([`exposure`](crate::checks::photo::exposure)).

use super::{below, CheckId};
use crate::checks::photo::exposure::Exposure;
use crate::checks::photo::report::{CheckResult, PhotoCode};
use crate::checks::photo::rules::{limit, Limit};
use crate::checks::photo::slot::Slot;
use serde::{Deserialize, Serialize};

/// Codes of this check.
pub const CODES: [PhotoCode; 3] = [
    PhotoCode::ContrastOk,
    PhotoCode::LowContrast,
    PhotoCode::NoContrast,
];

/// Thresholds of `contrast`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    /// Luma range p95 − p5, 0–255; bad below.
    pub range: Limit,
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
