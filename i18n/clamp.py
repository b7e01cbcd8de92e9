"""Numbers from people and links, clamped into their bounds with a notice in the reader's language.

``clamp_number`` reads ``0,01`` and ``0.01`` alike (``i18n.parse_number``), refuses what is not a
number (the default, and a notice naming the value), and brings the rest into ``[lo, hi]``;
``clamp_whole`` also rounds half up. Dash-free: the Scene (``app.state.scene``), the data settings
(``landscapes.data.spec``) and the explore jobs share it.
"""

from __future__ import annotations

import math

import i18n
from i18n import _


def is_real(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def is_number(value) -> bool:
    """A finite int or float (not a bool); an integer beyond float's range is not."""
    try:
        return is_real(value) and math.isfinite(value)
    except OverflowError:  # math.isfinite(10**400) converts to float first
        return False


def g(value: float) -> str:
    """A number in a notice: Python's ``g``, with the language's decimal sign."""
    return i18n.decimal_text(f"{value:g}")


def short(value) -> str:
    """A user's value as it may be shown back: its repr, cut to 40 characters."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def clamp_number(name: str, value, lo, hi, default, notices: list[str]):
    """``value`` as a float inside [lo, hi]; ``default`` when it is not a number (a notice for each change)."""
    try:
        v = i18n.parse_number(value)  # "0,01" and "0.01" alike
    except (TypeError, ValueError):
        notices.append(
            _("{name}: {value} is not a number; using {default}.").format(
                name=name, value=short(value), default=g(default)
            )
        )
        return default
    if math.isnan(v):
        notices.append(_("{name}: not a number; using {default}.").format(name=name, default=g(default)))
        return default
    if v < lo or v > hi:
        clamped = min(max(v, lo), hi)
        notices.append(
            _("{name}: {value} is outside [{lo}, {hi}]; using {clamped}.").format(
                name=name, value=g(v), lo=g(lo), hi=g(hi), clamped=g(clamped)
            )
        )
        return clamped
    return v


def clamp_whole(name: str, value, lo: int, hi: int, default: int, notices: list[str]) -> int:
    """``clamp_number``, then rounded to a whole number (half up), saying so when it was not one."""
    v = clamp_number(name, value, lo, hi, default, notices)
    whole = math.floor(v + 0.5)
    if whole != v:
        notices.append(
            _("{name}: {value} is not a whole number; using {whole}.").format(name=name, value=g(v), whole=whole)
        )
    return int(whole)
