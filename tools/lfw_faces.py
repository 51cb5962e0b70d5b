#!/usr/bin/env python3
"""Face-detector evaluation on scikit-image's LFW subset (100 faces, 100 background patches
of Labeled Faces in the Wild, 25x25 px grey): each patch is upscaled 5x (Lanczos) to
125x125 and centred on a mid-grey 480x360 canvas, so the face is 35 % of the height as in a
`face` photo. Writes OUT/face-NNN.png and OUT/background-NNN.png.

    python3 tools/lfw_faces.py --out target/lfw-eval
    target/release/precheck photo --slot face target/lfw-eval/*.png | python3 tools/lfw_faces.py --score
"""
import argparse
import json
import os
import sys

import numpy as np
from PIL import Image


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="target/lfw-eval")
    ap.add_argument("--score", action="store_true", help="read precheck JSON lines on stdin")
    a = ap.parse_args()
    if a.score:
        found = {"face": [0, 0], "background": [0, 0]}
        for line in sys.stdin:
            j = json.loads(line)
            kind = os.path.basename(j["file"]).split("-")[0]
            found[kind][0] += 1
            found[kind][1] += len(j.get("face_boxes", [])) > 0
        for k, (n, hit) in found.items():
            print(f"{k}: {hit}/{n} with a face found")
        return 0
    from skimage import data
    patches = np.load(os.path.join(os.path.dirname(data.__file__), "lfw_subset.npy"))
    os.makedirs(a.out, exist_ok=True)
    for i, p in enumerate(patches):
        im = Image.fromarray((p * 255).round().astype(np.uint8)).resize((125, 125), Image.LANCZOS)
        canvas = Image.new("L", (480, 360), 128)
        canvas.paste(im, (178, 118))
        kind = "face" if i < 100 else "background"
        canvas.convert("RGB").save(os.path.join(a.out, f"{kind}-{i % 100:03d}.png"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
