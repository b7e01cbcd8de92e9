"""``run_batch_ends``: many runs, only their ends kept (basin maps, sweeps), in memory O(starts).

``run_batch`` keeps every run's history (path, loss, gradients: ~40 bytes a start-step); a basin
map reads only how each run ended. This runs the same compiled steps (``ends_kernel``, generated
beside ``run_kernel`` per (rule, surface), ``optimizers/kernel_ends_loop.py`` and
``kernel_vector_ends_loop.py``) and keeps per start the last point, the last loss, the divergence
step, and for known ``targets`` (a surface's minima) the one nearest to the last point within ``tol``
with the first point index from which the run stayed within ``tol`` of it (``optimizers.kernel_ends``;
the targets must lie more than 2 tol apart, so that a point is near at most one).

Supported (``ends_supported``): a compiled surface (built-in, or an own formula numba compiled), any
rule, coordinate-wise or vector, gradient noise, an lr schedule, per-start hyperparameters. Not: data
landscapes (minibatches: ``optimizers.data_engine``), formulas numba refused and Hessian rules on a
rough surface (both run on the numpy loop); their callers use ``run_batch``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import numpy as np

from optimizers.engine import _layer, gradient_noise
from optimizers.kernel_cache import ends_kernel, formula_ends_kernel
from optimizers.kernel_ends import separated, squared_bounds, target_grid
from optimizers.schedules import Schedule, multipliers
from optimizers.validation import (
    DEFAULT_BOUND,
    check_bound,
    check_noise,
    check_rule,
    check_starts,
    check_steps,
    hyper_for,
    hyper_table,
)


@dataclass(frozen=True, kw_only=True)
class BatchEnds:
    """Per start i: ``last[i]`` the last point (the diverging one when diverged), ``final_loss[i]`` the
    loss there (as ``RunResult.loss[-1]``), ``diverged_at[i]`` (-1: did not), ``nearest[i]`` the
    target within ``tol`` nearest to the last point (-1: none, or diverged) and ``settled[i]`` the first
    point index from which every later point is within ``tol`` of that target (-1: none)."""

    last: np.ndarray
    final_loss: np.ndarray
    diverged_at: np.ndarray
    nearest: np.ndarray
    settled: np.ndarray


def ends_supported(rule: str, surface) -> bool:
    """Whether ``run_batch_ends`` can run ``rule`` on ``surface`` (see the module docstring)."""
    r = check_rule(rule)
    if getattr(surface, "problem", None) is not None:
        return False
    fn = getattr(surface, "kernel_function", None)
    compiled = fn is not None or (surface.kernel_gradient is not None and surface.kernel_value is not None)
    rough = surface.layer is not None and surface.layer.amplitude != 0.0
    return compiled and not (r.uses_hessian and rough)


def run_batch_ends(
    rule: str,
    surface,
    starts,
    steps: int,
    targets,
    tol: float,
    grad_noise: float = 0.0,
    seed: int = 0,
    bound: float = DEFAULT_BOUND,
    lr_schedule: Schedule | None = None,
    first_stream: int = 0,
    **hyper,
) -> BatchEnds:
    """The ends of ``run_batch(rule, surface, starts, steps, grad_noise, seed, bound, lr_schedule=...,
    first_stream=..., **hyper)``, the same steps bit for bit, without their history; ``targets`` (k, 2)
    and ``tol`` decide ``nearest`` and ``settled``; the targets must lie more than 2 tol apart
    (``optimizers.kernel_ends.separated``). Raises ValueError where ``ends_supported`` is False."""
    r = check_rule(rule)
    steps = check_steps(steps)
    starts = check_starts(starts)
    sigma, seed = check_noise(grad_noise, seed)
    bound = check_bound(bound)
    if not ends_supported(rule, surface):
        raise ValueError(f"{r.name} on {surface.name!r} has no compiled endings loop; use run_batch")
    n = starts.shape[0]
    table = hyper_table(hyper_for(r, hyper), n)
    noise = np.ascontiguousarray(gradient_noise(sigma, seed, steps, n, first_stream).swapaxes(0, 1))
    lr_factor = np.empty(0) if lr_schedule is None else multipliers(lr_schedule, steps)
    targets = np.ascontiguousarray(np.asarray(targets, dtype=float).reshape(-1, 2))
    tol = float(tol)
    if not (np.isfinite(targets).all() and np.isfinite(tol) and tol >= 0):
        raise ValueError("targets and tol must be finite (tol >= 0)")
    if not separated(targets, tol):
        raise ValueError("targets must lie more than 2 tol apart (a point near two of them: use run_batch)")
    fn = getattr(surface, "kernel_function", None)
    if fn is not None:
        run = partial(formula_ends_kernel(r), fn)
    else:
        run = ends_kernel(r, surface.kernel_value, surface.kernel_gradient)
    last = np.empty((n, 2))
    final_loss = np.empty(n)
    diverged = np.empty(n, dtype=np.int64)
    nearest = np.empty(n, dtype=np.int64)
    settled = np.empty(n, dtype=np.int64)
    near = (targets, tol, *squared_bounds(tol), *target_grid(targets, tol))
    args = (starts, table, _layer(surface), lr_factor, noise, steps, bound, *near)
    run(*args, last, final_loss, diverged, nearest, settled)
    return BatchEnds(last=last, final_loss=final_loss, diverged_at=diverged, nearest=nearest, settled=settled)
