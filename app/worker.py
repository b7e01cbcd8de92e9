"""The Celery worker's entry point: ``celery --app app.worker:celery_app worker`` (needs REDIS_URL).

Importing the app registers every callback, so a worker can run the background ones; the compiled
engine loads from the machine's kernel cache (``optimizers.kernel_cache``).
"""

from __future__ import annotations

from app import app
from app.warmup import warm_up

celery_app = app._background_manager.handle  # the Celery app of app.background.manager()
warm_up()  # numba set up and common kernels loaded once, before Celery forks its pool processes
