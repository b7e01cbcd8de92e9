"""Schedule-Free SGD, as ``schedulefree.SGDScheduleFree(lr, momentum=rho, warmup_steps, r,
weight_lr_power)`` in train mode (weight_decay 0). See ``optimizers.schedulefree`` for the step:

    lr_k, c_k from the warm-up and the weights;  d_k = g_k (taken at y)
    y = lerp(y, z, c_k) + lr_k * (rho * (1 - c_k) - 1) * d_k
    z = z - lr_k * d_k
    x = lerp(y, z, 1 - 1/rho)

No learning-rate schedule is needed: the average x replaces it. rho must lie in (0, 1).
"""

from typing import NamedTuple

import numpy as np

from optimizers import schedulefree
from optimizers.hyper import defaults
from optimizers.rule import Rule


class State(NamedTuple):
    """Step count, z, the averaged point x, and the package's lr_max and weight_sum."""

    step: np.ndarray
    z: np.ndarray
    x: np.ndarray
    lr_max: np.ndarray
    weight_sum: np.ndarray


SLOTS = State._fields


def init(params):
    return (0.0 * params, params + 0.0, params + 0.0, 0.0 * params - 1.0, 0.0 * params)


def update(grad, state, params, hyper):
    k, z, x, lr_max, weight_sum = state
    lr, lr_max, weight_sum, ckp1 = schedulefree.weights(k, lr_max, weight_sum, hyper)
    params, z, x = schedulefree.move(params, z, grad, lr, ckp1, hyper.rho)
    return params, (k + 1.0, z, x, lr_max, weight_sum)


RULE = Rule(
    name="schedulefree_sgd",
    label="Schedule-Free SGD",
    color="#009E73",
    dash="dot",
    torch="schedulefree.SGDScheduleFree(lr, momentum=rho, warmup_steps=warmup_steps, r=r, "
    "weight_lr_power=weight_lr_power)",
    defaults=defaults("lr", "rho", "warmup_steps", "r", "weight_lr_power"),
    state=State,
    init=init,
    update=update,
    slot_words=schedulefree.SLOT_WORDS,
    step_ns=200,
    group="modern",
    blurb="gradient taken between a plain SGD step z and its running average x; no schedule",
    companion="x",
)
