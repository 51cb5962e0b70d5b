#!/usr/bin/env python3
"""Licences of every dependency, checked offline (after scripts/setup.sh has fetched them):

- every crate in Cargo.lock (`cargo metadata --locked --offline`), native and wasm;
- every npm package in package-lock.json (test tools only: nothing npm ships in dist/);
- every model in models/ (and the OCR-B templates in src/checks/photo/ocr/) has its licence
  file beside it.

A dependency passes when one alternative of its SPDX expression (`OR`, or the old `/`) is made
only of licences in ALLOWED (`AND` and `WITH` need every part). Prints a summary; exits 1 and
names the package on anything else, or on a package without a licence.

    python3 scripts/licenses.py
"""
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Permissive licences only: the app is shipped to shoppers' browsers inside host pages.
ALLOWED = {
    "MIT", "Apache-2.0", "Apache-2.0 WITH LLVM-exception", "BSD-2-Clause", "BSD-3-Clause",
    "ISC", "Zlib", "Unlicense", "0BSD", "BSL-1.0", "Unicode-3.0", "Unicode-DFS-2016", "CC0-1.0",
}
# npm packages are test tools that run on the CI machine only (nothing from node_modules is in
# dist/): file-level copyleft is fine there (axe-core, the accessibility checker, is MPL-2.0).
ALLOWED_FOR_TESTS = ALLOWED | {"MPL-2.0"}


def allowed(expr, allowed_set=ALLOWED):
    """Whether the SPDX expression `expr` can be satisfied with `allowed_set` licences only
    (`OR` binds looser than `AND`; `A WITH B` is one licence; the old `A/B` means `A OR B`)."""
    if not expr:
        return False
    tokens = re.findall(r"\(|\)|[^\s()]+", expr.replace("/", " OR "))
    pos = 0

    def peek():
        return tokens[pos] if pos < len(tokens) else None

    def take():
        nonlocal pos
        pos += 1
        return tokens[pos - 1]

    def factor():
        if peek() == "(":
            take()
            v = either()
            take()  # ")"
            return v
        name = take()
        if peek() == "WITH":
            take()
            name = f"{name} WITH {take()}"
        return name in allowed_set

    def both():
        v = factor()
        while peek() == "AND":
            take()
            v = factor() and v
        return v

    def either():
        v = both()
        while peek() == "OR":
            take()
            v = both() or v
        return v

    return either()


def crates():
    out = subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--locked", "--offline"],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout
    meta = json.loads(out)
    own = set(meta["workspace_members"])
    return [
        (f"crate {p['name']} {p['version']}", p.get("license"), ALLOWED)
        for p in meta["packages"]
        if p["id"] not in own
    ]


def npm():
    lock = json.load(open(os.path.join(ROOT, "package-lock.json"), encoding="utf-8"))
    found = []
    for key, p in lock.get("packages", {}).items():
        if not key:
            continue
        lic = p.get("license")
        if lic is None:
            # Some lock entries omit it: read the installed package's own manifest.
            manifest = os.path.join(ROOT, key, "package.json")
            if os.path.isfile(manifest):
                pkg = json.load(open(manifest, encoding="utf-8"))
                # The old array form: "licenses": [{"type": "MIT", ...}].
                old = [x.get("type") for x in pkg.get("licenses", []) if isinstance(x, dict)]
                lic = pkg.get("license") or (" OR ".join(old) if old else None)
        found.append((f"npm {key.removeprefix('node_modules/')} {p.get('version', '')}", lic, ALLOWED_FOR_TESTS))
    return found


def models():
    bad = []
    # The face model, and the OCR-B templates made from a font.
    for rel in ("models", os.path.join("src", "checks", "photo", "ocr")):
        d = os.path.join(ROOT, rel)
        for f in sorted(os.listdir(d)):
            if f.endswith(".bin") and not os.path.isfile(os.path.join(d, f[:-4] + ".LICENSE")):
                bad.append(f"{rel}/{f}: no {f[:-4]}.LICENSE beside it")
    return bad


def main():
    deps = crates() + npm()
    bad = [f"{name}: {lic or 'no licence'}" for name, lic, ok in deps if not allowed(lic, ok)]
    bad += models()
    kinds = {}
    for _, lic, _ in deps:
        kinds[lic] = kinds.get(lic, 0) + 1
    print(
        f"licences: {len(deps)} dependencies, {len(kinds)} distinct expressions; allowed: "
        f"{', '.join(sorted(ALLOWED))} (and MPL-2.0 for npm test tools)"
    )
    for line in bad:
        print("NOT ALLOWED", line)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
