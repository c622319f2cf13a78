#!/usr/bin/env bash
# Builds and tests with ROCKETS_PLUGINS="memory;sqlite" and ROCKETS_BUILD_BENCH=OFF
# on a machine where hiredis and Google Benchmark look uninstalled (issue 13:
# dropping a plugin drops its dependency, and the tests adapt).
#
# The files of libhiredis-dev and libbenchmark-dev are hidden in a private mount
# namespace (unshare, needs root), so nothing outside this script notices; the
# build goes to build-noredis/. Extra arguments go to ctest.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${ROCKETS_HIDDEN:-}" != 1 ]; then
  [ "$(id -u)" = 0 ] || { echo "check-without-redis.sh: needs root (unshare --mount)" >&2; exit 77; }
  ROCKETS_HIDDEN=1 exec unshare --mount --propagation private "$0" "$@"
fi

multiarch=$(gcc -print-multiarch)
empty=$(mktemp -d)
trap 'rm -rf "$empty"' EXIT
for package in libhiredis-dev libbenchmark-dev; do
  dpkg-query -W "$package" >/dev/null 2>&1 || continue
  while read -r path; do
    case "$path" in /usr/share/*) continue ;; esac
    # A bind mount follows a symlink: hiding libhiredis.so would hide the runtime
    # library it points to (which ccache itself links). The headers, pkg-config file
    # and CMake package are what a build would need, and they are hidden.
    [ -L "$path" ] && continue
    if [ -d "$path" ]; then
      case "$path" in /usr/include/*|/usr/lib/"$multiarch"/cmake/*) mount --bind "$empty" "$path" ;; esac
    elif [ -e "$path" ]; then
      mount --bind /dev/null "$path"
    fi
  done < <(dpkg -L "$package")
done
if pkg-config --exists hiredis || [ -s /usr/include/hiredis/hiredis.h ] || [ -s /usr/include/benchmark/benchmark.h ]; then
  echo "check-without-redis.sh: could not hide hiredis / benchmark" >&2
  exit 1
fi

cmake -S . -B build-noredis -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DROCKETS_PLUGINS=memory;sqlite" \
  -DROCKETS_BUILD_BENCH=OFF >/dev/null
cmake --build build-noredis -j"$(nproc)"
if grep -rqs hiredis build-noredis/CMakeCache.txt; then
  echo "check-without-redis.sh: hiredis found its way into the configuration" >&2
  exit 1
fi
(cd build-noredis && ctest --output-on-failure -j2 --timeout 900 -LE browser "$@")
