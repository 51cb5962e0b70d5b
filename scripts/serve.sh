#!/usr/bin/env bash
# `make serve`: install what is missing, then serve the app with trunk
# (debug build, rebuilt on change) on http://127.0.0.1:8080/.
# Override with ADDRESS=... PORT=... make serve. Trunk never downloads (--offline).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"

bash scripts/setup.sh

ADDRESS="${ADDRESS:-127.0.0.1}"
PORT="${PORT:-8080}"
echo "==> serve: http://$ADDRESS:$PORT/"
exec trunk serve --offline --address "$ADDRESS" --port "$PORT" "$@"
