"""Scene <-> URL query string. Parsing never raises: bad values fall back with a notice.

?surface=rosenbrock&x=-1.5&y=2.5&steps=500&opt=adam,sgd&adam.lr=0.05&rough=0&gnoise=0
 &seed=0&log=1&theme=dark&embed=1&hide=noise,steps&k=40&inspect=adam&ens=50&adam.sched=cosine:0:0.1
?surface=custom&f=sin(x)*cos(y)+0.1*(x^2+y^2)&view=-5:5:-5:5     (your own formula)
?lesson=noise-and-sgd&lstep=2                                       (a lesson, app.lessons.model)
?surface=data&model=tanh&data=generated&n=200&dnoise=0.5&dseed=0&batch=32&lam=0.1&reg=L2   (loss from data;
 also outliers, classes, droplast, regbias; an uploaded file never travels: data=upload falls back, said)
"""

from __future__ import annotations

import math
from urllib.parse import parse_qs, urlencode

import i18n
import optimizers
from app.state.scene import CUSTOM, DATA, Scene, clamp_scene
from i18n import _, ngettext
from i18n.request import from_query
from landscapes.data.spec import DataSpec
from landscapes.formula import DEFAULT_DOMAIN, DEFAULT_FORMULA
from optimizers.schedules import KINDS as SCHEDULE_KINDS
from optimizers.schedules import Schedule
from optimizers.schedules import default as default_schedule

MAX_QUERY = 4000  # characters; a longer query string is ignored as a whole
# A data landscape's settings: link key -> DataSpec field (the booleans read as flags).
DATA_KEYS = {
    "model": "model",
    "data": "source",
    "n": "n",
    "dnoise": "noise",
    "outliers": "outliers",
    "classes": "shape",
    "dseed": "data_seed",
    "batch": "batch",
    "droplast": "drop_last",
    "lam": "lam",
    "reg": "reg",
    "regbias": "reg_bias",
    "batchsurf": "batch_surface",
}
DATA_FLAGS = {"droplast", "regbias", "batchsurf"}


def _data_params(spec: DataSpec) -> list[tuple[str, str]]:
    """The data settings that differ from their defaults (an upload says only ``data=upload``)."""
    base = DataSpec()
    out = []
    for key, name in DATA_KEYS.items():
        value = getattr(spec, name)
        if value != getattr(base, name) or key == "model":
            out.append((key, ("1" if value else "0") if key in DATA_FLAGS else _data_text(value)))
    return out


def _data_text(value) -> str:
    return _short_number(float(value)) if isinstance(value, float) else str(value)


def scene_to_query(scene: Scene) -> str:
    """The query string (with leading '?') that restores ``scene``."""
    params: list[tuple[str, str]] = [("surface", scene.surface)]
    if scene.formula:
        (x0, x1), (y0, y1) = scene.view or DEFAULT_DOMAIN
        params += [("f", scene.formula), ("view", ":".join(_short_number(v) for v in (x0, x1, y0, y1)))]
    if scene.surface == DATA:
        params += _data_params(scene.data)
    if scene.start is not None:
        params += [("x", repr(float(scene.start[0]))), ("y", repr(float(scene.start[1])))]
    params += [("steps", str(scene.steps)), ("opt", ",".join(scene.rules))]
    if scene.roughness:
        params.append(("rough", repr(scene.roughness)))
    if scene.grad_noise:
        params.append(("gnoise", repr(scene.grad_noise)))
    params.append(("seed", str(scene.seed)))
    for rule in optimizers.NAMES:
        for k, v in sorted(scene.hyper.get(rule, {}).items()):
            params.append((f"{rule}.{k}", repr(float(v))))
        if rule in scene.schedules:
            sch = scene.schedules[rule]
            params.append((f"{rule}.sched", f"{sch.kind}:{float(sch.a)!r}:{float(sch.b)!r}"))
    if scene.log_loss:
        params.append(("log", "1"))
    if scene.theme != "light":
        params.append(("theme", scene.theme))
    if scene.embed:
        params.append(("embed", "1"))
    if scene.panel:
        params.append(("panel", "1"))
    if scene.hide:
        params.append(("hide", ",".join(scene.hide)))
    if scene.lock:
        params.append(("lock", ",".join(scene.lock)))
    if scene.lesson:
        params += [("lesson", scene.lesson), ("lstep", str(scene.lesson_step + 1))]
    if scene.ensemble:
        params.append(("ens", str(scene.ensemble)))
    if scene.step:
        params.append(("k", str(scene.step)))
    if scene.inspect:
        params.append(("inspect", scene.inspect))
    if scene.camera != "notebook":
        params.append(("cam", scene.camera))
    if scene.present:
        params.append(("present", "1"))
    if scene.lang:
        params.append(("lang", scene.lang))
    return "?" + urlencode(params, safe=",:")


