#!/usr/bin/env bash
# Writes bench/RESULTS.md (to stdout) from the raw reports of bench/run.sh.
# Usage: bench/report.sh OUT_DIR MESSAGES SCALE_MESSAGES SCALE_ROCKETS RAW_S1 RAW_S4 SECONDS BACKENDS [PAIR_MESSAGES [SCALE_PAIR_MESSAGES]]
# (env: ROCKETS_BENCH_FSYNC_US, the fsync probe the bound uses; ROCKETS_BENCH_FSYNC_PROBES,
# every probe of the run, space-separated; ROCKETS_BENCH_REDIS_RTT_US and
# ROCKETS_BENCH_REDIS_RTT_PROBES, the same for the Redis round trip; ROCKETS_BENCH_GENERATED_AT,
# the run's time when re-rendering an earlier run's raw outputs)
set -euo pipefail
out=$1 messages=$2 scale_messages=$3 scale_rockets=$4 raw_s1=$5 raw_s4=$6 run_seconds=$7 backends=$8
pair_messages=${9:-?}
scale_pair_messages=${10:-?}

num() {  # a field of a report, or empty
  [ -f "$out/$1-$2.json" ] || return 0
  jq -r "if .unavailable then empty else ($3 // empty) end" "$out/$1-$2.json"
}
unavailable() { [ -f "$out/$1-$2.json" ] && jq -r '.unavailable // empty' "$out/$1-$2.json"; }
ratio() { [ -n "$1" ] && [ -n "$2" ] && awk -v a="$1" -v b="$2" 'BEGIN{ if (b > 0) printf "%.2f", a/b }'; }
closed_loop_bound() {  # RATE WAIT_US: 3 clients' rate when each ack also waits WAIT_US (empty if unknown)
  awk -v m="$1" -v u="$2" 'BEGIN{ if (m > 0 && u ~ /^[0-9]+$/) printf "%.0f", 3 / (3 / m + u / 1e6) }'
}
fmt() { [ -n "$2" ] && awk -v v="$2" "BEGIN{printf \"$1\", v}"; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# Scenario 6 (bench/run.sh): round R of backend B in profile sN ran memory and B back to
# back, reports pS-B-R-memory.json and pS-B-R-B.json.
rounds_of() {  # PREFIX_A TARGET_A PREFIX_B TARGET_B: the rounds R with both reports
  # PREFIX_A-R-TARGET_A.json and PREFIX_B-R-TARGET_B.json, in order
  local f r
  for f in "$out/$1-"*"-$2.json"; do
    [ -f "$f" ] || continue
    r=${f#"$out/$1-"}; r=${r%"-$2.json"}
    [ -n "$(num "$1-$r" "$2" .throughputPerSecond)" ] && [ -n "$(num "$3-$r" "$4" .throughputPerSecond)" ] && echo "$r"
  done | sort -n
}
pair_rounds() { rounds_of "p$1-$2" "$2" "p$1-$2" memory; }  # S B
pair_values() {  # S B KIND: one value per round; KIND rate (B / memory), cpu (B's extra
  # server µs per message over memory's), inverse and cpu-inverse (the same with memory and
  # B swapped: issue 6's goal compares memory with baseline (a)), fsync or rtt (B / the
  # closed-loop bound of the fsync probe or the Redis round trip, from that round's memory rate)
  local r v m
  for r in $(pair_rounds "$1" "$2"); do
    case $3 in
      rate) ratio "$(num "p$1-$2-$r" "$2" .throughputPerSecond)" "$(num "p$1-$2-$r" memory .throughputPerSecond)" ;;
      inverse) ratio "$(num "p$1-$2-$r" memory .throughputPerSecond)" "$(num "p$1-$2-$r" "$2" .throughputPerSecond)" ;;
      cpu|cpu-inverse)
        v=$(num "p$1-$2-$r" "$2" '.serverCpuSeconds / .sent * 1e6'); m=$(num "p$1-$2-$r" memory '.serverCpuSeconds / .sent * 1e6')
        [ "$3" = cpu ] || { local t=$v; v=$m; m=$t; }
        awk -v a="$v" -v b="$m" 'BEGIN{printf "%.1f", a - b}' ;;
      fsync|rtt)
        local wait=${ROCKETS_BENCH_FSYNC_US:-}
        [ "$3" = fsync ] || wait=${ROCKETS_BENCH_REDIS_RTT_US:-}
        ratio "$(num "p$1-$2-$r" "$2" .throughputPerSecond)" \
          "$(closed_loop_bound "$(num "p$1-$2-$r" memory .throughputPerSecond)" "$wait")" ;;
    esac
    echo
  done | grep -v '^$' || true
}
pair_median() { pair_values "$@" | median; }  # S B KIND
list_shapes() {  # TARGET: "query median_ms" per shape of scenario 4's bench/lists.sh table
  [ -f "$out/s4-$1.lists.md" ] || return 0
  awk -F' [|] ' '/^[|] `/ && $3 ~ /^[0-9.]+ [|]$/ { gsub(/`/, "", $1); sub(/^[|] /, "", $1); sub(/ [|]$/, "", $3); print $1, $3 }' \
    "$out/s4-$1.lists.md"
}

# Scenario 6's scale rounds: round R of backend B ran B's keep-alive load over 20
# channels (pq2-B-R-B.json) and over SCALE_ROCKETS channels (pq4-B-R-B.json) back to back.
scale_rounds() { rounds_of "pq4-$1" "$1" "pq2-$1" "$1"; }  # B
scale_values() {  # B: the scale load's rate over the 20-channel load's, one per round
  local r
  for r in $(scale_rounds "$1"); do
    ratio "$(num "pq4-$1-$r" "$1" .throughputPerSecond)" "$(num "pq2-$1-$r" "$1" .throughputPerSecond)"
    echo
  done | grep -v '^$' || true
}

