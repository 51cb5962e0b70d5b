//! The machine-readable zone of a passport data page or a visa, read from the photo.
//!
//! On each of the two upright orientations ([`super::rectify::orientations`]) the bottom
//! [`BAND_MM`] of the page is rectified and its text lines found ([`super::line`]); two
//! consecutive lines 3–8 mm apart that each hold 44 cells are read, line 1 first: its first
//! character says the format (`P`: TD3 passport, `V`: MRV-A visa), which fixes what each
//! position of line 2 may hold (ICAO 9303 Parts 4 and 7: digits in dates and check
//! digits, letters in codes). A read **counts** ([`MrzRead::accepted`]) only when every check
//! digit holds and every character's match is clear ([`MIN_SCORE`], [`MIN_MARGIN`]): the
//! name line has no check digit, so a doubtful letter there is silence too. The character
//! model ([`super::model`]) gives a second opinion on each character: it settles one the
//! templates leave weak, and makes unclear one it contradicts ([`second_opinion`]). A read left
//! unclear is tried again on bands shifted by half a pixel ([`SHIFTS`]), under rules that let
//! a shift settle a doubtful character but never overturn a clear one ([`read`]).

use super::glyphs::{self, Alphabet};
use super::line::{CellRead, Cells, Ink, Line, BACKGROUND_MM};
use super::model;
use super::rectify::{orientations, Patch, OCR_PX_PER_MM};
use crate::checks::mrz::{self, check_digit, LINE};
use crate::checks::photo::document::TD3;
use crate::checks::photo::framing::PointPx;
use serde::{Deserialize, Serialize};

/// Height of the band searched, from the page's bottom edge, mm. The MRZ's two lines lie
/// within 16 mm of it on a TD3 page (Doc 9303 Part 4 §4.2: zone 23.2 mm tall); the band also
/// covers a quad a few millimetres off.
pub const BAND_MM: f64 = 34.0;
/// Lowest correlation of a character's best template for the read to count.
pub const MIN_SCORE: f32 = 0.55;
/// Lowest lead of a character's best class over the next allowed one.
pub const MIN_MARGIN: f32 = 0.04;

/// The zone's format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MrzKind {
    /// TD3, line 1 starts with `P` (the passport data page).
    Passport,
    /// MRV-A, line 1 starts with `V` (a visa).
    Visa,
}

/// What was read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MrzRead {
    pub kind: MrzKind,
    pub lines: [String; 2],
    /// Every check digit holds.
    pub checks_hold: bool,
    /// The weakest character: its correlation, and its lead over the runner-up.
    pub min_score: f32,
    pub min_margin: f32,
    /// Positions (`line · 44 + column`) whose match is not clear.
    pub unclear: Vec<usize>,
}

impl MrzRead {
    /// Whether the read counts: every check digit holds and no character is unclear.
    #[must_use]
    pub fn accepted(&self) -> bool {
        self.checks_hold && self.unclear.is_empty()
    }

    /// The two lines joined by a newline.
    #[must_use]
    pub fn text(&self) -> String {
        format!("{}\n{}", self.lines[0], self.lines[1])
    }
}

fn alnum() -> Alphabet {
    Alphabet::DIGITS.or(Alphabet::LETTERS).or(Alphabet::FILLER)
}

fn name_chars() -> Alphabet {
    Alphabet::LETTERS.or(Alphabet::FILLER)
}

/// What position `i` of line 1 may hold.
fn line1_alphabet(i: usize) -> Alphabet {
    match i {
        0 => Alphabet::of(b"PV"),
        _ => name_chars(),
    }
}

/// What position `i` of line 2 may hold, for `kind`.
fn line2_alphabet(kind: MrzKind, i: usize) -> Alphabet {
    match (kind, i) {
        (_, 9 | 13..=19 | 21..=27) => Alphabet::DIGITS,
        (_, 10..=12) => name_chars(),
        (_, 20) => Alphabet::of(b"MFX<"),
        (MrzKind::Passport, 42) => Alphabet::DIGITS.or(Alphabet::FILLER),
        (MrzKind::Passport, 43) => Alphabet::DIGITS,
        _ => alnum(),
    }
}

