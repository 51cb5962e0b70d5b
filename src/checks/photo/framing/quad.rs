//! Stages 3–5 of [`super::measure`]: candidate quads from two pairs of nearly parallel
//! lines, their plausibility and side support, and the best-scoring one.

use super::edges::Edges;
use super::lines::{angle_between, Line};
use super::polygon::{dist, is_convex, polygon_area};
use super::support::{Profile, SideSupport};
use super::{
    PointPx, ASPECT_RANGE, CORNER_TOLERANCE_DEG, MAX_LINES, MAX_SIDE_RATIO, MIN_CUT_FILL,
    MIN_CUT_SIDE_SUPPORT, MIN_MEAN_SUPPORT, MIN_SIDE_SUPPORT, PARALLEL_DEG,
};

/// `(cos θ, sin θ)` of a line.
fn trig(l: &Line) -> (f64, f64) {
    let t = l.theta.to_radians();
    (t.cos(), t.sin())
}

/// Where lines `a` and `b` cross, from their [`trig`] (computed once per line, not per pair:
/// in wasm `cos` and `sin` are library calls).
fn intersect(a: &Line, b: &Line, (c1, s1): (f64, f64), (c2, s2): (f64, f64)) -> Option<PointPx> {
    let det = c1 * s2 - s1 * c2;
    if det.abs() < 1e-6 {
        return None;
    }
    Some(PointPx {
        x: (a.rho * s2 - b.rho * s1) / det,
        y: (c1 * b.rho - c2 * a.rho) / det,
    })
}

/// Geometric plausibility of a candidate, given its side lengths `s` (`s[k]` from `q[k]` to
/// `q[k + 1]`, measured once for the score as well). A quad with a side on
/// the frame's edge (`cut`) is only the visible part of a document, so its shape is not
/// judged, only its size (at least [`MIN_CUT_FILL`] of the frame). `q` is convex (tested
/// first, see `best_quad`).
fn plausible(q: &[PointPx; 4], s: &[f64; 4], w: f64, h: f64, cut: bool, min_aspect: f64) -> bool {
    if cut {
        return polygon_area(q) >= MIN_CUT_FILL * w * h;
    }
    // Corners far outside the frame are intersections of unrelated lines.
    if q.iter()
        .any(|p| p.x < -0.5 * w || p.x > 1.5 * w || p.y < -0.5 * h || p.y > 1.5 * h)
    {
        return false;
    }
    let ratio = |a: f64, b: f64| a.max(b) / a.min(b).max(1e-9);
    if ratio(s[0], s[2]) > MAX_SIDE_RATIO || ratio(s[1], s[3]) > MAX_SIDE_RATIO {
        return false;
    }
    let (p1, p2) = ((s[0] + s[2]) / 2.0, (s[1] + s[3]) / 2.0);
    let aspect = p1.max(p2) / p1.min(p2).max(1e-9);
    (ASPECT_RANGE.0.max(min_aspect)..=ASPECT_RANGE.1).contains(&aspect)
}

// Line indices are bits of a `u128` in `best_quad` (the Hough lines and the frame's 4 edges).
const _: () = assert!(MAX_LINES + 4 <= 128);

