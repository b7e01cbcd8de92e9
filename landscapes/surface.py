"""The Surface record: a 2-D loss landscape as plain data plus two functions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

Array = np.ndarray
ValueFn = Callable[[Array, Array], Array]
GradientFn = Callable[[Array, Array], tuple[Array, Array]]
HessianFn = Callable[[Array, Array], tuple[Array, Array, Array]]  # (Lxx, Lxy, Lyy)


def distance(a, b) -> Array:
    """|a - b| for points (..., 2), broadcast against each other (``np.hypot``); NaN where one is not finite."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    with np.errstate(invalid="ignore"):
        return np.hypot(a[..., 0] - b[..., 0], a[..., 1] - b[..., 1])


def distances(points, targets) -> Array:
    """|p - q| for every point p of ``points`` (..., 2) and every target q of ``targets`` (k, 2):
    shape (..., k)."""
    return distance(np.asarray(points, dtype=float)[..., None, :], np.asarray(targets, dtype=float).reshape(-1, 2))


@dataclass(frozen=True)
class RoughLayer:
    """``amplitude * S(clip(x), clip(y))``: a bicubic spline S (knots ``tx``, ``ty``, coefficients
    ``coef`` of shape (nx, ny)) held flat outside ``box = (x0, x1, y0, y1)``."""

    tx: Array
    ty: Array
    coef: Array
    box: Array
    amplitude: float


@dataclass(frozen=True)
class Surface:
    """A loss surface L(x, y) with its exact gradient and Hessian.

    ``value(x, y)``, ``gradient(x, y) -> (dL/dx, dL/dy)`` and ``hessian(x, y) -> (d2L/dx2,
    d2L/dxdy, d2L/dy2)`` are vectorised over numpy arrays of any (equal or broadcastable) shape,
    in float64.

    ``kernel_value`` / ``kernel_gradient`` are the clean surface's functions as module-level
    functions (importable by name, written so that numba compiles them for scalars); the
    optimizer engine compiles its loop with them (``None``: it runs its vectorised numpy loop).
    ``kernel_function`` (own formulas) is instead one numba C function ``fn(x, y, which)`` giving L,
    dL/dx or dL/dy (which 0, 1, 2), passed to a loop compiled once per rule for any such function.
    ``layer`` is the rough layer as plain data
    (``value`` and ``gradient`` already include it; the compiled loop adds it itself).
    """

    name: str
    label: str
    description: str
    domain: tuple[tuple[float, float], tuple[float, float]]
    start: tuple[float, float]
    minima: tuple[tuple[float, float], ...]
    value: ValueFn
    gradient: GradientFn
    saddles: tuple[tuple[float, float], ...] = ()
    roughness: float = 0.0
    seed: int = 0
    hessian: HessianFn | None = field(default=None, repr=False, compare=False)
    kernel_value: Callable | None = field(default=None, repr=False, compare=False)
    kernel_gradient: Callable | None = field(default=None, repr=False, compare=False)
    kernel_function: Callable | None = field(default=None, repr=False, compare=False)
    layer: RoughLayer | None = field(default=None, repr=False, compare=False)

    def span(self) -> float:
        """The larger side of the domain (the view's scale, for tolerances and arrow lengths)."""
        (x0, x1), (y0, y1) = self.domain
        return float(max(x1 - x0, y1 - y0))

    def hessian_matrix(self, x, y) -> Array:
        """The Hessian at (x, y) as an array of shape (..., 2, 2) (NaN where it is not known)."""
        x, y = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
        if self.hessian is None:
            return np.full((*x.shape, 2, 2), np.nan)
        hxx, hxy, hyy = (np.broadcast_to(np.asarray(h, dtype=float), x.shape) for h in self.hessian(x, y))
        return np.stack([np.stack([hxx, hxy], -1), np.stack([hxy, hyy], -1)], -2)

    def minima_array(self) -> Array:
        """Known minima as an array of shape (k, 2) (k may be 0)."""
        return np.asarray(self.minima, dtype=float).reshape(-1, 2)

    def saddles_array(self) -> Array:
        """Known saddle points as an array of shape (k, 2) (k may be 0)."""
        return np.asarray(self.saddles, dtype=float).reshape(-1, 2)

    def nearest_minimum(self, points) -> tuple[Array, Array]:
        """For ``points`` (..., 2): the index of the nearest known minimum and the distance to it,
        each of shape (...); index -1 and distance inf where there is none (no minima, or a point
        that is not finite)."""
        d = distances(points, self.minima_array())
        d = np.where(np.isfinite(d), d, np.inf)
        if d.shape[-1] == 0:
            return np.full(d.shape[:-1], -1), np.full(d.shape[:-1], np.inf)
        j = np.argmin(d, axis=-1)
        dist = np.take_along_axis(d, j[..., None], axis=-1)[..., 0]
        return np.where(np.isfinite(dist), j, -1), dist

    def inside(self, points) -> Array:
        """Whether each point of ``points`` (..., 2) lies in the domain, edges included (the view);
        False for a point that is not finite."""
        p = np.asarray(points, dtype=float)
        (x0, x1), (y0, y1) = self.domain
        with np.errstate(invalid="ignore"):
            return (p[..., 0] >= x0) & (p[..., 0] <= x1) & (p[..., 1] >= y0) & (p[..., 1] <= y1)

    def grid(self, resolution: int) -> tuple[Array, Array, Array]:
        """Sample the surface on a ``resolution`` x ``resolution`` grid over its domain.

        Returns ``(xs, ys, z)`` with ``z[j, i] = value(xs[i], ys[j])`` (Plotly's layout).
        """
        (x0, x1), (y0, y1) = self.domain
        xs = np.linspace(x0, x1, resolution)
        ys = np.linspace(y0, y1, resolution)
        xx, yy = np.meshgrid(xs, ys)
        return xs, ys, self.value(xx, yy)
