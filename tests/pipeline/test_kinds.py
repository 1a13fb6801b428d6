"""The kinds registry: one entry per spec kind, each documented; unknown names are clear."""

from __future__ import annotations

import pytest

from calmops.errors import RegistryError
from calmops.pipeline.kinds import KINDS, Kind, get_kind
from calmops.spec import PipelineSpec


def test_the_spec_accepts_every_registered_kind() -> None:
    for name, kind in KINDS.items():
        assert isinstance(kind, Kind) and kind.name == name
        assert type(kind).__doc__
        data = {"dir": "in", "block_column": "b", "target": "y"}
        assert PipelineSpec.from_dict({"name": "d", "kind": name, "data": data}).kind == name


def test_an_unknown_kind_lists_the_choices() -> None:
    with pytest.raises(RegistryError, match="no pipeline kind 'batch'; choose from block, ipip"):
        get_kind("batch")
