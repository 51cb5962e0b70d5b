//! Fixed-pitch text lines on a rectified band: where they are, where each character cell
//! is, and what each cell holds.
//!
//! 1. **Ink** ([`Ink::of`]): darkness `d = background − luma`, the background a running
//!    maximum over ±[`BACKGROUND_MM`] (separable), so shading and a tinted guilloche do not
//!    count; a pixel is ink when `d ≥ max(24, 0.4 · p99(d))`.
//! 2. **Lines** ([`Ink::lines`]): runs of rows with ink in at least [`ROW_INK`] of the
//!    columns, 1.5–4.5 mm tall (OCR-B capitals are ≈ 2.4 mm).
//! 3. **Cells** ([`Ink::cells_in`]): on a line, the longest chain of inked columns with gaps
//!    under 1.2 nominal pitches ([`PitchRange`]) gives its ends; for `n` characters the
//!    estimate `(end − start) / (n − 0.3)` must lie in the range, the pitch is searched within
//!    ±4 % of it and the start within a pitch, minimising the ink on the `n + 1` cell
//!    boundaries (OCR-B leaves a gap between characters); each boundary then snaps to the
//!    emptiest column within ±0.3 pitch (`ink_box`), as the fitted pitch drifts under a quad
//!    a little off.
//! 4. **Reading** ([`Ink::read_cell`]): for each class, the cell's ink box is mapped onto
//!    the class's box in its template and the cell sampled on the template grid there, then
//!    scored against the class's templates ([`super::glyphs`]).

use super::glyphs::{self, Alphabet, Cell};
use super::rectify::Band;

/// Half-width of the background window, mm.
pub const BACKGROUND_MM: f64 = 2.0;
/// Share of a band's columns a row must ink to belong to a text line.
pub const ROW_INK: f64 = 0.04;
/// Largest ratio between a cell's ink height and a class's (either way) for the class to
/// be considered: blur adds a pixel or two, the line's height is the tallest glyph's.
pub const SIZE_TOLERANCE: f64 = 1.6;
/// Classes scored against every template weight; the others keep the as-drawn, blurred
/// template's score ([`glyphs::quick_score`]).
pub const FULL_SCORES: usize = 6;
/// The OCR-B pitch at 10 characters per inch, mm.
pub const PITCH_MM: f64 = 2.54;

/// The pitches a line's cells may have, mm: ink is chained across gaps under 1.2 `nominal`
/// pitches, and the pitch fitted lies within `min..=max` (before the final ±4 % search).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PitchRange {
    pub nominal: f64,
    pub min: f64,
    pub max: f64,
    /// Text left of the characters (a label) may chain with them: the characters may then
    /// begin at any inked run of the chain, and the start whose cells' boundaries hold the
    /// least ink wins (the leftmost on a tie).
    pub trim_left: bool,
}

impl PitchRange {
    /// The MRZ's: OCR-B at 10 characters per inch ([`PITCH_MM`]), ±12 %, the whole chain.
    pub const MRZ: PitchRange = PitchRange {
        nominal: PITCH_MM,
        min: 0.88 * PITCH_MM,
        max: 1.12 * PITCH_MM,
        trim_left: false,
    };
}

/// The band's darkness and ink.
pub struct Ink {
    pub width: usize,
    pub height: usize,
    pub px_per_mm: f64,
    /// Darkness 0–255 (ink high).
    pub dark: Vec<u8>,
    pub threshold: f32,
}

/// A text line: rows `top..bottom` of the band.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Line {
    pub top: usize,
    pub bottom: usize,
}

/// One cell read: per class its correlation, and the samples taken where that class's box
/// put the ink.
#[derive(Clone, Debug, PartialEq)]
pub struct CellRead {
    pub scores: [f32; 37],
    samples: Vec<Vec<f32>>,
    placement: [usize; 37],
}

impl CellRead {
    /// A read with scores only (no samples: no pair test), for tests of the decisions.
    #[cfg(test)]
    #[must_use]
    pub(crate) fn from_scores(scores: [f32; 37]) -> CellRead {
        CellRead {
            scores,
            samples: Vec::new(),
            placement: [usize::MAX; 37],
        }
    }

