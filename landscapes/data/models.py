"""Three models with two weights W = (w₁, w₂), their per-sample loss, gradient and Hessian, and λR(W).

Model ids (``MODELS``), per sample (xᵢ, yᵢ), with x = (x₁, x₂) (regression uses x₁ only):

0 ``linear``   ŷ = w₁x + w₂,              ℓ = (ŷ − y)²                (torch: nn.Linear(1, 1), MSELoss)
1 ``logistic`` z = w₁x₁ + w₂x₂, ŷ = σ(z),  ℓ = softplus(z) − y·z       (torch: nn.Linear(2, 1, bias=False),
                                                                          BCEWithLogitsLoss = sigmoid + BCE)
2 ``tanh``     ŷ = w₂·tanh(w₁x),           ℓ = (ŷ − y)²                (one tanh unit, MSELoss)

The data loss is the mean over a set S of samples, L_S(W) = 1/|S| Σ_{i∈S} ℓᵢ(W), and the objective
adds the regulariser, L_S(W) + λR(W), with

    R = ‖m⊙W‖²   (``L2``, kind 1): ∇ = 2λ m⊙W,          ∇² = 2λ diag(m)
    R = ‖m⊙W‖₁   (``L1``, kind 2): ∇ = λ m⊙sign(W),     ∇² = 0   (sign(0) = 0, as torch.sign)

where the mask m = (1, 1), or (1, 0) for linear regression whose bias w₂ is not regularised.

Every function here is numba-compiled for scalars and loops over samples (the engine's batch loop,
and the grids of the drawn surface, call them). The loops over samples read the inputs column by
column (contiguous x₁, x₂, y) and use ``landscapes.data.vmath``'s exp and tanh, so that LLVM turns
them into SIMD code; their sums are reassociated reductions (within rounding of the sum in order).
"""

from __future__ import annotations

import math

import numba
import numpy as np

from landscapes.data import vmath

MODELS = ("linear", "logistic", "tanh")
REGULARISERS = ("none", "L2", "L1")
LINEAR, LOGISTIC, TANH = 0, 1, 2

# numba's on-disk cache of a function is keyed by its own file: this file's cached loops inline
# ``vmath``, so this line changes with vmath.py (tests/test_data_vmath.py checks it), and every edit
# of vmath.py therefore refreshes this file's cache too.
VMATH_SHA256 = "21b3aa2f06efaf44"


@numba.njit(cache=True, inline="always")
def sample_terms(model, w1, w2, x1, x2, y):
    """(ℓ, ∂ℓ/∂w₁, ∂ℓ/∂w₂) of one sample (``vmath``'s exp and tanh: a loop of it is SIMD code)."""
    if model == 0:
        r = w1 * x1 + w2 - y
        return r * r, 2.0 * r * x1, 2.0 * r
    if model == 1:
        z = w1 * x1 + w2 * x2
        e = vmath.exp(-abs(z))  # softplus(z) = max(z, 0) + log1p(e), σ(z) = (1 or e) / (1 + e)
        pos = z if z > 0.0 else 0.0
        d = (1.0 if z >= 0.0 else e) / (1.0 + e) - y
        return pos + vmath.log1p_unit(e) - y * z, d * x1, d * x2
    t = vmath.tanh(w1 * x1)
    r = w2 * t - y
    return r * r, 2.0 * r * w2 * (1.0 - t * t) * x1, 2.0 * r * t


@numba.njit(cache=True, inline="always")
def sample_value(model, w1, w2, x1, x2, y):
    """ℓ of one sample (``sample_terms``' first part, without the gradient's division)."""
    if model == 0:
        r = w1 * x1 + w2 - y
        return r * r
    if model == 1:
        z = w1 * x1 + w2 * x2
        return (z if z > 0.0 else 0.0) + vmath.log1p_unit(vmath.exp(-abs(z))) - y * z
    r = w2 * vmath.tanh(w1 * x1) - y
    return r * r


@numba.njit(cache=True, error_model="numpy")  # no zero-division branch: SIMD
def fill_terms(model, w1, w2, x1, x2, y, b, out):
    """out[0:3, j] = ``sample_terms`` of sample j < b of the contiguous x1, x2, y (one loop per model,
    free of calls and branches: SIMD)."""
    if model == 0:
        for j in range(b):
            out[0, j], out[1, j], out[2, j] = sample_terms(0, w1, w2, x1[j], x2[j], y[j])
    elif model == 1:
        for j in range(b):
            out[0, j], out[1, j], out[2, j] = sample_terms(1, w1, w2, x1[j], x2[j], y[j])
    else:
        for j in range(b):
            out[0, j], out[1, j], out[2, j] = sample_terms(2, w1, w2, x1[j], x2[j], y[j])


