"""The kinds registry: one entry per spec kind, each documented; unknown names are clear."""

from __future__ import annotations

import typing

import pytest

from calmops.errors import RegistryError
from calmops.pipeline.kinds import KINDS, Kind, get_kind
from calmops.spec import PipelineSpec


def test_every_spec_kind_has_a_registered_kind() -> None:
    allowed = typing.get_args(PipelineSpec.model_fields["kind"].annotation)
    assert sorted(KINDS) == sorted(allowed)
    for name, kind in KINDS.items():
        assert isinstance(kind, Kind) and kind.name == name
        assert type(kind).__doc__


def test_an_unknown_kind_lists_the_choices() -> None:
    with pytest.raises(RegistryError, match="no pipeline kind 'batch'; choose from block, ipip"):
        get_kind("batch")
