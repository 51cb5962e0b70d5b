//! The `precheck` command line: the same checks as the browser, for batches and calibration.
//!
//! ```text
//! precheck field <name|id-number|passport-number|phone|passport-expiry>
//!                [--country ISO3] [--lang zh-CN|en] [--today YYYY-MM-DD] [VALUE...]
//! ```
//! Checks each VALUE, or each stdin line when none is given, and prints one JSON object per
//! value per line: `{"kind","input","status","normalized","issues":[{"code","severity","message"}]}`.
//!
//! ```text
//! precheck photo --slot SLOT [--rules FILE] [--lang zh-CN|en] FILE...
//! ```
//! Checks each photo file and prints one JSON object per file per line:
//! `{"file","slot","status","width","height","checks":[{"id","status","value","threshold","code","message"}],"metrics","glare_boxes","document_quad","face_boxes","ms"}`,
//! or `{"file","status":"fail","error":{"code","message"}}` when a file cannot be checked.
//!
//! Exit status 0, or 2 on a usage error.

use crate::checks::photo::{self, decode, FileLimits, PhotoError, Rules, Slot};
use crate::checks::{self, passport, Date, FieldKind};
use crate::i18n::{self, Locale};
use std::io::{BufRead, Write};

/// Exit status on a usage error.
pub const USAGE_ERROR: u8 = 2;

const USAGE: &str = "usage: precheck field <name|id-number|passport-number|phone|passport-expiry> \
[--country ISO3] [--lang zh-CN|en] [--today YYYY-MM-DD] [VALUE...]
  Checks each VALUE (or each line of stdin when none is given) and prints one JSON object per line.
  --country  issuing country of a passport, ISO 3166-1 alpha-3 (default CHN)
  --lang     language of the messages (default en)
  --today    the date in Asia/Shanghai to check against (default: today)
