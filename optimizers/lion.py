"""Lion (EvoLved Sign Momentum; Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms"),
as ``lion_pytorch.Lion(lr, betas=(beta1, beta2), weight_decay)``.

theta'  = theta_{t-1} * (1 - lr * weight_decay)     (decoupled decay, applied first)
c_t     = beta1 * m_{t-1} + (1 - beta1) * g_t       (interpolation for the update)
theta_t = theta' - lr * sign(c_t)
m_t     = beta2 * m_{t-1} + (1 - beta2) * g_t       (the momentum, with the slower beta2)

Every coordinate moves by exactly lr per step (or 0): only the sign of the blend is used.
"""

from typing import NamedTuple

import numpy as np

from optimizers.hyper import defaults
from optimizers.rule import Rule


class State(NamedTuple):
    """Lion's state: the momentum m (lion-pytorch's exp_avg)."""

    m: np.ndarray


SLOTS = State._fields


def init(params):
    return (0.0 * params,)


def update(grad, state, params, hyper):
    (m,) = state
    params = params * (1.0 - hyper.lr * hyper.weight_decay)
    blend = m * hyper.beta1 + (1.0 - hyper.beta1) * grad
    params = params - hyper.lr * np.sign(blend)
    m = m * hyper.beta2 + (1.0 - hyper.beta2) * grad
    return params, (m,)


def derived(state, hyper):
    """The inspector: the blend whose sign the next step takes (its gradient term is not known yet)."""
    return [("β₁·m (the momentum part of the next step's blend)", hyper["beta1"] * state["m"])]


RULE = Rule(
    name="lion",
    label="Lion",
    color="#E69F00",
    dash="longdash",
    torch="lion_pytorch.Lion(lr, betas=(beta1, beta2), weight_decay=weight_decay)",
    defaults=defaults("lr", "beta1", "beta2", "weight_decay", beta2=0.99, weight_decay=0.0),
    state=State,
    init=init,
    update=update,
    slot_words={"m": "m: running average of gradients (β₂)"},
    step_ns=80,
    derived=derived,
    group="modern",
    blurb="sign of a momentum blend: every coordinate moves exactly lr a step",
)
