"""Callbacks of the main view: glue only. Read controls -> Scene -> engine -> figure builders -> outputs."""

from __future__ import annotations

import math
import secrets
from dataclasses import replace
from functools import lru_cache

import dash_bootstrap_components as dbc
from dash import (
    ALL,
    MATCH,
    ClientsideFunction,
    Input,
    Output,
    Patch,
    State,
    callback,
    clientside_callback,
    ctx,
    html,
    no_update,
)
from dash.exceptions import PreventUpdate

import i18n
import optimizers
from analysis.outcomes import surface_of
from app.components import notice_list
from app.data.figures import add_overlays, data_figure, patch_batch_surface, patch_overlays
from app.data.layout import describe
from app.data.store import spec_from_store, with_upload
from app.lessons import model as lessons
from app.lessons.view import COVERED, lesson_card
from app.runs import figures, kept_runs
from app.runs.controls import controls_panel, kept_settings, settings_items
from app.runs.inspector_view import inspector_view
from app.runs.keyed import Keyed
from app.runs.panel import VIEW, scene_from_controls
from app.runs.patches import marker_patches, rule_patches
from app.runs.summary import results_table, summary_text
from app.serving.plain import plain_answer
from app.state.link import query_to_scene, scene_to_query
from app.state.notices import shown
from app.state.scene import CUSTOM, DATA, HYPER_RANGE, PANEL_GROUPS, Scene, clamp_scene, is_number
from landscapes.formula import FormulaError, parse

ANSWERS_KEPT = 32  # scenes whose answers each web worker keeps (a few MB: see bench.app's sizes)


def _alerts(notices: list[str], color: str = "warning"):
    if not notices:
        return None
    return dbc.Alert(
        [notice_list(shown(notices))], color=color, dismissable=True, className="py-2 small", id="notice-alert"
    )


def _page_outputs(scene: Scene) -> dict:
    """What the link says about the page around the charts: flags, hidden parts, embedded or not."""
    hidden = {"display": "none"}
    panel_hidden = scene.embed and not (scene.panel and not all(g in scene.hide for g in PANEL_GROUPS))
    return {
        "theme": scene.theme,
        "flags": {
            "embed": scene.embed,
            "panel": scene.panel,
            "hide": list(scene.hide),
            "lock": list(scene.lock),
            "lesson": scene.lesson,
            "lstep": scene.lesson_step,
            "present": scene.present,
            "lang": scene.lang,
        },
        "controls_col": "d-none" if panel_hidden else "mb-3",
        "views_col": 12 if panel_hidden else 9,
        "header": "d-none" if scene.embed else "mb-2 border-bottom",
        "playback": "d-none" if "playback" in scene.hide else "d-flex align-items-center mb-2",
        "inspector": hidden if "inspector" in scene.hide else {},
        "results": hidden if "table" in scene.hide else {},
        "step": scene.step,
    }


@callback(
    output=dict(
        controls=Output("controls", "children"),
        notices=Output("notices", "children"),
        theme=Output("theme", "value"),
        flags=Output("view-flags", "data"),
        controls_col=Output("controls-col", "className"),
        views_col=Output("views-col", "lg"),
        header=Output("header", "className"),
        playback=Output("group-playback", "className"),
        inspector=Output("group-inspector", "style"),
        results=Output("results", "style"),
        step=Output("step", "value"),
        loaded=Output("loaded-search", "data"),
        lesson=Output("lesson-card", "children"),
        tabs=Output("tabs-wrap", "className"),
        shown=Output("inspect-shown", "data", allow_duplicate=True),
    ),
    inputs=dict(search=Input("url", "search")),
    state=dict(loaded=State("loaded-search", "data")),
    prevent_initial_call="initial_duplicate",
)
def load_scene_from_url(search, loaded):
    """On page load (or a link opened from the explore tabs): the URL's scene fills every control (bad
    values fall back, with a notice). A lesson's link opens that step's scene, prompt and question (the
    charts stay covered until the prediction is made)."""
    if loaded is not None and loaded == (search or ""):
        raise PreventUpdate  # the Location re-reports the same URL; the panel is already built from it
    scene, notices = query_to_scene(search)
    if notices:
        notices = ["Some settings in the link were changed:", *notices]
    lesson, index, lesson_notices = lessons.find(scene)
    card, covered = None, ""
    if lesson is not None:
        scene = lessons.step_scene(lesson, index, scene)
        card = lesson_card(lesson, index)
        covered = COVERED if lesson.steps[index].question else ""
    notices += lesson_notices
    return {
        **_page_outputs(scene),
        "controls": controls_panel(scene),
        "notices": _alerts(notices),
        "loaded": search if isinstance(search, str) else "",
        "lesson": card,
        "tabs": covered,
        "shown": None,  # nothing of this scene is drawn yet: the scrubber's gate waits for the main view
    }


