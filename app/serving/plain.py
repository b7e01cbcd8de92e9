"""Callback answers as plain JSON-ready data, so that Dash's serialiser takes orjson's fast path.

Dash serialises every answer with ``plotly.io.json.to_json_plotly``, which first tries
``orjson.dumps`` on the answer as it is and, when that raises (a Dash component, a ``Patch``, a
numpy array that is not C-contiguous anywhere in it), walks the *whole* answer in Python to clean
it, figures included: about three quarters of the serialising time of a main-view answer
(~4 ms of ~16 ms per answer on this machine). ``plain`` converts the few values that cannot go
straight to orjson into the very data Dash would have sent for them (a component's
``to_plotly_json``, recursively; a Patch's operations), and leaves figures' arrays alone.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from dash import Patch
from dash.development.base_component import Component

_LEAVES = frozenset({str, int, float, bool, type(None)})  # returned as they are, known by their exact type


def plain(value: Any) -> Any:
    """``value`` with every Dash component and Patch in it replaced by its JSON form, and every
    non-contiguous numpy array made contiguous; dicts, lists and tuples are walked, arrays and
    scalars returned as they are. (The common exact types are told apart first: an answer's
    markup has hundreds of texts and small dicts, and each ``isinstance`` test costs a call.)"""
    kind = type(value)
    if kind in _LEAVES:
        return value
    if kind is dict:
        return {k: plain(v) for k, v in value.items()}
    if kind is list or kind is tuple:
        return [plain(v) for v in value]
    if isinstance(value, (Component, Patch)):
        return plain(value.to_plotly_json())
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, np.ndarray) and not value.flags.c_contiguous:
        return np.ascontiguousarray(value)
    return value


def plain_answer(answer: dict[str, Any]) -> dict[str, Any]:
    """A dict-signature callback's answer with its components, Patches and lists made ``plain``.

    Outputs that are dicts (figures) are passed on unwalked, as walking them costs most of what this
    saves: their arrays are built contiguous (``tests/test_app_units.py`` checks that the main view's
    answers go through orjson's fast path). ``no_update`` stays: Dash drops it before serialising.
    """
    return {name: plain(value) if isinstance(value, WALKED) else value for name, value in answer.items()}


WALKED = (Component, Patch, list, tuple, np.ndarray)
HTML = "dash_html_components"
BOOTSTRAP = "dash_bootstrap_components"


def element(kind: str, children: Any = None, *, namespace: str = HTML, **props: Any) -> dict[str, Any]:
    """The JSON form Dash sends for ``html.<kind>(children, **props)`` (or another ``namespace``'s
    component), built directly: for tables of many cells, whose component objects would cost more
    to construct and convert (Dash checks every constructor's arguments) than the rest of the answer.
    ``children`` may hold components; they are made ``plain``. Props are not checked: use the names
    the component declares (``tests/test_main_view_answers.py`` compares with Dash's own form)."""
    if children is not None:
        props = {"children": plain(children), **props}
    return {"props": props, "type": kind, "namespace": namespace}