    /// The samples `class` was scored on (raw darkness on the template grid).
    #[must_use]
    pub fn samples(&self, class: usize) -> Option<&[f32]> {
        self.samples
            .get(*self.placement.get(class)?)
            .map(Vec::as_slice)
    }

    /// [`glyphs::pair_margin`] of classes `a` and `b` on this cell.
    #[must_use]
    pub fn pair_margin(&self, a: usize, b: usize) -> Option<f32> {
        glyphs::pair_margin(a, self.samples(a)?, b, self.samples(b)?)
    }

    /// The lead of `class`, read with correlation `score`, over the best scored class other
    /// than it that `rival` admits: `score` minus that class's correlation, 1 without a
    /// rival. Under `min_margin` (and against a rival that correlates at all) the pair test
    /// decides: `max(lead, pair_weight · pair margin)` when `class` wins it, 0 when the
    /// rival does. The MRZ's and the ID number's readers both judge a character by it.
    #[must_use]
    pub fn lead(
        &self,
        class: usize,
        score: f32,
        rival: impl Fn(usize) -> bool,
        min_margin: f32,
        pair_weight: f32,
    ) -> f32 {
        let s = &self.scores;
        let Some(other) = (0..s.len())
            .filter(|&c| c != class && rival(c))
            .max_by(|&a, &b| s[a].total_cmp(&s[b]))
        else {
            return 1.0;
        };
        let plain = score - s[other];
        if plain >= min_margin || s[other] < 0.0 {
            return plain;
        }
        match self.pair_margin(class, other) {
            Some(pair) if pair > 0.0 => plain.max(pair_weight * pair),
            Some(_) => 0.0,
            None => plain,
        }
    }
}

/// The character cells of a line: cell `k` spans `x0 + k·pitch .. x0 + (k+1)·pitch`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cells {
    pub line: Line,
    pub x0: f64,
    pub pitch: f64,
    pub count: usize,
}

/// Max over ±`r` along each row of a `w × h` image: [`row_max_blocks`]' values, made in
/// SIMD lanes. Away from the ends the window `x−r ..= x+r` exactly, as the maximum of two
/// overlapping power-of-two spans (each made by doubling: `m₂ₚ[i] = max(mₚ[i], mₚ[i+p])`,
/// whole-row passes over shifted slices); within `r` of an end, the block-widened window of
/// [`row_max_blocks`], from its prefix and suffix maxima there alone.
fn row_max(values: &[u8], w: usize, r: usize) -> Vec<u8> {
    let win = 2 * r + 1;
    if w < 4 * win {
        return row_max_blocks(values, w, r);
    }
    let mut out = vec![0; values.len()];
    let (mut cur, mut next) = (vec![0u8; w], vec![0u8; w]);
    // The last block's start, where the prefix maxima of the right end begin.
    let last_start = (w - 1) / win * win;
    for (row, dst) in values.chunks_exact(w).zip(out.chunks_exact_mut(w)) {
        // Left end (x < r): the window from 0 widens to block 0, `0 ..= win−1` (x + r < win).
        let first = row[..win].iter().copied().fold(0, u8::max);
        dst[..r].fill(first);
        // Middle: `cur[i] = max(row[i .. i+p])`, valid for i ≤ w − p.
        cur.copy_from_slice(row);
        let (mut p, mut n) = (1, w);
        while 2 * p <= win {
            let m = n - p;
            for ((o, &a), &b) in next[..m].iter_mut().zip(&cur[..m]).zip(&cur[p..n]) {
                *o = a.max(b);
            }
            std::mem::swap(&mut cur, &mut next);
            (p, n) = (2 * p, m);
        }
        let (len, off) = (w - 2 * r, win - p);
        for ((d, &a), &b) in dst[r..w - r]
            .iter_mut()
            .zip(&cur[..len])
            .zip(&cur[off..off + len])
        {
            *d = a.max(b);
        }
        // Right end (x + r > w − 1): max(suffix max from x − r, prefix max of the last
        // block up to w − 1), the suffix maxima made backwards as the blocks do.
        let pre_last = row[last_start..].iter().copied().fold(0, u8::max);
        let mut suf = 0u8;
        for a in (w - 2 * r..w).rev() {
            suf = if a + 1 == w || (a + 1) % win == 0 {
                row[a]
            } else {
                suf.max(row[a])
            };
            if a + r < w {
                dst[a + r] = suf.max(pre_last);
            }
        }
    }
    out
}

