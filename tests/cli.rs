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
