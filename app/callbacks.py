"""Callbacks: glue only. Read controls -> Scene -> engine -> figure builders -> outputs."""

from __future__ import annotations

import math
import secrets
from dataclasses import replace

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
    dcc,
    html,
    no_update,
)
from dash.exceptions import PreventUpdate

import optimizers
from app import compute, export, figures, lessons
from app.controls import controls_panel
from app.events import events_of
from app.inspector import arrows, inspect_rule, state_at
from app.lesson_view import COVERED, feedback, lesson_card
from app.notices import shown
from app.panel import RECOMPUTE_NAMES, VIEW, is_number, scene_from_controls
from app.patches import rule_patches
from app.scene import CUSTOM, PANEL_GROUPS, Scene, clamp_scene
from app.summary import results_table, summary_text
from app.urlstate import query_to_scene, scene_to_query
from landscapes.formula import FormulaError, parse


def _alerts(notices: list[str], color: str = "warning"):
    if not notices:
        return None
    return dbc.Alert([html_list(notices)], color=color, dismissable=True, className="py-2 small", id="notice-alert")


def html_list(items: list[str]):
    return html.Ul([html.Li(n) for n in shown(items)], className="mb-0")


@callback(
    Output("controls", "children"),
    Output("notices", "children"),
    Output("theme", "value"),
    Output("view-flags", "data"),
    Output("controls-col", "className"),
    Output("views-col", "lg"),
    Output("header", "className"),
    Output("group-playback", "className"),
    Output("group-inspector", "style"),
    Output("results", "style"),
    Output("step", "value"),
    Output("loaded-search", "data"),
    Output("lesson-card", "children"),
    Output("tabs-wrap", "className"),
    Input("url", "search"),
    State("loaded-search", "data"),
)
def load_scene_from_url(search, loaded):
    """On page load: the URL's scene fills every control (bad values fall back, with a notice).
    A lesson's link opens that step's scene, prompt and question (the charts stay covered until
    the prediction is made)."""
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
    hidden = {"display": "none"}
    panel_hidden = scene.embed and not (scene.panel and not all(g in scene.hide for g in PANEL_GROUPS))
    return (
        controls_panel(scene),
        _alerts(notices),
        scene.theme,
        {
            "embed": scene.embed,
            "panel": scene.panel,
            "hide": list(scene.hide),
            "lock": list(scene.lock),
            "lesson": scene.lesson,
            "lstep": scene.lesson_step,
        },
        "d-none" if panel_hidden else "mb-3",
        12 if panel_hidden else 9,
        "d-none" if scene.embed else "mb-2 border-bottom",
        "d-none" if "playback" in scene.hide else "d-flex align-items-center mb-2",
        hidden if "inspector" in scene.hide else {},
        hidden if "table" in scene.hide else {},
        scene.step,
        search if isinstance(search, str) else "",
        card,
        covered,
    )


@callback(
    Output("lesson-feedback", "children"),
    Output("tabs-wrap", "className", allow_duplicate=True),
    Input("lesson-check", "n_clicks"),
    State("lesson-choice", "value"),
    State("view-flags", "data"),
    prevent_initial_call=True,
)
def check_answer(clicks, choice, flags):
    """The student's prediction against the run itself; then the charts are revealed."""
    if not clicks:
        raise PreventUpdate  # the button was just created
    scene = (
        clamp_scene(Scene(lesson=flags.get("lesson", ""), lesson_step=flags.get("lstep", 0)))[0]
        if isinstance(flags, dict)
        else Scene()
    )
    lesson, index, _ = lessons.find(scene)
    if lesson is None or lesson.steps[index].question is None:
        raise PreventUpdate
    q = lesson.steps[index].question
    if not (isinstance(choice, int) and 0 <= choice < len(q.choices)):
        return html.Span("Pick one answer first.", className="text-warning"), no_update
    right = lessons.right_choice(lesson, index)
    return feedback(choice == right, q.choices[right].text, q.explain), ""


