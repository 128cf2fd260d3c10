#!/usr/bin/env bash
# Fetches pkgconf 1.8.1's upstream source from Debian's archive and unpacks its test fixtures
# (tests/lib1 and friends) under test/.cache/, for the differential pkg-config tests. The
# fixtures are not part of this repository. Safe to run again: does nothing once unpacked.
#   scripts/fetch-pkgconf-tests.sh           fetch if missing
#   PKGCONF_ORIG_URL=<url> scripts/...      use another mirror of pkgconf_1.8.1.orig.tar.xz
set -euo pipefail
cd "$(dirname "$0")/.."

version=1.8.1
tarball="pkgconf_${version}.orig.tar.xz"
# From Debian's pkgconf_1.8.1-1.dsc (Checksums-Sha256).
sha256=644361ada2942be05655d4452eb018791647c31bba429b287f1f68deb2dc6840
cache=test/.cache
dest="$cache/pkgconf-$version"

if [ -f "$dest/tests/lib1/foo.pc" ]; then
  exit 0
fi

# The mirror apt already uses (deb822 `URIs:` or one-line `deb` entries), else deb.debian.org.
mirror=""
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list; do
  [ -r "$f" ] || continue
  mirror=$(sed -n -E 's#^URIs:[[:space:]]*(https?://[^[:space:]]*/debian)/?([[:space:]].*)?$#\1#p; s#^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?(https?://[^[:space:]]*/debian)/?[[:space:]].*$#\2#p' "$f" | head -n1)
  [ -n "$mirror" ] && break
done
mirror=${mirror:-http://deb.debian.org/debian}
url=${PKGCONF_ORIG_URL:-$mirror/pool/main/p/pkgconf/$tarball}

mkdir -p "$cache"
tmp=$(mktemp -d "$cache/.fetch-XXXXXX")
trap 'rm -rf "$tmp"' EXIT

if command -v curl >/dev/null 2>&1; then
  curl -fsSL --retry 3 -o "$tmp/$tarball" "$url"
elif command -v wget >/dev/null 2>&1; then
  wget -q -O "$tmp/$tarball" "$url"
else
  echo "fetch-pkgconf-tests: need curl or wget to download $url" >&2
  exit 1
fi

actual=$(sha256sum "$tmp/$tarball" | cut -d' ' -f1)
if [ "$actual" != "$sha256" ]; then
  echo "fetch-pkgconf-tests: $url has sha256 $actual, expected $sha256" >&2
  exit 1
fi

tar -xJf "$tmp/$tarball" -C "$tmp"
# Unpacked beside the final place and renamed, so an interrupted run never leaves half a tree.
rm -rf "$dest"
mv "$tmp/pkgconf-$version" "$dest"
echo "fetch-pkgconf-tests: unpacked pkgconf $version into $dest"
