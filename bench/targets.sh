# bench/targets.sh — the benchmark's targets: start one on a fresh port with a fresh
# store, stop it, and read what its processes spent. Sourced by bench/run.sh,
# bench/ab.sh and bench/threads.sh, so that all three measure the same server with
# the same settings.
#
# The sourcing script provides build (the Release tree whose binaries a target runs
# unless it names another), and either calls targets_init or provides itself:
#   work          a temporary folder (stores, logs and sockets go below it)
#   port          the last port used (next_port moves past it)
#   pids_to_stop  an array its EXIT trap kills (start_target adds to it, stop_target
#                 and forget_pid take out what has been waited for)
#   log           a function printing one line to stderr
# and optionally nginx_bin (the nginx target) and seed_db (a database file that every
# sqlite target starts from a copy of, instead of an empty store).
# shellcheck shell=bash
# shellcheck disable=SC2154  # build, work, port, nginx_bin and seed_db come from the sourcing script

# targets_init NAME FIRST_PORT: the set-up of a script that has none of its own (ab.sh,
# threads.sh): a temporary work folder, removed at exit together with every process
# in pids_to_stop; ports from near FIRST_PORT (random within 100, so two such scripts
# seldom probe the same ones); log lines prefixed with NAME.
targets_init() {
  work=$(mktemp -d)
  port=$(( $2 + RANDOM % 100 ))
  pids_to_stop=()
  log_name=$1
  trap 'for pid in "${pids_to_stop[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"' EXIT
  log() { printf '%s: %s\n' "$log_name" "$*" >&2; }
}

cpu_ticks() {  # utime+stime of a pid, in clock ticks
  [ -r "/proc/$1/stat" ] || { echo 0; return; }
  sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'
}

thread_ticks() {  # utime+stime of the threads of a pid named $2 (see docs/operations.md)
  local t=0 task
  for task in /proc/"$1"/task/*; do
    [ "$(cat "$task/comm" 2>/dev/null)" = "$2" ] || continue
    t=$((t + $(cpu_ticks "$1/task/${task##*/}")))  # /proc/PID/task/TID/stat has the same fields
  done
  echo "$t"
}

wait_http() {  # until anything answers HTTP on the port, at most 20 s
  local deadline=$((SECONDS + 20))
  until curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$1/healthz"; do
    [ $SECONDS -lt $deadline ] || { log "nothing answers on port $1"; return 1; }
    sleep 0.05
  done
}

# Poco binds with SO_REUSEPORT: a port another process listens on would be
# shared silently, so skip every port that has a listener.
next_port() {
  port=$((port + 1))
  while ss -Hltn "sport = :$port" 2>/dev/null | grep -q .; do port=$((port + 1)); done
}

# profile_args PROFILE [ROCKETS]: sets the array profile_load to the rockets-sim launch
# arguments of a load profile; returns 1 for an unknown one.
#   s1  the test program's profile: 3 clients, a new connection per message
#   s2  keep-alive, 64 clients
#   s4  s2 over ROCKETS rockets (default 100,000: the scale scenario's load)
# shellcheck disable=SC2034  # profile_load is for the caller
profile_args() {
  case "$1" in
    s1) profile_load=() ;;
    s2) profile_load=(--keep-alive --concurrency-level=64) ;;
    s4) profile_load=(--keep-alive --concurrency-level=64 --rockets="${2:-100000}") ;;
    *) log "unknown profile $1 (s1, s2 or s4)"; return 1 ;;
  esac
}

# start_redis DIR [ARGS...]: a private redis-server on DIR/redis.sock (no RDB
# snapshots; ARGS add settings); sets redis_pid; returns 1 unless it answers within 10 s.
start_redis() {
  local dir=$1
  shift
  redis-server --port 0 --unixsocket "$dir/redis.sock" --unixsocketperm 700 --dir "$dir" --save '' \
    --daemonize no --logfile "$dir/redis.log" "$@" &
  redis_pid=$!
  pids_to_stop+=("$redis_pid")
  local deadline=$((SECONDS + 10))
  until redis-cli -s "$dir/redis.sock" ping >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.05
  done
}

