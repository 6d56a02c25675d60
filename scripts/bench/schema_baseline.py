#!/usr/bin/env python3
"""Baseline for `rabt-schema-bench`: times jsonschema-rs and jsonschema (PyPI) on one corpus case.

Prints one JSON object on stdout: {"versions": {...}, "results": {validator: {measure: ops/s}}}.
A validator whose package is missing is reported in "missing" instead of failing the run.

Measures (the same names and the same timing method as the Swift side):
  valid.isValid          is_valid on the pre-parsed valid instance (a Python object from json.loads)
  valid.parseIsValid     json.loads of the bytes, then is_valid
  invalid.isValid        is_valid on the pre-parsed invalid instance
  invalid.validate       every error of the pre-parsed invalid instance (list(iter_errors(...)))
  invalid.parseValidate  json.loads of the bytes, then every error

Timing: thread CPU time; a batch of calls sized to take about 10 ms is one round; the result is
the median round, after at least 3 and at most 9 rounds or once the time budget is spent.

Usage: schema_baseline.py --corpus bench/schema --case person [--budget 0.4] [--no-format-assertion]
"""

import argparse
import json
import math
import os
import sys
import time
from importlib.metadata import version

ROUND_SECONDS = 0.01
MIN_ROUNDS, MAX_ROUNDS = 3, 9
MAX_BATCH = 1_000_000


def measure(fn, budget):
    """Median operations per second of `fn` over bounded rounds, in thread CPU time."""
    start = time.thread_time_ns()
    fn()
    first = max(time.thread_time_ns() - start, 1)
    batch = max(1, min(MAX_BATCH, math.ceil(ROUND_SECONDS * 1e9 / first)))
    rates = []
    spent_start = time.perf_counter()
    while len(rates) < MAX_ROUNDS:
        start = time.thread_time_ns()
        for _ in range(batch):
            fn()
        elapsed = max(time.thread_time_ns() - start, 1)
        rates.append(batch * 1e9 / elapsed)
        if len(rates) >= MIN_ROUNDS and time.perf_counter() - spent_start > budget:
            break
    rates.sort()
    return rates[len(rates) // 2]


def validators(schema, formats):
    """(name, is_valid, all_errors) for each installed baseline, format assertion on or off."""
    found, missing, versions = [], [], {}
    try:
        import jsonschema_rs
        rs = jsonschema_rs.validator_for(schema, validate_formats=formats)
        found.append(("jsonschema-rs", rs.is_valid, lambda i: list(rs.iter_errors(i))))
        versions["jsonschema-rs"] = version("jsonschema-rs")
    except ImportError:
        missing.append("jsonschema-rs")
    try:
        import jsonschema
        cls = jsonschema.Draft202012Validator
        py = cls(schema, format_checker=cls.FORMAT_CHECKER if formats else None)
        found.append(("jsonschema", py.is_valid, lambda i: list(py.iter_errors(i))))
        versions["jsonschema"] = version("jsonschema")
    except ImportError:
        missing.append("jsonschema")
    return found, missing, versions


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--case", required=True)
    parser.add_argument("--budget", type=float, default=0.4, help="seconds per measure (soft bound)")
    parser.add_argument("--no-format-assertion", action="store_true", help="format as an annotation only")
    args = parser.parse_args()

    def read(kind):
        with open(os.path.join(args.corpus, f"{args.case}.{kind}.json"), "rb") as f:
            return f.read()

    schema = json.loads(read("schema"))
    valid_bytes, invalid_bytes = read("valid"), read("invalid")
    valid, invalid = json.loads(valid_bytes), json.loads(invalid_bytes)
    found, missing, versions = validators(schema, not args.no_format_assertion)
    versions["python"] = sys.version.split()[0]
    results = {}
    for name, is_valid, errors in found:
        # The corpus must mean the same to every validator.
        if not is_valid(valid) or is_valid(invalid) or not errors(invalid):
            raise SystemExit(f"{name} disagrees with the corpus on {args.case}")
        results[name] = {
            "valid.isValid": measure(lambda: is_valid(valid), args.budget),
            "valid.parseIsValid": measure(lambda: is_valid(json.loads(valid_bytes)), args.budget),
            "invalid.isValid": measure(lambda: is_valid(invalid), args.budget),
            "invalid.validate": measure(lambda: errors(invalid), args.budget),
            "invalid.parseValidate": measure(lambda: errors(json.loads(invalid_bytes)), args.budget),
            "errors": len(errors(invalid)),
        }
    json.dump({"versions": versions, "missing": missing, "results": results}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
