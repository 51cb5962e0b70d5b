//! Photo quality engine: decides in milliseconds whether a reviewer could read a photo.
//!
//! [`analyze`] takes decoded RGBA pixels (from the browser's `createImageBitmap` or from the
//! native decoder in [`file`]), reduces them once to the working image ([`work`]), and runs
//! every check on it: `resolution` (on the original size), `brightness`, `contrast`, `blur`,
//! `glare`, `color` and, for document slots, `framing` ([`framing`]: the document's outline).
//! The `face` check needs the face detector and its 1.2 MB model, so it lives apart in
//! [`face::analyze_with_faces`] (only the binary that calls it links the model). A bad photo
//! is a normal [`PhotoReport`]; only a file that cannot be read at all is a [`PhotoError`].

pub mod colour;
pub mod exposure;
pub mod face;
pub mod file;
pub mod framing;
pub mod glare;
pub mod phash;
pub mod report;
pub mod rules;
pub mod sharpness;
pub mod slot;
pub mod work;

#[cfg(not(target_arch = "wasm32"))]
pub mod decode;

pub use file::{FileLimits, Format, PhotoError};
pub use phash::PerceptualHash;
pub use report::{CheckId, CheckResult, Metrics, PhotoCode, PhotoReport};
pub use rules::{Limit, Rules, SlotRules};
pub use slot::Slot;
pub use work::{RgbaView, WorkBuilder, WorkImage};

use crate::checks::Status;

/// Smallest document share of the frame (%) for brightness and glare to be measured on the
/// document instead of the whole frame.
pub const REGION_MIN_FILL: f64 = 10.0;

/// Checks a photo for `slot`. `original` is the size of the photo as taken (before any
/// resizing by the browser); `None` means `image` is the original.
#[must_use]
pub fn analyze(
    image: RgbaView<'_>,
    original: Option<(u32, u32)>,
    slot: Slot,
    rules: &Rules,
) -> PhotoReport {
    let work = WorkImage::from_rgba(image);
    analyze_work(
        &work,
        original.unwrap_or((image.width, image.height)),
        slot,
        rules,
    )
}

/// [`analyze`] on an already reduced working image.
#[must_use]
pub fn analyze_work(
    work: &WorkImage,
    original: (u32, u32),
    slot: Slot,
    rules: &Rules,
) -> PhotoReport {
    let r = rules.slot(slot);
    let (width, height) = original;
    let megapixels = f64::from(width) * f64::from(height) / 1e6;
    // Only document slots are framed; elsewhere the check is omitted from the report.
    let framing = if slot.is_document() {
        Some(framing::measure(work))
    } else {
        None
    };
    let framing_result = framing.as_ref().map(|f| framing_check(f, &r));
    // Brightness, blur and glare are judged on the document when a whole one was found
    // (framing does not fail) that covers enough of the frame to measure (≥ REGION_MIN_FILL
    // %); contrast and colour on the whole frame.
    let region = framing
        .as_ref()
        .zip(framing_result.as_ref())
        .filter(|(f, c)| c.status != Status::Fail && f.fill_percent >= REGION_MIN_FILL)
        .and_then(|(f, _)| f.quad);
    let exposure = exposure::measure(work);
    let document_exposure = region.map(|q| exposure::measure_within(work, &q));
    let sharpness = sharpness::measure_within(work, region.as_ref().map(|q| &q[..]));
    let glare = glare::measure_within(work, region.as_ref().map(|q| &q[..]));
    let colour = colour::measure(work);

    let mut checks = vec![
        resolution(f64::from(width.min(height)), megapixels, &r),
        brightness(document_exposure.as_ref().unwrap_or(&exposure), &r),
        below(
            CheckId::Contrast,
            f64::from(exposure.range()),
            r.contrast,
            [
                PhotoCode::ContrastOk,
                PhotoCode::LowContrast,
                PhotoCode::NoContrast,
            ],
        ),
        blur(&sharpness, &r),
        above(
            CheckId::Glare,
            glare.largest_percent,
            r.glare,
            [PhotoCode::NoGlare, PhotoCode::SomeGlare, PhotoCode::Glare],
        ),
        below(
            CheckId::Color,
            colour.sigma,
            r.color,
            [
                PhotoCode::ColorOk,
                PhotoCode::Grayscale,
                PhotoCode::Grayscale,
            ],
        ),
    ];
    checks.extend(framing_result);

    // Working pixels → original-photo pixels: the box factor when `work` was made from the
    // original, more when the browser had already resized the photo (`original` is larger
    // than the decoded pixels).
    let (sx, sy) = to_original(work, original);
    let scale = |b: glare::BoxPx| glare::BoxPx {
        x: (f64::from(b.x) * sx).round() as u32,
        y: (f64::from(b.y) * sy).round() as u32,
        width: (f64::from(b.width) * sx).round() as u32,
        height: (f64::from(b.height) * sy).round() as u32,
    };
    PhotoReport {
        slot,
        width,
        height,
        checks,
        metrics: Metrics {
            work_width: work.width,
            work_height: work.height,
            megapixels,
            exposure,
            sharpness,
            glare_percent: glare.largest_percent,
            glare_total_percent: glare.total_percent,
            colourfulness: colour.colourfulness,
            colour_sigma: colour.sigma,
            framing: framing.clone().unwrap_or_default(),
            document_exposure,
        },
        glare_boxes: glare.blobs.into_iter().map(scale).collect(),
        document_quad: framing.and_then(|f| f.scaled(sx, sy)),
        face_boxes: Vec::new(),
    }
}