/// Whether every check digit of the two lines holds.
fn checks_hold(kind: MrzKind, l1: &str, l2: &str) -> bool {
    match kind {
        MrzKind::Passport => {
            // The lines are read from `0-9 A-Z <` only: `parse`'s clean-up would change nothing.
            mrz::parse_lines(l1, l2).is_ok_and(|t| t.bad_checks.is_empty())
        }
        MrzKind::Visa => {
            let holds = |field: &str, check: &str| {
                check
                    .parse::<u32>()
                    .ok()
                    .is_some_and(|c| check_digit(field) == Some(c))
            };
            holds(&l2[0..9], &l2[9..10])
                && holds(&l2[13..19], &l2[19..20])
                && holds(&l2[21..27], &l2[27..28])
        }
    }
}

/// ISO 3166-1 alpha-3 (249 codes, `pycountry` 26.2.16) and the ICAO 9303 Part 3 codes of
/// other issuers (`D<<` Germany, the UN, refugees and stateless, British territories, the
/// specimen state `UTO`): what an issuing state or nationality may be.
const STATES: &str = "ABW AFG AGO AIA ALA ALB AND ARE ARG ARM ASM ATA ATF ATG AUS AUT AZE BDI BEL BEN \
BES BFA BGD BGR BHR BHS BIH BLM BLR BLZ BMU BOL BRA BRB BRN BTN BVT BWA CAF CAN CCK CHE CHL CHN CIV \
CMR COD COG COK COL COM CPV CRI CUB CUW CXR CYM CYP CZE DEU DJI DMA DNK DOM DZA ECU EGY ERI ESH ESP \
EST ETH FIN FJI FLK FRA FRO FSM GAB GBR GEO GGY GHA GIB GIN GLP GMB GNB GNQ GRC GRD GRL GTM GUF GUM \
GUY HKG HMD HND HRV HTI HUN IDN IMN IND IOT IRL IRN IRQ ISL ISR ITA JAM JEY JOR JPN KAZ KEN KGZ KHM \
KIR KNA KOR KWT LAO LBN LBR LBY LCA LIE LKA LSO LTU LUX LVA MAC MAF MAR MCO MDA MDG MDV MEX MHL MKD \
MLI MLT MMR MNE MNG MNP MOZ MRT MSR MTQ MUS MWI MYS MYT NAM NCL NER NFK NGA NIC NIU NLD NOR NPL NRU \
NZL OMN PAK PAN PCN PER PHL PLW PNG POL PRI PRK PRT PRY PSE PYF QAT REU ROU RUS RWA SAU SDN SEN SGP \
SGS SHN SJM SLB SLE SLV SMR SOM SPM SRB SSD STP SUR SVK SVN SWE SWZ SXM SYC SYR TCA TCD TGO THA TJK \
TKL TKM TLS TON TTO TUN TUR TUV TWN TZA UGA UKR UMI URY USA UZB VAT VCT VEN VGB VIR VNM VUT WLF WSM \
YEM ZAF ZMB ZWE D<< EUE GBD GBN GBO GBP GBS RKS UNA UNK UNO XOM XXA XXB XXC XXX UTO";

/// Letters an alphanumeric field's digit is mistaken for at MRZ sizes, and by how much the
/// letter may lead and the digit still be read. OCR-B's `0` and `O` differ by a sliver of
/// width that print and blur erase (the real passport frames: `O` leads every printed zero),
/// so in a number that pair is always `0`. Numbers are mostly digits, and a wrong choice
/// breaks the field's check digit: silence, not a wrong read. (Two letters `O` read as zeros
/// at weights 7 and 3 would cancel: the residual risk, for numbers with two `O`s.)
const LOOKALIKES: [(u8, u8, f32); 6] = [
    (b'0', b'O', f32::INFINITY),
    (b'1', b'I', DIGIT_PRIOR),
    (b'2', b'Z', DIGIT_PRIOR),
    (b'5', b'S', DIGIT_PRIOR),
    (b'6', b'G', DIGIT_PRIOR),
    (b'8', b'B', DIGIT_PRIOR),
];
/// The pair test's lead ([`glyphs::pair_margin`], on the cells where two templates differ)
/// counts at this fraction of a whole-cell lead: the differing cells are a few of the 384.
pub const PAIR_WEIGHT: f32 = 0.25;
/// How far a lookalike letter may lead its digit and the digit still be read.
pub const DIGIT_PRIOR: f32 = 0.05;

fn index(c: u8) -> usize {
    glyphs::CLASSES.iter().position(|&k| k == c).unwrap_or(0)
}

/// The 7-3-1 value of a class (`0–9`, `A–Z` → 10–35, `<` → 0).
fn value(class: usize) -> usize {
    if class == 36 {
        0
    } else {
        class
    }
}

