"""The compiled loop's parts: every start, every step, in numba-compiled machine code.

Why numba: a 2-D point is two floats, so a step does a few dozen flops and the cost of a run
is all per-step overhead. A Python or numpy-per-step loop pays microseconds of interpreter and
array-allocation overhead per step (about 70x faster than the notebook's loop at best); here
one step is a few dozen nanoseconds, because the rule's ``update`` and the surface's
``gradient`` are compiled for scalars and inlined into one loop that keeps the state in
registers. The loop itself is ``optimizers/kernel_loop.py``, compiled once per (rule, surface)
pairing *per machine*: ``optimizers.kernel_cache`` writes it out for the pairing and numba keeps
the machine code on disk, shared by every process. This module holds the parts the loop calls.

Each coordinate is updated by its own call of the rule's ``update`` on floats (every rule is
coordinate-wise), with its own state tuple.
"""

from __future__ import annotations

import math

import numba
import numpy as np
from numba.core import types
from numba.core.errors import TypingError
from numba.extending import overload
from numba.np.unsafe.ndarray import to_fixed_tuple

from landscapes.bspline import bicubic


def store_state(out, i, k, sx, sy):
    """out[i, k, j] = (sx[j], sy[j]) for each state slot j (compiled through ``overload``)."""


@overload(store_state)
def _store_state(out, i, k, sx, sy):
    if len(sx) == 0:  # stateless rule (plain SGD): nothing to store
        return lambda out, i, k, sx, sy: None

    def impl(out, i, k, sx, sy):
        for j in range(len(sx)):
            out[i, k, j, 0] = sx[j]
            out[i, k, j, 1] = sy[j]

    return impl


def load_lane(slots, j, like):
    """Lane j's state tuple from row j of ``slots`` (lanes, slots), typed as ``like`` (through ``overload``).

    The endings loop keeps the states of the starts it steps side by side in such rows; a coordinate-wise
    rule's state in the compiled loop is a tuple of floats (``optimizers.rule``)."""


@overload(load_lane)
def _load_lane(slots, j, like):
    if len(like) == 0:  # stateless rule (plain SGD)
        return lambda slots, j, like: ()
    if not (isinstance(like, types.UniTuple) and like.dtype == types.float64):
        raise TypingError(f"a coordinate-wise rule's compiled state must be a tuple of floats, got {like}")
    size = len(like)
    return lambda slots, j, like: to_fixed_tuple(slots[j], size)


def store_lane(slots, j, state):
    """Row j of ``slots`` = ``state`` (through ``overload``)."""


@overload(store_lane)
def _store_lane(slots, j, state):
    if len(state) == 0:
        return lambda slots, j, state: None

    def impl(slots, j, state):
        for q in range(len(state)):
            slots[j, q] = state[q]

    return impl


@numba.njit(cache=True)
def rough_layer(tx, ty, coef, box, amplitude, x, y):
    """(amplitude * S, its gradient) at the clipped point; no gradient along an axis outside the box."""
    if amplitude == 0.0:
        return 0.0, 0.0, 0.0
    if not (np.isfinite(x) and np.isfinite(y)):
        return np.nan, 0.0, 0.0
    cx = min(max(x, box[0]), box[1])
    cy = min(max(y, box[2]), box[3])
    s, sx, sy = bicubic(tx, ty, coef, cx, cy)
    gx = amplitude * sx if box[0] <= x <= box[1] else 0.0
    gy = amplitude * sy if box[2] <= y <= box[3] else 0.0
    return amplitude * s, gx, gy


@numba.njit(nogil=True, cache=True)
def same_rows(table, a, b):
    """Whether rows a + 1 .. b - 1 of ``table`` equal row a bit for bit (signed zeros too), so that
    whatever is computed from row a holds for them."""
    for i in range(a + 1, b):
        for q in range(table.shape[1]):
            u, w = table[a, q], table[i, q]
            if not (u == w and math.copysign(1.0, u) == math.copysign(1.0, w)):
                return False
    return True
