"""The JSON bodies Dash's renderer POSTs to ``/_dash-update-component``, for each server callback.

The load script and the hostile-input and statelessness tests send exactly what a browser sends,
so they exercise the real endpoint (request parsing, the callback, serialisation), not a shortcut.
The callback's output key is the one the app itself publishes at ``/_dash-dependencies``.
"""

from __future__ import annotations

import json
from typing import Any

import optimizers
from app.runs.panel import VIEW
from app.state.link import scene_to_query
from app.state.scene import Scene

ENDPOINT = "/_dash-update-component"

# Output keys, as in /_dash-dependencies (tests check they still match the app's). An output that
# another callback writes too carries Dash's tag, a hash of its callback's inputs: "@" + 64 hex digits.
_LOAD_DUP = "@f1f3fb278a75bd582be444cd0e8ec8547461f4cf13d89d816f77fba4fa588b0d"
LOAD = (
    "..controls.children...notices.children...theme.value...view-flags.data...controls-col.className"
    "...views-col.lg...header.className...group-playback.className...group-inspector.style...results.style"
    f"...step.value...loaded-search.data...lesson-card.children...tabs-wrap.className...inspect-shown.data{_LOAD_DUP}.."
)
_MAIN_DUP = "@72fd33aca634db2faeef6fbfeded218a3a0f1b390dac78d1c18ff37cb0bafc52"
RECOMPUTE = (
    "..graph-3d.figure...graph-contour.figure...graph-loss.figure...results.children...summary.children"
    f"...query.data...step.max...step.value{_MAIN_DUP}...inspect-rule.options...inspect-rule.value"
    f"...inspector.children...inspect-step.children...inspect-shown.data{_MAIN_DUP}...graph-lr.figure"
    "...group-lr.style...control-notices.children...start-x.value...start-y.value...surface-description.children"
    "...start-x.min...start-x.max...start-y.min...start-y.max...formula-box.style.."
)
_DUP = "@66b13865e411ff3f7175a9ec6b5dcd6de4429deb63b326f780f1d0893a0c0e8f"
INSPECT = (
    f"..inspector.children...inspect-step.children...graph-3d.figure{_DUP}...graph-contour.figure{_DUP}"
    f"...graph-loss.figure{_DUP}...query.data{_DUP}...inspect-shown.data{_DUP}.."
)
COMPARE = "..compare-grid.children...compare-notice.children.."
NEW_SEED = "seed.value"
EXPORT = "download.data"
EXPORT_ITEMS = ("export-csv", "export-json", "export-numpy", "export-torch")


def _outputs(key: str) -> list[dict]:
    parts = key[2:-2].split("...") if key.startswith("..") else [key]
    out = []
    for part in parts:
        cid, prop = part.rsplit(".", 1)
        out.append({"id": json.loads(cid) if cid.startswith("{") else cid, "property": prop})
    return out


def _prop(cid: Any, prop: str, value: Any) -> dict:
    return {"id": cid, "property": prop, "value": value}


def _changed(cid: Any, prop: str) -> str:
    if isinstance(cid, dict):
        cid = json.dumps(cid, separators=(",", ":"), sort_keys=True)
    return f"{cid}.{prop}"


def call(key: str, inputs: list[tuple[Any, str, Any]], state: list[tuple[Any, str, Any]] = (), changed=None) -> dict:
    """Any callback's request: ``inputs`` and ``state`` are (id, property, value) triples."""
    first = inputs[0]
    outputs = _outputs(key)
    return {
        "output": key,
        "outputs": outputs if key.startswith("..") else outputs[0],
        "inputs": [_prop(i, p, v) for i, p, v in inputs],
        "state": [_prop(i, p, v) for i, p, v in state],
        "changedPropIds": [changed or f"{first[0]}.{first[1]}"],
    }


def load(search: Any, loaded: Any = None) -> dict:
    return call(LOAD, [("url", "search", search)], [("loaded-search", "data", loaded)])


