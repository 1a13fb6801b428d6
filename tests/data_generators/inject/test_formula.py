"""The formula evaluator computes arithmetic over columns and refuses everything else."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import expit

from calmops.data_generators.inject.formula import FUNCTIONS, Formula
from calmops.errors import SpecError

X0 = np.array([-2.0, -0.5, 0.0, 1.0, 3.0])
X1 = np.array([1.0, 2.0, -1.0, 0.5, 0.0])
COLUMNS = {"x0": X0, "x1": X1}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2*x0 - 0.5*x1**2", 2 * X0 - 0.5 * X1**2),
        ("-x0 + +x1", -X0 + X1),
        ("x0 / 2 // 1 % 3", X0 / 2 // 1 % 3),
        ("exp(x0) + log(abs(x1) + 1) + sqrt(abs(x0))", None),
        (
            "sin(pi * x0) + cos(x1) + tanh(x0 * e)",
            np.sin(np.pi * X0) + np.cos(X1) + np.tanh(X0 * np.e),
        ),  # noqa: E501
        ("sigmoid(x0 + x1)", expit(X0 + X1)),
        ("clip(x0, -1, 1)", np.clip(X0, -1, 1)),
        ("where(x0 > 0, x1, -x1)", np.where(X0 > 0, X1, -X1)),
        ("sigmoid(x0 + x1) > 0.5", expit(X0 + X1) > 0.5),
        ("-1 < x0 <= 1", (X0 > -1) & (X0 <= 1)),
        ("x0 > 0 and not x1 > 0 or x0 == -2", ((X0 > 0) & ~(X1 > 0)) | (X0 == -2)),
        ("3", np.full(5, 3.0)),
    ],
)
def test_known_formulas(text, expected):
    if expected is None:
        expected = np.exp(X0) + np.log(abs(X1) + 1) + np.sqrt(abs(X0))
    assert np.array_equal(Formula.parse(text).evaluate(COLUMNS), expected)


def test_columns_and_noise_are_found():
    f = Formula.parse("2*x1 - where(x0 > 0, x0, 0) + noise * pi")
    assert f.columns == ("x0", "x1") and f.uses_noise
    noise = np.arange(5.0)
    assert np.array_equal(
        f.evaluate(COLUMNS, noise=noise), 2 * X1 - np.maximum(X0, 0) + noise * np.pi
    )


def test_huge_powers_overflow_instead_of_hanging():
    assert np.isinf(Formula.parse("10 ** 10 ** 10").evaluate({}, noise=np.zeros(2))).all()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("__import__('os')", "calling '__import__' is not allowed"),
        ("__import__('os').system('echo hi')", "calling anything but a function name"),
        ("x0.__class__", r"attribute access \(a.b\) is not allowed"),
        ("(1).real", "attribute access"),
        ("open('f')", "calling 'open' is not allowed"),
        ("eval('1')", "calling 'eval' is not allowed"),
        ("x0[0]", "indexing"),
        ("'text'", "the constant 'text' is not allowed"),
        ("True", "the constant True"),
        ("lambda: 1", "lambda is not allowed"),
        ("x0 if x1 else 0", "use where"),
        ("exp(x=1)", "keyword or starred arguments"),
        ("exp(*x0)", "keyword or starred arguments"),
        ("__builtins__", "the name '__builtins__'"),
        ("[x0 for x0 in x1]", "'ListComp' is not allowed"),
        ("(y := 1)", "assignment"),
        ("x0 +", "is not valid"),
        ("x0; x1", "is not valid"),
        ("", "must be a text"),
        ("x0 +" * 1000, "the limit is 2000"),
    ],
)
def test_unsafe_or_broken_formulas_are_refused(text, message):
    with pytest.raises(SpecError, match=message):
        Formula.parse(text)


def test_unknown_names_are_refused_with_the_choices():
    f = Formula.parse("x0 + foo")
    with pytest.raises(
        SpecError, match="unknown name 'foo'; the columns are x0, x1, the functions"
    ):
        f.evaluate(COLUMNS)


def test_every_function_is_numpy_like():
    assert set(FUNCTIONS) == {
        "exp", "log", "sqrt", "sin", "cos", "tanh", "abs", "sigmoid", "clip", "where"
    }  # fmt: skip
