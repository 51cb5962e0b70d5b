#!/usr/bin/env python3
"""Framing and face results on the presence scenes (tools/photo_fixtures.py --set presence),
as the Markdown tables of docs/calibration.md (evaluation of issue 5).

    cargo build --release --bin precheck
    python3 tools/eval_presence.py --dir target/presence-fixtures [--jobs 2]

Runs `precheck photo` on every scene in its slot (and, for scenes of other slots, once more as
`face` to count faces), compares the document quad with the generator's card corners (largest
corner error, px at 4032x3024) and prints per case and split: framing verdicts, faces found.
"""
import argparse
import json
import math
import subprocess
import sys
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

BIN = "target/release/precheck"


def run(slot: str, files: list[str]) -> dict:
    out = subprocess.run([BIN, "photo", "--slot", slot, *files], capture_output=True, text=True,
                         check=True).stdout
    return {Path(j["file"]).name: j for j in map(json.loads, out.splitlines())}


def corner_error(quad, truth) -> float:
    if not quad or not truth:
        return float("nan")
    # the generator's corners are TL, TR, BR, BL of the card, not necessarily on screen
    return max(min(math.dist((p["x"], p["y"]), t) for p in quad) for t in truth)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", default="target/presence-fixtures")
    ap.add_argument("--jobs", type=int, default=2)
    a = ap.parse_args()
    d = Path(a.dir)
    rows = [dict(zip(["file", "source", "split", "case", "slot", "framing", "face", "card_percent"],
                     l.rstrip("\n").split("\t")))
            for l in (d / "manifest.tsv").read_text().splitlines()[1:]]
    scenes = {s["id"]: s for s in json.loads((d / "scenes.json").read_text())}
    by_slot = defaultdict(list)
    for r in rows:
        by_slot[r["slot"]].append(str(d / r["file"]))
        if r["slot"] not in ("face", "selfie-with-document"):
            by_slot["face"].append(str(d / r["file"]))
    results: dict = {}
    with ThreadPoolExecutor(a.jobs) as ex:
        futs = []
        for slot, files in by_slot.items():
            for i in range(0, len(files), 16):
                futs.append((slot, ex.submit(run, slot, files[i:i + 16])))
        for slot, f in futs:
            for name, j in f.result().items():
                results[(slot, name)] = j
    table = defaultdict(lambda: defaultdict(int))
    errs = defaultdict(list)
    ms = defaultdict(list)
    for r in rows:
        j = results[(r["slot"], r["file"])]
        key = (r["case"], r["split"])
        t = table[key]
        t["n"] += 1
        fr = next((c for c in j["checks"] if c["id"] == "framing"), None)
        if fr:
            t["framing " + fr["status"]] += 1
        jf = j if r["slot"] in ("face", "selfie-with-document") else results[("face", r["file"])]
        nf = len(jf["face_boxes"])
        t["faces 0" if nf == 0 else "faces 1" if nf == 1 else "faces 2+"] += 1
        if fr and fr["status"] != "fail" and r["case"] in ("good", "light", "selfie", "held"):
            errs[key].append(corner_error(j["document_quad"], scenes[r["source"]].get("corners")))
        ms[key].append(j["ms"])
    cols = ["n", "framing pass", "framing warn", "framing fail", "faces 0", "faces 1", "faces 2+"]
    print("| case | split | " + " | ".join(cols) + " | corner error px (median / max) |")
    print("|---|---|" + "---|" * len(cols) + "---|")
    for key in sorted(table):
        e = sorted(x for x in errs.get(key, []) if not math.isnan(x))
        err = f"{e[len(e) // 2]:.0f} / {e[-1]:.0f}" if e else "–"
        print(f"| {key[0]} | {key[1]} | " + " | ".join(str(table[key][c]) for c in cols) + f" | {err} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
