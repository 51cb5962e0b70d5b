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

/// `out[i] (+)= Σ rows[j][i]` for up to 4 rows at once: one pass over `out` per 4 source
/// rows keeps the loop at memory speed (it vectorises; a row-at-a-time read-modify-write
/// of `out` is 40 % slower).
fn add_rows(out: &mut [u16], rows: &[&[u8]], first: bool) {
    let n = out.len();
    let w = |c: &u8| u16::from(*c);
    match (rows, first) {
        ([a], true) => out.iter_mut().zip(&a[..n]).for_each(|(o, a)| *o = w(a)),
        ([a, b], true) => out
            .iter_mut()
            .zip(a[..n].iter().zip(&b[..n]))
            .for_each(|(o, (a, b))| *o = w(a) + w(b)),
        ([a, b, c], true) => {
            let (a, b, c) = (&a[..n], &b[..n], &c[..n]);
            for i in 0..n {
                out[i] = w(&a[i]) + w(&b[i]) + w(&c[i]);
            }
        }
        ([a, b, c, d], true) => {
            let (a, b, c, d) = (&a[..n], &b[..n], &c[..n], &d[..n]);
            for i in 0..n {
                out[i] = w(&a[i]) + w(&b[i]) + w(&c[i]) + w(&d[i]);
            }
        }
        ([a, b, c, d], false) => {
            let (a, b, c, d) = (&a[..n], &b[..n], &c[..n], &d[..n]);
            for i in 0..n {
                out[i] += w(&a[i]) + w(&b[i]) + w(&c[i]) + w(&d[i]);
            }
        }
        (rows, _) => {
            for r in rows {
                out.iter_mut().zip(&r[..n]).for_each(|(o, v)| *o += w(v));
            }
        }
    }
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
        WorkImage::downscale(src, factor_for(src.width, src.height))
    }

    /// Box-averages `src` by the factor `k` (≥ 1).
    #[must_use]
    pub fn downscale(src: RgbaView<'_>, k: u32) -> WorkImage {
        let mut builder = WorkBuilder::with_factor(src.width, src.height, k);
        builder.push_rows(src.data);
        builder.finish()
    }

    /// Writes one output row from per-block channel sums `(R, G, B)`.
    fn store_row(&mut self, oy: usize, sums: impl Iterator<Item = (u64, u64, u64)>, k: u32) {
        let n = u64::from(k) * u64::from(k);
        // Rounded mean by a fixed-point reciprocal (no division per pixel): sums are
        // < 2²⁴·n, so `sum · ⌈2⁴⁰/n⌉` stays below 2⁴⁸ and the error below 2⁻¹⁶.
        let reciprocal = (1u64 << 40).div_ceil(n);
        let mean = |sum: u64| ((sum * reciprocal + (1 << 39)) >> 40).min(255) as u8;
        let w = self.width as usize;
        let rgb = &mut self.rgb[oy * w * 3..(oy + 1) * w * 3];
        let ys = &mut self.luma[oy * w..(oy + 1) * w];
        for ((px, y), (r, g, b)) in rgb.chunks_exact_mut(3).zip(ys.iter_mut()).zip(sums) {
            let (r, g, b) = (mean(r), mean(g), mean(b));
            px.copy_from_slice(&[r, g, b]);
            *y = luma(r, g, b);
        }
        self.gather_row(oy);
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

/// Builds the [`WorkImage`] from source rows fed in bands of any height, so that a decoded
/// 48 MP photo never has to sit whole in (wasm) memory: the browser worker reads it band by
/// band from a canvas. Feeding the whole buffer at once is [`WorkImage::downscale`]; the
/// result is the same however the rows are split.
#[derive(Debug)]
pub struct WorkBuilder {
    out: WorkImage,
    src_width: u32,
    /// Bytes of a source row that fall into whole blocks (`width/k · k · 4`).
    used: usize,
    /// Per-byte vertical sums of the current block row (`k ≤ 256`: k · 255 fits u16).
    column: Vec<u16>,
    /// Per-block `(R, G, B)` sums of the current block row (`k > 256`).
    wide: Vec<(u64, u64, u64)>,
    /// Source rows already added to the current block row.
    rows_in_block: usize,
    /// Next output row to write.
    next_row: usize,
}

impl WorkBuilder {
    /// A builder for a `width × height` photo with the factor [`factor_for`] would choose.
    #[must_use]
    pub fn new(width: u32, height: u32) -> WorkBuilder {
        WorkBuilder::with_factor(width, height, factor_for(width, height))
    }

    /// A builder that box-averages by `k` (≥ 1).
    #[must_use]
    pub fn with_factor(width: u32, height: u32, k: u32) -> WorkBuilder {
        let k = k.max(1);
        let (w, h) = (width / k, height / k);
        let wu = w as usize;
        let used = wu * k as usize * 4;
        WorkBuilder {
            out: WorkImage {
                width: w,
                height: h,
                factor: k,
                rgb: vec![0; wu * h as usize * 3],
                luma: vec![0; wu * h as usize],
                histogram: vec![0; 256],
                color_sums: [0; 4],
            },
            src_width: width,
            used,
            column: if k <= 256 { vec![0; used] } else { Vec::new() },
            wide: if k > 256 {
                vec![(0, 0, 0); wu]
            } else {
                Vec::new()
            },
            rows_in_block: 0,
            next_row: 0,
        }
    }

    /// The box factor in use.
    #[must_use]
    pub fn factor(&self) -> u32 {
        self.out.factor
    }

    /// Adds the next source rows: `rows` holds whole RGBA rows of `width · 4` bytes (a
    /// trailing partial row is ignored, as are rows past the last whole block).
    pub fn push_rows(&mut self, rows: &[u8]) {
        let row_bytes = self.src_width as usize * 4;
        if self.out.width == 0 || self.out.height == 0 || row_bytes == 0 {
            return;
        }
        let k = self.out.factor as usize;
        let used = self.used;
        let rows: Vec<&[u8]> = rows.chunks_exact(row_bytes).map(|r| &r[..used]).collect();
        let mut rest = &rows[..];
        while !rest.is_empty() && self.next_row < self.out.height as usize {
            let n = (k - self.rows_in_block).min(rest.len());
            let (block, tail) = rest.split_at(n);
            rest = tail;
            if k <= 256 {
                // Vertical sums byte by byte into u16 (a loop the compiler vectorises), up
                // to 4 rows per pass over the sums.
                for (i, group) in block.chunks(4).enumerate() {
                    add_rows(&mut self.column, group, self.rows_in_block == 0 && i == 0);
                }
            } else {
                if self.rows_in_block == 0 {
                    self.wide.fill((0, 0, 0));
                }
                for row in block {
                    for (a, px_block) in self.wide.iter_mut().zip(row.chunks_exact(k * 4)) {
                        for px in px_block.chunks_exact(4) {
                            a.0 += u64::from(px[0]);
                            a.1 += u64::from(px[1]);
                            a.2 += u64::from(px[2]);
                        }
                    }
                }
            }
            self.rows_in_block += n;
            if self.rows_in_block == k {
                self.emit_row();
                self.rows_in_block = 0;
            }
        }
    }

    /// Turns the finished block row into one output row.
    fn emit_row(&mut self) {
        let k = self.out.factor;
        let oy = self.next_row;
        self.next_row += 1;
        if k <= 256 {
            let ku = k as usize;
            let sums = self.column.chunks_exact(ku * 4).map(|block| {
                // ≤ k² · 255 ≤ 2²⁴: u32 is enough.
                let (mut r, mut g, mut b) = (0u32, 0u32, 0u32);
                for px in block.chunks_exact(4) {
                    r += u32::from(px[0]);
                    g += u32::from(px[1]);
                    b += u32::from(px[2]);
                }
                (u64::from(r), u64::from(g), u64::from(b))
            });
            self.out.store_row(oy, sums, k);
        } else {
            let sums = std::mem::take(&mut self.wide);
            self.out.store_row(oy, sums.iter().copied(), k);
            self.wide = sums;
        }
    }

    /// The working image. Rows never fed stay black.
    #[must_use]
    pub fn finish(self) -> WorkImage {
        self.out
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
    fn large_factors_do_not_overflow() {
        // 256 is the largest factor of the u16 path, 300 takes the u64 one.
        for k in [2u32, 16, 256, 300] {
            let data = rgba(2 * k + 1, k, |x, _| {
                if x < k {
                    [255, 255, 255, 255]
                } else {
                    [1, 2, 3, 255]
                }
            });
            let view = RgbaView::new(2 * k + 1, k, &data).unwrap_or_else(|| panic!("size"));
            let w = WorkImage::downscale(view, k);
            assert_eq!((w.width, w.height), (2, 1), "k = {k}");
            assert_eq!(w.rgb, vec![255, 255, 255, 1, 2, 3], "k = {k}");
        }
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

    #[test]
    fn bands_of_any_height_give_the_same_image() {
        let (w, h) = (2100u32, 1500u32); // k = 2, with a partial block column and row
        let data = rgba(w, h, |x, y| {
            let v = ((x * 7 + y * 13) ^ (x * y)) as u8;
            [v, v.wrapping_mul(3), 255 - v, 255]
        });
        let view = RgbaView::new(w, h, &data).unwrap_or_else(|| panic!("size"));
        let whole = WorkImage::from_rgba(view);
        for band in [1usize, 3, 4, 5, 64, 1499] {
            let mut b = WorkBuilder::new(w, h);
            for rows in data.chunks(band * w as usize * 4) {
                b.push_rows(rows);
            }
            assert_eq!(b.finish(), whole, "band of {band} rows");
        }
        // The wide (k > 256) path, fed one row at a time.
        let (w, h) = (600u32, 300u32);
        let data = rgba(w, h, |x, y| [(x % 256) as u8, (y % 256) as u8, 9, 255]);
        let view = RgbaView::new(w, h, &data).unwrap_or_else(|| panic!("size"));
        let whole = WorkImage::downscale(view, 290);
        let mut b = WorkBuilder::with_factor(w, h, 290);
        for row in data.chunks(w as usize * 4) {
            b.push_rows(row);
        }
        assert_eq!(b.finish(), whole);
        assert_eq!(whole.width, 2);
    }
}
