"""Stationary points of separable surfaces L(x, y) = A(x) * B(y) or A(x) + B(y).

The roots of A' and B' are bracketed on a fine grid and polished with ``scipy.optimize.brentq``;
each point is classified by the surface's exact Hessian (only the signs of its diagonal matter).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy.optimize import brentq

Fn = Callable[[np.ndarray], np.ndarray]


def critical_points_1d(derivative: Fn, lo: float, hi: float, samples: int = 20001) -> np.ndarray:
    """All roots of ``derivative`` in [lo, hi] where it changes sign."""
    xs = np.linspace(lo, hi, samples)
    ds = derivative(xs)
    roots = [xs[i] for i in np.flatnonzero(ds == 0.0)]
    for i in np.flatnonzero(np.sign(ds[:-1]) * np.sign(ds[1:]) < 0):
        roots.append(brentq(lambda t: float(derivative(np.float64(t))), xs[i], xs[i + 1], xtol=1e-14))
    return np.unique(np.round(np.asarray(roots, dtype=float), 12))


def classify(da: Fn, db: Fn, hessian, domain) -> tuple[list, list]:
    """Minima and saddles of a separable surface, A(x) B(y) or A(x) + B(y), among the points
    with A'(x) = B'(y) = 0, by its exact ``hessian(x, y) -> (Lxx, Lxy, Lyy)``.

    There the Hessian is diagonal (diag(A'' B, A B'') for the product, diag(A'', B'') for the sum):
    positive definite means a minimum, mixed signs a saddle.
    """
    (x0, x1), (y0, y1) = domain
    xs, ys = critical_points_1d(da, x0, x1), critical_points_1d(db, y0, y1)
    minima, saddles = [], []
    for x in xs:
        for y in ys:
            hxx, _, hyy = hessian(np.float64(x), np.float64(y))
            if hxx > 0 and hyy > 0:
                minima.append((float(x), float(y)))
            elif hxx * hyy < 0:
                saddles.append((float(x), float(y)))
    return minima, saddles
