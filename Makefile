# Quick start: `make serve` (serves the app on http://127.0.0.1:8080/) and
# `make test` (runs every test layer). Both install whatever is missing first.
.PHONY: serve test setup build e2e clean

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

clean:
	cargo clean
	rm -rf dist
