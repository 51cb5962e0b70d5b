//! EXIF orientation, read from a JPEG's bytes and applied to RGBA pixels, the way Chromium
//! reads it: the first APP1 "Exif" segment (before the first scan) whose first image
//! directory has an Orientation (0x0112) SHORT of count 1 and value 1–8; anything else is
//! upright. The browser's `ImageDecoder` hands back the stored (coded) pixels with that
//! orientation beside them, so the worker and the CLI both turn them upright here.

/// An EXIF orientation, 1–8 (1: upright as stored). Values 5–8 swap width and height.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Orientation(u8);

impl Default for Orientation {
    /// Upright.
    fn default() -> Orientation {
        Orientation::UPRIGHT
    }
}

impl Orientation {
    /// Upright as stored.
    pub const UPRIGHT: Orientation = Orientation(1);

    /// `value` if it is an EXIF orientation (1–8).
    #[must_use]
    pub fn from_exif(value: u8) -> Option<Orientation> {
        (1..=8).contains(&value).then_some(Orientation(value))
    }

    /// The EXIF value, 1–8.
    #[must_use]
    pub fn to_exif(self) -> u8 {
        self.0
    }

    /// Whether the upright image is the stored one turned a quarter (width and height swap).
    #[must_use]
    pub fn swaps_sides(self) -> bool {
        self.0 >= 5
    }

    /// The upright size of a stored `width × height` image.
    #[must_use]
    pub fn upright_size(self, (width, height): (u32, u32)) -> (u32, u32) {
        if self.swaps_sides() {
            (height, width)
        } else {
            (width, height)
        }
    }

    /// The orientation of a JPEG (see the module docs).
    #[must_use]
    pub fn of_jpeg(bytes: &[u8]) -> Orientation {
        let mut i = 2;
        while let (Some(&0xFF), Some(&marker)) = (bytes.get(i), bytes.get(i + 1)) {
            if marker == 0xFF {
                i += 1; // fill byte
                continue;
            }
            if matches!(marker, 0xD8..=0xDA) {
                break;
            }
            if matches!(marker, 0x01 | 0xD0..=0xD7) {
                i += 2; // no length
                continue;
            }
            let Some(len) = bytes
                .get(i + 2..i + 4)
                .map(|b| usize::from(u16::from_be_bytes([b[0], b[1]])))
            else {
                break;
            };
            let end = (i + 2 + len).min(bytes.len());
            let data = bytes.get(i + 4..end).unwrap_or_default();
            // "Exif\0" and one fill byte, then the TIFF header.
            if marker == 0xE1 && data.len() >= 14 && data.starts_with(b"Exif\0") {
                if let Some(o) = Orientation::of_tiff(&data[6..]) {
                    return o;
                }
            }
            i += 2 + len.max(2);
        }
        Orientation::UPRIGHT
    }

    /// The Orientation entry of a TIFF header's first image directory.
    fn of_tiff(tiff: &[u8]) -> Option<Orientation> {
        let big = match tiff.get(..4)? {
            [0x49, 0x49, 42, 0] => false,
            [0x4D, 0x4D, 0, 42] => true,
            _ => return None,
        };
        let u16_at = |i: usize| {
            let b: [u8; 2] = tiff.get(i..i + 2)?.try_into().ok()?;
            Some(if big {
                u16::from_be_bytes(b)
            } else {
                u16::from_le_bytes(b)
            })
        };
        let u32_at = |i: usize| {
            let b: [u8; 4] = tiff.get(i..i + 4)?.try_into().ok()?;
            Some(if big {
                u32::from_be_bytes(b)
            } else {
                u32::from_le_bytes(b)
            })
        };
        let ifd = usize::try_from(u32_at(4)?).ok()?;
        let entries = usize::from(u16_at(ifd)?);
        for k in 0..entries {
            let e = ifd + 2 + 12 * k;
            let (tag, format, count, value) =
                (u16_at(e)?, u16_at(e + 2)?, u32_at(e + 4)?, u16_at(e + 8)?);
            if tag == 0x0112 && format == 3 && count == 1 {
                return Orientation::from_exif(u8::try_from(value.min(255)).ok()?);
            }
        }
        None
    }