/// [`row_max`] by blocks (van Herk / Gil-Werman: a prefix and a suffix maximum per block of
/// `2r + 1`, so three comparisons per pixel for any `r`), for short rows and the tests.
fn row_max_blocks(values: &[u8], w: usize, r: usize) -> Vec<u8> {
    let win = 2 * r + 1;
    let mut out = vec![0; values.len()];
    let (mut pre, mut suf) = (vec![0u8; w], vec![0u8; w]);
    // Blocks start every `win` columns (once per image, not a division per pixel).
    let start: Vec<bool> = (0..w).map(|x| x % win == 0).collect();
    for (row, dst) in values.chunks_exact(w).zip(out.chunks_exact_mut(w)) {
        for x in 0..w {
            pre[x] = if start[x] {
                row[x]
            } else {
                pre[x - 1].max(row[x])
            };
        }
        for x in (0..w).rev() {
            suf[x] = if x + 1 == w || start[x + 1] {
                row[x]
            } else {
                suf[x + 1].max(row[x])
            };
        }
        // max(row[x−r ..= x+r]) = max(suf[x−r], pre[x+r]): the window spans at most two
        // blocks. Clamped at the row's ends it may widen to its block (a background estimate).
        for (x, d) in dst.iter_mut().enumerate() {
            *d = suf[x.saturating_sub(r)].max(pre[(x + r).min(w - 1)]);
        }
    }
    out
}

/// Max over ±`r` rows of a `w × h` image: [`row_max`]'s blocks along the columns, computed
/// a whole row at a time (contiguous, no transpose).
fn col_max(values: &[u8], w: usize, r: usize) -> Vec<u8> {
    let h = values.len() / w.max(1);
    let win = 2 * r + 1;
    let row = |_: &[u8], y: usize| y * w..(y + 1) * w;
    let (mut pre, mut suf) = (values.to_vec(), values.to_vec());
    for y in 1..h {
        if y % win != 0 {
            let (done, rest) = pre.split_at_mut(y * w);
            for (p, q) in rest[..w].iter_mut().zip(&done[(y - 1) * w..]) {
                *p = (*p).max(*q);
            }
        }
    }
    for y in (0..h.saturating_sub(1)).rev() {
        if (y + 1) % win != 0 {
            let (head, tail) = suf.split_at_mut((y + 1) * w);
            for (p, q) in head[y * w..].iter_mut().zip(&tail[..w]) {
                *p = (*p).max(*q);
            }
        }
    }
    let mut out = vec![0; values.len()];
    for y in 0..h {
        let (lo, hi) = (y.saturating_sub(r), (y + r).min(h - 1));
        for ((o, a), b) in out[row(values, y)]
            .iter_mut()
            .zip(&suf[row(values, lo)])
            .zip(&pre[row(values, hi)])
        {
            *o = (*a).max(*b);
        }
    }
    out
}

impl Ink {
    /// Darkness and the ink threshold of `band`.
    #[must_use]
    pub fn of(band: &Band) -> Ink {
        let (w, h) = (band.width, band.height);
        let luma = &band.luma;
        let r = (BACKGROUND_MM * band.px_per_mm).round() as usize;
        let rows = row_max(luma, w, r);
        let bg = col_max(&rows, w, r);
        let dark: Vec<u8> = bg
            .iter()
            .zip(luma)
            .map(|(b, l)| b.saturating_sub(*l))
            .collect();
        // p99 of the darkness above 4, from a histogram of whole levels.
        let mut hist = [0usize; 256];
        for &d in &dark {
            hist[usize::from(d)] += 1;
        }
        let above: usize = hist[5..].iter().sum();
        let (mut seen, mut p99) = (0, 0.0f32);
        for (level, &n) in hist.iter().enumerate().skip(5) {
            seen += n;
            if seen * 100 > above * 99 {
                p99 = level as f32;
                break;
            }
        }
        Ink {
            width: w,
            height: h,
            px_per_mm: band.px_per_mm,
            dark,
            threshold: (0.4 * p99).max(24.0),
        }
    }

