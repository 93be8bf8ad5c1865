"""Run the benchmarks, print a table, write JSON, Markdown and plots.

    python -m benchmarks [--quick] [--only NAME ...] [--with-5m] [--out DIR]

Benchmarks that need a Spark session run in a child process of this one (one per
benchmark, or one for all in quick mode); `data_size` and `sklearn_peer` come from the same
measurement, so they always run together. With --only, the other entries of an existing
results.json in the output folder are kept.
"""

from __future__ import annotations

import argparse
import importlib
import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchmarks import BENCHMARKS, OWN_PROCESSES
from benchmarks.common import DEFAULT_OUT, ROOT, machine
from benchmarks.report import print_table, write_markdown, write_plots

PAIRED = ("data_size", "sklearn_peer")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--quick", action="store_true", help="tiny sizes, 1 repeat (< 2 min)")
    parser.add_argument(
        "--only",
        nargs="+",
        choices=list(BENCHMARKS),
        metavar="NAME",
        help=f"run only these: {', '.join(BENCHMARKS)}",
    )
    parser.add_argument("--with-5m", action="store_true", help="add 5 million rows to data_size")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def run_worker(names: list[str], args: argparse.Namespace) -> None:
    """In a child process: start the project's session, run `names`, write NAME.json each."""
    from sparkml_tuning.spark_session import local_spark_session

    spark = local_spark_session()
    for name in names:
        started = time.perf_counter()
        print(f"== {name}", flush=True)
        record = importlib.import_module(BENCHMARKS[name]).run(spark, args.quick, args.with_5m)
        record["wall_seconds"] = time.perf_counter() - started
        (args.out / f"{name}.json").write_text(json.dumps(record, indent=2))
    spark.stop()


def spark_groups(names: list[str], quick: bool) -> list[list[str]]:
    """How the in-session benchmarks are split into child processes."""
    if quick:
        return [names] if names else []
    groups: list[list[str]] = []
    for name in names:
        if name in PAIRED and groups and groups[-1][0] in PAIRED:
            groups[-1].append(name)
        else:
            groups.append([name])
    return groups


def run_own_process(name: str, args: argparse.Namespace, records: dict[str, dict]) -> None:
    """Run a benchmark that starts its own processes, from this (Spark-free) process."""
    started = time.perf_counter()
    print(f"== {name}", flush=True)
    record = importlib.import_module(BENCHMARKS[name]).run(None, args.quick, args.with_5m)
    record["wall_seconds"] = time.perf_counter() - started
    records[name] = record


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.worker:
        run_worker(args.worker, args)
        return
    selected = list(args.only or BENCHMARKS)
    if any(name in selected for name in PAIRED):
        selected += [name for name in PAIRED if name not in selected]
    selected = [name for name in BENCHMARKS if name in selected]
    args.out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    info = machine()
    records: dict[str, dict] = {}

    # In quick mode the tracking benchmark runs beside the others: its figures are then
    # not comparisons, but the check that every script still runs stays under 2 minutes.
    background = None
    if args.quick and "tracking" in selected:
        background = threading.Thread(target=run_own_process, args=("tracking", args, records))
        background.start()
    in_session = [name for name in selected if name not in OWN_PROCESSES]
    if "tracking" in selected and background is None:
        run_own_process("tracking", args, records)
    with tempfile.TemporaryDirectory(prefix="benchmarks_") as tmp:
        for group in spark_groups(in_session, args.quick):
            command = [sys.executable, "-m", "benchmarks", "--worker", *group, "--out", tmp]
            command += ["--quick"] * args.quick + ["--with-5m"] * args.with_5m
            subprocess.run(command, cwd=ROOT, check=True)
            for member in group:
                records[member] = json.loads((Path(tmp) / f"{member}.json").read_text())
    if "session" in selected:
        run_own_process("session", args, records)
    if background is not None:
        background.join()
    for record in records.values():
        record["machine"] = info
        record["mode"] = "quick" if args.quick else "full"

    results_path = args.out / "results.json"
    previous = json.loads(results_path.read_text()) if results_path.exists() else {}
    benchmarks = previous.get("benchmarks", {}) if args.only else {}
    benchmarks.update(records)
    report = {
        "command": "python -m benchmarks " + " ".join(sys.argv[1:]),
        "mode": "quick" if args.quick else "full",
        "with_5m": args.with_5m,
        "total_seconds": time.perf_counter() - started,
        "machine": info,
        "benchmarks": {name: benchmarks[name] for name in BENCHMARKS if name in benchmarks},
    }
    results_path.write_text(json.dumps(report, indent=2) + "\n")
    write_markdown(report, args.out / "results.md")
    write_plots(report, args.out)
    print_table(report)
    print(
        f"\nWrote {results_path} and results.md, plots in {args.out} "
        f"({report['total_seconds']:.0f} s)."
    )


if __name__ == "__main__":
    main()
