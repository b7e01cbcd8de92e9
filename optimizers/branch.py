"""``select(cond, a, b)``: a rule's branch, written once for both engines.

In numpy (the vectorised fallback, the tests) it is ``np.where(cond, a, b)`` over arrays; compiled by
numba on one float at a time it is a plain ``a if cond else b`` on scalars, so a branching rule
(Rprop's sign logic, ASGD's averaging switch, schedule-free's warm-up) keeps a float state and
allocates nothing (numba's own ``np.where`` on scalars returns 0-d arrays).
"""

from __future__ import annotations

import numpy as np
from numba.core import types
from numba.extending import overload, register_jitable


def select(cond, a, b):
    """``a`` where ``cond`` holds, else ``b`` (element-wise)."""
    return np.where(cond, a, b)


@overload(select)
def _select(cond, a, b):
    if isinstance(cond, types.Boolean | types.Number):
        return lambda cond, a, b: a if cond else b
    return lambda cond, a, b: np.where(cond, a, b)


@register_jitable
def lerp(start, end, weight):
    """``torch.lerp(start, end, weight)`` as torch computes it: ``start + w (end - start)`` for |w| < 0.5,
    else ``end - (end - start)(1 - w)`` (exact at w = 1)."""
    return select(np.abs(weight) < 0.5, start + weight * (end - start), end - (end - start) * (1.0 - weight))
