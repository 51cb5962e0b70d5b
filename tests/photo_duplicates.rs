//! Calibrates and asserts the duplicate-photo threshold on the photo fixtures
//! (`target/photo-fixtures/`, see `tools/photo_fixtures.py`): every resized copy (2048 to
//! 640 px) and every re-encoded copy (JPEG quality 50 and 75) of a photo must count as the
//! same photo; no two different photos may, the front and back of a card shot on the same
//! table and the card scenes on the same wallpaper included. Prints both distributions.
#![cfg(not(target_arch = "wasm32"))]

use id_precheck::checks::photo::decode::{analyze_file, decode};
use id_precheck::checks::photo::phash::DUPLICATE_MAX_DISTANCE;
use id_precheck::checks::photo::{FileLimits, PerceptualHash, Rules, Slot};
use image::codecs::jpeg::JpegEncoder;
use image::ExtendedColorType;
use std::collections::BTreeMap;
use std::path::PathBuf;

fn fixtures() -> PathBuf {
    std::env::var_os("PHOTO_FIXTURES").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/photo-fixtures"),
        PathBuf::from,
    )
}

fn hash_bytes(bytes: &[u8]) -> (PerceptualHash, Vec<u8>, u32, u32) {
    let img = decode(bytes, &FileLimits::default()).unwrap_or_else(|e| panic!("{e:?}"));
    // The working image the CLI and the worker hash (a JPEG's through its scaled decodes).
    let (_, work) = analyze_file(
        bytes,
        &FileLimits::default(),
        Slot::IdFront,
        &Rules::default(),
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    let hash = PerceptualHash::of(&work);
    (hash, img.rgba, img.width, img.height)
}

fn reencode(rgba: &[u8], w: u32, h: u32, quality: u8) -> Vec<u8> {
    let rgb: Vec<u8> = rgba
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, quality)
        .encode(&rgb, w, h, ExtendedColorType::Rgb8)
        .unwrap_or_else(|e| panic!("encode: {e}"));
    out
}

#[test]
fn resized_and_reencoded_copies_are_duplicates_and_different_photos_are_not() {
    let dir = fixtures();
    let manifest = std::fs::read_to_string(dir.join("manifest.tsv")).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run `make fixtures`)",
            dir.join("manifest.tsv").display()
        )
    });
    let mut originals: BTreeMap<String, PerceptualHash> = BTreeMap::new();
    let mut same: Vec<(String, u32)> = Vec::new();
    let rows: Vec<Vec<&str>> = manifest
        .lines()
        .skip(1)
        .map(|l| l.split('\t').collect())
        .collect();
    for row in rows.iter().filter(|r| r[3] == "none") {
        let bytes = std::fs::read(dir.join(row[0])).unwrap_or_else(|e| panic!("{}: {e}", row[0]));
        let (hash, rgba, w, h) = hash_bytes(&bytes);
        for q in [50u8, 75] {
            let (copy, ..) = hash_bytes(&reencode(&rgba, w, h, q));
            same.push((format!("{} jpeg q{q}", row[1]), hash.distance(copy)));
        }
        originals.insert(row[1].to_string(), hash);
    }
    // The quick set (what `make test` generates) has 5 sources, the full set 23.
    assert!(originals.len() >= 5, "too few sources in {}", dir.display());
    for row in rows.iter().filter(|r| r[3] == "downscale" && r[4] != "320") {
        let bytes = std::fs::read(dir.join(row[0])).unwrap_or_else(|e| panic!("{}: {e}", row[0]));
        let (hash, ..) = hash_bytes(&bytes);
        let original = originals[row[1]];
        same.push((format!("{} {} px", row[1], row[4]), original.distance(hash)));
    }
    let mut different: Vec<(String, u32)> = Vec::new();
    let list: Vec<(&String, &PerceptualHash)> = originals.iter().collect();
    for (i, (a, ha)) in list.iter().enumerate() {
        for (b, hb) in &list[i + 1..] {
            different.push((format!("{a} vs {b}"), ha.distance(**hb)));
        }
    }
    same.sort_by_key(|s| std::cmp::Reverse(s.1));
    different.sort_by_key(|d| d.1);
    let histogram = |v: &[(String, u32)]| {
        let mut h = BTreeMap::new();
        for (_, d) in v {
            *h.entry(*d).or_insert(0) += 1;
        }
        h
    };
    println!(
        "same photo: {} pairs, distance histogram {:?}",
        same.len(),
        histogram(&same)
    );
    println!("worst same: {:?}", &same[..3]);
    println!(
        "different: {} pairs, distance histogram {:?}",
        different.len(),
        histogram(&different)
    );
    println!("closest different: {:?}", &different[..5]);
    let worst_same = same[0].1;
    let closest_different = different[0].1;
    assert!(
        worst_same <= DUPLICATE_MAX_DISTANCE,
        "a copy is not recognised: {:?}",
        same[0]
    );
    assert!(
        closest_different > DUPLICATE_MAX_DISTANCE,
        "different photos look the same: {:?}",
        different[0]
    );
}
