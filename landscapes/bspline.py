"""Bicubic B-spline value and exact gradient at one point, compiled for the engine's loop.

The rough layer is a ``scipy.interpolate.RectBivariateSpline`` (``landscapes.noise``); scipy
evaluates it fast over arrays but cannot be called from numba, and per-step calls from Python
cost ~20 µs each. This evaluates the same tensor-product spline from its ``tck``:

    S(x, y)    = sum_i sum_j c[i, j] N_i(x) N_j(y)
    dS/dx      = sum_i sum_j c[i, j] N_i'(x) N_j(y)        (and likewise dS/dy)
    N_i'(x)    = 3 (N_{i,2}(x) / (t[i+3] - t[i]) - N_{i+1,2}(x) / (t[i+4] - t[i+1]))

with the basis functions N from the Cox-de Boor recursion (The NURBS Book, algorithm A2.2).
Tests check it against scipy's ``ev`` to rounding error.
"""

from __future__ import annotations

import numba
import numpy as np


@numba.njit(cache=True)
def _span(t: np.ndarray, x: float) -> int:
    """The knot span l with t[l] <= x < t[l+1], for a clamped cubic knot vector (x inside it)."""
    n = t.shape[0] - 4  # number of coefficients
    if x >= t[n]:
        return n - 1
    lo, hi = 3, n
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if x < t[mid]:
            hi = mid
        else:
            lo = mid
    return lo


@numba.njit(cache=True)
def _basis(t: np.ndarray, span: int, x: float):
    """The four cubic basis values N_{span-3..span}(x) and their derivatives."""
    left = np.empty(4)
    right = np.empty(4)
    n = np.zeros(4)
    n[0] = 1.0
    quadratic = np.zeros(3)
    for j in range(1, 4):
        left[j] = x - t[span + 1 - j]
        right[j] = t[span + j] - x
        saved = 0.0
        for r in range(j):
            temp = n[r] / (right[r + 1] + left[j - r])
            n[r] = saved + right[r + 1] * temp
            saved = left[j - r] * temp
        n[j] = saved
        if j == 2:
            quadratic[:] = n[:3]  # N_{span-2..span, 2}
    d = np.zeros(4)
    for k in range(4):
        i = span - 3 + k
        a = quadratic[k - 1] if k >= 1 else 0.0  # N_{i, 2}
        b = quadratic[k] if k <= 2 else 0.0  # N_{i+1, 2}
        da = t[i + 3] - t[i]
        db = t[i + 4] - t[i + 1]
        d[k] = 3.0 * ((a / da if da > 0.0 else 0.0) - (b / db if db > 0.0 else 0.0))
    return n, d


@numba.njit(cache=True)
def bicubic(tx: np.ndarray, ty: np.ndarray, c: np.ndarray, x: float, y: float):
    """(S, dS/dx, dS/dy) of the spline with knots ``tx``, ``ty`` and coefficients ``c`` (nx, ny)."""
    lx = _span(tx, x)
    ly = _span(ty, y)
    nx, dx = _basis(tx, lx, x)
    ny, dy = _basis(ty, ly, y)
    s = 0.0
    sx = 0.0
    sy = 0.0
    for a in range(4):
        for b in range(4):
            coef = c[lx - 3 + a, ly - 3 + b]
            s += coef * nx[a] * ny[b]
            sx += coef * dx[a] * ny[b]
            sy += coef * nx[a] * dy[b]
    return s, sx, sy
