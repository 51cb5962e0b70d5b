#!/usr/bin/env python3
"""Camera videos for the live-capture E2E: Y4M (C420) files that Chromium plays as its fake
camera (--use-fake-device-for-media-stream --use-file-for-fake-video-capture=FILE).

Every document video is built from a *real* ID card: the card of a MIDV-500 frame in
../shared/realphotos (or REAL_PHOTOS), rectified with its ground-truth corners and laid, with
a slight perspective, on an out-of-focus desk (a FiveK photo of the same set, blurred).
720x960 portrait (4:3, what the app asks for), 15 fps. A segment's frames carry camera noise
(sigma 2) and a hand tremor (under 1 px); the steady segments move less than 0.5 px per frame.

    document-SOURCE.y4m  0-2 s no card | 2-3.6 s the card slides in from the right |
                         3.6-5.6 s defocused (Gaussian sigma 3.5 px) | 5.6-13 s sharp and steady
    dark-SOURCE.y4m      (first source only) the card steady, the scene at 9 % of its light (with more noise)
    glare-SOURCE.y4m     (first source only) the card steady under a blown-out highlight (15 % of the card)
    face.y4m             scikit-image's astronaut (NASA, public domain) centred, steady

    python3 tools/camera_videos.py --out target/camera-videos [--source midv500_5_14_06.jpg]

SEGMENTS (below) is the timeline the E2E test reads (written to OUT/segments.json).
"""
import argparse
import json
import os
import sys

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

W, H, FPS = 720, 960, 15
# Length of the document videos, s: the steady segment runs from 5.6 s to the end, long
# enough that an auto-capture delayed by a loaded machine still falls in it (Chromium loops
# the file: past the end the card is gone again).
DOCUMENT_SECONDS = 13.0

# Card on the frame: width in px (7.0 px/mm for an ID-1 card: 85.6 mm) and its centre.
CARD_W = 600
CARD_CENTRE = (360, 470)
SEGMENTS = {
    "document": [
        {"from": 0.0, "to": 2.0, "kind": "no-card"},
        {"from": 2.0, "to": 3.6, "kind": "sliding"},
        {"from": 3.6, "to": 5.6, "kind": "blurred"},
        {"from": 5.6, "to": DOCUMENT_SECONDS, "kind": "steady"},
    ],
    "dark": [{"from": 0.0, "to": 6.0, "kind": "dark"}],
    "glare": [{"from": 0.0, "to": 6.0, "kind": "glare"}],
    "face": [{"from": 0.0, "to": 6.0, "kind": "face"}],
}


def find_coeffs(dst, src):
    """PIL perspective coefficients mapping output points `dst` to input points `src`."""
    a = []
    for (x, y), (u, v) in zip(dst, src):
        a.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        a.append([0, 0, 0, x, y, 1, -v * x, -v * y])
    m = np.array(a, dtype=np.float64)
    b = np.array(src, dtype=np.float64).reshape(8)
    return np.linalg.solve(m, b).tolist()


def card_texture(photos, source):
    """The card of `source` rectified to 856x540 (10 px/mm), from its manifest corners."""
    with open(os.path.join(photos, "manifest.jsonl"), encoding="utf-8") as f:
        entry = next(j for j in map(json.loads, f) if j["file"] == source)
    img = Image.open(os.path.join(photos, source)).convert("RGB")
    quad = [tuple(map(float, p)) for p in entry["document_quad"]]
    # Long side first: the texture is landscape whatever way the card was held.
    d01 = np.hypot(*np.subtract(quad[1], quad[0]))
    d12 = np.hypot(*np.subtract(quad[2], quad[1]))
    if d12 > d01:
        quad = quad[1:] + quad[:1]
    tw, th = 856, 540
    coeffs = find_coeffs([(0, 0), (tw, 0), (tw, th), (0, th)], quad)
    return img.transform((tw, th), Image.PERSPECTIVE, coeffs, Image.BICUBIC)


def desk(photos):
    """An out-of-focus desk: a FiveK photo of the set, cropped to 3:4, blurred (sigma 18)."""
    name = sorted(f for f in os.listdir(photos) if f.startswith("fivek_"))[0]
    img = Image.open(os.path.join(photos, name)).convert("RGB")
    w, h = img.size
    cw = min(w, h * 3 // 4)
    img = img.crop(((w - cw) // 2, 0, (w - cw) // 2 + cw, h)).resize((W, H), Image.BILINEAR)
    # Darker and flatter than the photo: a table, not a landscape.
    arr = np.asarray(img.filter(ImageFilter.GaussianBlur(18)), dtype=np.float32)
    arr = 70 + (arr - arr.mean()) * 0.35
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))


def card_corners(dx, dy, t):
    """The card's corners on the frame, offset by (dx, dy), with a slight fixed tilt."""
    cw, ch = CARD_W, CARD_W / 1.586
    cx, cy = CARD_CENTRE[0] + dx, CARD_CENTRE[1] + dy
    # Perspective: the top edge 3 % narrower (the phone tilted a little towards the user).
    k = 0.015 * cw
    return [
        (cx - cw / 2 + k, cy - ch / 2),
        (cx + cw / 2 - k, cy - ch / 2),
        (cx + cw / 2, cy + ch / 2),
        (cx - cw / 2, cy + ch / 2),
    ]


def compose(background, card, corners, blur=0.0, glare=False, light=0.88, noise=2.0, rng=None):
    """One frame: the card warped onto the background, then optics, light (0.88: the camera's
    auto-exposure keeps white paper below clipping), the reflection and sensor noise."""
    frame = background.copy()
    tw, th = card.size
    coeffs = find_coeffs(corners, [(0, 0), (tw, 0), (tw, th), (0, th)])
    warped = card.transform((W, H), Image.PERSPECTIVE, coeffs, Image.BICUBIC)
    mask = Image.new("L", (tw, th), 255).transform((W, H), Image.PERSPECTIVE, coeffs, Image.BILINEAR)
    frame.paste(warped, (0, 0), mask)
    if blur > 0:
        frame = frame.filter(ImageFilter.GaussianBlur(blur))
    frame = Image.fromarray(np.clip(np.asarray(frame, dtype=np.float32) * light, 0, 255).astype(np.uint8))
    if glare:
        spot = Image.new("L", (W, H), 0)
        (x0, y0), (x1, _), (_, y2), _ = corners
        cx, cy = x0 + (x1 - x0) * 0.62, y0 + (y2 - y0) * 0.45
        rx, ry = (x1 - x0) * 0.23, (y2 - y0) * 0.21
        ImageDraw.Draw(spot).ellipse((cx - rx, cy - ry, cx + rx, cy + ry), fill=255)
        spot = spot.filter(ImageFilter.GaussianBlur(6))
        white = Image.new("RGB", (W, H), (255, 255, 255))
        frame = Image.composite(white, frame, spot)
    arr = np.asarray(frame, dtype=np.float32)
    arr += rng.normal(0, noise, arr.shape)
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))


