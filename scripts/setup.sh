#!/usr/bin/env bash
# Installs the Debian 12 packages rockets needs (only those missing), then
# configures and builds. Usage: scripts/setup.sh [build-type [target...]]
# (default: Release, every target) into $ROCKETS_BUILD_DIR (default: build).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(build-essential cmake pkg-config ccache curl
          libpoco-dev libhiredis-dev libsqlite3-dev
          googletest libgtest-dev libgmock-dev libbenchmark-dev prometheus-cpp-dev redis-server sqlite3
          chromium
          clang libclang-rt-dev llvm  # clang + compiler-rt: libFuzzer (scripts/fuzz.sh); llvm: symbolizer
          dpkg-dev systemd  # cpack -G DEB (dpkg-shlibdeps) and systemd-analyze verify (tests/install)
          shellcheck)  # the scripts' lint test (tests/scripts)
# The browser tests run on Node; Debian's nodejs/npm only where no node is installed
# (a newer Node from another Debian package is kept).
command -v node >/dev/null || packages+=(nodejs npm)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> installing: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# apt may start redis-server as a service; the tests start their own.

# The npm packages of the browser tests (playwright-core, driving Debian's chromium) and
# of the OpenAPI check (ajv), pinned by their package-lock.json files.
scripts/npm-deps.sh tests/browser tests/openapi

build_type="${1:-Release}"
shift || true
targets=()
for t in "$@"; do targets+=(--target "$t"); done
build_dir="${ROCKETS_BUILD_DIR:-build}"
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE="$build_type" >/dev/null
cmake --build "$build_dir" -j"$(nproc)" "${targets[@]}"
