"""Scene -> engine runs -> plain results for the figures and the table (no Dash here)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING, TypeVar

import numpy as np

import landscapes
import optimizers
from analysis.numbers import fmt
from explore.endings import settled_from
from i18n import _
from landscapes.noise import roughen
from optimizers.parallel import call_all, dearest_first

if TYPE_CHECKING:  # the page's record; analysis reads only its experiment's fields
    from collections.abc import Callable

    from app.state.scene import Scene

T = TypeVar("T")

CONVERGE_TOL = 1e-3  # "converged": from some step on within this distance of a known minimum (the one notion)
LOSS_SAMPLES = 100_000  # data landscapes: sample evaluations a run spends on its full-data loss line ...
MIN_LOSS_POINTS = 100  # ... yet at least this many points of it (the loss chart's line)


@dataclass(frozen=True, kw_only=True)
class Outcome:
    """One optimizer's run in a scene, with what the table says about it."""

    rule: str
    result: optimizers.RunResult
    final_loss: float
    nearest_minimum: tuple[float, float] | None
    distance: float | None
    converged_at: int | None  # first step from which the run stays within CONVERGE_TOL of a minimum
    left_view_at: int | None  # first step outside the surface's domain
    status: str  # plain words for the table
    points: int  # leading finite points: every step up to and including a divergence
    ensemble: optimizers.RunResult | None = None  # the same run under ``scene.ensemble`` noise seeds


def surface_of(scene: Scene) -> landscapes.Surface:
    return roughen(scene.clean_surface(), scene.roughness, scene.seed)


