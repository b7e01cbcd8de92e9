"""A work budget per request: what a scene's runs may cost, and how a scene over it is reduced.

The engine's time is estimated before anything runs, from what one step costs:

    seconds = steps × runs × Σ over the optimizers (rule's ns + evaluations × (surface's ns + rough ns)
                                                   + noise ns) / 1e9

where runs is 1, plus the ensemble's size when it is drawn, and a rule's ns is its ``Rule.step_ns`` (one
step of the compiled loop, state kept, on the cheapest surface; declared in the rule's module) plus
what its settings add (``Rule.work``: L-BFGS's history, and its line search, which may evaluate the
surface up to 1 + max_eval times a step: priced at that most, so no setting buys unpriced work). The
figures were measured on the 2-core machine this project is built on (``python -m bench.budget``
measures them again, and prints the CPU time of the dearest links the budget allows next to the goal
of 1 s a request) and rounded up. Own formulas are compiled (``landscapes.formula.kernel_function``)
and cost by their size; one numba could not compile runs on the numpy loop, which costs
``NUMPY_STEP_NS`` a step.

A scene over ``BUDGET_SECONDS`` is reduced, ensemble first, then steps, and the page says so.
"""

from __future__ import annotations

from dataclasses import replace

import landscapes
import optimizers
from analysis.outcomes import loss_every_for
from i18n import _, decimal_text, ngettext
from landscapes.formula import operation_count

BUDGET_SECONDS = 0.4  # the engine's share of a request's second; figures, events and JSON take the rest
SURFACE_NS = 60  # the dearest built-in surface's value and gradient beyond the cheapest (Rastrigin)
FORMULA_OP_NS = 4  # per operation (``sympy.count_ops``) of an own formula's L, dL/dx and dL/dy
ROUGH_NS = 1000  # the rough layer's bicubic spline, value and gradient
NOISE_NS = 150  # drawing a step's gradient noise
DATA_SAMPLE_NS = 75  # a data landscape: one sample's loss and gradient (N for the full loss, B for the step)
NUMPY_VECTOR_STEP_NS = 150_000  # a step of the numpy loop of a vector rule, per run (Newton on a rough surface)
NUMPY_STEP_NS = 60_000  # a step of the numpy loop (all of a batch's runs at once), for a formula numba refused


def step_ns(
    rules,
    surface: landscapes.Surface,
    formula: str,
    roughness: float,
    grad_noise: float,
    steps: int = 1,
    hyper: dict | None = None,
) -> float:
    """Nanoseconds of one step of one run of every optimizer in ``rules`` on ``surface`` (in a run of
    ``steps``: a data landscape's full-data loss is taken every ``loss_every_for`` steps), with the
    scene's ``hyper`` ({rule: {name: value}} over the defaults; None: the defaults)."""
    surface_ns = FORMULA_OP_NS * operation_count(formula) if formula else SURFACE_NS
    problem = getattr(surface, "problem", None)
    total = 0.0
    for r in rules:
        rule = optimizers.RULES[r]
        ns, evaluations = rule.step_work((hyper or {}).get(r) or {}, steps)
        total += rule.step_ns + ns
        if problem is not None:  # landscapes.data: B samples a batch pass, and N for the full-data loss (linear: O(1))
            full = problem.n / loss_every_for(surface, steps) if problem.model != "linear" else 1
            passes = evaluations + int(rule.vector and rule.uses_hessian)  # gradients, and Newton's Hessian
            total += DATA_SAMPLE_NS * (full + min(problem.batch, problem.n) * passes)
        else:
            total += evaluations * (surface_ns + (ROUGH_NS if roughness else 0)) + (NOISE_NS if grad_noise else 0)
    return total


def _runs(ensemble: int, grad_noise: float) -> int:
    return 1 + (ensemble if ensemble > 1 and grad_noise > 0 else 0)


def _varied(surface, grad_noise: float) -> float:
    """What decides whether the ensemble runs: gradient noise, or a data landscape's shuffling seeds."""
    return 1.0 if getattr(surface, "problem", None) is not None else grad_noise


def _compiled(surface: landscapes.Surface) -> bool:
    compiled = surface.kernel_function is not None or surface.kernel_value is not None
    return compiled or getattr(surface, "problem", None) is not None  # data: optimizers/data_loop.py


