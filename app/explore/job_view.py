"""A long job in the page: the Compute and Cancel buttons, a progress bar that says where the job
stands, and a poll every ``POLL_MS`` while it is queued or running (``jobs`` does the work).

One callback per tab owns all of this (``flow``): a click on Compute submits (or joins an
identical job), each poll reads the status, a click on Cancel withdraws this page's interest.
"""

from __future__ import annotations

import contextlib
import secrets

import dash_bootstrap_components as dbc
from dash import Input, Output, State, dcc, html, no_update

import jobs
from app.components import alert
from i18n import N_, _, ngettext, number
from jobs.runner import FAILED

POLL_MS = 500
HIDDEN = {"display": "none"}


def client_store() -> dcc.Store:
    """This page's id for the queue (a new one per page load): its per-page limit and its interest."""
    return dcc.Store(id="client-id", data=secrets.token_urlsafe(12))


def controls(prefix: str, what: str) -> list:
    """Compute and Cancel buttons, the progress bar and the poll timer of one job."""
    return [
        html.Div(
            [
                dbc.Button(
                    _("Compute {what}").format(what=what),
                    id=f"{prefix}-run",
                    color="primary",
                    size="sm",
                    className="me-2",
                ),
                dbc.Button(
                    _("Cancel"), id=f"{prefix}-cancel", color="secondary", outline=True, size="sm", disabled=True
                ),
            ],
            className="mb-2 align-self-end",
        ),
        html.Div(
            dbc.Progress(
                id=f"{prefix}-progress", value=0, label="", striped=True, animated=True, style={"height": "1.4em"}
            ),
            id=f"{prefix}-progress-box",
            style=HIDDEN,
            className="mb-2 w-100",
            **{"aria-live": "polite"},
        ),
        dcc.Store(id=f"{prefix}-job"),
        dcc.Interval(id=f"{prefix}-poll", interval=POLL_MS, disabled=True),
    ]


def outputs(prefix: str) -> dict:
    """The outputs every job flow sets (beside its result's own)."""
    return {
        "job": Output(f"{prefix}-job", "data"),
        "poll": Output(f"{prefix}-poll", "disabled"),
        "run_disabled": Output(f"{prefix}-run", "disabled"),
        "cancel_disabled": Output(f"{prefix}-cancel", "disabled"),
        "box": Output(f"{prefix}-progress-box", "style"),
        "value": Output(f"{prefix}-progress", "value"),
        "label": Output(f"{prefix}-progress", "label"),
        "notice": Output(f"{prefix}-notice", "children"),
    }


def inputs(prefix: str) -> dict:
    """What moves a job flow: Compute, each poll, Cancel (``flow``'s ``trigger`` names which)."""
    return {
        "run": Input(f"{prefix}-run", "n_clicks"),
        "tick": Input(f"{prefix}-poll", "n_intervals"),
        "cancel": Input(f"{prefix}-cancel", "n_clicks"),
    }


def state(prefix: str) -> dict:
    """The main view's scene a job starts from (``link(query, search)``), the job this tab waits
    for and the page asking (``flow``'s ``job`` and ``client``)."""
    return {
        "query": State("query", "data"),
        "search": State("url", "search"),
        "job": State(f"{prefix}-job", "data"),
        "client": State("client-id", "data"),
    }


def link(query, search):
    """The main view's scene: its link as the last run wrote it, or (before the first run has
    answered) the page's own address."""
    return query if isinstance(query, str) else search


def _waiting(key: str, status: jobs.JobStatus, unit: str = N_("runs")) -> dict:
    """Outputs while the job is queued or running."""
    if status.state == "queued":
        ahead = status.ahead
        label = (
            _("Queued: next in line")
            if ahead == 0
            else ngettext("Queued: {n} job ahead", "Queued: {n} jobs ahead", ahead).format(n=number(ahead, "#,##0"))
        )
        if status.message:  # e.g. no runner is answering: say so while waiting
            label = f"{label}. {status.message}"
        value = 0
    elif status.total:
        label = _("{done} of {total} {unit}").format(
            done=number(status.done, "#,##0"), total=number(status.total, "#,##0"), unit=_(unit)
        )
        value = round(100 * status.done / status.total)
    else:
        label, value = _("Starting…"), 0
    return _polling(key, value, label)