@callback(
    Output("graph-3d", "figure"),
    Output("graph-contour", "figure"),
    Output("graph-loss", "figure"),
    Output("results", "children"),
    Output("summary", "children"),
    Output("query", "data"),
    Output("step", "max"),
    Output("inspect-rule", "options"),
    Output("inspect-rule", "value"),
    Output("graph-lr", "figure"),
    Output("group-lr", "style"),
    Output("control-notices", "children"),
    Input("surface", "value"),
    Input("roughness", "value"),
    Input("grad-noise", "value"),
    Input("ensemble", "value"),
    Input("seed", "value"),
    Input("start-x", "value"),
    Input("start-y", "value"),
    Input("steps", "value"),
    Input("rules", "value"),
    Input({"type": "hp", "rule": ALL, "name": ALL}, "value"),
    Input({"type": "sched", "rule": ALL, "name": ALL}, "value"),
    Input("log-loss", "value"),
    Input("theme", "value"),
    Input("formula", "value"),
    *[Input(f"view-{k}", "value") for k in VIEW],
    State("view-flags", "data"),
    State("step", "value"),
    State("inspect-rule", "value"),
    State("loaded-search", "data"),
)
def recompute(*values):
    """Every control change re-runs the engine; a change of one optimizer's setting sends only its traces."""
    controls = dict(zip(RECOMPUTE_NAMES, values, strict=True))
    controls["hyper_inputs"], controls["sched_inputs"] = ctx.inputs_list[9], ctx.inputs_list[10]
    if controls["inspect"] is None:  # first run after a page load: the choice still lives only in the link
        controls["inspect"] = query_to_scene(controls["url"])[0].inspect
    scene, notices = scene_from_controls(controls)
    try:
        surf = compute.surface_of(scene)
        outcomes = compute.run_scene(scene, surf)
    except ValueError as err:  # the scene is clamped, so this is a last line of defence
        return (*[no_update] * 11, _alerts([f"Could not run this scene: {err}"], "danger"))
    trig = ctx.triggered_id
    events = {r: events_of(o, surf) for r, o in outcomes.items()}  # once, for the summary and the loss chart
    summary = summary_text(outcomes, surf, events)
    options = [{"label": optimizers.RULES[r].label, "value": r} for r in scene.rules]
    shown = inspect_rule(scene.rules, scene.inspect)
    scheduled = bool(scene.schedules.keys() & outcomes.keys())
    lr_chart = figures.lr_figure(outcomes, scene) if scheduled else no_update  # hidden: left as it was
    lr_style = {} if scheduled else {"display": "none"}
    tail = (
        results_table(outcomes),
        summary,
        scene_to_query(scene),
        scene.steps,
        options,
        shown,
        lr_chart,
        lr_style,
        _alerts(notices),
    )
    if isinstance(trig, dict) and trig.get("type") == "hp" and trig["rule"] in outcomes and not scene.log_loss:
        return (*rule_patches(trig["rule"], outcomes, surf, scene), *tail)
    return (
        figures.surface_figure(surf, outcomes, scene),
        figures.contour_figure(surf, outcomes, scene),
        figures.loss_figure(surf, outcomes, scene, events),
        *tail,
    )


@callback(
    Output("start-x", "value"),
    Output("start-y", "value"),
    Output("surface-description", "children"),
    Output("start-x", "min"),
    Output("start-x", "max"),
    Output("start-y", "min"),
    Output("start-y", "max"),
    Output("formula-box", "style"),
    Input("surface", "value"),
    Input("graph-contour", "clickData"),
    Input("formula", "value"),
    *[Input(f"view-{k}", "value") for k in VIEW],
    prevent_initial_call=True,
)
def pick_start(surface, click, formula, *view):
    """A new surface (or formula) resets the start and its bounds to its own; a click on the contour
    map moves it."""
    custom = surface == CUSTOM
    scene = Scene(surface=surface, formula=formula, view=((view[0], view[1]), (view[2], view[3])) if custom else None)
    s = clamp_scene(scene)[0].clean_surface()  # an unknown surface or a bad formula falls back, as in recompute
    (x0, x1), (y0, y1) = s.domain
    if ctx.triggered_id == "graph-contour":
        try:
            point = click["points"][0]
            x, y = float(point["x"]), float(point["y"])
        except (KeyError, TypeError, ValueError, IndexError):  # not a click on the map
            raise PreventUpdate from None
        if not (math.isfinite(x) and math.isfinite(y)):
            raise PreventUpdate
        return round(min(max(x, x0), x1), 4), round(min(max(y, y0), y1), 4), *[no_update] * 6
    return s.start[0], s.start[1], s.description, x0, x1, y0, y1, {} if custom else {"display": "none"}


@callback(Output("formula-feedback", "children"), Input("formula", "value"), prevent_initial_call=True)
def formula_feedback(text):
    """As the formula is entered: where it fails and why, under a copy of the text with a caret."""
    try:
        parse(text)
    except FormulaError as err:
        shown = text if isinstance(text, str) else ""
        caret = " " * max(err.position - 1, 0) + "^" if 0 < err.position <= len(shown) + 1 else ""
        return html.Div(
            [html.Pre(f"{shown}\n{caret}" if caret else shown, className="mb-0 text-danger"), err.message],
            className="text-danger",
        )
    return html.Span("✓ formula and its exact gradient are ready", className="text-success")


@callback(Output("seed", "value"), Input("new-seed", "n_clicks"), prevent_initial_call=True)
def new_seed(_):
    return secrets.randbelow(1_000_000)


