"""The engine's endings-only loop, as a template appended to every compiled kernel module.

Like ``optimizers/kernel_loop.py`` this file is not imported: ``optimizers.kernel_cache`` appends the
text after the loop marker to each generated (rule, surface) module, beside ``run_kernel``, so it
calls the same compiled ``init``/``update``/``value``/``gradient``. Per start i and step k it takes
exactly ``run_kernel``'s steps (same arithmetic, same order: the same points bit for bit)

    g_k       = grad L(theta_k) + rough layer's gradient + noise[i, k]
    theta_k+1 = update(g_k, state_k, theta_k, hyper_i scaled by lr_factor[k])

but keeps no history: per start only the last point, the last loss, the divergence step, and the
target within tol of the last point with the first point from which the run stayed near it
(``optimizers.kernel_ends``: mostly one squared distance a step). Memory is O(starts), not
O(starts x steps).
"""

init = update = value = gradient = hyper_row = scaled_lr = None

# --- loop ---
import numba  # noqa: E402

from optimizers.kernel import rough_layer  # noqa: E402
from optimizers.kernel_ends import is_near, look  # noqa: E402


@numba.njit(nogil=True, cache=True)
def ends_kernel(
    starts,
    hyper,
    layer,
    lr_factor,
    noise,
    steps,
    bound,
    targets,
    tol,
    inner,
    outer,
    grid,
    first,
    items,
    last,
    final_loss,
    diverged,
    near,
    settled,
):
    """Fill ``last`` (n, 2), ``final_loss`` (n,), ``diverged`` (n,), ``near`` (n,) and ``settled`` (n,)
    in place (see ``optimizers.ends_engine.run_batch_ends``); arguments as ``run_kernel``'s, with the
    ``targets`` (K, 2), more than 2 ``tol`` apart, ``inner``, ``outer`` from ``squared_bounds(tol)`` and
    ``grid``, ``first``, ``items`` from ``target_grid`` (``optimizers.kernel_ends``)."""
    n = starts.shape[0]
    tx, ty, coef, box, amplitude = layer
    scheduled = lr_factor.shape[0] > 0
    noisy = noise.shape[1] > 0
    layered = amplitude != 0.0
    for i in range(n):
        h = hyper_row(hyper, i)
        x = starts[i, 0]
        y = starts[i, 1]
        sx = init(x)
        sy = init(y)
        cand, budget = look(targets, tol, grid, first, items, x, y)
        cx, cy = 0.0, 0.0
        if cand >= 0:
            cx, cy = targets[cand, 0], targets[cand, 1]
        near_now = cand >= 0 and is_near(x - cx, y - cy, tol, inner, outer)
        since = 0
        diverged[i] = -1
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
            px, py = x, y
            x, sx = update(gx, sx, x, hk)
            y, sy = update(gy, sy, y, hk)
            if not (abs(x) <= bound and abs(y) <= bound):  # also catches NaN
                diverged[i] = k + 1
                break
            # point k + 1: a new look once the budget is spent, then near cand or not
            budget -= abs(x - px) + abs(y - py)
            if budget <= 0.0:
                cand, budget = look(targets, tol, grid, first, items, x, y)
                if cand >= 0:
                    cx, cy = targets[cand, 0], targets[cand, 1]
            if cand >= 0 and is_near(x - cx, y - cy, tol, inner, outer):
                if not near_now:
                    near_now = True
                    since = k + 1
            else:
                near_now = False
        last[i, 0] = x
        last[i, 1] = y
        final_loss[i] = value(x, y) + rough_layer(tx, ty, coef, box, amplitude, x, y)[0]
        near[i] = cand if near_now and diverged[i] < 0 else -1
        settled[i] = since if near[i] >= 0 else -1
