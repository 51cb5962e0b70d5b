#!/usr/bin/env python3
"""Generate the photo-quality fixtures: good photos and degraded copies, with a manifest.

    python3 tools/photo_fixtures.py --out target/photo-fixtures [--quick] [--jobs N]

Writes `OUT/*.jpg` (JPEG quality 92, 4:2:0, no EXIF/ICC) and `OUT/manifest.tsv` with columns
`file source split degradation param slot expect severity source_labels`, plus
`OUT/sources.json` (per source: kind, origin/licence, split, slot, card corners and coverage
for card scenes).

Sources (see tests/photos/README.md for the list and licences):
  * `wp-NAME`: every KDE Plasma wallpaper (Debian package plasma-workspace-wallpapers) that is a
    real photograph, centre-cropped to 4:3 and resized (Lanczos) to 4032x3024.
  * `card-front-NN` / `card-back-NN`: synthetic ID-1 card scenes (portrait side / emblem side)
    drawn with PIL, perspective-warped onto a wallpaper photo as the "table", 4032x3024.

Every degradation is applied to the 4032x3024 good original (see DEGRADATIONS). `expect` is
one label: `good` (none), `mild` (mild levels), else the family's `blur`, `dark`, `bright`,
`glare`, `lowres` or `gray`. `severity` is none / mild / moderate / strong (strong: the family's
check must not pass); `severity()` below is the single place that decides it. `source_labels`
lists what the source itself carries (e.g. `gray` for a black-and-white photograph, `dark` for a
too-dark one; see PHOTO_WALLPAPERS), so a check that fires on such a source is not counted as a
false fail.

Deterministic: every random choice comes from a generator seeded by the source id (and the
degradation), so `--quick` produces byte-identical files for its sources (same Pillow/libjpeg).

Requirements: tools/requirements.txt (numpy, pillow, scikit-image for `data.astronaut()`),
Debian packages plasma-workspace-wallpapers and fonts-noto-cjk.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import shutil
import sys
import time
from dataclasses import dataclass, field
from multiprocessing import Pool
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

W, H = 4032, 3024
JPEG_QUALITY = 92
WALLPAPERS = Path("/usr/share/wallpapers")
FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
FONT_SC = 2  # face index of "Noto Sans CJK SC" in the collection
ID1_W_MM, ID1_H_MM, ID1_R_MM = 85.60, 53.98, 3.18

# Real photographs among the Plasma wallpapers (checked by eye; the others are renders or
# illustrations: Altai, Autumn (painting), Canopee, Cascade, Cluster, Elarun, Flow,
# FlyingKonqui, Honeywave, IceCold, Kay, Kokkini, MilkyWay, Opal, PastelHills, Patak,
# SafeLanding, Shell, Volna (low-poly render)).
# Value: labels the unmodified photo itself carries (intended, not false fails). Luma figures
# are PIL "L" of the 4032x3024 crop (process_source re-measures them into sources.json).
#   gray:   monochrome photograph (colourfulness 0), so the colour check may fire
#   glare:  large blown-out white areas (Grey: 7.6 % of pixels at luma >= 250 in broad white
#           bands), which no pixel statistic can tell from a specular highlight
#   dark:   low-key and too dark for a document photo (Path: p50 34, p95 93)
#   oriented: smooth shading in bands along one direction (Grey): the blur check's motion
#           test (sharpness anisotropy across directions) reads it as motion blur
#   sparse: mostly smooth sky or fog (summer_1am, ColdRipple): a straight motion blur leaves
#           the few edges almost unchanged, so it is not detectable from texture; strong
#           motion counts as moderate for these sources (reported in the tables, not required)
#   lowkey: luma p95 < 160 (DarkestHour 128, Kite 120, OneStandsOut 138; Path too): a linear
#           gain of 3-4 brightens it to a normal exposure instead of blowing it out, so
#           `overexpose` is at most moderate for these sources
PHOTO_WALLPAPERS: dict[str, tuple[str, ...]] = {
    "BytheWater": (),
    "ColdRipple": ("gray", "sparse"),
    "ColorfulCups": (),
    "DarkestHour": ("lowkey",),
    "EveningGlow": (),
    "FallenLeaf": (),
    "Grey": ("gray", "glare", "oriented"),
    "Kite": ("lowkey",),
    "OneStandsOut": ("lowkey",),
    "Path": ("dark", "lowkey"),
    "summer_1am": ("sparse",),
}

# Degradations: (name, params). Param strings are what the manifest shows.
DEGRADATIONS: list[tuple[str, list[str]]] = [
    ("none", [""]),
    ("gauss", ["1", "2", "3", "4", "6", "8", "12"]),  # sigma, px at 4032x3024
    ("motion", [f"{n}@{a}" for n in (10, 20, 30, 40, 60) for a in (0, 45, 90, 135)]),  # px@deg
    ("exposure", ["0.5", "0.3", "0.2", "0.12", "0.06"]),  # factor in linear light
    ("exposure_srgb", ["0.12"]),  # factor applied to sRGB code values
    ("overexpose", ["1.5", "2", "3", "4"]),  # gain in linear light, clipped
    ("glare", ["1", "2", "4", "8"]),  # spot sigma, % of the short side
    ("downscale", ["2048", "1280", "1024", "640", "320"]),  # long side, px
    ("gray", [""]),
    ("gray_tint", [""]),
]

MANIFEST_COLUMNS = ["file", "source", "split", "degradation", "param", "slot", "expect", "severity",
                    "source_labels"]

# degradation -> (label, check id that must catch it)
FAMILY = {
    "none": ("good", None),
    "gauss": ("blur", "blur"),
    "motion": ("blur", "blur"),
    "exposure": ("dark", "brightness"),
    "exposure_srgb": ("dark", "brightness"),
    "overexpose": ("bright", "brightness"),
    "glare": ("glare", "glare"),
    "downscale": ("lowres", "resolution"),
    "gray": ("gray", "color"),
    "gray_tint": ("gray", "color"),
}
LABEL_CHECK = {"blur": "blur", "oriented": "blur", "dark": "brightness", "bright": "brightness",
               "glare": "glare", "lowres": "resolution", "gray": "color"}


def severity(degradation: str, param: str, labels=()) -> str:
    """`none`, `mild` (a reviewer would accept it; the engine need not catch it), `moderate`
    (labelled, may pass or warn) or `strong` (the family's check must not pass).
    `labels`: the source's inherent labels (or the manifest's `expect` set): `overexpose` of a
    `lowkey` source is at most moderate. The rule is repeated in tests/photos/README.md."""
    if (degradation == "overexpose" and "lowkey" in labels) or (
        degradation == "motion" and "sparse" in labels
    ) or (degradation == "glare" and "glare" in labels):
        # A low-key scene ×3 is a normal exposure; motion over a blank sky or fog is barely
        # visible; a spot inside already blown-out white bands is not a separate highlight.
        sev = severity(degradation, param)
        return "moderate" if sev == "strong" else sev
    if degradation == "none":
        return "none"
    if degradation in ("gray", "gray_tint"):
        return "strong"  # the colour check must at least warn (it has no fail level)
    if degradation == "exposure_srgb":
        return "strong"
    if degradation == "motion":
        v = float(param.split("@")[0])
        return "mild" if v <= 10 else "strong" if v >= 30 else "moderate"
    v = float(param)
    if degradation in ("gauss", "glare", "overexpose"):
        lo, hi = {"gauss": (2, 6), "glare": (1, 4), "overexpose": (1.5, 3)}[degradation]
        return "mild" if v <= lo else "strong" if v >= hi else "moderate"
    if degradation == "exposure":
        return "mild" if v >= 0.5 else "strong" if v <= 0.12 else "moderate"
    if degradation == "downscale":
        return "mild" if v >= 1280 else "strong" if v <= 640 else "moderate"
    raise ValueError(degradation)


def expect_label(degradation: str, param: str, inherent: tuple[str, ...] = ()) -> str:
    """The manifest's `expect`: `mild` for mild levels, else the family label (`good` for none)."""
    return "mild" if severity(degradation, param, inherent) == "mild" else FAMILY[degradation][0]


