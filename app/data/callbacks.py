"""The data settings -> the "data-spec" store (which the main view reads), the upload and its message,
the data panel at the scrubber's step, and the link's note about uploads."""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from dash import ClientsideFunction, Input, Output, State, callback, clientside_callback, ctx, no_update

from analysis.outcomes import run_scene, surface_of
from app.data.figures import data_figure
from app.data.layout import shown_for, source_options
from app.data.store import parse_upload, spec_from_store, spec_to_store
from app.state.link import query_to_scene
from app.state.scene import DATA, clamp_scene
from landscapes.data.csvfile import CsvError
from landscapes.data.spec import GENERATED, KIND, UPLOAD, DataSpec

clientside_callback(
    ClientsideFunction("data", "upload"),
    Output("data-upload", "data"),
    Input("data-upload-file", "contents"),
    State("data-upload-file", "filename"),
    State("data-upload-limit", "data"),
    prevent_initial_call=True,
)


@callback(
    output=dict(box=Output("data-box", "style"), panel=Output("data-panel", "style")),
    inputs=dict(surface=Input("surface", "value")),
)
def show_data(surface):
    """The data settings and the data panel only while the surface is "Loss from data"."""
    shown = {} if surface == DATA else {"display": "none"}
    return {"box": shown, "panel": shown}


def _upload_outcome(upload, model: str) -> tuple[str, bool]:
    """(message, usable) for the uploaded file."""
    if not isinstance(upload, dict):
        return "", False
    name = str(upload.get("name", ""))[:60]
    if upload.get("error"):
        return f"✗ {name}: {upload['error']}", False
    try:
        rows = parse_upload(str(upload.get("data", "")), KIND.get(model, "regression"))
    except CsvError as err:
        return f"✗ {name}: {err}", False
    return f"✓ {name}: {len(rows):,} rows read ({KIND.get(model, 'regression')}).", True


@callback(
    output=dict(
        spec=Output("data-spec", "data"),
        message=Output("data-upload-message", "children"),
        options=Output("data-source", "options"),
        source=Output("data-source", "value"),
        batch_max=Output("data-batch", "max"),
        marks=Output("data-batch", "marks"),
        generator=Output("data-generator", "style"),
        outliers_row=Output("data-outliers-row", "style"),
        shape_row=Output("data-shape-row", "style"),
        link_note=Output("data-link-note", "children"),
    ),
    inputs=dict(
        model=Input("data-model", "value"),
        source=Input("data-source", "value"),
        n=Input("data-n", "value"),
        noise=Input("data-noise", "value"),
        outliers=Input("data-outliers", "value"),
        shape=Input("data-shape", "value"),
        seed=Input("data-seed", "value"),
        batch=Input("data-batch", "value"),
        flags=Input("data-flags", "value"),
        lam=Input("data-lam", "value"),
        reg=Input("data-reg", "value"),
        upload=Input("data-upload", "data"),
    ),
    prevent_initial_call=True,
)
def data_settings(model, source, n, noise, outliers, shape, seed, batch, flags, lam, reg, upload):
    """Every data control into one store; a good upload becomes the data, a bad one is named and refused."""
    message, usable = _upload_outcome(upload, model)
    if ctx.triggered_id == "data-upload" and usable:
        source = UPLOAD
    if source == UPLOAD and not usable:
        source = GENERATED
    flags = flags if isinstance(flags, list) else []
    raw = DataSpec(model=model, source=source, n=n, noise=noise, outliers=outliers, shape=shape, data_seed=seed)
    raw = replace(raw, batch=batch, lam=lam, reg=reg, drop_last="drop_last" in flags, reg_bias="reg_bias" in flags)
    raw = replace(raw, batch_surface="batch_surface" in flags)
    spec, _ = spec_from_store(spec_to_store(raw, upload if usable else None))
    clamped, _ = clamp_scene_data(spec)
    size = len(clamped.points) if clamped.points else _size(clamped)
    options = source_options(clamped.model, str(upload.get("name", ""))[:40] if usable else "")
    return {
        "spec": spec_to_store(clamped, upload if usable and clamped.source == UPLOAD else None),
        "message": message,
        "options": options,
        "source": clamped.source if clamped.source != source else no_update,
        "batch_max": size,
        "marks": {1: "1", min(32, size): str(min(32, size)), size: f"N={size}"},
        "generator": {} if clamped.source == GENERATED else {"display": "none"},
        "outliers_row": shown_for(clamped.model, "regression"),
        "shape_row": shown_for(clamped.model, "classification"),
        "link_note": " (your uploaded file is not in the link: who opens it sees generated data)"
        if clamped.source == UPLOAD
        else "",
    }


def clamp_scene_data(spec: DataSpec) -> tuple[DataSpec, list[str]]:
    from app.state.scene import Scene

    scene, notices = clamp_scene(Scene(surface=DATA, data=spec, rules=()))
    return scene.data, notices


def _size(spec: DataSpec) -> int:
    from landscapes.data import generators

    return len(generators.real(spec.source)[1]) if spec.source in generators.REAL else spec.n


@lru_cache(maxsize=4)
def _outcomes(query: str, upload_key: str, store_json: str):
    import json

    scene, _ = query_to_scene(query)
    if scene.surface != DATA:
        return None, None, None
    if upload_key:
        spec, _ = spec_from_store(json.loads(store_json))
        scene, _ = clamp_scene(replace(scene, data=spec))
    surface = surface_of(scene)
    return scene, surface, run_scene(scene, surface)


@callback(
    output=dict(figure=Output("graph-data", "figure")),
    inputs=dict(query=Input("query", "data"), k=Input("step", "value")),
    state=dict(store=State("data-spec", "data")),
)
def data_panel(query, k, store):
    """The data panel at step k of the scene the main view last drew."""
    if not isinstance(query, str) or "surface=data" not in query:
        return {"figure": no_update}
    import json

    upload = store.get("upload") if isinstance(store, dict) and store.get("source") == UPLOAD else None
    key = str(hash(upload.get("data", ""))) if isinstance(upload, dict) else ""
    scene, surface, outcomes = _outcomes(query, key, json.dumps(store) if key else "")
    if scene is None:
        return {"figure": no_update}
    return {"figure": data_figure(surface, outcomes, scene, k if isinstance(k, int) else scene.step)}
