"""The lesson card's callback: the student's prediction checked against the run itself."""

from __future__ import annotations

from dash import Input, Output, State, callback, html, no_update
from dash.exceptions import PreventUpdate

from app.lessons import model as lessons
from app.lessons.view import feedback
from app.state.scene import Scene, clamp_scene
from i18n import _


@callback(
    output=dict(
        feedback=Output("lesson-feedback", "children"),
        tabs=Output("tabs-wrap", "className", allow_duplicate=True),
    ),
    inputs=dict(clicks=Input("lesson-check", "n_clicks")),
    state=dict(choice=State("lesson-choice", "value"), flags=State("view-flags", "data")),
    prevent_initial_call=True,
)
def check_answer(clicks, choice, flags):
    """The student's prediction against the run itself; then the charts are revealed."""
    if not clicks:
        raise PreventUpdate  # the button was just created
    scene = (
        clamp_scene(Scene(lesson=flags.get("lesson", ""), lesson_step=flags.get("lstep", 0)))[0]
        if isinstance(flags, dict)
        else Scene()
    )
    lesson, index, _notices = lessons.find(scene)
    if lesson is None or lesson.steps[index].question is None:
        raise PreventUpdate
    q = lesson.steps[index].question
    if not (isinstance(choice, int) and 0 <= choice < len(q.choices)):
        return {"feedback": html.Span(_("Pick one answer first."), className="text-warning"), "tabs": no_update}
    right = lessons.right_choice(lesson, index)
    return {"feedback": feedback(choice == right, q.choices[right].text, q.explain), "tabs": ""}