def face_scene():
    from skimage import data  # astronaut: NASA, public domain

    face = Image.fromarray(data.astronaut()).convert("RGB")
    bg = Image.new("RGB", (W, H), (96, 100, 108))
    # The face 21 % of the frame's height, centred (a `face` photo at arm's length).
    side = 880
    face = face.resize((side, side), Image.LANCZOS).crop(((side - W) // 2, 0, (side - W) // 2 + W, side))
    bg.paste(face, (0, 40))
    return bg


def write_y4m(path, frames):
    """Writes RGB PIL frames as Y4M 4:2:0 (BT.601 limited range, as cameras deliver)."""
    with open(path, "wb") as f:
        f.write(f"YUV4MPEG2 W{W} H{H} F{FPS}:1 Ip A1:1 C420jpeg\n".encode())
        for img in frames:
            rgb = np.asarray(img, dtype=np.float32)
            r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
            y = 16 + 0.257 * r + 0.504 * g + 0.098 * b
            u = 128 - 0.148 * r - 0.291 * g + 0.439 * b
            v = 128 + 0.439 * r - 0.368 * g - 0.071 * b
            sub = lambda c: c.reshape(H // 2, 2, W // 2, 2).mean(axis=(1, 3))
            f.write(b"FRAME\n")
            for plane in (y, sub(u), sub(v)):
                f.write(np.clip(np.rint(plane), 0, 255).astype(np.uint8).tobytes())


def document_frames(background, card, rng):
    frames = []
    for i in range(int(DOCUMENT_SECONDS * FPS)):
        t = i / FPS
        tremor = (0.4 * np.sin(t * 7.1), 0.4 * np.cos(t * 5.3))
        if t < 2.0:
            frames.append(compose(background, card, card_corners(900, 0, t), rng=rng))
            continue
        if t < 3.6:
            # Slides in from the right, slowing down: 560 px to 0 in 1.6 s.
            p = (t - 2.0) / 1.6
            dx = 560 * (1 - p) ** 2
            frames.append(compose(background, card, card_corners(dx, 0, t), rng=rng))
            continue
        blur = 3.5 if t < 5.6 else 0.0
        frames.append(compose(background, card, card_corners(*tremor, t), blur=blur, rng=rng))
    return frames


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="target/camera-videos")
    ap.add_argument("--photos", default=os.environ.get("REAL_PHOTOS", "../shared/realphotos"))
    ap.add_argument("--source", action="append", help="MIDV-500 frame(s) whose card is filmed")
    a = ap.parse_args()
    sources = a.source or ["midv500_5_14_06.jpg", "midv500_7_26_07.jpg"]
    os.makedirs(a.out, exist_ok=True)
    rng = np.random.default_rng(12)
    background = desk(a.photos)
    names = {}
    for k, source in enumerate(sources):
        stem = source.rsplit(".", 1)[0]
        card = card_texture(a.photos, source)
        write_y4m(os.path.join(a.out, f"document-{stem}.y4m"), document_frames(background, card, rng))
        names[stem] = {"document": f"document-{stem}.y4m"}
        if k > 0:
            continue  # the held-out cards only get the document video
        steady = lambda t: card_corners(0.4 * np.sin(t * 7.1), 0.4 * np.cos(t * 5.3), t)
        n = int(6.0 * FPS)
        write_y4m(
            os.path.join(a.out, f"dark-{stem}.y4m"),
            [compose(background, card, steady(i / FPS), light=0.09, noise=1.5, rng=rng) for i in range(n)],
        )
        write_y4m(
            os.path.join(a.out, f"glare-{stem}.y4m"),
            [compose(background, card, steady(i / FPS), glare=True, rng=rng) for i in range(n)],
        )
        names[stem].update({v: f"{v}-{stem}.y4m" for v in ("dark", "glare")})
    face = face_scene()
    arr = np.asarray(face, dtype=np.float32)
    write_y4m(
        os.path.join(a.out, "face.y4m"),
        [
            Image.fromarray(np.clip(arr + rng.normal(0, 2, arr.shape), 0, 255).astype(np.uint8))
            for _ in range(int(6.0 * FPS))
        ],
    )
    with open(os.path.join(a.out, "segments.json"), "w", encoding="utf-8") as f:
        json.dump({"fps": FPS, "size": [W, H], "segments": SEGMENTS, "videos": names, "face": "face.y4m"}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
