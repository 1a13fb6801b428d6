"""The longitudinal simulation: the same patients at every visit.

Each patient has one vector of iid normal innovations. At visit ``v`` the latent is
``s w + sqrt(1 - s^2) e_v`` (``s`` the spec's ``stability``, the correlation of a patient's
latent between visits; ``e_v`` fresh per visit)
coloured by the copula of that visit, then turned into values through the fixed marginals.
With ``stability: 1`` a patient's baseline values repeat exactly at every visit unless an
effect, a transition or a module change says otherwise. Effects follow the patient's group
at each visit. Rows are visit-major: row ``(v - 1) * patients + i`` is patient ``i`` at ``v``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from calmops.data_generators.clinic.config import CohortConfig, expand_columns
from calmops.data_generators.clinic.copula import Copula, Coupling, build_copula
from calmops.data_generators.clinic.demographics import demographic_values
from calmops.data_generators.clinic.effects import apply_effect
from calmops.data_generators.clinic.groups import Membership, assign_groups
from calmops.data_generators.clinic.omics import (
    Marginals,
    draw_marginals,
    gene_values,
    protein_values,
)
from calmops.data_generators.clinic.target import fit_target

__all__ = ["Simulation", "latent_names", "simulate"]


@dataclass(frozen=True)
class Simulation:
    """Everything drawn for a cohort, as arrays (rows visit-major)."""

    demographics: dict[str, np.ndarray]  # one value per patient
    membership: Membership
    omics: np.ndarray  # (genes + proteins) x (visits * patients), float32; counts are whole
    target: np.ndarray | None
    marginals: Marginals


def latent_names(config: CohortConfig) -> list[str]:
    """The copula's dimensions: numeric demographics, genes, proteins."""
    return ["age", *config.demographics.custom, *config.gene_columns, *config.protein_columns]


def simulate(config: CohortConfig, rng: np.random.Generator) -> Simulation:
    """Draw the whole cohort; ``rng`` is split into independent streams per concern."""
    params, innov, per_visit, sex, groups, noise = rng.spawn(6)
    names = latent_names(config)
    position = {name: i for i, name in enumerate(names)}
    copula = build_copula(len(names), couplings_by_visit(config, position), names)
    marginals = draw_marginals(config.genes, config.proteins, params)
    membership = assign_groups(config, groups)
    latents = _latents(config, copula, innov, per_visit, len(names))
    n_demo = 1 + len(config.demographics.custom)
    demographics = demographic_values(config.demographics, latents[0][:n_demo].T, sex)
    omics = _omics(config, latents, marginals, membership, n_demo, position)
    del latents
    target = _target(config, demographics, membership, omics, position, n_demo, noise)
    return Simulation(demographics, membership, omics, target, marginals)


def couplings_by_visit(config: CohortConfig, position: dict[str, int]) -> list[list[Coupling]]:
    """The modules and links in force at each visit (unchanged ones are the same objects)."""

    def index(columns: tuple[str, ...]) -> np.ndarray:
        return np.array([position[c] for c in expand_columns(columns)], dtype=np.int64)

    modules = {
        m.name: Coupling(index(m.columns), None, m.correlation, m.name) for m in config.modules
    }
    links = [
        Coupling(index(link.columns), index(link.with_), link.correlation, f"links[{i}]")
        for i, link in enumerate(config.links)
    ]
    out = []
    for visit in range(1, config.visits + 1):
        for change in config.module_changes:
            if change.visit == visit:
                old = modules[change.module]
                modules[change.module] = Coupling(old.left, None, change.correlation, old.name)
        out.append([*modules.values(), *links])
    return out


def _latents(
    config: CohortConfig,
    copula: Copula,
    innov: np.random.Generator,
    per_visit: np.random.Generator,
    dims: int,
) -> list[np.ndarray]:
    """One latent matrix (dims x patients) per visit; an unchanged visit shares the last."""
    w = innov.standard_normal((dims, config.patients), dtype=np.float32)
    s = config.stability
    latents: list[np.ndarray] = []
    for visit in range(1, config.visits + 1):
        if visit > 1 and s == 1.0 and copula.same_at(visit):
            latents.append(latents[-1])
            continue
        mixed = w
        if visit > 1 and s < 1.0:
            mixed = per_visit.standard_normal((dims, config.patients), dtype=np.float32)
            mixed *= np.float32(np.sqrt(1 - s * s))
            mixed += np.float32(s) * w
        latents.append(copula.latent(mixed, visit))
    return latents


def _omics(
    config: CohortConfig,
    latents: list[np.ndarray],
    marginals: Marginals,
    membership: Membership,
    n_demo: int,
    position: dict[str, int],
) -> np.ndarray:
    """Omics values (columns x rows, float32) at every visit, effects applied, counts whole."""
    n, n_genes = config.patients, config.genes.count
    unique = list({id(z): z for z in latents}.values())
    genes = gene_values([z[n_demo : n_demo + n_genes] for z in unique], marginals)
    proteins = protein_values([z[n_demo + n_genes :] for z in unique], marginals)
    which = [next(i for i, z in enumerate(unique) if z is latent) for latent in latents]
    columns = {
        name: np.array([position[c] - n_demo for c in expand_columns(e.columns)])
        for name, e in config.effects.items()
    }
    means = marginals.means.astype(np.float32)[:, None]
    out = np.empty((len(means), config.visits * n), dtype=np.float32)
    for visit in range(1, config.visits + 1):
        block = out[:, (visit - 1) * n : visit * n]
        block[:n_genes] = genes[which[visit - 1]]
        block[n_genes:] = proteins[which[visit - 1]]
        groups = membership.at(visit)
        for g, subgroup in enumerate(config.subgroups, start=1):
            rows = np.flatnonzero(groups == g)
            for name in subgroup.effects:
                effect = config.effects[name]
                if effect.from_visit <= visit:
                    apply_effect(block, columns[name], rows, effect, means)
    if config.genes.kind == "rnaseq" and n_genes:
        counts = out[:n_genes]
        np.rint(counts, out=counts)
        np.maximum(counts, 0, out=counts)
    return out


def _target(config, demographics, membership, omics, position, n_demo, rng):
    if config.target is None:
        return None
    n = config.patients

    def column_at(visit: int):
        rows = slice((visit - 1) * n, visit * n)

        def column(name: str) -> np.ndarray:
            if name == "disease":
                return (membership.at(visit) > 0).astype(float)
            if name in demographics:
                return demographics[name]
            return omics[position[name] - n_demo, rows]

        return column

    model = fit_target(config.target, column_at(1))
    return np.concatenate([model.score(column_at(v), rng, n) for v in range(1, config.visits + 1)])
