"""Block pipelines: many blocks per file (``data.block_column``).

``split`` finds the blocks of a batch (ids sorted naturally by :mod:`calmops.io.order`),
``drift`` tests each block against the reference and the block before, ``router`` builds
block-wise routers;
``base.BlockBase`` is what the block and IPIP kinds share and ``kind.BlockKind`` the block kind.
"""

from __future__ import annotations

from calmops.io.order import natural_key, natural_order
from calmops.pipeline.kinds.block.base import BlockBase
from calmops.pipeline.kinds.block.kind import BlockKind

__all__ = ["BlockBase", "BlockKind", "natural_key", "natural_order"]
