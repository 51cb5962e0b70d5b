//! Stage 4's measurement of [`super::measure`]: how much of a line is edge, step and in the
//! frame, as prefix sums along it.

use super::edges::Edges;
use super::lines::{matching_directions, Line};
use super::polygon::{ceil_i, floor_i, round_i, walk_span};
use super::{PointPx, STEP_MIN, STEP_OFFSET};

/// Edge support along one line, as prefix sums over the position `t` along it (1 px steps
/// from `-t0`): a side's support is then two look-ups, whatever its length.
pub(super) struct Profile {
    foot: PointPx,
    dir: PointPx,
    t0: i64,
    /// The three prefix sums before position `i - t0`, packed in [`FIELD`]-bit fields of
    /// `sums[i]` (one look-up per end of a side, not three: `best_quad` reads ≈ 10⁵ sides
    /// across ≈ 100 profiles, and missed the cache on each): bits 0–20 the samples with a
    /// matching edge pixel within 1 px (hits), 21–41 those of them that are also a luma step
    /// of at least [`STEP_MIN`] across the line (steps), 42–62 the samples inside the frame
    /// (visible). Each field only grows along the line, so the difference of two entries is
    /// the three differences, field by field.
    sums: Vec<u64>,
}

/// Bits per field of [`Profile::sums`]: a line has fewer than 2²¹ samples.
const FIELD: u32 = 21;
const MASK: u64 = (1 << FIELD) - 1;

/// What one side of a candidate shows, in samples (1 px apart along it).
#[derive(Clone, Copy, Debug)]
pub(super) struct SideSupport {
    /// With a matching edge pixel within 1 px across.
    pub(super) hits: u32,
    /// Hits that are also a luma step across the line (not a thin printed line).
    pub(super) steps: u32,
    /// Inside the frame.
    pub(super) visible: u32,
}

impl Profile {
    #[inline(never)]
    pub(super) fn new(e: &Edges, line: &Line) -> Profile {
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
        let matches = matching_directions(line.theta);
        let n = (2 * diag + 1) as usize;
        // A working image's long side is < 1.5 × 1024 px (`WorkPlan`): here n < 2200.
        debug_assert!(n < 1 << FIELD, "{n} samples");
        let mut sums = vec![0u64; n + 1];
        // Blurred 4 × luma at `k` px across the line from (px, py), clamped to the frame.
        let (xmax, ymax) = ((e.w - 1) as i64, (e.h - 1) as i64);
        let across = |px: f64, py: f64, k: f64| {
            let qx = round_i(px + c * k).clamp(0, xmax) as usize;
            let qy = round_i(py + s * k).clamp(0, ymax) as usize;
            i32::from(e.luma[qy * e.w + qx])
        };
        // Positions outside the frame add nothing: before the walk the sums stay 0, after
        // it they stay at its total.
        let max = ((e.w - 3) as f64, (e.h - 3) as f64);
        let (first, last) = walk_span(foot, dir, 2.0, max, diag);
        let (i0, i1) = (
            (first + diag) as usize,
            (last + diag + 1).max(first + diag) as usize,
        );
        for i in i0..i1 {
            let t = i as f64 - diag as f64;
            let (px, py) = (foot.x + t * dir.x, foot.y + t * dir.y);
            let inside = px >= 2.0 && py >= 2.0 && px <= (e.w - 3) as f64 && py <= (e.h - 3) as f64;
            // No edge pixel within `NEAR` px of (⌊px⌋, ⌊py⌋): none of the probes finds one.
            let found = inside
                && e.near[py as usize * e.w + px as usize] != 0
                && (-1..=1).any(|k: i32| {
                    let (qx, qy) = (
                        round_i(px + c * f64::from(k)) as usize,
                        round_i(py + s * f64::from(k)) as usize,
                    );
                    matches[usize::from(e.dir[qy * e.w + qx])]
                });
            let step = found
                && (across(px, py, STEP_OFFSET) - across(px, py, -STEP_OFFSET)).abs()
                    >= 4 * STEP_MIN;
            sums[i + 1] = sums[i]
                + (u64::from(found) | u64::from(step) << FIELD | u64::from(inside) << (2 * FIELD));
        }
        for i in i1..n {
            sums[i + 1] = sums[i];
        }
        Profile {
            foot,
            dir,
            t0: diag,
            sums,
        }
    }

    /// The samples between the points `a` and `b` on the line.
    pub(super) fn between(&self, a: PointPx, b: PointPx) -> SideSupport {
        let t = |p: PointPx| (p.x - self.foot.x) * self.dir.x + (p.y - self.foot.y) * self.dir.y;
        let (ta, tb) = (t(a), t(b));
        let last = self.sums.len() as i64 - 1;
        let lo = (ceil_i(ta.min(tb)) + self.t0).clamp(0, last) as usize;
        let hi = ((floor_i(ta.max(tb)) + self.t0 + 1).clamp(0, last)) as usize;
        if hi <= lo {
            return SideSupport {
                hits: 0,
                steps: 0,
                visible: 0,
            };
        }
        let d = self.sums[hi] - self.sums[lo];
        SideSupport {
            hits: (d & MASK) as u32,
            steps: (d >> FIELD & MASK) as u32,
            visible: (d >> (2 * FIELD)) as u32,
        }
    }
}