RESET_START = ("surface", "formula", "data-spec", *(f"view-{k}" for k in VIEW))  # a new surface or view: its own start


def _start_from_click(click, domain) -> tuple[float, float]:
    """The start a click on the contour map picks, inside the view (PreventUpdate: not a click on the map)."""
    try:
        point = click["points"][0]
        x, y = float(point["x"]), float(point["y"])
    except (KeyError, TypeError, ValueError, IndexError, OverflowError):
        raise PreventUpdate from None
    if not (math.isfinite(x) and math.isfinite(y)):
        raise PreventUpdate
    (x0, x1), (y0, y1) = domain
    return round(min(max(x, x0), x1), 4), round(min(max(y, y0), y1), 4)


def _start_outputs(controls: dict) -> dict:
    """A new surface (or formula, or view) resets the start and its bounds to its own; a click on the
    contour map moves it; a start typed, or a panel just built from a link (every control reported at
    once), stays. Sets ``controls``' start to run from and returns the panel's outputs."""
    changed = {prop.rsplit(".", 1)[0] for prop in ctx.triggered_prop_ids}
    same = {k: no_update for k in ("start_x", "start_y", "description", "x_min", "x_max", "y_min", "y_max")}
    # the data settings' store is rewritten whenever the panel is rebuilt: it is a new surface only on data
    resets = set(RESET_START) if controls["surface"] == DATA else set(RESET_START) - {"data-spec"}
    if changed & {"start-x", "start-y"} or not changed & {*resets, "graph-contour"}:
        return {**same, "formula_box": no_update}
    trig = "graph-contour" if "graph-contour" in changed else "surface"
    custom = controls["surface"] == CUSTOM
    view = ((controls["view_x0"], controls["view_x1"]), (controls["view_y0"], controls["view_y1"]))
    scene = Scene(surface=controls["surface"], formula=controls["formula"], view=view if custom else None)
    if controls["surface"] == DATA:  # app.data: the data settings decide the surface
        scene = replace(scene, data=spec_from_store(controls.get("data"))[0])
    clamped = clamp_scene(scene)[0]
    s = clamped.clean_surface()  # an unknown surface or a bad formula falls back, as below
    if trig == "graph-contour":
        controls["sx"], controls["sy"] = _start_from_click(controls["click"], s.domain)
        return {
            **same,
            "start_x": i18n.box_text(controls["sx"]),
            "start_y": i18n.box_text(controls["sy"]),
            "formula_box": no_update,
        }
    controls["sx"], controls["sy"] = s.start
    (x0, x1), (y0, y1) = s.domain
    return {
        "start_x": i18n.box_text(s.start[0]),
        "start_y": i18n.box_text(s.start[1]),
        "description": describe(clamped, s),
        "x_min": x0,
        "x_max": x1,
        "y_min": y0,
        "y_max": y1,
        "formula_box": {} if custom else {"display": "none"},
    }


def _shown(scene: Scene, rule, asked) -> dict:
    """What the page shows after an answer: the step and the arrows' optimizer, and the last question
    of the inspector's gate (``assets/playback.js``, inspectAt) it has answered."""
    seq = asked.get("seq") if isinstance(asked, dict) else None
    return {"k": scene.step, "rule": rule, "seq": seq if is_number(seq) else 0}


