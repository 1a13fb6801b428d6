"""The one Registry: keyed on each item's own name, errors with the choices and a hint."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from calmops.errors import RegistryError
from calmops.registry import Registry, unknown_name


@dataclass(frozen=True)
class Colour:
    name: str


class Red:
    name = "red"


def test_instances_and_classes_register_under_their_own_name() -> None:
    colours = Registry("colour", [Colour("blue")])
    assert colours.register(Red) is Red
    assert colours.get("red") is Red and colours.get("blue") == Colour("blue")
    assert colours.names() == ("blue", "red") and list(colours) == ["blue", "red"]
    assert "red" in colours and "green" not in colours and len(colours) == 2
    assert colours.items() == [("blue", Colour("blue")), ("red", Red)]
    assert colours.check("red") == "red"


def test_it_works_as_a_decorator() -> None:
    shapes: Registry[type] = Registry("shape")

    @shapes.register
    class Square:
        name = "square"

    assert shapes.get("square") is Square


def test_a_name_registers_once_and_must_exist() -> None:
    colours = Registry("colour", [Red])
    with pytest.raises(ValueError, match="colour 'red' is already registered"):
        colours.register(Red)
    with pytest.raises(TypeError, match="needs a non-empty string `name`"):
        colours.register(object())
    with pytest.raises(TypeError, match="needs a non-empty string `name`"):
        colours.register(Colour(""))


def test_an_unknown_name_lists_the_choices_and_the_closest() -> None:
    colours = Registry("colour", [Red, Colour("green"), Colour("blue")])
    with pytest.raises(RegistryError) as info:
        colours.get("gren")
    assert str(info.value) == (
        "no colour 'gren'; choose from blue, green, red; did you mean 'green'?"
    )
    with pytest.raises(RegistryError, match=r"^no colour 'purple'; choose from blue, green, red$"):
        colours.get("purple")
    with pytest.raises(RegistryError, match="no colour 3; choose from"):
        colours.get(3)  # type: ignore[arg-type]
    with pytest.raises(LookupError):  # RegistryError is also a LookupError
        colours.check("RED ")


def test_the_hint_ignores_case() -> None:
    assert unknown_name("drift test", "KS", ["ks", "psi"]).endswith("did you mean 'ks'?")
