//! Photo quality engine: decides in milliseconds whether a reviewer could read a photo.
//!
//! [`analyze`] takes decoded RGBA pixels (from the browser's `createImageBitmap` or from the
//! native decoder in [`file`]), reduces them once to the working image ([`work`]), and runs
//! every check on it: `resolution` (on the original size), `brightness`, `contrast`, `blur`,
//! `glare`, `color` and, for document slots, `framing` ([`framing`]: the document's outline).
//! The `face` check needs the face detector and its model (312 KB, int8), so it lives apart in
//! [`face::analyze_with_faces`] (only the binary that calls it links the model). A bad photo
//! is a normal [`PhotoReport`]; only a file that cannot be read at all is a [`PhotoError`].

pub mod checks;
pub mod document;
pub mod exposure;
pub mod face;
pub mod file;
pub mod framing;
pub mod guidance;
pub mod ocr;
pub mod orient;
pub mod phash;
pub mod pyramid;
pub mod report;
pub mod resample;
pub mod rules;
pub mod scaled;
pub mod slot;
pub mod work;

#[cfg(not(target_arch = "wasm32"))]
pub mod decode;

pub use document::{DocImage, Request as DocumentRequest};
pub use file::{FileLimits, Format, PhotoError};
pub use phash::PerceptualHash;
pub use pyramid::{Pyramid, Region, Source};
pub use report::{CheckId, CheckResult, DocumentMetrics, Metrics, PhotoCode, PhotoReport};
pub use rules::{Limit, Rules, RulesError, SlotRules};
pub use slot::Slot;
pub use work::{RgbaView, WorkImage, WorkPlan};

use crate::checks::Status;
use checks::{blur, brightness, color, contrast, glare, resolution};

/// Smallest document share of the frame (%) for brightness and glare to be measured on the
/// held document of a selfie instead of the whole frame.
pub const REGION_MIN_FILL: f64 = 10.0;

/// Checks a photo for `slot`. `original` is the size of the photo as taken (before any
/// resizing by the browser); `None` means `image` is the original.
#[must_use]
pub fn analyze(
    image: RgbaView<'_>,
    original: Option<(u32, u32)>,
    slot: Slot,
    rules: &Rules,
) -> PhotoReport {
    analyze_keeping_work(image, original, slot, rules).0
}

/// [`analyze`], also returning the working image (the face detector runs on it).
#[must_use]
pub fn analyze_keeping_work(
    image: RgbaView<'_>,
    original: Option<(u32, u32)>,
    slot: Slot,
    rules: &Rules,
) -> (PhotoReport, WorkImage) {
    analyze_view(image, original, slot, rules, true)
}

/// [`analyze_source_reading`] on decoded pixels in memory.
fn analyze_view(
    image: RgbaView<'_>,
    original: Option<(u32, u32)>,
    slot: Slot,
    rules: &Rules,
    read: bool,
) -> (PhotoReport, WorkImage) {
    let original = original.unwrap_or((image.width, image.height));
    let Ok(result) = analyze_source_reading(&mut Pyramid::new(image), original, slot, rules, read);
    result
}

/// **The one pipeline of both entry points**: the working image from `source`
/// ([`WorkPlan`]), the document's outline on it ([`frame`]), for document pages the document
/// image from `source` ([`document_request`]), then every check ([`analyze_framed`]).
/// `original` is the size of the photo as taken. Natively `source` is the decode's
/// [`Pyramid`]; in the worker, the canvas reading the decoded bitmap.
///
/// # Errors
/// `source` could not be read.
pub fn analyze_source<S: Source>(
    source: &mut S,
    original: (u32, u32),
    slot: Slot,
    rules: &Rules,
) -> Result<(PhotoReport, WorkImage), S::Error> {
    analyze_source_reading(source, original, slot, rules, true)
}

/// [`analyze`] without reading the document (no MRZ, no `side`): for a live camera frame
/// (judged for the shot; the still is read).
#[must_use]
pub fn analyze_frame(
    image: RgbaView<'_>,
    original: Option<(u32, u32)>,
    slot: Slot,
    rules: &Rules,
) -> (PhotoReport, WorkImage) {
    analyze_view(image, original, slot, rules, false)
}

