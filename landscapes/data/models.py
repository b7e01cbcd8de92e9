"""Three models with two weights W = (w₁, w₂), their per-sample loss, gradient and Hessian, and λR(W).

Model ids (``MODELS``), per sample (xᵢ, yᵢ), with x = (x₁, x₂) (regression uses x₁ only):

0 ``linear``   ŷ = w₁x + w₂,              ℓ = (ŷ − y)²                (torch: nn.Linear(1, 1), MSELoss)
1 ``logistic`` z = w₁x₁ + w₂x₂, ŷ = σ(z),  ℓ = softplus(z) − y·z       (torch: nn.Linear(2, 1, bias=False),
                                                                          BCEWithLogitsLoss = sigmoid + BCE)
2 ``tanh``     ŷ = w₂·tanh(w₁x),           ℓ = (ŷ − y)²                (one tanh unit, MSELoss)

The data loss is the mean over a set S of samples, L_S(W) = 1/|S| Σ_{i∈S} ℓᵢ(W), and the objective
adds the regulariser, L_S(W) + λR(W), with

    R = ‖m⊙W‖²   (``L2``, kind 1): ∇ = 2λ m⊙W,          ∇² = 2λ diag(m)
    R = ‖m⊙W‖₁   (``L1``, kind 2): ∇ = λ m⊙sign(W),     ∇² = 0   (sign(0) = 0, as torch.sign)

where the mask m = (1, 1), or (1, 0) for linear regression whose bias w₂ is not regularised.

Every function here is numba-compiled for scalars and loops over samples (the engine's batch loop,
and the grids of the drawn surface, call them).
"""

from __future__ import annotations

import math

import numba
import numpy as np

MODELS = ("linear", "logistic", "tanh")
REGULARISERS = ("none", "L2", "L1")
LINEAR, LOGISTIC, TANH = 0, 1, 2


@numba.njit(cache=True, inline="always")
def sample_terms(model, w1, w2, x1, x2, y):
    """(ℓ, ∂ℓ/∂w₁, ∂ℓ/∂w₂) of one sample."""
    if model == 0:
        r = w1 * x1 + w2 - y
        return r * r, 2.0 * r * x1, 2.0 * r
    if model == 1:
        z = w1 * x1 + w2 * x2
        softplus = max(z, 0.0) + math.log1p(math.exp(-abs(z)))
        if z >= 0.0:
            p = 1.0 / (1.0 + math.exp(-z))
        else:
            e = math.exp(z)
            p = e / (1.0 + e)
        d = p - y
        return softplus - y * z, d * x1, d * x2
    t = math.tanh(w1 * x1)
    r = w2 * t - y
    return r * r, 2.0 * r * w2 * (1.0 - t * t) * x1, 2.0 * r * t


@numba.njit(cache=True)
def sample_hessian(model, w1, w2, x1, x2, y):
    """(∂²ℓ/∂w₁², ∂²ℓ/∂w₁∂w₂, ∂²ℓ/∂w₂²) of one sample."""
    if model == 0:
        return 2.0 * x1 * x1, 2.0 * x1, 2.0
    if model == 1:
        z = w1 * x1 + w2 * x2
        p = 1.0 / (1.0 + math.exp(-z)) if z >= 0.0 else math.exp(z) / (1.0 + math.exp(z))
        s = p * (1.0 - p)
        return s * x1 * x1, s * x1 * x2, s * x2 * x2
    t = math.tanh(w1 * x1)
    r = w2 * t - y
    u = 1.0 - t * t
    h11 = 2.0 * w2 * w2 * u * u * x1 * x1 - 4.0 * r * w2 * t * u * x1 * x1
    h12 = 2.0 * u * x1 * (r + w2 * t)
    return h11, h12, 2.0 * t * t


@numba.njit(cache=True, inline="always")
def reg_terms(kind, lam, m1, m2, w1, w2):
    """(λR, λ∂R/∂w₁, λ∂R/∂w₂) for kind 0 none, 1 L2, 2 L1 (mask m₁, m₂ in {0, 1})."""
    if kind == 1:
        return lam * (m1 * w1 * w1 + m2 * w2 * w2), 2.0 * lam * m1 * w1, 2.0 * lam * m2 * w2
    if kind == 2:
        return lam * (m1 * abs(w1) + m2 * abs(w2)), lam * m1 * np.sign(w1), lam * m2 * np.sign(w2)
    return 0.0, 0.0, 0.0


@numba.njit(cache=True)
def linear_full_value(stats, w1, w2):
    """Linear regression's mean squared error from the data's moments ``stats`` = (mean x², mean x,
    mean xy, mean y, mean y²): w₁²·x̄² + 2w₁w₂·x̄ + w₂² − 2w₁·x̄y − 2w₂·ȳ + ȳ² (O(1) per point)."""
    sxx, sx, sxy, sy, syy = stats[0], stats[1], stats[2], stats[3], stats[4]
    return w1 * w1 * sxx + 2.0 * w1 * w2 * sx + w2 * w2 - 2.0 * w1 * sxy - 2.0 * w2 * sy + syy


@numba.njit(cache=True)
def full_value(model, X, Y, stats, w1, w2):
    """The mean loss over every sample (no regulariser)."""
    if model == 0:
        return linear_full_value(stats, w1, w2)
    total = 0.0
    for i in range(Y.shape[0]):
        total += sample_terms(model, w1, w2, X[i, 0], X[i, 1], Y[i])[0]
    return total / Y.shape[0]


@numba.njit(cache=True)
def grid_terms(model, X, Y, stats, kind, lam, m1, m2, W1, W2, which, out):
    """The objective over every sample at each point (W1[j], W2[j]): ``which`` 0 fills out[j, 0] with
    the value, 1 fills out[j, 0:2] with the gradient, 2 fills out[j, 0:3] with the Hessian."""
    n = Y.shape[0]
    for j in range(W1.shape[0]):
        w1 = W1[j]
        w2 = W2[j]
        a = 0.0
        b = 0.0
        c = 0.0
        if which == 0:
            if model == 0:
                a = linear_full_value(stats, w1, w2) * n
            else:
                for i in range(n):
                    a += sample_terms(model, w1, w2, X[i, 0], X[i, 1], Y[i])[0]
        elif which == 1:
            for i in range(n):
                _, g1, g2 = sample_terms(model, w1, w2, X[i, 0], X[i, 1], Y[i])
                a += g1
                b += g2
        else:
            for i in range(n):
                h11, h12, h22 = sample_hessian(model, w1, w2, X[i, 0], X[i, 1], Y[i])
                a += h11
                b += h12
                c += h22
        r0, r1, r2 = reg_terms(kind, lam, m1, m2, w1, w2)
        if which == 0:
            out[j, 0] = a / n + r0
        elif which == 1:
            out[j, 0] = a / n + r1
            out[j, 1] = b / n + r2
        else:
            out[j, 0] = a / n + (2.0 * lam * m1 if kind == 1 else 0.0)
            out[j, 1] = b / n
            out[j, 2] = c / n + (2.0 * lam * m2 if kind == 1 else 0.0)
