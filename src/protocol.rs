//! The typed protocol between the page and the photo worker, shared by both sides
//! (squoosh's `client / worker / shared` split) and compiled natively too, so its round trip
//! is tested by `cargo test`.
//!
//! The page posts a [`Request`]; for [`Request::Check`] the photo's `File` travels beside it
//! as a structured clone (`{message, blob}`, see `worker::wire`). The worker answers each
//! job with [`Outcome::Checked`] as soon as the verdicts are known, then
//! [`Outcome::Prepared`] with the upload-ready JPEG beside it, or with one
//! [`Outcome::Failed`]; a job cancelled with [`Request::Cancel`] ends with
//! [`Outcome::Cancelled`]. Everything is a typed value (serde through
//! `serde-wasm-bindgen`): no JSON strings, no English messages, no mirror types.

use crate::checks::photo::guidance::FrameFacts;
use crate::checks::photo::{Format, PerceptualHash, PhotoError, PhotoReport, Rules, Slot};
use serde::{Deserialize, Serialize};

/// Identifies one photo's job; a fresh id per chosen photo, so a late answer about a
/// replaced photo is recognised.
pub type JobId = u32;

/// The worker's first message: it is listening (sent as a plain string).
pub const READY: &str = "id-precheck-worker-ready";
/// The worker's answer to [`Request::Ping`] (a plain string): it is alive.
pub const PONG: &str = "id-precheck-worker-pong";

/// Limits of the upload-ready image.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UploadLimits {
    /// Longest side, px (default 2560).
    pub max_long_side: u32,
    /// Largest file, bytes (default 2 MB).
    pub max_bytes: u32,
}

impl Default for UploadLimits {
    fn default() -> Self {
        UploadLimits {
            max_long_side: 2560,
            max_bytes: 2_000_000,
        }
    }
}

/// A photo to check (its file travels beside the message).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Job {
    pub id: JobId,
    pub slot: Slot,
    /// The rules in force (the defaults, or the host's, already validated by the page).
    pub rules: Rules,
    pub upload: UploadLimits,
}

/// What the page asks of the worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Request {
    Check(Job),
    /// The shopper replaced or removed the photo: stop at the next step, answer
    /// [`Outcome::Cancelled`].
    Cancel(JobId),
    /// A camera preview frame to guide on (its `ImageBitmap` is transferred beside it):
    /// answered with one [`Outcome::Framed`].
    Frame(FrameJob),
    /// Are you alive? Answered with [`PONG`] between any two steps of any job (the page's
    /// watchdog: a worker that stopped without an `error` event answers nothing).
    Ping,
}

/// A preview frame: the same checks as a photo, on the frame, judged as a still of
/// `capture` size (the size the photo will be taken at).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FrameJob {
    pub id: JobId,
    pub slot: Slot,
    pub rules: Rules,
    pub capture: (u32, u32),
}

/// What a preview frame shows, and how long the worker took to see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Framed {
    pub facts: FrameFacts,
    /// Read-back and analysis, ms.
    pub analysis_ms: f64,
    /// Of which the frame's read-back (draw, `getImageData`, copy into wasm), ms.
    pub readback_ms: f64,
}

/// The worker's answer about one job.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Reply {
    pub id: JobId,
    pub outcome: Outcome,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Outcome {
    /// The photo was checked: a report, whatever it says.
    Checked(Box<Checked>),
    /// The upload-ready image is made (after `Checked`; the JPEG travels beside it).
    Prepared(Prepared),
    /// The photo could not be checked.
    Failed(WorkerError),
    /// The job was cancelled before it finished.
    Cancelled,
    /// A preview frame was analysed ([`Request::Frame`]).
    Framed(Box<Framed>),
}

impl Outcome {
    /// Whether no further message follows for this job.
    #[must_use]
    pub fn is_last(&self) -> bool {
        !matches!(self, Outcome::Checked(_))
    }
}

/// A checked photo: the verdicts and what identifies it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Checked {
    pub report: PhotoReport,
    /// For duplicate detection across slots.
    pub hash: PerceptualHash,
    /// Size of the chosen file, bytes.
    pub original_bytes: f64,
    pub format: Format,
    /// Milliseconds: decode (incl. reading the head), checks (read-back + analysis).
    pub decode_ms: f64,
    pub check_ms: f64,
}

