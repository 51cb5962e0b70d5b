//! The OCR-B template matcher: one character cell in, the ranked classes out.
//!
//! Templates: `ocrb.bin`, made by `tools/ocrb_templates.py` from Debian's `fonts-ocr-b`
//! (public domain): each of the 37 MRZ characters `0–9 A–Z <` in three stroke weights,
//! [`COLS`] × [`ROWS`] ink values over the character's advance and its capitals' height
//! widened by [`MARGIN`] above and below (42 KB, 13 KB gzipped). A cell is sampled on the
//! same grid ([`Cell`]); its score against a template is the normalised cross-correlation
//! `Σ (a − ā)(b − b̄) / (‖a − ā‖ ‖b − b̄‖)` ∈ [−1, 1], the best over the weights and over
//! the placements the caller samples.

use std::sync::OnceLock;

/// The classes in template order.
pub const CLASSES: &[u8; 37] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<";
/// Template grid: columns across the advance, rows across the widened capital height.
pub const COLS: usize = 16;
pub const ROWS: usize = 24;
/// Share of the capitals' height added above and below the cell.
pub const MARGIN: f64 = 0.15;
const N: usize = COLS * ROWS;

const BIN: &[u8] = include_bytes!("ocrb.bin");

/// A set of allowed classes (bit `i` for `CLASSES[i]`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Alphabet(u64);

impl Alphabet {
    pub const DIGITS: Alphabet = Alphabet((1 << 10) - 1);
    pub const LETTERS: Alphabet = Alphabet(((1 << 26) - 1) << 10);
    pub const FILLER: Alphabet = Alphabet(1 << 36);
    pub const ALL: Alphabet = Alphabet((1 << 37) - 1);

    #[must_use]
    pub const fn or(self, other: Alphabet) -> Alphabet {
        Alphabet(self.0 | other.0)
    }

    /// Only the characters of `chars` (those outside the classes are ignored).
    #[must_use]
    pub fn of(chars: &[u8]) -> Alphabet {
        Alphabet(
            chars
                .iter()
                .filter_map(|c| CLASSES.iter().position(|k| k == c))
                .fold(0, |m, i| m | 1 << i),
        )
    }

    /// Whether class `class` is in the set.
    #[must_use]
    pub fn contains(self, class: usize) -> bool {
        self.0 >> class & 1 == 1
    }
}

/// A cell sampled on the template grid, normalised (zero mean, unit length); `None` for a
/// blank cell.
#[derive(Clone, Debug, PartialEq)]
pub struct Cell(Vec<f32>);

impl Cell {
    /// From `COLS × ROWS` ink values, row-major.
    #[must_use]
    pub fn new(ink: &[f32]) -> Option<Cell> {
        if ink.len() != N {
            return None;
        }
        let mean = ink.iter().sum::<f32>() / N as f32;
        let v: Vec<f32> = ink.iter().map(|x| x - mean).collect();
        let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        (norm > 1e-3).then(|| Cell(v.into_iter().map(|x| x / norm).collect()))
    }
}

struct Templates {
    variants: usize,
    /// `classes × variants` normalised templates, and their ink values.
    cells: Vec<Cell>,
    inks: Vec<Vec<f32>>,
    /// Per class, the ink's box in the cell (fractions: left, right, top, bottom) of its
    /// sharp, as-drawn template (values ≥ 50 %).
    boxes: Vec<[f64; 4]>,
}

/// Standard deviation of the blurred copy of each template, template cells.
pub const BLUR_SIGMA: f32 = 1.0;

/// `ink` convolved with a Gaussian of [`BLUR_SIGMA`] (separable, ±3σ, edges repeated).
fn blurred(ink: &[f32]) -> Vec<f32> {
    let r = (3.0 * BLUR_SIGMA).ceil() as i64;
    let k: Vec<f32> = (-r..=r)
        .map(|i| (-((i * i) as f32) / (2.0 * BLUR_SIGMA * BLUR_SIGMA)).exp())
        .collect();
    let sum: f32 = k.iter().sum();
    let pass = |src: &[f32], horizontal: bool| -> Vec<f32> {
        let mut out = vec![0.0; N];
        for y in 0..ROWS as i64 {
            for x in 0..COLS as i64 {
                let mut acc = 0.0;
                for (j, w) in (-r..=r).zip(&k) {
                    let (sx, sy) = if horizontal {
                        ((x + j).clamp(0, COLS as i64 - 1), y)
                    } else {
                        (x, (y + j).clamp(0, ROWS as i64 - 1))
                    };
                    acc += w * src[(sy * COLS as i64 + sx) as usize];
                }
                out[(y * COLS as i64 + x) as usize] = acc / sum;
            }
        }
        out
    };
    pass(&pass(ink, true), false)
}

