//! Focus and motion blur, measured where there is content.
//!
//! For each 32×32 tile of the working image and each of 4 directions d (0°, 45°, 90°,
//! 135°) we sum squared first differences `D₁ = I(x+d) − I(x)` and second differences
//! `D₂ = I(x+d) − 2I(x) + I(x−d)`. A crisp step edge gives `√(ΣD₂²/ΣD₁²) ≈ 1.4`; an edge
//! blurred over `w` pixels gives ≈ `c/w`, whatever its contrast. A direction of a tile
//! counts only when it has gradient energy (mean `D₁²` ≥ [`TEXTURE_FLOOR`]), so a plain
//! table or sky is not judged at all. For each direction the score is the 90th percentile
//! over its textured tiles (the crispest tenth: smooth shading and bokeh do not drag a sharp
//! photo down), and the photo's score is the *weakest* direction: motion blur smears one
//! direction only.
//!
//! A straight motion blur can keep that crispest tenth crisp (thin strokes become plateaus
//! with sharp ends), but it makes the *typical* tile much softer along the motion than
//! across it. So [`Sharpness::anisotropy`] compares perpendicular directions tile by tile:
//! for the pairs 0°/90° and 45°/135°, the median over tiles textured in both of
//! `ln(r_a / r_b)` gives `exp(−|median|)`; the smaller pair is reported. ≈ 0.9 for sharp
//! photos and defocus blur alike (oriented content is crisp across *and* along), ≈ 0.5 for
//! motion blur.

use crate::checks::photo::framing::{contains, PointPx};
use crate::checks::photo::work::WorkImage;
use serde::Serialize;

/// Tile edge, working pixels.
pub const TILE: usize = 32;
/// Minimum mean squared first difference of a tile in a direction: RMS ≈ 4 grey levels per
/// pixel, well above the noise of a downscaled photo.
pub const TEXTURE_FLOOR: f64 = 16.0;
/// Which tile ratio represents a direction: the crispest tenth.
pub const QUANTILE: f64 = 0.9;

/// Sharpness measurements.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Sharpness {
    /// Weakest direction's 90th-percentile tile ratio; 0 when nothing is textured.
    pub score: f64,
    /// Median over directions of the same statistic.
    pub median_direction: f64,
    /// `min_d / max_d` of the per-direction median tile ratio: 1 isotropic, low when one
    /// direction is smeared (motion blur).
    pub anisotropy: f64,
    /// Direction of the weakest ratio, degrees (0 = horizontal): the motion direction.
    pub weakest_direction: u32,
    /// Tiles textured in at least one direction, and all tiles.
    pub textured_tiles: u32,
    pub tiles: u32,
}

/// Pixel offsets (dx, dy) of the four directions.
const DIRECTIONS: [(isize, isize); 4] = [(1, 0), (1, 1), (0, 1), (-1, 1)];

/// Measures sharpness of `img.luma`.
#[must_use]
pub fn measure(img: &WorkImage) -> Sharpness {
    measure_within(img, None)
}