usage: precheck photo --slot SLOT [--rules FILE] [--lang zh-CN|en] FILE...
  Checks each photo and prints one JSON object per file per line.
  --slot     id-front | id-back | passport-data | passport-visa | face | selfie-with-document
  --rules    JSON file overriding thresholds, e.g. {\"all\": {\"blur\": {\"crisp_edges\": {\"fail\": 0.1}}}}
  --print-rules  print the effective rules as JSON and exit";

/// Options of the `field` subcommand.
#[derive(Debug, PartialEq, Eq)]
struct FieldArgs {
    kind: FieldKind,
    country: String,
    locale: Locale,
    today: Date,
    values: Vec<String>,
}

/// Runs the CLI with `args` (without the program name); returns the exit status.
pub fn run(
    args: &[String],
    stdin: &mut dyn BufRead,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> u8 {
    match args.first().map(String::as_str) {
        Some("field") => match parse_field_args(&args[1..]) {
            Ok(a) => run_field(&a, stdin, stdout, stderr),
            Err(msg) => usage(stderr, &msg),
        },
        Some("photo") => match parse_photo_args(&args[1..]) {
            Ok(PhotoCommand::Check(a)) => run_photo(&a, stdout),
            Ok(PhotoCommand::PrintRules(rules)) => {
                let _ = writeln!(stdout, "{}", rules.to_json());
                0
            }
            Err(msg) => usage(stderr, &msg),
        },
        Some("-h" | "--help" | "help") => {
            let _ = writeln!(stdout, "{USAGE}");
            0
        }
        Some(other) => usage(stderr, &format!("unknown command `{other}`")),
        None => usage(stderr, "missing command"),
    }
}

fn usage(stderr: &mut dyn Write, msg: &str) -> u8 {
    let _ = writeln!(stderr, "precheck: {msg}\n{USAGE}");
    USAGE_ERROR
}

/// The value after `flag`, or the usage error for its absence.
fn flag_value<'a>(it: &mut impl Iterator<Item = &'a String>, flag: &str) -> Result<String, String> {
    it.next()
        .cloned()
        .ok_or_else(|| format!("{flag} needs a value"))
}

/// `--lang` values: `zh-CN` or `en` (loosely: `zh`, `en-US`…).
fn parse_lang(v: &str) -> Result<Locale, String> {
    Locale::parse(v).ok_or_else(|| format!("--lang `{v}`: use zh-CN or en"))
}

fn parse_field_args(args: &[String]) -> Result<FieldArgs, String> {
    let mut kind = None;
    let mut country = passport::DEFAULT_COUNTRY.to_owned();
    let mut locale = Locale::En;
    let mut today = Date::today_shanghai();
    let mut values = Vec::new();
    let mut it = args.iter();
    let mut only_values = false;
    while let Some(arg) = it.next() {
        let mut value_of = |flag: &str| flag_value(&mut it, flag);
        match arg.as_str() {
            "--" if !only_values => only_values = true,
            "--country" if !only_values => {
                let v = value_of("--country")?;
                country = passport::country_code(&v)
                    .ok_or_else(|| format!("--country `{v}` is not an ISO 3166-1 alpha-3 code"))?;
            }
            "--lang" if !only_values => {
                let v = value_of("--lang")?;
                locale = parse_lang(&v)?;
            }
            "--today" if !only_values => {
                let v = value_of("--today")?;
                today = Date::parse_iso(&v)
                    .ok_or_else(|| format!("--today `{v}` is not YYYY-MM-DD"))?;
            }
            flag if flag.starts_with("--") && !only_values => {
                return Err(format!("unknown option `{flag}`"));
            }
            v if kind.is_none() => {
                let k = FieldKind::parse(v).filter(|k| *k != FieldKind::Mrz);
                kind = Some(k.ok_or_else(|| format!("unknown field kind `{v}`"))?);
            }
            v => values.push(v.to_owned()),
        }
    }
    let kind = kind.ok_or("missing field kind")?;
    Ok(FieldArgs {
        kind,
        country,
        locale,
        today,
        values,
    })
}

fn run_field(
    a: &FieldArgs,
    stdin: &mut dyn BufRead,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> u8 {
    let mut emit = |value: &str| -> std::io::Result<()> {
        let report = checks::check_field(a.kind, value, Some(&a.country), a.today);
        let line = serde_json::to_string(&i18n::field_view(&report, a.locale))
            .map_err(std::io::Error::other)?;
        writeln!(stdout, "{line}")
    };
    let result = if a.values.is_empty() {
        stdin_values(stdin, &mut emit)
    } else {
        a.values.iter().try_for_each(|v| emit(v))
    };
    match result {
        Ok(()) => 0,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            let _ = writeln!(stderr, "precheck: {e}");
            1
        }
    }
}

/// Calls `emit` for each stdin line (without its `\n` / `\r\n`); invalid UTF-8 is replaced.
fn stdin_values(
    stdin: &mut dyn BufRead,
    emit: &mut dyn FnMut(&str) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut buf = Vec::new();
    loop {
        buf.clear();
        if stdin.read_until(b'\n', &mut buf)? == 0 {
            return Ok(());
        }
        let line = String::from_utf8_lossy(&buf);
        emit(
            line.strip_suffix('\n')
                .map_or(&line, |l| l.strip_suffix('\r').unwrap_or(l)),
        )?;
    }
}

/// Options of the `photo` subcommand.
struct PhotoArgs {
    slot: Slot,
    rules: Rules,
    locale: Locale,
    files: Vec<String>,
}

enum PhotoCommand {
    Check(PhotoArgs),
    PrintRules(Rules),
}

fn parse_photo_args(args: &[String]) -> Result<PhotoCommand, String> {
    let mut slot = None;
    let mut rules = Rules::default();
    let mut locale = Locale::En;
    let mut files = Vec::new();
    let mut print_rules = false;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value_of = |flag: &str| flag_value(&mut it, flag);
        match arg.as_str() {
            "--slot" => {
                let v = value_of("--slot")?;
                slot = Some(Slot::parse(&v).ok_or_else(|| format!("unknown slot `{v}`"))?);
            }
            "--rules" => {
                let path = value_of("--rules")?;
                let text =
                    std::fs::read_to_string(&path).map_err(|e| format!("--rules {path}: {e}"))?;
                rules = Rules::from_json(&text).map_err(|e| format!("--rules {path}: {e}"))?;
            }
            "--lang" => {
                let v = value_of("--lang")?;
                locale = parse_lang(&v)?;
            }
            "--print-rules" => print_rules = true,
            flag if flag.starts_with("--") => return Err(format!("unknown option `{flag}`")),
            file => files.push(file.to_owned()),
        }
    }
    if print_rules {
        return Ok(PhotoCommand::PrintRules(rules));
    }
    let slot = slot.ok_or("missing --slot")?;
    if files.is_empty() {
        return Err("no photo files given".into());
    }
    Ok(PhotoCommand::Check(PhotoArgs {
        slot,
        rules,
        locale,
        files,
    }))
}

