"""The compiled loop: every start, every step, in numba-compiled machine code.

Why numba: a 2-D point is two floats, so a step does a few dozen flops and the cost of a run
is all per-step overhead. A Python or numpy-per-step loop pays microseconds of interpreter and
array-allocation overhead per step (about 70x faster than the notebook's loop at best); here
one step is a few dozen nanoseconds, because the rule's ``update`` and the surface's
``gradient`` are compiled for scalars and inlined into one loop that keeps the state in
registers. The rule and surface functions are passed in as first-class compiled functions, so
one kernel serves every (rule, surface) pair; numba caches each pairing on disk.

Each coordinate is updated by its own call of the rule's ``update`` on floats (every rule is
coordinate-wise), with its own state tuple.
"""

from __future__ import annotations

import numba
import numpy as np
from numba.extending import overload

from optimizers.rule import Hyper


def store_state(out, k, i, sx, sy):
    """out[k, i, j] = (sx[j], sy[j]) for each state slot j (compiled through ``overload``)."""


@overload(store_state)
def _store_state(out, k, i, sx, sy):
    if len(sx) == 0:  # stateless rule (plain SGD): nothing to store
        return lambda out, k, i, sx, sy: None

    def impl(out, k, i, sx, sy):
        for j in range(len(sx)):
            out[k, i, j, 0] = sx[j]
            out[k, i, j, 1] = sy[j]

    return impl


@numba.njit(cache=True)
def run_kernel(init, update, value, gradient, starts, hyper, noise, steps, bound,
               path, loss, grads, state_out, diverged):
    """Fill ``path`` (steps+1, n, 2), ``loss`` (steps+1, n), ``grads`` (steps, n, 2),
    ``state_out`` (steps+1 or 0, n, slots, 2) and ``diverged`` (n,) in place.

    ``hyper`` is (n, 7) in ``Hyper`` field order; ``noise`` is (steps, n, 2) or empty.
    """
    n = starts.shape[0]
    keep_state = state_out.shape[0] > 0
    noisy = noise.shape[0] > 0
    for i in range(n):
        h = Hyper(hyper[i, 0], hyper[i, 1], hyper[i, 2], hyper[i, 3], hyper[i, 4], hyper[i, 5], hyper[i, 6])
        x = starts[i, 0]
        y = starts[i, 1]
        sx = init(x)
        sy = init(y)
        path[0, i, 0] = x
        path[0, i, 1] = y
        loss[0, i] = value(x, y)
        if keep_state:
            store_state(state_out, 0, i, sx, sy)
        diverged[i] = -1
        for k in range(steps):
            gx, gy = gradient(x, y)
            if noisy:
                gx += noise[k, i, 0]
                gy += noise[k, i, 1]
            grads[k, i, 0] = gx
            grads[k, i, 1] = gy
            x, sx = update(gx, sx, x, h)
            y, sy = update(gy, sy, y, h)
            path[k + 1, i, 0] = x
            path[k + 1, i, 1] = y
            loss[k + 1, i] = value(x, y)
            if keep_state:
                store_state(state_out, k + 1, i, sx, sy)
            if not (abs(x) <= bound and abs(y) <= bound):  # also catches NaN
                diverged[i] = k + 1
                path[k + 2:, i, :] = np.nan
                loss[k + 2:, i] = np.nan
                grads[k + 1:, i, :] = np.nan
                if keep_state:
                    state_out[k + 2:, i, :, :] = np.nan
                break
