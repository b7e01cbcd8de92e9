"""Learning-rate schedules as ``torch.optim.lr_scheduler`` computes them, stepped once per update.

Each returns the multipliers f_0 .. f_{steps-1}: update k+1 uses lr_k = lr * f_k (k = the number of
``scheduler.step()`` calls so far, as in ``opt.step(); sched.step()``).

    constant     f_k = 1
    step         f_k = gamma ^ floor(k / every)                       StepLR(step_size=every, gamma)
    exponential  f_k = gamma ^ k                                      ExponentialLR(gamma)
    cosine       f_k = m + (1 - m) (1 + cos(pi k / t_max)) / 2        CosineAnnealingLR(T_max, eta_min=m*lr)
    warmup       f_k = s + (1 - s) min(k, warmup) / warmup            LinearLR(start_factor=s, total_iters=warmup)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Schedule:
    """A schedule and its two settings ``a`` and ``b`` (what they mean depends on ``kind``; see KINDS)."""

    kind: str = "constant"
    a: float = 0.0
    b: float = 0.0


# kind -> (label, name of a, default a, name of b, default b, torch's class)
KINDS = {
    "constant": ("constant", "", 0.0, "", 0.0, ""),
    "step": ("step decay", "every (steps)", 100.0, "gamma", 0.5, "StepLR"),
    "exponential": ("exponential", "", 0.0, "gamma", 0.99, "ExponentialLR"),
    "cosine": ("cosine", "period T_max (steps, 0: the run)", 0.0, "floor (× lr)", 0.0, "CosineAnnealingLR"),
    "warmup": ("linear warm-up", "warm-up (steps)", 100.0, "start (× lr)", 0.1, "LinearLR"),
}
RANGES = {  # per kind: bounds of a and b
    "constant": ((0.0, 0.0), (0.0, 0.0)),
    "step": ((1.0, 1e5), (0.0, 1.0)),
    "exponential": ((0.0, 0.0), (0.5, 1.0)),
    "cosine": ((0.0, 1e5), (0.0, 1.0)),
    "warmup": ((1.0, 1e5), (1e-3, 1.0)),  # torch's LinearLR needs a start factor above 0
}
COUNTS = ("step", "cosine", "warmup")  # kinds whose ``a`` is a number of steps (a whole number)


def default(kind: str) -> Schedule:
    _, _, a, _, b, _ = KINDS[kind]
    return Schedule(kind, a, b)


def multipliers(schedule: Schedule, steps: int) -> np.ndarray:
    """f_0 .. f_{steps-1} for ``schedule`` (see the module docstring)."""
    k = np.arange(steps, dtype=float)
    kind, a, b = schedule.kind, schedule.a, schedule.b
    if kind == "constant":
        return np.ones(steps)
    if kind == "step":
        return b ** np.floor(k / max(1, round(a)))
    if kind == "exponential":
        return b**k
    if kind == "cosine":
        t_max = round(a) if a >= 1 else steps
        return b + (1.0 - b) * (1.0 + np.cos(np.pi * k / t_max)) / 2.0
    if kind == "warmup":
        total = max(1, round(a))
        return b + (1.0 - b) * np.minimum(k, total) / total
    raise ValueError(f"unknown schedule {kind!r}; choose from {', '.join(KINDS)}")
