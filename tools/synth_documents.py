#!/usr/bin/env python3
"""Synthetic passport data pages, visa pages and ID-card portrait sides with machine-readable
lines in OCR-B, photographed: the synthetic set of the document-reading issue (13).

    python3 tools/synth_documents.py --out target/synth-documents [--count 12] [--kinds idfront]
    python3 tools/synth_documents.py --out target/synth-documents --eval target/release/precheck [--from 5]

Each document is drawn flat (PIL), laid on a wallpaper "table" in a 4032x3024 frame with the
quality fixtures' perspective, light, exposure and noise (`photo_fixtures.compose`), then given
one distortion: none, Gaussian blur, motion blur, a glare spot on the zone, noise, or a low JPEG
quality. Kinds:
  * `td3`: a TD3 passport data page (125 x 88 mm): portrait, labelled fields, a two-line MRZ
    of 44 characters starting `P` with valid ICAO 9303 check digits;
  * `mrva`: a visa page of the same size with an MRV-A zone (two lines of 44 starting `V`);
  * `idfront`: a resident ID card's portrait side (ID-1) whose 18-character number line is
    drawn in OCR-B with a valid GB 11643 check character.
The MRZ font is Debian's `fonts-ocr-b` (OCRB.otf: public domain), at 10 characters per inch
(2.54 mm pitch) with a 2.4 mm cap height; lines 6 mm apart, the last 5 mm above the page's edge.

Writes `OUT/*.jpg` (quality 92 unless the distortion says otherwise) and `OUT/manifest.jsonl`:
file, kind, distortion, corners (TL, TR, BR, BL, frame px), mrz (two lines) or id_number.

`--eval BIN` runs `BIN photo` on the set (data pages and visa pages in both passport slots,
portrait sides in `id-front` and `id-back`) and prints the tables for docs/document_reading.md:
MRZ and ID number read right / wrong / silent per distortion, and the `side` check's code per
kind and slot. `--from N` draws or evaluates only documents N and later: document n's seed is
its name, whatever `--count`, so `--count 12 --from 5` is held out from `--count 5`.

Deterministic: every random choice comes from a generator seeded by the file's name.
Requirements: tools/requirements.txt, Debian fonts-ocr-b, fonts-noto-cjk and
plasma-workspace-wallpapers (as photo_fixtures.py).
"""

from __future__ import annotations

import argparse
import collections
import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

sys.path.insert(0, str(Path(__file__).resolve().parent))
import photo_fixtures as pf  # noqa: E402

OCRB = "/usr/share/fonts/opentype/ocr-b/OCRB.otf"
TD3_W_MM, TD3_H_MM = 125.0, 88.0
PITCH_MM, CAP_MM, LINE_GAP_MM, BOTTOM_MM, LEFT_MM = 2.54, 2.4, 6.0, 5.0, 6.0
KINDS = ("td3", "mrva", "idfront")
DISTORTIONS = ("none", "gauss_1.5", "motion_8", "glare", "noise_6", "jpeg_60")
STATES = ("UTO", "D<<", "FRA", "ITA", "CHN", "GBR", "NLD", "CAN", "AUS", "KOR", "JPN", "SGP")
SURNAMES = ("ERIKSSON", "ZHANG", "MUELLER", "OCONNOR", "NGUYEN", "ROSSI", "DUBOIS", "TANAKA", "SMITH",
            "VAN<DER<BERG", "LI", "GARCIA<LOPEZ")
GIVEN = ("ANNA<MARIA", "WEI", "HANS", "SEAN", "LAN", "GIULIA", "CAMILLE", "YUKI", "JOHN", "PIETER", "NA",
         "CARMEN")


def check_digit(field: str) -> str:
    """ICAO 9303 7-3-1 check digit (`<` = 0, A = 10 … Z = 35)."""
    total = 0
    for i, c in enumerate(field):
        v = 0 if c == "<" else int(c) if c.isdigit() else ord(c) - ord("A") + 10
        total += v * (7, 3, 1)[i % 3]
    return str(total % 10)


def pad(s: str, n: int) -> str:
    return (s + "<" * n)[:n]


def rand_date(rng, y0: int, y1: int) -> str:
    return f"{int(rng.integers(y0, y1)) % 100:02d}{int(rng.integers(1, 13)):02d}{int(rng.integers(1, 29)):02d}"