/// The upload-ready image's facts (the JPEG itself travels beside the message).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Prepared {
    pub width: u32,
    pub height: u32,
    /// Milliseconds to resize and encode.
    pub encode_ms: f64,
}

/// Why a job could not be checked: the photo itself ([`PhotoError`]), or the checker.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")] // externally tagged: an internally tagged enum costs 16 KB of wasm
pub enum WorkerError {
    /// The photo cannot be checked (empty, corrupt, too large…).
    Photo { error: PhotoError },
    /// The worker could not start, crashed, or answered something unreadable.
    Crashed { detail: String },
    /// The host page's configuration forbids checking (its photo rules are invalid): the
    /// page never sends the job.
    Config { detail: String },
}

impl From<PhotoError> for WorkerError {
    fn from(error: PhotoError) -> Self {
        WorkerError::Photo { error }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::photo::{analyze, Metrics, RgbaView};

    /// A real report (a card on a table) survives the trip: serialised and read back it is
    /// the same value, so the page sees exactly what the worker measured.
    #[test]
    fn replies_round_trip() {
        let (w, h) = (800u32, 600u32);
        let mut rgba = Vec::with_capacity((w * h * 4) as usize);
        for y in 0..h {
            for x in 0..w {
                let card = (100..700).contains(&x) && (110..490).contains(&y);
                let v: u8 = if card { 200 } else { 40 };
                rgba.extend_from_slice(&[v, v, v.saturating_sub(20), 255]);
            }
        }
        let view = RgbaView::new(w, h, &rgba).unwrap_or_else(|| panic!("size"));
        let mut report = analyze(view, Some((4000, 3000)), Slot::IdFront, &Rules::default());
        assert!(report.document_quad.is_some(), "{report:?}");
        // Measurements stay in the worker: the page gets verdicts, boxes and the quad.
        let sent = serde_json::to_value(&report).unwrap_or_default();
        assert!(sent.get("metrics").is_none() && sent.get("checks").is_some());
        assert!(report.metrics.document.is_some());
        report.metrics = Metrics::default();
        let replies = [
            Reply {
                id: 7,
                outcome: Outcome::Checked(Box::new(Checked {
                    report,
                    hash: PerceptualHash(0x7fff_0000_1234_abcd),
                    original_bytes: 3_456_789.0,
                    format: Format::Jpeg,
                    decode_ms: 41.5,
                    check_ms: 88.25,
                })),
            },
            Reply {
                id: 7,
                outcome: Outcome::Prepared(Prepared {
                    width: 2560,
                    height: 1920,
                    encode_ms: 120.0,
                }),
            },
            Reply {
                id: 8,
                outcome: Outcome::Failed(
                    PhotoError::TooManyPixels {
                        width: 40_000,
                        height: 40_000,
                        max: 200_000_000,
                    }
                    .into(),
                ),
            },
            Reply {
                id: 9,
                outcome: Outcome::Cancelled,
            },
        ];
        for reply in &replies {
            let text = serde_json::to_string(reply).unwrap_or_default();
            let back: Reply = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
            assert_eq!(&back, reply);
        }
        let job = Request::Check(Job {
            id: 3,
            slot: Slot::PassportData,
            rules: Rules::from_json(r#"{"all": {"glare": {"largest": {"warn": 0.2}}}}"#)
                .unwrap_or_else(|e| panic!("{e}")),
            upload: UploadLimits::default(),
        });
        let text = serde_json::to_string(&job).unwrap_or_default();
        assert_eq!(serde_json::from_str::<Request>(&text).ok(), Some(job));
        let frame = Request::Frame(FrameJob {
            id: 11,
            slot: Slot::Face,
            rules: Rules::default(),
            capture: (1920, 1080),
        });
        let text = serde_json::to_string(&frame).unwrap_or_default();
        assert_eq!(serde_json::from_str::<Request>(&text).ok(), Some(frame));
        // The hash keeps all 63 bits (a JS number would not).
        assert!(text.len() > 100);
        let hash =
            serde_json::to_string(&PerceptualHash(0x7fff_ffff_ffff_ffff)).unwrap_or_default();
        assert_eq!(hash, "\"7fffffffffffffff\"");
    }
}
