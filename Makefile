# Quick start: `make serve` (serves the app on http://127.0.0.1:8080/) and
# `make test` (runs every test layer). Both install whatever is missing first.
.PHONY: serve test setup build e2e fixtures calibrate bench clean

serve:
	bash scripts/serve.sh

test:
	bash scripts/test.sh

# Install only.
setup:
	bash scripts/setup.sh

# Release build into dist/ (trunk build --release --offline).
build:
	bash scripts/test.sh build

# Release build, then the browser end-to-end tests only.
e2e:
	bash scripts/test.sh build e2e

# Full photo fixture set (all sources, ~1 GB), the synthetic documents of docs/document_reading.md
# (evaluate with: python3 tools/synth_documents.py --out target/synth-documents --eval BIN),
# and the calibration tables in docs/calibration.md.
fixtures:
	python3 tools/photo_fixtures.py --out target/photo-fixtures --clean --jobs 2
	python3 tools/photo_fixtures.py --set presence --out target/presence-fixtures --clean --jobs 2
	python3 tools/synth_documents.py --out target/synth-documents --count 5

calibrate:
	cargo build --release --bin precheck
	python3 tools/calibrate_photos.py --markdown docs/calibration.md

# Native criterion benchmark of the photo engine (12 MP buffer, with a reference pass).
bench:
	cargo bench --bench photo
	cargo bench --bench mrz

clean:
	cargo clean
	rm -rf dist
