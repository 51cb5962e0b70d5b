//! `cargo bench --bench photo`: the photo engine on a 12 MP RGBA buffer, beside two reference
//! passes: one that only reads the buffer (the floor for anything that must look at every
//! pixel), and one that copies it first (issue 15's reference).

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use id_precheck::checks::photo::checks::blur::sharpness;
use id_precheck::checks::photo::orient::Orientation;
use id_precheck::checks::photo::pyramid::half;
use id_precheck::checks::photo::scaled::ScaledSource;
use id_precheck::checks::photo::{analyze, analyze_source, RgbaView, Rules, Slot, WorkImage};
use std::hint::black_box;

/// A deterministic 4032×3024 test photo: smooth color fields, hard-edged shapes and
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

/// The engine case ("analyze from the 1/4 decode") on `quarter`, the ¼ decode of a `w × h`
/// photo, handed over as the worker does.
#[inline(never)]
fn engine_on(quarter: Vec<u8>, (w, h): (u32, u32), rules: &Rules) -> impl Sized {
    let mut source = ScaledSource::new((w, h), Orientation::UPRIGHT);
    let inserted = source.insert(2, black_box(quarter), (w / 4, h / 4));
    assert!(inserted.is_ok());
    analyze_source(&mut source, (w, h), Slot::IdFront, rules)
}

/// Every byte of `data` summed, 8 at a time in two 16-bit-lane halves: one plain read of
/// the buffer, the floor for anything that looks at every pixel.
fn sum_bytes(data: &[u8]) -> u64 {
    data.chunks_exact(8)
        .map(|c| u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
        .fold(0u64, |a, v| {
            a.wrapping_add(v & 0x00FF_00FF_00FF_00FF)
                .wrapping_add((v >> 8) & 0x00FF_00FF_00FF_00FF)
        })
}

fn benches(c: &mut Criterion) {
    let (w, h) = (4032, 3024);
    let data = photo(w, h);
    // `PHOTO_ENGINE_RUNS=N`: run the engine case N times and exit, without criterion, for
    // an instruction count that the machine's load does not move: `perf stat -e
    // instructions:u` at N and at 0 (the set-up alone), the difference over N.
    if let Some(runs) = std::env::var("PHOTO_ENGINE_RUNS")
        .ok()
        .and_then(|v| v.parse::<u32>().ok())
    {
        let quarter = half(&half(&data, w, w, h), w / 2, w / 2, h / 2);
        for _ in 0..runs {
            black_box(engine_on(quarter.clone(), (w, h), &Rules::default()));
        }
        std::process::exit(0);
    }
    let view = RgbaView::new(w, h, &data).unwrap_or_else(|| panic!("buffer size"));
    let rules = Rules::default();
    let mut group = c.benchmark_group("12MP");
    group.throughput(Throughput::Bytes(data.len() as u64));
    group.sample_size(30);
    group.bench_function("reference: sum every byte", |b| {
        b.iter(|| sum_bytes(black_box(&data)));
    });
    // Issue 15's reference (round 1's wasm one: the buffer copied into wasm memory, then
    // summed): the buffer copied into a buffer already allocated, then the same sum. A fresh
    // allocation per copy would time the kernel's page faults too (30.9 ms measured).
    let mut copy = vec![0u8; data.len()];
    group.bench_function("reference: copy + sum every byte", |b| {
        b.iter(|| {
            copy.copy_from_slice(black_box(&data));
            sum_bytes(black_box(&copy))
        });
    });

    group.bench_function("downscale to working image", |b| {
        b.iter(|| WorkImage::from_rgba(black_box(view)));
    });
    group.bench_function("analyze: downscale + every check", |b| {
        b.iter(|| analyze(black_box(view), None, Slot::IdFront, &rules));
    });
    // What the app does with a 12 MP JPEG since issue 15: the decoder hands over the ¼-size
    // decode (here the same photo's ¼ box, 1008 × 756), and the engine makes every level and
    // check from it: the engine's own time, against the same reference.
    let quarter = half(&half(&data, w, w, h), w / 2, w / 2, h / 2);
    // The decode is handed over (moved), as the worker and the CLI do: its copy is set-up,
    // outside the timing.
    group.bench_function("analyze from the 1/4 decode: every check", |b| {
        b.iter_batched(
            || quarter.clone(),
            |decode| engine_on(decode, (w, h), &rules),
            BatchSize::LargeInput,
        );
    });
    group.finish();

    // Exposure and color statistics are gathered during the downscale itself.
    let work = WorkImage::from_rgba(view);
    let mut group = c.benchmark_group("working image 1008x756");
    group.bench_function("sharpness", |b| {
        b.iter(|| sharpness::measure(black_box(&work)))
    });
    group.bench_function("glare", |b| {
        b.iter(|| id_precheck::checks::photo::checks::glare::highlights::measure(black_box(&work)))
    });
    group.bench_function("framing", |b| {
        b.iter(|| id_precheck::checks::photo::framing::measure(black_box(&work)))
    });
    group.finish();
}

criterion_group!(photo_benches, benches);
criterion_main!(photo_benches);
