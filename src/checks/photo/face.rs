//! The `face` check: a frontal face detector (SeetaFace's funnel-structured cascade, ported to
//! pure Rust as the `rustface` crate, BSD-2-Clause) with its model embedded in the binary.
//!
//! The model (`models/seeta_fd_frontal_v1.0.bin`, 1.2 MB, BSD-2-Clause, VIPL/ICT CAS; see
//! `models/README.md`) is compiled in with `include_bytes!` inside [`FaceDetector::embedded`],
//! so only a binary that calls it (the photo worker) carries it; the app's main wasm does not.
//!
//! Detection runs on the working image's luma reduced again by the integer box factor
//! `ceil(long side / DETECT_LONG_SIDE)` (1008×756 → 504×378), with the smallest face
//! [`MIN_FACE_PX`] px there (≈ 5 % of the height of a 4:3 photo), pyramid step
//! [`PYRAMID_SCALE`], window step [`WINDOW_STEP`] px and score threshold [`MIN_SCORE`]
//! (calibrated in `docs/calibration.md`).
//!
//! The worker calls [`analyze_with_faces`]: every check of [`super::analyze`] plus `face` for
//! the `face` and `selfie-with-document` slots, with `face_boxes` in original-photo pixels.

use super::framing::{contains, PointPx};
use super::report::{CheckId, CheckResult, PhotoCode, PhotoReport};
use super::rules::{Rules, SlotRules};
use super::slot::Slot;
use super::work::{RgbaView, WorkImage};
use crate::checks::Status;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;

/// Long side of the image the detector scans, in pixels (at most; integer box factor).
pub const DETECT_LONG_SIDE: u32 = 512;
/// Smallest face searched for, in detection pixels (the cascade's minimum is 20).
pub const MIN_FACE_PX: u32 = 20;
/// Ratio between adjacent pyramid levels.
pub const PYRAMID_SCALE: f32 = 0.8;
/// Sliding-window step, detection pixels.
pub const WINDOW_STEP: u32 = 4;
/// Smallest detector score counted as a face (the cascade's last stage output; rustface's
/// example uses 2.0). Measured: real faces (LFW, 100 people) score 3.8–40 (median 20),
/// the portraits and selfies 9–24; the only detections on photos without a person, among
/// 1200 files, scored 2.1 and 3.1 (`docs/calibration.md`).
pub const MIN_SCORE: f64 = 3.5;
/// A second face counts for "several faces" when its box is at least this fraction of the
/// largest face's height (a passer-by far behind is not a second sitter).
pub const SECOND_FACE_MIN_RATIO: f64 = 0.35;
/// In `selfie-with-document`, a face inside the document quad is the document's printed
/// portrait (not the shopper) only when its box height `h` (original-photo pixels) lies in
/// `lo × D ..= hi × D`, where `D` is the quad's height across its long side: the mean length of
/// its shorter pair of opposite sides (original-photo pixels; see [`document_height`]).
///
/// An ID-1 card's printed portrait is about 25–60 % of the card's height (54 mm), a passport
/// data page's about 50 % of the page's (88 mm). The band is wider than that on purpose:
/// - **below** 25 %: the detector's box covers the face (brows to chin), not the whole
///   printed photo with hair, shoulders and background; on the presence scenes' cards (a
///   31 mm portrait on a 54 mm card, 57 %) the boxes measure 0.18–0.27 of `D`
///   (`tests/photo_presence.rs`), so 0.15 keeps a margin under the smallest;
/// - **above** 60 %: a box cannot be much taller than the printed photo it lies in, but the
///   detector's box may overshoot the face a little and a tilted card's short sides are
///   foreshortened, so 0.70.
///
/// A face box taller than 0.70 × `D` is too large to be printed on the document the quad
/// outlines: the quad is something else around the shopper (a picture frame, a window, a
/// door) and the face is theirs (the `framed` presence scenes measure 0.81–0.85).
pub const PORTRAIT_HEIGHT_RANGE: (f64, f64) = (0.15, 0.70);

/// A detected face: box in pixels (original photo in reports, else as documented) and the
/// detector's score (higher is surer).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FaceBox {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    pub score: f64,
}

