#!/usr/bin/env bash
# bench/ab.sh — repeated, alternating A/B runs of two targets (A first in odd
# repetitions, B first in even ones), for goals whose ratio
# sits near its threshold. A single run of bench/run.sh measured memory / baseline (a)
# anywhere between 0.72 and 1.02 on this shared 2-core VM; alternating short runs and
# taking medians takes the drift of the machine out of the comparison.
#
# Usage: bench/ab.sh [--a=TARGET] [--b=TARGET] [--profiles="s1 s2"] [--b-profile=P] [--b-streams=N] [--verify] [reps] [messages]
#   defaults: --a=baseline-a --b=memory, both profiles, 5 reps, 30000 messages
# TARGET is baseline-a, memory, sqlite-full, sqlite-normal or redis, optionally
# followed by @BUILD_DIR to run the binaries of another Release tree (before/after
# comparisons: --a=redis@/path/to/old/build-bench --b=redis), and by ,KEY=VALUE
# settings for rockets-server (--a=sqlite-normal --b=sqlite-normal,rockets.http.maxThreads=16:
# one setting against its default). redis starts a private
# redis-server on a unix socket in a temporary folder, as bench/run.sh does
# (appendonly yes, appendfsync everysec).
# s1 = the test program's profile (3 clients, a connection per message), s2 =
# keep-alive with 64 clients, s4 = s2 over 100000 rockets (the scale scenario's
# load; compare its rate with s2's). --verify adds rockets-sim --verify and a column
# with the time from the last ack to consistency. --b-profile runs B under another
# profile than A (--a=redis --b=redis --profiles=s2 --b-profile=s4: the scale ratio).
# --b-streams=N keeps N GET /changes streams open during B's load (one rockets-sim
# watch process, as scenario 5 does; --a=memory --b=memory --b-streams=20
# --profiles=s1 is scenario 5's paired ratio); its CPU is shown as "readers".
# Needs the Release tree of bench/run.sh (build-bench/). Loopback only, bounded.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
default_build=${ROCKETS_BENCH_BUILD:-$repo/build-bench}
a=baseline-a
b=memory
profiles="s1 s2"
b_profile=""
b_streams=0
verify=0
positional=()
for arg in "$@"; do
  case "$arg" in
    --a=*) a=${arg#--a=} ;;
    --b=*) b=${arg#--b=} ;;
    --profiles=*) profiles=${arg#--profiles=} ;;
    --b-profile=*) b_profile=${arg#--b-profile=} ;;
    --b-streams=*) b_streams=${arg#--b-streams=} ;;
    --verify) verify=1 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) positional+=("$arg") ;;
  esac
done
reps=${positional[0]:-5}
messages=${positional[1]:-30000}
clk_tck=$(getconf CLK_TCK)
build=$default_build
# targets_init, start_target, stop_target, cpu_ticks, profile_args
# shellcheck source=bench/targets.sh
. "$repo/bench/targets.sh"
targets_init ab.sh "${ROCKETS_BENCH_PORT:-28300}"
for profile in $profiles $b_profile; do profile_args "$profile" || exit 64; done

