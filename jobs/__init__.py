"""A bounded, shared job queue for long work (basin maps, sweeps); no Dash here.

    queue = jobs.default_queue()
    status = queue.submit("app.explore.jobs:basin_bytes", payload, client="page-id")
    queue.status(status.key, client)   # queued (k ahead) / running (done of total) / done / failed / ...
    queue.result(status.key)            # bytes, once done
    queue.cancel(status.key, client)

Identical requests (same function, same canonical payload) are one job, computed once and shared
by everyone who asked, and its result is kept for a while for later askers. Distinct jobs wait in
a bounded queue (``Limits``) served by a fixed number of processes:

- one machine (default): a SQLite table in ``$CACHE_DIR`` and ``jobs.pool``'s runner processes,
  one per core, started by gunicorn's master or ``python -m app``;
- scaled out (``REDIS_URL``): the same table in Redis (``jobs.redis_store``), computed by Celery
  workers (``jobs.celery_tasks``; ``celery --app app.serving.worker:celery_app worker``).

A job stops at its next chunk when it is cancelled by everyone who asked or when nobody has polled
it for ``Limits.abandon_after`` seconds.
"""

from __future__ import annotations

import logging
import os
import tempfile
from functools import cache

from jobs.spec import Job, JobStatus, Limits, Refused, Unavailable, code_version, job_for

log = logging.getLogger("jobs")

__all__ = [
    "Job",
    "JobStatus",
    "Limits",
    "Queue",
    "Refused",
    "Unavailable",
    "default_queue",
    "job_for",
    "prepare_with",
    "start_local_pool",
    "store_path",
]


def store_path(env=None) -> str:
    env = os.environ if env is None else env
    folder = env.get("CACHE_DIR") or os.path.join(tempfile.gettempdir(), "gradient-descent-jobs")
    return os.path.join(folder, f"jobs-{code_version()}.sqlite")  # one queue per version of the code


_PREPARE: list[str] = []


def prepare_with(func: str) -> None:
    """Have every runner call ``func`` (``"module:function"``: imports, warm-up) before its first job."""
    if func not in _PREPARE:
        _PREPARE.append(func)


class Queue:
    """What the web app uses: submit, look, fetch, cancel (see module docstring)."""

    def __init__(self, store, dispatch=None, before_submit=None) -> None:
        self.store = store
        self.dispatch = dispatch  # scaled out: hands a newly queued job's key to a Celery worker
        self.before_submit = before_submit  # one machine: make sure runners exist (any WSGI server)

    def submit(self, func: str, payload: dict, client: str) -> JobStatus:
        """Queue (or join) the job ``func(payload)``; raises ``Refused`` with the reason for the user,
        ``Unavailable`` when the store does not answer."""
        if self.before_submit is not None:
            self.before_submit()
        status = self._ask(self.store.submit, job_for(func, payload), client)
        if status.state == "queued" and self.dispatch is not None:
            self.dispatch(status.key)
        return status

    def status(self, key: str, client: str) -> JobStatus:
        return self._ask(self.store.status, key, client)

    def result(self, key: str) -> bytes | None:
        return self._ask(self.store.result, key)

    def cancel(self, key: str, client: str) -> None:
        self._ask(self.store.cancel, key, client)

    def _ask(self, method, *args):
        """``method(*args)``; the store's own errors (``store.ERRORS``) become ``Unavailable``, with
        the traceback in the log."""
        try:
            return method(*args)
        except getattr(self.store, "ERRORS", ()) as err:
            log.warning("job store did not answer %s: %r", method.__name__, err, exc_info=True)
            raise Unavailable(type(err).__name__) from err


@cache
def default_queue() -> Queue:
    """This process's queue, from the environment (``REDIS_URL`` or ``CACHE_DIR``)."""
    limits = Limits.from_env()
    redis_url = os.environ.get("REDIS_URL")
    if redis_url:
        from jobs.celery_tasks import dispatch
        from jobs.redis_store import RedisStore

        return Queue(RedisStore(redis_url, limits), dispatch)
    from jobs.store import SQLiteStore

    return Queue(SQLiteStore(store_path(), limits), before_submit=start_local_pool)


def start_local_pool() -> list:
    """Start this machine's runner processes (once; a forked gunicorn worker has its master's), unless
    jobs go to Celery (``REDIS_URL``). gunicorn's master and ``python -m app`` start them before
    serving; any other server gets them at its first job."""
    if os.environ.get("REDIS_URL"):
        return []
    from jobs.pool import start_pool

    limits = Limits.from_env()
    return start_pool(store_path(), limits, threads=limits.threads, prepare=tuple(_PREPARE))
