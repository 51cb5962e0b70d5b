//! Glare measurements: specular highlights, i.e. near-white, colorless blobs inside the frame.
//!
//! Mask: luma ≥ [`WHITE_FROM`] and chroma `max(R,G,B) − min(R,G,B)` ≤ [`MAX_CHROMA`].
//! 8-connected components of the mask are measured; components touching the frame edge are
//! ignored (an over-exposed sky or wall is the brightness check's business, a glare spot on
//! a card lies inside the picture), and so are sprawling ones that fill less than
//! [`MIN_FILL`] of their bounding box (white strips and outlines, not a reflection: a
//! highlight is a compact, roughly elliptic blob). A highlight also fades out: the pixels just
//! outside it are still bright (mean luma ≥ [`MIN_HALO`]), whereas a white surface in a
//! high-contrast scene ends at a hard edge next to darker tones. The result is the largest blob's share of the frame and
//! its bounding box, for the overlay.

use crate::checks::photo::work::WorkImage;
use serde::{Deserialize, Serialize};

/// Luma from which a pixel may be glare.
pub const WHITE_FROM: u8 = 245;
/// Largest RGB spread of a glare pixel (specular reflections are colorless).
pub const MAX_CHROMA: u8 = 40;
/// Smallest share of its bounding box a glare blob fills (a disc fills π/4 ≈ 0.79).
pub const MIN_FILL: f64 = 0.3;
/// Smallest mean luma of the pixels bordering a glare blob (its fading halo).
pub const MIN_HALO: f64 = 200.0;

/// A rectangle in working-image pixels.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoxPx {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
}

/// Glare measurements.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Glare {
    /// Largest inner blob, percent of the frame.
    pub largest_percent: f64,
    /// All inner blobs together, percent of the frame.
    pub total_percent: f64,
    /// Bounding boxes of the blobs of at least 0.05 % of the frame, largest first (≤ 8).
    pub blobs: Vec<BoxPx>,
}

/// Finds glare blobs in `img`.
#[must_use]
pub fn measure(img: &WorkImage) -> Glare {
    measure_within(img, None)
}

/// [`measure`], counting only blobs whose bounding-box centre lies inside `region` (the
/// document's quad, working pixels): a highlight on the table beside the card hides nothing.
/// Percentages stay shares of the whole frame.
#[must_use]
pub fn measure_within(
    img: &WorkImage,
    region: Option<&[crate::checks::photo::framing::PointPx]>,
) -> Glare {
    let (w, h) = (img.width as usize, img.height as usize);
    let n = w * h;
    if n == 0 {
        return Glare::default();
    }
    // A frame without a bright pixel (its histogram says so) has no glare.
    if img
        .histogram
        .get(usize::from(WHITE_FROM)..)
        .is_some_and(|h| h.iter().all(|&c| c == 0))
    {
        return Glare::default();
    }
    let mut mask = vec![false; n];
    for ((m, &y), &c) in mask.iter_mut().zip(&img.luma).zip(&img.chroma) {
        *m = y >= WHITE_FROM && c <= MAX_CHROMA;
    }
    let mut blobs: Vec<(usize, BoxPx)> = Vec::new();
    let mut total = 0usize;
    for c in components(&mask, w, h, &img.luma) {
        if c.touches_edge || c.fill() < MIN_FILL || c.halo < MIN_HALO {
            continue;
        }
        let centre = crate::checks::photo::framing::PointPx {
            x: f64::from(2 * c.bounds.x + c.bounds.width) / 2.0,
            y: f64::from(2 * c.bounds.y + c.bounds.height) / 2.0,
        };
        if region.is_some_and(|q| !crate::checks::photo::framing::contains(q, centre)) {
            continue;
        }
        total += c.area;
        blobs.push((c.area, c.bounds));
    }
    blobs.sort_by_key(|b| std::cmp::Reverse(b.0));
    let percent = |a: usize| 100.0 * a as f64 / n as f64;
    Glare {
        largest_percent: blobs.first().map_or(0.0, |b| percent(b.0)),
        total_percent: percent(total),
        blobs: blobs
            .iter()
            .filter(|b| percent(b.0) >= 0.05)
            .take(8)
            .map(|b| b.1)
            .collect(),
    }
}

