"""The clean surfaces: each value function beside its exact analytic gradient and Hessian.

Written in the style of ``scipy.optimize.rosen`` / ``rosen_der`` / ``rosen_hess``; a Hessian is
returned as its three distinct entries ``(d2L/dx2, d2L/dxdy, d2L/dy2)``. Every function uses only
arithmetic and numpy ufuncs, so the same source runs vectorised on numpy arrays and, compiled
by numba, on scalars inside the optimizer engine's loop.
"""

from __future__ import annotations

import numpy as np
from numba.extending import register_jitable


def paraboloid(x, y):
    """L = x^2 + y^2."""
    return x * x + y * y


def paraboloid_grad(x, y):
    """dL/dx = 2x, dL/dy = 2y."""
    return 2.0 * x, 2.0 * y


def paraboloid_hess(x, y):
    """H = [[2, 0], [0, 2]]."""
    return 2.0 + 0.0 * x, 0.0 * x, 2.0 + 0.0 * y


@register_jitable
def _mm_x2(x):
    """A''(x) for A(x) = s e p (s = sin x, e = exp(-x^2/10), p = 0.75x^2 - x + 1):
    A' = e K with K = c p - s (x/5) p + s p', so A'' = e (K' - (x/5) K)."""
    e = np.exp(-x * x / 10.0)
    p = 0.75 * x * x - x + 1.0
    dp = 1.5 * x - 1.0
    s = np.sin(x)
    c = np.cos(x)
    k = c * p - s * (x / 5.0) * p + s * dp
    dk = -s * p + c * dp - (c * (x / 5.0) * p + s * p / 5.0 + s * (x / 5.0) * dp) + c * dp + 1.5 * s
    return e * (dk - (x / 5.0) * k)


@register_jitable
def _mm_y2(y):
    """B''(y) for B(y) = 0.5 c e p (c = cos(0.6y + 1), e = exp(-y^2/10), p = 0.5y^2 + y + 1):
    B' = 0.5 e M with M = -0.6 sin(0.6y + 1) p - c (y/5) p + c p', so B'' = 0.5 e (M' - (y/5) M)."""
    e = np.exp(-y * y / 10.0)
    p = 0.5 * y * y + y + 1.0
    dp = y + 1.0
    c = np.cos(0.6 * y + 1.0)
    sn = np.sin(0.6 * y + 1.0)
    m = -0.6 * sn * p - c * (y / 5.0) * p + c * dp
    dm = -0.36 * c * p - 0.6 * sn * dp + 0.6 * sn * (y / 5.0) * p - c * p / 5.0 - c * (y / 5.0) * dp - 0.6 * sn * dp + c
    return 0.5 * e * (dm - (y / 5.0) * m)


@register_jitable  # callable as plain Python and from numba-compiled code
def _mm_x(x):
    """Factor A(x) = sin(x) exp(-x^2/10) (0.75x^2 - x + 1) and A'(x)."""
    e = np.exp(-x * x / 10.0)
    p = 0.75 * x * x - x + 1.0
    s = np.sin(x)
    a = s * e * p
    da = e * (np.cos(x) * p - s * (x / 5.0) * p + s * (1.5 * x - 1.0))
    return a, da


@register_jitable
def _mm_y(y):
    """Factor B(y) = 0.5 cos(0.6y + 1) exp(-y^2/10) (0.5y^2 + y + 1) and B'(y)."""
    e = np.exp(-y * y / 10.0)
    p = 0.5 * y * y + y + 1.0
    c = np.cos(0.6 * y + 1.0)
    b = 0.5 * c * e * p
    db = 0.5 * e * (-0.6 * np.sin(0.6 * y + 1.0) * p - c * (y / 5.0) * p + c * (y + 1.0))
    return b, db


def multimodal(x, y):
    """L = A(x) B(y), the seed notebook's surface (a product of two damped waves)."""
    return _mm_x(x)[0] * _mm_y(y)[0]


def multimodal_grad(x, y):
    """dL/dx = A'(x) B(y), dL/dy = A(x) B'(y)."""
    a, da = _mm_x(x)
    b, db = _mm_y(y)
    return da * b, a * db


def multimodal_hess(x, y):
    """H = [[A'' B, A' B'], [A' B', A B'']]."""
    a, da = _mm_x(x)
    b, db = _mm_y(y)
    return _mm_x2(x) * b, da * db, a * _mm_y2(y)


def monkey_saddle(x, y):
    """L = x^3 - 3 x y^2."""
    return x * x * x - 3.0 * x * y * y


def monkey_saddle_grad(x, y):
    """dL/dx = 3x^2 - 3y^2, dL/dy = -6xy."""
    return 3.0 * x * x - 3.0 * y * y, -6.0 * x * y


def monkey_saddle_hess(x, y):
    """H = [[6x, -6y], [-6y, -6x]]."""
    return 6.0 * x, -6.0 * y, -6.0 * x


