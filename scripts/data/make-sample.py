#!/usr/bin/env python3
"""Regenerates sample-data/ from the pinned npm packages (see emoji_catalog.py).

Usage: scripts/data/make-sample.py [--cache DIR] [--out DIR]

Runs fetch-packages.sh first (npm pack + pinned sha1/sha512 check), then writes, deterministically:
  manifest.jsonl            one line per image (id, image, caption, keywords, class, subclass,
                            vendor, concept, codepoints, emoji)
  images/twemoji/*.png      Twemoji 64x64 PNGs, bytes unchanged from the package
  images/noto/*.png         Noto 64x64 PNGs, bytes unchanged from the package
  licenses/*                the MIT texts of emoji-datasource and emojibase-data, from the packages
  LICENSES.md, README.md    attribution and a description with counts
The CC-BY-4.0 and Apache-2.0 texts in licenses/ are committed files this script leaves alone.
Standard library only; running it twice gives byte-identical output.
"""

import argparse
import collections
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import emoji_catalog as catalog  # noqa: E402

LICENSE_OF_VENDOR = {"twemoji": "CC-BY-4.0", "noto": "Apache-2.0"}


def write_images_and_manifest(out, concepts):
    records = []
    for vendor in catalog.VENDORS:
        folder = os.path.join(out, "images", vendor)
        os.makedirs(folder, exist_ok=True)
        wanted = {c.slug + ".png" for c in concepts}
        for stale in sorted(set(os.listdir(folder)) - wanted):
            os.remove(os.path.join(folder, stale))
        for c in concepts:
            catalog.write_bytes_if_changed(os.path.join(folder, c.slug + ".png"), c.images[vendor])
    for c in concepts:
        for vendor in catalog.VENDORS:
            records.append(catalog.image_record(c, vendor, f"images/{vendor}/{c.slug}.png"))
    catalog.write_jsonl(os.path.join(out, "manifest.jsonl"), records)
    return records


def write_package_licenses(out, cache):
    folder = os.path.join(out, "licenses")
    os.makedirs(folder, exist_ok=True)
    twitter = catalog.read_text(cache, catalog.TWITTER, "LICENSE")
    google = catalog.read_text(cache, catalog.GOOGLE, "LICENSE")
    if twitter != google:
        raise SystemExit("error: the two emoji-datasource packages carry different LICENSE texts")
    for name, text in (
        ("emoji-datasource-MIT.txt", twitter),
        ("emojibase-data-MIT.txt", catalog.read_text(cache, catalog.EMOJIBASE, "LICENSE")),
    ):
        catalog.write_bytes_if_changed(os.path.join(folder, name), text.encode("utf-8"))


def package_line(package, cache):
    name, version = package
    digest = catalog.sha512_hex(catalog.tarball_path(cache, package))
    return f"| `{name}` | {version} | `{digest[:16]}…` |"


def write_licenses_md(out, cache):
    text = f"""# Licenses and attribution of sample-data/

The files under `images/` are third-party artwork, redistributed unchanged (the PNG bytes are the
packages' own); `manifest.jsonl` combines metadata from the packages listed below.

| Files | Artwork / data by | License | Full text |
|---|---|---|---|
| `images/twemoji/*.png` | Twemoji: Copyright Twitter, Inc and other contributors, Graphics licensed under CC-BY 4.0 (https://github.com/jdecked/twemoji) | CC-BY-4.0 | [licenses/CC-BY-4.0.txt](licenses/CC-BY-4.0.txt) |
| `images/noto/*.png` | Noto Emoji by Google (https://github.com/googlefonts/noto-emoji) | Apache-2.0 | [licenses/Apache-2.0.txt](licenses/Apache-2.0.txt) |
| `manifest.jsonl`: `caption`, `keywords`, `class`, `subclass`, `emoji` | emojibase-data, Copyright (c) 2017-2019 Miles Johnson (https://emojibase.dev) | MIT | [licenses/emojibase-data-MIT.txt](licenses/emojibase-data-MIT.txt) |
| `manifest.jsonl`: `codepoints`, image file selection | emoji-datasource, Copyright (c) 2013 Cal Henderson (https://github.com/iamcal/emoji-data) | MIT | [licenses/emoji-datasource-MIT.txt](licenses/emoji-datasource-MIT.txt) |

Twemoji attribution, as its license asks: **Copyright Twitter, Inc and other contributors,
Graphics licensed under CC-BY 4.0: https://creativecommons.org/licenses/by/4.0/**. The images are
the 64x64 renditions shipped in `emoji-datasource-twitter`; no changes were made to them.

The images were taken from these npm packages (sha512 of the tarball, checked by
`scripts/data/fetch-packages.sh` before use):

| Package | Version | sha512 |
|---|---|---|
{package_line(catalog.TWITTER, cache)}
{package_line(catalog.GOOGLE, cache)}
{package_line(catalog.EMOJIBASE, cache)}

emoji-datasource's README states the image licenses: "Android/Google/Noto images, are available
under the Apache License 2.0" and "Twitter images are available under the Creative Commons
Attribution 4.0 license"; its own LICENSE (MIT) covers its code and metadata. The CC-BY-4.0 and
Apache-2.0 texts are the canonical legal texts (as Debian ships them in
`/usr/share/doc/libuv1/copyright` and `/usr/share/common-licenses/Apache-2.0`), because the npm
packages carry only their own MIT LICENSE files.
"""
    catalog.write_bytes_if_changed(os.path.join(out, "LICENSES.md"), text.encode("utf-8"))


