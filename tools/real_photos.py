#!/usr/bin/env python3
"""Run `precheck photo` over the labelled real photos and tabulate every check against the labels.

    cargo build --release --bin precheck
    python3 tools/real_photos.py [--photos ../shared/realphotos] [--labels tests/real/labels.tsv]
                                 [--markdown docs/calibration.md] [--tsv target/real-photos.tsv]

The photos (MIDV-500 document frames, FiveK exposure renders, a LOL low-light capture) stay in
`../shared/realphotos`; `tests/real/labels.tsv` holds what a reviewer decided for each one
(`acceptable` or `unacceptable`) and why (`blur`, `motion`, `glare-on-data`, `cut-off`,
`too-small-to-read`, `dark`, `overexposed`, `occluded`); notes starting "borderline REASON" mark
acceptable frames that come close to a reason (a warning is welcome there, a failure is not).

Prints markdown: the document frames' overall status by label, each check on the acceptable
frames, each reason's detection by its check, the values measured on the document image for
acceptable vs failing frames, the exposure scenes' `brightness`, and the quad's IoU with the
ground-truth corners of `manifest.jsonl`. `--markdown FILE` puts the text between `<!-- real-photos:start -->` and
`<!-- real-photos:end -->` in FILE. `--tsv FILE` writes one row per photo with every value.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

START, END = "<!-- real-photos:start -->", "<!-- real-photos:end -->"
VERDICTS = ["acceptable", "unacceptable"]
STATUSES = ["pass", "warn", "fail"]
# Which check answers for which reason (occluded: no check sees a finger over the data).
REASON_CHECK = {
    "blur": "blur",
    "motion": "blur",
    "glare-on-data": "glare",
    "cut-off": "framing",
    "too-small-to-read": "framing",
    "dark": "brightness",
    "overexposed": "brightness",
}


def read_labels(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        header = fh.readline().rstrip("\n").split("\t")
        rows = [dict(zip(header, line.rstrip("\n").split("\t"))) for line in fh if line.strip()]
    for r in rows:
        r["reasons"] = [x for x in r.get("reasons", "").split(",") if x]
    return rows


def read_manifest(photos: Path) -> dict[str, dict]:
    out = {}
    with open(photos / "manifest.jsonl", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                d = json.loads(line)
                out[d["file"]] = d
    return out


def run_cli(binary: str, photos: Path, rows: list[dict], rules: str | None) -> dict[str, dict]:
    by_slot = defaultdict(list)
    for r in rows:
        by_slot[r["slot"]].append(r["file"])
    results = {}
    for slot, files in by_slot.items():
        cmd = [binary, "photo", "--slot", slot, "--lang", "en"]
        if rules:
            cmd += ["--rules", rules]
        out = subprocess.run(cmd + [str(photos / f) for f in files], capture_output=True, text=True, check=True)
        for line in out.stdout.splitlines():
            d = json.loads(line)
            results[Path(d["file"]).name] = d
    return results


def polygon_area(p: list[tuple[float, float]]) -> float:
    return abs(sum(p[i][0] * p[(i + 1) % len(p)][1] - p[(i + 1) % len(p)][0] * p[i][1] for i in range(len(p)))) / 2


def clip(subject: list, edge_a, edge_b) -> list:
    """One Sutherland–Hodgman step: the part of `subject` left of the directed edge a→b."""

    def side(p):
        return (edge_b[0] - edge_a[0]) * (p[1] - edge_a[1]) - (edge_b[1] - edge_a[1]) * (p[0] - edge_a[0])

    def cross(p, q):
        sp, sq = side(p), side(q)
        t = sp / (sp - sq)
        return (p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1]))

    out = []
    for i, p in enumerate(subject):
        q = subject[(i + 1) % len(subject)]
        if side(p) >= 0:
            out.append(p)
            if side(q) < 0:
                out.append(cross(p, q))
        elif side(q) >= 0:
            out.append(cross(p, q))
    return out


def orient(p: list) -> list:
    """Counter-clockwise in y-down pixel coordinates means `side` ≥ 0 inside."""
    s = sum(p[i][0] * p[(i + 1) % 4][1] - p[(i + 1) % 4][0] * p[i][1] for i in range(4))
    return p if s > 0 else p[::-1]


def iou(a: list, b: list) -> float:
    a, b = orient(a), orient(b)
    inter = a
    for i in range(4):
        if not inter:
            break
        inter = clip(inter, b[i], b[(i + 1) % 4])
    ai = polygon_area(inter) if len(inter) >= 3 else 0.0
    union = polygon_area(a) + polygon_area(b) - ai
    return ai / union if union > 0 else 0.0


def check(res: dict, cid: str) -> dict | None:
    return next((c for c in res.get("checks", []) if c["id"] == cid), None)


def fmt(v) -> str:
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:.3g}" if abs(v) < 100 else f"{v:.0f}"
    return str(v)


def enrich(rows: list[dict], results: dict, manifest: dict) -> None:
    for r in rows:
        res = results.get(r["file"], {})
        r["res"] = res
        r["status"] = res.get("status", "error")
        gt = manifest.get(r["file"], {}).get("document_quad")
        found = res.get("document_quad")
        r["iou"] = iou([tuple(p) for p in gt], [(p["x"], p["y"]) for p in found]) if gt and found else None
        r["gt"] = gt


def whole_in_frame(r: dict, manifest: dict) -> bool:
    m = manifest[r["file"]]
    return bool(r["gt"]) and all(0 <= x < m["width"] and 0 <= y < m["height"] for x, y in r["gt"])


def doc_metric(r: dict, key: str):
    """A value measured on the document image (`metrics.document`), or None."""
    d = (r["res"].get("metrics") or {}).get("document")
    if not d:
        return None
    return {
        "px_per_mm": d["px_per_mm"],
        "crisp": d["edge_width"]["crisp"],
        "edge_width": d["edge_width"]["mean"],
        "glare": d["glare"]["largest_percent"],
        "paper": d["glare"]["paper_p75"],
        "clipped": d["clipped"],
    }[key]


def counts(sel: list[dict], cid: str | None) -> str:
    if not sel:
        return "–"
    if cid is None:
        c = Counter(r["status"] for r in sel)
    else:
        c = Counter((check(r["res"], cid) or {"status": "–"})["status"] for r in sel)
    return f"{c['pass']} / {c['warn']} / {c['fail']}"


def stats(vals: list[float]) -> str:
    vals = [v for v in vals if v is not None]
    if not vals:
        return "–"
    return f"{fmt(min(vals))} / {fmt(statistics.median(vals))} / {fmt(max(vals))} (n={len(vals)})"


def tables(rows: list[dict], manifest: dict) -> str:
    docs = [r for r in rows if manifest.get(r["file"], {}).get("kind") == "document"]
    scenes = [r for r in rows if r not in docs]
    out = [f"{len(docs)} document frames and {len(scenes)} exposure scenes, labelled in `tests/real/labels.tsv`.\n"]
    out.append("**Document frames, overall status** (`precheck photo`; pass / warn / fail):\n")
    out.append("| label | n | pass / warn / fail |")
    out.append("|---|---|---|")
    for v in VERDICTS:
        sel = [r for r in docs if r["verdict"] == v]
        out.append(f"| {v} | {len(sel)} | {counts(sel, None)} |")
    acc = [r for r in docs if r["verdict"] == "acceptable"]
    out.append("")
    out.append("**Per check on the acceptable frames** (a fail here is a false rejection):\n")
    out.append("| check | pass / warn / fail |")
    out.append("|---|---|")
    for cid in ["framing", "blur", "glare", "brightness", "resolution", "contrast", "color"]:
        out.append(f"| `{cid}` | {counts(acc, cid)} |")
    out.append("")
    out.append("**Each reason, by the check that answers for it** (unacceptable frames with that reason):\n")
    out.append("| reason | check | n | pass / warn / fail of that check | detected (warn or fail) |")
    out.append("|---|---|---|---|---|")
    for reason, cid in REASON_CHECK.items():
        sel = [r for r in rows if reason in r["reasons"] and r["verdict"] == "unacceptable"]
        if not sel:
            continue
        hit = sum(1 for r in sel if (check(r["res"], cid) or {}).get("status") in ("warn", "fail"))
        out.append(f"| {reason} | `{cid}` | {len(sel)} | {counts(sel, cid)} | {hit}/{len(sel)} |")
    occluded = [r for r in docs if "occluded" in r["reasons"]]
    if occluded:
        out.append(f"| occluded | none (no check sees a finger) | {len(occluded)} | – | – |")
    out.append("")
    out.append("**Values on the document image** (5 px/mm; min / median / max):\n")
    out.append("| value | check | acceptable | its reason (unacceptable) | borderline acceptable (its reason) |")
    out.append("|---|---|---|---|---|")
    for key, cid, reasons in [
        ("px_per_mm", "framing", {"too-small-to-read"}),
        ("crisp", "blur", {"blur", "motion"}),
        ("edge_width", "blur (diagnostic)", {"blur", "motion"}),
        ("glare", "glare", {"glare-on-data"}),
        ("clipped", "brightness", {"overexposed"}),
    ]:
        own = [r for r in docs if reasons & set(r["reasons"])]
        border = [r for r in acc if any(x in r.get("notes", "") for x in (f"borderline {y}" for y in reasons))]
        out.append(
            f"| {key} | `{cid}` | {stats([doc_metric(r, key) for r in acc])} | "
            f"{stats([doc_metric(r, key) for r in own])} | {stats([doc_metric(r, key) for r in border])} |"
        )
    out.append("")
    if scenes:
        out.append("**Exposure scenes** (`brightness` only; the scenes are not face photos):\n")
        out.append("| label | reason | n | brightness pass / warn / fail |")
        out.append("|---|---|---|---|")
        for v in VERDICTS:
            for reason in ["dark", "overexposed", ""]:
                sel = [
                    r
                    for r in scenes
                    if r["verdict"] == v
                    and (reason in r["reasons"] or (v == "acceptable" and f"borderline {reason}" in r.get("notes", "")))
                ]
                if reason == "" or not sel:
                    continue
                out.append(f"| {v} | {reason} | {len(sel)} | {counts(sel, 'brightness')} |")
        out.append("")

    whole = [r for r in docs if whole_in_frame(r, manifest)]
    ious = sorted(r["iou"] or 0.0 for r in whole)
    if ious:
        good = sum(1 for v in ious if v >= 0.9)
        out.append(
            f"**Quad vs ground truth**: on the {len(whole)} frames whose document lies wholly in the frame, "
            f"IoU ≥ 0.9 on {good} ({100 * good / len(whole):.0f} %); median {statistics.median(ious):.3f}, "
            f"lowest {ious[0]:.3f}.\n"
        )
    return "\n".join(out)


def per_photo(rows: list[dict]) -> str:
    cols = ["framing", "blur", "glare", "brightness", "resolution"]
    out = ["| file | slot | label | reasons | status | " + " | ".join(cols) + " | IoU |"]
    out.append("|---" * (len(cols) + 6) + "|")
    for r in rows:
        cells = []
        for cid in cols:
            c = check(r["res"], cid)
            cells.append(f"{c['status'][0]} {fmt(c['value'])}" if c else "–")
        out.append(
            f"| {r['file']} | {r['slot']} | {r['verdict']} | {','.join(r['reasons'])} | {r['status']} | "
            + " | ".join(cells)
            + f" | {fmt(r['iou'])} |"
        )
    return "\n".join(out)


def write_markdown(path: Path, body: str) -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    block = f"{START}\n{body}\n{END}"
    if START in text and END in text:
        pre, rest = text.split(START, 1)
        _, post = rest.split(END, 1)
        text = pre + block + post
    else:
        text = text.rstrip("\n") + "\n\n## Real photos\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default="target/release/precheck")
    ap.add_argument("--photos", default="../shared/realphotos")
    ap.add_argument("--labels", default="tests/real/labels.tsv")
    ap.add_argument("--rules", help="a --rules JSON file for precheck")
    ap.add_argument("--markdown", help="put the tables into this file between the markers")
    ap.add_argument("--tsv", help="write one row per photo with its values")
    ap.add_argument("--per-photo", action="store_true", help="also print the per-photo table")
    args = ap.parse_args()
    photos = Path(args.photos)
    rows = read_labels(Path(args.labels))
    manifest = read_manifest(photos)
    results = run_cli(args.bin, photos, rows, args.rules)
    enrich(rows, results, manifest)
    body = tables(rows, manifest)
    print(body)
    if args.per_photo:
        print(per_photo(rows))
    if args.markdown:
        write_markdown(Path(args.markdown), body + "\n\n<details><summary>Every photo</summary>\n\n" + per_photo(rows) + "\n\n</details>")
    if args.tsv:
        with open(args.tsv, "w", encoding="utf-8") as fh:
            fh.write("file\tslot\tverdict\treasons\tstatus\tiou\tchecks\tmetrics\n")
            for r in rows:
                checks = {c["id"]: [c["status"], c["value"]] for c in r["res"].get("checks", [])}
                fh.write(
                    f"{r['file']}\t{r['slot']}\t{r['verdict']}\t{','.join(r['reasons'])}\t{r['status']}\t"
                    f"{r['iou']}\t{json.dumps(checks)}\t{json.dumps(r['res'].get('metrics'))}\n"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
