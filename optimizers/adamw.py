"""AdamW, as ``torch.optim.AdamW(lr, betas=(beta1, beta2), eps, weight_decay)``.

theta'  = theta_{t-1} * (1 - lr * weight_decay)      (decoupled decay, applied first)
theta_t = Adam step from theta' with the same g_t    (see ``optimizers.adam``)
"""

from numba.extending import register_jitable

from optimizers import adam
from optimizers.hooks import ADAM_WORDS, bias_corrected
from optimizers.hyper import defaults
from optimizers.rule import Rule

State = adam.State
SLOTS = State._fields
init = adam.init


def update(grad, state, params, hyper):
    decayed = params * (1.0 - hyper.lr * hyper.weight_decay)
    return adam.update(grad, state, decayed, hyper)


t_factors = adam.t_factors  # Adam's (1 - beta1^t, sqrt(1 - beta2^t))


@register_jitable
def update_with(grad, state, params, hyper, factors):
    """``update`` with ``factors = t_factors(t, hyper)`` given (t: this update's count)."""
    decayed = params * (1.0 - hyper.lr * hyper.weight_decay)
    return adam.update_with(grad, state, decayed, hyper, factors)


def arrows(point, state, hyper):
    """The inspector's decoupled weight-decay pull: -lr * weight_decay * theta_k."""
    return [(-hyper["lr"] * hyper["weight_decay"] * point, "decay", "weight-decay pull −lr·λ·θ")]


RULE = Rule(
    name="adamw",
    label="AdamW",
    color="#56B4E9",
    dash="solid",
    torch="AdamW(lr, betas=(beta1, beta2), eps=eps, weight_decay=weight_decay)",
    defaults=defaults("lr", "beta1", "beta2", "eps", "weight_decay"),
    state=State,
    init=init,
    update=update,
    slot_words=ADAM_WORDS,
    step_ns=170,
    group="adaptive",
    blurb="Adam with decoupled weight decay pulling towards 0",
    derived=bias_corrected("v"),
    arrows=arrows,
)
