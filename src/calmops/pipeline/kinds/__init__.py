"""Pipeline kinds, registered by name (the spec's ``kind``): stream, block and ipip.

Kinds change what a batch is, not the loop: the steps call the kind where behaviour differs
(see :class:`~calmops.pipeline.kinds.base.Kind`). To add one, subclass ``Kind`` in its own
module and register it below.
"""

from __future__ import annotations

from calmops.errors import RegistryError
from calmops.pipeline.kinds.base import Kind
from calmops.pipeline.kinds.block import BlockKind, natural_key, natural_order
from calmops.pipeline.kinds.ipip import IPIPKind

__all__ = ["KINDS", "BlockKind", "IPIPKind", "Kind", "get_kind", "natural_key", "natural_order"]

KINDS: dict[str, Kind] = {kind.name: kind for kind in (Kind(), BlockKind(), IPIPKind())}


def get_kind(name: str) -> Kind:
    """The kind called ``name``; the error lists the valid names."""
    if name not in KINDS:
        raise RegistryError(f"no pipeline kind '{name}'; choose from {', '.join(sorted(KINDS))}")
    return KINDS[name]
