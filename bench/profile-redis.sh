#!/usr/bin/env bash
# bench/profile-redis.sh — what one message costs Redis: commands, round trips and
# system calls per message, from INFO commandstats and strace -c on redis-server.
#
# Usage: bench/profile-redis.sh [BUILD_DIR] [messages]   (defaults: build-bench, 20000)
# Runs the test program's profile (s1: 3 clients, a connection per message) and
# keep-alive (s2: 64 clients) against a fresh private redis-server (unix socket,
# appendonly yes, appendfsync everysec, as bench/run.sh) each, with strace -c -f
# attached to redis-server. Prints one table; raw outputs in bench/out/profile-redis/.
# strace slows redis-server down: use the counts, not the rates, of these runs.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-${ROCKETS_BENCH_BUILD:-$repo/build-bench}}
messages=${2:-20000}
out=$repo/bench/out/profile-redis
mkdir -p "$out"
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  local p=$((28900 + RANDOM % 500))
  while ss -ltn "sport = :$p" | grep -q LISTEN; do p=$((p + 1)); done
  echo "$p"
}


echo "| profile | commands / msg (scripts' own included) | EVALSHA / msg | µs in EVALSHA / msg | read() / msg (≈ round trips) | write() / msg | epoll_wait / msg | redis-server CPU µs / msg |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
for profile in s1 s2; do
  dir=$(mktemp -d "$work/$profile.XXXX")
  sock=$dir/redis.sock
  redis-server --port 0 --unixsocket "$sock" --unixsocketperm 700 --dir "$dir" --appendonly yes \
    --appendfsync everysec --save '' --daemonize no --logfile "$dir/redis.log" >/dev/null 2>&1 &
  redis_pid=$!; pids+=("$redis_pid")
  for _ in $(seq 200); do redis-cli -s "$sock" ping >/dev/null 2>&1 && break; sleep 0.05; done
  port=$(free_port)
  "$build/bin/rockets-server" --port="$port" -D rockets.plugins.dir="$build/lib/rockets" \
    -D logging.loggers.root.level=warning -D rockets.store.events=redis -D rockets.store.rockets=redis \
    -D rockets.redis.socket="$sock" >"$dir/server.log" 2>&1 &
  server_pid=$!; pids+=("$server_pid")
  for _ in $(seq 200); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.05; done
  redis-cli -s "$sock" config resetstat >/dev/null
  strace -c -f -p "$redis_pid" -o "$out/$profile.strace.txt" 2>/dev/null &
  strace_pid=$!; pids+=("$strace_pid")
  sleep 0.5
  t0=$(awk '{print $14 + $15}' "/proc/$redis_pid/stat")
  args=(--max-messages="$messages" --progress=none --verify --verify-timeout=60s)
  [ "$profile" = s2 ] && args+=(--keep-alive --concurrency-level=64)
  "$build/bin/rockets-sim" launch "http://127.0.0.1:$port/messages" "${args[@]}" >"$out/$profile.sim.txt" 2>&1 || true
  sleep 1.2  # one idle sweep interval: what the sweep costs at rest is part of the picture
  t1=$(awk '{print $14 + $15}' "/proc/$redis_pid/stat")
  redis-cli -s "$sock" info commandstats >"$out/$profile.commandstats.txt"
  redis-cli -s "$sock" info stats >"$out/$profile.stats.txt"
  kill -INT "$strace_pid" 2>/dev/null || true; wait "$strace_pid" 2>/dev/null || true
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
  kill "$redis_pid"; wait "$redis_pid" 2>/dev/null || true
  # cmdstat_evalsha:calls=N,usec=U,... ; strace -c rows end with the syscall name.
  awk -v n="$messages" -v ticks=$((t1 - t0)) -v hz="$(getconf CLK_TCK)" -v p="$profile" '
    FILENAME ~ /commandstats/ && /^cmdstat_/ {
      split($0, kv, /[:=,]/)
      if (kv[1] ~ /^cmdstat_(info|config.*|ping|command.*)$/) next
      total += kv[3]
      if (kv[1] == "cmdstat_evalsha") { eval += kv[3]; evalus += kv[5] }
    }
    FILENAME ~ /strace/ && NF >= 5 {
      if ($NF == "read") reads = $4
      if ($NF == "write") writes = $4
      if ($NF == "epoll_wait") epolls = $4
    }
    END {
      printf "| %s | %.2f | %.2f | %.1f | %.2f | %.2f | %.2f | %.0f |\n", p, total / n, eval / n, evalus / n,
             reads / n, writes / n, epolls / n, ticks / hz * 1e6 / n
    }' "$out/$profile.commandstats.txt" "$out/$profile.strace.txt"
done
