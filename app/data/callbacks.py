"""The data settings -> the "data-spec" store (which the main view reads), the upload and its message,
and the link's note about uploads. The data panel's figure comes with the main view's answers
(``app/runs/callbacks.py``), so a change costs one request."""

from __future__ import annotations

from dataclasses import replace

from dash import ClientsideFunction, Input, Output, State, callback, clientside_callback, ctx, no_update

from app.data.layout import shown_for, source_options
from app.data.store import parse_upload, spec_from_store, spec_to_store
from app.state.scene import DATA, clamp_scene, is_number
from i18n import _, ngettext, number
from landscapes.data.csvfile import CsvError, too_large
from landscapes.data.spec import GENERATED, UPLOAD, DataSpec, kind_of

clientside_callback(
    ClientsideFunction("data", "upload"),
    Output("data-upload", "data"),
    Input("data-upload-file", "contents"),
    State("data-upload-file", "filename"),
    State("data-upload-limit", "data"),
    prevent_initial_call=True,
)


# The data settings and the data panel only while the surface is "Loss from data" (in the browser: no
# request of its own; the panel's figure comes with the main view's answer, app/runs/callbacks.py).
clientside_callback(
    ClientsideFunction("data", "shown"),
    Output("data-box", "style"),
    Output("data-panel", "style"),
    Input("surface", "value"),
    State("data-surface-name", "data"),
)


def _upload_outcome(upload, model: str) -> tuple[str, bool]:
    """(message, usable) for the uploaded file."""
    if not isinstance(upload, dict):
        return "", False
    name = str(upload.get("name", ""))[:60]
    if is_number(upload.get("too_large")):  # refused in the browser (assets/data.js) by its size
        return f"✗ {name}: {too_large(int(upload['too_large']))}", False
    try:
        rows = parse_upload(str(upload.get("data", "")), kind_of(model))
    except CsvError as err:
        return f"✗ {name}: {err}", False
    read = ngettext("{count} row read ({kind}).", "{count} rows read ({kind}).", len(rows))
    return "✓ " + name + ": " + read.format(count=number(len(rows), "#,##0"), kind=_(kind_of(model))), True


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
    spec, _notices = spec_from_store(spec_to_store(raw, upload if usable else None))
    clamped, _notices = clamp_scene_data(spec)
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
        "link_note": _(" (your uploaded file is not in the link: who opens it sees generated data)")
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
