//! The found document, upright, at [`OCR_PX_PER_MM`]: the reader's view of it.
//!
//! The region of the photo under the quad is read once ([`Patch::read`], luma only) at the
//! pyramid level with `8 ≤ px/mm < 16` (`level = ⌊log₂(ppm / 8)⌋`), or level 0 for a
//! smaller document. A perspective map ([`Homography`], from the quad's four corners) then
//! samples any band of the document, in millimetres, with bilinear interpolation
//! ([`Patch::band`]). Which corner is the document's top-left is not known (a page can be
//! upside down, a card turned by 90°): [`orientations`] gives the two that put the
//! document's long side along the quad's long sides.

use crate::checks::photo::document::DocumentSize;
use crate::checks::photo::framing::PointPx;
use crate::checks::photo::pyramid::{self, Region, Source};
use crate::checks::photo::work::luma;

/// Resolution of the rectified bands the reader classifies, pixels per mm of document. An
/// OCR-B character (2.54 mm pitch, ≈ 2.4 mm capitals) is then ≈ 20 × 19 px.
pub const OCR_PX_PER_MM: f64 = 8.0;

/// A projective map `(x, y) ↦ ((h₀x + h₁y + h₂) / w, (h₃x + h₄y + h₅) / w)`,
/// `w = h₆x + h₇y + 1`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Homography([f64; 8]);

impl Homography {
    /// The map taking each `from[i]` to `to[i]`, `None` when the system is singular (`from`
    /// degenerate).
    #[must_use]
    pub fn between(from: &[PointPx; 4], to: &[PointPx; 4]) -> Option<Homography> {
        // Two equations per correspondence in the eight unknowns; Gaussian elimination with
        // partial pivoting on the 8 × 9 augmented matrix.
        let mut m = [[0.0f64; 9]; 8];
        for (i, (p, q)) in from.iter().zip(to).enumerate() {
            m[2 * i] = [p.x, p.y, 1.0, 0.0, 0.0, 0.0, -p.x * q.x, -p.y * q.x, q.x];
            m[2 * i + 1] = [0.0, 0.0, 0.0, p.x, p.y, 1.0, -p.x * q.y, -p.y * q.y, q.y];
        }
        for col in 0..8 {
            let pivot = (col..8).max_by(|&a, &b| m[a][col].abs().total_cmp(&m[b][col].abs()))?;
            if m[pivot][col].abs() < 1e-12 {
                return None;
            }
            m.swap(col, pivot);
            let pivot_row = m[col];
            for (r, row) in m.iter_mut().enumerate() {
                if r != col {
                    let f = row[col] / pivot_row[col];
                    for (v, p) in row[col..].iter_mut().zip(&pivot_row[col..]) {
                        *v -= f * p;
                    }
                }
            }
        }
        let mut h = [0.0; 8];
        for (i, v) in h.iter_mut().enumerate() {
            *v = m[i][8] / m[i][i];
        }
        h.iter().all(|v| v.is_finite()).then_some(Homography(h))
    }

    /// The image of `(x, y)`.
    #[must_use]
    pub fn apply(&self, x: f64, y: f64) -> (f64, f64) {
        let h = &self.0;
        let w = h[6] * x + h[7] * y + 1.0;
        (
            (h[0] * x + h[1] * y + h[2]) / w,
            (h[3] * x + h[4] * y + h[5]) / w,
        )
    }
}

/// The quad's corner orders (rotations of `quad`, TL TR BR BL of the document) that put the
/// document's long side along the quad's longer pair of sides: upright and upside down.
#[must_use]
pub fn orientations(quad: &[PointPx; 4]) -> [[PointPx; 4]; 2] {
    let len = |a: PointPx, b: PointPx| (a.x - b.x).hypot(a.y - b.y);
    let first_long = len(quad[0], quad[1]) + len(quad[2], quad[3])
        >= len(quad[1], quad[2]) + len(quad[3], quad[0]);
    let start = usize::from(!first_long);
    let rot = |r: usize| std::array::from_fn(|i| quad[(i + r) % 4]);
    [rot(start), rot(start + 2)]
}

/// A luma region of the photo at one pyramid level.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Patch {
    pub width: u32,
    pub height: u32,
    pub luma: Vec<u8>,
    /// Source pixel of this patch's (0, 0), and source pixels per patch pixel.
    pub origin: (f64, f64),
    pub step: f64,
}

