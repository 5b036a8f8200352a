# Sourced by the scripts: what every build shares.
# shellcheck shell=bash

# wasm-opt (binaryen from npm) for release builds.
export PATH="$PWD/end2end/node_modules/.bin:$PATH"

# In CI, keep build output outside the fresh clone so warm runs only rebuild
# what changed (cargo locks the folder safely).
if [ "${CI:-}" = "true" ] && [ -z "${CARGO_TARGET_DIR:-}" ]; then
  export CARGO_TARGET_DIR="$HOME/.cache/tradein/target"
fi
TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"

# cargo-leptos passes these to the compiler; `cargo test` gets the same ones
# so both builds share compiled dependencies instead of rebuilding Leptos.
export LEPTOS_OUTPUT_NAME=tradein LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg \
  LEPTOS_SITE_ADDR=127.0.0.1:3000 LEPTOS_RELOAD_PORT=3001 \
  LEPTOS_HASH_FILES=false

# Postgres runs on these machines; start it if it is down.
ensure_postgres() {
  if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    echo "[setup] starting Postgres"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && return 0; sleep 1; done
    echo "Postgres did not start on 127.0.0.1:5432" >&2
    return 1
  fi
}

# Release builds erase component types (Leptos's `erase_components`: views
# become `AnyView`), which made the browser's main wasm 15 % smaller. The
# server and the wasm must agree on it or hydration fails, so every release
# build (server, wasm, and the bench binary sharing the server's library)
# gets the same flags; debug builds and `cargo test` do without, so they
# keep sharing their compiled dependencies.
RELEASE_RUSTFLAGS="--cfg erase_components"

# The browser bundle of release builds, smaller than stock Rust makes it
# (main wasm 300.5 -> 281.8 KB brotli, scripts/bench.sh): the standard
# library compiled for it with the bundle's size settings instead of the
# prebuilt one, panics that stop the program without formatting a message
# or recording where they happened, and `{:?}` formatting compiled out (the
# browser shows people Display text only). These are unstable compiler
# options, so this one build may use them (RUSTC_BOOTSTRAP=1); they need
# the rust-src component (scripts/setup.sh), without which the bundle is
# built the stock way. Debug builds (the tests) keep panic messages.
WASM_SIZE_RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none"

# The release site and server, into LEPTOS_SITE_ROOT (the caller's), built
# side by side: each build ends in a long stretch on one core (the bundle's
# link-time optimisation, wasm-opt and brotli; the server crate's own code),
# which the other build fills. They share no compiled crate (other target,
# other flags) and cargo-leptos keeps the front end in target/front, so
# neither waits for the other's lock. Arguments, if any, are a command run
# once the server is built, also beside the front end (the bench binary,
# which reuses the server's library).
build_release() {
  local front_log status=0 front_status=0
  front_log=$(mktemp)
  (
    if [ -d "$(rustc --print sysroot)/lib/rustlib/src/rust/library/std" ]; then
      RUSTC_BOOTSTRAP=1 CARGO_UNSTABLE_BUILD_STD=std,panic_abort CARGO_UNSTABLE_BUILD_STD_FEATURES=optimize_for_size \
        RUSTFLAGS="$RELEASE_RUSTFLAGS $WASM_SIZE_RUSTFLAGS" cargo leptos build --release --precompress --split --frontend-only
    else
      echo "[setup] rust-src is missing: the browser bundle is built the stock way (larger)"
      RUSTFLAGS="$RELEASE_RUSTFLAGS" cargo leptos build --release --precompress --split --frontend-only
    fi
    # Names the main JS and wasm after their final bytes (the split step
    # patches them after naming), so they too can be cached for a year.
    if [ "${LEPTOS_HASH_FILES:-}" = true ]; then
      node scripts/content-names.mjs "$LEPTOS_SITE_ROOT" "$TARGET_DIR/release/hash.txt" "$LEPTOS_OUTPUT_NAME"
    fi
  ) >"$front_log" 2>&1 &
  local front=$!
  RUSTFLAGS="$RELEASE_RUSTFLAGS" cargo leptos build --release --precompress --split --server-only || status=$?
  if [ "$status" = 0 ] && [ $# -gt 0 ]; then
    "$@" || status=$?
  fi
  wait "$front" || front_status=$?
  if [ "$front_status" != 0 ]; then
    cat "$front_log"
    echo "[build] the front end failed to build (exit $front_status)" >&2
  else
    echo "[build] front end:"
    grep -v '^ *Compiling ' "$front_log" | tail -n 8
  fi
  rm -f "$front_log"
  [ "$status" = 0 ] && [ "$front_status" = 0 ]
}
