#!/usr/bin/env python3
"""Records what Apache Flink 1.20's planner says about every case of tests/typing/cases/*.yaml.

The expectations in tests/typing/expected/<file>.json come only from here, never by hand;
`cargo test --test typing` compares pipec's type checker with them (hermetic: it never calls
Flink). This script is not run by cargo test.

For each case file:

1. The DDL of its sources is the DDL pipec emits: a temp folder gets tests/fixtures/platform.yaml
   and a pipeline with the file's `sources:` (copied as written) plus, per source, a sink
   `from: <source>` into a Kafka debezium-json topic (a sink that accepts every changelog);
   `pipec build DIR -o OUT` compiles it, and the source `CREATE TABLE` statements (and any `SET`
   lines) are taken from OUT/<pipeline>/pipeline.sql. pipec is built with `cargo build` unless
   `--pipec PATH` names a binary.
2. Flink 1.20 (the conformance oracle flink_sql_check.py, PyFlink 1.20.5 with its stub connectors)
   registers that DDL and resolves and plans each case's query: the output columns (name, type
   with nullability, time attribute) and the changelog mode of the query's root, or the error.

Two ways to ask Flink (the answers are the same; `--mode cli --only FILE` is the cross-check):

* `--mode batch` (default): one JVM for everything. A worker process, run under the oracle's
  venv, imports flink_sql_check and, per case file, makes one `Checker` (a fresh
  TableEnvironment), runs the DDL and calls `Checker.query_schema` for each case: exactly what
  `flink_sql_check.py DDL.sql --schema-file QUERY.sql` does, without a JVM start per case.
  About 0.1-0.5 s per case after a ~10 s start: the whole corpus in about a minute.
* `--mode cli`: the documented CLI, `flink_sql_check.py DDL.sql --schema-file QUERY.sql`, once per
  case, `--jobs` (default 2) in parallel. About 5 s per call (a JVM each): ~10 minutes.

Verdicts: `accept`, or `reject` when Flink fails to validate the query (sqlQuery) or to plan it
(EXPLAIN with CHANGELOG_MODE); `phase` says which (`validate` | `plan`) and `error` is Flink's
root-cause message, first line. Accepted: `columns` [{name, type, nullable, time}] with `type` the
Flink type string with nullability (`BIGINT NOT NULL`), `changelog` the changelog mode of the
query's root node (`I`, `I,UA`, `I,UA,D`, `I,UB,UA,D`, ...: what the query produces when nothing
downstream asks for update-before rows), and `primary_key` when Flink reports one. `input_sha256`
fingerprints the case (sources text + SQL) so that the test sees a stale expectation.

Time attributes. The resolved schema marks `*ROWTIME*` / `*PROCTIME*` as Flink's validator types
the query; the validator keeps the marker through expressions whose time attribute the planner
then materializes into a plain timestamp (MAX(order_time), order_time + INTERVAL '1' HOUR,
FLOOR(order_time TO HOUR), the columns of a regular join, ...): a query that uses such a column
as a time attribute fails at planning. So `time` is the planner's answer: for each marked column
a probe registers the query as a view and plans a TUMBLE window over that column alone (renamed
by a plain projection); the probe plans -> `time` is the marker, it fails with Flink's "requires
the timecol is a time attribute type" -> `time` is null and `validated_time` keeps the marker.
A probe failing for any other reason (none in the corpus today) keeps the marker and says so in
`time_probe`. The probes are plain `--schema` queries too, so both modes make them.

Usage (from anywhere; paths are found relative to this file):

    python3 tests/typing/record.py                       # every file, batch mode
    python3 tests/typing/record.py --only windows.yaml   # one file (repeatable)
    python3 tests/typing/record.py --case tumble_count_per_page   # one case (repeatable)
    python3 tests/typing/record.py --mode cli --jobs 2 --only joins.yaml

The conformance folder is ../shared/conformance relative to the project root, or
$PIPEC_CONFORMANCE. The oracle's venv lives under $ORACLES_HOME (default <tmp>/oracles); when it is
missing, run `<conformance>/install.sh flink` first. Needs PyYAML in the interpreter running this
script (Debian: python3-yaml). Output is deterministic: sorted keys, cases in file order, no
timestamps, no paths.
"""
import argparse
import concurrent.futures
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CASES_DIR = os.path.join(HERE, "cases")
EXPECTED_DIR = os.path.join(HERE, "expected")
PLATFORM = os.path.join(ROOT, "tests", "fixtures", "platform.yaml")


