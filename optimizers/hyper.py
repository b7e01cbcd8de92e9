"""The hyperparameters: one table of specs from which everything else derives.

Each :class:`HyperSpec` holds one hyperparameter's facts: the values the engine accepts
(``optimizers.validation``), the dashboard's narrower bounds (the scene's clamping and the
controls), the usual default (a rule may override it), the help text the controls show, whether
and over which span a sweep may vary it, and whether its control is on a log scale.

``Hyper`` (what a rule's ``update`` reads) is built from this table, in its order, and so is the
compiled loop's row-to-``Hyper`` constructor (``optimizers.kernel_cache``). A new hyperparameter
is one more line in ``SPECS``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple


@dataclass(frozen=True, kw_only=True)
class HyperSpec:
    """One hyperparameter: engine range [low, high] (ends open where said), dashboard range
    ``control``, usual ``default``, ``help`` text, sweep span (None: not sweepable), ``log`` scale."""

    name: str
    low: float
    high: float
    low_open: bool = False
    high_open: bool = False
    control: tuple[float, float]
    default: float
    help: str
    sweep: tuple[float, float] | None = None
    log: bool = False

    def interval(self) -> str:
        """The engine's range in interval notation, e.g. ``[0, 1)``."""
        return f"{'(' if self.low_open else '['}{self.low:g}, {self.high:g}{')' if self.high_open else ']'}"


def _decay(name: str, top: float, default: float, help: str, sweep: tuple[float, float]) -> HyperSpec:
    """A decay rate or momentum coefficient: the engine takes [0, 1), the dashboard [0, ``top``]."""
    return HyperSpec(
        name=name, low=0.0, high=1.0, high_open=True, control=(0.0, top), default=default, help=help, sweep=sweep
    )


