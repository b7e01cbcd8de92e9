"""Plain-language summary and the results table of a scene's outcomes (pure)."""

from __future__ import annotations

from dash import html

from analysis.events import events_of, run_sentence
from analysis.outcomes import Outcome, table_rows
from app.components import swatch
from app.serving.plain import BOOTSTRAP, element
from i18n import _


def summary_text(outcomes: dict[str, Outcome], surface, events: dict | None = None) -> str:
    """One sentence per optimizer: its main event (``analysis.events``; pass ``events`` if computed), or
    where it ended."""
    if not outcomes:
        return _("No optimizer is enabled.")
    events = events or {r: events_of(o, surface) for r, o in outcomes.items()}
    return "; ".join(run_sentence(o, events[r]) for r, o in outcomes.items()) + "."


def results_table(outcomes: dict[str, Outcome]):
    rows = table_rows(outcomes)
    if not rows:
        return html.Div()
    head = element(
        "Thead",
        element(
            "Tr",
            [
                element("Th", h)
                for h in (_("Optimizer"), _("Final loss"), _("Distance to nearest minimum"), _("Result"))
            ],
        ),
    )
    body = element(
        "Tbody",
        [
            element(
                "Tr",
                [
                    element("Td", [swatch(r["rule"]), r["optimizer"]]),
                    element("Td", r["final loss"]),
                    element("Td", r["distance to nearest minimum"]),
                    element("Td", r["status"]),
                ],
                id=f"row-{r['rule']}",
            )
            for r in rows
        ],
    )
    return element(
        "Table", [head, body], namespace=BOOTSTRAP, size="sm", hover=True, className="small", id="results-table"
    )
