//! Framing: finds the document's quadrilateral, so the `framing` check can say whether the
//! whole document is in the picture and large enough.
//!
//! Pipeline, on the working image halved once more (2×2 box, ≈ 504×378 for a 12 MP photo):
//!
//! 1. **Edges.** Sobel gradients `gx`, `gy`; a pixel is an edge when `|gx| + |gy|` ≥
//!    [`EDGE_MIN`] (a step of ≈ 6 luma levels) and it is a maximum along its gradient
//!    (non-maximum suppression, 4 directions), so every edge is one pixel wide.
//! 2. **Lines.** A Hough transform `ρ = x cos θ + y sin θ` with 1° × 1 px bins, where each edge
//!    pixel votes only for the angles within ±[`VOTE_SPREAD_DEG`] of its own gradient
//!    direction: texture (leaves, wood, fabric) votes everywhere and piles up nowhere, a
//!    straight document edge piles up in one cell. The [`MAX_LINES`] strongest local maxima
//!    with at least [`MIN_LINE_FRACTION`] of the short side in votes are kept.
//! 3. **Quads.** Every two pairs of nearly parallel lines (within [`PARALLEL_DEG`], which
//!    covers up to ≈ 20° of perspective) that cross at 90° ± [`CORNER_TOLERANCE_DEG`] make a
//!    candidate: its four intersections. Kept when convex, opposite sides differ by less than
//!    [`MAX_SIDE_RATIO`], and the aspect `(mean of the long pair) / (mean of the short pair)`
//!    lies in [`ASPECT_RANGE`] (ID-1 card 85.60 / 53.98 = 1.586, passport data page
//!    125 / 88 = 1.42, each foreshortened by up to cos 20° ≈ 0.94).
//! 4. **Support.** Along each side, sampled every pixel, the share of samples that have an
//!    edge pixel of the side's orientation (±[`SUPPORT_ANGLE_DEG`]) within 1 px across it,
//!    counted over the part of the side inside the frame (prefix sums along each line, so a
//!    side costs two look-ups). A candidate needs [`MIN_SIDE_SUPPORT`] on every side and
//!    [`MIN_MEAN_SUPPORT`] on average (a quad borrowing a table edge or a shadow is left with
//!    an unsupported side; a light card's edge against a white background may fade over part
//!    of one side), and [`MIN_LINE_FRACTION`] of the short side visible on each.
//! 5. **Score.** Only *step* samples count: an edge pixel where the luma [`STEP_OFFSET`] px
//!    either side of the line differs by at least [`STEP_MIN`] levels. A document's outline
//!    is a step between the document and what lies behind it; a thin printed line (a box on
//!    the packaging behind the card, a frame line under a card's header) has the same paper
//!    on both sides. The best candidate has the highest
//!    `step perimeter (px) × weakest side's step share × share of the outline in the frame`:
//!    the card's outline beats the portrait box and text blocks inside it (shorter), a larger
//!    quad that borrows a background line for one side (weaker), and a quad with a corner
//!    outside the frame is discounted by the share of its outline out of sight. A whole
//!    candidate (no side on the frame's edge) beats a cut-off one.
//!
//! Results are in working-image pixels; [`Framing::scaled`] maps them to the original photo.

use super::work::WorkImage;
use serde::{Deserialize, Serialize};

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
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
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

/// Whether `p` lies inside the convex polygon `poly` (either winding; edges count as inside).
#[must_use]
pub fn contains(poly: &[PointPx], p: PointPx) -> bool {
    let n = poly.len();
    if n < 3 {
        return false;
    }
    let side = |i: usize| {
        let (a, b) = (poly[i], poly[(i + 1) % n]);
        (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x)
    };
    let s: Vec<f64> = (0..n).map(side).collect();
    s.iter().all(|&v| v >= 0.0) || s.iter().all(|&v| v <= 0.0)
}

/// The pixels of a `width × height` image whose centres lie inside the convex polygon
/// `poly`, as row spans `(y, x_start, x_end)` (end exclusive).
#[must_use]
pub fn row_spans(poly: &[PointPx], width: u32, height: u32) -> Vec<(usize, usize, usize)> {
    let n = poly.len();
    let mut spans = Vec::new();
    if n < 3 {
        return spans;
    }
    for y in 0..height as usize {
        let cy = y as f64 + 0.5;
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        for i in 0..n {
            let (a, b) = (poly[i], poly[(i + 1) % n]);
            if (a.y <= cy && b.y > cy) || (b.y <= cy && a.y > cy) {
                let x = a.x + (cy - a.y) * (b.x - a.x) / (b.y - a.y);
                lo = lo.min(x);
                hi = hi.max(x);
            }
        }
        if lo > hi {
            continue;
        }
        // Centres x + 0.5 in [lo, hi].
        let x0 = (lo - 0.5).ceil().max(0.0) as usize;
        let x1 = ((hi - 0.5).floor() + 1.0).clamp(0.0, f64::from(width)) as usize;
        if x0 < x1 {
            spans.push((y, x0, x1));
        }
    }
    spans
}

/// A line `x cos θ + y sin θ = ρ` with θ in whole degrees 0–179, and its votes.
#[derive(Clone, Copy, Debug)]
struct Line {
    /// Degrees, 0 ≤ θ < 180 (whole degrees from the accumulator, fractional once refined).
    theta: f64,
    rho: f64,
    votes: u32,
    /// One of the frame's four edges (a document cut off there has no edge of its own).
    border: bool,
}