def conformance_dir():
    return os.path.abspath(os.environ.get("PIPEC_CONFORMANCE") or os.path.join(ROOT, "..", "shared", "conformance"))


# ------------------------------------------------------------------------------------------------
# case files (the Rust test reads them the same way: tests/typing.rs)
# ------------------------------------------------------------------------------------------------
TOP_KEY = re.compile(r"^[A-Za-z_][\w-]*\s*:")


def sources_text(text):
    """The `sources:` section of a case file as written: the lines after the top-level `sources:`
    line up to the next top-level key, trailing blank lines dropped, joined with '\\n'."""
    lines = text.replace("\r\n", "\n").split("\n")
    start = None
    for i, line in enumerate(lines):
        if re.match(r"^sources\s*:\s*(#.*)?$", line):
            start = i + 1
            break
    if start is None:
        raise ValueError("no top-level `sources:` block")
    end = len(lines)
    for j in range(start, len(lines)):
        if TOP_KEY.match(lines[j]):
            end = j
            break
    body = lines[start:end]
    while body and not body[-1].strip():
        body.pop()
    return "\n".join(body)


def fingerprint(src_text, sql):
    h = hashlib.sha256()
    h.update(src_text.encode("utf-8"))
    h.update(b"\n\x00\n")
    h.update(sql.encode("utf-8"))
    return h.hexdigest()[:16]


def load_case_file(path):
    import yaml  # PyYAML: Debian python3-yaml, or pip install pyyaml

    with open(path, encoding="utf-8") as f:
        text = f.read()
    doc = yaml.safe_load(text)
    name = os.path.basename(path)
    if not isinstance(doc, dict) or not isinstance(doc.get("sources"), list) or not isinstance(doc.get("cases"), list):
        raise ValueError("%s: needs top-level `sources:` and `cases:` lists" % name)
    src = sources_text(text)
    names = set()
    cases = []
    for c in doc["cases"]:
        if not isinstance(c, dict) or not isinstance(c.get("name"), str) or not isinstance(c.get("sql"), str):
            raise ValueError("%s: every case needs `name` and `sql` strings: %r" % (name, c))
        if not re.match(r"^[a-z][a-z0-9_]*$", c["name"]):
            raise ValueError("%s: case name %r is not snake_case" % (name, c["name"]))
        if c["name"] in names:
            raise ValueError("%s: case %s appears twice" % (name, c["name"]))
        names.add(c["name"])
        cases.append({"name": c["name"], "sql": c["sql"], "input_sha256": fingerprint(src, c["sql"])})
    return {"file": name, "stem": name[: -len(".yaml")], "sources": [s["name"] for s in doc["sources"]],
            "sources_text": src, "cases": cases}


# ------------------------------------------------------------------------------------------------
# the DDL pipec emits
# ------------------------------------------------------------------------------------------------
def pipeline_yaml(cf):
    indented = "\n".join(("  " + l) if l.strip() else "" for l in cf["sources_text"].split("\n"))
    out = [
        "# written by tests/typing/record.py: the sources of %s, each into a debezium-json topic" % cf["file"],
        "apiVersion: pipec/v1alpha1",
        "kind: Pipeline",
        "metadata: { name: %s, owner: team-typing }" % pipeline_name(cf),
        "spec:",
        "  sources:",
        indented,
        "  sinks:",
    ]
    for s in cf["sources"]:
        out += [
            "    - name: typing_sink_%s" % s,
            "      from: %s" % s,
            "      kafka: { cluster: main, topic: typing.%s, format: debezium-json }" % s.replace("_", "-"),
        ]
    return "\n".join(out) + "\n"


