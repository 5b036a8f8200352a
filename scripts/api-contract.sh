#!/usr/bin/env bash
# The seller API against its own OpenAPI document, on a demo server built
# by the test command: the example receiver registers as a webhook
# endpoint, the example client reprices through the bulk endpoint (and
# again, replayed by its idempotency key), the receiver verifies the signed
# delivery that follows and refuses a forged one, then schemathesis
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
receiver=""
trap 'kill $server $receiver 2>/dev/null || true; wait $server $receiver 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 120); do
  curl -sf "$base/healthz" > /dev/null && break
  sleep 1
done
curl -sf "$base/healthz" > /dev/null || { cat "$data/server.log"; exit 1; }

token=$(grep -o 'tik_DemoToken[A-Za-z0-9]*' src/features/demo/service/marketplace.rs | head -1)

echo "[api] example receiver: a webhook endpoint for bulk price changes"
hook_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
curl -sf -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d "{\"url\": \"http://127.0.0.1:$hook_port/hooks\", \"types\": [\"listings.imported\"]}" \
  "$base/api/v1/webhooks" > "$data/endpoint.json"
secret=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["secret"])' "$data/endpoint.json")
WEBHOOK_SECRET="$secret" python3 examples/webhook_receiver.py "$hook_port" > "$data/hooks.txt" 2>&1 &
receiver=$!

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

echo "[api] example receiver: the signed delivery of the change is verified"
for _ in $(seq 1 30); do
  grep -q "verified evt_[0-9]* listings.imported" "$data/hooks.txt" && break
  sleep 1
done
cat "$data/hooks.txt"
grep -q "verified evt_[0-9]* listings.imported" "$data/hooks.txt"
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'webhook-id: evt_1' \
  -H "webhook-timestamp: $(date +%s)" -H 'webhook-signature: v1,Zm9yZ2Vk' \
  -d '{"id": "evt_1", "type": "order.paid"}' "http://127.0.0.1:$hook_port/hooks")
[ "$code" = 401 ] || { echo "a forged delivery was answered $code"; exit 1; }

echo "[api] schemathesis: every check, ${API_CONTRACT_SECONDS:-60} s"
(
  cd end2end/api
  "$venv/bin/st" --config-file schemathesis.toml --no-color run "$base/api/v1/openapi.json" \
    -H "Authorization: Bearer $token" \
    --checks all --workers 1 --max-time "${API_CONTRACT_SECONDS:-60}" --seed 1
)
