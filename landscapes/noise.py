"""The noise layer: a seeded rough surface, as the seed notebook's ``x^2 + y^2 + 2*rand``.

A field of uniform random numbers in [0, 1) is drawn on a 100 x 100 grid over the surface's
domain (``numpy.random.default_rng(seed)``) and interpolated by an interpolating bicubic spline
(``scipy.interpolate.RectBivariateSpline``). The rough surface is

    L_rough(x, y) = L(x, y) + roughness * S(clip(x), clip(y)),

and its gradient adds ``roughness * dS/dx, roughness * dS/dy`` taken from the spline itself (its
Hessian likewise from its second derivatives, which are continuous: the spline is cubic).
Outside the domain the field is held at its boundary value (``clip``) and contributes no
gradient, so runs that leave the view do not meet an extrapolated polynomial.

The *noisy gradient* (Gaussian noise on each step's gradient) lives in the engine
(``optimizers.run(..., grad_noise=sigma, seed=...)``), since it belongs to a run, not a surface.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

import numpy as np
from scipy.interpolate import RectBivariateSpline

from landscapes.surface import RoughLayer, Surface

GRID = 100  # the seed notebook's ``size``


@lru_cache(maxsize=64)
def noise_spline(domain: tuple, seed: int) -> RectBivariateSpline:
    """The seeded random field over ``domain``, as a bicubic spline."""
    (x0, x1), (y0, y1) = domain
    xs = np.linspace(x0, x1, GRID)
    ys = np.linspace(y0, y1, GRID)
    field = np.random.default_rng(seed).random((GRID, GRID))
    return RectBivariateSpline(xs, ys, field, kx=3, ky=3, s=0)


def roughen(surface: Surface, roughness: float, seed: int) -> Surface:
    """``surface`` plus ``roughness`` times the seeded spline field (see module docstring)."""
    if roughness == 0.0:
        return replace(surface, seed=seed)
    spline = noise_spline(surface.domain, seed)
    (x0, x1), (y0, y1) = surface.domain
    clean_value, clean_gradient = surface.value, surface.gradient

    def value(x, y):
        x, y = np.broadcast_arrays(np.asarray(x, float), np.asarray(y, float))
        return clean_value(x, y) + roughness * field_at(spline, np.clip(x, x0, x1), np.clip(y, y0, y1))

    def gradient(x, y):
        x, y = np.broadcast_arrays(np.asarray(x, float), np.asarray(y, float))
        cx, cy = np.clip(x, x0, x1), np.clip(y, y0, y1)
        inside_x = (x >= x0) & (x <= x1)
        inside_y = (y >= y0) & (y <= y1)
        gx, gy = clean_gradient(x, y)
        nx = np.where(inside_x, spline.ev(cx, cy, dx=1, dy=0), 0.0)
        ny = np.where(inside_y, spline.ev(cx, cy, dx=0, dy=1), 0.0)
        return gx + roughness * nx, gy + roughness * ny

    clean_hessian = surface.hessian

    def hessian(x, y):
        x, y = np.broadcast_arrays(np.asarray(x, float), np.asarray(y, float))
        cx, cy = np.clip(x, x0, x1), np.clip(y, y0, y1)
        inside_x = (x >= x0) & (x <= x1)
        inside_y = (y >= y0) & (y <= y1)
        hxx, hxy, hyy = clean_hessian(x, y)
        nxx = np.where(inside_x, spline.ev(cx, cy, dx=2, dy=0), 0.0)
        nxy = np.where(inside_x & inside_y, spline.ev(cx, cy, dx=1, dy=1), 0.0)
        nyy = np.where(inside_y, spline.ev(cx, cy, dx=0, dy=2), 0.0)
        return hxx + roughness * nxx, hxy + roughness * nxy, hyy + roughness * nyy

    return replace(
        surface,
        value=value,
        gradient=gradient,
        hessian=hessian if clean_hessian is not None else None,
        roughness=float(roughness),
        seed=seed,
        layer=layer_of(spline, surface.domain, roughness),
    )


def field_at(spline: RectBivariateSpline, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The spline's value at the points (x, y): on a meshgrid (``x[j, i] = xs[i]``,
    ``y[j, i] = ys[j]``, as ``Surface.grid`` samples) by its grid form, which shares each row's and
    column's basis functions (the same numbers, ~10x faster on the 100 x 100 display grid);
    elsewhere (any other shape, or a grid not in ascending order) point by point."""
    if x.ndim == 2 and x.size > 1 and (x == x[:1]).all() and (y == y[:, :1]).all():
        xs, ys = x[0], y[:, 0]
        if (np.diff(xs) > 0).all() and (np.diff(ys) > 0).all():  # the grid form needs them ascending
            return spline(xs, ys, grid=True).T
    return spline.ev(x, y)


def layer_of(spline: RectBivariateSpline, domain: tuple, amplitude: float) -> RoughLayer:
    """The spline as plain arrays, for the engine's compiled loop (``landscapes.bspline``)."""
    tx, ty, coef = spline.tck
    (x0, x1), (y0, y1) = domain
    return RoughLayer(
        tx=tx,
        ty=ty,
        coef=coef.reshape(len(tx) - 4, len(ty) - 4),
        box=np.array([x0, x1, y0, y1], dtype=float),
        amplitude=float(amplitude),
    )