def pipeline_name(cf):
    return "typing-" + re.sub(r"[^a-z0-9]+", "-", cf["stem"].lower()).strip("-")


def split_sql(text):
    """Statements of a Flink SQL script: split at top-level ';' (quotes, backticks, comments)."""
    stmts, cur, i, n = [], [], 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "-" and text.startswith("--", i):
            j = text.find("\n", i)
            i = n if j < 0 else j + 1
            cur.append("\n")
            continue
        if ch in ("'", "`"):
            j = i + 1
            while j < n:
                if text[j] == ch:
                    if j + 1 < n and text[j + 1] == ch:
                        j += 2
                        continue
                    break
                j += 1
            cur.append(text[i : j + 1])
            i = j + 1
            continue
        if ch == ";":
            stmts.append("".join(cur).strip())
            cur = []
            i += 1
            continue
        cur.append(ch)
        i += 1
    if "".join(cur).strip():
        stmts.append("".join(cur).strip())
    return [s for s in stmts if s]


def source_ddl(cf, pipec, workdir):
    """The SET lines and source CREATE TABLE statements pipec emits for the file's sources."""
    d_in = os.path.join(workdir, cf["stem"], "in")
    d_out = os.path.join(workdir, cf["stem"], "out")
    os.makedirs(d_in)
    shutil.copy(PLATFORM, os.path.join(d_in, "platform.yaml"))
    with open(os.path.join(d_in, "pipeline.yaml"), "w", encoding="utf-8") as f:
        f.write(pipeline_yaml(cf))
    r = subprocess.run([pipec, "build", d_in, "-o", d_out], capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError("pipec build failed for the sources of %s:\n%s%s" % (cf["file"], r.stdout, r.stderr))
    with open(os.path.join(d_out, pipeline_name(cf), "pipeline.sql"), encoding="utf-8") as f:
        script = f.read()
    wanted = set(cf["sources"])
    keep, found = [], set()
    for st in split_sql(script):
        if re.match(r"SET\s", st, re.I):
            keep.append(st + ";")
            continue
        m = re.match(r"CREATE\s+TABLE\s+`([^`]+)`", st, re.I)
        if m and m.group(1) in wanted:
            keep.append(st + ";")
            found.add(m.group(1))
    if found != wanted:
        raise RuntimeError("%s: no CREATE TABLE in pipeline.sql for %s" % (cf["file"], sorted(wanted - found)))
    return "\n\n".join(keep) + "\n"


# ------------------------------------------------------------------------------------------------
# Flink's answers, normalised
# ------------------------------------------------------------------------------------------------
MARKER = re.compile(r"\s*\*(ROWTIME|PROCTIME)\*\s*$")


def first_line(s):
    s = (s or "").strip()
    return s.split("\n", 1)[0].strip()


def error_message(err):
    """Flink's root-cause message, first line; a root cause without a message (an NPE, say) is
    named by its class after the nearest message above it."""
    causes = err.get("causes") or []
    if not causes:
        return first_line(err.get("root_cause") or err.get("message") or "")
    root = causes[-1]
    if root.get("message"):
        return first_line(root["message"])
    above = next((c["message"] for c in reversed(causes[:-1]) if c.get("message")), "")
    cls = root.get("class", "").rsplit(".", 1)[-1]
    return first_line("%s: %s" % (cls, first_line(above)) if above else cls)


def marker(type_string):
    """The time attribute the validated schema marks on a type string, or None."""
    m = MARKER.search(type_string)
    return m.group(1).lower() if m else None


def normalise(raw):
    """One case's expectation from the oracle's answers (or its failure)."""
    if not raw.get("ok"):
        return {"verdict": "reject", "phase": raw["phase"], "error": error_message(raw["error"])}
    cols = []
    for c in raw["columns"]:
        validated = marker(c["type"])
        col = {"name": c["name"], "type": MARKER.sub("", c["type"]).strip(), "nullable": bool(c["nullable"]),
               "time": validated}
        if validated:
            probe = raw["probes"][c["name"]]
            if probe.get("ok"):
                pass
            elif NOT_TIME_ATTRIBUTE in error_message(probe["error"]):
                col["time"] = None
                col["validated_time"] = validated
            else:
                # the probe failed for another reason: keep the validator's marker, say so
                col["time_probe"] = "inconclusive: " + error_message(probe["error"])
        cols.append(col)
    out = {"verdict": "accept", "columns": cols, "changelog": raw.get("changelog_mode")}
    if raw.get("primary_key"):
        out["primary_key"] = list(raw["primary_key"])
    return out


# The time attribute probe: a window table function over the query (registered as a view) takes
# column C as its time column. Flink's validator keeps the *ROWTIME* / *PROCTIME* marker through
# expressions (MAX(order_time), order_time + INTERVAL ..., columns of a regular join) whose time
# attribute the planner then materializes into a plain timestamp; a query that uses such a
# column as a time attribute (a window, an interval join) fails at planning. The probe asks the
# planner: it plans, or fails with NOT_TIME_ATTRIBUTE. The query is the view QUERY_VIEW; the
# column, renamed by a plain projection (which keeps a time attribute), the only column of the
# view PROBE_VIEW, so that the window's own columns (window_time ...) never clash with it.
QUERY_VIEW = "__typing_query"
PROBE_VIEW = "__typing_probe"
NOT_TIME_ATTRIBUTE = "requires the timecol is a time attribute type"
PROBE_SQL = ("SELECT 1 AS `__probe` FROM TABLE(TUMBLE(TABLE `%s`, DESCRIPTOR(`__probe_time`), INTERVAL '1' MINUTE))"
             % PROBE_VIEW)


def quote(name):
    return "`" + name.replace("`", "``") + "`"


def probe_view_sql(column):
    return "SELECT %s AS `__probe_time` FROM `%s`" % (quote(column), QUERY_VIEW)


def probe_ddl(sql, column):
    """The views of one probe, as DDL (cli mode)."""
    return ("CREATE TEMPORARY VIEW `%s` AS\n%s;\n\nCREATE TEMPORARY VIEW `%s` AS %s;\n"
            % (QUERY_VIEW, sql.strip().rstrip(";"), PROBE_VIEW, probe_view_sql(column)))


def probe_answer(qs):
    """A probe's query_schema output: ok, or the error (validation or planning)."""
    r = from_query_schema(qs)
    return {"ok": True} if r["ok"] else {"ok": False, "error": r["error"]}


def marked_columns(raw):
    return [c["name"] for c in raw.get("columns", []) if marker(c["type"])]


def from_query_schema(qs):
    """The raw answer of one case from the oracle's query_schema dict (CLI and batch alike)."""
    if qs.get("ok") is False:
        return {"ok": False, "phase": "validate", "error": qs["error"]}
    if "plan_error" in qs:
        return {"ok": False, "phase": "plan", "error": qs["plan_error"]}
    return {"ok": True, "columns": qs["columns"], "changelog_mode": qs.get("changelog_mode"),
            "primary_key": qs.get("primary_key")}


# ------------------------------------------------------------------------------------------------
# batch mode: the worker runs under the oracle's venv and answers every case in one JVM
# ------------------------------------------------------------------------------------------------
def worker(job_path, out_path):
    sys.path.insert(0, conformance_dir())
    import flink_sql_check as f

    f._reexec_in_venv()  # re-runs this script (same arguments) under the venv when needed
    jh = f._find_java_home()
    if jh is None:
        sys.exit("no Java 11/17 found (set JAVA_HOME)")
    os.environ["JAVA_HOME"] = jh
    os.environ["PATH"] = os.path.join(jh, "bin") + os.pathsep + os.environ.get("PATH", "")
    import logging

    logging.disable(logging.WARNING)
    from pyflink.version import __version__ as flink_version

    with open(job_path, encoding="utf-8") as fh:
        job = json.load(fh)
    args = argparse.Namespace(no_stub=False, builtin_stubs=False, set=[], verbose=False, plan=False, runner=False)
    result = {"flink_version": flink_version, "files": {}}
    for jf in job["files"]:
        t0 = time.time()
        chk = f.Checker(args, jf["ddl"], [], None)
        stmts = []
        chk.run_script(jf["ddl"], stmts)
        bad = [s for s in stmts if not s["ok"]]
        entry = {"ddl_errors": bad, "cases": {}}
        result["files"][jf["file"]] = entry
        if not bad:
            for c in jf["cases"]:
                try:
                    qs = chk.query_schema(c["sql"])
                except Exception as e:  # noqa: BLE001 - Flink's validation error
                    qs = {"ok": False, "error": chk.err(e)}
                raw = from_query_schema(qs)
                if raw["ok"] and marked_columns(raw):
                    raw["probes"] = {}
                    chk.jt.createTemporaryView("`%s`" % QUERY_VIEW, chk.jt.sqlQuery(c["sql"].strip().rstrip(";")))
                    for col in marked_columns(raw):
                        chk.jt.createTemporaryView("`%s`" % PROBE_VIEW, chk.jt.sqlQuery(probe_view_sql(col)))
                        try:
                            pq = chk.query_schema(PROBE_SQL)
                        except Exception as e:  # noqa: BLE001
                            pq = {"ok": False, "error": chk.err(e)}
                        raw["probes"][col] = probe_answer(pq)
                        chk.jt.dropTemporaryView("`%s`" % PROBE_VIEW)
                    chk.jt.dropTemporaryView("`%s`" % QUERY_VIEW)
                entry["cases"][c["name"]] = raw
        shutil.rmtree(chk.tmpdir, ignore_errors=True)
        sys.stderr.write("  %-24s %3d cases  %5.1f s\n" % (jf["file"], len(jf["cases"]), time.time() - t0))
        sys.stderr.flush()
    with open(out_path, "w", encoding="utf-8") as fh:
        json.dump(result, fh)
    sys.stdout.flush()
    os._exit(0)  # the py4j gateway JVM is a child process; do not wait on it


def ask_batch(jobs, workdir):
    job_path = os.path.join(workdir, "job.json")
    out_path = os.path.join(workdir, "answers.json")
    with open(job_path, "w", encoding="utf-8") as fh:
        json.dump({"files": jobs}, fh)
    r = subprocess.run([sys.executable, os.path.abspath(__file__), "--worker", job_path, out_path])
    if r.returncode != 0 or not os.path.exists(out_path):
        raise RuntimeError("the Flink worker failed (exit %d)" % r.returncode)
    with open(out_path, encoding="utf-8") as fh:
        return json.load(fh)


# ------------------------------------------------------------------------------------------------
# cli mode: the documented CLI, once per case
# ------------------------------------------------------------------------------------------------
def ask_cli(jobs, workdir, parallel):
    check = os.path.join(conformance_dir(), "flink_sql_check.py")
    tasks = []
    for jf in jobs:
        d = os.path.join(workdir, "cli", re.sub(r"\W", "_", jf["file"]))
        os.makedirs(d, exist_ok=True)
        ddl = os.path.join(d, "ddl.sql")
        with open(ddl, "w", encoding="utf-8") as fh:
            fh.write(jf["ddl"])
        for c in jf["cases"]:
            q = os.path.join(d, c["name"] + ".sql")
            with open(q, "w", encoding="utf-8") as fh:
                fh.write(c["sql"])
            tasks.append((jf["file"], c["name"], ddl, q))

    def call(ddl, q, what):
        r = subprocess.run([sys.executable, check, ddl, "--schema-file", q], capture_output=True, text=True)
        try:
            return json.loads(r.stdout)
        except ValueError:
            raise RuntimeError("flink_sql_check.py gave no JSON for %s (exit %d):\n%s"
                               % (what, r.returncode, r.stderr[-3000:]))

    def run(task):
        file, name, ddl, q = task
        out = call(ddl, q, "%s/%s" % (file, name))
        if out.get("statements") and all(s["ok"] for s in out["statements"]):
            raw = from_query_schema(out["query_schema"])
            if raw["ok"] and marked_columns(raw):
                # per marked column: the DDL plus the probe's views, and the probe query
                with open(ddl, encoding="utf-8") as fh, open(q, encoding="utf-8") as qh:
                    ddl_text, sql = fh.read(), qh.read()
                pq = q[: -len(".sql")] + ".probe.sql"
                with open(pq, "w", encoding="utf-8") as fh:
                    fh.write(PROBE_SQL)
                out["probes"] = {}
                for i, col in enumerate(marked_columns(raw)):
                    pddl = q[: -len(".sql")] + ".probe-%d-ddl.sql" % i
                    with open(pddl, "w", encoding="utf-8") as fh:
                        fh.write(ddl_text + "\n" + probe_ddl(sql, col))
                    po = call(pddl, pq, "%s/%s probe %s" % (file, name, col))
                    bad = [st for st in po.get("statements", []) if not st["ok"]]
                    out["probes"][col] = ({"ok": False, "error": bad[0]["error"]} if bad
                                          else probe_answer(po["query_schema"]))
        return file, name, out

    result = {"flink_version": None, "files": {jf["file"]: {"ddl_errors": [], "cases": {}} for jf in jobs}}
    done = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=parallel) as ex:
        for file, name, out in ex.map(run, tasks):
            done += 1
            entry = result["files"][file]
            result["flink_version"] = out.get("flink_version", result["flink_version"])
            bad = [s for s in out.get("statements", []) if not s["ok"]]
            if bad:
                entry["ddl_errors"] = bad
                continue
            raw = from_query_schema(out["query_schema"])
            if "probes" in out:
                raw["probes"] = out["probes"]
            entry["cases"][name] = raw
            if done % 20 == 0:
                sys.stderr.write("  %d/%d cases\n" % (done, len(tasks)))
    return result


