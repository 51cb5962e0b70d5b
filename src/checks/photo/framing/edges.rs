//! Stage 1 of [`super::measure`]: the half-resolution luma, its Sobel gradients and the edge
//! pixels that survive non-maximum suppression (one pixel wide, with their direction).

use super::EDGE_MIN;
use crate::checks::photo::work::WorkImage;

/// The half-resolution luma and its edges.
pub(super) struct Edges {
    pub(super) w: usize,
    pub(super) h: usize,
    /// Gradient direction of each edge pixel in degrees 0–179 (the line's normal), or
    /// [`NO_EDGE`].
    pub(super) dir: Vec<u8>,
    /// Edge pixels as (x, y, direction).
    pub(super) list: Vec<(u16, u16, u8)>,
    /// 1 where an edge pixel (any direction) lies within [`NEAR`] px (Chebyshev distance),
    /// else 0: the line walks skip, with one look-up, a position whose probes cannot meet
    /// an edge pixel.
    pub(super) near: Vec<u8>,
    /// The blurred half-resolution luma, 4 × levels, 0–1020 (for the step across a line).
    pub(super) luma: Vec<i16>,
}

pub(super) const NO_EDGE: u8 = 255;

/// Reach of [`Edges::near`]: a walk's probes lie at most 2 px across the line from a
/// position `(px, py)`, so each rounds to within 3 px of `(round px, round py)` and within 4
/// of `(⌊px⌋, ⌊py⌋)`, the pixel the walks look up.
pub(super) const NEAR: usize = 4;

/// Halves the luma with a 2×2 box and finds thin edges; `None` when too small to judge.
#[inline(never)]
pub(super) fn edges(img: &WorkImage) -> Option<Edges> {
    let (ww, wh) = (img.width as usize, img.height as usize);
    let (w, h) = (ww / 2, wh / 2);
    if w < 16 || h < 16 || img.luma.len() < ww * wh {
        return None;
    }
    // The 2×2 box (4 × luma, 0–1020) and everything after it in i16 lanes (8 to an SSE2 or
    // wasm register, where i32 had 4): every intermediate below stays within ±16 328, so
    // the integers are the ones i32 gave, bit for bit.
    let mut g = vec![0i16; w * h];
    for (y, row) in g.chunks_exact_mut(w).enumerate() {
        let (r0, r1) = (&img.luma[2 * y * ww..], &img.luma[(2 * y + 1) * ww..]);
        // Each pixel pair as one little-endian u16 word (one load, then the sum of its two
        // bytes in SIMD lanes), the pairs as `[u8; 2]` arrays: from `chunks_exact(2)` the
        // loop ran one pixel at a time.
        let (r0, r1) = (r0.as_chunks::<2>().0, r1.as_chunks::<2>().0);
        for ((out, &a), &b) in row.iter_mut().zip(r0).zip(r1) {
            let (a, b) = (u16::from_le_bytes(a), u16::from_le_bytes(b));
            *out = ((a & 0xff) + (a >> 8) + (b & 0xff) + (b >> 8)) as i16; // ≤ 1020
        }
    }
    // A 3×3 binomial blur ([1 2 1]ᵀ[1 2 1] / 16, borders kept) steadies the gradient
    // direction of slanted, aliased edges. Separable: the column sums `v` (rows y − 1, y,
    // y + 1 weighted 1 2 1, ≤ 4080), then 1 2 1 across them (+ 8 ≤ 16 328); the same
    // integer sum, ≥ 0, so `/ 16` is `>> 4`.
    let mut b = g.clone();
    let mut v = vec![0i16; w];
    for y in 1..h - 1 {
        let (r0, r1, r2) = (
            &g[(y - 1) * w..y * w],
            &g[y * w..(y + 1) * w],
            &g[(y + 1) * w..],
        );
        for (((v, &a), &b), &c) in v.iter_mut().zip(r0).zip(r1).zip(r2) {
            *v = a + 2 * b + c;
        }
        // Three shifted slices rather than `windows(3)`: the loop runs in SIMD lanes.
        for (((out, &a), &b), &c) in b[y * w + 1..(y + 1) * w - 1]
            .iter_mut()
            .zip(&v[..w - 2])
            .zip(&v[1..w - 1])
            .zip(&v[2..])
        {
            *out = (a + 2 * b + c + 8) >> 4;
        }
    }
    let g = b;
    // Sobel on 4×luma, so divide the response by 4 to compare with EDGE_MIN. Separable too:
    // `sx` = (column sums 1 2 1) at x + 1 − at x − 1, `sy` = 1 2 1 across the differences
    // row y + 1 − row y − 1. |sx|, |sy| ≤ 4 × 1020 and |sx| + |sy| ≤ 8160: i16 holds them.
    // imageproc Sobel (its filter): identical, ±0 KB wasm, ×1.1–1.5 slower; kept hand-written.
    let mut gx = vec![0i16; w * h];
    let mut gy = vec![0i16; w * h];
    let mut mag = vec![0i16; w * h];
    let mut d = vec![0i16; w];
    for y in 1..h - 1 {
        let (r0, r1, r2) = (
            &g[(y - 1) * w..y * w],
            &g[y * w..(y + 1) * w],
            &g[(y + 1) * w..],
        );
        for ((((v, d), &a), &b), &c) in v.iter_mut().zip(d.iter_mut()).zip(r0).zip(r1).zip(r2) {
            *v = a + 2 * b + c;
            *d = c - a;
        }
        let row = y * w + 1..(y + 1) * w - 1;
        for (((gx, gy), mag), ((v0, v2), (d0, (d1, d2)))) in gx[row.clone()]
            .iter_mut()
            .zip(&mut gy[row.clone()])
            .zip(&mut mag[row])
            .zip(
                v[..w - 2]
                    .iter()
                    .zip(&v[2..])
                    .zip(d[..w - 2].iter().zip(d[1..w - 1].iter().zip(&d[2..]))),
            )
        {
            let sx = v2 - v0;
            let sy = d0 + 2 * d1 + d2;
            *gx = sx;
            *gy = sy;
            *mag = (sx.abs() + sy.abs()) >> 2;
        }
    }
    let tans = Tans::get();
    let mut dir = vec![NO_EDGE; w * h];
    let mut list = Vec::new();
    const RUN: usize = 8;
    for y in 2..h - 2 {
        // Runs of 8 below EDGE_MIN (most of a row; a fixed length: SIMD lanes) are passed
        // over by their maximum; the other pixels one by one, in order, as before (one loop
        // over the spans left and the row's tail, so its body is inlined once).
        let runs = mag[y * w + 2..y * w + w - 2].chunks_exact(RUN);
        let tail = w - 2 - runs.remainder().len()..w - 2;
        let spans = runs
            .enumerate()
            .filter(|(_, run)| i32::from(run.iter().fold(0, |m, &v| m.max(v))) >= EDGE_MIN)
            .map(|(k, _)| 2 + k * RUN..2 + (k + 1) * RUN)
            .chain(std::iter::once(tail));
        for span in spans {
            for x in span {
                let i = y * w + x;
                let m = mag[i];
                if i32::from(m) < EDGE_MIN {
                    continue;
                }
                // imageproc canny: +19 KB wasm, ×5 slower, 6–8/107 verdicts change; kept hand-written.
                // Neighbours along the gradient, by the nearest of 0°, 45°, 90°, 135° (tan 22.5°
                // ≈ 0.4142 ≈ 53/128, in integers), before any trigonometry.
                let (sx, sy) = (i32::from(gx[i]), i32::from(gy[i]));
                let (ax, ay) = (sx.abs(), sy.abs());
                let (o1, o2) = if 128 * ay <= 53 * ax {
                    (i - 1, i + 1)
                } else if 128 * ax <= 53 * ay {
                    (i - w, i + w)
                } else if (sx > 0) == (sy > 0) {
                    (i - w - 1, i + w + 1)
                } else {
                    (i - w + 1, i + w - 1)
                };
                if m < mag[o1] || m < mag[o2] {
                    continue;
                }
                let a = direction(sx, sy, tans);
                dir[i] = a;
                list.push((x as u16, y as u16, a));
            }
        }
    }
    let near = dilate(&dir, w, h);
    Some(Edges {
        w,
        h,
        dir,
        list,
        luma: g,
        near,
    })
}

