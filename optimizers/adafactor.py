"""Adafactor, as ``torch.optim.Adafactor(lr, beta2_decay, eps=(eps, eps2), d, weight_decay)``.

A 2-vector takes torch's unfactored branch; the rule is a vector rule (``optimizers.vector``)
because its step size and clipping use norms over both coordinates:

    t       = t + 1
    β̂       = t^beta2_decay                       (the weight of the new squared gradient)
    ρ_t     = min(lr, 1/√t)
    α       = max(eps2, ‖θ_{t−1}‖₂/√2) · ρ_t      (relative step size, before weight decay)
    θ'      = θ_{t−1} · (1 − lr·weight_decay)
    v_t     = v_{t−1} + β̂ (g_t² − v_{t−1})          (torch: variance.lerp_(g², β̂))
    u       = g_t / √max(v_t, eps²)
    θ_t     = θ' − α / max(1, ‖u‖₂/(√2·d)) · u

torch's eps[0] defaults to None, the dtype's machine epsilon (2.2e-16 for float64); torch's
``maximize`` is not offered (always False, its default).
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numba.extending import register_jitable

from optimizers.hyper import defaults
from optimizers.rule import Rule

FLOAT64_EPS = float(np.finfo(np.float64).eps)


class State(NamedTuple):
    """The update count t (twice) and the running average v of squared gradients."""

    step: np.ndarray
    variance: np.ndarray


def init(x, y, hyper):
    return np.zeros((2, 2)), np.zeros(1)


@register_jitable
def _lerp(start, end, weight):
    """torch.lerp's formula: start + w (end - start) for w < 0.5, else end - (end - start)(1 - w)."""
    if weight < 0.5:
        return start + weight * (end - start)
    return end - (end - start) * (1.0 - weight)


def update(f, gx, gy, state, x, y, hyper, evaluate, hessian, ctx, trail):
    shown = state[0]
    t = shown[0, 0] + 1.0
    shown[0, 0] = t
    shown[0, 1] = t
    one_minus_beta2_t = t**hyper.beta2_decay
    rho_t = min(hyper.lr, 1.0 / t**0.5)
    alpha = max(hyper.eps2, math.sqrt(x * x + y * y) / math.sqrt(2.0)) * rho_t
    if hyper.weight_decay != 0.0:
        x = x * (1.0 - hyper.lr * hyper.weight_decay)
        y = y * (1.0 - hyper.lr * hyper.weight_decay)
    vx = _lerp(shown[1, 0], gx * gx, one_minus_beta2_t)
    vy = _lerp(shown[1, 1], gy * gy, one_minus_beta2_t)
    shown[1, 0] = vx
    shown[1, 1] = vy
    floor = hyper.eps * hyper.eps
    ux = gx / math.sqrt(max(vx, floor))
    uy = gy / math.sqrt(max(vy, floor))
    denom = max(1.0, math.sqrt(ux * ux + uy * uy) / (math.sqrt(2.0) * hyper.d))
    return x - alpha / denom * ux, y - alpha / denom * uy, state, 0


RULE = Rule(
    name="adafactor",
    label="Adafactor",
    color="#009E73",
    dash="dashdot",
    torch="Adafactor(lr, beta2_decay=beta2_decay, eps=(eps, eps2), d=d, weight_decay=weight_decay)",
    defaults=defaults(
        "lr", "beta2_decay", "eps", "eps2", "d", "weight_decay", lr=1e-2, eps=FLOAT64_EPS, weight_decay=0.0
    ),
    state=State,
    init=init,
    update=update,
    slot_words={"step": "update count t", "variance": "v: running average of squared gradients (weight t^β₂-decay)"},
    step_ns=150,
    group="adaptive",
    blurb="Adam's second moment with a step relative to ‖θ‖ and clipped updates; no momentum.",
    vector=True,
)
