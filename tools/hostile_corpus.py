#!/usr/bin/env python3
"""Hostile photo files for the browser and CLI tests (nothing binary is committed): every
file a shopper or a hostile page could hand to a photo slot that is not a plain good photo.

    python3 tools/hostile_corpus.py --out target/hostile-corpus [--base PHOTO.jpg]

Writes OUT/*.(jpg|png|webp|gif|…) and OUT/manifest.json: [{file, case}]. The base photo (a
real 1080x1920 MIDV-500 frame by default, ../shared/realphotos or REAL_PHOTOS) gives the
decodable cases real content. Deterministic (fixed seeds).
"""
import argparse
import io
import json
import os
import struct
import sys
import zlib

import numpy as np
from PIL import Image


def png_chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def png_bomb(width, height):
    """A valid PNG (CRCs right) whose IHDR claims width x height, with a tiny IDAT."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", zlib.compress(b"\0" * 4096, 9))
        + png_chunk(b"IEND", b"")
    )


def jpeg_with_size(jpeg, width, height):
    """`jpeg` with its SOF claiming width x height (the scan is the small original's)."""
    b = bytearray(jpeg)
    i = 2
    while i + 9 < len(b):
        marker, length = b[i + 1], struct.unpack(">H", b[i + 2 : i + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2):
            b[i + 5 : i + 9] = struct.pack(">HH", height, width)
            return bytes(b)
        i += 2 + length
    raise ValueError("no SOF")


def webp_bomb(small_webp):
    """A lossy WebP whose VP8 frame header claims 16383 x 16383 (the format's maximum)."""
    b = bytearray(small_webp)
    i = b.find(b"VP8 ")
    if i < 0:
        raise ValueError("not a lossy WebP")
    # VP8 chunk data: 3-byte frame tag, start code 9d 01 2a, then 14-bit width, height.
    d = i + 8
    assert b[d + 3 : d + 6] == b"\x9d\x01\x2a"
    b[d + 6 : d + 10] = struct.pack("<HH", 16383, 16383)
    return bytes(b)


def encode(img, fmt, **kw):
    out = io.BytesIO()
    img.save(out, fmt, **kw)
    return out.getvalue()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="target/hostile-corpus")
    photos = os.environ.get("REAL_PHOTOS", "../shared/realphotos")
    ap.add_argument("--base", default=os.path.join(photos, "midv500_5_14_06.jpg"))
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    rng = np.random.default_rng(7)
    base = Image.open(a.base).convert("RGB")
    small = base.resize((270, 480))
    good_jpeg = encode(base, "JPEG", quality=90)
    small_jpeg = encode(small, "JPEG", quality=85)

    files = {}
    files["empty.jpg"] = ("empty", b"")
    files["truncated.jpg"] = ("truncated-jpeg", good_jpeg[: len(good_jpeg) // 3])
    # The entropy-coded scan overwritten with random bytes (headers intact).
    sos = good_jpeg.find(b"\xff\xda")
    noise = rng.integers(0, 256, len(good_jpeg) - sos - 200, dtype=np.uint8).tobytes()
    files["corrupt-entropy.jpg"] = ("corrupt-entropy-jpeg", good_jpeg[: sos + 100] + noise + b"\xff\xd9")
    png = bytearray(encode(small, "PNG"))
    png[png.find(b"IDAT") + 20] ^= 0xFF  # data changed, CRC not
    files["bad-crc.png"] = ("bad-crc-png", bytes(png))
    files["bomb.png"] = ("png-bomb", png_bomb(40000, 40000))
    files["bomb.jpg"] = ("jpeg-bomb", jpeg_with_size(small_jpeg, 40000, 40000))
    files["bomb.webp"] = ("webp-bomb", webp_bomb(encode(small, "WEBP", quality=80)))
    grey16 = Image.fromarray((np.asarray(base.convert("L"), dtype=np.uint16) * 257).astype(np.uint16))
    files["16-bit.png"] = ("png-16-bit", encode(grey16, "PNG"))
    files["cmyk.jpg"] = ("jpeg-cmyk", encode(base.convert("CMYK"), "JPEG", quality=90))
    frames = [small, small.transpose(Image.FLIP_LEFT_RIGHT)]
    files["animated.gif"] = ("gif-animated", encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=200, loop=0))
    files["animated.webp"] = ("webp-animated", encode(frames[0], "WEBP", save_all=True, append_images=frames[1:], duration=200, loop=0))
    files["script.svg.jpg"] = (
        "svg-with-script",
        b'<svg xmlns="http://www.w3.org/2000/svg" width="800" height="600"><script>alert(1)</script>'
        b'<rect width="800" height="600" fill="#eee"/></svg>',
    )
    files["page.html.jpg"] = ("html-renamed", b"<!doctype html><html><body><script>alert(1)</script>not a photo</body></html>")
    files["document.pdf.jpg"] = ("pdf-renamed", b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
    # 60 MB: a real JPEG padded after its EOI (a decoder would stop there; the size decides).
    files["huge-60mb.jpg"] = ("file-60mb", good_jpeg + b"\0" * (60_000_000 - len(good_jpeg)))
    files["1x1.png"] = ("one-pixel", encode(Image.new("RGB", (1, 1), (200, 200, 200)), "PNG"))
    strip = Image.fromarray(rng.integers(0, 256, (10, 30000, 3), dtype=np.uint8))
    files["30000x10.png"] = ("strip-30000x10", encode(strip, "PNG"))

    manifest = []
    for name, (case, data) in files.items():
        with open(os.path.join(a.out, name), "wb") as f:
            f.write(data)
        manifest.append({"file": name, "case": case, "bytes": len(data)})
    with open(os.path.join(a.out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
