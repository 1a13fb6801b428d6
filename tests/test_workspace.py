"""A workspace creates, changes and deletes a pipeline's folder and store row together."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from calmops.errors import PipelineExistsError, PipelineNotFoundError, SpecError
from calmops.settings import Settings, get_settings
from calmops.spec import PipelineSpec
from calmops.store import InMemoryStore
from calmops.workspace import Workspace


def _spec(tmp_path: Path, name: str = "demo", **model) -> PipelineSpec:
    data = {"name": name, "data": {"dir": str(tmp_path / "incoming"), "target": "label"}}
    if model:
        data["model"] = model
    return PipelineSpec.from_dict(data)


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace(Settings(home=tmp_path / "home"))


def _leftovers(ws: Workspace) -> list[str]:
    if not ws.pipelines_dir.exists():
        return []
    return sorted(p.name for p in ws.pipelines_dir.iterdir())


def test_create_lays_out_the_design_folders_and_the_spec(ws: Workspace, tmp_path: Path) -> None:
    spec = _spec(tmp_path)
    ws.create(spec)
    paths = ws.paths("demo")
    for folder in ("config", "models", "logs", "metrics/runs", "reference", "data"):
        assert (paths.root / folder).is_dir(), folder
    assert yaml.safe_load(paths.spec_file.read_text())["data"]["target"] == "label"
    assert ws.spec("demo") == spec
    assert ws.get("demo").spec == spec.to_dict()
    assert (tmp_path / "incoming").is_dir()
    assert (ws.home / "calmops.db").exists()


def test_create_twice_fails_and_keeps_the_first(ws: Workspace, tmp_path: Path) -> None:
    ws.create(_spec(tmp_path))
    with pytest.raises(PipelineExistsError):
        ws.create(_spec(tmp_path, **{"class": "sklearn.tree.DecisionTreeClassifier"}))
    assert ws.spec("demo").model.class_name == "auto"  # the default, not the second spec's class
    assert _leftovers(ws) == ["demo"]


def test_unknown_model_class_creates_nothing(ws: Workspace, tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="did you mean 'LogisticRegression'"):
        ws.create(_spec(tmp_path, **{"class": "sklearn.linear_model.LogistcRegression"}))
    with pytest.raises(SpecError, match="cannot import module 'nosuchpkg'"):
        ws.create(_spec(tmp_path, **{"class": "nosuchpkg.Model"}))
    with pytest.raises(SpecError, match="model.params: LogisticRegression rejected them"):
        ws.create(_spec(tmp_path, params={"no_such_param": 1}))
    with pytest.raises(SpecError, match="cannot be fitted"):
        ws.create(_spec(tmp_path, **{"class": "pathlib.Path"}))
    assert ws.list() == [] and _leftovers(ws) == []
    assert not (tmp_path / "incoming").exists()


class FailingCommit(InMemoryStore):
    """A store whose commit fails after the folder was renamed into place."""

    def __init__(self) -> None:
        super().__init__()
        self.working_pipelines = self.pipelines
        self.pipelines = _FailingPipelines(self.pipelines)


class _FailingPipelines:
    def __init__(self, real) -> None:
        self.real = real

    def __getattr__(self, name):
        return getattr(self.real, name)

    def create(self, record, *, before_commit=None):
        if before_commit:
            before_commit()
        raise OSError("disk full while committing")

    def delete(self, name, *, before_commit=None):
        if before_commit:
            before_commit()
        raise OSError("disk full while committing")


def test_a_failed_commit_leaves_nothing_behind(tmp_path: Path) -> None:
    ws = Workspace(Settings(home=tmp_path / "home"), store=FailingCommit())
    with pytest.raises(OSError, match="disk full"):
        ws.create(_spec(tmp_path))
    assert _leftovers(ws) == []
    assert ws.store.pipelines.list() == []


def test_a_failed_delete_restores_the_folder(tmp_path: Path) -> None:
    store = FailingCommit()
    ws = Workspace(Settings(home=tmp_path / "home"), store=store)
    store.working_pipelines.create(_record(tmp_path))
    ws.paths("demo").spec_file.parent.mkdir(parents=True)
    ws.paths("demo").spec_file.write_text("kept")
    with pytest.raises(OSError, match="disk full"):
        ws.delete("demo")
    assert ws.paths("demo").spec_file.read_text() == "kept"
    assert _leftovers(ws) == ["demo"]


def _record(tmp_path: Path):
    from calmops.store import PipelineRecord

    spec = _spec(tmp_path)
    return PipelineRecord("demo", "stream", "manual", spec.to_dict())


def test_an_orphan_folder_is_not_overwritten(ws: Workspace, tmp_path: Path) -> None:
    orphan = ws.paths("demo").root
    orphan.mkdir(parents=True)
    (orphan / "precious.txt").write_text("mine")
    with pytest.raises(PipelineExistsError, match="exists but no pipeline 'demo' is recorded"):
        ws.create(_spec(tmp_path))
    assert (orphan / "precious.txt").read_text() == "mine"
    assert ws.list() == []


def test_update_changes_file_and_row_together(ws: Workspace, tmp_path: Path) -> None:
    ws.create(_spec(tmp_path))
    ws.update("demo", {"retrain.strategy": "window", "trigger.type": "watch"})
    assert ws.spec("demo").retrain.strategy == "window"
    assert ws.get("demo").trigger == "watch"
    assert ws.get("demo").spec["retrain"]["strategy"] == "window"


def test_an_invalid_update_changes_nothing(ws: Workspace, tmp_path: Path) -> None:
    ws.create(_spec(tmp_path))
    before = ws.paths("demo").spec_file.read_bytes()
    with pytest.raises(SpecError):
        ws.update("demo", {"kind": "streem"})
    with pytest.raises(SpecError):
        ws.update("demo", {"model.class": "sklearn.nope.Model"})
    assert ws.paths("demo").spec_file.read_bytes() == before
    assert ws.get("demo").kind == "stream"


def test_delete_removes_folder_and_row(ws: Workspace, tmp_path: Path) -> None:
    ws.create(_spec(tmp_path))
    ws.create(_spec(tmp_path, name="other"))
    ws.delete("demo")
    assert [p.name for p in ws.list()] == ["other"]
    assert _leftovers(ws) == ["other"]
    assert (tmp_path / "incoming").is_dir(), "the user's data folder is never deleted"
    with pytest.raises(PipelineNotFoundError):
        ws.delete("demo")


def test_home_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert get_settings().home == tmp_path / "calmops-home"
    monkeypatch.setenv("CALMOPS_HOME", str(tmp_path / "from-env"))
    assert get_settings().home == tmp_path / "from-env"
    assert get_settings(home=tmp_path / "flag").home == tmp_path / "flag"
    monkeypatch.setenv("CALMOPS_DB_URL", "postgresql://db/calm")
    assert get_settings().store_url == "postgresql://db/calm"


def test_reading_an_empty_folder_creates_no_workspace(tmp_path: Path) -> None:
    ws = Workspace(Settings(home=tmp_path / "nothing-here"))
    assert ws.list() == []
    with pytest.raises(PipelineNotFoundError):
        ws.get("demo")
    assert not (tmp_path / "nothing-here").exists()


def test_create_and_update_are_recorded_as_events(ws: Workspace, tmp_path: Path) -> None:
    ws.create(_spec(tmp_path))
    ws.update("demo", {"retrain.strategy": "window"})
    events = ws.store.events.list("demo")
    assert [e.kind for e in events] == ["updated", "created"]
    assert events[0].data == {"changes": ["retrain.strategy"]}