/// One JSON line per photo.
fn run_photo(a: &PhotoArgs, stdout: &mut dyn Write) -> u8 {
    for file in &a.files {
        let started = std::time::Instant::now();
        let value = match std::fs::read(file)
            .map_err(|e| PhotoError::Unreadable {
                detail: e.to_string(),
            })
            .and_then(|bytes| {
                decode::analyze_file(&bytes, &FileLimits::default(), a.slot, &a.rules)
            }) {
            Ok((mut report, work)) => {
                photo::face::add_faces_embedded(&mut report, &work, &a.rules);
                photo_json(file, &report, a.locale, started.elapsed())
            }
            Err(e) => error_json(file, &e, a.locale),
        };
        if writeln!(stdout, "{value}").is_err() {
            return 0; // closed pipe: nobody is reading any more
        }
    }
    0
}

fn photo_json(
    file: &str,
    r: &photo::PhotoReport,
    locale: Locale,
    took: std::time::Duration,
) -> serde_json::Value {
    let mut value = i18n::photo_json(r, locale);
    if let Some(map) = value.as_object_mut() {
        map.insert("file".into(), file.into());
        map.insert(
            "ms".into(),
            ((took.as_secs_f64() * 1e4).round() / 10.0).into(),
        );
    }
    value
}

fn error_json(file: &str, e: &PhotoError, locale: Locale) -> serde_json::Value {
    serde_json::json!({
        "file": file,
        "status": "fail",
        "error": { "code": e.code(), "message": i18n::photo_error_message(locale, e) },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json_lines(out: &str) -> Vec<serde_json::Value> {
        out.lines()
            .map(|l| serde_json::from_str(l).unwrap_or_default())
            .collect()
    }

    fn run_with(args: &[&str], input: &str) -> (u8, String, String) {
        let args: Vec<String> = args.iter().map(|s| (*s).to_owned()).collect();
        let mut stdin = std::io::Cursor::new(input.as_bytes().to_vec());
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = run(&args, &mut stdin, &mut out, &mut err);
        (
            code,
            String::from_utf8_lossy(&out).into_owned(),
            String::from_utf8_lossy(&err).into_owned(),
        )
    }

    #[test]
    fn values_from_arguments() {
        let (code, out, _) = run_with(
            &[
                "field",
                "id-number",
                "360426199101010071",
                "360426199101010070",
            ],
            "",
        );
        assert_eq!(code, 0);
        let lines = json_lines(&out);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["kind"], "id-number");
        assert_eq!(lines[0]["status"], "pass");
        assert_eq!(lines[1]["status"], "fail");
        assert_eq!(lines[1]["issues"][0]["code"], "id-number.check-mismatch");
        assert!(lines[1]["issues"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("mistyped")));
    }

    #[test]
    fn values_from_stdin_keep_spaces_and_strip_crlf() {
        let (code, out, _) = run_with(
            &["field", "phone", "--lang", "zh-CN"],
            "+86 138 0013 8000\r\n1440123456789\n\n",
        );
        assert_eq!(code, 0);
        let lines = json_lines(&out);
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0]["input"], "+86 138 0013 8000");
        assert_eq!(lines[0]["normalized"], "13800138000");
        assert_eq!(lines[1]["issues"][0]["code"], "phone.data-only");
        assert!(lines[1]["issues"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("短信")));
        assert_eq!(lines[2]["status"], "fail");
    }

    #[test]
    fn country_and_today_options() {
        let (_, out, _) = run_with(
            &["field", "passport-number", "--country", "usa", "A1234567"],
            "",
        );
        assert!(out.contains(r#""status":"pass""#), "{out}");
        let (_, out, _) = run_with(&["field", "passport-number", "A1234567"], "");
        assert!(out.contains(r#""status":"fail""#), "{out}");
        let (_, out, _) = run_with(
            &[
                "field",
                "--today",
                "1991-01-01",
                "id-number",
                "360426199101010071",
            ],
            "",
        );
        assert!(out.contains(r#""status":"pass""#), "{out}");
        let (_, out, _) = run_with(
            &[
                "field",
                "--today",
                "1990-12-31",
                "id-number",
                "360426199101010071",
            ],
            "",
        );
        assert!(out.contains("date-future"), "{out}");
    }

    #[test]
    fn usage_errors_exit_2() {
        for args in [
            &[][..],
            &["nope"][..],
            &["field"][..],
            &["field", "shoe-size", "1"][..],
            &["field", "phone", "--lang"][..],
            &["field", "phone", "--lang", "fr"][..],
            &["field", "passport-number", "--country", "CN1"][..],
            &["field", "phone", "--bogus"][..],
        ] {
            let (code, out, err) = run_with(args, "");
            assert_eq!(code, USAGE_ERROR, "{args:?}");
            assert!(out.is_empty());
            assert!(err.contains("usage:"), "{err}");
        }
    }
}
