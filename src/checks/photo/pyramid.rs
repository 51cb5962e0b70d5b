//! The photo's pyramid of half-size levels: the one resampling the browser and the CLI share.
//!
//! Level `n` halves level `n − 1` with a 2×2 box, each channel **rounded**:
//! `(a + b + c + d + 2) >> 2`. That is bit for bit what Chromium's canvas gives for
//! `drawImage(image, sx, sy, sw, sh, 0, 0, sw/2, sh/2)` with `imageSmoothingQuality = "low"`
//! (bilinear filtering: at exactly half size every sample falls on the corner of four
//! texels), and a level drawn from the previous level's canvas chains exactly. Measured on
//! 12 MP photos: 0 differing bytes at levels 1 and 2 and for regions at aligned offsets,
//! against 4.4 M for a truncating box (Skia's mipmaps, `"medium"`: the bias of 0.4 levels
//! alone flipped the framing verdict of 4 of the 108 real photos, so it is not used). So
//! the worker never reads the full-size pixels back: it draws the level it needs, of only
//! the region it needs, and the CLI computes the same bytes here from its own decode.
//!
//! Geometry, all from the photo's size `W × H`:
//! - [`top_level`] `L = min(⌊log₂(long / 256)⌋, ⌊log₂ short⌋)`: the deepest level used;
//! - [`cropped`]: `W` and `H` rounded down to multiples of `2ᴸ`, so every level up to `L`
//!   has even sides (at most `long / 256` px, 0.4 %, dropped at the right and bottom edge;
//!   nothing for 4032×3024, 4000×3000, 8000×6000, 3264×2448);

use super::work::RgbaView;

/// Long side, px, that one level of [`top_level`] covers: levels stop when a further one
/// would make the long side shorter than this.
const LEVEL_SPAN: u32 = 256;

/// A rectangle of the (cropped) photo in level-0 pixels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Region {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
}

impl Region {
    /// The whole `width × height` frame.
    #[must_use]
    pub fn whole(width: u32, height: u32) -> Region {
        Region {
            x: 0,
            y: 0,
            width,
            height,
        }
    }

    /// The size of this region at `level`.
    #[must_use]
    pub fn at_level(self, level: u32) -> (u32, u32) {
        (self.width >> level, self.height >> level)
    }
}

/// `⌊log₂ v⌋` for `v ≥ 1` (0 for 0).
fn log2_floor(v: u32) -> u32 {
    v.max(1).ilog2()
}

/// The deepest level the checks use for a `width × height` photo (see the module docs).
#[must_use]
pub fn top_level(width: u32, height: u32) -> u32 {
    let (long, short) = (width.max(height), width.min(height));
    log2_floor(long / LEVEL_SPAN).min(log2_floor(short)).min(16)
}

/// The photo's size after the crop to whole `2ᴸ` blocks (see the module docs).
#[must_use]
pub fn cropped(width: u32, height: u32) -> (u32, u32) {
    let mask = !((1u32 << top_level(width, height)) - 1);
    (width & mask, height & mask)
}

/// One level down: each channel of each 2×2 block averaged, rounded half up (as the canvas's
/// bilinear half-size draw). `src` holds `width × height` RGBA pixels in rows of `stride_px`
/// pixels (≥ `width`: the top-left crop of a wider buffer); a last odd row or column is
/// dropped (never the case for the levels of a [`cropped`] photo).
#[must_use]
pub fn half(src: &[u8], stride_px: u32, width: u32, height: u32) -> Vec<u8> {
    let (w2, h2) = ((width / 2) as usize, (height / 2) as usize);
    let stride = stride_px.max(width) as usize * 4;
    let mut out = vec![0u8; w2 * h2 * 4];
    if w2 == 0 || h2 == 0 || src.len() < stride * (height as usize - 1) + width as usize * 4 {
        return out;
    }
    // Per-byte vertical sums of a row pair (2 · 255 fits u16; the loop vectorises).
    let mut sums = vec![0u16; w2 * 8];
    for (y, dst) in out.chunks_exact_mut(w2 * 4).enumerate() {
        let top = &src[2 * y * stride..][..w2 * 8];
        let bottom = &src[(2 * y + 1) * stride..][..w2 * 8];
        for ((s, a), b) in sums.iter_mut().zip(top).zip(bottom) {
            *s = u16::from(*a) + u16::from(*b);
        }
        for (px, pair) in dst.chunks_exact_mut(4).zip(sums.chunks_exact(8)) {
            for c in 0..4 {
                // ≤ (4 · 255 + 2) >> 2 = 255.
                px[c] = ((pair[c] + pair[c + 4] + 2) >> 2) as u8;
            }
        }
    }
    out
}

