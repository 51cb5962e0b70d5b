//! Perceptual hash: spots the same photo chosen for two slots, even resized or re-encoded.
//!
//! pHash (Zauner 2010): the working image's luma is area-averaged to 32×32, transformed by
//! a 2-D DCT-II, and the 63 lowest-frequency AC coefficients (the 8×8 corner without DC)
//! become 63 bits: 1 where a coefficient is above their median. Resizing, JPEG
//! re-encoding and mild brightness changes move few bits; different scenes differ in about
//! half. Two photos are the same when their Hamming distance is at most
//! [`DUPLICATE_MAX_DISTANCE`] (calibrated in `tests/photo_duplicates.rs`, see
//! `docs/calibration.md`).

use super::slot::Slot;
use super::work::WorkImage;

/// Side of the thumbnail the DCT runs on, px.
const THUMB: usize = 32;
/// Low frequencies kept per axis.
const LOW: usize = 8;

/// Largest Hamming distance (of 63 bits) at which two photos count as the same photo.
/// Measured on the 23 fixture photos: resized (2048–640 px) and re-encoded (JPEG q 50, 75)
/// copies differ by ≤ 2 bits; different photos by ≥ 12 (two ID-card scenes on light
/// tables), most by 20–40. 6 sits in the gap with room on both sides.
pub const DUPLICATE_MAX_DISTANCE: u32 = 6;

/// A 63-bit perceptual hash (bit 63 is always 0).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PerceptualHash(pub u64);

impl PerceptualHash {
    /// The hash of a working image. An empty image hashes to 0.
    #[must_use]
    pub fn of(work: &WorkImage) -> PerceptualHash {
        let (w, h) = (work.width as usize, work.height as usize);
        if w == 0 || h == 0 {
            return PerceptualHash(0);
        }
        let thumb = thumbnail(&work.luma, w, h);
        let coefficients = low_dct(&thumb);
        // Drop DC (index 0): it is the mean brightness, not the picture.
        let ac = &coefficients[1..];
        let mut sorted = ac.to_vec();
        sorted.sort_by(f64::total_cmp);
        let median = sorted[sorted.len() / 2];
        let bits = ac
            .iter()
            .enumerate()
            .filter(|(_, &c)| c > median)
            .fold(0u64, |acc, (i, _)| acc | (1 << i));
        PerceptualHash(bits)
    }

    /// Number of differing bits (0–63).
    #[must_use]
    pub fn distance(self, other: PerceptualHash) -> u32 {
        (self.0 ^ other.0).count_ones()
    }

    /// Whether the two hashes are of the same photo.
    #[must_use]
    pub fn same_photo(self, other: PerceptualHash) -> bool {
        self.distance(other) <= DUPLICATE_MAX_DISTANCE
    }

    /// 16 lowercase hex digits.
    #[must_use]
    pub fn to_hex(self) -> String {
        format!("{:016x}", self.0)
    }

    /// Parses [`Self::to_hex`]'s output.
    #[must_use]
    pub fn from_hex(s: &str) -> Option<PerceptualHash> {
        (s.len() == 16)
            .then(|| u64::from_str_radix(s, 16).ok())
            .flatten()
            .map(PerceptualHash)
    }
}

/// Serialised as [`PerceptualHash::to_hex`]: JavaScript numbers hold only 53 bits.
impl serde::Serialize for PerceptualHash {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_hex())
    }
}

impl<'de> serde::Deserialize<'de> for PerceptualHash {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        PerceptualHash::from_hex(&s)
            .ok_or_else(|| serde::de::Error::custom(format!("not a 16-digit hex hash: {s:?}")))
    }
}

/// Pairs of slots holding the same photo, with their distance, in slot order.
#[must_use]
pub fn duplicates(hashes: &[(Slot, PerceptualHash)]) -> Vec<(Slot, Slot, u32)> {
    let mut found = Vec::new();
    for (i, &(a, ha)) in hashes.iter().enumerate() {
        for &(b, hb) in &hashes[i + 1..] {
            if a != b && ha.same_photo(hb) {
                found.push((a.min(b), a.max(b), ha.distance(hb)));
            }
        }
    }
    found.sort_unstable();
    found
}

/// Area average of `luma` (`w × h`) onto a 32×32 grid: cell `(i, j)` covers source columns
/// `⌊i·w/32⌋ … ⌊(i+1)·w/32⌋` (at least one) and likewise rows.
fn thumbnail(luma: &[u8], w: usize, h: usize) -> [f64; THUMB * THUMB] {
    let bounds = |n: usize, i: usize| {
        let a = i * n / THUMB;
        let b = ((i + 1) * n / THUMB).max(a + 1).min(n);
        (a.min(n - 1), b)
    };
    let mut out = [0.0; THUMB * THUMB];
    for ty in 0..THUMB {
        let (y0, y1) = bounds(h, ty);
        for tx in 0..THUMB {
            let (x0, x1) = bounds(w, tx);
            let mut sum = 0u64;
            for row in luma[y0 * w..y1 * w].chunks_exact(w) {
                sum += row[x0..x1].iter().map(|&v| u64::from(v)).sum::<u64>();
            }
            #[allow(clippy::cast_precision_loss)] // counts ≪ 2⁵²
            let mean = sum as f64 / ((y1 - y0) * (x1 - x0)) as f64;
            out[ty * THUMB + tx] = mean;
        }
    }
    out
}

