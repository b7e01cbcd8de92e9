"""What every update rule module provides: plain data, a pure ``init``/``update`` pair, and hooks.

An update rule works coordinate-wise, so ``init`` and ``update`` are written with arithmetic and
numpy ufuncs only. The same source then runs

* vectorised on numpy arrays (``params`` of any shape, e.g. (n, 2) for n starts), and
* compiled by numba on one float at a time inside the engine's loop (see ``optimizers.kernel``).

``state`` is a NamedTuple of arrays shaped like ``params`` (the rule's ``State`` class, whose
fields are its ``slots``); ``hyper`` is a :class:`Hyper` whose fields are floats or arrays
broadcastable to ``params``.

Hooks (all optional) say what the rest of the project needs to know about one rule, so that no
code outside ``optimizers/`` asks for a rule by name:

* ``derived(state, hyper) -> [(label, value)]``: numbers the inspector shows beyond the state
  (Adam's bias-corrected moments); ``state`` maps slot names to values at one step.
* ``arrows(point, state, hyper) -> [(vector, kind, text)]``: extra arrows from theta_k
  (Nesterov's look-ahead, AdamW's weight-decay pull).
* ``stable_lr(hyper, curvature) -> (limit, formula)``: the learning rate above which the rule
  diverges on a quadratic of that curvature, and the limit in words (``"2/λ"``); the events say so.
* ``slot_words``: what each state slot is, in words (the inspector's rows; default: its name);
* ``step_ns``: nanoseconds of one compiled step (the work budget, ``app.serving.budget``);
* ``work(hyper, steps) -> (ns, evaluations)``: for a rule whose step costs more at some settings
  (L-BFGS: its history and line search), the most one step of a run of ``steps`` costs there:
  nanoseconds beyond ``step_ns``, and loss-and-gradient evaluations (the budget prices each as the
  surface's); none: (0, 1);
* ``group`` and ``blurb``: the optimizer list's heading (one of ``GROUPS``) and one line on the rule;
* ``companion``: a state slot holding a second point of the rule (ASGD's averaged iterate,
  schedule-free's x), drawn beside the path.

A rule module may also name the factors of its update that depend only on the update count t and
the hyperparameters (Adam's 1 - beta1^t and sqrt(1 - beta2^t)): ``t_factors(t, hyper) -> tuple of
floats`` and ``update_with(grad, state, params, hyper, factors)``, with ``update`` equal to
``update_with(..., t_factors(t, hyper))`` (the count in state slot 0, from 0). The endings loop
(basin maps, sweeps) then computes them once a step for the starts it steps side by side that share
their hyperparameters, instead of a pow per start and coordinate: the same numbers, bit for bit.
In the compiled loop a coordinate-wise rule's state is a tuple of floats.

A *vector* rule (``vector=True``; Newton, L-BFGS, Adafactor) is not coordinate-wise: see
``optimizers.vector`` for its ``init``/``update`` contract.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from optimizers.hyper import HYPER_NAMES, Hyper

__all__ = ["GROUPS", "HYPER_NAMES", "Hyper", "Rule"]

Derived = Callable[[dict[str, np.ndarray], dict[str, float]], list[tuple[str, np.ndarray]]]
Arrows = Callable[[np.ndarray, dict[str, np.ndarray], dict[str, float]], list[tuple[np.ndarray, str, str]]]
StableLr = Callable[[dict[str, float], float], tuple[float, str]]
Work = Callable[[dict[str, float], int], tuple[float, int]]


# The optimizer list's headings, in display order, with what the rules under each have in common.
GROUPS: dict[str, str] = {
    "classic": "Classic: one step size for every coordinate",
    "adaptive": "Adaptive: a step size per coordinate, from the gradients seen",
    "second-order": "Second-order: curvature (Hessian or its estimate) shapes the step",
    "modern": "Modern: rules from 2023–2024",
}


@dataclass(frozen=True, kw_only=True)
class Rule:
    """An update rule: identity, display, defaults, its state's NamedTuple, its pure functions, hooks."""

    name: str
    label: str
    color: str  # Okabe-Ito palette
    dash: str  # Plotly line dash: rules beyond the seed's five are dashed to stay distinct
    torch: str  # the torch.optim call this rule reproduces
    defaults: dict[str, float]  # the hyperparameters this rule reads, with their defaults
    state: type  # the NamedTuple class of its state; its fields are the slots
    init: Callable = field(repr=False)
    update: Callable = field(repr=False)
    slot_words: dict[str, str] = field(default_factory=dict)  # the inspector's words for each state slot
    step_ns: int = 200
    derived: Derived | None = field(default=None, repr=False)
    arrows: Arrows | None = field(default=None, repr=False)
    stable_lr: StableLr | None = field(default=None, repr=False)
    work: Work | None = field(default=None, repr=False)
    group: str = "classic"  # the optimizer list's heading: one of GROUPS
    blurb: str = ""  # one line for the optimizer list: what the rule does
    companion: str | None = None  # a state slot holding a second point drawn beside the path

    # Vector rules (``optimizers.vector``): the update sees the 2-vector, a closure and the Hessian.
    vector: bool = False
    uses_hessian: bool = False  # reads the exact Hessian (the rough layer's is not compiled: numpy loop)
    evals: int = 0  # evaluation points recorded per step beyond the first (L-BFGS's line search)
    stops: dict[int, str] = field(default_factory=dict)  # why a vector rule stopped, by its stop code

    def __post_init__(self):
        if self.group not in GROUPS:
            raise ValueError(f"rule {self.name!r}: group must be one of {', '.join(GROUPS)}, got {self.group!r}")
        if self.companion is not None and self.companion not in self.state._fields:
            raise ValueError(f"rule {self.name!r}: companion {self.companion!r} is not a state slot")

    def step_work(self, hyper: dict[str, float], steps: int) -> tuple[float, int]:
        """(ns beyond ``step_ns``, evaluations) of one step at ``hyper`` (over the defaults), at the most."""
        if self.work is None:
            return 0.0, 1
        return self.work({**self.defaults, **hyper}, steps)

    @property
    def slots(self) -> tuple[str, ...]:
        """Names of the state arrays, in order."""
        return tuple(self.state._fields)

    @property
    def hyper_names(self) -> tuple[str, ...]:
        return tuple(self.defaults)
