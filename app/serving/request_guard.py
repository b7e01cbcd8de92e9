"""Refuse malformed callback requests with a 400 and a plain message, before Dash sees them.

Dash's renderer always sends well-formed bodies to ``/_dash-update-component``; a hand-made or
hostile one (unknown output, wrong number of inputs, items that are not ``{id, property}``)
would make Dash raise and the server answer 500. Values inside a well-formed body are the
callbacks' business: they clamp or refuse them with a visible notice.

Limits, checked before anything is parsed or dispatched (none echoes the input back):

- the body: at most ``MAX_BODY`` bytes, also when it comes chunked (Flask's
  ``MAX_CONTENT_LENGTH``: the stream is read no further than that; 413 beyond);
- JSON nested at most ``MAX_DEPTH`` levels (the page's deepest request has 4);
- no string longer than ``MAX_TEXT`` characters (the longest a page sends is its address), and no
  lone surrogate (``"\\ud800"``: not text, and it cannot be encoded in an answer).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache

import flask
import numpy as np
from dash import Dash
from dash.dependencies import ALL, ALLSMALLER, MATCH, Output
from werkzeug.exceptions import RequestEntityTooLarge

from landscapes.data.csvfile import MAX_BYTES

ENDPOINT_SUFFIX = "_dash-update-component"
MAX_BODY = 256 * 1024  # the panel's largest request is about 6 KB
MAX_DEPTH = 32
MAX_TEXT = 10_000  # characters; a link is at most 8,190 bytes on its way in (gunicorn.conf.py)
# An uploaded CSV travels as one base64 text inside these stores (app.data; its own cap, csvfile.MAX_BYTES,
# is checked in the browser and again by the parser): only there may a text be as long as the file.
UPLOAD_STORES = ("data-upload", "data-spec")
MAX_UPLOAD_TEXT = 4 * MAX_BYTES // 3 + 1_000  # base64 of the largest file, and its name


def _is_prop(item) -> bool:
    return isinstance(item, dict) and "id" in item and isinstance(item.get("property"), str)


def _is_props(item) -> bool:
    """An {id, property} item, or a list of them (a wildcard's matching components)."""
    return all(_is_prop(i) for i in item) if isinstance(item, list) else _is_prop(item)


def output_names(key: str) -> tuple[str, ...]:
    """A callback's output key as its outputs' ``id.property`` names: ``..a.b...c.d..`` (several) or
    ``a.b`` (one), the ``@hash`` tags of duplicate outputs dropped (a pattern-matched id as its JSON)."""
    parts = key[2:-2].split("...") if key.startswith("..") else [key]
    return tuple(p.split("@")[0] for p in parts)


@lru_cache(maxsize=256)  # keys are the app's own (checked against its callback map first)
def _declared(key: str) -> tuple[Output, ...]:
    """The outputs a callback's output key names (``output_names``)."""
    wildcards = {"ALL": ALL, "MATCH": MATCH, "ALLSMALLER": ALLSMALLER}
    out = []
    for part in output_names(key):
        cid, prop = part.rsplit(".", 1)
        if cid.startswith("{"):  # a pattern: its wildcards written as ["ALL"]
            cid = {k: wildcards[v[0]] if isinstance(v, list) else v for k, v in json.loads(cid).items()}
        out.append(Output(cid, prop))
    return tuple(out)


def _outputs_declared(key: str, outputs: list) -> bool:
    """Whether each output the request names is one its callback declares (a wildcard's: a list of
    components matching the pattern), as Dash checks it before calling back (else an error page)."""
    declared = _declared(key)
    if len(outputs) != len(declared):
        return False
    for spec, decl in zip(outputs, declared, strict=True):
        pattern = list(decl.component_id.values()) if isinstance(decl.component_id, dict) else []
        wild = any(v in (ALL, ALLSMALLER) for v in pattern)  # a list of the matching components
        if MATCH not in pattern and isinstance(spec, list) != wild:  # MATCH: one component (or a list)
            return False
        for item in spec if isinstance(spec, list) else [spec]:
            prop = item["property"].split("@")[0]
            if not pattern:  # a plain id: equal as it is (what Output's equality decides for it)
                if item["id"] != decl.component_id or prop != decl.component_property:
                    return False
                continue
            try:
                if not Output(item["id"], prop) == decl:
                    return False
            except Exception:  # an id Dash cannot even read
                return False
    return True


def _matches(got, expected: list) -> bool:
    """``got`` has one entry per expected input: a {id, property} item, or a list of them (wildcards)."""
    if not isinstance(got, list) or len(got) != len(expected):
        return False
    return all(_is_props(item) for item in got)


def _bad_text(text: str, limit: int = MAX_TEXT) -> str | None:
    if len(text) > limit:
        return f"a text value is {len(text):,} characters long (at most {limit:,})"
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            return "a text value contains a lone surrogate (\\ud800-\\udfff), which is not text"
    return None


_ESCAPED = re.compile(rb"\\.", re.DOTALL)  # a backslash and the byte it escapes
QUOTE, BRACKET, BRACE, END_BRACKET, END_BRACE = b'"[{]}'


def raw_shape(raw: bytes) -> tuple[int, int]:
    """(longest text, depth) of the valid JSON text ``raw``, read from its bytes, for UTF-8 (no NUL).

    The longest text is at least the length in characters of the longest string (key or value): the
    most bytes between two quotes that are not escaped (a character takes at least one byte of UTF-8,
    an escape at least two). The depth is how deeply its containers nest (1: a flat list or object):
    the most brackets open at once outside strings. ~0.1 ms for the main view's 17 KB request."""
    b = np.frombuffer(_ESCAPED.sub(b"__", raw) if b"\\" in raw else raw, np.uint8)  # escapes blanked
    quote = b == QUOTE  # every quote left is a string's start or end
    opens = (b == BRACKET) | (b == BRACE)
    closes = (b == END_BRACKET) | (b == END_BRACE)
    marks = np.flatnonzero(quote | opens | closes)
    is_quote = quote[marks]
    at = marks[is_quote]
    longest = int((at[1::2] - at[: at.size // 2 * 2 : 2]).max()) - 1 if at.size >= 2 else 0
    outside = (np.cumsum(is_quote, dtype=np.int32) & 1) == 0  # an odd number of quotes before: in a string
    step = (opens[marks].view(np.int8) - closes[marks].view(np.int8)) * outside
    return longest, int(np.cumsum(step, dtype=np.int32).max(initial=0))


def longest_text(raw: bytes) -> int:
    """``raw_shape(raw)``'s longest text."""
    return raw_shape(raw)[0]


def value_problem(body, raw: bytes | None = None, limit: int = MAX_TEXT) -> str | None:
    """What is wrong with the parsed JSON ``body`` as a whole (nesting, text), or None.

    Walks the value without recursion, so any depth the parser accepted is safe to check. Given the
    ``raw`` bytes it was parsed from, the walk is needed only when a string could be wrong: one longer
    than ``MAX_TEXT`` needs as many bytes between two quotes, and a lone surrogate needs a ``\\u``
    escape (raw UTF-8 cannot carry one). Otherwise a short body (a poll's, ~2 KB) has its containers
    walked for the depth, and a long one has the depth read from its bytes too (``raw_shape``): the
    main view's request (~17 KB, 1,700 strings, 600 containers) is checked without a walk. Both hold
    for UTF-8; a body in UTF-16 or UTF-32 (which the JSON parser also reads) has NUL bytes, and is
    walked string by string.
    """
    check_text = True
    if raw is not None and b"\x00" not in raw and b"\\u" not in raw:
        if len(raw) <= limit:  # no text can be too long: the containers are walked (cheaper than numpy here)
            check_text = False
        else:
            longest, depth = raw_shape(raw)
            if longest <= limit:
                return f"values are nested more than {MAX_DEPTH} levels deep" if depth > MAX_DEPTH else None
    stack = [(body, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            bad = _bad_text(value, limit)
            if bad:
                return bad
        elif isinstance(value, (list, dict)):
            if depth > MAX_DEPTH:
                return f"values are nested more than {MAX_DEPTH} levels deep"
            items = value.values() if isinstance(value, dict) else value
            if check_text:
                if isinstance(value, dict):
                    stack.extend((k, depth) for k in value)
                stack.extend((v, depth + 1) for v in items)
            else:
                stack.extend((v, depth + 1) for v in items if isinstance(v, (list, dict)))
    return None


def upload_problem(body, raw: bytes | None = None) -> str | None:
    """``value_problem`` for a callback request whose upload stores (``UPLOAD_STORES``) may carry one
    text as long as an allowed file (``MAX_UPLOAD_TEXT``); everything else keeps ``MAX_TEXT``."""
    if not isinstance(body, dict):
        return value_problem(body, raw)
    uploads, rest = [], dict(body)
    for key in ("inputs", "state"):
        items = body.get(key)
        if isinstance(items, list):
            kept = []
            for item in items:
                if isinstance(item, dict) and item.get("id") in UPLOAD_STORES:
                    uploads.append(item.get("value"))
                    item = {k: v for k, v in item.items() if k != "value"}
                kept.append(item)
            rest[key] = kept
    if not uploads:
        return value_problem(body, raw)
    bad = value_problem(rest, raw)  # a short body (no file in it) still skips its strings
    for value in uploads:
        bad = bad or value_problem(value, limit=MAX_UPLOAD_TEXT)
    return bad


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
    if many and not (isinstance(outputs, list) and outputs and all(_is_props(o) for o in outputs)):
        return "the outputs do not match the callback"
    if not many and not _is_prop(outputs):
        return "the outputs do not match the callback"
    if not _outputs_declared(output, outputs if many else [outputs]):
        return "the outputs do not match the callback"
    changed = body.get("changedPropIds", [])
    if not (isinstance(changed, list) and all(isinstance(c, str) for c in changed)):
        return "changedPropIds must be a list of strings"
    return None


def _refuse(reason: str):
    return flask.jsonify(error=f"malformed callback request: {reason}"), 400


def guard(dash_app: Dash) -> None:
    """Cap every request body and check every callback request first (after Dash's own setup hook)."""
    # One byte more than allowed is read, so that a longer streamed body is told from one that fits.
    dash_app.server.config["MAX_CONTENT_LENGTH"] = MAX_BODY + 1

    @dash_app.server.errorhandler(RequestEntityTooLarge)
    def _too_large(_err=None):
        return flask.jsonify(error=f"request too large (at most {MAX_BODY // 1024} KB)"), 413

    @dash_app.server.before_request
    def _check_callback_request():
        request = flask.request
        if request.method != "POST" or not request.path.endswith(ENDPOINT_SUFFIX):
            return None
        if len(request.get_data(cache=True)) > MAX_BODY:  # read no further, chunked or not
            return _too_large()
        try:
            body = request.get_json(silent=True)  # cached: Dash reads this same parse
        except RecursionError:
            return _refuse(f"values are nested more than {MAX_DEPTH} levels deep")
        reason = upload_problem(body, request.get_data(cache=True)) or problem(body, dash_app.callback_map)
        if reason:
            return _refuse(reason)
        return None
