//! Timing harness for the presence checks in WebAssembly (Node), not part of the app:
//!
//! ```sh
//! cargo build --release --target wasm32-unknown-unknown --example presence_wasm
//! wasm-bindgen --target nodejs --out-dir target/presence-wasm \
//!     target/wasm32-unknown-unknown/release/examples/presence_wasm.wasm
//! node tools/presence_wasm_bench.mjs target/presence-wasm IMAGE.rgba WIDTH HEIGHT
//! ```
//!
//! Natively it times the same three steps on a JPEG: `cargo run --release --example
//! presence_wasm -- photo.jpg`.

use id_precheck::checks::photo::{face, framing, RgbaView, Rules, Slot, WorkImage};

/// Downscale only (ms-comparable reference).
#[cfg_attr(target_arch = "wasm32", wasm_bindgen::prelude::wasm_bindgen)]
pub fn work_only(rgba: &[u8], width: u32, height: u32) -> u32 {
    RgbaView::new(width, height, rgba).map_or(0, |v| WorkImage::from_rgba(v).width)
}

/// Downscale + framing; returns the document's fill in ‰ (0 when none).
#[cfg_attr(target_arch = "wasm32", wasm_bindgen::prelude::wasm_bindgen)]
pub fn framing_only(rgba: &[u8], width: u32, height: u32) -> u32 {
    RgbaView::new(width, height, rgba).map_or(0, |v| {
        let f = framing::measure(&WorkImage::from_rgba(v));
        (f.fill_percent * 10.0) as u32
    })
}

/// Downscale + face detection (detector built on first call); returns the number of faces.
#[cfg_attr(target_arch = "wasm32", wasm_bindgen::prelude::wasm_bindgen)]
pub fn faces_only(rgba: &[u8], width: u32, height: u32) -> u32 {
    RgbaView::new(width, height, rgba).map_or(0, |v| {
        let w = WorkImage::from_rgba(v);
        face::with_embedded(|d| d.detect(&w).len() as u32).unwrap_or(0)
    })
}

/// Every check for the `selfie-with-document` slot (framing and face included); returns the
/// number of checks.
#[cfg_attr(target_arch = "wasm32", wasm_bindgen::prelude::wasm_bindgen)]
pub fn analyze_selfie(rgba: &[u8], width: u32, height: u32) -> u32 {
    RgbaView::new(width, height, rgba).map_or(0, |v| {
        face::analyze_with_faces(v, None, Slot::SelfieWithDocument, &Rules::default())
            .checks
            .len() as u32
    })
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    use id_precheck::checks::photo::{decode::decode, FileLimits};
    use std::time::Instant;
    for path in std::env::args().skip(1) {
        let Ok(bytes) = std::fs::read(&path) else {
            eprintln!("{path}: unreadable");
            continue;
        };
        let Ok(img) = decode(&bytes, &FileLimits::default()) else {
            eprintln!("{path}: not a photo");
            continue;
        };
        let Some(view) = RgbaView::new(img.width, img.height, &img.rgba) else {
            continue;
        };
        let work = WorkImage::from_rgba(view);
        let median = |f: &mut dyn FnMut()| {
            let mut t: Vec<f64> = (0..7)
                .map(|_| {
                    let s = Instant::now();
                    f();
                    s.elapsed().as_secs_f64() * 1e3
                })
                .collect();
            t.sort_by(f64::total_cmp);
            t[3]
        };
        let fr = median(&mut || {
            std::hint::black_box(framing::measure(&work));
        });
        let _ = face::with_embedded(|_| ());
        let fc = median(&mut || {
            std::hint::black_box(face::with_embedded(|d| d.detect(&work)));
        });
        let all = median(&mut || {
            std::hint::black_box(face::analyze_with_faces(
                view,
                None,
                Slot::SelfieWithDocument,
                &Rules::default(),
            ));
        });
        let base = median(&mut || {
            std::hint::black_box(id_precheck::checks::photo::analyze(
                view,
                None,
                Slot::Face,
                &Rules::default(),
            ));
        });
        println!(
            "{path}\t{}x{}\tframing {fr:.1} ms\tface {fc:.1} ms\tanalyze (face slot, no detector) {base:.1} ms\tanalyze_with_faces (selfie) {all:.1} ms",
            img.width, img.height
        );
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {}
