"""One release: a :class:`~calmops.privacy.config.PrivacyConfig` applied to a table, in a fixed
order, and written atomically.

The order is always:

1. **pseudonymize** identifiers (keyed, so the release can still be joined with the key);
2. **generalize** columns (coarser values first, so that fewer rows are suppressed next);
3. **k-anonymity**: suppress the rows of quasi-identifier classes smaller than ``k``;
4. **shuffle** columns (on the rows that remain);
5. **noise** with the differential-privacy budget (last, so the DP guarantee is about the
   values actually released).

Every named column is checked before any work starts; the output file is written to a
temporary name and renamed, so an error anywhere leaves no output (and an older one intact).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from calmops.atomic import atomic_write_bytes
from calmops.errors import DataValidationError
from calmops.privacy.columns import check_columns
from calmops.privacy.config import PrivacyConfig
from calmops.privacy.generalize import generalize
from calmops.privacy.noise import add_noise
from calmops.privacy.pseudonymize import load_key, pseudonymize
from calmops.privacy.shuffle import shuffle_columns
from calmops.privacy.suppress import enforce_k_anonymity

__all__ = ["ORDER", "OUTPUT_FORMATS", "Release", "anonymize", "release_format", "write_release"]

#: the steps in the order they run (each only when configured)
ORDER = ("pseudonymize", "generalize", "k_anonymity", "shuffle", "noise")
#: output formats by file extension
OUTPUT_FORMATS = (".csv", ".parquet")


@dataclass(frozen=True)
class Release:
    """The released table and, per step that ran, what it did."""

    frame: pd.DataFrame
    rows_in: int
    steps: dict[str, dict[str, Any]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rows_in": self.rows_in,
            "rows_out": len(self.frame),
            "columns": [str(c) for c in self.frame.columns],
            "order": [step for step in ORDER if step in self.steps],
            "steps": self.steps,
        }


def anonymize(
    frame: pd.DataFrame, config: PrivacyConfig, *, key: bytes | None = None, seed: int = 0
) -> Release:
    """Apply ``config`` to ``frame`` in the order of :data:`ORDER`.

    ``key`` is the pseudonymization key; when omitted it is read as the config says
    (``key_file``, else the ``key_env`` variable). ``seed`` drives shuffling and noise.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"id": ["p1", "p2", "p3", "p4", "p5"],
    ...                       "age": [23, 27, 31, 38, 90], "zip": [1, 2, 3, 4, 5]})
    >>> config = PrivacyConfig.from_dict({
    ...     "pseudonymize": {"columns": ["id"]},
    ...     "generalize": {"age": {"bins": [0, 30, 60, 120]}},
    ...     "k_anonymity": {"quasi_identifiers": ["age"], "k": 2},
    ...     "shuffle": ["zip"]})
    >>> release = anonymize(frame, config, key=b"0123456789abcdef", seed=0)
    >>> release.frame["age"].tolist(), release.steps["k_anonymity"]["rows_suppressed"]
    (['[0, 30)', '[0, 30)', '[30, 60)', '[30, 60)'], 1)
    >>> release.to_dict()["order"]
    ['pseudonymize', 'generalize', 'k_anonymity', 'shuffle']
    """
    check_columns(frame, sorted(config.columns()), "the privacy config")
    steps: dict[str, dict[str, Any]] = {}
    out = frame
    if config.pseudonymize is not None:
        spec = config.pseudonymize
        secret = key if key is not None else load_key(spec.key_env, spec.key_file)
        out = pseudonymize(out, spec.columns, secret)
        steps["pseudonymize"] = {"columns": spec.columns, "method": "HMAC-SHA256"}
    if config.generalize:
        out = generalize(out, config.generalize)
        steps["generalize"] = {
            name: rule.model_dump(exclude_none=True) for name, rule in config.generalize.items()
        }
    if config.k_anonymity is not None:
        spec_k = config.k_anonymity
        result = enforce_k_anonymity(out, spec_k.quasi_identifiers, spec_k.k, spec_k.max_suppressed)
        out = result.frame
        steps["k_anonymity"] = result.to_dict()
    if config.shuffle:
        out = shuffle_columns(out, config.shuffle, seed)
        steps["shuffle"] = {"columns": config.shuffle, "seed": seed}
    if config.noise is not None:
        noised = add_noise(out, config.noise, seed)
        out = noised.frame
        steps["noise"] = {**noised.to_dict(), "seed": seed}
    return Release(frame=out, rows_in=len(frame), steps=steps)


def _encoded(frame: pd.DataFrame, suffix: str) -> bytes:
    buffer = io.BytesIO()
    if suffix == ".parquet":
        frame.to_parquet(buffer, index=False)
    else:
        frame.to_csv(buffer, index=False)
    return buffer.getvalue()


def write_release(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write ``frame`` to ``path`` (csv or parquet by extension) atomically.

    Raises
    ------
    DataValidationError
        For an extension other than those of :data:`OUTPUT_FORMATS`; nothing is written.
    """
    target = Path(path)
    atomic_write_bytes(target, _encoded(frame, release_format(target)))
    return target


def release_format(path: str | Path) -> str:
    """The output format of ``path`` (its extension), checked before any work is done.

    Examples
    --------
    >>> release_format("out/release.CSV")
    '.csv'
    >>> release_format("release.xlsx")
    Traceback (most recent call last):
    calmops.errors.DataValidationError: cannot write 'release.xlsx': the output must end in ...
    """
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in OUTPUT_FORMATS:
        raise DataValidationError(
            f"cannot write '{target.name}': the output must end in {' or '.join(OUTPUT_FORMATS)}"
        )
    return suffix