def _polling(key: str, value, label: str) -> dict:
    """Outputs while the page waits for job ``key``: Compute off, Cancel on, the bar at ``value``."""
    return {
        "job": {"key": key},
        "poll": False,
        "run_disabled": True,
        "cancel_disabled": False,
        "box": {},
        "value": value,
        "label": label,
        "notice": no_update,
    }


# Messages the queue's store writes (in English, whoever asks); the page shows them in its language.
STORED = (
    N_("Cancelled."),
    N_("Stopped: nobody was waiting for it."),
    N_("Dropped: nobody was waiting for it."),
    N_("The process computing it stopped; press Compute again."),
)


def stored_message(message: str) -> str:
    """A message from the queue's store in the page's language (a failed job's error text stays)."""
    if message in STORED:
        return _(message)
    if message.startswith(FAILED):
        return _("Could not compute it: {reason}").format(reason=message[len(FAILED) :])
    return message


def _unavailable() -> str:
    return _("The server's job queue did not answer.")


def _asking_again(key: str) -> dict:
    """Outputs while the queue does not answer a poll: keep polling, say so."""
    return _polling(key, no_update, _unavailable() + " " + _("Asking again…"))


def _ended(message: str | None = None, color: str = "warning") -> dict:
    """Outputs once the job is over (the buttons back, the bar hidden, the message shown)."""
    return {
        "job": None,
        "poll": True,
        "run_disabled": False,
        "cancel_disabled": True,
        "box": HIDDEN,
        "value": 0,
        "label": "",
        "notice": alert([message], color) if message else None,
    }


def _key(job) -> str | None:
    key = job.get("key") if isinstance(job, dict) else None
    return key if isinstance(key, str) and 0 < len(key) <= 64 and key.isalnum() else None


def _client(client) -> str:
    return client if isinstance(client, str) and 0 < len(client) <= 64 else "anonymous"


def flow(
    trigger: str, prefix: str, submit, job, client, queue: jobs.Queue | None = None, unit: str = N_("runs")
) -> tuple[dict, bytes | None]:
    """One step of a job's life in the page: ``trigger`` is the id that fired (``{prefix}-run``,
    ``-poll`` or ``-cancel``); ``submit()`` returns (func, payload, notices) for a new job; ``unit``
    names what the progress counts.

    Returns the flow outputs and, when the job is done, its result bytes.
    """
    queue = queue or jobs.default_queue()
    client = _client(client)
    key = _key(job)
    if trigger == f"{prefix}-cancel":
        if key:
            with contextlib.suppress(jobs.Unavailable):  # nobody polls it any more: it is dropped anyway
                queue.cancel(key, client)
        return _ended(_("Cancelled."), "secondary"), None
    try:
        if trigger == f"{prefix}-run":
            func, payload, notices = submit()
            try:
                status = queue.submit(func, payload, client)
            except jobs.Refused as err:
                return _ended(str(err), "danger"), None
            out = _waiting(status.key, status, unit)
            out["notice"] = alert(notices)
        else:
            if key is None:
                return _ended(), None
            status = queue.status(key, client)
            out = _waiting(key, status, unit)
        data = queue.result(status.key) if status.state == "done" else None
    except jobs.Unavailable:
        if trigger == f"{prefix}-run":  # a new job that could not be queued
            return _ended(_unavailable() + " " + _("Please press Compute again in a moment."), "danger"), None
        return _asking_again(key), None
    if status.state == "done":
        if data is None:
            return _ended(_("The result expired before it could be shown; press Compute again.")), None
        ended = _ended()
        ended["notice"] = out["notice"]  # the request's own notices stay
        return ended, data
    if status.finished:
        return _ended(
            stored_message(status.message) or _("The job ended without a result; press Compute again."), "danger"
        ), None
    return out, None
