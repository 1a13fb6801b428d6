"""The pipeline spec: the YAML contract that defines one pipeline.

A spec is validated with pydantic; every field but ``name`` and ``data.dir`` has a documented
default (see ``docs/pipeline-spec.md``, generated from the descriptions below by
:func:`reference_markdown`). Errors name the field path and what is allowed; fields that
name a registered item (a kind, a drift test, a strategy...) are checked against the
registry itself (see :mod:`calmops.spec.registered`)::

    kind: no pipeline kind 'streem'; choose from block, ipip, stream; did you mean 'stream'?

Examples
--------
>>> spec = PipelineSpec.from_dict({"name": "demo", "data": {"dir": "/data/in", "target": "label"}})
>>> spec.kind, spec.trigger.type, spec.model.class_name, spec.retrain.strategy
('stream', 'manual', 'auto', 'adaptive')
>>> spec.with_changes({"retrain.strategy": "window"}).retrain.strategy
'window'
"""

from __future__ import annotations

from calmops.spec.kinds import BlockSpec, IPIPSpec
from calmops.spec.names import NAME_PATTERN, validate_name
from calmops.spec.pipeline import PipelineSpec
from calmops.spec.policy import (
    BreakerSpec,
    DecisionSpec,
    DriftSpec,
    PromotionSpec,
    RetentionSpec,
    RetrainSpec,
)
from calmops.spec.reference import reference_markdown
from calmops.spec.sections import DataSpec, ModelSpec, StepSpec, TriggerSpec

__all__ = [
    "NAME_PATTERN",
    "BlockSpec",
    "BreakerSpec",
    "DataSpec",
    "DecisionSpec",
    "DriftSpec",
    "IPIPSpec",
    "ModelSpec",
    "PromotionSpec",
    "StepSpec",
    "PipelineSpec",
    "RetentionSpec",
    "RetrainSpec",
    "TriggerSpec",
    "reference_markdown",
    "validate_name",
]