/// The `LOW × LOW` lowest DCT-II coefficients of the thumbnail, row-major by vertical
/// frequency: `X(v,u) = Σ_y Σ_x t(y,x) · cos((2x+1)uπ/64) · cos((2y+1)vπ/64)` (unnormalized:
/// only their order matters).
fn low_dct(t: &[f64; THUMB * THUMB]) -> [f64; LOW * LOW] {
    let mut basis = [[0.0; THUMB]; LOW];
    for (u, row) in basis.iter_mut().enumerate() {
        for (x, b) in row.iter_mut().enumerate() {
            #[allow(clippy::cast_precision_loss)]
            let angle = ((2 * x + 1) * u) as f64 * std::f64::consts::PI / (2 * THUMB) as f64;
            *b = angle.cos();
        }
    }
    // Rows first: r(y,u) = Σ_x t(y,x)·basis(u,x).
    let mut rows = [[0.0; LOW]; THUMB];
    for (y, r) in rows.iter_mut().enumerate() {
        let line = &t[y * THUMB..(y + 1) * THUMB];
        for (u, out) in r.iter_mut().enumerate() {
            *out = line.iter().zip(&basis[u]).map(|(a, b)| a * b).sum();
        }
    }
    let mut out = [0.0; LOW * LOW];
    for v in 0..LOW {
        for u in 0..LOW {
            out[v * LOW + u] = (0..THUMB).map(|y| rows[y][u] * basis[v][y]).sum();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scene(w: u32, h: u32, f: impl Fn(f64, f64) -> f64) -> WorkImage {
        let rgb = (0..h)
            .flat_map(|y| (0..w).map(move |x| (x, y)))
            .flat_map(|(x, y)| {
                let v = f(f64::from(x) / f64::from(w), f64::from(y) / f64::from(h));
                let v = (v.clamp(0.0, 1.0) * 255.0).round() as u8;
                [v, v, v]
            })
            .collect();
        WorkImage::from_rgb(w, h, rgb)
    }

    fn blobs(x: f64, y: f64) -> f64 {
        0.5 + 0.3 * (7.0 * x).sin() * (5.0 * y).cos() + 0.2 * (13.0 * x * y).sin()
    }

    fn stripes(x: f64, y: f64) -> f64 {
        0.5 + 0.4 * (20.0 * (x + 0.3 * y)).sin()
    }

    #[test]
    fn same_scene_at_other_sizes_and_brightness_is_the_same_photo() {
        let a = PerceptualHash::of(&scene(1024, 768, blobs));
        let small = PerceptualHash::of(&scene(320, 240, blobs));
        let darker = PerceptualHash::of(&scene(1024, 768, |x, y| 0.7 * blobs(x, y)));
        assert!(a.distance(small) <= 4, "{}", a.distance(small));
        assert!(a.distance(darker) <= 4, "{}", a.distance(darker));
        assert!(a.same_photo(small));
    }

    #[test]
    fn different_scenes_are_far_apart() {
        let a = PerceptualHash::of(&scene(1024, 768, blobs));
        let b = PerceptualHash::of(&scene(1024, 768, stripes));
        assert!(a.distance(b) > 20, "{}", a.distance(b));
        assert!(!a.same_photo(b));
        let flipped = PerceptualHash::of(&scene(1024, 768, |x, y| blobs(1.0 - x, y)));
        assert!(!a.same_photo(flipped), "a mirror image is another photo");
    }

    #[test]
    fn hex_round_trip_and_empty_images() {
        let h = PerceptualHash::of(&scene(64, 48, blobs));
        assert_eq!(PerceptualHash::from_hex(&h.to_hex()), Some(h));
        assert_eq!(h.0 >> 63, 0);
        assert_eq!(PerceptualHash::from_hex("xyz"), None);
        assert_eq!(PerceptualHash::of(&WorkImage::default()), PerceptualHash(0));
        // A 1×1 image hashes as a flat image of its one pixel (every cell reads it): the
        // same photo as a flat 64×48 frame of that grey, and not the textured scene.
        let dot = PerceptualHash::of(&scene(1, 1, blobs));
        let v = blobs(0.0, 0.0);
        let flat = PerceptualHash::of(&scene(64, 48, |_, _| v));
        assert_eq!(dot, flat);
        assert!(
            !dot.same_photo(h),
            "{} bits from the scene",
            dot.distance(h)
        );
    }

    #[test]
    fn duplicates_name_both_slots() {
        let a = PerceptualHash(0b1011);
        let near = PerceptualHash(0b1001);
        let far = PerceptualHash(u64::MAX >> 1);
        let found = duplicates(&[(Slot::Face, a), (Slot::IdBack, far), (Slot::IdFront, near)]);
        assert_eq!(found, vec![(Slot::IdFront, Slot::Face, 1)]);
        assert!(duplicates(&[(Slot::Face, a)]).is_empty());
    }
}
