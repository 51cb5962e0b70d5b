//! A second opinion on an MRZ character: a small learned classifier (one hidden layer) on the
//! character's cell, trained only on OCR-B renders under distortions
//! (`tools/ocrb_model.py`, weights `ocrb_mlp.bin`). The template matcher ([`super::glyphs`])
//! reads; this model is consulted on the characters it leaves unclear ([`super::mrz_read`]).
//!
//! Input: the cell sampled on the template grid ([`COLS`] × [`ROWS`], bilinear on the
//! band's darkness), the same for every class: one pitch across, centred on the cell's ink
//! box, and the line's rows widened by [`MARGIN`] of their height above and below; then
//! zero mean, unit length, times `√384` ([`input`]). Output: `softmax(W₂ · relu(W₁ · x + b₁)
//! + b₂)` over the 37 classes ([`classify`]); `W` are i8 with one f32 scale per output row.

use super::glyphs::{CLASSES, COLS, MARGIN, ROWS};
use super::line::{Cells, Ink};
use std::sync::OnceLock;

const N: usize = COLS * ROWS;
const BIN: &[u8] = include_bytes!("ocrb_mlp.bin");

/// The layers as stored: `out × in` weights (i8 times the row's scale) and biases.
struct Layer {
    inputs: usize,
    weights: Vec<i8>,
    scales: Vec<f32>,
    biases: Vec<f32>,
}

impl Layer {
    fn apply(&self, x: &[f32]) -> Vec<f32> {
        self.weights
            .chunks_exact(self.inputs)
            .zip(self.scales.iter().zip(&self.biases))
            .map(|(row, (s, b))| {
                row.iter()
                    .zip(x)
                    .map(|(&w, v)| f32::from(w) * v)
                    .sum::<f32>()
                    * s
                    + b
            })
            .collect()
    }
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
            .iter()
            .map(|&b| b as i8)
            .collect();
        at += out * inputs;
        Some(Layer {
            inputs,
            weights,
            scales,
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