def recompute(
    surface: Any = "multimodal",
    roughness: Any = 0.0,
    grad_noise: Any = 0.0,
    seed: Any = 0,
    sx: Any = -2.0,
    sy: Any = 2.0,
    steps: Any = 2000,
    rules: Any = optimizers.SEED_FIVE,
    hyper: list[tuple[Any, Any, Any]] | None = None,
    log_loss: Any = (),
    theme: Any = "light",
    flags: Any = None,
    changed: str | None = None,
    k: Any = 0,
    inspect: Any = None,
    ensemble: Any = 0,
    schedules: list[tuple[Any, Any, Any]] | None = None,
    formula: Any = "sin(x)*cos(y) + 0.1*(x^2 + y^2)",
    view: tuple[Any, Any, Any, Any] = (-5, 5, -5, 5),
    click: Any = None,
    asked: Any = None,
) -> dict:
    """``hyper`` and ``schedules`` are lists of (rule, name, value): the pattern-matched inputs the
    panel holds (schedule names: kind, a, b). ``formula`` and ``view`` (x0, x1, y0, y1): the own
    formula's field and view boxes; ``click``: the contour map's last click; ``asked``: the inspector
    gate's last question. ``changed`` None: nothing changed, the whole scene is asked for (as when a
    page has built its panel); "surface.value" (or the formula, a view box, the contour map's
    clickData) also moves the start."""
    if hyper is None:
        hyper = [(r, k, v) for r in optimizers.NAMES for k, v in optimizers.RULES[r].defaults.items()]
    if schedules is None:
        schedules = [(r, k, v) for r in optimizers.NAMES for k, v in (("kind", "constant"), ("a", 0), ("b", 0))]
    return {
        "output": RECOMPUTE,
        "outputs": _outputs(RECOMPUTE),
        "inputs": [
            _prop("surface", "value", surface),
            _prop("roughness", "value", roughness),
            _prop("grad-noise", "value", grad_noise),
            _prop("ensemble", "value", ensemble),
            _prop("seed", "value", seed),
            _prop("start-x", "value", sx),
            _prop("start-y", "value", sy),
            _prop("steps", "value", steps),
            _prop("rules", "value", list(rules) if isinstance(rules, tuple) else rules),
            [_prop({"name": k, "rule": r, "type": "hp"}, "value", v) for r, k, v in hyper],
            [_prop({"name": k, "rule": r, "type": "sched"}, "value", v) for r, k, v in schedules],
            _prop("log-loss", "value", list(log_loss) if isinstance(log_loss, tuple) else log_loss),
            _prop("theme", "value", theme),
            _prop("formula", "value", formula),
            *[_prop(f"view-{k}", "value", v) for k, v in zip(VIEW, view, strict=True)],
            _prop("graph-contour", "clickData", click),
        ],
        "state": [
            _prop("view-flags", "data", flags if flags is not None else {"embed": False, "hide": []}),
            _prop("step", "value", k),
            _prop("inspect-rule", "value", inspect),
            _prop("loaded-search", "data", ""),
            _prop("inspect-at", "data", asked),
        ],
        "changedPropIds": [changed] if changed else [],
    }


def recompute_scene(scene: Scene, changed: str | None = None) -> dict:
    """What the panel sends for ``scene`` (every control set from it; ``changed`` as in ``recompute``)."""
    x, y = scene.start_point()
    hyper = [(r, k, v) for r in optimizers.NAMES for k, v in scene.hyper_of(r).items()]
    schedules = []
    for r in optimizers.NAMES:
        sch = scene.schedules.get(r)
        schedules += [
            (r, "kind", sch.kind if sch else "constant"),
            (r, "a", sch.a if sch else 0),
            (r, "b", sch.b if sch else 0),
        ]
    return recompute(
        scene.surface,
        scene.roughness,
        scene.grad_noise,
        scene.seed,
        x,
        y,
        scene.steps,
        scene.rules,
        hyper,
        ("log",) if scene.log_loss else (),
        scene.theme,
        {"embed": scene.embed, "hide": list(scene.hide)},
        changed,
        scene.step,
        scene.inspect or None,
        scene.ensemble,
        schedules,
        scene.formula or "sin(x)*cos(y) + 0.1*(x^2 + y^2)",
        tuple(v for pair in (scene.view or ((-5, 5), (-5, 5))) for v in pair),
    )