/// The box of `ink ≥ 0.5` on the template grid, in fractions of the cell.
fn ink_box(ink: &[f32]) -> [f64; 4] {
    let (mut b, mut any) = ([f64::MAX, f64::MIN, f64::MAX, f64::MIN], false);
    for (i, _) in ink.iter().enumerate().filter(|(_, &v)| v >= 0.5) {
        let (x, y) = ((i % COLS) as f64, (i / COLS) as f64);
        b = [
            b[0].min(x),
            b[1].max(x + 1.0),
            b[2].min(y),
            b[3].max(y + 1.0),
        ];
        any = true;
    }
    if !any {
        return [0.0, 1.0, 0.0, 1.0];
    }
    [
        b[0] / COLS as f64,
        b[1] / COLS as f64,
        b[2] / ROWS as f64,
        b[3] / ROWS as f64,
    ]
}

fn templates() -> &'static Templates {
    static T: OnceLock<Templates> = OnceLock::new();
    T.get_or_init(|| {
        let header_ok = BIN.len() >= 8
            && &BIN[..4] == b"OCRB"
            && usize::from(BIN[4]) == COLS
            && usize::from(BIN[5]) == ROWS
            && usize::from(BIN[6]) == CLASSES.len();
        let stored = if header_ok { usize::from(BIN[7]) } else { 0 };
        let variants = 2 * stored;
        let inks: Vec<Vec<f32>> = BIN
            .get(8..8 + CLASSES.len() * stored * N)
            .unwrap_or(&[])
            .chunks_exact(N)
            .flat_map(|t| {
                let ink: Vec<f32> = t.iter().map(|&b| f32::from(b) / 255.0).collect();
                let soft = blurred(&ink);
                [ink, soft]
            })
            .collect();
        let cells = inks
            .iter()
            .map(|ink| Cell::new(ink).unwrap_or(Cell(vec![0.0; N])))
            .collect();
        // Variants are weight-major (thin, as drawn, bold), each sharp then blurred.
        let sharp = variants / 3;
        let boxes = (0..CLASSES.len())
            .map(|c| {
                inks.get(c * variants + sharp)
                    .map_or([0.0, 1.0, 0.0, 1.0], |i| ink_box(i))
            })
            .collect();
        Templates {
            variants,
            cells,
            inks,
            boxes,
        }
    })
}

/// The ink box of `class`'s template in its cell (left, right, top, bottom, fractions).
#[must_use]
pub fn class_box(class: usize) -> [f64; 4] {
    templates()
        .boxes
        .get(class)
        .copied()
        .unwrap_or([0.0, 1.0, 0.0, 1.0])
}

/// The best correlation of `cell` with any weight of `class`'s template.
#[must_use]
pub fn score(cell: &Cell, class: usize) -> f32 {
    let t = templates();
    t.cells
        .get(class * t.variants..(class + 1) * t.variants)
        .unwrap_or(&[])
        .iter()
        .map(|tpl| tpl.0.iter().zip(&cell.0).map(|(a, b)| a * b).sum::<f32>())
        .fold(-1.0, f32::max)
}

/// The correlation of `cell` with `class`'s as-drawn, blurred template only: a lower bound
/// of [`score`] at a sixth of its cost.
#[must_use]
pub fn quick_score(cell: &Cell, class: usize) -> f32 {
    let t = templates();
    t.cells
        .get(class * t.variants + t.variants / 3 + 1)
        .map_or(-1.0, |tpl| {
            tpl.0.iter().zip(&cell.0).map(|(a, b)| a * b).sum::<f32>()
        })
}

/// The best class of a cell (its lead over the others is judged by the caller, who knows
/// which rivals matter: `mrz_read`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Ranked {
    pub best: u8,
    /// The best class's correlation.
    pub score: f32,
}

/// Where classes `a` and `b` differ most: the template cells whose ink (blurred, as-drawn
/// weight) differs by at least [`PAIR_DIFFERENCE`]: the closed top of `0` against `U`, the
/// bottom bar of `E` against `F`, the bowls of `B` against `H`.
pub const PAIR_DIFFERENCE: f32 = 0.25;

