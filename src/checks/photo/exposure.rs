//! Exposure and contrast from one 256-bin luma histogram.

use super::work::WorkImage;
use serde::Serialize;

/// Luma at or above this counts as clipped (blown-out highlights).
pub const CLIPPED_FROM: u8 = 250;
/// Luma at or below this counts as crushed (black shadows).
pub const CRUSHED_TO: u8 = 5;

/// Luma statistics of the working image, 0–255 scale.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Exposure {
    pub mean: f64,
    pub p5: u8,
    pub p50: u8,
    pub p95: u8,
    /// Fraction of pixels with luma ≥ [`CLIPPED_FROM`].
    pub clipped: f64,
    /// Fraction of pixels with luma ≤ [`CRUSHED_TO`].
    pub crushed: f64,
    /// Root-mean-square contrast: standard deviation of luma.
    pub rms_contrast: f64,
}

impl Exposure {
    /// `p95 − p5`: the spread of tones, robust to a few extreme pixels.
    #[must_use]
    pub fn range(&self) -> u8 {
        self.p95.saturating_sub(self.p5)
    }
}

/// Histogram statistics of `img.luma`; all zero for an empty image.
#[must_use]
pub fn measure(img: &WorkImage) -> Exposure {
    from_histogram(&img.histogram)
}

/// The same statistics over the pixels of `img` inside `region` (a convex polygon in
/// working pixels, e.g. the document's quad; pixel centres at `x + 0.5`).
#[must_use]
pub fn measure_within(img: &WorkImage, region: &[super::framing::PointPx]) -> Exposure {
    let mut hist = [[0u32; 256]; 4];
    let w = img.width as usize;
    for (y, x0, x1) in super::framing::row_spans(region, img.width, img.height) {
        super::work::count_levels(&img.luma[y * w + x0..y * w + x1], &mut hist);
    }
    from_histogram(&super::work::merge_levels(&hist))
}

/// Statistics of a 256-bin luma histogram; all zero when it is empty.
#[must_use]
pub fn from_histogram(hist: &[u32]) -> Exposure {
    let n: u64 = hist.iter().map(|&c| u64::from(c)).sum();
    if n == 0 || hist.len() != 256 {
        return Exposure::default();
    }
    let total = n as f64;
    let (mut sum, mut sum_sq) = (0f64, 0f64);
    for (v, &c) in hist.iter().enumerate() {
        let (v, c) = (v as f64, f64::from(c));
        sum += v * c;
        sum_sq += v * v * c;
    }
    let mean = sum / total;
    let percentile = |p: f64| -> u8 {
        let rank = (p * total).ceil().max(1.0);
        let mut seen = 0f64;
        for (v, &c) in hist.iter().enumerate() {
            seen += f64::from(c);
            if seen >= rank {
                return v as u8;
            }
        }
        255
    };
    let count = |range: std::ops::RangeInclusive<usize>| -> f64 {
        hist[range].iter().map(|&c| f64::from(c)).sum::<f64>() / total
    };
    Exposure {
        mean,
        p5: percentile(0.05),
        p50: percentile(0.50),
        p95: percentile(0.95),
        clipped: count(usize::from(CLIPPED_FROM)..=255),
        crushed: count(0..=usize::from(CRUSHED_TO)),
        rms_contrast: (sum_sq / total - mean * mean).max(0.0).sqrt(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gray(values: &[u8]) -> WorkImage {
        let rgb = values.iter().flat_map(|&v| [v, v, v]).collect();
        WorkImage::from_rgb(values.len() as u32, 1, rgb)
    }

    #[test]
    fn percentiles_and_fractions() {
        let values: Vec<u8> = (0..=99).map(|i| (i * 255 / 99) as u8).collect();
        let e = measure(&gray(&values));
        assert_eq!(e.p50, values[49]);
        assert_eq!(e.p5, values[4]);
        assert_eq!(e.p95, values[94]);
        let share = |f: fn(u8) -> bool| values.iter().filter(|&&v| f(v)).count() as f64 / 100.0;
        assert!(
            (e.clipped - share(|v| v >= CLIPPED_FROM)).abs() < 1e-9,
            "{}",
            e.clipped
        );
        assert!(
            (e.crushed - share(|v| v <= CRUSHED_TO)).abs() < 1e-9,
            "{}",
            e.crushed
        );
        assert!(e.clipped > 0.0 && e.crushed > 0.0);
        let flat = measure(&gray(&[128; 10]));
        assert_eq!((flat.p5, flat.p95, flat.range()), (128, 128, 0));
        assert!(flat.rms_contrast.abs() < 1e-9);
        assert_eq!(measure(&gray(&[])), Exposure::default());
    }
}
