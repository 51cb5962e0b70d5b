//! Live guidance for the camera preview: one short instruction per frame, taken from the
//! very checks a photo gets ([`super::analyze`] on the frame, with the still's size as the
//! original), then steadied over time by [`Guide`], which also decides auto-capture.
//!
//! - [`hint_for`] turns a frame's report into one [`GuideCode`]: the first failing check in
//!   [`PRIORITY`] order, then the first warning among the ones the shopper fixes by moving
//!   (framing, exposure, glare, blur, face). `resolution` is left out (the still, not the
//!   preview, has the photo's size), and so are `contrast` and `color` (nothing to do about
//!   them in front of the camera; the still's check still reports them).
//! - [`Guide`] adds motion (the document's or face's corners moving more than
//!   [`MOTION_PERCENT`] of its diagonal between two frames → "hold still"), shows the most
//!   frequent hint of the last [`WINDOW_MS`], keeps a message at least [`MIN_SHOW_MS`] on
//!   screen, and asks for the capture once every frame of the last [`HOLD_MS`] (at least
//!   [`MIN_GOOD_FRAMES`]) was good and steady. A warning the shopper cannot fix (a card whose
//!   white paper reads as glare) must not keep the camera waiting for ever: frames that fail
//!   nothing and are steady capture too once they have held [`HOLD_MS`] + [`PATIENCE_MS`]
//!   (the still then reports the warning, as a chosen photo would).

use super::checks::CheckId;
use super::framing::PointPx;
use super::report::{PhotoCode, PhotoReport};
use super::slot::Slot;
use crate::checks::report::stable_codes;
use crate::checks::Status;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

stable_codes! {
    /// Stable codes of the live guidance messages (public API, like [`PhotoCode`]).
    GuideCode {
    NoDocument => "guide.no-document",
    CutOff => "guide.cut-off",
    TooClose => "guide.too-close",
    TooFar => "guide.too-far",
    TooDark => "guide.too-dark",
    TooBright => "guide.too-bright",
    Glare => "guide.glare",
    HoldStill => "guide.hold-still",
    Blurry => "guide.blurry",
    NoFace => "guide.no-face",
    SeveralFaces => "guide.several-faces",
    CentreFace => "guide.centre-face",
    Good => "guide.good",
    }
}

/// The order in which problems are named: the first one found is the one to fix first
/// (nothing else can be judged without the whole document; light before sharpness).
pub const PRIORITY: [CheckId; 5] = [
    CheckId::Framing,
    CheckId::Face,
    CheckId::Brightness,
    CheckId::Glare,
    CheckId::Blur,
];

/// The document's quad area above this share of the frame (%) makes a cut-off document
/// "too close" rather than "off the frame".
pub const CLOSE_FILL_PERCENT: f64 = 60.0;

/// A face whose centre lies further than this from the frame's vertical centre line (% of
/// the frame's width), or outside [`FACE_CENTRE_Y`] (% of its height from the top: a
/// portrait has the face in the upper middle), is "not centred".
pub const FACE_CENTRE_PERCENT: f64 = 20.0;
pub const FACE_CENTRE_Y: std::ops::RangeInclusive<f64> = 20.0..=65.0;

/// What a frame shows, as the worker measured it: the hint from its checks, and the
/// document quad and largest face box in frame fractions (0–1, for the overlay and motion).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FrameFacts {
    pub hint: GuideCode,
    /// Corners of the found document, fractions of the frame's width and height.
    pub quad: Option<[PointPx; 4]>,
    /// The largest face, `[x, y, width, height]` in fractions of the frame.
    pub face: Option<[f64; 4]>,
    /// Whether every check of the frame passes (not only the ones guidance names).
    pub passes: bool,
    /// The frame's sharpness score (higher is sharper; [`CheckId::Blur`]'s value).
    pub sharpness: f64,
}

/// The hint a frame's report gives (see the module docs).
#[must_use]
pub fn hint_for(report: &PhotoReport) -> GuideCode {
    for status in [Status::Fail, Status::Warn] {
        for id in PRIORITY {
            if let Some(c) = report.check(id).filter(|c| c.status == status) {
                if let Some(hint) = hint_of(c.code, report) {
                    return hint;
                }
            }
        }
    }
    if report.slot == Slot::Face {
        if let Some([x, y, w, h]) = largest_face(report) {
            let off_x = (x + w / 2.0 - 0.5).abs() * 100.0;
            let cy = (y + h / 2.0) * 100.0;
            if off_x > FACE_CENTRE_PERCENT || !FACE_CENTRE_Y.contains(&cy) {
                return GuideCode::CentreFace;
            }
        }
    }
    GuideCode::Good
}

