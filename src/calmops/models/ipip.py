"""``IPIPClassifier``: Identical Partitions for Imbalance Problems, an ensemble of balanced
ensembles for binary imbalanced classification (after "FILM", Guillén-Teruel et al. 2025).

The training rows are split into a growing part and held-out rows (``validation``,
stratified). From the minority count, :func:`~calmops.models.ipip_sizes.ipip_sizes` derives
``p`` partitions and at most ``b`` models per ensemble. Each partition draws minority and
majority rows with its own seed; its ensemble grows greedily: a candidate, fitted on a
balanced resample of the partition, joins only if it raises the ensemble's balanced accuracy
on the held-out rows; growth stops at ``b`` models or after ``max_attempts`` candidates in a
row that did not help. An ensemble's probability is the mean of its models', the model's the
mean of its ensembles'.

:meth:`IPIPClassifier.update` learns from a new block: it grows new ensembles on the block,
ranks old and new ensembles on held-out rows of that block (never on the rows it is scored
on next) and keeps the best ``p``. :meth:`IPIPClassifier.partial_fit` is scikit-learn's name
for the same: it fits on the first block and updates on the next ones.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import check_is_fitted, validate_data

from calmops.models.ipip_sizes import ipip_sizes

__all__ = ["IPIPClassifier"]


def _plain(value) -> str:
    """``value`` as a person reads it: numpy scalars as Python ones (``1``, not
    ``np.int64(1)``), strings quoted, lists element by element.

    >>> _plain(np.int64(1)), _plain("yes"), _plain([np.int64(0), np.float64(0.5)])
    ('1', "'yes'", '[0, 0.5]')
    """
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_plain(v) for v in value) + "]"
    if isinstance(value, np.generic):
        value = value.item()
    return repr(value)


def _balanced_accuracy(y: np.ndarray, pred: np.ndarray) -> float:
    return float(np.mean([np.mean(pred[y == label] == label) for label in np.unique(y)]))


class IPIPClassifier(ClassifierMixin, BaseEstimator):
    """IPIP ensemble of balanced ensembles for a binary, imbalanced target.

    Parameters
    ----------
    estimator
        Base model with ``predict_proba``, cloned for every member (default: a decision
        tree of depth 5).
    p, b
        Number of ensembles and largest ensemble size; None derives them from the minority
        count (see :mod:`calmops.models.ipip_sizes`).
    prop_majority
        Share of majority rows in each partition (0.55: 1.22 majority rows per minority row).
    prop_minority
        Minority rows drawn into each partition, as a share of the minority count.
    max_attempts
        Candidates in a row that may fail to improve an ensemble before it stops growing.
    validation
        Share of the rows held out (stratified) to grow and rank ensembles.
    confidence
        Probability that every minority row is used, behind the ``p`` and ``b`` formulas.
    random_state
        Seed; partitions, resamples and members each get their own seed from it.

    Attributes
    ----------
    classes_, minority_ : the two labels, and the rarer one (found from the data)
    ensembles_ : list of lists of fitted members
    p_, b_ : the sizes used by the last fit or update
    replaced_share_ : share of the kept ensembles that the last update added (1.0 after fit)

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> X, y = make_classification(600, weights=[0.95], random_state=0)
    >>> model = IPIPClassifier(random_state=0).fit(X, y)
    >>> print(model.p_, model.b_, len(model.ensembles_), model.minority_)
    6 5 6 1
    >>> model.predict_proba(X[:2]).shape
    (2, 2)

    Block by block, as scikit-learn's incremental estimators learn:

    >>> online = IPIPClassifier(random_state=0)
    >>> for block in range(3):
    ...     rows = slice(200 * block, 200 * (block + 1))
    ...     online = online.partial_fit(X[rows], y[rows], classes=[0, 1])
    >>> online.n_updates_, len(online.ensembles_) == online.p_
    (2, True)

    References
    ----------
    Guillén-Teruel, A. et al. "FILM: Framework for Imbalanced Learning Machines based on a
    new unbiased performance measure and a new ensemble-based technique", arXiv:2503.04370.
    """

    def __init__(
        self,
        estimator=None,
        *,
        p: int | None = None,
        b: int | None = None,
        prop_majority: float = 0.55,
        prop_minority: float = 0.75,
        max_attempts: int = 5,
        validation: float = 0.2,
        confidence: float = 0.99,
        random_state=None,
    ) -> None:
        self.estimator = estimator
        self.p = p
        self.b = b
        self.prop_majority = prop_majority
        self.prop_minority = prop_minority
        self.max_attempts = max_attempts
        self.validation = validation
        self.confidence = confidence
        self.random_state = random_state

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = False
        tags.classifier_tags.poor_score = True
        return tags

    # ---- learning --------------------------------------------------------------------

    def fit(self, X, y):
        """Grow ``p`` ensembles on ``X, y``; returns self."""
        self._check_params()
        X, y = validate_data(self, X, y)
        self.classes_, y = self._labels(y)
        self.seed_ = self._draw_seed()
        self.n_updates_ = 0
        grow, held = self._split(y, self._rng(0, 0))
        self.ensembles_ = self._grow(X, y, grow, held, update=0)
        self.replaced_share_ = 1.0
        return self

    def update(self, X, y):
        """Learn from a new block: add its ensembles, keep the best ``p`` on its held-out rows.

        The held-out rows come from this block only, so the next block it scores is unseen.
        """
        check_is_fitted(self)
        X, y = validate_data(self, X, y, reset=False)
        unknown = sorted(set(np.unique(y).tolist()) - set(self.classes_.tolist()))
        if unknown:
            raise ValueError(
                f"labels {_plain(unknown)} were not seen by fit "
                f"(classes: {_plain(self.classes_.tolist())})"
            )
        y = np.asarray(y)
        self._need_both_classes(y)
        self.n_updates_ += 1
        grow, held = self._split(y, self._rng(self.n_updates_, 0))
        new = self._grow(X, y, grow, held, update=self.n_updates_)
        pool = self.ensembles_ + new
        ranks = [_balanced_accuracy(y[held], self._predict_with(e, X[held])) for e in pool]
        order = np.argsort(-np.asarray(ranks), kind="stable")[: self.p_]
        kept = sorted(order.tolist())
        self.ensembles_ = [pool[i] for i in kept]
        self.replaced_share_ = sum(i >= len(pool) - len(new) for i in kept) / len(kept)
        return self

    def partial_fit(self, X, y, classes=None):
        """Learn from one more block: :meth:`fit` on the first call, :meth:`update` after.

        ``classes``: the two labels, as scikit-learn's incremental estimators take them; when
        given, every block's labels must be among them. Each block needs at least two rows of
        each class. Returns self.
        """
        if classes is not None:
            classes = np.unique(np.asarray(classes))
            if len(classes) != 2:
                raise ValueError(
                    f"IPIPClassifier needs exactly two classes, got {_plain(classes.tolist())}"
                )
            seen = getattr(self, "classes_", None)
            if seen is not None and not np.array_equal(seen, classes):
                raise ValueError(
                    f"classes={_plain(classes.tolist())} differ from the classes of the first "
                    f"call, {_plain(seen.tolist())}"
                )
            unknown = sorted(set(np.unique(np.asarray(y)).tolist()) - set(classes.tolist()))
            if unknown:
                raise ValueError(
                    f"labels {_plain(unknown)} are not among classes={_plain(classes.tolist())}"
                )
        if not hasattr(self, "ensembles_"):
            return self.fit(X, y)
        return self.update(X, y)

    def _grow(self, X, y, grow, held, update: int) -> list[list]:
        minority = grow[y[grow] == self.minority_]
        majority = grow[y[grow] != self.minority_]
        sizes = ipip_sizes(
            len(minority),
            prop_minority=self.prop_minority,
            prop_majority=self.prop_majority,
            confidence=self.confidence,
            p=self.p,
            b=self.b,
        )
        self.p_, self.b_ = sizes.p, sizes.b
        ensembles = []
        for k in range(sizes.p):
            rng = self._rng(update, k + 1)
            partition = np.concatenate(
                [
                    rng.choice(minority, sizes.minority_rows, replace=True),
                    rng.choice(
                        majority, sizes.majority_rows, replace=len(majority) < sizes.majority_rows
                    ),
                ]
            )
            ensembles.append(self._ensemble(X, y, partition, X[held], y[held], sizes, rng))
        return ensembles

    def _ensemble(self, X, y, partition, X_held, y_held, sizes, rng) -> list:
        """Grow one ensemble greedily on ``partition`` (a member must raise balanced accuracy)."""
        members: list = []
        total = np.zeros(len(y_held))
        best, failures = -1.0, 0
        minority = partition[y[partition] == self.minority_]
        majority = partition[y[partition] != self.minority_]
        while len(members) < sizes.b and failures < self.max_attempts:
            rows = np.concatenate(
                [
                    rng.choice(minority, sizes.minority_rows, replace=True),
                    rng.choice(majority, sizes.minority_rows, replace=True),
                ]
            )
            member = self._member(rng).fit(X[rows], y[rows])
            proba = self._minority_proba(member, X_held)
            score = _balanced_accuracy(y_held, self._label((total + proba) / (len(members) + 1)))
            if score > best:
                members.append(member)
                total += proba
                best, failures = score, 0
            else:
                failures += 1
        return members

    # ---- predicting ------------------------------------------------------------------

    def predict_proba(self, X):
        """Mean over the ensembles of each ensemble's mean member probability."""
        minority = self._proba(X)
        out = np.empty((len(minority), 2))
        column = int(np.flatnonzero(self.classes_ == self.minority_)[0])
        out[:, column], out[:, 1 - column] = minority, 1 - minority
        return out

    def predict(self, X):
        """The minority label where its probability is at least 0.5."""
        return self._label(self._proba(X))

    def _proba(self, X) -> np.ndarray:
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        return np.mean([self._ensemble_proba(e, X) for e in self.ensembles_], axis=0)

    def _predict_with(self, ensemble: list, X) -> np.ndarray:
        return self._label(self._ensemble_proba(ensemble, X))

    def _ensemble_proba(self, ensemble: list, X) -> np.ndarray:
        return np.mean([self._minority_proba(m, X) for m in ensemble], axis=0)

    def _minority_proba(self, member, X) -> np.ndarray:
        column = np.flatnonzero(member.classes_ == self.minority_)
        return member.predict_proba(X)[:, column[0]] if column.size else np.zeros(len(X))

    def _label(self, minority_proba: np.ndarray) -> np.ndarray:
        majority = self.classes_[self.classes_ != self.minority_][0]
        return np.where(minority_proba >= 0.5, self.minority_, majority)

    # ---- helpers ---------------------------------------------------------------------

    def _labels(self, y) -> tuple[np.ndarray, np.ndarray]:
        kind = type_of_target(y, input_name="y", raise_unknown=True)
        y = np.asarray(y)
        classes, counts = np.unique(y, return_counts=True)
        if kind != "binary" or len(classes) != 2:
            shown = f"{len(classes)} class(es) {_plain(classes.tolist()[:10])}"
            raise ValueError(
                f"Only binary classification is supported. The type of the target is {kind} "
                f"({shown}): IPIPClassifier needs exactly two labels; for more, use a "
                "multiclass estimator with the stream or block pipeline kinds"
            )
        self.minority_ = classes[int(np.argmin(counts))]
        self._need_both_classes(y)
        return classes, y

    def _need_both_classes(self, y: np.ndarray) -> None:
        for label in self.classes_ if hasattr(self, "classes_") else np.unique(y):
            if np.sum(y == label) < 2:
                raise ValueError(
                    f"IPIPClassifier needs at least 2 rows of each class; class {_plain(label)} "
                    f"has {int(np.sum(y == label))}"
                )

    def _split(self, y: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """Stratified: at least one held-out and one growing row of each class."""
        grow, held = [], []
        for label in self.classes_:
            rows = rng.permutation(np.flatnonzero(y == label))
            n_held = min(len(rows) - 1, max(1, round(len(rows) * self.validation)))
            held.append(rows[:n_held])
            grow.append(rows[n_held:])
        return np.sort(np.concatenate(grow)), np.sort(np.concatenate(held))

    def _draw_seed(self) -> int:
        state = self.random_state
        if isinstance(state, int | np.integer):
            return int(state)
        if isinstance(state, np.random.RandomState):
            return int(state.randint(2**31 - 1))
        return int(np.random.SeedSequence().entropy % (2**63))

    def _rng(self, update: int, stream: int) -> np.random.Generator:
        return np.random.default_rng(np.random.SeedSequence(self.seed_, spawn_key=(update, stream)))

    def _member(self, rng: np.random.Generator):
        from sklearn.tree import DecisionTreeClassifier

        base = self.estimator if self.estimator is not None else DecisionTreeClassifier(max_depth=5)
        member = clone(base)
        if "random_state" in member.get_params(deep=False):
            member.set_params(random_state=int(rng.integers(2**31 - 1)))
        return member

    def _check_params(self) -> None:
        base = self.estimator
        if base is not None and not hasattr(base, "predict_proba"):
            raise ValueError(
                f"IPIPClassifier needs a base estimator with predict_proba; "
                f"{type(base).__name__} has none"
            )
        for name in ("prop_majority", "prop_minority", "validation"):
            value = getattr(self, name)
            if not 0 < value < 1:
                raise ValueError(f"{name} must be between 0 and 1 (exclusive), got {_plain(value)}")
        if not 0 < self.confidence < 1:
            raise ValueError(f"confidence must be between 0 and 1, got {_plain(self.confidence)}")
        for name in ("p", "b", "max_attempts"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, int | np.integer) or value < 1):
                raise ValueError(f"{name} must be a positive integer, got {_plain(value)}")
