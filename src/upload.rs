//! The built-in upload's logic, browser-free and tested natively: the host's upload settings,
//! when to retry and how long to wait, the tus 1.0 headers, and what the shopper is shown.
//! The browser side (`ui::upload`, wasm only) only sends requests and reports what came back.
//!
//! Retries: network errors, timeouts (no progress for `timeoutMs`), 5xx and 429 are retried
//! after `min(cap, base · 2^n) · (0.5 + jitter/2)` ms (n = consecutive failures, jitter in
//! [0, 1)), or after `Retry-After` when the server sends one; other 4xx are never retried.
//! Any progress resets n. After `maxAttempts` consecutive failures the upload stops with the
//! last error, and one tap starts it again (the tus uploads resume where the server stopped).

use serde::{Deserialize, Serialize};

/// The wire protocol.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    /// One `multipart/form-data` POST of the fields and photos, with an `Idempotency-Key`.
    #[default]
    Multipart,
    /// Resumable uploads 1.0 (creation, `PATCH` in chunks, `HEAD` for the offset): one
    /// upload for the fields (JSON) and one per photo.
    Tus,
}

/// The host's upload settings (`upload` in the mount config; all but `url` optional).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase", default)]
pub struct UploadConfig {
    /// Where to send: the multipart endpoint, or the tus creation endpoint.
    pub url: String,
    pub protocol: Protocol,
    /// Extra request headers (e.g. an authorisation token of the host's session).
    pub headers: std::collections::BTreeMap<String, String>,
    /// No progress for this long aborts the request (a timeout, retried), ms.
    pub timeout_ms: u32,
    /// Consecutive failures before the upload stops and offers a retry.
    pub max_attempts: u32,
    /// First retry delay and its cap, ms.
    pub retry_base_ms: u32,
    pub retry_max_ms: u32,
    /// tus `PATCH` body size, bytes.
    pub chunk_size: u32,
}

impl Default for UploadConfig {
    fn default() -> Self {
        UploadConfig {
            url: String::new(),
            protocol: Protocol::default(),
            headers: std::collections::BTreeMap::new(),
            timeout_ms: 30_000,
            max_attempts: 8,
            retry_base_ms: 1_000,
            retry_max_ms: 30_000,
            chunk_size: 512 * 1024,
        }
    }
}

impl UploadConfig {
    /// Checks the values a JSON parse cannot.
    ///
    /// # Errors
    /// The offending key and why, e.g. `upload.url: empty`.
    pub fn validate(&self) -> Result<(), String> {
        if self.url.trim().is_empty() {
            return Err("upload.url: empty".to_owned());
        }
        if self.timeout_ms < 1_000 {
            return Err(format!(
                "upload.timeoutMs: {} is below 1000",
                self.timeout_ms
            ));
        }
        if self.max_attempts == 0 {
            return Err("upload.maxAttempts: must be at least 1".to_owned());
        }
        if self.retry_base_ms == 0 || self.retry_max_ms < self.retry_base_ms {
            return Err("upload.retryBaseMs/retryMaxMs: need 0 < base ≤ max".to_owned());
        }
        if self.chunk_size < 16 * 1024 {
            return Err(format!(
                "upload.chunkSize: {} is below 16384 bytes",
                self.chunk_size
            ));
        }
        for (name, value) in &self.headers {
            let valid_name = !name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
            if !valid_name || value.bytes().any(|b| b == b'\r' || b == b'\n') {
                return Err(format!("upload.headers: `{name}` is not a valid header"));
            }
        }
        Ok(())
    }

    /// The wait before retry number `failures` (1 = after the first failure), ms; `jitter`
    /// in [0, 1) spreads clients that failed together.
    #[must_use]
    pub fn backoff_ms(&self, failures: u32, jitter: f64) -> f64 {
        let exp = 2f64.powi(i32::try_from(failures.saturating_sub(1).min(30)).unwrap_or(30));
        let ceiling = (f64::from(self.retry_base_ms) * exp).min(f64::from(self.retry_max_ms));
        ceiling * (0.5 + jitter.clamp(0.0, 1.0) / 2.0)
    }
}

