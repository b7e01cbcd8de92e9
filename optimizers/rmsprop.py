"""RMSProp, as ``torch.optim.RMSprop(lr, alpha=decay, eps)``.

s_t     = decay * s_{t-1} + (1 - decay) * g_t^2
theta_t = theta_{t-1} - lr * g_t / (sqrt(s_t) + eps)
"""

from typing import NamedTuple

import numpy as np

from optimizers.hyper import defaults
from optimizers.rule import Rule


class State(NamedTuple):
    """RMSProp's state: square_avg (the update returns a tuple in this order)."""

    square_avg: np.ndarray


SLOTS = State._fields


def init(params):
    return (0.0 * params,)


def update(grad, state, params, hyper):
    (s,) = state
    s = hyper.decay * s + (1.0 - hyper.decay) * grad * grad
    avg = np.sqrt(s) + hyper.eps
    return params - hyper.lr * grad / avg, (s,)


RULE = Rule(
    name="rmsprop",
    label="RMSProp",
    color="#E69F00",
    dash="solid",
    torch="RMSprop(lr, alpha=decay, eps=eps)",
    defaults=defaults("lr", "decay", "eps"),
    state=State,
    init=init,
    update=update,
    slot_words={"square_avg": "running average of squared gradients"},
    step_ns=90,
    group="adaptive",
    blurb="divides by a running root-mean-square of the gradients",
)
