#!/usr/bin/env bash
# scripts/npm-deps.sh DIR... — installs the npm packages pinned by DIR/package-lock.json
# into DIR/node_modules when they are missing or older than the lock file (npm ci;
# playwright-core drives Debian's chromium, so no browser is ever downloaded).
# scripts/setup.sh calls it; so do the CTest fixtures of the node-based tests, so that a
# build configured with cmake alone runs them too.
set -euo pipefail
for dir in "$@"; do
  installed="$dir/node_modules/.package-lock.json"
  if [ -f "$installed" ] && [ ! "$dir/package-lock.json" -nt "$installed" ]; then
    continue
  fi
  if ! command -v npm >/dev/null 2>&1; then
    echo "npm is needed to install the packages of $dir (pinned by its package-lock.json): run scripts/setup.sh" >&2
    exit 1
  fi
  echo "==> npm ci in $dir"
  (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --prefer-offline --no-audit --no-fund)
done
