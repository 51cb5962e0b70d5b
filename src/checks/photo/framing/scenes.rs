//! Synthetic working images for the tests: documents as filled or outlined convex polygons
//! on a speckled background.

use super::polygon::dist;
use super::PointPx;
use crate::checks::photo::work::WorkImage;

/// A `w×h` working image: background `bg`, with the convex polygon `poly` (clockwise or
/// not) filled with `fg`, plus a deterministic speckle texture of amplitude `noise`.
pub(super) fn scene(w: u32, h: u32, poly: &[PointPx], bg: u8, fg: u8, noise: u8) -> WorkImage {
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

pub(super) fn card(cx: f64, cy: f64, width: f64, angle_deg: f64) -> Vec<PointPx> {
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

/// A `w×h` working image: background `bg`, then each layer `(polygon, value, width)` in
/// turn, filled (`width` 0) or as an outline `width` px wide inside its edges, plus the
/// deterministic speckle of [`scene`].
pub(super) fn layered(
    w: u32,
    h: u32,
    bg: u8,
    layers: &[(Vec<PointPx>, u8, f64)],
    noise: u8,
) -> WorkImage {
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
pub(super) fn corners_near(found: [PointPx; 4], truth: &[PointPx], tol: f64) -> bool {
    found.iter().all(|p| {
        truth
            .iter()
            .map(|t| dist(*t, *p))
            .fold(f64::INFINITY, f64::min)
            < tol
    })
}
