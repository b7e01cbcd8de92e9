"""The explore views' requests: controls (any JSON) -> clamped job settings -> results (no Dash).

Every request's work is bounded: grid sizes, steps and surfaces come from fixed menus or are
clamped, with a notice saying what changed; a job whose runs are estimated (``app.serving.budget``'s
per-step prices, at the rule's settings: L-BFGS's line search, Newton on a rough surface) beyond
``JOB_SECONDS`` gets fewer steps, said.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

import explore
import jobs
import landscapes
import optimizers
from analysis.outcomes import surface_of
from app.serving import budget
from app.state.link import query_to_scene, scene_to_query
from app.state.scene import HYPER_RANGE, Scene, clamp_scene
from explore.basins import MAX_BASIN_STEPS, MAX_RESOLUTION
from explore.batch import WORKERS, Progress
from explore.serial import to_bytes
from explore.sweep import LR_RANGE, MAX_SWEEP, MAX_SWEEP_STEPS, SWEEPABLE
from i18n import _, decimal_text
from i18n.clamp import clamp_number, clamp_whole, g, is_number, short

MAX_COMPARE = 4
JOB_SECONDS = 300.0  # a map's or sweep's estimated engine time at most (priced at worst: ordinary maps take seconds)


def _scene(query) -> Scene:
    return query_to_scene(query if isinstance(query, str) else "")[0]


def _rule(rule, default: str, notices: list[str]) -> str:
    if isinstance(rule, str) and rule in optimizers.RULES:
        return rule
    notices.append(
        _("optimizer {value} is unknown; using {default}.").format(
            value=short(rule), default=optimizers.RULES[default].label
        )
    )
    return default


def _readable(value, name: str, default, notices: list[str]) -> bool:
    """A number or the text of one (a box's ``0,01`` or ``0.01``); anything else (a bool, a list) is
    named and refused."""
    if isinstance(value, str) or is_number(value):
        return True
    notices.append(_("{name}: not a number; using {default}.").format(name=name, default=g(default)))
    return False


def _int(value, name: str, lo: int, hi: int, default: int, notices: list[str]) -> int:
    """A whole number in [lo, hi], as the main view's settings are clamped (``i18n.clamp``)."""
    return clamp_whole(name, value, lo, hi, default, notices) if _readable(value, name, default, notices) else default


def _float(value, name: str, lo: float, hi: float, default: float, notices: list[str]) -> float:
    """A real number in [lo, hi] (``0,01`` and ``0.01`` alike), clamped as the main view's settings are."""
    return clamp_number(name, value, lo, hi, default, notices) if _readable(value, name, default, notices) else default


@dataclass(frozen=True)
class BasinJob:
    scene: Scene
    rule: str
    resolution: int
    steps: int


def _job_steps(scene: Scene, rule: str, hyper: dict, runs: int, steps: int, notices: list[str]) -> int:
    """``steps``, or fewer when ``runs`` runs of ``rule`` at ``hyper`` are estimated beyond ``JOB_SECONDS``
    (the budget's per-step prices; the job's threads share the runs)."""
    surface = scene.clean_surface()

    def cost(k: int) -> float:
        one = budget.seconds([rule], k, 0, surface, scene.formula, scene.roughness, scene.grad_noise, {rule: hyper})
        return one * runs / max(WORKERS, 1)

    if cost(steps) <= JOB_SECONDS:
        return steps
    fits = budget.most_steps(cost, steps, JOB_SECONDS)
    notices.append(
        _(
            "{runs} runs of {rule} × {steps} steps with these settings are more work than a job may do "
            "(about {seconds} s); using {fits} steps."
        ).format(
            runs=decimal_text(f"{runs:,}"),
            rule=optimizers.RULES[rule].label,
            steps=decimal_text(f"{steps:,}"),
            seconds=decimal_text(f"{cost(steps):,.0f}"),
            fits=decimal_text(f"{fits:,}"),
        )
    )
    return fits


def basin_job(rule, resolution, steps, query) -> tuple[BasinJob, list[str]]:
    notices: list[str] = []
    scene = _scene(query)
    rule = _rule(rule, "adam", notices)
    resolution = _int(resolution, _("grid"), 2, MAX_RESOLUTION, 100, notices)
    steps = _int(steps, _("steps"), 1, MAX_BASIN_STEPS, 300, notices)
    steps = _job_steps(scene, rule, scene.hyper_of(rule), resolution * resolution, steps, notices)
    return BasinJob(scene=scene, rule=rule, resolution=resolution, steps=steps), notices


def run_basins(job: BasinJob, progress: Progress | None = None) -> explore.BasinMap:
    scene = job.scene
    return explore.basin_map(
        job.rule,
        surface_of(scene),
        resolution=job.resolution,
        steps=job.steps,
        grad_noise=scene.grad_noise,
        seed=scene.seed,
        lr_schedule=scene.schedules.get(job.rule),
        progress=progress,
        **scene.hyper_of(job.rule),
    )


def _experiment(scene: Scene, rule: str, keep_start: bool) -> str:
    """The link of only what a job's result depends on: the surface, its noise, ``rule`` and its
    settings (and the start, for a sweep). Two requests that differ elsewhere (theme, other
    optimizers, the step shown, ...) get the same link, hence one shared job."""
    reduced = Scene(
        surface=scene.surface,
        formula=scene.formula,
        view=scene.view,
        roughness=scene.roughness,
        grad_noise=scene.grad_noise,
        seed=scene.seed,
        start=scene.start_point() if keep_start else None,
        rules=(rule,),
        hyper={rule: scene.hyper_of(rule)},
        schedules={rule: scene.schedules[rule]} if rule in scene.schedules else {},
    )
    return scene_to_query(reduced)


BASIN_FUNC = "app.explore.jobs:basin_bytes"


def prepare() -> None:
    """Ready a job process: this module's imports are done; numba set up, common kernels loaded."""
    from app.serving.warmup import warm_up

    warm_up()


jobs.prepare_with("app.explore.jobs:prepare")  # every job runner, before its first job


SWEEP_FUNC = "app.explore.jobs:sweep_bytes"


def basin_payload(job: BasinJob) -> dict:
    """What a basin map depends on, as plain data (its job key is a hash of it)."""
    link = _experiment(job.scene, job.rule, keep_start=False)
    return {"link": link, "rule": job.rule, "resolution": job.resolution, "steps": job.steps}


def basin_bytes(payload: dict, progress: Progress | None = None) -> bytes:
    """The queue's job function: the basin map of ``basin_payload``, as bytes (``explore.serial``)."""
    job, _ = basin_job(payload.get("rule"), payload.get("resolution"), payload.get("steps"), payload.get("link"))
    return to_bytes(run_basins(job, progress))


def sweep_payload(job: SweepJob) -> dict:
    link = _experiment(job.scene, job.rule, keep_start=True)
    return {
        "link": link,
        "rule": job.rule,
        "second": job.second,
        "lr": list(job.lr),
        "values": list(job.values),
        "size": job.size,
        "steps": job.steps,
    }


def sweep_bytes(payload: dict, progress: Progress | None = None) -> bytes:
    """The queue's job function: the sweep of ``sweep_payload``, as bytes."""
    lr = payload.get("lr") or [None, None]
    values = payload.get("values") or [None, None]
    job, _ = sweep_job(
        payload.get("rule"),
        payload.get("second"),
        lr[0],
        lr[1],
        values[0],
        values[1],
        payload.get("size"),
        payload.get("steps"),
        payload.get("link"),
    )
    return to_bytes(run_sweep(job, progress))


def second_settings(rule) -> list[str]:
    """The settings of ``rule`` a sweep can put on its vertical axis."""
    r = optimizers.RULES.get(rule) if isinstance(rule, str) else None
    return [k for k in SWEEPABLE if r is not None and k in r.defaults]


@dataclass(frozen=True)
class SweepJob:
    scene: Scene
    rule: str
    second: str | None
    lr: tuple[float, float]
    values: tuple[float, float]
    size: int
    steps: int


def sweep_job(rule, second, lr_lo, lr_hi, lo, hi, size, steps, query) -> tuple[SweepJob, list[str]]:
    notices: list[str] = []
    rule = _rule(rule, "momentum", notices)
    allowed = second_settings(rule)
    if second not in allowed:
        if second:
            notices.append(
                _("{rule} has no setting {value} to sweep.").format(
                    rule=optimizers.RULES[rule].label, value=short(second)
                )
            )
        second = allowed[0] if allowed else None
    a, b = HYPER_RANGE["lr"]
    lr = (
        _float(lr_lo, _("lr from"), a, b, LR_RANGE[0], notices),
        _float(lr_hi, _("lr to"), a, b, LR_RANGE[1], notices),
    )
    if lr[0] >= lr[1]:
        notices.append(_("lr: 'from' must be below 'to'; using the default range."))
        lr = LR_RANGE
    values = (0.0, 0.0)
    if second is not None:
        vlo, vhi = HYPER_RANGE[second]
        d0, d1 = SWEEPABLE[second]
        values = (
            _float(lo, _("{setting} from").format(setting=second), vlo, vhi, d0, notices),
            _float(hi, _("{setting} to").format(setting=second), vlo, vhi, d1, notices),
        )
        if values[0] >= values[1]:
            notices.append(
                _("{setting}: 'from' must be below 'to'; using {lo} to {hi}.").format(
                    setting=second, lo=g(d0), hi=g(d1)
                )
            )
            values = (d0, d1)
    scene = _scene(query)
    size = _int(size, _("grid"), 2, MAX_SWEEP, 30, notices)
    steps = _int(steps, _("steps"), 1, MAX_SWEEP_STEPS, 300, notices)
    dearest = {**scene.hyper_of(rule), **({second: values[1]} if second is not None else {})}  # priced at its top
    steps = _job_steps(scene, rule, dearest, size * size, steps, notices)
    return SweepJob(scene=scene, rule=rule, second=second, lr=lr, values=values, size=size, steps=steps), notices


def run_sweep(job: SweepJob, progress: Progress | None = None) -> explore.Sweep:
    scene = job.scene
    hyper = {k: v for k, v in scene.hyper_of(job.rule).items() if k not in ("lr", job.second)}
    return explore.sweep(
        job.rule,
        surface_of(scene),
        scene.start_point(),
        job.steps,
        explore.sweep_values("lr", *job.lr, job.size),
        job.second,
        explore.sweep_values(job.second or "", *job.values, job.size),
        grad_noise=scene.grad_noise,
        seed=scene.seed,
        lr_schedule=scene.schedules.get(job.rule),
        progress=progress,
        **hyper,
    )


def compare_scenes(query, names) -> tuple[list[Scene], list[str]]:
    """The main view's scene on each chosen surface (at most ``MAX_COMPARE``), from each surface's start."""
    notices: list[str] = []
    scene = _scene(query)
    if not isinstance(names, list):
        names = []
    chosen = [n for n in dict.fromkeys(n for n in names if isinstance(n, str)) if n in landscapes.NAMES]
    if len(chosen) != len(names):
        notices.append(_("Unknown or repeated surfaces were left out."))
    if len(chosen) > MAX_COMPARE:
        notices.append(_("At most {n} surfaces side by side; showing the first {n}.").format(n=MAX_COMPARE))
        chosen = chosen[:MAX_COMPARE]
    if len(chosen) < 2:
        notices.append(_("Pick two to four surfaces to compare."))
    subs = [
        clamp_scene(replace(scene, surface=n, start=None, formula="", view=None, ensemble=0, step=0))[0] for n in chosen
    ]
    subs, more = budget.fit_together(subs)  # one request draws them all: they share one work budget
    return subs, notices + more


def _open(scene: Scene, rule: str, **changes) -> str:
    rules = scene.rules if rule in scene.rules else (*scene.rules, rule)
    return scene_to_query(clamp_scene(replace(scene, rules=rules, step=0, **changes))[0])


def start_link(query, click, rule) -> str | None:
    """The link of the main scene started at the clicked cell (None: not a cell)."""
    point = _click_point(click)
    if point is None or not (isinstance(rule, str) and rule in optimizers.RULES):
        return None
    return _open(_scene(query), rule, start=point)


def setting_link(query, click, data) -> str | None:
    """The link of the main scene with the clicked cell's learning rate and second setting."""
    point = _click_point(click)
    if point is None or not isinstance(data, dict) or data.get("rule") not in optimizers.RULES:
        return None
    rule, second = data["rule"], data.get("second")
    scene = _scene(query)
    values = dict(scene.hyper.get(rule, {}), lr=point[0])
    if second in second_settings(rule):
        values[second] = point[1]
    return _open(scene, rule, hyper={**scene.hyper, rule: values})


def _click_point(click) -> tuple[float, float] | None:
    try:
        p = click["points"][0]
        x, y = float(p["x"]), float(p["y"])
    except (KeyError, TypeError, ValueError, IndexError, OverflowError):
        return None
    return (x, y) if np.isfinite(x) and np.isfinite(y) else None
