//! Framing: finds the document's quadrilateral, so the `framing` check can say whether the
//! whole document is in the picture and large enough.
//!
//! Pipeline, on the working image halved once more (2×2 box, ≈ 504×378 for a 12 MP photo):
//!
//! 1. **Edges** (`edges.rs`). Sobel gradients `gx`, `gy`; a pixel is an edge when `|gx| + |gy|`
//!    ≥ [`EDGE_MIN`] (a step of ≈ 6 luma levels) and it is a maximum along its gradient
//!    (non-maximum suppression, 4 directions), so every edge is one pixel wide.
//! 2. **Lines** (`lines.rs`). A Hough transform `ρ = x cos θ + y sin θ` with 1° × 1 px bins,
//!    where each edge pixel votes only for the angles within ±[`VOTE_SPREAD_DEG`] of its own
//!    gradient direction: texture (leaves, wood, fabric) votes everywhere and piles up nowhere, a
//!    straight document edge piles up in one cell. The [`MAX_LINES`] strongest local maxima with
//!    at least [`MIN_LINE_FRACTION`] of the short side in votes are kept.
//! 3. **Quads** (`quad.rs`). Every two pairs of nearly parallel lines (within [`PARALLEL_DEG`],
//!    which covers up to ≈ 20° of perspective) that cross at 90° ± [`CORNER_TOLERANCE_DEG`] make a
//!    candidate: its four intersections. Kept when convex, opposite sides differ by less than
//!    [`MAX_SIDE_RATIO`], and the aspect `(mean of the long pair) / (mean of the short pair)` lies
//!    in [`ASPECT_RANGE`] (ID-1 card 85.60 / 53.98 = 1.586, passport data page 125 / 88 = 1.42,
//!    each foreshortened by up to cos 20° ≈ 0.94).
//! 4. **Support** (`support.rs`, applied in `quad.rs`). Along each side, sampled every pixel,
//!    the share of samples that have an edge pixel of the side's orientation
//!    (±[`SUPPORT_ANGLE_DEG`]) within 1 px across it, counted over the part of the side inside the
//!    frame (prefix sums along each line, so a side costs two look-ups). A candidate needs
//!    [`MIN_SIDE_SUPPORT`] on every side and [`MIN_MEAN_SUPPORT`] on average (a quad borrowing a
//!    table edge or a shadow is left with an unsupported side; a light card's edge against a white
//!    background may fade over part of one side), and [`MIN_LINE_FRACTION`] of the short side
//!    visible on each.
//! 5. **Score** (`quad.rs`). Only *step* samples count: an edge pixel where the luma
//!    [`STEP_OFFSET`] px either side of the line differs by at least [`STEP_MIN`] levels. A
//!    document's outline is a step between the document and what lies behind it; a thin printed
//!    line (a box on the packaging behind the card, a frame line under a card's header) has the
//!    same paper on both sides. The best candidate has the highest
//!    `step perimeter (px) × weakest side's step share × share of the outline in the frame`: the
//!    card's outline beats the portrait box and text blocks inside it (shorter), a larger quad
//!    that borrows a background line for one side (weaker), and a quad with a corner outside the
//!    frame is discounted by the share of its outline out of sight. A whole candidate (no side on
//!    the frame's edge) beats a cut-off one.
//!
//! Results are in working-image pixels; [`Framing::scaled`] maps them to the original photo.
//! `polygon.rs` holds the geometry shared with the other checks ([`contains`], [`row_spans`]).

use super::work::WorkImage;
use edges::edges;
use lines::lines;
use polygon::order_corners;
use quad::best_quad;
use serde::{Deserialize, Serialize};

mod edges;
mod lines;
mod polygon;
mod quad;
#[cfg(test)]
mod scenes;
mod support;

pub use polygon::{contains, polygon_area, row_spans};

