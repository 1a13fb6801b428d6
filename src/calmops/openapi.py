"""Reading an OpenAPI schema: the operations the documentation pages of the prediction
server (``/docs``) and of the dashboards (``/api/docs``) list. Both apps import it from
here, below them, so neither imports the other."""

from __future__ import annotations

from typing import Any

__all__ = ["COMPONENT_REF", "add_component_schemas", "endpoints"]

COMPONENT_REF = "#/components/schemas/{model}"
"""Where a model named in a hand-written request body points, so the document resolves."""


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


def add_component_schemas(app: Any, *models: Any) -> None:
    """Put pydantic ``models`` (and the models they use) under ``components/schemas`` of
    ``app``'s OpenAPI document, for request bodies written by hand (``openapi_extra``) that
    refer to them as ``{"$ref": "#/components/schemas/Name"}``; FastAPI only adds the models
    of the parameters it parses itself.

    >>> from fastapi import FastAPI
    >>> from calmops.server.schemas import InferenceRequest
    >>> app = FastAPI()
    >>> add_component_schemas(app, InferenceRequest)
    >>> sorted(app.openapi()["components"]["schemas"])
    ['InferenceRequest', 'RequestInput', 'RequestOutput']
    >>> app.openapi()["components"]["schemas"]["InferenceRequest"]["properties"]["inputs"]["items"]
    {'$ref': '#/components/schemas/RequestInput'}
    """
    built = app.openapi

    def openapi() -> dict[str, Any]:
        schema = built()
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for model in models:
            document = model.model_json_schema(ref_template=COMPONENT_REF)
            for name, definition in document.pop("$defs", {}).items():
                components.setdefault(name, definition)
            components.setdefault(model.__name__, document)
        return schema

    app.openapi = openapi
