"""The Export menu's callbacks: files written by the server, images drawn by the browser."""

from __future__ import annotations

from dataclasses import replace

from dash import ClientsideFunction, Input, Output, State, callback, clientside_callback, ctx, dcc, no_update
from dash.exceptions import PreventUpdate

import i18n
from analysis.outcomes import run_scene, surface_of
from animate import offline, plan
from app.data.store import with_upload
from app.explore import job_view
from app.export import formats
from app.export.menu import FILES
from app.language.switch import with_lang
from app.state.link import query_to_scene
from app.state.scene import clamp_scene
from i18n import N_, _
from i18n.request import from_query
from landscapes.data.spec import UPLOAD

WRITERS = {  # menu item -> (file suffix, writer of the scene, its surface and its single runs)
    "export-csv": ("csv", lambda scene, surf, out: formats.to_csv(out, surf)),
    "export-json": ("json", lambda scene, surf, out: formats.to_json(scene, out, surf)),
    "export-numpy": ("py", lambda scene, surf, out: formats.numpy_script(scene)),
    "export-torch": ("py", lambda scene, surf, out: formats.torch_script(scene)),
    "export-html": ("html", lambda scene, surf, out: offline.page(scene)),
}


@callback(
    output=dict(download=Output("download", "data")),
    inputs=dict(clicks={item: Input(item, "n_clicks") for item in FILES}),
    state=dict(query=State("query", "data"), store=State("data-spec", "data")),
    prevent_initial_call=True,
)
def download_export(clicks, query, store):
    """The scene on screen (from its link, so the file matches the URL, and an uploaded data set from
    the page, which no link carries) as the chosen file."""
    item = ctx.triggered_id
    if item not in WRITERS or not isinstance(query, str):
        raise PreventUpdate
    scene, _notices = clamp_scene(with_upload(query_to_scene(query)[0], store))
    surf = surface_of(scene)
    suffix, write = WRITERS[item]
    name = f"gradient-descent-{scene.surface}-{item.removeprefix('export-')}.{suffix}"
    outcomes = run_scene(replace(scene, ensemble=0), surf)  # files hold the single runs, not the ensembles
    return {"download": dcc.send_string(write(scene, surf, outcomes), name)}


clientside_callback(
    ClientsideFunction("export", "image"),
    Output("export-sink", "children"),
    Input("export-contour-svg", "n_clicks"),
    Input("export-loss-svg", "n_clicks"),
    Input("export-3d-png", "n_clicks"),
    prevent_initial_call=True,
)


_UPLOAD_NOTE = N_(
    "Your uploaded file is not in the link, and an animation is rendered from the link: it shows the "
    "link's generated data. Export the CSV or the scripts to keep your own data."
)


def _with_page_lang(query: str) -> str:
    """The link with the page's language (the render job has no request: its words follow ``lang=``)."""
    return query if from_query(query) else with_lang(query, i18n.current())


@callback(
    output=dict(is_open=Output("anim-modal", "is_open")),
    inputs=dict(clicks=Input("export-animation", "n_clicks")),
    prevent_initial_call=True,
)
def open_animation(clicks):
    return {"is_open": True}


@callback(
    output=dict(**job_view.outputs("anim"), download=Output("anim-download", "data")),
    inputs=job_view.inputs("anim"),
    state=dict(
        **job_view.state("anim"),
        fmt=State("anim-format", "value"),
        frames=State("anim-frames", "value"),
        width=State("anim-width", "value"),
        fps=State("anim-fps", "value"),
        loss=State("anim-loss", "value"),
        turn=State("anim-turn", "value"),
        store=State("data-spec", "data"),
    ),
    prevent_initial_call=True,
)
def render_animation(
    run, tick, cancel, query, search, job, client, fmt, frames, width, fps, loss, turn=None, store=None
):
    """Render (or join an identical render of) the scene on screen as GIF or MP4 through the job
    queue; the progress bar counts frames; the file downloads when it is done."""

    def submit():
        req, notices = plan.clamp(
            {
                "query": _with_page_lang(job_view.link(query, search) or ""),
                "fmt": fmt,
                "frames": frames,
                "width": width,
                "fps": fps,
                "loss": isinstance(loss, list) and "loss" in loss,
                "turn": isinstance(turn, list) and "turn" in turn,
            }
        )
        if isinstance(store, dict) and store.get("source") == UPLOAD:  # a job's scene is its link's
            notices = [*notices, _(_UPLOAD_NOTE)]
        return "animate.video:job", req.payload(), notices

    out, data = job_view.flow(ctx.triggered_id, "anim", submit, job, client, unit=N_("frames"))
    if data is None:
        return {**out, "download": no_update}
    suffix = "mp4" if data[4:8] == b"ftyp" else "gif"
    return {**out, "download": dcc.send_bytes(data, f"gradient-descent-animation.{suffix}")}
