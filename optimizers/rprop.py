"""Rprop (resilient backpropagation), as ``torch.optim.Rprop(lr, etas=(etaminus, etaplus),
step_sizes=(step_size_min, step_size_max))``.

t       = t + 1                                    (step_size_0 = lr, prev_0 = 0)
s       = sign(g_t * prev)
f       = etaplus if s > 0;  etaminus if s < 0;  1 if s = 0
step_size_t = clamp(step_size_{t-1} * f, step_size_min, step_size_max)
g'      = 0 if f = etaminus (the sign flipped: skip this step), else g_t
theta_t = theta_{t-1} - sign(g') * step_size_t
prev    = g'

Only the gradient's sign is used: each coordinate has its own step size, grown by etaplus while the
sign holds and cut by etaminus when it flips. The learning rate is the first step size.
"""

from typing import NamedTuple

import numpy as np

from optimizers.branch import select
from optimizers.hyper import defaults
from optimizers.rule import Rule


class State(NamedTuple):
    """Rprop's state: step, the previous (masked) gradient, the per-coordinate step size (torch's names)."""

    step: np.ndarray
    prev: np.ndarray
    step_size: np.ndarray


SLOTS = State._fields


def init(params):
    # step_size 0 stands for "not yet set": the first update takes the learning rate, as torch's state.
    return (0.0 * params, 0.0 * params, 0.0 * params)


def update(grad, state, params, hyper):
    t, prev, step_size = state
    step_size = select(t == 0.0, hyper.lr + 0.0 * step_size, step_size)
    t = t + 1.0
    product = grad * prev
    factor = select(product > 0.0, hyper.etaplus, select(product < 0.0, hyper.etaminus, 1.0))
    step_size = np.minimum(np.maximum(step_size * factor, hyper.step_size_min), hyper.step_size_max)
    grad = select(factor == hyper.etaminus, 0.0 * grad, grad)
    return params - np.sign(grad) * step_size, (t, grad, step_size)


RULE = Rule(
    name="rprop",
    label="Rprop",
    color="#D55E00",
    dash="dashdot",
    torch="Rprop(lr, etas=(etaminus, etaplus), step_sizes=(step_size_min, step_size_max))",
    defaults=defaults("lr", "etaminus", "etaplus", "step_size_min", "step_size_max", lr=0.01),
    state=State,
    init=init,
    update=update,
    slot_words={
        "step": "update count t",
        "prev": "the previous gradient (0 after a sign flip)",
        "step_size": "this coordinate's step size",
    },
    step_ns=120,
    group="adaptive",
    blurb="sign only: a step size per coordinate, grown while the sign holds, cut on a flip",
)
