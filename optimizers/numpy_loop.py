"""The vectorised fallback loop, for surfaces without compiled functions (``backend="numpy"``).

One Python iteration per step; each iteration moves all starts at once with the rule's own
``update`` on (n, 2) arrays. It fills the same arrays as ``optimizers.kernel.run_kernel`` and
gives the same numbers (tests compare the two; for the rough layer it calls scipy's spline,
which checks the compiled ``landscapes.bspline``).
"""

from __future__ import annotations

import numpy as np

from optimizers.rule import Hyper, Rule


def run_numpy(
    rule: Rule,
    surface,
    starts: np.ndarray,
    hyper: Hyper,
    lr_factor: np.ndarray,
    noise: np.ndarray,
    steps: int,
    bound: float,
    path,
    loss,
    grads,
    state_out,
    diverged,
) -> None:
    """Same contract as ``run_kernel`` (arrays filled in place)."""
    n = starts.shape[0]
    keep_state = state_out.shape[0] > 0
    params = starts.copy()
    state = rule.init(params)
    path[0] = params
    if keep_state and state:
        state_out[0] = np.stack(state, axis=1)
    alive = np.ones(n, dtype=bool)
    diverged[:] = -1
    with np.errstate(all="ignore"):
        for k in range(steps):
            gx, gy = surface.gradient(params[:, 0], params[:, 1])
            g = np.stack([gx, gy], axis=1)
            if noise.shape[0]:
                g = g + noise[k]
            grads[k] = g
            hk = hyper._replace(lr=hyper.lr * lr_factor[k]) if lr_factor.size else hyper
            params, state = rule.update(g, state, params, hk)
            path[k + 1] = params
            if keep_state and state:
                state_out[k + 1] = np.stack(state, axis=1)
            bad = alive & ~(np.abs(params) <= bound).all(axis=1)
            if bad.any():
                diverged[bad] = k + 1
                alive &= ~bad
                params = np.where(alive[:, None], params, 0.0)  # keep dead rows finite and quiet
                state = tuple(np.where(alive[:, None], s, 0.0) for s in state)
            if not alive.any():
                break
        loss[:] = surface.value(path[..., 0], path[..., 1])
    for i in np.flatnonzero(diverged >= 0):
        d = diverged[i]
        path[d + 1 :, i] = np.nan
        loss[d + 1 :, i] = np.nan
        grads[d:, i] = np.nan
        if keep_state:
            state_out[d + 1 :, i] = np.nan
