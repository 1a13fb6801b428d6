"""Keyed pseudonyms: stable across files with one key, different with another, not a plain
hash, never the raw value, and a clear error without a key."""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest

from calmops.errors import SpecError
from calmops.privacy import load_key, pseudonym, pseudonymize

KEY = b"k" * 32
OTHER = b"o" * 32


def test_same_key_gives_the_same_pseudonym_in_every_file(tmp_path):
    first = pd.DataFrame({"id": ["P1", "P2", "P3"], "x": [1, 2, 3]})
    second = pd.DataFrame({"id": ["P3", "P1", "P9"], "y": [7, 8, 9]})
    first.to_csv(tmp_path / "a.csv", index=False)
    second.to_csv(tmp_path / "b.csv", index=False)
    a = pseudonymize(pd.read_csv(tmp_path / "a.csv"), ["id"], KEY)
    b = pseudonymize(pd.read_csv(tmp_path / "b.csv"), ["id"], KEY)
    joined = a.merge(b, on="id")
    assert sorted(joined["x"]) == [1, 3] and sorted(joined["y"]) == [7, 8]
    assert pseudonymize(first, ["id"], KEY).equals(a)


def test_another_key_gives_other_pseudonyms():
    ids = [f"P{i}" for i in range(1000)]
    mine = {pseudonym(i, KEY) for i in ids}
    theirs = {pseudonym(i, OTHER) for i in ids}
    assert len(mine) == 1000 and mine.isdisjoint(theirs)


def test_not_the_raw_value_nor_an_unkeyed_hash():
    for value in ["P-000123", "12345678", "ana.garcia@example.org"]:
        code = pseudonym(value, KEY)
        assert value not in code and len(code) == 64
        assert code != hashlib.sha256(value.encode()).hexdigest()
        assert code != hashlib.sha256(KEY + value.encode()).hexdigest()


def test_a_value_is_hashed_as_its_text():
    assert pseudonym(17, KEY) == pseudonym("17", KEY) != pseudonym(17.0, KEY)


def test_missing_values_stay_missing_and_other_columns_stay():
    frame = pd.DataFrame({"id": ["a", None, "a"], "x": [1.5, 2.5, 3.5]})
    out = pseudonymize(frame, ["id"], KEY)
    assert out["id"].isna().tolist() == [False, True, False]
    assert out["id"][0] == out["id"][2] and out["x"].equals(frame["x"])
    assert frame["id"][0] == "a"  # the input is not changed


def test_the_key_from_env_or_file(tmp_path, monkeypatch):
    monkeypatch.setenv("TEST_PSEUDONYM_KEY", "x" * 20)
    assert load_key("TEST_PSEUDONYM_KEY") == b"x" * 20
    path = tmp_path / "key"
    path.write_bytes(b"y" * 24 + b"\n")
    assert load_key("TEST_PSEUDONYM_KEY", path) == b"y" * 24


def test_a_missing_or_short_key_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.delenv("TEST_PSEUDONYM_KEY", raising=False)
    with pytest.raises(SpecError, match="set the environment variable TEST_PSEUDONYM_KEY"):
        load_key("TEST_PSEUDONYM_KEY")
    monkeypatch.setenv("TEST_PSEUDONYM_KEY", "short")
    with pytest.raises(SpecError, match="is 5 bytes; use at least 16") as error:
        load_key("TEST_PSEUDONYM_KEY")
    assert "short" not in str(error.value).replace("shorter", "")
    with pytest.raises(SpecError, match="key file cannot be read"):
        load_key(key_file=tmp_path / "absent")
