"""landscapes.data.vmath: the vectorisable exp, expm1, tanh and log1p agree with numpy to a few ulp."""

from __future__ import annotations

import numba
import numpy as np
import pytest

from landscapes.data import vmath


@numba.njit(error_model="numpy")  # as the loops that use vmath: SIMD
def _each(which, a, out):
    for i in range(a.shape[0]):
        if which == 0:
            out[i] = vmath.exp(a[i])
        elif which == 1:
            out[i] = vmath.expm1(a[i])
        elif which == 2:
            out[i] = vmath.tanh(a[i])
        else:
            out[i] = vmath.log1p_unit(a[i])


def _points(lo, hi):
    rng = np.random.default_rng(0)
    tiny = np.concatenate([10.0 ** -np.arange(1, 300, 0.5), -(10.0 ** -np.arange(1, 300, 0.5))])
    return np.concatenate([np.linspace(lo, hi, 100_001), rng.uniform(-1, 1, 50_000), tiny, [0.0, -0.0]])


def _ulps(got, want):
    scale = np.spacing(np.maximum(np.abs(want), np.finfo(float).tiny))
    return np.abs(got - want) / scale


@pytest.mark.parametrize(
    ("which", "ref", "lo", "hi", "ulps"),
    [(0, np.exp, -745.0, 709.0, 2), (1, np.expm1, -60.0, 709.0, 3), (2, np.tanh, -30.0, 30.0, 4)],
)
def test_vmath_agrees_with_numpy(which, ref, lo, hi, ulps):
    a = _points(lo, hi)
    a = a[(a >= lo) & (a <= hi)]
    out = np.empty_like(a)
    _each(which, a, out)
    want = ref(a)
    normal = np.abs(want) >= np.finfo(float).tiny
    assert _ulps(out[normal], want[normal]).max() <= ulps
    assert np.max(np.abs(out[~normal] - want[~normal]), initial=0.0) <= 1e-323  # subnormal results


def test_log1p_on_the_unit_interval():
    a = np.concatenate([np.linspace(0.0, 1.0, 100_001), 10.0 ** -np.arange(1, 300, 0.5)])
    out = np.empty_like(a)
    _each(3, a, out)
    assert _ulps(out, np.log1p(a)).max() <= 3


@pytest.mark.parametrize("which", [0, 1, 2])
def test_vmath_edges(which):
    a = np.array([np.nan, np.inf, -np.inf, 800.0, -800.0, -745.5])
    out = np.empty_like(a)
    _each(which, a, out)
    with np.errstate(over="ignore"):
        want = (np.exp, np.expm1, np.tanh)[which](a)
    np.testing.assert_array_equal(out, want)


def test_models_records_vmaths_hash_so_numbas_cache_of_its_loops_is_refreshed():
    """numba keys a cached function by its own file; models.py's loops inline vmath: an edit of
    vmath.py must change models.py (its recorded hash), or stale machine code would be loaded."""
    import hashlib
    from pathlib import Path

    from landscapes.data import models, vmath

    digest = hashlib.sha256(Path(vmath.__file__).read_bytes()).hexdigest()[:16]
    assert models.VMATH_SHA256 == digest, f"set VMATH_SHA256 = {digest!r} in landscapes/data/models.py"
