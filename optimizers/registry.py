"""The list of update rules, in display order (the seed notebook's five first)."""

from __future__ import annotations

from optimizers import (
    adadelta,
    adagrad,
    adam,
    adamax,
    adamw,
    amsgrad,
    momentum,
    nadam,
    nesterov,
    radam,
    rmsprop,
    sgd,
)
from optimizers.rule import Rule

RULES: dict[str, Rule] = {
    m.RULE.name: m.RULE
    for m in (sgd, momentum, nesterov, rmsprop, adam, adagrad, adadelta, adamw, amsgrad, adamax, nadam, radam)
}
NAMES: tuple[str, ...] = tuple(RULES)
SEED_FIVE: tuple[str, ...] = ("sgd", "momentum", "nesterov", "rmsprop", "adam")