/// The half-resolution luma and its edges.
struct Edges {
    w: usize,
    h: usize,
    /// Gradient direction of each edge pixel in degrees 0–179 (the line's normal), or
    /// [`NO_EDGE`].
    dir: Vec<u8>,
    /// Edge pixels as (x, y, direction).
    list: Vec<(u16, u16, u8)>,
    /// The blurred half-resolution luma, 4 × levels (for the step across a line).
    luma: Vec<i32>,
}

const NO_EDGE: u8 = 255;

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

/// The refined Hough lines and the frame's four edges, with the shortest side length
/// (half-resolution px) a line or a side needs.
fn lines(edges: &Edges) -> (Vec<Line>, f64) {
    let short = edges.w.min(edges.h) as f64;
    let min_len = MIN_LINE_FRACTION * short;
    let mut lines: Vec<Line> = Vec::new();
    for l in hough(edges, min_len) {
        let r = refine(edges, &l);
        if !lines.iter().any(|k| close_lines(k, &r, 1.0, 2.0)) {
            lines.push(r);
        }
    }
    let (bw, bh) = ((edges.w - 1) as f64, (edges.h - 1) as f64);
    for (theta, rho) in [(0.0, 0.0), (0.0, bw), (90.0, 0.0), (90.0, bh)] {
        lines.push(Line {
            theta,
            rho,
            votes: 0,
            border: true,
        });
    }
    (lines, min_len)
}

/// Halves the luma with a 2×2 box and finds thin edges; `None` when too small to judge.
fn edges(img: &WorkImage) -> Option<Edges> {
    let (ww, wh) = (img.width as usize, img.height as usize);
    let (w, h) = (ww / 2, wh / 2);
    if w < 16 || h < 16 || img.luma.len() < ww * wh {
        return None;
    }
    let mut g = vec![0i32; w * h];
    for y in 0..h {
        let (r0, r1) = (&img.luma[2 * y * ww..], &img.luma[(2 * y + 1) * ww..]);
        for (x, out) in g[y * w..(y + 1) * w].iter_mut().enumerate() {
            let s = u32::from(r0[2 * x])
                + u32::from(r0[2 * x + 1])
                + u32::from(r1[2 * x])
                + u32::from(r1[2 * x + 1]);
            *out = s as i32; // 4 × luma, 0–1020
        }
    }
    // A 3×3 binomial blur ([1 2 1]ᵀ[1 2 1] / 16, borders kept) steadies the gradient
    // direction of slanted, aliased edges.
    let mut b = g.clone();
    for y in 1..h - 1 {
        for x in 1..w - 1 {
            let p = |dx: usize, dy: usize| g[(y + dy - 1) * w + x + dx - 1];
            b[y * w + x] = (p(0, 0)
                + 2 * p(1, 0)
                + p(2, 0)
                + 2 * (p(0, 1) + 2 * p(1, 1) + p(2, 1))
                + p(0, 2)
                + 2 * p(1, 2)
                + p(2, 2)
                + 8)
                / 16;
        }
    }
    let g = b;
    // Sobel on 4×luma, so divide the response by 4 to compare with EDGE_MIN.
    let mut gx = vec![0i32; w * h];
    let mut gy = vec![0i32; w * h];
    let mut mag = vec![0i32; w * h];
    for y in 1..h - 1 {
        for x in 1..w - 1 {
            let p = |dx: usize, dy: usize| g[(y + dy - 1) * w + x + dx - 1];
            let sx = (p(2, 0) + 2 * p(2, 1) + p(2, 2)) - (p(0, 0) + 2 * p(0, 1) + p(0, 2));
            let sy = (p(0, 2) + 2 * p(1, 2) + p(2, 2)) - (p(0, 0) + 2 * p(1, 0) + p(2, 0));
            let i = y * w + x;
            gx[i] = sx;
            gy[i] = sy;
            mag[i] = (sx.abs() + sy.abs()) / 4;
        }
    }
    let mut dir = vec![NO_EDGE; w * h];
    let mut list = Vec::new();
    for y in 2..h - 2 {
        for x in 2..w - 2 {
            let i = y * w + x;
            let m = mag[i];
            if m < EDGE_MIN {
                continue;
            }
            // Neighbours along the gradient, by the nearest of 0°, 45°, 90°, 135° (tan 22.5°
            // ≈ 0.4142 ≈ 53/128, in integers), before any trigonometry.
            let (ax, ay) = (gx[i].abs(), gy[i].abs());
            let (o1, o2) = if 128 * ay <= 53 * ax {
                (i - 1, i + 1)
            } else if 128 * ax <= 53 * ay {
                (i - w, i + w)
            } else if (gx[i] > 0) == (gy[i] > 0) {
                (i - w - 1, i + w + 1)
            } else {
                (i - w + 1, i + w - 1)
            };
            if m < mag[o1] || m < mag[o2] {
                continue;
            }
            let angle = f64::from(gy[i]).atan2(f64::from(gx[i])).to_degrees();
            let a = (angle.rem_euclid(180.0)).round() as i32 % 180;
            dir[i] = a as u8;
            list.push((x as u16, y as u16, a as u8));
        }
    }
    Some(Edges {
        w,
        h,
        dir,
        list,
        luma: g,
    })
}