# ----------------------------------------------------------------------------------------
# helpers


def seed_of(*parts: str) -> int:
    return int.from_bytes(hashlib.sha256("/".join(parts).encode()).digest()[:8], "little")


def rng_for(*parts: str) -> np.random.Generator:
    return np.random.default_rng(seed_of(*parts))


def largest_image(name: str) -> Path:
    d = WALLPAPERS / name / "contents" / "images"
    best = max((p for p in d.iterdir() if p.name[0].isdigit()),
               key=lambda p: int(p.stem.split("x")[0]) * int(p.stem.split("x")[1]))
    return best


def wallpaper_meta(name: str) -> dict:
    d = WALLPAPERS / name
    if (d / "metadata.json").exists():
        j = json.loads((d / "metadata.json").read_text())
        kp = j.get("KPlugin", {})
        authors = ", ".join(a.get("Name", "") for a in kp.get("Authors", []))
        return {"title": kp.get("Name", name), "author": authors, "license": kp.get("License", "")}
    meta = {"title": name, "author": "", "license": ""}
    for line in (d / "metadata.desktop").read_text().splitlines():
        k, _, v = line.partition("=")
        if k == "Name":
            meta["title"] = v
        elif k == "X-KDE-PluginInfo-Author":
            meta["author"] = v
        elif k == "X-KDE-PluginInfo-License":
            meta["license"] = v
    return meta


def fit_4x3(im: Image.Image, size=(W, H), box=None) -> Image.Image:
    """Centre-crop (or crop `box`) to 4:3 and resize with Lanczos."""
    im = im.convert("RGB")
    if box is None:
        w, h = im.size
        if w * 3 > h * 4:
            cw, ch = h * 4 / 3, h
        else:
            cw, ch = w, w * 3 / 4
        box = ((w - cw) / 2, (h - ch) / 2, (w + cw) / 2, (h + ch) / 2)
    return im.resize(size, Image.LANCZOS, box=box)


# sRGB <-> linear
def srgb_to_linear(a: np.ndarray) -> np.ndarray:
    a = a.astype(np.float32) / 255.0
    return np.where(a <= 0.04045, a / 12.92, ((a + 0.055) / 1.055) ** 2.4).astype(np.float32)


def linear_to_srgb_f(x: np.ndarray) -> np.ndarray:
    """Linear [0, 1] (clipped) -> sRGB code values 0..255 as float32."""
    x = np.clip(x, 0.0, 1.0)
    return (np.where(x <= 0.0031308, 12.92 * x, 1.055 * np.power(x, 1 / 2.4) - 0.055) * 255.0).astype(np.float32)


def linear_to_srgb(x: np.ndarray) -> np.ndarray:
    return to_u8(linear_to_srgb_f(x))


def to_u8(x: np.ndarray) -> np.ndarray:
    return np.clip(np.rint(x), 0, 255).astype(np.uint8)


# ----------------------------------------------------------------------------------------
# degradations


def motion_blur(img: Image.Image, length: int, angle_deg: float) -> Image.Image:
    """Average along a straight line segment of `length` px at `angle_deg` in {0, 45, 90, 135}
    (0 = horizontal, 90 = vertical, counter-clockwise as seen on screen), centred.

    The segment is sampled at the pixels it passes through, no interpolation: 0/90 deg are
    rows/columns (taps 1 px apart), 45/135 deg are exact pixel diagonals (taps sqrt(2) px
    apart), made contiguous by shearing row y by y pixels. Weights: each tap gets the length
    of the segment inside its cell, i.e. full taps and fractional end taps, sum = length."""
    a = np.asarray(img)
    ang = angle_deg % 180
    if ang == 0:
        return Image.fromarray(np.stack([to_u8(_seg_avg(a[:, :, c], length / 2)) for c in range(3)], 2))
    if ang == 90:
        return Image.fromarray(np.stack([to_u8(_seg_avg(a[:, :, c].T, length / 2).T) for c in range(3)], 2))
    if ang not in (45, 135):
        raise ValueError("motion angle must be 0, 45, 90 or 135")
    r = length / (2 * math.sqrt(2))  # half-length in diagonal steps
    pad = int(math.ceil(r)) + 2
    h0, w0 = a.shape[:2]
    chans = []
    for ch in range(3):
        x = np.pad(a[:, :, ch], pad, mode="edge")
        hp, wp = x.shape
        sh = np.zeros((hp, wp + hp), np.uint8)
        # 45 deg (up-right): pixels (x+k, y-k) share column x+y; 135 deg: (x+k, y+k) share x-y.
        offs = np.arange(hp) if ang == 45 else hp - 1 - np.arange(hp)
        for y in range(hp):
            sh[y, offs[y]: offs[y] + wp] = x[y]
        bl = _seg_avg(sh.T, r).T  # along columns
        out = np.empty((h0, w0), np.float32)
        for y in range(h0):
            o = offs[y + pad] + pad
            out[y] = bl[y + pad, o: o + w0]
        chans.append(to_u8(out))
    return Image.fromarray(np.stack(chans, 2))


def _seg_avg(x: np.ndarray, r: float) -> np.ndarray:
    """Along axis 1: average over a centred segment of half-length r taps (full taps |k| <=
    floor(r - 0.5), end taps weighted r - floor(r - 0.5) - 0.5), edge-clamped; float32."""
    k0 = int(math.floor(r - 0.5))
    we = r - (k0 + 0.5)
    m = k0 + 1
    n = x.shape[1]
    xp = np.pad(x.astype(np.float32), ((0, 0), (m, m)), mode="edge")
    cs = np.zeros((xp.shape[0], xp.shape[1] + 1), np.float64)
    np.cumsum(xp, axis=1, out=cs[:, 1:])
    tot = cs[:, m + k0 + 1: m + k0 + 1 + n] - cs[:, m - k0: m - k0 + n]
    if we > 0:
        tot += we * (xp[:, 0:n] + xp[:, 2 * m: 2 * m + n])
    return (tot / (2 * r)).astype(np.float32)


def add_glare(img: Image.Image, center: tuple[float, float], sigma: float,
              amplitude: float = 1.6) -> Image.Image:
    """Additive white Gaussian spot in linear light, clipped: the core saturates to 255."""
    a = np.asarray(img)
    cx, cy = center
    r = int(4 * sigma)
    x0, x1 = max(0, int(cx - r)), min(a.shape[1], int(cx + r) + 1)
    y0, y1 = max(0, int(cy - r)), min(a.shape[0], int(cy + r) + 1)
    out = a.copy()
    if x0 >= x1 or y0 >= y1:
        return img
    yy, xx = np.mgrid[y0:y1, x0:x1].astype(np.float32)
    g = np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * sigma * sigma))
    lin = srgb_to_linear(a[y0:y1, x0:x1]) + amplitude * g[:, :, None]
    out[y0:y1, x0:x1] = linear_to_srgb(lin)
    return Image.fromarray(out)