/// [`measure`] over the tiles whose centre lies inside `region` (a convex polygon in
/// working-image pixels, e.g. the document's quad); the whole image when `None`. A sharp
/// table behind a blurred card must not make the card pass.
#[must_use]
pub fn measure_within(img: &WorkImage, region: Option<&[PointPx]>) -> Sharpness {
    let (w, h) = (img.width as usize, img.height as usize);
    if w < 3 || h < 3 {
        return Sharpness::default();
    }
    let y = &img.luma;
    let mut ratios: [Vec<f64>; 4] = Default::default();
    // ln(r_a / r_b) of tiles textured in both directions of a perpendicular pair.
    let mut pairs: [Vec<f64>; 2] = Default::default();
    let (mut textured, mut tiles) = (0u32, 0u32);
    // Tiles cover the interior (1 px border so every neighbour exists).
    let mut ty = 1;
    while ty + 2 < h {
        let th = TILE.min(h - 1 - ty);
        let mut tx = 1;
        while tx + 2 < w {
            let tw = TILE.min(w - 1 - tx);
            let centre = PointPx {
                x: (tx + tw / 2) as f64,
                y: (ty + th / 2) as f64,
            };
            if region.is_some_and(|q| !contains(q, centre)) {
                tx += TILE;
                continue;
            }
            tiles += 1;
            let (s1, s2) = tile_sums(y, w, tx, ty, tw, th);
            let n = (tw * th) as f64;
            let mut any = false;
            let mut tile = [None; 4];
            for d in 0..4 {
                if s1[d] / n >= TEXTURE_FLOOR {
                    let r = (s2[d] / s1[d]).sqrt();
                    ratios[d].push(r);
                    tile[d] = Some(r);
                    any = true;
                }
            }
            for (p, (a, b)) in [(0, 2), (1, 3)].into_iter().enumerate() {
                if let (Some(ra), Some(rb)) = (tile[a], tile[b]) {
                    if ra > 0.0 && rb > 0.0 {
                        pairs[p].push((ra / rb).ln());
                    }
                }
            }
            textured += u32::from(any);
            tx += TILE;
        }
        ty += TILE;
    }
    let mut per_direction = [0f64; 4];
    for (d, r) in ratios.iter_mut().enumerate() {
        per_direction[d] = quantile(r, QUANTILE);
    }
    // A direction with no textured tile at all (e.g. only horizontal stripes) says nothing.
    let judged: Vec<(usize, f64)> = (0..4)
        .filter(|&d| !ratios[d].is_empty())
        .map(|d| (d, per_direction[d]))
        .collect();
    let Some(&(weakest, score)) = judged.iter().min_by(|a, b| a.1.total_cmp(&b.1)) else {
        return Sharpness {
            tiles,
            ..Sharpness::default()
        };
    };
    let mut sorted: Vec<f64> = judged.iter().map(|j| j.1).collect();
    sorted.sort_by(f64::total_cmp);
    // Pairs without enough shared tiles say nothing.
    let anisotropy = pairs
        .iter_mut()
        .filter(|p| p.len() >= 8)
        .map(|p| (-quantile(p, 0.5).abs()).exp())
        .fold(1.0, f64::min);
    Sharpness {
        score,
        median_direction: sorted[sorted.len() / 2],
        anisotropy,
        weakest_direction: weakest as u32 * 45,
        textured_tiles: textured,
        tiles,
    }
}

/// Edges weaker than this (central difference, grey levels) are never measured.
pub const EDGE_FLOOR: u16 = 20;
/// An edge is measured when its central difference is at least this share of the
/// document's 99th percentile in the same direction: the print's strong edges (text, the
/// portrait's outline), not the guilloche or the paper's texture.
pub const EDGE_SHARE: f64 = 0.5;
/// A crisp edge spreads over at most this many document pixels (0.6 mm at 5 px/mm).
pub const CRISP_WIDTH: usize = 3;
/// Fewest measured edges for a judgement; fewer means "no detail".
pub const MIN_EDGES: u32 = 200;

/// Edge width on the document image ([`crate::checks::photo::document::DocImage`], 5 px per mm).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct EdgeWidth {
    /// Mean width of the strong edges, document pixels (÷ 5 = mm): both scan directions.
    pub mean: f64,
    /// The same along rows (edges crossed left to right) and along columns.
    pub horizontal: f64,
    pub vertical: f64,
    /// Edges measured.
    pub edges: u32,
    /// Share of the edges at most [`CRISP_WIDTH`] px wide, both directions.
    pub crisp: f64,
    /// The same across rows and across columns.
    pub crisp_horizontal: f64,
    pub crisp_vertical: f64,
}

/// How far text edges spread on the document (Marziliano et al.'s edge width, ICIP 2002, on
/// the document at a fixed px/mm). Scanning each row (then each column) inside the quad, an
/// edge is a local maximum of the central difference `|I(x+1) − I(x−1)|` of at least
/// `max(EDGE_FLOOR, EDGE_SHARE · p99)`; its width is the distance between the luma extrema
/// on either side (walking while the profile keeps rising, resp. falling). A printed edge
/// photographed in focus spreads over ≈ 3–5 px at 5 px/mm; defocus and shake widen it.
#[must_use]
pub fn edge_width(doc: &crate::checks::photo::document::DocImage) -> EdgeWidth {
    let (w, h) = (doc.width as usize, doc.height as usize);
    if w < 3 || h < 3 {
        return EdgeWidth::default();
    }
    let inside = doc.mask();
    // Rows as they are; columns as the rows of the transposed image (contiguous lines).
    let (n_r, s_r, c_r) = scan(&doc.luma, &inside, w);
    let (n_c, s_c, c_c) = scan(&transpose(&doc.luma, w, h), &transpose(&inside, w, h), h);
    let share = |c: u32, n: u32| {
        if n == 0 {
            0.0
        } else {
            f64::from(c) / f64::from(n)
        }
    };
    let mean = |s: u64, n: u32| if n == 0 { 0.0 } else { s as f64 / f64::from(n) };
    EdgeWidth {
        mean: mean(s_r + s_c, n_r + n_c),
        horizontal: mean(s_r, n_r),
        vertical: mean(s_c, n_c),
        edges: n_r + n_c,
        crisp: share(c_r + c_c, n_r + n_c),
        crisp_horizontal: share(c_r, n_r),
        crisp_vertical: share(c_c, n_c),
    }
}

