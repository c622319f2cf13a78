#!/usr/bin/env bash
# bench/threads.sh — where a load's time goes, thread by thread: for each thread name
# of rockets-server (http-worker, consumer-0, sqlite-writer, …) its CPU, its time
# runnable but waiting for a core, and its context switches, per message, from
# /proc/PID/task/*/schedstat and status before and after one rockets-sim load.
#
# Usage: bench/threads.sh [--profile=s1|s2|s4] [--db=FILE] TARGET[@BUILD][,KEY=VALUE...] [messages]
#   TARGET    memory, sqlite-full, sqlite-normal or redis (bench/targets.sh)
#   --profile s1 the test program's profile (default), s2 keep-alive with 64 clients,
#             s4 s2 over 100,000 rockets
#   --db      an sqlite target starts from a copy of FILE instead of an empty store
#   messages  default 30000
# A thread that waits for a core about as long as it runs is contended; one that is
# always running or waiting is the bound. Needs bench/run.sh's Release tree
# (build-bench/, or ROCKETS_BENCH_BUILD). Loopback only, one bounded load.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
build=${ROCKETS_BENCH_BUILD:-$repo/build-bench}
profile=s1
seed_db=""
positional=()
for arg in "$@"; do
  case "$arg" in
    --profile=*) profile=${arg#--profile=} ;;
    --db=*) seed_db=$(realpath "${arg#--db=}") ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    -*) echo "threads.sh: unknown option $arg (see --help)" >&2; exit 64 ;;
    *) positional+=("$arg") ;;
  esac
done
[ ${#positional[@]} -ge 1 ] || { echo "threads.sh: which target? (see --help)" >&2; exit 64; }
target=${positional[0]}
messages=${positional[1]:-30000}
# shellcheck source=bench/targets.sh
. "$repo/bench/targets.sh"
targets_init threads.sh "${ROCKETS_BENCH_PORT:-28800}"
profile_args "$profile" || exit 64
[ -z "$seed_db" ] || [ -f "$seed_db" ] || { log "no such database: $seed_db"; exit 66; }

# One line per thread: name, ns on a core, ns runnable and waiting, voluntary and
# involuntary switches.
snapshot() {
  local task
  for task in /proc/"$server_pid"/task/*; do
    printf '%s %s %s %s\n' "$(tr ' ' _ <"$task/comm")" "$(cut -d' ' -f1,2 "$task/schedstat")" \
      "$(awk '$1 == "voluntary_ctxt_switches:" {print $2}' "$task/status")" \
      "$(awk '$1 == "nonvoluntary_ctxt_switches:" {print $2}' "$task/status")"
  done 2>/dev/null
}

start_target "$target" || { log "$target did not start: $unavailable_reason"; exit 69; }
snapshot >"$work/before"
"$build/bin/rockets-sim" launch "$url_base/messages" --max-messages="$messages" --progress=none \
  --report="$work/report.json" "${profile_load[@]}" >"$work/sim.out" 2>&1 || { log "rockets-sim failed: $(tail -3 "$work/sim.out")"; exit 1; }
snapshot >"$work/after"
stop_target

echo "$target, profile $profile, $messages messages: $(jq -r '.throughputPerSecond | floor' "$work/report.json") msg/s${seed_db:+, from a copy of $seed_db}"
echo
echo "| thread | threads | CPU µs/msg | waiting for a core µs/msg | voluntary switches /msg | involuntary /msg |"
echo "|---|---:|---:|---:|---:|---:|"
# Threads that ended or began during the load count with what they have in the
# snapshot that has them; those that spent under 0.1 µs per message are left out.
awk -v n="$messages" '
  NR == FNR { cpu[$1] -= $2; wait[$1] -= $3; vol[$1] -= $4; inv[$1] -= $5; next }
  { cpu[$1] += $2; wait[$1] += $3; vol[$1] += $4; inv[$1] += $5; count[$1]++ }
  END {
    for (t in count) if (cpu[t] / n >= 100)
      printf "| %s | %d | %.1f | %.1f | %.2f | %.2f |\n", t, count[t], cpu[t] / n / 1000, wait[t] / n / 1000, vol[t] / n, inv[t] / n
  }' "$work/before" "$work/after" | sort -t'|' -k4 -rn
