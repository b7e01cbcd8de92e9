"""exp, expm1, tanh and log1p on [0, 1] for numba loops that LLVM can vectorise (SIMD).

numba calls libm's scalar ``exp``/``tanh``/``log1p`` one element at a time (no vector math library is
linked), which makes a loop over a data set's samples ~5x slower than its arithmetic. These functions
are plain arithmetic, selects and one bit cast, so a loop over samples becomes SIMD code. Accuracy: a
few ulp in float64 (checked against numpy in tests/test_data_vmath.py); NaN in gives NaN out.

    expm1(x):  n = round(x / ln 2), r = x − n·ln 2 (Cody–Waite, two parts),
               q = r + r²/2! + … + r¹⁴/14! (Horner; |r| ≤ ln2/2, truncation < 2⁻⁵⁸),
               eˣ − 1 = (2ⁿ − 1) + 2ⁿ·q                      (exact q when n = 0: small x keep their digits)
    exp(x)   = 2ⁿ + 2ⁿ·q                                     (2ⁿ as two factors: subnormal results too)
    tanh(a)  = −sign(a)·m / (2 + m),  m = expm1(−2|a|)
    log1p(e) = 2·atanh(s) = 2(s + s³/3 + s⁵/5 + … + s³⁷/37),  s = e / (2 + e) ≤ 1/3,  for 0 ≤ e ≤ 1
"""

# numba's on-disk cache of a function is refreshed when its own file changes, not when a function it
# inlines changes: landscapes/data/models.py (whose cached loops inline these) records this file's
# hash (VMATH_SHA256, checked by a test), so an edit here changes it too. The generated kernels' cache
# is keyed by every source's hash.

from __future__ import annotations

import math

import numba
import numpy as np
from llvmlite import ir
from numba import types
from numba.extending import intrinsic

_LOG2E = 1.4426950408889634
_LN2_HI = 6.93147180369123816490e-01  # ln 2 = _LN2_HI + _LN2_LO, _LN2_HI with trailing zero bits
_LN2_LO = 1.90821492927058770002e-10
_X_MIN = -745.2  # exp(x) rounds to 0 below
_X_MAX = 709.78  # exp(x) overflows above


@intrinsic
def _bits_as_float(typingctx, bits):
    """The float64 whose IEEE bits are the int64 ``bits`` (an LLVM bitcast, vectorisable)."""

    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.DoubleType())

    return types.float64(types.int64), codegen


@numba.njit(cache=True, inline="always")
def _reduced(x):
    """(2^h, 2^(n−h), q) with eˣ = 2ⁿ(1 + q), x clamped into the finite range first."""
    xc = x if x > _X_MIN else _X_MIN  # also maps NaN to a finite number (callers select NaN back)
    xc = xc if xc < _X_MAX else _X_MAX
    n = math.floor(xc * _LOG2E + 0.5)
    r = (xc - n * _LN2_HI) - n * _LN2_LO
    q = 1.0 / 87178291200.0
    q = q * r + 1.0 / 6227020800.0
    q = q * r + 1.0 / 479001600.0
    q = q * r + 1.0 / 39916800.0
    q = q * r + 1.0 / 3628800.0
    q = q * r + 1.0 / 362880.0
    q = q * r + 1.0 / 40320.0
    q = q * r + 1.0 / 5040.0
    q = q * r + 1.0 / 720.0
    q = q * r + 1.0 / 120.0
    q = q * r + 1.0 / 24.0
    q = q * r + 1.0 / 6.0
    q = q * r + 0.5
    q = q * r + 1.0
    q = q * r
    k = np.int64(n)
    h = k >> 1
    return _bits_as_float((h + 1023) << 52), _bits_as_float((k - h + 1023) << 52), q


@numba.njit(cache=True, inline="always")
def exp(x):
    """eˣ (see the module docstring)."""
    s1, s2, q = _reduced(x)
    s = s1 * s2
    out = s + s * q if x > -708.0 else (s1 + s1 * q) * s2  # near underflow: scale last (subnormals)
    out = out if x > _X_MIN else 0.0
    out = out if x < _X_MAX else math.inf
    return out if x == x else x


@numba.njit(cache=True, inline="always")
def expm1(x):
    """eˣ − 1 (see the module docstring)."""
    s1, s2, q = _reduced(x)
    s = s1 * s2
    out = (s - 1.0) + s * q
    out = out if x > -40.0 else -1.0
    out = out if x < _X_MAX else math.inf
    return out if x == x else x


@numba.njit(cache=True, inline="always")
def tanh(a):
    """tanh(a) = −sign(a)·m/(2 + m), m = expm1(−2|a|) (see the module docstring)."""
    m = expm1(-2.0 * abs(a))
    t = -m / (2.0 + m)
    return t if a >= 0.0 else (-t if a < 0.0 else a)  # a NaN: NaN


@numba.njit(cache=True, inline="always")
def log1p_unit(e):
    """log(1 + e) for 0 ≤ e ≤ 1 (softplus's log1p(exp(−|z|))), by the atanh series in s = e/(2 + e)."""
    s = e / (2.0 + e)
    t = s * s
    p = 1.0 / 37.0
    p = p * t + 1.0 / 35.0
    p = p * t + 1.0 / 33.0
    p = p * t + 1.0 / 31.0
    p = p * t + 1.0 / 29.0
    p = p * t + 1.0 / 27.0
    p = p * t + 1.0 / 25.0
    p = p * t + 1.0 / 23.0
    p = p * t + 1.0 / 21.0
    p = p * t + 1.0 / 19.0
    p = p * t + 1.0 / 17.0
    p = p * t + 1.0 / 15.0
    p = p * t + 1.0 / 13.0
    p = p * t + 1.0 / 11.0
    p = p * t + 1.0 / 9.0
    p = p * t + 1.0 / 7.0
    p = p * t + 1.0 / 5.0
    p = p * t + 1.0 / 3.0
    return 2.0 * (s + s * t * p)
