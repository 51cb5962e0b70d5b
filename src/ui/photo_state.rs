//! What the page knows about each photo: the host's configuration, and per slot the job,
//! the worker's report (as the page reads it) and the upload-ready image.

use crate::checks::photo::{PerceptualHash, PhotoCode};
use crate::checks::Status;
use crate::worker::{Checked, Prepared, UploadLimits};
use serde::Deserialize;
use std::rc::Rc;

/// Whether the passport visa page is asked for (`data-passport-visa` on `#app`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum VisaPolicy {
    /// Not asked for.
    Off,
    /// Shown, may stay empty (default).
    #[default]
    Optional,
    /// Shown and required.
    Required,
}

impl VisaPolicy {
    #[must_use]
    pub fn parse(s: &str) -> Option<VisaPolicy> {
        match s {
            "off" => Some(VisaPolicy::Off),
            "optional" => Some(VisaPolicy::Optional),
            "required" => Some(VisaPolicy::Required),
            _ => None,
        }
    }
}

/// The host page's settings, read from `data-*` attributes of `#app` (see the README).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Config {
    pub visa: VisaPolicy,
    pub upload: UploadLimits,
    /// Photo rules JSON overriding the defaults (`data-photo-rules`).
    pub rules: Option<String>,
    /// URL of the worker script (`data-worker-url`, default `./worker_loader.js`).
    pub worker_url: String,
}

/// The photo of one slot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PhotoEntry {
    /// The worker job that checks it.
    pub job: u32,
    /// The file name the shopper chose.
    pub name: String,
    pub state: PhotoState,
    /// The upload-ready image, once the worker has made it (after the verdicts).
    pub upload: Option<Rc<PreparedUpload>>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PhotoState {
    /// Sent to the worker.
    Checking,
    /// Checked: a report (good or bad).
    Checked(Rc<CheckedPhoto>),
    /// Could not be checked: the error's message code.
    Failed { error: String, message: PhotoCode },
}

/// A box in original-photo pixels.
#[derive(Clone, Copy, Debug, PartialEq, Deserialize)]
pub struct BoxView {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

/// A point in original-photo pixels.
#[derive(Clone, Copy, Debug, PartialEq, Deserialize)]
pub struct PointView {
    pub x: f64,
    pub y: f64,
}

/// One check's verdict as the page shows it.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct CheckView {
    pub id: String,
    pub status: Status,
    pub value: f64,
    pub threshold: Option<f64>,
    pub code: String,
}

/// The part of `PhotoReport::to_json` the page uses (other members are ignored).
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct ReportView {
    pub width: u32,
    pub height: u32,
    pub status: Status,
    pub checks: Vec<CheckView>,
    #[serde(default)]
    pub glare_boxes: Vec<BoxView>,
    /// The document's corners (TL, TR, BR, BL), when one was found.
    #[serde(default)]
    pub document_quad: Option<Vec<PointView>>,
    /// Faces found (face and selfie slots).
    #[serde(default)]
    pub face_boxes: Vec<BoxView>,
}

/// A checked photo: the verdicts and what identifies it.
#[derive(Debug, PartialEq)]
pub struct CheckedPhoto {
    pub report: ReportView,
    pub hash: PerceptualHash,
    pub original_bytes: f64,
    /// Worker time: decode, checks (ms).
    pub timings: [f64; 2],
}

impl CheckedPhoto {
    /// Reads the worker's answer. `None` if the report does not parse (a version mismatch).
    #[must_use]
    pub fn from_worker(c: &Checked) -> Option<CheckedPhoto> {
        Some(CheckedPhoto {
            report: serde_json::from_str(&c.report_json).ok()?,
            hash: PerceptualHash::from_hex(&c.hash)?,
            original_bytes: c.original_bytes,
            timings: [c.decode_ms, c.check_ms],
        })
    }
}

impl Eq for CheckedPhoto {}

/// The upload-ready JPEG, with a `blob:` URL for the thumbnail (revoked when dropped).
#[derive(Debug)]
pub struct PreparedUpload {
    pub blob: web_sys::Blob,
    pub url: String,
    pub width: u32,
    pub height: u32,
    pub bytes: f64,
    pub encode_ms: f64,
}

impl PreparedUpload {
    #[must_use]
    pub fn from_worker(p: Prepared) -> Option<PreparedUpload> {
        let url = web_sys::Url::create_object_url_with_blob(&p.upload).ok()?;
        Some(PreparedUpload {
            bytes: p.upload.size(),
            blob: p.upload,
            url,
            width: p.width,
            height: p.height,
            encode_ms: p.encode_ms,
        })
    }
}

impl Drop for PreparedUpload {
    fn drop(&mut self) {
        let _ = web_sys::Url::revoke_object_url(&self.url);
    }
}

impl PartialEq for PreparedUpload {
    fn eq(&self, other: &Self) -> bool {
        self.url == other.url
    }
}

impl Eq for PreparedUpload {}

/// `1.2 MB`, `850 KB` (decimal units, as phones show file sizes).
#[must_use]
pub fn format_bytes(bytes: f64) -> String {
    if bytes >= 1e6 {
        format!("{:.1} MB", bytes / 1e6)
    } else {
        format!("{:.0} KB", (bytes / 1e3).max(1.0))
    }
}
