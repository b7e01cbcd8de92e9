"""The Celery worker's entry point: ``celery --app app.worker:celery_app worker`` (needs REDIS_URL).

Importing the app registers every callback, so a worker can run the background ones.
"""

from __future__ import annotations

from app import app

celery_app = app._background_manager.handle  # the Celery app of app.background.manager()
