"""MkDocs hook: the reference pages, generated from the code at every build.

- ``reference/cli.md``: every ``calmops`` command and option, read from the Typer app (click's
  command tree), so a new option documents itself;
- ``pipeline-spec.md``: regenerated from :mod:`calmops.spec` (the committed file must match,
  ``tests/test_spec.py``), with the JSON Schema of the spec appended;
- ``reference/http.md`` and ``reference/openapi-*.json``: the OpenAPI documents of the
  prediction server and of the dashboards, rendered as tables and offered whole.

Registered in ``mkdocs.yml`` under ``hooks:`` (and left out of the site by ``exclude_docs``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from mkdocs.structure.files import File, Files

HTTP_APPS = (
    ("server", "Prediction server (`calmops serve`)", "calmops.server.app", "create_app"),
    ("ui", "Dashboards (`calmops ui`)", "calmops.web.app", "create_ui_app"),
)


def on_files(files: Files, config: Any) -> Files:
    """Add the generated pages to the site's files."""
    files.append(File.generated(config, "reference/cli.md", content=cli_markdown()))
    http = []
    for key, title, module, factory in HTTP_APPS:
        document = openapi_document(module, factory)
        name = f"reference/openapi-{key}.json"
        files.append(File.generated(config, name, content=json.dumps(document, indent=2)))
        http.append(http_markdown(title, document, Path(name).name))
    head = (
        "# HTTP API reference\n\nGenerated from the OpenAPI documents of both apps at build "
        "time. A running server shows the same at `/docs` (prediction server) and `/api/docs` "
        "(dashboards).\n"
    )
    files.append(File.generated(config, "reference/http.md", content=head + "\n".join(http)))
    return files


def on_page_markdown(markdown: str, page: Any, config: Any, files: Files) -> str:
    """Regenerate the spec reference from the models, and add the spec's JSON Schema."""
    if page.file.src_uri != "pipeline-spec.md":
        return markdown
    from calmops.spec import PipelineSpec
    from calmops.spec.reference import reference_markdown

    schema = json.dumps(PipelineSpec.model_json_schema(by_alias=True), indent=2)
    name_rule = "^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
    return (
        reference_markdown().replace(f" {name_rule}", f" `{name_rule}`")
        + "\n## JSON Schema\n\nFor editors that validate YAML against a schema "
        + "(`PipelineSpec.model_json_schema()`).\n\n"
        + '??? note "The pipeline spec as JSON Schema"\n\n    ```json\n'
        + "\n".join("    " + line for line in schema.splitlines())
        + "\n    ```\n"
    )


# ---- the command line --------------------------------------------------------------------


def cli_markdown() -> str:
    import typer

    from calmops.cli.main import app

    root = typer.main.get_command(app)
    lines = [
        "# Command-line reference",
        "",
        "Generated from the `calmops` command line at build time: every command and option.",
        "Exit codes: 0 success, 1 a user error (one line on stderr), 2 a usage error;",
        "`calmops drift --fail-on-drift` exits 3 when drift is found.",
        "",
    ]
    lines += _options_table(root, click.Context(root, info_name="calmops"))
    for name, command in _walk(root, "calmops"):
        lines += _command_section(name, command)
    return "\n".join(lines) + "\n"


def _walk(group: click.Group, prefix: str) -> list[tuple[str, click.Command]]:
    found = []
    ctx = click.Context(group, info_name=prefix)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if command is None or command.hidden:
            continue
        full = f"{prefix} {name}"
        found.append((full, command))
        if isinstance(command, click.Group):
            found += _walk(command, full)
    return found


def _command_section(name: str, command: click.Command) -> list[str]:
    level = "##" if name.count(" ") == 1 else "###"
    ctx = click.Context(command, info_name=name)
    usage = " ".join(command.collect_usage_pieces(ctx))
    lines = [f"{level} `{name}`", "", _escape(command.help or ""), ""]
    if not isinstance(command, click.Group):
        lines += ["```", f"{name} {usage}".rstrip(), "```", ""]
    lines += _options_table(command, ctx)
    return lines


def _options_table(command: click.Command, ctx: click.Context) -> list[str]:
    rows = []
    for param in command.get_params(ctx):
        if param.name == "help":
            continue
        if isinstance(param, click.Argument):
            shown = f"`{param.human_readable_name}`" + (" (required)" if param.required else "")
            meaning = getattr(param, "help", None) or ""
        else:
            shown = ", ".join(f"`{o}`" for o in (*param.opts, *param.secondary_opts))
            meaning = param.help or ""  # type: ignore[attr-defined]
            default = param.default
            if default not in (None, False, (), []) and not callable(default):
                meaning += f" Default: `{default}`."
            if getattr(param, "envvar", None):
                meaning += f" Environment: `{param.envvar}`."
        rows.append(f"| {shown} | {_escape(meaning)} |")
    if not rows:
        return []
    return ["| argument or option | meaning |", "|---|---|", *rows, ""]


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n\n", "<br>").replace("\n", " ").strip()


# ---- the HTTP APIs ------------------------------------------------------------------------


def openapi_document(module: str, factory: str) -> dict[str, Any]:
    import importlib

    from calmops.settings import Settings

    create = getattr(importlib.import_module(module), factory)
    return create(Settings(home=Path("/nonexistent"))).openapi()


def http_markdown(title: str, document: dict[str, Any], download: str) -> str:
    from calmops.openapi import endpoints

    lines = [
        f"## {title}",
        "",
        f"OpenAPI {document.get('openapi', '')}: [{download}]({download}) (the whole "
        "document, schemas included).",
        "",
        "| method | path | what it does | parameters |",
        "|---|---|---|---|",
    ]
    for operation in endpoints(document):
        params = "<br>".join(
            f"`{p['name']}` ({p['in']}) {_escape(p['description'])}".strip()
            for p in operation["parameters"]
        )
        lines.append(
            f"| {operation['method']} | `{operation['path']}` | "
            f"{_escape(operation['summary'])} | {params} |"
        )
    return "\n".join(lines) + "\n"
