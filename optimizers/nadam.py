"""NAdam, as ``torch.optim.NAdam(lr, betas=(beta1, beta2), eps)`` (momentum_decay 4e-3).

mu_t      = beta1 * (1 - 0.5 * 0.96^(t * psi))          psi = momentum_decay = 0.004
mu_{t+1}  = beta1 * (1 - 0.5 * 0.96^((t + 1) * psi))
            (0.96^((t + 1) psi) is kept in the state as ``decay_next``: step t + 1 reads its
            0.96^(t' psi) there instead of computing it again, one power less per coordinate and step)
P_t       = P_{t-1} * mu_t                               (the mu-product, P_0 = 1)
m_t, v_t  as Adam
denom     = sqrt(v_t / (1 - beta2^t)) + eps
theta_t   = theta_{t-1} - lr (1 - mu_t) / (1 - P_t) * g_t / denom
                        - lr mu_{t+1} / (1 - P_t mu_{t+1}) * m_t / denom
"""

from typing import NamedTuple

import numpy as np
from numba.extending import register_jitable

from optimizers.hooks import ADAM_WORDS, bias_corrected
from optimizers.hyper import defaults
from optimizers.rule import Rule


class State(NamedTuple):
    """NAdam's state: step, m, v, mu_product, decay_next = 0.96^((step + 1) psi) (the update returns a
    tuple in this order)."""

    step: np.ndarray
    m: np.ndarray
    v: np.ndarray
    mu_product: np.ndarray
    decay_next: np.ndarray


SLOTS = State._fields
MOMENTUM_DECAY = 4e-3  # torch's default psi


def init(params):
    return (0.0 * params, 0.0 * params, 0.0 * params, 0.0 * params + 1.0, 0.0 * params + 0.96 ** (1.0 * MOMENTUM_DECAY))


def update(grad, state, params, hyper):
    return update_with(grad, state, params, hyper, t_factors(state[0] + 1.0, hyper))


@register_jitable
def t_factors(t, hyper):
    """The update's factors that depend on t and the hyperparameters only:
    (0.96^((t + 1) psi), 1 - beta2^t)."""
    return 0.96 ** ((t + 1.0) * MOMENTUM_DECAY), 1.0 - hyper.beta2**t


@register_jitable
def update_with(grad, state, params, hyper, factors):
    """``update`` with ``factors = t_factors(t, hyper)`` given (t: this update's count)."""
    t, m, v, mu_product, decay = state
    t = t + 1.0
    b1 = hyper.beta1
    decay_next, bc2 = factors
    mu = b1 * (1.0 - 0.5 * decay)
    mu_next = b1 * (1.0 - 0.5 * decay_next)
    mu_product = mu_product * mu
    m = m + (1.0 - b1) * (grad - m)
    v = hyper.beta2 * v + (1.0 - hyper.beta2) * grad * grad
    denom = np.sqrt(v / bc2) + hyper.eps
    params = params + (-hyper.lr * (1.0 - mu) / (1.0 - mu_product)) * grad / denom
    params = params + (-hyper.lr * mu_next / (1.0 - mu_product * mu_next)) * m / denom
    return params, (t, m, v, mu_product, decay_next)


RULE = Rule(
    name="nadam",
    label="NAdam",
    color="#009E73",
    dash="dash",
    torch="NAdam(lr, betas=(beta1, beta2), eps=eps)",
    defaults=defaults("lr", "beta1", "beta2", "eps"),
    state=State,
    init=init,
    update=update,
    slot_words={
        **ADAM_WORDS,
        "mu_product": "product of NAdam's momentum factors μ",
        "decay_next": "0.96^((t+1)·ψ): the next step's momentum warm-up factor",
    },
    step_ns=430,
    group="adaptive",
    blurb="Adam with Nesterov’s look-ahead momentum",
    derived=bias_corrected("v"),
)
