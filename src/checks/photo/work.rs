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
use super::resample::{whole_rows, AreaBuilder};

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

/// The downscaled photo as the checks read it: Rec. 709 luma and chroma planes of its
/// gamma-encoded RGB, 8 bits each, and statistics gathered in the same pass.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WorkImage {
    pub width: u32,
    pub height: u32,
    /// Block size of the box filter (source pixels per working pixel, per axis).
    pub factor: u32,
    /// `Y = 0.2126 R + 0.7152 G + 0.0722 B`, `width × height` bytes.
    pub luma: Vec<u8>,
    /// `max(R, G, B) − min(R, G, B)` (how far from grey: glare is colorless), `width ×
    /// height` bytes.
    pub chroma: Vec<u8>,
    /// 256-bin histogram of `luma`.
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

/// Rec. 709 luma of gamma-encoded RGB, in fixed point (weights ×256: 54, 183, 19). In u16:
/// 255 · 256 + 128 < 2¹⁶, so a loop of it runs in 16-bit SIMD lanes.
#[inline]
#[must_use]
pub fn luma(r: u8, g: u8, b: u8) -> u8 {
    ((u16::from(r) * 54 + u16::from(g) * 183 + u16::from(b) * 19 + 128) >> 8) as u8
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

    /// A working image from RGB pixels (tests, and the box step's output).
    #[must_use]
    pub fn from_rgb(width: u32, height: u32, rgb: Vec<u8>) -> WorkImage {
        let mut gather = Gather::new(rgb.len() / 3);
        let mut planes = Planes::new();
        for px in rgb.chunks(3 * CHUNK) {
            let m = px.len() / 3;
            let [r, g, b] = &mut planes.0;
            for (((p, r), g), b) in px
                .chunks_exact(3)
                .zip(r.iter_mut())
                .zip(g.iter_mut())
                .zip(b.iter_mut())
            {
                (*r, *g, *b) = (p[0], p[1], p[2]);
            }
            gather.push(&planes, m);
        }
        gather.finish(width, height)
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
        if size == (self.width, self.height) {
            // The level as it is (k = 2ⁿ): its RGBA rows straight into the planes.
            let mut rows = RgbaRows::new(self.width as usize, self.height as usize);
            source.read_rows(self.level, self.region(), &mut |data| rows.push(data))?;
            let mut img = rows.gather.finish(self.width, self.height);
            img.factor = self.factor;
            return Ok(img);
        }
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

/// Pixels per pass of [`Gather`]: its i32 partial sums hold 4096 · 510² < 2³¹ (integer sums,
/// so any split gives the same totals).
const CHUNK: usize = 4096;

/// Up to [`CHUNK`] pixels, one plane per channel (R, G, B): in planes the luma, chroma and
/// sums run in SIMD lanes; interleaved pixels keep the compiler to one pixel at a time.
struct Planes([[u8; CHUNK]; 3]);

impl Planes {
    fn new() -> Box<Planes> {
        Box::new(Planes([[0; CHUNK]; 3]))
    }
}

/// Four 256-bin histograms, to be merged with [`merge_levels`]: values are dealt to them
/// round-robin, so a run of equal values does not wait on its own increments.
pub type Levels = [[u32; 256]; 4];

/// Counts `values` into `hist`.
pub fn count_levels(values: &[u8], hist: &mut Levels) {
    let mut quads = values.chunks_exact(4);
    for q in &mut quads {
        for (h, &v) in hist.iter_mut().zip(q) {
            h[usize::from(v)] += 1;
        }
    }
    for &v in quads.remainder() {
        hist[0][usize::from(v)] += 1;
    }
}

/// The one 256-bin histogram of [`count_levels`]' four.
#[must_use]
pub fn merge_levels(hist: &Levels) -> Vec<u32> {
    (0..256).map(|v| hist.iter().map(|h| h[v]).sum()).collect()
}

/// The working image's planes and statistics, gathered chunk by chunk.
struct Gather {
    luma: Vec<u8>,
    chroma: Vec<u8>,
    hist: Levels,
    color_sums: [i64; 4],
}

impl Gather {
    fn new(pixels: usize) -> Gather {
        Gather {
            luma: Vec::with_capacity(pixels),
            chroma: Vec::with_capacity(pixels),
            hist: [[0; 256]; 4],
            color_sums: [0; 4],
        }
    }

    /// Adds the first `m` pixels of `planes`.
    fn push(&mut self, planes: &Planes, m: usize) {
        let [r, g, b] = &planes.0;
        let (r, g, b) = (&r[..m], &g[..m], &b[..m]);
        let start = self.luma.len();
        // Extended from the planes (not zero-filled first and then written: a memset of
        // both planes less).
        self.luma
            .extend(r.iter().zip(g).zip(b).map(|((&r, &g), &b)| luma(r, g, b)));
        self.chroma.extend(
            r.iter()
                .zip(g)
                .zip(b)
                .map(|((&r, &g), &b)| r.max(g).max(b) - r.min(g).min(b)),
        );
        let luma_out = &self.luma[start..];
        let mut acc = [0i32; 4];
        // Blocks of 32: the differences first as i16 arrays, then each sum alone (the
        // multiply-add of 16-bit lanes, eight at a time; in one loop the compiler took four
        // lanes of i32). The same integers.
        const BLOCK: usize = 32;
        let (mut rs, mut gs, mut bs) = (
            r.chunks_exact(BLOCK),
            g.chunks_exact(BLOCK),
            b.chunks_exact(BLOCK),
        );
        for ((r, g), b) in (&mut rs).zip(&mut gs).zip(&mut bs) {
            let (mut rg, mut yb2) = ([0i16; BLOCK], [0i16; BLOCK]);
            for ((((rg, yb2), &r), &g), &b) in
                rg.iter_mut().zip(yb2.iter_mut()).zip(r).zip(g).zip(b)
            {
                let (r, g, b) = (i16::from(r), i16::from(g), i16::from(b));
                *rg = r - g;
                *yb2 = r + g - 2 * b;
            }
            let sum = |v: &[i16; BLOCK]| v.iter().map(|&d| i32::from(d)).sum::<i32>();
            let squares =
                |v: &[i16; BLOCK]| v.iter().map(|&d| i32::from(d) * i32::from(d)).sum::<i32>();
            acc[0] += sum(&rg);
            acc[1] += sum(&yb2);
            acc[2] += squares(&rg);
            acc[3] += squares(&yb2);
        }
        for ((&r, &g), &b) in rs
            .remainder()
            .iter()
            .zip(gs.remainder())
            .zip(bs.remainder())
        {
            // i16 differences, products in i32.
            let (r, g, b) = (i16::from(r), i16::from(g), i16::from(b));
            let rg = i32::from(r - g);
            let yb2 = i32::from(r + g - 2 * b);
            acc[0] += rg;
            acc[1] += yb2;
            acc[2] += rg * rg;
            acc[3] += yb2 * yb2;
        }
        for (total, part) in self.color_sums.iter_mut().zip(acc) {
            *total += i64::from(part);
        }
        count_levels(luma_out, &mut self.hist);
    }

    fn finish(self, width: u32, height: u32) -> WorkImage {
        let mut luma = self.luma;
        let mut chroma = self.chroma;
        // Rows never fed are black (as the box step leaves them).
        let n = width as usize * height as usize;
        let missing = n.saturating_sub(luma.len()) as u32;
        luma.resize(n, 0);
        chroma.resize(n, 0);
        let mut histogram = merge_levels(&self.hist);
        histogram[0] += missing;
        WorkImage {
            width,
            height,
            factor: 1,
            luma,
            chroma,
            histogram,
            color_sums: self.color_sums,
        }
    }
}

/// RGBA rows of exactly the working image's width, in bands of any length (a partial row
/// is kept for the next band), gathered as they come.
struct RgbaRows {
    width: usize,
    rows_left: usize,
    carry: Vec<u8>,
    words: Vec<u32>,
    planes: Box<Planes>,
    gather: Gather,
}

impl RgbaRows {
    fn new(width: usize, height: usize) -> RgbaRows {
        RgbaRows {
            width,
            rows_left: height,
            carry: Vec::new(),
            words: vec![0; CHUNK],
            planes: Planes::new(),
            gather: Gather::new(width * height),
        }
    }

    fn push(&mut self, data: &[u8]) {
        let mut carry = std::mem::take(&mut self.carry);
        whole_rows(&mut carry, data, self.width * 4, |row| self.row(row));
        self.carry = carry;
    }

    fn row(&mut self, row: &[u8]) {
        if self.rows_left == 0 {
            return;
        }
        self.rows_left -= 1;
        for px in row.chunks(4 * CHUNK) {
            let m = px.len() / 4;
            // Pixels as u32 words first, then each plane from the words: both loops run in
            // SIMD lanes (byte by byte the split is 2.2× slower, measured natively).
            let words = &mut self.words[..m];
            for (w, p) in words.iter_mut().zip(px.chunks_exact(4)) {
                *w = u32::from_le_bytes([p[0], p[1], p[2], p[3]]);
            }
            for (plane, shift) in self.planes.0.iter_mut().zip([0, 8, 16]) {
                for (v, w) in plane.iter_mut().zip(words.iter()) {
                    *v = ((w >> shift) & 0xff) as u8;
                }
            }
            self.gather.push(&self.planes, m);
        }
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
    fn from_rgb_gathers_what_each_pixel_gives() {
        // Random pixels, sizes around the 4096-pixel chunks: luma, histogram and color sums
        // against the per-pixel definitions.
        let mut seed = 0x9E37_79B9u32;
        for (w, h) in [(1u32, 1u32), (7, 3), (4096, 1), (4097, 2), (1008, 756)] {
            let rgb: Vec<u8> = (0..w * h * 3)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 17;
                    seed ^= seed << 5;
                    (seed >> 7) as u8
                })
                .collect();
            let img = WorkImage::from_rgb(w, h, rgb.clone());
            let mut hist = vec![0u32; 256];
            let mut sums = [0i64; 4];
            for (i, p) in rgb.chunks_exact(3).enumerate() {
                let y = luma(p[0], p[1], p[2]);
                assert_eq!(img.luma[i], y, "{w}×{h} pixel {i}");
                let chroma = p[0].max(p[1]).max(p[2]) - p[0].min(p[1]).min(p[2]);
                assert_eq!(img.chroma[i], chroma, "{w}×{h} pixel {i}");
                hist[usize::from(y)] += 1;
                let (r, g, b) = (i64::from(p[0]), i64::from(p[1]), i64::from(p[2]));
                let (rg, yb2) = (r - g, r + g - 2 * b);
                for (s, v) in sums.iter_mut().zip([rg, yb2, rg * rg, yb2 * yb2]) {
                    *s += v;
                }
            }
            assert_eq!(img.histogram, hist, "{w}×{h}");
            assert_eq!(img.color_sums, sums, "{w}×{h}");
        }
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
        assert_eq!(w.luma[0], luma(128, 101, 100));
        assert_eq!(w.chroma[0], 128 - 100);
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
