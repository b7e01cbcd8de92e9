"""RAdam, as ``torch.optim.RAdam(lr, betas=(beta1, beta2), eps)``.

m_t, v_t as Adam;  m_hat = m_t / (1 - beta1^t)
rho_inf = 2 / (1 - beta2) - 1
rho_t   = rho_inf - 2 t beta2^t / (1 - beta2^t)
if rho_t > 5:   (variance is tractable: rectified adaptive step)
    r_t     = sqrt((rho_t - 4)(rho_t - 2) rho_inf / ((rho_inf - 4)(rho_inf - 2) rho_t))
    theta_t = theta_{t-1} - lr * m_hat * sqrt(1 - beta2^t) / (sqrt(v_t) + eps) * r_t
else:           (early steps: plain momentum SGD on the bias-corrected mean)
    theta_t = theta_{t-1} - lr * m_hat
"""

import numpy as np
from numba.extending import register_jitable

from optimizers import adam
from optimizers.branch import select
from optimizers.hooks import ADAM_WORDS, bias_corrected
from optimizers.hyper import defaults
from optimizers.rule import Rule

State = adam.State  # Adam's moments, rectified in the update
SLOTS = State._fields
init = adam.init


def update(grad, state, params, hyper):
    return update_with(grad, state, params, hyper, t_factors(state[0] + 1.0, hyper))


@register_jitable
def t_factors(t, hyper):
    """The update's factors that depend on t and the hyperparameters only:
    (1 - beta1^t, sqrt(1 - beta2^t), rho_t, r_t) (r_t: 0 where rho_t <= 4, unused while rho_t <= 5)."""
    b2 = hyper.beta2
    bc2 = 1.0 - b2**t
    rho_inf = 2.0 / (1.0 - b2) - 1.0
    rho_t = rho_inf - 2.0 * t * b2**t / bc2
    # max(.., 0) only keeps the untaken branch of select (np.where in numpy) free of sqrt(negative) warnings.
    rect = np.sqrt(
        np.maximum((rho_t - 4.0) * (rho_t - 2.0) * rho_inf / ((rho_inf - 4.0) * (rho_inf - 2.0) * rho_t), 0.0)
    )
    return 1.0 - hyper.beta1**t, np.sqrt(bc2), rho_t, rect


@register_jitable
def update_with(grad, state, params, hyper, factors):
    """``update`` with ``factors = t_factors(t, hyper)`` given (t: this update's count)."""
    t, m, v = state
    t = t + 1.0
    b2 = hyper.beta2
    m = m + (1.0 - hyper.beta1) * (grad - m)
    v = b2 * v + (1.0 - b2) * grad * grad
    bc1, root_bc2, rho_t, rect = factors
    m_hat = m / bc1
    tractable = rho_t > 5.0
    adaptive = root_bc2 / (np.sqrt(v) + hyper.eps)
    step = select(tractable, m_hat * hyper.lr * adaptive * rect, m_hat * hyper.lr)  # numba: no 0-d arrays
    return params - step, (t, m, v)


RULE = Rule(
    name="radam",
    label="RAdam",
    color="#0072B2",
    dash="dash",
    torch="RAdam(lr, betas=(beta1, beta2), eps=eps)",
    defaults=defaults("lr", "beta1", "beta2", "eps"),
    state=State,
    init=init,
    update=update,
    slot_words=ADAM_WORDS,
    step_ns=700,
    group="adaptive",
    blurb="Adam whose adaptive step is damped (rectified) while v is still uncertain",
    derived=bias_corrected("v"),
)