def seconds(
    rules,
    steps: int,
    ensemble: int,
    surface,
    formula: str,
    roughness: float,
    grad_noise: float,
    hyper: dict | None = None,
) -> float:
    """The engine's estimated time for a scene with these settings (``hyper``: as ``step_ns``)."""
    runs = _runs(ensemble, _varied(surface, grad_noise))
    per_step = step_ns(rules, surface, formula, roughness, grad_noise, steps, hyper) * runs
    if not _compiled(surface):
        per_step += NUMPY_STEP_NS * len(rules) * (2 if runs > 1 else 1)
    if roughness and getattr(surface, "problem", None) is None:  # the rough layer's Hessian: the numpy loop
        hessian_rules = sum(1 for r in rules if optimizers.RULES[r].uses_hessian)
        per_step += NUMPY_VECTOR_STEP_NS * hessian_rules * runs  # one start at a time
    return steps * per_step / 1e9


def fit(
    rules,
    steps: int,
    ensemble: int,
    surface,
    formula: str,
    roughness: float,
    grad_noise: float,
    notices: list[str],
    hyper: dict | None = None,
) -> tuple[int, int]:
    """(steps, ensemble) within ``BUDGET_SECONDS``: fewer ensemble runs first, then fewer steps; said."""

    def cost(steps: int, ensemble: int) -> float:
        return seconds(rules, steps, ensemble, surface, formula, roughness, grad_noise, hyper)

    total = cost(steps, ensemble)
    if total <= BUDGET_SECONDS:
        return steps, ensemble
    what = ngettext("{n} optimizer", "{n} optimizers", len(rules)).format(n=len(rules))
    what += " × " + _("{n} steps").format(n=decimal_text(f"{steps:,}"))
    if _runs(ensemble, _varied(surface, grad_noise)) > 1:
        what += " × " + _("{n} runs").format(n=1 + ensemble)
    what += _(" on a rough surface") if roughness else ""
    head = _("This scene ({what}) is more work than one request may do").format(what=what)
    head += _(" (about {seconds} s)").format(seconds=decimal_text(f"{total:.1f}"))
    if _runs(ensemble, _varied(surface, grad_noise)) > 1:
        lo, hi = 1, ensemble  # the most runs that fit: lo fits (or is 1), hi does not
        while hi - lo > 1:
            mid = (lo + hi) // 2
            lo, hi = (mid, hi) if cost(steps, mid) <= BUDGET_SECONDS else (lo, mid)
        if lo > 1:
            notices.append(_("{head}: using {lo} ensemble runs instead of {n}.").format(head=head, lo=lo, n=ensemble))
            return steps, lo
        ensemble = 0
        if cost(steps, 0) <= BUDGET_SECONDS:
            notices.append(_("{head}: without its ensemble.").format(head=head))
            return steps, 0
        head += _(": without its ensemble and")
    else:
        head += ":"
    fits = most_steps(lambda k: cost(k, ensemble), steps)
    notices.append(
        _("{head} with {fits} steps instead of {steps}.").format(
            head=head, fits=decimal_text(f"{fits:,}"), steps=decimal_text(f"{steps:,}")
        )
    )
    return min(steps, fits), ensemble


def most_steps(cost, steps: int, limit: float = BUDGET_SECONDS) -> int:
    """The most steps k < ``steps`` with ``cost(k)`` within ``limit`` (at least 1), by bisection:
    a step's price depends on the run's length (L-BFGS's history fills with the steps, a data
    landscape's full-data loss is thinned), so it is not one division."""
    lo, hi = 1, steps  # lo fits (or is 1), hi does not
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if cost(mid) <= limit else (lo, mid)
    return lo


def fit_together(scenes: list) -> tuple[list, list[str]]:
    """Scenes drawn in one request (the small multiples) share one budget: fewer steps for all, said."""
    if not scenes:
        return scenes, []
    steps = max(s.steps for s in scenes)
    surfaces = [s.clean_surface() for s in scenes]

    def cost(k: int) -> float:
        return sum(
            seconds(s.rules, min(s.steps, k), s.ensemble, surface, s.formula, s.roughness, s.grad_noise, s.hyper)
            for s, surface in zip(scenes, surfaces, strict=True)
        )

    if cost(steps) <= BUDGET_SECONDS:
        return scenes, []
    fits = most_steps(cost, steps)
    note = f"{len(scenes)} surfaces side by side are more work than one request may do: {fits:,} steps each instead of"
    return [replace(s, steps=min(s.steps, fits)) for s in scenes], [f"{note} {steps:,}."]
