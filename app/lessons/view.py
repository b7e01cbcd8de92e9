"""Lessons in the page: the header's menu and the card above the charts (layout from a ``Lesson``)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from app.components import header_menu
from app.lessons.model import Lesson, catalog, lesson_link

BUTTON = "btn btn-sm me-2"
COVERED = "lesson-covered"  # the charts' class while a prediction is still open (see assets/10-theme.css)


def lessons_menu() -> dbc.DropdownMenu:
    """The header's menu: each lesson's first step."""
    items = [
        dbc.DropdownMenuItem(lesson.title, href=lesson_link(lesson, 0), external_link=True)
        for lesson in catalog().values()
    ]
    return header_menu("Lessons", "lessons-menu", items, "me-2")


def lesson_card(lesson: Lesson, index: int) -> dbc.Card:
    step = lesson.steps[index]
    n = len(lesson.steps)
    nav = html.Div(
        [
            dcc.Link(
                "← Previous", href=lesson_link(lesson, index - 1), className="btn btn-sm btn-outline-secondary me-2"
            )
            if index > 0
            else None,
            dcc.Link("Next step →", href=lesson_link(lesson, index + 1), className=f"{BUTTON} btn-primary")
            if index + 1 < n
            else html.Span("Last step of this lesson. ", className="small me-2"),
            dcc.Link("Leave the lesson", href="?", id="lesson-leave", className="small ms-2"),
        ],
        className="d-flex align-items-center flex-wrap mt-2",
    )
    body = [html.H5(step.title, className="mb-1"), dcc.Markdown(step.prompt, className="small mb-1")]
    if step.question is not None:
        q = step.question
        body += [
            html.Div(
                [
                    html.Div(["Predict first: ", html.B(q.text)], className="small mb-1"),
                    dbc.RadioItems(
                        id="lesson-choice",
                        options=[{"label": c.text, "value": i} for i, c in enumerate(q.choices)],
                        value=None,
                        className="small",
                    ),
                    dbc.Button(
                        "Check my answer and show the run",
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
                    html.Span(f"Lesson: {lesson.title}", className="fw-semibold"),
                    html.Span(f" · step {index + 1} of {n}"),
                ],
                className="py-1 small",
            ),
            dbc.CardBody([*body, nav], className="py-2"),
        ],
        className="mb-2 lesson-card",
    )


def feedback(correct: bool, right_text: str, explain: str) -> list:
    head = "✓ Right." if correct else f"✗ Not quite: the answer is “{right_text}”."
    return [
        html.Div(head, className="fw-semibold " + ("text-success" if correct else "text-danger")),
        dcc.Markdown(explain, className="mb-0"),
    ]
