#!/usr/bin/env bash
# Fetches the real node-gyp packages the binding.gyp conversion tests build (test/gyp/), with
# `npm pack` at pinned versions, into test/.cache/gyp-packages/. Their code is not part of this
# repository. Safe to run again: a tarball already there is kept.
set -euo pipefail
cd "$(dirname "$0")/.."

dest=test/.cache/gyp-packages
# Keep in step with test/gyp/packages.ts.
packages=(
  bufferutil@4.0.9
  utf-8-validate@6.0.5
  microtime@3.1.1
  farmhash@4.0.1
  cpu-features@0.0.10
  nan@2.22.2
  buildcheck@0.0.6
  node-gyp-build@4.8.4
)

mkdir -p "$dest"
for spec in "${packages[@]}"; do
  name=${spec%@*}
  version=${spec##*@}
  tarball="$dest/$name-$version.tgz"
  [ -f "$tarball" ] && continue
  tmp=$(mktemp -d "$dest/.fetch-XXXXXX")
  # npm checks the tarball against the registry's integrity hash.
  (cd "$tmp" && npm pack "$spec" --silent >/dev/null)
  mv "$tmp/$name-$version.tgz" "$tarball"
  rm -rf "$tmp"
  echo "fetch-gyp-packages: $spec"
done