/// One 8-connected component of a mask.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Component {
    /// Pixels in the component.
    pub area: usize,
    pub bounds: BoxPx,
    /// Whether it reaches the image's border.
    pub touches_edge: bool,
    /// Mean luma of the pixels bordering it (outside the mask); 0 when none.
    pub halo: f64,
}

impl Component {
    /// Share of its bounding box the component fills.
    #[must_use]
    pub fn fill(&self) -> f64 {
        self.area as f64 / (f64::from(self.bounds.width) * f64::from(self.bounds.height))
    }
}

/// The 8-connected components of `mask` (`w × h`, row-major), with the mean `luma` of
/// their bordering pixels.
#[must_use]
pub fn components(mask: &[bool], w: usize, h: usize, luma: &[u8]) -> Vec<Component> {
    let n = w * h;
    let mut seen = vec![false; n];
    let mut stack = Vec::new();
    let mut out = Vec::new();
    let mut next = 0;
    // The next unseen mask pixel (`position` over the bools, not an index loop).
    while let Some(offset) = mask[next..].iter().position(|&m| m) {
        let start = next + offset;
        next = start + 1;
        if seen[start] {
            continue;
        }
        seen[start] = true;
        stack.push(start);
        let (mut area, mut touches_edge) = (0usize, false);
        let (mut halo_sum, mut halo_n) = (0u64, 0u64);
        let (mut x0, mut y0, mut x1, mut y1) = (usize::MAX, usize::MAX, 0, 0);
        while let Some(i) = stack.pop() {
            let (x, y) = (i % w, i / w);
            area += 1;
            touches_edge |= x == 0 || y == 0 || x == w - 1 || y == h - 1;
            x0 = x0.min(x);
            y0 = y0.min(y);
            x1 = x1.max(x);
            y1 = y1.max(y);
            for (dx, dy) in [
                (-1, -1),
                (0, -1),
                (1, -1),
                (-1, 0),
                (1, 0),
                (-1, 1),
                (0, 1),
                (1, 1),
            ] {
                let (nx, ny) = (x as isize + dx, y as isize + dy);
                if nx < 0 || ny < 0 || nx >= w as isize || ny >= h as isize {
                    continue;
                }
                let j = ny as usize * w + nx as usize;
                if !mask[j] {
                    halo_sum += u64::from(luma[j]);
                    halo_n += 1;
                } else if !seen[j] {
                    seen[j] = true;
                    stack.push(j);
                }
            }
        }
        out.push(Component {
            area,
            bounds: BoxPx {
                x: x0 as u32,
                y: y0 as u32,
                width: (x1 - x0 + 1) as u32,
                height: (y1 - y0 + 1) as u32,
            },
            touches_edge,
            halo: if halo_n == 0 {
                0.0
            } else {
                halo_sum as f64 / halo_n as f64
            },
        });
    }
    out
}

/// Clipped luma on a document: a reflection has burnt the print away here.
pub const DOC_CLIPPED_FROM: u8 = 250;
/// The paper is itself clipped when its 75th-percentile luma reaches this (a white card
/// photographed bright): then no blob can be told from the paper, and glare only warns.
pub const PAPER_CLIPPED_FROM: u8 = 245;

/// Glare on the document image: washed-out (clipped, colorless) areas.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct DocumentGlare {
    /// Largest clipped blob (luma ≥ [`DOC_CLIPPED_FROM`], chroma ≤ [`MAX_CHROMA`]) on the
    /// document, % of the document's area.
    pub largest_percent: f64,
    /// All such blobs together, % of the document.
    pub total_percent: f64,
    /// 75th percentile of the document's luma (its paper, for most documents).
    pub paper_p75: u8,
    /// Bounding boxes of blobs of ≥ 0.1 % of the document, largest first (≤ 8), in the
    /// document image's pixels.
    pub blobs: Vec<BoxPx>,
}

impl DocumentGlare {
    /// Whether the paper itself is clipped ([`PAPER_CLIPPED_FROM`]).
    #[must_use]
    pub fn paper_clipped(&self) -> bool {
        self.paper_p75 >= PAPER_CLIPPED_FROM
    }
}