/// A rectified band of the document: `width × height` luma at `px_per_mm`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Band {
    pub width: usize,
    pub height: usize,
    pub luma: Vec<u8>,
    pub px_per_mm: f64,
}

impl Patch {
    /// The quad's bounding box from `source` (level-0 pixels), at the level that keeps at
    /// least [`OCR_PX_PER_MM`] for a document of `ppm` source pixels per mm.
    ///
    /// # Errors
    /// The source could not be read.
    pub fn read<S: Source>(
        source: &mut S,
        quad: &[PointPx; 4],
        ppm: f64,
    ) -> Result<Option<Patch>, S::Error> {
        let (w, h) = source.size();
        if !(ppm.is_finite() && ppm > 0.0) || w == 0 || h == 0 {
            return Ok(None);
        }
        let level = ((ppm / OCR_PX_PER_MM).floor().max(1.0) as u32)
            .ilog2()
            .min(pyramid::top_level(w, h));
        let block = 1u32 << level;
        let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for p in quad {
            (x0, y0, x1, y1) = (x0.min(p.x), y0.min(p.y), x1.max(p.x), y1.max(p.y));
        }
        let snap_down = |v: f64, hi: u32| (v.clamp(0.0, f64::from(hi)) as u32) / block * block;
        let snap_up = |v: f64, hi: u32| {
            let v = v.ceil().clamp(0.0, f64::from(hi)) as u32;
            v.div_ceil(block)
                .saturating_mul(block)
                .min(hi / block * block)
        };
        let (rx0, ry0, rx1, ry1) = (
            snap_down(x0, w),
            snap_down(y0, h),
            snap_up(x1, w),
            snap_up(y1, h),
        );
        if rx1 <= rx0 || ry1 <= ry0 {
            return Ok(None);
        }
        let region = Region {
            x: rx0,
            y: ry0,
            width: rx1 - rx0,
            height: ry1 - ry0,
        };
        let (pw, ph) = region.at_level(level);
        let mut luma_rows = Vec::with_capacity(pw as usize * ph as usize);
        source.read_rows(level, region, &mut |rows| {
            luma_rows.extend(rows.chunks_exact(4).map(|p| luma(p[0], p[1], p[2])));
        })?;
        luma_rows.resize(pw as usize * ph as usize, 255);
        Ok(Some(Patch {
            width: pw,
            height: ph,
            luma: luma_rows,
            origin: (f64::from(rx0), f64::from(ry0)),
            step: f64::from(block),
        }))
    }

    /// Bilinear luma at source pixel `(x, y)` (pixel centres at `+0.5`); paper white outside.
    #[must_use]
    pub fn sample(&self, x: f64, y: f64) -> f64 {
        let u = (x - self.origin.0) / self.step - 0.5;
        let v = (y - self.origin.1) / self.step - 0.5;
        let (w, h) = (self.width as i64, self.height as i64);
        let (tu, tv) = (u + 1.0, v + 1.0);
        // Inside (x0, y0 ≥ 0, x0 + 1 < w, y0 + 1 < h for x0 = ⌊u + 1⌋ − 1): the same test
        // made on u + 1 and v + 1 before any conversion (w and h are whole; it implies the
        // paper-white test below passes), then the four neighbours directly.
        if tu >= 1.0 && tv >= 1.0 && tu < w as f64 && tv < h as f64 {
            return self.inside(u, v);
        }
        if !(u > -1.0 && v > -1.0 && u < w as f64 && v < h as f64) {
            return 255.0;
        }
        // u, v > −1: truncation after +1 is the floor.
        let (x0, y0) = (tu as i64 - 1, tv as i64 - 1);
        let (fx, fy) = (u - x0 as f64, v - y0 as f64);
        let at = |x: i64, y: i64| {
            let (x, y) = (x.clamp(0, w - 1), y.clamp(0, h - 1));
            f64::from(self.luma[(y * w + x) as usize])
        };
        let top = at(x0, y0) * (1.0 - fx) + at(x0 + 1, y0) * fx;
        let bottom = at(x0, y0 + 1) * (1.0 - fx) + at(x0 + 1, y0 + 1) * fx;
        top * (1.0 - fy) + bottom * fy
    }

