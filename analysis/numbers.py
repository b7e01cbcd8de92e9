"""Numbers as a person writes them: one function for every table, sentence and caption, and one
Plotly/d3 format for every hover, both with ``SIG`` significant digits.

- never ``-0``: a value that rounds to zero is written ``0`` (``-0.0``, ``-1e-20`` at 0 decimals);
- trailing zeros dropped (``0.5``, not ``0.5000``), as Python's ``g`` and d3's ``~g`` do;
- short exponents (``1e-7``, ``2.5e+6`` -> ``2.5e6``);
- not finite: ``—`` (an em dash), or ``inf``/``-inf`` where the sign matters;
- in the request's language (``i18n``): German writes a decimal comma (``0,5``, ``2,5e6``).

``HOVER`` is the same rule for the browser: ``%{x:.4~g}`` (d3-format writes no ``-0`` for ``g``).
"""

from __future__ import annotations

import math

import i18n

SIG = 4
HOVER = f".{SIG}~g"  # d3-format: 4 significant digits, trailing zeros trimmed


def fmt(value, sig: int = SIG) -> str:
    """``value`` with ``sig`` significant digits: fmt(-0.0) == "0", fmt(0.50000) == "0.5",
    fmt(1e-7) == "1e-7", fmt(123456.0) == "1.235e5"; NaN is "—"."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(v):
        return "—"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    text = f"{v:.{sig}g}"
    if float(text) == 0.0:
        return "0"
    if "e" in text:
        mantissa, exp = text.split("e")
        exp_i = int(exp)
        text = f"{mantissa}e{exp_i}"
    return i18n.decimal_text(text)


def whole(value) -> str:
    """A count (step, update count t): ``-0.0`` and ``0.4`` are "0", 3.0 is "3"; not finite: "—"."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        return str(value)
    if not math.isfinite(v):
        return "—"
    return str(round(v) + 0)


def pair(v, sig: int = SIG) -> str:
    """A point or vector: "(x, y)" with ``fmt`` on both: pair((-0.0, 1e-30)) == "(0, 1e-30)" (German:
    "(0,5; 1)", a semicolon between the two)."""
    sep = "; " if i18n.current() == "de" else ", "
    return f"({fmt(v[0], sig)}{sep}{fmt(v[1], sig)})"


def hover(name: str) -> str:
    """A hovertemplate field with the shared format: hover("x") == "%{x:.4~g}"."""
    return f"%{{{name}:{HOVER}}}"
