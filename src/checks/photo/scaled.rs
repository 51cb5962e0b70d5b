//! The pyramid of a JPEG from its **scaled decodes** (libjpeg-turbo's scaled IDCT: the 8×8
//! blocks' inverse transform computed at 4×4, 2×2 or 1×1, so no full-size pixels are made).
//! The **base** scale `b` is the working image's level ([`WorkPlan`]; 1 to 3: `1/8` is the
//! deepest scale a JPEG decoder gives), fixed by the photo's size alone: level `b` is the file
//! decoded at `1/2ᵇ`, turned upright ([`Orientation`]), its top-left `cropped >> b` pixels;
//! deeper levels halve it ([`pyramid::half`], as the canvas would); a finer level `L < b`
//! (a small document, the MRZ at 8 px/mm) is the decode at `1/2ᴸ`. For a 12 MP photo: one
//! 1008 × 756 decode, the document at level 3 halved from it. The browser asks WebCodecs'
//! `ImageDecoder` for exactly those sizes (`desiredWidth`/`desiredHeight`) and the CLI asks its
//! libjpeg-turbo for the same scaling factors: Chromium's output is bit-identical to it
//! (docs/decode_speed.md), and which pixels make a level depends only on the photo's size,
//! not on the order of the reads, so parity holds. Level 0 is the full decode, which the entry
//! points read themselves (the browser through its canvas, in bands).
//!
//! Decodes are asynchronous in the browser, so this source does not decode: it holds the
//! decodes handed to it ([`ScaledSource::insert`]) and answers a read of a level whose
//! decode it lacks with [`Missing`]; the caller decodes that scale and runs the (pure,
//! deterministic) pipeline again. Each scale is decoded at most once per photo.

use super::orient::Orientation;
use super::pyramid::{self, cropped, Region, Source};
use super::work::WorkPlan;

/// The deepest scale a JPEG decoder gives (`1/8`).
pub const MAX_SCALE: u32 = 3;

/// The base scale of a photo whose cropped size is `size`: its working image's level, within
/// 1 ..= [`MAX_SCALE`] (a working image at level 0 is read from the full decode; the levels
/// below it then come from the ½ decode).
#[must_use]
pub fn base_scale(size: (u32, u32)) -> u32 {
    WorkPlan::new(size).level.clamp(1, MAX_SCALE)
}

/// The scale (`1/2ˢ`) whose decode level `level` is made from, for base scale `base`.
#[must_use]
pub fn scale_for(level: u32, base: u32) -> u32 {
    level.min(base)
}

/// A side of the decode at `1/2ˢ`: libjpeg-turbo's `⌈side / 2ˢ⌉`.
#[must_use]
pub fn scaled_side(side: u32, scale: u32) -> u32 {
    side.div_ceil(1 << scale)
}

/// The size of the decode at `1/2ˢ` of a `width × height` JPEG ([`scaled_side`] of each).
#[must_use]
pub fn scaled_size((width, height): (u32, u32), scale: u32) -> (u32, u32) {
    (scaled_side(width, scale), scaled_side(height, scale))
}

/// A read needs the decode at this scale (0: the full decode), which the source lacks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Missing(pub u32);

/// Why a decode handed to [`ScaledSource::insert`] was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BadDecode {
    /// The decoder gave another size than `⌈side / 2ˢ⌉` (it did not scale as asked).
    Size {
        scale: u32,
        got: (u32, u32),
        expected: (u32, u32),
    },
    /// The scale is not 1–3.
    Scale(u32),
}

/// A JPEG's pyramid from its scaled decodes (see the module docs).
pub struct ScaledSource {
    /// The stored (coded) size of the JPEG.
    coded: (u32, u32),
    orientation: Orientation,
    /// Upright and cropped ([`cropped`]).
    size: (u32, u32),
    /// The base scale ([`base_scale`]).
    base: u32,
    /// `decodes[s - 1]`: the upright decode at `1/2ˢ` and its row length in pixels.
    decodes: [Option<(Vec<u8>, u32)>; MAX_SCALE as usize],
    /// `deeper[j]`: level `base + 1 + j`, cropped rows.
    deeper: Vec<Vec<u8>>,
}

