"""Gi*'s conditional permutation inference, draw for draw as esda's.

:func:`analysis.hotspots.hot_spots` uses it with ``inference="permutation"``; the tests
hold its pseudo p-values equal to ``esda.G_Local(..., star=True, permutations=k,
seed=s).p_sim`` on the same weights and seed.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

DEFAULT_PERMUTATIONS = 999
DEFAULT_SEED = 12345
"""A fixed default seed: the same selection gives the same hot spots on every run."""


def permutation_p_values(
    values: np.ndarray,
    neighbours: sparse.spmatrix,
    *,
    permutations: int = DEFAULT_PERMUTATIONS,
    seed: int = DEFAULT_SEED,
) -> tuple[np.ndarray, np.ndarray]:
    """Pseudo p-values of Gi* by conditional randomisation, and the side of each cell.

    Each cell keeps its own value while ``permutations`` random draws of the other cells
    stand in for its neighbours; the pseudo p-value is esda's "directed" one
    (``(min(larger, permutations - larger) + 1) / (permutations + 1)``, ``larger`` the
    draws whose local sum reaches the observed one), which is what
    ``esda.G_Local(y, w, transform="B", star=True, permutations=permutations, seed=seed)
    .p_sim`` returns. The draws are esda's own, reproduced: ``esda.crand.vec_permutations``
    seeds NumPy's legacy generator with ``seed`` and draws, per permutation, ``max_card``
    indices without replacement among the ``n - 1`` other cells (``np.random.choice(n - 1,
    max_card, replace=False)``); a cell with ``k`` neighbours takes the first ``k`` of each
    draw, index ``j`` meaning the ``j``-th cell once the cell itself is left out. (esda runs
    that with numba when numba is installed, whose generator differs from NumPy's; it is
    not installed here, so esda's draws are NumPy's.) Cells without neighbours get esda's
    island treatment (every draw sums to 0). Vectorised over cells of equal neighbour count.

    Returns
    -------
    p_sim, side
        The directed pseudo p-value of each cell and +1 where the observed sum lies in the
        upper tail of the draws (hot), -1 in the lower tail (cold).
    """
    y = np.asarray(values, dtype=float)
    n = len(y)
    if n < 2 or permutations < 1:
        return np.full(n, np.nan), np.zeros(n)
    adjacency = sparse.csr_matrix(neighbours, dtype=float)
    adjacency.setdiag(0)
    adjacency.eliminate_zeros()
    adjacency.data[:] = 1.0
    cardinality = np.diff(adjacency.indptr)
    observed = adjacency @ y  # the neighbours' sum; the cell's own value is in both sides
    max_card = int(cardinality.max()) if n else 0
    generator = np.random.RandomState(seed)
    draws = np.empty((permutations, max(max_card, 1)), dtype=np.int64)
    for k in range(permutations):  # esda's loop: one draw per permutation, in this order
        draws[k, :max_card] = generator.choice(n - 1, size=max_card, replace=False)
    larger = np.zeros(n, dtype=np.int64)
    for k_card in np.unique(cardinality):
        cells = np.flatnonzero(cardinality == k_card)
        if k_card == 0:
            # esda's islands: the self-weight is dropped too, every draw is 0.
            larger[cells] = np.where(y[cells] <= 0, permutations, 0)
            continue
        picked = draws[:, :k_card]
        chunk = max(1, 4_000_000 // (permutations * int(k_card)))
        for start in range(0, len(cells), chunk):
            some = cells[start : start + chunk]
            index = picked[None, :, :] + (picked[None, :, :] >= some[:, None, None])
            sums = y[index].sum(axis=2)
            # esda compares (sum + y_i) / total with the observed (W y)_i / total: the
            # same division on both sides, so comparing the sums decides alike.
            larger[some] = (sums + y[some, None] >= observed[some, None] + y[some, None]).sum(
                axis=1
            )
    low = (permutations - larger) < larger
    side = np.where(low, -1.0, 1.0)
    folded = np.where(low, permutations - larger, larger)
    return (folded + 1.0) / (permutations + 1.0), side
