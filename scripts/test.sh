#!/usr/bin/env bash
# One command on a fresh Debian 12 machine: install what is missing, build,
# and run every test (unit, conformance for all backends, api, e2e). Tests that
# need redis-server start their own on a unix socket; none skip.
# Then, as CI does (issue 9): each libFuzzer target for 60 s (scripts/fuzz.sh,
# build-fuzz/), and the unit and conformance suites under ThreadSanitizer
# (build-tsan/). ROCKETS_TEST_EXTRAS=0 skips those two steps; extra arguments
# go to the first ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { echo "==> $1 ($(date -u +%T))"; }

step "build"
ROCKETS_BUILD_DIR=build scripts/setup.sh RelWithDebInfo
command -v redis-server >/dev/null || { echo "redis-server is required by the tests" >&2; exit 1; }
step "tests"
(cd build && ctest --output-on-failure -j2 --timeout 900 "$@")

[ "${ROCKETS_TEST_EXTRAS:-1}" = 0 ] && exit 0

step "fuzz: each target for 60 s"
scripts/fuzz.sh 60

step "ThreadSanitizer: unit and conformance suites"
cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DROCKETS_SANITIZE=thread \
  -DROCKETS_BUILD_BENCH=OFF >/dev/null
cmake --build build-tsan -j"$(nproc)" \
  --target unit-tests sim-tests conformance-tests sqlite-tests sqlite-vfs-tests sqlite-table-tests redis-tests api-tests
# halt_on_error: a race fails its test; the report is in the test's output.
# The fuzz corpus replays (label fuzz) are single-threaded and ran above.
(cd build-tsan && TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 ${TSAN_OPTIONS:-}" \
  ctest -L 'unit|conformance' -LE fuzz --output-on-failure -j2 --timeout 900)
# The change streams' hub (publishers on consumer threads, one writer thread) and
# the shared feed's subscription (held by request threads, ended by its linger
# thread), in process. Not the rest of api-tests: they run a whole Service, whose Poco::Util::Timer
# and socket reference counts live in the uninstrumented Poco libraries, which TSan
# reports as races it cannot see ordered.
(cd build-tsan && TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 ${TSAN_OPTIONS:-}" \
  ctest -R '^(StreamHub|SharedFeed)\.' --output-on-failure -j2 --timeout 900)
step "done"
