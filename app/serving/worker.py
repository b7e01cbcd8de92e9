"""The Celery worker's entry point: ``celery --app app.serving.worker:celery_app worker`` (needs REDIS_URL).

Importing the job functions (``app.explore.jobs``) makes them and their compiled engine ready in
the worker's main process before Celery forks its pool processes; kernels load from the machine's
kernel cache (``optimizers.kernel_cache``).
"""

from __future__ import annotations

import app.explore.jobs  # noqa: F401  (the job functions and everything they import)
from app.serving.warmup import warm_up
from jobs.celery_tasks import celery_app as _celery_app

celery_app = _celery_app()
warm_up()  # numba set up and common kernels loaded once, before Celery forks its pool processes
