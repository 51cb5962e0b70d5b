//! The pyramid of a JPEG from its **scaled decodes**: level `L` (1 ≤ `L` ≤ 3) is the file
//! decoded at `1/2ᴸ` of its size by libjpeg-turbo's scaled IDCT (the 8×8 blocks' inverse
//! transform computed at 4×4, 2×2 or 1×1: no full-size pixels are ever made), turned upright
//! ([`Orientation`]), its top-left `cropped >> L` pixels; deeper levels halve level 3
//! ([`pyramid::half`]). The browser asks WebCodecs' `ImageDecoder` for exactly those sizes
//! (`desiredWidth`/`desiredHeight`) and the CLI asks its libjpeg-turbo for the same scaling
//! factor: Chromium's output is bit-identical to it (docs/decode_speed.md), so parity holds.
//! Level 0 is the full decode, which the entry points read themselves (the browser through
//! its canvas, in bands).
//!
//! Decodes are asynchronous in the browser, so this source does not decode: it holds the
//! decodes handed to it ([`ScaledSource::insert`]) and answers a read of a level whose
//! decode it lacks with [`Missing`]; the caller decodes that scale and runs the (pure,
//! deterministic) pipeline again. Each scale is decoded at most once per photo.

use super::orient::Orientation;
use super::pyramid::{self, cropped, Region, Source};

/// The deepest scale a JPEG decoder gives (`1/8`).
pub const MAX_SCALE: u32 = 3;

/// The scale (`1/2ˢ`) whose decode level `level` is made from.
#[must_use]
pub fn scale_for(level: u32) -> u32 {
    level.min(MAX_SCALE)
}

/// A side of the decode at `1/2ˢ`: libjpeg-turbo's `⌈side / 2ˢ⌉`.
#[must_use]
pub fn scaled_side(side: u32, scale: u32) -> u32 {
    side.div_ceil(1 << scale)
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
    /// `decodes[s - 1]`: the upright decode at `1/2ˢ` and its row length in pixels.
    decodes: [Option<(Vec<u8>, u32)>; MAX_SCALE as usize],
    /// `deeper[j]`: level `MAX_SCALE + 1 + j`, cropped rows.
    deeper: Vec<Vec<u8>>,
}

impl ScaledSource {
    /// The source of a JPEG stored as `coded` pixels with `orientation`.
    #[must_use]
    pub fn new(coded: (u32, u32), orientation: Orientation) -> ScaledSource {
        let (w, h) = orientation.upright_size(coded);
        ScaledSource {
            coded,
            orientation,
            size: cropped(w, h),
            decodes: [None, None, None],
            deeper: Vec::new(),
        }
    }

    /// The stored size of the decode at `1/2ˢ` (what to ask the decoder for).
    #[must_use]
    pub fn coded_size_at(&self, scale: u32) -> (u32, u32) {
        (
            scaled_side(self.coded.0, scale),
            scaled_side(self.coded.1, scale),
        )
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

    /// Level `level` (≥ 1) of the whole cropped photo and its row length in pixels.
    fn level(&mut self, level: u32) -> Result<(&[u8], u32), Missing> {
        let s = scale_for(level);
        if level == 0 || !self.has(s) {
            return Err(Missing(s));
        }
        let (w, h) = self.size;
        while MAX_SCALE + (self.deeper.len() as u32) < level {
            let j = MAX_SCALE + self.deeper.len() as u32; // the last level made
            let next = match self.deeper.last() {
                Some(prev) => pyramid::half(prev, w >> j, w >> j, h >> j),
                None => {
                    let (data, stride) = self.decodes[MAX_SCALE as usize - 1]
                        .as_ref()
                        .map_or((&[][..], 0), |(d, s)| (d.as_slice(), *s));
                    pyramid::half(data, stride, w >> j, h >> j)
                }
            };
            self.deeper.push(next);
        }
        Ok(if level <= MAX_SCALE {
            self.decodes[level as usize - 1]
                .as_ref()
                .map_or((&[][..], 0), |(d, s)| (d.as_slice(), *s))
        } else {
            (&self.deeper[(level - MAX_SCALE - 1) as usize], w >> level)
        })
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
        assert_eq!((scale_for(2), scale_for(5)), (2, 3));
    }

    /// A stored `w × h` image whose pixel (x, y) is `[x, y, x ^ y, 255]` (low bytes).
    fn image(w: u32, h: u32) -> Vec<u8> {
        (0..h)
            .flat_map(|y| (0..w).flat_map(move |x| [x as u8, y as u8, (x ^ y) as u8, 255]))
            .collect()
    }

    #[test]
    fn levels_come_from_their_own_decode_upright_and_cropped() {
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
        // Deeper levels halve level 3, not level 2.
        assert_eq!(read(&mut s, 4, Region::whole(1024, 4096)), Err(Missing(3)));
        assert!(s.insert(3, image(513, 129), (513, 129)).is_ok());
        let level3 = read(&mut s, 3, Region::whole(1024, 4096)).unwrap_or_default();
        let level4 = read(&mut s, 4, Region::whole(1024, 4096)).unwrap_or_default();
        let (w3, h3) = whole(3);
        assert_eq!(level4, pyramid::half(&level3, w3, w3, h3));
    }
}
