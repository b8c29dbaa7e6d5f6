"""The emoji catalogue that sample-data/ and bench-data/ are built from.

Reads the three pinned npm tarballs (fetched and hash-checked by fetch-packages.sh) without
unpacking them, and joins them by codepoint sequence:

  * emoji-datasource-twitter 16.0.0  -> Twemoji 64x64 PNGs   (images CC-BY 4.0)
  * emoji-datasource-google 16.0.0   -> Noto 64x64 PNGs      (images Apache-2.0)
  * emojibase-data 17.0.0, en/data.json + meta/groups.json -> label, tags, group, subgroup (MIT)

A concept is one base emoji (top-level entry; skin-tone variants are nested in both sources and
are left out) whose normalised codepoint sequence (FE0F/FE0E removed, upper-case hex joined by
'-') appears in all three sources. Python 3 standard library only.
"""

import hashlib
import json
import os
import subprocess
import sys
import tarfile
from dataclasses import dataclass, field

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FETCH_SCRIPT = os.path.join(REPO_ROOT, "scripts", "data", "fetch-packages.sh")
DEFAULT_CACHE = os.path.join(REPO_ROOT, "data-cache", "npm")

TWITTER = ("emoji-datasource-twitter", "16.0.0")
GOOGLE = ("emoji-datasource-google", "16.0.0")
EMOJIBASE = ("emojibase-data", "17.0.0")

# vendor name used in ids and folders -> (package, folder name of its images inside the package)
VENDORS = {"twemoji": (TWITTER, "twitter"), "noto": (GOOGLE, "google")}

# emojibase's "component" group holds the five skin-tone swatches (and hair styles): they exist to
# build skin-tone variants, which the sample leaves out, so they are not concepts of their own.
EXCLUDED_SUBGROUPS = {"skin-tone"}

VARIATION_SELECTORS = {"FE0E", "FE0F"}


def normalise(codepoints):
    """'2764-FE0F' -> '2764': upper-case hex joined by '-', variation selectors removed."""
    return "-".join(cp for cp in codepoints.upper().split("-") if cp not in VARIATION_SELECTORS)


@dataclass(frozen=True)
class Concept:
    key: str  # normalised codepoint sequence, upper-case, e.g. "1F468-200D-1F469"
    emoji: str
    label: str
    tags: tuple
    group: str
    subgroup: str
    order: int  # emojibase's display order, used to sort deterministically
    codepoints: dict = field(hash=False)  # vendor -> unified sequence as the vendor names its file
    images: dict = field(hash=False)  # vendor -> PNG bytes, unchanged from the package

    @property
    def slug(self):
        """File-name and id form of the key: lower-case hex joined by '-'."""
        return self.key.lower()


def tarball_path(cache_dir, package):
    name, version = package
    return os.path.join(cache_dir, f"{name}-{version}.tgz")


def fetch(cache_dir):
    """Runs fetch-packages.sh, which npm-packs missing tarballs and verifies every pinned hash."""
    subprocess.run(["bash", FETCH_SCRIPT, cache_dir], check=True, stdout=subprocess.DEVNULL)


def sha512_hex(path):
    digest = hashlib.sha512()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _read_members(path, wanted):
    """Returns {member name: bytes} for the members of a .tgz accepted by wanted(name)."""
    out = {}
    with tarfile.open(path, "r:gz") as tar:
        for member in tar:
            if member.isfile() and wanted(member.name):
                out[member.name] = tar.extractfile(member).read()
    return out


def read_text(cache_dir, package, member):
    path = tarball_path(cache_dir, package)
    data = _read_members(path, lambda name: name == "package/" + member)
    if not data:
        raise SystemExit(f"error: {path} has no package/{member}")
    return data["package/" + member].decode("utf-8")


def _vendor_images(cache_dir, vendor):
    package, folder = VENDORS[vendor]
    path = tarball_path(cache_dir, package)
    prefix = f"package/img/{folder}/64/"
    members = _read_members(
        path, lambda name: name == "package/emoji.json" or name.startswith(prefix)
    )
    entries = json.loads(members["package/emoji.json"])
    images = {}
    for entry in entries:
        # Only top-level entries: skin-tone variants live under entry["skin_variations"].
        png = members.get(prefix + entry["image"])
        if png is None:
            continue  # the vendor does not draw this emoji
        key = normalise(entry["unified"])
        if key in images:
            raise SystemExit(f"error: {path}: two entries normalise to {key}")
        images[key] = (entry["unified"], png)
    return images


def load(cache_dir):
    """Returns (concepts sorted by emojibase order, skip report {reason: [keys]})."""
    groups_meta = json.loads(read_text(cache_dir, EMOJIBASE, "meta/groups.json"))
    group_names = {int(k): v for k, v in groups_meta["groups"].items()}
    subgroup_names = {int(k): v for k, v in groups_meta["subgroups"].items()}
    emojibase = {}
    for entry in json.loads(read_text(cache_dir, EMOJIBASE, "en/data.json")):
        emojibase[normalise(entry["hexcode"])] = entry
    vendor_images = {vendor: _vendor_images(cache_dir, vendor) for vendor in VENDORS}

    skipped = {}
    concepts = []
    all_keys = set(emojibase).union(*vendor_images.values())
    for key in sorted(all_keys):
        missing = [v for v in VENDORS if key not in vendor_images[v]]
        entry = emojibase.get(key)
        if entry is None:
            skipped.setdefault("no emojibase-data entry", []).append(key)
            continue
        if len(missing) == len(VENDORS):
            skipped.setdefault("in emojibase-data only, no image in either vendor package "
                               "(regional indicators, Unicode 17 additions)", []).append(key)
            continue
        if missing:
            skipped.setdefault("not drawn by " + "+".join(missing), []).append(key)
            continue
        if "group" not in entry or "subgroup" not in entry:
            skipped.setdefault("no group/subgroup in emojibase-data", []).append(key)
            continue
        subgroup = subgroup_names[entry["subgroup"]]
        if subgroup in EXCLUDED_SUBGROUPS:
            skipped.setdefault(f"subgroup {subgroup}", []).append(key)
            continue
        concepts.append(
            Concept(
                key=key,
                emoji=entry["emoji"],
                label=entry["label"],
                tags=tuple(entry.get("tags", ())),
                group=group_names[entry["group"]],
                subgroup=subgroup,
                order=entry.get("order", sys.maxsize),
                codepoints={v: vendor_images[v][key][0] for v in VENDORS},
                images={v: vendor_images[v][key][1] for v in VENDORS},
            )
        )
    concepts.sort(key=lambda c: (c.order, c.key))
    return concepts, skipped


def image_record(concept, vendor, image_path):
    """The manifest line for one vendor's image of a concept (the format index/train/eval read)."""
    return {
        "id": f"{vendor}-{concept.slug}",
        "image": image_path,
        "caption": concept.label,
        "keywords": list(concept.tags),
        "class": concept.group,
        "subclass": concept.subgroup,
        "vendor": vendor,
        "concept": concept.slug,
        "codepoints": concept.codepoints[vendor],
        "emoji": concept.emoji,
    }


def write_jsonl(path, records):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for record in records:
            f.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")


def write_bytes_if_changed(path, data):
    """Writes only when the content differs, so re-running leaves file times alone."""
    if os.path.exists(path):
        with open(path, "rb") as f:
            if f.read() == data:
                return
    with open(path, "wb") as f:
        f.write(data)