    /// (u + 1, v + 1), in patch pixels, of source pixel `(x, y)`, as [`Self::sample`] makes
    /// them.
    #[inline]
    fn patch_xy(&self, x: f64, y: f64) -> (f64, f64) {
        (
            (x - self.origin.0) / self.step - 0.5 + 1.0,
            (y - self.origin.1) / self.step - 0.5 + 1.0,
        )
    }

    /// [`Self::sample`] at patch coordinates `(u, v)` known to be inside (`1 ≤ u + 1 < w`,
    /// `1 ≤ v + 1 < h`): the four neighbours directly.
    #[inline]
    fn inside(&self, u: f64, v: f64) -> f64 {
        let w = self.width as i64;
        let (x0, y0) = ((u + 1.0) as i64 - 1, (v + 1.0) as i64 - 1);
        let (fx, fy) = (u - x0 as f64, v - y0 as f64);
        let i = (y0 * w + x0) as usize;
        let row = self.width as usize;
        // The 2 × 2 pixels from one slice (one bounds check, not four).
        let q = &self.luma[i..i + row + 2];
        let p = |k: usize| f64::from(q[k]);
        let top = p(0) + (p(1) - p(0)) * fx;
        let bottom = p(row) + (p(row + 1) - p(row)) * fx;
        top + (bottom - top) * fy
    }

    /// The band `x ∈ [0, size.width_mm]`, `y ∈ [y0_mm, y1_mm)` of the document whose corners
    /// (TL, TR, BR, BL, source pixels) are `corners`, at [`OCR_PX_PER_MM`].
    #[must_use]
    pub fn band(
        &self,
        corners: &[PointPx; 4],
        size: DocumentSize,
        rows: (f64, f64),
    ) -> Option<Band> {
        self.band_shifted(corners, size, rows, (0.0, 0.0))
    }

