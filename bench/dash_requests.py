"""The JSON bodies Dash's renderer POSTs to ``/_dash-update-component``, for each server callback.

The load script and the hostile-input and statelessness tests send exactly what a browser sends,
so they exercise the real endpoint (request parsing, the callback, serialisation), not a shortcut.
Every request is built by names (``id.property``) from the app's own ``/_dash-dependencies``: the
callback is found by an output it sets, its inputs and state are filled in the app's order, and its
output key (with Dash's ``@hash`` tags) is the app's. A change of a callback's signature changes
nothing here.
"""

from __future__ import annotations

import json
import math
from functools import cache
from typing import Any

import optimizers
from app.runs.controls import kept_settings
from app.runs.panel import VIEW
from app.serving.request_guard import output_names
from app.state.link import scene_to_query
from app.state.scene import Scene

ENDPOINT = "/_dash-update-component"
EXPORT_ITEMS = ("export-csv", "export-json", "export-numpy", "export-torch")
# each server callback by an output it sets (and, where two set it, an input that moves it)
_CALLBACKS = {
    "LOAD": ("loaded-search.data", None),
    "RECOMPUTE": ("summary.children", None),
    "INSPECT": ("inspector.children", "inspect-at.data"),
    "COMPARE": ("compare-grid.children", None),
    "NEW_SEED": ("seed.value", "new-seed.n_clicks"),
    "EXPORT": ("download.data", None),
}


@cache
def dependencies() -> tuple[dict, ...]:
    """The app's callbacks as it publishes them (the app of ``app``, in this process)."""
    from app.server import server

    return tuple(server.test_client().get("/_dash-dependencies").get_json())


def name(cid: Any, prop: str) -> str:
    """``id.property`` as Dash writes it (a dict id as sorted, compact JSON)."""
    if isinstance(cid, dict):
        cid = json.dumps(cid, separators=(",", ":"), sort_keys=True)
    return f"{cid}.{prop}"


def _prop(cid: Any, prop: str, value: Any) -> dict:
    return {"id": cid, "property": prop, "value": value}


def _pattern(spec: dict) -> str | None:
    """A pattern-matched input's name, ``{type}.property`` (None for a plain input)."""
    if not (isinstance(spec["id"], str) and spec["id"].startswith("{")):
        return None
    return "{" + json.loads(spec["id"])["type"] + "}." + spec["property"]


@cache  # looked up for every request a load generator builds: once per (fragment, trigger) instead
def dependency(fragment: str, trigger: str | None = None) -> dict:
    """The app's callback that sets ``fragment`` (``id.property``, or a whole output key); among
    several, the one that ``trigger`` (``id.property``) moves (one of ``dependencies()``, shared)."""
    deps = dependencies()
    found = [d for d in deps if d["output"] == fragment]
    if not found:
        wanted = output_names(fragment)
        found = [d for d in deps if output_names(d["output"]) == wanted] or [
            d for d in deps if set(wanted) <= set(output_names(d["output"]))
        ]
    if len(found) > 1 and trigger is not None:
        found = [d for d in found if any(name(i["id"], i["property"]) == trigger for i in d["inputs"])]
    if len(found) != 1:
        raise LookupError(f"{len(found)} callbacks set {fragment} (moved by {trigger})")
    return found[0]


def request(dep: dict, values: dict[str, Any], changed: list[str]) -> dict:
    """The body for ``dep``: every input and state by its name in ``values`` (missing: None; a
    pattern-matched input, ``{type}.property``: its list of ``{id, property, value}``)."""

    def fill(spec: dict) -> Any:
        pattern = _pattern(spec)
        if pattern is not None:
            return values.get(pattern, [])
        return {"id": spec["id"], "property": spec["property"], "value": values.get(name(spec["id"], spec["property"]))}

    outputs: list = []
    for part in output_names(dep["output"]):
        cid, prop = part.rsplit(".", 1)
        oid = json.loads(cid) if cid.startswith("{") else cid
        if isinstance(oid, dict) and any(isinstance(v, list) for v in oid.values()):
            # a wildcard output (ALL): the components the page has, as the pattern-matched inputs of
            # that type list them, matching the pattern's fixed keys
            fixed = {k: v for k, v in oid.items() if not isinstance(v, list)}
            have = values.get("{" + oid["type"] + "}." + prop, [])
            outputs.append([{"id": e["id"], "property": prop} for e in have if _matches(e.get("id"), fixed)])
            continue
        outputs.append({"id": oid, "property": prop})
    return {
        "output": dep["output"],
        "outputs": outputs if dep["output"].startswith("..") else outputs[0],
        "inputs": [fill(i) for i in dep["inputs"]],
        "state": [fill(s) for s in dep["state"]],
        "changedPropIds": changed,
    }


