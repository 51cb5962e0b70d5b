//! The photo checks on real phone photos, against what a reviewer decided for each one.
//!
//! Photos: `../shared/realphotos/` (or `REAL_PHOTOS`): MIDV-500 document frames with their
//! ground-truth corners in `manifest.jsonl`, FiveK exposure renders and a LOL low-light
//! capture. They are not in the repository; under `CI=true` a missing folder fails this test,
//! elsewhere it is skipped with a message. Labels: `tests/real/labels.tsv` (file, slot,
//! verdict `acceptable` | `unacceptable`, reasons, notes), made by looking at 1:1 crops of
//! every document. The numbers behind every threshold: `docs/calibration.md`, "Real photos"
//! (`tools/real_photos.py` prints the same tables through the CLI).
//!
//! Asserted, through the same entry point as `precheck photo`:
//! - no acceptable document frame fails (a false rejection), and no acceptable exposure scene
//!   fails `brightness`;
//! - each reason is detected (its check warns or fails) on at least the share calibrated in
//!   [`DETECTED`]; at most 1 in 10 unacceptable document frames passes outright;
//! - the found quad matches the ground truth (IoU ≥ 0.9) on ≥ [`MIN_IOU_SHARE`] of the frames
//!   whose document lies wholly in the frame.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use id_precheck::checks::photo::{framing::PointPx, CheckId, PhotoReport, Rules, Slot};
use id_precheck::checks::Status;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Smallest share of each reason's unacceptable frames on which its check warns or fails, as
/// calibrated: dark 8/8, overexposed 1/1, too small 2/2, cut off 9/10, blur 6/7, glare 9/11.
/// Below the 95 % aimed at: a map behind a cut-off card taken for the document (13_43_06,
/// counted in all three of its reasons) and a reflection of 0.2 % of a card over a date row
/// (8_31_04); `docs/calibration.md`.
const DETECTED: [(&str, CheckId, f64); 6] = [
    ("dark", CheckId::Brightness, 1.0),
    ("overexposed", CheckId::Brightness, 1.0),
    ("too-small-to-read", CheckId::Framing, 1.0),
    ("cut-off", CheckId::Framing, 0.9),
    ("glare-on-data", CheckId::Glare, 0.8),
    ("blur", CheckId::Blur, 0.7),
];

/// Share of whole-document frames whose quad has IoU ≥ 0.9 with the ground truth.
const MIN_IOU_SHARE: f64 = 0.92;

fn photos() -> Option<PathBuf> {
    common::real_photos()
}

struct Row {
    file: String,
    slot: Slot,
    acceptable: bool,
    reasons: Vec<String>,
}

fn labels() -> Vec<Row> {
    let text = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/real/labels.tsv"),
    )
    .unwrap_or_else(|e| panic!("tests/real/labels.tsv: {e}"));
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            let [file, slot, verdict, reasons, ..] = c[..] else {
                panic!("bad label line: {l}");
            };
            assert!(
                matches!(verdict, "acceptable" | "unacceptable"),
                "{file}: verdict {verdict}"
            );
            Row {
                file: file.to_string(),
                slot: Slot::parse(slot).unwrap_or_else(|| panic!("{file}: slot {slot}")),
                acceptable: verdict == "acceptable",
                reasons: reasons
                    .split(',')
                    .filter(|r| !r.is_empty())
                    .map(str::to_string)
                    .collect(),
            }
        })
        .collect()
}

/// A photo's entry in `manifest.jsonl`: kind, width, height, ground-truth quad.
type Entry = (String, u32, u32, Option<Vec<PointPx>>);

/// `file → entry` from `manifest.jsonl`.
fn manifest(dir: &std::path::Path) -> BTreeMap<String, Entry> {
    let text = std::fs::read_to_string(dir.join("manifest.jsonl"))
        .unwrap_or_else(|e| panic!("manifest.jsonl: {e}"));
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value =
                serde_json::from_str(l).unwrap_or_else(|e| panic!("manifest line {l}: {e}"));
            let quad = v["document_quad"].as_array().map(|q| {
                q.iter()
                    .map(|p| PointPx {
                        x: p[0].as_f64().unwrap_or(f64::NAN),
                        y: p[1].as_f64().unwrap_or(f64::NAN),
                    })
                    .collect()
            });
            let dim = |k: &str| u32::try_from(v[k].as_u64().unwrap_or(0)).unwrap_or(0);
            (
                v["file"].as_str().unwrap_or_default().to_string(),
                (
                    v["kind"].as_str().unwrap_or_default().to_string(),
                    dim("width"),
                    dim("height"),
                    quad,
                ),
            )
        })
        .collect()
}

