"""Reading an OpenAPI schema: the operations the documentation pages of the prediction
server (``/docs``) and of the dashboards (``/api/docs``) list. Both apps import it from
here, below them, so neither imports the other."""

from __future__ import annotations

from typing import Any

__all__ = ["endpoints"]


def endpoints(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """Every operation of an OpenAPI ``schema`` as ``{method, path, summary, description,
    parameters}``, in path order.

    >>> schema = {"paths": {"/api/x": {"get": {"summary": "X", "parameters": [
    ...     {"name": "limit", "in": "query", "description": "How many."}]}}}}
    >>> endpoints(schema)[0]["parameters"]
    [{'name': 'limit', 'in': 'query', 'description': 'How many.'}]
    """
    found = []
    for path, operations in sorted(schema.get("paths", {}).items()):
        for method, operation in operations.items():
            found.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": [
                        {"name": p["name"], "in": p["in"], "description": p.get("description", "")}
                        for p in operation.get("parameters", [])
                    ],
                }
            )
    return found
