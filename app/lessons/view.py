"""Lessons in the page: the header's menu and the card above the charts (layout from a ``Lesson``)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from app.components import header_menu
from app.lessons.model import Lesson, catalog, lesson_link, local
from i18n import _

BUTTON = "btn btn-sm me-2"
COVERED = "lesson-covered"  # the charts' class while a prediction is still open (see assets/10-theme.css)


def lessons_menu() -> dbc.DropdownMenu:
    """The header's menu: each lesson's first step."""
    items = [
        dbc.DropdownMenuItem(local(lesson.title), href=lesson_link(lesson, 0), external_link=True)
        for lesson in catalog().values()
    ]
    return header_menu(_("Lessons"), "lessons-menu", items, "me-2")


def lesson_card(lesson: Lesson, index: int) -> dbc.Card:
    step = lesson.steps[index]
    n = len(lesson.steps)
    nav = html.Div(
        [
            dcc.Link(
                "← " + _("Previous"),
                href=lesson_link(lesson, index - 1),
                className="btn btn-sm btn-outline-secondary me-2",
            )
            if index > 0
            else None,
            dcc.Link(_("Next step") + " →", href=lesson_link(lesson, index + 1), className=f"{BUTTON} btn-primary")
            if index + 1 < n
            else html.Span(_("Last step of this lesson.") + " ", className="small me-2"),
            dcc.Link(_("Leave the lesson"), href="?", id="lesson-leave", className="small ms-2"),
        ],
        className="d-flex align-items-center flex-wrap mt-2",
    )
    body = [html.H5(local(step.title), className="mb-1"), dcc.Markdown(local(step.prompt), className="small mb-1")]
    if step.question is not None:
        q = step.question
        body += [
            html.Div(
                [
                    html.Div([_("Predict first:") + " ", html.B(local(q.text))], className="small mb-1"),
                    dbc.RadioItems(
                        id="lesson-choice",
                        options=[{"label": local(c.text), "value": i} for i, c in enumerate(q.choices)],
                        value=None,
                        className="small",
                    ),
                    dbc.Button(
                        _("Check my answer and show the run"),
                        id="lesson-check",
                        size="sm",
                        color="primary",
                        className="mt-1",
                    ),
                    html.Div(id="lesson-feedback", className="small mt-2", **{"aria-live": "polite"}),
                ],
                className="border rounded p-2",
            )
        ]
    return dbc.Card(
        [
            dbc.CardHeader(
                [
                    html.Span(_("Lesson: {title}").format(title=local(lesson.title)), className="fw-semibold"),
                    html.Span(" · " + _("step {k} of {n}").format(k=index + 1, n=n)),
                ],
                className="py-1 small",
            ),
            dbc.CardBody([*body, nav], className="py-2"),
        ],
        className="mb-2 lesson-card",
    )


def feedback(correct: bool, right_text: str, explain: str) -> list:
    head = (
        "✓ " + _("Right.")
        if correct
        else "✗ " + _("Not quite: the answer is “{answer}”.").format(answer=local(right_text))
    )
    return [
        html.Div(head, className="fw-semibold " + ("text-success" if correct else "text-danger")),
        dcc.Markdown(local(explain), className="mb-0"),
    ]