/// How one request ended.
#[derive(Clone, Debug, PartialEq)]
pub enum Attempt {
    /// The connection failed or was dropped (XHR `error`, status 0).
    Network,
    /// No progress for `timeout_ms`.
    Timeout,
    /// The server answered; `retry_after` is its `Retry-After` header, if any.
    Status {
        status: u16,
        retry_after: Option<String>,
    },
}

/// Why an upload stopped (the shopper's inputs are all kept).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "code")]
pub enum UploadError {
    /// The browser is offline (it resumes by itself once online).
    #[serde(rename = "upload-offline")]
    Offline,
    /// The network failed, again and again.
    #[serde(rename = "upload-network")]
    Network,
    /// The server stopped answering.
    #[serde(rename = "upload-timeout")]
    Timeout,
    /// The server refused (a 4xx other than 413 and 429, or 5xx after every retry).
    #[serde(rename = "upload-refused")]
    Refused { status: u16 },
    /// The server says the photos are too large (413).
    #[serde(rename = "upload-too-large")]
    TooLarge { status: u16 },
    /// The server's answer does not follow the protocol (e.g. tus without `Location`).
    #[serde(rename = "upload-protocol")]
    Protocol { detail: String },
}

impl UploadError {
    /// The stable code (`precheck:error`'s `code`, and `code` in its JSON).
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            UploadError::Offline => "upload-offline",
            UploadError::Network => "upload-network",
            UploadError::Timeout => "upload-timeout",
            UploadError::Refused { .. } => "upload-refused",
            UploadError::TooLarge { .. } => "upload-too-large",
            UploadError::Protocol { .. } => "upload-protocol",
        }
    }
}

/// What to do after an attempt that did not succeed.
#[derive(Clone, Debug, PartialEq)]
pub enum Next {
    /// Try again after this many ms.
    Retry { after_ms: f64, error: UploadError },
    /// Stop: retrying cannot help.
    Stop(UploadError),
}

/// The decision after `attempt` failed, the `failures`-th failure in a row (≥ 1). `now_ms`
/// (Unix time) reads an HTTP-date `Retry-After`.
#[must_use]
pub fn after_failure(
    config: &UploadConfig,
    attempt: &Attempt,
    failures: u32,
    jitter: f64,
    now_ms: f64,
) -> Next {
    let (error, retry_after) = match attempt {
        Attempt::Network => (UploadError::Network, None),
        Attempt::Timeout => (UploadError::Timeout, None),
        Attempt::Status {
            status: 413,
            retry_after: _,
        } => return Next::Stop(UploadError::TooLarge { status: 413 }),
        Attempt::Status {
            status,
            retry_after,
        } if *status == 429 || (500..600).contains(status) => (
            UploadError::Refused { status: *status },
            retry_after
                .as_deref()
                .and_then(|h| retry_after_ms(h, now_ms)),
        ),
        Attempt::Status { status, .. } => {
            return Next::Stop(UploadError::Refused { status: *status })
        }
    };
    if failures >= config.max_attempts {
        return Next::Stop(error);
    }
    let after_ms = retry_after.map_or_else(
        || config.backoff_ms(failures, jitter),
        |ms| ms.min(120_000.0),
    );
    Next::Retry { after_ms, error }
}

/// `Retry-After` in ms from now: delta-seconds (`120`) or an IMF-fixdate
/// (`Wed, 21 Oct 2015 07:28:00 GMT`); `None` when unreadable.
#[must_use]
pub fn retry_after_ms(header: &str, now_ms: f64) -> Option<f64> {
    let h = header.trim();
    if let Ok(seconds) = h.parse::<u32>() {
        return Some(f64::from(seconds) * 1000.0);
    }
    http_date_ms(h).map(|at| (at - now_ms).max(0.0))
}

/// An IMF-fixdate as Unix ms.
fn http_date_ms(s: &str) -> Option<f64> {
    // "Wed, 21 Oct 2015 07:28:00 GMT"
    let rest = s.split_once(", ")?.1;
    let parts: Vec<&str> = rest.split(' ').collect();
    let [day, month, year, time, "GMT"] = parts[..] else {
        return None;
    };
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = u32::try_from(MONTHS.iter().position(|m| *m == month)? + 1).ok()?;
    let day: u32 = day.parse().ok()?;
    let year: i32 = year.parse().ok()?;
    let hms: Vec<u32> = time.split(':').filter_map(|p| p.parse().ok()).collect();
    let [h, m, sec] = hms[..] else {
        return None;
    };
    let days = crate::checks::Date::new(year, month, day)?.to_days();
    let seconds = days * 86_400 + i64::from(h * 3600 + m * 60 + sec);
    #[allow(clippy::cast_precision_loss)] // dates within ±285 000 years are exact in f64 ms
    Some(seconds as f64 * 1000.0)
}

