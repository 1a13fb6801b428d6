"""Views: each builds the plain dict of one page or tab, fed to its template and its JSON twin.

================  ===============================================================
module            builds
================  ===============================================================
``overview``      every pipeline, those needing attention first
``status``        one pipeline's header, its tabs and the token the page polls
``runs``          timeline of runs, primary metric with markers and band
``data``          latest batch: schema, statistics, missingness, distributions
``drift``         feature-by-run heatmap, per-feature overlay and history, quality
``performance``   metric history, estimated against realized performance; with
                  ``classification`` (confusion matrix on the full holdout, ROC) or
                  ``residuals`` (regressors)
``models``        versions, aliases, lineage, cards; promote and roll back
``training``      every retraining: strategy, data window, sizes, fit time
``blocks``        per-block metrics and drift (block and IPIP kinds)
``ipip``          p, b, ensembles and replacement share over blocks
``logs``          the pipeline's log: level filter, search, follow
``run``           one run explained (its own page)
================  ===============================================================
"""

from __future__ import annotations

__all__ = ["TABS"]

#: every tab of a pipeline page, in order, with the kinds that show it (None: all)
TABS: tuple[tuple[str, str, tuple[str, ...] | None], ...] = (
    ("runs", "Runs", None),
    ("data", "Data", None),
    ("drift", "Drift", None),
    ("performance", "Performance", None),
    ("models", "Models", None),
    ("training", "Training", None),
    ("blocks", "Blocks", ("block", "ipip")),
    ("ipip", "IPIP", ("ipip",)),
    ("logs", "Logs", None),
)
