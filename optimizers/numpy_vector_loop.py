"""The fallback loop for vector rules: one start at a time, the rule's own source as plain Python.

Fills the same arrays as ``optimizers/kernel_vector_loop.py`` (start-major) and gives the same
numbers; used for surfaces without compiled functions and for Newton on a rough surface (whose
layer's Hessian comes from scipy's spline).
"""

from __future__ import annotations

import numpy as np

from optimizers.rule import Hyper, Rule
from optimizers.vector import numpy_closure


def run_numpy_vector(
    rule: Rule,
    surface,
    starts: np.ndarray,
    table: np.ndarray,
    lr_factor: np.ndarray,
    noise: np.ndarray,
    steps: int,
    bound: float,
    path,
    loss,
    grads,
    state_out,
    diverged,
    trail,
    stopped,
) -> None:
    """Same contract as the compiled vector kernel (start-major arrays, filled in place);
    ``noise`` is (n, steps, 2) or (n, 0, 2)."""
    module = __import__(rule.update.__module__, fromlist=["init"])
    init, update = module.init, module.update
    still = getattr(module, "still", None)  # see kernel_vector_loop.py
    keep_state = state_out.shape[1] > 0
    keep_trail = trail.shape[1] > 0
    no_trail = np.empty((0, 2))
    may_rest = still is not None and noise.shape[1] == 0 and not keep_state
    clean_eval, _ = numpy_closure(surface, 0.0, 0.0)
    with np.errstate(all="ignore"):
        for i in range(starts.shape[0]):
            h = Hyper(*(float(v) for v in table[i]))
            x, y = float(starts[i, 0]), float(starts[i, 1])
            state = init(x, y, h)
            path[i, 0] = (x, y)
            if keep_state:
                state_out[i, 0] = state[0]
            diverged[i] = -1
            stopped[i] = -1
            for k in range(steps):
                nx, ny = (float(noise[i, k, 0]), float(noise[i, k, 1])) if noise.shape[1] else (0.0, 0.0)
                base, gx, gy = clean_eval(None, x, y)
                loss[i, k] = base
                f = base + (nx * x + ny * y)
                gx, gy = gx + nx, gy + ny
                grads[i, k] = (gx, gy)
                hk = h._replace(lr=h.lr * lr_factor[k]) if lr_factor.size else h
                evaluate, hessian = numpy_closure(surface, nx, ny)
                tr = trail[i, k] if keep_trail else no_trail
                x, y, state, code = update(f, gx, gy, state, x, y, hk, evaluate, hessian, None, tr)
                x, y = float(x), float(y)
                path[i, k + 1] = (x, y)
                if keep_state:
                    state_out[i, k + 1] = state[0]
                if code != 0:
                    stopped[i] = k
                    path[i, k + 1 :] = (x, y)
                    loss[i, k + 1 :] = base
                    grads[i, k + 1 :] = (gx, gy)
                    if keep_state:
                        state_out[i, k + 1 :] = state[0]
                    break
                if not (abs(x) <= bound and abs(y) <= bound):
                    diverged[i] = k + 1
                    loss[i, k + 1] = clean_eval(None, x, y)[0] if np.isfinite([x, y]).all() else np.nan
                    path[i, k + 2 :] = np.nan
                    loss[i, k + 2 :] = np.nan
                    grads[i, k + 1 :] = np.nan
                    if keep_state:
                        state_out[i, k + 2 :] = np.nan
                    break
                if may_rest and still(state):
                    path[i, k + 2 :] = (x, y)
                    loss[i, k + 1 :] = base
                    grads[i, k + 1 :] = (gx, gy)
                    break
            else:
                loss[i, steps] = clean_eval(None, x, y)[0]
