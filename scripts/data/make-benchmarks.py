#!/usr/bin/env python3
"""Prepares the two retrieval-quality protocols under bench-data/ (ignored by git).

Usage: scripts/data/make-benchmarks.py [--cache DIR] [--out DIR] [--seed N]

Runs fetch-packages.sh first (npm pack + pinned sha1/sha512 check), reads the same catalogue as
sample-data/ (emoji_catalog.py) and writes, deterministically for a given seed:

  full/                                   train.jsonl + train-by-concept.jsonl of the whole
                                          sample (both styles, all concepts): the default model
  held-out-concepts/ and held-out-style/  each with
      images/{twemoji,noto}/<concept>.png  the images this protocol uses (manifest readers reject
                                           relative paths that leave the manifest's folder, so
                                           each protocol folder is self-contained)
      train.jsonl              manifest to train on (with keywords = tags)
      train-by-concept.jsonl   the same, with "class" = the concept (the group kept in "group")
                               and the tags as a second caption: for trainers that read the
                               class as the concept (`mmsearch train` never treats two items of
                               one class as negatives, so class = group would hide every
                               same-group negative)
      test.jsonl               manifest to index for evaluation (captions = labels, no keywords)
      test-with-tags.jsonl     the same images with keywords = tags: the index the paraphrase
                               queries run against (BM25 over labels and tags)
      queries-t2i.jsonl        {"id","text": label,              "relevant": [test image id]}
      queries-t2i-tags.jsonl   {"id","text": tags, "keywords": tags, "relevant": [test image id]}
      queries-i2i.jsonl        {"id","image": other-style image, "relevant": [test image id]}
      queries-t2i-paraphrase-{validation,test}.jsonl
                               {"id","text": paraphrase, "relevant": [test image id]}: the
                               committed paraphrases.tsv queries of this protocol's test
                               concepts, split by concept (a third to validation, for tuning)
      split.json               the concept split and the counts
Paths in every file are relative to that file's folder. See scripts/data/README.md.
Standard library only.
"""

import argparse
import collections
import hashlib
import json
import os
import random
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import emoji_catalog as catalog  # noqa: E402

DEFAULT_SEED = 20251125
TEST_FRACTION = 0.2
INDEX_VENDOR = "noto"  # the style indexed at test time in both protocols
QUERY_VENDOR = "twemoji"  # the style of image->image queries in both protocols
PARAPHRASES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "paraphrases.tsv")


def read_paraphrases(path=PARAPHRASES):
    """[(concept slug, query)] from paraphrases.tsv (comment and blank lines skipped)."""
    out = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            concept, sep, text = line.partition("\t")
            if not sep or not text.strip():
                raise SystemExit(f"error: {path}:{number}: expected <concept><TAB><query>")
            out.append((concept, text))
    return out


def paraphrase_split(slug):
    """'validation' for about a third of the concepts, by a hash of the key; else 'test'."""
    return "validation" if int(hashlib.sha1(slug.encode()).hexdigest(), 16) % 3 == 0 else "test"


def split_concepts(concepts, seed):
    """80/20 split stratified by subgroup: each subgroup (sorted by name) shuffles its concepts
    (sorted by key) with one seeded generator and sends round(20%) of them to test, so a
    subgroup of one or two concepts stays wholly in train."""
    rng = random.Random(seed)
    by_subgroup = collections.defaultdict(list)
    for c in concepts:
        by_subgroup[c.subgroup].append(c)
    test = set()
    for subgroup in sorted(by_subgroup):
        members = sorted(by_subgroup[subgroup], key=lambda c: c.key)
        rng.shuffle(members)
        test.update(c.key for c in members[: round(TEST_FRACTION * len(members))])
    train_side = [c for c in concepts if c.key not in test]
    test_side = [c for c in concepts if c.key in test]
    return train_side, test_side


def index_record(concept, vendor, with_keywords):
    record = catalog.image_record(concept, vendor, f"images/{vendor}/{concept.slug}.png")
    if not with_keywords:
        # The test index holds captions (labels) only, so that tag queries can't hit the tags
        # verbatim in a keywords field: the tag protocol then measures what hybrid search adds.
        del record["keywords"]
    return record


def query_sets(test_concepts):
    """The three query sets against an index of INDEX_VENDOR images of test_concepts."""
    t2i, t2i_tags, i2i = [], [], []
    for c in test_concepts:
        relevant = [f"{INDEX_VENDOR}-{c.slug}"]
        t2i.append({"id": f"t2i-{c.slug}", "text": c.label, "relevant": relevant})
        if c.tags:
            t2i_tags.append(
                {
                    "id": f"tags-{c.slug}",
                    "text": " ".join(c.tags),
                    "keywords": list(c.tags),
                    "relevant": relevant,
                }
            )
        i2i.append(
            {
                "id": f"i2i-{c.slug}",
                "image": f"images/{QUERY_VENDOR}/{c.slug}.png",
                "relevant": relevant,
            }
        )
    return t2i, t2i_tags, i2i


def paraphrase_sets(test_concepts, paraphrases):
    """{"validation": [...], "test": [...]}: the paraphrases of the test concepts, by split."""
    slugs = {c.slug for c in test_concepts}
    sets = {"validation": [], "test": []}
    counts = collections.Counter()
    for slug, text in paraphrases:
        if slug not in slugs:
            continue
        counts[slug] += 1
        sets[paraphrase_split(slug)].append(
            {
                "id": f"para-{slug}-{counts[slug]}",
                "text": text,
                "relevant": [f"{INDEX_VENDOR}-{slug}"],
            }
        )
    return sets


