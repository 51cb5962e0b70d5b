#!/usr/bin/env python3
"""OCR-B glyph templates for the MRZ and ID-number reader (src/checks/photo/ocr/).

Renders the 37 MRZ characters (0-9, A-Z, '<') from Debian's `fonts-ocr-b` (OCRB.otf,
public domain, Matthew Skala / Norbert Schwarz) at 400 px per em, in the cell the reader
samples: the character's advance wide, from 15 % of the cap height above the capitals to
15 % below the baseline, area-averaged to COLS x ROWS. Three stroke weights per character
(thin, as drawn, bold: a 1/40-em min/max filter), because print and blur thicken or thin
the strokes of a real MRZ (the reader adds a blurred copy of each: a defocused phone photo).
Values: ink 255, paper 0.

Output (binary, little header): b"OCRB", u8 cols, u8 rows, u8 classes, u8 variants, then
classes x variants x rows x cols bytes, classes in the order of CLASSES.

    python3 tools/ocrb_templates.py --out src/checks/photo/ocr/ocrb.bin
"""
import argparse
import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

CLASSES = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<"
COLS, ROWS = 16, 24
MARGIN = 0.15
FONT = "/usr/share/fonts/opentype/ocr-b/OCRB.otf"
EM = 400
# Gaussian blur (sigma, template cells) after the reduction. Only the sharp templates are
# stored; the reader adds a blurred copy of each at start-up (glyphs.rs, `BLUR_SIGMA`).
BLURS = (0,)


def cell_box(font):
    _, top, _, base = font.getbbox("H", anchor="ls")
    cap = base - top
    advance = font.getlength("H")
    return advance, top - MARGIN * cap, base + MARGIN * cap


def render(ch, font, weight, blur):
    advance, y0, y1 = cell_box(font)
    w, h = int(round(advance)), int(round(y1 - y0))
    im = Image.new("L", (w, h), 0)
    ImageDraw.Draw(im).text((0, -y0), ch, fill=255, font=font, anchor="ls")
    k = EM // 40 | 1
    if weight < 0:
        im = im.filter(ImageFilter.MinFilter(k))
    elif weight > 0:
        im = im.filter(ImageFilter.MaxFilter(k))
    small = im.resize((COLS, ROWS), Image.Resampling.BOX)
    if blur:
        small = small.filter(ImageFilter.GaussianBlur(blur))
    return np.asarray(small, dtype=np.uint8)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--font", default=FONT)
    a = ap.parse_args()
    font = ImageFont.truetype(a.font, EM)
    for c in CLASSES:
        assert abs(font.getlength(c) - font.getlength("H")) < 1e-6, "OCR-B is monospaced"
    variants = [(w, b) for w in (-1, 0, 1) for b in BLURS]
    out = bytearray(b"OCRB" + bytes([COLS, ROWS, len(CLASSES), len(variants)]))
    for c in CLASSES:
        for wgt, blur in variants:
            out += render(c, font, wgt, blur).tobytes()
    with open(a.out, "wb") as f:
        f.write(out)
    print(f"{a.out}: {len(out)} bytes")


if __name__ == "__main__":
    main()