/// [`analyze_source`]; `read` also reads the document (a passport page's MRZ, and the
/// `side` check it gives).
///
/// # Errors
/// `source` could not be read.
pub fn analyze_source_reading<S: Source>(
    source: &mut S,
    original: (u32, u32),
    slot: Slot,
    rules: &Rules,
    read: bool,
) -> Result<(PhotoReport, WorkImage), S::Error> {
    let size = source.size();
    let work = WorkPlan::new(size).read(source)?;
    let framing = frame(&work, slot);
    let request = document_request(&work, framing.as_ref(), size, slot, rules);
    let doc = match &request {
        Some(request) => Some(request.read(source)?),
        None => None,
    };
    let mut report = analyze_framed(&work, framing, doc.as_ref(), original, slot, rules);
    if let Some(request) = request.filter(|_| read && slot.is_passport_page()) {
        report.mrz = read_mrz(source, &request)?;
        let evidence = checks::side::Evidence {
            mrz: report.mrz.as_ref(),
            portrait: false,
        };
        report
            .checks
            .extend(checks::side::check(slot, evidence, &rules.slot(slot).side));
    }
    Ok((report, work))
}

/// The accepted MRZ of the passport page `request` located ([`ocr::mrz_read`]), from
/// `source` at ≥ 8 px/mm.
///
/// # Errors
/// `source` could not be read.
pub fn read_mrz<S: Source>(
    source: &mut S,
    request: &DocumentRequest,
) -> Result<Option<ocr::MrzRead>, S::Error> {
    let Some(patch) = ocr::Patch::read(source, &request.quad, request.px_per_mm)? else {
        return Ok(None);
    };
    Ok(ocr::mrz_read::read(&patch, &request.quad).filter(ocr::MrzRead::accepted))
}

/// The document's outline, for the slots that show one (`None` for `face`), among quads at
/// least as elongated as the slot's document can look
/// ([`document::DocumentSize::min_aspect`]: the portrait printed on a card is not the card).
#[must_use]
pub fn frame(work: &WorkImage, slot: Slot) -> Option<framing::Framing> {
    slot.is_document()
        .then(|| framing::measure_with(work, document::size_for(slot).min_aspect()))
}

/// Which source pixels to read for the document image: the found quad's box, in a
/// `source`-sized image (the pixels `work` was made from, level 0 of its pyramid). `None` unless the slot is a
/// document page (not the selfie), a quad was found and it is not cut off.
#[must_use]
pub fn document_request(
    work: &WorkImage,
    framing: Option<&framing::Framing>,
    source: (u32, u32),
    slot: Slot,
    rules: &Rules,
) -> Option<DocumentRequest> {
    if !slot.is_document_page() {
        return None;
    }
    let f = framing?;
    if rules.slot(slot).framing.cut_off(f, work) {
        return None;
    }
    let (sx, sy) = to_original(work, source);
    let quad = f.scaled(sx, sy)?;
    DocumentRequest::new(quad, source.0, source.1, document::size_for(slot))
}

/// [`analyze`] on an already reduced working image, without a document image: the document's
/// print is then judged on the working image (as a fallback; the entry points read one).
#[must_use]
pub fn analyze_work(
    work: &WorkImage,
    original: (u32, u32),
    slot: Slot,
    rules: &Rules,
) -> PhotoReport {
    analyze_framed(work, frame(work, slot), None, original, slot, rules)
}

