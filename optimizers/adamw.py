"""AdamW, as ``torch.optim.AdamW(lr, betas=(beta1, beta2), eps, weight_decay)``.

theta'  = theta_{t-1} * (1 - lr * weight_decay)      (decoupled decay, applied first)
theta_t = Adam step from theta' with the same g_t    (see ``optimizers.adam``)
"""

from optimizers import adam
from optimizers.rule import Rule

SLOTS = adam.SLOTS
init = adam.init


def update(grad, state, params, hyper):
    decayed = params * (1.0 - hyper.lr * hyper.weight_decay)
    return adam.update(grad, state, decayed, hyper)


RULE = Rule(
    "adamw",
    "AdamW",
    "#56B4E9",
    "solid",
    "AdamW(lr, betas=(beta1, beta2), eps=eps, weight_decay=weight_decay)",
    {"lr": 0.1, "beta1": 0.9, "beta2": 0.999, "eps": 1e-7, "weight_decay": 0.01},
    SLOTS,
    init,
    update,
)
