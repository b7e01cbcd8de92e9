"""The Scene: every control's value in one frozen record, and its bounds.

The Scene is the single source of truth. Controls write it, the URL serialises it
(``app.state.link``), the engine and figures read it. ``clamp_scene`` brings any values into
their documented bounds and says, in plain words, what it changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import i18n
import landscapes
import optimizers
from app.serving import budget
from i18n import N_, _
from i18n.clamp import clamp_number, clamp_whole, is_number  # noqa: F401
from i18n.clamp import is_real as _is_real
from i18n.clamp import short as _short
from landscapes.data.spec import DataSpec, clamp_spec, spec_surface
from landscapes.formula import DEFAULT_DOMAIN, DEFAULT_FORMULA, FormulaError, check_domain, formula_surface
from optimizers.schedules import COUNTS as SCHEDULE_COUNTS
from optimizers.schedules import KINDS as SCHEDULE_KINDS
from optimizers.schedules import RANGES as SCHEDULE_RANGES
from optimizers.schedules import Schedule

THEMES = ("light", "dark")
LESSON_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,59}")
CUSTOM = "custom"  # the surface of the scene's own formula
DATA = "data"  # the loss of a model over a data set (landscapes.data), set by the scene's ``data``
SURFACES = (*landscapes.NAMES, CUSTOM, DATA)
HIDEABLE = ("surface", "noise", "start", "steps", "optimizers", "playback", "inspector", "table")
PANEL_GROUPS = HIDEABLE[:5]  # the control panel's groups

# Bounds of the dashboard's controls (the engine's own caps are wider).
STEPS_RANGE = (1, 20_000)
ROUGHNESS_RANGE = (0.0, 10.0)
GRAD_NOISE_RANGE = (0.0, 10.0)
SEED_RANGE = (0, 2**32 - 1)
HYPER_RANGE = {name: spec.control for name, spec in optimizers.SPECS.items()}  # optimizers.hyper
DEFAULT_STEPS = 2000
ENSEMBLE_RANGE = (0, 200)  # runs with different noise seeds per optimizer (0 or 1: a single run)
MAX_ENSEMBLE_POINT_STEPS = 400_000  # ensemble size x steps, per optimizer
MAX_LESSON_STEPS = 1000
# The 3-D view's camera presets (Plotly's eye and up vectors; the link's cam=): the seed notebook's
# eye (2, 2, 2), straight down, and from the side (along -y, slightly raised).
CAMERAS = {
    "notebook": {"label": N_("Notebook's view (2, 2, 2)"), "eye": (2.0, 2.0, 2.0), "up": (0.0, 0.0, 1.0)},
    "top": {"label": N_("From above"), "eye": (0.0, 0.0, 2.8), "up": (0.0, 1.0, 0.0)},
    "side": {"label": N_("From the side"), "eye": (0.0, -2.8, 0.35), "up": (0.0, 0.0, 1.0)},
}


@dataclass(frozen=True)
class Scene:
    surface: str = "multimodal"
    roughness: float = 0.0
    grad_noise: float = 0.0
    seed: int = 0
    start: tuple[float, float] | None = None  # None: the surface's default start
    steps: int = DEFAULT_STEPS
    rules: tuple[str, ...] = optimizers.SEED_FIVE
    hyper: dict[str, dict[str, float]] = field(default_factory=dict)  # only values set by the user
    log_loss: bool = False
    theme: str = "light"
    embed: bool = False
    hide: tuple[str, ...] = ()
    schedules: dict[str, Schedule] = field(default_factory=dict)  # per optimizer; absent: constant lr
    ensemble: int = 0  # with gradient noise on: this many seeds per optimizer, drawn as a cloud and a band
    step: int = 0  # the scrubber: the step the markers, the inspector and the arrows show
    inspect: str = ""  # the optimizer whose arrows the contour map shows ("": the first enabled)
    lock: tuple[str, ...] = ()  # panel groups shown but not editable (lessons)
    panel: bool = False  # embedded: keep the control panel (its groups not hidden) beside the charts
    lesson: str = ""  # the lesson this scene is a step of (app.lessons.model), carried in the link
    lesson_step: int = 0  # that step, from 0
    formula: str = ""  # with surface "custom": L(x, y) as text
    view: tuple[tuple[float, float], tuple[float, float]] | None = None  # with "custom": the formula's domain
    data: DataSpec = field(default_factory=DataSpec)  # with "data": model, data, batches, λR(W)
    camera: str = "notebook"  # the 3-D view's preset (CAMERAS)
    present: bool = False  # projector mode: the charts large, big fonts, thick lines (app/present)
    lang: str = ""  # the interface's language (i18n.LANGS); "": the browser's Accept-Language decides

    def clean_surface(self) -> landscapes.Surface:
        """The scene's surface without its rough layer."""
        return clean_surface(self.surface, self.formula, self.view, self.data)

    def start_point(self) -> tuple[float, float]:
        return self.start if self.start is not None else self.clean_surface().start

    def hyper_of(self, rule: str) -> dict[str, float]:
        """The rule's full hyperparameters: its defaults overridden by the scene's values."""
        return {**optimizers.RULES[rule].defaults, **self.hyper.get(rule, {})}