def degrade(base: Image.Image, deg: str, param: str, src: "Source") -> Image.Image:
    if deg == "none":
        return base
    if deg == "gauss":
        return base.filter(ImageFilter.GaussianBlur(radius=float(param)))
    if deg == "motion":
        n, ang = param.split("@")
        return motion_blur(base, int(n), float(ang))
    if deg == "exposure":
        return Image.fromarray(linear_to_srgb(srgb_to_linear(np.asarray(base)) * float(param)))
    if deg == "exposure_srgb":
        return Image.fromarray(to_u8(np.asarray(base).astype(np.float32) * float(param)))
    if deg == "overexpose":
        return Image.fromarray(linear_to_srgb(srgb_to_linear(np.asarray(base)) * float(param)))
    if deg == "glare":
        return add_glare(base, src.glare_center(param), float(param) / 100 * min(W, H))
    if deg == "downscale":
        long = int(param)
        return base.resize((long, long * 3 // 4), Image.LANCZOS)
    if deg in ("gray", "gray_tint"):
        g = np.asarray(base.convert("L"))
        a = np.repeat(g[:, :, None], 3, axis=2).astype(np.int16)
        if deg == "gray_tint":
            a[:, :, 0] += 6
            a[:, :, 2] -= 4
        return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))
    raise ValueError(deg)


# ----------------------------------------------------------------------------------------
# synthetic ID card scenes

SURNAMES = "张王李刘陈杨赵黄周吴徐孙"
GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "磊", "洋", "艳", "勇", "军", "杰", "晓明", "海燕"]
ADDR = [("北京市朝阳区建国路", "号院{b}号楼{r}室"), ("上海市浦东新区世纪大道", "弄{b}号{r}室"),
        ("广东省广州市天河区体育西路", "号{b}栋{r}房"), ("四川省成都市武侯区人民南路", "号{b}幢{r}号"),
        ("浙江省杭州市西湖区文三路", "号{b}单元{r}室"), ("湖北省武汉市洪山区珞喻路", "号{b}栋{r}室")]
REGIONS = ["110105", "310115", "440106", "510107", "330106", "420111"]
ETHNIC = ["汉", "汉", "汉", "回", "满", "壮"]
AUTHORITY = ["北京市公安局朝阳分局", "上海市公安局浦东分局", "广州市公安局天河区分局",
             "成都市公安局武侯区分局", "杭州市公安局西湖区分局", "武汉市公安局洪山区分局"]


def id_check_char(body17: str) -> str:
    w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return "10X98765432"[sum(int(d) * k for d, k in zip(body17, w)) % 11]


def fake_id(rng: np.random.Generator, region: str, y: int, m: int, d: int, male: bool) -> str:
    while True:
        seq = int(rng.integers(0, 1000))
        if (seq % 2 == 1) != male:
            continue
        body = f"{region}{y:04d}{m:02d}{d:02d}{seq:03d}"
        ch = id_check_char(body)
        if ch != "X":  # keep it 18 digits
            return body + ch


def font(px: float) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONT, max(8, int(round(px))), index=FONT_SC)


def draw_guilloche(d: ImageDraw.ImageDraw, wpx: int, hpx: int, s: float, rng, light: bool):
    lw = max(1, int(round(0.07 * s)))
    pal = [(150, 190, 225), (230, 165, 190), (160, 210, 175), (205, 180, 230), (235, 200, 150)]
    if light:
        pal = [tuple(int(255 - (255 - c) * 0.6) for c in p) for p in pal]
    # wavy horizontal bands
    xs = np.linspace(0, wpx, 400)
    for k in range(70):
        y0 = rng.uniform(-0.1, 1.1) * hpx
        amp = rng.uniform(1.0, 5.0) * s
        lam = rng.uniform(12, 40) * s
        ph = rng.uniform(0, 2 * math.pi)
        col = pal[k % len(pal)]
        pts = [(float(x), float(y0 + amp * math.sin(2 * math.pi * x / lam + ph))) for x in xs]
        d.line(pts, fill=col, width=lw)
    # two rosettes
    for _ in range(2):
        cx, cy = rng.uniform(0.2, 0.8) * wpx, rng.uniform(0.25, 0.75) * hpx
        R = rng.uniform(10, 18) * s
        n1, n2 = int(rng.integers(5, 11)), int(rng.integers(13, 29))
        col = pal[int(rng.integers(0, len(pal)))]
        for k in range(14):
            t = np.linspace(0, 2 * math.pi, 1500)
            rr = R * (0.55 + 0.25 * np.sin(n1 * t + k * 0.45) + 0.12 * np.sin(n2 * t))
            pts = list(zip((cx + rr * np.cos(t)).tolist(), (cy + rr * np.sin(t)).tolist()))
            d.line(pts, fill=col, width=lw)


def portrait_crop() -> Image.Image:
    from skimage import data
    a = data.astronaut()
    return Image.fromarray(a).crop((129, 10, 319, 244))  # head and shoulders, 26:32


def render_card(side: str, wpx: int, rng: np.random.Generator, light: bool) -> Image.Image:
    """RGBA card, wpx wide, ID-1 aspect, rounded corners."""
    s = wpx / ID1_W_MM
    hpx = int(round(ID1_H_MM * s))
    # light background gradient
    c0 = np.array([238, 243, 247]) if not light else np.array([248, 249, 250])
    c1 = c0 + rng.integers(-10, 6, 3)
    gx = np.linspace(0, 1, wpx, dtype=np.float32)[None, :, None]
    gy = np.linspace(0, 1, hpx, dtype=np.float32)[:, None, None]
    bg = c0 * (1 - 0.6 * gx - 0.4 * gy) + c1 * (0.6 * gx + 0.4 * gy)
    card = Image.fromarray(to_u8(np.broadcast_to(bg, (hpx, wpx, 3))))
    d = ImageDraw.Draw(card)
    draw_guilloche(d, wpx, hpx, s, rng, light)
    label_c, value_c = (45, 95, 160), (25, 25, 25)
    if side == "front":
        male = bool(rng.integers(0, 2))
        name = SURNAMES[int(rng.integers(0, len(SURNAMES)))] + GIVEN[int(rng.integers(0, len(GIVEN)))]
        y, m, dd = int(rng.integers(1960, 2004)), int(rng.integers(1, 13)), int(rng.integers(1, 29))
        k = int(rng.integers(0, len(ADDR)))
        street, rest = ADDR[k]
        addr = street + f"{int(rng.integers(1, 400))}" + rest.format(b=int(rng.integers(1, 30)),
                                                                   r=int(rng.integers(101, 2999)))
        addr_lines = [addr[i:i + 11] for i in range(0, len(addr), 11)][:3]  # 11 glyphs fit left of the photo
        idn = fake_id(rng, REGIONS[k], y, m, dd, male)
        fl, fv = font(3.0 * s), font(3.6 * s)
        rows = [("姓名", name, 9.5), ("性别", "男" if male else "女", 16.0), ("出生", f"{y} 年 {m} 月 {dd} 日", 22.5),
                ("住址", addr_lines[0], 29.0)]
        for lab, val, ymm in rows:
            d.text((6 * s, ymm * s), lab, font=fl, fill=label_c, anchor="ls")
            d.text((16 * s, ymm * s), val, font=fv, fill=value_c, anchor="ls")
        d.text((30 * s, 16.0 * s), "民族", font=fl, fill=label_c, anchor="ls")
        d.text((38 * s, 16.0 * s), ETHNIC[k], font=fv, fill=value_c, anchor="ls")
        for i, line in enumerate(addr_lines[1:]):
            d.text((16 * s, (34.5 + 5.5 * i) * s), line, font=fv, fill=value_c, anchor="ls")
        d.text((6 * s, 47.5 * s), "公民身份号码", font=fl, fill=label_c, anchor="ls")
        d.text((27 * s, 47.8 * s), idn, font=font(4.2 * s), fill=value_c, anchor="ls")
        p = portrait_crop().resize((int(25 * s), int(31 * s)), Image.LANCZOS)
        card.paste(p, (int(56 * s), int(6 * s)))
    else:
        # emblem-like mark: red disc, rings and a star (not the real emblem)
        cx, cy, R = 14 * s, 15 * s, 9.5 * s
        red, gold = (200, 30, 35), (245, 200, 60)
        d.ellipse((cx - R, cy - R, cx + R, cy + R), fill=red)
        for f in (0.82, 0.64):
            d.ellipse((cx - R * f, cy - R * f, cx + R * f, cy + R * f), outline=gold, width=max(1, int(0.35 * s)))
        star = []
        for i in range(10):
            rr = (0.42 if i % 2 == 0 else 0.17) * R
            t = -math.pi / 2 + i * math.pi / 5
            star.append((cx + rr * math.cos(t), cy + rr * math.sin(t)))
        d.polygon(star, fill=gold)
        d.text((30 * s, 14 * s), "中华人民共和国", font=font(5.0 * s), fill=(30, 30, 30), anchor="ls")
        d.text((30 * s, 25 * s), "居民身份证", font=font(7.5 * s), fill=(30, 30, 30), anchor="ls",
               stroke_width=max(1, int(0.15 * s)), stroke_fill=(30, 30, 30))
        y0 = int(rng.integers(2010, 2022))
        mm, dd = int(rng.integers(1, 13)), int(rng.integers(1, 29))
        fl, fv = font(3.0 * s), font(3.5 * s)
        d.text((16 * s, 41 * s), "签发机关", font=fl, fill=value_c, anchor="ls")
        d.text((32 * s, 41 * s), AUTHORITY[int(rng.integers(0, len(AUTHORITY)))], font=fv, fill=value_c, anchor="ls")
        d.text((16 * s, 48 * s), "有效期限", font=fl, fill=value_c, anchor="ls")
        d.text((32 * s, 48 * s), f"{y0}.{mm:02d}.{dd:02d}-{y0 + 20}.{mm:02d}.{dd:02d}", font=fv,
               fill=value_c, anchor="ls")
    mask = Image.new("L", card.size, 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, wpx - 1, hpx - 1), radius=ID1_R_MM * s, fill=255)
    card.putalpha(mask)
    return card


