"""Dash's text for a pattern-matched component's id, remembered instead of written anew each request.

The main view's callback takes every optimizer's settings and schedules as pattern-matched inputs
(``{"type": "hp", "rule": ..., "name": ...}``: about 130 components), and Dash writes each one's id
as text twice per request (``dash._utils.stringify_id``: ``json.dumps`` of every key and value, in
``inputs_to_dict`` and ``update_args_group``): about 1,500 small ``json.dumps`` calls, 1.5 of the
~2 ms Dash spends reading a main-view request (``python -m bench.request_cost``). The ids are the
same few hundred on every request, so their text is kept (at most ``MAX_KEPT``).

Only small ids whose keys and values are all ``str`` are remembered (the app's ids are): for them the
text depends on the items alone. Any other id (a number, ``True``, ``-0.0``: values that compare equal
but are written differently; or long texts, which would make the kept ones big) goes to Dash's own
function. The pinned Dash (requirements.txt) is what
``tests/test_serving_dash_ids.py`` checks this against: same text for every id, same answers.
"""

from __future__ import annotations

import dash._callback
import dash._grouping
import dash._utils

DASH_STRINGIFY_ID = dash._utils.stringify_id
MAX_KEPT = 4096  # ids, each of at most MAX_ITEMS short texts: well under 10 MB however hostile the ids
MAX_ITEMS, MAX_CHARS = 4, 64
MODULES = (dash._utils, dash._grouping, dash._callback)  # where Dash calls it by that name


_KEPT: dict[tuple, str] = {}


def _keepable(id_: dict) -> bool:
    return len(id_) <= MAX_ITEMS and all(
        type(k) is str and type(v) is str and len(k) <= MAX_CHARS >= len(v) for k, v in id_.items()
    )


def stringify_id(id_) -> str:
    """``dash._utils.stringify_id(id_)``: a dict id of strings from the kept texts, anything else by Dash.

    The kept texts are looked up by the id's items as they are; only all-``str`` ones are ever kept,
    and no other JSON value (number, bool, None) equals a ``str``, so no other id can find one.
    """
    if not isinstance(id_, dict):
        return DASH_STRINGIFY_ID(id_)
    try:
        items = tuple(id_.items())
        text = _KEPT.get(items)
    except TypeError:  # a list or dict among the values: not hashable, never kept
        return DASH_STRINGIFY_ID(id_)
    if text is None:
        text = DASH_STRINGIFY_ID(id_)
        if _keepable(id_):
            if len(_KEPT) >= MAX_KEPT:
                _KEPT.clear()  # a stream of new ids: start again (the app's own come back at once)
            _KEPT[items] = text
    return text


def install() -> None:
    """Have Dash use ``stringify_id`` (once per process; the app's ``create_app`` calls it)."""
    for module in MODULES:
        module.stringify_id = stringify_id
