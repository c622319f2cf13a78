#!/usr/bin/env bash
# scripts/fuzz.sh [seconds] — build the libFuzzer targets with clang in
# build-fuzz/ (ASan + UBSan + coverage, ROCKETS_FUZZ=ON) and run each for
# `seconds` (default 60), one after the other, with its seed corpus and
# dictionary from tests/fuzz/<target>/. Inputs that add coverage collect in
# build-fuzz/corpus/<target>/ (the tree's seeds stay as they are); a finding is
# saved as build-fuzz/findings/<target>/crash-* (or leak-, timeout-, oom-) and
# makes the script exit 1 (slow-unit-* files there are only reports of inputs
# slower than 10 s). ROCKETS_FUZZ_TIMEOUT (default 10) is the seconds one input
# may take before it counts as a hang; raise it on a machine busy with other
# work. Reproduce a finding with:
#   build-fuzz/bin/rockets-fuzz-<target> build-fuzz/findings/<target>/crash-...
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
B=${ROCKETS_FUZZ_BUILD:-build-fuzz}
timeout=${ROCKETS_FUZZ_TIMEOUT:-10}
targets=(message request-target request-framer)

cmake -S . -B "$B" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ -DROCKETS_FUZZ=ON \
  -DROCKETS_BUILD_TESTS=OFF -DROCKETS_BUILD_BENCH=OFF -DROCKETS_PLUGINS=memory >/dev/null
cmake --build "$B" -j"$(nproc)" --target "${targets[@]/#/rockets-fuzz-}"

export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
status=0
for t in "${targets[@]}"; do
  mkdir -p "$B/corpus/$t" "$B/findings/$t"
  log="$B/fuzz-$t.log"
  started="$B/findings/$t/.started"  # findings of earlier runs do not count
  touch "$started"
  echo "==> rockets-fuzz-$t for ${seconds}s (log: $log)"
  rc=0
  "$B/bin/rockets-fuzz-$t" "$B/corpus/$t" "tests/fuzz/$t/corpus" -dict="tests/fuzz/$t/$t.dict" \
    -max_total_time="$seconds" -timeout="$timeout" -max_len=16384 -print_final_stats=1 \
    -artifact_prefix="$B/findings/$t/" >"$log" 2>&1 || rc=$?
  runs=$(awk '/stat::number_of_executed_units/ {print $2}' "$log")
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  corpus=$(find "$B/corpus/$t" -type f | wc -l)
  findings=$(find "$B/findings/$t" -type f -newer "$started" ! -name 'slow-unit-*' ! -name '.started' | wc -l)
  echo "    ${runs:-?} executions, coverage ${cov:-?} edges / ${ft:-?} features, corpus $corpus, findings $findings"
  if [ "$rc" -ne 0 ] || [ "$findings" -gt 0 ]; then
    status=1
    echo "    FINDING (exit $rc): see $log and $B/findings/$t/" >&2
    grep -a -m5 -E 'invariant broken|ERROR: |SUMMARY' "$log" >&2 || true
  fi
done
exit $status