/// Washed-out areas of `doc` inside its quad. Unlike [`measure`] no halo or shape is
/// required: at the document's scale any clipped, colorless patch on the print has lost
/// what was printed there (text, portrait, background alike); how much of the document it
/// covers is the measure.
#[must_use]
pub fn on_document(doc: &crate::checks::photo::document::DocImage) -> DocumentGlare {
    let (w, h) = (doc.width as usize, doc.height as usize);
    let inside = doc.mask();
    let on = inside.iter().filter(|&&b| b).count();
    if on == 0 {
        return DocumentGlare::default();
    }
    let mut hist = [0u32; 256];
    let mask: Vec<bool> = doc
        .rgb
        .chunks_exact(3)
        .zip(&doc.luma)
        .zip(&inside)
        .map(|((px, &y), &i)| {
            if i {
                hist[usize::from(y)] += 1;
            }
            let (hi, lo) = (px[0].max(px[1]).max(px[2]), px[0].min(px[1]).min(px[2]));
            i && y >= DOC_CLIPPED_FROM && hi - lo <= MAX_CHROMA
        })
        .collect();
    let mut blobs: Vec<(usize, BoxPx)> = components(&mask, w, h, &doc.luma)
        .into_iter()
        .map(|c| (c.area, c.bounds))
        .collect();
    blobs.sort_by_key(|b| std::cmp::Reverse(b.0));
    let percent = |a: usize| 100.0 * a as f64 / on as f64;
    let rank = (on as f64 * 0.75).ceil() as u32;
    let mut seen = 0u32;
    let paper_p75 = (0u8..=255)
        .find(|&v| {
            seen += hist[usize::from(v)];
            seen >= rank
        })
        .unwrap_or(255);
    DocumentGlare {
        largest_percent: blobs.first().map_or(0.0, |b| percent(b.0)),
        total_percent: percent(blobs.iter().map(|b| b.0).sum()),
        paper_p75,
        blobs: blobs
            .iter()
            .filter(|b| percent(b.0) >= 0.1)
            .take(8)
            .map(|b| b.1)
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(w: u32, h: u32, f: impl Fn(u32, u32) -> [u8; 3]) -> WorkImage {
        let rgb: Vec<u8> = (0..h)
            .flat_map(|y| (0..w).map(move |x| (x, y)))
            .flat_map(|(x, y)| f(x, y))
            .collect();
        WorkImage::from_rgb(w, h, rgb)
    }

    #[test]
    fn a_white_spot_inside_is_glare() {
        let img = image(100, 100, |x, y| {
            let d2 = (x as i32 - 50).pow(2) + (y as i32 - 40).pow(2);
            match d2 {
                0..=25 => [255, 255, 255],
                26..=80 => [230, 228, 226], // the fading halo
                _ => [120, 110, 100],
            }
        });
        let g = measure(&img);
        assert!((g.largest_percent - 0.81).abs() < 0.01, "{g:?}"); // 81 px of a 5-px disc
        assert_eq!(g.blobs.len(), 1);
        assert_eq!(
            g.blobs[0],
            BoxPx {
                x: 45,
                y: 35,
                width: 11,
                height: 11
            }
        );
    }

    #[test]
    fn edge_touching_sky_and_colored_highlights_are_not_glare() {
        let sky = image(100, 100, |_, y| {
            if y < 30 {
                [252, 252, 252]
            } else {
                [90, 90, 90]
            }
        });
        assert_eq!(measure(&sky).largest_percent, 0.0);
        let ring = image(100, 100, |x, y| {
            let d2 = (x as i32 - 50).pow(2) + (y as i32 - 50).pow(2);
            if (300..400).contains(&d2) {
                [255, 255, 255]
            } else {
                [90, 90, 90]
            }
        });
        assert_eq!(
            measure(&ring).largest_percent,
            0.0,
            "an outline is not a highlight"
        );
        let hard = image(100, 100, |x, y| {
            if (40..60).contains(&x) && (40..60).contains(&y) {
                [255, 255, 255]
            } else {
                [60, 60, 60]
            }
        });
        assert_eq!(
            measure(&hard).largest_percent,
            0.0,
            "a white patch with a hard edge is a surface"
        );
        let yellow = image(100, 100, |x, y| {
            if (40..60).contains(&x) && (40..60).contains(&y) {
                [255, 250, 120]
            } else {
                [90, 90, 90]
            }
        });
        assert_eq!(measure(&yellow).largest_percent, 0.0);
    }
}