/// One character decided.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Decided {
    class: u8,
    score: f32,
    /// Lead over the best class that is neither it nor (in a number) its lookalike.
    margin: f32,
    /// Lead over the best class a check digit cannot tell from it: the same 7-3-1 value
    /// modulo 10 (`0`/`A`/`K`/`U`, `8`/`I`/`S` …), so a swap leaves `Σ value·weight mod 10`
    /// unchanged; in a number a lookalike letter counts as its digit (`O` as `0`).
    hidden_margin: f32,
}

fn decide(read: &CellRead, alphanumeric: bool) -> Decided {
    let scores = &read.scores;
    let r = glyphs::rank(scores);
    let mut chosen = r.best;
    let mut group = vec![index(r.best)];
    if alphanumeric {
        if let Some(&(d, l, prior)) = LOOKALIKES
            .iter()
            .find(|(d, l, _)| r.best == *d || r.best == *l)
        {
            group = vec![index(d), index(l)];
            if scores[index(d)] >= scores[index(l)] - prior {
                chosen = d;
            }
        }
    }
    let c = index(chosen);
    // The lead over the best rival among `keep` outside the group, measured from the best
    // score; when it is small, the pair test decides ([`CellRead::lead`]).
    let lead = |keep: &dyn Fn(usize) -> bool| {
        read.lead(
            c,
            r.score,
            |i| !group.contains(&i) && keep(i),
            MIN_MARGIN,
            PAIR_WEIGHT,
        )
    };
    Decided {
        class: chosen,
        score: scores[c],
        margin: lead(&|_| true),
        // In a number a lookalike letter is read as its digit (`O` always as `0`), so it
        // hides behind the check digit as that digit does: `U` over `O` is `U` over `0`.
        hidden_margin: lead(&|i| {
            let as_read = match LOOKALIKES
                .iter()
                .find(|(_, l, _)| alphanumeric && index(*l) == i)
            {
                Some(&(d, _, _)) => index(d),
                None => i,
            };
            value(as_read) % 10 == value(c) % 10
        }),
    }
}

/// Whether the templates alone leave `d` short of a clear read: below [`MIN_SCORE`] or
/// [`MIN_MARGIN`] over every other class.
fn weak(d: &Decided) -> bool {
    d.score < MIN_SCORE || d.margin < MIN_MARGIN
}

/// When the model may settle a character the templates leave weak ([`second_opinion`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Settle {
    /// Lowest probability of the model's class among the classes the position allows.
    pub p: f32,
    /// The settled class's template correlation must be within this of the templates' best.
    pub within: f32,
    /// Lowest template correlation of a settled class.
    pub score: f32,
    /// Lowest probability at which the model's class, other than the templates' own,
    /// contradicts them: the character is then settled or unclear, never read as they had it.
    pub veto: f32,
}

impl Settle {
    /// The reader's rule.
    pub const ON: Settle = Settle {
        p: 0.95,
        within: 0.1,
        score: 0.45,
        veto: 0.5,
    };
    /// The templates alone (the reader before the model: comparisons, benchmarks).
    pub const OFF: Settle = Settle {
        p: f32::INFINITY,
        within: 0.0,
        score: f32::INFINITY,
        veto: f32::INFINITY,
    };
}

/// Lowest share of the model's probability on the classes the position allows.
pub const SETTLE_ALLOWED: f32 = 0.5;

/// The class standing for `class` in the model's vote where `allowed` may stand: a
/// lookalike pair ([`LOOKALIKES`]) is one class, its digit where digits may stand (a number
/// leans to the digit, as in [`decide`]), else its letter (a name's `O`).
fn merged(class: usize, allowed: Alphabet) -> usize {
    LOOKALIKES
        .iter()
        .find(|(d, l, _)| index(*d) == class || index(*l) == class)
        .map_or(class, |&(d, l, _)| {
            if allowed.contains(index(d)) {
                index(d)
            } else {
                index(l)
            }
        })
}

/// The model's class of cell `k` among `allowed` (lookalikes [`merged`]), and its
/// probability among them; `None` without a model or when the allowed classes hold less
/// than [`SETTLE_ALLOWED`] of it.
fn model_class(ink: &Ink, cells: &Cells, k: usize, allowed: Alphabet) -> Option<(usize, f32)> {
    let raw = model::classify(&model::input(ink, cells, k)?)?;
    let mut p = [0.0f32; 37];
    for (c, q) in raw.iter().enumerate() {
        p[merged(c, allowed)] += q;
    }
    let total: f32 = (0..37).filter(|&c| allowed.contains(c)).map(|c| p[c]).sum();
    let best = (0..37)
        .filter(|&c| allowed.contains(c))
        .max_by(|&a, &b| p[a].total_cmp(&p[b]))?;
    (total >= SETTLE_ALLOWED).then(|| (best, p[best] / total))
}

