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
//! The region is read twice from the source pixels, never from the working image: once the
//! working image has located the quad, [`Request`] names the quad's bounding box in source
//! pixels, and [`DocBuilder`] takes those rows (from the whole buffer natively, in bands from
//! the decoded bitmap in the worker) through the same integer box filter as the working
//! image, then an area-weighted fractional step to exactly [`PX_PER_MM`]. Both paths run
//! this code on the same pixels, so the CLI and the browser agree.

use super::framing::{polygon_area, PointPx};
use super::slot::Slot;
use super::work::{luma, RgbaView, WorkBuilder, WorkImage};
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
    /// Bounding box of the quad in source pixels, clamped to the frame.
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
    /// Integer box factor (≥ 1) of the first reduction: `⌊ppm / PX_PER_MM⌋`.
    pub factor: u32,
    /// Fractional scale (0.5, 1] of the second: `PX_PER_MM / (ppm / factor)`, 1 when the
    /// document has fewer than [`PX_PER_MM`] source pixels per mm.
    pub scale: f64,
    /// The quad in source pixels.
    pub quad: [PointPx; 4],
    /// The document's resolution in source pixels ([`px_per_mm`]).
    pub px_per_mm: f64,
    /// Size of the source image.
    pub source_size: (u32, u32),
}

impl Request {
    /// The request for `quad` (source pixels) in a `source_width × source_height` image, or
    /// `None` when the quad's box holds no pixel.
    #[must_use]
    pub fn new(
        quad: [PointPx; 4],
        source_width: u32,
        source_height: u32,
        size: DocumentSize,
    ) -> Option<Request> {
        let ppm = px_per_mm(&quad, size);
        let clamp = |v: f64, hi: u32| v.clamp(0.0, f64::from(hi)) as u32;
        // The quad's bounding box, whole pixels outwards.
        let (mut lo, mut hi) = (quad[0], quad[0]);
        for p in &quad[1..] {
            (lo.x, lo.y) = (lo.x.min(p.x), lo.y.min(p.y));
            (hi.x, hi.y) = (hi.x.max(p.x), hi.y.max(p.y));
        }
        let (x0, y0) = (
            clamp(lo.x.floor(), source_width),
            clamp(lo.y.floor(), source_height),
        );
        let (x1, y1) = (
            clamp(hi.x.ceil(), source_width),
            clamp(hi.y.ceil(), source_height),
        );
        if x1 <= x0 || y1 <= y0 || !ppm.is_finite() || ppm <= 0.0 {
            return None;
        }
        // ⌊ppm / 5⌋ ≥ 1 and finite here; a document wider than 2³² px does not exist.
        let factor = ((ppm / PX_PER_MM).floor() as u32).max(1);
        let scale = (PX_PER_MM / (ppm / f64::from(factor))).min(1.0);
        Some(Request {
            x: x0,
            y: y0,
            width: x1 - x0,
            height: y1 - y0,
            factor,
            scale,
            quad,
            px_per_mm: ppm,
            source_size: (source_width, source_height),
        })
    }

    /// A builder that takes the box's rows, `width · 4` bytes each, top to bottom.
    #[must_use]
    pub fn builder(&self) -> DocBuilder {
        DocBuilder {
            request: self.clone(),
            inner: WorkBuilder::with_factor(self.width, self.height, self.factor),
        }
    }

    /// The document image from a whole source buffer.
    #[must_use]
    pub fn from_view(&self, view: RgbaView<'_>) -> DocImage {
        let mut b = self.builder();
        let (x0, x1) = (self.x as usize * 4, (self.x + self.width) as usize * 4);
        let stride = view.width as usize * 4;
        let mut rows = Vec::with_capacity(x1 - x0);
        for y in self.y..self.y + self.height {
            let start = y as usize * stride;
            rows.clear();
            rows.extend_from_slice(&view.data[start + x0..start + x1]);
            b.push_rows(&rows);
        }
        b.finish()
    }
}

/// Streams the request's rows into the document image.
pub struct DocBuilder {
    request: Request,
    inner: WorkBuilder,
}

impl DocBuilder {
    /// Adds the next rows of the box (whole rows of `width · 4` bytes).
    pub fn push_rows(&mut self, rows: &[u8]) {
        self.inner.push_rows(rows);
    }

