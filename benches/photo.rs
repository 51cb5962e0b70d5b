//! `cargo bench --bench photo`: the photo engine on a 12 MP RGBA buffer, beside a reference
//! pass that only reads the buffer (the floor for anything that must look at every pixel).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use id_precheck::checks::photo::{analyze, sharpness, RgbaView, Rules, Slot, WorkImage};
use std::hint::black_box;

/// A deterministic 4032×3024 test photo: smooth colour fields, hard-edged shapes and
/// pseudo-random grain, so every check has real work to do.
fn photo(width: u32, height: u32) -> Vec<u8> {
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    let mut out = Vec::with_capacity(width as usize * height as usize * 4);
    for y in 0..height {
        for x in 0..width {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let grain = (seed & 15) as u8;
            let card = (x / 300 + y / 200) % 3 == 0;
            let base = if card {
                200
            } else {
                70 + ((x + y) / 40 % 60) as u8
            };
            out.extend_from_slice(&[
                base.saturating_add(grain),
                base / 2 + grain,
                255 - base,
                255,
            ]);
        }
    }
    out
}

/// A 4032×3024 photo of an upright ID-1 card (2400 × 1513 px, 28 px per mm, 30 % of the
/// frame) with rows of dark "print" on light paper, on a grainy, shaded table: framing finds
/// it, so `analyze` also reads the card's region into the document image.
fn card_photo(width: u32, height: u32) -> Vec<u8> {
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    let mut out = Vec::with_capacity(width as usize * height as usize * 4);
    for y in 0..height {
        for x in 0..width {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let v = 60 + ((x + 2 * y) / 97 % 30) as u8 + (seed & 7) as u8;
            out.extend_from_slice(&[v + 10, v, v / 2, 255]);
        }
    }
    let (x0, y0, cw, ch) = (800u32, 750u32, 2400u32, 1513u32);
    for y in y0..y0 + ch {
        for x in x0..x0 + cw {
            let (u, v) = (x - x0, y - y0);
            // 2.5 mm lines of 1 mm strokes every 2 mm, on 60 % of the card.
            let print =
                (v / 70) % 2 == 1 && u > 200 && u < 2000 && (u / 28) % 2 == 0 && v % 70 > 10;
            let c = if print { 40 } else { 225 };
            let i = (y * width + x) as usize * 4;
            out[i..i + 3].copy_from_slice(&[c, c, c.saturating_sub(10)]);
        }
    }
    out
}

fn benches(c: &mut Criterion) {
    let (w, h) = (4032, 3024);
    let data = photo(w, h);
    let view = RgbaView::new(w, h, &data).unwrap_or_else(|| panic!("buffer size"));
    let rules = Rules::default();
    let mut group = c.benchmark_group("12MP");
    group.throughput(Throughput::Bytes(data.len() as u64));
    group.sample_size(30);
    group.bench_function("reference: sum every byte", |b| {
        b.iter(|| {
            black_box(&data)
                .chunks_exact(8)
                .map(|c| u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
                .fold(0u64, |a, v| {
                    a.wrapping_add(v & 0x00FF_00FF_00FF_00FF)
                        .wrapping_add((v >> 8) & 0x00FF_00FF_00FF_00FF)
                })
        });
    });
    group.bench_function("downscale to working image", |b| {
        b.iter(|| WorkImage::from_rgba(black_box(view)));
    });
    group.bench_function("analyze: downscale + every check", |b| {
        b.iter(|| analyze(black_box(view), None, Slot::IdFront, &rules));
    });
    let card = card_photo(w, h);
    let card_view = RgbaView::new(w, h, &card).unwrap_or_else(|| panic!("buffer size"));
    assert!(
        analyze(card_view, None, Slot::IdFront, &rules)
            .metrics
            .document
            .is_some(),
        "the card photo's document must be found"
    );
    group.bench_function("analyze a card photo: + document image at 5 px/mm", |b| {
        b.iter(|| analyze(black_box(card_view), None, Slot::IdFront, &rules));
    });
    group.finish();

    // Exposure and colour statistics are gathered during the downscale itself.
    let work = WorkImage::from_rgba(view);
    let mut group = c.benchmark_group("working image 1008x756");
    group.bench_function("sharpness", |b| {
        b.iter(|| sharpness::measure(black_box(&work)))
    });
    group.bench_function("glare", |b| {
        b.iter(|| id_precheck::checks::photo::glare::measure(black_box(&work)))
    });
    group.finish();
}

criterion_group!(photo_benches, benches);
criterion_main!(photo_benches);
