#!/usr/bin/env bash
# Installs the Debian packages the build and tests need, only those missing.
# Runs apt-get as root (or through sudo when available). Idempotent.
set -euo pipefail
pkgs=(
  build-essential cmake pkg-config git
  librocksdb-dev libleveldb-dev liblmdb-dev libtbb-dev libsecp256k1-dev
  libxxhash-dev libcxxopts-dev libgtest-dev libgmock-dev libbenchmark-dev nlohmann-json3-dev
  libcpp-httplib-dev libspdlog-dev libssl-dev libsnappy-dev libzstd-dev liblz4-dev
  gnuplot-nox nodejs npm
)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# node/npm may come from outside Debian's packages (already on the machine): accept a working binary.
filtered=()
for p in "${missing[@]}"; do
  case "$p" in
    nodejs) command -v node >/dev/null 2>&1 || filtered+=("$p") ;;
    npm) command -v npm >/dev/null 2>&1 || filtered+=("$p") ;;
    *) filtered+=("$p") ;;
  esac
done
missing=("${filtered[@]}")
[ ${#missing[@]} -eq 0 ] && exit 0
echo "install-deps: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