/// Smallest Sobel response `|gx| + |gy|` of an edge pixel (a crisp step of `d` luma levels
/// gives ≈ 4d, so 24 is a step of ≈ 6 levels).
pub const EDGE_MIN: i32 = 24;
/// Each edge pixel votes for angles within this many degrees of its gradient direction.
pub const VOTE_SPREAD_DEG: i32 = 4;
/// Lines kept from the Hough accumulator. On a cluttered desk (pins, cables, a ruler:
/// real frame midv500_9_33_01) the card's short edges rank below the 80th line; 100 keep
/// them.
pub const MAX_LINES: usize = 100;
/// Lines kept per 15° band of orientation, so a striped background cannot crowd out the
/// document's edges across the stripes.
pub const MAX_LINES_PER_BAND: usize = 12;
/// A line needs this fraction of the short side of the frame in votes (px of edge).
pub const MIN_LINE_FRACTION: f64 = 0.08;
/// Largest angle between two lines that are opposite sides of one document.
pub const PARALLEL_DEG: f64 = 30.0;
/// Largest deviation from 90° between adjacent sides' lines.
pub const CORNER_TOLERANCE_DEG: f64 = 35.0;
/// Largest ratio of the lengths of opposite sides (perspective foreshortening).
pub const MAX_SIDE_RATIO: f64 = 1.6;
/// Plausible long/short aspect of a document under perspective.
pub const ASPECT_RANGE: (f64, f64) = (1.2, 2.0);
/// An edge pixel supports a side when its orientation is within this many degrees.
pub const SUPPORT_ANGLE_DEG: i32 = 12;
/// Smallest share of each side's visible length that must lie on matching edge pixels.
pub const MIN_SIDE_SUPPORT: f64 = 0.4;
/// Smallest mean support of the four sides. A card held close and out of focus has soft
/// edges whose thin edge pixels wander: real frame midv500_2_03_03 (pink card on white
/// packaging) has 0.49–0.63 on its sides, mean 0.555.
pub const MIN_MEAN_SUPPORT: f64 = 0.55;
/// The same for the sides of a cut-off document (one running into the frame's edge): such a
/// side is an edge all the way to the frame, not a box standing in the picture.
pub const MIN_CUT_SIDE_SUPPORT: f64 = 0.85;

/// Distance, in half-resolution pixels (6 working px), either side of a line at which the
/// luma step across it is read: beyond the blur of an edge and the width of a printed line
/// (on the real frames 2 or 4 find fewer documents).
pub const STEP_OFFSET: f64 = 3.0;
/// Smallest luma step (levels) across a side for an edge pixel to count in the score. A
/// thin printed line reads ≈ 0 (the same paper either side); the lightest document edge
/// kept by [`EDGE_MIN`] (≈ 6 levels) passes. Evidence: real frames midv500_2_03_03 (a
/// small box printed on the packaging behind the card won; with [`MIN_MEAN_SUPPORT`]
/// IoU 0 → 0.99) and midv500_8_31_01/_02/_04/_10 (a printed line under the card's header
/// or a keyboard key's edge stood in for a card edge, IoU 0.91–0.95 → 0.96–0.995); test
/// `a_box_printed_on_the_background_is_not_the_card`. 6 already drops a faint stretch of a
/// card's edge (midv500_8_31_02, IoU 0.96 → 0.81); 3 keeps every document found.
pub const STEP_MIN: i32 = 4;

/// Smallest share of the frame the visible part of a cut-off document must cover.
pub const MIN_CUT_FILL: f64 = 0.12;

/// A point in pixels (x to the right, y down).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PointPx {
    pub x: f64,
    pub y: f64,
}

/// What framing found.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Framing {
    /// The document's corners, clockwise from top-left (TL, TR, BR, BL), in working-image
    /// pixels; `None` when no document outline was found. Corners may lie outside the frame.
    pub quad: Option<[PointPx; 4]>,
    /// Area of the quad / area of the frame, in percent (0 when not found).
    pub fill_percent: f64,
    /// Smallest distance of a corner to the frame edge, in percent of the frame's short side;
    /// negative when a corner lies outside the frame (0 when not found).
    pub margin_percent: f64,
    /// Weakest side's edge support of the chosen quad, 0–1 (0 when not found).
    pub support: f64,
}

impl Framing {
    /// The quad in original-photo pixels: `x × sx`, `y × sy`, where `sx`, `sy` are original
    /// pixels per working pixel (the box factor, or more when the browser resized the photo
    /// before the check).
    #[must_use]
    pub fn scaled(&self, sx: f64, sy: f64) -> Option<[PointPx; 4]> {
        self.quad.map(|q| {
            q.map(|p| PointPx {
                x: p.x * sx,
                y: p.y * sy,
            })
        })
    }
}

/// Finds the document outline in `img`.
#[must_use]
pub fn measure(img: &WorkImage) -> Framing {
    measure_with(img, ASPECT_RANGE.0)
}