@numba.njit(cache=True, error_model="numpy")  # no zero-division branch: SIMD
def fill_gathered(model, w1, w2, work, b):
    """``fill_terms`` of the batch gathered into work[3:6, :b], into work[0:3, :b] (no array views: a
    view costs reference counting, and this runs once a step)."""
    if model == 0:
        for j in range(b):
            work[0, j], work[1, j], work[2, j] = sample_terms(0, w1, w2, work[3, j], work[4, j], work[5, j])
    elif model == 1:
        for j in range(b):
            work[0, j], work[1, j], work[2, j] = sample_terms(1, w1, w2, work[3, j], work[4, j], work[5, j])
    else:
        for j in range(b):
            work[0, j], work[1, j], work[2, j] = sample_terms(2, w1, w2, work[3, j], work[4, j], work[5, j])


@numba.njit(cache=True, error_model="numpy")  # no zero-division branch: SIMD
def fill_values(model, w1, w2, x1, x2, y, out):
    """out[j] = ``sample_value`` of every sample j (SIMD, as ``fill_terms``)."""
    if model == 0:
        for j in range(y.shape[0]):
            out[j] = sample_value(0, w1, w2, x1[j], x2[j], y[j])
    elif model == 1:
        for j in range(y.shape[0]):
            out[j] = sample_value(1, w1, w2, x1[j], x2[j], y[j])
    else:
        for j in range(y.shape[0]):
            out[j] = sample_value(2, w1, w2, x1[j], x2[j], y[j])


@numba.njit(cache=True, fastmath={"reassoc"}, error_model="numpy")
def total(a, b):
    """a[0] + … + a[b−1] (reassociated: a SIMD reduction; within rounding of the sum in order)."""
    t = 0.0
    for j in range(b):
        t += a[j]
    return t


@numba.njit(cache=True, fastmath={"reassoc"}, error_model="numpy")
def total3(work, b):
    """(Σ work[0, :b], Σ work[1, :b], Σ work[2, :b]), reassociated as ``total``."""
    t0 = 0.0
    t1 = 0.0
    t2 = 0.0
    for j in range(b):
        t0 += work[0, j]
        t1 += work[1, j]
        t2 += work[2, j]
    return t0, t1, t2


@numba.njit(cache=True, error_model="numpy")  # no zero-division branch: SIMD
def batch_sums(model, w1, w2, x1, x2, y, perms, row, o, b, work):
    """(Σℓ, Σ∂ℓ/∂w₁, Σ∂ℓ/∂w₂) over the b samples perms[row, o : o + b] of x1, x2, y; ``work`` (6, ≥ b)
    is scratch: the batch is gathered into contiguous rows first, then ``fill_gathered`` runs as SIMD
    code."""
    for j in range(b):
        s = perms[row, o + j]
        work[3, j] = x1[s]
        work[4, j] = x2[s]
        work[5, j] = y[s]
    fill_gathered(model, w1, w2, work, b)
    return total3(work, b)


@numba.njit(cache=True)
def sample_hessian(model, w1, w2, x1, x2, y):
    """(∂²ℓ/∂w₁², ∂²ℓ/∂w₁∂w₂, ∂²ℓ/∂w₂²) of one sample."""
    if model == 0:
        return 2.0 * x1 * x1, 2.0 * x1, 2.0
    if model == 1:
        z = w1 * x1 + w2 * x2
        p = 1.0 / (1.0 + math.exp(-z)) if z >= 0.0 else math.exp(z) / (1.0 + math.exp(z))
        s = p * (1.0 - p)
        return s * x1 * x1, s * x1 * x2, s * x2 * x2
    t = math.tanh(w1 * x1)
    r = w2 * t - y
    u = 1.0 - t * t
    h11 = 2.0 * w2 * w2 * u * u * x1 * x1 - 4.0 * r * w2 * t * u * x1 * x1
    h12 = 2.0 * u * x1 * (r + w2 * t)
    return h11, h12, 2.0 * t * t


@numba.njit(cache=True, inline="always")
def reg_terms(kind, lam, m1, m2, w1, w2):
    """(λR, λ∂R/∂w₁, λ∂R/∂w₂) for kind 0 none, 1 L2, 2 L1 (mask m₁, m₂ in {0, 1})."""
    if kind == 1:
        return lam * (m1 * w1 * w1 + m2 * w2 * w2), 2.0 * lam * m1 * w1, 2.0 * lam * m2 * w2
    if kind == 2:
        return lam * (m1 * abs(w1) + m2 * abs(w2)), lam * m1 * np.sign(w1), lam * m2 * np.sign(w2)
    return 0.0, 0.0, 0.0