/// The model's word on a character the templates decided as `d`. Where the model's class
/// (among the allowed, [`model_class`]) is the templates' and they are clear, or the model
/// is unsure (below [`Settle::veto`]), `d` stands. Otherwise, when the templates are weak
/// or the model contradicts them, the model's class is read (settled) if the model gives
/// it at least `settle.p` and the templates score it at least `settle.score` and within
/// `settle.within` of their best; if not, the character is unclear (no lead).
fn second_opinion(
    ink: &Ink,
    cells: &Cells,
    k: usize,
    allowed: Alphabet,
    read: &CellRead,
    d: Decided,
    settle: &Settle,
) -> Decided {
    if settle.p > 1.0 {
        return d;
    }
    let Some((class, p)) = model_class(ink, cells, k, allowed) else {
        return d;
    };
    let agrees = class == merged(index(d.class), allowed);
    if (agrees && !weak(&d)) || (!agrees && p < settle.veto) {
        return d;
    }
    // Agreeing on a lookalike pair, the templates' choice within it stands.
    let class = if agrees { index(d.class) } else { class };
    let best = glyphs::rank(&read.scores).score;
    let score = read.scores[class];
    if p < settle.p || score < settle.score || score < best - settle.within {
        return Decided {
            margin: d.margin.min(0.0),
            hidden_margin: d.hidden_margin.min(0.0),
            ..d
        };
    }
    Decided {
        class: glyphs::CLASSES[class],
        score: score.max(MIN_SCORE),
        margin: MIN_MARGIN,
        hidden_margin: MIN_MARGIN,
    }
}

/// The state code among [`STATES`] with the highest mean correlation over three cells,
/// each of its letters with that mean and the mean's lead over the next code.
fn decide_state(cells: &[CellRead]) -> Vec<Decided> {
    let mut ranked: Vec<(f32, &str)> = STATES
        .split(' ')
        .map(|code| {
            let sum = code
                .bytes()
                .zip(cells)
                .map(|(c, s)| s.scores[index(c)])
                .sum::<f32>();
            (sum / 3.0, code)
        })
        .collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
    let (best, code) = ranked[0];
    let margin = best - ranked[1].0;
    code.bytes()
        .map(|class| Decided {
            class,
            score: best,
            margin,
            hidden_margin: margin,
        })
        .collect()
}

/// Cell `k` of `cells` decided among `allowed`: by the templates, then the model's
/// [`second_opinion`]; `None` for a blank cell.
fn decide_cell(
    ink: &Ink,
    cells: &Cells,
    k: usize,
    allowed: Alphabet,
    settle: &Settle,
) -> Option<Decided> {
    let read = ink.read_cell(cells, k, allowed)?;
    let d = decide(&read, allowed == alnum());
    Some(second_opinion(ink, cells, k, allowed, &read, d, settle))
}

/// Whether the character at a position, decided so, is unclear by itself.
type Unclear<'a> = dyn Fn(usize, &Decided) -> bool + 'a;

/// Reads line `cells`: `alphabet(k)` is what position `k` may hold, `state` the three
/// positions of a state code; with `unclear`, `None` at the first character it finds
/// unclear.
fn read_line(
    ink: &Ink,
    cells: &Cells,
    alphabet: impl Fn(usize) -> Alphabet,
    state: std::ops::Range<usize>,
    unclear: Option<&Unclear<'_>>,
    settle: &Settle,
) -> Option<Vec<Decided>> {
    let mut out = Vec::with_capacity(cells.count);
    let mut k = 0;
    while k < cells.count {
        let from = out.len();
        if k == state.start {
            let reads: Vec<CellRead> = state
                .clone()
                .map(|j| ink.read_cell(cells, j, alphabet(j)))
                .collect::<Option<_>>()?;
            out.extend(decide_state(&reads));
            k = state.end;
        } else {
            out.push(decide_cell(ink, cells, k, alphabet(k), settle)?);
            k += 1;
        }
        if let Some(unclear) = unclear {
            if (from..out.len()).any(|j| unclear(j, &out[j])) {
                return None;
            }
        }
    }
    Some(out)
}

