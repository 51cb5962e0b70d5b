//! `color`: flags black-and-white photocopies by colorfulness (Hasler & Süsstrunk 2003).
//!
//! `rg = R − G`, `yb = (R + G)/2 − B`; the σ-term `√(σ²_rg + σ²_yb)` is ≈ 0 for a gray image,
//! also one photographed under tinted light (a uniform cast moves the means, not the spread).
//! The sums come from the working image's downscale pass (`WorkImage::color_sums`).

use super::{below, CheckId};
use crate::checks::photo::report::{CheckResult, PhotoCode};
use crate::checks::photo::rules::{limits, Limit};
use crate::checks::photo::slot::Slot;
use crate::checks::photo::work::WorkImage;
use serde::Serialize;

/// Codes of this check.
pub const CODES: [PhotoCode; 2] = [PhotoCode::ColorOk, PhotoCode::Grayscale];

limits! {
    /// Thresholds of `color`.
    pub struct Rules {
        /// Colorfulness σ-term `√(σ²(R−G) + σ²((R+G)/2 − B))`; bad below (black-and-white
        /// copies score ≈ 0).
        pub sigma,
    }
}

impl Rules {
    /// Warns only: a gray document photographed in color is rare but legal.
    #[must_use]
    pub fn default_for(_slot: Slot) -> Rules {
        Rules {
            sigma: Limit {
                warn: Some(3.0),
                fail: None,
            },
        }
    }
}

/// Colorfulness measurements.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Color {
    /// `√(σ²_rg + σ²_yb)`.
    pub sigma: f64,
    /// Full metric `σ-term + 0.3·√(μ²_rg + μ²_yb)`.
    pub colorfulness: f64,
}

#[must_use]
pub fn measure(img: &WorkImage) -> Color {
    let n = img.len();
    if n == 0 {
        return Color::default();
    }
    // Integer sums gathered during the downscale (yb doubled to stay integral).
    let [s_rg, s_yb2, q_rg, q_yb2] = img.color_sums;
    let n = n as f64;
    let (m_rg, m_yb) = (s_rg as f64 / n, s_yb2 as f64 / (2.0 * n));
    let var_rg = (q_rg as f64 / n - m_rg * m_rg).max(0.0);
    let var_yb = (q_yb2 as f64 / (4.0 * n) - m_yb * m_yb).max(0.0);
    let sigma = (var_rg + var_yb).sqrt();
    Color {
        sigma,
        colorfulness: sigma + 0.3 * (m_rg * m_rg + m_yb * m_yb).sqrt(),
    }
}

/// The verdict on the frame's colorfulness.
#[must_use]
pub fn check(c: &Color, r: &Rules) -> CheckResult {
    below(
        CheckId::Color,
        c.sigma,
        r.sigma,
        [
            PhotoCode::ColorOk,
            PhotoCode::Grayscale,
            PhotoCode::Grayscale,
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Status;

    fn image(pixels: &[[u8; 3]]) -> WorkImage {
        WorkImage::from_rgb(
            pixels.len() as u32,
            1,
            pixels.iter().flatten().copied().collect(),
        )
    }

    #[test]
    fn gray_and_tinted_gray_score_zero_color_scores_high() {
        let r = Rules::default_for(Slot::IdFront);
        let gray = image(&[[10, 10, 10], [200, 200, 200], [90, 90, 90]]);
        assert!(measure(&gray).sigma < 1e-9);
        assert_eq!(check(&measure(&gray), &r).code, PhotoCode::Grayscale);
        let tinted = image(&[[16, 10, 6], [206, 200, 196], [96, 90, 86]]);
        let t = measure(&tinted);
        assert!(t.sigma < 1e-9 && t.colorfulness > 1.0, "{t:?}");
        let color = image(&[[200, 30, 30], [30, 200, 30], [30, 30, 200]]);
        assert!(measure(&color).sigma > 50.0);
        assert_eq!(check(&measure(&color), &r).status, Status::Pass);
    }
}
