"""Hooks several rules share (see ``optimizers.rule`` for what each hook means)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

# The inspector's words for the Adam family's common slots (``Rule.slot_words``).
ADAM_WORDS = {
    "step": "update count t",
    "m": "m: running average of gradients",
    "v": "v: running average of squared gradients",
}
M_HAT = "bias-corrected m̂ = m / (1 − β₁ᵗ)"
V_HAT = "bias-corrected v̂ = v / (1 − β₂ᵗ)"


def bias_corrected(v_slot: str | None = "v") -> Callable:
    """The inspector's ``derived`` hook of the Adam family after t updates:

        m_hat = m / (1 - beta1^t),   v_hat = v / (1 - beta2^t)

    with ``v`` read from ``v_slot`` (AMSGrad: ``v_max``, its denominator; None: no v_hat, Adamax).
    Nothing before the first update (t = 0)."""

    def derived(state: dict[str, np.ndarray], hyper: dict[str, float]) -> list[tuple[str, np.ndarray]]:
        t = float(state["step"][0])
        if t <= 0:
            return []
        rows = [(M_HAT, state["m"] / (1.0 - hyper["beta1"] ** t))]
        if v_slot is not None:
            rows.append((V_HAT, state[v_slot] / (1.0 - hyper["beta2"] ** t)))
        return rows

    return derived


def gradient_descent_limit(hyper: dict[str, float], curvature: float) -> tuple[float, str]:
    """Plain gradient descent on a quadratic of curvature λ diverges for lr > 2/λ (each step
    multiplies the error by 1 - lr λ). The events apply this limit to SGD and its momentum forms."""
    return 2.0 / curvature, "2/λ"
