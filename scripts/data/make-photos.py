#!/usr/bin/env python3
"""Prepares the real-photo evaluation set under bench-data/photos/ (ignored by git).

Usage: scripts/data/make-photos.py [--out DIR]

Runs fetch-debian.sh for the packages that photos.tsv names (the .debs' SHA-256 pinned and
checked), copies each listed photograph into DIR/images/<id>.<ext> and writes:

  test.jsonl           the index: one line per photo, {"id", "image", "caption": "photo <n>",
                       "class": "photo", "source", "license"}. The caption is deliberately
                       uninformative: the set judges what the image vectors find, and a caption
                       naming the subject would let BM25 answer instead
  queries-t2i.jsonl    {"id": "photo-<id>-<n>", "text": <query>, "relevant": [<id>]}: the queries
                       of photos.tsv, one relevant photo each, so Recall@k is a hit rate
  LICENSES.tsv         id, package, file, licence and author of every photo

Evaluation only: none of these photos is ever training data. Standard library only.
"""

import argparse
import json
import os
import shutil
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
TABLE = os.path.join(HERE, "photos.tsv")


def read_table(path=TABLE):
    rows = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            fields = line.split("\t")
            if len(fields) != 5:
                raise SystemExit("%s:%d: expected 5 tab-separated fields" % (path, number))
            photo_id, package, file, licence, queries = fields
            rows.append({
                "id": photo_id, "package": package, "file": file, "license": licence,
                "queries": [q.strip() for q in queries.split("|") if q.strip()],
            })
    ids = [r["id"] for r in rows]
    if len(set(ids)) != len(ids):
        raise SystemExit("%s: duplicate photo ids" % path)
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=os.path.join(REPO, "bench-data", "photos"))
    args = parser.parse_args()

    rows = read_table()
    packages = sorted({r["package"] for r in rows})
    out = subprocess.run([os.path.join(HERE, "fetch-debian.sh")] + packages, check=True,
                         stdout=subprocess.PIPE, text=True).stdout
    trees = dict(line.split(" ", 1) for line in out.strip().splitlines())

    images = os.path.join(args.out, "images")
    if os.path.isdir(images):
        shutil.rmtree(images)
    os.makedirs(images)
    index, queries, licences = [], [], []
    for n, r in enumerate(rows, 1):
        source = os.path.join(trees[r["package"]], r["file"])
        if not os.path.isfile(source):
            raise SystemExit("%s: %s is not in package %s" % (r["id"], r["file"], r["package"]))
        name = r["id"] + os.path.splitext(r["file"])[1].lower()
        shutil.copyfile(source, os.path.join(images, name))
        index.append({"id": r["id"], "image": "images/" + name, "caption": "photo %d" % n,
                      "class": "photo", "source": r["package"], "license": r["license"]})
        for k, q in enumerate(r["queries"], 1):
            queries.append({"id": "photo-%s-%d" % (r["id"], k), "text": q, "relevant": [r["id"]]})
        licences.append("\t".join([r["id"], r["package"], r["file"], r["license"]]))
    for file, lines in (("test.jsonl", index), ("queries-t2i.jsonl", queries)):
        with open(os.path.join(args.out, file), "w", encoding="utf-8") as f:
            for line in lines:
                f.write(json.dumps(line, ensure_ascii=False) + "\n")
    with open(os.path.join(args.out, "LICENSES.tsv"), "w", encoding="utf-8") as f:
        f.write("id\tpackage\tfile\tlicence (author)\n" + "\n".join(licences) + "\n")
    print("%d photos, %d queries in %s" % (len(index), len(queries), args.out))


if __name__ == "__main__":
    main()
