#!/usr/bin/env python3
"""Turns Debian's openclipart-png (CC0 / public-domain clip art) into a training manifest.

Usage: scripts/data/make-openclipart.py [--max-per-concept N]

Runs fetch-debian.sh for openclipart-png and wamerican (the .debs' SHA-256 pinned and checked,
unpacked into the ignored data-cache/debian/), then reads every PNG's text chunks (Title, Author)
and file name and writes, beside the unpacked images:

  data-cache/debian/openclipart-png/train.jsonl   one line per kept image:
      {"id": "oc-<path>", "image": "usr/share/openclipart/png/<path>.png",
       "caption": [primary, more...], "class": <top folder>, "concept": <primary caption>,
       "source": "openclipart-png 1:0.18+dfsg-19", "author": <Author chunk>}
  data-cache/debian/openclipart-png/dropped.tsv   every image left out, with the reason
  data-cache/debian/openclipart-png/summary.json  counts per reason and per top folder

Nothing here is committed: the images stay in the ignored cache, and the manifest is rebuilt from
them (deterministically: same package, same bytes). Huge PNGs are decoded by the trainer with the
serving decoder, which subsamples them.

Captions. The title chunk is the best caption when it describes the picture, but many titles name
a collection instead ("Part of the Flat Icon Collection ...", "Lemon SVG theme", "gramastar",
"Clipart by Nicu Buculei - baloon1_04", copied between unrelated files) or are in another language
("Tazza di caffe"). So each image gets up to three candidate captions:

  title    the Title chunk, cleaned ("(B and W)" -> "black and white", underscores, "Clipart by X -"
           prefixes and author names removed), kept only if it is not boilerplate, not shared by
           40 or more images, and at least half of its words are English (wamerican's word list)
  name     the file name without the author's name (openclipart files are "<subject>_<author>_NN"),
           numbers and one-letter pieces, kept if at least half of its words are English
  folder   an English phrase for the image's folder ("animals/mammals/dogs" -> "dog",
           "recreation/games/cards" -> "playing card", "computer/icons" -> "computer icon")

The first of title, name, folder that survives is the primary caption (the trainer samples it half
of the time); the others that differ from it follow. Playing cards get "<rank> of <suit>"
("white_h_9" -> "nine of hearts playing card"). The concept is the primary caption, lower-cased: two
images with the same primary caption are never each other's negatives, and at most
--max-per-concept (default 6) images of one concept are kept (the first by SHA-1 of the path), so
1,375 near-identical "gramastar" stars or 226 "card"s do not swamp the set.

Dropped, each with its reason in dropped.tsv: images with no usable caption (no English title,
name or folder phrase), images smaller than 32 px on a side, files that are not readable PNGs,
and images past the per-concept cap. The PNG Description chunk is not used (mostly e-mail
addresses, "HASH(0x...)", "Created with Inkscape").

Standard library only.
"""

import argparse
import collections
import hashlib
import json
import os
import re
import struct
import subprocess
import sys
import unicodedata
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE = "openclipart-png"
VERSION = "1:0.18+dfsg-19"
PNG_ROOT = "usr/share/openclipart/png"
MIN_SIDE = 32
COLLECTION_TITLE_USES = 40

BOILERPLATE = re.compile(
    r"(collection|theme|icon ?set|iconset|cliparts?\b|sibmission|submission|hash\(|aiga|"
    r"^svg |gramastar|^sallite$|^etiquette|clip art|^untitled|^drawing|^image|^new document)",
    re.IGNORECASE,
)