/// The fields of line 2 that a check digit protects, with their check digit: document
/// number, birth, expiry and (TD3) personal number.
fn protected(kind: MrzKind) -> &'static [std::ops::Range<usize>] {
    match kind {
        MrzKind::Passport => &[0..10, 13..20, 21..28, 28..43],
        MrzKind::Visa => &[0..10, 13..20, 21..28],
    }
}

/// Whether column `k` of line 2 of a `kind` zone is in a field a check digit protects.
fn is_protected(kind: MrzKind, k: usize) -> bool {
    protected(kind).iter().any(|f| f.contains(&k))
}

/// Whether a character decided as `d` is unclear by itself: below [`MIN_SCORE`], or short of
/// [`MIN_MARGIN`] over the rivals that count where it stands: every other class, or in a
/// `protected` field the classes its check digit cannot tell from it ([`unclear`]).
fn unclear_alone(d: &Decided, protected: bool) -> bool {
    let lead = if protected { d.hidden_margin } else { d.margin };
    d.score < MIN_SCORE || lead < MIN_MARGIN
}

/// Positions (`line · 44 + column`) whose read is not clear. Everywhere a character needs
/// [`MIN_SCORE`]; without a check digit (line 1: names, codes; nationality, sex) a lead of
/// [`MIN_MARGIN`] over every other class. In a protected field a single wrong character
/// breaks the check digit unless it has the same value modulo 10, so there the lead is
/// needed over those classes only, and at most one character of the field may have a
/// smaller lead over the others (two wrong ones could cancel).
fn unclear(kind: MrzKind, l1: &[Decided], l2: &[Decided]) -> Vec<usize> {
    let mut out: Vec<usize> = (0..l1.len())
        .filter(|&k| unclear_alone(&l1[k], false))
        .collect();
    let fields = protected(kind);
    for (k, d) in l2.iter().enumerate() {
        let field = fields.iter().find(|f| f.contains(&k));
        let weak = |f: &std::ops::Range<usize>| {
            f.clone().filter(|&j| l2[j].margin < MIN_MARGIN).count() > 1
        };
        if unclear_alone(d, field.is_some()) || (d.margin < MIN_MARGIN && field.is_some_and(weak)) {
            out.push(LINE + k);
        }
    }
    out
}

/// The zone on lines `a` and `b`; with `give_up`, `None` as soon as a character is unclear
/// by itself (below [`MIN_SCORE`], or short of [`MIN_MARGIN`] over the rivals [`unclear`]
/// weighs it against): such a read cannot count.
fn read_pair(ink: &Ink, a: &Cells, b: &Cells, give_up: bool, settle: &Settle) -> Option<MrzRead> {
    let in_line1 = |_: usize, d: &Decided| unclear_alone(d, false);
    let l1 = read_line(
        ink,
        a,
        line1_alphabet,
        2..5,
        give_up.then_some(&in_line1),
        settle,
    )?;
    let kind = if l1.first().is_some_and(|d| d.class == b'V') {
        MrzKind::Visa
    } else {
        MrzKind::Passport
    };
    let in_line2 = |k: usize, d: &Decided| unclear_alone(d, is_protected(kind, k));
    let l2 = read_line(
        ink,
        b,
        |i| line2_alphabet(kind, i),
        10..13,
        give_up.then_some(&in_line2),
        settle,
    )?;
    let text = |l: &[Decided]| l.iter().map(|d| char::from(d.class)).collect::<String>();
    let (t1, t2) = (text(&l1), text(&l2));
    let all = || l1.iter().chain(&l2);
    Some(MrzRead {
        kind,
        checks_hold: checks_hold(kind, &t1, &t2),
        min_score: all().map(|d| d.score).fold(1.0, f32::min),
        min_margin: all().map(|d| d.margin).fold(1.0, f32::min),
        unclear: unclear(kind, &l1, &l2),
        lines: [t1, t2],
    })
}

/// The MRZ of the TD3 page whose corners (source pixels, any rotation) are `quad`, read
/// from `patch`; the best read found (accepted first, then by its weakest margin), `None`
/// when no two lines of 44 characters were found.
///
/// When that read does not count only because some characters are unclear, the two lines
/// are read again from bands sampled a fraction of a pixel off ([`SHIFTS`]), as a quad a
/// pixel off would show them: a character's ink box is whole pixels, so such a shift can
/// make a soft character clear or unclear. A read of a shifted band counts only when
/// (`agreed`) it counts on its own, differs from the first read only where that was
/// unclear, a second read found the very same two lines, and every read whose check digits
/// hold differs from it only where that read was unclear itself.
#[must_use]
pub fn read(patch: &Patch, quad: &[PointPx; 4]) -> Option<MrzRead> {
    read_with(patch, quad, &Settle::ON)
}

