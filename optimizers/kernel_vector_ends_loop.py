"""The endings-only loop of vector rules, as a template appended to their compiled kernel modules.

As ``optimizers/kernel_ends_loop.py`` is to ``kernel_loop.py``: the same steps as
``kernel_vector_loop.run_kernel`` (its ``evaluate`` and ``curvature``, defined earlier in the same
generated module, no trail, state not kept), keeping per start only the last point, the last loss,
the divergence step and the nearest target within tol with the step since which the run stayed
near it. A start the rule stops (Newton: H singular) or that is ``still`` (and no noise) rests
where it is for the remaining steps, as in ``run_kernel``.
"""

init = update = still = evaluate = curvature = hyper_row = scaled_lr = None

# --- loop ---
import numba  # noqa: E402
import numpy as np  # noqa: E402

from optimizers.kernel_ends import nearest, rest, track  # noqa: E402


@numba.njit(nogil=True, cache=True)
def ends_kernel(starts, hyper, layer, lr_factor, noise, steps, bound, index, last, final_loss, diverged, near, settled):
    """Fill ``last``, ``final_loss``, ``diverged``, ``near`` and ``settled`` (as the scalar
    ``ends_kernel``); arguments as ``run_kernel``'s, with ``index`` the targets' ``NearIndex``."""
    n = starts.shape[0]
    scheduled = lr_factor.shape[0] > 0
    noisy = noise.shape[1] > 0
    may_rest = not noisy
    no_trail = np.empty((0, 2))
    surface_arg = 0.0
    index = (index[0], index[1], index[2], index[3], index[4], index[5], index[6], index[7], index[8], index[9])
    ntargets = index[0].shape[0]
    last_near = np.empty(ntargets, dtype=np.int64)
    run_start = np.empty(ntargets, dtype=np.int64)
    for i in range(n):
        h = hyper_row(hyper, i)
        x = starts[i, 0]
        y = starts[i, 1]
        state = init(x, y, h)
        last_near[:] = -2
        run_start[:] = -1
        track(index, x, y, 0, last_near, run_start)
        diverged[i] = -1
        near[i] = -1
        settled[i] = -1
        clean = (surface_arg, layer, 0.0, 0.0)
        resting = False
        end_loss = 0.0
        for k in range(steps):
            nx, ny = 0.0, 0.0
            if noisy:
                nx = noise[i, k, 0]
                ny = noise[i, k, 1]
            base, gx, gy = evaluate(clean, x, y)
            f = base + (nx * x + ny * y)
            gx += nx
            gy += ny
            hk = h
            if scheduled:
                hk = scaled_lr(h, lr_factor[k])
            ctx = (surface_arg, layer, nx, ny)
            x, y, state, code = update(f, gx, gy, state, x, y, hk, evaluate, curvature, ctx, no_trail)
            if code != 0:  # the rule stopped: the start stays at (x, y), its loss the step's
                track(index, x, y, k + 1, last_near, run_start)
                rest(index, x, y, k + 1, steps, last_near)
                resting = True
                end_loss = base
                break
            if not (abs(x) <= bound and abs(y) <= bound):  # also catches NaN
                diverged[i] = k + 1
                break
            track(index, x, y, k + 1, last_near, run_start)
            if may_rest and still(state):  # every later step returns this point
                rest(index, x, y, k + 1, steps, last_near)
                resting = True
                end_loss = base
                break
        last[i, 0] = x
        last[i, 1] = y
        final_loss[i] = end_loss if resting else evaluate(clean, x, y)[0]
        if diverged[i] < 0:
            near[i], settled[i] = nearest(index, x, y, steps, last_near, run_start)