def clean_surface(name: str, formula: str = "", view=None, data: DataSpec | None = None) -> landscapes.Surface:
    """A named surface, or (``name == CUSTOM``) the surface of ``formula`` over ``view``, or (``DATA``)
    the data landscape of ``data`` (clamped)."""
    if name == DATA:
        return spec_surface(data or DataSpec())
    if name == CUSTOM:
        return formula_surface(formula or DEFAULT_FORMULA, view or DEFAULT_DOMAIN)
    return landscapes.get(name)


def _formula(scene: Scene, notices: list[str]) -> tuple[str, tuple | None]:
    """The custom surface's formula and view, each refused with its reason (position included)."""
    view = scene.view or DEFAULT_DOMAIN
    try:
        view = check_domain(view)
    except FormulaError as err:
        notices.append(_("formula view: {err}; using x and y from -5 to 5.").format(err=err))
        view = DEFAULT_DOMAIN
    formula = scene.formula if isinstance(scene.formula, str) and scene.formula.strip() else DEFAULT_FORMULA
    try:
        formula_surface(formula, view)
    except FormulaError as err:
        notices.append(
            _("formula {formula}: {err}. Using {default} instead.").format(
                formula=_short(formula), err=err, default=DEFAULT_FORMULA
            )
        )
        formula = DEFAULT_FORMULA
    return formula, view


def clamp_scene(scene: Scene) -> tuple[Scene, list[str]]:
    """The scene with every value inside its bounds, and a notice for each change.

    The result is canonical: settings equal to their defaults (start point, hyperparameters) are
    left out, so the same scene always gives the same short link, however it was entered.
    Each part below clamps a few fields (in this order, so the notices read in the panel's order).
    """
    notices: list[str] = []
    fields = _clamp_surface(scene, notices)
    clean = clean_surface(fields["surface"], fields["formula"], fields["view"], fields["data"])
    fields |= _clamp_run(scene, clean, notices)
    if fields["surface"] == DATA:
        fields |= {"roughness": 0.0, "grad_noise": 0.0}
    fields |= _clamp_optimizers(scene, notices)
    fields |= _clamp_theme(scene, notices)
    fields |= _clamp_schedules(scene, notices)
    fields |= _clamp_work(scene, fields, clean, notices)
    fields |= _clamp_page(scene, notices)
    return replace(scene, **fields), notices


