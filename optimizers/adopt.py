"""ADOPT (Taniguchi et al. 2024, "ADOPT: Modified Adam Can Converge with Any beta2"), as
``pytorch_optimizer.ADOPT(lr, betas=(beta1, beta2), eps)`` (its default clip_lambda t^(1/4),
weight_decay 0).

t       = t + 1
if t = 1:  v_1 = g_1^2                       (the first step only sets v; theta does not move)
else:
    n_t     = clamp(g_t / max(sqrt(v_{t-1}), eps), -t^(1/4), t^(1/4))   (normalised by the OLD v)
    m_t     = m_{t-1} + (1 - beta1) * (n_t - m_{t-1})
    theta_t = theta_{t-1} - lr * m_t
    v_t     = beta2 * v_{t-1} + (1 - beta2) * g_t^2

Dividing by the previous v (not yet holding g_t) and averaging after the division is what lets
ADOPT converge for any beta2; the clip keeps the early steps bounded.
"""

import numpy as np
from numba.extending import register_jitable

from optimizers import adam
from optimizers.branch import lerp, select
from optimizers.hooks import ADAM_WORDS
from optimizers.hyper import defaults
from optimizers.rule import Rule

State = adam.State  # step, m, v: ADOPT's moments, used in another order
SLOTS = State._fields
init = adam.init


def update(grad, state, params, hyper):
    return update_with(grad, state, params, hyper, t_factors(state[0] + 1.0, hyper))


@register_jitable
def t_factors(t, hyper):
    """The update's factor that depends on t only: (t^(1/4),), the clip."""
    return (t**0.25,)


@register_jitable
def update_with(grad, state, params, hyper, factors):
    """``update`` with ``factors = t_factors(t, hyper)`` given (t: this update's count)."""
    t, m, v = state
    t = t + 1.0
    first = t == 1.0
    clip = factors[0]
    normed = np.minimum(np.maximum(grad / np.maximum(np.sqrt(v), hyper.eps), -clip), clip)
    m = select(first, m, lerp(m, normed, 1.0 - hyper.beta1))
    params = select(first, params, params - hyper.lr * m)
    v = select(first, v + grad * grad, v * hyper.beta2 + (1.0 - hyper.beta2) * grad * grad)
    return params, (t, m, v)


RULE = Rule(
    name="adopt",
    label="ADOPT",
    color="#CC79A7",
    dash="dashdot",
    torch="pytorch_optimizer.ADOPT(lr, betas=(beta1, beta2), eps=eps)",
    defaults=defaults("lr", "beta1", "beta2", "eps", beta2=0.9999, eps=1e-6),
    state=State,
    init=init,
    update=update,
    slot_words={**ADAM_WORDS, "v": "v: running average of squared gradients, up to the previous step"},
    step_ns=200,
    group="modern",
    blurb="Adam dividing by the previous v before averaging, clipped: converges for any β₂",
)
