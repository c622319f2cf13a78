#!/usr/bin/env bash
# The installed rockets, as an operator gets it (issue 11).
# Usage: install-test.sh prefix|deb <build-dir> <plugins, ;-separated>
#   prefix: cmake --install into a temporary prefix; the installed server, started
#           with no options from another folder, reads <prefix>/etc/rockets/rockets.properties,
#           serves, and keeps its data in <prefix>/var/lib/rockets; the same with every
#           commented line of that config uncommented; a relative -D path against the
#           working directory; systemd-analyze verify of the unit.
#   deb:    cpack -G DEB; the package holds the binaries, plugins, config (a conffile,
#           naming /var/lib/rockets), unit and docs, and depends on the libraries.
set -euo pipefail
mode=$1
build=$(cd "$2" && pwd)
IFS=';' read -r -a plugins <<<"$3"

work=$(mktemp -d "${TMPDIR:-/tmp}/rockets-install.XXXXXX")
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill -9 "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
step() { echo "--- $*"; }

# Waits (up to 30 s) until `cmd` succeeds; fails with `what` otherwise.
await() {
  local what=$1; shift
  local deadline=$((SECONDS + 30))
  until "$@"; do
    [ $SECONDS -lt $deadline ] || fail "timed out: $what"
    sleep 0.1
  done
}

# start_server <name> <server args...>: starts the installed server on a free port
# from an unrelated working directory; sets server_pid and port.
start_server() {
  local name=$1; shift
  rm -f "$work/port"
  mkdir -p "$work/cwd"
  (cd "$work/cwd" && exec "$prefix/bin/rockets-server" "$@" --port=0 --port-file="$work/port") \
    >"$work/$name.log" 2>&1 &
  server_pid=$!
  local deadline=$((SECONDS + 30))
  until [ -s "$work/port" ]; do
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/$name.log" >&2; fail "$name: the server exited"; }
    [ $SECONDS -lt $deadline ] || { cat "$work/$name.log" >&2; fail "$name: no port file after 30 s"; }
    sleep 0.1
  done
  port=$(cat "$work/port")
}

stop_server() {
  kill -TERM "$server_pid"
  local rc=0
  wait "$server_pid" || rc=$?
  server_pid=""
  [ "$rc" -eq 0 ] || fail "the server exited with $rc on SIGTERM"
}

http_status() { curl -s -o /dev/null -w '%{http_code}' "$@"; }

channel=5b4b1c4e-27b0-4b5e-9d0e-0d1a6a1e7c01
launch='{"metadata":{"channel":"'$channel'","messageNumber":1,"messageTime":"2022-02-02T19:39:05.86337+01:00",
"messageType":"RocketLaunched"},"message":{"type":"Falcon-9","launchSpeed":500,"mission":"ARTEMIS"}}'

rocket_is_applied() {
  curl -s "http://127.0.0.1:$port/rockets/$channel" >"$work/rocket.json" &&
    grep -q '"type":"Falcon-9"' "$work/rocket.json" && grep -q '"speed":500' "$work/rocket.json"
}

