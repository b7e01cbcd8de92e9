"""The endings-only loop's parts: which known target (a surface's minimum) a point is near, streamed.

A run of ``steps`` steps visits points 0..steps. For targets t_0..t_{K-1} and a tolerance ``tol``,
point k is *near* t_m when ``hypot(x - t_m.x, y - t_m.y) <= tol`` (``math.hypot``, the same as
``numpy.hypot``, so the same comparisons as ``explore.endings``). The loop keeps, per target m,

    last_near[m]  the last point index near t_m (-2: none yet)
    run_start[m]  the first index of the unbroken stretch of near points that ends at last_near[m]

so that at the end, for the target j nearest to the last point, the run has stayed near t_j from
``run_start[j]`` on (when ``last_near[j] == steps``). A point may be near several targets; each is
tracked on its own, so nothing assumes the targets lie more than 2 tol apart.

To avoid testing all K targets every step (Rastrigin lists 121), a uniform grid over the targets'
box, with cells of side ``cell``, lists per cell the targets whose tol-disc may reach it
(conservatively: a slightly larger disc); a point outside the grid is near no target. Within a
cell, the squared distance settles most tests without a ``hypot`` call (``squared_bounds``).
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numba
import numpy as np

MAX_CELLS_PER_SIDE = 512


class NearIndex(NamedTuple):
    """Targets (K, 2), tolerance, grid origin (2,), cells per unit length (1 / the cell's side), cells
    per side, the CSR lists, and the squared-distance bounds (``squared_bounds``):
    the targets of cell (ix, iy) are ``items[first[iy * nx + ix] : first[iy * nx + ix + 1]]``."""

    targets: np.ndarray
    tol: float
    origin: np.ndarray
    per_unit: float
    nx: int
    ny: int
    first: np.ndarray
    items: np.ndarray
    inner: float
    outer: float


def near_index(targets: np.ndarray, tol: float) -> NearIndex:
    """The grid lookup for ``targets`` (K, 2) at ``tol`` (finite targets only; none: an empty grid)."""
    targets = np.ascontiguousarray(np.asarray(targets, dtype=float).reshape(-1, 2))
    finite = np.isfinite(targets).all(axis=1)
    if not finite.any() or not np.isfinite(tol) or tol < 0:
        empty = np.zeros(2, dtype=np.int64)
        return NearIndex(targets, float(tol), np.zeros(2), 1.0, 1, 1, empty, np.zeros(0, dtype=np.int64), -1.0, np.inf)
    pts = targets[finite]
    scale = max(float(np.abs(pts).max()), float(tol), 1.0)
    reach = float(tol) * (1 + 1e-9) + 1e-12 * scale  # beyond any rounding of the cell arithmetic
    lo = pts.min(axis=0) - 2 * reach
    hi = pts.max(axis=0) + 2 * reach
    cell = max(2 * reach, float((hi - lo).max()) / MAX_CELLS_PER_SIDE)
    nx, ny = (math.ceil((hi[d] - lo[d]) / cell) + 1 for d in (0, 1))
    members: list[list[int]] = [[] for _ in range(nx * ny)]
    for m in np.flatnonzero(finite):
        tx, ty = targets[m]
        ix0, ix1 = int((tx - reach - lo[0]) // cell), int((tx + reach - lo[0]) // cell)
        iy0, iy1 = int((ty - reach - lo[1]) // cell), int((ty + reach - lo[1]) // cell)
        for iy in range(max(iy0 - 1, 0), min(iy1 + 1, ny - 1) + 1):  # one cell of slack each side
            for ix in range(max(ix0 - 1, 0), min(ix1 + 1, nx - 1) + 1):
                members[iy * nx + ix].append(int(m))
    first = np.zeros(nx * ny + 1, dtype=np.int64)
    first[1:] = np.cumsum([len(c) for c in members])
    items = np.array([m for c in members for m in c], dtype=np.int64)
    inner, outer = squared_bounds(float(tol))
    return NearIndex(targets, float(tol), lo.astype(float), 1.0 / cell, nx, ny, first, items, inner, outer)


def squared_bounds(tol: float) -> tuple[float, float]:
    """(inner, outer): dx² + dy² below ``inner`` is surely within ``tol`` (as ``hypot`` decides it) and
    above ``outer`` surely beyond; between them ``hypot`` decides. The margin (1e-9 relative) dwarfs
    the few ulps by which the rounded sum of squares and ``hypot`` can differ; outside [1e-100, 1e100]
    (squares near under- or overflow) ``hypot`` decides always."""
    if not 1e-100 <= tol <= 1e100:
        return -1.0, np.inf
    return tol * tol * (1 - 1e-9), tol * tol * (1 + 1e-9)


@numba.njit(nogil=True, inline="always")
def _cell(index, x, y):
    """The flat cell of (x, y), or -1 outside the grid (or not finite)."""
    origin = index[2]
    per_unit = index[3]
    nx = index[4]
    ny = index[5]
    fx = (x - origin[0]) * per_unit
    fy = (y - origin[1]) * per_unit
    if not (fx >= 0.0 and fx < nx and fy >= 0.0 and fy < ny):
        return -1
    return int(fy) * nx + int(fx)


@numba.njit(nogil=True, inline="always")
def track(index, x, y, k, last_near, run_start):
    """Record point k = (x, y): for every target it is near, extend or begin its stretch."""
    c = _cell(index, x, y)
    if c < 0:
        return
    targets = index[0]
    tol = index[1]
    first = index[6]
    items = index[7]
    inner = index[8]
    outer = index[9]
    for p in range(first[c], first[c + 1]):
        m = items[p]
        dx = x - targets[m, 0]
        dy = y - targets[m, 1]
        d2 = dx * dx + dy * dy
        if d2 > outer:  # surely beyond tol (a few ulps of margin): no hypot call
            continue
        if d2 < inner or math.hypot(dx, dy) <= tol:
            if last_near[m] != k - 1:
                run_start[m] = k
            last_near[m] = k


@numba.njit(nogil=True, inline="always")
def rest(index, x, y, k, steps, last_near):
    """The run rests at point k = (x, y) (already tracked) for every later point up to ``steps``."""
    c = _cell(index, x, y)
    if c < 0:
        return
    first = index[6]
    items = index[7]
    for p in range(first[c], first[c + 1]):
        m = items[p]
        if last_near[m] == k:
            last_near[m] = steps


@numba.njit(nogil=True, inline="always")
def nearest(index, x, y, steps, last_near, run_start):
    """(j, settled): the nearest target within tol of the last point (x, y) (the lowest index on a tie,
    as ``numpy.argmin``) and the first point from which the run stayed near it; (-1, -1) when none."""
    c = _cell(index, x, y)
    if c < 0:
        return -1, -1
    targets = index[0]
    tol = index[1]
    first = index[6]
    items = index[7]
    best = -1
    best_d = np.inf
    for p in range(first[c], first[c + 1]):
        m = items[p]
        d = math.hypot(x - targets[m, 0], y - targets[m, 1])
        if d < best_d or (d == best_d and m < best):
            best = m
            best_d = d
    if best < 0 or not best_d <= tol or last_near[best] != steps:
        return -1, -1
    return best, run_start[best]