/// Original-photo pixels per working pixel, `(original width / working width, original
/// height / working height)`; the box factor when the image is empty.
#[must_use]
pub fn to_original(work: &WorkImage, original: (u32, u32)) -> (f64, f64) {
    let k = f64::from(work.factor.max(1));
    if work.width == 0 || work.height == 0 {
        return (k, k);
    }
    (
        f64::from(original.0) / f64::from(work.width),
        f64::from(original.1) / f64::from(work.height),
    )
}

/// `framing`: no outline → `no-document` (value 0); a corner outside the frame or closer to
/// its edge than `framing_margin` (% of the short side) → `document-cut-off` (value: that
/// distance); else the document's share of the frame (%) against `framing_fill`.
fn framing_check(f: &framing::Framing, r: &SlotRules) -> CheckResult {
    if f.quad.is_none() {
        return CheckResult {
            id: CheckId::Framing,
            status: Status::Fail,
            value: 0.0,
            threshold: None,
            code: PhotoCode::NoDocument,
        };
    }
    let margin = below(
        CheckId::Framing,
        f.margin_percent,
        r.framing_margin,
        [
            PhotoCode::FramingOk,
            PhotoCode::DocumentCutOff,
            PhotoCode::DocumentCutOff,
        ],
    );
    if margin.status != Status::Pass {
        return margin;
    }
    below(
        CheckId::Framing,
        f.fill_percent,
        r.framing_fill,
        [
            PhotoCode::FramingOk,
            PhotoCode::DocumentSmall,
            PhotoCode::DocumentTooSmall,
        ],
    )
}

fn resolution(short: f64, megapixels: f64, r: &SlotRules) -> CheckResult {
    let by_side = below(
        CheckId::Resolution,
        short,
        r.short_side,
        [
            PhotoCode::ResolutionOk,
            PhotoCode::ResolutionLow,
            PhotoCode::ResolutionTooLow,
        ],
    );
    let by_mp = below(
        CheckId::Resolution,
        megapixels,
        r.megapixels,
        [
            PhotoCode::ResolutionOk,
            PhotoCode::ResolutionLow,
            PhotoCode::ResolutionTooLow,
        ],
    );
    // Report the short side unless the megapixel rule is the stricter verdict.
    if by_mp.status > by_side.status {
        by_mp
    } else {
        by_side
    }
}

/// Defocus (edge sharpness) and motion blur (direction anisotropy); the worse verdict
/// wins. Without enough texture nothing can be judged and the check warns.
fn blur(s: &sharpness::Sharpness, r: &SlotRules) -> CheckResult {
    let tiles = f64::from(s.textured_tiles);
    let detail = below(
        CheckId::Blur,
        tiles,
        r.textured_tiles,
        [PhotoCode::Sharp, PhotoCode::NoDetail, PhotoCode::Blurry],
    );
    if detail.status != Status::Pass {
        return detail;
    }
    let focus = below(
        CheckId::Blur,
        s.score,
        r.blur,
        [
            PhotoCode::Sharp,
            PhotoCode::SlightlyBlurry,
            PhotoCode::Blurry,
        ],
    );
    let motion = below(
        CheckId::Blur,
        s.anisotropy,
        r.motion,
        [
            PhotoCode::Sharp,
            PhotoCode::SlightMotionBlur,
            PhotoCode::MotionBlur,
        ],
    );
    if motion.status > focus.status {
        motion
    } else {
        focus
    }
}

