"""The registry of stream generators, filled here explicitly, one line per generator.

It lives in this module rather than in the package ``__init__`` because the generator, the
catalog and ``relabel_function`` look names up; ``calmops.data_generators`` re-exports it
(with the injection registries of :mod:`calmops.data_generators.inject.registry`). To add
a generator, write its class in ``streams/<name>.py`` (copy ``sea.py``) and add one
``GENERATORS.register`` line.
"""

from __future__ import annotations

from calmops.data_generators.streams.agrawal import Agrawal
from calmops.data_generators.streams.base import StreamGenerator
from calmops.data_generators.streams.friedman import Friedman
from calmops.data_generators.streams.hyperplane import Hyperplane
from calmops.data_generators.streams.led import LED
from calmops.data_generators.streams.mixed import Mixed
from calmops.data_generators.streams.random_tree import RandomTree
from calmops.data_generators.streams.rbf import RandomRBF
from calmops.data_generators.streams.sea import SEA
from calmops.data_generators.streams.sine import Sine
from calmops.data_generators.streams.stagger import STAGGER
from calmops.data_generators.streams.waveform import Waveform
from calmops.registry import Registry

__all__ = ["GENERATORS"]

GENERATORS: Registry[type[StreamGenerator]] = Registry("generator")
"""Stream generator classes by name (``sea``, ``agrawal``, ...)."""
GENERATORS.register(SEA)
GENERATORS.register(Agrawal)
GENERATORS.register(Hyperplane)
GENERATORS.register(STAGGER)
GENERATORS.register(Sine)
GENERATORS.register(Mixed)
GENERATORS.register(RandomRBF)
GENERATORS.register(RandomTree)
GENERATORS.register(Friedman)
GENERATORS.register(LED)
GENERATORS.register(Waveform)