/// The guidance for one result code (`None`: nothing the shopper fixes by moving).
fn hint_of(code: PhotoCode, report: &PhotoReport) -> Option<GuideCode> {
    Some(match code {
        PhotoCode::NoDocument => GuideCode::NoDocument,
        PhotoCode::DocumentCutOff | PhotoCode::DocumentNearEdge => {
            if report.metrics.framing.fill_percent >= CLOSE_FILL_PERCENT {
                GuideCode::TooClose
            } else {
                GuideCode::CutOff
            }
        }
        PhotoCode::DocumentSmall | PhotoCode::DocumentTooSmall | PhotoCode::FaceSmall => {
            GuideCode::TooFar
        }
        PhotoCode::NoFace => GuideCode::NoFace,
        PhotoCode::SeveralFaces => GuideCode::SeveralFaces,
        PhotoCode::Dim | PhotoCode::TooDark => GuideCode::TooDark,
        PhotoCode::Bright | PhotoCode::TooBright => GuideCode::TooBright,
        // A face photo's small highlight (glasses, a helmet) is no reason to wait.
        PhotoCode::SomeGlare if !report.slot.is_document() => return None,
        PhotoCode::SomeGlare | PhotoCode::Glare => GuideCode::Glare,
        PhotoCode::SlightlyBlurry
        | PhotoCode::Blurry
        | PhotoCode::NoDetail
        | PhotoCode::MotionBlur
        | PhotoCode::SlightMotionBlur => GuideCode::Blurry,
        _ => return None,
    })
}

/// The largest face box of `report`, in fractions of the photo.
fn largest_face(report: &PhotoReport) -> Option<[f64; 4]> {
    let (w, h) = (
        f64::from(report.width.max(1)),
        f64::from(report.height.max(1)),
    );
    report
        .face_boxes
        .iter()
        .max_by(|a, b| (a.width * a.height).total_cmp(&(b.width * b.height)))
        .map(|b| [b.x / w, b.y / h, b.width / w, b.height / h])
}

/// The facts of a frame from its report.
#[must_use]
pub fn facts(report: &PhotoReport) -> FrameFacts {
    let (w, h) = (
        f64::from(report.width.max(1)),
        f64::from(report.height.max(1)),
    );
    FrameFacts {
        hint: hint_for(report),
        quad: report.document_quad.map(|q| {
            q.map(|p| PointPx {
                x: p.x / w,
                y: p.y / h,
            })
        }),
        face: largest_face(report),
        passes: report.status() != Status::Fail,
        sharpness: report.check(CheckId::Blur).map_or(0.0, |c| c.value),
    }
}

/// Corners moving more than this share of the quad's diagonal (%) between two analysed
/// frames mean the phone or the document is moving.
pub const MOTION_PERCENT: f64 = 3.0;
/// The same for a face box: the detector's boxes jump by its window step (4 px of a
/// 256 px scan, 16 px of a 960 px frame) on a face that does not move.
pub const FACE_MOTION_PERCENT: f64 = 12.0;
/// Window of frames the shown hint is the most frequent of, ms.
pub const WINDOW_MS: f64 = 1000.0;
/// Shortest time a message stays on screen before another replaces it, ms.
pub const MIN_SHOW_MS: f64 = 1000.0;
/// How long every frame must be good before the photo is taken, ms.
pub const HOLD_MS: f64 = 1000.0;
/// Extra time frames that only warn must hold before they are taken, ms.
pub const PATIENCE_MS: f64 = 2000.0;
/// Fewest good frames in a row before the photo is taken (slow devices analyse few).
pub const MIN_GOOD_FRAMES: usize = 3;
/// A device whose first [`SLOW_FRAMES`] frames each take longer than this to analyse gets
/// tap-to-capture instead of live guidance, ms (Acuant's rule).
pub const SLOW_FRAME_MS: f64 = 400.0;
pub const SLOW_FRAMES: usize = 3;

/// What the preview shows after a frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shown {
    /// The message on screen.
    pub hint: GuideCode,
    /// It changed with this frame (announce it).
    pub changed: bool,
    /// Take the photo now.
    pub capture: bool,
    /// The frame fails nothing and is steady: it may be the still ([`SharpestStill`]).
    pub still_candidate: bool,
}

