"""Refuse malformed callback requests with a 400 and a plain message, before Dash sees them.

Dash's renderer always sends well-formed bodies to ``/_dash-update-component``; a hand-made or
hostile one (unknown output, wrong number of inputs, items that are not ``{id, property}``)
would make Dash raise and the server answer 500. Values inside a well-formed body are the
callbacks' business: they clamp or refuse them with a visible notice.
"""

from __future__ import annotations

import flask
from dash import Dash

ENDPOINT_SUFFIX = "_dash-update-component"
MAX_BODY = 256 * 1024  # the panel's largest request is about 6 KB


def _is_prop(item) -> bool:
    return isinstance(item, dict) and "id" in item and isinstance(item.get("property"), str)


def _matches(got, expected: list) -> bool:
    """``got`` has one entry per expected input: a {id, property} item, or a list of them (wildcards)."""
    if not isinstance(got, list) or len(got) != len(expected):
        return False
    for item in got:
        items = item if isinstance(item, list) else [item]
        if not all(_is_prop(i) for i in items):
            return False
    return True


def problem(body, callback_map: dict) -> str | None:
    """What is wrong with a callback request ``body``, or None when Dash can dispatch it."""
    if not isinstance(body, dict):
        return "the request body must be a JSON object"
    output = body.get("output")
    if not isinstance(output, str) or output not in callback_map:
        return "unknown callback output"
    spec = callback_map[output]
    if not _matches(body.get("inputs"), spec.get("inputs", [])):
        return "the inputs do not match the callback"
    if not _matches(body.get("state", []), spec.get("state", [])):
        return "the state does not match the callback"
    outputs = body.get("outputs")
    many = output.startswith("..")
    if many and not (isinstance(outputs, list) and outputs and all(_is_prop(o) for o in outputs)):
        return "the outputs do not match the callback"
    if not many and not _is_prop(outputs):
        return "the outputs do not match the callback"
    changed = body.get("changedPropIds", [])
    if not (isinstance(changed, list) and all(isinstance(c, str) for c in changed)):
        return "changedPropIds must be a list of strings"
    return None


def guard(dash_app: Dash) -> None:
    """Check every callback request first (runs after Dash's own setup hook)."""

    @dash_app.server.before_request
    def _check_callback_request():
        if flask.request.method != "POST" or not flask.request.path.endswith(ENDPOINT_SUFFIX):
            return None
        if (flask.request.content_length or 0) > MAX_BODY:
            return flask.jsonify(error="request too large"), 413
        body = flask.request.get_json(silent=True)
        reason = problem(body, dash_app.callback_map)
        if reason:
            return flask.jsonify(error=f"malformed callback request: {reason}"), 400
        return None
