//! The working image: one box-filter pass from the camera's RGBA to a fixed size.
//!
//! Every photo check runs on this image, so a threshold means the same for any camera:
//! the long side is reduced by the integer factor `k = round(long / 1024)` (at least 1),
//! averaging each `k×k` block (an area filter: no aliasing, sensor noise averaged away).
//! A 4032×3024 photo becomes 1008×756, a 48 MP 8000×6000 one 1000×750.

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
    /// Downscales `src` by [`factor_for`] in a single pass over the buffer. Edge pixels that
    /// do not fill a whole block are dropped (fewer than `k` rows or columns).
    #[must_use]
    pub fn from_rgba(src: RgbaView<'_>) -> WorkImage {
        let k = factor_for(src.width, src.height);
        let (w, h) = (src.width / k, src.height / k);
        let (wu, ku) = (w as usize, k as usize);
        let mut out = WorkImage {
            width: w,
            height: h,
            factor: k,
            rgb: vec![0; wu * h as usize * 3],
            luma: vec![0; wu * h as usize],
        };
        if w == 0 || h == 0 {
            return out;
        }
        let row_bytes = src.width as usize * 4;
        // Two 16-bit lanes per u32 (R|B and G|A): a k×k block of 8-bit values fits while
        // k² · 255 < 65536, i.e. k ≤ 16; larger factors (> 16 000 px photos) use u64 lanes.
        if k <= 16 {
            let mut acc = vec![(0u32, 0u32); wu];
            for oy in 0..h as usize {
                acc.fill((0, 0));
                for dy in 0..ku {
                    let start = (oy * ku + dy) * row_bytes;
                    let row = &src.data[start..start + wu * ku * 4];
                    for (a, block) in acc.iter_mut().zip(row.chunks_exact(ku * 4)) {
                        for px in block.chunks_exact(4) {
                            let p = u32::from_le_bytes([px[0], px[1], px[2], px[3]]);
                            a.0 += p & 0x00FF_00FF;
                            a.1 += (p >> 8) & 0x00FF_00FF;
                        }
                    }
                }
                out.store_row(
                    oy,
                    acc.iter().map(|&(rb, ga)| {
                        (
                            u64::from(rb & 0xFFFF),
                            u64::from(ga & 0xFFFF),
                            u64::from(rb >> 16),
                        )
                    }),
                    k,
                );
            }
        } else {
            let mut acc = vec![(0u64, 0u64, 0u64); wu];
            for oy in 0..h as usize {
                acc.fill((0, 0, 0));
                for dy in 0..ku {
                    let start = (oy * ku + dy) * row_bytes;
                    let row = &src.data[start..start + wu * ku * 4];
                    for (a, block) in acc.iter_mut().zip(row.chunks_exact(ku * 4)) {
                        for px in block.chunks_exact(4) {
                            a.0 += u64::from(px[0]);
                            a.1 += u64::from(px[1]);
                            a.2 += u64::from(px[2]);
                        }
                    }
                }
                out.store_row(oy, acc.iter().copied(), k);
            }
        }
        out
    }

    /// Writes one output row from per-block channel sums `(R, G, B)`.
    fn store_row(&mut self, oy: usize, sums: impl Iterator<Item = (u64, u64, u64)>, k: u32) {
        let n = u64::from(k) * u64::from(k);
        let w = self.width as usize;
        let rgb = &mut self.rgb[oy * w * 3..(oy + 1) * w * 3];
        let ys = &mut self.luma[oy * w..(oy + 1) * w];
        for ((px, y), (r, g, b)) in rgb.chunks_exact_mut(3).zip(ys.iter_mut()).zip(sums) {
            // Rounded means; each is ≤ 255 by construction.
            let (r, g, b) = (
                ((r + n / 2) / n) as u8,
                ((g + n / 2) / n) as u8,
                ((b + n / 2) / n) as u8,
            );
            px.copy_from_slice(&[r, g, b]);
            *y = luma(r, g, b);
        }
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
    fn box_average_is_exact() {
        // 4×2 image, factor 1: unchanged. Then an 8×4 checker of 0/255 with k = … 1 again,
        // so test the averaging on a 2048-wide strip (k = 2).
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
        // (0+255)/2 = 127.5 → 128; (100+101)/2 → 101 (100.5 rounds up); (200+0)/2 = 100.
        assert_eq!(&w.rgb[..3], &[128, 101, 100]);
        assert_eq!(w.luma[0], luma(128, 101, 100));
    }

    #[test]
    fn large_factors_use_wide_lanes() {
        let data = rgba(17 * 1024, 17, |_, _| [255, 255, 255, 255]);
        let view = RgbaView::new(17 * 1024, 17, &data).unwrap_or_else(|| panic!("size"));
        let w = WorkImage::from_rgba(view);
        assert_eq!((w.width, w.height, w.factor), (1024, 1, 17));
        assert!(w.rgb.iter().all(|&v| v == 255));
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
