"""The list of update rules, in display order (the seed notebook's five first).

Adding a rule is one module (see ``optimizers.rule``: state, ``init``/``update``, ``RULE``) plus one
line here, or at run time ``optimizers.register(module.RULE)``. ``NAMES`` is read live (a module
``__getattr__``), so a registered rule shows up wherever the names are listed.
"""

from __future__ import annotations

from optimizers import (
    adadelta,
    adafactor,
    adagrad,
    adam,
    adamax,
    adamw,
    adopt,
    amsgrad,
    asgd,
    lbfgs,
    lion,
    momentum,
    nadam,
    nesterov,
    newton,
    radam,
    rmsprop,
    rprop,
    schedulefree_adamw,
    schedulefree_sgd,
    sgd,
)
from optimizers.rule import Rule

RULES: dict[str, Rule] = {}
SEED_FIVE: tuple[str, ...] = ("sgd", "momentum", "nesterov", "rmsprop", "adam")


def register(rule: Rule) -> Rule:
    """Add ``rule`` after the others (its module must define ``init`` and ``update`` by those names,
    for the compiled engine); a name already taken is refused."""
    if not isinstance(rule, Rule):
        raise TypeError(f"register takes an optimizers.Rule, got {type(rule).__name__}")
    if rule.name in RULES:
        raise ValueError(f"an optimizer named {rule.name!r} is already registered")
    RULES[rule.name] = rule
    return rule


def unregister(name: str) -> None:
    """Remove a rule added with ``register`` (the built-in ones stay)."""
    if name in BUILT_IN:
        raise ValueError(f"{name!r} is built in and cannot be removed")
    RULES.pop(name, None)


def names() -> tuple[str, ...]:
    """The registered rules' names, in display order."""
    return tuple(RULES)


_MODULES = (sgd, momentum, nesterov, rmsprop, adam, adagrad, adadelta, adamw, amsgrad, adamax, nadam, radam)
_MODULES += (asgd, rprop, lion, schedulefree_sgd, schedulefree_adamw, adopt)
for _module in _MODULES:
    register(_module.RULE)
for _module in (adafactor, newton, lbfgs):  # vector rules (optimizers.vector)
    register(_module.RULE)
BUILT_IN: tuple[str, ...] = names()


def __getattr__(attr: str):
    if attr == "NAMES":
        return names()
    raise AttributeError(f"module {__name__!r} has no attribute {attr!r}")
