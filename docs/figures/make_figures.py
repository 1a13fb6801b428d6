"""Draw the documentation's figures from real runs: ``python docs/figures/make_figures.py``.

Each figure comes from a tutorial run end to end with the real ``calmops`` command line in a
temporary folder (the tutorials are seeded, so the figures repeat), read back with
``calmops ... --json``, and drawn with matplotlib into ``docs/figures/*.png``.
"""

from __future__ import annotations

import contextlib
import io
import sys
import tempfile
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from calmops.tutorials import blocks_and_ipip, first_pipeline, realistic_data  # noqa: E402
from calmops.tutorials.shell import Shell  # noqa: E402

OUT = Path(__file__).resolve().parent
plt.rcParams.update({"figure.dpi": 110, "font.size": 10, "axes.spines.top": False,
                     "axes.spines.right": False})  # fmt: skip
SIGNALS = ("data", "prediction", "label", "performance", "detector", "estimated_performance")


def run_quietly(module, folder: Path) -> Shell:
    """Run a tutorial in ``folder`` (its output captured; shown only if it fails)."""
    folder.mkdir(parents=True)
    captured = io.StringIO()
    try:
        with contextlib.redirect_stdout(captured):
            module.main(folder)
    except SystemExit:
        sys.stderr.write(captured.getvalue())
        raise
    return Shell(folder)


def batch_number(run: dict) -> int:
    return int(Path(run["file"]).stem.split("_")[-1])


def loop_figures(shell: Shell) -> None:
    runs = sorted(shell.json("runs", "first"), key=batch_number)
    onset = first_pipeline.DRIFT_AT // (first_pipeline.ROWS // first_pipeline.BATCHES) + 1
    xs = [batch_number(r) for r in runs]
    # loop-performance: realized balanced accuracy, champion per batch, decisions
    fig, ax = plt.subplots(figsize=(7.5, 3.2))
    scored = [(x, r["metrics"]["balanced_accuracy"]) for x, r in zip(xs, runs, strict=True)
              if r["metrics"].get("balanced_accuracy") is not None]  # fmt: skip
    ax.plot(*zip(*scored, strict=True), marker="o", color="#00796b")
    for x, run in zip(xs, runs, strict=True):
        ax.annotate(f"v{run['champion_version']}\n{run['decision']}", (x, 0.855), ha="center",
                    fontsize=7.5, color="#444")  # fmt: skip
    ax.axvline(onset - 0.5, color="#c62828", linestyle="--", linewidth=1)
    ax.text(onset - 0.45, 0.995, "concept changes", color="#c62828", fontsize=8, va="top")
    ax.set(
        xlabel="batch (1,000 rows each)",
        ylabel="champion's balanced acc.",
        ylim=(0.84, 1.0),
        xticks=xs,
        title="A stream with a concept change: detected, retrained, recovered",
    )
    fig.tight_layout()
    fig.savefig(OUT / "loop-performance.png")
    plt.close(fig)

    # estimation: CBPE's estimate of accuracy with its interval, beside the realized value
    fig, ax = plt.subplots(figsize=(7.5, 3.2))
    rows = []
    for x, run in zip(xs, runs, strict=True):
        accuracy = (shell.json("report", "first", run["run_id"]).get("estimation") or {}).get(
            "metrics", {}).get("accuracy")  # fmt: skip
        if accuracy:
            rows.append((x, accuracy))
    est_x = [x for x, _ in rows]
    ax.fill_between(est_x, [a["low"] for _, a in rows], [a["high"] for _, a in rows],
                    color="#90caf9", alpha=0.5, label="estimate, 99% interval")  # fmt: skip
    ax.plot(est_x, [a["estimated"] for _, a in rows], marker="s", color="#1565c0",
            label="estimated without labels (CBPE)")  # fmt: skip
    ax.plot(est_x, [a["realized"] for _, a in rows], marker="o", color="#00796b",
            label="realized (labels)")  # fmt: skip
    ax.axvline(onset - 0.5, color="#c62828", linestyle="--", linewidth=1)
    ax.set(xlabel="batch", ylabel="accuracy", xticks=xs,
           title="Label-free estimate vs realized accuracy of the champion")  # fmt: skip
    ax.legend(loc="lower left", fontsize=8)
    fig.tight_layout()
    fig.savefig(OUT / "estimation.png")
    plt.close(fig)

    # promotion: the candidates of the retrain, and the champion, on the same holdout rows
    retrain = next(r for r in runs if r["decision"] == "retrain")
    report = shell.json("report", "first", retrain["run_id"])
    challenger = report["challengers"][0]
    bars = [(c["history"], c["metrics"]["balanced_accuracy"]) for c in report["candidates"]]
    bars.append(("champion", challenger["champion_metrics"]["balanced_accuracy"]))
    fig, ax = plt.subplots(figsize=(7.5, 2.8))
    best = max(value for name, value in bars if name != "champion")
    colors = ["#00796b" if v == best else ("#9e9e9e" if n == "champion" else "#80cbc4")
              for n, v in bars]  # fmt: skip
    ax.barh([n for n, _ in bars], [v for _, v in bars], color=colors)
    for i, (_, value) in enumerate(bars):
        ax.text(value + 0.002, i, f"{value:.3f}", va="center", fontsize=8)
    ax.set(
        xlim=(0.85, 1.0),
        xlabel="balanced accuracy on the same holdout rows",
        title=f"Retrain at batch {batch_number(retrain)}: the candidates and the champion",
    )
    fig.tight_layout()
    fig.savefig(OUT / "promotion.png")
    plt.close(fig)


