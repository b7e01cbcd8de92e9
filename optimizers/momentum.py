"""SGD with momentum, as ``torch.optim.SGD(lr, momentum=rho)`` (dampening 0).

v_t     = rho * v_{t-1} + g_t          (v_0 = 0, so v_1 = g_1 as torch's first step)
theta_t = theta_{t-1} - lr * v_t
"""

from typing import NamedTuple

import numpy as np

from optimizers.hooks import gradient_descent_limit
from optimizers.hyper import defaults
from optimizers.rule import Rule


class State(NamedTuple):
    """Momentum's state: velocity (the update returns a tuple in this order)."""

    velocity: np.ndarray


SLOTS = State._fields


def init(params):
    return (0.0 * params,)


def update(grad, state, params, hyper):
    (v,) = state
    v = hyper.rho * v + grad
    return params - hyper.lr * v, (v,)


RULE = Rule(
    name="momentum",
    label="SGD + momentum",
    color="#009E73",
    dash="solid",
    torch="SGD(lr, momentum=rho)",
    defaults=defaults("lr", "rho"),
    state=State,
    init=init,
    update=update,
    slot_words={"velocity": "velocity v: decayed running sum of gradients"},
    step_ns=80,
    group="classic",
    blurb="adds a decayed running sum of the gradients (the heavy ball)",
    stable_lr=gradient_descent_limit,
)
