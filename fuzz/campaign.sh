#!/usr/bin/env bash
# A fuzzing campaign: each target in turn for RUNS executions, growing corpus/<target>.
# libFuzzer's final statistics of every run are appended to logs/<target>.log (ignored by
# git); `./campaign.sh --sum` adds up the executions and crashes recorded there.
#
#   cargo +nightly fuzz build -O -s none
#   ./campaign.sh 2000000 sql
#   ./campaign.sh 200000 whole_path whole_path_platform pipeline_splice
#   ./campaign.sh --sum
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p logs

if [ "${1:-}" = --sum ]; then
  total=0
  for log in logs/*.log; do
    t="$(basename "$log" .log)"
    runs="$(grep -h '^stat::number_of_executed_units' "$log" | awk '{s += $2} END {print s + 0}')"
    crashes="$(grep -c 'SUMMARY: libFuzzer' "$log" || true)"
    echo "$t: $runs executions, $crashes crashes"
    total=$((total + runs))
  done
  echo "total: $total executions"
  exit 0
fi

runs="$1"
shift
bin="target/x86_64-unknown-linux-gnu/release"
for t in "$@"; do
  case "$t" in
    sql | pipeline_splice) dict=dict/sql.dict ;;
    *) dict=dict/yaml.dict ;;
  esac
  mkdir -p "corpus/$t" "artifacts/$t"
  # -timeout: an input that takes 10 s is a hang; -rss_limit_mb: 2 GiB is a leak or a bomb.
  "$bin/$t" "corpus/$t" -dict="$dict" -runs="$runs" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="artifacts/$t/" -print_final_stats=1 >>"logs/$t.log" 2>&1 ||
    echo "$t stopped with $? (see logs/$t.log and artifacts/$t/)" >&2
done
