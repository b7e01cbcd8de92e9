"""Plain-language summary and the results table of a scene's outcomes (pure)."""

from __future__ import annotations

from dash import html

from analysis.events import events_of, run_sentence
from analysis.outcomes import Outcome, table_rows
from app.components import swatch
from app.runs.markup import markdown_block, tag, text
from i18n import _


def summary_text(outcomes: dict[str, Outcome], surface, events: dict | None = None) -> str:
    """One sentence per optimizer: its main event (``analysis.events``; pass ``events`` if computed), or
    where it ended."""
    if not outcomes:
        return _("No optimizer is enabled.")
    events = events or {r: events_of(o, surface) for r, o in outcomes.items()}
    return "; ".join(run_sentence(o, events[r]) for r, o in outcomes.items()) + "."


def results_table(outcomes: dict[str, Outcome]):
    """A row per optimizer (id ``row-<rule>``) in one table ``#results-table``, as one Markdown block
    (``app.runs.markup``: a component per cell costs the browser far more)."""
    rows = table_rows(outcomes)
    if not rows:
        return html.Div()
    heads = (_("Optimizer"), _("Final loss"), _("Distance to nearest minimum"), _("Result"))
    head = tag("thead", tag("tr", [tag("th", text(h)) for h in heads]))
    body = tag(
        "tbody",
        [
            tag(
                "tr",
                [
                    tag("td", swatch_html(r["rule"]) + text(r["optimizer"])),
                    tag("td", text(r["final loss"])),
                    tag("td", text(r["distance to nearest minimum"])),
                    tag("td", text(r["status"])),
                ],
                id=f"row-{r['rule']}",
            )
            for r in rows
        ],
    )
    table = tag("table", [head, body], class_="small table table-sm table-hover", id="results-table")
    return markdown_block(table, className="results-markup")


def swatch_html(rule: str) -> str:
    """``app.components.swatch`` as HTML."""
    return tag("span", "", style=swatch(rule).style, aria_hidden="true")
