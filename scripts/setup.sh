#!/usr/bin/env bash
# Installs what Kiln's demo and its whole test suite use on a Debian/Ubuntu machine, then the npm
# dependencies. Safe to run again: apt-get skips what is already there.
#   scripts/setup.sh          everything: compilers (gcc, clang, lld, llvm), cmake, ninja, pkgconf,
#                             the aarch64 cross toolchain and qemu, MinGW-w64 and wine64, compiler
#                             caches and distcc, the -dev packages the tests check against;
#                             pkgconf 1.8.1's test fixtures
#                             from Debian, and the cmake-js and node-gyp packages the tests build,
#                             from npm (all into test/.cache/)
#   scripts/setup.sh --demo   only what `npm run demo` needs (compilers, cmake, ninja, pkgconf, zlib)
# `--all` is accepted and means the default.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(build-essential gcc g++ make cmake ninja-build pkgconf zlib1g-dev python3 file curl xz-utils)
if [ "${1:-}" != "--demo" ]; then
  packages+=(
    clang lld llvm ccache sccache distcc icecc util-linux
    gcc-aarch64-linux-gnu g++-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user
    gcc-mingw-w64-x86-64 g++-mingw-w64-x86-64 wine64
    libpng-dev libsqlite3-dev libssl-dev libxml2-dev libglib2.0-dev libzstd-dev libsnappy-dev
  )
fi

if command -v apt-get >/dev/null 2>&1; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
else
  echo "setup: no apt-get here; install these yourself: ${packages[*]}" >&2
fi

npm ci --no-audit --no-fund

if [ "${1:-}" != "--demo" ]; then
  scripts/fetch-pkgconf-tests.sh
  scripts/fetch-cmake-js-packages.sh
  scripts/fetch-gyp-packages.sh
fi