def _matches(cid: Any, fixed: dict) -> bool:
    return isinstance(cid, dict) and all(cid.get(k) == v for k, v in fixed.items())


def values_of(body: dict) -> dict[str, Any]:
    """A request's values by name (the inverse of ``request``)."""
    values: dict[str, Any] = {}
    for entry in [*body.get("inputs", []), *body.get("state", [])]:
        if isinstance(entry, list):  # a pattern-matched input: every matching component
            if entry:
                values["{" + entry[0]["id"]["type"] + "}." + entry[0]["property"]] = entry
            continue
        values[name(entry["id"], entry["property"])] = entry["value"]
    return values


def by_names(like: dict, fragment: str | None = None) -> dict:
    """``like`` (a request as any version of this module built it) for this app's callback that
    sets ``fragment`` (default: the outputs ``like`` names), filled by names."""
    changed = like["changedPropIds"]
    dep = dependency(fragment or like["output"], changed[0] if changed else None)
    return request(dep, values_of(like), changed)


def call(key: str, inputs: list[tuple[Any, str, Any]], state: list[tuple[Any, str, Any]] = (), changed=None) -> dict:
    """Any callback's request: ``key`` an output it sets (or its output key); ``inputs`` and
    ``state`` (id, property, value) triples, in any order; ``changed`` defaults to the first input."""
    first = inputs[0]
    trigger = changed or name(first[0], first[1])
    values = {name(i, p): v for i, p, v in [*inputs, *state]}
    return request(dependency(key, trigger), values, [trigger])


def __getattr__(attr: str) -> str:
    """``LOAD``, ``RECOMPUTE``, ``INSPECT``, ``COMPARE``, ``NEW_SEED``, ``EXPORT``: those callbacks'
    output keys, as the app publishes them."""
    if attr not in _CALLBACKS:
        raise AttributeError(attr)
    return dependency(*_CALLBACKS[attr])["output"]