def write_readme(out, concepts, records, skipped):
    by_class = collections.OrderedDict()
    for c in concepts:
        entry = by_class.setdefault(c.group, [0, set()])
        entry[0] += 1
        entry[1].add(c.subgroup)
    rows = "\n".join(
        f"| `{group}` | {len(subs)} | {n} | {2 * n} |" for group, (n, subs) in by_class.items()
    )
    subgroups = len({c.subgroup for c in concepts})
    skip_lines = "\n".join(
        f"- {reason}: {len(keys)} ({', '.join(k.lower() for k in keys[:6])}"
        f"{', …' if len(keys) > 6 else ''})"
        for reason, keys in sorted(skipped.items())
    )
    image_bytes = sum(len(c.images[v]) for c in concepts for v in catalog.VENDORS)
    manifest_bytes = os.path.getsize(os.path.join(out, "manifest.jsonl"))
    text = f"""# sample-data: emoji in two drawing styles

Every base emoji concept that both **Twemoji** and **Noto** draw in the npm packages
`emoji-datasource-twitter` / `emoji-datasource-google` {catalog.TWITTER[1]}, as 64x64 RGBA PNGs,
captioned with the English label, tags, group and subgroup of `emojibase-data`
{catalog.EMOJIBASE[1]}. Licenses and attribution: [LICENSES.md](LICENSES.md).

- {len(concepts)} concepts x 2 styles = {len(records)} images ({image_bytes} bytes of PNG)
- {len(by_class)} classes (emojibase groups), {subgroups} subclasses (emojibase subgroups)
- Size: the PNGs are already stored at their smallest lossless size (re-deflating them at level 9
  with every PNG row filter gains nothing), so images and manifest together take
  {(image_bytes + manifest_bytes) / 1e6:.1f} MB, slightly above the 10 MB aim (git compresses the
  {manifest_bytes / 1e6:.1f} MB manifest further).

## Layout

- `manifest.jsonl`: one JSON object per image, in the manifest format that `mmsearch index`,
  `mmsearch train` and `mmsearch eval` read:
  `id` (`twemoji-1f600`, `noto-1f600`), `image` (path relative to this folder), `caption` (the
  emojibase label), `keywords` (the emojibase tags), `class` (group name), `subclass` (subgroup
  name), and extra metadata: `vendor` (`twemoji` or `noto`), `concept` (the normalised codepoint
  sequence, lower-case hex joined by `-`, shared by both styles of one emoji), `codepoints` (the
  sequence as the vendor's file names it, with FE0F where it has one) and `emoji` (the character).
- `images/twemoji/<concept>.png`, `images/noto/<concept>.png`: the PNGs, unchanged.
- `licenses/`: the full license texts.
- `models/default/`: the default model bundle, trained on this sample by `mmsearch train`; how,
  with the exact command, in [models/README.md](models/README.md). Not written by this script.

## Classes

| class | subclasses | concepts | images |
|---|---|---|---|
{rows}

## How it was selected

Codepoint sequences are normalised on all three sides by dropping FE0F/FE0E. A concept is kept
when emojibase-data has an entry for it with a group and both vendors ship a 64x64 image of it.
Skin-tone variants are left out (both sources nest them under their base emoji; only the base is
read). Left out as well:

{skip_lines}

The `skin-tone` subgroup holds the five skin-tone swatches, which exist only to build the variants.

## Regenerate

```
scripts/data/make-sample.py          # runs scripts/data/fetch-packages.sh first
```

`fetch-packages.sh` runs `npm pack` for the three pinned versions into the ignored `data-cache/npm/`
and checks each tarball's sha1 and sha512 against the values written in the script. The generator
uses only the Python 3 standard library and is deterministic: a re-run gives identical files.
"""
    catalog.write_bytes_if_changed(os.path.join(out, "README.md"), text.encode("utf-8"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", default=catalog.DEFAULT_CACHE)
    parser.add_argument("--out", default=os.path.join(catalog.REPO_ROOT, "sample-data"))
    args = parser.parse_args()

    catalog.fetch(args.cache)
    concepts, skipped = catalog.load(args.cache)
    os.makedirs(args.out, exist_ok=True)
    records = write_images_and_manifest(args.out, concepts)
    write_package_licenses(args.out, args.cache)
    write_licenses_md(args.out, args.cache)
    write_readme(args.out, concepts, records, skipped)
    classes = len({c.group for c in concepts})
    print(f"{len(concepts)} concepts, {len(records)} images, {classes} classes -> {args.out}")
    for reason, keys in sorted(skipped.items()):
        print(f"  skipped {len(keys)}: {reason}")


if __name__ == "__main__":
    main()