    fn inked(&self, x: usize, y: usize) -> bool {
        f32::from(self.dark[y * self.width + x]) >= self.threshold
    }

    /// Text lines, top to bottom.
    #[must_use]
    pub fn lines(&self) -> Vec<Line> {
        let min_row = (ROW_INK * self.width as f64).ceil() as usize;
        let rows: Vec<bool> = (0..self.height)
            .map(|y| (0..self.width).filter(|&x| self.inked(x, y)).count() >= min_row)
            .collect();
        let (lo, hi) = (
            (1.5 * self.px_per_mm) as usize,
            (4.5 * self.px_per_mm).ceil() as usize,
        );
        let mut out = Vec::new();
        let mut y = 0;
        while y < self.height {
            if !rows[y] {
                y += 1;
                continue;
            }
            let top = y;
            while y < self.height && rows[y] {
                y += 1;
            }
            if (lo..=hi).contains(&(y - top)) {
                out.push(Line { top, bottom: y });
            }
        }
        out
    }

    /// The `count` cells of `line` at the MRZ's pitch ([`PitchRange::MRZ`]).
    #[must_use]
    pub fn cells(&self, line: Line, count: usize) -> Option<Cells> {
        self.cells_in(line, count, PitchRange::MRZ)
    }

    /// The `count` cells of `line`, `None` when its inked extent does not fit `count`
    /// characters at a pitch within `pitch`.
    #[must_use]
    pub fn cells_in(&self, line: Line, count: usize, pitch: PitchRange) -> Option<Cells> {
        let col: Vec<f32> = (0..self.width)
            .map(|x| {
                (line.top..line.bottom)
                    .filter(|&y| self.inked(x, y))
                    .count() as f32
            })
            .collect();
        let nominal = pitch.nominal * self.px_per_mm;
        // The longest chain of inked columns with gaps under 1.2 pitches.
        let max_gap = (1.2 * nominal) as usize;
        let mut chains: Vec<(usize, usize)> = Vec::new();
        for x in (0..self.width).filter(|&x| col[x] > 0.0) {
            match chains.last_mut() {
                Some(c) if x - c.1 <= max_gap => c.1 = x,
                _ => chains.push((x, x)),
            }
        }
        let best = chains.into_iter().max_by_key(|c| c.1 - c.0)?;
        let right = best.1 as f64 + 1.0;
        let range = pitch.min * self.px_per_mm..=pitch.max * self.px_per_mm;
        // Where the characters may begin, with the pitch that start implies.
        let starts: Vec<(f64, f64)> = (best.0..=best.1)
            .filter(|&x| x == best.0 || (pitch.trim_left && col[x] > 0.0 && col[x - 1] == 0.0))
            .map(|x| (x as f64, (right - x as f64) / (count as f64 - 0.3)))
            .filter(|(_, estimate)| range.contains(estimate))
            .collect();
        // Ink on the n + 1 boundaries, linearly interpolated between columns.
        let at = |x: f64| {
            if x < 0.0 || x >= (self.width - 1) as f64 {
                return 0.0;
            }
            let i = x.floor() as usize;
            let f = (x - i as f64) as f32;
            col[i] * (1.0 - f) + col[i + 1] * f
        };
        let mut fit: Option<(f32, f64, f64)> = None;
        for (left, estimate) in starts {
            for ps in -16..=16 {
                let pitch = estimate * (1.0 + f64::from(ps) * 0.0025);
                let steps = (pitch * 4.0) as i32;
                for xs in 0..=steps {
                    let x0 = left - pitch + f64::from(xs) * 0.25;
                    let cost: f32 = (0..=count).map(|k| at(x0 + k as f64 * pitch)).sum();
                    if fit.is_none_or(|f| cost < f.0) {
                        fit = Some((cost, x0, pitch));
                    }
                }
            }
        }
        let (_, x0, pitch) = fit?;
        Some(Cells {
            line,
            x0,
            pitch,
            count,
        })
    }