/// A plausible, supported candidate and its score, as offered to `best_quad`'s `seen` (only
/// the tests' listing reads it).
#[derive(Clone, Copy, Debug)]
#[cfg_attr(not(test), allow(dead_code))]
pub(super) struct Candidate {
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

/// One side of a candidate: line `x` between the two lines of a pair, as `best_quad` keeps
/// it for the quads that use it (the shares divided once here rather than once per quad;
/// the same expressions, so the same values).
#[derive(Clone, Copy, Debug)]
struct Side {
    /// `hits / visible` (visible at least 1).
    share: f64,
    /// `steps / visible` (visible at least 1).
    step_share: f64,
    steps: u32,
    visible: u32,
}

/// The best-supported plausible quad, with its weakest side's support. `seen` is shown
/// every plausible candidate (for the tests' listing).
///
/// Speed (issues 12, 15), with the same candidates, tests and arithmetic as the plain
/// "every pair of pairs" loop, so the same quad bit for bit:
/// * the angles between lines are computed once per two lines, not per pair, (pair, line)
///   and quad;
/// * the sides are kept only where usable (bit `x` of `usable[p]`), each with its shares
///   already divided and whether it meets [`MIN_SIDE_SUPPORT`] / [`MIN_CUT_SIDE_SUPPORT`]
///   as bits, so a quad's support test is bit tests before any arithmetic;
/// * the second pair is enumerated from a bitset over the pairs (`with[x]`: the pairs
///   across which line `x` is a usable side): pairs `pj > pi` where both of `pi`'s lines
///   are sides, in increasing `pj`, the order of the plain loop, so ties (the first best
///   wins) resolve the same way. The plain loop looked at every one of the ≈ 1.3 M pairs
///   of pairs of a cluttered photo to keep a few thousand;
/// * no allocation per candidate (`plausible` and `is_convex` used to collect a `Vec`), the
///   side lengths measured once for the score and the shape test;
/// * the cheap shape test (convexity) before the support sums. All the tests only reject
///   (`continue`), so their order does not change which candidates are scored.
#[inline(never)]
pub(super) fn best_quad(
    e: &Edges,
    lines: &[Line],
    min_len: f64,
    min_aspect: f64,
    mut seen: impl FnMut(&Candidate),
) -> Option<([PointPx; 4], f64)> {
    let (w, h) = (e.w as f64, e.h as f64);
    let n = lines.len();
    // `angle[i * n + j]` = angle_between(θi, θj), in that argument order wherever it is used.
    let mut angle = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..n {
            angle[i * n + j] = angle_between(lines[i].theta, lines[j].theta);
        }
    }
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
            if angle[i * n + j] <= PARALLEL_DEG && gap >= min_len {
                pairs.push((i, j));
            }
        }
    }
    let trigs: Vec<(f64, f64)> = lines.iter().map(trig).collect();
    let mut crossings = vec![None; n * n];
    for i in 0..n {
        for j in 0..n {
            if i != j {
                crossings[i * n + j] = intersect(&lines[i], &lines[j], trigs[i], trigs[j]);
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
    // edge, or at least MIN_SIDE_SUPPORT over at least `min_len` visible px); its side is
    // `sides[first[p] + (number of usable bits of p below x)]`. `whole_ok[p]` / `cut_ok[p]`:
    // the usable non-border sides at least `min_len` visible with a share of at least
    // MIN_SIDE_SUPPORT / MIN_CUT_SIDE_SUPPORT (a side of a whole / cut-off candidate).
    let mut usable = vec![0u128; pairs.len()];
    let mut whole_ok = vec![0u128; pairs.len()];
    let mut cut_ok = vec![0u128; pairs.len()];
    let mut first = Vec::with_capacity(pairs.len());
    let mut sides: Vec<Side> = Vec::new();
    for (p, &(a, b)) in pairs.iter().enumerate() {
        first.push(sides.len());
        for x in 0..n {
            if x == a || x == b || angle[x * n + a] < min_cross {
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
            let visible = f64::from(side.visible.max(1));
            let share = f64::from(side.hits) / visible;
            let long = f64::from(side.visible) >= min_len;
            if !lines[x].border && long && share >= MIN_SIDE_SUPPORT {
                whole_ok[p] |= 1u128 << x;
            }
            if !lines[x].border && long && share >= MIN_CUT_SIDE_SUPPORT {
                cut_ok[p] |= 1u128 << x;
            }
            sides.push(Side {
                share,
                step_share: f64::from(side.steps) / visible,
                steps: side.steps,
                visible: side.visible,
            });
            usable[p] |= 1u128 << x;
        }
    }
    let has = |p: usize, x: usize| usable[p] >> x & 1 == 1;
    let side_index = |p: usize, x: usize| {
        let below = usable[p] & ((1u128 << x) - 1);
        first[p] + below.count_ones() as usize
    };
    // `lengths[side_index(p, x)]`: `dist(cross(x, a), cross(x, b))` for pair `p` = (a, b),
    // the side's length in every quad that uses it, measured when first needed (`hypot` is a
    // library call; a side serves many quads). A quad's side `k` is `dist(q[k], q[k + 1])`:
    // the same two crossings (`intersect` is symmetric bit for bit: swapping the lines
    // negates its numerators and its determinant exactly), in this order or the other, and
    // `hypot(−x, −y)` is `hypot(x, y)` (IEC 60559). Test
    // `side_lengths_do_not_depend_on_the_order_of_the_ends`.
    let mut lengths = vec![f64::NAN; sides.len()];
    // `with[x * words ..][..words]`: bit `p` set when `x` is a usable side across pair `p`.
    let words = pairs.len().div_ceil(64);
    let mut with = vec![0u64; n * words];
    for (p, &u) in usable.iter().enumerate() {
        let mut bits = u;
        while bits != 0 {
            let x = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            with[x * words + p / 64] |= 1u64 << (p % 64);
        }
    }
    let mut best: Option<([PointPx; 4], f64, f64)> = None;
    for (pi, &(a, b)) in pairs.iter().enumerate() {
        if usable[pi].count_ones() < 2 {
            continue;
        }
        let (with_a, with_b) = (
            &with[a * words..(a + 1) * words],
            &with[b * words..(b + 1) * words],
        );
        let from = pi + 1;
        for word in from / 64..words {
            // The pairs `pj > pi` across which both `a` and `b` are usable sides.
            let mut bits = with_a[word] & with_b[word];
            if word == from / 64 {
                bits &= !0u64 << (from % 64);
            }
            while bits != 0 {
                let pj = word * 64 + bits.trailing_zeros() as usize;
                bits &= bits - 1;
                let (c, d) = pairs[pj];
                // Each line a side between the other pair's (which also keeps the four
                // lines apart), then the exact perpendicularity test.
                if !(has(pi, c) && has(pi, d)) {
                    continue;
                }
                let corner = angle[a * n + c].min(angle[b * n + d]);
                if corner < 90.0 - CORNER_TOLERANCE_DEG {
                    continue;
                }
                let (Some(p0), Some(p1), Some(p2), Some(p3)) =
                    (cross(a, c), cross(c, b), cross(b, d), cross(d, a))
                else {
                    continue;
                };
                let q = [p0, p1, p2, p3];
                // Side k runs from q[k] to q[k + 1]: on c (between a and b), b (c, d),
                // d (b, a), a (d, c). Side k's entry: c and d between a and b, b and a
                // between c and d.
                let entries = [(pi, c), (pj, b), (pi, d), (pj, a)];
                let on_border = entries.map(|(_, x)| lines[x].border);
                let borders = on_border.iter().filter(|&&b| b).count();
                if borders > 2 {
                    continue;
                }
                let ok = if borders > 0 { &cut_ok } else { &whole_ok };
                // Every side not on the frame's edge at least `min_len` visible with the
                // support needed (the test the plain loop made on each side's sums): so the
                // weakest side below meets it too.
                if (0..4).any(|k| !on_border[k] && ok[entries[k].0] >> entries[k].1 & 1 == 0) {
                    continue;
                }
                if !is_convex(&q) {
                    continue; // the first of the shape tests (`plausible` has the others)
                }
                let at = entries.map(|(p, x)| side_index(p, x));
                let quad_sides = at.map(|i| sides[i]);
                let mut weakest = f64::INFINITY;
                let (mut share_sum, mut measured) = (0.0, 0.0);
                // Step samples, the weakest side's share of them, and the measured sides'
                // length inside the frame.
                let (mut steps, mut weakest_steps) = (0u32, f64::INFINITY);
                let mut inside = 0.0;
                for k in 0..4 {
                    if on_border[k] {
                        continue; // on the frame's edge
                    }
                    let side = quad_sides[k];
                    weakest = f64::min(weakest, side.share);
                    share_sum += side.share;
                    measured += 1.0;
                    steps += side.steps;
                    weakest_steps = f64::min(weakest_steps, side.step_share);
                    inside += f64::from(side.visible);
                }
                if borders == 0 && share_sum < MIN_MEAN_SUPPORT * measured {
                    continue;
                }
                // dist(q[k], q[k + 1]).
                let s = std::array::from_fn(|k| {
                    let (i, (p, x)) = (at[k], entries[k]);
                    if lengths[i].is_nan() {
                        let (a, b) = pairs[p];
                        if let (Some(u), Some(v)) = (cross(x, a), cross(x, b)) {
                            lengths[i] = dist(u, v);
                        }
                    }
                    lengths[i]
                });
                if !plausible(&q, &s, w, h, borders > 0, min_aspect) {
                    continue;
                }
                // The measured sides' length in all.
                let mut length = 0.0;
                for k in 0..4 {
                    if !on_border[k] {
                        length += s[k];
                    }
                }
                // Step perimeter × weakest side's step share: a larger quad that borrows a
                // background line for one side loses to the document's own, fully supported
                // outline, and a printed frame line inside the card or on the background (no
                // step across it) counts for little.
                //
                // × the share of the measured sides' length inside the frame: a quad with a
                // corner outside the frame claims an outline nobody can see there, so beyond
                // being scored on its visible part only it is discounted by the part it
                // claims out of sight (a quad wholly in the frame keeps its score). On real
                // frame midv500_8_31_06 a quad of keyboard-key edges running out of the frame
                // at the top right, which borrowed the card's left and bottom edges, beat the
                // whole card it enclosed (IoU 0.51 → 0.99; test
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
    }
    best.map(|(q, s, _)| (q, s))
}

#[cfg(test)]
mod tests {
    use super::super::scenes::{card, corners_near, layered};
    use super::super::{edges::edges, lines::lines, measure, to_work};
    use super::*;
    use crate::checks::photo::work::{RgbaView, WorkImage};

    #[test]
    fn side_lengths_do_not_depend_on_the_order_of_the_ends() {
        // `Side::len`: the crossing of two lines either way round, and `hypot` of the
        // negated difference, are the same bits.
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 11) as f64 / (1u64 << 53) as f64
        };
        for _ in 0..100_000 {
            let line = |theta: f64, rho: f64| Line {
                theta,
                rho,
                votes: 0,
                border: false,
            };
            let (a, b) = (
                line(180.0 * next(), 1000.0 * next() - 500.0),
                line(180.0 * next(), 1000.0 * next() - 500.0),
            );
            let ab = intersect(&a, &b, trig(&a), trig(&b));
            let ba = intersect(&b, &a, trig(&b), trig(&a));
            assert_eq!(ab.map(|p| p.x.to_bits()), ba.map(|p| p.x.to_bits()));
            assert_eq!(ab.map(|p| p.y.to_bits()), ba.map(|p| p.y.to_bits()));
            let (p, q) = (
                PointPx {
                    x: 2000.0 * next() - 1000.0,
                    y: 2000.0 * next() - 1000.0,
                },
                PointPx {
                    x: 2000.0 * next() - 1000.0,
                    y: 2000.0 * next() - 1000.0,
                },
            );
            assert_eq!(dist(p, q).to_bits(), dist(q, p).to_bits());
        }
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
    /// FRAMING_PHOTO=photo.jpg cargo test --release --lib framing::quad::tests::list_candidates \
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
        let view = RgbaView::new(photo.width(), photo.height(), photo.as_raw())
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
