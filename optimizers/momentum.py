"""SGD with momentum, as ``torch.optim.SGD(lr, momentum=rho)`` (dampening 0).

v_t     = rho * v_{t-1} + g_t          (v_0 = 0, so v_1 = g_1 as torch's first step)
theta_t = theta_{t-1} - lr * v_t
"""

from optimizers.rule import Rule

SLOTS = ("velocity",)


def init(params):
    return (0.0 * params,)


def update(grad, state, params, hyper):
    (v,) = state
    v = hyper.rho * v + grad
    return params - hyper.lr * v, (v,)


RULE = Rule(
    "momentum",
    "SGD + momentum",
    "#009E73",
    "solid",
    "SGD(lr, momentum=rho)",
    {"lr": 0.1, "rho": 0.9},
    SLOTS,
    init,
    update,
)