/// `sample` scaled to 0–1 between its 10th and 90th percentile (paper 0, stroke 1).
fn unit_ink(sample: &[f32]) -> Vec<f32> {
    let mut sorted = sample.to_vec();
    sorted.sort_by(f32::total_cmp);
    let (lo, hi) = (sorted[sorted.len() / 10], sorted[sorted.len() * 9 / 10]);
    let range = (hi - lo).max(1e-3);
    sample
        .iter()
        .map(|v| ((v - lo) / range).clamp(0.0, 1.0))
        .collect()
}

/// How much closer `a`'s template lies to its sample than `b`'s to its own, on the cells
/// where the two templates differ ([`PAIR_DIFFERENCE`]): the mean `|ink − template|` there
/// for `b` minus that for `a`, ink scaled to 0–1 (`unit_ink`). Distance, not correlation:
/// a printed zero squarer than the font's still has ink where `U` has none, and the zero's
/// missing corners cost less than the `U`'s missing top. `None` when the templates hardly
/// differ (fewer than 8 cells).
#[must_use]
pub fn pair_margin(a: usize, sample_a: &[f32], b: usize, sample_b: &[f32]) -> Option<f32> {
    let blurred = templates().variants / 3 + 1;
    let (ta, tb) = (template_ink_at(a, blurred)?, template_ink_at(b, blurred)?);
    let mask: Vec<bool> = ta
        .iter()
        .zip(&tb)
        .map(|(x, y)| (x - y).abs() >= PAIR_DIFFERENCE)
        .collect();
    let n = mask.iter().filter(|&&m| m).count();
    if n < 8 || sample_a.len() != N || sample_b.len() != N {
        return None;
    }
    let distance = |sample: &[f32], t: &[f32]| {
        let ink = unit_ink(sample);
        ink.iter()
            .zip(t)
            .zip(&mask)
            .filter(|(_, &m)| m)
            .map(|((s, t), _)| (s - t).abs())
            .sum::<f32>()
            / n as f32
    };
    Some(distance(sample_b, &tb) - distance(sample_a, &ta))
}

fn template_ink_at(class: usize, variant: usize) -> Option<Vec<f32>> {
    template_ink(*CLASSES.get(class)?, variant)
}

/// The best of per-class correlations (`−1` for a class not considered); the first class
/// on a tie.
#[must_use]
pub fn rank(scores: &[f32; 37]) -> Ranked {
    let a = (0..37).fold(0, |best, c| if scores[c] > scores[best] { c } else { best });
    Ranked {
        best: CLASSES[a],
        score: scores[a],
    }
}

/// The template of `class`, variant `variant` (weight-major: thin, as drawn, bold; each
/// sharp then blurred) as ink values 0–1 (tests render cells from it).
#[must_use]
pub fn template_ink(class: u8, variant: usize) -> Option<Vec<f32>> {
    let i = CLASSES.iter().position(|&c| c == class)?;
    let t = templates();
    t.inks
        .get(i * t.variants + variant.min(t.variants.checked_sub(1)?))
        .cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scores(cell: &Cell, allowed: Alphabet) -> [f32; 37] {
        std::array::from_fn(|c| {
            if allowed.contains(c) {
                score(cell, c)
            } else {
                -1.0
            }
        })
    }

    #[test]
    fn every_template_is_its_own_best_match() {
        assert_eq!(templates().variants, 6);
        for &c in CLASSES {
            let ink = template_ink(c, 1).unwrap_or_else(|| panic!("template"));
            let cell = Cell::new(&ink).unwrap_or_else(|| panic!("blank {}", c as char));
            let r = rank(&scores(&cell, Alphabet::ALL));
            assert_eq!(r.best, c, "{r:?}");
            assert!(r.score > 0.999, "{r:?}");
        }
    }

    #[test]
    fn the_alphabet_limits_the_classes() {
        let ink = template_ink(b'O', 1).unwrap_or_else(|| panic!("template"));
        let cell = Cell::new(&ink).unwrap_or_else(|| panic!("blank"));
        // O is not a digit: among digits, the zero wins.
        assert_eq!(rank(&scores(&cell, Alphabet::DIGITS)).best, b'0');
        let r = rank(&scores(&cell, Alphabet::LETTERS.or(Alphabet::FILLER)));
        assert_eq!(r.best, b'O');
        assert_eq!(
            Alphabet::of(b"MF<"),
            Alphabet::of(b"M").or(Alphabet::of(b"F<"))
        );
        assert!(Cell::new(&[0.5; N]).is_none());
    }
}