SPECS: dict[str, HyperSpec] = {
    s.name: s
    for s in (
        HyperSpec(
            name="lr",
            low=0.0,
            high=1e6,
            control=(1e-6, 10.0),
            default=0.1,
            help="learning rate: the size of each step",
            sweep=(1e-4, 1.0),
            log=True,
        ),
        _decay("rho", 0.9999, 0.9, "momentum coefficient ρ (Adadelta: decay of its averages)", (0.0, 0.99)),
        _decay("decay", 0.9999, 0.9, "decay of the squared-gradient average (torch's alpha)", (0.5, 0.999)),
        _decay("beta1", 0.9999, 0.9, "β₁: decay of the gradient average m", (0.0, 0.99)),
        _decay("beta2", 0.99999, 0.999, "β₂: decay of the squared-gradient average v", (0.9, 0.9999)),
        HyperSpec(
            name="eps",
            low=0.0,
            high=1.0,
            low_open=True,
            control=(1e-16, 1.0),  # Adafactor's default is float64's machine epsilon, 2.2e-16
            default=1e-7,
            help="ε: keeps the division finite",
        ),
        HyperSpec(
            name="weight_decay",
            low=0.0,
            high=1e3,
            control=(0.0, 1.0),
            default=0.01,
            help="decoupled weight decay (pulls towards 0)",
            sweep=(0.0, 0.5),
        ),
        HyperSpec(
            name="lambd",
            low=0.0,
            high=1e3,
            control=(0.0, 1.0),
            default=1e-4,
            help="ASGD's λ: decay term; the step size is η = lr / (1 + λ·lr·t)^α",
            sweep=(0.0, 0.1),
        ),
        HyperSpec(
            name="alpha",
            low=0.0,
            high=10.0,
            control=(0.0, 2.0),
            default=0.75,
            help="ASGD's α: the power of the step size's decay",
            sweep=(0.0, 1.0),
        ),
        HyperSpec(
            name="t0",
            low=0.0,
            high=1e9,
            control=(0.0, 1e6),
            default=1e6,
            help="ASGD's t0: the step from which θ is averaged (torch's 10⁶: none within a run; try 50)",
        ),
        HyperSpec(
            name="etaminus",
            low=0.0,
            high=1.0,
            low_open=True,
            high_open=True,
            control=(0.01, 0.99),
            default=0.5,
            help="Rprop's η−: a step size shrinks by this factor when its gradient's sign flips",
            sweep=(0.1, 0.9),
        ),
        HyperSpec(
            name="etaplus",
            low=1.0,
            high=1e3,
            low_open=True,
            control=(1.01, 5.0),
            default=1.2,
            help="Rprop's η+: a step size grows by this factor while its gradient's sign holds",
            sweep=(1.05, 2.0),
        ),
        HyperSpec(
            name="step_size_min",
            low=0.0,
            high=1e6,
            control=(0.0, 1.0),
            default=1e-6,
            help="Rprop's smallest step size",
        ),
        HyperSpec(
            name="step_size_max",
            low=0.0,
            high=1e6,
            control=(1e-6, 1e3),
            default=50.0,
            help="Rprop's largest step size",
        ),
        HyperSpec(
            name="warmup_steps",
            low=0.0,
            high=1e6,
            control=(0.0, 10_000.0),
            default=0.0,
            help="schedule-free: steps of linear learning-rate warm-up (0: none)",
            sweep=(0.0, 100.0),
        ),
        HyperSpec(
            name="r",
            low=0.0,
            high=100.0,
            control=(0.0, 10.0),
            default=0.0,
            help="schedule-free: the average weighs step k by (k + 1)^r",
        ),
        HyperSpec(
            name="weight_lr_power",
            low=0.0,
            high=100.0,
            control=(0.0, 10.0),
            default=2.0,
            help="schedule-free: the average weighs step k by lr_max^power (the warm-up's weighting)",
        ),
        # Second-order and vector rules (optimizers.newton, optimizers.lbfgs, optimizers.adafactor).
        HyperSpec(
            name="damping",
            low=0.0,
            high=1e6,
            control=(0.0, 100.0),
            default=0.0,
            help="Newton's damping δ: steps with H + δI (0: pure Newton)",
            sweep=(0.0, 10.0),
        ),
        HyperSpec(
            name="saddle_free",
            low=0.0,
            high=1.0,
            control=(0.0, 1.0),
            default=0.0,
            help="1: saddle-free Newton, |H| from the eigen-decomposition; 0: H itself",
        ),
        HyperSpec(
            name="line_search",
            low=0.0,
            high=1.0,
            control=(0.0, 1.0),
            default=0.0,
            help="1: torch's strong-Wolfe line search (line_search_fn='strong_wolfe'); 0: none",
        ),
        HyperSpec(
            name="max_eval",
            low=1.0,
            high=100.0,
            control=(1.0, 100.0),
            default=1.0,
            help="L-BFGS: function evaluations per step (torch's default max_iter·5//4 = 1; 25 lets the "
            "line search bracket and zoom)",
        ),
        HyperSpec(
            name="history_size",
            low=1.0,
            high=1000.0,
            control=(1.0, 200.0),
            default=100.0,
            help="L-BFGS: how many (s, y) pairs it remembers",
        ),
        HyperSpec(
            name="tolerance_grad",
            low=0.0,
            high=1e3,
            control=(0.0, 1.0),
            default=1e-7,
            help="L-BFGS: no step when max |g| is at most this",
        ),
        HyperSpec(
            name="tolerance_change",
            low=0.0,
            high=1e3,
            control=(0.0, 1.0),
            default=1e-9,
            help="L-BFGS: no step when the slope g·d is above −this",
        ),
        HyperSpec(
            name="beta2_decay",
            low=-1e3,
            high=0.0,
            control=(-10.0, 0.0),
            default=-0.8,
            help="Adafactor: the squared-gradient average's weight is t^beta2_decay",
        ),
        HyperSpec(
            name="eps2",
            low=0.0,
            high=1.0,
            control=(0.0, 1.0),
            default=1e-3,
            help="Adafactor's ε₂: the smallest relative step scale (torch's eps[1])",
        ),
        HyperSpec(
            name="d",
            low=1.0,
            high=1e6,
            control=(1.0, 1e3),
            default=1.0,
            help="Adafactor's clipping threshold d: the update's RMS is clipped to d",
        ),
    )
}
HYPER_NAMES: tuple[str, ...] = tuple(SPECS)

Hyper = NamedTuple("Hyper", [(name, float) for name in HYPER_NAMES])
Hyper.__doc__ = """All hyperparameters any rule reads (``SPECS`` order); a rule ignores the fields it does not use.

Names are the seed notebook's: ``rho`` is the momentum coefficient (torch's ``momentum``)
and Adadelta's ``rho``; ``decay`` is RMSProp's squared-average decay (torch's ``alpha``)."""


def defaults(*names: str, **overrides: float) -> dict[str, float]:
    """The defaults of the hyperparameters ``names`` (in that order), with a rule's ``overrides``."""
    unknown = [n for n in (*names, *overrides) if n not in SPECS]
    if unknown:
        raise ValueError(f"no hyperparameter {unknown[0]!r} in optimizers.hyper.SPECS")
    missing = [n for n in overrides if n not in names]
    if missing:
        raise ValueError(f"override for {missing[0]!r}, which is not among the names")
    return {n: float(overrides.get(n, SPECS[n].default)) for n in names}


def row_source(table: str = "table", i: str = "i") -> str:
    """Python source building a ``Hyper`` by name from row ``i`` of the (n, len(SPECS)) ``table``."""
    return "Hyper(" + ", ".join(f"{n}={table}[{i}, {j}]" for j, n in enumerate(HYPER_NAMES)) + ")"


def scaled_lr_source(h: str = "h", factor: str = "factor") -> str:
    """Python source of ``h`` with its learning rate times ``factor`` (numba has no ``_replace``)."""
    fields = ", ".join(f"{n}={h}.{n} * {factor}" if n == "lr" else f"{n}={h}.{n}" for n in HYPER_NAMES)
    return f"Hyper({fields})"
