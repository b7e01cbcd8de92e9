"""The state inspector's panel and the contour map's arrows at the scene's step (Dash components).

Drawn by both callbacks that answer for the main view: the recompute (every control) and the
paused scrubber, so a change of either arrives with its inspector and arrows in the same answer.
"""

from __future__ import annotations

from dash import html

import optimizers
from analysis.inspector import arrows, inspect_rule, state_at
from analysis.numbers import fmt
from analysis.outcomes import Outcome
from app.runs.markup import markdown_block, tag, text
from app.state.scene import Scene
from i18n import _


def _table(states: list[dict]) -> str:
    """One column per optimizer, one row per quantity (blank where a rule has no such state), as HTML
    (``app.runs.markup``: a component per cell costs the browser far more)."""
    names: list[str] = []
    for st in states:
        names += [n for n, _value in st["rows"] if n not in names]
    rows = [dict(st["rows"]) for st in states]
    head = tag("thead", tag("tr", [tag("th", "")] + [tag("th", text(st["label"])) for st in states]))
    body = tag(
        "tbody",
        [
            tag("tr", [tag("th", text(n), class_="fw-normal")] + [tag("td", text(row.get(n, ""))) for row in rows])
            for n in names
        ],
    )
    table = tag("table", [head, body], class_="small mb-0 table table-sm", id="inspector-table")
    return tag("div", table, class_="table-responsive")


def inspector_view(outcomes: dict[str, Outcome], surface, scene: Scene) -> tuple[list, list[dict], str | None]:
    """(the panel's children, the contour map's arrow annotations, the optimizer they belong to) at
    ``scene.step``; ``outcomes`` are the single runs (an ensemble's run 0 is the single run)."""
    shown = inspect_rule(scene.rules, scene.inspect)
    notes, scale = arrows(outcomes[shown], scene.step, surface, scene.grad_noise) if shown else ([], 1.0)
    if not outcomes:
        return [html.P(_("No optimizer is enabled."))], notes, shown
    table = _table([state_at(o, scene.step, surface) for o in outcomes.values()])
    key = [
        tag("span", tag("b", text(a["text"]), style={"color": a["arrowcolor"]}) + text(f" {a['name']}  "))
        for a in notes
    ]
    caption = tag(
        "p",
        [
            text(
                _("Arrows for {rule} from its point, one scale (×{scale}): ").format(
                    rule=optimizers.RULES[shown].label, scale=fmt(scale)
                )
            ),
            *key,
        ],
        class_="text-body-secondary mb-1",
    )
    return [markdown_block(caption + table, className="inspector-markup")], notes, shown
