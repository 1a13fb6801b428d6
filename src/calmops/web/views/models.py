"""The Models tab: versions, aliases, metrics, lineage and model cards, with promote and roll
back actions (behind a confirmation, and the API key when one is set)."""

from __future__ import annotations

from typing import Any

from calmops.store import ModelVersion
from calmops.web import figures
from calmops.web.format import cell_time, number, when, words
from calmops.web.reader import Reader
from calmops.web.sections import badge, figure, kpi, kpis, notice, tab, table
from calmops.web.views.common import clean, primary_metric
from calmops.web.views.versions import versions_table

__all__ = ["build_models"]

CARD_FIELDS = ("task", "target", "strategy", "reason", "parent_version", "run_id",
               "created_at", "serializer", "file", "sha256")  # fmt: skip


def build_models(reader: Reader, name: str, *, base: str = "") -> dict[str, Any]:
    """The Models tab of pipeline ``name``."""
    record = reader.pipeline(name)
    versions = reader.ws.store.models.versions(name)
    aliases = reader.aliases(name)
    if not versions:
        text = f"No models yet: the first labelled batch trains one (`calmops run {name} --once`)."
        return tab("models", "Models", [notice("models-empty", text)], versions=[])
    by_version: dict[int, list[str]] = {}
    for alias, number_ in aliases.items():
        by_version.setdefault(number_, []).append(alias)
    metric = primary_metric(record.spec, reader.runs(name, limit=1)) or _metric_of(versions)
    champion, previous = aliases.get("champion"), aliases.get("previous")
    described = {v.version: model_of(reader, name, v, record.spec) for v in versions}
    sections = [
        _kpis(versions, champion, previous, metric),
        versions_table(reader, name, versions, by_version, metric, _confidence(record.spec)),
        _actions(name, base, champion, previous),
        figure("models-lineage", "Lineage", _lineage(versions, by_version, metric)),
        _history(reader.ws.store.models.history(name)),
        {"id": "models-cards", "kind": "cards", "title": "Model cards",
         "items": [_card(v, by_version.get(v.version, []), described[v.version])
                   for v in reversed(versions)]},
    ]  # fmt: skip
    for section in sections:
        if section["id"] == "models-versions":
            _add_promote_buttons(section, versions, champion, name, base)
    return tab(
        "models",
        "Models",
        sections,
        versions=[
            {"version": v.version, "aliases": sorted(by_version.get(v.version, [])),
             "metrics": clean(v.metrics), "created": when(v.created_at),
             "model": described[v.version]}
            for v in versions
        ],
    )  # fmt: skip


def _kpis(
    versions: list[ModelVersion], champion: int | None, previous: int | None, metric: str
) -> dict[str, Any]:
    """How many versions, which are champion and previous, and the champion's holdout score."""
    return kpis(
        "models-kpis",
        [
            kpi("versions", len(versions)),
            kpi("champion", f"v{champion}" if champion else "—", tone="ok"),
            kpi("previous", f"v{previous}" if previous else "—"),
            kpi(
                f"champion holdout {metric}",
                _value(versions, champion, metric),
                "on its own held-out rows, when it was trained",
            ),
        ],
    )


def _actions(name: str, base: str, champion: int | None, previous: int | None) -> dict[str, Any]:
    """The roll-back action, when there is a previous champion to go back to."""
    actions = []
    if previous is not None:
        actions.append(
            {
                "action": "rollback",
                "label": f"Roll back to v{previous}",
                "confirm": f"Make v{previous} the champion of '{name}' again "
                f"(v{champion} becomes previous)?",
                "url": f"{base}/api/pipelines/{name}/models/rollback",
                "check": f"{base}/api/pipelines/{name}/models/rollback/check",
            }
        )
    return {"id": "models-actions", "kind": "actions", "title": "Actions", "items": actions,
            "note": "" if actions else "No previous champion to roll back to."}  # fmt: skip


def _history(history: list) -> dict[str, Any]:
    """The alias changes, newest first (the last 100)."""
    return table(
        "models-history",
        "Alias changes",
        ["when", "alias", "from", "to", "why"],
        [
            [cell_time(h.at), h.alias, _v(h.old_version), _v(h.new_version), words(h.reason)]
            for h in reversed(history[-100:])
        ],
        note="Newest first; the last 100.",
    )


def _metric_of(versions: list[ModelVersion]) -> str:
    task = (versions[-1].card or {}).get("task")
    return {"regression": "rmse"}.get(task or "", "balanced_accuracy")


def _value(versions: list[ModelVersion], version: int | None, metric: str) -> str:
    for v in versions:
        if v.version == version:
            return number(v.metrics.get(metric))
    return "—"


def _v(version: int | None) -> str:
    return "none" if version is None else f"v{version}"


def _confidence(spec: dict[str, Any]) -> float:
    """The confidence of the promotion comparison's interval (the decision's)."""
    return float((spec.get("decision") or {}).get("confidence") or 0.99)


