"""IPIPClassifier: scikit-learn conformance, imbalance, labels, updates and sizes.

scikit-learn's checks run in full. ``multi_class = False`` in the tags turns the multiclass
parts of the checks into ``check_classifier_not_supporting_multiclass`` (a multiclass target
must raise "Only binary classification is supported"). Sample-weight and class-weight checks
are not yielded because ``fit`` takes no ``sample_weight`` and there is no ``class_weight``
(the balance comes from the resampling). The array-API check skips itself unless
``SCIPY_ARRAY_API`` is set.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import balanced_accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils.estimator_checks import parametrize_with_checks

from calmops.models.ipip import IPIPClassifier
from calmops.models.ipip_sizes import ipip_sizes

# checks that fail for a reason we accept; none do today
EXPECTED_FAILED: dict[str, str] = {}


@parametrize_with_checks(
    [IPIPClassifier(random_state=0)], expected_failed_checks=lambda _: EXPECTED_FAILED
)
def test_scikit_learn_conformance(estimator, check) -> None:
    check(estimator)


def _imbalanced_hyperplane(n: int, seed: int) -> tuple[pd.DataFrame, pd.Series]:
    from calmops.data_generators import generate_stream

    data = generate_stream(
        "hyperplane",
        n,
        seed=seed,
        balance={0: 0.95, 1: 0.05},
        params={"n_features": 6, "noise_percentage": 0.05},
    ).data
    return data.drop(columns="target"), data["target"]


def _with_positive_share(X, y, share: float, seed: int):
    rng = np.random.default_rng(seed)
    positive, negative = np.flatnonzero(y == 1), np.flatnonzero(y == 0)
    keep = rng.choice(positive, round(share / (1 - share) * len(negative)), replace=False)
    rows = np.sort(np.concatenate([negative, keep]))
    return X[rows], y[rows]


def _score(model, X_train, y_train, X_test, y_test) -> float:
    return balanced_accuracy_score(y_test, model.fit(X_train, y_train).predict(X_test))


def test_beats_the_plain_base_model_on_a_generated_5_percent_minority() -> None:
    X, y = _imbalanced_hyperplane(3000, seed=3)
    assert y.mean() == pytest.approx(0.05)
    split = train_test_split(X, y, test_size=0.5, stratify=y, random_state=0)
    base = DecisionTreeClassifier(max_depth=5, random_state=0)
    plain = _score(base, *split[::2], *split[1::2])
    ipip = _score(IPIPClassifier(base, random_state=0), *split[::2], *split[1::2])
    assert ipip > plain + 0.05, (ipip, plain)


@pytest.mark.slow
def test_beats_the_plain_base_model_on_breast_cancer_reduced_to_5_percent() -> None:
    data = load_breast_cancer()
    malignant = 1 - data.target  # 1 = malignant, the class made rare
    plain, ipip = [], []
    for seed in range(3):
        X, y = _with_positive_share(data.data, malignant, 0.05, seed)
        X_train, X_test, y_train, y_test = train_test_split(
            X, y, test_size=0.4, stratify=y, random_state=seed
        )
        base = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
        plain.append(_score(base, X_train, y_train, X_test, y_test))
        model = IPIPClassifier(base, random_state=seed)
        ipip.append(_score(model, X_train, y_train, X_test, y_test))
    assert np.mean(ipip) > np.mean(plain) + 0.05, (ipip, plain)


def test_string_labels_and_the_minority_is_found_from_the_data() -> None:
    X, y = _imbalanced_hyperplane(1000, seed=1)
    labels = np.where(y == 1, "alive", "dead")  # the rare label sorts first
    model = IPIPClassifier(random_state=0).fit(X.to_numpy(), labels)
    assert model.minority_ == "alive"
    assert model.classes_.tolist() == ["alive", "dead"]
    proba = model.predict_proba(X.to_numpy()[:5])
    assert np.allclose(proba.sum(axis=1), 1)
    assert set(model.predict(X.to_numpy())) <= {"alive", "dead"}


def test_multiclass_is_a_clear_error_pointing_to_the_stream_kind() -> None:
    X = np.random.default_rng(0).normal(size=(30, 2))
    with pytest.raises(ValueError, match="Only binary classification.*stream or block"):
        IPIPClassifier().fit(X, np.arange(30) % 3)


def test_a_base_model_without_probabilities_is_refused() -> None:
    X, y = _imbalanced_hyperplane(400, seed=2)
    with pytest.raises(ValueError, match="predict_proba; LinearSVC has none"):
        IPIPClassifier(LinearSVC()).fit(X, y)


def test_sizes_follow_the_formula_and_can_be_fixed() -> None:
    X, y = _imbalanced_hyperplane(2500, seed=4)
    model = IPIPClassifier(random_state=0).fit(X, y)
    grown_minority = int(y.sum()) - round(int(y.sum()) * 0.2)
    expected = ipip_sizes(grown_minority)
    assert (model.p_, model.b_) == (expected.p, expected.b)
    assert len(model.ensembles_) == model.p_
    assert all(1 <= len(e) <= model.b_ for e in model.ensembles_)
    fixed = IPIPClassifier(p=3, b=2, random_state=0).fit(X, y)
    assert len(fixed.ensembles_) == 3 and all(len(e) <= 2 for e in fixed.ensembles_)


def test_same_seed_same_model_and_partitions_differ() -> None:
    X, y = _imbalanced_hyperplane(1000, seed=5)
    a = IPIPClassifier(random_state=7).fit(X, y).predict_proba(X)
    b = IPIPClassifier(random_state=7).fit(X, y).predict_proba(X)
    assert np.array_equal(a, b)
    model = IPIPClassifier(random_state=7).fit(X, y)
    firsts = [e[0].tree_.threshold[0] for e in model.ensembles_]
    assert len(set(firsts)) > 1  # each partition has its own seed (the original's were equal)


def test_update_adds_ensembles_and_keeps_the_best_p() -> None:
    X, y = _imbalanced_hyperplane(3000, seed=6)
    first, second = slice(0, 1500), slice(1500, 3000)
    model = IPIPClassifier(random_state=0).fit(X[first], y[first])
    before = list(model.ensembles_)
    model.update(X[second], y[second])
    assert model.n_updates_ == 1
    assert len(model.ensembles_) == model.p_
    kept_old = sum(any(e is old for old in before) for e in model.ensembles_)
    assert model.replaced_share_ == pytest.approx(1 - kept_old / len(model.ensembles_))


def test_update_follows_a_changed_concept() -> None:
    X, y = _imbalanced_hyperplane(3000, seed=8)
    flipped = 1 - X  # the same labels on mirrored inputs: the minority moves
    model = IPIPClassifier(random_state=0).fit(X[:1500], y[:1500])
    stale = balanced_accuracy_score(y[2000:], model.predict(flipped[2000:]))
    model.update(flipped[:2000], y[:2000])
    fresh = balanced_accuracy_score(y[2000:], model.predict(flipped[2000:]))
    assert fresh > stale + 0.1, (fresh, stale)
    assert model.replaced_share_ > 0.5


def test_update_refuses_a_block_without_both_classes_and_unseen_labels() -> None:
    X, y = _imbalanced_hyperplane(1000, seed=9)
    model = IPIPClassifier(random_state=0).fit(X, y)
    with pytest.raises(ValueError, match="at least 2 rows of each class"):
        model.update(X[y == 0], y[y == 0])
    with pytest.raises(ValueError, match="not seen by fit"):
        model.update(X, y.replace({1: 2}))


def test_partial_fit_fits_then_updates_like_fit_and_update() -> None:
    X, y = _imbalanced_hyperplane(3000, seed=6)
    first, second = slice(0, 1500), slice(1500, 3000)
    online = IPIPClassifier(random_state=0)
    assert online.partial_fit(X[first], y[first], classes=[0, 1]) is online
    online.partial_fit(X[second], y[second])
    batch = IPIPClassifier(random_state=0).fit(X[first], y[first]).update(X[second], y[second])
    assert online.n_updates_ == 1
    assert np.array_equal(online.predict_proba(X), batch.predict_proba(X))


def test_partial_fit_checks_the_classes_it_is_given() -> None:
    X, y = _imbalanced_hyperplane(1000, seed=9)
    with pytest.raises(ValueError, match=r"exactly two classes, got \[0, 1, 2\]"):
        IPIPClassifier().partial_fit(X, y, classes=np.array([0, 1, 2]))
    with pytest.raises(ValueError, match=r"labels \[1\] are not among classes=\[0, 3\]"):
        IPIPClassifier().partial_fit(X, y, classes=[0, 3])
    model = IPIPClassifier(random_state=0).partial_fit(X, y, classes=[0, 1])
    with pytest.raises(ValueError, match=r"classes=\[1, 2\] differ .* first call, \[0, 1\]"):
        model.partial_fit(X, y, classes=[1, 2])


def test_messages_print_plain_numbers_not_numpy_reprs() -> None:
    X, y = _imbalanced_hyperplane(1000, seed=9)
    X, y = X.to_numpy(), y.to_numpy().astype(np.int64)
    model = IPIPClassifier(random_state=0).fit(X, y)
    messages = []
    for call in (
        lambda: model.update(np.vstack([X[:3], X[:3]]), np.array([0, 0, 0, 0, 0, 1])),
        lambda: model.update(X, np.where(y == 1, np.int64(2), y)),
        lambda: IPIPClassifier(p=np.int64(0)).fit(X, y),
        lambda: IPIPClassifier(validation=np.float64(1.5)).fit(X, y),
    ):
        with pytest.raises(ValueError) as caught:
            call()
        messages.append(str(caught.value))
    assert not [m for m in messages if "np." in m or "int64" in m or "float64" in m], messages
    assert "class 1 has 1" in messages[0]
    assert "labels [2] were not seen by fit (classes: [0, 1])" in messages[1]
    assert messages[2].endswith("got 0") and messages[3].endswith("got 1.5")