def homography(src_pts, dst_pts) -> np.ndarray:
    """3x3 H with dst ~ H @ src."""
    A, b = [], []
    for (x, y), (u, v) in zip(src_pts, dst_pts):
        A.append([x, y, 1, 0, 0, 0, -u * x, -u * y]); b.append(u)
        A.append([0, 0, 0, x, y, 1, -v * x, -v * y]); b.append(v)
    h = np.linalg.solve(np.array(A, float), np.array(b, float))
    return np.append(h, 1).reshape(3, 3)


def card_quad(rng: np.random.Generator, coverage: float) -> np.ndarray:
    """Corners (TL, TR, BR, BL) of a tilted ID-1 card in the 4032x3024 frame: in-plane rotation
    up to 8 degrees, tilt up to 10, inside the frame (the quality fixtures' card scenes)."""
    return card_quad_ex(rng, coverage, rot_deg=8, tilt_deg=10)


def compose_card(bg: Image.Image, q: np.ndarray, side: str, rng: np.random.Generator, light: bool,
                 meta: dict, frame: tuple[int, int] = (W, H)) -> Image.Image:
    """Lays a rendered ID-1 card (`side` front/back) with corners `q` (TL, TR, BR, BL, frame px)
    on `bg`: contact shadow, gentle uneven light, phone-like auto-exposure on the card's paper
    white (luma p99 -> 200-230) and sensor noise. Records corners and homography in `meta`."""
    top = max(np.linalg.norm(q[1] - q[0]), np.linalg.norm(q[2] - q[3]))
    card = render_card(side, int(math.ceil(top)), rng, light)
    return compose(bg, q, card, rng, meta, frame)


def compose(bg: Image.Image, q: np.ndarray, card: Image.Image, rng: np.random.Generator, meta: dict,
            frame: tuple[int, int] = (W, H)) -> Image.Image:
    """Lays the rendered document `card` (RGBA, alpha: its outline) with corners `q` on `bg`, as
    [`compose_card`] describes."""
    fw, fh = frame
    cw, ch = card.size
    # frame -> card homography for PIL's PERSPECTIVE transform
    Hm = homography(q, [(0, 0), (cw, 0), (cw, ch), (0, ch)])
    coeffs = tuple((Hm / Hm[2, 2]).flatten()[:8])
    warped = card.transform((fw, fh), Image.PERSPECTIVE, coeffs, resample=Image.BICUBIC)
    a = np.asarray(warped, np.float32)
    alpha = a[:, :, 3:4] / 255.0
    # soft contact shadow
    sh = warped.getchannel("A").filter(ImageFilter.GaussianBlur(0.012 * fw))
    sh = np.asarray(sh, np.float32)[:, :, None] / 255.0
    sh = np.roll(sh, (int(0.008 * fh), int(0.006 * fw)), axis=(0, 1))
    b = np.asarray(bg, np.float32) * (1 - 0.35 * sh)
    out = b * (1 - alpha) + a[:, :, :3] * alpha
    # gentle uneven illumination
    yy, xx = np.mgrid[0:fh, 0:fw].astype(np.float32)
    gx, gy = rng.uniform(-1, 1, 2)
    illum = 1.0 + 0.06 * (gx * (xx / fw - 0.5) + gy * (yy / fh - 0.5))
    out = np.maximum(out * illum[:, :, None], 0)  # may exceed 255 until the exposure below
    # auto-exposure as a phone would meter a document: scale (linear light) so the card's
    # paper white, the 99th percentile of luma on the card, lands at 200-230
    inside = alpha[:, :, 0] > 0.5
    luma = out[:, :, 0] * 0.2126 + out[:, :, 1] * 0.7152 + out[:, :, 2] * 0.0722
    p99 = float(np.percentile(luma[inside], 99)) if inside.any() else 230.0
    target = float(rng.uniform(200, 230))
    gain = float(srgb_to_linear(np.array([target]))[0] / srgb_to_linear(np.array([p99]))[0])
    out = linear_to_srgb_f(srgb_to_linear(out) * gain)
    # mild sensor noise
    out = out + rng.normal(0, 1.5, out.shape).astype(np.float32)
    meta.update({
        "paper_white_before_ae": round(p99, 1), "paper_white_target": round(target, 1),
        "ae_gain_linear": round(gain, 3),
        "corners": [[round(float(x), 1), round(float(y), 1)] for x, y in q],
        "card_to_frame": np.linalg.inv(Hm).tolist(),
        "card_px": [cw, ch],
    })
    return Image.fromarray(to_u8(out))


@dataclass
class Source:
    id: str
    kind: str  # wallpaper | card-front | card-back
    split: str = ""
    slot: str = ""
    inherent: tuple[str, ...] = ()
    wallpaper: str = ""  # wallpaper name (the photo, or the card's table)
    light: bool = False
    meta: dict = field(default_factory=dict)

    def build(self) -> Image.Image:
        if self.kind == "wallpaper":
            return fit_4x3(Image.open(largest_image(self.wallpaper)))
        return self._build_card_scene()

    def _background(self, rng) -> Image.Image:
        im = Image.open(largest_image(self.wallpaper)).convert("RGB")
        if not self.light:
            return fit_4x3(im)
        # light table: the brightest 4:3 window of 60 % size (searched on a coarse grid)
        w, h = im.size
        cw = 0.6 * min(w, h * 4 / 3)
        ch = cw * 3 / 4
        L = np.asarray(im.convert("L").resize((64, 64), Image.BOX), np.float32)
        best, box = -1.0, None
        for fx in np.linspace(0, 1, 9):
            for fy in np.linspace(0, 1, 9):
                x0, y0 = fx * (w - cw), fy * (h - ch)
                sub = L[int(y0 / h * 64): int((y0 + ch) / h * 64), int(x0 / w * 64): int((x0 + cw) / w * 64)]
                m = float(np.percentile(sub, 10))
                if m > best:
                    best, box = m, (x0, y0, x0 + cw, y0 + ch)
        return fit_4x3(im, box=box)

    def _build_card_scene(self) -> Image.Image:
        rng = rng_for(self.id, "scene")
        coverage = float(rng.uniform(0.35, 0.70))
        bg = self._background(rng)
        q = card_quad(rng, coverage)
        out = compose_card(bg, q, "front" if self.kind == "card-front" else "back", rng, self.light, self.meta)
        self.meta["coverage"] = round(coverage, 3)
        return out

    def glare_center(self, param: str) -> tuple[float, float]:
        rng = rng_for(self.id, "glare", param)
        if self.kind == "wallpaper":
            return (float(rng.uniform(0.25, 0.75) * W), float(rng.uniform(0.25, 0.75) * H))
        cw, ch = self.meta["card_px"]
        u, v = rng.uniform(0.2, 0.8) * cw, rng.uniform(0.2, 0.8) * ch
        p = np.array(self.meta["card_to_frame"]) @ np.array([u, v, 1.0])
        return (float(p[0] / p[2]), float(p[1] / p[2]))


