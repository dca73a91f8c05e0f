#!/bin/sh
# Installs the SDK (if needed) and writes the SDK-signed transaction vectors
# to $1. Exit status: 0 ok, 2 npm install failed, 3 the generator failed.
# Used by klaytn_tests (tx_sdk_test.cpp); node_modules stays in this folder.
set -u
out="$1"
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here" || exit 3
if [ ! -f node_modules/@kaiachain/ethers-ext/package.json ] || [ ! -f node_modules/ethers/package.json ]; then
  if [ -f package-lock.json ]; then
    npm ci --no-audit --no-fund >"$out.npm.log" 2>&1 || { cat "$out.npm.log" >&2; exit 2; }
  else
    npm install --no-audit --no-fund >"$out.npm.log" 2>&1 || { cat "$out.npm.log" >&2; exit 2; }
  fi
fi
node gen_vectors.js >"$out.tmp" || exit 3
mv "$out.tmp" "$out"
