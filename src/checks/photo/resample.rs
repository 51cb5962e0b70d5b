//! Area-weighted resampling: the fractional step after a [`super::pyramid`] level, for the
//! working image when its box factor is not a power of two, and for the document image.
//!
//! Output pixel `o` of an axis averages the input interval `[o/s, (o+1)/s)` with weights
//! equal to the overlap of each input pixel with it (an exact area filter for any scale
//! `s ≤ 1`). Weights are `f32`, sums in the same order on every target, so the CLI and the
//! wasm worker give the same bytes.

/// Resamples a `width × height` RGBA image, fed as whole rows top to bottom in bands of any
/// height, to `out_width × out_height` RGB at scale `s` (output pixels per input pixel on
/// both axes; `out / s ≤ in`): the rows are never all in memory at once. The result does not
/// depend on how the rows are split.
pub struct AreaBuilder {
    width: usize,
    out: (usize, usize),
    /// Horizontal taps, [`Self::xk`] per output column (padded with weight-0 taps: adding
    /// `+0.0` leaves a sum of non-negative terms bit for bit as it was).
    xw: Vec<(usize, f32)>,
    xk: usize,
    /// Each output column's first tap, when every column's taps are consecutive input
    /// columns (then its `xk` pixels are one slice: [`Self::pixels`] is padded with `xk`
    /// zero pixels, under weight-0 taps, which add `+0.0` as the padded taps do).
    xfirst: Option<Vec<usize>>,
    /// Vertical taps per output row.
    yw: Vec<Vec<(usize, f32)>>,
    /// Output rows `first_open..` being summed, `out.0 · 3` each.
    open: std::collections::VecDeque<Vec<f32>>,
    first_open: usize,
    /// The next input row.
    row: usize,
    /// Finished output, RGB.
    rgb: Vec<u8>,
    /// Bytes of a partial row carried over to the next push.
    carry: Vec<u8>,
    /// A copy: same size, scale 1.
    copy: bool,
    /// The current row's horizontal pass, and finished output rows' buffers for reuse.
    line: Vec<f32>,
    spare: Vec<Vec<f32>>,
    /// The current input row as f32.
    pixels: Vec<[f32; 4]>,
}

impl AreaBuilder {
    #[must_use]
    pub fn new((width, height): (u32, u32), (out_w, out_h): (u32, u32), s: f64) -> AreaBuilder {
        let (w, h) = (width as usize, height as usize);
        let out = (out_w as usize, out_h as usize);
        let copy = out == (w, h) && (s - 1.0).abs() < 1e-12;
        // Horizontal taps padded to the most any output has.
        let xtaps = if copy {
            Vec::new()
        } else {
            weights(w, out.0, s)
        };
        let xk = xtaps.iter().map(Vec::len).max().unwrap_or(0);
        let consecutive = xtaps
            .iter()
            .all(|t| t.iter().enumerate().all(|(k, &(x, _))| x == t[0].0 + k));
        let xfirst =
            consecutive.then(|| xtaps.iter().map(|t| t.first().map_or(0, |f| f.0)).collect());
        AreaBuilder {
            width: w,
            out,
            xw: padded(&xtaps, xk),
            xk,
            xfirst,
            yw: if copy {
                Vec::new()
            } else {
                weights(h, out.1, s)
            },
            open: std::collections::VecDeque::new(),
            first_open: 0,
            row: 0,
            rgb: Vec::with_capacity(out.0 * out.1 * 3),
            carry: Vec::new(),
            copy,
            // One float past the last pixel: [`horizontal_runs`] stores four lanes a pixel.
            line: vec![0f32; if copy { 0 } else { out.0 * 3 + 1 }],
            spare: Vec::new(),
            pixels: Vec::with_capacity(if copy { 0 } else { w }),
        }
    }

    /// Adds the next RGBA rows (`width · 4` bytes each; a partial last row is kept for the
    /// next call).
    pub fn push_rows(&mut self, rows: &[u8]) {
        let mut carry = std::mem::take(&mut self.carry);
        whole_rows(&mut carry, rows, self.width * 4, |row| self.push_row(row));
        self.carry = carry;
    }

