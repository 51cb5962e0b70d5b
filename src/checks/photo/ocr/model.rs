//! A second opinion on an MRZ character: a small learned classifier (one hidden layer) on the
//! character's cell, trained only on OCR-B renders under distortions
//! (`tools/ocrb_model.py`, weights `ocrb_mlp.bin`). The template matcher ([`super::glyphs`])
//! reads; this model is consulted on the characters it leaves unclear ([`super::mrz_read`]).
//!
//! Input: the cell sampled on the template grid ([`COLS`] × [`ROWS`], bilinear on the
//! band's darkness), the same for every class: one pitch across, centred on the cell's ink
//! box, and the line's rows widened by [`MARGIN`] of their height above and below; then
//! zero mean, unit length, times `√384` ([`input`]). Output: `softmax(W₂ · relu(W₁ · x + b₁)
//! + b₂)` over the 37 classes ([`classify`]); `W` are i8 in −15…15 (5 bits, which gzip packs
//! to 17.9 KB) with one f32 scale per output row (`tools/ocrb_model.py`, `LEVELS`).

use super::glyphs::{CLASSES, COLS, MARGIN, ROWS};
use super::line::{Cells, Ink};
use std::sync::OnceLock;

const N: usize = COLS * ROWS;
const BIN: &[u8] = include_bytes!("ocrb_mlp.bin");

/// A layer: `out × in` weights (the stored i8 times its row's scale, expanded once at
/// start-up) and biases.
struct Layer {
    inputs: usize,
    weights: Vec<f32>,
    biases: Vec<f32>,
}

impl Layer {
    fn apply(&self, x: &[f32]) -> Vec<f32> {
        self.weights
            .chunks_exact(self.inputs)
            .zip(&self.biases)
            .map(|(row, b)| dot(row, x) + b)
            .collect()
    }
}

/// `Σ aᵢ bᵢ` in eight independent sums (a float sum in one chain waits on each add; eight
/// chains run side by side, and in SIMD lanes where the target has them).
fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0.0f32; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f32 = ca
        .remainder()
        .iter()
        .zip(cb.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (x, y) in ca.zip(cb) {
        for i in 0..8 {
            acc[i] += x[i] * y[i];
        }
    }
    acc.iter().sum::<f32>() + tail
}

/// `b"MRZM"`, u16 inputs, hidden, outputs (LE), then per layer: `out` f32 scales, `out`
/// f32 biases, `out × in` i8 weights.
fn parse(bin: &[u8]) -> Option<[Layer; 2]> {
    if bin.get(..4)? != b"MRZM" {
        return None;
    }
    let u16_at = |i: usize| {
        Some(usize::from(u16::from_le_bytes([
            *bin.get(i)?,
            *bin.get(i + 1)?,
        ])))
    };
    let (inputs, hidden, outputs) = (u16_at(4)?, u16_at(6)?, u16_at(8)?);
    if inputs != N || outputs != CLASSES.len() {
        return None;
    }
    let mut at = 10;
    let mut layer = |inputs: usize, out: usize| -> Option<Layer> {
        let floats = |from: usize| -> Option<Vec<f32>> {
            bin.get(from..from + 4 * out)?
                .chunks_exact(4)
                .map(|b| Some(f32::from_le_bytes(b.try_into().ok()?)))
                .collect()
        };
        let scales = floats(at)?;
        let biases = floats(at + 4 * out)?;
        at += 8 * out;
        let weights = bin
            .get(at..at + out * inputs)?
            .chunks_exact(inputs)
            .zip(&scales)
            .flat_map(|(row, s)| {
                row.iter()
                    .map(move |&b| f32::from(i8::from_le_bytes([b])) * s)
            })
            .collect();
        at += out * inputs;
        Some(Layer {
            inputs,
            weights,
            biases,
        })
    };
    Some([layer(inputs, hidden)?, layer(hidden, outputs)?])
}

