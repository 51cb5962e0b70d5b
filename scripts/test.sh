#!/usr/bin/env bash
# `make test`: install what is missing, then run every test layer in order,
# stopping at the first failure.
#
#   1 fmt     cargo fmt --all -- --check, and the licences of every dependency (scripts/licenses.py)
#   2 clippy  cargo clippy (native, all targets) and (wasm32, lib + bins)
#   3 unit    cargo test (native: unit, vector and CLI integration tests)
#   4 wasm    cargo test --target wasm32-unknown-unknown --test browser
#             (wasm-bindgen-test-runner -> chromedriver -> headless Chromium)
#   5 build   trunk build --release --offline  -> dist/
#   6 e2e     node --test tests/e2e/  (playwright-core + Debian Chromium on dist/)
#   7 fuzz    cargo fuzz run <target> for FUZZ_SECONDS (default 12) per target: the field
#             parsers, the photo engine, file sniffing and decoding, the rules JSON, the protocol
#
# Run a subset with: scripts/test.sh build e2e   (names as above)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

ALL_LAYERS=(fmt clippy unit wasm build e2e fuzz)
if [ "$#" -gt 0 ]; then
    LAYERS=("$@")
    for l in "${LAYERS[@]}"; do
        case " ${ALL_LAYERS[*]} " in
            *" $l "*) ;;
            *) echo "unknown layer '$l' (known: ${ALL_LAYERS[*]})" >&2; exit 2 ;;
        esac
    done
else
    LAYERS=("${ALL_LAYERS[@]}")
fi

T0=$SECONDS
echo "===== setup: scripts/setup.sh ====="
bash scripts/setup.sh
echo "----- setup done in $((SECONDS - T0))s"

wants() { case " ${LAYERS[*]} " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }

n=0
layer() {
    n=$((n + 1))
    LAYER_T0=$SECONDS
    echo
    echo "===== [layer $1/7] $2 ====="
}
done_layer() { echo "----- layer $1 passed in $((SECONDS - LAYER_T0))s"; }

if wants fmt; then
    layer 1 "fmt: cargo fmt --all -- --check; licences of every dependency (scripts/licenses.py)"
    cargo fmt --all -- --check
    python3 scripts/licenses.py
    done_layer 1
fi

if wants clippy; then
    layer 2 "clippy: native --all-targets, then wasm32 --lib --bins --test browser (-D warnings)"
    cargo clippy --all-targets -- -D warnings
    # With `bench`: the worker's benchmark entry points are linted too (they are its only use).
    cargo clippy --target wasm32-unknown-unknown --lib --bins --test browser --features bench -- -D warnings
    done_layer 2
fi

# Real photographs with degradations of known strength (tools/photo_fixtures.py), for the
# calibration tests and the E2E photo tests. The quick set (5 sources) is made when no set
# exists; `make fixtures` makes the full one.
ensure_fixtures() {
    if [ ! -f target/photo-fixtures/manifest.tsv ]; then
        python3 tools/photo_fixtures.py --out target/photo-fixtures --quick --jobs 2
    fi
    # Framing and face scenes (cut-off, tiny, rotated cards, portraits, selfies, no person).
    if [ ! -f target/presence-fixtures/manifest.tsv ]; then
        python3 tools/photo_fixtures.py --set presence --out target/presence-fixtures --jobs 2
    fi
    # Synthetic ID-card portrait sides whose number line is OCR-B (tests/document_reading.rs):
    # 2 cards x 6 distortions; `make fixtures` draws the whole synthetic set there instead.
    if [ ! -f target/synth-documents/manifest.jsonl ]; then
        python3 tools/synth_documents.py --out target/synth-documents --kinds idfront --count 2
    fi
}

if wants unit; then
    layer 3 "unit: cargo test (native, incl. the photo calibration on generated fixtures)"
    ensure_fixtures
    cargo test
    done_layer 3
fi

if wants wasm; then
    layer 4 "wasm: cargo test --target wasm32-unknown-unknown --test browser (headless Chromium)"
    # .cargo/config.toml makes wasm-bindgen-test-runner the runner; it starts
    # chromedriver, which starts Chromium with the args in webdriver.json.
    CHROMEDRIVER=/usr/bin/chromedriver \
    WASM_BINDGEN_USE_BROWSER=1 \
    WASM_BINDGEN_TEST_WEBDRIVER_JSON="$ROOT/webdriver.json" \
    WASM_BINDGEN_TEST_DRIVER_TIMEOUT="${WASM_BINDGEN_TEST_DRIVER_TIMEOUT:-30}" \
    WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-120}" \
        cargo test --target wasm32-unknown-unknown --test browser
    done_layer 4
fi

if wants build; then
    layer 5 "build: trunk build --release --offline -> dist/"
    trunk build --release --offline
    test -f dist/index.html || { echo "dist/index.html missing after trunk build" >&2; exit 1; }
    ls -l dist/
    # The bench's build (tests/e2e/bench.test.mjs): the same app, its worker with the wasm
    # engine benchmark's entry points (feature `bench`), which the shipped worker leaves out.
    trunk build --release --offline --features bench --dist target/dist-bench
    test -f target/dist-bench/worker_bg.wasm || { echo "target/dist-bench missing after trunk build" >&2; exit 1; }
    done_layer 5
fi

if wants e2e; then
    layer 6 "e2e: node --test tests/e2e/ (playwright-core, /usr/bin/chromium, dist/)"
    test -f dist/index.html || { echo "dist/index.html missing: run the build layer first" >&2; exit 1; }
    ensure_fixtures
    # The photo tests compare the app's verdicts with the CLI's on the same files.
    cargo build --bin precheck
    mkdir -p target/e2e
    node --test tests/e2e/
    echo "screenshots: $(ls target/e2e/*.png 2>/dev/null | tr '\n' ' ')"
    done_layer 6
fi

if wants fuzz; then
    layer 7 "fuzz: cargo fuzz run, ${FUZZ_SECONDS:-12}s per target (field parsers, photo engine, files, rules, protocol)"
    # cargo-fuzz passes -Zsanitizer flags; RUSTC_BOOTSTRAP lets the stable toolchain take them.
    (
        cd fuzz
        export RUSTC_BOOTSTRAP=1
        cargo fuzz build -O
        for target in name id_number passport phone mrz photo_analyze photo_file rules_json protocol; do
            echo "--- fuzz $target"
            log="$ROOT/target/fuzz-$target.log"
            mkdir -p "$ROOT/target"
            if cargo fuzz run -O "$target" -- -max_total_time="${FUZZ_SECONDS:-12}" >"$log" 2>&1; then
                grep -a '^Done' "$log" || true
            else
                grep -a -A12 -E 'panicked|SUMMARY|ERROR' "$log" >&2 || tail -n 40 "$log" >&2
                echo "fuzz target $target failed: crash input in fuzz/artifacts/$target/" >&2
                exit 1
            fi
        done
    )
    done_layer 7
fi

echo
echo "===== all requested layers passed (${LAYERS[*]}) in $((SECONDS - T0))s ====="
