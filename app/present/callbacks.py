"""Browser-side glue of the drawer and the projector mode (no server round trips)."""

from __future__ import annotations

from dash import ClientsideFunction, Input, Output, State, clientside_callback

clientside_callback(
    ClientsideFunction("present", "drawer"),
    Output("controls-drawer", "className"),
    Input("drawer-open", "n_clicks"),
    Input("drawer-fab", "n_clicks"),
    Input("drawer-close", "n_clicks"),
    State("controls-drawer", "className"),
    prevent_initial_call=True,
)

clientside_callback(
    ClientsideFunction("present", "links"),
    Output("present-link", "href"),
    Output("present-exit", "href"),
    Input("view-flags", "data"),  # the scene's query: followed in the browser (assets/present.js)
)