/// Every check from the working image, its framing and, for document pages, the document
/// image ([`document_request`]).
#[must_use]
pub fn analyze_framed(
    work: &WorkImage,
    framing: Option<framing::Framing>,
    doc: Option<&DocImage>,
    original: (u32, u32),
    slot: Slot,
    rules: &Rules,
) -> PhotoReport {
    let r = rules.slot(slot);
    let (width, height) = original;
    let megapixels = f64::from(width) * f64::from(height) / 1e6;
    let (sx, sy) = to_original(work, original);
    let size = document::size_for(slot);
    let ppm = framing
        .as_ref()
        .and_then(|f| f.scaled(sx, sy))
        .map(|q| document::px_per_mm(&q, size));
    let framing_result = framing.as_ref().map(|f| {
        let cut = f
            .quad
            .is_some_and(|q| checks::framing::runs_out_of_frame(&q, work));
        checks::framing::check(f, ppm.unwrap_or(0.0), cut, &r.framing)
    });
    // Brightness, blur and glare are judged on the document when a whole one was found
    // (framing does not fail; in a selfie, covering ≥ REGION_MIN_FILL % of the frame);
    // contrast and color on the whole frame.
    let region = framing
        .as_ref()
        .zip(framing_result.as_ref())
        .filter(|(f, c)| {
            c.status != Status::Fail
                && (slot.is_document_page() || f.fill_percent >= REGION_MIN_FILL)
        })
        .and_then(|(f, _)| f.quad);
    let doc = doc.filter(|_| region.is_some());
    let exposure = exposure::measure(work);
    let document_exposure = region.map(|q| exposure::measure_within(work, &q));
    let sharpness = blur::sharpness::measure_within(work, region.as_ref().map(|q| &q[..]));
    let glare = glare::highlights::measure_within(work, region.as_ref().map(|q| &q[..]));
    let color = color::measure(work);
    let document = doc.map(|d| DocumentMetrics {
        px_per_mm: ppm.unwrap_or(0.0),
        size,
        edge_width: blur::sharpness::edge_width(d),
        glare: glare::highlights::on_document(d),
        clipped: brightness::clipped_share(d),
    });

    // In registry order (`CheckId::ALL`); `face` is added by the detector's entry points.
    let mut checks = vec![
        resolution::check(width, height, &r.resolution),
        brightness::check(
            document_exposure.as_ref().unwrap_or(&exposure),
            document.as_ref().map(|m| m.clipped),
            &r.brightness,
        ),
        contrast::check(&exposure, &r.contrast),
        match &document {
            Some(m) => blur::check_document(&m.edge_width, &sharpness, &r.blur),
            None => blur::check(&sharpness, &r.blur),
        },
        match &document {
            Some(m) => glare::check_document(&m.glare, &r.glare),
            None => glare::check(&glare, &r.glare),
        },
        color::check(&color, &r.color),
    ];
    checks.extend(framing_result);

    // Working pixels → original-photo pixels: the box factor when `work` was made from the
    // original, more when the browser had already resized the photo (`original` is larger
    // than the decoded pixels).
    let scale = |b: glare::BoxPx| glare::BoxPx {
        x: (f64::from(b.x) * sx).round() as u32,
        y: (f64::from(b.y) * sy).round() as u32,
        width: (f64::from(b.width) * sx).round() as u32,
        height: (f64::from(b.height) * sy).round() as u32,
    };
    let glare_boxes = match (doc, &document) {
        (Some(d), Some(m)) => m
            .glare
            .blobs
            .iter()
            .map(|b| document_box_to_original(d, *b, original))
            .collect(),
        _ => glare.blobs.iter().copied().map(scale).collect(),
    };
    PhotoReport {
        slot,
        width,
        height,
        checks,
        metrics: Metrics {
            work_width: work.width,
            work_height: work.height,
            megapixels,
            exposure,
            sharpness,
            glare_percent: glare.largest_percent,
            glare_total_percent: glare.total_percent,
            colorfulness: color.colorfulness,
            color_sigma: color.sigma,
            framing: framing.clone().unwrap_or_default(),
            document_exposure,
            document,
        },
        glare_boxes,
        document_quad: framing.and_then(|f| f.scaled(sx, sy)),
        face_boxes: Vec::new(),
        mrz: None,
        id_number: None,
    }
}

/// A box of the document image in original-photo pixels.
fn document_box_to_original(d: &DocImage, b: glare::BoxPx, original: (u32, u32)) -> glare::BoxPx {
    let (fx, fy) = (
        f64::from(original.0) / f64::from(d.source_size.0.max(1)),
        f64::from(original.1) / f64::from(d.source_size.1.max(1)),
    );
    let a = d.to_source(f64::from(b.x), f64::from(b.y));
    let z = d.to_source(f64::from(b.x + b.width), f64::from(b.y + b.height));
    glare::BoxPx {
        x: (a.x * fx).round() as u32,
        y: (a.y * fy).round() as u32,
        width: ((z.x - a.x) * fx).round() as u32,
        height: ((z.y - a.y) * fy).round() as u32,
    }
}

