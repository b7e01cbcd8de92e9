"""The control panel's values -> a Scene, with a notice for every value refused or clamped (no Dash).

The values arrive as the browser sends them (any JSON: hostile requests included), named as the
main view's callback names its inputs (``app.runs.callbacks.recompute``); pattern-matched inputs
(hyperparameters, schedules) arrive as Dash's lists of ``{id, property, value}``, for the enabled
rules only; ``kept`` holds every rule's settings as the panel was last built (``hyper-kept``).
"""

from __future__ import annotations

import math

from app.data.store import spec_from_store
from app.state.scene import CUSTOM, DATA, DEFAULT_STEPS, SURFACES, Scene, clamp_scene, is_number
from i18n import _
from landscapes.formula import DEFAULT_FORMULA
from optimizers.schedules import KINDS as SCHEDULE_KINDS
from optimizers.schedules import Schedule
from optimizers.schedules import default as default_schedule

VIEW = ("x0", "x1", "y0", "y1")  # the own formula's view: x from, x to, y from, y to


def _number(value, name: str, notices: list[str], default):
    if (
        value is None
        or (isinstance(value, float) and math.isnan(value))
        or (isinstance(value, str) and not value.strip())
    ):
        notices.append(_("{name} is empty or not a number; using {default}.").format(name=name, default=default))
        return default
    return value


def _schedules(items, notices: list[str]) -> dict[str, Schedule]:
    """{rule: Schedule} from the panel's schedule inputs (kind, a, b per optimizer)."""
    parts: dict[str, dict] = {}
    for item in items if isinstance(items, list) else ():
        rid = item.get("id") if isinstance(item, dict) else None
        if not (isinstance(rid, dict) and isinstance(rid.get("rule"), str) and rid.get("name") in ("kind", "a", "b")):
            notices.append(_("A malformed schedule setting was ignored."))
            continue
        parts.setdefault(rid["rule"], {})[rid["name"]] = item.get("value")
    out = {}
    for rule, p in parts.items():
        kind = p.get("kind") if isinstance(p.get("kind"), str) else "constant"
        if kind == "constant":
            continue
        base = default_schedule(kind) if kind in SCHEDULE_KINDS else Schedule(kind)
        out[rule] = Schedule(
            kind,
            _number(p.get("a"), _("{rule} schedule setting").format(rule=rule), notices, base.a),
            _number(p.get("b"), _("{rule} schedule setting").format(rule=rule), notices, base.b),
        )
    return out


def _hyper(items, notices: list[str]) -> dict[str, dict]:
    """{rule: {name: value}} from the panel's hyperparameter inputs (empty ones keep their default)."""
    hyper: dict[str, dict] = {}
    for item in items if isinstance(items, list) else ():
        rid = item.get("id") if isinstance(item, dict) else None
        if not (isinstance(rid, dict) and isinstance(rid.get("rule"), str) and isinstance(rid.get("name"), str)):
            notices.append(_("A malformed optimizer setting was ignored."))
            continue
        value = item.get("value")
        if value is None or (isinstance(value, str) and not value.strip()):  # an empty text box
            notices.append(_("{rule} {name} is empty; using its default.").format(rule=rid["rule"], name=rid["name"]))
            continue
        hyper.setdefault(rid["rule"], {})[rid["name"]] = value
    return hyper


def _with_kept(items, kept, key: str) -> list:
    """The panel's inputs (``items``: Dash's ``{id, value}`` list) preceded by the settings kept in the
    page (``hyper-kept``: ``{rule: {name: value}}`` under ``key``) of every rule whose boxes are not
    on the page (a disabled rule's). Hostile shapes are dropped here or refused by ``_hyper``/``_schedules``."""
    items = items if isinstance(items, list) else []
    ids = [i.get("id") for i in items if isinstance(i, dict)]
    shown = {i.get("rule") for i in ids if isinstance(i, dict) and isinstance(i.get("rule"), str)}
    kept = kept.get(key) if isinstance(kept, dict) else None
    extra = []
    for rule, values in kept.items() if isinstance(kept, dict) else ():
        if isinstance(rule, str) and rule not in shown and isinstance(values, dict):
            extra += [{"id": {"rule": rule, "name": name}, "value": v} for name, v in values.items()]
    return extra + items


def scene_from_controls(controls: dict) -> tuple[Scene, list[str]]:
    """The Scene the panel's values describe (``controls``: name -> value, named as recompute's
    inputs; a missing name is empty), and a notice for each refused or clamped value."""
    c = controls.get
    notices: list[str] = []
    surface = c("surface") if isinstance(c("surface"), str) and c("surface") in SURFACES else "multimodal"
    formula = c("formula") if isinstance(c("formula"), str) else ""
    view = None
    if surface == CUSTOM:
        if not formula.strip():
            notices.append(_("Your formula is empty; using {default}.").format(default=DEFAULT_FORMULA))
        ends = {k: _number(c(f"view_{k}"), f"view {k}", notices, 0.0) for k in VIEW}
        view = ((ends["x0"], ends["x1"]), (ends["y0"], ends["y1"]))
    data, data_notices = spec_from_store(c("data")) if surface == DATA else (None, [])  # app.data
    notices += data_notices
    data_field = {} if data is None else {"data": data}
    default_start = clamp_scene(Scene(surface=surface, formula=formula, view=view, **data_field))[0].start_point()
    rules = c("rules")
    if not isinstance(rules, (list, tuple)):
        if rules is not None:
            notices.append(_("The optimizer list was not a list; no optimizer is enabled."))
        rules = ()
    flags = c("flags") if isinstance(c("flags"), dict) else {}
    hide = flags.get("hide", ())
    lock = flags.get("lock", ())
    lesson = flags.get("lesson", "")
    scene = Scene(
        surface=surface,
        roughness=_number(c("roughness"), _("roughness"), notices, 0.0),
        grad_noise=_number(c("grad_noise"), _("gradient noise"), notices, 0.0),
        seed=_number(c("seed"), _("seed"), notices, 0),
        start=(
            _number(c("sx"), _("start x"), notices, default_start[0]),
            _number(c("sy"), _("start y"), notices, default_start[1]),
        ),
        steps=_number(c("steps"), _("steps"), notices, DEFAULT_STEPS),
        rules=tuple(rules),
        hyper=_hyper(_with_kept(c("hyper_inputs"), c("kept"), "hyper"), notices),
        log_loss=bool(c("log_loss")),
        camera=c("camera") if isinstance(c("camera"), str) else "notebook",
        present=bool(flags.get("present")),
        lang=flags.get("lang", "") if isinstance(flags.get("lang", ""), str) else "",
        theme=c("theme") or "light",
        embed=bool(flags.get("embed")),
        panel=bool(flags.get("panel")),
        hide=tuple(hide) if isinstance(hide, (list, tuple)) else (),
        lock=tuple(lock) if isinstance(lock, (list, tuple)) else (),
        lesson=lesson if isinstance(lesson, str) else "",
        lesson_step=flags.get("lstep", 0) if is_number(flags.get("lstep", 0)) else 0,
        step=c("k") if is_number(c("k")) else 0,
        inspect=c("inspect") if isinstance(c("inspect"), str) else "",
        ensemble=_number(c("ensemble", 0), _("ensemble"), notices, 0),
        schedules=_schedules(_with_kept(c("sched_inputs"), c("kept"), "schedules"), notices),
        formula=formula if surface == CUSTOM else "",
        view=view,
        **data_field,
    )
    scene, more = clamp_scene(scene)
    return scene, notices + more
