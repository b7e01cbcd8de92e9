"""The engine's endings-only loop, as a template appended to every compiled kernel module.

Like ``optimizers/kernel_loop.py`` this file is not imported: ``optimizers.kernel_cache`` appends the
text after the loop marker to each generated (rule, surface) module, beside ``run_kernel``, so it
calls the same compiled ``init``/``update``/``value``/``gradient``. Per start i and step k it takes
exactly ``run_kernel``'s steps (same arithmetic, same order: the same points bit for bit)

    g_k       = grad L(theta_k) + rough layer's gradient + noise[i, k]
    theta_k+1 = update(g_k, state_k, theta_k, hyper_i scaled by lr_factor[k])

but keeps no history: per start only the last point, the last loss, the divergence step, and the
nearest target within tol with the first step from which the run stayed near it
(``optimizers.kernel_ends``). Memory is O(starts + targets), not O(starts x steps).
"""

init = update = value = gradient = hyper_row = scaled_lr = None

# --- loop ---
import numba  # noqa: E402
import numpy as np  # noqa: E402

from optimizers.kernel import rough_layer  # noqa: E402
from optimizers.kernel_ends import nearest, track  # noqa: E402


@numba.njit(nogil=True, cache=True)
def ends_kernel(starts, hyper, layer, lr_factor, noise, steps, bound, index, last, final_loss, diverged, near, settled):
    """Fill ``last`` (n, 2), ``final_loss`` (n,), ``diverged`` (n,), ``near`` (n,) and ``settled`` (n,)
    in place (see ``optimizers.ends_engine.run_batch_ends``); arguments as ``run_kernel``'s, with
    ``index`` the targets' ``NearIndex`` as a tuple."""
    n = starts.shape[0]
    tx, ty, coef, box, amplitude = layer
    scheduled = lr_factor.shape[0] > 0
    noisy = noise.shape[1] > 0
    layered = amplitude != 0.0
    index = (index[0], index[1], index[2], index[3], index[4], index[5], index[6], index[7], index[8], index[9])
    ntargets = index[0].shape[0]
    last_near = np.empty(ntargets, dtype=np.int64)
    run_start = np.empty(ntargets, dtype=np.int64)
    for i in range(n):
        h = hyper_row(hyper, i)
        x = starts[i, 0]
        y = starts[i, 1]
        sx = init(x)
        sy = init(y)
        last_near[:] = -2
        run_start[:] = -1
        track(index, x, y, 0, last_near, run_start)
        diverged[i] = -1
        near[i] = -1
        settled[i] = -1
        for k in range(steps):
            if layered:
                _, rx, ry = rough_layer(tx, ty, coef, box, amplitude, x, y)
            else:  # no call (see run_kernel); the loss along the way is not kept
                rx, ry = 0.0, 0.0
            gx, gy = gradient(x, y)
            gx += rx
            gy += ry
            if noisy:
                gx += noise[i, k, 0]
                gy += noise[i, k, 1]
            hk = h
            if scheduled:
                hk = scaled_lr(h, lr_factor[k])
            x, sx = update(gx, sx, x, hk)
            y, sy = update(gy, sy, y, hk)
            if not (abs(x) <= bound and abs(y) <= bound):  # also catches NaN
                diverged[i] = k + 1
                break
            track(index, x, y, k + 1, last_near, run_start)
        last[i, 0] = x
        last[i, 1] = y
        final_loss[i] = value(x, y) + rough_layer(tx, ty, coef, box, amplitude, x, y)[0]
        if diverged[i] < 0:
            near[i], settled[i] = nearest(index, x, y, steps, last_near, run_start)