/// Orientation-gated Hough transform; the strongest separated local maxima.
fn hough(e: &Edges, min_votes: f64) -> Vec<Line> {
    let diag = ((e.w * e.w + e.h * e.h) as f64).sqrt().ceil() as usize;
    let n_rho = 2 * diag + 1;
    let trig: Vec<(f64, f64)> = (0..180)
        .map(|t| {
            let r = f64::from(t).to_radians();
            (r.cos(), r.sin())
        })
        .collect();
    let mut acc = vec![0u32; 180 * n_rho];
    for &(x, y, a) in &e.list {
        let (x, y) = (f64::from(x), f64::from(y));
        for d in -VOTE_SPREAD_DEG..=VOTE_SPREAD_DEG {
            let t = (i32::from(a) + d).rem_euclid(180) as usize;
            let (c, s) = trig[t];
            let rho = (x * c + y * s).round() as isize + diag as isize;
            acc[t * n_rho + rho as usize] += 1;
        }
    }
    // Votes within ±1 px of ρ count together: an edge blurred or slightly curved (rounded
    // corners, lens) spreads over neighbouring ρ bins.
    let mut smooth = vec![0u32; acc.len()];
    for t in 0..180 {
        let row = &acc[t * n_rho..(t + 1) * n_rho];
        for (r, out) in smooth[t * n_rho..(t + 1) * n_rho].iter_mut().enumerate() {
            *out =
                row[r] + if r > 0 { row[r - 1] } else { 0 } + row.get(r + 1).copied().unwrap_or(0);
        }
    }
    let acc = smooth;
    // Local maxima (3×3, θ wrapping with ρ mirrored) above the vote floor.
    let floor = min_votes.max(8.0) as u32;
    let at = |t: isize, r: isize| -> u32 {
        let (t, r) = if t < 0 {
            (t + 180, n_rho as isize - 1 - r)
        } else if t >= 180 {
            (t - 180, n_rho as isize - 1 - r)
        } else {
            (t, r)
        };
        if r < 0 || r >= n_rho as isize {
            0
        } else {
            acc[t as usize * n_rho + r as usize]
        }
    };
    let mut peaks = Vec::new();
    for t in 0..180isize {
        for r in 0..n_rho as isize {
            let v = acc[t as usize * n_rho + r as usize];
            if v < floor {
                continue;
            }
            let mut is_max = true;
            'n: for dt in -1..=1 {
                for dr in -1..=1 {
                    if (dt, dr) != (0, 0) {
                        let u = at(t + dt, r + dr);
                        // Ties: the first cell in scan order wins.
                        if u > v || (u == v && (dt, dr) < (0, 0)) {
                            is_max = false;
                            break 'n;
                        }
                    }
                }
            }
            if is_max {
                peaks.push(Line {
                    theta: t as f64,
                    rho: (r - diag as isize) as f64,
                    votes: v,
                    border: false,
                });
            }
        }
    }
    peaks.sort_by_key(|p| std::cmp::Reverse(p.votes));
    let mut lines: Vec<Line> = Vec::new();
    let mut per_band = [0usize; 12];
    for p in peaks {
        let band = (p.theta / 15.0) as usize % 12;
        if per_band[band] == MAX_LINES_PER_BAND {
            continue;
        }
        let close = lines.iter().any(|l| close_lines(&p, l, 3.0, 4.0));
        if !close {
            per_band[band] += 1;
            lines.push(p);
            if lines.len() == MAX_LINES {
                break;
            }
        }
    }
    lines
}

/// Angle between two line orientations in degrees, 0–90°.
fn angle_between(a: f64, b: f64) -> f64 {
    let d = (a - b).rem_euclid(180.0);
    d.min(180.0 - d)
}

/// Whether two lines are the same within `deg` degrees and `px` pixels of ρ (θ wrapping at
/// 180° with ρ mirrored).
fn close_lines(a: &Line, b: &Line, deg: f64, px: f64) -> bool {
    let dt = (a.theta - b.theta).abs();
    if dt <= deg {
        (a.rho - b.rho).abs() <= px
    } else if dt >= 180.0 - deg {
        (a.rho + b.rho).abs() <= px
    } else {
        false
    }
}

/// Fits `line` to its edge pixels: walking along it, the nearest edge pixel within 2 px
/// across whose orientation matches (±[`SUPPORT_ANGLE_DEG`]) is taken, and θ, ρ become the
/// total-least-squares line through them (the accumulator's 1° bins leave up to ±0.5°,
/// ≈ 2 px at the ends of a card edge). Unchanged when fewer than 8 pixels are found or the
/// fit turns by more than 3°.
fn refine(e: &Edges, line: &Line) -> Line {
    let (c, s) = {
        let t = line.theta.to_radians();
        (t.cos(), t.sin())
    };
    let diag = ((e.w * e.w + e.h * e.h) as f64).sqrt().ceil() as i64;
    let (fx, fy) = (line.rho * c, line.rho * s);
    let (mut n, mut sx, mut sy, mut sxx, mut syy, mut sxy) = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
    for t in -diag..=diag {
        let (px, py) = (fx - t as f64 * s, fy + t as f64 * c);
        if px < 3.0 || py < 3.0 || px > (e.w - 4) as f64 || py > (e.h - 4) as f64 {
            continue;
        }
        for k in [0.0, -1.0, 1.0, -2.0, 2.0] {
            let (qx, qy) = ((px + c * k).round(), (py + s * k).round());
            let d = e.dir[qy as usize * e.w + qx as usize];
            if d != NO_EDGE
                && angle_between(f64::from(d), line.theta) <= f64::from(SUPPORT_ANGLE_DEG)
            {
                n += 1.0;
                sx += qx;
                sy += qy;
                sxx += qx * qx;
                syy += qy * qy;
                sxy += qx * qy;
                break;
            }
        }
    }
    if n < 8.0 {
        return *line;
    }
    let (mx, my) = (sx / n, sy / n);
    let (cxx, cyy, cxy) = (sxx / n - mx * mx, syy / n - my * my, sxy / n - mx * my);
    // Direction of the principal axis; the line's normal is perpendicular to it.
    let phi = 0.5 * (2.0 * cxy).atan2(cxx - cyy);
    let theta = (phi.to_degrees() + 90.0).rem_euclid(180.0);
    if angle_between(theta, line.theta) > 3.0 {
        return *line;
    }
    let t = theta.to_radians();
    Line {
        theta,
        rho: mx * t.cos() + my * t.sin(),
        ..*line
    }
}

