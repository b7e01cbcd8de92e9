"""RMSProp, as ``torch.optim.RMSprop(lr, alpha=decay, eps)``.

s_t     = decay * s_{t-1} + (1 - decay) * g_t^2
theta_t = theta_{t-1} - lr * g_t / (sqrt(s_t) + eps)
"""

import numpy as np

from optimizers.rule import Rule

SLOTS = ("square_avg",)


def init(params):
    return (0.0 * params,)


def update(grad, state, params, hyper):
    (s,) = state
    s = hyper.decay * s + (1.0 - hyper.decay) * grad * grad
    avg = np.sqrt(s) + hyper.eps
    return params - hyper.lr * grad / avg, (s,)


RULE = Rule(
    "rmsprop",
    "RMSProp",
    "#E69F00",
    "solid",
    "RMSprop(lr, alpha=decay, eps=eps)",
    {"lr": 0.1, "decay": 0.9, "eps": 1e-7},
    SLOTS,
    init,
    update,
)
