"""Stationary points of separable surfaces L(x, y) = A(x) * B(y) or A(x) + B(y).

The roots of A' and B' are bracketed on a fine grid and polished with ``scipy.optimize.brentq``;
second derivatives (only their signs matter) come from central differences of the exact first
derivative.
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


def _second(derivative: Fn, x: np.ndarray, h: float = 1e-5) -> np.ndarray:
    return (derivative(x + h) - derivative(x - h)) / (2.0 * h)


def classify_product(fa: Fn, da: Fn, fb: Fn, db: Fn, domain) -> tuple[list, list]:
    """Minima and saddles of A(x) B(y) among points with A'(x) = B'(y) = 0.

    There the Hessian is diag(A'' B, A B''): positive definite means a minimum, mixed signs a saddle.
    """
    (x0, x1), (y0, y1) = domain
    xs, ys = critical_points_1d(da, x0, x1), critical_points_1d(db, y0, y1)
    minima, saddles = [], []
    for x in xs:
        for y in ys:
            hxx = _second(da, x) * fb(y)
            hyy = fa(x) * _second(db, y)
            if hxx > 0 and hyy > 0:
                minima.append((float(x), float(y)))
            elif hxx * hyy < 0:
                saddles.append((float(x), float(y)))
    return minima, saddles


def classify_sum(da: Fn, db: Fn, domain) -> tuple[list, list]:
    """Minima and saddles of A(x) + B(y): the Hessian is diag(A'', B'')."""
    (x0, x1), (y0, y1) = domain
    xs, ys = critical_points_1d(da, x0, x1), critical_points_1d(db, y0, y1)
    minima, saddles = [], []
    for x in xs:
        for y in ys:
            hxx, hyy = _second(da, x), _second(db, y)
            if hxx > 0 and hyy > 0:
                minima.append((float(x), float(y)))
            elif hxx * hyy < 0:
                saddles.append((float(x), float(y)))
    return minima, saddles