    fn push_row(&mut self, row: &[u8]) {
        let i = self.row;
        self.row += 1;
        let ow = self.out.0;
        if self.copy {
            if i < self.out.1 {
                let start = self.rgb.len();
                self.rgb.resize(start + ow * 3, 0);
                for (out, px) in self.rgb[start..]
                    .chunks_exact_mut(3)
                    .zip(row.chunks_exact(4))
                {
                    out.copy_from_slice(&px[..3]);
                }
            }
            return;
        }
        // Horizontal pass of this row, on its pixels as f32 (each converted once, not once
        // per tap), four lanes (alpha unused): the same products and sums per channel, in
        // order.
        self.pixels.clear();
        self.pixels.extend(
            row.chunks_exact(4)
                .map(|p| [p[0], p[1], p[2], p[3]].map(f32::from)),
        );
        // The common tap counts with the count fixed at compile time (the tap loop unrolled);
        // the same products and sums, in the same order.
        let (xw, line) = (&self.xw, &mut self.line);
        match (&self.xfirst, self.xk) {
            (Some(first), k @ 2..=4) => {
                self.pixels.resize(self.width + k, [0.0; 4]);
                let pixels = &self.pixels;
                match k {
                    2 => horizontal_runs::<2>(first, xw, pixels, line),
                    3 => horizontal_runs::<3>(first, xw, pixels, line),
                    _ => horizontal_runs::<4>(first, xw, pixels, line),
                }
            }
            (_, 2) => horizontal::<2>(xw, &self.pixels, line),
            (_, 3) => horizontal::<3>(xw, &self.pixels, line),
            (_, 4) => horizontal::<4>(xw, &self.pixels, line),
            (_, k) => horizontal_any(k.max(1), xw, &self.pixels, line),
        }
        // Into every output row whose interval holds input row i, in input-row order.
        let mut o = self.first_open;
        while o < self.out.1 {
            let Some(wt) = self.yw[o].iter().find(|t| t.0 == i).map(|t| t.1) else {
                if self.yw[o].first().is_some_and(|t| t.0 > i) {
                    break;
                }
                o += 1;
                continue;
            };
            let k = o - self.first_open;
            while self.open.len() <= k {
                let mut row = self.spare.pop().unwrap_or_default();
                row.clear();
                row.resize(ow * 3, 0.0);
                self.open.push_back(row);
            }
            for (a, v) in self.open[k].iter_mut().zip(&self.line) {
                *a += wt * v;
            }
            o += 1;
        }
        // Output rows whose last input row this was are done.
        while self.first_open < self.out.1
            && self.yw[self.first_open].last().is_none_or(|t| t.0 <= i)
        {
            match self.open.pop_front() {
                Some(acc) => {
                    // Into a sized slice, not `extend`: the loop runs in SIMD lanes.
                    let start = self.rgb.len();
                    self.rgb.resize(start + acc.len(), 0);
                    for (out, &a) in self.rgb[start..].iter_mut().zip(&acc) {
                        *out = round_to_u8(a);
                    }
                    self.spare.push(acc);
                }
                None => self.rgb.resize(self.rgb.len() + ow * 3, 0),
            }
            self.first_open += 1;
        }
    }

    /// The resampled RGB (`out_width × out_height × 3`; rows never fed are black).
    #[must_use]
    pub fn finish(mut self) -> Vec<u8> {
        self.rgb.resize(self.out.0 * self.out.1 * 3, 0);
        self.rgb
    }
}

/// One row's horizontal pass: output `o` (RGB into `line[3o..]`) is `Σ wt × pixel` over its
/// `K` taps `xw[K·o..]`, summed in tap order from 0 (a tap past the row adds nothing).
fn horizontal<const K: usize>(xw: &[(usize, f32)], pixels: &[[f32; 4]], line: &mut [f32]) {
    for (taps, out) in xw.chunks_exact(K).zip(line.chunks_exact_mut(3)) {
        let mut acc = [0f32; 4];
        for &(x, wt) in &taps[..K] {
            if let Some(px) = pixels.get(x) {
                for (a, &v) in acc.iter_mut().zip(px) {
                    *a += wt * v;
                }
            }
        }
        out.copy_from_slice(&acc[..3]);
    }
}

/// [`horizontal`] when each output's taps are the consecutive pixels from `first[o]`: one
/// slice of `K` pixels per output (one bounds check, not one per tap), the same products
/// and sums in the same order. `pixels` ends in `K` zero pixels (under weight-0 taps only).
/// All four lanes are stored (so the sums run as one SIMD vector, not two lanes and one):
/// the fourth over the next pixel's first, which that pixel then writes; `line` has one
/// float past its `3 · outputs`.
fn horizontal_runs<const K: usize>(
    first: &[usize],
    xw: &[(usize, f32)],
    pixels: &[[f32; 4]],
    line: &mut [f32],
) {
    for (o, (&x, taps)) in first.iter().zip(xw.chunks_exact(K)).enumerate() {
        let mut acc = [0f32; 4];
        for (&(_, wt), px) in taps[..K].iter().zip(&pixels[x..x + K]) {
            for (a, &v) in acc.iter_mut().zip(px) {
                *a += wt * v;
            }
        }
        line[3 * o..3 * o + 4].copy_from_slice(&acc);
    }
}

