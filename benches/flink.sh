#!/usr/bin/env bash
# Side by side: `pipec check` on generated pipelines against Flink's own planner validating
# the SQL pipec generated for them (flink_sql_check.py, every script in one JVM).
#
#   benches/flink.sh [PIPELINES]        (default 100)
#
# pipec is timed with hyperfine (median of 10 runs); Flink once, as the conformance check runs
# it: `${NAME}` placeholders filled in copies, `--runner`, and each script's
# iceberg-tables.json. The Flink check lives beside the project (CONFORMANCE, default
# ../shared/conformance) and installs what it needs on first use.
set -euo pipefail
cd "$(dirname "$0")/.."

n="${1:-100}"
conformance="${CONFORMANCE:-../shared/conformance}"
[ -f "$conformance/flink_sql_check.py" ] || { echo "no $conformance/flink_sql_check.py" >&2; exit 2; }
command -v hyperfine >/dev/null || { echo "hyperfine is needed (apt-get install -y hyperfine)" >&2; exit 2; }

cargo build --release --locked --quiet
pipec="$PWD/target/release/pipec"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$pipec" dev generate --pipelines "$n" --seed "${SEED:-1}" -o "$work/repo"
"$pipec" build "$work/repo" -o "$work/generated" 2>/dev/null
hyperfine -N --style basic --warmup 2 --runs 10 --export-json "$work/pipec.json" "$pipec check $work/repo" >/dev/null

# The scripts as the SQL runner gets them: placeholders filled from the environment.
args=(--runner)
for sql in "$work"/generated/*/pipeline.sql; do
  dir="$(dirname "$sql")"
  copy="$work/flink/$(basename "$dir").sql"
  mkdir -p "$work/flink"
  sed -E 's/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/placeholder-\1/g' "$sql" >"$copy"
  args+=("$copy")
  if [ -f "$dir/iceberg-tables.json" ]; then
    args+=(--iceberg-tables-for "$copy" "$dir/iceberg-tables.json")
  fi
done
start="$(date +%s.%N)"
rc=0
python3 "$conformance/flink_sql_check.py" "${args[@]}" >"$work/flink.json" 2>"$work/flink.err" || rc=$?
end="$(date +%s.%N)"

python3 - "$work" "$start" "$end" "$rc" "$n" <<'PY'
import json, sys
work, start, end, rc, n = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
p = json.load(open(f"{work}/pipec.json"))["results"][0]
flink = end - start
results = json.load(open(f"{work}/flink.json")) if rc in (0, 1) else []
failed = [r for r in results if not all(s.get("ok") for s in r.get("statements", []))] if isinstance(results, list) else []
print(f"pipelines: {n}")
print(f"pipec check:            median {p['median']*1000:.1f} ms (min {p['min']*1000:.1f}, max {p['max']*1000:.1f}, {len(p['times'])} runs)")
print(f"Flink planner (1 JVM):  {flink:.1f} s for {n} scripts, exit {rc}, {len(failed)} script(s) with errors")
print(f"pipec is {flink / p['median']:.0f} x faster (target: at least 200 x)")
PY
