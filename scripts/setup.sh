#!/usr/bin/env bash
# Installs whatever `make serve` and `make test` need and is missing.
# Every step checks first, so on a machine that already has everything this is
# a no-op (a few seconds). Only package registries are used: Debian apt,
# crates.io (cargo), the npm registry (npm ci from the committed lock file).
# Nothing downloads a browser or a prebuilt tool binary.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"
export DEBIAN_FRONTEND=noninteractive

TRUNK_VERSION=0.21.14
# cmake and nasm build the vendored libjpeg-turbo (turbojpeg-sys) of the native JPEG decoder;
# fonts-ocr-b draws the synthetic documents of `make fixtures` (tools/synth_documents.py).
APT_PACKAGES=(chromium chromium-driver fonts-noto-cjk plasma-workspace-wallpapers fonts-ocr-b cmake nasm)
LOG_DIR="$ROOT/target/setup-logs"

say() { printf '==> setup: %s\n' "$*"; }
die() { printf '==> setup: ERROR: %s\n' "$*" >&2; exit 1; }
# A stamp file records what an install was made from (a lock file's hash…): skip when equal.
stamp_current() { [ -f "$1" ] && [ "$(cat "$1")" = "$2" ]; }
write_stamp() { mkdir -p "$(dirname "$1")" && printf '%s' "$2" >"$1"; }

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "not root and no sudo: cannot apt-get install"
    SUDO=(sudo)
fi

# --- Debian packages: Chromium, its WebDriver, CJK fonts, cmake + nasm ------
missing_apt=()
for p in "${APT_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing_apt+=("$p")
    fi
done
if [ "${#missing_apt[@]}" -gt 0 ]; then
    say "apt-get install ${missing_apt[*]}"
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -q "${missing_apt[@]}"
else
    say "apt packages present (${APT_PACKAGES[*]})"
fi

command -v node >/dev/null 2>&1 || die "node is not installed (Node.js >= 20 expected on this machine)"
command -v npm >/dev/null 2>&1 || die "npm is not installed"
command -v cargo >/dev/null 2>&1 || die "cargo is not installed (rustup toolchain expected)"

# --- Python packages for the photo fixtures (tools/requirements.txt) ---------
PY_STAMP="$ROOT/target/.py-setup-stamp"
want_py="$(sha256sum tools/requirements.txt | cut -d' ' -f1)"
if stamp_current "$PY_STAMP" "$want_py"; then
    say "python packages present (tools/requirements.txt)"
else
    say "pip install -r tools/requirements.txt"
    python3 -m pip install --quiet --disable-pip-version-check -r tools/requirements.txt
    write_stamp "$PY_STAMP" "$want_py"
fi

# --- Rust wasm target --------------------------------------------------------
if rustup target list --installed | grep -qx 'wasm32-unknown-unknown'; then
    say "rust target wasm32-unknown-unknown present"
else
    say "rustup target add wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
fi

# --- crates: download every dependency (all targets) so that
# `trunk build --offline` (which runs `cargo build --offline`) never needs the
# network. Creates Cargo.lock if it does not exist yet. Fast when cached.
say "cargo fetch"
cargo fetch --quiet

# --- npm: playwright-core (drives Debian's Chromium) and binaryen (wasm-opt) --
# node_modules is reinstalled only when package-lock.json or node changed.
stamp="$ROOT/node_modules/.setup-stamp"
want_stamp="$(sha256sum package-lock.json | cut -d' ' -f1) node-$(node --version)"
if stamp_current "$stamp" "$want_stamp"; then
    say "node_modules up to date"
else
    say "npm ci"
    npm ci --no-audit --no-fund --loglevel=error
    write_stamp "$stamp" "$want_stamp"
fi

# --- cargo-installed tools: trunk and wasm-bindgen-cli -----------------------
# wasm-bindgen-cli must equal the wasm-bindgen crate version in Cargo.lock.
WB_VERSION="$(awk '
    $0 == "name = \"wasm-bindgen\"" { getline; gsub(/^version = "|"$/, ""); print; exit }
' Cargo.lock)"
[ -n "$WB_VERSION" ] || die "could not read the wasm-bindgen version from Cargo.lock"

have_trunk="$(trunk --version 2>/dev/null | awk '{print $2}' || true)"
have_wb="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"

need_trunk=0; need_wb=0
if [ "$have_trunk" = "$TRUNK_VERSION" ]; then
    say "trunk $TRUNK_VERSION present"
else
    need_trunk=1
fi
if [ "$have_wb" = "$WB_VERSION" ]; then
    say "wasm-bindgen-cli $WB_VERSION present"
else
    need_wb=1
fi

# Both are long builds (25-35 min together on 2 cores); when both are needed
# they run side by side so that one's single-threaded link/LTO phase overlaps
# the other's compilation.
wb_pid=""
if [ "$need_wb" = 1 ]; then
    mkdir -p "$LOG_DIR"
    say "cargo install wasm-bindgen-cli --version =$WB_VERSION (was: ${have_wb:-none}); log: $LOG_DIR/wasm-bindgen-cli.log"
    if [ "$need_trunk" = 1 ]; then
        cargo install wasm-bindgen-cli --version "=$WB_VERSION" --force \
            >"$LOG_DIR/wasm-bindgen-cli.log" 2>&1 &
        wb_pid=$!
    else
        cargo install wasm-bindgen-cli --version "=$WB_VERSION" --force 2>&1 |
            tee "$LOG_DIR/wasm-bindgen-cli.log"
    fi
fi
if [ "$need_trunk" = 1 ]; then
    say "cargo install trunk --version $TRUNK_VERSION --locked (was: ${have_trunk:-none})"
    if ! cargo install trunk --version "$TRUNK_VERSION" --locked --force; then
        [ -z "$wb_pid" ] || kill "$wb_pid" 2>/dev/null || true
        die "cargo install trunk failed"
    fi
fi
if [ -n "$wb_pid" ]; then
    say "waiting for wasm-bindgen-cli install (pid $wb_pid)"
    if ! wait "$wb_pid"; then
        tail -n 60 "$LOG_DIR/wasm-bindgen-cli.log" >&2
        die "cargo install wasm-bindgen-cli failed (full log: $LOG_DIR/wasm-bindgen-cli.log)"
    fi
    tail -n 3 "$LOG_DIR/wasm-bindgen-cli.log"
fi

# --- cargo-fuzz: the bounded fuzz layer of `make test` (about 1 min to build) --
CARGO_FUZZ_VERSION=0.13.2
if [ "$(cargo fuzz --version 2>/dev/null | awk '{print $2}')" = "$CARGO_FUZZ_VERSION" ]; then
    say "cargo-fuzz $CARGO_FUZZ_VERSION present"
else
    say "cargo install cargo-fuzz --version $CARGO_FUZZ_VERSION --locked"
    cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked --force
fi

# --- final check: the exact versions trunk will look for on PATH -------------
[ "$(trunk --version | awk '{print $2}')" = "$TRUNK_VERSION" ] || die "trunk on PATH is not $TRUNK_VERSION"
[ "$(wasm-bindgen --version | awk '{print $2}')" = "$WB_VERSION" ] || die "wasm-bindgen on PATH is not $WB_VERSION"
command -v wasm-bindgen-test-runner >/dev/null 2>&1 || die "wasm-bindgen-test-runner missing"
wasm-opt --version | grep -q 'version 132' || die "wasm-opt on PATH is not binaryen 132"
say "ready: $(trunk --version), wasm-bindgen $WB_VERSION, $(wasm-opt --version), $(chromium --version 2>/dev/null | head -n1)"