def _short_number(value: float) -> str:
    """``value`` as short as it reads back exactly: ``-5``, not ``-5.0``; all digits when needed."""
    short = f"{value:g}"
    return short if float(short) == value else repr(float(value))


def _flag(value: str) -> bool:
    return value.strip().lower() in ("1", "true", "yes", "on")


def query_to_scene(query: str | None) -> tuple[Scene, list[str]]:
    """Parse a query string (with or without '?') into a clamped Scene and notices (in the link's
    ``lang``, else the request's language)."""
    with i18n.use(from_query(query) if isinstance(query, str) else ""):
        return _query_to_scene(query)


def _query_to_scene(query: str | None) -> tuple[Scene, list[str]]:
    notices: list[str] = []
    if query is not None and not isinstance(query, str):
        return Scene(), [_("The link's settings could not be read; showing the default scene.")]
    query = (query or "").lstrip("?")
    if len(query) > MAX_QUERY:
        return Scene(), [
            _("The link's settings are longer than {n} characters; showing the default scene.").format(n=MAX_QUERY)
        ]
    try:
        raw = parse_qs(query, keep_blank_values=True, max_num_fields=200)
    except ValueError:
        return Scene(), [_("The link's settings could not be read; showing the default scene.")]
    one = {k: v[-1] for k, v in raw.items()}
    fields: dict = {}
    if "surface" in one:
        fields["surface"] = one["surface"]
    for key, name in (("rough", "roughness"), ("gnoise", "grad_noise"), ("seed", "seed"), ("steps", "steps")):
        if key in one:
            fields[name] = one[key]
    if "x" in one or "y" in one:
        fields["start"] = (one.get("x", "nan"), one.get("y", "nan"))
    if "opt" in one:
        fields["rules"] = tuple(r for r in one["opt"].split(",") if r)
    hyper: dict[str, dict[str, str]] = {}
    known = {"surface", "rough", "gnoise", "seed", "steps", "x", "y", "opt", "log", "theme", "embed", "hide"}
    known |= set(DATA_KEYS)  # a data landscape's settings
    known |= {
        "k",
        "inspect",
        "ens",
        "cam",
        "present",
        "lang",
    }  # the scrubber's step, the optimizer whose arrows are drawn, ensemble size
    known |= {
        "f",
        "view",
        "lesson",
        "lstep",
        "lock",
        "panel",
    }  # own formula and its view; a lesson and its step (app.lessons.model)
    schedules: dict[str, Schedule] = {}
    unknown: list[str] = []
    for key, value in one.items():
        if key.endswith(".sched"):
            schedules[key.partition(".")[0]] = _schedule(key, value, notices)
        elif "." in key:
            rule, _dot, name = key.partition(".")
            hyper.setdefault(rule, {})[name] = value
        elif key not in known:
            unknown.append(key)
    fields["hyper"] = hyper
    fields["schedules"] = schedules
    if "log" in one:
        fields["log_loss"] = _flag(one["log"])
    if "theme" in one:
        fields["theme"] = one["theme"]
    if "embed" in one:
        fields["embed"] = _flag(one["embed"])
    if "panel" in one:
        fields["panel"] = _flag(one["panel"])
    if "hide" in one:
        fields["hide"] = tuple(h for h in one["hide"].split(",") if h)
    if "lock" in one:
        fields["lock"] = tuple(h for h in one["lock"].split(",") if h)
    if "lesson" in one:
        fields["lesson"] = one["lesson"]
        try:
            fields["lesson_step"] = float(one.get("lstep", "1")) - 1  # clamp_scene says if it is not whole
        except ValueError:
            notices.append(
                _("lesson step (lstep): {value} is not a number; using step 1.").format(value=repr(one["lstep"][:20]))
            )
    if "k" in one:
        fields["step"] = one["k"]
    if "ens" in one:
        fields["ensemble"] = one["ens"]
    if "inspect" in one:
        fields["inspect"] = one["inspect"]
    if "cam" in one:
        fields["camera"] = one["cam"]  # clamp_scene says if it is not a preset
    if "present" in one:
        fields["present"] = _flag(one["present"])
    if "lang" in one:
        fields["lang"] = one["lang"]  # clamp_scene says if it is not a language here
    if "f" in one:
        fields["formula"] = one["f"]
        if not one["f"].strip() and one.get("surface") == CUSTOM:
            notices.append(_("f (your formula) is empty; using {default}.").format(default=DEFAULT_FORMULA))
    if "view" in one:
        fields["view"] = _view(one["view"], notices)
    data = {name: (_flag(one[key]) if key in DATA_FLAGS else one[key]) for key, name in DATA_KEYS.items() if key in one}
    if data:
        fields["data"] = DataSpec(**data)  # clamp_scene reads the numbers and says what it refused
    scene, more = clamp_scene(_coerce(fields, notices))
    return scene, more + notices + _ignored(unknown)


