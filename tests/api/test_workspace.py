"""calmops.open / calmops.Workspace: specs in every form, listing, lookup, deletion."""

from __future__ import annotations

from pathlib import Path

import pytest

import calmops
from calmops.api import Pipeline, Workspace, to_spec
from calmops.errors import PipelineExistsError, PipelineNotFoundError, SpecError
from calmops.spec import PipelineSpec


def test_open_takes_str_and_path_alike(tmp_path: Path) -> None:
    by_str, by_path = calmops.open(str(tmp_path)), calmops.open(tmp_path)
    assert isinstance(by_str, Workspace) and by_str.home == by_path.home == tmp_path
    by_str.create({"name": "a", "data": {"dir": str(tmp_path / "in")}})
    assert [p.name for p in by_path.pipelines()] == ["a"]


def test_the_default_home_is_calmops_home(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("CALMOPS_HOME", str(tmp_path / "env-home"))
    assert calmops.open().home == tmp_path / "env-home"
    monkeypatch.delenv("CALMOPS_HOME")
    monkeypatch.chdir(tmp_path)
    assert calmops.Workspace().home == tmp_path / "calmops-home"


def test_a_spec_as_dict_yaml_text_yaml_file_or_pipeline_spec(tmp_path: Path) -> None:
    ws = calmops.open(tmp_path / "home")
    spec_file = tmp_path / "specs" / "c.yaml"
    spec_file.parent.mkdir()
    spec_file.write_text("name: c\ndata: {dir: data-c}\n")
    made = [
        ws.create({"name": "a", "data": {"dir": "data-a"}}, base_dir=tmp_path),
        ws.create("name: b\ndata: {dir: data-b}\n", base_dir=str(tmp_path)),
        ws.create(str(spec_file)),
        ws.create(PipelineSpec.from_dict({"name": "d", "data": {"dir": str(tmp_path / "d")}})),
    ]
    assert all(isinstance(p, Pipeline) for p in made)
    dirs = {p.name: p.spec.data.dir for p in ws.pipelines()}
    assert dirs == {
        "a": tmp_path / "data-a",
        "b": tmp_path / "data-b",
        "c": tmp_path / "specs" / "data-c",  # a file's relative paths: from its folder
        "d": tmp_path / "d",
    }
    assert all(folder.is_dir() for folder in dirs.values())


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"name": "x"}, "data"),
        ("name: [unclosed", "not valid YAML"),
        ("missing.yaml", "missing.yaml: no such file"),
        (3.5, "got float"),
        ({"name": "bad name!", "data": {"dir": "."}}, "name"),
    ],
)
def test_a_bad_spec_is_a_spec_error(tmp_path: Path, spec, message: str) -> None:
    with pytest.raises(SpecError, match=message):
        calmops.open(tmp_path).create(spec)
    assert calmops.open(tmp_path).pipelines() == []


def test_lookup_membership_and_delete(tmp_path: Path) -> None:
    ws = calmops.open(tmp_path)
    pipe = ws.create({"name": "p", "data": {"dir": str(tmp_path / "in")}})
    assert ws["p"] == pipe == ws.pipeline("p") and list(ws) == [pipe]
    assert "p" in ws and "q" not in ws and "bad name!" not in ws and 3 not in ws
    assert repr(pipe) == f"Pipeline('p', home={str(tmp_path)!r})"
    with pytest.raises(PipelineExistsError):
        ws.create({"name": "p", "data": {"dir": str(tmp_path / "in")}})
    with pytest.raises(PipelineNotFoundError) as caught:
        ws["q"]
    assert isinstance(caught.value, LookupError)
    ws.delete("p")
    assert ws.pipelines() == [] and not (tmp_path / "pipelines" / "p").exists()


def test_close_and_reuse(tmp_path: Path) -> None:
    with calmops.open(tmp_path) as ws:
        ws.create({"name": "p", "data": {"dir": str(tmp_path / "in")}})
    assert [p.name for p in ws.pipelines()] == ["p"]  # the store reopens on use
    ws.close()
    ws.close()


def test_to_spec_tells_a_path_from_yaml_text(tmp_path: Path) -> None:
    (tmp_path / "s.yml").write_text("name: s\ndata: {dir: x}\n")
    assert to_spec(str(tmp_path / "s.yml")).data.dir == tmp_path / "x"
    assert to_spec(tmp_path / "s.yml").name == "s"
    assert to_spec("name: t\ndata: {dir: /x}").name == "t"
