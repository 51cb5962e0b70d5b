//! The document at its own scale: the found quad's region of the photo, resampled to
//! [`PX_PER_MM`] pixels per millimetre of document, for the checks that judge whether a
//! reviewer can read it (`blur` by edge width, `glare` by washed-out area).
//!
//! Why a fixed scale: legibility depends on blur and glare *in millimetres of document*,
//! not in pixels of a photo. A card filling a 12 MP frame has 40 px/mm, one held under a
//! 1080p phone video 9 px/mm; resampled to 5 px/mm both are judged alike. 5 px/mm (127 dpi)
//! keeps 2 mm field text at 10 px, and is below the resolution of every acceptable real
//! frame (`docs/calibration.md`, real photos: 6.3–12.7 px/mm), so the document image is
//! never upsampled for a photo that passes the size rule.
//!
//! The region is read from the photo, never from the working image: once the working image
//! has located the quad, [`Request`] names the quad's bounding box and the pyramid level with
//! at least [`PX_PER_MM`] (`2^level ≤ ppm / 5`, [`super::pyramid`]: natively computed from
//! the decode, in the worker drawn by the canvas from the decoded bitmap, the same bytes),
//! and [`Request::read`] takes those rows through an area-weighted step to exactly
//! [`PX_PER_MM`] ([`AreaBuilder`]). Both paths run this code on the same pixels, so the CLI
//! and the browser agree.

use super::framing::{polygon_area, PointPx};
use super::pyramid::{self, Pyramid, Region, Source};
use super::resample::AreaBuilder;
use super::slot::Slot;
use super::work::{luma, RgbaView};
use serde::Serialize;

/// Resolution of the document image, pixels per millimetre of document.
pub const PX_PER_MM: f64 = 5.0;

/// Physical size of a document, millimetres.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct DocumentSize {
    pub width_mm: f64,
    pub height_mm: f64,
}

impl Default for DocumentSize {
    fn default() -> Self {
        ID1
    }
}

/// ID-1 (ISO/IEC 7810): resident ID cards, driving licences.
pub const ID1: DocumentSize = DocumentSize {
    width_mm: 85.60,
    height_mm: 53.98,
};
/// TD3 (ICAO 9303): the passport data page (the visa page is the same booklet page).
pub const TD3: DocumentSize = DocumentSize {
    width_mm: 125.0,
    height_mm: 88.0,
};

impl DocumentSize {
    /// The smallest long/short aspect a photo of this document shows. ID-1 (1.586): 1.45,
    /// below every real card (1.50–1.75, the ground truth of 65 MIDV-500 cards) and above
    /// the printed portraits framing finds on a card that runs out of the frame (1.25, up
    /// to 1.42 when tilted, in the synthetic cut-off scenes). TD3 (1.420): the detector's
    /// own floor, 1.2 (real pages 1.37–1.51).
    #[must_use]
    pub fn min_aspect(self) -> f64 {
        if self == ID1 {
            1.45
        } else {
            1.2
        }
    }
}

/// `(mean of the long pair of opposite sides) / (mean of the short pair)` of a quad.
#[must_use]
pub fn aspect(q: &[PointPx; 4]) -> f64 {
    let side = |k: usize| (q[(k + 1) % 4].x - q[k].x).hypot(q[(k + 1) % 4].y - q[k].y);
    let (a, b) = ((side(0) + side(2)) / 2.0, (side(1) + side(3)) / 2.0);
    a.max(b) / a.min(b).max(f64::MIN_POSITIVE)
}

/// The document a slot shows: TD3 for the passport pages, ID-1 otherwise (the card held in a
/// selfie is an ID card or the closed passport's size class; only its presence is judged).
#[must_use]
pub fn size_for(slot: Slot) -> DocumentSize {
    match slot {
        Slot::PassportData | Slot::PassportVisa => TD3,
        _ => ID1,
    }
}