/// The model could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FaceError(pub String);

impl std::fmt::Display for FaceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "face model: {}", self.0)
    }
}

impl std::error::Error for FaceError {}

/// A configured detector. Building one parses the model (a few ms); reuse it.
pub struct FaceDetector {
    inner: Box<dyn rustface::Detector>,
}

impl std::fmt::Debug for FaceDetector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FaceDetector")
    }
}

impl FaceDetector {
    /// The detector with the model compiled into the binary.
    ///
    /// # Errors
    /// Never for the shipped model; kept for [`FaceDetector::from_model`]'s signature.
    pub fn embedded() -> Result<FaceDetector, FaceError> {
        FaceDetector::from_model(include_bytes!("../../../models/seeta_fd_frontal_v1.0.bin"))
    }

    /// A detector from SeetaFace model bytes.
    ///
    /// # Errors
    /// Truncated or malformed model bytes. (`rustface` panics on an unknown classifier kind;
    /// that panic is caught where unwinding is available, i.e. natively, not under the release
    /// profile's `panic = "abort"`: only pass bytes of a SeetaFace model.)
    pub fn from_model(bytes: &[u8]) -> Result<FaceDetector, FaceError> {
        // rustface panics on an unknown classifier kind; check the prefix it reads first.
        let model = std::panic::catch_unwind(|| rustface::read_model(std::io::Cursor::new(bytes)))
            .map_err(|_| FaceError("malformed".into()))?
            .map_err(|e| FaceError(e.to_string()))?;
        let mut inner = rustface::create_detector_with_model(model);
        inner.set_min_face_size(MIN_FACE_PX);
        inner.set_pyramid_scale_factor(PYRAMID_SCALE);
        inner.set_slide_window_step(WINDOW_STEP, WINDOW_STEP);
        inner.set_score_thresh(MIN_SCORE);
        Ok(FaceDetector { inner })
    }

    /// Faces in `work`, in working-image pixels, best score first.
    #[must_use]
    pub fn detect(&mut self, work: &WorkImage) -> Vec<FaceBox> {
        let (w, h) = (work.width as usize, work.height as usize);
        if work.luma.len() < w * h {
            return Vec::new();
        }
        let k = work
            .width
            .max(work.height)
            .div_ceil(DETECT_LONG_SIDE)
            .max(1) as usize;
        let (dw, dh) = (w / k, h / k);
        if dw < MIN_FACE_PX as usize + 4 || dh < MIN_FACE_PX as usize + 4 {
            return Vec::new();
        }
        let mut small = vec![0u8; dw * dh];
        let n = (k * k) as u32;
        for (y, row) in small.chunks_exact_mut(dw).enumerate() {
            for (x, out) in row.iter_mut().enumerate() {
                let mut sum = 0u32;
                for dy in 0..k {
                    let start = (y * k + dy) * w + x * k;
                    sum += work.luma[start..start + k]
                        .iter()
                        .map(|&v| u32::from(v))
                        .sum::<u32>();
                }
                *out = ((sum + n / 2) / n) as u8;
            }
        }
        let image = rustface::ImageData::new(&small, dw as u32, dh as u32);
        let kf = k as f64;
        let mut faces: Vec<FaceBox> = self
            .inner
            .detect(&image)
            .iter()
            .filter(|f| f.score() >= MIN_SCORE)
            .map(|f| {
                let b = f.bbox();
                FaceBox {
                    x: f64::from(b.x()) * kf,
                    y: f64::from(b.y()) * kf,
                    width: f64::from(b.width()) * kf,
                    height: f64::from(b.height()) * kf,
                    score: f.score(),
                }
            })
            .collect();
        faces.sort_by(|a, b| b.score.total_cmp(&a.score));
        faces
    }
}

thread_local! {
    /// The embedded detector, built on first use (once per worker thread).
    static DETECTOR: RefCell<Option<FaceDetector>> = const { RefCell::new(None) };
}