fn intersect(a: &Line, b: &Line) -> Option<PointPx> {
    let (ta, tb) = (a.theta.to_radians(), b.theta.to_radians());
    let (c1, s1, c2, s2) = (ta.cos(), ta.sin(), tb.cos(), tb.sin());
    let det = c1 * s2 - s1 * c2;
    if det.abs() < 1e-6 {
        return None;
    }
    Some(PointPx {
        x: (a.rho * s2 - b.rho * s1) / det,
        y: (c1 * b.rho - c2 * a.rho) / det,
    })
}

fn dist(a: PointPx, b: PointPx) -> f64 {
    (a.x - b.x).hypot(a.y - b.y)
}

/// Shoelace area of a polygon, px².
fn polygon_area(q: &[PointPx]) -> f64 {
    let n = q.len();
    let twice: f64 = (0..n)
        .map(|i| {
            let (a, b) = (q[i], q[(i + 1) % n]);
            a.x * b.y - b.x * a.y
        })
        .sum();
    twice.abs() / 2.0
}

fn is_convex(q: &[PointPx; 4]) -> bool {
    let cross = |i: usize| {
        let (a, b, c) = (q[i], q[(i + 1) % 4], q[(i + 2) % 4]);
        (b.x - a.x) * (c.y - b.y) - (b.y - a.y) * (c.x - b.x)
    };
    let s: Vec<f64> = (0..4).map(cross).collect();
    s.iter().all(|&v| v > 0.0) || s.iter().all(|&v| v < 0.0)
}

/// Geometric plausibility of a candidate. A quad with a side on
/// the frame's edge (`cut`) is only the visible part of a document, so its shape is not
/// judged, only its size (at least [`MIN_CUT_FILL`] of the frame).
fn plausible(q: &[PointPx; 4], w: f64, h: f64, cut: bool, min_aspect: f64) -> bool {
    if !is_convex(q) {
        return false;
    }
    if cut {
        return polygon_area(q) >= MIN_CUT_FILL * w * h;
    }
    // Corners far outside the frame are intersections of unrelated lines.
    if q.iter()
        .any(|p| p.x < -0.5 * w || p.x > 1.5 * w || p.y < -0.5 * h || p.y > 1.5 * h)
    {
        return false;
    }
    let s: Vec<f64> = (0..4).map(|i| dist(q[i], q[(i + 1) % 4])).collect();
    let ratio = |a: f64, b: f64| a.max(b) / a.min(b).max(1e-9);
    if ratio(s[0], s[2]) > MAX_SIDE_RATIO || ratio(s[1], s[3]) > MAX_SIDE_RATIO {
        return false;
    }
    let (p1, p2) = ((s[0] + s[2]) / 2.0, (s[1] + s[3]) / 2.0);
    let aspect = p1.max(p2) / p1.min(p2).max(1e-9);
    (ASPECT_RANGE.0.max(min_aspect)..=ASPECT_RANGE.1).contains(&aspect)
}

/// Edge support along one line, as prefix sums over the position `t` along it (1 px steps
/// from `-t0`): a side's support is then two look-ups, whatever its length.
struct Profile {
    foot: PointPx,
    dir: PointPx,
    t0: i64,
    /// `hits[i]`: samples before position `i - t0` with a matching edge pixel within 1 px.
    hits: Vec<u32>,
    /// `visible[i]`: samples before position `i - t0` inside the frame.
    visible: Vec<u32>,
    /// `steps[i]`: the matching samples before position `i - t0` that are also a luma step of
    /// at least [`STEP_MIN`] across the line.
    steps: Vec<u32>,
}

/// What one side of a candidate shows, in samples (1 px apart along it).
#[derive(Clone, Copy, Debug)]
struct SideSupport {
    /// With a matching edge pixel within 1 px across.
    hits: u32,
    /// Hits that are also a luma step across the line (not a thin printed line).
    steps: u32,
    /// Inside the frame.
    visible: u32,
}