# the main view's answer to any control: everything it shows (``recompute``)
MAIN_VIEW = dict(
    surface_figure=Output("graph-3d", "figure"),
    data_figure=Output("graph-data", "figure"),  # app.data's panel, on data landscapes
    contour_figure=Output("graph-contour", "figure"),
    loss_figure=Output("graph-loss", "figure"),
    results=Output("results", "children"),
    summary=Output("summary", "children"),
    query=Output("query", "data"),
    step_max=Output("step", "max"),
    step=Output("step", "value", allow_duplicate=True),
    inspect_options=Output("inspect-rule", "options"),
    inspect_value=Output("inspect-rule", "value"),
    inspector=Output("inspector", "children"),
    inspect_step=Output("inspect-step", "children"),
    shown=Output("inspect-shown", "data", allow_duplicate=True),
    lr_figure=Output("graph-lr", "figure"),
    lr_style=Output("group-lr", "style"),
    notices=Output("control-notices", "children"),
    start_x=Output("start-x", "value"),
    start_y=Output("start-y", "value"),
    description=Output("surface-description", "children"),
    x_min=Output("start-x", "min"),
    x_max=Output("start-x", "max"),
    y_min=Output("start-y", "min"),
    y_max=Output("start-y", "max"),
    formula_box=Output("formula-box", "style"),
    settings=Output("hyper-accordion", "children"),  # the enabled rules' settings, when the list changed
    kept=Output("hyper-kept", "data"),
    open_items=Output("hyper-accordion", "active_item"),
    # the log-scale slider and the exact number show one learning rate: each follows the other here
    lr_boxes=Output({"type": "hp", "rule": ALL, "name": "lr"}, "value"),
    lr_sliders=Output({"type": "lr-slider", "rule": ALL}, "value"),
)


@callback(
    output=MAIN_VIEW,
    inputs=dict(
        surface=Input("surface", "value"),
        roughness=Input("roughness", "value"),
        grad_noise=Input("grad-noise", "value"),
        ensemble=Input("ensemble", "value"),
        seed=Input("seed", "value"),
        sx=Input("start-x", "value"),
        sy=Input("start-y", "value"),
        steps=Input("steps", "value"),
        rules=Input("rules", "value"),
        hyper=Input({"type": "hp", "rule": ALL, "name": ALL}, "value"),
        sliders=Input({"type": "lr-slider", "rule": ALL}, "value"),
        schedules=Input({"type": "sched", "rule": ALL, "name": ALL}, "value"),
        log_loss=Input("log-loss", "value"),
        camera=Input("camera", "value"),
        theme=Input("theme", "value"),
        formula=Input("formula", "value"),
        **{f"view_{k}": Input(f"view-{k}", "value") for k in VIEW},
        click=Input("graph-contour", "clickData"),
        data=Input("data-spec", "data"),  # app.data
    ),
    state=dict(
        flags=State("view-flags", "data"),
        k=State("step", "value"),
        inspect=State("inspect-rule", "value"),
        url=State("loaded-search", "data"),
        asked=State("inspect-at", "data"),
        shown_step_max=State("step", "max"),
        shown_options=State("inspect-rule", "options"),
        shown_lr_style=State("group-lr", "style"),
        kept=State("hyper-kept", "data"),
        open_items=State("hyper-accordion", "active_item"),
        shown_query=State("query", "data"),
        shown=State("inspect-shown", "data"),
        shown_inspect_step=State("inspect-step", "children"),
        shown_notices=State("control-notices", "children"),
    ),
    prevent_initial_call="initial_duplicate",
)
def recompute(**controls):
    """Every control change re-runs the engine and answers for the whole main view in one response:
    figures (a change of one optimizer's setting sends only its traces), table, summary, link, the
    scrubber's range, the inspector and its arrows at the scrubber's step, and (a new surface, or a
    click on the contour map) the start. Nothing else is asked of the server after it."""
    grouping = ctx.args_grouping
    controls["hyper_inputs"], controls["sched_inputs"] = grouping["hyper"], grouping["schedules"]
    moved = _moved_setting(ctx.triggered_id)
    if moved and moved[1] is None:  # the learning rate is the slider's: its box is written by this answer
        controls["hyper_inputs"] = with_slider_lr(controls["hyper_inputs"], grouping["sliders"], moved[0])
    radio = controls["inspect"]  # the arrows' optimizer as the page shows it
    if radio is None:  # first run after a page load: the choice still lives only in the link
        controls["inspect"] = query_to_scene(controls["url"])[0].inspect
    start = _start_outputs(controls)
    scene, notices = scene_from_controls(controls)
    if not ctx.triggered_prop_ids and controls["shown"] and controls["shown_query"] == scene_to_query(scene):
        # asked with no control changed (Dash may ask again for settings boxes that came or went with a
        # ticked rule, laid out by our own answer): the page shows this scene already
        raise PreventUpdate
    patched = moved[0] if moved else None
    if patched is not None and not shows_all_but(controls["shown_query"], scene, patched):
        patched = None  # the figures show another scene (an answer dropped on its way): whole figures
    try:
        part = dict(_scene_part(scene_keyed(scene), patched))  # shared with later answers: copied, not changed
    except ValueError as err:  # the scene is clamped, so this is a last line of defence
        notice = _alerts([i18n.gettext("Could not run this scene: {err}").format(err=err)], "danger")
        return {**dict.fromkeys(MAIN_VIEW, no_update), "notices": notice}
    rule = part.pop("rule")
    part.update(_unchanged(part, controls))
    own = plain_answer(  # the part is plain already
        {
            **start,
            "step": scene.step if controls["k"] != scene.step else no_update,  # fewer steps than the scrubber's
            "inspect_value": rule if radio != rule else no_update,
            "shown": _shown(scene, rule, controls["asked"]),
            "notices": _alerts(notices),
            **_settings_outputs(scene, controls),
        }
    )
    own.update(_unchanged(own, controls))
    if not notices and controls["shown_notices"] is None:
        own["notices"] = no_update  # none before, none now
    own.update(_learning_rate_outputs(scene, moved, own["settings"] is not no_update))
    return {**part, **own}