/// Runs `f` with the embedded detector, building it on first use; `None` if the model could
/// not be read.
pub fn with_embedded<R>(f: impl FnOnce(&mut FaceDetector) -> R) -> Option<R> {
    DETECTOR.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.is_none() {
            *slot = FaceDetector::embedded().ok();
        }
        slot.as_mut().map(f)
    })
}

/// The `face` check for `slot` from faces found on an image `image_height` px high (faces in
/// the same pixels). `None` when the slot needs no face.
///
/// - no face → fail `no-face` (value 0);
/// - `face` slot, two or more faces at least [`SECOND_FACE_MIN_RATIO`] of the largest's
///   height → fail `several-faces` (value: their number);
/// - else the largest face's height in % of `image_height` against `face_height`
///   (`face` slot: warn `face-small` below 15 %).
#[must_use]
pub fn check(
    faces: &[FaceBox],
    image_height: f64,
    slot: Slot,
    r: &SlotRules,
) -> Option<CheckResult> {
    if !slot.needs_face() {
        return None;
    }
    let largest = faces.iter().map(|f| f.height).fold(0.0, f64::max);
    if faces.is_empty() || largest <= 0.0 {
        return Some(CheckResult {
            id: CheckId::Face,
            status: Status::Fail,
            value: 0.0,
            threshold: None,
            code: PhotoCode::NoFace,
        });
    }
    let sitters = faces
        .iter()
        .filter(|f| f.height >= SECOND_FACE_MIN_RATIO * largest)
        .count();
    if slot == Slot::Face && sitters > 1 {
        return Some(CheckResult {
            id: CheckId::Face,
            status: Status::Fail,
            value: sitters as f64,
            threshold: Some(1.0),
            code: PhotoCode::SeveralFaces,
        });
    }
    let percent = 100.0 * largest / image_height.max(1.0);
    Some(super::below(
        CheckId::Face,
        percent,
        r.face_height,
        [
            PhotoCode::FaceOk,
            PhotoCode::FaceSmall,
            PhotoCode::FaceSmall,
        ],
    ))
}

/// Adds the `face` check and `face_boxes` (original-photo pixels) to `report`, from faces
/// found by `detector` in `work` (the working image `report` was made from).
pub fn add_faces(
    report: &mut PhotoReport,
    work: &WorkImage,
    detector: &mut FaceDetector,
    rules: &Rules,
) {
    if !report.slot.needs_face() {
        return;
    }
    let faces = detector.detect(work);
    let r = rules.slot(report.slot);
    let (sx, sy) = super::to_original(work, (report.width, report.height));
    // A selfie needs the shopper's face: the portrait printed on the document they hold is
    // a face too, but not theirs (a photo of the card alone would otherwise pass).
    let judged: Vec<FaceBox> = match (report.slot, report.document_quad) {
        (Slot::SelfieWithDocument, Some(quad)) => faces
            .iter()
            .copied()
            .filter(|b| !printed_portrait(b, &quad, sx, sy))
            .collect(),
        _ => faces.clone(),
    };
    if let Some(result) = check(&judged, f64::from(work.height), report.slot, &r) {
        report.checks.push(result);
    }
    report.face_boxes = faces
        .into_iter()
        .map(|b| FaceBox {
            x: b.x * sx,
            y: b.y * sy,
            width: b.width * sx,
            height: b.height * sy,
            score: b.score,
        })
        .collect();
}

/// Whether face `b` is plausibly the portrait printed on the document `quad`, so not the
/// shopper's face. `b` is in working-image pixels, `quad` (TL, TR, BR, BL) in original-photo
/// pixels, `sx`, `sy` original pixels per working pixel (as from [`super::to_original`]).
///
/// Both must hold, in original-photo pixels:
/// - the box's centre `((x + width / 2) × sx, (y + height / 2) × sy)` lies inside `quad`
///   (edges count as inside);
/// - its height `height × sy` is between `PORTRAIT_HEIGHT_RANGE.0 × D` and
///   `PORTRAIT_HEIGHT_RANGE.1 × D` ([`PORTRAIT_HEIGHT_RANGE`]), `D` =
///   [`document_height`]`(quad)`. A larger face is the shopper's, framed by a quad around them.
fn printed_portrait(b: &FaceBox, quad: &[PointPx; 4], sx: f64, sy: f64) -> bool {
    let centre = PointPx {
        x: (b.x + b.width / 2.0) * sx,
        y: (b.y + b.height / 2.0) * sy,
    };
    let d = document_height(quad);
    let (lo, hi) = PORTRAIT_HEIGHT_RANGE;
    contains(quad, centre) && d > 0.0 && (lo * d..=hi * d).contains(&(b.height * sy))
}