impl Profile {
    fn new(e: &Edges, line: &Line) -> Profile {
        let diag = ((e.w * e.w + e.h * e.h) as f64).sqrt().ceil() as i64;
        let (c, s) = {
            let t = line.theta.to_radians();
            (t.cos(), t.sin())
        };
        let foot = PointPx {
            x: line.rho * c,
            y: line.rho * s,
        };
        let dir = PointPx { x: -s, y: c };
        let n = (2 * diag + 1) as usize;
        let (mut hits, mut visible) = (vec![0u32; n + 1], vec![0u32; n + 1]);
        let mut steps = vec![0u32; n + 1];
        // Blurred 4 × luma at `k` px across the line from (px, py), clamped to the frame.
        let (xmax, ymax) = ((e.w - 1) as f64, (e.h - 1) as f64);
        let across = |px: f64, py: f64, k: f64| {
            let qx = (px + c * k).round().clamp(0.0, xmax) as usize;
            let qy = (py + s * k).round().clamp(0.0, ymax) as usize;
            e.luma[qy * e.w + qx]
        };
        for i in 0..n {
            let t = i as f64 - diag as f64;
            let (px, py) = (foot.x + t * dir.x, foot.y + t * dir.y);
            let inside = px >= 2.0 && py >= 2.0 && px <= (e.w - 3) as f64 && py <= (e.h - 3) as f64;
            let found = inside
                && (-1..=1).any(|k: i32| {
                    let (qx, qy) = (
                        (px + c * f64::from(k)).round() as usize,
                        (py + s * f64::from(k)).round() as usize,
                    );
                    let d = e.dir[qy * e.w + qx];
                    d != NO_EDGE
                        && angle_between(f64::from(d), line.theta) <= f64::from(SUPPORT_ANGLE_DEG)
                });
            let step = found
                && (across(px, py, STEP_OFFSET) - across(px, py, -STEP_OFFSET)).abs()
                    >= 4 * STEP_MIN;
            hits[i + 1] = hits[i] + u32::from(found);
            steps[i + 1] = steps[i] + u32::from(step);
            visible[i + 1] = visible[i] + u32::from(inside);
        }
        Profile {
            foot,
            dir,
            t0: diag,
            hits,
            visible,
            steps,
        }
    }

    /// The samples between the points `a` and `b` on the line.
    fn between(&self, a: PointPx, b: PointPx) -> SideSupport {
        let t = |p: PointPx| (p.x - self.foot.x) * self.dir.x + (p.y - self.foot.y) * self.dir.y;
        let (ta, tb) = (t(a), t(b));
        let last = self.hits.len() as i64 - 1;
        let lo = (ta.min(tb).ceil() as i64 + self.t0).clamp(0, last) as usize;
        let hi = ((ta.max(tb).floor() as i64 + self.t0 + 1).clamp(0, last)) as usize;
        if hi <= lo {
            return SideSupport {
                hits: 0,
                steps: 0,
                visible: 0,
            };
        }
        SideSupport {
            hits: self.hits[hi] - self.hits[lo],
            steps: self.steps[hi] - self.steps[lo],
            visible: self.visible[hi] - self.visible[lo],
        }
    }
}

// Line indices are bits of a `u128` in `best_quad` (the Hough lines and the frame's 4 edges).
const _: () = assert!(MAX_LINES + 4 <= 128);

/// A plausible, supported candidate and its score, as offered to `best_quad`'s `seen` (only
/// the tests' listing reads it).
#[derive(Clone, Copy, Debug)]
#[cfg_attr(not(test), allow(dead_code))]
struct Candidate {
    /// Corners in half-resolution pixels, in the order found.
    quad: [PointPx; 4],
    /// Weakest side's support (matching edge pixels / visible samples).
    support: f64,
    /// Weakest side's share of step samples.
    step_support: f64,
    /// Share of the measured sides' length inside the frame.
    in_frame: f64,
    /// Sides on the frame's edge.
    borders: usize,
    /// `step samples × step_support × in_frame`, + 1e9 when whole.
    score: f64,
}

