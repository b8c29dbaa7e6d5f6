#!/usr/bin/env bash
# Chooses the image backbone's taps and pooling on the training data's own validation split (never
# on a benchmark's test side): converts MobileNetV2 once with every candidate tap
# (backbone-converter --candidates: block_8..16 expand_relu and block outputs, out_relu, each pooled
# globally and on a 2x2 grid; 41,280 features), then trains one head per tap set with
# `mmsearch train --image-backbone <candidates> --image-taps ...`. Every run reads the same cached
# features (one backbone pass per image), so a run costs only its heads.
#
# Data: the sample's two emoji styles (bench-data/full) plus openclipart (make-openclipart.py);
# validation: 10% of the concepts (--split-by CONCEPT, seed 42), images as preprocessed (one view:
# augmentation is chosen separately). Score: the trainer's mean of text->image and image->text
# Recall@1/5/10 on that split at the best epoch.
#
# Usage: scripts/data/choose-taps.sh [SET[@HIDDEN]...]   (default: every set below at 1024)
#   SET@HIDDEN trains the head with that hidden width (imageHiddenDim) instead of the config's.
# Environment: EPOCHS (default 20), SIZE (backbone input size, default 128), OUT (default
#              bench-data/taps), MMSEARCH (the command line, default ./mmsearch).
# Results: $OUT/results.tsv (set, features, score, t2i R@1, i2t R@1, best epoch).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo_root"
out="${OUT:-$repo_root/bench-data/taps}"
epochs="${EPOCHS:-20}"
size="${SIZE:-128}"
mkdir -p "$out"

declare -A sets=(
  [shipped]="block_11_expand_relu:2x2,block_13_expand_relu:2x2,block_16_expand_relu:global"
  [b16e-global]="block_16_expand_relu:global"
  [out_relu-global]="out_relu:global"
  [out_relu-2x2]="out_relu:global,out_relu:2x2"
  [b13e-2x2+b16e-global]="block_13_expand_relu:2x2,block_16_expand_relu:global"
  [b11e+b13e+b16e-global]="block_11_expand_relu:global,block_13_expand_relu:global,block_16_expand_relu:global"
  [b13e+b16e-2x2]="block_13_expand_relu:2x2,block_16_expand_relu:2x2"
  [b10+b13e-2x2+b16e-global]="block_10_project_BN:2x2,block_13_expand_relu:2x2,block_16_expand_relu:global"
  [b8e+b11e+b13e-2x2+b16e-global]="block_8_expand_relu:2x2,block_11_expand_relu:2x2,block_13_expand_relu:2x2,block_16_expand_relu:global"
  [shipped+out_relu-global]="block_11_expand_relu:2x2,block_13_expand_relu:2x2,block_16_expand_relu:global,out_relu:global"
)
names=("$@")
[[ ${#names[@]} -gt 0 ]] || names=(shipped b16e-global out_relu-global out_relu-2x2 b13e-2x2+b16e-global
  b11e+b13e+b16e-global b13e+b16e-2x2 b10+b13e-2x2+b16e-global b8e+b11e+b13e-2x2+b16e-global
  shipped+out_relu-global)

mmsearch="${MMSEARCH:-./mmsearch}"
"$mmsearch" --version >/dev/null  # builds the command line if needed
[[ -f bench-data/full/train-by-concept.jsonl ]] || python3 scripts/data/make-benchmarks.py
openclipart="$(python3 scripts/data/make-openclipart.py 2>/dev/null | tail -1)"

candidates="$out/candidates.onnx"
if [[ ! -f "$candidates" ]]; then
  cp_file="$out/converter-classpath.txt"
  mvn -B -ntp -q -pl backbone-converter -am package dependency:build-classpath -DskipTests \
    -Dmdep.outputFile="$cp_file" >&2
  java -cp "backbone-converter/target/classes:$(cat "$cp_file")" \
    io.mmsearch.backbones.BuildImageBackbone --npm-cache data-cache/npm --candidates "$candidates"
fi

printf "set\tfeatures\tscore\tt2i_R@1\ti2t_R@1\tbest_epoch\n" >"$out/results.tsv.tmp"
for name in "${names[@]}"; do
  set_name="${name%@*}"
  taps="${sets[$set_name]:?unknown set $set_name}"
  config="scripts/data/train-default.json"
  if [[ "$name" == *@* ]]; then
    config="$out/config-$name.json"
    python3 -c 'import json, sys
c = json.load(open("scripts/data/train-default.json"))
c["imageHiddenDim"] = int(sys.argv[1])
json.dump(c, open(sys.argv[2], "w"))' "${name##*@}" "$config"
  fi
  run="$out/runs/$name"
  rm -rf "$run"
  mkdir -p "$out/runs"
  "$mmsearch" train --data bench-data/full/train-by-concept.jsonl --data "$openclipart" \
    --out "$run" --config "$config" --epochs "$epochs" --image-size "$size" \
    --split-by CONCEPT --feature-views 1 --image-backbone "$candidates" --image-taps "$taps" --no-progress --json \
    2>"$run.log" >"$run.json" || { echo "$name failed, see $run.log" >&2; continue; }
  python3 - "$name" "$run" >>"$out/results.tsv.tmp" <<'PY'
import json, sys
name, run = sys.argv[1], sys.argv[2]
m = json.load(open(run + "/metrics.json"))
best = [e for e in m["epochs"] if e["epoch"] == m["bestEpoch"]][0]
r = best["recall"]
score = (sum(r["textToImage"]) + sum(r["imageToText"])) / 6
print("\t".join([name, str(m["architecture"]["imageFeatureDim"]), "%.4f" % score,
                 "%.4f" % r["textToImage"][0], "%.4f" % r["imageToText"][0], str(m["bestEpoch"])]))
PY
  tail -1 "$out/results.tsv.tmp" >&2
done
mv "$out/results.tsv.tmp" "$out/results.tsv"
cat "$out/results.tsv"