    /// [`Patch::band`] sampled `shift` (mm of document, across and down) from its place:
    /// the same band seen through a quad a fraction of a pixel off.
    #[must_use]
    pub fn band_shifted(
        &self,
        corners: &[PointPx; 4],
        size: DocumentSize,
        (y0_mm, y1_mm): (f64, f64),
        (dx_mm, dy_mm): (f64, f64),
    ) -> Option<Band> {
        let mm = [
            PointPx { x: 0.0, y: 0.0 },
            PointPx {
                x: size.width_mm,
                y: 0.0,
            },
            PointPx {
                x: size.width_mm,
                y: size.height_mm,
            },
            PointPx {
                x: 0.0,
                y: size.height_mm,
            },
        ];
        let map = Homography::between(&mm, corners)?;
        let s = OCR_PX_PER_MM;
        let width = (size.width_mm * s).round() as usize;
        let height = ((y1_mm - y0_mm) * s).round().max(0.0) as usize;
        // Written in place (sized first), not pushed: no capacity check per sample.
        let mut luma = vec![0u8; width * height];
        // The map exactly every STEP pixels of a row, linearly in between: over 2 mm the
        // perspective's curvature moves a sample by far less than a pixel.
        const STEP: usize = 16;
        for j in 0..height {
            let v = y0_mm + dy_mm + (j as f64 + 0.5) / s;
            let line = &mut luma[j * width..(j + 1) * width];
            let mut i = 0;
            while i < width {
                let n = STEP.min(width - i);
                let (ax, ay) = map.apply(dx_mm + (i as f64 + 0.5) / s, v);
                let (bx, by) = map.apply(dx_mm + (i as f64 + n as f64 + 0.5) / s, v);
                let (dx, dy) = ((bx - ax) / n as f64, (by - ay) / n as f64);
                let at = |k: usize| (ax + dx * k as f64, ay + dy * k as f64);
                // Every step from k to (u + 1, v + 1) is monotone in k (a product by k, then
                // sums, a division by the step > 0): when both ends of the run are inside,
                // every sample between is, and [`Self::sample`] would take its inside path
                // for each; then no test per sample.
                let (wf, hf) = (f64::from(self.width), f64::from(self.height));
                let inside = |(x, y): (f64, f64)| {
                    let (tu, tv) = self.patch_xy(x, y);
                    tu >= 1.0 && tv >= 1.0 && tu < wf && tv < hf
                };
                let run = &mut line[i..i + n];
                if inside(at(0)) && inside(at(n - 1)) {
                    for (k, out) in run.iter_mut().enumerate() {
                        let (x, y) = at(k);
                        let u = (x - self.origin.0) / self.step - 0.5;
                        let v = (y - self.origin.1) / self.step - 0.5;
                        *out = (self.inside(u, v) + 0.5) as u8;
                    }
                } else {
                    for (k, out) in run.iter_mut().enumerate() {
                        let (x, y) = at(k);
                        *out = (self.sample(x, y) + 0.5) as u8;
                    }
                }
                i += n;
            }
        }
        Some(Band {
            width,
            height,
            luma,
            px_per_mm: s,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::photo::pyramid::Pyramid;
    use crate::checks::photo::work::RgbaView;

    fn p(x: f64, y: f64) -> PointPx {
        PointPx { x, y }
    }

    #[test]
    fn the_homography_maps_the_corners_and_keeps_lines() {
        let from = [p(0.0, 0.0), p(10.0, 0.0), p(10.0, 5.0), p(0.0, 5.0)];
        let to = [p(3.0, 7.0), p(90.0, 2.0), p(100.0, 60.0), p(-4.0, 50.0)];
        let h = Homography::between(&from, &to).unwrap_or_else(|| panic!("map"));
        for (a, b) in from.iter().zip(&to) {
            let (x, y) = h.apply(a.x, a.y);
            assert!((x - b.x).abs() < 1e-9 && (y - b.y).abs() < 1e-9, "{x} {y}");
        }
        // The middle of the top edge lies on the image of the top edge.
        let (x, y) = h.apply(5.0, 0.0);
        let cross = (90.0 - 3.0) * (y - 7.0) - (2.0 - 7.0) * (x - 3.0);
        assert!(cross.abs() < 1e-6, "{cross}");
        // Four corners in one point: no map.
        let point = [p(1.0, 1.0); 4];
        assert!(Homography::between(&point, &to).is_none());
    }

    #[test]
    fn orientations_follow_the_long_sides() {
        // A page standing on its short side (taller than wide): its long sides are the
        // quad's right and left edges, so the top-left corner is the quad's TR or BL.
        let tall = [p(0.0, 0.0), p(88.0, 0.0), p(88.0, 125.0), p(0.0, 125.0)];
        let [a, b] = orientations(&tall);
        assert_eq!((a[0], b[0]), (tall[1], tall[3]));
        let wide = [p(0.0, 0.0), p(125.0, 0.0), p(125.0, 88.0), p(0.0, 88.0)];
        let [a, b] = orientations(&wide);
        assert_eq!((a, b[0]), (wide, wide[2]));
    }

    #[test]
    fn a_band_is_the_document_upright_at_eight_px_per_mm() {
        // A 100 × 60 mm "document" at 4 px/mm, upside down in a 400 × 240 frame, black on its
        // own top 10 mm (the frame's bottom 40 rows).
        let (w, h) = (400u32, 240u32);
        let data: Vec<u8> = (0..h)
            .flat_map(|y| {
                (0..w).flat_map(move |_| if y >= 200 { [0, 0, 0, 255] } else { [255; 4] })
            })
            .collect();
        let view = RgbaView::new(w, h, &data).unwrap_or_else(|| panic!("view"));
        let quad = [p(0.0, 0.0), p(400.0, 0.0), p(400.0, 240.0), p(0.0, 240.0)];
        let patch = Patch::read(&mut Pyramid::new(view), &quad, 4.0)
            .unwrap_or_else(|e| match e {})
            .unwrap_or_else(|| panic!("patch"));
        assert_eq!((patch.width, patch.height, patch.step), (400, 240, 1.0));
        let size = DocumentSize {
            width_mm: 100.0,
            height_mm: 60.0,
        };
        let [_, upside_down] = orientations(&quad);
        let band = patch
            .band(&upside_down, size, (0.0, 20.0))
            .unwrap_or_else(|| panic!("band"));
        assert_eq!((band.width, band.height), (800, 160));
        // Rows of the first 10 mm (80 px) are black, the next white, but for the two rows
        // that straddle the edge.
        assert_eq!(band.luma[40 * 800 + 400], 0);
        assert_eq!(band.luma[120 * 800 + 400], 255);
    }
}
