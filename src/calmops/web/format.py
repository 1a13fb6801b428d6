"""How numbers, times, states and metrics are shown: formatted on the server, once, for
every page, in words rather than codes (``no drift``, ``balanced accuracy``, ``1,234``).

Times travel as ISO 8601 in UTC; the page rewrites every ``<time>`` element as "5 min ago"
with the exact local time on hover (the ``text`` here is the UTC fallback shown without
JavaScript).
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime
from typing import Any

__all__ = [
    "cell_time",
    "clip",
    "clock",
    "label",
    "metric_label",
    "number",
    "test_label",
    "tone_of",
    "when",
    "words",
]

#: the badge colour of each state, decision and verdict
TONES = {
    "succeeded": "ok",
    "failed": "bad",
    "running": "info",
    "train": "info",
    "retrain": "warn",
    "no_drift": "ok",
    "predict_only": "muted",
    "paused": "bad",
    "alert": "bad",
    "closed": "ok",
    "open": "bad",
    "half_open": "warn",
    "drift": "bad",
    "warning": "warn",
    "error": "bad",
    "info": "muted",
    "stopped": "muted",
    "promoted": "ok",
}


#: how a metric's name reads on a page (others: underscores become spaces)
METRIC_NAMES = {
    "accuracy": "accuracy",
    "average_precision": "average precision",
    "balanced_accuracy": "balanced accuracy",
    "brier": "Brier score",
    "f1": "F1",
    "f1_macro": "F1 (macro)",
    "f1_weighted": "F1 (weighted)",
    "log_loss": "log loss",
    "mae": "MAE",
    "mape": "MAPE",
    "mse": "MSE",
    "precision": "precision",
    "r2": "R²",
    "recall": "recall",
    "rmse": "RMSE",
    "roc_auc": "ROC AUC",
}

#: how a state, decision or verdict code reads (others: underscores become spaces)
LABELS = {"half_open": "half-open", "no_drift": "no drift", "predict_only": "predict only"}

_CODE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)*\b")


#: drift tests and effect sizes, as people write them
TEST_NAMES = {
    "anderson": "Anderson-Darling", "chi2": "chi-square", "cvm": "Cramér-von Mises",
    "energy": "energy distance", "hellinger": "Hellinger", "jensen_shannon": "Jensen-Shannon",
    "kl": "KL divergence", "ks": "KS", "mann_whitney": "Mann-Whitney", "psi": "PSI",
    "wasserstein": "Wasserstein", "z": "Z", "mmd": "MMD", "classifier": "domain classifier",
}  # fmt: skip


def test_label(code: str | None) -> str:
    """The name people use for the drift test or effect size ``code``.

    >>> test_label("jensen_shannon"), test_label("ks"), test_label("my_test"), test_label(None)
    ('Jensen-Shannon', 'KS', 'my test', '—')
    """
    if not code:
        return "—"
    return TEST_NAMES.get(code, code.replace("_", " "))


def label(code: str | None) -> str:
    """A state, decision or verdict in words.

    >>> label("no_drift"), label("half_open"), label("retrain"), label(None)
    ('no drift', 'half-open', 'retrain', '—')
    """
    if not code:
        return "—"
    return LABELS.get(code, code.replace("_", " "))


def metric_label(name: str | None) -> str:
    """A metric's name spelled out; ``holdout_`` names say so.

    >>> metric_label("balanced_accuracy"), metric_label("holdout_rmse"), metric_label("r2")
    ('balanced accuracy', 'holdout RMSE', 'R²')
    >>> metric_label("my_score"), metric_label(None)
    ('my score', 'metric')
    """
    if not name:
        return "metric"
    if name.startswith("holdout_"):
        return "holdout " + metric_label(name.removeprefix("holdout_"))
    return METRIC_NAMES.get(name, name.replace("_", " "))


def words(text: str | None) -> str:
    """``text`` with the metric names and state codes it contains spelled out; other words
    (feature names, files) stay as they are.

    >>> words("balanced_accuracy of the champion on each batch")
    'balanced accuracy of the champion on each batch'
    >>> words("latest rmse; no_drift in x_1 and batch_0007.csv")
    'latest RMSE; no drift in x_1 and batch_0007.csv'
    """
    if not text:
        return text or ""

    def spell(found: re.Match[str]) -> str:
        code = found[0]
        if code in METRIC_NAMES or code.removeprefix("holdout_") in METRIC_NAMES:
            return metric_label(code)
        return LABELS.get(code, code)

    return _CODE.sub(spell, text)


def clip(text: str | None, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters at a word boundary, marked with an ellipsis.

    >>> clip("labels match the training labels", 20)
    'labels match the…'
    >>> clip("short", 20), clip(None, 5)
    ('short', '')
    """
    text = text or ""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:(") + "…"


def number(value: Any, digits: int = 3) -> str:
    """A number for people: integers with thousands separators, others to ``digits`` places.

    Examples
    --------
    >>> number(1234), number(0.87133), number(None), number(float("nan")), number(2.5e-7)
    ('1,234', '0.871', '—', '—', '2.5e-07')
    """
    if value is None or isinstance(value, bool):
        return "—" if value is None else ("yes" if value else "no")
    if isinstance(value, int):
        return f"{value:,}"
    try:
        value = float(value)
    except (TypeError, ValueError):
        return str(value)
    if not math.isfinite(value):
        return "—"
    if value != 0 and abs(value) < 10**-(digits):
        return f"{value:.2g}"
    if value.is_integer() and abs(value) >= 1000:
        return f"{int(value):,}"
    return f"{value:,.{digits}f}"


def when(moment: datetime | str | None) -> str | None:
    """An ISO timestamp in UTC (what the page localises), or None.

    >>> when("2026-01-02T03:04:05+01:00")
    '2026-01-02T02:04:05+00:00'
    """
    if moment is None:
        return None
    value = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).replace(microsecond=0).isoformat()


def clock(moment: datetime | str | None) -> str:
    """A moment as ``YYYY-MM-DD HH:MM UTC`` (for text that cannot be localised: titles, hovers).

    >>> clock("2026-01-02T03:04:05+01:00"), clock(None)
    ('2026-01-02 02:04 UTC', '—')
    """
    iso = when(moment)
    return "—" if iso is None else iso[:16].replace("T", " ") + " UTC"


def cell_time(moment: datetime | str | None) -> dict[str, str] | str:
    """A table cell for a time: ``{"time": iso, "text": "YYYY-MM-DD HH:MM UTC"}``.

    >>> cell_time("2026-01-02T03:04:05+00:00")
    {'time': '2026-01-02T03:04:05+00:00', 'text': '2026-01-02 03:04 UTC'}
    """
    iso = when(moment)
    if iso is None:
        return "—"
    return {"time": iso, "text": clock(iso)}


def tone_of(state: str | None) -> str:
    """The badge colour of a state: ``ok``, ``warn``, ``bad``, ``info`` or ``muted``.

    >>> tone_of("failed"), tone_of("retrain"), tone_of("something new")
    ('bad', 'warn', 'muted')
    """
    return TONES.get(state or "", "muted")
