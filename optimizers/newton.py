"""Newton's method with the exact Hessian, damped or saddle-free (a vector rule, ``optimizers.vector``).

    H       = ∇²L(theta_{t-1}) = Q diag(λ1, λ2) Qᵀ          (λ1 ≥ λ2; Q's columns v1, v2)
    μ_i     = λ_i + δ            (Newton, damped by δ: H + δI)
    μ_i     = |λ_i| + δ          (saddle-free Newton: |H| + δI, Dauphin et al. 2014)
    theta_t = theta_{t-1} - lr * Σ_i (v_i·g_t / μ_i) v_i      (= theta - lr (H + δI)⁻¹ g)

Pure Newton (lr 1, δ 0) solves a quadratic in one step and is drawn to any stationary point,
saddles included: along a direction of negative curvature it steps uphill. Saddle-free Newton
uses |λ| there and steps downhill. When some μ_i is 0 (relative to the largest, 1e-12) the matrix is
singular: the rule stops there (``Rule.stops``). The gradient carries the run's noise; H is exact.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numba.extending import register_jitable

from optimizers.hyper import defaults
from optimizers.rule import Rule

SINGULAR = 1e-12  # |μ| at most this times max(1, |μ1|, |μ2|): singular


class State(NamedTuple):
    """What the inspector shows (each a pair): H's eigenvalues, the curvatures used, the step along v1, v2."""

    eigenvalues: np.ndarray
    curvatures: np.ndarray
    step: np.ndarray


def init(x, y, hyper):
    shown = np.zeros((3, 2))
    shown[:, :] = np.nan
    return shown, np.zeros(1)


@register_jitable
def eigen(a, b, c):
    """Eigenvalues λ1 ≥ λ2 of [[a, b], [b, c]] and the angle φ of v1 = (cos φ, sin φ)."""
    mean = 0.5 * (a + c)
    radius = math.hypot(0.5 * (a - c), b)
    return mean + radius, mean - radius, 0.5 * math.atan2(2.0 * b, a - c)


def update(f, gx, gy, state, x, y, hyper, evaluate, hessian, ctx, trail):
    shown = state[0]
    a, b, c = hessian(ctx, x, y)
    l1, l2, phi = eigen(a, b, c)
    if hyper.saddle_free >= 0.5:
        m1 = abs(l1) + hyper.damping
        m2 = abs(l2) + hyper.damping
    else:
        m1 = l1 + hyper.damping
        m2 = l2 + hyper.damping
    shown[0, 0] = l1
    shown[0, 1] = l2
    shown[1, 0] = m1
    shown[1, 1] = m2
    scale = max(1.0, abs(m1), abs(m2))
    if not (abs(m1) > SINGULAR * scale and abs(m2) > SINGULAR * scale):  # also NaN
        shown[2, 0] = 0.0
        shown[2, 1] = 0.0
        return x, y, state, 1
    cs = math.cos(phi)
    sn = math.sin(phi)
    s1 = -hyper.lr * (cs * gx + sn * gy) / m1  # the step along v1 and along v2
    s2 = -hyper.lr * (-sn * gx + cs * gy) / m2
    shown[2, 0] = s1
    shown[2, 1] = s2
    return x + (cs * s1 - sn * s2), y + (sn * s1 + cs * s2), state, 0


def derived(state: dict[str, np.ndarray], hyper: dict[str, float]) -> list[tuple[str, np.ndarray]]:
    """What the step did per eigen-direction: the factor lr/μ_i by which it scaled that gradient component."""
    mu = state["curvatures"]
    if not np.all(np.isfinite(mu)):
        return []
    with np.errstate(divide="ignore"):
        return [("step per unit gradient along v1, v2: lr/μ (negative: uphill)", hyper["lr"] / mu)]


RULE = Rule(
    name="newton",
    label="Newton",
    color="#000000",
    dash="dashdot",
    torch="Newton(lr, damping=damping, saddle_free=saddle_free)",  # no torch.optim class: the export's own
    defaults=defaults("lr", "damping", "saddle_free", lr=1.0),
    state=State,
    init=init,
    update=update,
    slot_words={
        "eigenvalues": "eigenvalues λ1 ≥ λ2 of the Hessian H where the last step started",
        "curvatures": "curvatures used μ = λ + δ (saddle-free: |λ| + δ)",
        "step": "step along the eigenvectors v1, v2: −lr·(v·g)/μ",
    },
    step_ns=120,
    derived=derived,
    group="second-order",
    blurb="Divides the gradient by the exact curvature: one step on a bowl, drawn to saddles.",
    vector=True,
    uses_hessian=True,
    stops={1: "the Hessian (H + δI) is singular there, so the Newton step is undefined"},
)
