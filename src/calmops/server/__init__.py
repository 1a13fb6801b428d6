"""The prediction server (FastAPI): ``create_app(settings, store)``, run by ``calmops serve``.

::

    app.py          create_app: the application, its lifespan and its routers
    routes/         one router per resource: predict, oip (v2), health, pipelines,
                    metrics, feedback
    service.py      the prediction service the routes ask: models, batching, shadow, log
    cache.py        the models serving, hot-swapped when an alias moves
    served.py       one loaded model version: checking input, scoring
    validation.py   request rows against the model card
    batching.py     adaptive micro-batching of concurrent requests
    predictions.py  the prediction and feedback logs (Parquet)
    traffic.py      logged traffic as a batch for ``calmops run NAME --served``
    tensors.py      Open Inference Protocol tensors
    metrics.py      Prometheus metrics
    auth.py, limits.py, handlers.py, deps.py, schemas.py, jsonio.py, config.py

``create_app`` is imported on first use, so importing this package stays light.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["ServerConfig", "create_app"]

_LAZY = {"create_app": "calmops.server.app", "ServerConfig": "calmops.server.config"}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'calmops.server' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