check_prefix() {
  prefix=$work/prefix
  step "cmake --install --prefix $prefix"
  cmake --install "$build" --prefix "$prefix" >"$work/install.log" || { cat "$work/install.log" >&2; fail "cmake --install"; }
  local expected=(bin/rockets-server bin/rockets-sim etc/rockets/rockets.properties
                  share/doc/rockets/README.md share/doc/rockets/operations.md share/doc/rockets/openapi.json
                  share/doc/rockets/rockets.service)
  for plugin in "${plugins[@]}"; do expected+=("lib/rockets/rockets-store-$plugin.so"); done
  for file in "${expected[@]}"; do [ -f "$prefix/$file" ] || fail "not installed: $file"; done
  grep -qx "rockets.sqlite.path = $prefix/var/lib/rockets/rockets.db" "$prefix/etc/rockets/rockets.properties" ||
    fail "the installed config does not keep the database in $prefix/var/lib/rockets"
  "$prefix/bin/rockets-server" --help | grep -qF "read when it exists): $prefix/etc/rockets/rockets.properties" ||
    fail "--help does not name the installed configuration"

  step "the installed server with no options"
  start_server installed
  grep -qF "configuration: $prefix/etc/rockets/rockets.properties" "$work/installed.log" ||
    fail "the start-up log does not name the installed configuration: $(cat "$work/installed.log")"
  grep -qF "$prefix/var/lib/rockets/rockets.db" "$work/installed.log" ||
    fail "the start-up log does not name the database file"
  grep -q "limits: " "$work/installed.log" || fail "the start-up log does not name the limits"
  [ "$(http_status "http://127.0.0.1:$port/healthz")" = 200 ] || fail "GET /healthz is not 200"
  [ "$(http_status -X POST -H 'Content-Type: application/json' --data "$launch" "http://127.0.0.1:$port/messages")" = 202 ] ||
    fail "POST /messages is not 202"
  await "the posted rocket readable on GET /rockets/$channel" rocket_is_applied
  stop_server
  [ -f "$prefix/var/lib/rockets/rockets.db" ] || fail "no database in $prefix/var/lib/rockets"
  [ -z "$(ls -A "$work/cwd")" ] || fail "the server wrote into its working directory: $(ls -A "$work/cwd")"

  step "every commented line of the installed config uncommented"
  local config=$work/uncommented.properties
  sed -E 's/^# ((rockets|logging)\.[A-Za-z0-9.]+ = .*)$/\1/' "$prefix/etc/rockets/rockets.properties" >"$config"
  local commented
  commented=$(grep -cE '^# (rockets|logging)\.[A-Za-z0-9.]+ = ' "$prefix/etc/rockets/rockets.properties" || true)
  [ "$commented" -gt 0 ] || fail "the installed config has no commented key = value line to uncomment"
  grep -qE '^# (rockets|logging)\.[A-Za-z0-9.]+ = ' "$config" && fail "a commented line was left"
  start_server uncommented --config="$config"
  grep -qF "plugin $prefix/lib/rockets/" "$work/uncommented.log" || fail "the plugins were not loaded from $prefix/lib/rockets"
  [ "$(http_status "http://127.0.0.1:$port/healthz")" = 200 ] || fail "GET /healthz is not 200 (uncommented config)"
  await "the rocket stored by the first run" rocket_is_applied
  stop_server

  step "a relative -D path resolves against the working directory, not the config's folder"
  start_server define -D rockets.sqlite.path=define/rockets.db
  grep -qF "sqlite $work/cwd/define/rockets.db" "$work/define.log" ||
    fail "-D rockets.sqlite.path=define/rockets.db did not open $work/cwd/define/rockets.db: $(cat "$work/define.log")"
  stop_server
  [ -f "$work/cwd/define/rockets.db" ] || fail "no database in $work/cwd/define"

  step "systemd unit"
  if command -v systemd-analyze >/dev/null; then
    local unit=$prefix/share/doc/rockets/rockets.service
    systemd-analyze verify "$unit" >"$work/verify.log" 2>&1 || { cat "$work/verify.log" >&2; fail "systemd-analyze verify"; }
    if grep -q rockets.service "$work/verify.log"; then cat "$work/verify.log" >&2; fail "systemd-analyze verify warns"; fi
  else
    echo "systemd-analyze not installed: unit not verified (scripts/setup.sh installs it)"
  fi
}

check_deb() {
  step "cpack -G DEB"
  cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/deb" >"$work/cpack.log" 2>&1 ||
    { cat "$work/cpack.log" >&2; fail "cpack"; }
  local deb
  deb=$(ls "$work"/deb/rockets_*.deb)
  # Fields: mode owner size date time name [-> target]
  dpkg-deb -c "$deb" | awk '{print $6}' >"$work/contents"
  local expected=(./usr/bin/rockets-server ./usr/bin/rockets-sim ./etc/rockets/rockets.properties
                  ./lib/systemd/system/rockets.service
                  ./usr/share/doc/rockets/README.md ./usr/share/doc/rockets/operations.md
                  ./usr/share/doc/rockets/openapi.json)
  for plugin in "${plugins[@]}"; do expected+=("./usr/lib/rockets/rockets-store-$plugin.so"); done
  for file in "${expected[@]}"; do grep -qx -- "$file" "$work/contents" || fail "not in the package: $file"; done
  grep -qE '^\./usr/lib/(.*/)?librockets-core\.so\.0$' "$work/contents" || fail "librockets-core.so.0 not in the package"
  local outside
  outside=$(grep -vE '^\./$|^\./etc/$|^\./etc/rockets/|^\./lib/$|^\./lib/systemd/$|^\./lib/systemd/system/|^\./usr/' \
            "$work/contents" || true)
  [ -z "$outside" ] || fail "files outside /usr, /etc/rockets and /lib/systemd/system: $outside"

  dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles >"$work/conffiles"
  grep -qx /etc/rockets/rockets.properties "$work/conffiles" || fail "rockets.properties is not a conffile"
  [ "$(dpkg-deb -f "$deb" Package)" = rockets ] || fail "package name"
  dpkg-deb -f "$deb" Depends | grep -q libpocofoundation || fail "Depends does not list Poco: $(dpkg-deb -f "$deb" Depends)"

  dpkg-deb -x "$deb" "$work/root"
  grep -qx "rockets.sqlite.path = /var/lib/rockets/rockets.db" "$work/root/etc/rockets/rockets.properties" ||
    fail "the packaged config does not keep the database in /var/lib/rockets (the unit's StateDirectory)"
  local unit=$work/root/lib/systemd/system/rockets.service
  grep -qx "ExecStart=/usr/bin/rockets-server" "$unit" || fail "the unit does not start /usr/bin/rockets-server"
  grep -qx "StateDirectory=rockets" "$unit" || fail "the unit has no StateDirectory=rockets"
  if command -v systemd-analyze >/dev/null; then
    # verify checks that ExecStart exists: point it at the extracted binary.
    sed "s|^ExecStart=/usr/bin/|ExecStart=$work/root/usr/bin/|" "$unit" >"$work/rockets.service"
    systemd-analyze verify "$work/rockets.service" >"$work/verify.log" 2>&1 ||
      { cat "$work/verify.log" >&2; fail "systemd-analyze verify (packaged unit)"; }
    if grep -q rockets.service "$work/verify.log"; then cat "$work/verify.log" >&2; fail "systemd-analyze verify warns"; fi
  fi
}

# Both modes package what the build tree holds, and cpack builds it first (its
# `preinstall` step): in a tree older than its sources that would relink binaries
# under the tests ctest runs beside this one. A dry run of the build says whether
# anything would be compiled or linked ("Building ..."/"Linking ..." with Make and Ninja).
stale=$(cmake --build "$build" -- -n 2>/dev/null | grep -oE "(Building|Linking) [^\"]*" | head -3 || true)
[ -z "$stale" ] || fail "the build tree is older than its sources; build it first (cmake --build $build). It would:
$stale"

case "$mode" in
  prefix) check_prefix ;;
  deb) check_deb ;;
  *) fail "mode must be prefix or deb, got '$mode'" ;;
esac
echo "PASS: install-$mode"