def _clamp_surface(scene: Scene, notices: list[str]) -> dict:
    """surface, and with surface=custom its formula and view."""
    surface = scene.surface
    if surface not in SURFACES:
        notices.append(_("surface: {value} is unknown; using the multimodal surface.").format(value=_short(surface)))
        surface = "multimodal"
    formula, view = _formula(scene, notices) if surface == CUSTOM else ("", None)
    if surface != CUSTOM and (scene.formula or scene.view):
        notices.append(_("f and view (your own formula) apply only to surface=custom; ignored."))
    data = DataSpec()
    if surface == DATA:
        data = clamp_spec(scene.data if isinstance(scene.data, DataSpec) else DataSpec(), notices)
        if scene.roughness or scene.grad_noise:
            notices.append(
                _("roughness and gradient noise do not apply to a data landscape: its minibatches are the noise.")
            )
    return {"surface": surface, "formula": formula, "view": view, "data": data}


def _clamp_run(scene: Scene, clean: landscapes.Surface, notices: list[str]) -> dict:
    """roughness, gradient noise, seed, steps and the start (None when it is the surface's own)."""
    fields = {
        "roughness": clamp_number(_("roughness"), scene.roughness, *ROUGHNESS_RANGE, 0.0, notices),
        "grad_noise": clamp_number(_("gradient noise"), scene.grad_noise, *GRAD_NOISE_RANGE, 0.0, notices),
        "seed": clamp_whole(_("seed"), scene.seed, *SEED_RANGE, 0, notices),
        "steps": clamp_whole(_("steps"), scene.steps, *STEPS_RANGE, DEFAULT_STEPS, notices),
    }
    start = scene.start
    if start is not None:
        (x0, x1), (y0, y1) = clean.domain
        default = clean.start
        start = (
            clamp_number(_("start x"), start[0], x0, x1, default[0], notices),
            clamp_number(_("start y"), start[1], y0, y1, default[1], notices),
        )
        start = None if start == default else start
    return {**fields, "start": start}


def _clamp_optimizers(scene: Scene, notices: list[str]) -> dict:
    """The enabled rules (known, once each) and the hyperparameters that differ from their defaults."""
    rules = []
    for r in scene.rules:
        if not isinstance(r, str) or r not in optimizers.RULES:
            notices.append(_("optimizer {value} is unknown; left out.").format(value=_short(r)))
        elif r not in rules:
            rules.append(r)
    hyper: dict[str, dict[str, float]] = {}
    for r, values in scene.hyper.items():
        if r not in optimizers.RULES:
            notices.append(_("settings for unknown optimizer {value} ignored.").format(value=_short(r)))
            continue
        for k, v in values.items():
            if k not in optimizers.RULES[r].defaults:
                notices.append(
                    _("{rule} has no setting {value}; ignored.").format(rule=optimizers.RULES[r].label, value=_short(k))
                )
                continue
            default = optimizers.RULES[r].defaults[k]
            value = clamp_number(f"{r} {k}", v, *HYPER_RANGE[k], default, notices)
            if value != default:
                hyper.setdefault(r, {})[k] = value
    return {"rules": tuple(rules), "hyper": hyper}


def _clamp_theme(scene: Scene, notices: list[str]) -> dict:
    theme = scene.theme if scene.theme in THEMES else "light"
    if theme != scene.theme:
        notices.append(_("theme: {value} is unknown; using light.").format(value=_short(scene.theme)))
    return {"theme": theme}


def _clamp_schedules(scene: Scene, notices: list[str]) -> dict:
    """Each optimizer's learning-rate schedule (constant ones left out), its settings in bounds."""
    schedules = {}
    for r, sched in scene.schedules.items():
        if r not in optimizers.RULES or not isinstance(sched, Schedule):
            notices.append(_("schedule for unknown optimizer {value} ignored.").format(value=_short(r)))
            continue
        if sched.kind not in SCHEDULE_KINDS:
            notices.append(
                _("{rule} schedule: {value} is unknown; using a constant learning rate.").format(
                    rule=r, value=_short(sched.kind)
                )
            )
            continue
        if sched.kind == "constant":
            continue
        (alo, ahi), (blo, bhi) = SCHEDULE_RANGES[sched.kind]
        clamp_a = clamp_whole if sched.kind in SCHEDULE_COUNTS else clamp_number  # a period: whole steps
        name_a, name_b = SCHEDULE_KINDS[sched.kind][1], SCHEDULE_KINDS[sched.kind][3]
        schedules[r] = Schedule(
            sched.kind,
            float(
                clamp_a(
                    _("{rule} schedule {setting}").format(rule=r, setting=name_a or _("setting a")),
                    sched.a,
                    alo,
                    ahi,
                    alo,
                    notices,
                )
            ),
            clamp_number(
                _("{rule} schedule {setting}").format(rule=r, setting=name_b or _("setting b")),
                sched.b,
                blo,
                bhi,
                blo,
                notices,
            ),
        )
    return {"schedules": schedules}


