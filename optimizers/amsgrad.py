"""AMSGrad, as ``torch.optim.Adam(lr, betas=(beta1, beta2), eps, amsgrad=True)``.

m_t, v_t as Adam
v_max_t = max(v_max_{t-1}, v_t)
theta_t = theta_{t-1} - lr / (1 - beta1^t) * m_t / (sqrt(v_max_t) / sqrt(1 - beta2^t) + eps)
"""

from typing import NamedTuple

import numpy as np
from numba.extending import register_jitable

from optimizers import adam
from optimizers.hooks import ADAM_WORDS, bias_corrected
from optimizers.hyper import defaults
from optimizers.rule import Rule


class State(NamedTuple):
    """AMSGrad's state: step, m, v, v_max (the update returns a tuple in this order)."""

    step: np.ndarray
    m: np.ndarray
    v: np.ndarray
    v_max: np.ndarray


SLOTS = State._fields


def init(params):
    return (0.0 * params, 0.0 * params, 0.0 * params, 0.0 * params)


def update(grad, state, params, hyper):
    return update_with(grad, state, params, hyper, t_factors(state[0] + 1.0, hyper))


t_factors = adam.t_factors  # (1 - beta1^t, sqrt(1 - beta2^t)), as Adam's


@register_jitable
def update_with(grad, state, params, hyper, factors):
    """``update`` with ``factors = t_factors(t, hyper)`` given (t: this update's count)."""
    t, m, v, v_max = state
    t = t + 1.0
    m = m + (1.0 - hyper.beta1) * (grad - m)
    v = hyper.beta2 * v + (1.0 - hyper.beta2) * grad * grad
    v_max = np.maximum(v_max, v)
    step_size = hyper.lr / factors[0]
    denom = np.sqrt(v_max) / factors[1] + hyper.eps
    return params - step_size * m / denom, (t, m, v, v_max)


RULE = Rule(
    name="amsgrad",
    label="AMSGrad",
    color="#F0E442",
    dash="solid",
    torch="Adam(lr, betas=(beta1, beta2), eps=eps, amsgrad=True)",
    defaults=defaults("lr", "beta1", "beta2", "eps"),
    state=State,
    init=init,
    update=update,
    slot_words={**ADAM_WORDS, "v_max": "largest v so far (AMSGrad's denominator)"},
    step_ns=170,
    group="adaptive",
    blurb="Adam dividing by the largest v so far",
    derived=bias_corrected("v_max"),
)