# run TARGET PROFILE [STREAMS] -> "rate server_cpu_s_per_100k redis_cpu_s_per_100k consistency_ms readers_cpu_s_per_100k"
run() {
  local spec=$1 profile=$2 streams=${3:-0} c0 c1 r0=0 r1=0 w0=0 w1=0 watch_pid="" report=$work/report.json
  # run() feeds a process substitution: a subshell, whose processes the EXIT trap
  # does not know, so every way out below stops the target itself.
  start_target "$spec" || { log "$spec did not start: $unavailable_reason"; exit 69; }
  if [ "$streams" -gt 0 ]; then
    "$default_build/bin/rockets-sim" watch "$url_base/changes" --streams="$streams" --seconds=3600 \
      >"$work/watch.txt" 2>&1 &
    watch_pid=$!
    # "N streams open" is printed once every stream has its first bytes.
    for _ in $(seq 200); do grep -q "streams open" "$work/watch.txt" && break; sleep 0.05; done
    if ! grep -q "streams open" "$work/watch.txt"; then
      echo "rockets-sim watch did not open $streams streams on $spec: $(tail -c 300 "$work/watch.txt")" >&2
      kill "$watch_pid" 2>/dev/null || true
      stop_target
      exit 70
    fi
    w0=$(cpu_ticks "$watch_pid")
  fi
  c0=$(cpu_ticks "$server_pid")
  [ -z "$store_pid" ] || r0=$(cpu_ticks "$store_pid")
  profile_args "$profile"
  local args=(--max-messages="$messages" --progress=none --report="$report" "${profile_load[@]}")
  [ "$verify" = 0 ] || args+=(--verify --verify-timeout=60s)
  local sim_status=0
  "$default_build/bin/rockets-sim" launch "$url_base/messages" "${args[@]}" >"$work/sim.out" 2>&1 ||
    sim_status=$?
  if [ "$sim_status" != 0 ]; then
    # run() feeds a process substitution: say why here, or the table just ends.
    echo "ab.sh: rockets-sim against $spec ($profile) exited with $sim_status:" >&2
    tail -5 "$work/sim.out" >&2
    stop_target
    return 1
  fi
  c1=$(cpu_ticks "$server_pid")
  [ -z "$store_pid" ] || r1=$(cpu_ticks "$store_pid")
  if [ -n "$watch_pid" ]; then
    w1=$(cpu_ticks "$watch_pid")
    kill -TERM "$watch_pid" 2>/dev/null || true
    wait "$watch_pid" 2>/dev/null || true
  fi
  stop_target
  local rate consistency
  rate=$(jq -r '.throughputPerSecond' "$report")
  consistency=$(jq -r 'if .consistencySeconds == null then "-" else (.consistencySeconds * 1000 | tostring) end' "$report")
  awk -v r="$rate" -v t=$((c1 - c0)) -v rt=$((r1 - r0)) -v wt=$((w1 - w0)) -v hz="$clk_tck" -v n="$messages" -v c="$consistency" \
    'BEGIN { printf "%.1f %.2f %.2f %s %.2f\n", r, t / hz * 100000 / n, rt / hz * 100000 / n, (c == "-" ? "-" : sprintf("%.1f", c)), wt / hz * 100000 / n }'
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

streams_note=""
[ "$b_streams" = 0 ] || streams_note=" with $b_streams change streams open"
echo "A = $a, B = $b${b_profile:+ (profile $b_profile)}$streams_note, $messages messages per run; CPU in s per 100k messages (server + redis-server, + readers)"
echo
echo "| profile | rep | A msg/s | B msg/s | B/A | A CPU | B CPU | B−A server CPU µs/msg | A consistency (ms) | B consistency (ms) |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for profile in $profiles; do
  ratios=() extras=()
  for rep in $(seq "$reps"); do
    # Odd repetitions run A first, even ones B first: the second run of a pair found
    # a warmer machine (A against A, the same build, gave B/A 1.11 and 1.06 in s4), so
    # a fixed order would bias every pair the same way.
    if [ $((rep % 2)) = 1 ]; then
      read -r ar ac arc acons _ < <(run "$a" "$profile")
      read -r br bc brc bcons bwc < <(run "$b" "${b_profile:-$profile}" "$b_streams")
    else
      read -r br bc brc bcons bwc < <(run "$b" "${b_profile:-$profile}" "$b_streams")
      read -r ar ac arc acons _ < <(run "$a" "$profile")
    fi
    ratio=$(awk -v x="$br" -v y="$ar" 'BEGIN { printf "%.2f", x / y }')
    extra=$(awk -v x="$bc" -v y="$ac" 'BEGIN { printf "%.1f", (x - y) * 10 }')
    ratios+=("$ratio") extras+=("$extra")
    readers=""; [ "$b_streams" = 0 ] || readers=" + $bwc"
    echo "| $profile | $rep | $ar | $br | $ratio | $ac + $arc | $bc + $brc$readers | $extra | $acons | $bcons |"
  done
  echo "| $profile | **median** | | | **$(printf '%s\n' "${ratios[@]}" | median)** | | | **$(printf '%s\n' "${extras[@]}" | median)** | | |"
done