/// The document's resolution: `√(quad area / (width_mm · height_mm))`, pixels per mm of the
/// quad's pixel space (the geometric mean over both axes; under perspective, of the whole
/// document).
#[must_use]
pub fn px_per_mm(quad: &[PointPx; 4], size: DocumentSize) -> f64 {
    (polygon_area(quad) / (size.width_mm * size.height_mm)).sqrt()
}

/// Which source pixels make the document image, and how they are reduced.
#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    /// The quad's bounding box in source pixels, widened to whole `2^level` blocks and
    /// clamped to the frame.
    pub region: Region,
    /// The pyramid level read: `⌊log₂(ppm / PX_PER_MM)⌋`, within the photo's levels
    /// ([`pyramid::top_level`]).
    pub level: u32,
    /// The area step from the level, (0, 1]: `PX_PER_MM / (ppm / 2^level)`, 1 when the level
    /// has fewer than [`PX_PER_MM`] pixels per mm ((0.5, 1] unless the level was clamped).
    pub scale: f64,
    /// The quad in source pixels.
    pub quad: [PointPx; 4],
    /// The document's resolution in source pixels ([`px_per_mm`]).
    pub px_per_mm: f64,
    /// Size of the source image (level 0 of its pyramid).
    pub source_size: (u32, u32),
}

impl Request {
    /// The request for `quad` (source pixels) in a `source_width × source_height` image
    /// (a [`pyramid::cropped`] size), or `None` when the quad's box holds no pixel.
    #[must_use]
    pub fn new(
        quad: [PointPx; 4],
        source_width: u32,
        source_height: u32,
        size: DocumentSize,
    ) -> Option<Request> {
        let ppm = px_per_mm(&quad, size);
        if !ppm.is_finite() || ppm <= 0.0 {
            return None;
        }
        let top = pyramid::top_level(source_width, source_height);
        // ⌊log₂(ppm / 5)⌋ for ppm ≥ 10, else 0 (a document wider than 2³² px does not exist).
        let level = ((ppm / PX_PER_MM).floor() as u32).max(1).ilog2().min(top);
        let block = 1u32 << level;
        // The quad's bounding box, whole blocks outwards, within the frame.
        let (mut lo, mut hi) = (quad[0], quad[0]);
        for p in &quad[1..] {
            (lo.x, lo.y) = (lo.x.min(p.x), lo.y.min(p.y));
            (hi.x, hi.y) = (hi.x.max(p.x), hi.y.max(p.y));
        }
        let snap = |v: f64, hi: u32, up: bool| {
            let v = v.clamp(0.0, f64::from(hi)) as u32;
            let down = v / block * block;
            if up && down < v {
                (down + block).min(hi / block * block)
            } else {
                down
            }
        };
        let (x0, y0) = (
            snap(lo.x.floor(), source_width, false),
            snap(lo.y.floor(), source_height, false),
        );
        let (x1, y1) = (
            snap(hi.x.ceil(), source_width, true),
            snap(hi.y.ceil(), source_height, true),
        );
        if x1 <= x0 || y1 <= y0 {
            return None;
        }
        let scale = (PX_PER_MM / (ppm / f64::from(block))).min(1.0);
        Some(Request {
            region: Region {
                x: x0,
                y: y0,
                width: x1 - x0,
                height: y1 - y0,
            },
            level,
            scale,
            quad,
            px_per_mm: ppm,
            source_size: (source_width, source_height),
        })
    }

