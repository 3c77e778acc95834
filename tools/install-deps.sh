#!/usr/bin/env bash
# install-deps.sh -- installs what parcelscreen needs on Debian 12 (bookworm). Idempotent.
#   tools/install-deps.sh          build and run dependencies
#   tools/install-deps.sh --test   also what the tests and sanitizer builds need
set -euo pipefail

pkgs=(build-essential cmake pkg-config
      libhyperscan-dev libzmq3-dev libmsgpack-dev libjemalloc-dev
      libutf8proc-dev libsqlite3-dev libsodium-dev libxml2-dev sqlite3)
if [ "${1:-}" = "--test" ]; then
    pkgs+=(libcriterion-dev clang ripgrep grep)
fi

missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "installing: ${missing[*]}" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
