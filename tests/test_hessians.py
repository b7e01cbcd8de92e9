"""Exact Hessians: every built-in surface against SymPy's own second derivatives of its formula,
Rosenbrock against scipy's ``rosen_hess``, and the rough layer against differences of its gradient."""

from __future__ import annotations

import numpy as np
import pytest
import sympy
from scipy.optimize import rosen_hess

import landscapes

x, y = sympy.symbols("x y")
tau = 2 * sympy.pi
FORMULAS = {
    "paraboloid": x**2 + y**2,
    "multimodal": sympy.sin(x)
    * sympy.exp(-(x**2) / 10)
    * (sympy.Rational(3, 4) * x**2 - x + 1)
    * sympy.Rational(1, 2)
    * sympy.cos(sympy.Rational(3, 5) * y + 1)
    * sympy.exp(-(y**2) / 10)
    * (sympy.Rational(1, 2) * y**2 + y + 1),
    "monkey_saddle": x**3 - 3 * x * y**2,
    "rosenbrock": (1 - x) ** 2 + 100 * (y - x**2) ** 2,
    "beale": (sympy.Rational(3, 2) - x + x * y) ** 2
    + (sympy.Rational(9, 4) - x + x * y**2) ** 2
    + (sympy.Rational(21, 8) - x + x * y**3) ** 2,
    "himmelblau": (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2,
    "rastrigin": 20 + x**2 - 10 * sympy.cos(tau * x) + y**2 - 10 * sympy.cos(tau * y),
    "saddle": x**2 - y**2,
}


def test_every_surface_has_its_formula_here():
    assert set(FORMULAS) == set(landscapes.NAMES)


@pytest.mark.parametrize("name", landscapes.NAMES)
def test_hessian_equals_sympys_second_derivatives(name):
    s = landscapes.get(name)
    expr = FORMULAS[name]
    exact = sympy.lambdify((x, y), [sympy.diff(expr, x, 2), sympy.diff(expr, x, y), sympy.diff(expr, y, 2)], "numpy")
    (x0, x1), (y0, y1) = s.domain
    rng = np.random.default_rng(1)
    px, py = rng.uniform(x0, x1, 200), rng.uniform(y0, y1, 200)
    got = s.hessian(px, py)
    want = exact(px, py)
    for g, w, label in zip(got, want, ("xx", "xy", "yy"), strict=True):
        w = np.broadcast_to(np.asarray(w, dtype=float), px.shape)
        np.testing.assert_allclose(g, w, rtol=1e-10, atol=1e-10 * max(1.0, np.abs(w).max()), err_msg=f"{name} H{label}")
    # the value itself is the formula (so the comparison above is about the right surface)
    value = sympy.lambdify((x, y), expr, "numpy")
    np.testing.assert_allclose(s.value(px, py), value(px, py), rtol=1e-12, atol=1e-12)


def test_rosenbrock_hessian_is_scipys():
    s = landscapes.get("rosenbrock")
    for p in [(-1.5, 2.5), (1.0, 1.0), (0.3, -0.7)]:
        np.testing.assert_allclose(s.hessian_matrix(*p), rosen_hess(np.array(p)), rtol=1e-14)


@pytest.mark.parametrize("name", ["multimodal", "himmelblau"])
def test_rough_layer_hessian_matches_differences_of_its_gradient(name):
    s = landscapes.get(name, roughness=3.0, seed=5)
    (x0, x1), (y0, y1) = s.domain
    rng = np.random.default_rng(2)
    h = 1e-6 * s.span()
    for px, py in zip(rng.uniform(x0, x1, 30), rng.uniform(y0, y1, 30), strict=True):
        gxp, gyp = s.gradient(np.array([px + h, px - h, px, px]), np.array([py, py, py + h, py - h]))
        numeric = np.array([[gxp[0] - gxp[1], gxp[2] - gxp[3]], [gyp[0] - gyp[1], gyp[2] - gyp[3]]]) / (2 * h)
        np.testing.assert_allclose(s.hessian_matrix(px, py), numeric, rtol=1e-4, atol=1e-4)


def test_the_hessian_is_vectorised_and_symmetric():
    s = landscapes.get("beale")
    m = s.hessian_matrix(np.zeros((3, 4)), np.ones((3, 4)))
    assert m.shape == (3, 4, 2, 2) and np.array_equal(m[..., 0, 1], m[..., 1, 0])


# Own formulas: the Hessian SymPy derives twice from the parsed tree, against Hessians known by hand.
KNOWN = {
    "x^2 + 3*x*y + 2*y^2": lambda a, b: (2.0 + 0 * a, 3.0 + 0 * a, 4.0 + 0 * a),
    "(1 - x)^2 + 100*(y - x^2)^2": lambda a, b: (2.0 - 400.0 * (b - a * a) + 800.0 * a * a, -400.0 * a, 200.0 + 0 * a),
    "sin(x)*cos(y)": lambda a, b: (-np.sin(a) * np.cos(b), -np.cos(a) * np.sin(b), -np.sin(a) * np.cos(b)),
    "exp(x*y)": lambda a, b: (b * b * np.exp(a * b), (1.0 + a * b) * np.exp(a * b), a * a * np.exp(a * b)),
    "log(x^2 + y^2 + 1)": lambda a, b: (
        2.0 * (b * b - a * a + 1.0) / (a * a + b * b + 1.0) ** 2,
        -4.0 * a * b / (a * a + b * b + 1.0) ** 2,
        2.0 * (a * a - b * b + 1.0) / (a * a + b * b + 1.0) ** 2,
    ),
}


@pytest.mark.parametrize("text", list(KNOWN))
def test_own_formula_hessian_is_exact(text):
    from landscapes.formula import formula_surface

    s = formula_surface(text, ((-2.0, 2.0), (-2.0, 2.0)))
    rng = np.random.default_rng(7)
    px, py = rng.uniform(-1.5, 1.5, 25), rng.uniform(-1.5, 1.5, 25)
    got = s.hessian_matrix(px, py)
    hxx, hxy, hyy = KNOWN[text](px, py)
    want = np.stack([np.stack([hxx, hxy], -1), np.stack([hxy, hyy], -1)], -2)
    np.testing.assert_allclose(got, want, rtol=1e-11, atol=1e-9)
    # and central differences of the exact gradient agree
    h = 1e-6
    gxp, gyp = s.gradient(np.stack([px + h, px - h, px, px]), np.stack([py, py, py + h, py - h]))
    numeric = np.stack(
        [np.stack([gxp[0] - gxp[1], gxp[2] - gxp[3]], -1), np.stack([gyp[0] - gyp[1], gyp[2] - gyp[3]], -1)], -2
    ) / (2 * h)
    np.testing.assert_allclose(got, numeric, rtol=1e-5, atol=1e-5)


def test_own_formula_kink_keeps_the_smooth_pieces_hessian():
    from landscapes.formula import formula_surface

    s = formula_surface("abs(x) + y^2")
    np.testing.assert_array_equal(s.hessian_matrix(0.0, 1.0), [[0.0, 0.0], [0.0, 2.0]])
    assert s.minima == ((0.0, 0.0),)  # a kink minimum: higher all round, though its Hessian is singular
