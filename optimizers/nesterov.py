"""Nesterov momentum, as ``torch.optim.SGD(lr, momentum=rho, nesterov=True)``.

    v_t     = rho * v_{t-1} + g_t
    theta_t = theta_{t-1} - lr * (g_t + rho * v_t)

With constant lr this equals the seed notebook's form
``v' = rho v - lr g; theta += -rho v + (1 + rho) v'`` (substitute v = -lr * velocity).
"""

from optimizers import momentum
from optimizers.hooks import gradient_descent_limit
from optimizers.hyper import defaults
from optimizers.rule import Rule

State = momentum.State  # the same velocity, used differently
SLOTS = State._fields
init = momentum.init


def update(grad, state, params, hyper):
    (v,) = state
    v = hyper.rho * v + grad
    return params - hyper.lr * (grad + hyper.rho * v), (v,)


def arrows(point, state, hyper):
    """The inspector's look-ahead arrow: theta_k - lr * rho * v_k, where the gradient is taken."""
    return [(-hyper["lr"] * hyper["rho"] * state["velocity"], "lookahead", "look-ahead θ − lr·ρ·v")]


RULE = Rule(
    name="nesterov",
    label="Nesterov",
    color="#0072B2",
    dash="solid",
    torch="SGD(lr, momentum=rho, nesterov=True)",
    defaults=defaults("lr", "rho"),
    state=State,
    init=init,
    update=update,
    slot_words=momentum.RULE.slot_words,
    step_ns=80,
    group="classic",
    blurb="momentum with a look-ahead correction of the gradient",
    arrows=arrows,
    stable_lr=gradient_descent_limit,
)