/// Steadies per-frame hints into messages and decides when to capture (see module docs).
#[derive(Clone, Debug, Default)]
pub struct Guide {
    /// `(time, hint)` of the frames in the window, oldest first.
    recent: VecDeque<(f64, GuideCode)>,
    shown: Option<(GuideCode, f64)>,
    /// Start time and count of the current run of good frames.
    good_run: Option<(f64, usize)>,
    /// The same for frames that fail nothing (good, or only warning) and are steady.
    passing_run: Option<(f64, usize)>,
    last_shape: Option<[PointPx; 4]>,
    /// Analysis times of the first frames, ms.
    costs: Vec<f64>,
    captured: bool,
}

impl Guide {
    #[must_use]
    pub fn new() -> Guide {
        Guide::default()
    }

    /// Records a frame analysed at `t` ms (any monotonic clock) and returns what to show.
    pub fn push(&mut self, t: f64, facts: &FrameFacts) -> Shown {
        let (shape, limit) = match (facts.quad, facts.face) {
            (Some(q), _) => (Some(q), MOTION_PERCENT),
            (None, f) => (f.map(box_corners), FACE_MOTION_PERCENT),
        };
        // Steadiness is unknown on the first frame that shows the document or face.
        let moving = match (shape, self.last_shape) {
            (Some(a), Some(b)) => displacement_percent(&a, &b) > limit,
            (Some(_), None) => true,
            (None, _) => false,
        };
        self.last_shape = shape;
        let mut hint = facts.hint;
        // Moving: whatever only warns (or blurs) is the motion's doing.
        if moving && (facts.passes || hint == GuideCode::Blurry) {
            hint = GuideCode::HoldStill;
        }
        let good = hint == GuideCode::Good && facts.passes;
        if !good && hint == GuideCode::Good {
            // A check guidance does not name fails (e.g. contrast): not a capture, and no
            // "good" message either; the still's check will say what it is.
            hint = GuideCode::HoldStill;
        }
        let passing = facts.passes && !moving;
        let extend = |run: Option<(f64, usize)>, keep: bool| {
            keep.then(|| run.map_or((t, 1), |(start, n)| (start, n + 1)))
        };
        self.good_run = extend(self.good_run, good);
        self.passing_run = extend(self.passing_run, passing);

        self.recent.push_back((t, hint));
        while self
            .recent
            .front()
            .is_some_and(|(t0, _)| t - t0 > WINDOW_MS)
        {
            self.recent.pop_front();
        }
        // "Good" is announced only once the frames have been good for a while (no flash of
        // "good" as a card slides past), then kept while it is the window's majority; until
        // then the window's most frequent other hint.
        let settled = self.good_run.is_some_and(|(_, n)| n >= MIN_GOOD_FRAMES)
            || self.shown.is_some_and(|(h, _)| h == GuideCode::Good);
        let candidate = self
            .most_frequent(|h| h != GuideCode::Good || settled)
            .unwrap_or(if settled {
                GuideCode::Good
            } else {
                GuideCode::HoldStill
            });
        // "Good" is never kept longer than it is true: leaving it is immediate.
        let changed = match self.shown {
            None => true,
            Some((current, since)) => {
                candidate != current && (t - since >= MIN_SHOW_MS || current == GuideCode::Good)
            }
        };
        if changed {
            self.shown = Some((candidate, t));
        }
        let held = |run: Option<(f64, usize)>, ms: f64| {
            run.is_some_and(|(start, n)| n >= MIN_GOOD_FRAMES && t - start >= ms)
        };
        let capture = !self.captured
            && (held(self.good_run, HOLD_MS) || held(self.passing_run, HOLD_MS + PATIENCE_MS));
        self.captured |= capture;
        Shown {
            hint: self.shown.map_or(candidate, |(h, _)| h),
            changed,
            capture,
            still_candidate: passing,
        }
    }

    /// The most frequent hint in the window among those `allowed`; on a tie the most recent.
    fn most_frequent(&self, allowed: impl Fn(GuideCode) -> bool) -> Option<GuideCode> {
        let mut best: Option<(usize, usize, GuideCode)> = None;
        for (i, &(_, h)) in self.recent.iter().enumerate() {
            if !allowed(h) {
                continue;
            }
            let n = self.recent.iter().filter(|(_, x)| *x == h).count();
            if best.is_none_or(|(bn, bi, _)| n > bn || (n == bn && i > bi)) {
                best = Some((n, i, h));
            }
        }
        best.map(|(_, _, h)| h)
    }