fn brightness(e: &exposure::Exposure, r: &SlotRules) -> CheckResult {
    let dark = below(
        CheckId::Brightness,
        f64::from(e.p95),
        r.dark_p95,
        [PhotoCode::BrightnessOk, PhotoCode::Dim, PhotoCode::TooDark],
    );
    let bright = above(
        CheckId::Brightness,
        e.clipped,
        r.clipped,
        [
            PhotoCode::BrightnessOk,
            PhotoCode::Bright,
            PhotoCode::TooBright,
        ],
    );
    if bright.status > dark.status {
        bright
    } else {
        dark
    }
}

/// A check whose value is bad when low. Codes: `[pass, warn, fail]`.
fn below(id: CheckId, value: f64, limit: Limit, codes: [PhotoCode; 3]) -> CheckResult {
    judge(id, value, limit, codes, |v, t| v < t)
}

/// A check whose value is bad when high.
fn above(id: CheckId, value: f64, limit: Limit, codes: [PhotoCode; 3]) -> CheckResult {
    judge(id, value, limit, codes, |v, t| v > t)
}

fn judge(
    id: CheckId,
    value: f64,
    limit: Limit,
    codes: [PhotoCode; 3],
    bad: impl Fn(f64, f64) -> bool,
) -> CheckResult {
    let (status, threshold, code) = match (limit.fail, limit.warn) {
        (Some(f), _) if bad(value, f) => (Status::Fail, Some(f), codes[2]),
        (_, Some(w)) if bad(value, w) => (Status::Warn, Some(w), codes[1]),
        (f, w) => (Status::Pass, w.or(f), codes[0]),
    };
    CheckResult {
        id,
        status,
        value,
        threshold,
        code,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(warn: f64, fail: f64) -> Limit {
        Limit {
            warn: Some(warn),
            fail: Some(fail),
        }
    }

    #[test]
    fn judging_both_directions() {
        let codes = [
            PhotoCode::Sharp,
            PhotoCode::SlightlyBlurry,
            PhotoCode::Blurry,
        ];
        let l = limits(1.0, 0.75);
        assert_eq!(below(CheckId::Blur, 1.2, l, codes).status, Status::Pass);
        assert_eq!(below(CheckId::Blur, 0.9, l, codes).status, Status::Warn);
        let fail = below(CheckId::Blur, 0.5, l, codes);
        assert_eq!(
            (fail.status, fail.threshold, fail.code),
            (Status::Fail, Some(0.75), PhotoCode::Blurry)
        );
        let g = limits(0.15, 0.4);
        let gc = [PhotoCode::NoGlare, PhotoCode::SomeGlare, PhotoCode::Glare];
        assert_eq!(above(CheckId::Glare, 0.1, g, gc).status, Status::Pass);
        assert_eq!(above(CheckId::Glare, 0.2, g, gc).status, Status::Warn);
        assert_eq!(above(CheckId::Glare, 1.0, g, gc).status, Status::Fail);
        let off = Limit {
            warn: None,
            fail: None,
        };
        assert_eq!(above(CheckId::Glare, 99.0, off, gc).status, Status::Pass);
    }

    /// A 1008×756 working image: dark table (luma 60), an upright ID-1 card (luma 205)
    /// 800 px wide centred at (480, 380), and a glare spot (white core r = 40 px, 0.66 % of
    /// the frame, with a fading halo) centred at `spot`.
    fn card_with_spot(spot: (f64, f64)) -> WorkImage {
        let (w, h) = (1008u32, 756u32);
        let (cw, ch) = (800.0, 800.0 / 1.586);
        let mut rgb = Vec::with_capacity((w * h * 3) as usize);
        for y in 0..h {
            for x in 0..w {
                let (fx, fy) = (f64::from(x) + 0.5, f64::from(y) + 0.5);
                let on_card = (fx - 480.0).abs() < cw / 2.0 && (fy - 380.0).abs() < ch / 2.0;
                let mut v: f64 = if on_card { 205.0 } else { 60.0 };
                let d = (fx - spot.0).hypot(fy - spot.1);
                if d < 40.0 {
                    v = 255.0;
                } else if d < 52.0 {
                    v = v.max(235.0);
                }
                rgb.extend_from_slice(&[v as u8; 3]);
            }
        }
        WorkImage::from_rgb(w, h, rgb)
    }

    #[test]
    fn glare_counts_on_the_document_only() {
        let rules = Rules::default();
        let judge = |spot| {
            let r = analyze_work(&card_with_spot(spot), (4032, 3024), Slot::IdFront, &rules);
            (
                r.check(CheckId::Framing).map(|c| c.status),
                r.check(CheckId::Glare).map(|c| c.status),
                r.document_quad.is_some(),
            )
        };
        // On the card: found, and the spot fails glare.
        assert_eq!(
            judge((400.0, 350.0)),
            (Some(Status::Pass), Some(Status::Fail), true)
        );
        // On the table beside it: not the document's business.
        assert_eq!(
            judge((900.0, 120.0)),
            (Some(Status::Pass), Some(Status::Pass), true)
        );
        // Without a document slot's framing, the same spot counts wherever it is.
        let face = analyze_work(
            &card_with_spot((900.0, 120.0)),
            (4032, 3024),
            Slot::Face,
            &rules,
        );
        assert_eq!(
            face.check(CheckId::Glare).map(|c| c.status),
            Some(Status::Fail)
        );
    }

    #[test]
    fn the_quad_is_reported_in_original_pixels() {
        // 2016×1512 photo (working factor 2), an upright card 1600 px wide centred at
        // (1000, 760): corners in original pixels.
        let (w, h) = (2016u32, 1512u32);
        let (hw, hh) = (800.0, 800.0 / 1.586);
        let mut data = Vec::with_capacity((w * h * 4) as usize);
        for y in 0..h {
            for x in 0..w {
                let (fx, fy) = (f64::from(x) + 0.5, f64::from(y) + 0.5);
                let v = if (fx - 1000.0).abs() < hw && (fy - 760.0).abs() < hh {
                    210
                } else {
                    50
                };
                data.extend_from_slice(&[v, v, v, 255]);
            }
        }
        let view = RgbaView::new(w, h, &data).unwrap_or_else(|| panic!("size"));
        let report = analyze(view, None, Slot::IdFront, &Rules::default());
        let quad = report.document_quad.unwrap_or_else(|| panic!("{report:?}"));
        let truth = [
            (1000.0 - hw, 760.0 - hh),
            (1000.0 + hw, 760.0 - hh),
            (1000.0 + hw, 760.0 + hh),
            (1000.0 - hw, 760.0 + hh),
        ];
        for (p, t) in quad.iter().zip(truth) {
            assert!(
                (p.x - t.0).abs() < 6.0 && (p.y - t.1).abs() < 6.0,
                "{p:?} vs {t:?}"
            );
        }
        // The browser resized a 4032×3024 photo to these 2016×1512 pixels: the overlay is
        // still in the original's pixels.
        let resized = analyze(view, Some((4032, 3024)), Slot::IdFront, &Rules::default());
        let big = resized
            .document_quad
            .unwrap_or_else(|| panic!("{resized:?}"));
        for (p, t) in big.iter().zip(truth) {
            assert!(
                (p.x - 2.0 * t.0).abs() < 12.0 && (p.y - 2.0 * t.1).abs() < 12.0,
                "{p:?} vs 2 × {t:?}"
            );
        }
        let json = report.to_json(crate::i18n::Locale::En);
        assert_eq!(json["document_quad"].as_array().map(Vec::len), Some(4));
        assert!(json["face_boxes"].as_array().is_some_and(Vec::is_empty));
        assert_eq!(
            report.check(CheckId::Framing).map(|c| c.code),
            Some(PhotoCode::FramingOk)
        );
    }

    #[test]
    fn a_blank_frame_is_judged_without_panicking() {
        for (w, h) in [(0, 0), (1, 1), (3, 2), (2000, 1)] {
            let data = vec![255u8; w as usize * h as usize * 4];
            let view = RgbaView::new(w, h, &data).unwrap_or_else(|| panic!("size"));
            let r = analyze(view, None, Slot::IdFront, &Rules::default());
            assert_eq!(r.checks.len(), 7);
            assert_eq!(
                r.check(CheckId::Framing).map(|c| c.code),
                Some(PhotoCode::NoDocument)
            );
            let face = analyze(view, None, Slot::Face, &Rules::default());
            assert_eq!(face.check(CheckId::Framing), None, "not applicable");
            assert_eq!(r.status(), Status::Fail, "{w}×{h} is far too small");
        }
    }
}