def model_of(
    reader: Reader, name: str, version: ModelVersion, spec: dict[str, Any]
) -> dict[str, Any]:
    """The class and hyperparameters of ``version`` and where they come from: its card,
    else the loaded model's ``get_params`` (the file verified first), else the spec."""
    from calmops.errors import CalmopsError
    from calmops.models.card import describe_model

    recorded = (version.card or {}).get("model")
    if recorded:
        return {**recorded, "source": "model card"}

    def load() -> dict[str, Any]:
        try:
            model = reader.registry(name).load(version)
        except (CalmopsError, OSError, ValueError):
            return {}
        return {**describe_model(model), "source": "the model file"}

    found = reader.derived(("model-params", name, version.version, version.sha256), load)
    if found:
        return found
    given = spec.get("model") or {}
    return {"class": given.get("class") or "—", "params": given.get("params") or {},
            "source": "the pipeline spec (the model file could not be read)"}  # fmt: skip


def _params_text(params: dict[str, Any], limit: int = 0) -> str:
    """``max_depth=6, random_state=0`` (the first ``limit`` when given).

    >>> _params_text({"a": 1, "b": None, "c": "x"}, limit=2)
    'a=1, b=None, …'
    """
    items = [f"{k}={v}" for k, v in params.items()]
    if limit and len(items) > limit:
        items = [*items[:limit], "…"]
    return ", ".join(items) or "—"


def _add_promote_buttons(
    section: dict[str, Any],
    versions: list[ModelVersion],
    champion: int | None,
    name: str,
    base: str,
) -> None:
    section["columns"].append("action")
    for row, v in zip(section["rows"], reversed(versions), strict=True):
        if v.version == champion:
            row.append(badge("promoted", "champion"))
            continue
        row.append(
            {
                "action": "promote",
                "label": f"Promote v{v.version}",
                "confirm": f"Make v{v.version} the champion of '{name}'"
                + (f" (v{champion} becomes previous)?" if champion else "?"),
                "url": f"{base}/api/pipelines/{name}/models/{v.version}/promote",
                "check": f"{base}/api/pipelines/{name}/models/{v.version}/check",
            }
        )


def _lineage(
    versions: list[ModelVersion], aliases: dict[int, list[str]], metric: str
) -> dict[str, Any]:
    depth: dict[int, int] = {}
    x, y, text, colors = [], [], [], []
    edge_x: list[float | None] = []
    edge_y: list[float | None] = []
    for v in versions:
        parent = (v.card or {}).get("parent_version")
        depth[v.version] = depth.get(parent, -1) + 1 if parent in depth else 0
        if parent in depth:
            edge_x += [parent, v.version, None]
            edge_y += [depth[parent], depth[v.version], None]
        held = aliases.get(v.version, [])
        x.append(v.version)
        y.append(depth[v.version])
        text.append(f"v{v.version} {' '.join(held)}<br>{metric} {number(v.metrics.get(metric))}")
        colors.append("#16a34a" if "champion" in held else "#f97316" if held else "#94a3b8")
    data = [
        {"type": "scatter", "mode": "lines", "x": edge_x, "y": edge_y, "hoverinfo": "skip",
         "line": {"color": "#cbd5e1"}, "showlegend": False},
        {"type": "scatter", "mode": "markers+text", "x": x, "y": y, "text": [f"v{n}" for n in x],
         "hovertext": text, "hoverinfo": "text", "textposition": "top center",
         "marker": {"size": 16, "color": colors}, "showlegend": False},
    ]  # fmt: skip
    fig = {"data": data, "layout": figures.layout("generation", "version", height=240)}
    fig["layout"]["xaxis"]["dtick"] = 1
    fig["layout"]["yaxis"]["dtick"] = 1
    fig["layout"]["yaxis"]["range"] = [-0.6, max(y, default=0) + 0.8]  # room for the labels
    return fig


def _card(version: ModelVersion, aliases: list[str], described: dict[str, Any]) -> dict[str, Any]:
    card = version.card or {}
    fields = [["model class", str(described.get("class") or "—")],
              ["hyperparameters", _params_text(described.get("params") or {})],
              ["hyperparameters from", str(described.get("source") or "—")]]  # fmt: skip
    if described.get("steps"):
        fields.append(["model steps", " → ".join(described["steps"])])
    fields += [[key, str(card.get(key))] for key in CARD_FIELDS if card.get(key) not in (None, "")]
    training = card.get("training") or {}
    fields += [[f"training {k}", str(v)] for k, v in training.items()]
    fields += [[f"holdout {k}", number(v)] for k, v in (card.get("metrics") or {}).items()]
    features = card.get("features") or []
    if features:
        shown = ", ".join(f"{f.get('name')} ({f.get('kind')})" for f in features[:30])
        fields.append(["features", shown + (" …" if len(features) > 30 else "")])
    if card.get("classes") is not None:
        fields.append(["classes", ", ".join(str(c) for c in card["classes"][:30])])
    fields += [[f"library {k}", str(v)] for k, v in (card.get("libraries") or {}).items()]
    title = f"v{version.version}" + (f" ({', '.join(sorted(aliases))})" if aliases else "")
    return {"title": title, "fields": fields}
