"""Label drift for ``calmops drift REF CUR --target y``: the label column of both files.

The label is not one of the tested features (it is left out of the data drift table); it is
compared on its own, by :func:`calmops.drift.target.compare_outputs` as the pipeline's label
signal does: classes (a target that is text, boolean or a few integers) by the chi-square
test on the class shares (the Z test with two classes), numbers by KS. The class shares
before and after are kept beside the test, so a prior shift reads at a glance.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

__all__ = ["LabelDrift", "label_drift", "label_lines"]


@dataclass(frozen=True)
class LabelDrift:
    """The label column's drift: the test (``OutputDrift``), the task it was read as, and
    each class's share before and after (classification only)."""

    target: str
    task: str
    result: Any  # calmops.drift.target.OutputDrift
    shares: dict[str, tuple[float, float]] = field(default_factory=dict)

    @property
    def drift(self) -> bool:
        return bool(self.result.drift)

    def to_dict(self) -> dict[str, Any]:
        out = {"target": self.target, "task": self.task, **self.result.to_dict()}
        out["shares"] = {k: {"before": b, "after": a} for k, (b, a) in self.shares.items()}
        return out


def label_drift(
    reference: pd.Series, current: pd.Series, *, alpha: float, correction: str, seed: int
) -> LabelDrift:
    """Compare the label column of the reference with the current one's.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> before = pd.Series(rng.choice(["a", "b", "c"], 3000, p=[0.6, 0.3, 0.1]))
    >>> after = pd.Series(rng.choice(["a", "b", "c"], 1000, p=[0.3, 0.3, 0.4]))
    >>> found = label_drift(before, after, alpha=0.05, correction="holm", seed=0)
    >>> found.task, found.drift, found.result.tests[0].test
    ('classification', True, 'chi2')
    >>> [round(x, 1) for x in found.shares["c"]]
    [0.1, 0.4]
    """
    from calmops.drift.target import compare_outputs, label_frame, output_profile
    from calmops.models.task import infer_task

    name = str(reference.name)
    task = infer_task("auto", None, pd.concat([reference, current], ignore_index=True))
    before = label_frame(reference.dropna().to_numpy(), task)
    after = label_frame(current.dropna().to_numpy(), task)
    result = compare_outputs(
        output_profile(before, seed=seed),
        after,
        "label",
        alpha=alpha,
        correction=correction,
        seed=seed,
    )
    shares = {}
    if task == "classification":
        b = before["label"].value_counts(normalize=True)
        a = after["label"].value_counts(normalize=True)
        shares = {
            str(c): (float(b.get(c, 0.0)), float(a.get(c, 0.0)))
            for c in sorted(set(b.index) | set(a.index), key=str)
        }
    return LabelDrift(name, task, result, shares)


def label_lines(found: LabelDrift) -> list[str]:
    """What the terminal shows: the verdict sentence, then the class shares before → after."""
    verdict = "drift" if found.drift else "no drift"
    lines = [f"label '{found.target}' ({found.task}): {verdict} — {found.result.summary}"]
    if found.shares:
        shown = ", ".join(f"{c} {b:.2f} → {a:.2f}" for c, (b, a) in list(found.shares.items())[:20])
        more = f" (+{len(found.shares) - 20} more)" if len(found.shares) > 20 else ""
        lines.append(f"  class shares, reference → current: {shown}{more}")
    return lines