    pub(crate) fn dark_at(&self, x: f64, y: f64) -> f32 {
        let (u, v) = (x - 0.5, y - 0.5);
        let (w, h) = (self.width as i64, self.height as i64);
        let (x0, y0) = (u.floor() as i64, v.floor() as i64);
        let (fx, fy) = ((u - x0 as f64) as f32, (v - y0 as f64) as f32);
        let at = |x: i64, y: i64| {
            if x < 0 || y < 0 || x >= w || y >= h {
                0.0
            } else {
                f32::from(self.dark[(y * w + x) as usize])
            }
        };
        let top = at(x0, y0) * (1.0 - fx) + at(x0 + 1, y0) * fx;
        let bottom = at(x0, y0 + 1) * (1.0 - fx) + at(x0 + 1, y0 + 1) * fx;
        top * (1.0 - fy) + bottom * fy
    }

    /// The box of the ink of cell `k` (left, right, top, bottom, band pixels), searched
    /// between the cell's snapped boundaries and a third of the line's height above and
    /// below it; `None` for a blank cell.
    pub(crate) fn ink_box(&self, cells: &Cells, k: usize) -> Option<[f64; 4]> {
        let (p, line) = (cells.pitch, cells.line);
        let cap = (line.bottom - line.top) as f64;
        let y0 = (line.top as f64 - cap / 3.0).max(0.0) as usize;
        let y1 = ((line.bottom as f64 + cap / 3.0).ceil() as usize).min(self.height);
        // Each boundary snaps to the emptiest column within ±0.3 pitch (the nearest on a
        // tie): the fitted pitch drifts under a quad a little off, the gaps do not.
        let ink_in = |x: usize| (y0..y1).filter(|&y| self.inked(x, y)).count();
        let snap = |at: f64| {
            let lo = (at - 0.3 * p).max(0.0) as usize;
            let hi = ((at + 0.3 * p).ceil() as usize).min(self.width.saturating_sub(1));
            (lo..=hi)
                .min_by(|&a, &b| {
                    (ink_in(a), (a as f64 - at).abs())
                        .partial_cmp(&(ink_in(b), (b as f64 - at).abs()))
                        .unwrap_or(std::cmp::Ordering::Equal)
                })
                .unwrap_or(lo)
        };
        let x0 = snap(cells.x0 + k as f64 * p);
        let x1 = (snap(cells.x0 + (k as f64 + 1.0) * p) + 1).min(self.width);
        let mut b: Option<[f64; 4]> = None;
        for y in y0..y1 {
            for x in x0..x1 {
                if self.inked(x, y) {
                    let (fx, fy) = (x as f64, y as f64);
                    b = Some(b.map_or([fx, fx + 1.0, fy, fy + 1.0], |b| {
                        [
                            b[0].min(fx),
                            b[1].max(fx + 1.0),
                            b[2].min(fy),
                            b[3].max(fy + 1.0),
                        ]
                    }));
                }
            }
        }
        b
    }

