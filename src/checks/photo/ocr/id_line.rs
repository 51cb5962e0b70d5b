//! The 18-character number of a resident ID card's portrait side (公民身份号码, GB 11643),
//! read from the photo.
//!
//! The number is the card's bottom line, right of its label: OCR-B-like digits (`X` only
//! in the last place). On a real card it lies at x ≈ 30–82 mm, baseline ≈ 48–50 mm, pitch
//! ≈ 2.5–3.0 mm; the synthetic set draws it at x 27–81 mm, pitch 3.0 mm, baseline 48.2 mm.
//! So no layout is fixed: on each of the two upright orientations
//! ([`super::rectify::orientations`]) the band [`BAND_X_MM`] × [`BAND_Y_MM`] is rectified,
//! its text lines found ([`super::line`]) and, bottom line first, 18 cells fitted at a pitch
//! within [`PITCH`] (right of the label, should the label's ink chain with the number's)
//! and read against the digit templates.
//!
//! A read **counts** ([`IdRead::accepted`]) under the MRZ's rules ([`super::mrz_read`]):
//! - the check character holds (`"10X98765432"[Σ aᵢ·Wᵢ mod 11]`,
//!   [`crate::checks::id_number::check_char`]) and positions 7–14 are a real date in
//!   [`BIRTH_YEARS`];
//! - every character scores at least [`MIN_SCORE`], and leads the next class by
//!   [`MIN_MARGIN`] (or wins the pair test). The check character is a sum modulo 11 with
//!   weights prime to 11 over 11 values, so it sees every single substitution: as in an
//!   MRZ field, one character may lead by less, two may not (their errors could cancel).
//!
//! Anything else is silence.

use super::glyphs::{self, Alphabet};
use super::line::{Cells, Ink, PitchRange};
use super::mrz_read::{MIN_MARGIN, MIN_SCORE, PAIR_WEIGHT};
use super::rectify::{orientations, Homography, Patch};
use crate::checks::date::Date;
use crate::checks::id_number::check_char;
use crate::checks::photo::document::{DocumentSize, ID1};
use crate::checks::photo::framing::PointPx;
use crate::checks::photo::pyramid::Source;

/// Characters of the number.
pub const LEN: usize = 18;
/// Columns of the card searched, mm from its left edge: right of most of the label (which
/// ends at ≈ 24 mm), and short of the right edge's rounded corner and the table beyond it.
pub const BAND_X_MM: (f64, f64) = (20.0, 84.5);
/// Rows of the card searched, mm from its top edge: the bottom ≈ 16 mm (baselines at
/// 48–50 mm, digits 2.4–3.5 mm tall), with room for a quad a few millimetres off.
pub const BAND_Y_MM: (f64, f64) = (38.0, ID1.height_mm);
/// The number's pitch: 2.5–3.0 mm on real cards, 3.0 mm on the synthetic set, and a margin
/// either side for the quad's scale.
pub const PITCH: PitchRange = PitchRange {
    nominal: 2.8,
    min: 2.3,
    max: 3.3,
    trim_left: true,
};
/// Birth years of a number read: `19xx` and `20xx` (as `checks::id_number`, `18xx` is a
/// misread; so is a year past this century, which a bare date check lets through: a
/// foreign card's line read `…9012 10 12…` on the real photos).
pub const BIRTH_YEARS: std::ops::Range<i32> = 1900..2100;

/// What was read.
#[derive(Clone, Debug, PartialEq)]
pub struct IdRead {
    /// The 18 characters.
    pub number: String,
    /// The check character holds and the birth date is a real date.
    pub valid: bool,
    /// The weakest character: its correlation, and its lead over the runner-up.
    pub min_score: f32,
    pub min_margin: f32,
    /// Positions whose match is not clear ([`unclear`]).
    pub unclear: Vec<usize>,
}

impl IdRead {
    /// Whether the read counts: valid, and no character unclear.
    #[must_use]
    pub fn accepted(&self) -> bool {
        self.valid && self.unclear.is_empty()
    }
}

