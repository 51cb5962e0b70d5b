#!/usr/bin/env python3
"""Run `precheck photo` over the photo fixtures and tabulate every check per degradation.

    cargo build --release --bin precheck
    python3 tools/photo_fixtures.py --out target/photo-fixtures          # or --quick
    python3 tools/calibrate_photos.py [--manifest target/photo-fixtures/manifest.tsv]
                                      [--markdown docs/calibration.md] [--check]

1. Runs `BIN photo --slot SLOT FILE...` in batches (files grouped by slot) and writes the raw
   JSON lines, in manifest order, to `results.jsonl` next to the manifest (`--reuse` skips this
   step and reads that file again).
2. Prints markdown: per check id (resolution, brightness, contrast, blur, glare, color) and per
   degradation/param: count, min/median/max of the check's `value`, and the share of
   fail/warn/pass; then a summary per split (calib/holdout): false fails on the unmodified
   (`none`) photos and the detection rate of every strong degradation by its family's check.
3. `--markdown FILE` puts the same text between `<!-- calibration-tables:start -->` and
   `<!-- calibration-tables:end -->` in FILE (created with a title and the markers if missing).
4. `--check` exits 1 if an unmodified photo fails a check (other than one its source is labelled
   with, e.g. the colour check on a black-and-white photograph; see tests/photos/README.md) or
   cannot be read, or if a strong degradation passes its family's check (warn is accepted).

Severity levels (mild / moderate / strong) and families come from tools/photo_fixtures.py.
Needs the packages of tools/requirements.txt (it imports the rule from photo_fixtures.py).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from photo_fixtures import DEGRADATIONS, FAMILY, LABEL_CHECK, severity  # noqa: E402

CHECK_IDS = ["resolution", "brightness", "contrast", "blur", "glare", "color", "framing", "face"]
START, END = "<!-- calibration-tables:start -->", "<!-- calibration-tables:end -->"
DEG_ORDER = {(d, p): i * 100 + j for i, (d, ps) in enumerate(DEGRADATIONS) for j, p in enumerate(ps)}


def read_manifest(path: Path) -> list[dict]:
    rows = []
    with open(path, encoding="utf-8") as fh:
        header = fh.readline().rstrip("\n").split("\t")
        for line in fh:
            if line.strip():
                rows.append(dict(zip(header, line.rstrip("\n").split("\t"))))
    for r in rows:
        r["path"] = str(path.parent / r["file"])
        r["source_labels"] = set(filter(None, r.get("source_labels", "").split(",")))
        r["labels"] = {r["expect"]} | r["source_labels"]
        r["sev"] = r.get("severity") or severity(r["degradation"], r["param"], r["labels"])
    return rows


def run_cli(binary: str, rows: list[dict], batch: int, jobs: int, rules: str | None) -> dict[str, dict]:
    by_slot = defaultdict(list)
    for r in rows:
        by_slot[r["slot"]].append(r["path"])
    tasks = [(slot, paths[i:i + batch]) for slot, paths in sorted(by_slot.items())
             for i in range(0, len(paths), batch)]

    def one(task):
        slot, paths = task
        cmd = [binary, "photo", "--slot", slot] + (["--rules", rules] if rules else []) + paths
        p = subprocess.run(cmd, capture_output=True, text=True)
        got = {}
        for line in p.stdout.splitlines():
            line = line.strip()
            if line.startswith("{"):
                obj = json.loads(line)
                got[obj.get("file")] = obj
        for path in paths:
            if path not in got:
                got[path] = {"file": path, "status": "fail", "error": {
                    "code": "no-output", "message": f"exit {p.returncode}: {p.stderr.strip()[-300:]}"}}
        return got

    out: dict[str, dict] = {}
    done = 0
    with ThreadPoolExecutor(max(1, jobs)) as ex:
        for got in ex.map(one, tasks):
            out.update(got)
            done += len(got)
            print(f"  {done}/{len(rows)} files", file=sys.stderr, flush=True)
    return out


def check_of(res: dict, cid: str) -> dict | None:
    for c in res.get("checks") or []:
        if c.get("id") == cid:
            return c
    return None


def family_status(res: dict, cid: str) -> str:
    """Status of check `cid`; a file that could not be checked at all counts as `fail`."""
    if "error" in res:
        return "fail"
    c = check_of(res, cid)
    return c.get("status", "missing") if c else "missing"


def fmt(v) -> str:
    if v is None:
        return "–"
    if isinstance(v, float) and abs(v) >= 1000:
        return f"{v:.0f}"
    return f"{v:.4g}" if isinstance(v, (int, float)) else str(v)


def pct(k: int, n: int) -> str:
    return "–" if n == 0 else f"{100 * k / n:.0f}%"


def group_key(r: dict) -> tuple[str, str]:
    return (r["degradation"], r["param"])


def tables(rows: list[dict], results: dict[str, dict]) -> str:
    out = []
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for r in rows:
        groups[group_key(r)].append(r)
    keys = sorted(groups, key=lambda k: DEG_ORDER.get(k, 10 ** 6))
    n_err = sum(1 for r in rows if "error" in results[r["path"]])
    splits = sorted({r["split"] for r in rows})
    ms = [results[r["path"]]["ms"] for r in rows if isinstance(results[r["path"]].get("ms"), (int, float))]
    per_split = ", ".join(f"{s}: {sum(r['split'] == s for r in rows)}" for s in splits)
    n_src = len({r["source"] for r in rows})
    out.append(f"{len(rows)} files ({per_split}), {n_src} sources; files the CLI could not check: {n_err}.")
    if ms:
        ms.sort()
        out.append(f"CLI time per file (decode + all checks, release build): median {statistics.median(ms):.0f} ms, "
                   f"p95 {ms[int(0.95 * (len(ms) - 1))]:.0f} ms, max {ms[-1]:.0f} ms.")
    out.append("")
    out.append("Severity: `mild` = a reviewer would accept it (need not be caught), `strong` = the family's check "
               "must not pass, `moderate` = in between (`overexpose` of a low-key source is at most moderate, so "
               "those rows read `moderate/strong`). Values are each check's `value`; its unit depends on the result "
               "`code` (e.g. `blur` reports the edge-sharpness score, the motion-blur dip or the textured-tile count), "
               "so the last column counts the codes behind each row.")
    out.append("")

    # ---- summary first
    out.append("### Summary")
    out.append("")
    out.append("| split | unmodified photos | false fails | false-fail rate | warned | errors |")
    out.append("|---|---|---|---|---|---|")
    offenders = []
    for s in splits:
        good = [r for r in rows if r["split"] == s and r["degradation"] == "none"]
        ff = warned = errs = 0
        for r in good:
            res = results[r["path"]]
            if "error" in res:
                errs += 1
                offenders.append(f"{r['file']}: error {res['error'].get('code')}")
                continue
            # A wallpaper has neither a document nor a person: `framing` and `face` must fail
            # there (checked by violations()), which is not a false fail.
            bad = [c["id"] for c in res.get("checks", [])
                   if c.get("status") == "fail" and not any(LABEL_CHECK.get(lb) == c["id"] for lb in r["labels"])
                   and not (r["source"].startswith("wp-") and c["id"] in ("framing", "face"))]
            if bad:
                ff += 1
                offenders.append(f"{r['file']} ({r['split']}): fails {', '.join(bad)}")
            if any(c.get("status") == "warn" for c in res.get("checks", [])):
                warned += 1
        out.append(f"| {s} | {len(good)} | {ff} | {pct(ff + errs, len(good))} | {pct(warned, len(good))} | {errs} |")
    out.append("")
    if offenders:
        out.append("False fails on unmodified photos:")
        out.extend(f"- {o}" for o in offenders)
        out.append("")
    excused = []
    for r in rows:
        excusing = sorted(lb for lb in r["source_labels"] if lb in LABEL_CHECK)
        if r["degradation"] != "none" or not excusing:
            continue
        res = results[r["path"]]
        st = {c["id"]: c.get("status") for c in res.get("checks", [])}
        excused.append(f"{r['file']} (source labels `{','.join(sorted(r['source_labels']))}`): "
                       + ", ".join(f"{LABEL_CHECK[lb]} {st.get(LABEL_CHECK[lb], '?')}" for lb in excusing))
    if excused:
        out.append("Unmodified photos whose source carries a label (not counted as false fails when that check fires):")
        out.extend(f"- {e}" for e in excused)
        out.append("")

    out.append("Detection of strong degradations by the family's check (fail rate; in brackets: not-pass = fail or warn):")
    out.append("")
    out.append("| degradation | param | check | " + " | ".join(f"{s} n | {s} fail (not-pass)" for s in splits) + " |")
    out.append("|---|---|---|" + "---|---|" * len(splits))
    mild_lines = []
    for k in keys:
        deg, param = k
        cid = FAMILY[deg][1]
        if cid is None:
            continue
        for level, dest in (("strong", out), ("mild", mild_lines)):
            members = [r for r in groups[k] if r["sev"] == level]
            if not members:
                continue
            cells = []
            for s in splits:
                g = [r for r in members if r["split"] == s]
                st = [family_status(results[r["path"]], cid) for r in g]
                cells.append(f"{len(g)} | {pct(st.count('fail'), len(g))} ({pct(len(g) - st.count('pass'), len(g))})")
            dest.append(f"| {deg} | {param or '–'} | {cid} | " + " | ".join(cells) + " |")
    out.append("")
    if mild_lines:
        out.append("Mild degradations (a reviewer would accept them): share rejected by the family's check:")
        out.append("")
        out.append("| degradation | param | check | " + " | ".join(f"{s} n | {s} fail (not-pass)" for s in splits) + " |")
        out.append("|---|---|---|" + "---|---|" * len(splits))
        out.extend(mild_lines)
        out.append("")

    # ---- per check
    for cid in CHECK_IDS:
        out.append(f"### `{cid}`")
        out.append("")
        out.append("| degradation | param | severity | n | min | median | max | fail | warn | pass | codes |")
        out.append("|---|---|---|---|---|---|---|---|---|---|---|")
        for k in keys:
            vals, st, codes = [], defaultdict(int), defaultdict(int)
            n = 0
            for r in groups[k]:
                res = results[r["path"]]
                c = check_of(res, cid)
                if c is None:
                    st["error" if "error" in res else "missing"] += 1
                    continue
                n += 1
                st[c.get("status")] += 1
                codes[str(c.get("code", "")).removeprefix("photo.")] += 1
                v = c.get("value")
                if isinstance(v, (int, float)):
                    vals.append(float(v))
            lo = md = hi = None
            if vals:
                lo, md, hi = min(vals), statistics.median(vals), max(vals)
            extra = ""
            if st.get("error") or st.get("missing"):
                extra = f" (+{st.get('error', 0)} err, {st.get('missing', 0)} missing)"
            deg, param = k
            levels = sorted({r["sev"] for r in groups[k]}, key=["none", "mild", "moderate", "strong"].index)
            sev = "/".join(levels)
            mark = f"**{sev}**" if FAMILY[deg][1] == cid and "strong" in levels else sev
            code_s = ", ".join(f"{c} {k}" for c, k in sorted(codes.items(), key=lambda x: (-x[1], x[0])))
            out.append(f"| {deg} | {param or '–'} | {mark} | {n}{extra} | {fmt(lo)} | {fmt(md)} | {fmt(hi)} | "
                       f"{pct(st['fail'], n)} | {pct(st['warn'], n)} | {pct(st['pass'], n)} | {code_s} |")
        out.append("")
    return "\n".join(out)


def violations(rows: list[dict], results: dict[str, dict]) -> list[str]:
    v = []
    for r in rows:
        res = results[r["path"]]
        deg, param = group_key(r)
        if deg == "none":
            if "error" in res:
                v.append(f"{r['file']}: unmodified photo could not be checked: {res['error']}")
                continue
            for c in res.get("checks", []):
                # A wallpaper has no document and no person: in a document slot `framing`, in
                # the face slot `face` must fail.
                absent = r["source"].startswith("wp-") and c["id"] in ("framing", "face")
                if absent and c.get("status") != "fail":
                    v.append(f"{r['file']}: nothing there, yet `{c['id']}` {c.get('status')}")
                if absent:
                    continue
                if c.get("status") == "fail" and not any(LABEL_CHECK.get(lb) == c["id"] for lb in r["labels"]):
                    v.append(f"{r['file']}: unmodified photo fails `{c['id']}` (value {fmt(c.get('value'))}, "
                             f"threshold {c.get('threshold')})")
        elif r["sev"] == "strong":
            cid = FAMILY[deg][1]
            st = family_status(res, cid)
            if st in ("pass", "missing"):
                c = check_of(res, cid) or {}
                v.append(f"{r['file']}: strong {deg} {param} -> `{cid}` {st} (value {fmt(c.get('value'))})")
    return v


def write_markdown(path: Path, body: str, header: str) -> None:
    block = f"{START}\n{header}\n\n{body}\n{END}"
    if path.exists():
        text = path.read_text(encoding="utf-8")
        if START in text and END in text:
            pre, rest = text.split(START, 1)
            _, post = rest.split(END, 1)
            text = pre + block + post
        else:
            text = text.rstrip("\n") + "\n\n" + block + "\n"
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        text = f"# Photo check calibration\n\n{block}\n"
    path.write_text(text, encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--manifest", default="target/photo-fixtures/manifest.tsv")
    ap.add_argument("--bin", default="target/release/precheck")
    ap.add_argument("--results", help="default: results.jsonl next to the manifest")
    ap.add_argument("--reuse", action="store_true", help="read --results instead of running the CLI")
    ap.add_argument("--rules", help="thresholds JSON passed to the CLI as --rules")
    ap.add_argument("--batch", type=int, default=40, help="files per CLI invocation")
    ap.add_argument("--jobs", type=int, default=1, help="CLI invocations in parallel")
    ap.add_argument("--markdown", help="write the tables into this file between the markers")
    ap.add_argument("--check", action="store_true", help="exit 1 on a false fail or a missed strong degradation")
    args = ap.parse_args()

    manifest = Path(args.manifest)
    rows = read_manifest(manifest)
    res_path = Path(args.results) if args.results else manifest.parent / "results.jsonl"
    t0 = time.time()
    if args.reuse:
        results = {}
        for line in res_path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                o = json.loads(line)
                results[o["file"]] = o
        missing = [r["path"] for r in rows if r["path"] not in results]
        if missing:
            print(f"{len(missing)} manifest files have no result in {res_path}, e.g. {missing[0]}", file=sys.stderr)
            return 2
    else:
        if not Path(args.bin).exists():
            print(f"{args.bin} not found: cargo build --release --bin precheck", file=sys.stderr)
            return 2
        results = run_cli(args.bin, rows, args.batch, args.jobs, args.rules)
        with open(res_path, "w", encoding="utf-8") as fh:
            for r in rows:
                fh.write(json.dumps(results[r["path"]], ensure_ascii=False) + "\n")
        print(f"ran {len(rows)} files in {time.time() - t0:.1f} s -> {res_path}", file=sys.stderr)

    body = tables(rows, results)
    print(body)
    if args.markdown:
        header = (f"Generated by `python3 tools/calibrate_photos.py --manifest {args.manifest}"
                  + (f" --rules {args.rules}" if args.rules else "") + "` from "
                  f"`tools/photo_fixtures.py` fixtures ({manifest.parent.name}); do not edit by hand.")
        write_markdown(Path(args.markdown), body, header)
        print(f"wrote tables into {args.markdown}", file=sys.stderr)
    if args.check:
        v = violations(rows, results)
        if v:
            print(f"\ncalibration check FAILED: {len(v)} violation(s)", file=sys.stderr)
            for line in v[:50]:
                print("  " + line, file=sys.stderr)
            if len(v) > 50:
                print(f"  ... and {len(v) - 50} more", file=sys.stderr)
            return 1
        print("\ncalibration check passed", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