fn check(dir: &std::path::Path, row: &Row, rules: &Rules) -> PhotoReport {
    common::check_file(&dir.join(&row.file), row.slot, rules)
}

/// Intersection over union of two convex quads (Sutherland–Hodgman clipping).
fn iou(a: &[PointPx], b: &[PointPx]) -> f64 {
    fn signed_area(p: &[PointPx]) -> f64 {
        let n = p.len();
        (0..n)
            .map(|i| p[i].x * p[(i + 1) % n].y - p[(i + 1) % n].x * p[i].y)
            .sum::<f64>()
            / 2.0
    }
    let area = |p: &[PointPx]| signed_area(p).abs();
    fn ccw(p: &[PointPx]) -> Vec<PointPx> {
        let mut v = p.to_vec();
        if signed_area(p) < 0.0 {
            v.reverse();
        }
        v
    }
    let (a, b) = (ccw(a), ccw(b));
    let mut inter = a.clone();
    for i in 0..b.len() {
        let (e0, e1) = (b[i], b[(i + 1) % b.len()]);
        let side = |p: PointPx| (e1.x - e0.x) * (p.y - e0.y) - (e1.y - e0.y) * (p.x - e0.x);
        let mut next = Vec::new();
        for j in 0..inter.len() {
            let (p, q) = (inter[j], inter[(j + 1) % inter.len()]);
            let (sp, sq) = (side(p), side(q));
            if sp >= 0.0 {
                next.push(p);
            }
            if (sp >= 0.0) != (sq >= 0.0) {
                let t = sp / (sp - sq);
                next.push(PointPx {
                    x: p.x + t * (q.x - p.x),
                    y: p.y + t * (q.y - p.y),
                });
            }
        }
        inter = next;
        if inter.is_empty() {
            return 0.0;
        }
    }
    let i = area(&inter);
    i / (area(&a) + area(&b) - i)
}

#[test]
fn the_iou_of_two_quads() {
    let sq = |x: f64, y: f64, s: f64| {
        vec![
            PointPx { x, y },
            PointPx { x: x + s, y },
            PointPx { x: x + s, y: y + s },
            PointPx { x, y: y + s },
        ]
    };
    assert!((iou(&sq(0.0, 0.0, 10.0), &sq(0.0, 0.0, 10.0)) - 1.0).abs() < 1e-12);
    // Half overlap: 50 / 150.
    assert!((iou(&sq(0.0, 0.0, 10.0), &sq(5.0, 0.0, 10.0)) - 1.0 / 3.0).abs() < 1e-12);
    assert_eq!(iou(&sq(0.0, 0.0, 10.0), &sq(20.0, 0.0, 10.0)), 0.0);
}

#[test]
fn real_photos_are_judged_as_a_reviewer_would() {
    let Some(dir) = photos() else {
        return;
    };
    let manifest = manifest(&dir);
    let rules = Rules::default();
    let rows = labels();
    assert!(rows.len() >= 100, "{} labelled photos", rows.len());
    let mut false_fails = Vec::new();
    let mut passed_unacceptable = Vec::new();
    let mut detected: BTreeMap<&str, (u32, u32, Vec<String>)> = BTreeMap::new();
    let (mut whole, mut matched, mut unacceptable_docs) = (0u32, 0u32, 0u32);
    let mut low_iou = Vec::new();
    for row in &rows {
        let (kind, w, h, truth) = manifest
            .get(&row.file)
            .unwrap_or_else(|| panic!("{} is not in manifest.jsonl", row.file));
        let report = check(&dir, row, &rules);
        let document = kind == "document";
        let status_of = |id: CheckId| report.check(id).map(|c| c.status);
        let summary = || common::summary(&report);
        if row.acceptable {
            // A scene is an exposure test, not a face photo: only its brightness counts.
            let failed = if document {
                report.status() == Status::Fail
            } else {
                status_of(CheckId::Brightness) == Some(Status::Fail)
            };
            if failed {
                false_fails.push(format!("{}: {}", row.file, summary()));
            }
        } else if document {
            unacceptable_docs += 1;
            if report.status() == Status::Pass {
                passed_unacceptable.push(row.file.clone());
            }
        }
        if !row.acceptable {
            for (reason, id, _) in DETECTED {
                if row.reasons.iter().any(|r| r == reason) {
                    let e = detected.entry(reason).or_default();
                    e.0 += 1;
                    if status_of(id).is_some_and(|s| s != Status::Pass) {
                        e.1 += 1;
                    } else {
                        e.2.push(format!("{}: {}", row.file, summary()));
                    }
                }
            }
        }
        if let (true, Some(t)) = (document, truth) {
            let inside = t
                .iter()
                .all(|p| p.x >= 0.0 && p.y >= 0.0 && p.x < f64::from(*w) && p.y < f64::from(*h));
            if inside {
                whole += 1;
                let v = report.document_quad.map_or(0.0, |q| iou(&q, t));
                if v >= 0.9 {
                    matched += 1;
                } else {
                    low_iou.push(format!("{} {v:.3}", row.file));
                }
            }
        }
    }
    for (reason, (n, hit, misses)) in &detected {
        println!("{reason}: detected on {hit}/{n}; missed: {misses:?}");
    }
    println!(
        "quad IoU ≥ 0.9 on {matched}/{whole} whole-document frames; below: {low_iou:?}\n\
         unacceptable frames passing outright: {passed_unacceptable:?}"
    );
    assert!(
        false_fails.is_empty(),
        "acceptable photos rejected:\n{}",
        false_fails.join("\n")
    );
    for (reason, _, share) in DETECTED {
        let (n, hit, misses) = detected.get(reason).cloned().unwrap_or_default();
        assert!(n > 0, "no frame labelled {reason}");
        assert!(
            f64::from(hit) >= share * f64::from(n),
            "{reason}: detected on {hit}/{n}, expected ≥ {:.0} %; missed:\n{}",
            share * 100.0,
            misses.join("\n")
        );
    }
    assert!(
        passed_unacceptable.len() * 10 <= unacceptable_docs as usize,
        "{} of {unacceptable_docs} unacceptable frames pass: {passed_unacceptable:?}",
        passed_unacceptable.len()
    );
    assert!(whole >= 70, "{whole} whole-document frames");
    assert!(
        f64::from(matched) >= MIN_IOU_SHARE * f64::from(whole),
        "quad IoU ≥ 0.9 on {matched}/{whole}: {low_iou:?}"
    );
}

