#!/usr/bin/env python3
"""Writes the face model as shipped: SeetaFace's model with its weight arrays as int8.

    python3 tools/quantize_face_model.py [--lab-bits 8] [--mlp-bits 8] [--expanded OUT.bin]

Reads `models/seeta_fd_frontal_v1.0.bin` (rustface's format: little-endian i32 counts and
f32 values) and writes `models/seeta_fd_frontal_v1.0.q8`: the same stream, except that each
LAB base classifier's bin outputs and each hidden MLP layer's weights become one f32 scale
`s = max|w| / (2^(bits-1) - 1)` followed by one signed byte per weight, `q = round(w / s)`.
Counts, feature ids, thresholds, biases and the output layers (score and box offsets) stay
exact. `src/checks/photo/face/compact_model.rs` expands it back to f32 `q * s`; this script
prints the FNV-1a 64 of that expansion (the Rust test compares its own with it), the sizes and
the largest change of a weight. `--expanded` also writes the expansion (to build a CLI with it
in place of the original for an evaluation). Evidence for the bit depths: docs/calibration.md.
"""
import argparse
import gzip
import struct
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent


def fnv1a64(data: bytes) -> int:
    h = 0xCBF29CE484222325
    for b in data:
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def quantize(src: bytes, lab_bits: int, mlp_bits: int):
    pos = 0
    compact, expanded = bytearray(), bytearray()
    worst = 0.0

    def word():
        nonlocal pos
        b = src[pos:pos + 4]
        pos += 4
        compact.extend(b)
        expanded.extend(b)
        return struct.unpack('<i', b)[0]

    def keep(n):
        nonlocal pos
        b = src[pos:pos + 4 * n]
        pos += 4 * n
        compact.extend(b)
        expanded.extend(b)

    def quant(n, bits):
        nonlocal pos, worst
        w = np.frombuffer(src, dtype='<f4', count=n, offset=pos)
        pos += 4 * n
        qmax = 2 ** (bits - 1) - 1
        top = float(np.abs(w).max())
        s = np.float32(top / qmax if top > 0 else 1.0)
        q = np.clip(np.rint(w / s), -qmax, qmax).astype(np.int8)
        back = (q.astype(np.float32) * s).astype('<f4')
        compact.extend(struct.pack('<f', s))
        compact.extend(q.tobytes())
        expanded.extend(back.tobytes())
        worst = max(worst, float(np.abs(back - w).max()))

    for _ in range(word()):  # hierarchies
        for _ in range(word()):  # hierarchy size
            for _ in range(word()):  # stages
                kind = word()
                if kind == 0:  # LAB boosted
                    base, bins = word(), word()
                    keep(2 * base)  # feature points
                    keep(base)  # thresholds
                    for _ in range(base):
                        quant(bins + 1, lab_bits)
                elif kind == 1:  # SURF MLP
                    layers, features = word(), word()
                    keep(features)
                    keep(1)  # threshold
                    inputs = word()
                    for layer in range(1, layers):
                        outputs = word()
                        if layer == layers - 1:
                            keep(inputs * outputs)
                        else:
                            quant(inputs * outputs, mlp_bits)
                        keep(outputs)  # biases
                        inputs = outputs
                else:
                    raise SystemExit(f'unknown classifier kind {kind}')
            sources = word()
            keep(max(sources, 0))
    if pos != len(src):
        raise SystemExit('bytes after the model')
    return bytes(compact), bytes(expanded), worst


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--model', type=Path, default=ROOT / 'models/seeta_fd_frontal_v1.0.bin')
    ap.add_argument('--out', type=Path, default=ROOT / 'models/seeta_fd_frontal_v1.0.q8')
    ap.add_argument('--lab-bits', type=int, default=8)
    ap.add_argument('--mlp-bits', type=int, default=8)
    ap.add_argument('--expanded', type=Path)
    a = ap.parse_args()
    src = a.model.read_bytes()
    compact, expanded, worst = quantize(src, a.lab_bits, a.mlp_bits)
    a.out.write_bytes(compact)
    if a.expanded:
        a.expanded.write_bytes(expanded)
    print(f'{a.out}: {len(compact)} B ({len(gzip.compress(compact, 9))} B gzip -9) from {len(src)} B '
          f'({len(gzip.compress(src, 9))} B gzip -9); expanded FNV-1a 64 0x{fnv1a64(expanded):016x}; '
          f'largest change of a weight {worst:.6f}')


if __name__ == '__main__':
    main()
