"""The dashboards: one web app for every pipeline of a workspace.

``create_ui_app(settings)`` builds the FastAPI app that ``calmops ui`` serves and that
``calmops serve --ui`` mounts beside the prediction API. Each page is built by a view
(``calmops.web.views``) as a plain dict that feeds both its Jinja2 template and its JSON twin
under ``/api/...``; plotly.js is served from the installed ``plotly`` package, so the pages
work with no internet.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from calmops.web.app import create_ui_app

__all__ = ["create_ui_app"]


def __getattr__(name: str) -> Any:
    if name == "create_ui_app":
        from calmops.web.app import create_ui_app

        return create_ui_app
    raise AttributeError(name)