    /// Records how long a frame's analysis took; `true` once the device is known to be
    /// too slow for live guidance (its first [`SLOW_FRAMES`] frames each over
    /// [`SLOW_FRAME_MS`]).
    pub fn record_cost(&mut self, ms: f64) -> bool {
        if self.costs.len() < SLOW_FRAMES {
            self.costs.push(ms);
        }
        self.is_slow()
    }

    /// See [`Guide::record_cost`].
    #[must_use]
    pub fn is_slow(&self) -> bool {
        self.costs.len() == SLOW_FRAMES && self.costs.iter().all(|&ms| ms > SLOW_FRAME_MS)
    }

    /// Starts over (a retake): the next good hold captures again.
    pub fn reset(&mut self) {
        let costs = std::mem::take(&mut self.costs);
        *self = Guide {
            costs,
            ..Guide::default()
        };
    }
}

/// How long a kept frame may stand for the still, ms: the hold before an auto-capture, so
/// the still shows the card where the steady frames that triggered it did.
pub const STILL_WINDOW_MS: f64 = HOLD_MS;

/// The still where the browser cannot take a photo (`ImageCapture` is missing: Safari,
/// Firefox): the sharpest recent frame rather than whichever frame is current at the
/// shutter (a phone is most likely to shake at the tap). The caller keeps a full-resolution
/// copy of each analysed frame until its answer is back, then offers it here with the
/// worker's verdicts: a frame that fails nothing and is steady ([`Shown::still_candidate`])
/// replaces the kept one when it is sharper (`blur`'s value, [`FrameFacts::sharpness`]) or
/// the kept one is older than [`STILL_WINDOW_MS`]. One frame is kept at a time (a
/// 1920×1440 copy is 11 MB), so after the window the next candidate replaces it even if it
/// is less sharp: a stale frame may show the card where it no longer is.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct SharpestStill {
    /// `(time, sharpness)` of the kept frame.
    kept: Option<(f64, f64)>,
}

impl SharpestStill {
    /// Offers the frame analysed at `t` ms; `true` when it replaces the kept one (keep its
    /// copy and release the previous one), `false` when its copy can be released.
    pub fn offer(&mut self, t: f64, shown: &Shown, facts: &FrameFacts) -> bool {
        if !shown.still_candidate {
            return false;
        }
        let replace = self
            .kept
            .is_none_or(|(t0, sharpness)| t - t0 > STILL_WINDOW_MS || facts.sharpness > sharpness);
        if replace {
            self.kept = Some((t, facts.sharpness));
        }
        replace
    }

    /// The kept frame's sharpness, if it may be the still at `t` ms.
    #[must_use]
    pub fn usable(&self, t: f64) -> Option<f64> {
        self.kept
            .filter(|&(t0, _)| t - t0 <= STILL_WINDOW_MS)
            .map(|(_, sharpness)| sharpness)
    }

    /// Forgets the kept frame (its copy was released).
    pub fn clear(&mut self) {
        self.kept = None;
    }
}

fn box_corners([x, y, w, h]: [f64; 4]) -> [PointPx; 4] {
    [
        PointPx { x, y },
        PointPx { x: x + w, y },
        PointPx { x: x + w, y: y + h },
        PointPx { x, y: y + h },
    ]
}

