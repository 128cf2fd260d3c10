#!/usr/bin/env bash
# Fetches real cmake-js packages from the npm registry (pinned versions, checked against their
# registry integrity) and unpacks each under test/.cache/cmake-js/<name>/ with its runtime
# dependencies installed (node-addon-api, nan, bindings, ...), for the tests that build them with Kiln
# unchanged. Their prebuilt binaries are removed, so only a Kiln build can satisfy their loaders.
# None of their code is part of this repository. Safe to run again: a package already unpacked
# is left alone.
#   scripts/fetch-cmake-js-packages.sh
set -euo pipefail
cd "$(dirname "$0")/.."

# name version sha512-integrity (from `npm view <name>@<version> dist.integrity`)
packages=(
  "leveldb-zlib 1.2.0 sha512-DQFRg3ScBrCkEa2issB3oEyL1JslPnhIXxXZ/8IsEKlfThlPbDm5ibb//CVVAnNyKOjW1XthEu3N6eQQPadbjg=="
  "raknet-native 1.2.3 sha512-iXqQc/2298LJHQAyoYDdreZ9E4z+4d1y8lxp+EKno1r/ooIer83ShayCDsjpjwRHc9RiMdJz6fLbgBf2hLeTzw=="
  "xxhash32-node-cmake 1.1.0 sha512-8KLbfP8pwBqeyWRtvNWlSnbafF/IMkYm4IwSSsjJF5efP6QZUSQoycReYx/qLhwNA/NDsBp6kQ7Np4MKLuw/gA=="
)

cache=test/.cache/cmake-js
mkdir -p "$cache"

for entry in "${packages[@]}"; do
  read -r name version integrity <<<"$entry"
  dest="$cache/$name-$version"
  if [ -f "$dest/.complete" ]; then
    continue
  fi
  tmp=$(mktemp -d "$cache/.fetch-XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  tarball=$(cd "$tmp" && npm pack "$name@$version" --silent)
  actual=$(node -e 'const c = require("node:crypto"); const f = require("node:fs");
    process.stdout.write("sha512-" + c.createHash("sha512").update(f.readFileSync(process.argv[1])).digest("base64"))' "$tmp/$tarball")
  if [ "$actual" != "$integrity" ]; then
    echo "fetch-cmake-js-packages: $name@$version has integrity $actual, expected $integrity" >&2
    exit 1
  fi
  tar -xzf "$tmp/$tarball" -C "$tmp"
  rm -rf "$tmp/package/prebuilds" "$tmp/package/build"
  # Runtime dependencies only, no install scripts: the package's own (cmake-js compile) is
  # what Kiln replaces.
  (cd "$tmp/package" && npm install --omit=dev --omit=optional --ignore-scripts --no-audit \
    --no-fund --no-package-lock --loglevel=error >/dev/null)
  touch "$tmp/package/.complete"
  # Unpacked beside the final place and renamed, so an interrupted run never leaves half a tree.
  rm -rf "$dest"
  mv "$tmp/package" "$dest"
  rm -rf "$tmp"
  trap - EXIT
  echo "fetch-cmake-js-packages: unpacked $name@$version into $dest"
done