def signals_figure(first: Shell, realistic: Shell) -> None:
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.0), sharey=True)
    for ax, (shell, name, title) in zip(axes, (
        (realistic, "synthetic", "covariate shift from batch 4"),
        (first, "first", "concept change at batch 5"),
    ), strict=True):  # fmt: skip
        runs = sorted(shell.json("runs", name), key=batch_number)
        grid = [[1.0 if r["signals"].get(s) else 0.0 for r in runs] for s in SIGNALS]
        ax.imshow(grid, cmap="Reds", vmin=0, vmax=1.6, aspect="auto")
        ax.set_xticks(range(len(runs)), [str(batch_number(r)) for r in runs])
        ax.set_yticks(range(len(SIGNALS)), SIGNALS)
        ax.set(xlabel="batch", title=title)
        for i, signal in enumerate(SIGNALS):
            for j, run in enumerate(runs):
                if run["signals"].get(signal):
                    ax.text(j, i, "fired", ha="center", va="center", fontsize=7, color="white")
    fig.suptitle("Signals that fired, batch by batch (first batch: training, no signals)",
                 fontsize=10)  # fmt: skip
    fig.tight_layout()
    fig.savefig(OUT / "signals.png")
    plt.close(fig)


def correction_figure(realistic: Shell) -> None:
    folder = realistic.folder / "incoming"
    report = realistic.json("drift", str(folder / "batch_01.csv"), str(folder / "batch_04.csv"),
                            "--target", "target")  # fmt: skip
    rows = sorted((c["p_value_raw"], c["p_value"], name) for name, c in report["features"].items()
                  if c.get("p_value_raw") is not None)  # fmt: skip
    fig, ax = plt.subplots(figsize=(7.5, 3.4))
    xs = range(len(rows))
    floor = 1e-4  # the shifted columns' p-values are far below: drawn on the floor, as "v"
    for index, (label, color) in enumerate((("raw p-value (KS)", "#ef9a9a"),
                                            ("Holm-adjusted", "#c62828"))):  # fmt: skip
        values = [r[index] for r in rows]
        ax.scatter(xs, [max(v, floor) for v in values], label=label, color=color, s=20,
                   marker="o")  # fmt: skip
        low = [x for x, v in zip(xs, values, strict=True) if v < floor]
        ax.scatter(low, [floor] * len(low), marker="v", color=color, s=40)
    ax.axhline(0.05, color="#444", linestyle=":", linewidth=1)
    ax.text(len(rows) - 1, 0.06, "alpha 0.05", ha="right", fontsize=8)
    ax.set_yscale("log")
    ax.set_ylim(floor / 2, 2)
    ax.set_xticks(list(xs), [r[2] for r in rows], rotation=90, fontsize=6.5)
    ax.set(
        ylabel="p-value (log scale)",
        title="30 columns of one batch: two shifted; correction removes chance findings",
    )
    ax.legend(fontsize=8, loc="center right")
    fig.tight_layout()
    fig.savefig(OUT / "correction.png")
    plt.close(fig)


def blocks_figure(shell: Shell) -> None:
    blocks = shell.json("report", "sites")["blocks"]
    sites = blocks["order"]
    drifted = [len(blocks["drift"][s]["reference"]["drifted"]) for s in sites]
    actions = [blocks["decisions"][s]["action"] for s in sites]
    fig, ax = plt.subplots(figsize=(7.5, 2.8))
    colors = ["#c62828" if a != "keep" else "#80cbc4" for a in actions]
    ax.bar(sites, drifted, color=colors)
    for i, action in enumerate(actions):
        ax.text(i, drifted[i] + 0.05, action, ha="center", fontsize=8)
    ax.set(
        ylabel="features drifted\nvs the reference",
        ylim=(0, 3.2),
        title="February, site by site: drift found in site4 only, and only it is retrained",
    )
    ax.title.set_fontsize(9.5)
    fig.tight_layout()
    fig.savefig(OUT / "blocks.png")
    plt.close(fig)


def main() -> None:
    root = Path(tempfile.mkdtemp(prefix="calmops-figures-"))
    first = run_quietly(first_pipeline, root / "first")
    realistic = run_quietly(realistic_data, root / "realistic")
    blocks = run_quietly(blocks_and_ipip, root / "blocks")
    loop_figures(first)
    signals_figure(first, realistic)
    correction_figure(realistic)
    blocks_figure(blocks)
    print(f"figures written to {OUT} (runs kept in {root})")


if __name__ == "__main__":
    main()
