#!/usr/bin/env bash
# Fuzzes the parsers (fuzz/: cargo-fuzz and libFuzzer), each target for a
# bounded time, one after the other, and prints one line of figures each.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]   default: 600 s, every target
#
# FUZZ_DEV=1 builds the targets without optimisation: quicker to build,
# slower to run, which suits the test command's short smoke run.
#
# New inputs go to a scratch folder, read beside the committed corpus
# (fuzz/corpus/TARGET), which stays as it is; FUZZ_KEEP=1 adds them to it
# and minimises it (cargo fuzz cmin). A crash, panic, overflow or an input
# slower than 10 s ends the script with libFuzzer's report; the input is
# saved under fuzz/artifacts/TARGET, and `cargo fuzz run TARGET FILE`
# (with the flags below) replays it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh >/dev/null
source scripts/env.sh

seconds=${1:-600}
shift || true
cd fuzz
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(cargo fuzz list)
fi

# No sanitizer: the code under test is safe Rust, so AddressSanitizer (a
# nightly-only flag) would look for memory errors it cannot have. What can
# happen is a panic, an arithmetic overflow (debug assertions on) or a
# runaway input, and libFuzzer reports each as a crash.
flags=(--sanitizer none --debug-assertions --target-dir "$TARGET_DIR/fuzz")
if [ "${FUZZ_DEV:-}" = "1" ]; then
  flags+=(--dev)
fi
cargo fuzz build "${flags[@]}" 2>&1 | tail -n 2

summary=()
for target in "${targets[@]}"; do
  mkdir -p "corpus/$target"
  scratch=$(mktemp -d)
  log=$(mktemp)
  status=0
  cargo fuzz run "${flags[@]}" "$target" "$scratch" "corpus/$target" -- \
    -max_total_time="$seconds" -timeout=10 -print_final_stats=1 >"$log" 2>&1 || status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)
  peak=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -n1)
  found=$(find "$scratch" -type f | wc -l)
  if [ "$status" -ne 0 ]; then
    tail -n 40 "$log"
    echo "fuzz $target: CRASH after ${runs:-?} runs (input in fuzz/artifacts/$target)" >&2
    exit 1
  fi
  if [ "${FUZZ_KEEP:-}" = "1" ]; then
    cp -n "$scratch"/* "corpus/$target"/ 2>/dev/null || true
    cargo fuzz cmin "${flags[@]}" "$target" "corpus/$target" >/dev/null 2>&1
  fi
  rm -rf "$scratch" "$log"
  line="fuzz $target: ${seconds}s, ${runs:-0} runs, 0 crashes, $found new inputs, corpus $(find "corpus/$target" -type f | wc -l), peak ${peak:-?} MB"
  echo "$line"
  summary+=("$line")
done
printf '%s\n' "${summary[@]}" >"$TARGET_DIR/fuzz/last-run.txt"
