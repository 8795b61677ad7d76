#!/usr/bin/env python3
"""Measures pipec on hostile and oversized inputs: exit code, diagnostic codes, time, peak RSS.

Run from the repository root after `cargo build --release`:

    python3 tests/limits/measure.py            # a Markdown table on stdout
    python3 tests/limits/measure.py --keep DIR # also keep the generated inputs in DIR

Each case is a folder with the bundled platform and the generated files; pipec runs as
`pipec build CASE -o OUT --format json` (nothing may be written when there is an error). The
same inputs, generated in Rust, are asserted on by tests/limits.rs.
"""

import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
PIPEC = ROOT / "target" / "release" / "pipec"
PLATFORM = (ROOT / "pipelines" / "platform.yaml").read_bytes()

HEAD = "apiVersion: pipec/v1alpha1\nkind: Pipeline\nmetadata: { name: limits, owner: team-limits }\n"


def pipeline(columns, sql, extra_sources=""):
    """A pipeline with one Kafka source of `columns` ((name, type) pairs), one transform and
    one sink."""
    cols = "".join(f"        - {{ name: {n}, type: {t} }}\n" for n, t in columns)
    body = "".join(f"        {line}\n" for line in sql.split("\n"))
    return (
        HEAD
        + "spec:\n  sources:\n"
        + "    - name: events\n"
        + "      kafka: { cluster: main, topic: limits.events, format: json }\n"
        + "      columns:\n"
        + cols
        + extra_sources
        + "  transforms:\n    - name: q\n      sql: |-\n"
        + body
        + "  sinks:\n    - name: out\n      from: q\n"
        + "      kafka: { cluster: main, topic: limits.out, format: debezium-json }\n"
    )


def simple(sql):
    return pipeline([("a", "BIGINT"), ("b", "STRING")], sql)


def alias_bomb():
    text = HEAD + "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
    for i in range(1, 10):
        refs = ", ".join([f"*a{i - 1}"] * 10)
        text += f"a{i}: &a{i} [{refs}]\n"
    return text


