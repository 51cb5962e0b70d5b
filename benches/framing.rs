//! `cargo bench --bench framing`: the framing check (edges, Hough lines, quad search) on the
//! working images of a few real photos and on a 720×960 camera frame.
//!
//! The real photos are read from `../shared/realphotos/` (or `REAL_PHOTOS`); when they are
//! absent those benches are skipped with a message and the camera frame is a synthetic scene.

use criterion::{criterion_group, criterion_main, Criterion};
use id_precheck::checks::photo::decode::decode;
use id_precheck::checks::photo::framing;
use id_precheck::checks::photo::{FileLimits, RgbaView, WorkImage};
use std::hint::black_box;
use std::path::PathBuf;

/// Real photos timed: a card on a plain background, a card on a cluttered desk (100 lines),
/// a card on a keyboard, and a scene without a document.
const PHOTOS: [&str; 4] = [
    "midv500_1_02_02.jpg",
    "midv500_9_33_01.jpg",
    "midv500_8_31_06.jpg",
    "fivek_a0716_+1.5EV.jpg",
];
/// The photo the camera frame is cut from.
const FRAME_FROM: &str = "midv500_9_33_01.jpg";

fn real_photos() -> Option<PathBuf> {
    let dir = std::env::var_os("REAL_PHOTOS").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/realphotos"),
        PathBuf::from,
    );
    dir.join("manifest.jsonl").is_file().then_some(dir)
}

/// The decoded RGBA photo `(width, height, pixels)`, or `None` when it cannot be read.
fn load(dir: &std::path::Path, name: &str) -> Option<(u32, u32, Vec<u8>)> {
    let bytes = std::fs::read(dir.join(name)).ok()?;
    let d = decode(&bytes, &FileLimits::default()).ok()?;
    Some((d.width, d.height, d.rgba))
}

/// A 720×960 RGBA camera frame: the centre 3:4 of `photo` resized, or, without one, a
/// synthetic card on a textured table.
fn camera_frame(photo: Option<(u32, u32, Vec<u8>)>) -> Vec<u8> {
    let (fw, fh) = (720u32, 960u32);
    if let Some((w, h, rgba)) = photo {
        // Centre crop to 3:4, then nearest-neighbour resampling (deterministic, no filter).
        let (cw, ch) = if w * 4 > h * 3 {
            (h * 3 / 4, h)
        } else {
            (w, w * 4 / 3)
        };
        let (x0, y0) = ((w - cw) / 2, (h - ch) / 2);
        let mut out = Vec::with_capacity((fw * fh * 4) as usize);
        for y in 0..fh {
            let sy = y0 + y * ch / fh;
            for x in 0..fw {
                let sx = x0 + x * cw / fw;
                let i = ((sy * w + sx) * 4) as usize;
                out.extend_from_slice(&rgba[i..i + 4]);
            }
        }
        return out;
    }
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    let mut out = Vec::with_capacity((fw * fh * 4) as usize);
    for y in 0..fh {
        for x in 0..fw {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let grain = (seed & 15) as u8;
            // A tilted card: |u| < 250, |v| < 160 around the centre.
            let (dx, dy) = (x as f64 - 360.0, y as f64 - 480.0);
            let (u, v) = (0.97 * dx + 0.24 * dy, -0.24 * dx + 0.97 * dy);
            let base = if u.abs() < 250.0 && v.abs() < 160.0 {
                210
            } else {
                60 + ((x + y) / 30 % 50) as u8
            };
            out.extend_from_slice(&[base + grain, base / 2 + grain, 255 - base, 255]);
        }
    }
    out
}

fn benches(c: &mut Criterion) {
    let dir = real_photos();
    let mut group = c.benchmark_group("framing");
    group.sample_size(50);
    match &dir {
        None => eprintln!("framing bench: no real photos (../shared/realphotos): skipped"),
        Some(dir) => {
            for name in PHOTOS {
                let Some((w, h, rgba)) = load(dir, name) else {
                    eprintln!("framing bench: {name} unreadable: skipped");
                    continue;
                };
                let view = RgbaView::new(w, h, &rgba).unwrap_or_else(|| panic!("buffer size"));
                let work = WorkImage::from_rgba(view);
                let id = format!("{name} ({}x{} working)", work.width, work.height);
                group.bench_function(id, |b| b.iter(|| framing::measure(black_box(&work))));
            }
        }
    }
    let frame = camera_frame(dir.as_deref().and_then(|d| load(d, FRAME_FROM)));
    let view = RgbaView::new(720, 960, &frame).unwrap_or_else(|| panic!("buffer size"));
    let work = WorkImage::from_rgba(view);
    let id = format!(
        "camera frame 720x960 ({}x{} working)",
        work.width, work.height
    );
    group.bench_function(id, |b| b.iter(|| framing::measure(black_box(&work))));
    group.finish();
}

criterion_group!(framing_benches, benches);
criterion_main!(framing_benches);
