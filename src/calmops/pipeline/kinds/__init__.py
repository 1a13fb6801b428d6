"""Pipeline kinds, registered by name (the spec's ``kind``): stream, block and ipip.

Kinds change what a batch is, not the loop: the steps call the kind where behaviour differs
(see :class:`~calmops.pipeline.kinds.base.Kind`). To add one, subclass ``Kind`` in its own
module and register it below.
"""

from __future__ import annotations

from calmops.pipeline.kinds.base import Kind
from calmops.pipeline.kinds.block import BlockKind, natural_key, natural_order
from calmops.pipeline.kinds.ipip import IPIPKind
from calmops.registry import Registry

__all__ = ["KINDS", "BlockKind", "IPIPKind", "Kind", "get_kind", "natural_key", "natural_order"]

KINDS: Registry[Kind] = Registry("pipeline kind")
"""Pipeline kinds by name (the spec's ``kind``)."""
KINDS.register(Kind())
KINDS.register(BlockKind())
KINDS.register(IPIPKind())


def get_kind(name: str) -> Kind:
    """The kind called ``name``; the error lists the valid names."""
    return KINDS.get(name)