def all_sources() -> list[Source]:
    wps = [Source(id=f"wp-{n}", kind="wallpaper", wallpaper=n, inherent=PHOTO_WALLPAPERS[n],
                  meta={"origin": str(largest_image(n)), **wallpaper_meta(n)})
           for n in sorted(PHOTO_WALLPAPERS)]
    cards = [Source(id=f"card-front-{i:02d}", kind="card-front") for i in range(1, 10)]
    cards += [Source(id=f"card-back-{i:02d}", kind="card-back") for i in range(1, 4)]
    # split: per kind, order by hash, the first round(30 %) go to holdout
    for kind in ("wallpaper", "card-front", "card-back"):
        group = sorted((s for s in wps + cards if s.kind == kind), key=lambda s: seed_of(s.id, "split"))
        n_hold = round(0.3 * len(group))
        for i, s in enumerate(group):
            s.split = "holdout" if i < n_hold else "calib"
    # slots: ~1/3 of the wallpapers are passport-data, the rest face
    order = sorted(wps, key=lambda s: seed_of(s.id, "slot"))
    for i, s in enumerate(order):
        s.slot = "passport-data" if i < round(len(wps) / 3) else "face"
    # card tables: wallpapers of the same split, cycling; some light cards on light tables
    light_tables = ["summer_1am", "ColdRipple", "Grey", "BytheWater"]
    for split in ("calib", "holdout"):
        tables = [s.wallpaper for s in wps if s.split == split]
        lights = [t for t in light_tables if t in tables] or tables
        cs = [s for s in cards if s.split == split]
        n_light = n_dark = 0
        for i, s in enumerate(cs):
            s.light = i % 3 == 1
            if s.light:
                s.wallpaper, n_light = lights[n_light % len(lights)], n_light + 1
            else:
                s.wallpaper, n_dark = tables[n_dark % len(tables)], n_dark + 1
    for s in cards:
        s.slot = "id-front" if s.kind == "card-front" else "id-back"
        s.meta = {"table": s.wallpaper, "table_origin": str(largest_image(s.wallpaper)),
                  "light_card_on_light_table": s.light}
    return wps + cards



# ----------------------------------------------------------------------------------------
# presence fixtures (issue 5): the whole document in frame, document shape, one real face
#
#   python3 tools/photo_fixtures.py --set presence --out target/presence-fixtures [--jobs 2]
#
# Writes OUT/*.jpg and OUT/manifest.tsv with columns `file source split case slot framing face
# card_percent notes`: `framing` is `pass` (a whole card: `framing` must not fail),
# `fail` (cut off, tiny — under 4 % of the frame — or no card: must fail) or `-` (not judged); `card_percent` is the card's
# visible share of the frame in %; `face` is `one`, `several`,
# `none` (no person in the photo: no face may be found) or `-` (not judged, e.g. a person seen
# from the side). Scenes are split calib / holdout by a hash of their id; a second, `fresh` copy
# of the design (ids `f-…`, other random draws) was first run after the framing and face
# parameters were fixed.

PRESENCE_COLUMNS = ["file", "source", "split", "case", "slot", "framing", "face", "card_percent", "notes"]
# scikit-image sample photographs without a person (licences: skimage.data docstrings)
NO_PERSON = {"chelsea": "cat, CC0 (Stefan van der Walt)", "coffee": "CC0 (Rachel Michetti)",
             "rocket": "public domain (SpaceX)", "hubble_deep_field": "public domain (NASA)",
             "retina": "CC0 (Mikael Häggström, Wikimedia)", "brick": "CC0 (CC0Textures)",
             "grass": "CC0 (linolafett, DeviantArt)", "gravel": "CC0 (CC0Textures)",
             "coins": "no known copyright restrictions (Brooklyn Museum)"}


def card_quad_ex(rng: np.random.Generator, coverage: float, rot_deg: float, tilt_deg: float,
                 place: str = "inside", region=None,
                 size_mm: tuple[float, float] = (ID1_W_MM, ID1_H_MM)) -> np.ndarray:
    """Corners (TL, TR, BR, BL) of an ID-1 card (or a document of `size_mm`) covering `coverage` of the frame, rotated in
    plane by +-rot_deg and tilted by up to tilt_deg about both axes (f = 3000 px).
    place: `inside` (>= 3 % margin), `cut` (shifted over a random frame edge or corner by 5-30 %
    of the card's extent), or `region` (bounding box inside region=(x0, y0, x1, y1))."""
    f = 3000.0
    rot = math.radians(rng.uniform(-rot_deg, rot_deg))
    ax, ay = math.radians(rng.uniform(-tilt_deg, tilt_deg)), math.radians(rng.uniform(-tilt_deg, tilt_deg))
    Rz = np.array([[math.cos(rot), -math.sin(rot), 0], [math.sin(rot), math.cos(rot), 0], [0, 0, 1]])
    Rx = np.array([[1, 0, 0], [0, math.cos(ax), -math.sin(ax)], [0, math.sin(ax), math.cos(ax)]])
    Ry = np.array([[math.cos(ay), 0, math.sin(ay)], [0, 1, 0], [-math.sin(ay), 0, math.cos(ay)]])
    R = Ry @ Rx @ Rz
    base = np.array([[-1, -1, 0], [1, -1, 0], [1, 1, 0], [-1, 1, 0]], float) * [size_mm[0] / 2, size_mm[1] / 2, 0]

    def project(scale):
        p = (R @ (base * scale).T).T
        z = p[:, 2] + f
        return np.stack([f * p[:, 0] / z, f * p[:, 1] / z], 1)

    def area(q):
        x, y = q[:, 0], q[:, 1]
        return 0.5 * abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))

    scale = math.sqrt(coverage * W * H / (size_mm[0] * size_mm[1]))
    for _ in range(60):
        scale *= math.sqrt(coverage * W * H / area(project(scale)))
    x0, y0, x1, y1 = region if place == "region" else (0, 0, W, H)
    margin = 0.03 * min(W, H)
    while True:
        q = project(scale)
        lo, hi = q.min(0), q.max(0)
        room_x = (x1 - x0 - 2 * margin) - (hi[0] - lo[0])
        room_y = (y1 - y0 - 2 * margin) - (hi[1] - lo[1])
        if room_x >= 0 and room_y >= 0:
            break
        scale *= 0.98
    off = np.array([x0 + margin - lo[0] + rng.uniform(0, room_x), y0 + margin - lo[1] + rng.uniform(0, room_y)])
    q = q + off
    if place == "cut":
        lo, hi = q.min(0), q.max(0)
        ext = hi - lo
        d = int(rng.integers(0, 8))  # 0-3: an edge (L, R, T, B); 4-7: a corner
        frac = rng.uniform(0.05, 0.30, 2)
        shift = np.zeros(2)
        sx = [(-1, 0), (1, 0), (0, -1), (0, 1), (-1, -1), (1, -1), (1, 1), (-1, 1)][d]
        for ax_i, sgn in enumerate(sx):
            if sgn < 0:
                shift[ax_i] = -lo[ax_i] - frac[ax_i] * ext[ax_i]
            elif sgn > 0:
                shift[ax_i] = (W, H)[ax_i] - hi[ax_i] + frac[ax_i] * ext[ax_i]
        q = q + shift
    return q


