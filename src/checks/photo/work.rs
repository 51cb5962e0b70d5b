//! The working image: the photo reduced once to a fixed size.
//!
//! Every photo check runs on this image, so a threshold means the same for any camera:
//! the long side is reduced by the factor `k = round(long / 1024)` (at least 1), each
//! working pixel the average of a `k×k` block. It is made from the photo's pyramid
//! ([`super::pyramid`], what the browser's canvas gives): level `n`, the largest with
//! `2ⁿ | k` ([`WorkPlan`]), then a `k/2ⁿ` box ([`AreaBuilder`]). A 4032×3024 photo becomes
//! 1008×756 (level 2 as it is), a 48 MP 8000×6000 one 1000×750 (level 3 as it is), a
//! 6000×4000 one 1000×666 (level 1, then a 3×3 box), a 3264×2448 one 1088×816 (level 0, a
//! 3×3 box: odd factors read the full-size rows, in bands).

use super::pyramid::{self, Pyramid, Region, Source};
use super::resample::AreaBuilder;

/// Target long side of the working image, in pixels.
pub const WORK_LONG_SIDE: u32 = 1024;

/// A borrowed RGBA8 buffer, row-major, 4 bytes per pixel (canvas `ImageData` order).
#[derive(Clone, Copy, Debug)]
pub struct RgbaView<'a> {
    pub width: u32,
    pub height: u32,
    pub data: &'a [u8],
}

impl<'a> RgbaView<'a> {
    /// A view, or `None` when `data` is not exactly `width × height × 4` bytes.
    #[must_use]
    pub fn new(width: u32, height: u32, data: &'a [u8]) -> Option<RgbaView<'a>> {
        let len = (width as usize)
            .checked_mul(height as usize)?
            .checked_mul(4)?;
        (data.len() == len).then_some(RgbaView {
            width,
            height,
            data,
        })
    }
}

/// The downscaled photo: gamma-encoded RGB and Rec. 709 luma, 8 bits each.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WorkImage {
    pub width: u32,
    pub height: u32,
    /// Block size of the box filter (source pixels per working pixel, per axis).
    pub factor: u32,
    /// `width × height × 3` bytes.
    pub rgb: Vec<u8>,
    /// `Y = 0.2126 R + 0.7152 G + 0.0722 B`, `width × height` bytes.
    pub luma: Vec<u8>,
    /// 256-bin histogram of `luma`, gathered while the rows are written (row in cache).
    pub histogram: Vec<u32>,
    /// `Σ(R−G)`, `Σ(R+G−2B)`, `Σ(R−G)²`, `Σ(R+G−2B)²` over all pixels, for colorfulness.
    pub color_sums: [i64; 4],
}

/// Box factor for a photo: `round(long / WORK_LONG_SIDE)`, at least 1.
#[must_use]
pub fn factor_for(width: u32, height: u32) -> u32 {
    let long = width.max(height);
    ((long + WORK_LONG_SIDE / 2) / WORK_LONG_SIDE).max(1)
}

/// Rec. 709 luma of gamma-encoded RGB, in fixed point (weights ×256: 54, 183, 19).
#[inline]
#[must_use]
pub fn luma(r: u8, g: u8, b: u8) -> u8 {
    ((u32::from(r) * 54 + u32::from(g) * 183 + u32::from(b) * 19 + 128) >> 8) as u8
}

impl WorkImage {
    /// The working image of a whole photo, as [`super::analyze`] makes it: its
    /// [`Pyramid`]'s level per [`WorkPlan`].
    #[must_use]
    pub fn from_rgba(src: RgbaView<'_>) -> WorkImage {
        let mut pyramid = Pyramid::new(src);
        let Ok(work) = WorkPlan::new(pyramid.size()).read(&mut pyramid);
        work
    }

    /// Adds row `oy` to the histogram and color sums.
    fn gather_row(&mut self, oy: usize) {
        let w = self.width as usize;
        for &y in &self.luma[oy * w..(oy + 1) * w] {
            self.histogram[usize::from(y)] += 1;
        }
        // A row has ≤ 4096 pixels here or is split so: 4096 · 510² < 2³¹ fits i32 lanes.
        for chunk in self.rgb[oy * w * 3..(oy + 1) * w * 3].chunks(3 * 4096) {
            let mut acc = [0i32; 4];
            for px in chunk.chunks_exact(3) {
                let (r, g, b) = (i32::from(px[0]), i32::from(px[1]), i32::from(px[2]));
                let rg = r - g;
                let yb2 = r + g - 2 * b;
                acc[0] += rg;
                acc[1] += yb2;
                acc[2] += rg * rg;
                acc[3] += yb2 * yb2;
            }
            for (total, part) in self.color_sums.iter_mut().zip(acc) {
                *total += i64::from(part);
            }
        }
    }

    /// A working image from RGB pixels (tests, and sources that are already small).
    #[must_use]
    pub fn from_rgb(width: u32, height: u32, rgb: Vec<u8>) -> WorkImage {
        let luma = rgb
            .chunks_exact(3)
            .map(|p| luma(p[0], p[1], p[2]))
            .collect();
        let mut img = WorkImage {
            width,
            height,
            factor: 1,
            rgb,
            luma,
            histogram: vec![0; 256],
            color_sums: [0; 4],
        };
        for oy in 0..height as usize {
            img.gather_row(oy);
        }
        img
    }

    /// Number of working pixels.
    #[must_use]
    pub fn len(&self) -> usize {
        self.luma.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.luma.is_empty()
    }
}