/// Live guidance on the real frames (MIDV-500 frames *are* phone video frames): each frame
/// scaled as the page scales a preview frame (long side ≤ 1008 px), judged as a still of its
/// own size, as the worker does. An acceptable frame with a failing hint would never be taken
/// by itself (at most 1 in 50 may: the shutter still takes it), and a hint must name a
/// problem on ≥ 90 % of the unacceptable ones. The table: `docs/camera.md`.
#[test]
fn live_guidance_on_real_frames() {
    use id_precheck::checks::photo::guidance::{facts, GuideCode};
    use id_precheck::checks::photo::{analyze_keeping_work, RgbaView};
    let Some(dir) = photos() else { return };
    let rules = Rules::default();
    let mut table: BTreeMap<(bool, &str), usize> = BTreeMap::new();
    let (mut bad, mut bad_named) = (0usize, 0usize);
    let (mut good, mut held_back) = (0usize, 0usize);
    for row in labels().iter().filter(|r| r.slot.is_document()) {
        let img = common::load(&dir.join(&row.file));
        let rgba = image::RgbaImage::from_raw(img.width, img.height, img.rgba.clone())
            .unwrap_or_else(|| panic!("{}: size", row.file));
        let long = img.width.max(img.height);
        let (w, h) = if long > 1008 {
            (img.width * 1008 / long, img.height * 1008 / long)
        } else {
            (img.width, img.height)
        };
        let small = image::imageops::resize(&rgba, w, h, image::imageops::FilterType::Triangle);
        let view = RgbaView::new(w, h, small.as_raw()).unwrap_or_else(|| panic!("size"));
        let (report, _) =
            analyze_keeping_work(view, Some((img.width, img.height)), row.slot, &rules);
        let f = facts(&report);
        *table.entry((row.acceptable, f.hint.as_str())).or_default() += 1;
        if row.acceptable {
            good += 1;
            if !f.passes {
                println!(
                    "acceptable but not taken: {} {:?} {}",
                    row.file,
                    f.hint,
                    common::summary(&report)
                );
                held_back += 1;
            }
        } else {
            bad += 1;
            bad_named += usize::from(!f.passes || f.hint != GuideCode::Good);
        }
    }
    for ((ok, hint), n) in &table {
        println!(
            "{} {hint:<22} {n}",
            if *ok { "acceptable  " } else { "unacceptable" }
        );
    }
    println!("unacceptable named: {bad_named}/{bad}; acceptable held back: {held_back}/{good}");
    assert!(
        bad > 0 && bad_named * 10 >= bad * 9,
        "{bad_named}/{bad} unacceptable frames named"
    );
    // Measured 1/68: midv500_4_10_02, whose card touches the frame's edge, reads as cut off
    // at preview size (the shopper is asked to move it in; the shutter still takes it).
    assert!(
        held_back * 50 <= good,
        "{held_back}/{good} acceptable frames held back"
    );
}
