"""Scaled out: jobs computed by Celery workers, the table in Redis (``REDIS_URL``).

The web app queues a job in Redis (``jobs.redis_store``) and sends its key to Celery; a worker's
task claims that key (only one claim wins, and a job nobody waits for any more is dropped) and
computes it with ``jobs.runner.execute``. Start workers with the same image and ``REDIS_URL``:
``celery --app app.serving.worker:celery_app worker --concurrency=2`` (one process per core).
"""

from __future__ import annotations

import os
from functools import cache

from celery import Celery

from jobs.runner import execute
from jobs.spec import Limits

TASK = "jobs.run"


def _url() -> str:
    url = os.environ.get("REDIS_URL")
    if not url:
        raise RuntimeError("REDIS_URL is not set: Celery workers need the Redis the web app uses")
    return url


@cache
def _store():
    from jobs.redis_store import RedisStore

    return RedisStore(_url(), Limits.from_env())


def make_celery() -> Celery:
    app = Celery("gradient_descent_playground", broker=_url())
    app.conf.update(
        task_ignore_result=True,  # results go to the job table, not to Celery's backend
        task_acks_late=True,
        worker_prefetch_multiplier=1,  # a worker takes the next job only when it is free: queue order holds
        broker_connection_retry_on_startup=True,
    )

    @app.task(name=TASK)
    def run(key: str) -> str:
        job = _store().claim(key)
        return "skipped" if job is None else execute(_store(), job)

    return app


@cache
def celery_app() -> Celery:
    return make_celery()


def dispatch(key: str) -> None:
    """Hand a queued job's key to the Celery workers."""
    celery_app().send_task(TASK, args=[key])