/// `src` (`w × h`, row-major) transposed: `h × w`.
fn transpose<T: Copy + Default>(src: &[T], w: usize, h: usize) -> Vec<T> {
    let mut out = vec![T::default(); w * h];
    for (y, row) in src.chunks_exact(w).enumerate() {
        for (x, &v) in row.iter().enumerate() {
            out[x * h + y] = v;
        }
    }
    out
}

/// One scan direction of [`edge_width`] along the rows of `y` (`len` pixels each, ≥ 3):
/// (edges, sum of widths, crisp edges).
fn scan(y: &[u8], inside: &[bool], len: usize) -> (u32, u64, u32) {
    if len < 3 {
        return (0, 0, 0);
    }
    // The direction's 99th percentile of |central difference| over the document.
    // The differences of a line first (SIMD lanes), then counted in four histograms dealt
    // round-robin (a flat run of equal differences does not wait on its own increments),
    // each adding its mask (0 or 1: no branch), merged after: the same counts.
    let mut hists = [[0u32; 256]; 4];
    let mut total = 0u32;
    let mut diff = vec![0u8; len - 2];
    for (row, mask) in y.chunks_exact(len).zip(inside.chunks_exact(len)) {
        let mask = &mask[1..len - 1];
        for ((d, &a), &b) in diff.iter_mut().zip(&row[2..]).zip(&row[..len - 2]) {
            *d = a.abs_diff(b);
        }
        total += mask.iter().map(|&m| u32::from(m)).sum::<u32>();
        let (mut ds, mut ms) = (diff.chunks_exact(4), mask.chunks_exact(4));
        for (d, m) in (&mut ds).zip(&mut ms) {
            for (h, (&d, &m)) in hists.iter_mut().zip(d.iter().zip(m)) {
                h[usize::from(d)] += u32::from(m);
            }
        }
        for (&d, &m) in ds.remainder().iter().zip(ms.remainder()) {
            hists[0][usize::from(d)] += u32::from(m);
        }
    }
    let hist: [u32; 256] = std::array::from_fn(|v| hists.iter().map(|h| h[v]).sum());
    if total == 0 {
        return (0, 0, 0);
    }
    let rank = (f64::from(total) * 0.99).ceil() as u32;
    let mut seen = 0;
    let p99 = (0..256u16)
        .find(|&v| {
            seen += hist[usize::from(v)];
            seen >= rank
        })
        .unwrap_or(255);
    let threshold = EDGE_FLOOR.max((EDGE_SHARE * f64::from(p99)).ceil() as u16);
    let (mut n, mut sum, mut crisp) = (0u32, 0u64, 0u32);
    // `grad[i] = I(i+1) − I(i−1)` of the current line, for 1 ≤ i < len − 1.
    let mut grad = vec![0i16; len];
    const RUN: usize = 8;
    for (row, mask) in y.chunks_exact(len).zip(inside.chunks_exact(len)) {
        for ((g, &a), &b) in grad[1..len - 1]
            .iter_mut()
            .zip(&row[2..])
            .zip(&row[..len - 2])
        {
            *g = i16::from(a) - i16::from(b);
        }
        // Runs of 8 (a fixed length: SIMD lanes) with no difference at the threshold, most
        // of a line, are passed over by their maximum; the rest pixel by pixel, in order
        // (one loop over the spans left and the line's tail, so its body is inlined once).
        let runs = grad[1..len - 1].chunks_exact(RUN);
        let tail = len - 1 - runs.remainder().len()..len - 1;
        let spans = runs
            .enumerate()
            .filter(|(_, run)| run.iter().fold(0u16, |m, g| m.max(g.unsigned_abs())) >= threshold)
            .map(|(k, _)| 1 + k * RUN..1 + (k + 1) * RUN)
            .chain(std::iter::once(tail));
        for span in spans {
            for i in span {
                let g = grad[i];
                let m = g.unsigned_abs();
                if m < threshold || !mask[i] {
                    continue;
                }
                let before = if i >= 2 {
                    grad[i - 1].unsigned_abs()
                } else {
                    0
                };
                let after = if i + 2 < len {
                    grad[i + 1].unsigned_abs()
                } else {
                    0
                };
                if m < before || m <= after {
                    continue;
                }
                // The luma extrema either side: walk while the profile keeps rising (falling).
                let step = |a: u8, b: u8| if g > 0 { b > a } else { b < a };
                let mut lo = i;
                while lo > 0 && step(row[lo - 1], row[lo]) {
                    lo -= 1;
                }
                let mut hi = i;
                while hi + 1 < len && step(row[hi], row[hi + 1]) {
                    hi += 1;
                }
                n += 1;
                sum += (hi - lo) as u64;
                crisp += u32::from(hi - lo <= CRISP_WIDTH);
            }
        }
    }
    (n, sum, crisp)
}

