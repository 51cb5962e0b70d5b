//! `cargo bench --bench mrz`: reading a real passport frame's MRZ (MIDV-500 15_45_01 from
//! `../shared/realphotos`, or `REAL_PHOTOS`; skipped when absent), beside the photo checks
//! of the same frame without the reading (the reference measured in the same run); then two
//! frames whose first read leaves characters unclear (the reader's slower path). Each MRZ read
//! is measured twice: with the character model's second opinion (the reader) and with the
//! templates alone (`Settle::OFF`, the reader before the model), in the same run. Last, the
//! resident ID number of a synthetic portrait side (`idfront-00__none.jpg` of
//! `target/synth-documents`, or `SYNTH_DOCUMENTS`; skipped when absent), beside its checks.

use criterion::{criterion_group, criterion_main, Criterion};
use id_precheck::checks::photo::decode::{analyze_file, decode, Decoded};
use id_precheck::checks::photo::document::{px_per_mm, ID1, TD3};
use id_precheck::checks::photo::framing::PointPx;
use id_precheck::checks::photo::ocr::mrz_read::{self, Settle};
use id_precheck::checks::photo::ocr::{id_line, Patch};
use id_precheck::checks::photo::{analyze_frame, FileLimits, Pyramid, RgbaView, Rules, Slot};
use std::hint::black_box;
use std::path::PathBuf;

/// A photo decoded, and the document quad its checks found in `slot`; `None` (with a note)
/// when the file is missing or no quad is found: the bench is skipped.
fn framed(path: &std::path::Path, slot: Slot) -> Option<(Decoded, [PointPx; 4])> {
    let Ok(bytes) = std::fs::read(path) else {
        eprintln!("skipped: no photo at {}", path.display());
        return None;
    };
    let img = decode(&bytes, &FileLimits::default()).ok()?;
    let view = RgbaView::new(img.width, img.height, &img.rgba)?;
    let (report, _) = analyze_frame(view, None, slot, &Rules::default());
    let Some(quad) = report.document_quad else {
        eprintln!("skipped: no quad found in {}", path.display());
        return None;
    };
    Some((img, quad))
}

fn benches(c: &mut Criterion) {
    let dir = std::env::var_os("REAL_PHOTOS").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/realphotos"),
        PathBuf::from,
    );
    let Some((img, quad)) = framed(&dir.join("midv500_15_45_01.jpg"), Slot::PassportData) else {
        return;
    };
    let Some(view) = RgbaView::new(img.width, img.height, &img.rgba) else {
        return;
    };
    let rules = Rules::default();
    let mut g = c.benchmark_group("mrz");
    g.sample_size(20);
    g.bench_function("checks without reading (reference)", |b| {
        b.iter(|| black_box(analyze_frame(view, None, Slot::PassportData, &rules)));
    });
    g.bench_function("patch read at 8 px/mm", |b| {
        b.iter(|| Patch::read(&mut Pyramid::new(view), &quad, px_per_mm(&quad, TD3)));
    });
    let Ok(Some(patch)) = Patch::read(&mut Pyramid::new(view), &quad, px_per_mm(&quad, TD3)) else {
        return;
    };
    g.bench_function("read the zone", |b| {
        b.iter(|| black_box(mrz_read::read(&patch, &quad)));
    });
    g.bench_function("read the zone, templates alone", |b| {
        b.iter(|| black_box(mrz_read::read_with(&patch, &quad, &Settle::OFF)));
    });
    // Frames whose first template read leaves characters unclear (templates alone: shifted
    // bands are read too): 12_41_08 (one letter) and 10_34_01 (motion blur, nine characters).
    for (frame, name) in [
        (
            "midv500_12_41_08.jpg",
            "read the zone, one letter unclear (12_41_08)",
        ),
        ("midv500_10_34_01.jpg", "read the zone, blurred (10_34_01)"),
    ] {
        let Ok(bytes) = std::fs::read(dir.join(frame)) else {
            continue;
        };
        let Ok(img) = decode(&bytes, &FileLimits::default()) else {
            continue;
        };
        let Some(view) = RgbaView::new(img.width, img.height, &img.rgba) else {
            continue;
        };
        // The quad the CLI finds (through the scaled decodes), as the reader gets it.
        let Ok((report, _)) =
            analyze_file(&bytes, &FileLimits::default(), Slot::PassportData, &rules)
        else {
            continue;
        };
        let Some(quad) = report.document_quad else {
            continue;
        };
        let Ok(Some(patch)) = Patch::read(&mut Pyramid::new(view), &quad, px_per_mm(&quad, TD3))
        else {
            continue;
        };
        g.bench_function(name, |b| {
            b.iter(|| black_box(mrz_read::read(&patch, &quad)));
        });
        g.bench_function(format!("{name}, templates alone"), |b| {
            b.iter(|| black_box(mrz_read::read_with(&patch, &quad, &Settle::OFF)));
        });
    }
    g.finish();
}

/// The ID number line of a synthetic portrait side: its band read from the decode and the
/// line read, as `photo::read_id_number` does, beside the card's checks without reading.
fn id_number(c: &mut Criterion) {
    let dir = std::env::var_os("SYNTH_DOCUMENTS").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/synth-documents"),
        PathBuf::from,
    );
    let Some((img, quad)) = framed(&dir.join("idfront-00__none.jpg"), Slot::IdFront) else {
        return;
    };
    let Some(view) = RgbaView::new(img.width, img.height, &img.rgba) else {
        return;
    };
    let rules = Rules::default();
    let mut g = c.benchmark_group("id-number");
    g.sample_size(20);
    g.bench_function("card checks without reading (reference)", |b| {
        b.iter(|| black_box(analyze_frame(view, None, Slot::IdFront, &rules)));
    });
    g.bench_function(
        "read the number (its band at 8 px/mm, then the line)",
        |b| {
            b.iter(|| {
                black_box(id_line::read_source(
                    &mut Pyramid::new(view),
                    &quad,
                    px_per_mm(&quad, ID1),
                ))
            });
        },
    );
    // The line alone, on a patch of the whole card read once.
    if let Ok(Some(patch)) = Patch::read(&mut Pyramid::new(view), &quad, px_per_mm(&quad, ID1)) {
        g.bench_function(
            "read the number from a patch already read (the line only)",
            |b| {
                b.iter(|| black_box(id_line::read(&patch, &quad)));
            },
        );
    }
    g.finish();
}

criterion_group!(mrz, benches, id_number);
criterion_main!(mrz);
