#!/usr/bin/env bash
# Builds in release mode and prints the benchmark table (also written to
# bench/out/latest.md). Uses a fresh SQLite file and a fresh Postgres
# database at 127.0.0.1:5432, both removed afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/env.sh
ensure_postgres
cargo build --release --features ssr --bin bench
"$TARGET_DIR/release/bench"