/// The `q` quantile (nearest rank) of `values`; 0 when empty. Reorders `values`.
fn quantile(values: &mut [f64], q: f64) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    let rank = ((q * values.len() as f64).ceil() as usize).clamp(1, values.len()) - 1;
    let (_, v, _) = values.select_nth_unstable_by(rank, f64::total_cmp);
    *v
}

/// Per-direction sums of `D₁²` and `D₂²` over one tile (all neighbours in bounds).
fn tile_sums(
    y: &[u8],
    w: usize,
    tx: usize,
    ty: usize,
    tw: usize,
    th: usize,
) -> ([f64; 4], [f64; 4]) {
    let mut s1 = [0u64; 4];
    let mut s2 = [0u64; 4];
    for row in ty..ty + th {
        let base = row * w + tx;
        let cur = &y[base..base + tw];
        for (d, &(dx, dy)) in DIRECTIONS.iter().enumerate() {
            let off = dy * w as isize + dx; // > 0 for every direction
            let off = off.unsigned_abs();
            let next = &y[base + off..base + off + tw];
            let prev = &y[base - off..base - off + tw];
            // A whole tile's row as arrays: a fixed trip count the compiler vectorises
            // without a remainder loop.
            let (a1, a2) = match (
                <&[u8; TILE]>::try_from(prev),
                <&[u8; TILE]>::try_from(cur),
                <&[u8; TILE]>::try_from(next),
            ) {
                (Ok(p), Ok(c), Ok(n)) => tile_row_sums(p, c, n),
                _ => row_sums(prev, cur, next),
            };
            s1[d] += a1.unsigned_abs() as u64;
            s2[d] += a2.unsigned_abs() as u64;
        }
    }
    (s1.map(|v| v as f64), s2.map(|v| v as f64))
}

/// [`row_sums`] of a whole tile's row: the differences first, in i16 lanes, then each sum
/// of squares alone (the multiply-add of 16-bit lanes, eight at a time; in one loop the
/// compiler took four lanes of i32): the same integers.
#[inline]
fn tile_row_sums(prev: &[u8; TILE], cur: &[u8; TILE], next: &[u8; TILE]) -> (i32, i32) {
    let (mut first, mut second) = ([0i16; TILE], [0i16; TILE]);
    for ((((d1, d2), &p), &c), &n) in first
        .iter_mut()
        .zip(second.iter_mut())
        .zip(prev)
        .zip(cur)
        .zip(next)
    {
        let (p, c, n) = (i16::from(p), i16::from(c), i16::from(n));
        *d1 = n - c;
        *d2 = n - 2 * c + p;
    }
    let squares = |v: &[i16; TILE]| v.iter().map(|&d| i32::from(d) * i32::from(d)).sum::<i32>();
    (squares(&first), squares(&second))
}