def loss_every_for(surface: landscapes.Surface, steps: int) -> int:
    """Every how many steps a run on ``surface`` takes its full-data loss: 1 on analytic surfaces and for
    linear regression (O(1) a point); on other data landscapes, where it costs N samples a step, so
    that a run spends about ``LOSS_SAMPLES`` on it with at least ``MIN_LOSS_POINTS`` points drawn."""
    p = getattr(surface, "problem", None)
    if p is None or p.model == "linear":
        return 1
    return int(max(1, min(-(-steps * p.n // LOSS_SAMPLES), steps // MIN_LOSS_POINTS)))


def exact_loss(result: optimizers.RunResult, surface: landscapes.Surface, idx) -> np.ndarray:
    """``result.loss[idx]`` with the steps a thinned run did not take (``loss_every``) computed exactly
    from the path (NaN stays NaN beyond a divergence)."""
    loss = np.array(result.loss[idx], dtype=float)
    pts = result.path[idx]
    missing = np.isnan(loss) & np.isfinite(pts).all(axis=-1)
    if np.any(missing):
        loss[missing] = surface.value(pts[missing][..., 0], pts[missing][..., 1])
    return loss


def with_exact_loss(outcomes: dict[str, Outcome], surface: landscapes.Surface) -> dict[str, Outcome]:
    """``outcomes`` with every step's loss filled in exactly (``exact_loss``), for readers that take
    the loss at steps of their own (animations): a data landscape's run keeps only every k-th."""
    out = {}
    for rule, o in outcomes.items():
        loss = np.array(o.result.loss, dtype=float)
        loss[: o.points] = exact_loss(o.result, surface, np.arange(o.points))
        out[rule] = replace(o, result=replace(o.result, loss=loss))
    return out


def run_rule(scene: Scene, surface: landscapes.Surface, rule: str) -> Outcome:
    result = optimizers.run(
        rule,
        surface,
        scene.start_point(),
        scene.steps,
        grad_noise=scene.grad_noise,
        seed=scene.seed,
        lr_schedule=scene.schedules.get(rule),
        loss_every=loss_every_for(surface, scene.steps),
        **scene.hyper_of(rule),
    )
    outcome = describe(rule, result, surface)
    if draws_ensemble(scene, surface):
        outcome = replace(outcome, ensemble=run_ensemble(scene, surface, rule))
    return outcome


def draws_ensemble(scene: Scene, surface: landscapes.Surface) -> bool:
    """Whether ``run_rule`` runs the scene's ensemble for every rule: more than one run, and runs that
    differ (gradient noise, or a data landscape's runs each with its own shuffling)."""
    shuffled = getattr(surface, "problem", None) is not None
    return scene.ensemble > 1 and (scene.grad_noise > 0 or shuffled)


def run_ensemble(scene: Scene, surface: landscapes.Surface, rule: str) -> optimizers.RunResult:
    """``scene.ensemble`` runs from the same start in one batched call; run i uses noise stream i
    of the seed (stream 0 is the single run's own noise)."""
    starts = np.repeat(np.asarray([scene.start_point()], dtype=float), scene.ensemble, axis=0)
    if getattr(surface, "problem", None) is not None:  # a data landscape: run i shuffles with seed + i
        seeds = (scene.seed + np.arange(scene.ensemble, dtype=np.int64)) % 2**32
        return optimizers.run_batch(
            rule,
            surface,
            starts,
            scene.steps,
            shuffle_seeds=seeds,
            lr_schedule=scene.schedules.get(rule),
            loss_every=loss_every_for(surface, scene.steps),
            **scene.hyper_of(rule),
        )
    return optimizers.run_batch(
        rule,
        surface,
        starts,
        scene.steps,
        grad_noise=scene.grad_noise,
        seed=scene.seed,
        lr_schedule=scene.schedules.get(rule),
        **scene.hyper_of(rule),
    )


def run_scene(
    scene: Scene,
    surface: landscapes.Surface | None = None,
    run_one: Callable[[Scene, landscapes.Surface, str], T] | None = None,
) -> dict[str, T]:
    """Every rule's ``run_one(scene, surface, rule)`` (by default ``run_rule``: run, ensemble, outcome),
    side by side on the machine's cores, dearest first (``optimizers.parallel``: the same results as
    one after another), in the scene's order."""
    surface = surface or surface_of(scene)
    rules = tuple(dict.fromkeys(scene.rules))
    order = dearest_first(rules, scene.hyper)
    run_one = run_one or run_rule
    done = dict(zip(order, call_all([partial(run_one, scene, surface, rule) for rule in order]), strict=True))
    return {rule: done[rule] for rule in rules}


def describe(rule: str, result: optimizers.RunResult, surface: landscapes.Surface) -> Outcome:
    """The run's outcome: its last finite point, where it left the view, the nearest known minimum and
    the step from which it stayed within ``CONVERGE_TOL`` of it (``explore.endings.settled_from`` for one
    run), in a few array passes over the path (a scene describes ~20 runs per request)."""
    path = result.path
    px, py = path[:, 0], path[:, 1]
    finite = np.isfinite(px) & np.isfinite(py)
    last = path.shape[0] - 1 if finite[-1] else int(np.flatnonzero(finite)[-1])
    (x0, x1), (y0, y1) = surface.domain
    outside = finite & ~((px >= x0) & (px <= x1) & (py >= y0) & (py <= y1))  # as surface.inside
    first_out = int(outside.argmax())
    left_view_at = first_out if outside[first_out] else None
    minima = surface.minima_array()
    nearest, distance, converged_at = None, None, None
    if minima.size:
        # surface.nearest_minimum of the finite point path[last]: |p - m| by np.hypot, the first closest
        d_end = np.hypot(path[last, 0] - minima[:, 0], path[last, 1] - minima[:, 1])
        j = int(np.argmin(d_end))
        nearest, distance = (float(minima[j, 0]), float(minima[j, 1])), float(d_end[j])
        if result.diverged_at is None:  # every point finite
            near = np.hypot(px - minima[j, 0], py - minima[j, 1]) <= CONVERGE_TOL
            settled = int(settled_from(near))
            converged_at = settled if settled >= 0 else None
    final_loss = float(result.loss[last])
    if result.diverged_at is not None:
        status = _("diverged at step {step}").format(step=result.diverged_at)
    elif left_view_at is not None:
        status = _("left the view at step {step}").format(step=left_view_at)
    elif result.stopped_at is not None:  # a vector rule's own stop (Newton: H singular)
        status = _("stopped at step {step}: {reason}").format(step=result.stopped_at, reason=_(result.stop_reason))
    elif converged_at is not None:
        status = _("converged at step {step}").format(step=converged_at)
    else:
        status = _("not converged in {steps} steps").format(steps=result.steps)
    at = {"nearest_minimum": nearest, "distance": distance, "converged_at": converged_at, "left_view_at": left_view_at}
    return Outcome(rule=rule, result=result, final_loss=final_loss, status=status, points=last + 1, **at)


def table_rows(outcomes: dict[str, Outcome]) -> list[dict]:
    rows = []
    for rule, o in outcomes.items():
        rows.append(
            {
                "rule": rule,
                "optimizer": optimizers.RULES[rule].label,
                "final loss": fmt(o.final_loss),
                "distance to nearest minimum": "—" if o.distance is None else fmt(o.distance),
                "status": o.status,
            }
        )
    return rows
