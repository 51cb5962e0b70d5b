//! What the page knows about each photo: the host's configuration, and per slot the job,
//! the worker's typed answer and the upload-ready image.

use crate::checks::photo::{Rules, RulesError};
use crate::protocol::{Checked, JobId, Prepared, UploadLimits, WorkerError};
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
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    pub visa: VisaPolicy,
    pub upload: UploadLimits,
    /// The photo rules: the defaults overridden by `data-photo-rules`, or why that JSON
    /// cannot be used (then no photo is checked, and the page says why).
    pub rules: Result<Rules, RulesError>,
    /// URL of the worker script (`data-worker-url`, default `./worker_loader.js`).
    pub worker_url: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            visa: VisaPolicy::default(),
            upload: UploadLimits::default(),
            rules: Ok(Rules::default()),
            worker_url: "./worker_loader.js".to_owned(),
        }
    }
}

/// The photo of one slot.
#[derive(Clone, Debug, PartialEq)]
pub struct PhotoEntry {
    /// The worker job that checks it.
    pub job: JobId,
    /// The file name the shopper chose.
    pub name: String,
    pub state: PhotoState,
    /// The upload-ready image, once the worker has made it (after the verdicts).
    pub upload: Option<Rc<PreparedUpload>>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum PhotoState {
    /// Sent to the worker.
    Checking,
    /// Checked: a report (good or bad).
    Checked(Rc<Checked>),
    /// Could not be checked.
    Failed(WorkerError),
}

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
    pub fn from_worker(p: Prepared, blob: web_sys::Blob) -> Option<PreparedUpload> {
        let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
        Some(PreparedUpload {
            bytes: blob.size(),
            blob,
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

/// `1.2 MB`, `850 KB` (decimal units, as phones show file sizes).
#[must_use]
pub fn format_bytes(bytes: f64) -> String {
    if bytes >= 1e6 {
        format!("{:.1} MB", bytes / 1e6)
    } else {
        format!("{:.0} KB", (bytes / 1e3).max(1.0))
    }
}