/// The best-supported plausible quad, with its weakest side's support. `seen` is shown
/// every plausible candidate (for the tests' listing).
fn best_quad(
    e: &Edges,
    lines: &[Line],
    min_len: f64,
    min_aspect: f64,
    mut seen: impl FnMut(&Candidate),
) -> Option<([PointPx; 4], f64)> {
    let (w, h) = (e.w as f64, e.h as f64);
    let n = lines.len();
    // Opposite sides: nearly parallel lines at least a side's length apart (ρ of the second
    // line taken in the first one's orientation).
    let mut pairs = Vec::new();
    for i in 0..n {
        for j in i + 1..n {
            let (li, lj) = (&lines[i], &lines[j]);
            let d = (li.theta - lj.theta).abs();
            let gap = if d > 90.0 {
                (li.rho + lj.rho).abs()
            } else {
                (li.rho - lj.rho).abs()
            };
            if angle_between(li.theta, lj.theta) <= PARALLEL_DEG && gap >= min_len {
                pairs.push((i, j));
            }
        }
    }
    // Each pair's orientation, for a quick perpendicularity test of two pairs.
    let orient: Vec<f64> = pairs.iter().map(|&(i, _)| lines[i].theta).collect();
    let mut crossings = vec![None; n * n];
    for i in 0..n {
        for j in 0..n {
            if i != j {
                crossings[i * n + j] = intersect(&lines[i], &lines[j]);
            }
        }
    }
    let cross = |i: usize, j: usize| crossings[i * n + j];
    let profiles: Vec<Option<Profile>> = lines
        .iter()
        .map(|l| (!l.border).then(|| Profile::new(e, l)))
        .collect();
    let min_cross = 90.0 - CORNER_TOLERANCE_DEG - PARALLEL_DEG;
    // Every side of every candidate is line `x` between the two lines of a pair: measured
    // once per (pair, line) here, for the lines across the pair, and looked up for each quad.
    // `usable[p]` has bit `x` set when `x` can be a side between pair `p`'s lines (a frame
    // edge, or at least MIN_SIDE_SUPPORT over at least `min_len` visible px).
    let mut side_of: Vec<Option<SideSupport>> = vec![None; pairs.len() * n];
    let mut usable = vec![0u128; pairs.len()];
    for (p, &(a, b)) in pairs.iter().enumerate() {
        for x in 0..n {
            if x == a || x == b || angle_between(lines[x].theta, orient[p]) < min_cross {
                continue;
            }
            let (Some(u), Some(v)) = (cross(x, a), cross(x, b)) else {
                continue;
            };
            let side = match &profiles[x] {
                None => SideSupport {
                    hits: 0,
                    steps: 0,
                    visible: 0,
                },
                Some(profile) => {
                    let side = profile.between(u, v);
                    if f64::from(side.visible) < min_len
                        || f64::from(side.hits) < MIN_SIDE_SUPPORT * f64::from(side.visible)
                    {
                        continue;
                    }
                    side
                }
            };
            side_of[p * n + x] = Some(side);
            usable[p] |= 1u128 << x;
        }
    }
    let has = |p: usize, x: usize| usable[p] >> x & 1 == 1;
    let mut best: Option<([PointPx; 4], f64, f64)> = None;
    for (pi, &(a, b)) in pairs.iter().enumerate() {
        if usable[pi].count_ones() < 2 {
            continue;
        }
        for (pj, &(c, d)) in pairs.iter().enumerate().skip(pi + 1) {
            // Each line a side between the other pair's (which also keeps the four lines
            // apart), then the exact perpendicularity test.
            if !(has(pi, c) && has(pi, d) && has(pj, a) && has(pj, b)) {
                continue;
            }
            let angle = angle_between(lines[a].theta, lines[c].theta)
                .min(angle_between(lines[b].theta, lines[d].theta));
            if angle < 90.0 - CORNER_TOLERANCE_DEG {
                continue;
            }
            let (Some(p0), Some(p1), Some(p2), Some(p3)) =
                (cross(a, c), cross(c, b), cross(b, d), cross(d, a))
            else {
                continue;
            };
            let q = [p0, p1, p2, p3];
            // Side k runs from q[k] to q[k + 1]: on c (between a and b), b (c, d),
            // d (b, a), a (d, c).
            let sides = [(c, a, b), (b, c, d), (d, b, a), (a, d, c)];
            let on_border = sides.map(|s| lines[s.0].border);
            let borders = on_border.iter().filter(|&&b| b).count();
            if borders > 2 {
                continue;
            }
            let needed = if borders > 0 {
                MIN_CUT_SIDE_SUPPORT
            } else {
                MIN_SIDE_SUPPORT
            };
            let mut weakest = f64::INFINITY;
            let (mut share_sum, mut measured) = (0.0, 0.0);
            // Step samples, the weakest side's share of them, and the measured sides' length
            // inside the frame and in all.
            let (mut steps, mut weakest_steps) = (0u32, f64::INFINITY);
            let (mut inside, mut length) = (0.0, 0.0);
            // Side k's entry: c and d between a and b, b and a between c and d.
            let entries = [(pi, c), (pj, b), (pi, d), (pj, a)];
            for k in 0..4 {
                if on_border[k] {
                    continue; // on the frame's edge
                }
                let (p, x) = entries[k];
                let Some(side) = side_of[p * n + x] else {
                    weakest = 0.0;
                    break;
                };
                let visible = f64::from(side.visible.max(1));
                let share = f64::from(side.hits) / visible;
                if f64::from(side.visible) < min_len || share < needed {
                    weakest = 0.0;
                    break;
                }
                weakest = weakest.min(share);
                share_sum += share;
                measured += 1.0;
                steps += side.steps;
                weakest_steps = weakest_steps.min(f64::from(side.steps) / visible);
                inside += f64::from(side.visible);
                length += dist(q[k], q[(k + 1) % 4]);
            }
            if weakest < needed
                || (borders == 0 && share_sum < MIN_MEAN_SUPPORT * measured)
                || !plausible(&q, w, h, borders > 0, min_aspect)
            {
                continue;
            }
            // Step perimeter × weakest side's step share: a larger quad that borrows a
            // background line for one side loses to the document's own, fully supported
            // outline, and a printed frame line inside the card or on the background (no
            // step across it) counts for little.
            //
            // × the share of the measured sides' length inside the frame: a quad with a
            // corner outside the frame claims an outline nobody can see there, so beyond
            // being scored on its visible part only it is discounted by the part it claims
            // out of sight (a quad wholly in the frame keeps its score). On real frame
            // midv500_8_31_06 a quad of keyboard-key edges running out of the frame at the
            // top right, which borrowed the card's left and bottom edges, beat the whole
            // card it enclosed (IoU 0.51 → 0.99; test
            // `a_panel_running_out_of_the_frame_does_not_beat_the_card_on_it`).
            //
            // A whole document (no side on the frame's edge) beats a cut-off one.
            let in_frame = if length > 0.0 {
                (inside / length).min(1.0)
            } else {
                1.0
            };
            let whole = if borders == 0 { 1e9 } else { 0.0 };
            let score = f64::from(steps) * weakest_steps * in_frame + whole;
            seen(&Candidate {
                quad: q,
                support: weakest,
                step_support: weakest_steps,
                in_frame,
                borders,
                score,
            });
            if best.as_ref().is_none_or(|b| score > b.2) {
                best = Some((q, weakest, score));
            }
        }
    }
    best.map(|(q, s, _)| (q, s))
}

