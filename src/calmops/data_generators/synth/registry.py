"""The synthesizers by name, filled explicitly (one line each), and :func:`make_synthesizer`.

To add one: write its class in ``synth/<name>.py`` (a ``name`` class attribute, ``fit`` and
``sample``; see :mod:`.base`) and add one ``SYNTHESIZERS.register`` line here.
"""

from __future__ import annotations

from typing import Any

from calmops.data_generators.synth.base import Synthesizer
from calmops.data_generators.synth.bootstrap import BootstrapSynthesizer
from calmops.data_generators.synth.cart import CartSynthesizer
from calmops.data_generators.synth.gaussian_copula import GaussianCopulaSynthesizer
from calmops.data_generators.synth.gmm import GMMSynthesizer
from calmops.registry import Registry

__all__ = ["DEFAULT_SYNTHESIZER", "SYNTHESIZERS", "make_synthesizer"]

DEFAULT_SYNTHESIZER = "cart"

SYNTHESIZERS: Registry[type[Synthesizer]] = Registry("synthesizer")
"""Synthesizer classes by name (``cart``, ``gaussian_copula``, ``gmm``, ``bootstrap``)."""
SYNTHESIZERS.register(CartSynthesizer)
SYNTHESIZERS.register(BootstrapSynthesizer)
SYNTHESIZERS.register(GaussianCopulaSynthesizer)
SYNTHESIZERS.register(GMMSynthesizer)


def make_synthesizer(name: str = DEFAULT_SYNTHESIZER, **params: Any) -> Synthesizer:
    """A new, unfitted synthesizer ``name`` built with ``params``.

    An unknown name lists the registered ones; an unknown parameter names the accepted ones.
    """
    cls = SYNTHESIZERS.get(name)
    try:
        return cls(**params)
    except TypeError as exc:
        import inspect

        accepted = [p for p in inspect.signature(cls).parameters if p != "self"]
        from calmops.errors import DataValidationError

        raise DataValidationError(
            f"synthesizer {name!r} does not take {', '.join(sorted(params))}; "
            f"its parameters are {', '.join(accepted) or 'none'}"
        ) from exc
