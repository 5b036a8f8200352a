#!/usr/bin/env bash
# Builds and runs tradein on the embedded SQLite database (data/tradein.db),
# with demo data on first start. `--dev` builds faster, runs slower.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/env.sh

profile=release
if [ "${1:-}" = "--dev" ]; then profile=debug; fi
if [ "$profile" = release ]; then build_release; else cargo leptos build --split; fi

export LEPTOS_SITE_ROOT="${TRADEIN_SITE_ROOT:-target/site}"
export LEPTOS_SITE_ADDR="${TRADEIN_ADDR:-127.0.0.1:3000}"
unset LEPTOS_OUTPUT_NAME LEPTOS_SITE_PKG_DIR LEPTOS_RELOAD_PORT LEPTOS_LIB_DIR LEPTOS_BIN_DIR LEPTOS_HASH_FILES
exec "$TARGET_DIR/$profile/tradein"