/// Hands the RGBA rows of `region` (level-0 pixels) of `data`, level `level` of a photo in
/// rows of `stride_px` pixels, to `sink`: one band when the region is whole rows, else row
/// by row.
pub fn sink_region(
    data: &[u8],
    stride_px: u32,
    level: u32,
    region: Region,
    sink: &mut dyn FnMut(&[u8]),
) {
    let (x0, y0) = ((region.x >> level) as usize, (region.y >> level) as usize);
    let (w, h) = region.at_level(level);
    let (stride, row) = (stride_px as usize * 4, w as usize * 4);
    if x0 == 0 && row == stride {
        // Whole rows: one band, no copy.
        sink(&data[y0 * stride..(y0 + h as usize) * stride]);
    } else {
        for y in y0..y0 + h as usize {
            let start = y * stride + x0 * 4;
            sink(&data[start..start + row]);
        }
    }
}

/// Where the engine reads pixels from: levels of the decoded photo, region by region.
/// [`Pyramid`] natively; the worker's canvas in the browser (the same bytes, see the module
/// docs).
pub trait Source {
    /// Why pixels could not be read ([`std::convert::Infallible`] in memory).
    type Error;

    /// Size of level 0 ([`cropped`]: every level up to [`top_level`] has even sides).
    fn size(&self) -> (u32, u32);

    /// Hands the RGBA rows of `region` (level-0 pixels, each edge a multiple of
    /// `2^level`) at `level` to `sink`, top to bottom, in bands of whole rows of
    /// `(width >> level) · 4` bytes.
    ///
    /// # Errors
    /// The pixels could not be read (the browser's canvas failed).
    fn read_rows(
        &mut self,
        level: u32,
        region: Region,
        sink: &mut dyn FnMut(&[u8]),
    ) -> Result<(), Self::Error>;
}

/// The pyramid of a decoded photo in memory (the CLI's [`Source`]): levels are made on
/// first use and kept.
pub struct Pyramid<'a> {
    base: RgbaView<'a>,
    size: (u32, u32),
    /// `levels[j]` is level `j + 1` of the cropped photo.
    levels: Vec<Vec<u8>>,
}

impl<'a> Pyramid<'a> {
    /// The pyramid of `base`, cropped per [`cropped`].
    #[must_use]
    pub fn new(base: RgbaView<'a>) -> Pyramid<'a> {
        Pyramid {
            base,
            size: cropped(base.width, base.height),
            levels: Vec::new(),
        }
    }

    /// Level `level` of the whole cropped photo, and its row length in pixels (level 0 is
    /// the decode itself, uncropped rows).
    fn level(&mut self, level: u32) -> (&[u8], u32) {
        let (w, h) = self.size;
        while (self.levels.len() as u32) < level {
            let j = self.levels.len() as u32; // the last level made
            let next = match j {
                0 => half(self.base.data, self.base.width, w, h),
                _ => half(&self.levels[j as usize - 1], w >> j, w >> j, h >> j),
            };
            self.levels.push(next);
        }
        match level {
            0 => (self.base.data, self.base.width),
            _ => (&self.levels[level as usize - 1], w >> level),
        }
    }
}

impl Source for Pyramid<'_> {
    type Error = std::convert::Infallible;

    fn size(&self) -> (u32, u32) {
        self.size
    }