def _ignored(keys: list[str]) -> list[str]:
    """One notice naming the unknown settings (the first few of them)."""
    if not keys:
        return []
    names = ", ".join(repr(k[:40]) for k in keys[:5])
    more = ""
    if len(keys) > 5:
        more = _(" and {n} more").format(n=len(keys) - 5)
    return [
        ngettext("unknown setting {names}{more} ignored.", "unknown settings {names}{more} ignored.", len(keys)).format(
            names=names, more=more
        )
    ]


def _view(value: str, notices: list[str]):
    """``x0:x1:y0:y1`` as ((x0, x1), (y0, y1)); clamp_scene checks the ranges."""
    try:
        x0, x1, y0, y1 = (float(v) for v in value.split(":"))
    except ValueError:
        notices.append(_("view: must be four numbers x0:x1:y0:y1; using x and y from -5 to 5."))
        return None
    return (x0, x1), (y0, y1)


def _schedule(key: str, value: str, notices: list[str]) -> Schedule:
    """``kind:a:b`` (e.g. ``cosine:0:0.1``); the numbers are optional."""
    kind, *numbers = value.split(":")
    if len(numbers) > 2:
        extra = ":".join(numbers[2:])
        notices.append(
            _("{key}: a schedule has two settings after its name; {extra} ignored.").format(
                key=key[:40], extra=repr(extra[:30])
            )
        )
        numbers = numbers[:2]
    try:
        a, b = ([float(v) for v in numbers] + [None, None])[:2]
    except ValueError:
        notices.append(
            _("{key}: the settings after the schedule's name must be numbers; using its defaults.").format(key=key[:40])
        )
        a = b = None
    if kind not in SCHEDULE_KINDS:
        return Schedule(kind)  # clamp_scene says it is unknown
    base = default_schedule(kind)
    return Schedule(kind, base.a if a is None else a, base.b if b is None else b)


def _coerce(fields: dict, notices: list[str]) -> Scene:
    """Build a Scene from strings; clamp_scene does the range checks (it reads numbers leniently)."""
    start = fields.pop("start", None)
    if start is not None:
        sx, sy = start
        try:
            start = (float(sx), float(sy))
        except ValueError:
            start = None
        if start is None or any(math.isnan(v) for v in start):
            notices.append(_("start point: x and y must both be numbers; using the surface's start."))
            start = None
    if "seed" in fields:
        try:
            fields["seed"] = float(fields["seed"])  # clamp_scene says if it is not whole or out of range
        except ValueError:
            notices.append(_("seed: {value} is not a number; using 0.").format(value=repr(fields["seed"][:20])))
            fields["seed"] = 0
    if "steps" in fields:
        try:
            fields["steps"] = float(fields["steps"])
        except ValueError:
            notices.append(
                _("steps: {value} is not a number; using the default.").format(value=repr(fields["steps"][:20]))
            )
            del fields["steps"]
    return Scene(start=start, **fields)
