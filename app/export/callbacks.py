"""The Export menu's callbacks: files written by the server, images drawn by the browser."""

from __future__ import annotations

from dataclasses import replace

from dash import ClientsideFunction, Input, Output, State, callback, clientside_callback, ctx, dcc
from dash.exceptions import PreventUpdate

from analysis.outcomes import run_scene, surface_of
from app.export import formats
from app.export.menu import FILES
from app.state.link import query_to_scene

WRITERS = {  # menu item -> (file suffix, writer of the scene, its surface and its single runs)
    "export-csv": ("csv", lambda scene, surf, out: formats.to_csv(out, surf)),
    "export-json": ("json", lambda scene, surf, out: formats.to_json(scene, out, surf)),
    "export-numpy": ("py", lambda scene, surf, out: formats.numpy_script(scene)),
    "export-torch": ("py", lambda scene, surf, out: formats.torch_script(scene)),
}


@callback(
    output=dict(download=Output("download", "data")),
    inputs=dict(clicks={item: Input(item, "n_clicks") for item in FILES}),
    state=dict(query=State("query", "data")),
    prevent_initial_call=True,
)
def download_export(clicks, query):
    """The scene on screen (from its link, so the file matches the URL) as the chosen file."""
    item = ctx.triggered_id
    if item not in WRITERS or not isinstance(query, str):
        raise PreventUpdate
    scene, _ = query_to_scene(query)
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
