"""The endings-only loop's parts: which known target (a surface's minimum) a run is near, streamed.

A run of ``steps`` steps visits points 0..steps. Point k is *near* target t_m when
``hypot(x - t_m.x, y - t_m.y) <= tol`` (``math.hypot``, which equals ``numpy.hypot``: the comparisons
``explore.endings`` makes). The targets must lie more than 2 tol apart (``separated``), so a point is
near at most one, and then that one is the nearest. The loop keeps per run, in scalars,

    cand, (cx, cy)  the nearest target at the last look (-1: no targets)
    budget          how far the run may move before any other target can be within tol
    near, since     whether the last point is near ``cand``, and since which point it has been

At each new point it subtracts the step's length (|dx| + |dy|, at least the distance moved) from the
budget; once that is spent it looks again (``look``): a uniform grid over the targets (``target_grid``)
lists per cell the targets that may be near a point in it; the nearest of those is the new ``cand``,
and the budget is the distance to the second nearest less tol, or the cell's side if less. Then one
distance decides whether the point is near ``cand``. At the end, ``cand`` (when ``near``) is the
target nearest the last point within tol, and the run has stayed near it from point ``since`` on.
Most steps thus cost one squared distance (``squared_bounds`` leaves ``hypot`` to the rare case within
a few ulps of tol).
"""

from __future__ import annotations

import math

import numba
import numpy as np

MARGIN = 1e-9  # relative: beyond any rounding of the distances and of the summed path length
CELLS_PER_SIDE = 48  # the target grid's cells along its longer side, at most (each at least 2 tol wide)


def squared_bounds(tol: float) -> tuple[float, float]:
    """(inner, outer): dx² + dy² below ``inner`` is surely within ``tol`` (as ``hypot`` decides it) and
    above ``outer`` surely beyond; between them ``hypot`` decides. The margin dwarfs the few ulps by
    which the rounded sum of squares and ``hypot`` can differ; outside [1e-100, 1e100] (squares near
    under- or overflow) ``hypot`` decides always."""
    if not 1e-100 <= tol <= 1e100:
        return -1.0, np.inf
    return tol * tol * (1 - MARGIN), tol * tol * (1 + MARGIN)


def separated(targets: np.ndarray, tol: float) -> bool:
    """Whether every two targets lie more than 2 tol apart (with ``MARGIN``): no point is near two."""
    t = np.asarray(targets, dtype=float).reshape(-1, 2)
    if t.shape[0] < 2:
        return True
    d = np.hypot(t[:, None, 0] - t[None, :, 0], t[:, None, 1] - t[None, :, 1])
    np.fill_diagonal(d, np.inf)
    return bool(np.all(d > 2 * tol * (1 + MARGIN)))


@numba.njit(nogil=True, inline="always")
def is_near(dx, dy, tol, inner, outer):
    """hypot(dx, dy) <= tol, mostly without calling hypot."""
    d2 = dx * dx + dy * dy
    if d2 < inner:
        return True
    if d2 > outer:
        return False
    return math.hypot(dx, dy) <= tol


def target_grid(targets: np.ndarray, tol: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(grid, first, items): a uniform grid over the targets' box; ``grid`` is (x0, y0, side, 1/side, nx,
    ny), and cell (ix, iy) lists the targets whose tol-disc comes within one cell of it:
    ``items[first[iy * nx + ix] : first[iy * nx + ix + 1]]``. A point in a cell is thus at least one
    side away from the disc of every target its cell does not list."""
    targets = np.asarray(targets, dtype=float).reshape(-1, 2)
    if targets.shape[0] == 0:
        return np.array([0.0, 0.0, 1.0, 1.0, 1.0, 1.0]), np.zeros(2, dtype=np.int64), np.zeros(0, dtype=np.int64)
    reach = tol * (1 + MARGIN) + MARGIN * float(np.abs(targets).max())
    lo = targets.min(axis=0) - 2 * reach
    hi = targets.max(axis=0) + 2 * reach
    side = max(2 * reach, float((hi - lo).max()) / CELLS_PER_SIDE, 1e-300)
    nx, ny = (math.ceil((hi[d] - lo[d]) / side) + 1 for d in (0, 1))
    members: list[list[int]] = [[] for _ in range(nx * ny)]
    for m, (tx, ty) in enumerate(targets):
        ix0, ix1 = int((tx - reach - lo[0]) // side), int((tx + reach - lo[0]) // side)
        iy0, iy1 = int((ty - reach - lo[1]) // side), int((ty + reach - lo[1]) // side)
        for iy in range(max(iy0 - 1, 0), min(iy1 + 1, ny - 1) + 1):
            for ix in range(max(ix0 - 1, 0), min(ix1 + 1, nx - 1) + 1):
                members[iy * nx + ix].append(m)
    first = np.zeros(nx * ny + 1, dtype=np.int64)
    first[1:] = np.cumsum([len(c) for c in members])
    items = np.array([m for c in members for m in c], dtype=np.int64)
    return np.array([lo[0], lo[1], side, 1.0 / side, nx, ny], dtype=float), first, items


@numba.njit(nogil=True, cache=True)
def look(targets, tol, grid, first, items, x, y):
    """(cand, budget): the target nearest (x, y) among those its grid cell lists (-1: none), and how far
    the run may move before another target can be within tol of it (0: look again next step)."""
    x0, y0, side, per_side = grid[0], grid[1], grid[2], grid[3]
    nx, ny = int(grid[4]), int(grid[5])
    fx = (x - x0) * per_side
    fy = (y - y0) * per_side
    if not (fx >= 0.0 and fx < nx and fy >= 0.0 and fy < ny):  # outside the grid (or not finite)
        out = max(x0 - x, x - (x0 + nx * side), y0 - y, y - (y0 + ny * side))
        return -1, out * (1 - MARGIN) if out > 0.0 else 0.0
    c = int(fy) * nx + int(fx)
    best, second = -1, -1
    b2, s2 = np.inf, np.inf
    for p in range(first[c], first[c + 1]):
        m = items[p]
        dx = x - targets[m, 0]
        dy = y - targets[m, 1]
        d2 = dx * dx + dy * dy
        if d2 < b2:
            second, s2 = best, b2
            best, b2 = m, d2
        elif d2 < s2:
            second, s2 = m, d2
    budget = side * (1 - 1e-6)  # every target the cell does not list is a side away
    if second >= 0:
        ds = math.hypot(x - targets[second, 0], y - targets[second, 1])
        budget = min(budget, (ds - tol) * (1 - MARGIN) - MARGIN * (abs(x) + abs(y) + ds + tol))
    return best, budget