def rosenbrock(x, y):
    """L = (1 - x)^2 + 100 (y - x^2)^2."""
    return (1.0 - x) ** 2 + 100.0 * (y - x * x) ** 2


def rosenbrock_grad(x, y):
    """dL/dx = -2(1 - x) - 400 x (y - x^2), dL/dy = 200 (y - x^2)."""
    r = y - x * x
    return -2.0 * (1.0 - x) - 400.0 * x * r, 200.0 * r


def rosenbrock_hess(x, y):
    """H = [[2 - 400 (y - x^2) + 800 x^2, -400 x], [-400 x, 200]] (as ``scipy.optimize.rosen_hess``)."""
    return 2.0 - 400.0 * (y - x * x) + 800.0 * x * x, -400.0 * x, 200.0 + 0.0 * y


def beale(x, y):
    """L = (1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2."""
    a = 1.5 - x + x * y
    b = 2.25 - x + x * y * y
    c = 2.625 - x + x * y * y * y
    return a * a + b * b + c * c


def beale_grad(x, y):
    """Chain rule on each square: d/dx (k - x + x y^n)^2 = 2 (..) (y^n - 1), d/dy = 2 (..) n x y^(n-1)."""
    a = 1.5 - x + x * y
    b = 2.25 - x + x * y * y
    c = 2.625 - x + x * y * y * y
    gx = 2.0 * (a * (y - 1.0) + b * (y * y - 1.0) + c * (y * y * y - 1.0))
    gy = 2.0 * (a * x + b * 2.0 * x * y + c * 3.0 * x * y * y)
    return gx, gy


def beale_hess(x, y):
    """Differentiating the gradient's sums term by term (each square's inner part is linear in x)."""
    a = 1.5 - x + x * y
    b = 2.25 - x + x * y * y
    c = 2.625 - x + x * y * y * y
    y2, y3 = y * y, y * y * y
    hxx = 2.0 * ((y - 1.0) ** 2 + (y2 - 1.0) ** 2 + (y3 - 1.0) ** 2)
    hxy = 2.0 * (x * (y - 1.0) + a + 2.0 * x * y * (y2 - 1.0) + 2.0 * b * y + 3.0 * x * y2 * (y3 - 1.0) + 3.0 * c * y2)
    hyy = 2.0 * (x * x + 4.0 * x * x * y2 + 2.0 * b * x + 9.0 * x * x * y2 * y2 + 6.0 * c * x * y)
    return hxx, hxy, hyy


def himmelblau(x, y):
    """L = (x^2 + y - 11)^2 + (x + y^2 - 7)^2."""
    a = x * x + y - 11.0
    b = x + y * y - 7.0
    return a * a + b * b


def himmelblau_grad(x, y):
    """dL/dx = 4x(x^2 + y - 11) + 2(x + y^2 - 7), dL/dy = 2(x^2 + y - 11) + 4y(x + y^2 - 7)."""
    a = x * x + y - 11.0
    b = x + y * y - 7.0
    return 4.0 * x * a + 2.0 * b, 2.0 * a + 4.0 * y * b


def himmelblau_hess(x, y):
    """H = [[4(x^2 + y - 11) + 8x^2 + 2, 4x + 4y], [4x + 4y, 4(x + y^2 - 7) + 8y^2 + 2]]."""
    a = x * x + y - 11.0
    b = x + y * y - 7.0
    return 4.0 * a + 8.0 * x * x + 2.0, 4.0 * x + 4.0 * y, 4.0 * b + 8.0 * y * y + 2.0


def rastrigin(x, y):
    """L = 20 + x^2 - 10 cos(2 pi x) + y^2 - 10 cos(2 pi y)."""
    tau = 2.0 * np.pi
    return 20.0 + x * x - 10.0 * np.cos(tau * x) + y * y - 10.0 * np.cos(tau * y)


def rastrigin_grad(x, y):
    """dL/dx = 2x + 20 pi sin(2 pi x), likewise in y."""
    tau = 2.0 * np.pi
    return 2.0 * x + 10.0 * tau * np.sin(tau * x), 2.0 * y + 10.0 * tau * np.sin(tau * y)


def rastrigin_hess(x, y):
    """H = diag(2 + 10 (2 pi)^2 cos(2 pi x), 2 + 10 (2 pi)^2 cos(2 pi y))."""
    tau = 2.0 * np.pi
    return 2.0 + 10.0 * tau * tau * np.cos(tau * x), 0.0 * x, 2.0 + 10.0 * tau * tau * np.cos(tau * y)


def saddle(x, y):
    """L = x^2 - y^2."""
    return x * x - y * y


def saddle_grad(x, y):
    """dL/dx = 2x, dL/dy = -2y."""
    return 2.0 * x, -2.0 * y


def saddle_hess(x, y):
    """H = [[2, 0], [0, -2]]."""
    return 2.0 + 0.0 * x, 0.0 * x, -2.0 + 0.0 * y
