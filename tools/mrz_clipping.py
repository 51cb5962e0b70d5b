"""How much of each MRZ character of the real passport frames is clipped to white.

For each frame labelled in tests/real/mrz.tsv: the page is rectified from the ground-truth
corners of ../shared/realphotos/manifest.jsonl (not the app's quad) at 8 px/mm, the two MRZ
lines are found in the bottom 23 mm (ink = darker than the 4 mm local maximum by
max(24, 0.4 * p99), as src/checks/photo/ocr/line.rs), each line is cut into 44 cells of equal
pitch between its first and last ink column, and the share of each cell's pixels at luma >= 250
(clipped by the camera: no ink can be recovered there) is measured. Prints a markdown table:
the worst cell of each frame, and the cells with at least a quarter of their pixels clipped.

    python3 tools/mrz_clipping.py [--photos ../shared/realphotos]
"""

import argparse
import json
from pathlib import Path

import numpy as np
from PIL import Image
from scipy.ndimage import maximum_filter

ROOT = Path(__file__).resolve().parent.parent
PX_PER_MM = 8.0
PAGE_MM = (125.0, 88.0)
BAND_MM = 23.0
CLIPPED = 250
WASHED_SHARE = 0.25


def homography(src, dst):
    """The 3x3 map taking the four points `src` to `dst`."""
    a, b = [], []
    for (x, y), (u, v) in zip(src, dst):
        a.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        b.append(u)
        a.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        b.append(v)
    h = np.linalg.solve(np.array(a, float), np.array(b, float))
    return np.append(h, 1).reshape(3, 3)


def band(luma, corners):
    """The bottom BAND_MM of the page whose corners (TL, TR, BR, BL) are `corners`."""
    w, h = PAGE_MM
    m = homography([(0, 0), (w, 0), (w, h), (0, h)], corners)
    ys = np.arange(h - BAND_MM, h, 1 / PX_PER_MM)
    xs = np.arange(0, w, 1 / PX_PER_MM)
    gx, gy = np.meshgrid(xs, ys)
    p = m @ np.stack([gx.ravel(), gy.ravel(), np.ones(gx.size)])
    u = np.clip(np.round(p[0] / p[2]).astype(int), 0, luma.shape[1] - 1)
    v = np.clip(np.round(p[1] / p[2]).astype(int), 0, luma.shape[0] - 1)
    return luma[v, u].reshape(gx.shape)


def ink_of(b):
    dark = maximum_filter(b, size=int(4 * PX_PER_MM) + 1) - b
    p99 = np.percentile(dark[dark > 4], 99)
    return dark >= max(24, 0.4 * p99)


def mrz_lines(ink):
    """Row ranges of the two MRZ lines: the bottom-most pair of 1.75-5 mm tall lines whose
    centres are 4.4-7.5 mm apart; [] when none."""
    on = ink.mean(1) > 0.04
    runs, start = [], None
    for i, o in enumerate(list(on) + [False]):
        if o and start is None:
            start = i
        if not o and start is not None:
            runs.append((start, i))
            start = None
    runs = [r for r in runs if 14 <= r[1] - r[0] <= 40]
    pairs = [(a, b) for a, b in zip(runs, runs[1:]) if 35 <= (b[0] + b[1] - a[0] - a[1]) / 2 <= 60]
    return list(pairs[-1]) if pairs else []


def page_band(luma, quad):
    """The MRZ band and its lines under the corner order (of the two with the long side along
    x) whose bottom 15 mm has the most line structure: the spread of its rows' ink."""
    side = lambda a, b: np.hypot(a[0] - b[0], a[1] - b[1])
    best = None
    for r in range(4):
        q = quad[r:] + quad[:r]
        if side(q[0], q[1]) < side(q[1], q[2]):
            continue  # the page's long side runs along x
        b = band(luma, q)
        dark = maximum_filter(b, size=int(4 * PX_PER_MM) + 1) - b
        score = (dark >= 40).mean(1)[-int(15 * PX_PER_MM):].std()
        if best is None or score > best[0]:
            best = (score, b)
    return best[1], mrz_lines(ink_of(best[1]))


def clipped_cells(b, lines):
    """Per line, the share of clipped pixels in each of its 44 cells."""
    ink = ink_of(b)
    margin = int(3 * PX_PER_MM)  # the page's edge and its shadow are not characters
    out = []
    for top, bottom in lines:
        cols = np.where(ink[top:bottom].any(0))[0]
        cols = cols[(cols >= margin) & (cols < b.shape[1] - margin)]
        x0, x1 = cols.min(), cols.max() + 1
        pitch = (x1 - x0) / 44
        rows = b[max(top - 2, 0):bottom + 2]
        out.append([
            float((rows[:, round(x0 + k * pitch):round(x0 + (k + 1) * pitch)] >= CLIPPED).mean())
            for k in range(44)
        ])
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--photos", default=str(ROOT.parent / "shared/realphotos"))
    photos = Path(ap.parse_args().photos)
    manifest = {}
    for line in (photos / "manifest.jsonl").read_text().splitlines():
        row = json.loads(line)
        manifest[row["file"]] = row
    prefixes = [l.split("\t")[0] for l in (ROOT / "tests/real/mrz.tsv").read_text().splitlines()
                if l.strip() and not l.startswith("#")]
    verdicts = {}
    for l in (ROOT / "tests/real/labels.tsv").read_text().splitlines()[1:]:
        f = l.split("\t")
        verdicts[f[0]] = f[2] + (f" ({f[3]})" if len(f) > 3 and f[3] else "")
    print("| frame | photo verdict | worst MRZ cell: share clipped (line, position) "
          f"| cells ≥ {WASHED_SHARE:.0%} clipped |")
    print("|---|---|---:|---|")
    for name in sorted(manifest):
        if not any(name.startswith(p) for p in prefixes):
            continue
        luma = np.asarray(Image.open(photos / name).convert("L")).astype(np.int32)
        b, lines = page_band(luma, [list(p) for p in manifest[name]["document_quad"]])
        if len(lines) != 2:
            print(f"| {name[8:-4]} | {verdicts.get(name, '?')} | lines not found | |")
            continue
        cells = clipped_cells(b, lines)
        share, line, pos = max((s, l, k) for l, c in enumerate(cells) for k, s in enumerate(c))
        washed = [f"{l + 1}:{k + 1}" for l, c in enumerate(cells) for k, s in enumerate(c)
                  if s >= WASHED_SHARE]
        worst = f"{share:.2f} ({line + 1}, {pos + 1})" if share > 0 else "0"
        print(f"| {name[8:-4]} | {verdicts.get(name, '?')} | {worst} "
              f"| {', '.join(washed) or '–'} |")


if __name__ == "__main__":
    main()