impl ScaledSource {
    /// The source of a JPEG stored as `coded` pixels with `orientation`.
    #[must_use]
    pub fn new(coded: (u32, u32), orientation: Orientation) -> ScaledSource {
        let (w, h) = orientation.upright_size(coded);
        let size = cropped(w, h);
        ScaledSource {
            coded,
            orientation,
            size,
            base: base_scale(size),
            decodes: [None, None, None],
            deeper: Vec::new(),
        }
    }

    /// The stored size of the decode at `1/2ˢ` (what to ask the decoder for).
    #[must_use]
    pub fn coded_size_at(&self, scale: u32) -> (u32, u32) {
        scaled_size(self.coded, scale)
    }

    /// The upright size of the full photo.
    #[must_use]
    pub fn upright_size(&self) -> (u32, u32) {
        self.orientation.upright_size(self.coded)
    }

    /// Whether the decode at `1/2ˢ` is held.
    #[must_use]
    pub fn has(&self, scale: u32) -> bool {
        (1..=MAX_SCALE).contains(&scale) && self.decodes[scale as usize - 1].is_some()
    }

    /// Hands over the decode at `1/2ˢ` (1–3): `coded_size_at(scale)` RGBA pixels as stored.
    ///
    /// # Errors
    /// The scale is out of range or the pixels are not of the expected size.
    pub fn insert(&mut self, scale: u32, rgba: Vec<u8>, size: (u32, u32)) -> Result<(), BadDecode> {
        if !(1..=MAX_SCALE).contains(&scale) {
            return Err(BadDecode::Scale(scale));
        }
        let expected = self.coded_size_at(scale);
        if size != expected || rgba.len() as u64 != u64::from(size.0) * u64::from(size.1) * 4 {
            return Err(BadDecode::Size {
                scale,
                got: size,
                expected,
            });
        }
        let (rgba, w, _) = self.orientation.apply(rgba, size.0, size.1);
        self.decodes[scale as usize - 1] = Some((rgba, w));
        Ok(())
    }

    /// The scale the working image is decoded at (the first decode to make).
    #[must_use]
    pub fn base(&self) -> u32 {
        self.base
    }

    /// The decode at `1/2ˢ` and its row length in pixels (empty if not held).
    fn decode(&self, scale: u32) -> (&[u8], u32) {
        self.decodes
            .get(scale.wrapping_sub(1) as usize)
            .and_then(Option::as_ref)
            .map_or((&[][..], 0), |(d, s)| (d.as_slice(), *s))
    }

    /// The scale to decode before level `level` can be read (0: the full decode, which this
    /// source never holds), or `None` when it can be read now.
    #[must_use]
    pub fn missing(&self, level: u32) -> Option<u32> {
        let s = scale_for(level, self.base);
        (level == 0 || !self.has(s)).then_some(s)
    }

    /// Level `level` (≥ 1) of the whole cropped photo and its row length in pixels.
    fn level(&mut self, level: u32) -> Result<(&[u8], u32), Missing> {
        if let Some(s) = self.missing(level) {
            return Err(Missing(s));
        }
        if level <= self.base {
            return Ok(self.decode(level));
        }
        let (w, h) = self.size;
        while self.base + (self.deeper.len() as u32) < level {
            let j = self.base + self.deeper.len() as u32; // the last level made
            let next = match self.deeper.last() {
                Some(prev) => pyramid::half(prev, w >> j, w >> j, h >> j),
                None => {
                    let (data, stride) = self.decode(self.base);
                    pyramid::half(data, stride, w >> j, h >> j)
                }
            };
            self.deeper.push(next);
        }
        Ok((&self.deeper[(level - self.base - 1) as usize], w >> level))
    }
}

impl Source for ScaledSource {
    type Error = Missing;

    fn size(&self) -> (u32, u32) {
        self.size
    }

