#!/usr/bin/env bash
# The long versions of the reliability tests whose figures docs/reliability.md publishes: the same
# test classes the suite runs, with more kills, faults, fuzz iterations and requests. Each prints
# its figures on one line; this script collects them at the end.
#
#   scripts/reliability-campaigns.sh              # the published sizes
#   KILLS=10 FAULT_ROUNDS=3 FUZZ=2000 REQUESTS=5000 scripts/reliability-campaigns.sh
#
# Timing figures (the load test's percentiles) are only comparable on a quiet machine: run this
# under the measurement lock and note `uptime` before and after.
set -euo pipefail
cd "$(dirname "$0")/.."

KILLS="${KILLS:-20}"
FAULT_ROUNDS="${FAULT_ROUNDS:-10}"
FUZZ="${FUZZ:-10000}"
REQUESTS="${REQUESTS:-30000}"
CLIENTS="${CLIENTS:-8}"
SLOW="${SLOW:-32}"

echo "uptime before: $(uptime)"
./mmsearch test -pl manifest,index-tools -am -Dsurefire.failIfNoSpecifiedTests=false \
  -Dtest='ManifestReaderFuzzTest,IndexFaultInjectionTest,IndexKillCampaignTest,ServeLoadAndAbuseTest' \
  -Dmmsearch.kills="$KILLS" -Dmmsearch.faults.rounds="$FAULT_ROUNDS" \
  -Dmmsearch.fuzz.iterations="$FUZZ" -Dmmsearch.load.requests="$REQUESTS" \
  -Dmmsearch.load.clients="$CLIENTS" -Dmmsearch.abuse.slow="$SLOW"

echo "uptime after: $(uptime)"
echo
echo "== figures =="
grep -h -E '^(fuzzing|JSONL:|CSV:|fault injection:|kill -9 campaign:|load:|abuse:)' \
  manifest/target/surefire-reports/*-output.txt index-tools/target/surefire-reports/*-output.txt
