#!/usr/bin/env bash
# Reproduces docs/quality.md: prepares both benchmark protocols, trains one model per protocol on
# its training side with `./mmsearch train`, and evaluates it on the test side with
# `./mmsearch eval --json --chart`. Everything goes to the ignored bench-data/ folder:
#   bench-data/models/<protocol>/                the trained bundle
#   bench-data/results/<protocol>.jsonl          the eval lines (one JSON object per task and mode)
#   bench-data/results/<protocol>.png            the bar chart
#   bench-data/results/<protocol>-train.log      the training log with its wall time
#
# Usage: scripts/data/run-quality.sh [PROTOCOL...]   (default: held-out-style held-out-concepts)
# Environment: EPOCHS (default 40; docs/quality.md used 60 for held-out-style, 40 for
#              held-out-concepts), CONFIG (default scripts/data/train-quality.json),
#              TRAIN_ARGS (extra ./mmsearch train options), SKIP_TRAIN=1 to re-evaluate only,
#              TAG (suffix of the model and result names, to keep several variants side by side).
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

python3 scripts/data/make-benchmarks.py
mkdir -p "$bench/results" "$bench/models"

for protocol in "${protocols[@]}"; do
  data="$bench/$protocol"
  name="$protocol${TAG:+-$TAG}"
  model="$bench/models/$name"
  if [[ "${SKIP_TRAIN:-0}" != 1 ]]; then
    rm -rf "$model"
    start=$(date +%s)
    # shellcheck disable=SC2086
    ./mmsearch train --data "$data/train-by-concept.jsonl" --out "$model" --config "$config" \
      --epochs "$epochs" --name "$protocol" --no-progress ${TRAIN_ARGS:-} \
      2>&1 | tee "$bench/results/$name-train.log"
    echo "wall time: $(( $(date +%s) - start )) s for $epochs epochs" | tee -a "$bench/results/$name-train.log"
  fi
  ./mmsearch eval --manifest "$data/test.jsonl" --model "$model/bundle" \
    --queries "$data/queries-t2i.jsonl" \
    --queries "$data/queries-t2i-tags.jsonl" \
    --queries "$data/queries-i2i.jsonl" \
    --title "mmsearch eval: $name" --chart "$bench/results/$name.png" --json \
    | tee "$bench/results/$name.jsonl"
done
