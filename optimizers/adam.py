"""Adam, as ``torch.optim.Adam(lr, betas=(beta1, beta2), eps)``.

t       = t + 1
m_t     = beta1 * m_{t-1} + (1 - beta1) * g_t        (torch: m.lerp_(g, 1 - beta1))
v_t     = beta2 * v_{t-1} + (1 - beta2) * g_t^2
m_hat   = m_t / (1 - beta1^t)
denom   = sqrt(v_t) / sqrt(1 - beta2^t) + eps        (eps outside the root, as torch)
theta_t = theta_{t-1} - lr * m_hat / denom
"""

from typing import NamedTuple

import numpy as np
from numba.extending import register_jitable

from optimizers.hooks import ADAM_WORDS, bias_corrected
from optimizers.hyper import defaults
from optimizers.rule import Rule


class State(NamedTuple):
    """Adam's state: step, m, v (the update returns a tuple in this order)."""

    step: np.ndarray
    m: np.ndarray
    v: np.ndarray


SLOTS = State._fields


def init(params):
    return (0.0 * params, 0.0 * params, 0.0 * params)


@register_jitable  # AdamW calls it from compiled code
def update(grad, state, params, hyper):
    return update_with(grad, state, params, hyper, t_factors(state[0] + 1.0, hyper))


@register_jitable
def t_factors(t, hyper):
    """The update's factors that depend on t and the hyperparameters only: (1 - beta1^t, sqrt(1 - beta2^t))."""
    return 1.0 - hyper.beta1**t, np.sqrt(1.0 - hyper.beta2**t)


@register_jitable
def update_with(grad, state, params, hyper, factors):
    """``update`` with ``factors = t_factors(t, hyper)`` given (t: this update's count)."""
    t, m, v = state
    t = t + 1.0
    m = m + (1.0 - hyper.beta1) * (grad - m)
    v = hyper.beta2 * v + (1.0 - hyper.beta2) * grad * grad
    step_size = hyper.lr / factors[0]
    denom = np.sqrt(v) / factors[1] + hyper.eps
    return params - step_size * m / denom, (t, m, v)


RULE = Rule(
    name="adam",
    label="Adam",
    color="#CC79A7",
    dash="solid",
    torch="Adam(lr, betas=(beta1, beta2), eps=eps)",
    defaults=defaults("lr", "beta1", "beta2", "eps"),
    state=State,
    init=init,
    update=update,
    slot_words=ADAM_WORDS,
    step_ns=170,
    group="adaptive",
    blurb="momentum divided by the gradients’ running RMS, both bias-corrected",
    derived=bias_corrected("v"),
)