/// `Σ D₁²`, `Σ D₂²` along one row: `D₁ = n − c`, `D₂ = n − 2c + p`. At most 32 · 510² <
/// 2³¹ per row: i32 lanes.
#[inline]
fn row_sums<T: AsRef<[u8]> + ?Sized>(prev: &T, cur: &T, next: &T) -> (i32, i32) {
    let (mut a1, mut a2) = (0i32, 0i32);
    for ((&p, &c), &n) in prev.as_ref().iter().zip(cur.as_ref()).zip(next.as_ref()) {
        // i16 differences, squared into i32: the multiply-add of 16-bit lanes.
        let (p, c, n) = (i16::from(p), i16::from(c), i16::from(n));
        let first = i32::from(n - c);
        let second = i32::from(n - 2 * c + p);
        a1 += first * first;
        a2 += second * second;
    }
    (a1, a2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(w: u32, h: u32, f: impl Fn(u32, u32) -> u8) -> WorkImage {
        let luma: Vec<u8> = (0..h)
            .flat_map(|y| (0..w).map(move |x| (x, y)))
            .map(|(x, y)| f(x, y))
            .collect();
        WorkImage::from_rgb(w, h, luma.iter().flat_map(|&v| [v, v, v]).collect())
    }

    /// Vertical and horizontal bars 8 px wide, optionally with a linear ramp of `ramp` px.
    fn bars(ramp: u32) -> WorkImage {
        image(256, 256, |x, y| {
            let edge = |t: u32| {
                let pos = t % 16;
                if ramp == 0 {
                    if pos < 8 {
                        0.0
                    } else {
                        1.0
                    }
                } else {
                    let p = pos as f64;
                    ((p - 8.0 + ramp as f64 / 2.0) / ramp as f64)
                        .clamp(0.0, 1.0)
                        .min(((16.0 - p + ramp as f64 / 2.0) / ramp as f64).clamp(0.0, 1.0))
                }
            };
            (40.0 + 80.0 * edge(x) + 80.0 * edge(y)) as u8
        })
    }

    #[test]
    fn sharp_edges_score_high_and_blur_lowers_the_score() {
        let sharp = measure(&bars(0));
        let soft = measure(&bars(4));
        assert!(sharp.score > 1.2, "{sharp:?}");
        assert!(soft.score < 0.8 * sharp.score, "{soft:?} vs {sharp:?}");
        assert_eq!(sharp.textured_tiles, sharp.tiles);
        let mut v = vec![3.0, 1.0, 2.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0];
        assert_eq!(quantile(&mut v, 0.9), 9.0);
        assert_eq!(quantile(&mut [], 0.9), 0.0);
    }

    #[test]
    fn a_blurred_card_on_a_sharp_table_is_judged_on_the_card() {
        // Sharp bars everywhere, but soft (4 px ramps) inside the card's quad.
        let sharp = bars(0);
        let soft = bars(4);
        let (x0, y0, x1, y1) = (64u32, 64u32, 192u32, 160u32);
        let img = image(256, 256, |x, y| {
            let inside = (x0..x1).contains(&x) && (y0..y1).contains(&y);
            let src = if inside { &soft } else { &sharp };
            src.luma[(y * 256 + x) as usize]
        });
        let quad = [
            PointPx { x: 64.0, y: 64.0 },
            PointPx { x: 192.0, y: 64.0 },
            PointPx { x: 192.0, y: 160.0 },
            PointPx { x: 64.0, y: 160.0 },
        ];
        let whole = measure(&img);
        let card = measure_within(&img, Some(&quad));
        assert!(card.tiles < whole.tiles && card.tiles >= 4, "{card:?}");
        assert!(whole.score > 1.2, "the table is sharp: {whole:?}");
        assert!(card.score < 0.8 * whole.score, "the card is not: {card:?}");
    }

    #[test]
    fn flat_and_gently_shaded_areas_are_not_judged() {
        let flat = measure(&image(256, 256, |_, _| 128));
        assert_eq!((flat.textured_tiles, flat.score), (0, 0.0));
        let gradient = measure(&image(256, 256, |x, _| (x / 2) as u8));
        assert_eq!(gradient.textured_tiles, 0, "a sky-like ramp has no texture");
    }

    #[test]
    fn contrast_does_not_change_the_score() {
        let strong = measure(&bars(0));
        let weak = measure(&image(256, 256, |x, y| {
            60 + if x % 16 < 8 { 0 } else { 30 } + if y % 16 < 8 { 0 } else { 30 }
        }));
        assert!(
            (strong.score - weak.score).abs() < 0.05,
            "{strong:?} {weak:?}"
        );
    }

    #[test]
    fn motion_blur_shows_in_one_direction() {
        // Horizontal smear: each pixel is the mean of 6 horizontal neighbours of sharp bars.
        let sharp = bars(0);
        let w = sharp.width as usize;
        let smeared = image(256, 256, |x, y| {
            let (x, y) = (x as usize, y as usize);
            let xs = x.saturating_sub(3)..(x + 3).min(w);
            let n = xs.len() as u32;
            (xs.map(|i| u32::from(sharp.luma[y * w + i])).sum::<u32>() / n) as u8
        });
        let m = measure(&smeared);
        assert_eq!(m.weakest_direction, 0, "{m:?}");
        assert!(m.score < 0.6 * measure(&sharp).score, "{m:?}");
        assert!(m.anisotropy < 0.6, "{m:?}");
        assert!(measure(&sharp).anisotropy > 0.9, "{:?}", measure(&sharp));
    }
}
