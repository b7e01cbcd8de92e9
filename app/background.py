"""Where long work runs: Dash background callbacks (basin maps, sweeps) with progress and cancel.

One machine (the default): a ``DiskcacheManager``. Each job runs in its own process and reports
progress through a disk cache in ``$CACHE_DIR`` (default: a folder in the system's temp dir).

Scaled out: set ``REDIS_URL`` (e.g. ``redis://redis:6379/0``). Jobs then go to Celery workers
through Redis (``CeleryManager``); start workers with
``celery --app app.worker:celery_app worker`` (see docker-compose.yml).
"""

from __future__ import annotations

import os
import tempfile

from dash import CeleryManager, DiskcacheManager

JOB_EXPIRE = 600  # seconds a finished job's result is kept


def celery_app(redis_url: str):
    """The Celery application the web app and the workers share."""
    from celery import Celery

    return Celery("gradient_descent_playground", broker=redis_url, backend=redis_url)


def manager(env: dict | None = None):
    """The background-callback manager for this environment (see module docstring)."""
    env = os.environ if env is None else env
    redis_url = env.get("REDIS_URL")
    if redis_url:
        return CeleryManager(celery_app(redis_url), expire=JOB_EXPIRE)
    import diskcache

    folder = env.get("CACHE_DIR") or os.path.join(tempfile.gettempdir(), "gradient-descent-jobs")
    return DiskcacheManager(diskcache.Cache(folder), expire=JOB_EXPIRE)