/// [`horizontal`] for `k` taps per output, `k` known only at run time.
fn horizontal_any(k: usize, xw: &[(usize, f32)], pixels: &[[f32; 4]], line: &mut [f32]) {
    for (taps, out) in xw.chunks_exact(k).zip(line.chunks_exact_mut(3)) {
        let mut acc = [0f32; 4];
        for &(x, wt) in taps {
            if let Some(px) = pixels.get(x) {
                for (a, &v) in acc.iter_mut().zip(px) {
                    *a += wt * v;
                }
            }
        }
        out.copy_from_slice(&acc[..3]);
    }
}

/// Hands each whole row of `stride` bytes in `band` to `each`, the first completing the
/// partial row left in `carry` by the previous band; keeps this band's partial last row in
/// `carry`. Rows may come in bands of any length (a source's bands, or bytes).
pub fn whole_rows(carry: &mut Vec<u8>, band: &[u8], stride: usize, mut each: impl FnMut(&[u8])) {
    if stride == 0 {
        return;
    }
    let mut band = band;
    if !carry.is_empty() {
        let take = (stride - carry.len()).min(band.len());
        carry.extend_from_slice(&band[..take]);
        band = &band[take..];
        if carry.len() < stride {
            return;
        }
        each(carry);
        carry.clear();
    }
    let mut rows = band.chunks_exact(stride);
    for row in &mut rows {
        each(row);
    }
    carry.extend_from_slice(rows.remainder());
}

/// `a.round().clamp(0.0, 255.0) as u8` (half away from zero), without the library call
/// `f32::round` is on targets with no rounding instruction (x86-64 before SSE4.1): `a as
/// u8` truncates and saturates (below 0 and NaN → 0), and the fraction `a − trunc(a)` is
/// exact.
#[inline]
#[must_use]
pub fn round_to_u8(a: f32) -> u8 {
    // The same byte as `t = a as u8; t + (t < 255 && a − t ≥ 0.5)`, in f32 lanes only (a
    // saturating float-to-int conversion does not vectorise on x86): `a` clamped to
    // [0, 255] first (NaN → 0; below 0 and from 255 up both forms give 0 and 255), its
    // integer part by the 2²³ rounding (nearest, one less when that is above), and the byte
    // read from the mantissa of `2²³ + result` (every step exact on integers below 2²³).
    const MAGIC: f32 = 8_388_608.0;
    #[allow(clippy::manual_clamp)] // `clamp` keeps a NaN; this gives 0 for it
    let c = a.max(0.0).min(255.0);
    let nearest = (c + MAGIC) - MAGIC;
    let t = if nearest > c { nearest - 1.0 } else { nearest };
    let rounded = t + if c - t >= 0.5 { 1.0 } else { 0.0 };
    ((rounded + MAGIC).to_bits() & 0xff) as u8
}

/// `taps` flattened, `k` per output, the missing ones weight 0 on the output's last input
/// pixel.
fn padded(taps: &[Vec<(usize, f32)>], k: usize) -> Vec<(usize, f32)> {
    let mut out = Vec::with_capacity(taps.len() * k);
    for t in taps {
        let last = t.last().map_or(0, |l| l.0);
        out.extend(t.iter().copied());
        out.extend(std::iter::repeat_n((last, 0.0), k - t.len()));
    }
    out
}