fn layers() -> Option<&'static [Layer; 2]> {
    static L: OnceLock<Option<[Layer; 2]>> = OnceLock::new();
    L.get_or_init(|| parse(BIN)).as_ref()
}

/// The model's input for cell `k` of `cells` (see the module's doc); `None` for a blank
/// cell.
#[must_use]
pub fn input(ink: &Ink, cells: &Cells, k: usize) -> Option<Vec<f32>> {
    let b = ink.ink_box(cells, k)?;
    let (top, bottom) = (cells.line.top as f64, cells.line.bottom as f64);
    let cap = bottom - top;
    let (y0, height) = (top - MARGIN * cap, cap * (1.0 + 2.0 * MARGIN));
    let x0 = (b[0] + b[1]) / 2.0 - cells.pitch / 2.0;
    let mut v = Vec::with_capacity(N);
    for j in 0..ROWS {
        let y = y0 + (j as f64 + 0.5) / ROWS as f64 * height;
        for i in 0..COLS {
            v.push(ink.dark_at(x0 + (i as f64 + 0.5) / COLS as f64 * cells.pitch, y));
        }
    }
    normalised(v)
}

/// `v` minus its mean, scaled to length `√len` (so unit variance); `None` when flat.
#[must_use]
pub fn normalised(mut v: Vec<f32>) -> Option<Vec<f32>> {
    let mean = v.iter().sum::<f32>() / v.len().max(1) as f32;
    v.iter_mut().for_each(|x| *x -= mean);
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm < 1e-3 {
        return None;
    }
    let k = (v.len() as f32).sqrt() / norm;
    v.iter_mut().for_each(|x| *x *= k);
    Some(v)
}

/// The probability of each class (order of [`CLASSES`]) for an [`input`]; `None` when the
/// weights are missing or the input is not [`COLS`] × [`ROWS`].
#[must_use]
pub fn classify(input: &[f32]) -> Option<[f32; 37]> {
    let [l1, l2] = layers()?;
    if input.len() != N {
        return None;
    }
    let mut h = l1.apply(input);
    h.iter_mut().for_each(|x| *x = x.max(0.0));
    let logits = l2.apply(&h);
    let top = logits.iter().copied().fold(f32::MIN, f32::max);
    let e: Vec<f32> = logits.iter().map(|z| (z - top).exp()).collect();
    let sum: f32 = e.iter().sum();
    let mut p = [0.0f32; 37];
    p.iter_mut().zip(&e).for_each(|(p, e)| *p = e / sum);
    Some(p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::photo::ocr::glyphs::template_ink;

    #[test]
    fn the_weights_load_and_give_probabilities() {
        let [l1, l2] = layers().unwrap_or_else(|| panic!("ocrb_mlp.bin does not parse"));
        assert_eq!(
            (l1.inputs, l2.inputs, l2.biases.len()),
            (N, l1.biases.len(), 37)
        );
        let p = classify(&[0.5; N]).unwrap_or_else(|| panic!("no output"));
        assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-4, "{p:?}");
        assert!(classify(&[0.5; 10]).is_none());
        assert!(parse(b"MRZM").is_none());
        assert!(normalised(vec![3.0; N]).is_none());
    }

    #[test]
    fn every_template_is_read_as_itself() {
        // The as-drawn template, sharp and blurred, on the model's grid.
        for (i, &c) in CLASSES.iter().enumerate() {
            for variant in [2, 3] {
                let ink = template_ink(c, variant).unwrap_or_else(|| panic!("template"));
                let v = normalised(ink).unwrap_or_else(|| panic!("blank {}", c as char));
                let p = classify(&v).unwrap_or_else(|| panic!("no output"));
                let best = (0..37).fold(0, |b, k| if p[k] > p[b] { k } else { b });
                assert_eq!(
                    (CLASSES[best] as char, variant),
                    (c as char, variant),
                    "p {:.3}",
                    p[best]
                );
                assert_eq!(best, i);
            }
        }
    }
}