/// [`Edges::near`] of the directions `dir` (`w × h`): a box maximum of "is an edge pixel"
/// over ±[`NEAR`] px, rows then columns (each an OR of shifted slices, in SIMD lanes).
fn dilate(dir: &[u8], w: usize, h: usize) -> Vec<u8> {
    let mut rows = vec![0u8; w * h];
    let mut padded = vec![0u8; w + 2 * NEAR];
    for (out, row) in rows.chunks_exact_mut(w).zip(dir.chunks_exact(w)) {
        for (p, &d) in padded[NEAR..].iter_mut().zip(row) {
            *p = u8::from(d != NO_EDGE);
        }
        for k in 0..=2 * NEAR {
            for (o, &p) in out.iter_mut().zip(&padded[k..]) {
                *o |= p;
            }
        }
    }
    let mut near = vec![0u8; w * h];
    for (y, out) in near.chunks_exact_mut(w).enumerate() {
        for src in rows[y.saturating_sub(NEAR) * w..(y + NEAR + 1).min(h) * w].chunks_exact(w) {
            for (o, &p) in out.iter_mut().zip(src) {
                *o |= p;
            }
        }
    }
    near
}

/// Buckets of [`Tans::start`]: `|gy| / (|gx| + |gy|)` in steps of 1 / `BUCKETS`.
const BUCKETS: u32 = 1024;