/// [`read`] with the model's rule `settle` ([`Settle::OFF`]: the templates alone).
#[must_use]
pub fn read_with(patch: &Patch, quad: &[PointPx; 4], settle: &Settle) -> Option<MrzRead> {
    let found = read_bands(patch, &orientations(quad), settle)?;
    // Nothing unclear: the check digits fail on characters read clearly, which no shift
    // may overturn.
    if found.read.accepted() || found.read.unclear.is_empty() {
        return Some(found.read);
    }
    // The rows of the two lines, with room for the background window, band pixels.
    let s = OCR_PX_PER_MM;
    let margin = ((BACKGROUND_MM + 1.0) * s) as usize;
    let top = found.a.line.top.saturating_sub(margin);
    let bottom = (found.b.line.bottom + margin).min((BAND_MM * s) as usize);
    let y0 = TD3.height_mm - BAND_MM;
    let rows = (y0 + top as f64 / s, y0 + bottom as f64 / s);
    let kind = found.read.kind;
    let mut reads = vec![found.read];
    for &(dx, dy) in &SHIFTS {
        let Some(band) = patch.band_shifted(&found.corners, TD3, rows, (dx / s, dy / s)) else {
            continue;
        };
        let ink = Ink::of(&band);
        // The first read's cells, where this band shows them.
        let moved = |c: &Cells| Cells {
            line: Line {
                top: c.line.top - top,
                bottom: c.line.bottom - top,
            },
            x0: c.x0 - dx,
            ..*c
        };
        let (a, b) = (moved(&found.a), moved(&found.b));
        // The characters the first read left unclear first: a band on which one of them
        // is still unclear cannot give a read that counts.
        let hopeless = reads[0].unclear.iter().any(|&p| {
            let (line, k) = (p / LINE, p % LINE);
            let (cells, alphabet, state) = if line == 0 {
                (&a, line1_alphabet(k), 2..5)
            } else {
                (&b, line2_alphabet(kind, k), 10..13)
            };
            // As `read_pair` would judge it: it would give up at that character.
            !state.contains(&k)
                && decide_cell(&ink, cells, k, alphabet, settle)
                    .is_none_or(|d| unclear_alone(&d, line == 1 && is_protected(kind, k)))
        });
        if hopeless {
            continue;
        }
        let Some(read) = read_pair(&ink, &a, &b, true, settle) else {
            continue;
        };
        reads.push(read);
        if let Some(agreed) = agreed(&reads) {
            return Some(agreed.clone());
        }
    }
    reads.into_iter().next()
}

/// Offsets of the bands read again when the first read leaves characters unclear, band
/// pixels (across, down): half a pixel along both diagonals. On the real passport frames
/// under perturbed quads, the other six half-pixel offsets add 8 reads to these two's 124
/// (of 17 × 19), at twice the worst-case time.
pub const SHIFTS: [(f64, f64); 2] = [(0.5, 0.5), (-0.5, -0.5)];

/// The read of `reads` (the first as found, the others from shifted bands) that counts
/// under the agreement rule of [`read`], if any.
fn agreed(reads: &[MrzRead]) -> Option<&MrzRead> {
    let first = reads.first()?;
    reads.iter().find(|r| {
        r.accepted()
            // A shift only settles what the first read left unclear, never overturns a
            // character it was sure of.
            && differences(first, r).all(|p| first.unclear.contains(&p))
            && reads.iter().filter(|s| s.lines == r.lines).count() >= 2
            && reads.iter().all(|s| {
                !s.checks_hold
                    || s.lines == r.lines
                    || differences(s, r).all(|p| s.unclear.contains(&p))
            })
    })
}

/// Positions (`line · 44 + column`) where two reads differ.
fn differences<'a>(a: &'a MrzRead, b: &'a MrzRead) -> impl Iterator<Item = usize> + 'a {
    a.lines
        .iter()
        .zip(&b.lines)
        .enumerate()
        .flat_map(|(l, (x, y))| {
            x.bytes()
                .zip(y.bytes())
                .enumerate()
                .filter(|(_, (p, q))| p != q)
                .map(move |(k, _)| l * LINE + k)
        })
}

/// The zone's first read with its band's ink and the cells of its two lines (the input of
/// [`read`]'s first step; tests and tools look at the cells through it).
pub struct Zone {
    pub read: MrzRead,
    pub ink: Ink,
    pub a: Cells,
    pub b: Cells,
}

