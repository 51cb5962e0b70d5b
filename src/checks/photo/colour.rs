//! Colourfulness (Hasler & Süsstrunk 2003), to flag black-and-white photocopies.
//!
//! `rg = R − G`, `yb = (R + G)/2 − B`; the σ-term `√(σ²_rg + σ²_yb)` is ≈ 0 for a grey image,
//! also one photographed under tinted light (a uniform cast moves the means, not the spread).

use super::work::WorkImage;
use serde::{Deserialize, Serialize};

/// Colourfulness measurements.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Colour {
    /// `√(σ²_rg + σ²_yb)`.
    pub sigma: f64,
    /// Full metric `σ-term + 0.3·√(μ²_rg + μ²_yb)`.
    pub colourfulness: f64,
}

#[must_use]
pub fn measure(img: &WorkImage) -> Colour {
    let n = img.len();
    if n == 0 {
        return Colour::default();
    }
    // Integer sums gathered during the downscale (yb doubled to stay integral).
    let [s_rg, s_yb2, q_rg, q_yb2] = img.colour_sums;
    let n = n as f64;
    let (m_rg, m_yb) = (s_rg as f64 / n, s_yb2 as f64 / (2.0 * n));
    let var_rg = (q_rg as f64 / n - m_rg * m_rg).max(0.0);
    let var_yb = (q_yb2 as f64 / (4.0 * n) - m_yb * m_yb).max(0.0);
    let sigma = (var_rg + var_yb).sqrt();
    Colour {
        sigma,
        colourfulness: sigma + 0.3 * (m_rg * m_rg + m_yb * m_yb).sqrt(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(pixels: &[[u8; 3]]) -> WorkImage {
        WorkImage::from_rgb(
            pixels.len() as u32,
            1,
            pixels.iter().flatten().copied().collect(),
        )
    }

    #[test]
    fn grey_and_tinted_grey_score_zero_colour_scores_high() {
        let grey = image(&[[10, 10, 10], [200, 200, 200], [90, 90, 90]]);
        assert!(measure(&grey).sigma < 1e-9);
        let tinted = image(&[[16, 10, 6], [206, 200, 196], [96, 90, 86]]);
        let t = measure(&tinted);
        assert!(t.sigma < 1e-9 && t.colourfulness > 1.0, "{t:?}");
        let colour = image(&[[200, 30, 30], [30, 200, 30], [30, 30, 200]]);
        assert!(measure(&colour).sigma > 50.0);
    }
}