def astronaut_rgba(height: int, mirror: bool) -> Image.Image:
    """scikit-image's astronaut portrait (Eileen Collins, NASA, public domain), `height` px,
    with feathered edges (no hard rectangle)."""
    from skimage import data
    im = Image.fromarray(data.astronaut())
    if mirror:
        im = im.transpose(Image.FLIP_LEFT_RIGHT)
    im = im.resize((height, height), Image.LANCZOS).convert("RGBA")
    mask = Image.new("L", im.size, 0)
    r = int(0.06 * height)
    ImageDraw.Draw(mask).rectangle((r, r, height - r, height), fill=255)
    im.putalpha(mask.filter(ImageFilter.GaussianBlur(r / 2)))
    return im


def skimage_photo(name: str) -> Image.Image:
    from skimage import data
    a = getattr(data, name)()
    if a.ndim == 2:
        a = np.repeat(a[:, :, None], 3, axis=2)
    return Image.fromarray(a[:, :, :3])


# The astronaut portrait's face as the detector boxes it, in units of the 512 px source image
# (unmirrored): a 100-unit square centred at (222, 117) (measured on the selfie scenes: boxes
# of 480-560 px for a 2570-2870 px portrait).
ASTRONAUT_FACE = (222.0, 117.0, 100.0)


def astronaut_person_mask(height: int, mirror: bool) -> Image.Image:
    """Where the astronaut portrait (as astronaut_rgba, `height` px) shows the person rather
    than the studio backdrop: the backdrop is a light, nearly grey wall (HSV saturation < 0.15,
    luma > 100); hair, skin, suit and collar are not. Smoothed, 0-255."""
    from skimage import data
    a = data.astronaut().astype(np.float32)
    mx, mn = a.max(2), a.min(2)
    sat = (mx - mn) / np.maximum(mx, 1)
    luma = a @ np.array([0.2126, 0.7152, 0.0722], np.float32)
    person = Image.fromarray(((sat > 0.15) | (luma < 100)).astype(np.uint8) * 255)
    # close pinholes (highlights in the hair), then a soft 1-unit edge
    person = person.filter(ImageFilter.MaxFilter(5)).filter(ImageFilter.MinFilter(3))
    person = person.filter(ImageFilter.GaussianBlur(1))
    if mirror:
        person = person.transpose(Image.FLIP_LEFT_RIGHT)
    return person.resize((height, height), Image.BILINEAR)


def draw_frame(out: Image.Image, p: dict, origin: tuple[int, int], hgt: int) -> tuple[Image.Image, list]:
    """A rectangular frame (moulding `thick` of the face-box size wide) around the astronaut's
    face, for the `framed` scenes. Its outer short side is `short` face boxes, its long side
    `aspect` times that, landscape, turned by `rot` degrees, its centre `dy` face boxes below
    the face's centre. `frame` is `front` (an empty picture frame held up around the face:
    drawn over everything) or `behind` (a frame on the wall behind the head: the person, hair
    and chin included, hides it where they overlap). Returns the image and the outer corners
    (TL, TR, BR, BL, frame px)."""
    fx, fy, fs = ASTRONAUT_FACE
    k = hgt / 512.0
    mirror = p.get("mirror", False)
    cx = origin[0] + k * ((512 - fx) if mirror else fx)
    cy = origin[1] + k * (fy + p["dy"] * fs)
    rot = math.radians(p["rot"])
    u, v = np.array([math.cos(rot), math.sin(rot)]), np.array([-math.sin(rot), math.cos(rot)])

    def corners(half_w, half_h):
        c = np.array([cx, cy])
        return [c + sx * half_w * u + sy * half_h * v for sx, sy in ((-1, -1), (1, -1), (1, 1), (-1, 1))]

    oh = k * fs * p["short"] / 2
    ow = oh * p["aspect"]
    t = k * fs * p["thick"]
    outer, inner = corners(ow, oh), corners(ow - t, oh - t)
    # anti-aliased ring mask, drawn at 2x
    m = Image.new("L", (2 * W, 2 * H), 0)
    d = ImageDraw.Draw(m)
    d.polygon([(2 * float(x), 2 * float(y)) for x, y in outer], fill=255)
    d.polygon([(2 * float(x), 2 * float(y)) for x, y in inner], fill=0)
    ring = np.asarray(m.resize((W, H), Image.BOX), np.float32) / 255.0
    if p["frame"] == "behind":
        person = Image.new("L", (W, H), 0)
        person.paste(astronaut_person_mask(hgt, mirror), origin)
        ring = ring * (1.0 - np.asarray(person, np.float32) / 255.0)
    # the moulding: a flat colour, lit a little from the top left, with a fine grain
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    shade = 1.0 + 0.08 * ((cx - xx) / max(ow, 1) + (cy - yy) / max(oh, 1)) / 2
    grain = rng_for(str(p["colour"]), str(p["rot"])).normal(0, 3.0, (H, W)).astype(np.float32)
    colour = np.array(p["colour"], np.float32)[None, None, :] * shade[:, :, None] + grain[:, :, None]
    a = np.asarray(out.convert("RGB"), np.float32)
    a = a * (1 - ring[:, :, None]) + np.clip(colour, 0, 255) * ring[:, :, None]
    return Image.fromarray(to_u8(a)), [[round(float(x), 1), round(float(y), 1)] for x, y in outer]


