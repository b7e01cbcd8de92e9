"""Schedule-Free AdamW, as ``schedulefree.AdamWScheduleFree(lr, betas=(beta1, beta2), eps,
warmup_steps, r, weight_lr_power)`` in train mode (weight_decay 0). See ``optimizers.schedulefree``:

    lr_k, c_k from the warm-up and the weights
    v   = beta2 * v + (1 - beta2) * g_k^2               (g_k taken at y)
    d_k = g_k / (sqrt(v / (1 - beta2^(k+1))) + eps)
    y   = lerp(y, z, c_k) + lr_k * (beta1 * (1 - c_k) - 1) * d_k
    z   = z - lr_k * d_k
    x   = lerp(y, z, 1 - 1/beta1)

beta1 must lie in (0, 1).
"""

from typing import NamedTuple

import numpy as np

from optimizers import schedulefree
from optimizers.hyper import defaults
from optimizers.rule import Rule


class State(NamedTuple):
    """Step count, z, the averaged point x, v (exp_avg_sq), and the package's lr_max and weight_sum."""

    step: np.ndarray
    z: np.ndarray
    x: np.ndarray
    v: np.ndarray
    lr_max: np.ndarray
    weight_sum: np.ndarray


SLOTS = State._fields


def init(params):
    return (0.0 * params, params + 0.0, params + 0.0, 0.0 * params, 0.0 * params - 1.0, 0.0 * params)


def update(grad, state, params, hyper):
    k, z, x, v, lr_max, weight_sum = state
    lr, lr_max, weight_sum, ckp1 = schedulefree.weights(k, lr_max, weight_sum, hyper)
    v = v * hyper.beta2 + (1.0 - hyper.beta2) * grad * grad
    d = grad / (np.sqrt(v / (1.0 - hyper.beta2 ** (k + 1.0))) + hyper.eps)
    params, z, x = schedulefree.move(params, z, d, lr, ckp1, hyper.beta1)
    return params, (k + 1.0, z, x, v, lr_max, weight_sum)


RULE = Rule(
    name="schedulefree_adamw",
    label="Schedule-Free AdamW",
    color="#56B4E9",
    dash="dot",
    torch="schedulefree.AdamWScheduleFree(lr, betas=(beta1, beta2), eps=eps, warmup_steps=warmup_steps, r=r, "
    "weight_lr_power=weight_lr_power)",
    defaults=defaults("lr", "beta1", "beta2", "eps", "warmup_steps", "r", "weight_lr_power", eps=1e-8),
    state=State,
    init=init,
    update=update,
    slot_words={**schedulefree.SLOT_WORDS, "v": "v: running average of squared gradients"},
    step_ns=260,
    group="modern",
    blurb="Adam's scaling in the schedule-free form: the path y, its average x drawn beside it",
    companion="x",
)
