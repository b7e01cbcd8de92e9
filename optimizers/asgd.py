"""ASGD (averaged SGD), as ``torch.optim.ASGD(lr, lambd, alpha, t0)`` (weight_decay 0).

t       = t + 1                                     (eta_1 = lr, mu_1 = 1)
theta_t = theta_{t-1} * (1 - lambd * eta_t) - eta_t * g_t
ax_t    = theta_t                          if mu_t = 1
          ax_{t-1} + mu_t * (theta_t - ax_{t-1})   otherwise
eta_t+1 = lr / (1 + lambd * lr * t)^alpha
mu_t+1  = 1 / max(1, t - t0)

The path is the iterate theta (what torch writes into the parameter); the averaged iterate ax, the
Polyak-Ruppert average of theta from step t0 on, is a state slot, drawn beside the path.
"""

from typing import NamedTuple

import numpy as np

from optimizers.branch import select
from optimizers.hyper import defaults
from optimizers.rule import Rule


class State(NamedTuple):
    """ASGD's state: step, step size eta, averaging weight mu, averaged iterate ax (torch's names)."""

    step: np.ndarray
    eta: np.ndarray
    mu: np.ndarray
    ax: np.ndarray


SLOTS = State._fields


def init(params):
    # eta 0 stands for "not yet set": the first update takes the learning rate, as torch's state does.
    return (0.0 * params, 0.0 * params, 1.0 + 0.0 * params, 0.0 * params)


def update(grad, state, params, hyper):
    t, eta, mu, ax = state
    eta = select(t == 0.0, hyper.lr + 0.0 * eta, eta)
    t = t + 1.0
    params = params * (1.0 - hyper.lambd * eta) - eta * grad
    ax = select(mu == 1.0, params, ax + (params - ax) * mu)
    new_eta = hyper.lr / (1.0 + hyper.lambd * hyper.lr * t) ** hyper.alpha
    new_mu = 1.0 / np.maximum(1.0, t - hyper.t0)
    return params, (t, new_eta, new_mu, ax)


def stable_lr(hyper, curvature):
    """The first step is gradient descent with the decay term: the error is multiplied by
    1 - lr (λ + lambd), so it grows for lr > 2 / (λ + lambd) (later steps only shrink eta)."""
    return 2.0 / (curvature + hyper["lambd"]), "2/(λ + lambd)"


RULE = Rule(
    name="asgd",
    label="ASGD",
    color="#009E73",
    dash="longdash",
    torch="ASGD(lr, lambd=lambd, alpha=alpha, t0=t0)",
    defaults=defaults("lr", "lambd", "alpha", "t0"),
    state=State,
    init=init,
    update=update,
    slot_words={
        "step": "update count t",
        "eta": "η: the step size of the next update, lr / (1 + λ·lr·t)^α",
        "mu": "μ: the averaging weight of the next update, 1 / max(1, t − t0)",
        "ax": "ax: the averaged iterate (drawn beside the path)",
    },
    step_ns=120,
    group="classic",
    blurb="SGD with a decaying step and an average of its iterates (Polyak–Ruppert)",
    companion="ax",
    stable_lr=stable_lr,
)
