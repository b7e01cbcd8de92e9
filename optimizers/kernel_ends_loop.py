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

Each run is one long chain of dependent operations, so it steps ``LANES`` starts side by side (step
outer, start inner: their chains overlap in the CPU's pipelines), each start with its own point,
state and bookkeeping. The update goes through the rule's ``update_with(g, state, theta, hyper,
t_factors(t, hyper))``, ``update`` itself with the factors that depend only on t and the
hyperparameters (Adam's 1 - beta1^t, sqrt(1 - beta2^t)) passed in: when the lanes' hyperparameter
rows are equal, they are computed once a step for all of them (the same pow on the same arguments,
the same numbers); a rule without them has ``t_factors = ()``.
"""

init = update = update_with = t_factors = value = gradient = hyper_row = scaled_lr = None

# --- loop ---
import numba  # noqa: E402
import numpy as np  # noqa: E402

from optimizers.kernel import load_lane, rough_layer, same_rows, store_lane  # noqa: E402
from optimizers.kernel_ends import is_near, look  # noqa: E402

LANES = 8  # starts stepped side by side


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
    like = init(starts[0, 0])  # the state's type: each lane's state lives in a row of x_states, y_states
    x_states = np.zeros((LANES, len(like)))
    y_states = np.zeros((LANES, len(like)))
    xs = np.zeros(LANES)
    ys = np.zeros(LANES)
    live = np.zeros(LANES, dtype=np.bool_)
    cands = np.zeros(LANES, dtype=np.int64)
    budgets = np.zeros(LANES)
    cxs = np.zeros(LANES)
    cys = np.zeros(LANES)
    nears = np.zeros(LANES, dtype=np.bool_)
    sinces = np.zeros(LANES, dtype=np.int64)
    for a in range(0, n, LANES):
        w = min(LANES, n - a)
        shared = same_rows(hyper, a, a + w)  # one hyperparameter row: t_factors once a step
        for j in range(w):
            i = a + j
            x = starts[i, 0]
            y = starts[i, 1]
            xs[j] = x
            ys[j] = y
            store_lane(x_states, j, init(x))
            store_lane(y_states, j, init(y))
            cand, budget = look(targets, tol, grid, first, items, x, y)
            cx, cy = 0.0, 0.0
            if cand >= 0:
                cx, cy = targets[cand, 0], targets[cand, 1]
            cands[j] = cand
            budgets[j] = budget
            cxs[j] = cx
            cys[j] = cy
            nears[j] = cand >= 0 and is_near(x - cx, y - cy, tol, inner, outer)
            sinces[j] = 0
            live[j] = True
            diverged[i] = -1
        running = w
        for k in range(steps):
            if running == 0:
                break
            t = k + 1.0  # every start's update count at step k
            h0 = hyper_row(hyper, a)
            if scheduled:
                h0 = scaled_lr(h0, lr_factor[k])
            f0 = t_factors(t, h0)
            for j in range(w):
                if not live[j]:
                    continue
                i = a + j
                x = xs[j]
                y = ys[j]
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
                hk = hyper_row(hyper, i)
                if scheduled:
                    hk = scaled_lr(hk, lr_factor[k])
                f = f0 if shared else t_factors(t, hk)
                px, py = x, y
                x, sx = update_with(gx, load_lane(x_states, j, like), x, hk, f)
                y, sy = update_with(gy, load_lane(y_states, j, like), y, hk, f)
                store_lane(x_states, j, sx)
                store_lane(y_states, j, sy)
                xs[j] = x
                ys[j] = y
                if not (abs(x) <= bound and abs(y) <= bound):  # also catches NaN
                    diverged[i] = k + 1
                    live[j] = False
                    running -= 1
                    continue
                # point k + 1: a new look once the budget is spent, then near cand or not
                budget = budgets[j] - (abs(x - px) + abs(y - py))
                cand = cands[j]
                if budget <= 0.0:
                    cand, budget = look(targets, tol, grid, first, items, x, y)
                    cands[j] = cand
                    if cand >= 0:
                        cxs[j], cys[j] = targets[cand, 0], targets[cand, 1]
                budgets[j] = budget
                if cand >= 0 and is_near(x - cxs[j], y - cys[j], tol, inner, outer):
                    if not nears[j]:
                        nears[j] = True
                        sinces[j] = k + 1
                else:
                    nears[j] = False
        for j in range(w):
            i = a + j
            x = xs[j]
            y = ys[j]
            last[i, 0] = x
            last[i, 1] = y
            final_loss[i] = value(x, y) + rough_layer(tx, ty, coef, box, amplitude, x, y)[0]
            near[i] = cands[j] if nears[j] and diverged[i] < 0 else -1
            settled[i] = sinces[j] if near[i] >= 0 else -1
