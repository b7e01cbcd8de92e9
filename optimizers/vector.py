"""Vector rules: updates that see the whole 2-vector, a closure and the exact Hessian.

Newton, L-BFGS and Adafactor are not coordinate-wise, so their module's pair is

    init(x, y, hyper) -> (shown, buf)
    update(f, gx, gy, state, x, y, hyper, evaluate, hessian, ctx, trail) -> (x, y, state, code)

written with scalars, ``math`` and in-place writes into float64 arrays only, so that the same source
runs as plain Python (the numpy fallback, ``optimizers.numpy_vector_loop``) and compiled by numba in
the engine's loop (``optimizers/kernel_vector_loop.py``). ``state = (shown, buf)``: ``shown`` is
(len(slots), 2), the rows the inspector and ``RunResult.state`` see (the Rule's slots);
``buf`` is the rule's private memory (L-BFGS's history). Arrays are updated in place.

``f, gx, gy`` are the step's loss and gradient at (x, y) (noise included, see below);
``evaluate(ctx, x, y) -> (f, gx, gy)`` is the closure (torch's ``closure()``) and
``hessian(ctx, x, y) -> (Lxx, Lxy, Lyy)`` the exact Hessian of the clean surface. With gradient
noise n_k on step k, the step's loss is L(θ) + n_k·θ, so every evaluation within one step sees one
consistent function whose gradient is the noisy gradient. ``trail`` is (E, 2): the rule writes the
points it evaluates there (up to E, ``Rule.evals``). ``code`` is 0, or a stop code (``Rule.stops``
names it): the start then stays where it is for the remaining steps (``RunResult.stopped_at``).
"""

from __future__ import annotations

import math

import numpy as np


def numpy_closure(surface, noise_x: float, noise_y: float):
    """``evaluate`` and ``hessian`` for the fallback loop: the surface's own (rough layer included)."""

    def evaluate(ctx, x, y):
        gx, gy = surface.gradient(np.float64(x), np.float64(y))
        f = float(surface.value(np.float64(x), np.float64(y)))
        return f + (noise_x * x + noise_y * y), float(gx) + noise_x, float(gy) + noise_y

    def hessian(ctx, x, y):
        if surface.hessian is None:
            return math.nan, math.nan, math.nan
        hxx, hxy, hyy = surface.hessian(np.float64(x), np.float64(y))
        return float(hxx), float(hxy), float(hyy)

    return evaluate, hessian