# The log-scale slider and the exact number show the same learning rate. In the browser: a server
# round trip here would come before the recompute's and add its latency to every slider move.
clientside_callback(
    ClientsideFunction("playback", "syncLearningRate"),
    Output({"type": "lr-slider", "rule": MATCH}, "value"),
    Output({"type": "hp", "rule": MATCH, "name": "lr"}, "value"),
    Input({"type": "lr-slider", "rule": MATCH}, "value"),
    Input({"type": "hp", "rule": MATCH, "name": "lr"}, "value"),
    State("lr-range", "data"),
    prevent_initial_call=True,
)


def _inspector_table(states: list[dict]):
    """One column per optimizer, one row per quantity (blank where a rule has no such state)."""
    names: list[str] = []
    for st in states:
        names += [n for n, _ in st["rows"] if n not in names]
    head = html.Thead(html.Tr([html.Th("")] + [html.Th(st["label"]) for st in states]))
    body = html.Tbody(
        [
            html.Tr([html.Th(n, className="fw-normal")] + [html.Td(dict(st["rows"]).get(n, "")) for st in states])
            for n in names
        ]
    )
    return dbc.Table([head, body], size="sm", className="small mb-0", id="inspector-table", responsive=True)


@callback(
    Output("inspector", "children"),
    Output("inspect-step", "children"),
    Output("graph-contour", "figure", allow_duplicate=True),
    Output("query", "data", allow_duplicate=True),
    Input("step", "value"),
    Input("inspect-rule", "value"),
    Input("ticker", "disabled"),
    State("query", "data"),
    prevent_initial_call=True,
)
def inspect_step(k, rule, paused, query):
    """At the scrubber's step (while paused): each rule's state, and one rule's arrows on the contour map."""
    if paused is False or not isinstance(query, str):
        raise PreventUpdate  # playing: the markers move in the browser; the panel waits for the pause
    scene, _ = query_to_scene(query)
    scene, _ = clamp_scene(replace(scene, step=k if is_number(k) else 0, inspect=rule if isinstance(rule, str) else ""))
    surf = compute.surface_of(scene)
    outcomes = compute.run_scene(replace(scene, ensemble=0), surf)  # the panel reads the single runs only
    patch = Patch()
    shown = inspect_rule(scene.rules, scene.inspect)
    notes, scale = arrows(outcomes[shown], scene.step, surf, scene.grad_noise) if shown else ([], 1.0)
    patch["layout"]["annotations"] = notes
    if not outcomes:
        return html.P("No optimizer is enabled."), str(scene.step), patch, scene_to_query(scene)
    table = _inspector_table([state_at(o, scene.step) for o in outcomes.values()])
    key = [html.Span([html.B(a["text"], style={"color": a["arrowcolor"]}), f" {a['name']}  "]) for a in notes]
    caption = html.P(
        [f"Arrows for {optimizers.RULES[shown].label} from its point, one scale (×{scale:.3g}): ", *key],
        className="text-body-secondary mb-1",
    )
    return [caption, table], str(scene.step), patch, scene_to_query(scene)


clientside_callback(
    ClientsideFunction("playback", "clampStep"),
    Output("step", "value", allow_duplicate=True),
    Input("step", "max"),
    State("step", "value"),
    prevent_initial_call=True,
)


EXPORTS = {
    "export-csv": ("csv", lambda scene, surf, out: export.to_csv(out)),
    "export-json": ("json", lambda scene, surf, out: export.to_json(scene, out, surf)),
    "export-numpy": ("py", lambda scene, surf, out: export.numpy_script(scene)),
    "export-torch": ("py", lambda scene, surf, out: export.torch_script(scene)),
}


@callback(
    Output("download", "data"),
    *[Input(item, "n_clicks") for item in EXPORTS],
    State("query", "data"),
    prevent_initial_call=True,
)
def download_export(*args):
    """The scene on screen (from its link, so the file matches the URL) as the chosen file."""
    query = args[-1]
    if ctx.triggered_id not in EXPORTS or not isinstance(query, str):
        raise PreventUpdate
    scene, _ = query_to_scene(query)
    surf = compute.surface_of(scene)
    suffix, make = EXPORTS[ctx.triggered_id]
    kind = ctx.triggered_id.removeprefix("export-")
    name = f"gradient-descent-{scene.surface}-{kind}.{suffix}"
    outcomes = compute.run_scene(replace(scene, ensemble=0), surf)  # files hold the single runs, not the ensembles
    return dcc.send_string(make(scene, surf, outcomes), name)


clientside_callback(
    ClientsideFunction("export", "image"),
    Output("export-sink", "children"),
    Input("export-contour-svg", "n_clicks"),
    Input("export-loss-svg", "n_clicks"),
    Input("export-3d-png", "n_clicks"),
    prevent_initial_call=True,
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
clientside_callback(ClientsideFunction("playback", "markers"), Output("step-label", "children"), Input("step", "value"))
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