def rand_number(rng, n: int, letters: int) -> str:
    alnum = "ABCDEFGHJKLMNPRSTUVWXYZ"
    return "".join(alnum[int(rng.integers(0, len(alnum)))] for _ in range(letters)) + "".join(
        str(int(rng.integers(0, 10))) for _ in range(n - letters))


def mrz_lines(kind: str, rng) -> tuple[str, str]:
    """A TD3 (`P`) or MRV-A (`V`) zone whose check digits hold."""
    state, nat = STATES[int(rng.integers(0, len(STATES)))], STATES[int(rng.integers(0, len(STATES)))]
    name = SURNAMES[int(rng.integers(0, len(SURNAMES)))] + "<<" + GIVEN[int(rng.integers(0, len(GIVEN)))]
    first = "P<" if kind == "td3" else "V<"
    l1 = pad(first + state + name, 44)
    number = rand_number(rng, 9, int(rng.integers(0, 3)))
    birth, expiry = rand_date(rng, 1950, 2006), rand_date(rng, 2027, 2036)
    sex = "MF<"[int(rng.integers(0, 3))]
    head = number + check_digit(number) + nat + birth + check_digit(birth) + sex + expiry + check_digit(expiry)
    if kind == "td3":
        personal = pad("".join(str(int(rng.integers(0, 10))) for _ in range(int(rng.integers(0, 15)))), 14)
        body = head + personal + check_digit(personal)
        composite = body[0:10] + body[13:20] + body[21:43]
        l2 = body + check_digit(composite)
    else:
        l2 = pad(head, 44)
    return l1, l2


def id_number(rng) -> str:
    """An 18-character resident ID number with a valid GB 11643 check character."""
    region = pf.REGIONS[int(rng.integers(0, len(pf.REGIONS)))]
    y, m, d = int(rng.integers(1950, 2006)), int(rng.integers(1, 13)), int(rng.integers(1, 29))
    body = f"{region}{y:04d}{m:02d}{d:02d}{int(rng.integers(0, 1000)):03d}"
    return body + pf.id_check_char(body)


def ocrb(s: float) -> ImageFont.FreeTypeFont:
    """OCR-B at the size whose capitals are CAP_MM tall (`s` px per mm)."""
    probe = ImageFont.truetype(OCRB, 100)
    _, top, _, base = probe.getbbox("H", anchor="ls")
    return ImageFont.truetype(OCRB, max(4, int(round(100 * CAP_MM * s / (base - top)))))


def draw_line(d: ImageDraw.ImageDraw, text: str, x_mm: float, base_mm: float, s: float, font) -> None:
    """One fixed-pitch line: each character centred in its PITCH_MM cell."""
    for i, c in enumerate(text):
        cx = (x_mm + (i + 0.5) * PITCH_MM) * s
        d.text((cx, base_mm * s), c, font=font, fill=(20, 20, 25), anchor="ms")


def render_page(kind: str, wpx: int, rng) -> tuple[Image.Image, tuple[str, str]]:
    """A TD3-size page (data page or visa page), RGBA, `wpx` wide."""
    s = wpx / TD3_W_MM
    hpx = int(round(TD3_H_MM * s))
    tint = np.array([236, 240, 232]) + rng.integers(-8, 8, 3)
    page = Image.fromarray(pf.to_u8(np.broadcast_to(tint.astype(np.float32), (hpx, wpx, 3))))
    d = ImageDraw.Draw(page)
    pf.draw_guilloche(d, wpx, hpx, s, rng, light=True)
    # the zone's clear band: no print behind the MRZ
    d.rectangle((0, (TD3_H_MM - 23.2) * s, wpx, hpx), fill=tuple(int(v) for v in tint))
    lines = mrz_lines(kind, rng)
    label, value = pf.font(2.2 * s), pf.font(3.0 * s)
    title = "PASSPORT / PASSEPORT" if kind == "td3" else "VISA"
    d.text((6 * s, 8 * s), title, font=pf.font(4.0 * s), fill=(40, 60, 110), anchor="ls")
    x0 = 42 if kind == "td3" else 10
    fields = [("Surname", lines[0][5:].split("<<")[0].replace("<", " ")), ("Given names", lines[0][5:].split("<<")[1].split("<<")[0].replace("<", " ") if "<<" in lines[0][5:] else ""),
              ("Nationality", lines[1][10:13].replace("<", "")), ("Date of birth", lines[1][13:19]),
              ("Sex", lines[1][20]), ("Date of expiry", lines[1][21:27]), ("No.", lines[1][0:9].replace("<", ""))]
    for k, (lab, val) in enumerate(fields):
        y = 16 + 7.2 * k
        d.text((x0 * s, y * s), lab, font=label, fill=(70, 90, 140), anchor="ls")
        d.text((x0 * s, (y + 3.6) * s), val, font=value, fill=(25, 25, 25), anchor="ls")
    if kind == "td3":
        p = pf.portrait_crop().resize((int(32 * s), int(40 * s)), Image.LANCZOS)
        page.paste(p, (int(6 * s), int(14 * s)))
    else:
        d.rectangle((88 * s, 14 * s, 118 * s, 52 * s), outline=(120, 120, 140), width=max(1, int(0.3 * s)))
        d.text((103 * s, 34 * s), "ENTRIES: MULT", font=label, fill=(70, 90, 140), anchor="ms")
    f = ocrb(s)
    base2 = TD3_H_MM - BOTTOM_MM
    draw_line(d, lines[0], LEFT_MM, base2 - LINE_GAP_MM, s, f)
    draw_line(d, lines[1], LEFT_MM, base2, s, f)
    page.putalpha(Image.new("L", page.size, 255))
    return page, lines