/// Original-photo pixels per working pixel, `(original width / working width, original
/// height / working height)`; the box factor when the image is empty.
#[must_use]
pub fn to_original(work: &WorkImage, original: (u32, u32)) -> (f64, f64) {
    let k = f64::from(work.factor.max(1));
    if work.width == 0 || work.height == 0 {
        return (k, k);
    }
    (
        f64::from(original.0) / f64::from(work.width),
        f64::from(original.1) / f64::from(work.height),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 1008×756 working image: dark table (luma 60), an upright ID-1 card (luma 205)
    /// 800 px wide centred at (480, 380), and a glare spot (white core r = 40 px, 0.66 % of
    /// the frame, with a fading halo) centred at `spot`.
    fn card_with_spot(spot: (f64, f64)) -> WorkImage {
        let (w, h) = (1008u32, 756u32);
        let (cw, ch) = (800.0, 800.0 / 1.586);
        let mut rgb = Vec::with_capacity((w * h * 3) as usize);
        for y in 0..h {
            for x in 0..w {
                let (fx, fy) = (f64::from(x) + 0.5, f64::from(y) + 0.5);
                let on_card = (fx - 480.0).abs() < cw / 2.0 && (fy - 380.0).abs() < ch / 2.0;
                let mut v: f64 = if on_card { 205.0 } else { 60.0 };
                let d = (fx - spot.0).hypot(fy - spot.1);
                if d < 40.0 {
                    v = 255.0;
                } else if d < 52.0 {
                    v = v.max(235.0);
                }
                rgb.extend_from_slice(&[v as u8; 3]);
            }
        }
        WorkImage::from_rgb(w, h, rgb)
    }

    #[test]
    fn glare_counts_on_the_document_only() {
        let rules = Rules::default();
        let judge = |spot| {
            let r = analyze_work(&card_with_spot(spot), (4032, 3024), Slot::IdFront, &rules);
            (
                r.check(CheckId::Framing).map(|c| c.status),
                r.check(CheckId::Glare).map(|c| c.status),
                r.document_quad.is_some(),
            )
        };
        // On the card: found, and the spot fails glare.
        assert_eq!(
            judge((400.0, 350.0)),
            (Some(Status::Pass), Some(Status::Fail), true)
        );
        // On the table beside it: not the document's business.
        assert_eq!(
            judge((900.0, 120.0)),
            (Some(Status::Pass), Some(Status::Pass), true)
        );
        // Without a document slot's framing, the same spot counts wherever it is.
        let face = analyze_work(
            &card_with_spot((900.0, 120.0)),
            (4032, 3024),
            Slot::Face,
            &rules,
        );
        assert_eq!(
            face.check(CheckId::Glare).map(|c| c.status),
            Some(Status::Fail)
        );
    }

    #[test]
    fn the_quad_is_reported_in_original_pixels() {
        // 2016×1512 photo (working factor 2), an upright card 1600 px wide centred at
        // (1000, 760): corners in original pixels.
        let (w, h) = (2016u32, 1512u32);
        let (hw, hh) = (800.0, 800.0 / 1.586);
        let mut data = Vec::with_capacity((w * h * 4) as usize);
        for y in 0..h {
            for x in 0..w {
                let (fx, fy) = (f64::from(x) + 0.5, f64::from(y) + 0.5);
                let v = if (fx - 1000.0).abs() < hw && (fy - 760.0).abs() < hh {
                    210
                } else {
                    50
                };
                data.extend_from_slice(&[v, v, v, 255]);
            }
        }
        let view = RgbaView::new(w, h, &data).unwrap_or_else(|| panic!("size"));
        let report = analyze(view, None, Slot::IdFront, &Rules::default());
        let quad = report.document_quad.unwrap_or_else(|| panic!("{report:?}"));
        let truth = [
            (1000.0 - hw, 760.0 - hh),
            (1000.0 + hw, 760.0 - hh),
            (1000.0 + hw, 760.0 + hh),
            (1000.0 - hw, 760.0 + hh),
        ];
        for (p, t) in quad.iter().zip(truth) {
            assert!(
                (p.x - t.0).abs() < 6.0 && (p.y - t.1).abs() < 6.0,
                "{p:?} vs {t:?}"
            );
        }
        // The browser resized a 4032×3024 photo to these 2016×1512 pixels: the overlay is
        // still in the original's pixels.
        let resized = analyze(view, Some((4032, 3024)), Slot::IdFront, &Rules::default());
        let big = resized
            .document_quad
            .unwrap_or_else(|| panic!("{resized:?}"));
        for (p, t) in big.iter().zip(truth) {
            assert!(
                (p.x - 2.0 * t.0).abs() < 12.0 && (p.y - 2.0 * t.1).abs() < 12.0,
                "{p:?} vs 2 × {t:?}"
            );
        }
        let json = serde_json::to_value(&report).unwrap_or_default();
        assert_eq!(json["document_quad"].as_array().map(Vec::len), Some(4));
        assert!(json["face_boxes"].as_array().is_some_and(Vec::is_empty));
        assert_eq!(
            report.check(CheckId::Framing).map(|c| c.code),
            Some(PhotoCode::FramingOk)
        );
    }

    #[test]
    fn a_blank_frame_is_judged_without_panicking() {
        for (w, h) in [(0, 0), (1, 1), (3, 2), (2000, 1)] {
            let data = vec![255u8; w as usize * h as usize * 4];
            let view = RgbaView::new(w, h, &data).unwrap_or_else(|| panic!("size"));
            let r = analyze(view, None, Slot::IdFront, &Rules::default());
            assert_eq!(r.checks.len(), 7);
            assert_eq!(
                r.check(CheckId::Framing).map(|c| c.code),
                Some(PhotoCode::NoDocument)
            );
            let face = analyze(view, None, Slot::Face, &Rules::default());
            assert_eq!(face.check(CheckId::Framing), None, "not applicable");
            assert_eq!(r.status(), Status::Fail, "{w}×{h} is far too small");
        }
    }
}