/// The first read of the zone of `quad` under `settle` (before any shifted band), with where
/// it was found; `None` as for [`read`].
#[must_use]
pub fn locate(patch: &Patch, quad: &[PointPx; 4], settle: &Settle) -> Option<Zone> {
    let found = read_bands(patch, &orientations(quad), settle)?;
    let band = patch.band(
        &found.corners,
        TD3,
        (TD3.height_mm - BAND_MM, TD3.height_mm),
    )?;
    Some(Zone {
        read: found.read,
        ink: Ink::of(&band),
        a: found.a,
        b: found.b,
    })
}

/// A read with where it was found: the orientation and the cells of its two lines.
struct Found {
    read: MrzRead,
    corners: [PointPx; 4],
    a: Cells,
    b: Cells,
}

/// The best read of the bands of `corners` (orientations).
fn read_bands(patch: &Patch, corners: &[[PointPx; 4]], settle: &Settle) -> Option<Found> {
    let mut best: Option<Found> = None;
    for &corners in corners {
        // A zone whose check digits hold was read the right way up.
        if best.as_ref().is_some_and(|b| b.read.checks_hold) {
            break;
        }
        let Some(band) = patch.band(&corners, TD3, (TD3.height_mm - BAND_MM, TD3.height_mm)) else {
            continue;
        };
        let ink = Ink::of(&band);
        let lines = ink.lines();
        // Each line's cells, found when first needed.
        let mut cells: Vec<Option<Option<Cells>>> = vec![None; lines.len()];
        let mut cells_of = |i: usize| *cells[i].get_or_insert_with(|| ink.cells(lines[i], LINE));
        // Bottom-most pairs first: the zone is the page's last text; the first whose check
        // digits hold ends the search.
        for i in (1..lines.len()).rev() {
            if best.as_ref().is_some_and(|b| b.read.checks_hold) {
                break;
            }
            let gap = (lines[i].top + lines[i].bottom) as f64 / 2.0
                - (lines[i - 1].top + lines[i - 1].bottom) as f64 / 2.0;
            if !(3.0..=8.0).contains(&(gap / band.px_per_mm)) {
                continue;
            }
            let (Some(b), Some(a)) = (cells_of(i), cells_of(i - 1)) else {
                continue;
            };
            let Some(read) = read_pair(&ink, &a, &b, false, settle) else {
                continue;
            };
            let better = best.as_ref().is_none_or(|old| {
                (read.accepted(), read.checks_hold, read.min_margin)
                    > (
                        old.read.accepted(),
                        old.read.checks_hold,
                        old.read.min_margin,
                    )
            });
            if better {
                best = Some(Found {
                    read,
                    corners,
                    a,
                    b,
                });
            }
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::photo::ocr::glyphs::{template_ink, COLS, MARGIN, ROWS};

    const L1: &str = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<";
    const L2: &str = "L898902C36UTO7408122F1204159ZE184226B<<<<<10";

    /// A white TD3 page at 8 px/mm with the two lines printed from the templates (the
    /// as-drawn weight, blurred variant), each character's ink 200 luma levels deep.
    fn page(l1: &str, l2: &str) -> (Patch, [PointPx; 4]) {
        let s = OCR_PX_PER_MM;
        let (w, h) = ((TD3.width_mm * s) as usize, (TD3.height_mm * s) as usize);
        let mut luma = vec![240u8; w * h];
        let cap = 2.4 * s;
        let cell_h = cap * (1.0 + 2.0 * MARGIN);
        let pitch = 2.54 * s;
        for (line, text) in [l1, l2].into_iter().enumerate() {
            let top = (72.0 + 7.0 * line as f64) * s - cap / 2.0 - cap * MARGIN;
            for (k, c) in text.bytes().enumerate() {
                let ink = template_ink(c, 3).unwrap_or_else(|| panic!("template {c}"));
                let left = 6.0 * s + k as f64 * pitch;
                for y in top as usize..(top + cell_h) as usize {
                    for x in left as usize..(left + pitch) as usize {
                        let j = (((y as f64 + 0.5 - top) / cell_h) * ROWS as f64) as usize;
                        let i = (((x as f64 + 0.5 - left) / pitch) * COLS as f64) as usize;
                        let v = ink[j.min(ROWS - 1) * COLS + i.min(COLS - 1)];
                        luma[y * w + x] = (240.0 - 200.0 * v) as u8;
                    }
                }
            }
        }
        let patch = Patch {
            width: w as u32,
            height: h as u32,
            luma,
            origin: (0.0, 0.0),
            step: 1.0,
        };
        let (fw, fh) = (w as f64, h as f64);
        let quad = [
            PointPx { x: 0.0, y: 0.0 },
            PointPx { x: fw, y: 0.0 },
            PointPx { x: fw, y: fh },
            PointPx { x: 0.0, y: fh },
        ];
        (patch, quad)
    }

    #[test]
    fn a_printed_zone_is_read_and_counts() {
        // The ICAO 9303 Part 4 specimen (Anna Maria Eriksson, Utopia).
        let (patch, quad) = page(L1, L2);
        let r = read(&patch, &quad).unwrap_or_else(|| panic!("no zone found"));
        assert_eq!(r.lines, [L1.to_owned(), L2.to_owned()]);
        assert_eq!(r.kind, MrzKind::Passport);
        assert!(r.accepted(), "{r:?}");
        // The templates alone read it the same.
        let alone = read_with(&patch, &quad, &Settle::OFF);
        assert_eq!(alone.map(|r| r.lines), Some([L1.to_owned(), L2.to_owned()]));
        // Upside down (the quad's corners rotated by two) it is read all the same.
        let turned = [quad[2], quad[3], quad[0], quad[1]];
        let mut flipped = patch.clone();
        flipped.luma.reverse();
        let r = read(&flipped, &turned).unwrap_or_else(|| panic!("no zone found upside down"));
        assert_eq!(r.lines[1], L2);
    }

    #[test]
    fn a_read_whose_check_digit_fails_does_not_count() {
        // The birth date's check digit printed 3 instead of 2: read as printed, not accepted.
        let bad = L2.replacen("7408122", "7408123", 1);
        let (patch, quad) = page(L1, &bad);
        let r = read(&patch, &quad).unwrap_or_else(|| panic!("no zone found"));
        assert_eq!(r.lines[1], bad);
        assert!(!r.checks_hold && !r.accepted(), "{r:?}");
    }

    #[test]
    fn a_visa_zone_is_a_visa() {
        // MRV-A specimen (Doc 9303 Part 7): line 1 starts with V.
        let l1 = "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<";
        let l2 = "L8988901C4XXX4009078F96121096ZE184226B<<<<<<";
        assert!(checks_hold(MrzKind::Visa, l1, l2));
        let (patch, quad) = page(l1, l2);
        let r = read(&patch, &quad).unwrap_or_else(|| panic!("no zone found"));
        assert_eq!((r.kind, r.lines[1].as_str()), (MrzKind::Visa, l2));
    }

    #[test]
    fn the_model_votes_lookalikes_as_the_position_reads_them() {
        // A digit position's `O` is its zero; a name's zero is its `O`; a number leans to the
        // digit; a class without a lookalike stands for itself.
        assert_eq!(merged(index(b'O'), Alphabet::DIGITS), index(b'0'));
        assert_eq!(merged(index(b'0'), name_chars()), index(b'O'));
        assert_eq!(merged(index(b'B'), alnum()), index(b'8'));
        assert_eq!(merged(index(b'8'), alnum()), index(b'8'));
        assert_eq!(merged(index(b'A'), alnum()), index(b'A'));
    }

    #[test]
    fn lookalikes_and_states_follow_the_fields() {
        // In a number, a zero shaped like an O is a zero; a state code is one of the list.
        let mut s = [-1.0f32; 37];
        s[index(b'O')] = 0.9;
        s[index(b'0')] = 0.8;
        s[index(b'D')] = 0.7;
        let s = CellRead::from_scores(s);
        let d = decide(&s, true);
        assert_eq!(d.class, b'0');
        assert!((d.margin - 0.2).abs() < 1e-6, "{d:?}");
        assert_eq!(decide(&s, false).class, b'O');
        // S R D (no such state) read as SRB when B is a close second in the last cell.
        let cell = |best: u8, second: Option<(u8, f32)>| {
            let mut s = [0.0f32; 37];
            s[index(best)] = 0.9;
            if let Some((c, v)) = second {
                s[index(c)] = v;
            }
            CellRead::from_scores(s)
        };
        let code = decide_state(&[
            cell(b'S', None),
            cell(b'R', None),
            cell(b'D', Some((b'B', 0.85))),
        ]);
        assert_eq!(code.iter().map(|d| d.class).collect::<Vec<_>>(), b"SRB");
    }
}