/// The height of a document quad across its long side, in the quad's pixels: with sides
/// `s_k = |q[k + 1] − q[k]|`, the smaller of the opposite pairs' means `(s0 + s2) / 2` and
/// `(s1 + s3) / 2` (the card's 54 mm side, whichever way it is turned; under perspective the
/// mean of the two foreshortened sides, as framing's aspect test measures them).
fn document_height(q: &[PointPx; 4]) -> f64 {
    let side = |k: usize| {
        let (a, b) = (q[k], q[(k + 1) % 4]);
        (b.x - a.x).hypot(b.y - a.y)
    };
    ((side(0) + side(2)) / 2.0).min((side(1) + side(3)) / 2.0)
}

/// **The worker's entry point.** [`super::analyze`] plus, for the `face` and
/// `selfie-with-document` slots, the `face` check with the embedded detector (built once per
/// thread on first use). Other slots get exactly [`super::analyze`]'s report.
#[must_use]
pub fn analyze_with_faces(
    image: RgbaView<'_>,
    original: Option<(u32, u32)>,
    slot: Slot,
    rules: &Rules,
) -> PhotoReport {
    let (mut report, work) = super::analyze_keeping_work(image, original, slot, rules);
    add_faces_embedded(&mut report, &work, rules);
    report
}