/// How the working image of a `width × height` (cropped, [`super::pyramid::cropped`])
/// photo is made: which pyramid level is read, and the box step from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WorkPlan {
    /// Size of the photo (level 0).
    pub source: (u32, u32),
    /// The level read: the largest `n` with `2ⁿ | k` (so that the step from it is a whole
    /// `k/2ⁿ` box: the same image as a `k×k` box on the photo, up to rounding), within the
    /// levels the photo has.
    pub level: u32,
    /// The box factor `k` ([`factor_for`]).
    pub factor: u32,
    /// The working image's size, `(⌊width / k⌋, ⌊height / k⌋)`.
    pub width: u32,
    pub height: u32,
}

impl WorkPlan {
    #[must_use]
    pub fn new((width, height): (u32, u32)) -> WorkPlan {
        let k = factor_for(width, height);
        let level = k.trailing_zeros().min(pyramid::top_level(width, height));
        WorkPlan {
            source: (width, height),
            level,
            factor: k,
            width: width / k,
            height: height / k,
        }
    }

    /// The region to read: the whole photo.
    #[must_use]
    pub fn region(&self) -> Region {
        Region::whole(self.source.0, self.source.1)
    }

    /// The working image, read from `source` (whose size this plan was made for).
    ///
    /// # Errors
    /// The source could not be read.
    pub fn read<S: Source>(&self, source: &mut S) -> Result<WorkImage, S::Error> {
        let size = self.region().at_level(self.level);
        let s = f64::from(1u32 << self.level) / f64::from(self.factor);
        let mut builder = AreaBuilder::new(size, (self.width, self.height), s);
        source.read_rows(self.level, self.region(), &mut |rows| {
            builder.push_rows(rows);
        })?;
        let mut img = WorkImage::from_rgb(self.width, self.height, builder.finish());
        img.factor = self.factor;
        Ok(img)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rgba(w: u32, h: u32, f: impl Fn(u32, u32) -> [u8; 4]) -> Vec<u8> {
        (0..h)
            .flat_map(|y| (0..w).map(move |x| (x, y)))
            .flat_map(|(x, y)| f(x, y))
            .collect()
    }

    #[test]
    fn factors_follow_the_long_side() {
        assert_eq!(factor_for(4032, 3024), 4);
        assert_eq!(factor_for(3024, 4032), 4);
        assert_eq!(factor_for(8000, 6000), 8);
        assert_eq!(factor_for(640, 480), 1);
        assert_eq!(factor_for(1, 1), 1);
        assert_eq!(factor_for(1600, 1200), 2);
    }

    #[test]
    fn plans_for_common_photo_sizes() {
        // (size, level, factor, working size)
        for ((w, h), level, k, work) in [
            ((4032, 3024), 2, 4, (1008, 756)),
            ((8000, 6000), 3, 8, (1000, 750)),
            ((6000, 4000), 1, 6, (1000, 666)),
            ((3264, 2448), 0, 3, (1088, 816)),
            ((1600, 1200), 1, 2, (800, 600)),
            ((640, 480), 0, 1, (640, 480)),
            // An odd factor; 6936 rows cropped to whole 32-row blocks.
            ((9248, 6936), 0, 9, (1027, 768)),
        ] {
            let (cw, ch) = pyramid::cropped(w, h);
            let plan = WorkPlan::new((cw, ch));
            assert_eq!(
                (plan.level, plan.factor, (plan.width, plan.height)),
                (level, k, work),
                "{w}×{h}"
            );
        }
    }

    #[test]
    fn a_power_of_two_factor_is_the_rounded_box_chain() {
        // A 2048-wide strip (k = 2): (0 + 255 + 0 + 255 + 2) >> 2 = 128, (100 + 101 + 100 +
        // 101 + 2) >> 2 = 101, (200 + 0 + 200 + 0 + 2) >> 2 = 100.
        let data = rgba(2048, 2, |x, _| {
            if x % 2 == 0 {
                [0, 100, 200, 255]
            } else {
                [255, 101, 0, 255]
            }
        });
        let view = RgbaView::new(2048, 2, &data).unwrap_or_else(|| panic!("size"));
        let w = WorkImage::from_rgba(view);
        assert_eq!((w.width, w.height, w.factor), (1024, 1, 2));
        assert_eq!(&w.rgb[..3], &[128, 101, 100]);
        assert_eq!(w.luma[0], luma(128, 101, 100));
        assert_eq!(w.histogram.iter().sum::<u32>(), 1024);
    }

    #[test]
    fn an_odd_factor_is_an_exact_box_of_the_full_size_rows() {
        // 3072 × 12 (k = 3; cropped to 8 rows): 3-px stripes of 0 and 255 stay 0 and 255 (a box straddling two
        // mipmap texels would blur them).
        let data = rgba(
            3072,
            12,
            |x, _| if x % 6 < 3 { [0, 0, 0, 255] } else { [255; 4] },
        );
        let view = RgbaView::new(3072, 12, &data).unwrap_or_else(|| panic!("size"));
        let w = WorkImage::from_rgba(view);
        assert_eq!((w.width, w.height, w.factor), (1024, 2, 3));
        assert_eq!(&w.luma[..4], &[0, 255, 0, 255]);
    }

    #[test]
    fn tiny_and_mismatched_buffers() {
        assert!(RgbaView::new(2, 2, &[0; 15]).is_none());
        let w = WorkImage::from_rgba(RgbaView {
            width: 0,
            height: 0,
            data: &[],
        });
        assert!(w.is_empty());
        assert_eq!(luma(255, 255, 255), 255);
        assert_eq!(luma(0, 0, 0), 0);
    }
}