    fn read_rows(
        &mut self,
        level: u32,
        region: Region,
        sink: &mut dyn FnMut(&[u8]),
    ) -> Result<(), Self::Error> {
        let (data, stride) = self.level(level);
        sink_region(data, stride, level, region, sink);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn geometry_of_common_photo_sizes() {
        // (size, top level, crop)
        for ((w, h), l, crop) in [
            ((4032, 3024), 3, (4032, 3024)),
            ((3024, 4032), 3, (3024, 4032)),
            ((8000, 6000), 4, (8000, 6000)),
            ((16000, 12000), 5, (16000, 12000)),
            ((3264, 2448), 3, (3264, 2448)),
            ((4000, 2250), 3, (4000, 2248)),
            ((1920, 1080), 2, (1920, 1080)),
            ((640, 480), 1, (640, 480)),
            ((255, 100), 0, (255, 100)),
            ((20000, 3), 1, (20000, 2)),
            ((1, 1), 0, (1, 1)),
        ] {
            assert_eq!(top_level(w, h), l, "{w}×{h}");
            assert_eq!(cropped(w, h), crop, "{w}×{h}");
        }
    }

    #[test]
    fn half_rounds_each_channel_like_the_canvas() {
        // 2×2 of (10, 11, 12, 13) → 46 / 4 = 11.5 → 12; (0, 1, 2, 2) → 1.25 → 1;
        // (255, 255, 254, 254) → 254.5 → 255.
        let src = [
            10, 0, 255, 255, 11, 1, 255, 255, 12, 2, 254, 255, 13, 2, 254, 255,
        ];
        assert_eq!(half(&src, 2, 2, 2), vec![12, 1, 255, 255]);
        // An odd last column and row are dropped; a wider buffer's rows are skipped over.
        let src = vec![7u8; 3 * 3 * 4];
        assert_eq!(half(&src, 3, 3, 3), vec![7; 4]);
        assert_eq!(half(&src, 3, 2, 2), vec![7; 4]);
        assert!(half(&[], 0, 0, 0).is_empty());
    }

    /// Rows `y0..y0 + rows` of pixels `x0..x0 + cols` of a `stride_px`-wide RGBA buffer.
    fn copy_rect(
        data: &[u8],
        stride_px: u32,
        (x0, y0, cols, rows): (u32, u32, u32, u32),
    ) -> Vec<u8> {
        let stride = stride_px as usize * 4;
        let (a, n) = (x0 as usize * 4, cols as usize * 4);
        let mut out = Vec::with_capacity(n * rows as usize);
        for y in y0..y0 + rows {
            let start = y as usize * stride + a;
            out.extend_from_slice(&data[start..start + n]);
        }
        out
    }

    #[test]
    fn regions_of_levels_are_crops_of_the_whole_level() {
        let (w, h) = (1030u32, 260u32); // cropped to 1028 × 260 (L = 2)
        let data: Vec<u8> = (0..w * h)
            .flat_map(|i| {
                let (x, y) = (i % w, i / w);
                [
                    (x * 7 % 251) as u8,
                    (y * 13 % 253) as u8,
                    ((x ^ y) % 256) as u8,
                    255,
                ]
            })
            .collect();
        let view = RgbaView::new(w, h, &data).unwrap_or_else(|| panic!("view"));
        let mut p = Pyramid::new(view);
        assert_eq!(p.size(), (1028, 260));
        // Level 2 of the crop, whole and in part.
        let mut read = |level, region| {
            let mut out = Vec::new();
            let Ok(()) = p.read_rows(level, region, &mut |rows| out.extend_from_slice(rows));
            out
        };
        let whole = read(2, Region::whole(1028, 260));
        assert_eq!(whole.len(), 257 * 65 * 4);
        // Level 2 by hand: half of half of the crop.
        let crop = copy_rect(&data, w, (0, 0, 1028, 260));
        assert_eq!(whole, half(&half(&crop, 1028, 1028, 260), 514, 514, 130));
        let r = Region {
            x: 8,
            y: 4,
            width: 40,
            height: 16,
        };
        let part = read(2, r);
        assert_eq!(part, copy_rect(&whole, 257, (2, 1, 10, 4)));
        // Level 0 reads the original buffer (its own stride).
        let zero = read(0, r);
        assert_eq!(zero, copy_rect(&data, w, (8, 4, 40, 16)));
    }
}
