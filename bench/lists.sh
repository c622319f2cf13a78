#!/usr/bin/env bash
# bench/lists.sh — how long GET /rockets takes over many rockets, for every sort field,
# both orders, two page sizes and a set of filters: one load into a fresh store, then
# each query five times (median of curl's time_total, ms).
#
# Usage: bench/lists.sh [--db=FILE] [--only=REGEX] TARGET[@BUILD][,KEY=VALUE...] [rockets] [messages]
#        bench/lists.sh --url=URL [--only=REGEX]
#   TARGET    memory, sqlite-full, sqlite-normal or redis (bench/targets.sh); @BUILD
#             runs another Release tree's binaries (before/after a change); ,KEY=VALUE
#             settings go to rockets-server as -D options
#   --db      an sqlite target starts from a copy of FILE and nothing is loaded
#   --url     query the server already running at URL (e.g. http://127.0.0.1:28080)
#             instead: nothing is started or loaded (bench/run.sh's scenario 4)
#   --only    only the queries matching this extended regular expression
#   rockets   default 100000; messages default three per rocket
# Filters: none, status=ACTIVE, status=EXPLODED, the type and the mission of the first
# rocket, that type with status=EXPLODED and with status=ACTIVE, and a type no rocket has
# (eight sets: 256 queries). Prints one markdown table. On this shared VM a median
# moves by ±30 % between runs: compare two builds by running each twice, alternating. Needs bench/run.sh's Release tree
# (build-bench/, or ROCKETS_BENCH_BUILD). Loopback only, one bounded load.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
build=${ROCKETS_BENCH_BUILD:-$repo/build-bench}
seed_db=""
only=""
url=""
positional=()
for arg in "$@"; do
  case "$arg" in
    --db=*) seed_db=$(realpath "${arg#--db=}") ;;
    --only=*) only=${arg#--only=} ;;
    --url=*) url=${arg#--url=} ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    -*) echo "lists.sh: unknown option $arg (see --help)" >&2; exit 64 ;;
    *) positional+=("$arg") ;;
  esac
done
[ ${#positional[@]} -ge 1 ] || [ -n "$url" ] || { echo "lists.sh: which target? (see --help)" >&2; exit 64; }
[ ${#positional[@]} -eq 0 ] || [ -z "$url" ] || { echo "lists.sh: --url or a target, not both" >&2; exit 64; }
target=${positional[0]:-${url%/}}
rockets=${positional[1]:-100000}
messages=${positional[2]:-$((3 * rockets))}
# shellcheck source=bench/targets.sh
. "$repo/bench/targets.sh"
targets_init lists.sh "${ROCKETS_BENCH_PORT:-29000}"
[ -z "$seed_db" ] || [ -f "$seed_db" ] || { log "no such database: $seed_db"; exit 66; }

if [ -n "$url" ]; then
  url_base=${url%/}
else
  start_target "$target" || { log "$target did not start: $unavailable_reason"; exit 69; }
fi
if [ -z "$seed_db" ] && [ -z "$url" ]; then
  log "loading $messages messages over $rockets rockets into $target"
  "$build/bin/rockets-sim" launch "$url_base/messages" --max-messages="$messages" --rockets="$rockets" \
    --keep-alive --concurrency-level=64 --progress=none >"$work/sim.out" 2>&1 ||
    { log "rockets-sim failed: $(tail -3 "$work/sim.out")"; exit 1; }
fi

total_of() {  # the X-Total-Count of a list query
  curl -s -D - -o /dev/null --max-time 30 "$url_base/rockets?$1" | tr -d '\r' |
    awk -F': ' 'tolower($1) == "x-total-count" {print $2}'
}
# Until the count of visible rockets has not moved for 3 s (the consumer, and redis'
# lazy reindexing, may still be catching up with the load), at most 3 minutes.
deadline=$((SECONDS + 180)) last=-1 still=0
while [ $SECONDS -lt $deadline ] && [ $still -lt 6 ]; do
  visible=$(total_of "limit=1")
  if [ "${visible:-0}" = "$last" ]; then still=$((still + 1)); else still=0; last=${visible:-0}; fi
  sleep 0.5
done

# The filters' type and mission: those of the first rocket in channel order (the load
# generator spreads its ten types and missions evenly, so each is about a tenth).
first=$(curl -s --max-time 30 "$url_base/rockets?limit=1")
type=$(jq -r '.[0].type // "none"' <<<"$first")
mission=$(jq -r '.[0].mission // "none"' <<<"$first")
urlencode() { jq -rn --arg v "$1" '$v | @uri'; }
filters=("" "&status=ACTIVE" "&status=EXPLODED" "&type=$(urlencode "$type")" "&mission=$(urlencode "$mission")"
         "&status=EXPLODED&type=$(urlencode "$type")" "&status=ACTIVE&type=$(urlencode "$type")" "&type=no-such-type")

echo "$target${seed_db:+ (from a copy of $seed_db)}: $last visible rockets; type $type, mission $mission"
echo
echo "| query | total | median ms |"
echo "|---|---:|---:|"
for filter in "${filters[@]}"; do
  for field in channel type mission speed status launchedAt updatedAt lastMessageNumber; do
    for order in asc desc; do
      for limit in 100 1000; do
        query="sort=$field&order=$order&limit=$limit$filter"
        [ -z "$only" ] || [[ $query =~ $only ]] || continue
        ms=$(for _ in 1 2 3 4 5; do
               curl -s -o /dev/null --max-time 30 -w '%{time_total}\n' "$url_base/rockets?$query"
             done | sort -n | awk 'NR == 3 {printf "%.1f", $1 * 1000}')
        echo "| \`$query\` | $(total_of "$query") | $ms |"
      done
    done
  done
done
[ -n "$url" ] || stop_target