# Folder -> English phrase; a folder not listed inherits its parent's phrase, "" means none.
FOLDER_PHRASES = {
    "animals": "animal",
    "animals/amphibian": "frog",
    "animals/birds": "bird",
    "animals/birds/penguin": "penguin",
    "animals/bugs": "insect",
    "animals/dinosaurs": "dinosaur",
    "animals/fantasy": "fantasy creature",
    "animals/fish": "fish",
    "animals/mammals": "mammal",
    "animals/mammals/bears": "bear",
    "animals/mammals/big_cats": "big cat",
    "animals/mammals/dogs": "dog",
    "animals/mammals/horses": "horse",
    "animals/mammals/housecats": "cat",
    "buildings": "building",
    "buildings/furniture": "furniture",
    "buildings/homes": "house",
    "buttons": "button",
    "computer": "computer",
    "computer/buttons": "button",
    "computer/connectors": "computer connector",
    "computer/diagrams": "diagram",
    "computer/folders": "folder icon",
    "computer/games": "computer game",
    "computer/hardware": "computer hardware",
    "computer/icons": "computer icon",
    "computer/network": "computer network",
    "containers": "container",
    "decorations": "decoration",
    "education": "school",
    "education/books": "book",
    "electronics": "electronics",
    "electronics/battery": "battery",
    "electronics/bulb": "light bulb",
    "food": "food",
    "food/beverages": "drink",
    "food/beverages/alcohol": "alcoholic drink",
    "food/breads_and_carbs": "bread",
    "food/dairy": "dairy food",
    "food/desserts": "dessert",
    "food/fruit": "fruit",
    "food/meats_and_eggs": "meat",
    "food/vegetables": "vegetable",
    "geography": "map",
    "geography/astronomy": "astronomy",
    "logos": "logo",
    "office": "office",
    "office/telephone": "telephone",
    "people": "person",
    "people/bodypart": "body part",
    "people/clothing": "clothing",
    "people/clothing/hats": "hat",
    "people/clothing/jewelry": "jewelry",
    "people/clothing/pantyhose": "stockings",
    "people/smilies": "smiley face",
    "people/stickmen": "stick figure",
    "plants": "plant",
    "plants/flowers": "flower",
    "plants/trees": "tree",
    "plants/trees/evergreen": "evergreen tree",
    "recreation": "",
    "recreation/art": "art",
    "recreation/games": "game",
    "recreation/games/cards": "playing card",
    "recreation/games/cards/cardbacks": "back of a playing card",
    "recreation/games/chess": "chess piece",
    "recreation/games/dice": "dice",
    "recreation/holiday": "holiday",
    "recreation/holiday/christmas": "christmas",
    "recreation/holiday/easter": "easter",
    "recreation/holiday/thanksgiving": "thanksgiving",
    "recreation/holiday/valentines": "valentine",
    "recreation/music": "music",
    "recreation/party": "party",
    "recreation/religion": "religion",
    "recreation/sports": "sport",
    "recreation/toys": "toy",
    "science": "science",
    "science/astronomy": "astronomy",
    "science/medicine": "medicine",
    "shapes": "shape",
    "shapes/arrows": "arrow",
    "shapes/callouts": "speech bubble",
    "shapes/flowchart": "flowchart symbol",
    "shapes/jigsaw": "jigsaw puzzle piece",
    "shapes/stars": "star shape",
    "signs_and_symbols": "sign",
    "signs_and_symbols/awards": "award",
    "signs_and_symbols/clocks": "clock",
    "signs_and_symbols/disability": "disability sign",
    "signs_and_symbols/flags": "flag",
    "signs_and_symbols/flags/semaphore": "semaphore flag",
    "signs_and_symbols/hazard": "hazard sign",
    "signs_and_symbols/led": "led light",
    "signs_and_symbols/map_symbols": "map symbol",
    "signs_and_symbols/money": "money",
    "signs_and_symbols/weather": "weather symbol",
    "special": "",
    "special/examples": "",
    "special/gradients": "color gradient",
    "special/patterns": "pattern",
    "tools": "tool",
    "tools/toys": "toy",
    "tools/weapons": "weapon",
    "transportation": "transport",
    "transportation/aiga-symbols": "pictogram sign",
    "transportation/boating": "boat",
    "transportation/roadsigns": "road sign",
    "transportation/vehicles": "vehicle",
    "transportation/vehicles/hummers": "hummer car",
    "unsorted": "",
}

RANKS = {"a": "ace", "k": "king", "q": "queen", "j": "jack", "1": "ace", "2": "two",
         "3": "three", "4": "four", "5": "five", "6": "six", "7": "seven", "8": "eight",
         "9": "nine", "10": "ten"}
SUITS = {"h": "hearts", "d": "diamonds", "c": "clubs", "s": "spades"}
CARD = re.compile(r"^(?:bordered|ornamental|simple|white)_([hdcs])_(a|k|q|j|\d+)$")


def fetch():
    out = subprocess.run([os.path.join(HERE, "fetch-debian.sh"), PACKAGE, "wamerican"],
                         check=True, stdout=subprocess.PIPE, text=True).stdout
    trees = dict(line.split(" ", 1) for line in out.strip().splitlines())
    return trees[PACKAGE], trees["wamerican"]