@numba.njit(cache=True)
def linear_full_value(stats, w1, w2):
    """Linear regression's mean squared error from the data's moments ``stats`` = (mean x², mean x,
    mean xy, mean y, mean y²): w₁²·x̄² + 2w₁w₂·x̄ + w₂² − 2w₁·x̄y − 2w₂·ȳ + ȳ² (O(1) per point)."""
    sxx, sx, sxy, sy, syy = stats[0], stats[1], stats[2], stats[3], stats[4]
    return w1 * w1 * sxx + 2.0 * w1 * w2 * sx + w2 * w2 - 2.0 * w1 * sxy - 2.0 * w2 * sy + syy


@numba.njit(cache=True, error_model="numpy")  # no zero-division branch: SIMD
def full_value(model, x1, x2, y, stats, w1, w2, work):
    """The mean loss over every sample (no regulariser); ``work`` (≥ N) is scratch."""
    if model == 0:
        return linear_full_value(stats, w1, w2)
    fill_values(model, w1, w2, x1, x2, y, work)
    return total(work, y.shape[0]) / y.shape[0]


@numba.njit(cache=True, error_model="numpy")  # no zero-division branch: SIMD
def grid_terms(model, x1, x2, Y, stats, kind, lam, m1, m2, W1, W2, which, out):
    """The objective over every sample at each point (W1[j], W2[j]): ``which`` 0 fills out[j, 0] with
    the value, 1 fills out[j, 0:2] with the gradient, 2 fills out[j, 0:3] with the Hessian."""
    n = Y.shape[0]
    work = np.empty((3, n))
    for j in range(W1.shape[0]):
        w1 = W1[j]
        w2 = W2[j]
        a = 0.0
        b = 0.0
        c = 0.0
        if which == 0:
            a = full_value(model, x1, x2, Y, stats, w1, w2, work[0])
        elif which == 1:
            fill_terms(model, w1, w2, x1, x2, Y, n, work)
            b = total(work[2], n) / n
            a = total(work[1], n) / n
        else:
            for i in range(n):
                h11, h12, h22 = sample_hessian(model, w1, w2, x1[i], x2[i], Y[i])
                a += h11
                b += h12
                c += h22
            a /= n
            b /= n
            c /= n
        r0, r1, r2 = reg_terms(kind, lam, m1, m2, w1, w2)
        if which == 0:
            out[j, 0] = a + r0
        elif which == 1:
            out[j, 0] = a + r1
            out[j, 1] = b + r2
        else:
            out[j, 0] = a + (2.0 * lam * m1 if kind == 1 else 0.0)
            out[j, 1] = b
            out[j, 2] = c + (2.0 * lam * m2 if kind == 1 else 0.0)


GRID_CHUNK = 256  # samples per pass of logistic_grid_chunk: its factors (1 + e) ≤ 2 multiply to at most 2²⁵⁶


@numba.njit(cache=True, fastmath={"reassoc"}, error_model="numpy")
def logistic_grid_chunk(x1, x2, y, w1s, w2s, ea, ea_inv, eb, eb_inv, lin, logs):
    """Adds one chunk of samples (at most ``GRID_CHUNK``) to logistic regression's summed data loss at
    every grid point (w1s[i], w2s[j]): lin[j, i] += Σ (max(z, 0) − y·z) and logs[j, i] += log Π (1 + e),
    z = w₁x₁ + w₂x₂, e = e^{−|z|} = min(ea[i]·eb[j], ea_inv[i]·eb_inv[j]) with ea[i] = e^{w1s[i]·x₁},
    eb[j] = e^{w2s[j]·x₂} (separable: no exp or log per sample and point). Σ log1p(e) as the log of a
    product is exact up to rounding (~1e-16 per sample of the mean loss)."""
    n = y.shape[0]
    for j in range(w2s.shape[0]):
        w2 = w2s[j]
        b = eb[j]
        bi = eb_inv[j]
        for i in range(w1s.shape[0]):
            w1 = w1s[i]
            a = ea[i]
            ai = ea_inv[i]
            acc = 0.0
            prod = 1.0
            for k in range(n):
                z = w1 * x1[k] + w2 * x2[k]
                acc += (z if z > 0.0 else 0.0) - y[k] * z
                e1 = a[k] * b[k]
                e2 = ai[k] * bi[k]
                prod *= 1.0 + (e1 if e1 < e2 else e2)
            lin[j, i] += acc
            logs[j, i] += math.log(prod)
