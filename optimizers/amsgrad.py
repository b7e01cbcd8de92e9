"""AMSGrad, as ``torch.optim.Adam(lr, betas=(beta1, beta2), eps, amsgrad=True)``.

m_t, v_t as Adam
v_max_t = max(v_max_{t-1}, v_t)
theta_t = theta_{t-1} - lr / (1 - beta1^t) * m_t / (sqrt(v_max_t) / sqrt(1 - beta2^t) + eps)
"""

import numpy as np

from optimizers.rule import Rule

SLOTS = ("step", "m", "v", "v_max")


def init(params):
    return (0.0 * params, 0.0 * params, 0.0 * params, 0.0 * params)


def update(grad, state, params, hyper):
    t, m, v, v_max = state
    t = t + 1.0
    m = m + (1.0 - hyper.beta1) * (grad - m)
    v = hyper.beta2 * v + (1.0 - hyper.beta2) * grad * grad
    v_max = np.maximum(v_max, v)
    step_size = hyper.lr / (1.0 - hyper.beta1**t)
    denom = np.sqrt(v_max) / np.sqrt(1.0 - hyper.beta2**t) + hyper.eps
    return params - step_size * m / denom, (t, m, v, v_max)


RULE = Rule(
    "amsgrad",
    "AMSGrad",
    "#F0E442",
    "solid",
    "Adam(lr, betas=(beta1, beta2), eps=eps, amsgrad=True)",
    {"lr": 0.1, "beta1": 0.9, "beta2": 0.999, "eps": 1e-7},
    SLOTS,
    init,
    update,
)
