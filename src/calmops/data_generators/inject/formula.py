"""A safe arithmetic formula over columns: parsed with :mod:`ast`, never ``eval``-ed.

Allowed: numbers, column names, ``noise`` (a Gaussian draw per row), the constants ``pi``
and ``e``, ``+ - * / // % **``, comparisons (chained too), ``and``/``or``/``not``, and calls
of the functions in :data:`FUNCTIONS` with positional arguments. Everything else
(attributes, subscripts, strings, lambdas, keyword arguments, unknown functions or names)
is refused with a :class:`~calmops.errors.SpecError` before any row is touched.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.special import expit

from calmops.errors import SpecError

__all__ = ["FUNCTIONS", "Formula"]

NOISE = "noise"
MAX_LENGTH = 2000

FUNCTIONS: dict[str, Callable[..., Any]] = {
    "exp": np.exp,
    "log": np.log,
    "sqrt": np.sqrt,
    "sin": np.sin,
    "cos": np.cos,
    "tanh": np.tanh,
    "abs": np.abs,
    "sigmoid": expit,
    "clip": np.clip,
    "where": np.where,
}
"""The functions a formula may call, by name."""

CONSTANTS = {"pi": np.pi, "e": np.e}

_BINARY = {
    ast.Add: np.add,
    ast.Sub: np.subtract,
    ast.Mult: np.multiply,
    ast.Div: np.true_divide,
    ast.FloorDiv: np.floor_divide,
    ast.Mod: np.mod,
    ast.Pow: np.power,
}
_UNARY = {ast.USub: np.negative, ast.UAdd: np.positive, ast.Not: np.logical_not}
_COMPARE = {
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
}
_BOOL = {ast.And: np.logical_and, ast.Or: np.logical_or}
_ALLOWED = (
    ast.Expression, ast.BinOp, ast.UnaryOp, ast.Compare, ast.BoolOp, ast.Call, ast.Name,
    ast.Constant, ast.Load, *_BINARY, *_UNARY, *_COMPARE, *_BOOL,
)  # fmt: skip
_DESCRIBED = {
    ast.Attribute: "attribute access (a.b)",
    ast.Subscript: "indexing (a[b])",
    ast.Lambda: "lambda",
    ast.IfExp: "'x if c else y' (use where(c, x, y))",
    ast.NamedExpr: "assignment (:=)",
}


def _refuse(text: str, what: str) -> SpecError:
    return SpecError(
        f"formula {text!r}: {what} is not allowed; use numbers, column names, noise, "
        f"arithmetic, comparisons and {', '.join(FUNCTIONS)}"
    )


def _check(node: ast.AST, text: str) -> None:
    """Refuse any node outside the whitelist (before anything is evaluated)."""
    for child in ast.walk(node):
        if not isinstance(child, _ALLOWED):
            what = _DESCRIBED.get(type(child), f"'{type(child).__name__}'")
            raise _refuse(text, what)
        if isinstance(child, ast.Constant) and (
            isinstance(child.value, bool) or not isinstance(child.value, int | float)
        ):
            raise _refuse(text, f"the constant {child.value!r}")
        if isinstance(child, ast.Call):
            if not isinstance(child.func, ast.Name):
                raise _refuse(text, "calling anything but a function name (a.b(), f()())")
            if child.func.id not in FUNCTIONS:
                raise _refuse(text, f"calling '{child.func.id}'")
            if child.keywords or any(isinstance(a, ast.Starred) for a in child.args):
                raise _refuse(text, "keyword or starred arguments")
        if isinstance(child, ast.Name):
            if child.id.startswith("_"):
                raise _refuse(text, f"the name '{child.id}'")


@dataclass(frozen=True, eq=False)
class Formula:
    """A parsed, checked formula; ``columns`` are the column names it reads.

    Examples
    --------
    >>> import numpy as np
    >>> f = Formula.parse("2*x0 - 0.5*x1**2 + noise")
    >>> f.columns, f.uses_noise
    (('x0', 'x1'), True)
    >>> f.evaluate({"x0": np.array([1.0, 2.0]), "x1": np.array([2.0, 0.0])},
    ...            noise=np.zeros(2)).tolist()
    [0.0, 4.0]
    >>> Formula.parse("sigmoid(x0 + x1) > 0.5").evaluate(
    ...     {"x0": np.array([1.0, -3.0]), "x1": np.array([0.0, 1.0])}).tolist()
    [True, False]
    """

    text: str
    tree: ast.Expression
    columns: tuple[str, ...]
    uses_noise: bool

    @classmethod
    def parse(cls, text: Any) -> Formula:
        """Parse and check ``text``; SpecError says what is wrong and what is allowed."""
        if not isinstance(text, str) or not text.strip():
            raise SpecError(f"formula must be a text such as '2*x0 + noise', got {text!r}")
        if len(text) > MAX_LENGTH:
            raise SpecError(f"formula is {len(text)} characters long; the limit is {MAX_LENGTH}")
        try:
            tree = ast.parse(text.strip(), mode="eval")
        except SyntaxError as error:
            raise SpecError(f"formula {text!r} is not valid: {error.msg}") from None
        _check(tree, text)
        called = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call)}
        plain = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)} - called
        columns = sorted(plain - set(CONSTANTS) - {NOISE})
        return cls(text, tree, tuple(columns), NOISE in plain)

    def check_columns(self, available: Iterable[Any]) -> None:
        """SpecError if the formula reads a column that ``available`` does not hold."""
        have = [str(c) for c in available]
        missing = [c for c in self.columns if c not in have]
        if missing:
            raise SpecError(
                f"formula {self.text!r} reads unknown name '{missing[0]}'; the columns are "
                f"{', '.join(have)}, the functions {', '.join(FUNCTIONS)}, and noise, pi, e"
            )

    def evaluate(
        self, columns: Mapping[str, np.ndarray], noise: np.ndarray | None = None
    ) -> np.ndarray:
        """The formula's value per row, from ``columns`` (name -> values) and ``noise``."""
        self.check_columns(columns)
        env: dict[str, Any] = {**CONSTANTS, **{c: columns[c] for c in self.columns}}
        if self.uses_noise:
            if noise is None:
                raise SpecError(f"formula {self.text!r} uses noise, but no noise was drawn")
            env[NOISE] = noise
        n = (
            len(next(iter(columns.values())))
            if columns
            else (len(noise) if noise is not None else 1)
        )
        with np.errstate(all="ignore"):
            value = np.asarray(_evaluate(self.tree.body, env))
        return np.broadcast_to(value, (n,)).copy() if value.ndim == 0 else value


def _evaluate(node: ast.AST, env: dict[str, Any]) -> Any:
    """Evaluate a checked node with numpy (floats throughout, so ``10**10**10`` is inf)."""
    if isinstance(node, ast.Constant):
        return np.float64(node.value)
    if isinstance(node, ast.Name):
        return env[node.id]
    if isinstance(node, ast.BinOp):
        return _BINARY[type(node.op)](_evaluate(node.left, env), _evaluate(node.right, env))
    if isinstance(node, ast.UnaryOp):
        return _UNARY[type(node.op)](_evaluate(node.operand, env))
    if isinstance(node, ast.BoolOp):
        values = [_evaluate(v, env) for v in node.values]
        out = values[0]
        for value in values[1:]:
            out = _BOOL[type(node.op)](out, value)
        return out
    if isinstance(node, ast.Compare):
        left, out = _evaluate(node.left, env), True
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            right = _evaluate(right_node, env)
            out = np.logical_and(out, _COMPARE[type(op)](left, right))
            left = right
        return out
    if isinstance(node, ast.Call):
        return FUNCTIONS[node.func.id](*(_evaluate(a, env) for a in node.args))
    raise SpecError(f"cannot evaluate {type(node).__name__}")  # unreachable after _check