    /// The document image, read from `source` (the image the quad was found in).
    ///
    /// # Errors
    /// The source could not be read.
    pub fn read<S: Source>(&self, source: &mut S) -> Result<DocImage, S::Error> {
        let s = self.scale;
        let (lw, lh) = self.region.at_level(self.level);
        let out = if s >= 0.999 {
            (lw, lh)
        } else {
            (
                ((f64::from(lw) * s).floor() as u32).max(1),
                ((f64::from(lh) * s).floor() as u32).max(1),
            )
        };
        let step = if s >= 0.999 { 1.0 } else { s };
        let mut builder = AreaBuilder::new((lw, lh), out, step);
        source.read_rows(self.level, self.region, &mut |rows| builder.push_rows(rows))?;
        let rgb = builder.finish();
        let luma = rgb
            .chunks_exact(3)
            .map(|p| luma(p[0], p[1], p[2]))
            .collect();
        // Source → document pixels: minus the region's origin, over the block, times the step.
        let (k, r) = (f64::from(1u32 << self.level), self.region);
        let to_doc = |p: PointPx| PointPx {
            x: (p.x - f64::from(r.x)) / k * step,
            y: (p.y - f64::from(r.y)) / k * step,
        };
        Ok(DocImage {
            width: out.0,
            height: out.1,
            rgb,
            luma,
            quad: self.quad.map(to_doc),
            px_per_mm: self.px_per_mm / k * step,
            origin: (f64::from(r.x), f64::from(r.y)),
            source_per_px: k / step,
            source_size: self.source_size,
        })
    }

    /// The document image from a whole decoded photo (its [`Pyramid`]).
    #[must_use]
    pub fn from_view(&self, view: RgbaView<'_>) -> DocImage {
        let Ok(doc) = self.read(&mut Pyramid::new(view));
        doc
    }
}

/// The document's region at (about) [`PX_PER_MM`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DocImage {
    pub width: u32,
    pub height: u32,
    /// `width × height × 3` bytes, gamma-encoded RGB.
    pub rgb: Vec<u8>,
    /// Rec. 709 luma of `rgb` (as [`luma`]).
    pub luma: Vec<u8>,
    /// The document's corners in this image's pixels.
    pub quad: [PointPx; 4],
    /// This image's pixels per mm of document: [`PX_PER_MM`], or less for a small document.
    pub px_per_mm: f64,
    /// Source pixel of this image's (0, 0) corner, and source pixels per pixel of this
    /// image: `source = origin + doc · source_per_px`.
    pub origin: (f64, f64),
    pub source_per_px: f64,
    /// Size of the source image the region was read from.
    pub source_size: (u32, u32),
}

impl DocImage {
    /// For each pixel, whether its centre lies on the document (row-major).
    #[must_use]
    pub fn mask(&self) -> Vec<bool> {
        let mut m = vec![false; self.width as usize * self.height as usize];
        for (y, x0, x1) in super::framing::row_spans(&self.quad, self.width, self.height) {
            let row = y * self.width as usize;
            m[row + x0..row + x1].fill(true);
        }
        m
    }