def _clamp_work(scene: Scene, fields: dict, clean: landscapes.Surface, notices: list[str]) -> dict:
    """The ensemble and the steps within the work budget (``app.serving.budget``), then the step shown and
    the inspected optimizer, which depend on them."""
    steps, rules = fields["steps"], fields["rules"]
    ensemble = clamp_whole(_("ensemble"), scene.ensemble, *ENSEMBLE_RANGE, 0, notices)
    if ensemble * steps > MAX_ENSEMBLE_POINT_STEPS:
        fits = MAX_ENSEMBLE_POINT_STEPS // steps
        notices.append(
            _("ensemble: {ensemble} runs of {steps} steps is too much work; using {fits} runs.").format(
                ensemble=ensemble, steps=i18n.decimal_text(f"{steps:,}"), fits=fits
            )
        )
        ensemble = fits
    steps, ensemble = budget.fit(
        list(rules),
        steps,
        ensemble,
        clean,
        fields["formula"],
        fields["roughness"],
        fields["grad_noise"],
        notices,
        hyper=fields["hyper"],
    )
    step = clamp_whole(_("step shown (k)"), scene.step, 0, steps, 0, notices)
    inspect = scene.inspect if scene.inspect in rules else ""
    if scene.inspect and not inspect:
        notices.append(
            _("inspect: {value} is not an enabled optimizer; showing the first.").format(value=_short(scene.inspect))
        )
    return {"steps": steps, "ensemble": ensemble, "step": step, "inspect": inspect}


def _clamp_page(scene: Scene, notices: list[str]) -> dict:
    """What is hidden or locked, and the lesson and its step."""
    hide = tuple(h for h in scene.hide if h in HIDEABLE)
    if len(hide) != len(scene.hide):
        notices.append(_("hide: only {names} can be hidden.").format(names=", ".join(HIDEABLE)))
    lesson = scene.lesson if isinstance(scene.lesson, str) and LESSON_ID.fullmatch(scene.lesson) else ""
    if scene.lesson and not lesson:
        notices.append(_("lesson: {value} is not a lesson's name.").format(value=_short(scene.lesson)))
    lesson_step = 0
    if lesson:  # counted from 1 where people see it (lstep=1 is the first step), from 0 inside
        shown = scene.lesson_step + 1 if _is_real(scene.lesson_step) else scene.lesson_step
        lesson_step = clamp_whole(_("lesson step (lstep)"), shown, 1, MAX_LESSON_STEPS, 1, notices) - 1
    lock = tuple(h for h in scene.lock if h in HIDEABLE)
    if len(lock) != len(scene.lock):
        notices.append(_("lock: only {names} can be locked.").format(names=", ".join(HIDEABLE)))
    camera = scene.camera if isinstance(scene.camera, str) and scene.camera in CAMERAS else "notebook"
    if camera != scene.camera:
        notices.append(
            _("camera (cam): {value} is unknown; using {names}'s first, notebook.").format(
                value=_short(scene.camera), names=", ".join(CAMERAS)
            )
        )
    lang = i18n.clean(scene.lang)
    if scene.lang and not lang:
        notices.append(
            _("lang: {value} is not one of {langs}; the browser's language decides.").format(
                value=_short(scene.lang), langs=", ".join(i18n.LANGS)
            )
        )
    fields = {"hide": hide, "lock": lock, "lesson": lesson, "lesson_step": lesson_step, "lang": lang}
    return {**fields, "camera": camera, "present": bool(scene.present)}
