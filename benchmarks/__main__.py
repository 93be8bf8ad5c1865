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
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
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
    parser.add_argument(
        "--concurrent",
        action="store_true",
        help="run the benchmark groups side by side (faster on a busy machine; noisier)",
    )
    parser.add_argument(
        "--report-only", action="store_true", help="redo results.md and plots from results.json"
    )
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def run_worker(names: list[str], args: argparse.Namespace) -> None:
    """In a child process: start the project's session, run `names`, write NAME.json each."""
    from sparkml_tuning.spark_session import local_spark_session

    spark = local_spark_session()
    # LinearRegression warns on every fit with regParam 0; keep the benchmark output readable.
    spark.sparkContext.setLogLevel("ERROR")
    for name in names:
        started = time.perf_counter()
        print(f"== {name}", flush=True)
        record = importlib.import_module(BENCHMARKS[name]).run(spark, args.quick, args.with_5m)
        record["wall_seconds"] = time.perf_counter() - started
        (args.out / f"{name}.json").write_text(json.dumps(record, indent=2))
    spark.stop()


def spark_groups(names: list[str], quick: bool) -> list[list[str]]:
    """How the in-session benchmarks are split into child processes: one each in full runs."""
    if quick:
        return [names] if names else []
    groups: list[list[str]] = []
    for name in names:
        if name in PAIRED and groups and groups[-1][0] in PAIRED:
            groups[-1].append(name)
        else:
            groups.append([name])
    return groups


def run_own_process(
    name: str, args: argparse.Namespace, finished: Callable[[str, dict], None]
) -> None:
    """Run a benchmark that starts its own processes, from this (Spark-free) process."""
    started = time.perf_counter()
    print(f"== {name}", flush=True)
    record = importlib.import_module(BENCHMARKS[name]).run(None, args.quick, args.with_5m)
    record["wall_seconds"] = time.perf_counter() - started
    finished(name, record)


def save(args: argparse.Namespace, records: dict[str, dict], started: float) -> dict:
    """Write results.json with what has finished so far (a later failure loses nothing)."""
    results_path = args.out / "results.json"
    previous = json.loads(results_path.read_text()) if results_path.exists() else {}
    benchmarks = previous.get("benchmarks", {}) if args.only else {}
    benchmarks.update(records)
    report = {
        "command": "python -m benchmarks " + " ".join(sys.argv[1:]),
        "mode": "quick" if args.quick else "full",
        "with_5m": args.with_5m,
        "concurrent": args.concurrent or args.quick,
        "total_seconds": time.perf_counter() - started,
        "machine": machine(),
        "benchmarks": {name: benchmarks[name] for name in BENCHMARKS if name in benchmarks},
    }
    results_path.write_text(json.dumps(report, indent=2) + "\n")
    return report


def run_worker_process(
    group: list[str], args: argparse.Namespace, tmp: Path, finished: Callable[[str, dict], None]
) -> None:
    """Run a group of in-session benchmarks in a child process and collect their records."""
    command = [sys.executable, "-m", "benchmarks", "--worker", *group, "--out", str(tmp)]
    command += ["--quick"] * args.quick + ["--with-5m"] * args.with_5m
    subprocess.run(command, cwd=ROOT, check=True)
    for member in group:
        finished(member, json.loads((tmp / f"{member}.json").read_text()))


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.worker:
        run_worker(args.worker, args)
        return
    if args.report_only:
        report = json.loads((args.out / "results.json").read_text())
        write_markdown(report, args.out / "results.md")
        write_plots(report, args.out)
        print_table(report)
        return
    selected = list(args.only or BENCHMARKS)
    if any(name in selected for name in PAIRED):
        selected += [name for name in PAIRED if name not in selected]
    selected = [name for name in BENCHMARKS if name in selected]
    args.out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    records: dict[str, dict] = {}
    lock = threading.Lock()

    def finished(name: str, record: dict) -> None:
        with lock:
            record["machine"] = machine()
            record["mode"] = "quick" if args.quick else "full"
            records[name] = record
            save(args, records, started)

    in_session = [name for name in selected if name not in OWN_PROCESSES]
    tasks: list[Callable[[], None]] = []
    if "tracking" in selected:
        tasks.append(lambda: run_own_process("tracking", args, finished))
    with tempfile.TemporaryDirectory(prefix="benchmarks_") as tmp:
        for group in spark_groups(in_session, args.quick):
            tasks.append(lambda group=group: run_worker_process(group, args, Path(tmp), finished))
        if "session" in selected:
            tasks.append(lambda: run_own_process("session", args, finished))
        if args.concurrent or args.quick:
            # Quick mode runs the groups side by side: its figures are not comparisons,
            # and the check that every script runs takes less time.
            with ThreadPoolExecutor(max_workers=len(tasks)) as pool:
                for future in [pool.submit(task) for task in tasks]:
                    future.result()
        else:
            for task in tasks:
                task()
    report = save(args, records, started)
    write_markdown(report, args.out / "results.md")
    write_plots(report, args.out)
    print_table(report)
    print(
        f"\nWrote {args.out / 'results.json'}, results.md and the plots "
        f"({report['total_seconds']:.0f} s)."
    )


if __name__ == "__main__":
    main()