def load(search: Any, loaded: Any = None) -> dict:
    return call("loaded-search.data", [("url", "search", search)], [("loaded-search", "data", loaded)])


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
    camera: Any = "notebook",
    kept: Any = None,
    shown_query: Any = None,
    sliders: list[tuple[Any, Any]] | None = None,
) -> dict:
    """``hyper`` and ``schedules`` are lists of (rule, name, value): the pattern-matched inputs the
    panel holds (schedule names: kind, a, b), by default the defaults of the enabled ``rules`` (the
    panel lays out settings for those only); ``kept``: the page's ``hyper-kept`` store (every rule's
    settings as the panel was built). ``formula`` and ``view`` (x0, x1, y0, y1): the own
    formula's field and view boxes; ``click``: the contour map's last click; ``asked``: the inspector
    gate's last question; ``shown_query``: the page's ``query`` store (the link its figures show: a
    setting's change is answered with a Patch only when they show the scene but for it). ``changed``
    None: nothing changed, the whole scene is asked for (as when a page has built its panel);
    "surface.value" (or the formula, a view box, the contour map's clickData) also moves the start.
    ``sliders``: (rule, position) of each learning-rate slider, by default log10 of each learning rate
    in ``hyper`` (each box has its slider on the page)."""
    shown = [r for r in optimizers.NAMES if isinstance(rules, (list, tuple)) and r in rules]
    if hyper is None:
        hyper = [(r, k, v) for r in shown for k, v in optimizers.RULES[r].defaults.items()]
    if schedules is None:
        schedules = [(r, k, v) for r in shown for k, v in (("kind", "constant"), ("a", 0), ("b", 0))]
    if sliders is None:
        sliders = [(r, math.log10(v)) for r, k, v in hyper if k == "lr" and isinstance(v, int | float) and v > 0]
    values = {
        "surface.value": surface,
        "roughness.value": roughness,
        "grad-noise.value": grad_noise,
        "ensemble.value": ensemble,
        "seed.value": seed,
        "start-x.value": sx,
        "start-y.value": sy,
        "steps.value": steps,
        "rules.value": list(rules) if isinstance(rules, tuple) else rules,
        "{hp}.value": [_prop({"name": k, "rule": r, "type": "hp"}, "value", v) for r, k, v in hyper],
        "{lr-slider}.value": [_prop({"rule": r, "type": "lr-slider"}, "value", v) for r, v in sliders],
        "{sched}.value": [_prop({"name": k, "rule": r, "type": "sched"}, "value", v) for r, k, v in schedules],
        "log-loss.value": list(log_loss) if isinstance(log_loss, tuple) else log_loss,
        "camera.value": camera,
        "theme.value": theme,
        "formula.value": formula,
        **{f"view-{k}.value": v for k, v in zip(VIEW, view, strict=True)},
        "graph-contour.clickData": click,
        "view-flags.data": flags if flags is not None else {"embed": False, "hide": []},
        "step.value": k,
        "inspect-rule.value": inspect,
        "loaded-search.data": "",
        "inspect-at.data": asked,
        "hyper-kept.data": kept,
        "query.data": shown_query,
    }
    return request(dependency(*_CALLBACKS["RECOMPUTE"]), values, [changed] if changed else [])


def recompute_scene(scene: Scene, changed: str | None = None, shown_query: str | None = None) -> dict:
    """What the panel sends for ``scene`` (every control set from it; ``changed`` as in ``recompute``),
    from a page whose figures show the link ``shown_query`` (its ``query`` store; by default, with
    ``changed``, ``scene``'s own: the page showed the scene but for the change)."""
    x, y = scene.start_point()
    shown = [r for r in optimizers.NAMES if r in scene.rules]  # the settings the panel lays out
    hyper = [(r, k, v) for r in shown for k, v in scene.hyper_of(r).items()]
    schedules = []
    for r in shown:
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
        camera=scene.camera,
        kept=kept_settings(scene),
        shown_query=shown_query if shown_query is not None or changed is None else scene_to_query(scene),
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
    return call("seed.value", [("new-seed", "n_clicks", n_clicks)])


def export(item: Any, query: Any, clicks: Any = 1) -> dict:
    """A click on one Export menu item, with the page's current link (``query`` store)."""
    inputs = [(i, "n_clicks", clicks if i == item else None) for i in EXPORT_ITEMS]
    return call("download.data", inputs, [("query", "data", query)], f"{item}.n_clicks")


def inspect(k: Any, rule: Any, query: Any, shown: Any = None, seq: Any = 1) -> dict:
    """The paused scrubber at step ``k`` (or the arrows' optimizer changed): the question the page's
    gate asks (``assets/playback.js``, inspectAt), with the link and what the figures ``shown``."""
    asked = {"k": k, "rule": rule, "seq": seq}
    return call(
        "inspector.children",
        [("inspect-at", "data", asked)],
        [("query", "data", query), ("inspect-shown", "data", shown)],
    )


def compare(tab: Any, surfaces: Any, query: Any) -> dict:
    """The small multiples: the surfaces chosen, with the link the gate hands on (on their tab only)."""
    inputs = [("compare-query", "data", query), ("compare-surfaces", "value", surfaces)]
    return call("compare-grid.children", inputs, [("view-tabs", "active_tab", tab)])


def query_of(scene: Scene) -> str:
    """The URL query the page would show for ``scene`` (what ``recompute`` returns as query.data)."""
    return scene_to_query(scene)


def output_key(callback_map: dict, fragment: str) -> str:
    """The output key, among ``callback_map``'s keys, of the callback whose outputs include ``fragment``
    (e.g. "embed-code.value")."""
    return next(k for k in callback_map if fragment in output_names(k))


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