    /// The stored `width × height` RGBA pixels turned upright, and their upright size.
    #[must_use]
    pub fn apply(self, rgba: Vec<u8>, width: u32, height: u32) -> (Vec<u8>, u32, u32) {
        let (w, h) = (width as usize, height as usize);
        if self.0 == 1 || rgba.len() != w * h * 4 {
            return (rgba, width, height);
        }
        let (ow, oh) = self.upright_size((width, height));
        // Where upright pixel (x, y) is stored.
        let from = |x: usize, y: usize| -> (usize, usize) {
            match self.0 {
                2 => (w - 1 - x, y),
                3 => (w - 1 - x, h - 1 - y),
                4 => (x, h - 1 - y),
                5 => (y, x),
                6 => (y, h - 1 - x),
                7 => (w - 1 - y, h - 1 - x),
                _ => (w - 1 - y, x), // 8
            }
        };
        let mut out = vec![0u8; rgba.len()];
        for (y, row) in out.chunks_exact_mut(ow as usize * 4).enumerate() {
            for (x, px) in row.chunks_exact_mut(4).enumerate() {
                let (sx, sy) = from(x, y);
                let s = (sy * w + sx) * 4;
                px.copy_from_slice(&rgba[s..s + 4]);
            }
        }
        (out, ow, oh)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal JPEG prefix with an EXIF APP1 holding `orientation` (little- or big-endian).
    fn with_exif(orientation: u16, big: bool) -> Vec<u8> {
        let mut tiff: Vec<u8> = if big {
            vec![0x4D, 0x4D, 0, 42, 0, 0, 0, 8, 0, 1]
        } else {
            vec![0x49, 0x49, 42, 0, 8, 0, 0, 0, 1, 0]
        };
        let entry: [u16; 2] = [0x0112, 3];
        for v in entry {
            tiff.extend(if big {
                v.to_be_bytes()
            } else {
                v.to_le_bytes()
            });
        }
        tiff.extend(if big {
            1u32.to_be_bytes()
        } else {
            1u32.to_le_bytes()
        });
        tiff.extend(if big {
            orientation.to_be_bytes()
        } else {
            orientation.to_le_bytes()
        });
        tiff.extend([0, 0, 0, 0, 0, 0]);
        let mut app1 = b"Exif\0\0".to_vec();
        app1.extend(tiff);
        let len = u16::try_from(app1.len() + 2).unwrap_or(0);
        let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE1];
        jpeg.extend(len.to_be_bytes());
        jpeg.extend(app1);
        jpeg.extend([0xFF, 0xDA, 0, 2]);
        jpeg
    }

    #[test]
    fn reads_the_orientation_in_either_byte_order() {
        for o in 1..=8u16 {
            for big in [false, true] {
                assert_eq!(Orientation::of_jpeg(&with_exif(o, big)).to_exif(), o as u8);
            }
        }
        // Out of range, no EXIF, or after the first scan: upright.
        assert_eq!(
            Orientation::of_jpeg(&with_exif(9, false)),
            Orientation::UPRIGHT
        );
        assert_eq!(
            Orientation::of_jpeg(&[0xFF, 0xD8, 0xFF, 0xDA, 0, 2]),
            Orientation::UPRIGHT
        );
        assert_eq!(Orientation::of_jpeg(&[]), Orientation::UPRIGHT);
    }

    /// A 3 × 2 image whose pixel (x, y) is `[x, y, 0, 255]`.
    fn grid() -> Vec<u8> {
        (0..2u8)
            .flat_map(|y| (0..3u8).flat_map(move |x| [x, y, 0, 255]))
            .collect()
    }

    #[test]
    fn turns_pixels_upright() {
        // The upright image's first row, as (x, y) of the stored pixels, per orientation.
        for (o, size, first_row) in [
            (1, (3, 2), vec![(0, 0), (1, 0), (2, 0)]),
            (2, (3, 2), vec![(2, 0), (1, 0), (0, 0)]),
            (3, (3, 2), vec![(2, 1), (1, 1), (0, 1)]),
            (4, (3, 2), vec![(0, 1), (1, 1), (2, 1)]),
            (5, (2, 3), vec![(0, 0), (0, 1)]),
            (6, (2, 3), vec![(0, 1), (0, 0)]),
            (7, (2, 3), vec![(2, 1), (2, 0)]),
            (8, (2, 3), vec![(2, 0), (2, 1)]),
        ] {
            let orientation = Orientation::from_exif(o).unwrap_or_default();
            let (px, w, h) = orientation.apply(grid(), 3, 2);
            assert_eq!((w, h), size, "orientation {o}");
            let row: Vec<(u8, u8)> = px[..w as usize * 4]
                .chunks(4)
                .map(|p| (p[0], p[1]))
                .collect();
            assert_eq!(row, first_row, "orientation {o}");
        }
    }
}