    fn read_rows(
        &mut self,
        level: u32,
        region: Region,
        sink: &mut dyn FnMut(&[u8]),
    ) -> Result<(), Missing> {
        let (data, stride) = self.level(level)?;
        pyramid::sink_region(data, stride, level, region, sink);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scaled_sizes_round_up_as_libjpeg_does() {
        assert_eq!(scaled_side(4032, 2), 1008);
        assert_eq!(scaled_side(4001, 2), 1001);
        assert_eq!(scaled_side(2251, 3), 282);
        assert_eq!(
            (scale_for(2, 3), scale_for(5, 3), scale_for(3, 2)),
            (2, 3, 2)
        );
        // 12 MP: the working image is level 2; 48 MP: level 3; 1080 × 1920: level 1.
        assert_eq!(
            (
                base_scale((4032, 3024)),
                base_scale((8000, 6000)),
                base_scale((1080, 1920))
            ),
            (2, 3, 1)
        );
    }

    /// A stored `w × h` image whose pixel (x, y) is `[x, y, x ^ y, 255]` (low bytes).
    fn image(w: u32, h: u32) -> Vec<u8> {
        (0..h)
            .flat_map(|y| (0..w).flat_map(move |x| [x as u8, y as u8, (x ^ y) as u8, 255]))
            .collect()
    }

    #[test]
    fn levels_come_from_the_base_decode_or_their_own_upright_and_cropped() {
        // 4100 × 1030 stored, turned a quarter (6): upright 1030 × 4100, top level 4,
        // cropped to 1024 × 4096.
        let mut s = ScaledSource::new((4100, 1030), Orientation::from_exif(6).unwrap_or_default());
        assert_eq!(s.size(), (1024, 4096));
        assert_eq!(s.coded_size_at(2), (1025, 258));
        let read = |s: &mut ScaledSource, level, region| {
            let mut out = Vec::new();
            s.read_rows(level, region, &mut |rows| out.extend_from_slice(rows))
                .map(|()| out)
        };
        let whole = |l| Region::whole(1024, 4096).at_level(l);
        assert_eq!(read(&mut s, 2, Region::whole(1024, 4096)), Err(Missing(2)));
        assert_eq!(read(&mut s, 0, Region::whole(1024, 4096)), Err(Missing(0)));
        // A decode of the wrong size is refused.
        assert!(s.insert(2, image(1024, 258), (1024, 258)).is_err());
        assert!(s.insert(2, image(1025, 258), (1025, 258)).is_ok());
        let level2 = read(&mut s, 2, Region::whole(1024, 4096)).unwrap_or_default();
        let (w2, h2) = whole(2);
        assert_eq!(level2.len(), (w2 * h2 * 4) as usize);
        // Upright (x, y) is stored (y, 257 − x): the first upright pixel is stored (0, 257).
        assert_eq!(&level2[..4], &[0, 1, 1, 255]); // 257 as u8 = 1
                                                   // A region of level 2 is the crop of the whole level.
        let r = Region {
            x: 8,
            y: 16,
            width: 8,
            height: 8,
        };
        let part = read(&mut s, 2, r).unwrap_or_default();
        let row = |y: usize| &level2[(y * w2 as usize + 2) * 4..][..8];
        assert_eq!(part, [row(4), row(5)].concat());
        // The base is the working image's level (2 here): deeper levels halve it, with no
        // other decode.
        assert_eq!(s.base(), 2);
        let level3 = read(&mut s, 3, Region::whole(1024, 4096)).unwrap_or_default();
        assert_eq!(level3, pyramid::half(&level2, w2, w2, h2));
        let level4 = read(&mut s, 4, Region::whole(1024, 4096)).unwrap_or_default();
        let (w3, h3) = whole(3);
        assert_eq!(level4, pyramid::half(&level3, w3, w3, h3));
        // A finer level is its own decode, upright and cropped.
        assert_eq!(read(&mut s, 1, Region::whole(1024, 4096)), Err(Missing(1)));
        assert!(s.insert(1, image(2050, 515), (2050, 515)).is_ok());
        let level1 = read(&mut s, 1, Region::whole(1024, 4096)).unwrap_or_default();
        let (upright, uw, _) =
            Orientation::from_exif(6)
                .unwrap_or_default()
                .apply(image(2050, 515), 2050, 515);
        let (w1, h1) = whole(1);
        let cropped: Vec<u8> = (0..h1 as usize)
            .flat_map(|y| upright[y * uw as usize * 4..][..w1 as usize * 4].to_vec())
            .collect();
        assert_eq!(level1, cropped);
    }
}