def write_images(folder, concepts_by_vendor):
    images = os.path.join(folder, "images")
    shutil.rmtree(images, ignore_errors=True)
    for vendor, concepts in concepts_by_vendor.items():
        os.makedirs(os.path.join(images, vendor))
        for c in concepts:
            with open(os.path.join(images, vendor, c.slug + ".png"), "wb") as f:
                f.write(c.images[vendor])


def by_concept(record):
    """The training record with the concept as its class (the group moves to "group") and the
    tags, joined by spaces, as a second caption: the trainer samples one caption per step, so
    the text tower also learns the tag words, which unseen labels share with seen ones."""
    out = dict(record)
    out["group"] = out["class"]
    out["class"] = out["concept"]
    if out.get("keywords"):
        out["caption"] = [out["caption"], " ".join(out["keywords"])]
    return out


def write_train(folder, train_records):
    catalog.write_jsonl(os.path.join(folder, "train.jsonl"), train_records)
    catalog.write_jsonl(
        os.path.join(folder, "train-by-concept.jsonl"), [by_concept(r) for r in train_records]
    )


def write_protocol(folder, name, description, train_records, test_concepts, extra):
    os.makedirs(folder, exist_ok=True)
    test_records = [index_record(c, INDEX_VENDOR, with_keywords=False) for c in test_concepts]
    t2i, t2i_tags, i2i = query_sets(test_concepts)
    paraphrases = paraphrase_sets(test_concepts, read_paraphrases())
    write_train(folder, train_records)
    catalog.write_jsonl(os.path.join(folder, "test.jsonl"), test_records)
    catalog.write_jsonl(
        os.path.join(folder, "test-with-tags.jsonl"),
        [index_record(c, INDEX_VENDOR, with_keywords=True) for c in test_concepts],
    )
    for split, queries in paraphrases.items():
        catalog.write_jsonl(os.path.join(folder, f"queries-t2i-paraphrase-{split}.jsonl"), queries)
    catalog.write_jsonl(os.path.join(folder, "queries-t2i.jsonl"), t2i)
    catalog.write_jsonl(os.path.join(folder, "queries-t2i-tags.jsonl"), t2i_tags)
    catalog.write_jsonl(os.path.join(folder, "queries-i2i.jsonl"), i2i)
    summary = {
        "protocol": name,
        "description": description,
        "train_images": len(train_records),
        "test_images": len(test_records),
        "queries": {
            "t2i": len(t2i),
            "t2i_tags": len(t2i_tags),
            "i2i": len(i2i),
            "paraphrase_validation": len(paraphrases["validation"]),
            "paraphrase_test": len(paraphrases["test"]),
        },
        "chance_recall_at_10": round(min(1.0, 10 / len(test_records)), 5),
        **extra,
    }
    with open(os.path.join(folder, "split.json"), "w", encoding="utf-8", newline="\n") as f:
        json.dump(summary, f, indent=1, ensure_ascii=False)
        f.write("\n")
    return summary


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", default=catalog.DEFAULT_CACHE)
    parser.add_argument("--out", default=os.path.join(catalog.REPO_ROOT, "bench-data"))
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args()

    catalog.fetch(args.cache)
    concepts, _ = catalog.load(args.cache)
    out = args.out
    # Both protocols use both styles of their concepts (train, index or query side).
    for protocol in ("held-out-concepts", "held-out-style", "full"):
        write_images(os.path.join(out, protocol), {v: concepts for v in catalog.VENDORS})
    write_train(
        os.path.join(out, "full"),
        [index_record(c, v, with_keywords=True) for c in concepts for v in catalog.VENDORS],
    )

    train_concepts, test_concepts = split_concepts(concepts, args.seed)
    summaries = [
        write_protocol(
            os.path.join(out, "held-out-concepts"),
            "held-out-concepts",
            "train on both styles of 80% of the concepts (stratified by subgroup); index the "
            f"{INDEX_VENDOR} images of the other 20%; i2i queries are their {QUERY_VENDOR} images",
            [
                index_record(c, v, with_keywords=True)
                for c in train_concepts
                for v in catalog.VENDORS
            ],
            test_concepts,
            {
                "seed": args.seed,
                "test_fraction": TEST_FRACTION,
                "train_concepts": [c.slug for c in train_concepts],
                "test_concepts": [c.slug for c in test_concepts],
            },
        ),
        write_protocol(
            os.path.join(out, "held-out-style"),
            "held-out-style",
            f"train on the {QUERY_VENDOR} images of all concepts; index the {INDEX_VENDOR} "
            f"images of all concepts; i2i queries are the {QUERY_VENDOR} images",
            [index_record(c, QUERY_VENDOR, with_keywords=True) for c in concepts],
            concepts,
            {},
        ),
    ]
    for s in summaries:
        print(
            f"{s['protocol']}: train {s['train_images']} images, test index {s['test_images']}, "
            f"queries {s['queries']}, chance R@10 {s['chance_recall_at_10']}"
        )
    print(f"-> {out}")


if __name__ == "__main__":
    main()
