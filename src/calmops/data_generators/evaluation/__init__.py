"""How faithful, useful and private a synthetic table is: :func:`evaluate` and its report.

One module per measure: :mod:`.fidelity` (column shapes and pairs), :mod:`.detection`
(real-versus-synthetic classifier AUC), :mod:`.utility` (TRTR vs TSTR), :mod:`.privacy`
(exact copies, distances to the closest record); :mod:`.tables` checks and aligns the
tables, :mod:`.report` holds the result and :mod:`.html` renders it.
"""

from __future__ import annotations

from calmops.data_generators.evaluation.evaluator import evaluate
from calmops.data_generators.evaluation.headlines import HEADLINES
from calmops.data_generators.evaluation.report import EvaluationReport

__all__ = ["HEADLINES", "EvaluationReport", "evaluate"]