@dataclass
class PresenceScene:
    id: str
    case: str
    slot: str
    framing: str
    face: str
    table: str = ""
    params: dict = field(default_factory=dict)
    split: str = ""
    notes: str = ""

    def build(self) -> Image.Image:
        rng = rng_for(self.id, "presence")
        p = self.params
        meta: dict = {}
        if self.case in ("good", "light", "cut", "small", "tiny"):
            light = self.case == "light"
            src = Source(id=self.id, kind="card-front", wallpaper=self.table, light=light)
            bg = src._background(rng)
            q = card_quad_ex(rng, p["coverage"], p["rot"], p["tilt"], "cut" if self.case == "cut" else "inside")
            out = compose_card(bg, q, p["side"], rng, light, meta)
        elif self.case == "nocard":
            im = Image.open(largest_image(self.table)) if self.table else skimage_photo(p["photo"])
            box = None
            if "crop" in p:  # a random window of `crop` of the photo's size (another view)
                w0, h0 = im.size
                cw = p["crop"] * min(w0, h0 * 4 / 3)
                ch = cw * 3 / 4
                x0, y0 = rng.uniform(0, w0 - cw), rng.uniform(0, h0 - ch)
                box = (x0, y0, x0 + cw, y0 + ch)
            out = fit_4x3(im, box=box)
        elif self.case in ("portrait", "several", "selfie", "held", "framed"):
            bg = fit_4x3(Image.open(largest_image(self.table)))
            hgt = int(p["scale"] * H)
            people = [(p["x"], p.get("mirror", False))] + ([(p["x2"], not p.get("mirror", False))] if self.case == "several" else [])
            for x, mirror in people:
                person = astronaut_rgba(hgt, mirror)
                bg.paste(person, (int(x * W - hgt / 2), H - hgt), person)
            out = bg
            if self.case == "framed":
                bg, self.params["frame_corners"] = draw_frame(bg, p, (int(p["x"] * W - hgt / 2), H - hgt), hgt)
                out = bg
            if self.case in ("selfie", "held") or (self.case == "framed" and p["side"] != "none"):
                region = (0, H * 0.45, W * 0.42, H) if p["x"] > 0.5 else (W * 0.58, H * 0.45, W, H)
                q = card_quad_ex(rng, p["coverage"], 20, 15, "region", region)
                out = compose_card(bg, q, p["side"], rng, False, meta)
                if self.case == "held":
                    # a thumb over the middle of the card's bottom or side edge: a skin-toned,
                    # softly shaded ellipse covering `thumb` of that edge's length
                    k = int(rng.integers(0, 3))  # 0: bottom edge, 1: left edge, 2: right edge
                    a, b = [(q[3], q[2]), (q[0], q[3]), (q[1], q[2])][k]
                    mid, edge = (a + b) / 2, float(np.linalg.norm(b - a))
                    rx = ry = 0.0
                    if k == 0:
                        rx, ry = p["thumb"] * edge / 2, 0.5 * p["thumb"] * edge * 1.6
                    else:
                        rx, ry = 0.5 * p["thumb"] * edge * 1.6, p["thumb"] * edge / 2
                    layer = Image.new("RGBA", (W, H), (0, 0, 0, 0))
                    ImageDraw.Draw(layer).ellipse((mid[0] - rx, mid[1] - ry, mid[0] + rx, mid[1] + ry),
                                                  fill=(214, 160, 128, 255))
                    layer = layer.filter(ImageFilter.GaussianBlur(6))
                    out = Image.alpha_composite(out.convert("RGBA"), layer).convert("RGB")
                    self.params["thumb_edge"] = ["bottom", "left", "right"][k]
        elif self.case == "animal":
            bg = fit_4x3(Image.open(largest_image(self.table)))
            cat = skimage_photo("chelsea")
            hgt = int(p["scale"] * H)
            cat = cat.resize((int(hgt * cat.width / cat.height), hgt), Image.LANCZOS)
            bg.paste(cat, (int(p["x"] * W - cat.width / 2), H - hgt))
            out = bg
        else:
            raise ValueError(self.case)
        if "corners" in meta:
            q = np.array(meta["corners"])
            x, y = q[:, 0], q[:, 1]
            self.params["corners"] = meta["corners"]
            # The card's real share of the frame (inside the frame only; 4 decimals)
            from PIL import ImageDraw as _D
            m = Image.new("L", (W // 8, H // 8), 0)
            _D.Draw(m).polygon([(float(a) / 8, float(b) / 8) for a, b in zip(x, y)], fill=1)
            self.params["card_percent"] = round(float(np.asarray(m).mean()) * 100, 1)
        return out


def presence_scenes(variant: str = "") -> list[PresenceScene]:
    """The scenes; `variant` (e.g. `f-`) prefixes every id, so every random choice differs:
    a fresh set of the same design (no-card photos become random 60 % windows)."""
    tables = sorted(PHOTO_WALLPAPERS)
    light_tables = ["summer_1am", "ColdRipple", "Grey", "BytheWater"]
    out: list[PresenceScene] = []
    g = rng_for("presence-plan" + variant)
    for i in range(16):  # whole cards, rotated up to 30 deg and tilted up to 20 deg
        out.append(PresenceScene(f"good-{i:02d}", "good", "id-front" if i % 4 else "id-back", "pass", "-",
                                 tables[i % len(tables)],
                                 {"coverage": round(float(g.uniform(0.45, 0.8)), 3), "rot": 90.0 if i % 8 == 7 else 30.0,
                                  "tilt": 20.0, "side": "back" if i % 4 == 0 else "front"}))
    for i in range(6):  # light card on a light table
        out.append(PresenceScene(f"light-{i:02d}", "light", "id-front", "pass", "-", light_tables[i % 4],
                                 {"coverage": round(float(g.uniform(0.45, 0.8)), 3), "rot": 30.0, "tilt": 15.0,
                                  "side": "front" if i % 2 else "back"}))
    for i in range(12):  # a corner or an edge outside the frame
        out.append(PresenceScene(f"cut-{i:02d}", "cut", "id-front", "fail", "-", tables[(i + 3) % len(tables)],
                                 {"coverage": round(float(g.uniform(0.35, 0.8)), 3), "rot": 20.0, "tilt": 15.0,
                                  "side": "front" if i % 3 else "back"}))
    for i in range(8):  # the card on 6-20 % of a 12 MP frame: 13-24 px/mm, legible; under
        # 8 % the detector's lines are too short to be sure of (not judged)
        cov = round(float(g.uniform(0.06, 0.2)), 3)
        out.append(PresenceScene(f"small-{i:02d}", "small", "id-front", "pass" if cov >= 0.08 else "-", "-",
                                 tables[(i + 5) % len(tables)],
                                 {"coverage": cov, "rot": 30.0, "tilt": 15.0, "side": "front"}))
    crop = {"crop": 0.6} if variant else {}
    for t in tables:  # photographs without a card (or a person)
        out.append(PresenceScene(f"nocard-wp-{t}", "nocard", "id-front", "fail", "none", t, dict(crop)))
    for n, lic in NO_PERSON.items():
        out.append(PresenceScene(f"nocard-{n}", "nocard", "id-front", "fail", "none", "", {"photo": n, **crop},
                                 notes=lic))
    for i in range(10):  # one person: astronaut portrait on a photo background
        sc = [1.0, 0.9, 0.8, 0.7, 0.6, 0.95, 0.85, 0.75, 0.65, 1.0][i]
        out.append(PresenceScene(f"portrait-{i:02d}", "portrait", "face", "-", "one", tables[(i + 1) % len(tables)],
                                 {"scale": sc, "x": round(float(g.uniform(0.35, 0.65)), 3), "mirror": bool(i % 2)}))
    for i in range(4):  # two people
        out.append(PresenceScene(f"several-{i:02d}", "several", "face", "-", "several", tables[(i + 2) % len(tables)],
                                 {"scale": 0.7 + 0.05 * i, "x": 0.28, "x2": 0.72, "mirror": bool(i % 2)}))
    for i in range(8):  # selfie holding the card
        out.append(PresenceScene(f"selfie-{i:02d}", "selfie", "selfie-with-document", "pass", "one",
                                 tables[(i + 4) % len(tables)],
                                 {"scale": 0.85 + 0.05 * (i % 3), "x": 0.35 if i % 2 else 0.65,
                                  "coverage": round(float(g.uniform(0.07, 0.14)), 3), "side": "front" if i % 2 else "back",
                                  "mirror": bool(i % 2)}))
    for i in range(4):  # a cat where the person would be
        sc, x = ([0.6, 0.8, 1.0, 0.7][i], 0.5) if not variant else (float(g.uniform(0.5, 1.0)), float(g.uniform(0.3, 0.7)))
        out.append(PresenceScene(f"animal-{i:02d}", "animal", "face", "-", "none", tables[(i + 6) % len(tables)],
                                 {"scale": round(sc, 3), "x": round(x, 3)}, notes="skimage chelsea, CC0"))
    for i in range(6):  # selfie holding the card, a thumb over 12-25 % of one edge
        out.append(PresenceScene(f"held-{i:02d}", "held", "selfie-with-document", "pass", "one",
                                 tables[(i + 7) % len(tables)],
                                 {"scale": 0.85 + 0.05 * (i % 3), "x": 0.35 if i % 2 else 0.65,
                                  "coverage": round(float(g.uniform(0.08, 0.14)), 3), "side": "front" if i % 2 else "back",
                                  "mirror": bool(i % 2), "thumb": round(float(g.uniform(0.12, 0.25)), 3)}))
    # The shopper in front of a large rectangular frame: an empty picture frame held
    # up around the face (`front`) or a frame on the wall behind the head, hidden by hair and
    # chin where they overlap (`behind`); outer short side 1.22-1.3 face boxes, aspect
    # 1.45-1.9, whole in the photo. The face box is 0.77-0.82 of the outer short side (0.81-0.85
    # of the quad framing finds), above the printed-portrait band of face.rs (0.15-0.70).
    # Either no card (framing not judged: the frame may be taken for the document) or the
    # card's emblem side (no printed portrait, so the shopper's is the only face). The face
    # must count (`face-ok`) whichever quad framing finds.
    frames = [("behind", "none", (70, 46, 32)), ("front", "none", (236, 234, 228)),
              ("front", "back", (34, 32, 30)), ("behind", "back", (236, 234, 228))]
    for i, (where, side, colour) in enumerate(frames):
        out.append(PresenceScene(f"framed-{i:02d}", "framed", "selfie-with-document",
                                 "-" if side == "none" else "pass", "one", tables[(i + 9) % len(tables)],
                                 {"scale": 1.0 if where == "front" else 0.95, "x": 0.4 if i % 2 else 0.6,
                                  "mirror": bool(i % 2), "frame": where, "colour": list(colour),
                                  "short": round(float(g.uniform(1.22, 1.3)), 3),
                                  "aspect": round(float(g.uniform(1.45, 1.9)), 3),
                                  "rot": round(float(g.uniform(-4, 4) if where == "front" else g.uniform(-2, 2)), 2),
                                  "thick": 0.07, "dy": 0.0 if where == "front" else -0.3,
                                  "side": side, "coverage": round(float(g.uniform(0.06, 0.08)), 3)},
                                 notes=("empty picture frame held around the face" if where == "front" else
                                        "frame on the wall behind the head")
                                 + ("" if side == "none" else "; card, emblem side")))
    # The card on 1.5-3.5 % of the frame: under the 4 % floor of a document photo (appended
    # last, with their own draws, so the scenes above stay as they were).
    gt = rng_for("presence-tiny" + variant)
    for i in range(6):
        out.append(PresenceScene(f"tiny-{i:02d}", "tiny", "id-front", "fail", "-", tables[(i + 5) % len(tables)],
                                 {"coverage": round(float(gt.uniform(0.015, 0.035)), 3), "rot": 30.0, "tilt": 15.0,
                                  "side": "front"}))
    for s in out:
        s.id = variant + s.id
        s.split = "fresh" if variant else "calib" if seed_of(s.id, "split") % 2 == 0 else "holdout"
    return out


def process_presence(args) -> tuple[list[str], dict, float]:
    sc, out = args
    t0 = time.time()
    im = sc.build()
    assert im.size == (W, H), sc.id
    name = f"{sc.id}.jpg"
    im.convert("RGB").save(Path(out) / name, "JPEG", quality=JPEG_QUALITY, subsampling="4:2:0")
    row = [name, sc.id, sc.split, sc.case, sc.slot, sc.framing, sc.face, str(sc.params.get("card_percent", "")), sc.notes]
    return row, {"id": sc.id, "case": sc.case, "split": sc.split, "table": sc.table, **sc.params}, time.time() - t0


def quick_subset(sources: list[Source]) -> list[Source]:
    """3 calib (a wallpaper, a portrait side, an emblem side) + 2 holdout (wallpaper, portrait)."""
    pick = []
    for split, kinds in (("calib", ("wallpaper", "card-front", "card-back")), ("holdout", ("wallpaper", "card-front"))):
        for k in kinds:
            pick.append(next(s for s in sources if s.split == split and s.kind == k))
    return pick


def file_name(src: Source, deg: str, param: str) -> str:
    return f"{src.id}__{deg}" + (f"_{param}" if param else "") + ".jpg"


def process_source(args) -> tuple[list[list[str]], dict, float]:
    src, out = args
    t0 = time.time()
    base = src.build()
    assert base.size == (W, H)
    lum = np.asarray(base.convert("L"))
    src.meta["luma_p5_p50_p95"] = [float(v) for v in np.percentile(lum, [5, 50, 95])]
    src.meta["clipped_pct"] = round(float((lum >= 250).mean() * 100), 2)
    rows = []
    for deg, params in DEGRADATIONS:
        for p in params:
            im = degrade(base, deg, p, src)
            name = file_name(src, deg, p)
            im.save(Path(out) / name, "JPEG", quality=JPEG_QUALITY, subsampling="4:2:0")
            rows.append([name, src.id, src.split, deg, p, src.slot, expect_label(deg, p, src.inherent),
                         severity(deg, p, src.inherent), ",".join(src.inherent)])
    info = {"id": src.id, "kind": src.kind, "split": src.split, "slot": src.slot,
            "inherent": list(src.inherent), **src.meta}
    return rows, info, time.time() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default="target/photo-fixtures")
    ap.add_argument("--quick", action="store_true", help="3 calib + 2 holdout sources only")
    ap.add_argument("--jobs", type=int, default=1, help="parallel worker processes (one source each)")
    ap.add_argument("--only", nargs="*", help="only sources whose id contains one of these strings")
    ap.add_argument("--clean", action="store_true", help="delete OUT first")
    ap.add_argument("--set", default="quality", choices=["quality", "presence"],
                    help="quality: degradations (default); presence: framing and face scenes")
    ap.add_argument("--variant", default="",
                    help="presence: only a variant set with this id prefix (e.g. g-), split `fresh`")
    args = ap.parse_args()
    if args.set == "presence":
        return main_presence(args)
    t0 = time.time()
    out = Path(args.out)
    if args.clean and out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    sources = all_sources()
    if args.quick:
        sources = quick_subset(sources)
    if args.only:
        sources = [s for s in sources if any(o in s.id for o in args.only)]
    work = [(s, str(out)) for s in sources]
    results = []
    if args.jobs > 1:
        with Pool(args.jobs) as pool:
            for r in pool.imap(process_source, work):
                results.append(r)
                print(f"  {r[1]['id']:16s} {len(r[0])} files {r[2]:6.1f} s", flush=True)
    else:
        for w in work:
            r = process_source(w)
            results.append(r)
            print(f"  {r[1]['id']:16s} {len(r[0])} files {r[2]:6.1f} s", flush=True)
    rows = [row for r in results for row in r[0]]
    with open(out / "manifest.tsv", "w", encoding="utf-8") as fh:
        fh.write("\t".join(MANIFEST_COLUMNS) + "\n")
        for row in rows:
            fh.write("\t".join(row) + "\n")
    (out / "sources.json").write_text(json.dumps([r[1] for r in results], ensure_ascii=False, indent=1))
    size = sum((out / r[0]).stat().st_size for r in rows)
    print(f"{len(rows)} files from {len(sources)} sources in {time.time() - t0:.1f} s, "
          f"{size / 1e6:.0f} MB -> {out}/manifest.tsv")
    return 0


def main_presence(args) -> int:
    t0 = time.time()
    out = Path(args.out)
    if args.clean and out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    # The tuned set (calib/holdout) and a fresh one of the same design (split `fresh`,
    # generated after the thresholds were fixed; see docs/calibration.md).
    scenes = presence_scenes(args.variant) if args.variant else presence_scenes() + presence_scenes("f-")
    if args.only:
        scenes = [s for s in scenes if any(o in s.id for o in args.only)]
    work = [(s, str(out)) for s in scenes]
    results = []
    if args.jobs > 1:
        with Pool(args.jobs) as pool:
            results = list(pool.imap(process_presence, work))
    else:
        results = [process_presence(w) for w in work]
    with open(out / "manifest.tsv", "w", encoding="utf-8") as fh:
        fh.write("\t".join(PRESENCE_COLUMNS) + "\n")
        for r in results:
            fh.write("\t".join(r[0]) + "\n")
    (out / "scenes.json").write_text(json.dumps([r[1] for r in results], ensure_ascii=False, indent=1))
    print(f"{len(results)} presence scenes in {time.time() - t0:.1f} s -> {out}/manifest.tsv")
    return 0


if __name__ == "__main__":
    sys.exit(main())