def _moved_setting(trig) -> tuple[str, str | None] | None:
    """(optimizer, setting) when the change came from one optimizer's own control: one of its settings'
    boxes (the setting's name) or its learning-rate slider (None); None for any other control."""
    if not isinstance(trig, dict) or not isinstance(trig.get("rule"), str):
        return None
    if trig.get("type") == "lr-slider":
        return trig["rule"], None
    if trig.get("type") == "hp" and isinstance(trig.get("name"), str):
        return trig["rule"], trig["name"]
    return None


def slider_lr(log_lr) -> float | None:
    """The learning rate a slider position stands for: 10^position within the allowed range, to three
    significant digits (as the box then shows it); None for a position that is not a number."""
    if not is_number(log_lr) or not math.isfinite(log_lr):
        return None
    lo, hi = HYPER_RANGE["lr"]
    e = min(max(float(log_lr), math.log10(lo)), math.log10(hi))
    return min(max(float(f"{10**e:.3g}"), lo), hi)


def with_slider_lr(hyper_inputs, sliders, rule: str) -> list:
    """The panel's hyperparameter inputs (Dash's ``{id, value}`` list) with ``rule``'s learning rate
    taken from its slider (``sliders``: the same list of the sliders)."""
    items = hyper_inputs if isinstance(hyper_inputs, list) else []
    sliders = sliders if isinstance(sliders, list) else []
    at = [s.get("value") for s in sliders if isinstance(s, dict) and s.get("id") == {"type": "lr-slider", "rule": rule}]
    lr = slider_lr(at[0]) if at else None
    if lr is None:
        return items
    box = {"type": "hp", "rule": rule, "name": "lr"}
    return [{**i, "value": lr} if isinstance(i, dict) and i.get("id") == box else i for i in items]


def _learning_rate_outputs(scene: Scene, moved: tuple[str, str | None] | None, relaid: bool) -> dict:
    """The learning-rate box that follows its slider, or the slider that follows its box (the other
    one of the pair the change came from: ``moved``, ``_moved_setting``), at the scene's learning rate;
    nothing when the settings were laid out anew (they carry the scene's values) or the change came
    from elsewhere."""
    boxes = [no_update] * len(ctx.outputs_grouping["lr_boxes"])
    sliders = [no_update] * len(ctx.outputs_grouping["lr_sliders"])
    rule, setting = moved or (None, "")
    lr = scene.hyper_of(rule).get("lr") if rule in scene.rules else None
    if relaid or not (is_number(lr) and lr > 0):
        return {"lr_boxes": boxes, "lr_sliders": sliders}
    if setting is None:  # the slider moved
        boxes = [i18n.box_text(lr) if o["id"]["rule"] == rule else no_update for o in ctx.outputs_grouping["lr_boxes"]]
    elif setting == "lr":
        ours = [o["id"]["rule"] == rule for o in ctx.outputs_grouping["lr_sliders"]]
        sliders = [math.log10(lr) if mine else no_update for mine in ours]
    return {"lr_boxes": boxes, "lr_sliders": sliders}


