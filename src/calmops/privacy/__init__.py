"""Privacy transforms for releasing a table, and a report of how private a release is.

Transforms (applied by :func:`anonymize` in this order, from a :class:`PrivacyConfig`):
keyed pseudonymization of identifiers, generalization (binning, date truncation, top/bottom
coding, category grouping), k-anonymity by row suppression, column shuffling and noise with a
differential-privacy budget (diffprivlib's mechanisms). :func:`privacy_report` measures a
released table against its original: k-anonymity, l-diversity, rows at risk, exact and near
copies, distance to the closest record, and optionally anonymeter's attack risks.

>>> import pandas as pd
>>> frame = pd.DataFrame({"age": [21, 25, 33, 38, 52], "dx": ["a", "b", "a", "b", "a"]})
>>> config = PrivacyConfig.from_dict({"generalize": {"age": {"bins": [0, 30, 60]}},
...                                   "k_anonymity": {"quasi_identifiers": ["age"], "k": 2}})
>>> release = anonymize(frame, config)
>>> privacy_report(frame, release.frame, ["age"], "dx", k=2).released_classes.k_anonymity
2
"""

from __future__ import annotations

from calmops.privacy.anonymize import ORDER, Release, anonymize, release_format, write_release
from calmops.privacy.classes import ClassSummary, summarize_classes
from calmops.privacy.config import PrivacyConfig, load_config
from calmops.privacy.distance import Closeness, closeness
from calmops.privacy.generalize import (
    bin_numeric,
    generalize,
    group_categories,
    top_bottom_code,
    truncate_dates,
)
from calmops.privacy.noise import NoiseResult, add_noise
from calmops.privacy.pseudonymize import load_key, pseudonym, pseudonymize
from calmops.privacy.report import PrivacyReport, privacy_report
from calmops.privacy.shuffle import shuffle_columns
from calmops.privacy.summary import all_clear_sentence
from calmops.privacy.suppress import Suppression, class_sizes, enforce_k_anonymity

__all__ = [
    "ORDER",
    "ClassSummary",
    "Closeness",
    "NoiseResult",
    "PrivacyConfig",
    "PrivacyReport",
    "Release",
    "Suppression",
    "add_noise",
    "all_clear_sentence",
    "anonymize",
    "bin_numeric",
    "class_sizes",
    "closeness",
    "enforce_k_anonymity",
    "generalize",
    "group_categories",
    "load_config",
    "load_key",
    "privacy_report",
    "pseudonym",
    "pseudonymize",
    "release_format",
    "shuffle_columns",
    "summarize_classes",
    "top_bottom_code",
    "truncate_dates",
    "write_release",
]