# The round of scenario 6 that gave a goal its median (the lower middle one for an even
# count): the "Why" section explains the goal's measure with that round's two loads.
middle_round() { sort -n | awk '{ r[NR] = $2 } END { if (NR) print r[int((NR + 1) / 2)] }'; }  # "VALUE ROUND" lines
median_round() { paste -d' ' <(pair_values "$1" "$2" rate) <(pair_rounds "$1" "$2") | middle_round; }  # S B
scale_median_round() { paste -d' ' <(scale_values "$1") <(scale_rounds "$1") | middle_round; }  # B
# Where the "Why" section reads backend B's load of profile S (s1, s2), and its
# reference's: the median round of scenario 6 (memory from the same round), else the
# single runs of scenarios 1 and 2. Prints "PREFIX LABEL".
why_source() {  # S B
  local r; r=$(median_round "$1" "$2")
  if [ -n "$r" ]; then echo "p$1-$2-$r scenario ${1#s}, round $r of $2"; else echo "$1 scenario ${1#s}, one run"; fi
}
why_prefix() {  # S B: the report prefix of the load why_source names for B
  local prefix _
  read -r prefix _ <<<"$(why_source "$1" "$2")"
  echo "$prefix"
}
machine_cpu() {  # PREFIX TARGET: CPU of the server, redis-server and load generator per message (µs)
  num "$1" "$2" '(.serverCpuSeconds + .storeCpuSeconds + (.simCpuSeconds // 0)) / .sent * 1e6'
}
why_row() {  # PREFIX TARGET LABEL REFERENCE_MACHINE_CPU: one row of the "Why" table
  [ -n "$(num "$1" "$2" .throughputPerSecond)" ] || return 0
  jq -r --arg name "$3" --arg t "$2" --arg ref "$4" --argjson cores "$(nproc)" '
    def f(d): if . == null then "" else (. * pow(10; d) | round / pow(10; d) | tostring) end;
    (1e6 / .sent) as $per
    | ((.serverCpuSeconds + .storeCpuSeconds + (.simCpuSeconds // 0)) * $per) as $machine
    | "| \($name) | \($t) | \(.throughputPerSecond | f(0)) | \(.serverCpuSeconds * $per | f(1)) | " +
      "\(if .storeCpuSeconds > 0 then (.storeCpuSeconds * $per | f(1)) else "–" end) | " +
      "\(if .simCpuSeconds == null then "?" else (.simCpuSeconds * $per | f(1)) end) | \($machine | f(1)) | " +
      "\(if .loadWallSeconds then ((.serverCpuSeconds + .storeCpuSeconds + .simCpuSeconds) / .loadWallSeconds / $cores * 100 | f(0)) + " %" else "?" end) | " +
      "\(if (.loadWallSeconds // 0) == 0 then "?" elif .storeCpuSeconds > 0 then "redis-server " + (.storeCpuSeconds / .loadWallSeconds * 100 | f(0)) + " %" elif ($t | startswith("sqlite")) and .writerCpuSeconds != null then "sqlite-writer " + (.writerCpuSeconds / .loadWallSeconds * 100 | f(0)) + " %" else "–" end) | " +
      "\(if $ref == "" then "–" else (($ref | tonumber) / $machine | f(2)) end) | " +
      "\(if $ref == "" then "–" else (($ref | tonumber) / 0.8 | f(1)) end) | " +
      "\(if .serverWriteBytes == null then "?" else (.serverWriteBytes / .sent / 1024 | f(1)) end) |"' "$out/$1-$2.json"
}

load_row() {  # scenario target
  local why; why=$(unavailable "$1" "$2" || true)
  if [ -n "$why" ]; then echo "| $2 | not available ($why) | | | | | | |"; return; fi
  [ -f "$out/$1-$2.json" ] || { echo "| $2 | not run | | | | | | |"; return; }
  jq -r --arg t "$2" '
    def f(d): if . == null then "" else (. * pow(10; d) | round / pow(10; d) | tostring) end;
    "| \($t) | \(.throughputPerSecond | f(0)) | \(.latencyMs.p50 | f(2)) | \(.latencyMs.p99 | f(2)) | " +
    "\((.serverCpuSeconds / .sent * 100000) | f(2))" +
    (if .storeCpuSeconds > 0 then " (+\((.storeCpuSeconds / .sent * 100000) | f(2)) redis)" else "" end) +
    " | \((.peakRssKb / 1024) | f(1))" +
    (if .storePeakRssKb > 0 then " (+\((.storePeakRssKb / 1024) | f(1)) redis)" else "" end) +
    " | \(if .verified then (if .consistencySeconds == null then "not reached" else (.consistencySeconds * 1000 | f(1)) end) else "–" end)" +
    " | \(.result) (\(.sent)/\(.planned), retries \(.retries)) |"' "$out/$1-$2.json"
}

table_header() {
  echo "| target | ack rate (msg/s) | ack p50 (ms) | ack p99 (ms) | server CPU s / 100k msg | peak RSS (MB) | consistency after last ack (ms) | result |"
  echo "|---|---:|---:|---:|---:|---:|---:|---|"
}

goal() {  # name measured target holds
  echo "| $1 | $2 | $3 | $4 |"
}
holds() {  # value op threshold -> yes/no/n/a
  [ -n "$1" ] || { echo "n/a"; return; }
  awk -v v="$1" -v t="$3" -v op="$2" 'BEGIN{ ok = (op == ">=") ? (v >= t) : (v <= t); print ok ? "**yes**" : "**no**" }'
}
paired() {  # S B: how a goal row names scenario 6's measure
  echo "median of $(pair_rounds "$1" "$2" | wc -l) paired rounds (scenario 6)"
}
rate_goal() {  # B S THRESHOLD SUFFIX: B / memory in scenario S, at least THRESHOLD; the
  # median of scenario 6's paired rounds where they ran, else the one run of scenario S
  local one p why
  one=$(ratio "$(num "s$2" "$1" .throughputPerSecond)" "$(num "s$2" memory .throughputPerSecond)")
  why=$(unavailable "s$2" "$1" || true)
  p=$(pair_median "s$2" "$1" rate)
  if [ -n "$p" ]; then
    p=$(printf '%.2f' "$p")
    goal "$1 / memory, scenario $2$4: $(paired "s$2" "$1"); one run: ${one:-n/a}" "$p" "≥ $3" "$(holds "$p" '>=' "$3")"
  else
    goal "$1 / memory, scenario $2$4 (one run)" "${one:-n/a${why:+ ($why)}}" "≥ $3" "$(holds "$one" '>=' "$3")"
  fi
}
bound_goal() {  # B KIND WAIT_US NAME THRESHOLD: B's scenario-1 rate over the closed-loop
  # bound of WAIT_US (pair_values KIND), at least THRESHOLD (empty: for information)
  local m1 bound one p name target="(info)" h="–"
  m1=$(num s1 memory .throughputPerSecond)
  bound=$(closed_loop_bound "$m1" "$3")
  [ -n "$bound" ] || return 0
  one="$(ratio "$(num s1 "$1" .throughputPerSecond)" "$bound") of $bound msg/s ($(ratio "$bound" "$m1") of memory)"
  p=$(pair_median s1 "$1" "$2")
  if [ -n "$p" ]; then
    p=$(printf '%.2f' "$p")
    name="$1 scenario 1 / $4: $(paired s1 "$1"), each round's bound from its memory rate; one run: $one"
  else
    p=${one%% *}; name="$1 scenario 1 / $4 (one run: $one)"
  fi
  if [ -n "$5" ]; then target="≥ $5"; h=$(holds "$p" '>=' "$5"); fi
  goal "$name" "$p" "$target" "$h"
}

cpu_model=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
mem_total=$(awk '/MemTotal/ {printf "%.1f GB", $2 / 1048576}' /proc/meminfo)
# Several probes: the bound uses the fastest (bench/run.sh), the text shows them all.
probes_text=""
read -r -a probes <<<"${ROCKETS_BENCH_FSYNC_PROBES:-}"
rtt_probes=${ROCKETS_BENCH_REDIS_RTT_PROBES:-?}
if [ "${#probes[@]}" -gt 1 ]; then
  probes_text=", the fastest of ${#probes[@]} probes around the sqlite-full scenario-1 load: $(printf '%s\n' "${probes[@]}" | sort -n | paste -sd, - | sed 's/,/, /g') µs"
fi
fs=$(findmnt -n -o FSTYPE -T "$out" 2>/dev/null || echo "?")
# The scenario-1 loads the "Why" notes on sqlite-full and redis read (each choice
# reads every round of scenario 6, so it is made once).
why_full_s1=$(why_prefix s1 sqlite-full)
why_redis_s1=$(why_prefix s1 redis)

cat <<EOF
# rockets — benchmark results

Generated by \`bench/run.sh\` on ${ROCKETS_BENCH_GENERATED_AT:-$(date -u '+%Y-%m-%d %H:%M UTC')} in ${run_seconds} s.
The whole file is rewritten by each run.

**Machine:** $(nproc) cores, ${cpu_model}, ${mem_total} RAM, Linux $(uname -r),
sqlite files on ${fs} (one 4 KiB write + fsync: ${ROCKETS_BENCH_FSYNC_US:-?} µs${probes_text}). The load generator (rockets-sim), the server and, for
redis, redis-server all share these $(nproc) cores: absolute numbers are a
lower bound of what the server alone could do, and **ratios measured in the
same run** are what the goals are about. On this shared development machine
other builds may run at the same time; treat differences under ~10 % as noise.

**Commands** (port numbers vary; \`S\` = \`build-bench/bin/rockets-server --port=P -D rockets.plugins.dir=build-bench/lib/rockets\`):

| target | server command |
|---|---|
| baseline (a) | \`build-bench/bin/rockets-baseline --port=P\` (Poco HTTPServer, same ThreadPool(2..64)/params as Service.cpp, parseMessage, 202) |
| baseline (b) | \`nginx -p DIR -c DIR/nginx.conf\`: \`worker_processes auto\`, \`access_log off\`, \`location / { return 202 '{"status":"accepted"}'; }\` |
| memory | \`S -D rockets.store.events=memory -D rockets.store.rockets=memory\` |
| sqlite-full | \`S -D rockets.store.events=sqlite -D rockets.store.rockets=sqlite -D rockets.sqlite.path=DIR/rockets.db -D rockets.sqlite.synchronous=FULL\` |
| sqlite-normal | same with \`-D rockets.sqlite.synchronous=NORMAL\` |
| redis | \`redis-server --port 0 --unixsocket DIR/redis.sock --appendonly yes --appendfsync everysec --save ''\`, then \`S -D rockets.store.events=redis -D rockets.store.rockets=redis -D rockets.redis.socket=DIR/redis.sock\` |

Every target starts fresh (empty store) for every scenario. Loads:

| scenario | command |
|---|---|
| 1 (+3) | \`rockets-sim launch URL --max-messages=$messages [--verify --verify-timeout=60s]\` (defaults: 3 senders, a new connection per message, seed 444, 20 rockets) |
| 2 (+3) | \`rockets-sim launch URL --max-messages=$messages --keep-alive --concurrency-level=64 [--verify --verify-timeout=60s]\` |
| 4 | \`rockets-sim launch URL --rockets=$scale_rockets --max-messages=N --keep-alive --concurrency-level=64\` with N = $scale_messages, or what the backend's scenario-2 rate sends in ${ROCKETS_BENCH_SCALE_SECONDS:-60} s (the table shows it), then (once \`X-Total-Count\` = $scale_rockets) \`wrk -t1 -c1 -d10s --latency 'URL/rockets?sort=speed&order=desc&limit=100'\` |
| 5 | scenario 1's load on memory, alternating without and with open \`GET /changes\` streams (its section) |
| 6 | scenario 1's and 2's loads with --max-messages=$pair_messages, memory and each backend back to back; and each backend's keep-alive load over 20 and over $scale_rockets channels back to back, --max-messages=$scale_pair_messages; alternating which goes first (its section) |

Baselines get no \`--verify\` (they store nothing). Server CPU is utime+stime
from \`/proc/PID/stat\` before and after the load (all nginx processes summed),
peak RSS is \`VmHWM\` from \`/proc/PID/status\` at the end. Redis persistence:
\`appendonly yes\`, \`appendfsync everysec\` (an acknowledged message can be
lost if the *machine* fails within ~1 s; a kill -9 of either process loses
nothing). The sqlite files live on the same disk as the repository.

## Scenario 1 — the test program's profile ($messages messages, a connection per message, 3 clients)

$(table_header)
$(for t in baseline-a nginx $backends; do load_row s1 "$t"; done)

## Scenario 2 — keep-alive, 64 connections ($messages messages)

$(table_header)
$(for t in baseline-a nginx $backends; do load_row s2 "$t"; done)

## Scenario 3 — time to consistency

The "consistency after last ack" column above: rockets-sim \`--verify\` polls
every rocket (GET /rockets/{channel}) from the moment of the last ack until all
20 are exact. The verifier sleeps 5 ms between passes (one pass of 20 GETs
takes a few ms), so the value is an upper bound with a resolution of about
5–10 ms; a value of one pass means "consistent at the first look".

## Scenario 4 — scale (up to $scale_messages messages over $scale_rockets channels, keep-alive, 64 connections)

Run with keep-alive so that a million messages fit the time budget; its ack
rate is therefore compared with scenario 2 (same profile, 20 channels, 100k
messages): the question is whether the cost per message grows with the data.

| target | ack rate (msg/s) | vs scenario 2 | ack p50 / p99 (ms) | server CPU s / 100k msg | peak RSS at end (MB) | all visible after (s) | list p50 / p99 | list req/s |
|---|---:|---:|---:|---:|---:|---:|---:|---:|
$(for t in $backends; do
    why=$(unavailable s4 "$t" || true)
    if [ -n "$why" ]; then echo "| $t | not available ($why) | | | | | | | |"; continue; fi
    [ -f "$out/s4-$t.json" ] || { echo "| $t | not run | | | | | | | |"; continue; }
    r4=$(num s4 "$t" .throughputPerSecond); r1=$(num s2 "$t" .throughputPerSecond)
    jq -r --arg t "$t" --arg vs "$(ratio "$r4" "$r1")" '
      def f(d): if . == null then "" else (. * pow(10; d) | round / pow(10; d) | tostring) end;
      "| \($t) | \(.throughputPerSecond | f(0)) (\(.sent)/\(.planned)) | \($vs)× | \(.latencyMs.p50 | f(2)) / \(.latencyMs.p99 | f(2)) | " +
      "\((.serverCpuSeconds / .sent * 100000) | f(2)) | \((.peakRssKb / 1024) | f(1))" +
      (if .storePeakRssKb > 0 then " (+\((.storePeakRssKb / 1024) | f(1)) redis)" else "" end) +
      " | \(.secondsToAllVisible) (\(.visibleRockets) visible) | \(.listP50) / \(.listP99) | \(.listRps) |"' "$out/s4-$t.json"
  done)

### Every list shape at the end of scenario 4

The list columns above measure one query shape. After that probe, \`bench/lists.sh
--url=URL\` asks the same store for each sort field, both orders, limits 100 and 1000,
with eight filter sets (none, \`status=ACTIVE\`, \`status=EXPLODED\`, the first rocket's
type, its mission, that type with \`status=EXPLODED\` and with \`status=ACTIVE\`, a type no
rocket has):
$(for t in $backends; do list_shapes "$t" | wc -l; done | sort -n | tail -1) shapes, each
the median of five \`curl\` requests (\`time_total\`: a new connection, the query and the
whole body), while nothing else runs. Every shape's median is in
bench/out/s4-TARGET.lists.md (raw outputs, not committed).

| target | shapes | sum of medians (ms) | median (ms) | 90th percentile (ms) | slowest (ms) | slowest shape | shapes over 25 ms |
|---|---:|---:|---:|---:|---:|---|---:|
$(for t in $backends; do
    if [ -z "$(list_shapes "$t")" ]; then echo "| $t | not run | | | | | | |"; continue; fi
    list_shapes "$t" | sort -t' ' -k2 -n | awk -v t="$t" '
      { q[NR] = $1; v[NR] = $2; sum += $2; if ($2 > 25) over++ }
      END { printf "| %s | %d | %.0f | %.1f | %.1f | %.1f | `%s` | %d |\n", t, NR, sum, v[int((NR + 1) / 2)],
              v[int(NR * 0.9 + 0.5)], v[NR], q[NR], over }'
  done)

## Scenario 5 — the test program's profile with open change streams (memory)

\`rockets-sim launch URL --max-messages=$messages\` against the memory backend, alternating
runs without streams and with ${ROCKETS_BENCH_STREAMS:-20} readers of \`GET /changes\`
open for the whole load: one \`rockets-sim watch URL/changes --streams=${ROCKETS_BENCH_STREAMS:-20}\`
process that reads every stream from one thread (poll(2) on non-blocking sockets),
parsing and counting every event. The readers run on the same 2 cores as the server
and the load generator; their CPU is taken from the machine the server would
otherwise have. The last column counts the \`rocket\` events all readers together
received until the load ended: a stream carries one event per projection write (which
may fold several messages of a channel), and of several of one rocket within one flush
interval (50 ms) only the newest
([decision](../docs/decisions/2026-11-27-change-stream.md)).

| round | without streams (msg/s) | with streams (msg/s) | ratio | server CPU s / 100k without / with | readers' CPU s / 100k | events received by the readers |
|---|---:|---:|---:|---:|---:|---:|
$(for f in "$out"/s5-off-*-memory.json; do
    [ -f "$f" ] || continue
    round=${f##*s5-off-}; round=${round%-memory.json}
    off=$(num "s5-off-$round" memory .throughputPerSecond); on=$(num "s5-on-$round" memory .throughputPerSecond)
    c0=$(num "s5-off-$round" memory '.serverCpuSeconds / .sent * 100000'); c1=$(num "s5-on-$round" memory '.serverCpuSeconds / .sent * 100000')
    rc=$(num "s5-on-$round" memory '(.readerCpuSeconds // 0) / .sent * 100000')
    ev=$(num "s5-on-$round" memory '.streamEvents')
    echo "| $round | $(fmt '%.0f' "$off") | $(fmt '%.0f' "$on") | $(ratio "$on" "$off") | $(fmt '%.2f' "$c0") / $(fmt '%.2f' "$c1") | $(fmt '%.2f' "$rc") | $(fmt '%.0f' "$ev") |"
  done)

## Scenario 6 — the goals' ratios in pairs

Single runs of two targets minutes apart move with the machine: on this shared VM
memory's scenario-1 rate has differed 2× within one hour. So the ratios the goals
compare are also measured in pairs, as \`bench/ab.sh\` does: each round runs memory
and the backend (for issue 6's goal, baseline (a)) back to back, each on a fresh store, with the same load
(\`rockets-sim launch URL --max-messages=$pair_messages\`, and for scenario 2's profile
\`--keep-alive --concurrency-level=64\`), memory first in odd rounds and the backend first in even
ones. The goals below take the median of the rounds' ratios; the single runs of scenarios
1 and 2 are shown beside them.

| target / reference | profile | rounds: target / reference (msg/s) | ratios | median | extra server CPU µs/msg over the reference (median) |
|---|---|---|---|---:|---:|
$(rows=$(for b in baseline-a $backends; do
    [ "$b" != memory ] || continue
    # Issue 6's goal puts memory over baseline (a); the backends' goals put them over memory.
    rate=rate cpu=cpu label="$b / memory" target=$b reference=memory
    [ "$b" != baseline-a ] || { rate=inverse cpu=cpu-inverse label="memory / baseline (a)" target=memory reference=$b; }
    for s in 1 2; do
      rounds=$(pair_rounds "s$s" "$b")
      [ -n "$rounds" ] || continue
      rates=$(for r in $rounds; do
          printf '%s / %s, ' "$(fmt '%.0f' "$(num "ps$s-$b-$r" "$target" .throughputPerSecond)")" "$(fmt '%.0f' "$(num "ps$s-$b-$r" "$reference" .throughputPerSecond)")"
        done | sed 's/, $//')
      ratios=$(pair_values "s$s" "$b" "$rate" | paste -sd, - | sed 's/,/, /g')
      echo "| $label | scenario $s | $rates | $ratios | **$(printf '%.2f' "$(pair_median "s$s" "$b" "$rate")")** | $(printf '%.1f' "$(pair_median "s$s" "$b" "$cpu")") |"
    done
  done)
  echo "${rows:-| not run (no memory among the backends, or ROCKETS_BENCH_PAIR_ROUNDS=0) | | | | | |}")

The scale goal compares a backend's rate over $scale_rockets channels with its own rate
over 20, both keep-alive with 64 clients. Each round runs the two loads back to back on
fresh stores (\`--max-messages=$scale_pair_messages\`, and \`--rockets=$scale_rockets\` for the
second), the scale load second in odd rounds and first in even ones. With fewer
messages than scenario 4's run most of them launch a rocket; scenario 4 measures the
million-message load, these rounds the ratio.

| backend | rounds: $scale_rockets channels / 20 channels (msg/s) | ratios | median |
|---|---|---|---:|
$(rows=$(for b in $backends; do
    rounds=$(scale_rounds "$b")
    [ -n "$rounds" ] || continue
    rates=$(for r in $rounds; do
        printf '%s / %s, ' "$(fmt '%.0f' "$(num "pq4-$b-$r" "$b" .throughputPerSecond)")" "$(fmt '%.0f' "$(num "pq2-$b-$r" "$b" .throughputPerSecond)")"
      done | sed 's/, $//')
    echo "| $b | $rates | $(scale_values "$b" | paste -sd, - | sed 's/,/, /g') | **$(printf '%.2f' "$(scale_values "$b" | median)")** |"
  done)
  echo "${rows:-| not run (ROCKETS_BENCH_SCALE_PAIR_ROUNDS=0) | | | |}")

## Ratios and the goals of issues 6, 10 and 12 (same run)

$(a1=$(num s1 baseline-a .throughputPerSecond); a2=$(num s2 baseline-a .throughputPerSecond)
  n1=$(num s1 nginx .throughputPerSecond); n2=$(num s2 nginx .throughputPerSecond)
  echo "| goal | measured | target | holds |"
  echo "|---|---:|---:|---|"
  for s in 1 2; do
    one=$(ratio "$(num "s$s" memory .throughputPerSecond)" "$(num "s$s" baseline-a .throughputPerSecond)")
    p=$(pair_median "s$s" baseline-a inverse)
    if [ -n "$p" ]; then
      p=$(printf '%.2f' "$p")
      goal "memory / baseline (a), scenario $s: $(paired "s$s" baseline-a); one run: ${one:-n/a}" "$p" "≥ 0.9" "$(holds "$p" '>=' 0.9)"
    else
      goal "memory / baseline (a), scenario $s (one run)" "${one:-n/a}" "≥ 0.9" "$(holds "$one" '>=' 0.9)"
    fi
  done
  for b in sqlite-full redis; do
    for s in 1 2; do rate_goal "$b" "$s" 0.8 ""; done
  done
  for b in $backends; do
    for s in 1 2; do
      c=$(num s$s "$b" 'if .consistencySeconds == null then null else .consistencySeconds * 1000 end')
      goal "time to consistency, $b, scenario $s (ms)" "$(fmt '%.1f' "$c" || true)" "≤ 50" "$(holds "$c" '<=' 50)"
    done
  done
  for b in $backends; do
    r=$(ratio "$(num s4 "$b" .throughputPerSecond)" "$(num s2 "$b" .throughputPerSecond)")
    p=$(scale_values "$b" | median)
    if [ -n "$p" ]; then
      p=$(printf '%.2f' "$p")
      goal "$scale_rockets channels / 20 channels ack rate (keep-alive), $b: median of $(scale_rounds "$b" | wc -l) paired rounds (scenario 6); one run of scenarios 4 and 2: ${r:-n/a} ($(num s4 "$b" .sent) msgs)" \
        "$p" "≥ 0.8" "$(holds "$p" '>=' 0.8)"
    else
      goal "scenario 4 / scenario 2 ack rate (same profile), $b ($(num s4 "$b" .sent) msgs)" "${r:-n/a}" "≥ 0.8" "$(holds "$r" '>=' 0.8)"
    fi
  done
  for b in $backends; do
    p=$(num s4 "$b" .listP99)
    ms=$(echo "$p" | awk '/us$/ {sub("us",""); print $1/1000; next} /ms$/ {sub("ms",""); print $1; next} /s$/ {sub("s",""); print $1*1000}')
    goal "list p99 with $scale_rockets rockets, $b (ms)" "${ms:-n/a}" "≤ 25" "$(holds "$ms" '<=' 25)"
  done
  h1=$(num s1 memory .peakRssKb); h4=$(num s4 memory .peakRssKb)
  i4=$(num s4 memory .idleRssKb)
  r=$(ratio "$h1" "$(awk -v b="$raw_s1" 'BEGIN{print b/1024}')")
  goal "memory peak RSS / raw message bytes, scenario 1 ($(fmt '%.1f' "$(awk -v b="$raw_s1" 'BEGIN{print b/1048576}')") MB raw)" "${r:-n/a}" "≤ 2" "$(holds "$r" '<=' 2)"
  r=$(ratio "$h4" "$(awk -v b="$raw_s4" 'BEGIN{print b/1024}')")
  goal "memory peak RSS / raw message bytes, scenario 4 ($(fmt '%.1f' "$(awk -v b="$raw_s4" 'BEGIN{print b/1048576}')") MB raw)" "${r:-n/a}" "≤ 2" "$(holds "$r" '<=' 2)"
  if [ -n "$h4" ] && [ -n "$i4" ]; then
    r=$(ratio "$((h4 - i4))" "$(awk -v b="$raw_s4" 'BEGIN{print b/1024}')")
    goal "… the same without the idle process (peak − idle RSS), scenario 4" "${r:-n/a}" "(info)" "–"
  fi
  # Issue 10: durable at nearly in-memory speed.
  bound_goal sqlite-full fsync "${ROCKETS_BENCH_FSYNC_US:-}" "physical bound 3/(3/memory + fsync)" 0.85
  bound_goal redis rtt "${ROCKETS_BENCH_REDIS_RTT_US:-}" "round-trip bound 3/(3/memory + one Redis round trip)" ""
  for s in 1 2; do
    rate_goal sqlite-normal "$s" 0.8 " (issue 10)"
    rate_goal redis "$s" 0.75 " (issue 10)"
  done
  for b in sqlite-full sqlite-normal redis; do
    for s in 1 2; do
      extra=$(num s$s "$b" '.serverCpuSeconds / .sent * 1e6'); base=$(num s$s memory '.serverCpuSeconds / .sent * 1e6')
      d=$([ -n "$extra" ] && [ -n "$base" ] && awk -v a="$extra" -v b="$base" 'BEGIN{printf "%.1f", a - b}' || true)
      name="extra server CPU per message over memory, $b, scenario $s (µs)"
      p=$(pair_median "s$s" "$b" cpu)
      if [ -n "$p" ]; then
        name="$name: $(paired "s$s" "$b"); one run: ${d:-n/a}"
        d=$(printf '%.1f' "$p")
      fi
      target="(info)"; h="–"
      if [ "$b" = sqlite-normal ]; then target="≤ 50"; h=$(holds "$d" '<=' 50); fi
      goal "$name" "${d:-n/a}" "$target" "$h"
    done
  done
  # Issue 12: streams must not slow the webhook.
  # Each round runs without and then with streams back to back, so its ratio is
  # paired against the machine's drift between rounds (as bench/ab.sh pairs); the
  # goal takes the median of those, and the ratio of the medians is shown beside it.
  r=$(for f in "$out"/s5-off-*-memory.json; do
        [ -f "$f" ] || continue
        round=${f##*s5-off-}; round=${round%-memory.json}
        ratio "$(num "s5-on-$round" memory .throughputPerSecond)" "$(num "s5-off-$round" memory .throughputPerSecond)"; echo
      done | median)
  r=$([ -n "$r" ] && printf '%.2f' "$r" || true)
  goal "scenario 1 with ${ROCKETS_BENCH_STREAMS:-20} open streams / without (median of the rounds' paired ratios, scenario 5)" "${r:-n/a}" "≥ 0.95" "$(holds "$r" '>=' 0.95)"
  on=$(for f in "$out"/s5-on-*.json; do [ -f "$f" ] && jq -r '.throughputPerSecond // empty' "$f"; done | median)
  off=$(for f in "$out"/s5-off-*.json; do [ -f "$f" ] && jq -r '.throughputPerSecond // empty' "$f"; done | median)
  r=$(ratio "$on" "$off")
  goal "… the same as the ratio of the medians of all rounds with and without streams" "${r:-n/a}" "(info)" "–"
  r=$(ratio "$a1" "$n1"); goal "baseline (a) / nginx, scenario 1" "${r:-n/a}" "(info)" "–"
  r=$(ratio "$a2" "$n2"); goal "baseline (a) / nginx, scenario 2" "${r:-n/a}" "(info)" "–"
)

## Why a goal does not hold: what the machine spent per message (same run)

All three processes of a load (the load generator, the server and, for redis,
redis-server) share these $(nproc) cores. "Machine CPU" is their CPU together per
message (rockets-sim's CPU is what the bench script's reaped children gained over
the load); "busy" is that CPU over the load's wall time (from rockets-sim's start to
its exit) and $(nproc) cores. "One thread busy" is the CPU of a part that runs on one
thread over the same wall time: redis-server, or SQLite's writer thread (which
commits every transaction while requests queue; with few clients a caller that finds
no commit under way commits on its own thread, which this does not count). Near
100 %, that thread is the bound, however idle the other core is. Where a target keeps the
cores busy, its rate is bounded by its CPU per message. "CPU bound" is the ratio
the goal compares (the target against memory in scenarios 1 and 2, the backend over
$scale_rockets channels against itself over 20) as CPU alone sets it: the reference's machine CPU per
message divided by this row's, the ratio the rates would have if both kept the cores
equally busy. A goal of 0.8 then needs this row's machine CPU per message to be at
most the reference's / 0.8 ("allowed at 0.8"). Disk writes are the
server's \`write_bytes\` of \`/proc/PID/io\` (WAL frames of 4 KiB pages and their
checkpoint copies).
Each pair of rows is the round of scenario 6 that gave its goal the median ratio (the
goals' measure): the backend and its reference (memory, or for the scale goal the
backend over 20 channels) back to back, on fresh stores. Without scenario 6's rounds
the rows are the single runs of scenarios 1, 2 and 4 ("one run").

| load | target | ack rate | server µs/msg | redis-server µs/msg | load generator µs/msg | machine CPU µs/msg | busy | one thread busy | CPU bound | allowed at 0.8 (µs/msg) | disk writes KB/msg |
|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
$(for sc in s1 s2; do
    for t in $backends; do
      [ "$t" != memory ] || continue
      read -r prefix label <<<"$(why_source "$sc" "$t")"
      # memory's row of a single run serves every backend: shown once.
      [ "$prefix" = "$sc" ] && [ "${memory_shown:-}" = "$sc" ] || why_row "$prefix" memory "$label" ""
      [ "$prefix" != "$sc" ] || memory_shown=$sc
      why_row "$prefix" "$t" "$label" "$(machine_cpu "$prefix" memory)"
    done
  done
  for t in $backends; do
    r=$(scale_median_round "$t")
    if [ -n "$r" ]; then
      why_row "pq2-$t-$r" "$t" "20 channels, scale round $r of $t" ""
      why_row "pq4-$t-$r" "$t" "$scale_rockets channels, scale round $r of $t" "$(machine_cpu "pq2-$t-$r" "$t")"
    else
      why_row s2 "$t" "scenario 2, one run" ""
      why_row s4 "$t" "scenario 4, one run" "$(machine_cpu s2 "$t")"
    fi
  done)

How to read it against the goals of issue 10:
- **A durable backend / memory below 0.8 (or 0.75) while both rows are busy near
  100 %:** the cores are the bound. The "CPU bound" column is the ratio that CPU
  alone predicts; closing the gap means cutting the target's machine CPU per message
  to the "allowed" column. The server's part is system calls (WAL writes, locks,
  futex hand-offs; counted with strace in PROFILE.md), redis-server's part its
  command and Lua overhead per round trip (INFO commandstats in PROFILE.md).
- **Scenario 1 is a closed loop of three clients:** each sends its next message when
  the last one is acknowledged, so the rate is about 3 / (ack latency + the client's
  own turn-around), and a target's ratio to memory follows the ratio of the ack
  latencies even where the cores are not full. In each backend's scenario-1 round
  above: memory's ack p50 over the backend's, the p50 a ratio of 0.8 would need
  (memory's / 0.8), and the mean \`EventStore::append\` of both (the store's part of
  an acknowledgement, from the server's \`rockets_store_operation_duration_seconds\`):
  $(for b in $backends; do
      [ "$b" != memory ] || continue
      p=$(why_prefix s1 "$b")
      mp=$(num "$p" memory .latencyMs.p50); tp=$(num "$p" "$b" .latencyMs.p50)
      tr=$(ratio "$(num "$p" "$b" .throughputPerSecond)" "$(num "$p" memory .throughputPerSecond)")
      [ -n "$mp" ] && [ -n "$tp" ] || continue
      printf '%s %s (%s / %s ms, needed %s ms; rate ratio %s; mean append %s µs against %s µs), ' "$b" "$(ratio "$mp" "$tp")" "$mp" "$tp" \
        "$(awk -v p="$mp" 'BEGIN{ printf "%.2f", p / 0.8 }')" "${tr:-?}" "$(num "$p" "$b" .appendMeanMicros || true)" \
        "$(num "$p" memory .appendMeanMicros || true)"
    done | sed 's/, $//'). The store's part of an acknowledgement (the append's commit,
  on the request's thread) must stay under the difference.
- **sqlite-full in scenario 1:** not CPU-bound (low "busy"): it waits for fsync.
  Its bound is the fsync formula in the goals table; with three clients a group
  commit holds at most three messages, and the measured ack p50 of $(fmt '%.2f' "$(num "$why_full_s1" sqlite-full .latencyMs.p50)" || true) ms is $(awk -v p="$(num "$why_full_s1" sqlite-full .latencyMs.p50)" -v f="${ROCKETS_BENCH_FSYNC_US:-}" 'BEGIN{ if (p != "" && f > 0) printf "%.1f", p * 1000 / f; else printf "?" }') times
  the fsync probe: a message waits for the fsync in progress, then for its own.
- **redis in scenario 1:** every acknowledgement waits for at least one round trip to
  redis-server (the append script). A lone round trip on this machine, idle,
  \`redis-benchmark -c 1 -t ping\` on a private redis-server: ${ROCKETS_BENCH_REDIS_RTT_US:-?} µs (the fastest
  of ${rtt_probes// /, } µs), mostly the two processes waking each other. So
  even with nothing else to do, redis can reach at most 3 / (3/memory + round trip) in this
  profile (the goals table's round-trip bound), and 0.75 of memory needs an
  acknowledgement at most $(awk -v m="$(num "$why_redis_s1" memory .throughputPerSecond)" 'BEGIN{ if (m > 0) printf "%.0f", (1 / 0.75 - 1) * 3 / m * 1e6; else printf "?" }') µs slower than memory's. Under the load, redis-server and
  the server's threads wait for the cores as well: the mean append above is the round trip
  as the load sees it.
- **$scale_rockets channels / 20 channels:** compare a backend's two scale rows. With
  100,000 channels nearly every message dirties pages no other message of its
  transaction shares (its events leaf, its rocket row, the index entries of speed,
  updatedAt and lastMessageNumber, its \`channels\` row), so sqlite writes several
  times the bytes per message of the 20-channel load ("disk writes") and its server CPU
  per message grows with them. Where the scale row is not busy near 100 % and no one
  thread is either, neither CPU nor one thread is the bound: the rest is waiting.
  For sqlite, measured on 2026-11-27 (PROFILE.md, sixth and seventh sessions): the
  writer thread is on CPU a quarter of the time, preempted for another third (2
  cores, 64 HTTP workers), and stopped for a fifth by its WAL restarts (every
  32,000 pages it copies what the checkpointer has not and syncs both files, 70–130
  ms each; the acknowledgements' p99 of 100–200 ms are these stops). The disk took
  250–320 MB/s of writes meanwhile. What bounds it is the bytes per message, several
  random pages each, written twice (WAL, then database file).
  For redis the machine CPU columns of its two scale rows give the bound; redis-server
  keeps 100,000 sorted sets and filter sets, and one projection write per message
  (nothing folds when a channel's next message comes 100,000 messages later).

Raw bytes are the POST bodies exactly as sent (\`rockets-sim --dump\`, newlines
excluded): $raw_s1 bytes in scenario 1, $raw_s4 bytes in scenario 4.

## Micro-benchmarks (Google Benchmark, \`build-bench/bin/rockets-microbench --benchmark_min_time=0.2\`)

$(if [ -s "$out/micro.json" ]; then
    echo "| benchmark | ns / op | items/s | MB/s |"
    echo "|---|---:|---:|---:|"
    jq -r '.benchmarks[] |
      "| \(.name)\(if .label then " " + .label else "" end) | \(.real_time | . * 10 | round / 10) | " +
      "\(if .items_per_second then (.items_per_second | round | tostring) else "" end) | " +
      "\(if .bytes_per_second then (.bytes_per_second / 1048576 | . * 10 | round / 10 | tostring) else "" end) |"' "$out/micro.json"
  else
    echo "not run"
  fi)

## Store micro-benchmarks (\`build-bench/bin/rockets-storebench --benchmark_min_time=0.5\`)

One thread, through the plugin loader, a fresh database in the temporary folder
(\$TMPDIR, else /tmp): what the store itself
costs a message when nothing else runs (no HTTP, no consumer, no waits behind other
commits). \`BM_Append\` is one EventStore::append (its own transaction for sqlite),
\`BM_Project\` one compareAndSetMany of one rocket (sqlite commits projection-only
transactions at NORMAL). With the test program's three clients sqlite holds about one
message per transaction, so these are the floor of its extra CPU per message in
scenario 1.

$(if [ -s "$out/store.json" ]; then
    echo "Run at $(jq -r '.context.date' "$out/store.json")."
    echo
    echo "| benchmark | wall µs / op | CPU µs / op |"
    echo "|---|---:|---:|"
    jq -r '.benchmarks[] | "| \(.name) | \(.real_time / 1000 | . * 10 | round / 10) | \(.cpu_time / 1000 | . * 10 | round / 10) |"' "$out/store.json"
  else
    echo "not run"
  fi)

Raw outputs of this run: \`bench/out/\` (sim reports as JSON, sim text, wrk).
Where the time goes per message (perf, callgrind, strace, Redis commandstats):
[PROFILE.md](PROFILE.md) (\`bench/profile.sh\`) and the decision records in docs/decisions/.
EOF
