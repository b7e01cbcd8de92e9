"""Hyperparameter sweep: the learning rate (log axis) against a second setting, from one start."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

import optimizers
from explore.batch import Progress, run_endings
from landscapes import Surface
from optimizers.schedules import Schedule

MAX_SWEEP = 40  # values per axis: 1,600 runs
MAX_SWEEP_STEPS = 5000

# The settings a sweep may put on its second axis, with the range it spans by default
# (``optimizers.hyper.SPECS``: every sweepable setting but the learning rate, the first axis).
SWEEPABLE = {name: spec.sweep for name, spec in optimizers.SPECS.items() if spec.sweep and name != "lr"}
LR_RANGE = optimizers.SPECS["lr"].sweep  # default learning-rate axis (log-spaced)


def sweep_values(name: str, lo: float, hi: float, count: int) -> np.ndarray:
    """The axis of a sweep: log-spaced for the learning rate, evenly spaced otherwise."""
    if name and optimizers.SPECS[name].log:
        return np.logspace(np.log10(lo), np.log10(hi), count)
    if not name:  # no second setting: one row
        return np.array([np.nan])
    return np.linspace(lo, hi, count)


@dataclass(frozen=True)
class Sweep:
    """Run (lr[i], second[j]) ended as ``label[j, i]``; ``steps_to`` (steps to arrive) -1: did not arrive."""

    rule: str
    second: str | None
    lr: np.ndarray
    values: np.ndarray
    label: np.ndarray
    final_loss: np.ndarray
    steps_to: np.ndarray
    tol: float
    steps: int


def sweep(
    rule: str,
    surface: Surface,
    start: tuple[float, float],
    steps: int,
    lr: np.ndarray,
    second: str | None,
    values: np.ndarray,
    grad_noise: float = 0.0,
    seed: int = 0,
    lr_schedule: Schedule | None = None,
    progress: Progress | None = None,
    **hyper,
) -> Sweep:
    """Run ``rule`` from ``start`` once per (learning rate, ``second``) pair, in one batch.

    ``second`` None sweeps the learning rate alone (one row; ``values`` is ignored).

    With gradient noise, each run draws its own noise from ``seed`` (as ``run_batch`` does).
    """
    r = optimizers.RULES.get(rule)
    if r is None:
        raise ValueError(f"unknown optimizer {rule!r}")
    if second is None:
        values = [np.nan]
    elif second not in r.defaults or second == "lr":
        raise ValueError(f"{r.label} has no setting {second!r} to sweep")
    lr, values = np.asarray(lr, dtype=float), np.asarray(values, dtype=float)
    if not (1 <= lr.size <= MAX_SWEEP and 1 <= values.size <= MAX_SWEEP):
        raise ValueError(f"a sweep has at most {MAX_SWEEP} values per axis")
    if not 1 <= steps <= MAX_SWEEP_STEPS:
        raise ValueError(f"steps must be between 1 and {MAX_SWEEP_STEPS}, got {steps!r}")
    ll, vv = np.meshgrid(lr, values)
    n = ll.size
    starts = np.repeat(np.asarray([start], dtype=float), n, axis=0)
    settings = {**hyper, "lr": ll.ravel()}
    if second is not None:
        settings[second] = vv.ravel()
    ends = run_endings(
        rule,
        surface,
        starts,
        steps,
        settings,
        progress=progress,
        grad_noise=grad_noise,
        seed=seed,
        lr_schedule=lr_schedule,
    )
    return Sweep(rule=rule, second=second, lr=lr, values=values, steps=steps, **ends.grid(ll.shape))
