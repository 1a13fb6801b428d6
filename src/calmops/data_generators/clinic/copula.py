"""The Gaussian copula: gene modules, demographic–omics links, and their changes over visits.

Every numeric column (age, custom demographics, genes, proteins) has one latent standard
normal. Modules set the correlation inside a group of columns; links set it between two
groups. Columns that no module or link touches stay independent, so the correlation matrix is
block diagonal: it is split into its connected components and only those are factored (a
dense ``d x d`` Cholesky is never needed unless every column is linked). A component that is
one module alone (every pair at the same ``r``) needs no factor at all: it is coloured with
a closed-form square root in O(m) per patient (:class:`Exchangeable`). A component whose
requested matrix is not positive semi-definite is replaced by the nearest correlation matrix
(Higham 2002) with a :class:`CorrelationRepairWarning`.

References
----------
Higham, N. J. (2002). Computing the nearest correlation matrix — a problem from finance.
IMA Journal of Numerical Analysis 22(3), 329–343.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

__all__ = [
    "Copula",
    "CorrelationRepairWarning",
    "Coupling",
    "build_copula",
    "nearest_correlation",
]


class CorrelationRepairWarning(UserWarning):
    """A requested correlation matrix was not valid and was replaced by the nearest one."""


@dataclass(frozen=True)
class Coupling:
    """Correlation ``value`` between every column of ``left`` and every one of ``right``.

    ``right is None`` means inside ``left`` (a module). Indices are latent dimensions.
    """

    left: np.ndarray
    right: np.ndarray | None
    value: float
    name: str


@dataclass(frozen=True)
class Component:
    """Columns that are correlated with each other, and the Cholesky factor per visit."""

    index: np.ndarray
    factors: tuple[np.ndarray | Exchangeable, ...]  # one per visit


@dataclass(frozen=True)
class Exchangeable:
    """A lone module: every pair at ``r``. Coloured in O(m) per patient, not O(m^2).

    ``z = sqrt(1 - r) w + a sum(w)`` with ``2 a sqrt(1 - r) + m a^2 = r`` is a symmetric
    square root of the matrix ``(1 - r) I + r 11'``, valid while ``r >= -1 / (m - 1)``.
    """

    r: float
    m: int

    def colour(self, w: np.ndarray) -> np.ndarray:
        keep = np.sqrt(1.0 - self.r)
        a = (np.sqrt(1.0 - self.r + self.m * self.r) - keep) / self.m
        out = w * np.float32(keep)
        out += np.float32(a) * w.sum(axis=0, dtype=np.float32)
        return out


@dataclass(frozen=True)
class Copula:
    """Colours independent normals into correlated latents, visit by visit."""

    dims: int
    components: tuple[Component, ...]

    def latent(self, innovations: np.ndarray, visit: int) -> np.ndarray:
        """Correlated latents (dims x n, float32) at ``visit`` (1-based) from iid normals.

        One row per dimension, so a component is a gather of whole rows.
        """
        out = innovations.copy()
        for component in self.components:
            factor = component.factors[visit - 1]
            block = innovations[component.index]
            if isinstance(factor, Exchangeable):
                out[component.index] = factor.colour(block)
            else:
                out[component.index] = factor @ block
        return out

    def same_at(self, visit: int) -> bool:
        """Whether every factor at ``visit`` is the one of the visit before."""
        return all(c.factors[visit - 1] is c.factors[visit - 2] for c in self.components)


def build_copula(dims: int, couplings_by_visit: list[list[Coupling]], names: list[str]) -> Copula:
    """The copula whose correlation at visit ``v`` is set by ``couplings_by_visit[v - 1]``.

    Examples
    --------
    >>> import numpy as np
    >>> module = Coupling(np.arange(3), None, 0.5, "m")
    >>> copula = build_copula(5, [[module]], [f"x{i}" for i in range(5)])
    >>> [c.index.tolist() for c in copula.components]
    [[0, 1, 2]]
    >>> z = copula.latent(np.random.default_rng(0).standard_normal((5, 20000)), 1)
    >>> r = np.corrcoef(z)
    >>> round(float(r[0, 1]), 1), round(float(r[3, 4]), 1)
    (0.5, 0.0)
    """
    members = [c for visit in couplings_by_visit for c in visit]
    labels = _components(dims, members)
    components = []
    for label in np.unique(labels[labels >= 0]):
        index = np.flatnonzero(labels == label)
        factors: list[np.ndarray | Exchangeable] = []
        previous: tuple[int, ...] | None = None
        for couplings in couplings_by_visit:
            mine = [c for c in couplings if labels[c.left[0]] == label]
            key = tuple(id(c) for c in mine)  # unchanged couplings are the same objects
            if key == previous:
                factors.append(factors[-1])
                continue
            previous = key
            m = index.size
            if len(mine) == 1 and mine[0].right is None and mine[0].value > -1.0 / (m - 1):
                factors.append(Exchangeable(float(mine[0].value), m))
                continue
            factors.append(_cholesky(_matrix(index, mine), [names[i] for i in index]))
        components.append(Component(index=index, factors=tuple(factors)))
    return Copula(dims=dims, components=tuple(components))


def _components(dims: int, couplings: list[Coupling]) -> np.ndarray:
    """Component label per dimension; -1 for dimensions no coupling touches."""
    rows, cols = [], []
    touched = np.zeros(dims, dtype=bool)
    for c in couplings:
        group = c.left if c.right is None else np.concatenate([c.left, c.right])
        touched[group] = True
        rows.append(group[:-1])
        cols.append(group[1:])
    if not couplings:
        return np.full(dims, -1)
    rows_a, cols_a = np.concatenate(rows), np.concatenate(cols)
    graph = coo_matrix((np.ones(rows_a.size), (rows_a, cols_a)), shape=(dims, dims))
    _, labels = connected_components(graph, directed=False)
    return np.where(touched, labels, -1)


def _matrix(index: np.ndarray, couplings: list[Coupling]) -> np.ndarray:
    """The requested correlation among ``index``; later couplings override earlier ones."""
    position = {int(d): i for i, d in enumerate(index)}
    matrix = np.eye(index.size)
    for c in couplings:
        left = np.array([position[int(d)] for d in c.left if int(d) in position], dtype=int)
        if left.size == 0:
            continue
        right = left if c.right is None else np.array([position[int(d)] for d in c.right])
        matrix[np.ix_(left, right)] = c.value
        matrix[np.ix_(right, left)] = c.value
    np.fill_diagonal(matrix, 1.0)
    return matrix


def _cholesky(matrix: np.ndarray, names: list[str]) -> np.ndarray:
    try:
        return np.linalg.cholesky(matrix).astype(np.float32)
    except np.linalg.LinAlgError:
        pass
    smallest = float(np.linalg.eigvalsh(matrix)[0])
    repaired = nearest_correlation(matrix)
    shown = ", ".join(names[:4]) + (", ..." if len(names) > 4 else "")
    warnings.warn(
        f"the requested correlation among {len(names)} columns ({shown}) is not positive "
        f"semi-definite (smallest eigenvalue {smallest:.3g}); using the nearest valid "
        f"correlation matrix instead (largest change {np.abs(repaired - matrix).max():.3f})",
        CorrelationRepairWarning,
        stacklevel=4,
    )
    return np.linalg.cholesky(repaired).astype(np.float32)


def nearest_correlation(
    matrix: np.ndarray, *, tol: float = 1e-7, max_iter: int = 100, floor: float = 1e-6
) -> np.ndarray:
    """The nearest (Frobenius) correlation matrix, positive definite (eigenvalues ≥ ``floor``).

    Higham's alternating projections with Dykstra's correction, then a small eigenvalue
    floor so the result can be factored.

    Examples
    --------
    >>> import numpy as np
    >>> bad = np.array([[1, .9, -.9], [.9, 1, .9], [-.9, .9, 1]])
    >>> fixed = nearest_correlation(bad)
    >>> bool(np.linalg.eigvalsh(fixed)[0] > 0), np.allclose(np.diag(fixed), 1)
    (True, True)
    """
    y = np.array(matrix, dtype=float)
    correction = np.zeros_like(y)
    for _ in range(max_iter):
        r = y - correction
        x = _psd_part(r, 0.0)
        correction = x - r
        previous = y
        y = x.copy()
        np.fill_diagonal(y, 1.0)
        if np.linalg.norm(y - previous) <= tol * np.linalg.norm(y):
            break
    y = _psd_part(y, floor)
    scale = 1.0 / np.sqrt(np.diag(y))
    y = y * scale[:, None] * scale[None, :]
    np.fill_diagonal(y, 1.0)
    return (y + y.T) / 2


def _psd_part(matrix: np.ndarray, floor: float) -> np.ndarray:
    values, vectors = np.linalg.eigh((matrix + matrix.T) / 2)
    return (vectors * np.maximum(values, floor)) @ vectors.T
