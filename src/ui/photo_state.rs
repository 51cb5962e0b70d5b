//! The browser's side of a photo: the upload-ready JPEG as a `Blob` (the form's opaque
//! upload handle, see [`crate::form`]) and its size for display.

use crate::protocol::Prepared;

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

/// `1.2 MB`, `850 KB` (decimal units, as phones show file sizes); a few bytes read `1 KB`,
/// none (an upload not started) `0 KB`.
#[must_use]
pub fn format_bytes(bytes: f64) -> String {
    if bytes >= 1e6 {
        format!("{:.1} MB", bytes / 1e6)
    } else if bytes <= 0.0 {
        "0 KB".to_owned()
    } else {
        format!("{:.0} KB", (bytes / 1e3).max(1.0))
    }
}
