"""The engine's loop for vector rules, as the template of their compiled kernels.

Like ``optimizers/kernel_loop.py`` this file is not imported: ``optimizers.kernel_cache`` writes, per
(vector rule, surface) pairing, a module whose header binds ``init``/``update`` (the rule's),
``value``/``gradient``/``hessian`` (the surface's, compiled by numba) and ``NSLOTS``, followed by this
file from the loop marker on. Per start i and step k (see ``optimizers.vector``):

    f_k, g_k  = L(theta_k) + n_k·theta_k, grad L(theta_k) + n_k       (rough layer included)
    theta_k+1 = update(f_k, g_k, state_k, theta_k, hyper_i, evaluate, hessian, ctx_k, trail[i, k])

``evaluate`` and ``hessian`` are passed to the rule as compiled functions; ``ctx_k`` carries what
they need (an own formula's function, the rough layer, the step's noise).

A start whose rule says it is ``still`` (its last step returned without moving, and it will again
with the same closure: L-BFGS's early returns) is not stepped any further when nothing would change
its closure (no gradient noise) and its state is not kept: its point, loss and gradient stay.
"""

init = update = still = value = gradient = hessian = hyper_row = scaled_lr = None
NSLOTS = 0

# --- loop ---
import numba  # noqa: E402
import numpy as np  # noqa: E402

from optimizers.kernel import rough_layer  # noqa: E402


@numba.njit(nogil=True, inline="always")
def evaluate(ctx, x, y):
    """The step's closure: L + rough + n·θ and its gradient at (x, y)."""
    fn = ctx[0]  # noqa: F841 (an own formula's function, read by its kernel's value and gradient calls)
    layer = ctx[1]
    nx = ctx[2]
    ny = ctx[3]
    tx, ty, coef, box, amplitude = layer
    rough, rx, ry = 0.0, 0.0, 0.0
    if amplitude != 0.0:
        rough, rx, ry = rough_layer(tx, ty, coef, box, amplitude, x, y)
    gx, gy = gradient(x, y)
    return value(x, y) + rough + (nx * x + ny * y), gx + rx + nx, gy + ry + ny


@numba.njit(nogil=True, inline="always")
def curvature(ctx, x, y):
    """The clean surface's exact Hessian (Lxx, Lxy, Lyy) at (x, y)."""
    fn = ctx[0]  # noqa: F841 (an own formula's function, read by its kernel's hessian call)
    return hessian(x, y)


@numba.njit(nogil=True, cache=True)
def run_kernel(
    starts, hyper, layer, lr_factor, noise, steps, bound, path, loss, grads, state_out, diverged, trail, stopped
):
    """As ``kernel_loop.run_kernel``, plus ``trail`` (n, steps or 0, E, 2): the points each step
    evaluated (NaN-filled by the caller), and ``stopped`` (n,): the step at which the rule stopped (-1)."""
    n = starts.shape[0]
    keep_state = state_out.shape[1] > 0
    keep_trail = trail.shape[1] > 0
    scheduled = lr_factor.shape[0] > 0
    noisy = noise.shape[1] > 0
    may_rest = not noisy and not keep_state
    no_trail = np.empty((0, 2))
    surface_arg = 0.0
    for i in range(n):
        h = hyper_row(hyper, i)
        x = starts[i, 0]
        y = starts[i, 1]
        state = init(x, y, h)
        path[i, 0, 0] = x
        path[i, 0, 1] = y
        if keep_state:
            for j in range(NSLOTS):
                state_out[i, 0, j, 0] = state[0][j, 0]
                state_out[i, 0, j, 1] = state[0][j, 1]
        diverged[i] = -1
        stopped[i] = -1
        clean = (surface_arg, layer, 0.0, 0.0)
        for k in range(steps):
            nx, ny = 0.0, 0.0
            if noisy:
                nx = noise[i, k, 0]
                ny = noise[i, k, 1]
            base, gx, gy = evaluate(clean, x, y)
            loss[i, k] = base
            f = base + (nx * x + ny * y)
            gx += nx
            gy += ny
            grads[i, k, 0] = gx
            grads[i, k, 1] = gy
            hk = h
            if scheduled:
                hk = scaled_lr(h, lr_factor[k])
            tr = no_trail
            if keep_trail:
                tr = trail[i, k]
            ctx = (surface_arg, layer, nx, ny)
            x, y, state, code = update(f, gx, gy, state, x, y, hk, evaluate, curvature, ctx, tr)
            path[i, k + 1, 0] = x
            path[i, k + 1, 1] = y
            if keep_state:
                for j in range(NSLOTS):
                    state_out[i, k + 1, j, 0] = state[0][j, 0]
                    state_out[i, k + 1, j, 1] = state[0][j, 1]
            if code != 0:  # the rule stopped (Newton: H singular): the start stays where it is
                stopped[i] = k
                path[i, k + 1 :, 0] = x
                path[i, k + 1 :, 1] = y
                loss[i, k + 1 :] = base
                grads[i, k + 1 :, 0] = gx
                grads[i, k + 1 :, 1] = gy
                if keep_state:
                    for kk in range(k + 2, steps + 1):
                        state_out[i, kk] = state_out[i, k + 1]
                break
            if not (abs(x) <= bound and abs(y) <= bound):  # also catches NaN
                diverged[i] = k + 1
                loss[i, k + 1] = evaluate(clean, x, y)[0]
                path[i, k + 2 :, :] = np.nan
                loss[i, k + 2 :] = np.nan
                grads[i, k + 1 :, :] = np.nan
                if keep_state:
                    state_out[i, k + 2 :, :, :] = np.nan
                break
            if may_rest and still(state):  # every later step returns this point: fill them in
                path[i, k + 2 :, 0] = x
                path[i, k + 2 :, 1] = y
                loss[i, k + 1 :] = base
                grads[i, k + 1 :, 0] = gx
                grads[i, k + 1 :, 1] = gy
                break
        else:
            loss[i, steps] = evaluate(clean, x, y)[0]
