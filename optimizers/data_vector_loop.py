"""The engine's loop for vector rules (Newton, L-BFGS, Adafactor) over minibatches of a data set, the
template of their data kernels (``optimizers.data_kernel``). Like ``optimizers/data_loop.py`` this file
is not imported: the generated module's header binds ``init``/``update`` (the rule's, ``update``
inlined), the hyperparameter helpers and ``NSLOTS``, followed by this file from the ``loop`` marker on.

Per start i and step k, with B_k the indices of step k's batch (``landscapes.data.batches``), as a
PyTorch loop over a DataLoader that calls ``opt.step(closure)`` on each batch:

    L_k(θ)           = 1/|B_k| Σ_{B_k} ℓ(θ) + λR(θ)           the batch's objective (torch's closure)
    batch_loss[i, k] = L_k(θ_k),  grads[i, k] = ∇L_k(θ_k)      exact
    evaluate(ctx_k, θ)  = (L_k(θ), ∇L_k(θ))                    the closure: the SAME batch at any θ
    curvature(ctx_k, θ) = ∇²L_k(θ)                              the batch's exact Hessian (λ∇²R: 2λ diag(m)
                                                                 for L2, 0 for L1)
    θ_k+1            = update(L_k(θ_k), ∇L_k(θ_k), state_k, θ_k, hyper_i, evaluate, curvature, ctx_k,
                              trail[i, k])
    loss[i, k]       = 1/N Σ_all ℓ(θ_k) + λR(θ_k)             every ``every``-th step (NaN between)

A start stops once a weight is non-finite or beyond ``bound`` (``diverged[i]``), or when the rule
stops (``stopped[i]``, Newton's singular batch Hessian): it then stays where it is and its later
records repeat the stopping step's (the full-data loss is that of the point it stays at).
"""

# Bound per rule by the generated header; placeholders for readers and linters only.
init = update = hyper_row = scaled_lr = None
NSLOTS = 0

# --- loop ---
import numba  # noqa: E402
import numpy as np  # noqa: E402

from landscapes.data.models import batch_sums, full_value, reg_terms, sample_hessian  # noqa: E402


@numba.njit(nogil=True)
def evaluate(ctx, x, y):
    """The step's closure: the batch's mean loss + λR and its exact gradient at (x, y)."""
    model, X1, X2, Y, kind, lam, m1, m2, perms, row, o, b, work = ctx
    total, gx, gy = batch_sums(model, x, y, X1, X2, Y, perms, row, o, b, work)
    r0, r1, r2 = reg_terms(kind, lam, m1, m2, x, y)
    return total / b + r0, gx / b + r1, gy / b + r2


@numba.njit(nogil=True)
def curvature(ctx, x, y):
    """The batch objective's exact Hessian (Lxx, Lxy, Lyy) at (x, y)."""
    model, X1, X2, Y, kind, lam, m1, m2, perms, row, o, b, _ = ctx
    a = 0.0
    c = 0.0
    d = 0.0
    for j in range(b):
        s = perms[row, o + j]
        h11, h12, h22 = sample_hessian(model, x, y, X1[s], X2[s], Y[s])
        a += h11
        c += h12
        d += h22
    if kind == 1:
        return a / b + 2.0 * lam * m1, c / b, d / b + 2.0 * lam * m2
    return a / b, c / b, d / b


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
    trail,
    stopped,
):
    """As ``data_loop.run_kernel``, plus ``trail`` (n, steps or 0, E, 2): the points each step evaluated
    (NaN-filled by the caller), and ``stopped`` (n,): the step at which the rule stopped (-1)."""
    model, X1, X2, Y, stats = data
    kind, lam, m1, m2 = reg
    perms, seed_of_start, offset, sizes = batches
    n = starts.shape[0]
    work = np.empty((6, max(Y.shape[0], sizes.max() if steps else 1)))  # gathered batch and sample terms
    w0 = work[0]
    keep_state = state_out.shape[1] > 0
    keep_trail = trail.shape[1] > 0
    scheduled = lr_factor.shape[0] > 0
    no_trail = np.empty((0, 2))
    for i in range(n):
        h = hyper_row(hyper, i)
        row = seed_of_start[i]
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
        for k in range(steps):
            if (every > 0 and k % every == 0) or k == 0:
                loss[i, k] = full_value(model, X1, X2, Y, stats, x, y, w0) + reg_terms(kind, lam, m1, m2, x, y)[0]
            else:
                loss[i, k] = np.nan
            o = offset[k]
            b = sizes[k]
            ctx = (model, X1, X2, Y, kind, lam, m1, m2, perms, row, o, b, work)
            f, gx, gy = evaluate(ctx, x, y)
            batch_loss[i, k] = f
            grads[i, k, 0] = gx
            grads[i, k, 1] = gy
            hk = h
            if scheduled:
                hk = scaled_lr(h, lr_factor[k])
            tr = no_trail
            if keep_trail:
                tr = trail[i, k]
            x, y, state, code = update(f, gx, gy, state, x, y, hk, evaluate, curvature, ctx, tr)
            path[i, k + 1, 0] = x
            path[i, k + 1, 1] = y
            if keep_state:
                for j in range(NSLOTS):
                    state_out[i, k + 1, j, 0] = state[0][j, 0]
                    state_out[i, k + 1, j, 1] = state[0][j, 1]
            if code != 0:  # the rule stopped (Newton: the batch's H singular): the start stays where it is
                stopped[i] = k
                path[i, k + 1 :, 0] = x
                path[i, k + 1 :, 1] = y
                loss[i, k + 1 :] = full_value(model, X1, X2, Y, stats, x, y, w0) + reg_terms(kind, lam, m1, m2, x, y)[0]
                batch_loss[i, k + 1 :] = f
                grads[i, k + 1 :, 0] = gx
                grads[i, k + 1 :, 1] = gy
                if keep_state:
                    for kk in range(k + 2, steps + 1):
                        state_out[i, kk] = state_out[i, k + 1]
                break
            if not (abs(x) <= bound and abs(y) <= bound):  # also catches NaN
                diverged[i] = k + 1
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
