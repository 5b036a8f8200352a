#!/usr/bin/env bash
# Builds in release mode and prints the benchmark table (also written to
# bench/out/latest.md): database figures on a fresh SQLite file and a fresh
# Postgres database at 127.0.0.1:5432 (both removed afterwards), then the
# web figures against the release server on that SQLite database: pages
# under load (wrk), what a first visit downloads (and where the wasm's
# bytes go), and Lighthouse.
#
# BENCH_ONLY=prices: price benchmarks only (no history, no web phase).
# BENCH_ONLY=web: SQLite and the web phase; with BENCH_SQLITE_DB=path the
# scale database is kept there and reused by the next BENCH_ONLY=web run.
# BENCH_ONLY=kpi: the KPI dashboard alone, phase by phase; BENCH_SQLITE_DB
# and BENCH_POSTGRES_DB (a database name) keep and reuse its data.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
scripts/setup.sh
source scripts/env.sh
say() { printf '\033[1m[bench]\033[0m %s\n' "$*"; }

# The bench crate (a workspace member) reuses the release server's compiled
# `tradein` library: same features (it asks for `ssr` alone, and for no
# feature of a shared dependency that the server's build lacks) and flags.
build_bench() { RUSTFLAGS="$RELEASE_RUSTFLAGS" cargo build --release -p bench; }

web=true
if [ "${BENCH_ONLY:-}" = prices ] || [ "${BENCH_ONLY:-}" = kpi ]; then web=false; fi
if [ "${BENCH_ONLY:-}" != web ]; then ensure_postgres; fi

if $web; then
  # The web phase's tools, from the registries only.
  if ! command -v wrk >/dev/null 2>&1; then
    say "installing wrk (Debian)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
  fi
  if [ ! -x bench/node_modules/.bin/lighthouse ] || [ bench/package-lock.json -nt bench/node_modules/.package-lock.json ]; then
    say "installing Lighthouse (npm, in bench/)"
    (cd bench && npm ci --no-audit --no-fund --loglevel=error)
  fi

  # Its own site root, so the debug site the Playwright tests use in
  # target/site is left alone. Hashed file names and brotli/gzip copies are
  # what a production deployment serves.
  site="$PWD/target/bench-site"
  say "building the release site, server and benchmark (cargo leptos build --release --precompress --split: scripts/env.sh, build_release)"
  LEPTOS_SITE_ROOT="$site" LEPTOS_HASH_FILES=true build_release build_bench 2>&1 | { grep -v '^ *Compiling ' || true; } | tail -n 16
  export BENCH_SERVER_BIN="$TARGET_DIR/release/tradein" BENCH_SITE_ROOT="$site"
  # The main module as the split step left it keeps function names (the
  # served one, after wasm-bindgen and wasm-opt, does not).
  export BENCH_WASM="$TARGET_DIR/front/wasm32-unknown-unknown/wasm-release/tradein_split.wasm"
fi

if ! $web; then
  say "building the benchmark"
  build_bench
fi
built=$(date +%s)
say "set-up and builds took $(( built - started )) s"
"$TARGET_DIR/release/bench"
say "done in $(( $(date +%s) - started )) s (set-up and builds $(( built - started )) s, measuring $(( $(date +%s) - built )) s)"
