"""The compiled loop: every start, every step, in numba-compiled machine code.

Why numba: a 2-D point is two floats, so a step does a few dozen flops and the cost of a run
is all per-step overhead. A Python or numpy-per-step loop pays microseconds of interpreter and
array-allocation overhead per step (about 70x faster than the notebook's loop at best); here
one step is a few dozen nanoseconds, because the rule's ``update`` and the surface's
``gradient`` are compiled for scalars and inlined into one loop that keeps the state in
registers. The rule and surface functions are passed in as first-class compiled functions, so
one kernel serves every (rule, surface) pair (compiled once per pairing and process).

Each coordinate is updated by its own call of the rule's ``update`` on floats (every rule is
coordinate-wise), with its own state tuple.
"""

from __future__ import annotations

import numba
import numpy as np
from numba.extending import overload

from landscapes.bspline import bicubic
from optimizers.rule import Hyper


def store_state(out, i, k, sx, sy):
    """out[i, k, j] = (sx[j], sy[j]) for each state slot j (compiled through ``overload``)."""


@overload(store_state)
def _store_state(out, i, k, sx, sy):
    if len(sx) == 0:  # stateless rule (plain SGD): nothing to store
        return lambda out, i, k, sx, sy: None

    def impl(out, i, k, sx, sy):
        for j in range(len(sx)):
            out[i, k, j, 0] = sx[j]
            out[i, k, j, 1] = sy[j]

    return impl


@numba.njit
def rough_layer(tx, ty, coef, box, amplitude, x, y):
    """(amplitude * S, its gradient) at the clipped point; no gradient along an axis outside the box."""
    if amplitude == 0.0:
        return 0.0, 0.0, 0.0
    if not (np.isfinite(x) and np.isfinite(y)):
        return np.nan, 0.0, 0.0
    cx = min(max(x, box[0]), box[1])
    cy = min(max(y, box[2]), box[3])
    s, sx, sy = bicubic(tx, ty, coef, cx, cy)
    gx = amplitude * sx if box[0] <= x <= box[1] else 0.0
    gy = amplitude * sy if box[2] <= y <= box[3] else 0.0
    return amplitude * s, gx, gy


# No cache=True here: numba's on-disk cache of functions that take other compiled functions as
# arguments failed to save (KeyError in numba.core.caching) when a second process compiled a new
# pairing; each process compiles a (rule, surface) pairing once, in about half a second.
@numba.njit(nogil=True)
def run_kernel(
    init,
    update,
    value,
    gradient,
    layer,
    starts,
    hyper,
    lr_factor,
    noise,
    steps,
    bound,
    path,
    loss,
    grads,
    state_out,
    diverged,
):
    """Fill ``path`` (n, steps+1, 2), ``loss`` (n, steps+1), ``grads`` (n, steps, 2),
    ``state_out`` (n, steps+1 or 0, slots, 2) and ``diverged`` (n,) in place.

    Start-major layout: each start's history is contiguous, so the writes stream through
    memory. ``hyper`` is (n, 7) in ``Hyper`` field order; ``noise`` is (n, steps, 2) or empty;
    ``layer`` is the rough layer ``(tx, ty, coef, box, amplitude)`` (amplitude 0: none);
    ``lr_factor`` is (steps,) learning-rate multipliers of a schedule, or empty (constant lr).
    """
    n = starts.shape[0]
    tx, ty, coef, box, amplitude = layer
    keep_state = state_out.shape[1] > 0
    scheduled = lr_factor.shape[0] > 0
    noisy = noise.shape[1] > 0
    for i in range(n):
        h = Hyper(hyper[i, 0], hyper[i, 1], hyper[i, 2], hyper[i, 3], hyper[i, 4], hyper[i, 5], hyper[i, 6])
        x = starts[i, 0]
        y = starts[i, 1]
        sx = init(x)
        sy = init(y)
        path[i, 0, 0] = x
        path[i, 0, 1] = y
        if keep_state:
            store_state(state_out, i, 0, sx, sy)
        diverged[i] = -1
        for k in range(steps):
            # value and gradient at the same point, side by side: once both are inlined, LLVM
            # shares their common subexpressions (exp, sin, cos of the same arguments).
            rough, rx, ry = rough_layer(tx, ty, coef, box, amplitude, x, y)
            loss[i, k] = value(x, y) + rough
            gx, gy = gradient(x, y)
            gx += rx
            gy += ry
            if noisy:
                gx += noise[i, k, 0]
                gy += noise[i, k, 1]
            grads[i, k, 0] = gx
            grads[i, k, 1] = gy
            hk = h
            if scheduled:
                hk = Hyper(h.lr * lr_factor[k], h.rho, h.decay, h.beta1, h.beta2, h.eps, h.weight_decay)
            x, sx = update(gx, sx, x, hk)
            y, sy = update(gy, sy, y, hk)
            path[i, k + 1, 0] = x
            path[i, k + 1, 1] = y
            if keep_state:
                store_state(state_out, i, k + 1, sx, sy)
            if not (abs(x) <= bound and abs(y) <= bound):  # also catches NaN
                diverged[i] = k + 1
                loss[i, k + 1] = value(x, y) + rough_layer(tx, ty, coef, box, amplitude, x, y)[0]
                path[i, k + 2 :, :] = np.nan
                loss[i, k + 2 :] = np.nan
                grads[i, k + 1 :, :] = np.nan
                if keep_state:
                    state_out[i, k + 2 :, :, :] = np.nan
                break
        else:
            loss[i, steps] = value(x, y) + rough_layer(tx, ty, coef, box, amplitude, x, y)[0]
