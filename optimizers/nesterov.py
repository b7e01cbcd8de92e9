"""Nesterov momentum, as ``torch.optim.SGD(lr, momentum=rho, nesterov=True)``.

    v_t     = rho * v_{t-1} + g_t
    theta_t = theta_{t-1} - lr * (g_t + rho * v_t)

With constant lr this equals the seed notebook's form
``v' = rho v - lr g; theta += -rho v + (1 + rho) v'`` (substitute v = -lr * velocity).
"""

from optimizers.rule import Rule

SLOTS = ("velocity",)


def init(params):
    return (0.0 * params,)


def update(grad, state, params, hyper):
    (v,) = state
    v = hyper.rho * v + grad
    return params - hyper.lr * (grad + hyper.rho * v), (v,)


RULE = Rule(
    "nesterov",
    "Nesterov",
    "#0072B2",
    "solid",
    "SGD(lr, momentum=rho, nesterov=True)",
    {"lr": 0.1, "rho": 0.9},
    SLOTS,
    init,
    update,
)
