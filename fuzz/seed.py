#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets from the repository's own inputs.

Run from the repository root: python3 fuzz/seed.py [OUT]   (default OUT: fuzz/seeds)

- whole_path: every pipeline file of pipelines/ and tests/fixtures/;
- whole_path_platform: every platform file there;
- sql: every SQL text (transforms, sinks, computed columns, typing cases) and type string;
- pipeline_splice: the SQL texts and type strings in the slots of the splice template
  (fuzz/src/lib.rs: a flags byte, then pieces separated by NUL).

Seeds are named by the SHA-1 of their content, as libFuzzer names corpus files.
"""

import hashlib
import pathlib
import sys

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "fuzz" / "seeds"


def write(target, data):
    d = OUT / target
    d.mkdir(parents=True, exist_ok=True)
    (d / hashlib.sha1(data).hexdigest()).write_bytes(data)


def yaml_files():
    for base in ["pipelines", "tests/fixtures"]:
        yield from sorted((ROOT / base).rglob("*.yaml"))


def walk(value, key=None):
    """Yields (key, string) for every string in a YAML value."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from walk(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from walk(v, key)
    elif isinstance(value, str):
        yield key, value


sqls, types = set(), set()
for path in yaml_files():
    data = path.read_bytes()
    text = data.decode("utf-8", "replace")
    if "kind: Platform" in text:
        write("whole_path_platform", data)
    else:
        write("whole_path", data)
    try:
        doc = yaml.safe_load(text)
    except Exception:
        continue
    for key, s in walk(doc):
        if key in ("sql", "computed"):
            sqls.add(s)
        elif key == "type":
            types.add(s)

for path in sorted((ROOT / "tests/typing/cases").glob("*.yaml")):
    doc = yaml.safe_load(path.read_text())
    for case in doc.get("cases", []):
        sqls.add(case["sql"])
    for key, s in walk(doc.get("sources", [])):
        if key == "computed":
            sqls.add(s)
        elif key == "type":
            types.add(s)

for s in sorted(sqls | types):
    write("sql", s.encode())
for s in sorted(sqls):
    # The SQL as the transform's query, written as a block and as a quoted scalar.
    write("pipeline_splice", b"\x00" + s.encode())
    write("pipeline_splice", b"\x01" + s.encode())
for t in sorted(types):
    # The type of the `amount` column.
    write("pipeline_splice", b"\x00\x00\x00" + t.encode())
