"""The built-in surfaces: formula, domain, default start and known stationary points."""

from __future__ import annotations

import math

import numpy as np

from landscapes import functions as f
from landscapes.stationary import classify
from landscapes.surface import Surface


def _make(*, name: str, minima=(), saddles=(), **display) -> Surface:
    """The surface ``name`` of ``landscapes.functions``: ``name``, ``name_grad`` and ``name_hess``
    (value, exact gradient and exact Hessian, as scipy's rosen, rosen_der, rosen_hess), with its
    ``display`` fields (label, description, domain, start) and known stationary points."""
    value, gradient, hessian = (getattr(f, name + suffix) for suffix in ("", "_grad", "_hess"))
    return Surface(
        **display,
        name=name,
        minima=tuple(minima),
        saddles=tuple(saddles),
        value=value,
        gradient=gradient,
        hessian=hessian,
        kernel_value=value,  # the engine compiles its loop with these (optimizers.kernel_cache)
        kernel_gradient=gradient,
    )


def _multimodal_points(domain):
    return classify(lambda x: f._mm_x(x)[1], lambda y: f._mm_y(y)[1], f.multimodal_hess, domain)


def _rastrigin_points(domain):
    tau = 2.0 * math.pi
    d = lambda t: 2.0 * t + 10.0 * tau * np.sin(tau * t)
    return classify(d, d, f.rastrigin_hess, domain)


def _himmelblau_minima():
    # The four minima, polished from their textbook values with Newton's method on the gradient.
    from scipy.optimize import fsolve

    guesses = [(3.0, 2.0), (-2.805118, 3.131312), (-3.779310, -3.283186), (3.584428, -1.848126)]
    return [tuple(float(v) for v in fsolve(lambda p: f.himmelblau_grad(p[0], p[1]), g, xtol=1e-14)) for g in guesses]


def build() -> dict[str, Surface]:
    """All built-in clean surfaces, by name."""
    mm_domain = ((-12.0, 12.0), (-12.0, 12.0))
    mm_min, mm_saddles = _multimodal_points(mm_domain)
    ra_domain = ((-5.12, 5.12), (-5.12, 5.12))
    ra_min, ra_saddles = _rastrigin_points(ra_domain)
    surfaces = [
        _make(
            name="paraboloid",
            label="Paraboloid",
            description="x² + y²: one round bowl, the seed notebook's first surface.",
            domain=((-10.0, 10.0), (-10.0, 10.0)),
            start=(-9.0, 8.0),
            minima=[(0.0, 0.0)],
        ),
        _make(
            name="multimodal",
            label="Multimodal (seed)",
            description="sin(x)·e^(-x²/10)·(0.75x²-x+1)·cos(0.6y+1)·0.5·e^(-y²/10)·(0.5y²+y+1): "
            "many minima and saddles.",
            domain=mm_domain,
            start=(-2.0, 2.0),
            minima=mm_min,
            saddles=mm_saddles,
        ),
        _make(
            name="monkey_saddle",
            label="Monkey saddle",
            description="x³ - 3xy²: a flat saddle with three valleys and no minimum.",
            domain=((-2.0, 2.0), (-2.0, 2.0)),
            start=(1.5, 0.2),
            saddles=[(0.0, 0.0)],
        ),
        _make(
            name="rosenbrock",
            label="Rosenbrock",
            description="(1-x)² + 100(y-x²)²: a long curved valley, minimum at (1, 1).",
            domain=((-2.0, 2.0), (-1.0, 3.0)),
            start=(-1.5, 2.5),
            minima=[(1.0, 1.0)],
        ),
        _make(
            name="beale",
            label="Beale",
            description="(1.5-x+xy)² + (2.25-x+xy²)² + (2.625-x+xy³)²: flat plateaus, sharp ridges.",
            domain=((-4.5, 4.5), (-4.5, 4.5)),
            start=(1.0, 1.5),
            minima=[(3.0, 0.5)],
        ),
        _make(
            name="himmelblau",
            label="Himmelblau",
            description="(x²+y-11)² + (x+y²-7)²: four equal minima.",
            domain=((-5.0, 5.0), (-5.0, 5.0)),
            start=(0.0, 0.0),
            minima=_himmelblau_minima(),
        ),
        _make(
            name="rastrigin",
            label="Rastrigin",
            description="20 + x² - 10cos(2πx) + y² - 10cos(2πy): a bowl covered in local minima.",
            domain=ra_domain,
            start=(2.2, -1.3),
            minima=ra_min,
            saddles=ra_saddles,
        ),
        _make(
            name="saddle",
            label="Saddle",
            description="x² - y²: the classic saddle point at the origin.",
            domain=((-2.0, 2.0), (-2.0, 2.0)),
            start=(-1.5, 0.05),
            saddles=[(0.0, 0.0)],
        ),
    ]
    return {s.name: s for s in surfaces}