def shows_all_but(query, scene: Scene, rule: str) -> bool:
    """Whether the page's figures, drawn for the link ``query`` (its ``query`` store: the last answer's),
    show ``scene`` but for ``rule``'s settings and the scrubber's step and arrows (markers and arrows
    move without the figures): only then does a Patch of ``rule``'s traces make them ``scene``'s. Not
    so after Dash dropped an answer still on its way for a newer request of this callback (a box
    ticked or the ensemble set, then at once a setting changed): the Patch would land on the traces of
    another scene, whose rules and ensemble lay them out otherwise (``figures.roles_2d``)."""
    if not isinstance(query, str):
        return False
    old, _ = query_to_scene(query)
    hyper = {r: h for r, h in scene.hyper.items() if r != rule}
    if rule in old.hyper:
        hyper[rule] = old.hyper[rule]
    return scene_to_query(replace(scene, hyper=hyper, step=old.step, inspect=old.inspect)) == query


def _settings_outputs(scene: Scene, controls: dict) -> dict:
    """A change of the optimizer list lays out the settings of the enabled rules only (newly enabled
    ones opened, with their kept values) and keeps every rule's settings (a rule just disabled: the
    values its boxes had) in ``hyper-kept``; any other change leaves both as they are."""
    changed = {prop.rsplit(".", 1)[0] for prop in ctx.triggered_prop_ids}
    if "rules" not in changed:
        return {"settings": no_update, "kept": no_update, "open_items": no_update}
    items = controls["hyper_inputs"] if isinstance(controls["hyper_inputs"], list) else []
    ids = [i.get("id") for i in items if isinstance(i, dict)]
    had = {i.get("rule") for i in ids if isinstance(i, dict) and isinstance(i.get("rule"), str)}
    opened = controls["open_items"] if isinstance(controls["open_items"], list) else []
    opened = [r for r in opened if r in scene.rules] + [r for r in scene.rules if r not in had and r not in opened]
    return {"settings": settings_items(scene), "kept": kept_settings(scene), "open_items": opened}


# Outputs whose value the page shows is sent as state too: an answer leaves them as they are when they
# did not change. Each output the page receives is a store update that every component on the page
# (about 900) is asked about, so an answer that carries fewer of them is drawn sooner.
SHOWN = {
    "step_max": "shown_step_max",
    "inspect_options": "shown_options",
    "lr_style": "shown_lr_style",
    "inspect_step": "shown_inspect_step",
    "shown": "shown",
}


def _unchanged(part: dict, controls: dict) -> dict:
    """``no_update`` for the outputs of ``part`` in ``SHOWN`` whose new value is the one the page shows."""
    return {out: no_update for out, shown in SHOWN.items() if out in part and part[out] == controls.get(shown)}


def scene_keyed(scene: Scene) -> Keyed:
    """A Scene keyed by its ``repr``, which spells out every field exactly (floats as ``repr``), and the
    language it is shown in: equal keys, equal answers, so one answer serves both."""
    return Keyed((repr(scene), scene.lang or i18n.current()), scene)


@lru_cache(maxsize=ANSWERS_KEPT)
def _scene_part(keyed: Keyed, patched: str | None) -> dict:
    """What the main view's answer says about a scene alone (figures, tables, summary, link,
    inspector), as plain data, kept for the last ``ANSWERS_KEPT`` scenes of this process: a lecture
    hall opening one link, or going back to a setting, is served without running it again.
    ``patched``: the optimizer whose setting changed (only its traces are sent), else None.

    The returned dict is shared: callers copy it (``{**part}``) and never change what is in it."""
    with i18n.use(keyed.key[1]):
        return _scene_answer(keyed.value, patched)