/// For each of `n_out` output pixels, its input pixels and weights (summing to 1).
fn weights(n_in: usize, n_out: usize, s: f64) -> Vec<Vec<(usize, f32)>> {
    (0..n_out)
        .map(|o| {
            let (a, b) = (o as f64 / s, (o + 1) as f64 / s);
            let (first, last) = (a.floor() as usize, (b.ceil() as usize).min(n_in));
            let taps: Vec<(usize, f64)> = (first..last)
                .map(|i| {
                    let lo = a.max(i as f64);
                    let hi = b.min((i + 1) as f64);
                    (i, (hi - lo).max(0.0))
                })
                .filter(|t| t.1 > 0.0)
                .collect();
            let total: f64 = taps.iter().map(|t| t.1).sum();
            taps.into_iter()
                .map(|(i, wt)| (i, (wt / total.max(f64::MIN_POSITIVE)) as f32))
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consecutive_taps_give_the_same_sums() {
        let w = 101;
        let pixels: Vec<[f32; 4]> = (0..w)
            .map(|i| [0, 1, 2, 3].map(|c| ((i * 7919 + c * 131) % 256) as f32))
            .collect();
        for (ow, s) in [(50usize, 0.5), (67, 2.0 / 3.0), (40, 0.4), (30, 0.3)] {
            let taps = weights(w, ow, s);
            let k = taps.iter().map(Vec::len).max().unwrap_or(0);
            let xw = padded(&taps, k);
            let first: Vec<usize> = taps.iter().map(|t| t[0].0).collect();
            let mut padded_px = pixels.clone();
            padded_px.resize(w + k, [0.0; 4]);
            let (mut a, mut b) = (vec![0f32; ow * 3 + 1], vec![0f32; ow * 3 + 1]);
            match k {
                2 => {
                    horizontal::<2>(&xw, &pixels, &mut a);
                    horizontal_runs::<2>(&first, &xw, &padded_px, &mut b);
                }
                3 => {
                    horizontal::<3>(&xw, &pixels, &mut a);
                    horizontal_runs::<3>(&first, &xw, &padded_px, &mut b);
                }
                4 => {
                    horizontal::<4>(&xw, &pixels, &mut a);
                    horizontal_runs::<4>(&first, &xw, &padded_px, &mut b);
                }
                _ => panic!("{k} taps"),
            }
            let bits = |v: &[f32]| v[..ow * 3].iter().map(|f| f.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&a), bits(&b), "{ow} at {s}");
        }
    }

    #[test]
    fn bands_of_any_height_give_the_same_image() {
        let (w, h) = (37u32, 29u32);
        let rgba: Vec<u8> = (0..w * h * 4).map(|i| (i * 7919 % 251) as u8).collect();
        for (out, s) in [
            ((24u32, 19u32), 2.0 / 3.0),
            ((12, 9), 1.0 / 3.0),
            ((37, 29), 1.0),
        ] {
            let mut whole = AreaBuilder::new((w, h), out, s);
            whole.push_rows(&rgba);
            let whole = whole.finish();
            assert_eq!(whole.len(), (out.0 * out.1 * 3) as usize);
            for band in [1usize, 5, 13, 100, 4 * 37 + 3] {
                let mut b = AreaBuilder::new((w, h), out, s);
                for part in rgba.chunks(band) {
                    b.push_rows(part);
                }
                assert_eq!(b.finish(), whole, "{out:?} in bands of {band} bytes");
            }
        }
        // An exact 3×3 box: 3-px stripes of 0 and 255 stay 0 and 255.
        let rgba: Vec<u8> = (0..6 * 3)
            .flat_map(|i| if i % 6 < 3 { [0, 0, 0, 255] } else { [255; 4] })
            .collect();
        let mut b = AreaBuilder::new((6, 3), (2, 1), 1.0 / 3.0);
        b.push_rows(&rgba);
        assert_eq!(b.finish(), vec![0, 0, 0, 255, 255, 255]);
    }

    #[test]
    fn round_to_u8_is_round_and_clamp() {
        let mut values = vec![f32::NAN, f32::INFINITY, f32::NEG_INFINITY, -0.0, 0.5, -0.5];
        // Every f32 from −2 to 300 near a half or a whole (adjacent floats included), and a
        // regular sweep.
        for k in -4..=600 {
            let v = k as f32 / 2.0;
            values.extend([
                v,
                f32::from_bits(v.to_bits() + 1),
                f32::from_bits(v.to_bits().wrapping_sub(1)),
            ]);
        }
        values.extend((0..3_000_000).map(|i| i as f32 * 1e-4 - 2.0));
        for a in values {
            assert_eq!(round_to_u8(a), a.round().clamp(0.0, 255.0) as u8, "{a}");
        }
    }

    #[test]
    fn weights_sum_to_one() {
        for (n, s) in [(10usize, 0.8), (7, 0.55), (100, 0.99), (90, 1.0 / 3.0)] {
            let out = ((n as f64) * s).floor() as usize;
            for taps in weights(n, out, s) {
                let sum: f32 = taps.iter().map(|t| t.1).sum();
                assert!((sum - 1.0).abs() < 1e-5, "{n} {s}: {taps:?}");
                assert!(taps.len() <= (1.0 / s).ceil() as usize + 1);
            }
        }
    }

    #[test]
    fn a_two_thirds_step_averages_one_and_a_half_pixels() {
        // One row 0, 255, 0, 255, 0, 255 (6 px) at s = 2/3 → 4 px, each averaging 1.5 px:
        // [0, 1.5) = (0 + 0.5 · 255) / 1.5 = 85, [1.5, 3) = 85, [3, 4.5) = 170, [4.5, 6) = 170.
        let rgb: Vec<u8> = [0u8, 255, 0, 255, 0, 255]
            .iter()
            .flat_map(|&v| [v, v, v])
            .collect();
        let rgba: Vec<u8> = rgb
            .chunks(3)
            .flat_map(|p| [p[0], p[1], p[2], 255])
            .collect();
        let resample = |out: (u32, u32), s: f64| {
            let mut b = AreaBuilder::new((6, 1), out, s);
            b.push_rows(&rgba);
            b.finish()
        };
        let out = resample((4, 1), 2.0 / 3.0);
        assert_eq!(out.len(), 12);
        let red: Vec<u8> = out.iter().step_by(3).copied().collect();
        assert_eq!(red, vec![85, 85, 170, 170]);
        // The same size at scale 1 copies.
        assert_eq!(resample((6, 1), 1.0), rgb);
    }
}
