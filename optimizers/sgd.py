"""Plain (stochastic) gradient descent, as ``torch.optim.SGD(lr)``.

theta_t = theta_{t-1} - lr * g_t
"""

from optimizers.rule import Rule

SLOTS = ()


def init(params):
    """No state."""
    return ()


def update(grad, state, params, hyper):
    return params - hyper.lr * grad, state


RULE = Rule("sgd", "SGD", "#D55E00", "solid", "SGD(lr)", {"lr": 0.1}, SLOTS, init, update)