def _scene_answer(scene: Scene, patched: str | None) -> dict:
    surf = surface_of(scene)
    outcomes, events = kept_runs.runs(scene, surf)  # events: once, for the summary and the loss chart
    panel, notes, rule = inspector_view(outcomes, surf, scene)
    return plain_answer(
        {
            **_main_figures(outcomes, surf, scene, events, notes, patched),
            "results": results_table(outcomes),
            "summary": summary_text(outcomes, surf, events),
            "query": scene_to_query(scene),
            "step_max": scene.steps,
            "inspect_options": [{"label": optimizers.RULES[r].label, "value": r} for r in scene.rules],
            "inspector": panel,
            "inspect_step": str(scene.step),
            "rule": rule,
            "data_figure": _data_figure(surf, outcomes, scene),
        }
    )


def _data_figure(surf, outcomes: dict, scene: Scene):
    """The data panel at the scene's step (a data landscape only: the panel is hidden otherwise)."""
    return data_figure(surf, outcomes, scene, scene.step) if getattr(surf, "problem", None) is not None else no_update


def _main_figures(outcomes: dict, surf, scene: Scene, events: dict, notes: list[dict], patched: str | None) -> dict:
    """The four charts: a change of one optimizer's setting (``patched``) sends only its traces
    (Patches); the contour map carries the inspector's arrows (``notes``); the schedule chart is
    hidden without schedules."""
    scheduled = bool(scene.schedules.keys() & outcomes.keys())
    if patched in outcomes and not scene.log_loss:
        f3, fc, fl = rule_patches(patched, outcomes, surf, scene)
        patch_overlays(fl, patched, outcomes, surf, scene, figures.loss_traces_end(outcomes))
    else:
        f3 = figures.surface_figure(surf, outcomes, scene)
        fc = figures.contour_figure(surf, outcomes, scene)
        fl = figures.loss_figure(surf, outcomes, scene, events)
        add_overlays(fc, fl, outcomes, surf, scene)  # app.data: batch losses, epochs, the unregularised minimum
    fc["layout"]["annotations"] = notes
    return {
        "surface_figure": f3,
        "contour_figure": fc,
        "loss_figure": fl,
        "lr_figure": figures.lr_figure(outcomes, scene) if scheduled else no_update,  # hidden: left as it was
        "lr_style": {} if scheduled else {"display": "none"},
    }


@callback(
    output=dict(feedback=Output("formula-feedback", "children")),
    inputs=dict(text=Input("formula", "value")),
    prevent_initial_call=True,
)
def formula_feedback(text):
    """As the formula is entered: where it fails and why, under a copy of the text with a caret."""
    try:
        parse(text)
    except FormulaError as err:
        typed = text if isinstance(text, str) else ""
        caret = " " * max(err.position - 1, 0) + "^" if 0 < err.position <= len(typed) + 1 else ""
        return {
            "feedback": html.Div(
                [html.Pre(f"{typed}\n{caret}" if caret else typed, className="mb-0 text-danger"), err.message],
                className="text-danger",
            )
        }
    return {"feedback": html.Span("✓ formula and its exact gradient are ready", className="text-success")}


@callback(
    output=dict(seed=Output("seed", "value")),
    inputs=dict(clicks=Input("new-seed", "n_clicks")),
    prevent_initial_call=True,
)
def new_seed(clicks):
    return {"seed": secrets.randbelow(1_000_000)}


# The inspector's gate: the scrubber, "Step +1", a pause or another optimizer's arrows ask the server
# (inspect-at) only while paused and only for a step or optimizer the page does not show yet, so the
# main view's own answer (which may set the scrubber's value and the arrows' optimizer) asks for nothing.
clientside_callback(
    ClientsideFunction("playback", "inspectAt"),
    Output("inspect-at", "data"),
    Input("step", "value"),
    Input("inspect-rule", "value"),
    Input("ticker", "disabled"),
    State("inspect-shown", "data"),
    State("inspect-at", "data"),
    prevent_initial_call=True,
)


