from __future__ import annotations

import numpy as np
import pytest

from calmops.drift.correction import adjust
from calmops.errors import RegistryError

P = [0.01, 0.04, 0.03, 0.005]


def test_none_and_bonferroni():
    assert adjust(P, "none").tolist() == P
    assert adjust(P, "bonferroni").tolist() == pytest.approx([0.04, 0.16, 0.12, 0.02])


def test_holm_by_hand():
    # sorted: 0.005*4=0.02, 0.01*3=0.03, 0.03*2=0.06, 0.04*1=0.04 -> running max 0.06
    assert adjust(P, "holm").tolist() == pytest.approx([0.03, 0.06, 0.06, 0.02])


def test_bh_by_hand():
    # sorted: 0.005*4/1=0.02, 0.01*4/2=0.02, 0.03*4/3=0.04, 0.04*4/4=0.04
    assert adjust(P, "bh").tolist() == pytest.approx([0.02, 0.04, 0.04, 0.02])


def test_capped_at_one_and_empty():
    assert adjust([0.6, 0.7], "bonferroni").tolist() == [1.0, 1.0]
    assert adjust([], "holm").size == 0


def test_holm_is_never_less_powerful_than_bonferroni():
    p = np.random.default_rng(0).uniform(size=50) ** 3
    assert np.all(adjust(p, "holm") <= adjust(p, "bonferroni") + 1e-15)


def test_unknown_method():
    with pytest.raises(RegistryError, match="choose from bh, bonferroni, holm, none"):
        adjust(P, "sidak")
