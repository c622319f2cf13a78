#!/usr/bin/env bash
# Installs the Debian 12 packages rockets needs (only those missing), then
# configures and builds. Usage: scripts/setup.sh [build-type [target...]]
# (default: Release, every target)
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(build-essential cmake pkg-config ccache curl
          libpoco-dev libhiredis-dev libsqlite3-dev
          googletest libgtest-dev libgmock-dev libbenchmark-dev redis-server sqlite3
          clang libclang-rt-dev llvm)  # clang + compiler-rt: libFuzzer (scripts/fuzz.sh); llvm: symbolizer
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

build_type="${1:-Release}"
shift || true
targets=()
for t in "$@"; do targets+=(--target "$t"); done
cmake -S . -B build -DCMAKE_BUILD_TYPE="$build_type" >/dev/null
cmake --build build -j"$(nproc)" "${targets[@]}"
