#!/usr/bin/env bash
# Reproduces docs/quality.md: prepares both benchmark protocols, trains one model per protocol on
# its training side with `./mmsearch train`, and evaluates it on the test side with
# `./mmsearch eval --json --chart`. Everything goes to the ignored bench-data/ folder:
#   bench-data/models/<protocol>/                the trained bundle
#   bench-data/results/<protocol>.jsonl          the eval lines (one JSON object per task and mode)
#   bench-data/results/<protocol>.png            the bar chart
#   bench-data/results/<protocol>-train.log      the training log with its wall time
#   bench-data/results/<protocol>-paraphrase.jsonl  the paraphrase queries (test split) in every
#                                                mode, against the test images with their tags
#   bench-data/results/<protocol>-linear-weight.txt the linear fusion weight chosen on the
#                                                validation paraphrases (nDCG@10)
#
# Usage: scripts/data/run-quality.sh [PROTOCOL...]   (default: held-out-style held-out-concepts)
# Environment: EPOCHS (default 40; docs/quality.md used 60 for held-out-style, 40 for
#              held-out-concepts), CONFIG (default scripts/data/train-quality.json),
#              TRAIN_ARGS (extra ./mmsearch train options), SKIP_TRAIN=1 to re-evaluate only,
#              TAG (suffix of the model and result names, to keep several variants side by side),
#              SKIP_DATA=1 to use bench-data as it is (runs in parallel must not rewrite it),
#              EXTRA_DATA (more training manifests, space-separated, e.g. the openclipart manifest
#              that make-openclipart.py prints; never anything of a protocol's test side),
#              MMSEARCH (the command line, default ./mmsearch).
# Every model is also evaluated on the real-photo set (make-photos.py):
#   bench-data/results/<protocol>-photos.jsonl   text->photo queries, vector mode
# Training reads train-by-concept.jsonl: `mmsearch train` takes an item's class as its concept
# and never uses two items of one concept as negatives, so the concept (not the group) must be
# the class there; see scripts/data/README.md.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo_root"
bench="$repo_root/bench-data"
epochs="${EPOCHS:-40}"
config="${CONFIG:-$repo_root/scripts/data/train-quality.json}"
protocols=("$@")
[[ ${#protocols[@]} -gt 0 ]] || protocols=(held-out-style held-out-concepts)

mmsearch="${MMSEARCH:-./mmsearch}"
[[ "${SKIP_DATA:-0}" == 1 ]] || python3 scripts/data/make-benchmarks.py
[[ "${SKIP_DATA:-0}" == 1 && -f "$bench/photos/test.jsonl" ]] || python3 scripts/data/make-photos.py
extra=()
for manifest in ${EXTRA_DATA:-}; do extra+=(--data "$manifest"); done
mkdir -p "$bench/results" "$bench/models"

for protocol in "${protocols[@]}"; do
  data="$bench/$protocol"
  name="$protocol${TAG:+-$TAG}"
  model="$bench/models/$name"
  if [[ "${SKIP_TRAIN:-0}" != 1 ]]; then
    rm -rf "$model"
    start=$(date +%s)
    # shellcheck disable=SC2086
    "$mmsearch" train --data "$data/train-by-concept.jsonl" ${extra[@]+"${extra[@]}"} --out "$model" \
      --config "$config" --epochs "$epochs" --name "$protocol" --no-progress ${TRAIN_ARGS:-} \
      2>&1 | tee "$bench/results/$name-train.log"
    echo "wall time: $(( $(date +%s) - start )) s for $epochs epochs" | tee -a "$bench/results/$name-train.log"
  fi
  "$mmsearch" eval --manifest "$data/test.jsonl" --model "$model/bundle" \
    --queries "$data/queries-t2i.jsonl" \
    --queries "$data/queries-t2i-tags.jsonl" \
    --queries "$data/queries-i2i.jsonl" \
    --title "mmsearch eval: $name" --chart "$bench/results/$name.png" --json \
    | tee "$bench/results/$name.jsonl"

  # Paraphrases: an index of the test images with their tags as keywords and caption vectors.
  para_index="$bench/indexes/$name-with-tags"
  rm -rf "$para_index"
  "$mmsearch" index "$data/test-with-tags.jsonl" --index "$para_index" --model "$model/bundle" \
    --no-progress >&2
  # The linear fusion weight is chosen on the validation paraphrases (best nDCG@10), never on the
  # test ones.
  best_weight=0.5
  best_ndcg=-1
  for weight in 0.1 0.2 0.3 0.4 0.5 0.6 0.7 0.8 0.9; do
    ndcg=$("$mmsearch" eval --index "$para_index" --model "$model/bundle" \
      --queries "$data/queries-t2i-paraphrase-validation.jsonl" --modes linear \
      --linear-vector-weight "$weight" --ann-queries 0 --json \
      | python3 -c 'import json, sys
for line in sys.stdin:
    o = json.loads(line)
    if o.get("mode") == "linear" and o.get("task") == "t2i":
        print(o["ndcg_at_10"])')
    echo "validation paraphrases, linear vector weight $weight: nDCG@10 $ndcg" >&2
    if python3 -c "import sys; sys.exit(0 if $ndcg > $best_ndcg else 1)"; then
      best_weight=$weight
      best_ndcg=$ndcg
    fi
  done
  echo "$best_weight (validation nDCG@10 $best_ndcg)" | tee "$bench/results/$name-linear-weight.txt"
  "$mmsearch" eval --index "$para_index" --model "$model/bundle" \
    --queries "$data/queries-t2i-paraphrase-test.jsonl" \
    --modes vector,bm25,rrf,linear,caption,vector_caption --linear-vector-weight "$best_weight" \
    --title "mmsearch eval: $name, paraphrases" --chart "$bench/results/$name-paraphrase.png" \
    --json | tee "$bench/results/$name-paraphrase.jsonl"
  "$mmsearch" eval --manifest "$bench/photos/test.jsonl" --model "$model/bundle" \
    --queries "$bench/photos/queries-t2i.jsonl" --modes vector --ann-queries 0 --json \
    | tee "$bench/results/$name-photos.jsonl"
done
