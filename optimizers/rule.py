"""What every update rule module provides: plain data plus a pure ``init``/``update`` pair.

An update rule works coordinate-wise, so ``init`` and ``update`` are written with arithmetic and
numpy ufuncs only. The same source then runs

* vectorised on numpy arrays (``params`` of any shape, e.g. (n, 2) for n starts), and
* compiled by numba on one float at a time inside the engine's loop (see ``optimizers.kernel``).

``state`` is a tuple of arrays shaped like ``params`` whose names are the rule's ``slots``;
``hyper`` is a :class:`Hyper` whose fields are floats or arrays broadcastable to ``params``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

HYPER_NAMES = ("lr", "rho", "decay", "beta1", "beta2", "eps", "weight_decay")


class Hyper(NamedTuple):
    """All hyperparameters any rule reads; a rule ignores the fields it does not use.

    Names are the seed notebook's: ``rho`` is the momentum coefficient (torch's ``momentum``)
    and Adadelta's ``rho``; ``decay`` is RMSProp's squared-average decay (torch's ``alpha``).
    """

    lr: float
    rho: float
    decay: float
    beta1: float
    beta2: float
    eps: float
    weight_decay: float


@dataclass(frozen=True)
class Rule:
    """An update rule: identity, display, defaults, and its pure functions."""

    name: str
    label: str
    color: str  # Okabe-Ito palette
    dash: str  # Plotly line dash: rules beyond the seed's five are dashed to stay distinct
    torch: str  # the torch.optim call this rule reproduces
    defaults: dict[str, float]  # the hyperparameters this rule reads, with their defaults
    slots: tuple[str, ...]  # names of the state arrays, in order
    init: Callable = field(repr=False)
    update: Callable = field(repr=False)

    @property
    def hyper_names(self) -> tuple[str, ...]:
        return tuple(self.defaults)
