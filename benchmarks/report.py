"""The results as a printed table, a Markdown file and one PNG plot per benchmark."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.3f}".rstrip("0").rstrip(".") if abs(value) < 1000 else f"{value:,.0f}"
    if isinstance(value, int) and value >= 10_000:
        return f"{value:,}"
    return str(value)


def markdown_table(columns: list[str], rows: list[list[object]]) -> list[str]:
    """A Markdown table, numbers formatted for reading."""
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(_cell(value) for value in row) + " |" for row in rows]
    return lines


def machine_line(info: dict[str, object]) -> str:
    """The machine and versions in one sentence."""
    return (
        f"{info['cpu_model']}, {info['cores']} cores, {info['memory_gib']} GiB; "
        f"Python {info['python']}, {info['java']}, Spark {info['spark']}, "
        f"MLflow {info['mlflow']}, scikit-learn {info['scikit_learn']}; "
        f"{info['date']}, 1-minute load average {info['load_average_1min']} when recorded"
    )


def write_markdown(report: dict, path: Path) -> None:
    """results.md: the headline table, then each benchmark's table and settings."""
    benchmarks = report["benchmarks"]
    lines = [
        "# Benchmark results",
        "",
        f"Last command: `{report['command'].strip()}` ({report['mode']} mode, "
        f"{report['total_seconds']:.0f} s); a benchmark it did not run keeps its earlier "
        "record, dated in its section.",
        "",
        f"Machine: {machine_line(report['machine'])}.",
        "",
        "| benchmark | result |",
        "|---|---|",
    ]
    lines += [f"| {name} | {record['headline']} |" for name, record in benchmarks.items()]
    for name, record in benchmarks.items():
        settings = ", ".join(f"{key}: {value}" for key, value in record["settings"].items())
        measured = f"Measured {record['machine']['date'][:16]}, {record['mode']} mode."
        lines += ["", f"## {record['title']} (`{name}`)", "", measured]
        lines += [f"Settings: {settings}.", ""]
        lines += markdown_table(record["table"]["columns"], record["table"]["rows"])
        lines += ["", f"Plot: `{name}.png`."]
    path.write_text("\n".join(lines) + "\n")


def print_table(report: dict) -> None:
    """Print each benchmark's table, then the headlines."""
    for name, record in report["benchmarks"].items():
        print(f"\n{record['title']} ({name})")
        columns = record["table"]["columns"]
        cells = [columns] + [[_cell(v) for v in row] for row in record["table"]["rows"]]
        widths = [max(len(str(row[i])) for row in cells) for i in range(len(columns))]
        for row in cells:
            print("  " + "  ".join(str(v).rjust(w) for v, w in zip(row, widths, strict=True)))
    print("\nHeadlines")
    for name, record in report["benchmarks"].items():
        print(f"  {name:<13} {record['headline']}")


def _bar(ax: plt.Axes, labels: list[str], values: list[float], ylabel: str) -> None:
    bars = ax.bar(labels, values, color="#4c72b0")
    ax.bar_label(bars, fmt="%.2f")
    ax.set_ylabel(ylabel)


def plot_tracking(record: dict, ax: plt.Axes) -> None:
    labels = [row[0] for row in record["table"]["rows"]]
    _bar(ax, labels, [row[2] for row in record["table"]["rows"]], "time / untracked time")


def plot_parallelism(record: dict, ax: plt.Axes) -> None:
    rows = record["table"]["rows"]
    _bar(
        ax,
        [f"{row[0]}\n{row[1]} at once" for row in rows],
        [row[4] for row in rows],
        "speed-up over 1 at once",
    )


def plot_grid_size(record: dict, ax: plt.Axes) -> None:
    rows = record["table"]["rows"]
    _bar(
        ax,
        [f"{row[0]} comb. ({row[1]} fits)" for row in rows],
        [row[3] for row in rows],
        "seconds per fit",
    )


def plot_session(record: dict, ax: plt.Axes) -> None:
    rows = record["table"]["rows"]
    _bar(ax, [row[0] for row in rows], [row[1] for row in rows], "fits per second")


def plot_data_size(record: dict, ax: plt.Axes) -> None:
    sizes = list(record["data"]["sizes"].values())
    rows = [entry["rows"] for entry in sizes]
    ax.plot(rows, [e["spark_median"] for e in sizes], "o-", label="Spark CrossValidator")
    ax.plot(rows, [e["sklearn_median"] for e in sizes], "s-", label="scikit-learn GridSearchCV")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("rows")
    ax.set_ylabel("seconds per 9-fit search (median)")
    memory = ax.twinx()
    memory.plot(
        rows, [e["jvm_peak_rss_mib"] for e in sizes], "^:", color="grey", label="JVM peak RSS"
    )
    memory.set_ylabel("JVM peak RSS (MiB)")
    ax.legend(loc="upper left")
    memory.legend(loc="lower right")


def plot_sklearn_peer(record: dict, ax: plt.Axes) -> None:
    cluster = record["data"]["cluster_crossover_rows"]
    workers = [int(n) for n, rows in cluster.items() if rows is not None]
    if workers:
        ax.plot(workers, [cluster[str(n)] for n in workers], "o-")
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
    else:
        ax.text(0.5, 0.5, "no crossover for any cluster size", ha="center", transform=ax.transAxes)
    ax.set_xlabel("Spark workers (like this machine)")
    ax.set_ylabel("rows above which Spark would win")


PLOTS = {
    "tracking": plot_tracking,
    "parallelism": plot_parallelism,
    "data_size": plot_data_size,
    "sklearn_peer": plot_sklearn_peer,
    "grid_size": plot_grid_size,
    "session": plot_session,
}


def write_plots(report: dict, out: Path) -> None:
    """One PNG per benchmark, named after it."""
    for name, record in report["benchmarks"].items():
        fig, ax = plt.subplots(figsize=(7, 4))
        PLOTS[name](record, ax)
        ax.set_title(
            f"{record['title']}\n{report['machine']['cores']} cores, "
            f"{report['mode']} run, {record['machine']['date'][:10]}",
            fontsize=10,
        )
        fig.tight_layout()
        fig.savefig(out / f"{name}.png", dpi=110)
        plt.close(fig)