/// The tus `Upload-Metadata` header: `key base64(value)` pairs, comma-separated.
#[must_use]
pub fn tus_metadata(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{k} {}", base64(v.as_bytes())))
        .collect::<Vec<_>>()
        .join(",")
}

/// Standard base64 with padding.
#[must_use]
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A tus `Upload-Offset` header: a non-negative integer within `size`.
#[must_use]
pub fn tus_offset(header: Option<&str>, size: u64) -> Option<u64> {
    header?.trim().parse::<u64>().ok().filter(|&o| o <= size)
}

/// The next `PATCH` body of an upload of `size` bytes at `offset`: `[offset, end)`.
#[must_use]
pub fn tus_chunk(offset: u64, size: u64, chunk_size: u32) -> (u64, u64) {
    (offset, size.min(offset + u64::from(chunk_size)))
}

/// Where the upload stands, for the page and the host (`precheck:upload-progress`).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UploadView {
    pub phase: Phase,
    /// Per part: `fields` (tus only) and each photo slot.
    pub parts: Vec<PartView>,
    pub sent: f64,
    pub total: f64,
    /// Failures in a row so far.
    pub failures: u32,
    /// The last failure (while retrying or stopped).
    pub error: Option<UploadError>,
    /// While waiting: the delay before the retry, ms.
    pub retry_in_ms: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PartView {
    pub name: String,
    pub sent: f64,
    pub total: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Phase {
    Sending,
    /// Waiting to retry.
    Waiting,
    /// Offline: resumes when the browser is back online.
    Paused,
    /// Stopped after an error: a tap retries.
    Failed,
    Cancelled,
    Done,
}

impl UploadView {
    /// The share sent, 0–1.
    #[must_use]
    pub fn fraction(&self) -> f64 {
        if self.total > 0.0 {
            (self.sent / self.total).clamp(0.0, 1.0)
        } else {
            0.0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> UploadConfig {
        UploadConfig {
            url: "https://example.test/upload".into(),
            ..UploadConfig::default()
        }
    }

    fn status(status: u16, retry_after: Option<&str>) -> Attempt {
        Attempt::Status {
            status,
            retry_after: retry_after.map(str::to_owned),
        }
    }

    #[test]
    fn the_backoff_doubles_up_to_its_cap_with_jitter_in_the_upper_half() {
        let c = config();
        assert_eq!(c.backoff_ms(1, 0.0), 500.0);
        assert_eq!(c.backoff_ms(1, 1.0), 1000.0);
        assert_eq!(c.backoff_ms(2, 0.0), 1000.0);
        assert_eq!(c.backoff_ms(3, 0.5), 3000.0);
        assert_eq!(c.backoff_ms(10, 1.0), 30_000.0, "capped");
        assert_eq!(c.backoff_ms(1000, 0.0), 15_000.0, "no overflow");
    }

    #[test]
    fn network_errors_timeouts_5xx_and_429_are_retried_other_4xx_never() {
        let c = config();
        for a in [
            Attempt::Network,
            Attempt::Timeout,
            status(503, None),
            status(500, None),
            status(429, None),
        ] {
            assert!(
                matches!(after_failure(&c, &a, 1, 0.0, 0.0), Next::Retry { .. }),
                "{a:?}"
            );
        }
        for (code, error) in [
            (400, UploadError::Refused { status: 400 }),
            (401, UploadError::Refused { status: 401 }),
            (404, UploadError::Refused { status: 404 }),
            (413, UploadError::TooLarge { status: 413 }),
        ] {
            assert_eq!(
                after_failure(&c, &status(code, None), 1, 0.0, 0.0),
                Next::Stop(error)
            );
        }
        // The last allowed attempt stops with its error.
        assert_eq!(
            after_failure(&c, &Attempt::Network, c.max_attempts, 0.0, 0.0),
            Next::Stop(UploadError::Network)
        );
    }

    #[test]
    fn retry_after_is_honoured_in_seconds_and_as_a_date() {
        let c = config();
        let Next::Retry { after_ms, error } =
            after_failure(&c, &status(429, Some("3")), 1, 0.0, 0.0)
        else {
            panic!("429 is retried");
        };
        assert_eq!(after_ms, 3000.0);
        assert_eq!(error, UploadError::Refused { status: 429 });
        // 2015-10-21T07:28:00Z is 1445412480 s after the epoch.
        let now = 1_445_412_470_000.0;
        assert_eq!(
            retry_after_ms("Wed, 21 Oct 2015 07:28:00 GMT", now),
            Some(10_000.0)
        );
        assert_eq!(
            retry_after_ms("Wed, 21 Oct 2015 07:28:00 GMT", now + 60_000.0),
            Some(0.0)
        );
        assert_eq!(retry_after_ms("soon", now), None);
        // Unreadable: the backoff decides; absurd: capped at 2 minutes.
        let Next::Retry { after_ms, .. } =
            after_failure(&c, &status(503, Some("soon")), 2, 0.0, 0.0)
        else {
            panic!()
        };
        assert_eq!(after_ms, 1000.0);
        let Next::Retry { after_ms, .. } =
            after_failure(&c, &status(503, Some("86400")), 1, 0.0, 0.0)
        else {
            panic!()
        };
        assert_eq!(after_ms, 120_000.0);
    }

    #[test]
    fn errors_serialise_with_their_code() {
        for e in [
            UploadError::Offline,
            UploadError::Network,
            UploadError::Timeout,
            UploadError::Refused { status: 400 },
            UploadError::TooLarge { status: 413 },
            UploadError::Protocol { detail: "x".into() },
        ] {
            let json = serde_json::to_value(&e).unwrap();
            assert_eq!(json["code"], e.code(), "{e:?}");
        }
        assert_eq!(
            serde_json::to_string(&UploadError::Refused { status: 503 }).unwrap(),
            r#"{"code":"upload-refused","status":503}"#
        );
    }

    #[test]
    fn tus_headers_and_chunks() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64("身份证".as_bytes()), "6Lqr5Lu96K+B");
        assert_eq!(
            tus_metadata(&[("filename", "id-front.jpg"), ("slot", "id-front")]),
            "filename aWQtZnJvbnQuanBn,slot aWQtZnJvbnQ="
        );
        assert_eq!(tus_offset(Some("1024"), 2048), Some(1024));
        assert_eq!(tus_offset(Some(" 0 "), 10), Some(0));
        assert_eq!(tus_offset(Some("4096"), 2048), None, "beyond the upload");
        assert_eq!(tus_offset(Some("-1"), 2048), None);
        assert_eq!(tus_offset(None, 2048), None);
        assert_eq!(tus_chunk(0, 1_000_000, 524_288), (0, 524_288));
        assert_eq!(tus_chunk(524_288, 1_000_000, 524_288), (524_288, 1_000_000));
    }

    #[test]
    fn settings_are_validated() {
        assert_eq!(config().validate(), Ok(()));
        let bad = |f: fn(&mut UploadConfig)| {
            let mut c = config();
            f(&mut c);
            c.validate().unwrap_err()
        };
        assert!(bad(|c| c.url = " ".into()).starts_with("upload.url"));
        assert!(bad(|c| c.timeout_ms = 10).starts_with("upload.timeoutMs"));
        assert!(bad(|c| c.max_attempts = 0).starts_with("upload.maxAttempts"));
        assert!(bad(|c| c.chunk_size = 10).starts_with("upload.chunkSize"));
        assert!(bad(|c| {
            c.headers.insert("X-Token".into(), "a\r\nb".into());
        })
        .starts_with("upload.headers"));
        assert!(bad(|c| {
            c.headers.insert("Bad Name".into(), "x".into());
        })
        .starts_with("upload.headers"));
        let parsed: UploadConfig =
            serde_json::from_str(r#"{"url":"/u","protocol":"tus","chunkSize":65536}"#).unwrap();
        assert_eq!(parsed.protocol, Protocol::Tus);
        assert_eq!(parsed.chunk_size, 65536);
        assert!(
            serde_json::from_str::<UploadConfig>(r#"{"url":"/u","retries":3}"#)
                .unwrap_err()
                .to_string()
                .contains("unknown field `retries`")
        );
    }
}
