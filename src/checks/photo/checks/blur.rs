//! `blur`: defocus and motion blur.
//!
//! On a found document page the document image (5 px per mm) decides: the share of its
//! strong edges that are crisp ([`sharpness::edge_width`]) for defocus and shake, and the
//! tile anisotropy of the document's region of the working image for motion. Elsewhere (no
//! document found, `face`, selfies) the working image's tile sharpness
//! ([`sharpness::measure_within`]) decides. The measurements are in [`sharpness`].

pub mod sharpness;

use super::{below, worse, CheckId};
use crate::checks::photo::report::{CheckResult, PhotoCode};
use crate::checks::photo::rules::{limit, limits, Limit};
use crate::checks::photo::slot::Slot;
use crate::checks::Status;
pub use sharpness::{EdgeWidth, Sharpness};

/// Codes of this check.
pub const CODES: [PhotoCode; 6] = [
    PhotoCode::Sharp,
    PhotoCode::SlightlyBlurry,
    PhotoCode::Blurry,
    PhotoCode::SlightMotionBlur,
    PhotoCode::MotionBlur,
    PhotoCode::NoDetail,
];

limits! {
    /// Thresholds of `blur`.
    pub struct Rules {
        /// Edge sharpness `min over 4 directions √(ΣD₂²/ΣD₁²)` on textured tiles of the working
        /// image (≈ 1.4–2 sharp, → 0 blurred); bad below.
        pub score,
        /// Motion: sharpness anisotropy `min_d / max_d` of the median tile ratio per direction
        /// (≈ 0.9 sharp, ≈ 0.5 motion-blurred); bad below.
        pub motion,
        /// Textured 32×32 tiles needed to judge sharpness; bad below. Below `warn` the check
        /// says "no detail" instead of guessing; below `fail` there is nothing legible at all
        /// (a document always has text), which is what heavy blur leaves of a dim photo.
        pub textured_tiles,
        /// On a found document: share of its strong edges that are crisp (≤ 3 px wide at
        /// 5 px/mm, i.e. ≤ 0.6 mm); bad below.
        pub crisp_edges,
        /// Motion on a found document: the tile anisotropy of `motion`, measured on the
        /// document's region of the working image; bad below.
        pub document_motion,
    }
}

impl Rules {
    #[must_use]
    pub fn default_for(slot: Slot) -> Rules {
        // A document is text in every direction, so its sharpness is nearly isotropic when
        // still (unmodified card scenes ≥ 0.93); a face photo's background may not be.
        // Card scenes score ≥ 1.48 when sharp, so documents can demand more edge sharpness.
        let (score, motion) = if slot.is_document() {
            (limit(1.1, 0.9), limit(0.88, 0.80))
        } else {
            (limit(1.0, 0.75), limit(0.78, 0.70))
        };
        Rules {
            score,
            motion,
            textured_tiles: limit(12.0, 3.0),
            // Real acceptable frames: crisp share ≥ 0.165 (the clearly defocused 0.12), tile
            // anisotropy ≥ 0.70; a 30 px smear of a 12 MP card scene ≤ 0.62; σ = 8 px on
            // such a card (0.2 mm) 0.17-0.25 (docs/calibration.md).
            crisp_edges: limit(0.27, 0.14),
            document_motion: limit(0.72, 0.65),
        }
    }
}

/// Defocus (edge sharpness) and motion blur (direction anisotropy) on the working image; the
/// worse verdict wins. Without enough texture nothing can be judged and the check warns.
#[must_use]
pub fn check(s: &Sharpness, r: &Rules) -> CheckResult {
    let tiles = f64::from(s.textured_tiles);
    let detail = below(
        CheckId::Blur,
        tiles,
        r.textured_tiles,
        [PhotoCode::Sharp, PhotoCode::NoDetail, PhotoCode::Blurry],
    );
    if detail.status != Status::Pass {
        return detail;
    }
    let focus = below(
        CheckId::Blur,
        s.score,
        r.score,
        [
            PhotoCode::Sharp,
            PhotoCode::SlightlyBlurry,
            PhotoCode::Blurry,
        ],
    );
    worse(focus, motion(s.anisotropy, r.motion))
}

/// On a found document: defocus and shake by the share of crisp strong edges `e` of the
/// document image; motion also by the tile anisotropy of the document's `region` of the
/// working image (a straight smear leaves the edges across it crisp, so the crisp share
/// alone halves at most). The worse verdict wins. Too few strong edges to judge →
/// "no detail" (warn).
#[must_use]
pub fn check_document(e: &EdgeWidth, region: &Sharpness, r: &Rules) -> CheckResult {
    if e.edges < sharpness::MIN_EDGES {
        return CheckResult {
            id: CheckId::Blur,
            status: Status::Warn,
            value: f64::from(e.edges),
            threshold: Some(f64::from(sharpness::MIN_EDGES)),
            code: PhotoCode::NoDetail,
        };
    }
    let focus = below(
        CheckId::Blur,
        e.crisp,
        r.crisp_edges,
        [
            PhotoCode::Sharp,
            PhotoCode::SlightlyBlurry,
            PhotoCode::Blurry,
        ],
    );
    worse(focus, motion(region.anisotropy, r.document_motion))
}

fn motion(anisotropy: f64, limit: Limit) -> CheckResult {
    below(
        CheckId::Blur,
        anisotropy,
        limit,
        [
            PhotoCode::Sharp,
            PhotoCode::SlightMotionBlur,
            PhotoCode::MotionBlur,
        ],
    )
}