# ------------------------------------------------------------------------------------------------
# main
# ------------------------------------------------------------------------------------------------
def build_pipec():
    r = subprocess.run(["cargo", "build", "--quiet"], cwd=ROOT)
    if r.returncode != 0:
        sys.exit("cargo build failed")
    exe = os.path.join(ROOT, "target", "debug", "pipec.exe" if os.name == "nt" else "pipec")
    if not os.path.exists(exe):
        sys.exit("no pipec binary at target/debug/pipec (CARGO_TARGET_DIR set? pass --pipec PATH)")
    return exe


def write_expected(cf, answers, flink_version, only_cases):
    path = os.path.join(EXPECTED_DIR, cf["stem"] + ".json")
    previous = {}
    if only_cases and os.path.exists(path):
        with open(path, encoding="utf-8") as fh:
            previous = {c["name"]: c for c in json.load(fh).get("cases", [])}
    cases = []
    for c in cf["cases"]:
        if c["name"] in answers:
            e = normalise(answers[c["name"]])
            e["name"] = c["name"]
            e["input_sha256"] = c["input_sha256"]
            cases.append(e)
        elif c["name"] in previous:
            cases.append(previous[c["name"]])
    doc = {"file": cf["file"], "flink_version": flink_version, "cases": cases}
    os.makedirs(EXPECTED_DIR, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(dump(doc))
    return cases


def dump(value, indent=0):
    """JSON with sorted keys, two-space indentation, and each column (an object of scalars) or
    list of scalars on one line: one line per column keeps diffs of expectations readable."""
    def one(v):
        return json.dumps(v, sort_keys=True, ensure_ascii=False)

    pad, inner = "  " * indent, "  " * (indent + 1)
    if isinstance(value, dict):
        if value and all(not isinstance(v, (dict, list)) for v in value.values()) and indent > 0:
            return one(value)
        items = ['%s%s: %s' % (inner, one(k), dump(value[k], indent + 1)) for k in sorted(value)]
        body = "{\n" + ",\n".join(items) + "\n" + pad + "}" if items else "{}"
    elif isinstance(value, list):
        if all(not isinstance(v, (dict, list)) for v in value):
            body = one(value)
        else:
            body = "[\n" + ",\n".join(inner + dump(v, indent + 1) for v in value) + "\n" + pad + "]"
    else:
        body = one(value)
    return body + ("\n" if indent == 0 else "")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", action="append", default=[], metavar="FILE",
                    help="record this case file only (windows.yaml or windows); repeatable")
    ap.add_argument("--case", action="append", default=[], metavar="NAME",
                    help="record this case only (the file's other expectations are kept); repeatable")
    ap.add_argument("--pipec", help="the pipec binary to take the DDL from (default: cargo build, target/debug/pipec)")
    ap.add_argument("--mode", choices=["batch", "cli"], default="batch",
                    help="batch: one JVM for all cases (default); cli: flink_sql_check.py once per case")
    ap.add_argument("--jobs", type=int, default=2, help="parallel flink_sql_check.py calls in cli mode (default 2)")
    ap.add_argument("--keep", action="store_true", help="keep the temp folder (pipelines, DDL, answers)")
    ap.add_argument("--worker", nargs=2, metavar=("JOB", "OUT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        worker(*args.worker)
        return

    t_start = time.time()
    check = os.path.join(conformance_dir(), "flink_sql_check.py")
    if not os.path.exists(check):
        sys.exit("no %s: set PIPEC_CONFORMANCE to the conformance folder" % check)
    files = sorted(p for p in os.listdir(CASES_DIR) if p.endswith(".yaml"))
    if args.only:
        wanted = {o if o.endswith(".yaml") else o + ".yaml" for o in (os.path.basename(x) for x in args.only)}
        missing = wanted - set(files)
        if missing:
            sys.exit("no case file %s in tests/typing/cases" % ", ".join(sorted(missing)))
        files = [f for f in files if f in wanted]
    case_files = [load_case_file(os.path.join(CASES_DIR, f)) for f in files]
    for cf in case_files:
        cf["selected"] = [c for c in cf["cases"] if not args.case or c["name"] in args.case]
    if args.case:
        found = {c["name"] for cf in case_files for c in cf["selected"]}
        if set(args.case) - found:
            sys.exit("no case named %s" % ", ".join(sorted(set(args.case) - found)))
        case_files = [cf for cf in case_files if cf["selected"]]

    pipec = args.pipec or build_pipec()
    workdir = tempfile.mkdtemp(prefix="pipec-typing-")
    try:
        jobs = []
        for cf in case_files:
            jobs.append({"file": cf["file"], "ddl": source_ddl(cf, pipec, workdir),
                         "cases": [{"name": c["name"], "sql": c["sql"]} for c in cf["selected"]]})
        t_ddl = time.time()
        n = sum(len(j["cases"]) for j in jobs)
        sys.stderr.write("asking Flink about %d cases of %d files (%s mode)\n" % (n, len(jobs), args.mode))
        answers = ask_batch(jobs, workdir) if args.mode == "batch" else ask_cli(jobs, workdir, args.jobs)
        t_flink = time.time()
        failed = False
        totals = [0, 0, 0]
        print("%-22s %6s %7s %7s" % ("file", "cases", "accept", "reject"))
        for cf in case_files:
            entry = answers["files"][cf["file"]]
            if entry["ddl_errors"]:
                failed = True
                print("%s: Flink rejects the source DDL pipec emits:" % cf["file"])
                for s in entry["ddl_errors"]:
                    print("  line %s: %s" % (s.get("line"), error_message(s.get("error") or {})))
                continue
            cases = write_expected(cf, entry["cases"], answers["flink_version"], bool(args.case))
            recorded = [c for c in cases if c["name"] in entry["cases"]]
            acc = sum(1 for c in recorded if c["verdict"] == "accept")
            totals = [totals[0] + len(recorded), totals[1] + acc, totals[2] + len(recorded) - acc]
            print("%-22s %6d %7d %7d" % (cf["file"], len(recorded), acc, len(recorded) - acc))
        print("%-22s %6d %7d %7d" % ("total", *totals))
        print("Flink %s, %s mode: pipec + DDL %.1f s, Flink %.1f s, total %.1f s"
              % (answers["flink_version"], args.mode, t_ddl - t_start, t_flink - t_ddl, time.time() - t_start))
        if args.keep:
            print("temp folder kept: %s" % workdir)
        sys.exit(1 if failed else 0)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
