#!/usr/bin/env bash
# Fetches pinned Debian packages that carry training or evaluation images, through the ordinary
# package client (`apt-get download`), into an ignored cache folder, checks every .deb against the
# SHA-256 pinned below, and unpacks it (`dpkg-deb -x`) once. Nothing is installed on the system.
# A .deb already in the cache is re-verified, not re-fetched; one that fails is removed and fetched
# again; an unpacked tree is reused only while its stamp names the pinned hash.
#
# Usage: scripts/data/fetch-debian.sh [PACKAGE...]   (default: every pinned package)
# Environment: CACHE (default <repo>/data-cache/debian).
# Prints, on stdout, one line per package: "<package> <folder of the unpacked tree>".
# Needs: apt-get (with its package lists; run `apt-get update` once on a fresh machine), dpkg-deb,
# sha256sum.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cache="${CACHE:-$repo_root/data-cache/debian}"
mkdir -p "$cache"

# package  version  sha256 of the .deb (`apt-cache show PACKAGE=VERSION`, field SHA256)
pins=(
  "openclipart-png 1:0.18+dfsg-19 f07f1545a2970c2cf3fa339bc2405da1a95cf2b1827bfa05bf73eb1c20291c02"
  "wamerican 2020.12.07-2 c8f8e2b2ad0d37bfdd41f0e40f1e4c8e5f907467d768a1d3698b164e9617f0b4"
  "python3-skimage 0.19.3-8 728d88c3e3440f1f3712de0805dc834d29248ff07e1eec8c0f3da07606f752f9"
  "mate-backgrounds 1.26.0-1 7bf4c2209f34b4f61ba6d24c8b58c28b361e82e4b943aae6d42c030169af9e04"
  "plasma-workspace-wallpapers 4:5.27.5-2 32cd18b71c8c938a18b3b351f217c02ac590e323caa3cf322fbb875ce8892f8b"
  "ukui-wallpapers 20.04.3-1.1 6d49be70152e6d603163458e177e501deb0be8f2916389ccbfcf59b0d7fc0262"
)

wanted=("$@")

is_wanted() {
  [[ ${#wanted[@]} -eq 0 ]] && return 0
  local w
  for w in "${wanted[@]}"; do [[ "$w" == "$1" ]] && return 0; done
  return 1
}

for w in "${wanted[@]}"; do
  found=0
  for pin in "${pins[@]}"; do [[ "${pin%% *}" == "$w" ]] && found=1; done
  [[ $found == 1 ]] || { echo "error: $w is not a pinned package of $0" >&2; exit 2; }
done

for pin in "${pins[@]}"; do
  read -r package version sha256 <<<"$pin"
  is_wanted "$package" || continue
  # apt-get download names the file <package>_<version with ':' as %3a>_<arch>.deb
  deb_dir="$cache/debs"
  mkdir -p "$deb_dir"
  deb="$(find "$deb_dir" -maxdepth 1 -name "${package}_*.deb" -print -quit)"
  if [[ -n "$deb" ]] && [[ "$(sha256sum "$deb" | cut -d' ' -f1)" != "$sha256" ]]; then
    echo "cached $deb does not match the pinned SHA-256; fetching it again" >&2
    rm -f "$deb"
    deb=""
  fi
  if [[ -z "$deb" ]]; then
    echo "fetching     $package=$version" >&2
    (cd "$deb_dir" && apt-get download -q=2 "$package=$version" 2>&1 | grep -v '^W: Download is performed unsandboxed' >&2) || true
    deb="$(find "$deb_dir" -maxdepth 1 -name "${package}_*.deb" -print -quit)"
    if [[ -z "$deb" ]]; then
      echo "error: apt-get download $package=$version produced no .deb (on a fresh machine run" \
        "'apt-get update' first)" >&2
      exit 1
    fi
    actual="$(sha256sum "$deb" | cut -d' ' -f1)"
    if [[ "$actual" != "$sha256" ]]; then
      rm -f "$deb"
      echo "error: $package=$version has SHA-256 $actual, pinned $sha256: removed it" >&2
      exit 1
    fi
  fi
  tree="$cache/$package"
  if [[ ! -f "$tree/.sha256" ]] || [[ "$(cat "$tree/.sha256")" != "$sha256" ]]; then
    echo "unpacking    $package" >&2
    rm -rf "$tree"
    mkdir -p "$tree"
    dpkg-deb -x "$deb" "$tree"
    echo "$sha256" >"$tree/.sha256"
  fi
  echo "$package $tree"
done