def render_id_front(wpx: int, rng) -> tuple[Image.Image, str]:
    """A resident ID card's portrait side whose number line is OCR-B (drawn over the quality
    fixtures' card, where their number is)."""
    card = pf.render_card("front", wpx, rng, light=False)
    s = wpx / pf.ID1_W_MM
    number = id_number(rng)
    d = ImageDraw.Draw(card)
    d.rectangle((26 * s, 43.5 * s, 84 * s, 49.5 * s), fill=(240, 243, 246))
    f = ocrb(s)
    for i, c in enumerate(number):
        d.text(((27 + (i + 0.5) * 3.0) * s, 48.2 * s), c, font=f, fill=(20, 20, 25), anchor="ms")
    return card, number


def distort(img: Image.Image, how: str, rng, zone_centre) -> tuple[Image.Image, int]:
    """One distortion; returns the image and the JPEG quality to save it with."""
    if how.startswith("gauss_"):
        return img.filter(ImageFilter.GaussianBlur(float(how.split("_")[1]))), pf.JPEG_QUALITY
    if how.startswith("motion_"):
        return pf.motion_blur(img, int(how.split("_")[1]), float((0, 45, 90, 135)[int(rng.integers(0, 4))])), pf.JPEG_QUALITY
    if how == "glare":
        return pf.add_glare(img, zone_centre, sigma=0.025 * pf.W, amplitude=1.2), pf.JPEG_QUALITY
    if how.startswith("noise_"):
        a = np.asarray(img, np.float32) + rng.normal(0, float(how.split("_")[1]), (pf.H, pf.W, 3))
        return Image.fromarray(pf.to_u8(a)), pf.JPEG_QUALITY
    if how.startswith("jpeg_"):
        return img, int(how.split("_")[1])
    return img, pf.JPEG_QUALITY


def make(out: Path, count: int, kinds=KINDS, first: int = 0) -> None:
    out.mkdir(parents=True, exist_ok=True)
    wallpapers = sorted(pf.PHOTO_WALLPAPERS)
    rows = []
    for kind in kinds:
        for n in range(first, count):
            # The scene is the same for every distortion: composed once, distorted six times.
            rng = pf.rng_for("synth", kind, str(n))
            bg = pf.fit_4x3(Image.open(pf.largest_image(wallpapers[int(rng.integers(0, len(wallpapers)))])).convert("RGB"))
            size = (pf.ID1_W_MM, pf.ID1_H_MM) if kind == "idfront" else (TD3_W_MM, TD3_H_MM)
            q = pf.card_quad_ex(rng, float(rng.uniform(0.30, 0.60)), rot_deg=8, tilt_deg=10, size_mm=size)
            top = max(np.linalg.norm(q[1] - q[0]), np.linalg.norm(q[2] - q[3]))
            if kind == "idfront":
                doc, truth = render_id_front(int(math.ceil(top)), rng)
            else:
                doc, truth = render_page(kind, int(math.ceil(top)), rng)
            meta: dict = {}
            scene = pf.compose(bg, q, doc, rng, meta)
            # the zone's centre in the frame (for the glare spot)
            u, v = (0.5, (TD3_H_MM - BOTTOM_MM - LINE_GAP_MM / 2) / TD3_H_MM) if kind != "idfront" else (0.65, 0.86)
            p = np.array(meta["card_to_frame"]) @ np.array([u * doc.size[0], v * doc.size[1], 1.0])
            for how in DISTORTIONS:
                name = f"{kind}-{n:02d}__{how}.jpg"
                img, quality = distort(scene, how, pf.rng_for("synth", name), (p[0] / p[2], p[1] / p[2]))
                img.save(out / name, quality=quality)
                row = {"file": name, "kind": kind, "distortion": how, "corners": meta["corners"]}
                row["id_number" if kind == "idfront" else "mrz"] = truth
                rows.append(row)
                print(name, flush=True)
    with open(out / "manifest.jsonl", "w") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")


