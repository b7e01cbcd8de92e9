"""AdaGrad, as ``torch.optim.Adagrad(lr, eps)`` (lr_decay 0, initial accumulator 0).

s_t     = s_{t-1} + g_t^2
theta_t = theta_{t-1} - lr * g_t / (sqrt(s_t) + eps)
"""

import numpy as np

from optimizers.rule import Rule

SLOTS = ("sum",)


def init(params):
    return (0.0 * params,)


def update(grad, state, params, hyper):
    (s,) = state
    s = s + grad * grad
    std = np.sqrt(s) + hyper.eps
    return params - hyper.lr * grad / std, (s,)


RULE = Rule(
    "adagrad", "AdaGrad", "#E69F00", "dash", "Adagrad(lr, eps=eps)", {"lr": 0.1, "eps": 1e-7}, SLOTS, init, update
)
