"""Agrawal: nine loan-applicant features and ten classification functions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from calmops.data_generators._checks import check_choice, check_probability
from calmops.data_generators.streams.base import Sample, alternate_classes

__all__ = ["Agrawal", "agrawal_label"]


def _between(x: np.ndarray, low: float, high: float) -> np.ndarray:
    return (low <= x) & (x <= high)


def _by_age(age: np.ndarray, young, middle, old) -> np.ndarray:
    return np.where(age < 40, young, np.where(age < 60, middle, old))


def agrawal_label(function: int, f: dict[str, np.ndarray]) -> np.ndarray:
    """Function ``function`` (0-9) of river's ``synth.Agrawal``, on whole arrays."""
    salary, commission, age, elevel = f["salary"], f["commission"], f["age"], f["elevel"]
    loan = f["loan"]
    if function == 0:
        out = (age < 40) | (age >= 60)
    elif function == 1:
        out = _by_age(
            age,
            _between(salary, 50000, 100000),
            _between(salary, 75000, 125000),
            _between(salary, 25000, 75000),
        )
    elif function in (2, 3):
        young, middle, old = elevel <= 1, (elevel >= 1) & (elevel <= 3), elevel >= 2
        if function == 2:
            out = _by_age(age, young, middle, old)
        else:
            low, mid, high = (
                _between(salary, 25000, 75000),
                _between(salary, 50000, 100000),
                _between(salary, 75000, 125000),
            )
            out = _by_age(
                age,
                np.where(young, low, mid),
                np.where(middle, mid, high),
                np.where(old, mid, low),
            )
    elif function == 4:  # river's definition, odd comparisons included
        out = _loan_rule(age, salary, loan)
    elif function == 5:
        total = salary + commission
        out = _by_age(
            age,
            _between(total, 50000, 100000),
            _between(total, 75000, 125000),
            _between(total, 25000, 75000),
        )
    else:
        out = ~(_disposable(function, f) > 1)
    return np.asarray(out, dtype=np.int64)


def _loan_rule(age: np.ndarray, salary: np.ndarray, loan: np.ndarray) -> np.ndarray:
    """Function 4: salary bands by age, then the loan (or a higher salary band)."""
    return _by_age(
        age,
        np.where(
            _between(salary, 50000, 100000),
            _between(loan, 100000, 300000),
            _between(salary, 200000, 400000),
        ),
        np.where(
            _between(salary, 75000, 125000),
            (salary >= 200000) & (loan <= 400000),
            _between(salary, 300000, 500000),
        ),
        np.where(
            _between(salary, 25000, 75000),
            _between(loan, 300000, 500000),
            _between(loan, 75000, 300000),
        ),
    )


def _disposable(function: int, f: dict[str, np.ndarray]) -> np.ndarray:
    """Functions 6-9: the disposable income each one computes (class 1 when at most 1)."""
    salary, commission, elevel = f["salary"], f["commission"], f["elevel"]
    loan, hvalue, hyears = f["loan"], f["hvalue"], f["hyears"]
    income = 2 * (salary + commission) / 3
    if function == 6:
        return income - loan / 5 - 20000
    if function == 7:
        return income - 5000 * elevel - 20000
    if function == 8:
        return income - 5000 * elevel - loan / 5 - 10000
    equity = np.where(hyears >= 20, hvalue * (hyears - 20) / 10, 0.0)
    return income - 5000 * elevel + equity / 5 - 10000


def _perturb(rng, value, low, high, p):
    return np.clip(value + (high - low) * (2 * rng.random(len(value)) - 1) * p, low, high)


@dataclass(frozen=True)
class Agrawal:
    """Agrawal loan concepts, as river's ``synth.Agrawal``.

    Features: ``salary`` U(20k, 150k); ``commission`` 0 when salary >= 75k, else U(10k, 85k);
    ``age`` 20-80; ``elevel`` 0-4; ``car`` 1-20; ``zipcode`` 0-8; ``hvalue``
    ``(8 - zipcode) * 100k * U(0.5, 1.5)``; ``hyears`` 1-30; ``loan`` U(0, 500k).

    Parameters
    ----------
    classification_function
        Which of the ten labelling functions (0-9) gives the label.
    balance_classes
        Alternate classes 1, 0, 1, ... as river does.
    perturbation
        Feature noise in [0, 1]: each numeric feature moves by up to this fraction of its
        range, after labelling (river's clipping of ``hvalue`` to a wrong range is not kept).

    Examples
    --------
    >>> import numpy as np
    >>> s = Agrawal(classification_function=2).sample(5, np.random.default_rng(0))
    >>> s.features["age"].tolist(), s.target.tolist()
    ([60, 52, 59, 35, 57], [1, 1, 1, 0, 0])

    References
    ----------
    Agrawal, R., Imielinski, T. and Swami, A. "Database mining: a performance perspective",
    IEEE TKDE 5(6), 1993.
    """

    classification_function: int = 0
    balance_classes: bool = False
    perturbation: float = 0.0

    name: ClassVar[str] = "agrawal"
    task: ClassVar[str] = "binary"
    columns: ClassVar[tuple[str, ...]] = (
        "salary", "commission", "age", "elevel", "car", "zipcode", "hvalue", "hyears", "loan",
    )  # fmt: skip

    def __post_init__(self) -> None:
        check_choice("classification_function", self.classification_function, range(10))
        check_probability("perturbation", self.perturbation)

    def label(self, features: dict[str, np.ndarray]) -> np.ndarray:
        """The label of ``classification_function`` (river's definition)."""
        return agrawal_label(self.classification_function, features)

    def _draw(self, n: int, rng: np.random.Generator) -> Sample:
        u = rng.random((4, n))
        salary = 20000 + 130000 * u[0]
        zipcode = rng.integers(0, 9, n)
        f = {
            "salary": salary,
            "commission": np.where(salary >= 75000, 0.0, 10000 + 75000 * u[1]),
            "age": rng.integers(20, 81, n),
            "elevel": rng.integers(0, 5, n),
            "car": rng.integers(1, 21, n),
            "zipcode": zipcode,
            "hvalue": (8 - zipcode) * 100000 * (0.5 + u[2]),
            "hyears": rng.integers(1, 31, n),
            "loan": 500000 * u[3],
        }
        return Sample(f, self.label(f))

    def sample(self, n: int, rng: np.random.Generator) -> Sample:
        """``n`` rows of this concept."""
        if self.balance_classes:
            s = alternate_classes(lambda m: self._draw(m, rng), n)
        else:
            s = self._draw(n, rng)
        if self.perturbation:
            f, p = dict(s.features), self.perturbation
            f["salary"] = _perturb(rng, f["salary"], 20000, 150000, p)
            paid = f["commission"] > 0
            f["commission"] = np.where(paid, _perturb(rng, f["commission"], 10000, 75000, p), 0.0)
            f["age"] = np.rint(_perturb(rng, f["age"], 20, 80, p)).astype(np.int64)
            base = (8 - f["zipcode"]) * 100000
            f["hvalue"] = _perturb(rng, f["hvalue"], 0.5 * base, 1.5 * base, p)
            f["hyears"] = np.rint(_perturb(rng, f["hyears"], 1, 30, p)).astype(np.int64)
            f["loan"] = _perturb(rng, f["loan"], 0, 500000, p)
            s = Sample(f, s.target)
        return s

    def next_concept(self) -> dict[str, int]:
        """The parameters of a natural drifted concept: the next function."""
        return {"classification_function": (self.classification_function + 1) % 10}
