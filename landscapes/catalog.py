"""The built-in surfaces: formula, domain, default start and known stationary points."""

from __future__ import annotations

import math

import numpy as np

from landscapes import functions as f
from landscapes.stationary import classify_product, classify_sum
from landscapes.surface import Surface


def _make(name, label, description, domain, start, minima, value, gradient, saddles=()) -> Surface:
    hessian = getattr(f, gradient.__name__.replace("_grad", "_hess"))  # beside each gradient, as rosen_hess
    return Surface(
        name=name,
        label=label,
        description=description,
        domain=domain,
        start=start,
        minima=tuple(minima),
        saddles=tuple(saddles),
        value=value,
        gradient=gradient,
        hessian=hessian,
        kernel_value=value,  # the engine compiles its loop with these (optimizers.kernel_cache)
        kernel_gradient=gradient,
    )


def _multimodal_points(domain):
    return classify_product(
        lambda x: f._mm_x(x)[0],
        lambda x: f._mm_x(x)[1],
        lambda y: f._mm_y(y)[0],
        lambda y: f._mm_y(y)[1],
        domain,
    )


def _rastrigin_points(domain):
    tau = 2.0 * math.pi
    d = lambda t: 2.0 * t + 10.0 * tau * np.sin(tau * t)
    return classify_sum(d, d, domain)


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
            "paraboloid",
            "Paraboloid",
            "x² + y²: one round bowl, the seed notebook's first surface.",
            ((-10.0, 10.0), (-10.0, 10.0)),
            (-9.0, 8.0),
            [(0.0, 0.0)],
            f.paraboloid,
            f.paraboloid_grad,
        ),
        _make(
            "multimodal",
            "Multimodal (seed)",
            "sin(x)·e^(-x²/10)·(0.75x²-x+1)·cos(0.6y+1)·0.5·e^(-y²/10)·(0.5y²+y+1): many minima and saddles.",
            mm_domain,
            (-2.0, 2.0),
            mm_min,
            f.multimodal,
            f.multimodal_grad,
            mm_saddles,
        ),
        _make(
            "monkey_saddle",
            "Monkey saddle",
            "x³ - 3xy²: a flat saddle with three valleys and no minimum.",
            ((-2.0, 2.0), (-2.0, 2.0)),
            (1.5, 0.2),
            [],
            f.monkey_saddle,
            f.monkey_saddle_grad,
            [(0.0, 0.0)],
        ),
        _make(
            "rosenbrock",
            "Rosenbrock",
            "(1-x)² + 100(y-x²)²: a long curved valley, minimum at (1, 1).",
            ((-2.0, 2.0), (-1.0, 3.0)),
            (-1.5, 2.5),
            [(1.0, 1.0)],
            f.rosenbrock,
            f.rosenbrock_grad,
        ),
        _make(
            "beale",
            "Beale",
            "(1.5-x+xy)² + (2.25-x+xy²)² + (2.625-x+xy³)²: flat plateaus, sharp ridges.",
            ((-4.5, 4.5), (-4.5, 4.5)),
            (1.0, 1.5),
            [(3.0, 0.5)],
            f.beale,
            f.beale_grad,
        ),
        _make(
            "himmelblau",
            "Himmelblau",
            "(x²+y-11)² + (x+y²-7)²: four equal minima.",
            ((-5.0, 5.0), (-5.0, 5.0)),
            (0.0, 0.0),
            _himmelblau_minima(),
            f.himmelblau,
            f.himmelblau_grad,
        ),
        _make(
            "rastrigin",
            "Rastrigin",
            "20 + x² - 10cos(2πx) + y² - 10cos(2πy): a bowl covered in local minima.",
            ra_domain,
            (2.2, -1.3),
            ra_min,
            f.rastrigin,
            f.rastrigin_grad,
            ra_saddles,
        ),
        _make(
            "saddle",
            "Saddle",
            "x² - y²: the classic saddle point at the origin.",
            ((-2.0, 2.0), (-2.0, 2.0)),
            (-1.5, 0.05),
            [],
            f.saddle,
            f.saddle_grad,
            [(0.0, 0.0)],
        ),
    ]
    return {s.name: s for s in surfaces}
