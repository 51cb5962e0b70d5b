//! Faces for the `face` check ([`super::checks::face`]): a frontal face detector (SeetaFace's funnel-structured cascade, ported to
//! pure Rust as the `rustface` crate, BSD-2-Clause) with its model embedded in the binary.
//!
//! The model (SeetaFace's `seeta_fd_frontal_v1.0.bin`, BSD-2-Clause, VIPL/ICT CAS; see
//! `models/README.md`) is compiled in with `include_bytes!` inside [`FaceDetector::embedded`]
//! in its compact form (`models/seeta_fd_frontal_v1.0.q8`, weights as int8:
//! [`compact_model`]), so only a binary that calls it (the photo worker, the CLI) carries it;
//! the app's main wasm does not.
//!
//! Detection runs on the working image's luma reduced again by the integer box factor
//! `ceil(long side / DETECT_LONG_SIDE)` (1008×756 → 504×378), with the smallest face
//! [`MIN_FACE_PX`] px there (≈ 5 % of the height of a 4:3 photo), pyramid step
//! [`PYRAMID_SCALE`], window step [`WINDOW_STEP`] px and score threshold [`MIN_SCORE`]
//! (calibrated in `docs/calibration.md`).
//!
//! The worker calls [`analyze_with_faces`]: every check of [`super::analyze`] plus `face` for
//! the `face` and `selfie-with-document` slots, with `face_boxes` in original-photo pixels.

mod compact_model;

use super::checks::face::{check, printed_portrait};
use super::report::PhotoReport;
use super::rules::Rules;
use super::slot::Slot;
use super::work::{RgbaView, WorkImage};
use serde::{Deserialize, Serialize};
use std::cell::RefCell;

/// Long side of the image the detector scans, in pixels (at most; integer box factor).
pub const DETECT_LONG_SIDE: u32 = 512;
/// Smallest face searched for, in detection pixels (the cascade's minimum is 20).
pub const MIN_FACE_PX: u32 = 20;
/// [`DETECT_LONG_SIDE`] for live guidance on preview frames: the detector's cost grows with
/// the pixels it scans (measured natively on a 720×960 frame with a face: 512 px 54–68 ms),
/// and its smallest face (20 px) is then still 8 % of a portrait frame's height, below
/// what a `face` photo may show (it warns under 15 %).
pub const GUIDE_DETECT_LONG_SIDE: u32 = 256;
/// Ratio between adjacent pyramid levels.
pub const PYRAMID_SCALE: f32 = 0.8;
/// Sliding-window step, detection pixels.
pub const WINDOW_STEP: u32 = 4;
/// Smallest detector score counted as a face (the cascade's last stage output; rustface's
/// example uses 2.0). Measured: real faces (LFW, 100 people) score 3.8–40 (median 20),
/// the portraits and selfies 9–24; the only detections on photos without a person, among
/// 1200 files, scored 2.1 and 3.1 (`docs/calibration.md`).
pub const MIN_SCORE: f64 = 3.5;
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
        let model =
            compact_model::expand(include_bytes!("../../../models/seeta_fd_frontal_v1.0.q8"))?;
        FaceDetector::from_model(&model)
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
        self.detect_at(work, DETECT_LONG_SIDE)
    }

    /// [`FaceDetector::detect`] on `work` reduced to at most `long_side` px (an integer box
    /// factor; live guidance: [`GUIDE_DETECT_LONG_SIDE`]).
    #[must_use]
    pub fn detect_at(&mut self, work: &WorkImage, long_side: u32) -> Vec<FaceBox> {
        let (w, h) = (work.width as usize, work.height as usize);
        if work.luma.len() < w * h {
            return Vec::new();
        }
        let k = work
            .width
            .max(work.height)
            .div_ceil(long_side.max(1))
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

/// Adds the `face` check and `face_boxes` (original-photo pixels) to `report`, from faces
/// found by `detector` in `work` (the working image `report` was made from).
pub fn add_faces(
    report: &mut PhotoReport,
    work: &WorkImage,
    detector: &mut FaceDetector,
    rules: &Rules,
) {
    add_faces_at(report, work, detector, rules, DETECT_LONG_SIDE);
}

/// [`add_faces`] with the detector scanning at most `long_side` px ([`FaceDetector::detect_at`]).
pub fn add_faces_at(
    report: &mut PhotoReport,
    work: &WorkImage,
    detector: &mut FaceDetector,
    rules: &Rules,
    long_side: u32,
) {
    if report.slot == Slot::IdBack {
        add_portrait_side(report, work, detector, rules, long_side);
        return;
    }
    if !report.slot.needs_face() {
        return;
    }
    let faces = detector.detect_at(work, long_side);
    let r = rules.slot(report.slot).face;
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

/// The emblem-side slot: a printed portrait inside the found card (the portrait side's
/// photo, [`printed_portrait`]) gives the `side` check's warning; without a whole card or a
/// portrait, nothing is added.
fn add_portrait_side(
    report: &mut PhotoReport,
    work: &WorkImage,
    detector: &mut FaceDetector,
    rules: &Rules,
    long_side: u32,
) {
    // The number line read on the card already named the side: the detector adds nothing.
    if report.check(super::CheckId::Side).is_some() {
        return;
    }
    let framed = report
        .check(super::CheckId::Framing)
        .is_some_and(|c| c.status != crate::checks::Status::Fail);
    let Some(quad) = report.document_quad.filter(|_| framed) else {
        return;
    };
    let (sx, sy) = super::to_original(work, (report.width, report.height));
    let portrait = detector
        .detect_at(work, long_side)
        .iter()
        .any(|b| printed_portrait(b, &quad, sx, sy));
    let evidence = super::checks::side::Evidence {
        portrait,
        ..Default::default()
    };
    let side_rules = &rules.slot(report.slot).side;
    report.checks.extend(super::checks::side::check(
        report.slot,
        evidence,
        side_rules,
    ));
}

/// **The worker's entry point.** [`super::analyze`] plus, for the `face` and
/// `selfie-with-document` slots, the `face` check with the embedded detector (built once per
/// thread on first use), and for `id-back` the `side` check's portrait test. Other slots get
/// exactly [`super::analyze`]'s report.
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
    add_faces_embedded_at(report, work, rules, DETECT_LONG_SIDE);
}

/// [`add_faces_embedded`] with [`add_faces_at`]'s scan size.
pub fn add_faces_embedded_at(
    report: &mut PhotoReport,
    work: &WorkImage,
    rules: &Rules,
    long_side: u32,
) {
    let slot = report.slot;
    if !slot.runs_face_detector() {
        return;
    }
    if with_embedded(|d| add_faces_at(report, work, d, rules, long_side)).is_none()
        && slot.needs_face()
    {
        // No model: say "no face" rather than pass unchecked.
        let r = rules.slot(slot).face;
        if let Some(result) = check(&[], f64::from(work.height), slot, &r) {
            report.checks.push(result);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
