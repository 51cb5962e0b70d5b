//! `framing` (document slots): the whole document in the picture, and large enough to read.
//!
//! The outline comes from [`photo::framing`](crate::checks::photo::framing) (edges, lines,
//! quads on the working image); the document's resolution, pixels of the original photo per
//! mm of document, from [`document::px_per_mm`](crate::checks::photo::document::px_per_mm).

use super::{below, worse, CheckId};
use crate::checks::photo::framing::{Framing, PointPx};
use crate::checks::photo::report::{CheckResult, PhotoCode};
use crate::checks::photo::rules::{limit, limits, Limit};
use crate::checks::photo::slot::Slot;
use crate::checks::photo::work::WorkImage;
use crate::checks::Status;

/// Codes of this check.
pub const CODES: [PhotoCode; 6] = [
    PhotoCode::FramingOk,
    PhotoCode::NoDocument,
    PhotoCode::DocumentCutOff,
    PhotoCode::DocumentNearEdge,
    PhotoCode::DocumentSmall,
    PhotoCode::DocumentTooSmall,
];

limits! {
    /// Thresholds of `framing`.
    pub struct Rules {
        /// The document's resolution, pixels of the original photo per millimetre of document
        /// (`√(quad area / document area)`, ID-1 85.60 × 53.98 mm, TD3 125 × 88 mm); bad below.
        pub document_ppm,
        /// Area of the document's quad, % of the frame; bad below. Only a presence floor: a quad
        /// this small is not taken for the document of a document photo.
        pub fill,
        /// Smallest distance of a document corner to the frame edge, % of the frame's short side
        /// (negative = outside the frame); bad below.
        pub margin,
    }
}

impl Rules {
    #[must_use]
    pub fn default_for(slot: Slot) -> Rules {
        // What a reviewer reads is the document's print, so its resolution is judged in
        // px per mm of document: every acceptable real frame has ≥ 6.3 px/mm, text stays
        // legible down to about 4 (docs/calibration.md, real photos). In a selfie the card is
        // held beside the face, so it only has to be there and whole.
        // The smallest acceptable real frame has its document on 9.5 % of the frame; a
        // rectangle on 2.7 % of a brick wall is not a document. Below 4 % the reviewer, who
        // gets the upload copy (≤ 2560 px), would have < 6.6 px/mm even from 12 MP.
        let fail_only = |fail| Limit {
            warn: None,
            fail: Some(fail),
        };
        let (document_ppm, fill) = match slot {
            Slot::SelfieWithDocument => (fail_only(2.0), fail_only(2.0)),
            _ => (limit(6.0, 4.0), fail_only(4.0)),
        };
        Rules {
            document_ppm,
            fill,
            // A corner within 1 % of the edge is whole but tight (real frames: cards touch
            // the edge with their rounded corner inside the frame); beyond −0.5 % the
            // document is cut off.
            margin: limit(1.0, -0.5),
        }
    }

    /// Whether `f` shows a document cut off by the frame (`work`: the image `f` was found on).
    #[must_use]
    pub fn cut_off(&self, f: &Framing, work: &WorkImage) -> bool {
        self.margin.fail.is_some_and(|t| f.margin_percent < t)
            || f.quad.is_some_and(|q| runs_out_of_frame(&q, work))
    }
}

/// No outline → `no-document` (value 0); a side on the frame's edge (the document runs out
/// of the picture) or a corner outside the frame or close to its edge (`margin`, % of the
/// short side) → `document-cut-off` / `document-near-edge` (value: that distance); a quad
/// too small a part of the frame to be the document (`fill`, %) or with too few pixels per
/// mm (`document_ppm`, value `ppm`) → `document-too-small` / `document-small`. The worst
/// verdict is reported, the edge first on a tie. `cut`: [`runs_out_of_frame`].
#[must_use]
pub fn check(f: &Framing, ppm: f64, cut: bool, r: &Rules) -> CheckResult {
    if f.quad.is_none() {
        return CheckResult {
            id: CheckId::Framing,
            status: Status::Fail,
            value: 0.0,
            threshold: None,
            code: PhotoCode::NoDocument,
        };
    }
    let mut margin = below(
        CheckId::Framing,
        f.margin_percent,
        r.margin,
        [
            PhotoCode::FramingOk,
            PhotoCode::DocumentNearEdge,
            PhotoCode::DocumentCutOff,
        ],
    );
    if cut {
        margin.status = Status::Fail;
        margin.code = PhotoCode::DocumentCutOff;
        margin.threshold = r.margin.fail;
    }
    let small = [
        PhotoCode::FramingOk,
        PhotoCode::DocumentSmall,
        PhotoCode::DocumentTooSmall,
    ];
    let fill = below(CheckId::Framing, f.fill_percent, r.fill, small);
    let size = below(CheckId::Framing, ppm, r.document_ppm, small);
    let size = worse(size, fill);
    if size.status > margin.status || margin.status == Status::Pass {
        size
    } else {
        margin
    }
}

/// Whether a side of `quad` (working pixels) runs along the frame's edge: both its ends
/// within 2.5 px of the same edge (framing puts the frame's edge lines 0.5–1.5 px in).
/// Framing takes the frame's edge as the side of a document that runs out of the picture; a
/// whole document has four sides of its own, however close its corners come to the edge.
#[must_use]
pub fn runs_out_of_frame(quad: &[PointPx; 4], work: &WorkImage) -> bool {
    let (w, h) = (f64::from(work.width), f64::from(work.height));
    let near = |a: f64, b: f64| a <= 2.5 && b <= 2.5;
    (0..4).any(|k| {
        let (p, q) = (quad[k], quad[(k + 1) % 4]);
        near(p.x, q.x) || near(p.y, q.y) || near(w - p.x, w - q.x) || near(h - p.y, h - q.y)
    })
}