/// Largest corner movement between `a` and `b`, % of `a`'s longer diagonal.
#[must_use]
pub fn displacement_percent(a: &[PointPx; 4], b: &[PointPx; 4]) -> f64 {
    let dist = |p: &PointPx, q: &PointPx| (p.x - q.x).hypot(p.y - q.y);
    let diagonal = dist(&a[0], &a[2])
        .max(dist(&a[1], &a[3]))
        .max(f64::MIN_POSITIVE);
    let moved = a.iter().zip(b).map(|(p, q)| dist(p, q)).fold(0.0, f64::max);
    moved / diagonal * 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(hint: GuideCode, quad_x: f64) -> FrameFacts {
        let q = |x: f64, y: f64| PointPx { x, y };
        FrameFacts {
            hint,
            quad: Some([
                q(quad_x, 0.3),
                q(quad_x + 0.6, 0.3),
                q(quad_x + 0.6, 0.7),
                q(quad_x, 0.7),
            ]),
            face: None,
            passes: hint == GuideCode::Good,
            sharpness: 1.0,
        }
    }

    /// Runs `frames` at 100 ms intervals; returns the shown hints and the capture times.
    fn run(guide: &mut Guide, frames: &[FrameFacts]) -> (Vec<GuideCode>, Vec<f64>) {
        let mut shown = Vec::new();
        let mut captures = Vec::new();
        for (i, f) in frames.iter().enumerate() {
            let t = i as f64 * 100.0;
            let s = guide.push(t, f);
            if shown.last() != Some(&s.hint) {
                shown.push(s.hint);
            }
            if s.capture {
                captures.push(t);
            }
        }
        (shown, captures)
    }

    #[test]
    fn a_steady_good_second_captures_once_and_a_flicker_never_shows() {
        let mut frames = vec![frame(GuideCode::NoDocument, 0.2); 15];
        // One blurry frame among no-document ones: not on screen.
        frames[7] = frame(GuideCode::Blurry, 0.2);
        frames.extend(vec![frame(GuideCode::Good, 0.2); 25]);
        let mut guide = Guide::new();
        let (shown, captures) = run(&mut guide, &frames);
        assert_eq!(shown, [GuideCode::NoDocument, GuideCode::Good]);
        // Good from frame 15 (1.5 s): 11 frames span 1.0 s → the capture at 2.5 s, once.
        assert_eq!(captures, [2500.0]);
        // The quad first seen: steadiness unknown, that frame is not good yet.
        let (_, captures) = run(&mut Guide::new(), &vec![frame(GuideCode::Good, 0.2); 15]);
        assert_eq!(captures, [1100.0]);
    }

    #[test]
    fn one_bad_frame_restarts_the_hold_and_motion_says_hold_still() {
        let mut frames = vec![frame(GuideCode::Good, 0.2); 8];
        frames.push(frame(GuideCode::Glare, 0.2));
        frames.extend(vec![frame(GuideCode::Good, 0.2); 11]);
        let (_, captures) = run(&mut Guide::new(), &frames);
        assert_eq!(captures, [1900.0], "restarts at 0.9 s");
        assert_eq!(run(&mut Guide::new(), &frames[..8]).1, [] as [f64; 0]);

        // The card slides 5 % of the frame per frame: never captured, "hold still".
        let sliding: Vec<_> = (0..30)
            .map(|i| frame(GuideCode::Good, f64::from(i) * 0.03))
            .collect();
        let mut guide = Guide::new();
        let (shown, captures) = run(&mut guide, &sliding);
        assert!(captures.is_empty());
        assert_eq!(shown, [GuideCode::HoldStill]);
        assert!(
            displacement_percent(
                &sliding[1].quad.unwrap_or_else(|| panic!()),
                &sliding[0].quad.unwrap_or_else(|| panic!())
            ) > MOTION_PERCENT
        );
    }

    #[test]
    fn a_message_stays_at_least_min_show_ms() {
        // Dark for 0.3 s, then good: the dark message is not replaced before 1 s.
        let mut frames = vec![frame(GuideCode::TooDark, 0.2); 3];
        frames.extend(vec![frame(GuideCode::Good, 0.2); 20]);
        let mut guide = Guide::new();
        let mut first_good = None;
        for (i, f) in frames.iter().enumerate() {
            let t = i as f64 * 100.0;
            if guide.push(t, f).hint == GuideCode::Good && first_good.is_none() {
                first_good = Some(t);
            }
        }
        assert_eq!(first_good, Some(1000.0));
    }

    #[test]
    fn a_card_sliding_past_never_flashes_good() {
        // Two good frames between moving ones: never announced.
        let mut frames = vec![frame(GuideCode::HoldStill, 0.2); 12];
        frames.extend([frame(GuideCode::Good, 0.2), frame(GuideCode::Good, 0.2)]);
        frames.extend(vec![frame(GuideCode::Blurry, 0.2); 12]);
        let (shown, captures) = run(&mut Guide::new(), &frames);
        assert_eq!(shown, [GuideCode::HoldStill, GuideCode::Blurry]);
        assert!(captures.is_empty());
    }

    #[test]
    fn good_is_withdrawn_at_once() {
        let mut frames = vec![frame(GuideCode::Good, 0.2); 12];
        frames.extend(vec![frame(GuideCode::Blurry, 0.2); 10]);
        let mut guide = Guide::new();
        let shown: Vec<_> = frames
            .iter()
            .enumerate()
            .map(|(i, f)| guide.push(i as f64 * 100.0, f).hint)
            .collect();
        // Hold still (the first frame) until 1 s, then good; blurry as soon as blurry
        // frames are the majority of the 1 s window (6 of 11 at frame 17), not a second later.
        assert_eq!(shown[11], GuideCode::Good);
        assert_eq!(shown.iter().position(|h| *h == GuideCode::Blurry), Some(17));
    }

    #[test]
    fn a_warning_that_stays_is_taken_after_the_patience() {
        // Steady, failing nothing, but "glare" (warning level) all along: taken once the
        // run has held HOLD_MS + PATIENCE_MS (frames 1..: from 100 ms → 3100 ms).
        let mut f = frame(GuideCode::Glare, 0.2);
        f.passes = true;
        let (shown, captures) = run(&mut Guide::new(), &vec![f.clone(); 40]);
        assert_eq!(shown, [GuideCode::HoldStill, GuideCode::Glare]);
        assert_eq!(captures, [3100.0]);
        // The same hint at fail level (passes false) never is.
        f.passes = false;
        assert!(run(&mut Guide::new(), &vec![f; 40]).1.is_empty());
    }

    #[test]
    fn a_frame_failing_a_check_guidance_does_not_name_is_not_captured() {
        let mut f = frame(GuideCode::Good, 0.2);
        f.passes = false;
        let (shown, captures) = run(&mut Guide::new(), &vec![f; 30]);
        assert!(captures.is_empty());
        assert_eq!(shown, [GuideCode::HoldStill]);
    }

    #[test]
    fn slow_devices_are_recognised_from_their_first_three_frames() {
        let mut g = Guide::new();
        assert!(!g.record_cost(450.0));
        assert!(!g.record_cost(401.0));
        assert!(g.record_cost(900.0));
        let mut fast = Guide::new();
        for ms in [450.0, 399.0, 900.0, 900.0] {
            assert!(!fast.record_cost(ms));
        }
    }

    #[test]
    fn the_still_is_the_sharpest_steady_passing_frame_of_the_last_window() {
        // Frames every 100 ms: a moving card, then steady good frames of varying sharpness.
        let sharpness = [
            1.9, 1.2, 1.3, 1.6, 1.1, 1.5, 1.4, 1.2, 1.3, 1.2, 1.1, 1.0, 1.05,
        ];
        let mut guide = Guide::new();
        let mut still = SharpestStill::default();
        let mut kept = Vec::new();
        for (i, &s) in sharpness.iter().enumerate() {
            // Frame 0 is the first sight of the card (steadiness unknown), sharp as it is.
            let mut f = frame(GuideCode::Good, 0.2);
            f.sharpness = s;
            let t = i as f64 * 100.0;
            let shown = guide.push(t, &f);
            if still.offer(t, &shown, &f) {
                kept.push(i);
            }
        }
        // Not frame 0 (not steady yet), then each sharper one; no later frame beats
        // frame 3 (1.6, at 300 ms), which stands for the still until 1300 ms.
        assert_eq!(kept, [1, 2, 3]);
        assert_eq!(still.usable(1200.0), Some(1.6));
        // Past the window it may no longer stand for the still, and the next candidate
        // replaces it whatever its sharpness.
        assert_eq!(still.usable(1301.0), None);
        let mut f = frame(GuideCode::Good, 0.2);
        f.sharpness = 0.9;
        let shown = guide.push(1400.0, &f);
        assert!(still.offer(1400.0, &shown, &f));
        assert_eq!(still.usable(1400.0), Some(0.9));
        // A failing frame is never kept, however sharp.
        let mut bad = frame(GuideCode::TooDark, 0.2);
        bad.sharpness = 3.0;
        let shown = guide.push(1500.0, &bad);
        assert!(!shown.still_candidate);
        assert!(!still.offer(1500.0, &shown, &bad));
        still.clear();
        assert_eq!(still.usable(1500.0), None);
    }

    #[test]
    fn every_code_round_trips() {
        for &c in GuideCode::ALL {
            let text = serde_json::to_string(&c).unwrap_or_default();
            assert_eq!(serde_json::from_str::<GuideCode>(&text).ok(), Some(c));
        }
    }
}
