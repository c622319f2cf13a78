#!/usr/bin/env bash
# One command on a fresh Debian 12 machine: install what is missing, build,
# and run rockets-server with the shipped configuration on :8088 (SQLite,
# database in data/). Extra arguments go to the server, e.g. -D key=value.
# A Release tree of its own, build-release/: scripts/test.sh's RelWithDebInfo
# tree (build/) and this one never rebuild each other.
set -euo pipefail
cd "$(dirname "$0")/.."
# The server, its plugins and rockets-sim (to validate it); not the tests.
ROCKETS_BUILD_DIR=build-release scripts/setup.sh Release rockets-server rockets-sim
exec build-release/bin/rockets-server --config=config/rockets.properties "$@"
