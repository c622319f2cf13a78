#!/usr/bin/env bash
# bench/profile.sh — where the memory backend's cycles go per message.
#
# Runs rockets-server (memory backend, the Release build of bench/run.sh) under
#   1. perf record (software cpu-clock sampling, whole process, every thread),
#      for scenario 1 (a connection per message) and scenario 2 (keep-alive, 64);
#   2. valgrind --tool=callgrind for the same two loads, shorter;
# and the baseline server under perf for scenario 1, for the difference.
# Outputs go to bench/out/profile/ (git-ignored). Needs bench/run.sh's build.
#
# Environment: ROCKETS_BENCH_BUILD (build-bench), ROCKETS_PROFILE_MESSAGES (50000),
#              ROCKETS_CALLGRIND_MESSAGES (5000)
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
build=${ROCKETS_BENCH_BUILD:-$repo/build-bench}
out=$repo/bench/out/profile
messages=${ROCKETS_PROFILE_MESSAGES:-50000}
cg_messages=${ROCKETS_CALLGRIND_MESSAGES:-5000}
port=18180
bin=$build/bin
mkdir -p "$out"

log() { printf '==> %s\n' "$*" >&2; }

wait_http() {
  local deadline=$((SECONDS + 60))
  until curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$1/healthz"; do
    [ $SECONDS -lt $deadline ] || { log "nothing answers on port $1"; return 1; }
    sleep 0.1
  done
}

memory_server=("$bin/rockets-server" -D rockets.plugins.dir="$build/lib/rockets"
               -D rockets.store.events=memory -D rockets.store.rockets=memory
               -D logging.loggers.root.level=warning)

load() {  # name port sim-args...
  local name=$1 p=$2; shift 2
  timeout 300 "$bin/rockets-sim" launch "http://127.0.0.1:$p/messages" --progress=none \
    --report="$out/$name.sim.json" "$@" >"$out/$name.sim.txt" 2>&1 || true
}

perf_run() {  # name sim-args... (server command in $server)
  local name=$1; shift
  port=$((port + 1))
  "${server[@]}" --port="$port" >"$out/$name.server.log" 2>&1 &
  local pid=$!
  wait_http "$port"
  perf record -F 1999 -e cpu-clock -g -p "$pid" -o "$out/$name.perf.data" >/dev/null 2>&1 &
  local perf_pid=$!
  sleep 0.5
  load "$name" "$port" "$@"
  kill -INT "$perf_pid"; wait "$perf_pid" 2>/dev/null || true
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
  perf report -i "$out/$name.perf.data" --no-children --sort dso,sym --stdio 2>/dev/null \
    | grep -v '^$' | head -120 >"$out/$name.perf.sym.txt" || true
  perf report -i "$out/$name.perf.data" --no-children --sort comm --stdio 2>/dev/null \
    | grep -v '^#' | grep -v '^$' | head -30 >"$out/$name.perf.comm.txt" || true
  perf report -i "$out/$name.perf.data" --no-children --sort dso --stdio 2>/dev/null \
    | grep -v '^#' | grep -v '^$' | head -30 >"$out/$name.perf.dso.txt" || true
  perf report -i "$out/$name.perf.data" --children --sort sym --stdio -g none 2>/dev/null \
    | grep -v '^$' | head -150 >"$out/$name.perf.children.txt" || true
  log "$name: $(jq -r '"\(.throughputPerSecond) msg/s"' "$out/$name.sim.json" 2>/dev/null)"
}

callgrind_run() {  # name sim-args...
  local name=$1; shift
  port=$((port + 1))
  valgrind --tool=callgrind --callgrind-out-file="$out/$name.callgrind.out" \
    "${server[@]}" --port="$port" >"$out/$name.server.log" 2>&1 &
  local pid=$!
  wait_http "$port"
  load "$name" "$port" "$@"
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
  callgrind_annotate --inclusive=yes "$out/$name.callgrind.out" 2>/dev/null | head -150 >"$out/$name.callgrind.incl.txt" || true
  callgrind_annotate --inclusive=no "$out/$name.callgrind.out" 2>/dev/null | head -80 >"$out/$name.callgrind.self.txt" || true
}

if perf record -e cpu-clock -o /dev/null true >/dev/null 2>&1; then
  server=("${memory_server[@]}")
  log "perf: memory, scenario 1 ($messages messages)"
  perf_run perf-s1-memory --max-messages="$messages"
  log "perf: memory, scenario 2 ($messages messages)"
  perf_run perf-s2-memory --max-messages="$messages" --keep-alive --concurrency-level=64
  server=("$bin/rockets-baseline")
  log "perf: baseline (a), scenario 1"
  perf_run perf-s1-baseline --max-messages="$messages"
  log "perf: baseline (a), scenario 2"
  perf_run perf-s2-baseline --max-messages="$messages" --keep-alive --concurrency-level=64
else
  log "perf record does not work here; skipping the perf part"
fi

if command -v valgrind >/dev/null; then
  server=("${memory_server[@]}")
  log "callgrind: memory, scenario 1 ($cg_messages messages)"
  callgrind_run cg-s1-memory --max-messages="$cg_messages"
  log "callgrind: memory, scenario 2 ($cg_messages messages)"
  callgrind_run cg-s2-memory --max-messages="$cg_messages" --keep-alive --concurrency-level=64
fi
log "profiles in $out"