/// [`measure`] for a document at least `min_aspect` long/short (e.g. 1.45 for an ID-1 card,
/// so the portrait printed on it is not taken for the card): only such quads compete.
#[must_use]
pub fn measure_with(img: &WorkImage, min_aspect: f64) -> Framing {
    let Some(edges) = edges(img) else {
        return Framing::default();
    };
    let (lines, min_len) = lines(&edges);
    let Some((quad, support)) = best_quad(&edges, &lines, min_len, min_aspect, |_| {}) else {
        return Framing::default();
    };
    // Half resolution → working pixels: pixel centres at 2x + 0.5.
    let quad = order_corners(quad.map(to_work));
    let (w, h) = (f64::from(img.width), f64::from(img.height));
    let margin = quad
        .iter()
        .map(|p| p.x.min(p.y).min(w - p.x).min(h - p.y))
        .fold(f64::INFINITY, f64::min);
    Framing {
        quad: Some(quad),
        fill_percent: 100.0 * polygon_area(&quad) / (w * h),
        margin_percent: 100.0 * margin / w.min(h),
        support,
    }
}

/// Half-resolution pixels → working pixels (pixel centres at 2x + 0.5).
fn to_work(p: PointPx) -> PointPx {
    PointPx {
        x: 2.0 * p.x + 0.5,
        y: 2.0 * p.y + 0.5,
    }
}

#[cfg(test)]
mod tests {
    use super::polygon::dist;
    use super::scenes::{card, scene};
    use super::*;

    #[test]
    fn finds_a_rotated_card_and_its_fill() {
        for angle in [0.0, 12.0, -25.0, 40.0, 90.0] {
            let poly = card(500.0, 380.0, 640.0, angle);
            let img = scene(1008, 756, &poly, 60, 210, 6);
            let f = measure(&img);
            let q = f.quad.unwrap_or_else(|| panic!("no quad at {angle}°"));
            let truth = 640.0 * 640.0 / 1.586 / (1008.0 * 756.0) * 100.0;
            assert!(
                (f.fill_percent - truth).abs() < 2.0,
                "{angle}°: fill {} vs {truth}",
                f.fill_percent
            );
            // Every found corner is within 4 working px of a true corner.
            for p in q {
                let d = poly
                    .iter()
                    .map(|t| dist(*t, p))
                    .fold(f64::INFINITY, f64::min);
                assert!(d < 4.0, "{angle}°: corner {p:?} is {d} px off");
            }
            assert!(f.margin_percent > 1.0, "{angle}°: {f:?}");
        }
    }

    #[test]
    fn a_light_card_on_a_light_table_is_found() {
        let poly = card(480.0, 400.0, 700.0, 7.0);
        let f = measure(&scene(1008, 756, &poly, 200, 226, 4));
        assert!(f.quad.is_some(), "{f:?}");
    }

    #[test]
    fn a_cut_off_card_has_a_corner_outside() {
        // The right edge is outside the frame: the visible part runs into the frame's edge.
        let poly = card(900.0, 380.0, 640.0, 5.0);
        let f = measure(&scene(1008, 756, &poly, 60, 210, 6));
        assert!(f.quad.is_some(), "{f:?}");
        assert!(f.margin_percent < 0.5, "{f:?}");
        // Only the top-left corner is outside: all four edges are seen, and the corner
        // where they meet lies outside the frame.
        let poly = card(330.0, 230.0, 640.0, 8.0);
        let f = measure(&scene(1008, 756, &poly, 60, 210, 6));
        assert!(f.quad.is_some(), "{f:?}");
        assert!(f.margin_percent < 0.0, "{f:?}");
    }

    #[test]
    fn no_card_no_quad() {
        // A square and a thin strip are not documents; nor is an empty frame.
        let square = [
            PointPx { x: 300.0, y: 200.0 },
            PointPx { x: 700.0, y: 200.0 },
            PointPx { x: 700.0, y: 600.0 },
            PointPx { x: 300.0, y: 600.0 },
        ];
        assert_eq!(measure(&scene(1008, 756, &square, 60, 210, 6)).quad, None);
        assert_eq!(measure(&scene(1008, 756, &[], 60, 60, 30)).quad, None);
        assert_eq!(measure(&WorkImage::default()), Framing::default());
    }

    #[test]
    fn noise_and_odd_sizes_have_no_document() {
        let mut seed = 7u32;
        for (w, h) in [(33u32, 33u32), (64, 20), (20, 64), (300, 31), (1008, 756)] {
            let rgb: Vec<u8> = (0..w * h * 3)
                .map(|_| {
                    seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                    (seed >> 24) as u8
                })
                .collect();
            let f = measure(&WorkImage::from_rgb(w, h, rgb));
            assert_eq!(f.quad, None, "{w}×{h}: {f:?}");
        }
    }
}
