//! `face`: exactly one face in the `face` slot, a face at all (the shopper's, not the
//! portrait printed on the held document) in `selfie-with-document`.
//!
//! Faces come from the detector in [`photo::face`](crate::checks::photo::face) (its model
//! is linked only by the worker); this module holds the verdict on what it found.

use super::{below, CheckId};
use crate::checks::photo::face::FaceBox;
use crate::checks::photo::framing::{contains, PointPx};
use crate::checks::photo::report::{CheckResult, PhotoCode};
use crate::checks::photo::rules::{limits, Limit};
use crate::checks::photo::slot::Slot;
use crate::checks::Status;

/// Codes of this check.
pub const CODES: [PhotoCode; 4] = [
    PhotoCode::FaceOk,
    PhotoCode::NoFace,
    PhotoCode::SeveralFaces,
    PhotoCode::FaceSmall,
];

limits! {
    /// Thresholds of `face`.
    pub struct Rules {
        /// Height of the largest face box, % of the image height; bad below (`face` slot).
        pub height,
    }
}

impl Rules {
    /// A selfie's face may be small (the arm's length, the document beside it).
    #[must_use]
    pub fn default_for(slot: Slot) -> Rules {
        let warn = (slot == Slot::Face).then_some(15.0);
        Rules {
            height: Limit { warn, fail: None },
        }
    }
}

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

/// The `face` check for `slot` from faces found on an image `image_height` px high (faces in
/// the same pixels). `None` when the slot needs no face.
///
/// - no face → fail `no-face` (value 0);
/// - `face` slot, two or more faces at least [`SECOND_FACE_MIN_RATIO`] of the largest's
///   height → fail `several-faces` (value: their number);
/// - else the largest face's height in % of `image_height` against `height`
///   (`face` slot: warn `face-small` below 15 %).
#[must_use]
pub fn check(faces: &[FaceBox], image_height: f64, slot: Slot, r: &Rules) -> Option<CheckResult> {
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
    Some(below(
        CheckId::Face,
        percent,
        r.height,
        [
            PhotoCode::FaceOk,
            PhotoCode::FaceSmall,
            PhotoCode::FaceSmall,
        ],
    ))
}

/// Whether face `b` is plausibly the portrait printed on the document `quad`, so not the
/// shopper's face. `b` is in working-image pixels, `quad` (TL, TR, BR, BL) in original-photo
/// pixels, `sx`, `sy` original pixels per working pixel (as from [`to_original`](crate::checks::photo::to_original)).
///
/// Both must hold, in original-photo pixels:
/// - the box's centre `((x + width / 2) × sx, (y + height / 2) × sy)` lies inside `quad`
///   (edges count as inside);
/// - its height `height × sy` is between `PORTRAIT_HEIGHT_RANGE.0 × D` and
///   `PORTRAIT_HEIGHT_RANGE.1 × D` ([`PORTRAIT_HEIGHT_RANGE`]), `D` =
///   [`document_height`]`(quad)`. A larger face is the shopper's, framed by a quad around them.
pub fn printed_portrait(b: &FaceBox, quad: &[PointPx; 4], sx: f64, sy: f64) -> bool {
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
pub fn document_height(q: &[PointPx; 4]) -> f64 {
    let side = |k: usize| {
        let (a, b) = (q[k], q[(k + 1) % 4]);
        (b.x - a.x).hypot(b.y - a.y)
    };
    ((side(0) + side(2)) / 2.0).min((side(1) + side(3)) / 2.0)
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
        let code = |faces: &[FaceBox], slot: Slot| {
            check(faces, 1000.0, slot, &Rules::default_for(slot)).map(|c| (c.status, c.code))
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
        assert_eq!(Rules::default_for(Slot::Face).height.warn, Some(15.0));
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
}