    /// Cell `k` of `cells`: each allowed class's correlation (−1 for the others) and the
    /// samples it was computed from, `None` for a blank cell. For each class, the cell's ink box is mapped onto the class's own box
    /// in its template ([`glyphs::class_box`]): top to top and bottom to bottom, centre to
    /// centre across; so a digit taller than the capitals, a narrow `I` or a small `<` is
    /// compared at its own height and place.
    #[must_use]
    pub fn read_cell(&self, cells: &Cells, k: usize, allowed: Alphabet) -> Option<CellRead> {
        let ink = self.ink_box(cells, k)?;
        let cap = (cells.line.bottom - cells.line.top) as f64;
        let mut out = [-1.0f32; 37];
        let mut samples = vec![0.0f32; glyphs::COLS * glyphs::ROWS];
        // Classes with the same box share one sampling (boxes are whole template cells:
        // exact keys); most capitals and digits share a handful.
        let mut sampled: Vec<([i64; 3], Option<Cell>, Vec<f32>)> = Vec::new();
        let mut placement = [usize::MAX; 37];
        for (class, slot) in out.iter_mut().enumerate() {
            if !allowed.contains(class) {
                continue;
            }
            let [u0, u1, v0, v1] = glyphs::class_box(class);
            let key = [
                ((u0 + u1) * 2.0 * glyphs::COLS as f64).round() as i64,
                (v0 * glyphs::ROWS as f64).round() as i64,
                (v1 * glyphs::ROWS as f64).round() as i64,
            ];
            if let Some(at) = sampled.iter().position(|(k, _, _)| *k == key) {
                if let Some(cell) = &sampled[at].1 {
                    *slot = glyphs::quick_score(cell, class);
                }
                placement[class] = at;
                continue;
            }
            // The ink must be about as tall as the class's: a `<` stretched to a capital's
            // height is not an `X`.
            let expected = (v1 - v0) * cap * (1.0 + 2.0 * glyphs::MARGIN);
            if !(1.0 / SIZE_TOLERANCE..=SIZE_TOLERANCE).contains(&((ink[3] - ink[2]) / expected)) {
                continue;
            }
            // Rows: grid fraction v0 ↦ the ink's top, v1 ↦ its bottom. Columns: one pitch
            // across, the class's box centred on the ink's.
            let sy = (ink[3] - ink[2]) / (v1 - v0).max(1e-3);
            let left = (ink[0] + ink[1]) / 2.0 - (u0 + u1) / 2.0 * cells.pitch;
            for j in 0..glyphs::ROWS {
                let y = ink[2] + ((j as f64 + 0.5) / glyphs::ROWS as f64 - v0) * sy;
                for i in 0..glyphs::COLS {
                    let x = left + (i as f64 + 0.5) / glyphs::COLS as f64 * cells.pitch;
                    samples[j * glyphs::COLS + i] = self.dark_at(x, y);
                }
            }
            let cell = Cell::new(&samples);
            if let Some(cell) = &cell {
                *slot = glyphs::quick_score(cell, class);
            }
            placement[class] = sampled.len();
            sampled.push((key, cell, samples.clone()));
        }
        // Every weight only for the likeliest classes (the quick score is a lower bound).
        let mut order: Vec<usize> = (0..37).filter(|&c| out[c] > -1.0).collect();
        order.sort_by(|&a, &b| out[b].total_cmp(&out[a]));
        for &class in order.iter().take(FULL_SCORES) {
            if let Some(cell) = sampled.get(placement[class]).and_then(|p| p.1.as_ref()) {
                out[class] = glyphs::score(cell, class);
            }
        }
        Some(CellRead {
            scores: out,
            samples: sampled.into_iter().map(|(_, _, s)| s).collect(),
            placement,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_running_maximum_is_the_window_maximum() {
        // Against the direct maximum over ±2, away from the ends.
        let w = 23;
        let v: Vec<u8> = (0..w).map(|i| ((i * 37 + 11) % 17) as u8).collect();
        let m = row_max(&v, w, 2);
        for x in 2..w - 2 {
            let direct = v[x - 2..=x + 2].iter().copied().max().unwrap_or(0);
            assert_eq!(m[x], direct, "at {x}");
        }
        // Down the columns, the same maximum (a 1 × 23 column is the row above).
        assert_eq!(col_max(&v, 1, 2)[2..w - 2], m[2..w - 2]);
    }

    #[test]
    fn the_fast_running_maximum_is_the_blocks_one() {
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        for (w, r) in [
            (140, 16),
            (133, 16),
            (200, 16),
            (100, 2),
            (101, 3),
            (37, 4),
            (64, 7),
        ] {
            let v: Vec<u8> = (0..w * 3)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    (seed >> 11) as u8
                })
                .collect();
            assert_eq!(row_max(&v, w, r), row_max_blocks(&v, w, r), "w {w} r {r}");
        }
    }
}
