"""Plain (stochastic) gradient descent, as ``torch.optim.SGD(lr)``.

theta_t = theta_{t-1} - lr * g_t
"""

from typing import NamedTuple

from optimizers.hooks import gradient_descent_limit
from optimizers.hyper import defaults
from optimizers.rule import Rule


class State(NamedTuple):
    """Plain SGD keeps no state."""


SLOTS = State._fields


def init(params):
    """No state."""
    return ()


def update(grad, state, params, hyper):
    return params - hyper.lr * grad, state


RULE = Rule(
    name="sgd",
    label="SGD",
    color="#D55E00",
    dash="solid",
    torch="SGD(lr)",
    defaults=defaults("lr"),
    state=State,
    init=init,
    update=update,
    step_ns=80,
    group="classic",
    blurb="a step against the gradient: θ ← θ − lr·g",
    stable_lr=gradient_descent_limit,
)