@callback(
    output=dict(
        inspector=Output("inspector", "children"),
        inspect_step=Output("inspect-step", "children"),
        surface_figure=Output("graph-3d", "figure", allow_duplicate=True),
        contour_figure=Output("graph-contour", "figure", allow_duplicate=True),
        loss_figure=Output("graph-loss", "figure", allow_duplicate=True),
        query=Output("query", "data", allow_duplicate=True),
        shown=Output("inspect-shown", "data", allow_duplicate=True),
        data_figure=Output("graph-data", "figure", allow_duplicate=True),
    ),
    inputs=dict(asked=Input("inspect-at", "data")),
    state=dict(query=State("query", "data"), shown=State("inspect-shown", "data"), store=State("data-spec", "data")),
    prevent_initial_call=True,
)
def inspect_step(asked, query, shown, store):
    """At the paused scrubber's step: each rule's state, one rule's arrows on the contour map and, when
    the step moved, every playback marker: one answer, each graph redrawn once."""
    if not isinstance(query, str):
        raise PreventUpdate  # the main view has not answered yet; its answer draws all of this
    asked = asked if isinstance(asked, dict) else {}
    k, rule = asked.get("k"), asked.get("rule")
    scene, _ = query_to_scene(query)
    scene = replace(scene, step=k if is_number(k) else 0, inspect=rule if isinstance(rule, str) else "")
    scene, _ = clamp_scene(with_upload(scene, store))  # an upload is not in the link: the page's store has it
    surf = surface_of(scene)
    outcomes, _ = kept_runs.runs(replace(scene, ensemble=0), surf)  # the panel reads the single runs only
    panel, notes, rule = inspector_view(outcomes, surf, scene)
    moved = not (isinstance(shown, dict) and shown.get("k") == scene.step)
    f3, fc, fl = marker_patches(outcomes, surf, scene) if moved else (no_update, Patch(), no_update)
    if moved:
        patch_batch_surface(fc, outcomes, surf, scene)  # app.data: the batch of the new step
    fc["layout"]["annotations"] = notes
    return plain_answer(
        {
            "inspector": panel,
            "inspect_step": str(scene.step),
            "surface_figure": f3,
            "contour_figure": fc,
            "loss_figure": fl,
            "query": scene_to_query(scene),
            "shown": _shown(scene, rule, asked),
            "data_figure": _data_figure(surf, outcomes, scene) if moved else no_update,
        }
    )


clientside_callback(
    ClientsideFunction("playback", "scheduleKind"),
    Output({"type": "sched-label", "rule": MATCH, "name": "a"}, "children"),
    Output({"type": "sched-label", "rule": MATCH, "name": "b"}, "children"),
    Output({"type": "sched", "rule": MATCH, "name": "a"}, "value"),
    Output({"type": "sched", "rule": MATCH, "name": "a"}, "disabled"),
    Output({"type": "sched", "rule": MATCH, "name": "b"}, "value"),
    Output({"type": "sched", "rule": MATCH, "name": "b"}, "disabled"),
    Input({"type": "sched", "rule": MATCH, "name": "kind"}, "value"),
    State("schedule-kinds", "data"),
    prevent_initial_call=True,
)
clientside_callback(
    ClientsideFunction("playback", "markers"),
    Output("step-label", "children"),
    Input("step", "value"),
    State("ticker", "disabled"),
)
clientside_callback(
    ClientsideFunction("playback", "toggle"),
    Output("ticker", "disabled"),
    Output("play", "children"),
    Input("play", "n_clicks"),
    State("ticker", "disabled"),
)
clientside_callback(
    ClientsideFunction("playback", "tick"),
    Output("step", "value", allow_duplicate=True),
    Output("ticker", "disabled", allow_duplicate=True),
    Input("ticker", "n_intervals"),
    Input("step-one", "n_clicks"),
    State("speed", "value"),
    State("step", "value"),
    State("step", "max"),
    prevent_initial_call=True,
)
clientside_callback(
    ClientsideFunction("playback", "syncLegend"),
    Output("sink", "children"),
    Input("graph-loss", "restyleData"),
    prevent_initial_call=True,
)
clientside_callback(
    ClientsideFunction("playback", "url"), Output("sink", "title"), Input("query", "data"), prevent_initial_call=True
)
clientside_callback(ClientsideFunction("playback", "theme"), Output("sink", "className"), Input("theme", "value"))
clientside_callback(
    ClientsideFunction("playback", "copyLink"),
    Output("copy-link", "content"),
    Input("copy-link", "n_clicks"),
    prevent_initial_call=True,
)
