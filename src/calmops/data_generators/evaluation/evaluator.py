"""``evaluate(real, synthetic, holdout=None, target=None, seed=0)``: every measure at once."""

from __future__ import annotations

import pandas as pd

from calmops.data_generators.evaluation.detection import detection
from calmops.data_generators.evaluation.distributions import distributions
from calmops.data_generators.evaluation.fidelity import fidelity
from calmops.data_generators.evaluation.privacy import privacy
from calmops.data_generators.evaluation.report import EvaluationReport
from calmops.data_generators.evaluation.tables import align
from calmops.data_generators.evaluation.utility import utility
from calmops.errors import DataValidationError

__all__ = ["evaluate"]


def evaluate(
    real: pd.DataFrame,
    synthetic: pd.DataFrame,
    holdout: pd.DataFrame | None = None,
    target: str | None = None,
    seed: int = 0,
) -> EvaluationReport:
    """How faithful, useful and private ``synthetic`` is as a stand-in for ``real``.

    Parameters
    ----------
    real
        The table the synthesizer learned (its training rows).
    synthetic
        The synthesized rows, with the same columns (any order, any dtypes).
    holdout
        Real rows the synthesizer never saw: needed for utility and ``dcr_closer_to_train``.
    target
        Column to predict for utility (TRTR vs TSTR); needs ``holdout``.
    seed
        Seeds the subsamples and models; the same inputs and seed give the same report.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from calmops.data_generators import evaluate
    >>> rng = np.random.default_rng(0)
    >>> def table(n):
    ...     x = rng.normal(size=n)
    ...     return pd.DataFrame({"x": x, "y": np.where(x + rng.normal(size=n) > 0, "a", "b")})
    >>> train, synthetic, holdout = table(700), table(700), table(300)
    >>> report = evaluate(train, synthetic, holdout, target="y", seed=0)
    >>> numbers = report.to_dict()
    >>> numbers["fidelity"]["column_shape"] > 0.9, abs(numbers["detection"]["auc"] - 0.5) < 0.1
    (True, True)
    >>> numbers["privacy"]["exact_copies"], 0.4 < numbers["privacy"]["dcr_closer_to_train"] < 0.6
    (0.0, True)
    """
    if target is not None and holdout is None:
        raise DataValidationError(
            f"target {target!r} is scored on a holdout (TRTR vs TSTR); pass holdout=..."
        )
    aligned = align(real, synthetic, holdout)
    return EvaluationReport(
        fidelity=fidelity(aligned),
        detection=detection(aligned, seed=seed),
        privacy=privacy(aligned, seed=seed),
        utility=utility(aligned, target, seed=seed) if target is not None else None,
        rows={
            "real": aligned.sizes[0],
            "synthetic": aligned.sizes[1],
            "holdout": aligned.sizes[2] if holdout is not None else None,
        },
        seed=seed,
        distributions=distributions(aligned),
    )
