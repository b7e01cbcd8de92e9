"""The endings-only loop of vector rules, as a template appended to their compiled kernel modules.

As ``optimizers/kernel_ends_loop.py`` is to ``kernel_loop.py``: the same steps as
``kernel_vector_loop.run_kernel`` (its ``evaluate`` and ``curvature``, defined earlier in the same
generated module, no trail, state not kept), keeping per start only the last point, the last loss,
the divergence step and the target within tol of the last point with the point since which the
run stayed near it (``optimizers.kernel_ends``). A start the rule stops (Newton: H singular) or
that is ``still`` (and no noise) rests where it is for the remaining steps, as in ``run_kernel``.
"""

init = update = still = evaluate = curvature = hyper_row = scaled_lr = None

# --- loop ---
import numba  # noqa: E402
import numpy as np  # noqa: E402

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
    """Fill ``last``, ``final_loss``, ``diverged``, ``near`` and ``settled`` (as the scalar
    ``ends_kernel``, with the same arguments)."""
    n = starts.shape[0]
    scheduled = lr_factor.shape[0] > 0
    noisy = noise.shape[1] > 0
    may_rest = not noisy
    no_trail = np.empty((0, 2))
    surface_arg = 0.0
    for i in range(n):
        h = hyper_row(hyper, i)
        x = starts[i, 0]
        y = starts[i, 1]
        state = init(x, y, h)
        cand, budget = look(targets, tol, grid, first, items, x, y)
        cx, cy = 0.0, 0.0
        if cand >= 0:
            cx, cy = targets[cand, 0], targets[cand, 1]
        near_now = cand >= 0 and is_near(x - cx, y - cy, tol, inner, outer)
        since = 0
        diverged[i] = -1
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
            px, py = x, y
            x, y, state, code = update(f, gx, gy, state, x, y, hk, evaluate, curvature, ctx, no_trail)
            # the rule stopped (Newton: H singular): the start stays at (x, y), its loss the step's
            stop = code != 0
            if not stop and not (abs(x) <= bound and abs(y) <= bound):  # also catches NaN
                diverged[i] = k + 1
                break
            # point k + 1 (and, when the run rests, every later one: the same point), as the scalar loop
            budget -= abs(x - px) + abs(y - py)
            if not budget > 0.0:  # spent (or NaN: a stopped rule's point that is not finite)
                cand, budget = look(targets, tol, grid, first, items, x, y)
                if cand >= 0:
                    cx, cy = targets[cand, 0], targets[cand, 1]
            if cand >= 0 and is_near(x - cx, y - cy, tol, inner, outer):
                if not near_now:
                    near_now = True
                    since = k + 1
            else:
                near_now = False
            if stop or (may_rest and still(state)):  # every later step returns this point
                resting = True
                end_loss = base
                break
        last[i, 0] = x
        last[i, 1] = y
        final_loss[i] = end_loss if resting else evaluate(clean, x, y)[0]
        near[i] = cand if near_now and diverged[i] < 0 else -1
        settled[i] = since if near[i] >= 0 else -1