/// Whether `number` (18 characters) has a check character that holds and a real birth date
/// in positions 7–14, in [`BIRTH_YEARS`].
#[must_use]
pub fn valid(number: &str) -> bool {
    let (Some(body), Some(check)) = (number.get(..LEN - 1), number.get(LEN - 1..)) else {
        return false;
    };
    number.len() == LEN
        && check_char(body).is_some_and(|c| check.starts_with(c))
        && number
            .get(6..14)
            .and_then(Date::from_yyyymmdd)
            .is_some_and(|d| BIRTH_YEARS.contains(&d.year))
}

/// Positions of a read whose characters scored `scores` and led by `leads` that are not
/// clear: below [`MIN_SCORE`]; and, when more than one character leads by less than
/// [`MIN_MARGIN`], each of those.
#[must_use]
pub fn unclear(scores: &[f32], leads: &[f32]) -> Vec<usize> {
    let weak = leads.iter().filter(|&&m| m < MIN_MARGIN).count();
    scores
        .iter()
        .zip(leads)
        .enumerate()
        .filter(|(_, (&s, &m))| s < MIN_SCORE || (weak > 1 && m < MIN_MARGIN))
        .map(|(k, _)| k)
        .collect()
}

/// What position `k` may hold: a digit, or in the last place also `X` (ten).
fn alphabet(k: usize) -> Alphabet {
    if k + 1 == LEN {
        Alphabet::DIGITS.or(Alphabet::of(b"X"))
    } else {
        Alphabet::DIGITS
    }
}

/// The line of `cells` read: `None` when a cell is blank.
fn read_cells(ink: &Ink, cells: &Cells) -> Option<IdRead> {
    let (mut number, mut scores, mut leads) = (String::new(), Vec::new(), Vec::new());
    for k in 0..LEN {
        let cell = ink.read_cell(cells, k, alphabet(k))?;
        let best = glyphs::rank(&cell.scores);
        let class = glyphs::CLASSES.iter().position(|&c| c == best.best)?;
        number.push(char::from(best.best));
        scores.push(best.score);
        leads.push(cell.lead(class, best.score, |_| true, MIN_MARGIN, PAIR_WEIGHT));
    }
    Some(IdRead {
        valid: valid(&number),
        min_score: scores.iter().copied().fold(1.0, f32::min),
        min_margin: leads.iter().copied().fold(1.0, f32::min),
        unclear: unclear(&scores, &leads),
        number,
    })
}

/// The band [`BAND_X_MM`] × [`BAND_Y_MM`] as a document of its own.
const BAND: DocumentSize = DocumentSize {
    width_mm: BAND_X_MM.1 - BAND_X_MM.0,
    height_mm: BAND_Y_MM.1 - BAND_Y_MM.0,
};

/// The corners (TL, TR, BR, BL, source pixels) of the band [`BAND_X_MM`] × [`BAND_Y_MM`] of
/// the card whose corners are `corners`: the card's map restricted to the band is the map
/// of the band's own quad, so only the band is read and sampled.
#[must_use]
pub fn band_quad(corners: &[PointPx; 4]) -> Option<[PointPx; 4]> {
    let (w, h) = (ID1.width_mm, ID1.height_mm);
    let p = |x, y| PointPx { x, y };
    let card = Homography::between(&[p(0.0, 0.0), p(w, 0.0), p(w, h), p(0.0, h)], corners)?;
    let ((x0, x1), (y0, y1)) = (BAND_X_MM, BAND_Y_MM);
    let at = |x, y| {
        let (u, v) = card.apply(x, y);
        p(u, v)
    };
    Some([at(x0, y0), at(x1, y0), at(x1, y1), at(x0, y1)])
}