    /// The document image.
    #[must_use]
    pub fn finish(self) -> DocImage {
        let boxed = self.inner.finish();
        let r = self.request;
        let s = r.scale;
        let (rgb, width, height) = resample(&boxed, s);
        let luma = rgb
            .chunks_exact(3)
            .map(|p| luma(p[0], p[1], p[2]))
            .collect();
        // Source → document pixels: minus the box origin, over the factor, times the scale.
        let k = f64::from(r.factor);
        let to_doc = |p: PointPx| PointPx {
            x: (p.x - f64::from(r.x)) / k * s,
            y: (p.y - f64::from(r.y)) / k * s,
        };
        DocImage {
            width,
            height,
            rgb,
            luma,
            quad: r.quad.map(to_doc),
            px_per_mm: r.px_per_mm / k * s,
            origin: (f64::from(r.x), f64::from(r.y)),
            source_per_px: k / s,
            source_size: r.source_size,
        }
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

/// Area-weighted resampling of `img` by `s` ∈ (0.5, 1] (each output pixel averages the
/// source interval `[i/s, (i+1)/s)`, at most 3 pixels per axis, with fractional weights at
/// its ends). `s ≥ 0.999` copies.
fn resample(img: &WorkImage, s: f64) -> (Vec<u8>, u32, u32) {
    let (w, h) = (img.width as usize, img.height as usize);
    if s >= 0.999 || w == 0 || h == 0 {
        return (img.rgb.clone(), img.width, img.height);
    }
    let ow = ((w as f64 * s).floor() as usize).max(1);
    let oh = ((h as f64 * s).floor() as usize).max(1);
    let xw = weights(w, ow, s);
    let yw = weights(h, oh, s);
    // Horizontal pass: h rows × ow × 3.
    let mut tmp = vec![0f32; h * ow * 3];
    for y in 0..h {
        let src = &img.rgb[y * w * 3..(y + 1) * w * 3];
        let dst = &mut tmp[y * ow * 3..(y + 1) * ow * 3];
        for (o, taps) in xw.iter().enumerate() {
            let mut acc = [0f32; 3];
            for &(i, wt) in taps {
                for c in 0..3 {
                    acc[c] += wt * f32::from(src[i * 3 + c]);
                }
            }
            dst[o * 3..o * 3 + 3].copy_from_slice(&acc);
        }
    }
    // Vertical pass.
    let mut out = vec![0u8; oh * ow * 3];
    for (o, taps) in yw.iter().enumerate() {
        let dst = &mut out[o * ow * 3..(o + 1) * ow * 3];
        let mut acc = vec![0f32; ow * 3];
        for &(i, wt) in taps {
            for (a, v) in acc.iter_mut().zip(&tmp[i * ow * 3..(i + 1) * ow * 3]) {
                *a += wt * v;
            }
        }
        for (d, a) in dst.iter_mut().zip(acc) {
            *d = a.round().clamp(0.0, 255.0) as u8;
        }
    }
    (out, ow as u32, oh as u32)
}

/// For each of `n_out` output pixels, its source pixels and weights (summing to 1).
fn weights(n_in: usize, n_out: usize, s: f64) -> Vec<Vec<(usize, f32)>> {
    (0..n_out)
        .map(|o| {
            let (a, b) = (o as f64 / s, (o + 1) as f64 / s);
            let (first, last) = (a.floor() as usize, (b.ceil() as usize).min(n_in));
            let taps: Vec<(usize, f64)> = (first..last)
                .map(|i| {
                    let lo = a.max(i as f64);
                    let hi = b.min((i + 1) as f64);
                    (i, (hi - lo).max(0.0))
                })
                .filter(|t| t.1 > 0.0)
                .collect();
            let total: f64 = taps.iter().map(|t| t.1).sum();
            taps.into_iter()
                .map(|(i, wt)| (i, (wt / total.max(f64::MIN_POSITIVE)) as f32))
                .collect()
        })
        .collect()
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
        // 23 px/mm: box factor 4 (5.75 px/mm), then 5 / 5.75.
        let q = quad(0.0, 0.0, 85.6 * 23.0, 53.98 * 23.0);
        let r = Request::new(q, 4032, 3024, ID1).unwrap_or_else(|| panic!("request"));
        assert_eq!((r.x, r.y, r.factor), (0, 0, 4));
        assert!((r.scale - 5.0 / 5.75).abs() < 1e-9, "{r:?}");
        // A small document is not enlarged.
        let small = quad(10.0, 10.0, 10.0 + 85.6 * 3.0, 10.0 + 53.98 * 3.0);
        let r = Request::new(small, 1000, 1000, ID1).unwrap_or_else(|| panic!("request"));
        assert_eq!((r.factor, r.scale), (1, 1.0));
        // Outside the frame: clamped; nothing inside: none.
        assert!(Request::new(quad(-50.0, -50.0, -10.0, -10.0), 100, 100, ID1).is_none());
    }

    #[test]
    fn the_document_image_averages_areas_and_keeps_the_quad() {
        // 200 × 100 source, left half black, right half white; the "document" covers it all
        // at 12.5 px/mm of a 16 × 8 mm document: factor 2, scale 0.8 → 80 × 40 px.
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
        assert_eq!(r.factor, 2);
        let d = r.from_view(view);
        assert_eq!((d.width, d.height), (80, 40));
        assert!((d.px_per_mm - 5.0).abs() < 1e-9);
        // Far from the edge: pure black and white. Box pixel 50 is the mean of source 100
        // (black) and 101 (white), 128; output 40 covers box pixels [50, 51.25):
        // 0.8 · 128 + 0.2 · 255 = 153.4.
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

    #[test]
    fn resampling_weights_sum_to_one() {
        for (n, s) in [(10usize, 0.8), (7, 0.55), (100, 0.99)] {
            let out = ((n as f64) * s).floor() as usize;
            for taps in weights(n, out, s) {
                let sum: f32 = taps.iter().map(|t| t.1).sum();
                assert!((sum - 1.0).abs() < 1e-5, "{n} {s}: {taps:?}");
                assert!(taps.len() <= 3);
            }
        }
    }
}
