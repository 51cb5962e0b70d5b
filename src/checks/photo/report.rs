//! What the photo checks found: one result per check, with measured value and threshold.

use super::checks::blur::{EdgeWidth, Sharpness};
use super::checks::glare::{BoxPx, DocumentGlare};
pub use super::checks::CheckId;
use super::document::DocumentSize;
use super::exposure::Exposure;
use super::face::FaceBox;
use super::framing::{Framing, PointPx};
use super::ocr::MrzRead;
use super::slot::Slot;
use crate::checks::report::stable_codes;
use crate::checks::Status;
use serde::{Deserialize, Serialize};

stable_codes! {
    /// Stable message codes of photo results and errors (public API).
    PhotoCode {
    ResolutionOk => "photo.resolution-ok",
    ResolutionLow => "photo.resolution-low",
    ResolutionTooLow => "photo.resolution-too-low",
    BrightnessOk => "photo.brightness-ok",
    Dim => "photo.dim",
    TooDark => "photo.too-dark",
    Bright => "photo.bright",
    TooBright => "photo.too-bright",
    ContrastOk => "photo.contrast-ok",
    LowContrast => "photo.low-contrast",
    NoContrast => "photo.no-contrast",
    Sharp => "photo.sharp",
    SlightlyBlurry => "photo.slightly-blurry",
    Blurry => "photo.blurry",
    MotionBlur => "photo.motion-blur",
    SlightMotionBlur => "photo.slight-motion-blur",
    NoDetail => "photo.no-detail",
    NoGlare => "photo.no-glare",
    SomeGlare => "photo.some-glare",
    Glare => "photo.glare",
    ColorOk => "photo.color-ok",
    Grayscale => "photo.grayscale",
    FramingOk => "photo.framing-ok",
    NoDocument => "photo.no-document",
    DocumentCutOff => "photo.document-cut-off",
    DocumentNearEdge => "photo.document-near-edge",
    DocumentSmall => "photo.document-small",
    DocumentTooSmall => "photo.document-too-small",
    FaceOk => "photo.face-ok",
    NoFace => "photo.no-face",
    SeveralFaces => "photo.several-faces",
    FaceSmall => "photo.face-small",
    SideOk => "photo.side-ok",
    LooksLikeVisaPage => "photo.looks-like-visa-page",
    LooksLikeDataPage => "photo.looks-like-data-page",
    LooksLikePortraitSide => "photo.looks-like-portrait-side",
    ErrorEmpty => "photo.error.empty",
    ErrorUnsupportedFormat => "photo.error.unsupported-format",
    ErrorHeic => "photo.error.heic",
    ErrorCorrupt => "photo.error.corrupt",
    ErrorTooLarge => "photo.error.too-large",
    ErrorTooManyPixels => "photo.error.too-many-pixels",
    ErrorUnreadable => "photo.error.unreadable",
    }
}

/// The verdict of one check.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckResult {
    pub id: CheckId,
    pub status: Status,
    /// The measured value, in the unit of the rule (see the check's rules in [`super::checks`]).
    pub value: f64,
    /// The threshold the value was compared with (the one crossed, else the warn level).
    pub threshold: Option<f64>,
    pub code: PhotoCode,
}

/// Everything measured, for calibration and diagnostics.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Metrics {
    pub work_width: u32,
    pub work_height: u32,
    pub megapixels: f64,
    pub exposure: Exposure,
    pub sharpness: Sharpness,
    pub glare_percent: f64,
    pub glare_total_percent: f64,
    pub colorfulness: f64,
    pub color_sigma: f64,
    /// The document outline search (working-image pixels; see [`Framing`]).
    pub framing: Framing,
    /// Luma statistics inside the document's quad, when `brightness` was judged there.
    pub document_exposure: Option<Exposure>,
    /// The document at its own scale, when a whole one was found in a document slot.
    pub document: Option<DocumentMetrics>,
}

/// Measurements on the document image (5 px per mm of document).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct DocumentMetrics {
    /// Pixels of the original photo per mm of document.
    pub px_per_mm: f64,
    /// Which document size the slot implies (ID-1 or TD3).
    pub size: DocumentSize,
    /// Strong-edge widths (`blur`).
    pub edge_width: EdgeWidth,
    /// Washed-out areas (`glare`).
    pub glare: DocumentGlare,
    /// Share of the document's pixels with luma ≥ 250 (`brightness`, too bright).
    pub clipped: f64,
}

/// The result of checking one photo.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PhotoReport {
    pub slot: Slot,
    /// Size of the photo as taken (after EXIF orientation).
    pub width: u32,
    pub height: u32,
    pub checks: Vec<CheckResult>,
    /// Diagnostics for calibration: printed by the CLI and the JS API (`i18n::photo_json`),
    /// not sent to the page (it shows verdicts, not measurements; skipping them keeps the
    /// page's wasm from carrying their deserialisers).
    #[serde(skip)]
    pub metrics: Metrics,
    /// Glare blobs in original-photo pixels, largest first, for the overlay.
    pub glare_boxes: Vec<BoxPx>,
    /// The document's corners in original-photo pixels, clockwise from top-left (TL, TR, BR,
    /// BL), for the overlay; `None` when no document was found or the slot has none.
    pub document_quad: Option<[PointPx; 4]>,
    /// Faces in original-photo pixels, best score first; empty unless the face detector ran.
    pub face_boxes: Vec<FaceBox>,
    /// The machine-readable zone read from a passport page, only when every check digit
    /// holds and every character is clear ([`crate::checks::photo::ocr::MrzRead::accepted`]):
    /// a doubtful read is silence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mrz: Option<MrzRead>,
    /// The resident ID number read from the portrait side's number line, only when its
    /// check character holds and every character is clear: a doubtful read is silence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_number: Option<String>,
}

impl PhotoReport {
    /// The worst status of all checks.
    #[must_use]
    pub fn status(&self) -> Status {
        self.checks
            .iter()
            .map(|c| c.status)
            .max()
            .unwrap_or(Status::Pass)
    }

    /// The result of one check.
    #[must_use]
    pub fn check(&self, id: CheckId) -> Option<&CheckResult> {
        self.checks.iter().find(|c| c.id == id)
    }
}