    /// A point of this image in source pixels.
    #[must_use]
    pub fn to_source(&self, x: f64, y: f64) -> PointPx {
        PointPx {
            x: self.origin.0 + x * self.source_per_px,
            y: self.origin.1 + y * self.source_per_px,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quad(x0: f64, y0: f64, x1: f64, y1: f64) -> [PointPx; 4] {
        [
            PointPx { x: x0, y: y0 },
            PointPx { x: x1, y: y0 },
            PointPx { x: x1, y: y1 },
            PointPx { x: x0, y: y1 },
        ]
    }

    #[test]
    fn resolution_is_per_millimetre_of_document() {
        // An ID-1 card 856 × 539.8 px: 10 px/mm.
        let q = quad(100.0, 50.0, 956.0, 589.8);
        assert!((px_per_mm(&q, ID1) - 10.0).abs() < 1e-9);
        // The same quad as a passport page: √(856 · 539.8 / (125 · 88)) = 6.481 px/mm.
        assert!((px_per_mm(&q, TD3) - 6.481).abs() < 1e-3);
        assert_eq!(size_for(Slot::PassportVisa), TD3);
        assert!((aspect(&q) - 1.586).abs() < 1e-3);
        // A 26 × 32 mm portrait box is no ID card; a passport page's 1.42 is one of its own.
        let portrait = quad(0.0, 0.0, 260.0, 320.0);
        assert!(aspect(&portrait) < ID1.min_aspect());
        assert!(TD3.width_mm / TD3.height_mm > TD3.min_aspect());
        assert_eq!(size_for(Slot::IdBack), ID1);
    }

    #[test]
    fn the_request_reduces_to_five_px_per_mm() {
        // 23 px/mm: level 2 (4×4 blocks, 5.75 px/mm), then 5 / 5.75.
        let q = quad(0.0, 0.0, 85.6 * 23.0, 53.98 * 23.0);
        let r = Request::new(q, 4032, 3024, ID1).unwrap_or_else(|| panic!("request"));
        assert_eq!((r.region.x, r.region.y, r.level), (0, 0, 2));
        // The box is widened to whole blocks: ⌈85.6 · 23⌉ = 1969 → 1972.
        assert_eq!((r.region.width, r.region.height), (1972, 1244));
        assert!((r.scale - 5.0 / 5.75).abs() < 1e-9, "{r:?}");
        // A small document is not enlarged.
        let small = quad(10.0, 10.0, 10.0 + 85.6 * 3.0, 10.0 + 53.98 * 3.0);
        let r = Request::new(small, 1000, 1000, ID1).unwrap_or_else(|| panic!("request"));
        assert_eq!((r.level, r.scale), (0, 1.0));
        // A card at 90 px/mm in a 48 MP photo: level 4 (16 × 16 blocks), the box widened to
        // whole blocks.
        let big = quad(1003.0, 997.0, 1003.0 + 85.6 * 90.0, 997.0 + 53.98 * 90.0);
        let r = Request::new(big, 8000, 6000, ID1).unwrap_or_else(|| panic!("request"));
        assert_eq!(r.level, 4);
        assert_eq!((r.region.x, r.region.y), (992, 992));
        assert_eq!((r.region.width % 16, r.region.height % 16), (0, 0)); // Outside the frame: clamped; nothing inside: none.
        assert!(Request::new(quad(-50.0, -50.0, -10.0, -10.0), 100, 100, ID1).is_none());
    }

    #[test]
    fn the_document_image_averages_areas_and_keeps_the_quad() {
        // 200 × 100 source, left half black, right half white; the "document" covers it all
        // at 12.5 px/mm of a 16 × 8 mm document. So small a photo has level 0 only: a step
        // of 0.4 → 80 × 40 px.
        let (w, h) = (200u32, 100u32);
        let data: Vec<u8> = (0..h)
            .flat_map(|_| (0..w).flat_map(|x| if x < 101 { [0, 0, 0, 255] } else { [255; 4] }))
            .collect();
        let view = RgbaView::new(w, h, &data).unwrap_or_else(|| panic!("view"));
        let size = DocumentSize {
            width_mm: 16.0,
            height_mm: 8.0,
        };
        let r = Request::new(quad(0.0, 0.0, 200.0, 100.0), w, h, size)
            .unwrap_or_else(|| panic!("request"));
        assert_eq!(r.level, 0);
        let d = r.from_view(view);
        assert_eq!((d.width, d.height), (80, 40));
        assert!((d.px_per_mm - 5.0).abs() < 1e-9);
        // Far from the edge: pure black and white. Output 40 covers source [100, 102.5):
        // (1 · 0 + 1 · 255 + 0.5 · 255) / 2.5 = 153.
        assert_eq!(d.luma[10], 0);
        assert_eq!(d.luma[70], 255);
        assert_eq!(d.luma[40], 153);
        assert!((d.quad[2].x - 80.0).abs() < 1e-9 && (d.quad[2].y - 40.0).abs() < 1e-9);
        let back = d.to_source(80.0, 40.0);
        assert!((back.x - 200.0).abs() < 1e-9 && (back.y - 100.0).abs() < 1e-9);
        // A region within a larger buffer takes only its own rows and columns.
        let inner = Request::new(quad(90.0, 20.0, 110.0, 30.0), w, h, size)
            .unwrap_or_else(|| panic!("request"));
        let d = inner.from_view(view);
        assert_eq!(d.luma.first(), Some(&0));
        assert_eq!(d.luma.last(), Some(&255));
    }
}
