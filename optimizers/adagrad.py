"""AdaGrad, as ``torch.optim.Adagrad(lr, eps)`` (lr_decay 0, initial accumulator 0).

s_t     = s_{t-1} + g_t^2
theta_t = theta_{t-1} - lr * g_t / (sqrt(s_t) + eps)
"""

from typing import NamedTuple

import numpy as np

from optimizers.hyper import defaults
from optimizers.rule import Rule


class State(NamedTuple):
    """Adagrad's state: sum (the update returns a tuple in this order)."""

    sum: np.ndarray


SLOTS = State._fields


def init(params):
    return (0.0 * params,)


def update(grad, state, params, hyper):
    (s,) = state
    s = s + grad * grad
    std = np.sqrt(s) + hyper.eps
    return params - hyper.lr * grad / std, (s,)


RULE = Rule(
    name="adagrad",
    label="AdaGrad",
    color="#E69F00",
    dash="dash",
    torch="Adagrad(lr, eps=eps)",
    defaults=defaults("lr", "eps"),
    state=State,
    init=init,
    update=update,
    slot_words={"sum": "sum of squared gradients so far"},
    step_ns=90,
    group="adaptive",
    blurb="divides by the root of all squared gradients so far: steps only shrink",
)
