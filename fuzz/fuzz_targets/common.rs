//! Shared assertions: every report is well formed and normalizing twice changes nothing.

use id_precheck::checks::{FieldReport, Status};
use id_precheck::i18n::{issue_message, unfilled, Locale};

pub fn assert_sane(report: &FieldReport, again: &FieldReport) {
    assert_eq!(report.normalized, again.normalized, "normalization is not idempotent");
    if report.issues.is_empty() {
        assert_eq!(report.status(), Status::Pass);
    }
    for locale in Locale::ALL {
        for issue in &report.issues {
            let missing = unfilled(locale, issue.code, &issue.params);
            assert!(missing.is_empty(), "{:?} lacks {missing:?}", issue.code);
            assert!(!issue_message(locale, issue).is_empty());
        }
    }
}
