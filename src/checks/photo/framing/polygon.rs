//! Polygon geometry: point in polygon, row spans, area, convexity, corner order.

use super::PointPx;

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

pub(super) fn dist(a: PointPx, b: PointPx) -> f64 {
    (a.x - b.x).hypot(a.y - b.y)
}

/// Shoelace area of a polygon, px².
#[must_use]
pub fn polygon_area(q: &[PointPx]) -> f64 {
    let n = q.len();
    let twice: f64 = (0..n)
        .map(|i| {
            let (a, b) = (q[i], q[(i + 1) % n]);
            a.x * b.y - b.x * a.y
        })
        .sum();
    twice.abs() / 2.0
}

pub(super) fn is_convex(q: &[PointPx; 4]) -> bool {
    let cross = |i: usize| {
        let (a, b, c) = (q[i], q[(i + 1) % 4], q[(i + 2) % 4]);
        (b.x - a.x) * (c.y - b.y) - (b.y - a.y) * (c.x - b.x)
    };
    // An array, not a `Vec`: this runs for every candidate quad.
    let s = [cross(0), cross(1), cross(2), cross(3)];
    s.iter().all(|&v| v > 0.0) || s.iter().all(|&v| v < 0.0)
}

/// Orders four corners clockwise on screen, starting at the one nearest the top-left
/// (smallest `x + y`).
pub(super) fn order_corners(q: [PointPx; 4]) -> [PointPx; 4] {
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

/// The whole `t` in `−diag..=diag` at which `p + t × d` can lie in `[lo, max.0] × [lo,
/// max.1]`, as `(first, last)` (empty when `first > last`): the line walks of `refine` and
/// `Profile::new` skip the part of the line outside the frame (≈ 60 % of their steps)
/// without computing it. A superset by one step either side, and no bound from an axis
/// the line barely moves along (|d| ≤ 10⁻³): the rounding of the bounds (≪ 1 step) cannot
/// drop a position inside, and the walks keep their exact test on each position.
pub(super) fn walk_span(p: PointPx, d: PointPx, lo: f64, max: (f64, f64), diag: i64) -> (i64, i64) {
    let (mut first, mut last) = (-diag as f64, diag as f64);
    for (p, d, hi) in [(p.x, d.x, max.0), (p.y, d.y, max.1)] {
        if d.abs() > 1e-3 {
            let (a, b) = ((lo - p) / d, (hi - p) / d);
            first = first.max(a.min(b) - 1.0);
            last = last.min(a.max(b) + 1.0);
        }
    }
    (floor_i(first).max(-diag), ceil_i(last).min(diag))
}

/// 2⁵²: every `f64` of this size or more is a whole number.
const WHOLE: f64 = 4_503_599_627_370_496.0;

/// `v.round() as i64` (half away from zero), exactly, for `|v| < 2⁵²` (every pixel
/// coordinate and ρ here), without a library call: natively (x86-64 without SSE4.1)
/// `f64::round` and `trunc` are libm calls, and the Hough votes and line walks round
/// ≈ 10⁶ times a photo. `v as i64` is `trunc(v)`, and `v − trunc(v)` is exact (0, or
/// within a factor 2 of `v`: Sterbenz), so comparing it with ±0.5 is `round`'s rule.
#[inline]
#[must_use]
pub(super) fn round_i(v: f64) -> i64 {
    debug_assert!(v.abs() < WHOLE, "{v}");
    let t = v as i64;
    let f = v - t as f64;
    t + i64::from(f >= 0.5) - i64::from(f <= -0.5)
}

/// `v.ceil() as i64`, exactly, without the library call when `|v| < 2⁵²` (`v as i64` is
/// `trunc(v)`, exact in `f64`: one up when below `v`).
#[inline]
#[must_use]
pub(super) fn ceil_i(v: f64) -> i64 {
    if v.abs() < WHOLE {
        let t = v as i64;
        t + i64::from((t as f64) < v)
    } else {
        v.ceil() as i64
    }
}

/// `v.floor() as i64`, exactly, as [`ceil_i`] (one down when `trunc(v)` is above `v`).
#[inline]
#[must_use]
pub(super) fn floor_i(v: f64) -> i64 {
    if v.abs() < WHOLE {
        let t = v as i64;
        t - i64::from((t as f64) > v)
    } else {
        v.floor() as i64
    }
}

/// `v.rem_euclid(180.0)`, exactly, without the remainder when `|v| < 180` (every angle
/// difference of two orientations in 0–180°, every `atan2` in degrees but ±180): `fmod` is a
/// library call natively and in wasm, and it ran for every edge pixel and every edge pixel
/// met along a line. For `|v| < 180`, `v % 180` is `v` exactly (the remainder is exact), and
/// `rem_euclid` then adds 180 when it is negative, as here; anything else (NaN, ±180 and
/// beyond) takes `rem_euclid` itself.
#[inline]
#[must_use]
pub(super) fn rem_180(v: f64) -> f64 {
    if v.abs() < 180.0 {
        if v < 0.0 {
            v + 180.0
        } else {
            v
        }
    } else {
        v.rem_euclid(180.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rem_180_is_rem_euclid() {
        let awkward = [
            0.0,
            -0.0,
            180.0,
            -180.0,
            179.99999999999997,
            -179.99999999999997,
            1e-300,
            -1e-300,
            -1e-20,
            360.0,
            -540.5,
            90.0,
            -90.0,
            f64::INFINITY,
            f64::MAX,
        ];
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let random = (0..100_000).map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 11) as f64 / (1u64 << 53) as f64 * 720.0 - 360.0
        });
        for v in awkward.into_iter().chain(random) {
            assert_eq!(rem_180(v).to_bits(), v.rem_euclid(180.0).to_bits(), "{v}");
        }
        assert!(rem_180(f64::NAN).is_nan());
    }

    /// Values around every whole and half number of the range used (pixels, ρ, side
    /// ends), both signs, ± a few ulps, plus random ones and the far end of the range.
    fn awkward_values() -> Vec<f64> {
        let mut v = vec![
            0.0,
            -0.0,
            0.49999999999999994,
            -0.49999999999999994,
            4503599627370495.5,
            -4503599627370495.5,
            4503599627370495.0,
            1e15 + 0.5,
            -1e15 - 0.5,
        ];
        for i in -5000..=5000 {
            for half in [0.0, 0.5] {
                let x = f64::from(i) + half;
                let (mut up, mut down) = (x, x);
                for _ in 0..3 {
                    up = up.next_up();
                    down = down.next_down();
                    v.extend([up, down]);
                }
                v.push(x);
            }
        }
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        v.extend((0..100_000).map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 11) as f64 / (1u64 << 40) as f64 - 4096.0
        }));
        v
    }

    #[test]
    fn round_i_is_f64_round() {
        for v in awkward_values() {
            assert_eq!(round_i(v), v.round() as i64, "{v}");
        }
    }

    #[test]
    fn ceil_i_and_floor_i_are_f64_ceil_and_floor() {
        let mut values = awkward_values();
        values.extend([1e300, -1e300, f64::INFINITY, f64::NEG_INFINITY, f64::NAN]);
        for v in values {
            assert_eq!(ceil_i(v), v.ceil() as i64, "{v}");
            assert_eq!(floor_i(v), v.floor() as i64, "{v}");
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
}