/// Orders four corners clockwise on screen, starting at the one nearest the top-left
/// (smallest `x + y`).
fn order_corners(q: [PointPx; 4]) -> [PointPx; 4] {
    let cx = q.iter().map(|p| p.x).sum::<f64>() / 4.0;
    let cy = q.iter().map(|p| p.y).sum::<f64>() / 4.0;
    let mut v = q.to_vec();
    // y grows downwards, so increasing atan2 is clockwise on screen.
    v.sort_by(|a, b| {
        (a.y - cy)
            .atan2(a.x - cx)
            .total_cmp(&(b.y - cy).atan2(b.x - cx))
    });
    let start = (0..4)
        .min_by(|&i, &j| (v[i].x + v[i].y).total_cmp(&(v[j].x + v[j].y)))
        .unwrap_or(0);
    [
        v[start],
        v[(start + 1) % 4],
        v[(start + 2) % 4],
        v[(start + 3) % 4],
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `w×h` working image: background `bg`, with the convex polygon `poly` (clockwise or
    /// not) filled with `fg`, plus a deterministic speckle texture of amplitude `noise`.
    fn scene(w: u32, h: u32, poly: &[PointPx], bg: u8, fg: u8, noise: u8) -> WorkImage {
        let inside = |x: f64, y: f64| {
            let n = poly.len();
            let s: Vec<f64> = (0..n)
                .map(|i| {
                    let (a, b) = (poly[i], poly[(i + 1) % n]);
                    (b.x - a.x) * (y - a.y) - (b.y - a.y) * (x - a.x)
                })
                .collect();
            s.iter().all(|&v| v >= 0.0) || s.iter().all(|&v| v <= 0.0)
        };
        let mut rgb = Vec::with_capacity((w * h * 3) as usize);
        let mut seed = 12345u32;
        for y in 0..h {
            for x in 0..w {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
                let n = if noise == 0 {
                    0
                } else {
                    ((seed >> 16) % u32::from(noise)) as u8
                };
                let v = if inside(f64::from(x) + 0.5, f64::from(y) + 0.5) {
                    fg
                } else {
                    bg
                };
                let v = v.saturating_add(n);
                rgb.extend_from_slice(&[v, v, v]);
            }
        }
        WorkImage::from_rgb(w, h, rgb)
    }

    fn card(cx: f64, cy: f64, width: f64, angle_deg: f64) -> Vec<PointPx> {
        let (hw, hh) = (width / 2.0, width / 1.586 / 2.0);
        let (c, s) = (angle_deg.to_radians().cos(), angle_deg.to_radians().sin());
        [(-hw, -hh), (hw, -hh), (hw, hh), (-hw, hh)]
            .iter()
            .map(|&(x, y)| PointPx {
                x: cx + x * c - y * s,
                y: cy + x * s + y * c,
            })
            .collect()
    }

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

    #[test]
    fn row_spans_cover_the_polygon() {
        let p = |x, y| PointPx { x, y };
        let square = [p(2.0, 1.0), p(6.0, 1.0), p(6.0, 4.0), p(2.0, 4.0)];
        let spans = row_spans(&square, 10, 10);
        assert_eq!(spans, vec![(1, 2, 6), (2, 2, 6), (3, 2, 6)]);
        // Clipped to the frame.
        let big = [p(-5.0, -5.0), p(20.0, -5.0), p(20.0, 20.0), p(-5.0, 20.0)];
        let n: usize = row_spans(&big, 10, 8).iter().map(|s| s.2 - s.1).sum();
        assert_eq!(n, 80);
        assert!(row_spans(&square[..2], 10, 10).is_empty());
    }

    #[test]
    fn corners_are_ordered_clockwise_from_top_left() {
        let p = |x, y| PointPx { x, y };
        let q = order_corners([p(10.0, 90.0), p(90.0, 10.0), p(10.0, 10.0), p(90.0, 90.0)]);
        assert_eq!(
            q,
            [p(10.0, 10.0), p(90.0, 10.0), p(90.0, 90.0), p(10.0, 90.0)]
        );
        assert!((polygon_area(&q) - 6400.0).abs() < 1e-9);
    }

    /// A `w×h` working image: background `bg`, then each layer `(polygon, value, width)` in
    /// turn, filled (`width` 0) or as an outline `width` px wide inside its edges, plus the
    /// deterministic speckle of [`scene`].
    fn layered(w: u32, h: u32, bg: u8, layers: &[(Vec<PointPx>, u8, f64)], noise: u8) -> WorkImage {
        // Distance inside a convex polygon (negative outside), either winding.
        let depth = |poly: &[PointPx], x: f64, y: f64| {
            let n = poly.len();
            let turn = (0..n)
                .map(|i| poly[i].x * poly[(i + 1) % n].y - poly[(i + 1) % n].x * poly[i].y)
                .sum::<f64>()
                .signum();
            (0..n)
                .map(|i| {
                    let (a, b) = (poly[i], poly[(i + 1) % n]);
                    turn * ((b.x - a.x) * (y - a.y) - (b.y - a.y) * (x - a.x)) / dist(a, b)
                })
                .fold(f64::INFINITY, f64::min)
        };
        let mut rgb = Vec::with_capacity((w * h * 3) as usize);
        let mut seed = 12345u32;
        for y in 0..h {
            for x in 0..w {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
                let n = ((seed >> 16) % u32::from(noise.max(1))) as u8;
                let (fx, fy) = (f64::from(x) + 0.5, f64::from(y) + 0.5);
                let mut v = bg;
                for (poly, value, width) in layers {
                    let d = depth(poly, fx, fy);
                    if d >= 0.0 && (*width == 0.0 || d < *width) {
                        v = *value;
                    }
                }
                let v = v.saturating_add(n);
                rgb.extend_from_slice(&[v, v, v]);
            }
        }
        WorkImage::from_rgb(w, h, rgb)
    }

    /// Whether every found corner is within `tol` working px of a corner of `truth`.
    fn corners_near(found: [PointPx; 4], truth: &[PointPx], tol: f64) -> bool {
        found.iter().all(|p| {
            truth
                .iter()
                .map(|t| dist(*t, *p))
                .fold(f64::INFINITY, f64::min)
                < tol
        })
    }

    #[test]
    fn a_box_printed_on_the_background_is_not_the_card() {
        // Real frame midv500_2_03_03: a box printed (thin dark lines) on the packaging behind
        // the card, larger than the card and crisp, won over the card's own outline. Its lines
        // have the same paper on both sides: no step, so they count for nothing.
        let printed = card(330.0, 300.0, 560.0, 0.0);
        let id = card(800.0, 560.0, 300.0, 5.0);
        let img = layered(
            1008,
            756,
            200,
            &[(printed, 90, 2.0), (id.clone(), 120, 0.0)],
            6,
        );
        let f = measure(&img);
        let q = f.quad.unwrap_or_else(|| panic!("no quad: {f:?}"));
        assert!(corners_near(q, &id, 4.0), "{q:?} is not the card {id:?}");
    }

    #[test]
    fn a_panel_running_out_of_the_frame_does_not_beat_the_card_on_it() {
        // Real frame midv500_8_31_06: a white card on a black keyboard; a larger quad that
        // takes the card's left and bottom edges and runs out of the frame at the top right
        // beat the card. Here a grey panel shares the card's left and bottom lines and has a
        // corner far outside the frame: the part of its outline that cannot be seen is not
        // credited, and the whole card wins.
        let (ox, oy) = (60.0, 740.0);
        let (c, s) = ((-12f64).to_radians().cos(), (-12f64).to_radians().sin());
        let rect = |u1: f64, v0: f64| -> Vec<PointPx> {
            [(0.0, v0), (u1, v0), (u1, 0.0), (0.0, 0.0)]
                .iter()
                .map(|&(u, v)| PointPx {
                    x: ox + u * c - v * s,
                    y: oy + u * s + v * c,
                })
                .collect()
        };
        let (panel, id) = (rect(1000.0, -640.0), rect(420.0, -265.0));
        let img = layered(
            1008,
            756,
            40,
            &[(panel, 110, 0.0), (id.clone(), 230, 0.0)],
            6,
        );
        let f = measure(&img);
        let q = f.quad.unwrap_or_else(|| panic!("no quad: {f:?}"));
        assert!(corners_near(q, &id, 4.0), "{q:?} is not the card {id:?}");
        assert!(f.margin_percent > 0.0, "{f:?}");
    }

    /// Lists the candidates of a photo, best first, in working pixels (a debugging aid):
    ///
    /// ```text
    /// FRAMING_PHOTO=photo.jpg cargo test --release --lib framing::tests::list_candidates \
    ///     -- --ignored --nocapture
    /// ```
    #[test]
    #[ignore = "a debugging aid: needs FRAMING_PHOTO"]
    #[cfg(not(target_arch = "wasm32"))]
    fn list_candidates() {
        let Some(path) = std::env::var_os("FRAMING_PHOTO") else {
            return;
        };
        let photo = image::open(&path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.to_string_lossy()))
            .into_rgba8();
        let view = super::super::work::RgbaView::new(photo.width(), photo.height(), photo.as_raw())
            .unwrap_or_else(|| panic!("buffer size"));
        let img = WorkImage::from_rgba(view);
        let edges = edges(&img).unwrap_or_else(|| panic!("too small"));
        let (lines, min_len) = lines(&edges);
        let mut all = Vec::new();
        best_quad(&edges, &lines, min_len, ASPECT_RANGE.0, |c| all.push(*c));
        all.sort_by(|a, b| b.score.total_cmp(&a.score));
        println!("{} lines, {} candidates", lines.len(), all.len());
        for c in all.iter().take(20) {
            let q: Vec<String> = c
                .quad
                .iter()
                .map(|&p| {
                    let p = to_work(p);
                    format!("({:.0}, {:.0})", p.x, p.y)
                })
                .collect();
            println!(
                "{:>9.1}{} support {:.2} steps {:.2} in frame {:.2} borders {}: {}",
                c.score % 1e9,
                if c.score >= 1e9 { " whole" } else { "      " },
                c.support,
                c.step_support,
                c.in_frame,
                c.borders,
                q.join(" ")
            );
        }
    }
}