def cases():
    n = 5000
    wide = [(f"c{i}", "BIGINT") for i in range(n)]
    yield "YAML alias bomb (10^9 nodes)", {"p.yaml": alias_bomb()}
    yield "YAML nesting 100,000 deep", {"p.yaml": HEAD + "spec: " + "[" * 100_000 + "]" * 100_000 + "\n"}
    yield "YAML nesting 63 deep (accepted by the reader)", {
        "p.yaml": HEAD + "spec: {x: " + "[" * 61 + "]" * 61 + "}\n"
    }
    big_comment = "# " + "x" * 98 + "\n"
    yield "file of 9 MiB", {"p.yaml": simple("SELECT a, b FROM events") + big_comment * (9 * 1024 * 1024 // 100)}
    yield "file of 7.9 MiB (comments)", {
        "p.yaml": simple("SELECT a, b FROM events") + big_comment * (int(7.9 * 1024 * 1024) // 100)
    }
    yield "document of 100,001 nodes", {
        "p.yaml": HEAD + "spec:\n  x: [" + ", ".join(["1"] * 100_001) + "]\n"
    }
    yield "SQL of 1 MiB", {"p.yaml": simple("SELECT a, b FROM events WHERE b <> '" + "x" * (1024 * 1024) + "'")}
    yield "SQL of 255 KiB (long literal)", {
        "p.yaml": simple("SELECT a, b FROM events WHERE b <> '" + "x" * (255 * 1024) + "'")
    }
    yield "SQL of 4,001 tokens", {"p.yaml": simple("SELECT a" + " + a" * 1999 + ", b FROM events")}
    yield "SQL of 3,999 tokens: a + a + ... (1,996 operators)", {
        "p.yaml": simple("SELECT a" + " + a" * 1996 + " AS s FROM events")
    }
    yield "SQL nested 1,900 parentheses deep", {"p.yaml": simple("SELECT " + "(" * 1900 + "a" + ")" * 1900 + " AS s FROM events")}
    yield "SQL with 30 nested subqueries", {
        "p.yaml": simple("SELECT * FROM " + "(SELECT * FROM " * 30 + "events" + ") AS t" * 30)
    }
    yield "SQL NOT NOT ... (1,990 deep)", {"p.yaml": simple("SELECT a FROM events WHERE " + "NOT " * 1990 + "b IS NULL")}
    yield "SQL - - ... a (1,990 deep)", {"p.yaml": simple("SELECT " + "- " * 1990 + "a AS s FROM events")}
    yield "SQL CASE nested 600 deep", {
        "p.yaml": simple("SELECT " + "CASE WHEN a > 0 THEN " * 600 + "1" + " END" * 600 + " AS s FROM events")
    }
    yield f"{n:,} columns, SELECT *", {"p.yaml": pipeline(wide, "SELECT * FROM events")}
    yield f"1,300 of {n:,} columns named in SELECT", {
        "p.yaml": pipeline(wide, "SELECT " + ", ".join(c for c, _ in wide[:1300]) + " FROM events")
    }
    yield "20,001 columns (over the node limit)", {
        "p.yaml": pipeline([(f"c{i}", "BIGINT") for i in range(20_001)], "SELECT * FROM events")
    }
    chain = (
        HEAD
        + "spec:\n  sources:\n    - name: t0\n      kafka: { cluster: main, topic: limits.events, format: json }\n"
        + "      columns:\n        - { name: a, type: BIGINT }\n  transforms:\n"
        + "".join(f"    - {{ name: t{i}, sql: SELECT a FROM t{i - 1} }}\n" for i in range(1, 19_001))
        + "  sinks:\n    - name: out\n      from: t19000\n"
        + "      kafka: { cluster: main, topic: limits.out, format: json }\n"
    )
    yield "19,000 transforms in a chain", {"p.yaml": chain}
    yield "non-UTF-8 pipeline", {"p.yaml": simple("SELECT a, b FROM events").encode() + b"# \xff\xfe\n"}
    k8s = "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\ndata: { a: b }\n"
    junk = {f"junk/{i}.yaml": os.urandom(4096) for i in range(500)}
    yield "1,000 files that are not pipec's", {
        **{f"k8s/{i}.yaml": k8s for i in range(500)},
        **junk,
        "p.yaml": simple("SELECT a, b FROM events"),
    }


def run(files, work):
    case = work / "case"
    out = work / "out"
    shutil.rmtree(case, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    case.mkdir(parents=True)
    (case / "platform.yaml").write_bytes(PLATFORM)
    for name, content in files.items():
        path = case / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    start = time.monotonic()
    # Output goes to files, so that the child can be reaped with wait4, which gives its rusage.
    with open(work / "stdout", "wb") as so, open(work / "stderr", "wb") as se:
        proc = subprocess.Popen([str(PIPEC), "build", str(case), "-o", str(out), "--format", "json"], stdout=so, stderr=se)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.monotonic() - start
    returncode = os.waitstatus_to_exitcode(status)
    rss_kib = usage.ru_maxrss
    stdout = (work / "stdout").read_bytes()
    codes = []
    if stdout.strip():
        try:
            codes = sorted({d["code"] for d in json.loads(stdout)["diagnostics"] if d["severity"] == "error"})
        except (ValueError, KeyError):
            codes = ["(unreadable)"]
    size = sum(len(c) for c in files.values())
    return returncode, codes, elapsed, rss_kib, size, out.exists()


def main():
    if not PIPEC.exists():
        sys.exit("build first: cargo build --release")
    keep = None
    if "--keep" in sys.argv:
        keep = pathlib.Path(sys.argv[sys.argv.index("--keep") + 1])
    print("| input | size | exit | errors | wall time | peak RSS |")
    print("| --- | ---: | ---: | --- | ---: | ---: |")
    for title, files in cases():
        with tempfile.TemporaryDirectory() as tmp:
            work = pathlib.Path(tmp)
            code, codes, elapsed, rss, size, wrote = run(files, work)
            if keep:
                dest = keep / title.replace(" ", "_").replace("/", "_")
                shutil.rmtree(dest, ignore_errors=True)
                shutil.copytree(work / "case", dest)
        note = " (wrote output)" if wrote and code != 0 else ""
        print(
            f"| {title} | {size / 1024:,.0f} KiB | {code}{note} | {', '.join(codes) or '-'} "
            f"| {elapsed:.2f} s | {rss / 1024:,.0f} MiB |"
        )


if __name__ == "__main__":
    main()
