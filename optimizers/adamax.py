"""Adamax, as ``torch.optim.Adamax(lr, betas=(beta1, beta2), eps)``.

m_t     = beta1 * m_{t-1} + (1 - beta1) * g_t
u_t     = max(beta2 * u_{t-1}, |g_t| + eps)          (eps inside the max, as torch)
theta_t = theta_{t-1} - lr / (1 - beta1^t) * m_t / u_t
"""

from typing import NamedTuple

import numpy as np
from numba.extending import register_jitable

from optimizers import adam
from optimizers.hooks import ADAM_WORDS, bias_corrected
from optimizers.hyper import defaults
from optimizers.rule import Rule


class State(NamedTuple):
    """Adamax's state: step, m, u (the update returns a tuple in this order)."""

    step: np.ndarray
    m: np.ndarray
    u: np.ndarray


SLOTS = State._fields


init = adam.init  # three zeros, as Adam's


def update(grad, state, params, hyper):
    return update_with(grad, state, params, hyper, t_factors(state[0] + 1.0, hyper))


@register_jitable
def t_factors(t, hyper):
    """The update's factor that depends on t and the hyperparameters only: (1 - beta1^t,)."""
    return (1.0 - hyper.beta1**t,)


@register_jitable
def update_with(grad, state, params, hyper, factors):
    """``update`` with ``factors = t_factors(t, hyper)`` given (t: this update's count)."""
    t, m, u = state
    t = t + 1.0
    m = m + (1.0 - hyper.beta1) * (grad - m)
    u = np.maximum(hyper.beta2 * u, np.abs(grad) + hyper.eps)
    clr = hyper.lr / factors[0]
    return params - clr * m / u, (t, m, u)


RULE = Rule(
    name="adamax",
    label="Adamax",
    color="#D55E00",
    dash="dash",
    torch="Adamax(lr, betas=(beta1, beta2), eps=eps)",
    defaults=defaults("lr", "beta1", "beta2", "eps"),
    state=State,
    init=init,
    update=update,
    slot_words={"step": ADAM_WORDS["step"], "m": ADAM_WORDS["m"], "u": "u: decayed maximum of |gradient|"},
    step_ns=130,
    group="adaptive",
    blurb="Adam with the infinity norm: divides by a decayed max of |g|",
    derived=bias_corrected(None),
)
