//! Runs every labelled vector of `tests/vectors/fields.tsv` (made by `tools/gen_vectors.py`
//! from python-stdnum and phonenumbers) through the checks and requires zero false
//! rejections, zero false accepts, and the exact pass/warn/fail label.

use id_precheck::checks::{check_field, Date, FieldKind, Status};

/// The date the vectors were generated for (their "today" in Asia/Shanghai): future-date
/// and born-today rows are relative to it.
const GENERATED_ON: Date = Date {
    year: 2026,
    month: 11,
    day: 28,
};

#[test]
fn labelled_field_vectors() {
    let tsv = include_str!("vectors/fields.tsv");
    let mut rows = 0;
    let mut false_rejects = Vec::new();
    let mut false_accepts = Vec::new();
    let mut wrong_soft = Vec::new();
    for (n, line) in tsv.lines().enumerate().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols.len(), 5, "line {}: {line:?}", n + 1);
        let (kind, country, input, expected, group) = (cols[0], cols[1], cols[2], cols[3], cols[4]);
        let kind = FieldKind::parse(kind).unwrap_or_else(|| panic!("line {}: kind {kind}", n + 1));
        let country = (!country.is_empty()).then_some(country);
        let report = check_field(kind, input, country, GENERATED_ON);
        let got = report.status();
        let row = format!(
            "line {} [{group}] {:?} {input:?}: expected {expected}, got {} {:?}",
            n + 1,
            kind,
            got.as_str(),
            report
                .issues
                .iter()
                .map(|i| i.code.as_str())
                .collect::<Vec<_>>()
        );
        match (expected, got) {
            ("fail", Status::Fail) | ("pass", Status::Pass) | ("warn", Status::Warn) => {}
            ("pass" | "warn", Status::Fail) => false_rejects.push(row),
            ("fail", _) => false_accepts.push(row),
            _ => wrong_soft.push(row),
        }
        rows += 1;
    }
    assert!(rows > 1500, "only {rows} vectors");
    assert!(
        false_rejects.is_empty(),
        "false rejections:\n{}",
        false_rejects.join("\n")
    );
    assert!(
        false_accepts.is_empty(),
        "false accepts:\n{}",
        false_accepts.join("\n")
    );
    assert!(
        wrong_soft.is_empty(),
        "pass/warn mixed up:\n{}",
        wrong_soft.join("\n")
    );
}