def read_words(wamerican_tree):
    """(every word lower-cased, the words that are not proper names)."""
    words = set()
    common = set()
    with open(os.path.join(wamerican_tree, "usr/share/dict/american-english"), encoding="utf-8") as f:
        for line in f:
            w = line.strip()
            if w and "'" not in w:
                words.add(w.lower())
                if w.islower():
                    common.add(w)
    return words, common


def english(word, words):
    w = word.lower()
    if w in words:
        return True
    for suffix in ("s", "es", "ed", "ing"):
        if w.endswith(suffix) and w[: -len(suffix)] in words:
            return True
    return False


def mostly_english(phrase, words):
    tokens = [t for t in re.findall(r"[a-zA-Z]+", phrase) if len(t) >= 3]
    if not tokens:
        return False
    return sum(english(t, words) for t in tokens) * 2 >= len(tokens)


def png_info(path):
    """(width, height, {keyword: text}) of a PNG, or raises ValueError."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG file")
    texts = {}
    size = None
    pos = 8
    while pos + 8 <= len(data):
        (length,) = struct.unpack(">I", data[pos: pos + 4])
        kind = data[pos + 4: pos + 8]
        body = data[pos + 8: pos + 8 + length]
        if kind == b"IHDR":
            size = struct.unpack(">II", body[:8])
        elif kind == b"tEXt" and b"\0" in body:
            key, value = body.split(b"\0", 1)
            texts[decode(key)] = decode(value)
        elif kind == b"zTXt" and b"\0" in body:
            key, rest = body.split(b"\0", 1)
            texts[decode(key)] = decode(zlib.decompress(rest[1:]))
        elif kind == b"IEND":
            break
        pos += 12 + length
    if size is None:
        raise ValueError("PNG without IHDR")
    return size[0], size[1], texts


def decode(raw):
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def tidy(text):
    text = re.sub(r"\(\s*b\s*(and|&)\s*w\s*\)", " black and white ", text, flags=re.IGNORECASE)
    text = re.sub(r"\b\d+\b|(?<=[a-zA-Z])\d+\b", " ", text)
    text = re.sub(r"[_\s]+", " ", text)
    text = re.sub(r"\s*[-,;:]\s*$", "", text)
    return text.strip(" -,.;:").strip()


def clean_title(title, author):
    title = tidy(title)
    if re.match(r"(?i)clip ?art by ", title):
        return ""  # "Clipart by <author> - <file name of some other drawing>"
    for part in author_words(author):
        title = re.sub(r"(?i)\b" + re.escape(part) + r"\b", " ", title) if len(part) > 3 else title
    return tidy(title)


def author_words(author):
    plain = unicodedata.normalize("NFKD", author or "").encode("ascii", "ignore").decode()
    return [w.lower() for w in re.findall(r"[A-Za-z]+", plain)]


def name_phrase(stem, author, common):
    """The file name's words without the author's name, numbers and words that are not common
    English (user names such as "ganson"); "" unless at least half of its words are English."""
    tokens = [t for t in re.split(r"[_\-\s.]+", stem.lower()) if t]
    authors = author_words(author)
    # "<subject>_<author, truncated>_NN": strip numbers, then author pieces, from the end
    while tokens and (tokens[-1].isdigit() or any(a.startswith(tokens[-1]) for a in authors)):
        tokens.pop()
    words = []
    foreign = 0
    for t in tokens:
        t = re.sub(r"\d+", "", t)
        if t == "bw":
            words.extend(["black", "and", "white"])
        elif len(t) <= 1:
            continue
        elif len(t) <= 2 or english(t, common):
            words.append(t)
        else:
            foreign += 1
    if not any(len(w) > 2 for w in words) or foreign > len(words):
        return ""
    return " ".join(words)


def folder_phrase(folder):
    while folder:
        if folder in FOLDER_PHRASES:
            return FOLDER_PHRASES[folder]
        folder = folder.rsplit("/", 1)[0] if "/" in folder else ""
    return ""


def flag_country(folder):
    parts = folder.split("/")
    if len(parts) >= 4 and parts[1] == "flags" and parts[2] not in ("semaphore", "historic", "miscellany"):
        return parts[-1].replace("_", " ")
    return ""


def captions_of(rel, texts, words, common, collection_titles):
    folder, file_name = os.path.split(rel)
    stem = file_name[: -len(".png")]
    author = texts.get("Author", "")
    candidates = []
    card = CARD.match(stem)
    if folder.startswith("recreation/games/cards") and card:
        candidates.append(RANKS.get(card.group(2), card.group(2)) + " of " + SUITS[card.group(1)]
                          + " playing card")
    title = texts.get("Title", "")
    if title.strip() in collection_titles or BOILERPLATE.search(title):
        title = ""
    title = clean_title(title, author)
    if title and mostly_english(title, words):
        candidates.append(title)
    name = name_phrase(stem, author, common)
    if name and folder.startswith("computer/icons") and not name.endswith("icon"):
        name += " icon"
    if name:
        candidates.append(name)
    country = flag_country(folder)
    if country and len(country) > 2:
        candidates.append("flag of " + country)
    phrase = folder_phrase(folder)
    if phrase:
        candidates.append(phrase)
    captions = []
    for c in candidates:
        if c.lower() not in (x.lower() for x in captions):
            captions.append(c)
    return captions


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--max-per-concept", type=int, default=6)
    args = parser.parse_args()

    tree, wamerican = fetch()
    words, common = read_words(wamerican)
    root = os.path.join(tree, PNG_ROOT)
    files = []
    for folder, _, names in os.walk(root):
        for n in names:
            if n.lower().endswith(".png"):
                files.append(os.path.relpath(os.path.join(folder, n), root))
    files.sort()

    infos = {}
    dropped = []
    for rel in files:
        try:
            infos[rel] = png_info(os.path.join(root, rel))
        except (OSError, ValueError, zlib.error, struct.error) as e:
            dropped.append((rel, "unreadable PNG: %s" % e))
    title_uses = collections.Counter(t.get("Title", "").strip() for _, _, t in infos.values())
    collection_titles = {t for t, n in title_uses.items() if n >= COLLECTION_TITLE_USES}

    by_concept = collections.defaultdict(list)
    for rel, (width, height, texts) in infos.items():
        if min(width, height) < MIN_SIDE:
            dropped.append((rel, "too small: %dx%d (under %d px)" % (width, height, MIN_SIDE)))
            continue
        captions = captions_of(rel, texts, words, common, collection_titles)
        if not captions:
            dropped.append((rel, "no usable caption (title %r)" % texts.get("Title", "")))
            continue
        by_concept[captions[0].lower()].append((rel, captions, texts.get("Author", "")))

    lines = []
    for concept in sorted(by_concept):
        items = sorted(by_concept[concept], key=lambda i: hashlib.sha1(i[0].encode()).hexdigest())
        for rel, captions, author in items[args.max_per_concept:]:
            dropped.append((rel, "over the cap of %d images for concept %r"
                            % (args.max_per_concept, concept)))
        for rel, captions, author in items[: args.max_per_concept]:
            lines.append({
                "id": "oc-" + rel[: -len(".png")],
                "image": PNG_ROOT + "/" + rel,
                "caption": captions,
                "class": rel.split("/", 1)[0],
                "concept": "oc:" + concept,
                "source": PACKAGE + " " + VERSION,
                "author": author,
            })
    lines.sort(key=lambda l: l["id"])
    with open(os.path.join(tree, "train.jsonl"), "w", encoding="utf-8") as f:
        for line in lines:
            f.write(json.dumps(line, ensure_ascii=False) + "\n")
    dropped.sort()
    with open(os.path.join(tree, "dropped.tsv"), "w", encoding="utf-8") as f:
        for rel, reason in dropped:
            f.write(rel + "\t" + reason + "\n")
    reasons = collections.Counter(
        re.sub(r" for concept .*", "", re.sub(r"[:(].*", "", r)).strip() for _, r in dropped)
    summary = {
        "package": PACKAGE + " " + VERSION,
        "png_files": len(files),
        "kept": len(lines),
        "concepts": len({l["concept"] for l in lines}),
        "dropped": dict(sorted(reasons.items())),
        "kept_per_class": dict(sorted(collections.Counter(l["class"] for l in lines).items())),
        "captions_per_image": round(sum(len(l["caption"]) for l in lines) / max(1, len(lines)), 2),
    }
    with open(os.path.join(tree, "summary.json"), "w", encoding="utf-8") as f:
        json.dump(summary, f, indent=2)
    print(json.dumps(summary, indent=2), file=sys.stderr)
    print(os.path.join(tree, "train.jsonl"))


if __name__ == "__main__":
    main()