def pick_start(
    surface: Any,
    click: Any,
    changed: str = "graph-contour.clickData",
    formula: Any = "x^2 + y^2",
    view: tuple[Any, Any, Any, Any] = (-5, 5, -5, 5),
) -> dict:
    """A click on the contour map (or a new surface): the main view's callback moves the start and
    answers with the scene run from there."""
    return recompute(surface=surface, click=click, changed=changed, formula=formula, view=view)


def new_seed(n_clicks: Any) -> dict:
    return call(NEW_SEED, [("new-seed", "n_clicks", n_clicks)])


def export(item: Any, query: Any, clicks: Any = 1) -> dict:
    """A click on one Export menu item, with the page's current link (``query`` store)."""
    inputs = [(i, "n_clicks", clicks if i == item else None) for i in EXPORT_ITEMS]
    return call(EXPORT, inputs, [("query", "data", query)], f"{item}.n_clicks")


def inspect(k: Any, rule: Any, query: Any, shown: Any = None, seq: Any = 1) -> dict:
    """The paused scrubber at step ``k`` (or the arrows' optimizer changed): the question the page's
    gate asks (``assets/playback.js``, inspectAt), with the link and what the figures ``shown``."""
    asked = {"k": k, "rule": rule, "seq": seq}
    return call(INSPECT, [("inspect-at", "data", asked)], [("query", "data", query), ("inspect-shown", "data", shown)])


def compare(tab: Any, surfaces: Any, query: Any) -> dict:
    """The small multiples: the surfaces chosen, with the link the gate hands on (on their tab only)."""
    inputs = [("compare-query", "data", query), ("compare-surfaces", "value", surfaces)]
    return call(COMPARE, inputs, [("view-tabs", "active_tab", tab)])


def query_of(scene: Scene) -> str:
    """The URL query the page would show for ``scene`` (what ``recompute`` returns as query.data)."""
    return scene_to_query(scene)


def output_key(callback_map: dict, fragment: str) -> str:
    """The output key of the app's callback whose outputs include ``fragment`` (e.g. "embed-code.value")."""
    return next(k for k in callback_map if fragment in [part.strip(".") for part in k.split("...")])


def job_flow(
    key: str,
    prefix: str,
    trigger: str,
    state: list[tuple[Any, str, Any]],
    job: Any = None,
    client: Any = "bench-client",
    tick: Any = None,
) -> dict:
    """A job tab's one callback (``app.explore.job_view``): ``trigger`` is "run", "poll" or "cancel";
    ``state`` the tab's own controls (then the main view's link and the page's address)."""
    inputs = [
        (f"{prefix}-run", "n_clicks", 1),
        (f"{prefix}-poll", "n_intervals", tick),
        (f"{prefix}-cancel", "n_clicks", None),
    ]
    prop = "n_intervals" if trigger == "poll" else "n_clicks"
    state = [*state, (f"{prefix}-job", "data", job), ("client-id", "data", client)]
    return call(key, inputs, state, changed=f"{prefix}-{trigger}.{prop}")


def basin_flow(
    key: str,
    trigger: str = "run",
    job: Any = None,
    client: Any = "bench-client",
    rule: Any = "adam",
    resolution: Any = "50",
    steps: Any = 200,
    link: Any = "?surface=himmelblau",
    tick: Any = None,
) -> dict:
    """The basin tab's request (``key``: its output key, ``output_key(deps, "basin-graph.figure")``)."""
    state = [
        ("basin-rule", "value", rule),
        ("basin-resolution", "value", resolution),
        ("basin-steps", "value", steps),
        ("query", "data", link),
        ("url", "search", link),
    ]
    return job_flow(key, "basin", trigger, state, job, client, tick)
