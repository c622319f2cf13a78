#!/usr/bin/env bash
# bench/ab.sh — repeated, alternating A/B runs of two targets, for ratios that a
# single pass of bench/run.sh cannot settle on a shared machine: each repetition
# runs A then B on a fresh store, and the medians of the per-repetition ratios B/A
# take the drift of the machine out of the comparison.
#
# Usage: bench/ab.sh [-r reps] [-n messages] [-p "s1 s2 s4"] [-c channels] [A B]
#   A, B    targets (default: baseline-a memory):
#             baseline-a             bench/baseline's bare Poco server
#             memory                 rockets-server on the memory backend
#             sqlite-full|sqlite-normal   rockets-server on sqlite, synchronous FULL / NORMAL
#           a target may name another Release tree: sqlite-normal@/path/to/build
#           (its bin/ and lib/rockets/ are used; default build-bench/).
#   -p      profiles: s1 = the test program's (a connection per message, 3 senders),
#           s2 = keep-alive, 64 senders, 20 channels; s4 = s2 over -c channels (100000)
#   -r, -n  repetitions (5) and messages per load (30000)
# Prints a markdown table: ack rate, server CPU per 100k messages and CPU µs per
# message of each, the ratio B/A per repetition and its median per profile.
# Loopback only, ports ROCKETS_BENCH_PORT (28300) to +500; every load is bounded.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
default_build=${ROCKETS_BENCH_BUILD:-$repo/build-bench}
reps=5 messages=30000 profiles="s1 s2" channels=100000
while getopts "r:n:p:c:" opt; do
  case $opt in
    r) reps=$OPTARG ;; n) messages=$OPTARG ;; p) profiles=$OPTARG ;; c) channels=$OPTARG ;;
    *) sed -n '2,21p' "$0"; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
a=${1:-baseline-a} b=${2:-memory}
clk_tck=$(getconf CLK_TCK)
port=0
work=$(mktemp -d)
server_pid=""
trap '[ -z "$server_pid" ] || kill "$server_pid" 2>/dev/null || true; rm -rf "$work"' EXIT

# A random port of the 500 from ROCKETS_BENCH_PORT that nothing listens on (run()
# is called in a subshell, so a counter would not advance).
free_port() {
  port=$(( ${ROCKETS_BENCH_PORT:-28300} + RANDOM % 500 ))
  while ss -Hltn "sport = :$port" | grep -q .; do port=$((port + 1)); done
}

# run TARGET PROFILE -> "rate cpu_seconds_per_100k"
run() {
  local spec=$1 profile=$2 target build dir rate u0 s0 u1 s1
  target=${spec%@*}; build=$default_build
  [ "$spec" = "$target" ] || build=${spec#*@}
  free_port
  dir=$(mktemp -d "$work/$target.XXXX")
  local server=("$build/bin/rockets-server" --port="$port" -D rockets.plugins.dir="$build/lib/rockets"
                -D logging.loggers.root.level=warning)
  case "$target" in
    baseline-a) "$build/bin/rockets-baseline" --port="$port" >"$dir/log" 2>&1 & ;;
    memory) "${server[@]}" -D rockets.store.events=memory -D rockets.store.rockets=memory >"$dir/log" 2>&1 & ;;
    sqlite-full|sqlite-normal)
      local sync=FULL; [ "$target" = sqlite-full ] || sync=NORMAL
      "${server[@]}" -D rockets.store.events=sqlite -D rockets.store.rockets=sqlite \
        -D rockets.sqlite.path="$dir/rockets.db" -D rockets.sqlite.synchronous=$sync >"$dir/log" 2>&1 & ;;
    *) echo "unknown target $target" >&2; exit 2 ;;
  esac
  server_pid=$!
  for _ in $(seq 200); do curl -s -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 0.05; done
  read -r u0 s0 < <(sed 's/^.*) //' "/proc/$server_pid/stat" | awk '{print $12, $13}')
  local args=(--max-messages="$messages" --progress=none)
  case "$profile" in
    s2) args+=(--keep-alive --concurrency-level=64) ;;
    s4) args+=(--keep-alive --concurrency-level=64 --rockets="$channels") ;;
  esac
  rate=$(timeout 600 "$build/bin/rockets-sim" launch "http://127.0.0.1:$port/messages" "${args[@]}" |
         awk '/throughput/ {print $2}')
  read -r u1 s1 < <(sed 's/^.*) //' "/proc/$server_pid/stat" | awk '{print $12, $13}')
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
  rm -rf "$dir"
  awk -v r="${rate:-0}" -v t=$((u1 + s1 - u0 - s0)) -v hz="$clk_tck" -v n="$messages" \
    'BEGIN { printf "%s %.2f\n", r, t / hz * 100000 / n }'
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "A = $a, B = $b; $messages messages per load; CPU = server utime+stime"
echo
echo "| profile | rep | A msg/s | B msg/s | B/A | A CPU s/100k | B CPU s/100k | B−A CPU µs/msg |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
for profile in $profiles; do
  ratios=() extras=()
  for rep in $(seq "$reps"); do
    read -r ar ac < <(run "$a" "$profile")
    read -r br bc < <(run "$b" "$profile")
    ratio=$(awk -v x="$br" -v y="$ar" 'BEGIN { printf "%.2f", (y > 0) ? x / y : 0 }')
    extra=$(awk -v x="$bc" -v y="$ac" 'BEGIN { printf "%.1f", (x - y) * 10 }')
    ratios+=("$ratio") extras+=("$extra")
    echo "| $profile | $rep | $ar | $br | $ratio | $ac | $bc | $extra |"
  done
  echo "| $profile | **median** | | | **$(printf '%s\n' "${ratios[@]}" | median)** | | | **$(printf '%s\n' "${extras[@]}" | median)** |"
done