/// The lines of the band whose corners are `band`, read bottom first ([`best_of`]).
fn read_band(patch: &Patch, band: &[PointPx; 4]) -> Option<IdRead> {
    let rows = patch.band(band, BAND, (0.0, BAND.height_mm))?;
    let ink = Ink::of(&rows);
    best_of(ink.lines().into_iter().rev().filter_map(|line| {
        let cells = ink.cells_in(line, LEN, PITCH)?;
        read_cells(&ink, &cells)
    }))
}

/// The first read that counts, else the best (valid first, then by its weakest lead).
fn best_of(reads: impl Iterator<Item = IdRead>) -> Option<IdRead> {
    let mut best: Option<IdRead> = None;
    let rank = |r: &IdRead| (r.valid, r.min_margin);
    for read in reads {
        if read.accepted() {
            return Some(read);
        }
        if best.as_ref().is_none_or(|b| rank(&read) > rank(b)) {
            best = Some(read);
        }
    }
    best
}

/// The number of the ID card whose corners (source pixels, any rotation) are `quad`, read
/// from `patch` (which covers the card): the first read that counts (the bottom line of the
/// upright orientation first), else the best; `None` when no line of 18 cells was found.
#[must_use]
pub fn read(patch: &Patch, quad: &[PointPx; 4]) -> Option<IdRead> {
    best_of(
        orientations(quad)
            .iter()
            .filter_map(|corners| read_band(patch, &band_quad(corners)?)),
    )
}

