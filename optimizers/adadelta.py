"""Adadelta, as ``torch.optim.Adadelta(lr, rho, eps)``.

    s_t       = rho * s_{t-1} + (1 - rho) * g_t^2
    delta_t   = sqrt(u_{t-1} + eps) / sqrt(s_t + eps) * g_t
    u_t       = rho * u_{t-1} + (1 - rho) * delta_t^2
    theta_t   = theta_{t-1} - lr * delta_t

Its defaults are torch's (lr 1.0, eps 1e-6): lr scales a step that already has the units of
theta, and eps sets the size of the very first steps.
"""

from typing import NamedTuple

import numpy as np

from optimizers.hyper import defaults
from optimizers.rule import Rule


class State(NamedTuple):
    """Adadelta's state: square_avg, acc_delta (the update returns a tuple in this order)."""

    square_avg: np.ndarray
    acc_delta: np.ndarray


SLOTS = State._fields


def init(params):
    return (0.0 * params, 0.0 * params)


def update(grad, state, params, hyper):
    s, u = state
    s = hyper.rho * s + (1.0 - hyper.rho) * grad * grad
    std = np.sqrt(s + hyper.eps)
    delta = np.sqrt(u + hyper.eps) / std * grad
    u = hyper.rho * u + (1.0 - hyper.rho) * delta * delta
    return params - hyper.lr * delta, (s, u)


RULE = Rule(
    name="adadelta",
    label="Adadelta",
    color="#CC79A7",
    dash="dash",
    torch="Adadelta(lr, rho=rho, eps=eps)",
    defaults=defaults("lr", "rho", "eps", lr=1.0, eps=1e-6),
    state=State,
    init=init,
    update=update,
    slot_words={
        "square_avg": "running average of squared gradients",
        "acc_delta": "running average of squared updates",
    },
    step_ns=90,
    group="adaptive",
    blurb="steps in the parameters’ units, from running averages of steps and gradients",
)