# start_target NAME[@BUILD]: starts the target NAME (baseline-a, nginx, memory,
# sqlite-full, sqlite-normal or redis) from BUILD (default: $build) on a fresh port
# with a fresh store; sets server_pid, store_pid (redis-server or empty), url_base and
# target_dir. Returns 1, with unavailable_reason set and nothing left running, if it
# cannot start. redis runs a private redis-server on a unix socket with appendonly yes
# and appendfsync everysec.
# shellcheck disable=SC2034  # url_base, target_dir and unavailable_reason are for the caller
start_target() {
  # TARGET[@BUILD][,KEY=VALUE...]: the settings after the first comma go to
  # rockets-server as -D options after the target's own (so they win), e.g.
  # sqlite-normal,rockets.http.maxThreads=16 to compare a setting with bench/ab.sh.
  local spec=${1%%,*} from=$build settings=() setting list=()
  [ "$spec" = "$1" ] || IFS=',' read -r -a list <<<"${1#*,}"
  for setting in "${list[@]}"; do
    case "$setting" in
      *=*) settings+=(-D "$setting") ;;
      *) unavailable_reason="setting '$setting' is not KEY=VALUE"; return 1 ;;
    esac
  done
  local name=${spec%%@*}
  [ "$name" = "$spec" ] || from=${spec#*@}
  case "$name" in
    baseline-a|nginx)
      [ ${#settings[@]} = 0 ] || { unavailable_reason="settings apply to rockets-server targets only"; return 1; } ;;
  esac
  next_port
  target_dir=$(mktemp -d "$work/$name.XXXX")
  server_pid="" store_pid="" unavailable_reason=""
  url_base="http://127.0.0.1:$port"
  local dir=$target_dir
  local server_args=(--port="$port" -D rockets.plugins.dir="$from/lib/rockets"
                     -D logging.loggers.root.level=warning)
  case "$name" in
    baseline-a)
      "$from/bin/rockets-baseline" --port="$port" >"$dir/server.log" 2>&1 &
      server_pid=$! ;;
    nginx)
      local user_line=""; [ "$(id -u)" -ne 0 ] || user_line="user root;"
      cat >"$dir/nginx.conf" <<EOF
$user_line
worker_processes auto;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $dir/body;
  proxy_temp_path $dir/proxy;
  fastcgi_temp_path $dir/fastcgi;
  uwsgi_temp_path $dir/uwsgi;
  scgi_temp_path $dir/scgi;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$port;
    default_type application/json;
    location / { return 202 '{"status":"accepted"}'; }
  }
}
EOF
      "${nginx_bin:-nginx}" -p "$dir" -c "$dir/nginx.conf" >"$dir/server.log" 2>&1 &
      server_pid=$! ;;
    memory)
      "$from/bin/rockets-server" "${server_args[@]}" -D rockets.store.events=memory -D rockets.store.rockets=memory \
        "${settings[@]}" >"$dir/server.log" 2>&1 &
      server_pid=$! ;;
    sqlite-full|sqlite-normal)
      [ -f "$from/lib/rockets/rockets-store-sqlite.so" ] || { unavailable_reason="plugin not built"; return 1; }
      local sync=FULL; [ "$name" = sqlite-full ] || sync=NORMAL
      [ -z "${seed_db:-}" ] || cp "$seed_db" "$dir/rockets.db"
      "$from/bin/rockets-server" "${server_args[@]}" -D rockets.store.events=sqlite -D rockets.store.rockets=sqlite \
        -D rockets.sqlite.path="$dir/rockets.db" -D rockets.sqlite.synchronous=$sync "${settings[@]}" >"$dir/server.log" 2>&1 &
      server_pid=$! ;;
    redis)
      [ -f "$from/lib/rockets/rockets-store-redis.so" ] || { unavailable_reason="plugin not built"; return 1; }
      if ! start_redis "$dir" --appendonly yes --appendfsync everysec; then
        store_pid=$redis_pid; unavailable_reason="redis-server did not start"
        stop_target; return 1
      fi
      store_pid=$redis_pid
      "$from/bin/rockets-server" "${server_args[@]}" -D rockets.store.events=redis -D rockets.store.rockets=redis \
        -D rockets.redis.socket="$dir/redis.sock" "${settings[@]}" >"$dir/server.log" 2>&1 &
      server_pid=$! ;;
    *) unavailable_reason="unknown target $name"; return 1 ;;
  esac
  pids_to_stop+=("$server_pid")
  if ! wait_http "$port"; then
    unavailable_reason="did not start: $(tail -c 300 "$dir/server.log" | tr '\n' ' ')"
    stop_target; return 1
  fi
  sleep 0.2
  return 0
}

# forget_pid PID: drops PID from pids_to_stop once it has been waited for. The EXIT
# trap must kill only live processes of this script: a pid reaped half an hour earlier
# may belong to anyone by then (bench/run.sh's exit once killed an unrelated npm that
# had been given the pid of one of its servers).
forget_pid() {
  local kept=() pid
  for pid in "${pids_to_stop[@]}"; do [ "$pid" = "$1" ] || kept+=("$pid"); done
  pids_to_stop=("${kept[@]}")
}

stop_target() {  # stops what start_target started; safe to call twice
  if [ -n "${server_pid:-}" ]; then
    kill -TERM "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; forget_pid "$server_pid"
  fi
  if [ -n "${store_pid:-}" ]; then
    kill -TERM "$store_pid" 2>/dev/null || true; wait "$store_pid" 2>/dev/null || true; forget_pid "$store_pid"
  fi
  server_pid="" store_pid=""
}
