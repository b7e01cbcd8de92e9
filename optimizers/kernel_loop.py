"""The engine's loop, as the template of every compiled kernel (see ``optimizers.kernel_cache``).

This file is not imported. For each (rule, surface) pairing, ``kernel_cache`` writes a small module
whose header binds the four names below to that rule's ``init``/``update`` and that surface's
``value``/``gradient`` (compiled by numba), followed by the text of this file from the ``loop``
marker on. Every function the loop calls is then a global of its own module, so numba's on-disk
cache (``cache=True``) can save and reload the whole kernel; a kernel that took compiled functions
as arguments could not be cached.

Per start i and step k (all in float64, one coordinate at a time, each with its own state):

    g_k       = grad L(theta_k) + rough layer's gradient + noise[i, k]
    theta_k+1 = update(g_k, state_k, theta_k, hyper_i scaled by lr_factor[k])

A start stops once a coordinate is non-finite or beyond ``bound`` (``diverged[i]`` = that step).
"""

# Bound per pairing by the generated header; these placeholders are for readers and linters only.
# ``hyper_row(table, i)`` builds row i's ``Hyper`` by name and ``scaled_lr(h, factor)`` scales its
# learning rate; both are written from ``optimizers.hyper.SPECS`` (see ``kernel_cache.HYPER_HELPERS``).
init = update = value = gradient = hyper_row = scaled_lr = None

# --- loop ---
import numba  # noqa: E402
import numpy as np  # noqa: E402

from optimizers.kernel import rough_layer, store_state  # noqa: E402


@numba.njit(nogil=True, cache=True)
def run_kernel(starts, hyper, layer, lr_factor, noise, steps, bound, path, loss, grads, state_out, diverged):
    """Fill ``path`` (n, steps+1, 2), ``loss`` (n, steps+1), ``grads`` (n, steps, 2),
    ``state_out`` (n, steps+1 or 0, slots, 2) and ``diverged`` (n,) in place.

    Start-major layout: each start's history is contiguous, so the writes stream through
    memory. ``hyper`` is (n, fields) in ``Hyper`` field order; ``noise`` is (n, steps, 2) or empty;
    ``layer`` is the rough layer ``(tx, ty, coef, box, amplitude)`` (amplitude 0: none);
    ``lr_factor`` is (steps,) learning-rate multipliers of a schedule, or empty (constant lr).
    """
    n = starts.shape[0]
    tx, ty, coef, box, amplitude = layer
    keep_state = state_out.shape[1] > 0
    scheduled = lr_factor.shape[0] > 0
    noisy = noise.shape[1] > 0
    layered = amplitude != 0.0
    for i in range(n):
        h = hyper_row(hyper, i)
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
            if layered:
                rough, rx, ry = rough_layer(tx, ty, coef, box, amplitude, x, y)
            else:  # no call: passing the layer's arrays costs ~90 ns a step (reference counts)
                rough, rx, ry = 0.0, 0.0, 0.0
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
                hk = scaled_lr(h, lr_factor[k])
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
