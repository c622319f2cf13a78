#!/usr/bin/env bash
# One command on a fresh Debian 12 machine: install what is missing, build,
# and run every test (unit, conformance for all backends, api, e2e). Tests that
# need redis-server start their own on a unix socket; none skip.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh RelWithDebInfo
command -v redis-server >/dev/null || { echo "redis-server is required by the tests" >&2; exit 1; }
cd build
ctest --output-on-failure -j2 --timeout 900 "$@"