def evaluate(out: Path, binary: str, first: int = 0) -> None:
    rows = [json.loads(line) for line in open(out / "manifest.jsonl")]
    rows = [r for r in rows if int(r["file"].split("__")[0].rsplit("-", 1)[1]) >= first]
    by_file = {r["file"]: r for r in rows}
    runs = [("td3", "passport-data"), ("td3", "passport-visa"), ("mrva", "passport-visa"), ("mrva", "passport-data"),
            ("idfront", "id-front"), ("idfront", "id-back")]
    own = {"td3": "passport-data", "mrva": "passport-visa", "idfront": "id-front"}
    reads = collections.defaultdict(lambda: collections.Counter())
    sides = collections.defaultdict(lambda: collections.Counter())
    for kind, slot in runs:
        files = [str(out / r["file"]) for r in rows if r["kind"] == kind]
        if not files:
            continue
        res = subprocess.run([binary, "photo", "--slot", slot, *files], capture_output=True, text=True, check=False)
        for line in res.stdout.splitlines():
            j = json.loads(line)
            r = by_file[Path(j["file"]).name]
            side = next((c for c in j.get("checks", []) if c["id"] == "side"), None)
            sides[(kind, slot)][side["code"] if side else "(no side result)"] += 1
            if slot != own[kind]:
                continue
            if kind == "idfront":
                n = j.get("id_number")
                got = "silent" if not n else "right" if n == r["id_number"] else "WRONG"
                reads[("id", r["distortion"])][got] += 1
            else:
                m = j.get("mrz")
                got = "silent" if not m else "right" if m["lines"] == list(r["mrz"]) else "WRONG"
                reads[("mrz", r["distortion"])][got] += 1
    for what, head in (("mrz", "MRZ read right | wrong (all check digits hold)"),
                       ("id", "ID number read right | wrong (check character holds)")):
        if not any(k[0] == what for k in reads):
            continue
        print(f"\n| distortion | {head} | silent |\n|---|---:|---:|---:|")
        total = collections.Counter()
        for how in DISTORTIONS:
            c = reads[(what, how)]
            total.update(c)
            print(f"| {how} | {c['right']} | {c['WRONG']} | {c['silent']} |")
        print(f"| **all** | **{total['right']}** | **{total['WRONG']}** | **{total['silent']}** |")
    print("\n| page | slot | `side` results |\n|---|---|---|")
    for (kind, slot), c in sides.items():
        print(f"| {kind} | {slot} | " + ", ".join(f"{k} {v}" for k, v in sorted(c.items())) + " |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--count", type=int, default=12, help="documents per kind (each in every distortion)")
    ap.add_argument("--kinds", default=",".join(KINDS), help="comma-separated kinds to draw (default: all)")
    ap.add_argument("--eval", metavar="BIN", help="evaluate BIN (precheck) on an existing set instead")
    ap.add_argument("--from", dest="first", type=int, default=0,
                    help="only documents FIRST and later (drawing or evaluating)")
    a = ap.parse_args()
    kinds = tuple(k for k in a.kinds.split(",") if k)
    if unknown := set(kinds) - set(KINDS):
        ap.error(f"unknown kinds {sorted(unknown)} (known: {', '.join(KINDS)})")
    if a.eval:
        evaluate(a.out, a.eval, a.first)
    else:
        make(a.out, a.count, kinds, a.first)


if __name__ == "__main__":
    main()