/// The bounds [`direction`] counts, and where to start counting.
struct Tans {
    /// `tans[k]` = tan((k + 0.5)°): the bounds between whole degrees 0–90 of an angle's
    /// tangent; `tans[90]` = ∞, past the last bound.
    tans: [f64; 91],
    /// `start[q]`: a number of bounds every gradient with `q = BUCKETS × |gy| / (|gx| +
    /// |gy|)` (rounded down) has at or below `|gy| / |gx|`: the bounds at or below the
    /// bucket's lowest ratio, less one (a whole degree of margin, ≫ any rounding).
    start: [u8; BUCKETS as usize + 1],
}

impl Tans {
    /// The table, made once (not per photo or camera frame).
    fn get() -> &'static Tans {
        static TANS: std::sync::OnceLock<Tans> = std::sync::OnceLock::new();
        TANS.get_or_init(Tans::new)
    }

    fn new() -> Tans {
        let tans: [f64; 91] = std::array::from_fn(|k| {
            if k < 90 {
                (k as f64 + 0.5).to_radians().tan()
            } else {
                f64::INFINITY
            }
        });
        let start = std::array::from_fn(|q| {
            let r = q as f64 / f64::from(BUCKETS);
            let low = if q == BUCKETS as usize {
                f64::INFINITY
            } else {
                r / (1.0 - r)
            };
            let below = tans[..90].iter().filter(|&&t| t <= low).count();
            below.saturating_sub(1) as u8
        });
        Tans { tans, start }
    }
}

/// The direction of an edge pixel's gradient (|gx| + |gy| ≥ 4 × [`EDGE_MIN`], so not 0) in
/// whole degrees 0–179 (the line's normal):
/// `round(rem_euclid(atan2(gy, gx) in degrees, 180)) % 180`, without the `atan2` (a library
/// call, natively and in wasm, for every edge pixel). (gx, gy) and (−gx, −gy) are the same
/// orientation, so take gy ≥ 0; the whole degrees of atan(|gy| / |gx|) are the number `k`
/// of bounds tan((k + 0.5)°) at or below |gy| / |gx|, and the angle is that, or 180 minus
/// it when gx < 0. The bounds are counted up from [`Tans::start`] of the gradient's bucket
/// (one integer division and two bound tests without branches, where a binary search over the 90
/// bounds took seven, data-dependent branches that missed often: ≈ 8 % of framing on real
/// photos). The test `tans[k] × |gx| ≤ |gy|` grows with `k`, so counting up from a number
/// of bounds known to pass gives the same count. No integer gradient lies on a bound (they
/// are irrational), and none within rounding of one: test
/// `direction_is_atan2_rounded_on_every_gradient` compares every possible (gx, gy).
fn direction(gx: i32, gy: i32, t: &Tans) -> u8 {
    let (gx, gy) = if gy < 0 || (gy == 0 && gx < 0) {
        (-gx, -gy)
    } else {
        (gx, gy)
    };
    let (ax, ay) = (gx.unsigned_abs(), gy as u32);
    let q = (ay * BUCKETS) / (ax + ay);
    let mut k = usize::from(t.start[q as usize]);
    let (ax, ay) = (f64::from(ax), f64::from(ay));
    // Two tests, without branches: a bucket spans < 0.12°, so the count is at most the
    // start + 2 (`tans[90]` = ∞ never passes).
    k += usize::from(t.tans[k] * ax <= ay);
    k += usize::from(t.tans[k] * ax <= ay);
    if gx >= 0 {
        k as u8
    } else {
        ((180 - k) % 180) as u8
    }
}

#[cfg(test)]
mod tests {
    use super::super::polygon::rem_180;
    use super::*;

    /// The previous `direction`: a binary search over all the bounds.
    fn binary_search(gx: i32, gy: i32, tans: &[f64; 91]) -> u8 {
        let (gx, gy) = if gy < 0 || (gy == 0 && gx < 0) {
            (-gx, -gy)
        } else {
            (gx, gy)
        };
        let (ax, ay) = (f64::from(gx.abs()), f64::from(gy));
        let mut k = 0;
        for step in [64, 32, 16, 8, 4, 2, 1] {
            if k + step <= 90 && tans[k + step - 1] * ax <= ay {
                k += step;
            }
        }
        if gx >= 0 {
            k as u8
        } else {
            ((180 - k) % 180) as u8
        }
    }

    #[test]
    fn direction_is_atan2_rounded_on_every_gradient() {
        // Every Sobel response of the blurred 4 × luma (0–1020), |gx|, |gy| ≤ 4 × 1020, of
        // an edge pixel: |gx| + |gy| ≥ 4 × EDGE_MIN; and the binary search it replaced.
        let tans = Tans::get();
        for gx in -4080..=4080i32 {
            for gy in -4080..=4080i32 {
                if gx.abs() + gy.abs() < 4 * EDGE_MIN {
                    continue;
                }
                let angle = f64::from(gy).atan2(f64::from(gx)).to_degrees();
                let a = rem_180(angle).round() as i32 % 180;
                let d = direction(gx, gy, tans);
                assert_eq!(i32::from(d), a, "({gx}, {gy})");
                assert_eq!(d, binary_search(gx, gy, &tans.tans), "({gx}, {gy})");
            }
        }
    }
}
