"""The engine's loop over minibatches of a data set, the template of every data kernel (see
``optimizers.data_kernel``). Like ``optimizers/kernel_loop.py`` this file is not imported: for each rule
``data_kernel`` writes a module whose header binds ``init``/``update`` and the hyperparameter helpers,
followed by the text of this file from the ``loop`` marker on, compiled with numba's on-disk cache.

Per start i and step k, with B_k the indices of step k's batch (``landscapes.data.batches``):

    loss[i, k]       = 1/N Σ_all ℓ(θ_k) + λR(θ_k)            the full-data objective
    batch_loss[i, k] = 1/|B_k| Σ_{B_k} ℓ(θ_k) + λR(θ_k)      the loss the step sees
    g_k              = ∇ batch_loss (exact: the batch's mean gradient plus λ∇R)
    θ_k+1            = update(g_k, state_k, θ_k, hyper_i scaled by lr_factor[k])

A start stops once a weight is non-finite or beyond ``bound`` (``diverged[i]`` = that step).
"""

# Bound per rule by the generated header; placeholders for readers and linters only.
init = update = hyper_row = scaled_lr = None

# --- loop ---
import numba  # noqa: E402
import numpy as np  # noqa: E402

from landscapes.data.models import batch_sums, full_value, reg_terms  # noqa: E402
from optimizers.kernel import store_state  # noqa: E402


@numba.njit(nogil=True, cache=True)
def run_kernel(
    starts,
    hyper,
    lr_factor,
    steps,
    bound,
    every,
    data,
    reg,
    batches,
    path,
    loss,
    batch_loss,
    grads,
    state_out,
    diverged,
):
    """Fill ``path`` (n, steps+1, 2), ``loss`` (n, steps+1), ``batch_loss`` and ``grads`` (n, steps[, 2]),
    ``state_out`` and ``diverged`` in place. ``data`` = (model, x₁, x₂, y, stats) (the data's columns);
    ``reg`` = (kind, λ, m₁, m₂); ``batches`` = (perms, seed_of_start, offset, sizes). The full-data loss
    (N samples each) is taken at steps k with k % ``every`` == 0 and at the end, or either side of a
    divergence (``every`` 1: at every step; 0: at the start and the end only; NaN elsewhere), since it
    costs N/B times the step itself."""
    model, X1, X2, Y, stats = data
    kind, lam, m1, m2 = reg
    perms, seed_of_start, offset, sizes = batches
    n = starts.shape[0]
    work = np.empty((6, max(Y.shape[0], sizes.max() if steps else 1)))  # gathered batch and sample terms
    w0 = work[0]
    keep_state = state_out.shape[1] > 0
    scheduled = lr_factor.shape[0] > 0
    for i in range(n):
        h = hyper_row(hyper, i)
        row = seed_of_start[i]
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
            r0, r1, r2 = reg_terms(kind, lam, m1, m2, x, y)
            if (every > 0 and k % every == 0) or k == 0:
                loss[i, k] = full_value(model, X1, X2, Y, stats, x, y, w0) + r0
            else:
                loss[i, k] = np.nan
            o = offset[k]
            b = sizes[k]
            total, gx, gy = batch_sums(model, x, y, X1, X2, Y, perms, row, o, b, work)
            batch_loss[i, k] = total / b + r0
            gx = gx / b + r1
            gy = gy / b + r2
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
                if np.isnan(loss[i, k]):  # the last finite point's loss (the table's final loss) is known
                    loss[i, k] = full_value(model, X1, X2, Y, stats, path[i, k, 0], path[i, k, 1], w0) + r0
                loss[i, k + 1] = full_value(model, X1, X2, Y, stats, x, y, w0) + reg_terms(kind, lam, m1, m2, x, y)[0]
                path[i, k + 2 :, :] = np.nan
                loss[i, k + 2 :] = np.nan
                grads[i, k + 1 :, :] = np.nan
                batch_loss[i, k + 1 :] = np.nan
                if keep_state:
                    state_out[i, k + 2 :, :, :] = np.nan
                break
        else:
            loss[i, steps] = full_value(model, X1, X2, Y, stats, x, y, w0) + reg_terms(kind, lam, m1, m2, x, y)[0]
