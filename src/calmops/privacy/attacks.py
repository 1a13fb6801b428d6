"""Singling-out, linkability and inference risk with the ``anonymeter`` package (optional).

anonymeter (Giomi et al., "A unified framework for quantifying privacy risk in synthetic
data", PoPETs 2023) runs the three attacks the GDPR's Article 29 Working Party names against
the released table and reports the attacker's success rate with a confidence interval:

- **singling out**: predicates (one column each) that match exactly one original row;
- **linkability**: the quasi-identifiers split in two halves, each half's nearest released
  row found, and the two guesses checked to point to the same person;
- **inference**: the sensitive column guessed from the quasi-identifiers.

Without a ``control`` table (original rows held out of the release) the risk is the raw
attack success, an upper bound (compare it with ``baseline``, the success of random guesses);
with one it is the success beyond what the control explains.
anonymeter is an extra (``pip install 'calmops[privacy-risk]'``, it pins numpy below 1.27)
imported only here; when it is missing the report says so rather than failing. Only the
singling-out attack takes a seed: the other two numbers vary a little from run to run.
"""

from __future__ import annotations

import importlib.util
import warnings
from typing import Any

import pandas as pd

__all__ = ["INSTALL_HINT", "anonymeter_available", "attack_risks"]

INSTALL_HINT = "pip install 'calmops[privacy-risk]'"


def anonymeter_available() -> bool:
    """Whether the anonymeter package can be imported."""
    return importlib.util.find_spec("anonymeter") is not None


def _aligned(
    original: pd.DataFrame, released: pd.DataFrame, control: pd.DataFrame | None
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame | None]:
    """The common columns, as text wherever the two sides' kinds differ (e.g. generalized)."""
    common = [c for c in original.columns if c in released.columns]
    tables = [original[common].copy(), released[common].copy()]
    if control is not None:
        tables.append(control[common].copy())
    for name in common:
        kinds = {pd.api.types.is_numeric_dtype(t[name]) for t in tables}
        if len(kinds) > 1 or not kinds.pop():
            for t in tables:
                t[name] = t[name].astype(object).where(t[name].notna(), "<NA>").astype(str)
    return tables[0], tables[1], tables[2] if control is not None else None


def _risk(evaluator: Any) -> dict[str, Any]:
    risk, baseline = evaluator.risk(), evaluator.risk(baseline=True)
    return {
        "risk": float(risk.value),
        "ci": [float(risk.ci[0]), float(risk.ci[1])],
        "baseline": float(baseline.value),
    }


def attack_risks(
    original: pd.DataFrame,
    released: pd.DataFrame,
    quasi_identifiers: list[str] | None = None,
    sensitive: str | None = None,
    *,
    control: pd.DataFrame | None = None,
    n_attacks: int = 500,
    seed: int = 0,
) -> dict[str, Any]:
    """The three anonymeter risks, or ``{"available": False, "reason": ...}``.

    Linkability needs at least two quasi-identifiers and inference a sensitive column; an
    attack that cannot run is listed under ``not_run`` with the reason.
    """
    if not anonymeter_available():
        return {"available": False, "reason": f"anonymeter is not installed ({INSTALL_HINT})"}
    from anonymeter.evaluators import (
        InferenceEvaluator,
        LinkabilityEvaluator,
        SinglingOutEvaluator,
    )

    ori, syn, ctl = _aligned(original, released, control)
    n = max(1, min(n_attacks, len(ori), len(syn), len(ctl) if ctl is not None else n_attacks))
    out: dict[str, Any] = {"available": True, "n_attacks": n, "control": ctl is not None}
    not_run: dict[str, str] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        single = SinglingOutEvaluator(ori, syn, n_attacks=n, control=ctl, seed=seed)
        out["singling_out"] = _risk(single.evaluate(mode="univariate"))
        qis = [q for q in quasi_identifiers or [] if q in ori.columns]
        if len(qis) >= 2:
            half = len(qis) // 2
            link = LinkabilityEvaluator(
                ori, syn, aux_cols=(qis[:half], qis[half:]), n_attacks=n, control=ctl
            )
            out["linkability"] = _risk(link.evaluate(n_jobs=1))
        else:
            not_run["linkability"] = "needs at least two quasi-identifiers"
        if sensitive is not None and sensitive in ori.columns and qis:
            infer = InferenceEvaluator(
                ori,
                syn,
                aux_cols=[q for q in qis if q != sensitive],
                secret=sensitive,
                regression=pd.api.types.is_numeric_dtype(ori[sensitive]),
                n_attacks=n,
                control=ctl,
            )
            out["inference"] = _risk(infer.evaluate(n_jobs=1))
        else:
            not_run["inference"] = "needs quasi-identifiers and a sensitive column"
    out["not_run"] = not_run
    return out
