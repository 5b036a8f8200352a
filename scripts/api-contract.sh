#!/usr/bin/env bash
# The seller API against its own OpenAPI document, on a demo server built
# by the test command: the example client reprices through the bulk
# endpoint (and again, replayed by its idempotency key), then schemathesis
# (from PyPI, in a cached virtualenv) runs every check it has for a fixed
# time and must find nothing. Starts and stops its own server.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

venv="${XDG_CACHE_HOME:-$HOME/.cache}/tradein/schemathesis"
if [ ! -x "$venv/bin/st" ]; then
  echo "[api] installing schemathesis into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "schemathesis>=4.32,<5"
fi

data="$(mktemp -d)"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
DATABASE_URL="sqlite://$data/api.db" SEED_DEMO=true DATA_DIR="$data" API_REQUESTS_PER_MINUTE=1000000 \
  LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_ADDR="127.0.0.1:$port" RUST_LOG=warn \
  "$TARGET_DIR/debug/tradein" > "$data/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 120); do
  curl -sf "$base/healthz" > /dev/null && break
  sleep 1
done
curl -sf "$base/healthz" > /dev/null || { cat "$data/server.log"; exit 1; }

token=$(grep -o 'tik_DemoToken[A-Za-z0-9]*' src/features/demo/service/marketplace.rs | head -1)

echo "[api] example client: reprice two of the demo refurbisher's listings"
curl -sf -H "Authorization: Bearer $token" "$base/api/v1/listings?limit=2" > "$data/listings.json"
python3 - "$data/listings.json" > "$data/prices.csv" <<'PY'
import json, sys
print("market,variant_sku,grade,price,currency,weekly_cap")
for r in json.load(open(sys.argv[1]))["data"]:
    price = float(r["price"]["amount"]) + 1
    print(f"{r['market']},{r['sku']},{r['grade']},{price:.2f},{r['price']['currency']},")
PY
TRADEIN_URL="$base" TRADEIN_TOKEN="$token" python3 examples/reprice.py "$data/prices.csv" | tee "$data/first.txt"
grep -q "2 changed" "$data/first.txt"
TRADEIN_URL="$base" TRADEIN_TOKEN="$token" python3 examples/reprice.py "$data/prices.csv" | tee "$data/again.txt"
grep -q "(replayed)" "$data/again.txt"

echo "[api] schemathesis: every check, ${API_CONTRACT_SECONDS:-60} s"
(
  cd end2end/api
  "$venv/bin/st" --config-file schemathesis.toml --no-color run "$base/api/v1/openapi.json" \
    -H "Authorization: Bearer $token" \
    --checks all --workers 1 --max-time "${API_CONTRACT_SECONDS:-60}" --seed 1
)
