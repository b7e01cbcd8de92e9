"""Adamax, as ``torch.optim.Adamax(lr, betas=(beta1, beta2), eps)``.

m_t     = beta1 * m_{t-1} + (1 - beta1) * g_t
u_t     = max(beta2 * u_{t-1}, |g_t| + eps)          (eps inside the max, as torch)
theta_t = theta_{t-1} - lr / (1 - beta1^t) * m_t / u_t
"""

import numpy as np

from optimizers.rule import Rule

SLOTS = ("step", "m", "u")


def init(params):
    return (0.0 * params, 0.0 * params, 0.0 * params)


def update(grad, state, params, hyper):
    t, m, u = state
    t = t + 1.0
    m = m + (1.0 - hyper.beta1) * (grad - m)
    u = np.maximum(hyper.beta2 * u, np.abs(grad) + hyper.eps)
    clr = hyper.lr / (1.0 - hyper.beta1**t)
    return params - clr * m / u, (t, m, u)


RULE = Rule(
    "adamax",
    "Adamax",
    "#D55E00",
    "dash",
    "Adamax(lr, betas=(beta1, beta2), eps=eps)",
    {"lr": 0.1, "beta1": 0.9, "beta2": 0.999, "eps": 1e-7},
    SLOTS,
    init,
    update,
)