/// [`read`] from `source`, the card being `ppm` source pixels per mm: each orientation's
/// band alone is read from `source` ([`Patch::read`]), and the second only when the first
/// gave no read that counts (a fifth of the card each, not the whole card).
///
/// # Errors
/// `source` could not be read.
pub fn read_source<S: Source>(
    source: &mut S,
    quad: &[PointPx; 4],
    ppm: f64,
) -> Result<Option<IdRead>, S::Error> {
    let mut reads = Vec::new();
    for corners in orientations(quad) {
        let Some(band) = band_quad(&corners) else {
            continue;
        };
        let Some(patch) = Patch::read(source, &band, ppm)? else {
            continue;
        };
        if let Some(read) = read_band(&patch, &band) {
            if read.accepted() {
                return Ok(Some(read));
            }
            reads.push(read);
        }
    }
    Ok(best_of(reads.into_iter()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::photo::ocr::glyphs::{template_ink, COLS, MARGIN, ROWS};
    use crate::checks::photo::ocr::rectify::OCR_PX_PER_MM;

    /// A GB 11643 reference number (the standard's example), and one ending in `X`.
    const NUMBER: &str = "11010519491231002X";
    const OTHER: &str = "440524188001010014";

    #[test]
    fn validity_is_the_check_character_and_the_birth_date() {
        struct Case {
            number: &'static str,
            valid: bool,
        }
        let cases = [
            Case {
                number: NUMBER,
                valid: true,
            },
            // The check character of the body is 2, not X.
            Case {
                number: "110105194912310022",
                valid: false,
            },
            // Born 1880: the check character holds, the year is too early.
            Case {
                number: OTHER,
                valid: false,
            },
            // 30 February, with its check character.
            Case {
                number: "110105194902300020",
                valid: false,
            },
            // A real date in the year 9012, with its check character.
            Case {
                number: "340101901210120173",
                valid: false,
            },
            Case {
                number: "11010519491231002",
                valid: false,
            },
            Case {
                number: "",
                valid: false,
            },
        ];
        for c in cases {
            assert_eq!(valid(c.number), c.valid, "{}", c.number);
        }
    }

    #[test]
    fn one_weak_lead_is_allowed_two_are_not() {
        let scores = [0.9; LEN];
        let mut leads = [0.2; LEN];
        assert!(unclear(&scores, &leads).is_empty());
        leads[4] = 0.01;
        assert!(unclear(&scores, &leads).is_empty(), "the check sees one");
        leads[9] = 0.03;
        assert_eq!(unclear(&scores, &leads), vec![4, 9]);
        let mut low = scores;
        low[17] = 0.5;
        assert_eq!(unclear(&low, &[0.2; LEN]), vec![17]);
    }

    /// A white card at 8 px/mm whose number is printed from the templates (as-drawn weight,
    /// blurred) at `pitch` mm from `left` mm, baseline at 48.5 mm, after a dark label, with a
    /// dark table (the frame) around the card.
    fn card(number: &str, left: f64, pitch: f64) -> (Patch, [PointPx; 4]) {
        let s = OCR_PX_PER_MM;
        let pad = 40usize;
        let (cw, ch) = ((ID1.width_mm * s) as usize, (ID1.height_mm * s) as usize);
        let (w, h) = (cw + 2 * pad, ch + 2 * pad);
        let mut luma = vec![40u8; w * h];
        for y in pad..pad + ch {
            luma[y * w + pad..y * w + pad + cw].fill(235);
        }
        let cap = 2.4 * s;
        let (cell_h, cell_w) = (cap * (1.0 + 2.0 * MARGIN), pitch * s);
        let top = 48.5 * s - cap - cap * MARGIN + pad as f64;
        let mut ink = |x0: f64, glyph: &[f32]| {
            for j in 0..cell_h as usize {
                for i in 0..cell_w as usize {
                    let g = glyph[(j * ROWS / cell_h as usize).min(ROWS - 1) * COLS
                        + (i * COLS / cell_w as usize).min(COLS - 1)];
                    let at = (top as usize + j) * w + x0 as usize + i;
                    luma[at] = luma[at].min((235.0 - 200.0 * g) as u8);
                }
            }
        };
        for (k, c) in number.bytes().enumerate() {
            let glyph = template_ink(c, 3).unwrap_or_else(|| panic!("template {c}"));
            ink(pad as f64 + (left + k as f64 * pitch) * s, &glyph);
        }
        // The label: a solid block ending ≈ 2 mm before the number, so close that its ink
        // chains with the number's.
        let block = vec![1.0f32; COLS * ROWS];
        for k in 0..6 {
            ink(pad as f64 + (left - 19.0 + k as f64 * 2.8) * s, &block);
        }
        let patch = Patch {
            width: w as u32,
            height: h as u32,
            luma,
            origin: (0.0, 0.0),
            step: 1.0,
        };
        let (x0, y0) = (pad as f64, pad as f64);
        let (x1, y1) = (x0 + cw as f64, y0 + ch as f64);
        let p = |x, y| PointPx { x, y };
        (patch, [p(x0, y0), p(x1, y0), p(x1, y1), p(x0, y1)])
    }

    #[test]
    fn a_printed_number_is_read_in_either_layout_and_orientation() {
        // The synthetic set's layout and a real card's (narrower pitch, further right).
        for (number, left, pitch) in [(NUMBER, 27.0, 3.0), ("310115196608205187", 31.0, 2.8)] {
            let (patch, quad) = card(number, left, pitch);
            let r = read(&patch, &quad).unwrap_or_else(|| panic!("no line found"));
            assert_eq!(r.number, number);
            assert!(r.accepted(), "{r:?}");
            // Upside down: the quad's corners rotated by two over the turned pixels.
            let mut turned = patch.clone();
            turned.luma.reverse();
            let r = read(&turned, &[quad[2], quad[3], quad[0], quad[1]])
                .unwrap_or_else(|| panic!("no line found upside down"));
            assert_eq!(r.number, number);
            assert!(r.accepted(), "{r:?}");
        }
    }

    #[test]
    fn a_number_whose_check_fails_is_read_but_does_not_count() {
        let bad = "110105194912310021";
        let (patch, quad) = card(bad, 27.0, 3.0);
        let r = read(&patch, &quad).unwrap_or_else(|| panic!("no line found"));
        assert_eq!(r.number, bad);
        assert!(!r.valid && !r.accepted(), "{r:?}");
        // A blank card: nothing to read.
        let (mut blank, quad) = card("", 27.0, 3.0);
        blank.luma.iter_mut().for_each(|v| *v = (*v).max(235));
        assert_eq!(read(&blank, &quad), None);
    }
}
