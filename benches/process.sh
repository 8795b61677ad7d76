#!/usr/bin/env bash
# Whole-process benchmarks: `pipec check` and `pipec build` on generated repositories of
# 1, 100, 1,000 and 10,000 pipelines (or the sizes given), release build.
#
#   benches/process.sh [SIZE ...]
#
# Per size: median and spread (min-max, standard deviation) of wall time from hyperfine, for
# `check`, `build` into an empty folder, and `build` over an up-to-date folder; peak RSS from
# GNU time. Last, how time grows from 1,000 to 10,000 pipelines. Needs hyperfine and
# /usr/bin/time (Debian: apt-get install -y hyperfine time). Environment: SEED (default 1),
# RUNS (override the number of timed runs per command).
set -euo pipefail
cd "$(dirname "$0")/.."

command -v hyperfine >/dev/null || { echo "hyperfine is needed (apt-get install -y hyperfine)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "GNU time is needed (apt-get install -y time)" >&2; exit 2; }

cargo build --release --locked --quiet
pipec="$PWD/target/release/pipec"
seed="${SEED:-1}"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1 100 1000 10000)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

runs_for() {
  if [ -n "${RUNS:-}" ]; then echo "$RUNS"; elif [ "$1" -ge 10000 ]; then echo 5; elif [ "$1" -ge 1000 ]; then echo 10; else echo 30; fi
}

rss() { # peak resident set size of a command, in MB
  /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1 | awk '{ printf "%.0f", $1 / 1024 }'
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ { print $2 }') GiB"
echo "pipec: $("$pipec" --version), threads: ${PIPEC_THREADS:-all}"
for n in "${sizes[@]}"; do
  repo="$work/repo-$n"
  out="$work/out-$n"
  "$pipec" dev generate --pipelines "$n" --seed "$seed" -o "$repo"
  runs="$(runs_for "$n")"
  hyperfine -N --style basic --warmup 1 --runs "$runs" --export-json "$work/check-$n.json" \
    "$pipec check $repo" >/dev/null
  hyperfine --style basic --warmup 1 --runs "$runs" --prepare "rm -rf $out" \
    --export-json "$work/build-$n.json" "$pipec build $repo -o $out" >/dev/null
  hyperfine -N --style basic --warmup 1 --runs "$runs" --export-json "$work/rebuild-$n.json" \
    "$pipec build $repo -o $out" >/dev/null
  rss "$pipec" check "$repo" >"$work/check-$n.rss"
  rm -rf "$out"
  rss "$pipec" build "$repo" -o "$out" >"$work/build-$n.rss"
done

python3 - "$work" "${sizes[@]}" <<'PY'
import json, sys
work, sizes = sys.argv[1], sys.argv[2:]
def stat(name, n):
    r = json.load(open(f"{work}/{name}-{n}.json"))["results"][0]
    return r
def fmt(r):
    return f"{r['median']*1000:8.1f} ms ({r['min']*1000:.1f}-{r['max']*1000:.1f}, sd {r['stddev']*1000:.1f}, {len(r['times'])} runs)"
print()
print(f"{'pipelines':>9}  {'check: median (min-max, sd)':<44} {'build, empty output':<44} {'build, up to date':<44} {'RSS check':>9} {'RSS build':>9}")
for n in sizes:
    rc, rb = open(f"{work}/check-{n}.rss").read(), open(f"{work}/build-{n}.rss").read()
    print(f"{n:>9}  {fmt(stat('check', n)):<44} {fmt(stat('build', n)):<44} {fmt(stat('rebuild', n)):<44} {rc:>6} MB {rb:>6} MB")
if "1000" in sizes and "10000" in sizes:
    print()
    for name in ("check", "build", "rebuild"):
        a, b = stat(name, "1000")["median"], stat(name, "10000")["median"]
        print(f"{name}: 10,000 / 1,000 = {b / a:.2f} (linear is 10, the target at most 11)")
PY
