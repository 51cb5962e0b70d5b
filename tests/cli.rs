//! The `precheck` binary end to end: every labelled vector through `precheck field` on stdin,
//! plus the JSON shape and exit codes.

use std::collections::BTreeMap;
use std::io::Write;
use std::process::{Command, Stdio};

fn precheck(args: &[&str], stdin: &str) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_precheck"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("precheck starts");
    if let Some(mut input) = child.stdin.take() {
        input.write_all(stdin.as_bytes()).expect("write stdin");
    }
    let out = child.wait_with_output().expect("precheck runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn every_labelled_vector_through_the_cli() {
    let tsv = include_str!("vectors/fields.tsv");
    // (kind, country) → [(input, expected)], fed as one stdin batch each.
    let mut batches: BTreeMap<(&str, &str), Vec<(&str, &str)>> = BTreeMap::new();
    for line in tsv.lines().skip(1) {
        let c: Vec<&str> = line.split('\t').collect();
        batches.entry((c[0], c[1])).or_default().push((c[2], c[3]));
    }
    let mut checked = 0;
    let mut wrong = Vec::new();
    for ((kind, country), rows) in &batches {
        let mut args = vec!["field", kind, "--today", "2026-11-28"];
        if !country.is_empty() {
            args.extend(["--country", country]);
        }
        let stdin: String = rows.iter().map(|(input, _)| format!("{input}\n")).collect();
        let (code, out, err) = precheck(&args, &stdin);
        assert_eq!(code, 0, "{err}");
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines.len(),
            rows.len(),
            "{kind} {country}: one line per value"
        );
        for ((input, expected), line) in rows.iter().zip(lines) {
            let v: serde_json::Value = serde_json::from_str(line).expect("JSON line");
            assert_eq!(v["kind"], *kind);
            assert_eq!(v["input"], *input);
            for key in ["status", "normalized", "issues"] {
                assert!(v.get(key).is_some(), "{key} missing in {line}");
            }
            if v["status"] != *expected {
                wrong.push(format!("{kind} {input:?}: expected {expected}, got {line}"));
            }
            checked += 1;
        }
    }
    assert!(checked > 1500);
    assert!(
        wrong.is_empty(),
        "{} wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn issue_json_has_code_and_message() {
    let (code, out, _) = precheck(
        &[
            "field",
            "--lang",
            "zh-CN",
            "id-number",
            "360426199101010070",
        ],
        "",
    );
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(out.trim()).expect("JSON");
    assert_eq!(v["status"], "fail");
    assert_eq!(v["issues"][0]["code"], "id-number.check-mismatch");
    assert!(v["issues"][0]["message"]
        .as_str()
        .is_some_and(|m| m.contains("校验位")));
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["field"][..],
        &["field", "nope", "x"][..],
        &["photo"][..],
        &["field", "phone", "--country"][..],
    ] {
        let (code, out, err) = precheck(args, "");
        assert_eq!(code, 2, "{args:?}");
        assert!(out.is_empty());
        assert!(err.contains("usage"));
    }
}

#[test]
fn photo_errors_are_json_lines_and_good_files_are_reports() {
    let dir = std::env::temp_dir().join(format!("precheck-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let write = |name: &str, bytes: &[u8]| {
        let p = dir.join(name);
        std::fs::write(&p, bytes).expect("write");
        p.to_string_lossy().into_owned()
    };
    // A real (small) PNG made by the image crate: 800×600 squares.
    let img = image::RgbImage::from_fn(800, 600, |x, y| {
        if (x / 25 + y / 25) % 2 == 0 {
            image::Rgb([210, 70, 50])
        } else {
            image::Rgb([80, 100, 160])
        }
    });
    let png = dir.join("squares.png");
    img.save(&png).expect("png");
    let files = [
        write("empty.jpg", b""),
        write("notes.txt", b"just some text"),
        write("photo.heic", b"\0\0\0\x18ftypheic\0\0\0\0mif1heic"),
        write(
            "cut.jpg",
            &[0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F'],
        ),
        dir.join("missing.jpg").to_string_lossy().into_owned(),
        png.to_string_lossy().into_owned(),
    ];
    let mut args = vec!["photo", "--slot", "face", "--lang", "zh-CN"];
    args.extend(files.iter().map(String::as_str));
    let (code, out, err) = precheck(&args, "");
    assert_eq!(code, 0, "{err}");
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    assert_eq!(lines.len(), files.len());
    let codes: Vec<&str> = lines[..5]
        .iter()
        .map(|v| v["error"]["code"].as_str().unwrap_or("-"))
        .collect();
    assert_eq!(
        codes,
        [
            "empty",
            "unsupported-format",
            "unsupported-format",
            "corrupt",
            "unreadable"
        ]
    );
    assert!(lines[2]["error"]["message"]
        .as_str()
        .is_some_and(|m| m.contains("HEIC")));
    for v in &lines[..5] {
        assert_eq!(v["status"], "fail");
    }
    let report = &lines[5];
    assert_eq!(
        (report["width"].as_u64(), report["height"].as_u64()),
        (Some(800), Some(600))
    );
    // Six quality checks and, for the face slot, `face` (no `framing`: not a document).
    assert_eq!(report["checks"].as_array().map(Vec::len), Some(7));
    assert_eq!(report["checks"][6]["id"], "face");
    assert_eq!(
        report["checks"][6]["code"], "photo.no-face",
        "a checkerboard has no face"
    );
    assert!(report["face_boxes"].is_array());
    assert!(report["document_quad"].is_null());
    assert!(report["ms"].as_f64().is_some());
    // 600 px short side: at a face photo's fail limit, so not failed, but under its 720 px
    // warn level.
    assert_eq!(report["checks"][0]["id"], "resolution");
    assert_eq!(report["checks"][0]["value"].as_f64(), Some(600.0));
    assert_eq!(report["checks"][0]["status"], "warn");
    let _ = std::fs::remove_dir_all(&dir);
}