/// [`add_faces`] with the embedded detector (built once per thread on first use), for a
/// report made from `work` by [`super::analyze_work`]. Slots without a face are left alone.
pub fn add_faces_embedded(report: &mut PhotoReport, work: &WorkImage, rules: &Rules) {
    let slot = report.slot;
    if !slot.needs_face() {
        return;
    }
    if with_embedded(|d| add_faces(report, work, d, rules)).is_none() {
        // No model: say "no face" rather than pass unchecked.
        let r = rules.slot(slot);
        if let Some(result) = check(&[], f64::from(work.height), slot, &r) {
            report.checks.push(result);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn boxed(h: f64) -> FaceBox {
        FaceBox {
            x: 0.0,
            y: 0.0,
            width: h,
            height: h,
            score: 5.0,
        }
    }

    #[test]
    fn face_rules_per_slot() {
        let rules = Rules::default();
        let face = rules.slot(Slot::Face);
        let code = |faces: &[FaceBox], slot: Slot| {
            check(faces, 1000.0, slot, &rules.slot(slot)).map(|c| (c.status, c.code))
        };
        assert_eq!(
            code(&[], Slot::Face),
            Some((Status::Fail, PhotoCode::NoFace))
        );
        assert_eq!(
            code(&[boxed(300.0)], Slot::Face),
            Some((Status::Pass, PhotoCode::FaceOk))
        );
        assert_eq!(
            code(&[boxed(100.0)], Slot::Face),
            Some((Status::Warn, PhotoCode::FaceSmall))
        );
        assert_eq!(
            code(&[boxed(300.0), boxed(200.0)], Slot::Face),
            Some((Status::Fail, PhotoCode::SeveralFaces))
        );
        // A tiny face far behind the sitter does not count.
        assert_eq!(
            code(&[boxed(300.0), boxed(60.0)], Slot::Face),
            Some((Status::Pass, PhotoCode::FaceOk))
        );
        // A selfie needs a face; size and count do not matter.
        assert_eq!(
            code(&[], Slot::SelfieWithDocument),
            Some((Status::Fail, PhotoCode::NoFace))
        );
        assert_eq!(
            code(&[boxed(80.0), boxed(70.0)], Slot::SelfieWithDocument),
            Some((Status::Pass, PhotoCode::FaceOk))
        );
        assert_eq!(code(&[], Slot::IdFront), None);
        assert_eq!(face.face_height.warn, Some(15.0));
    }

    fn at(x: f64, y: f64, h: f64) -> FaceBox {
        FaceBox {
            x,
            y,
            width: h,
            height: h,
            score: 5.0,
        }
    }

    fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> [PointPx; 4] {
        let p = |x, y| PointPx { x, y };
        [p(x0, y0), p(x1, y0), p(x1, y1), p(x0, y1)]
    }

    #[test]
    fn document_height_is_the_mean_of_the_short_sides() {
        assert!((document_height(&rect(0.0, 0.0, 856.0, 540.0)) - 540.0).abs() < 1e-9);
        // Turned upright, the card's height is its width on screen.
        assert!((document_height(&rect(0.0, 0.0, 540.0, 856.0)) - 540.0).abs() < 1e-9);
        // A trapezoid (tilted card): short sides 500 and 600 on screen → 550.
        let p = |x, y| PointPx { x, y };
        let q = [p(0.0, 0.0), p(900.0, 0.0), p(900.0, 600.0), p(0.0, 500.0)];
        assert!((document_height(&q) - 550.0).abs() < 1e-9);
    }

    #[test]
    fn only_a_portrait_sized_face_on_the_document_is_the_printed_portrait() {
        // Is a face box (x, y, height; working pixels) the printed portrait on quad `q`
        // (original pixels), with `s` original pixels per working pixel?
        let printed = |q: &[PointPx; 4], s: f64, x: f64, y: f64, h: f64| {
            printed_portrait(&at(x, y, h), q, s, s)
        };
        // An ID-1 card 856 × 540 px (original pixels) held in a 4032 × 3024 photo.
        let card = rect(1000.0, 1500.0, 1856.0, 2040.0);
        // The printed portrait, working image at half size: a 75 px box there is 150 px
        // (28 % of 540) centred at (1275, 1775) in the photo.
        assert!(printed(&card, 2.0, 600.0, 850.0, 75.0));
        // The same box with the working image at full size is 75 px (14 %): too small.
        assert!(!printed(&card, 1.0, 1200.0, 1700.0, 75.0));
        // Just inside the band (0.15 × 540 = 81, 0.70 × 540 = 378), and just above it.
        assert!(printed(&card, 1.0, 1400.0, 1600.0, 82.0));
        assert!(printed(&card, 1.0, 1200.0, 1550.0, 377.0));
        assert!(!printed(&card, 1.0, 1200.0, 1550.0, 400.0));
        // The shopper's face beside the card is outside the quad, whatever its size.
        assert!(!printed(&card, 2.0, 1100.0, 400.0, 250.0));
        assert!(!printed(&card, 2.0, 300.0, 650.0, 75.0));
        // A large frame (1800 × 1150 px) around the shopper's 900 px face: the face is 78 %
        // of the frame's height, too large to be printed on it, so it counts (the old rule,
        // centre inside the quad, dropped it).
        let frame = rect(1100.0, 600.0, 2900.0, 1750.0);
        assert!(!printed(&frame, 2.0, 800.0, 350.0, 450.0));
        // A degenerate quad (zero height) discounts nothing.
        let flat = rect(0.0, 100.0, 1000.0, 100.0);
        assert!(!printed(&flat, 2.0, 50.0, 50.0, 0.0));
    }

    #[test]
    fn the_embedded_model_loads_and_bad_bytes_are_errors() {
        assert!(FaceDetector::embedded().is_ok());
        assert!(FaceDetector::from_model(&[]).is_err());
        assert!(FaceDetector::from_model(&[7; 64]).is_err());
    }

    #[test]
    fn a_flat_or_tiny_image_has_no_face() {
        let mut d = FaceDetector::embedded().unwrap_or_else(|e| panic!("{e}"));
        let flat = WorkImage::from_rgb(640, 480, vec![128; 640 * 480 * 3]);
        assert!(d.detect(&flat).is_empty());
        assert!(d.detect(&WorkImage::default()).is_empty());
        let tiny = WorkImage::from_rgb(10, 10, vec![128; 300]);
        assert!(d.detect(&tiny).is_empty());
    }
}
