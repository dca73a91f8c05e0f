#!/bin/sh
# CTest fixture of the e2e suite: installs the pinned npm packages
# (package-lock.json) with `npm ci`, unless node_modules already holds exactly
# that lock file's install. Fails loudly (never skips) when npm fails.
set -u
cd "$(dirname "$0")" || exit 1
if ! command -v npm >/dev/null 2>&1; then
  echo "e2e setup: npm is not installed; the end-to-end tests need Node.js >= 18 and npm" >&2
  exit 1
fi
stamp=node_modules/.knode-lock-sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  echo "e2e setup: node_modules matches package-lock.json"
  exit 0
fi
if ! npm ci --no-audit --no-fund; then
  echo "e2e setup: 'npm ci' failed in $(pwd) (is the npm registry reachable?)" >&2
  exit 1
fi
echo "$want" > "$stamp"
echo "e2e setup: installed the packages of package-lock.json"
