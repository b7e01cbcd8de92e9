"""Serving: headers, request limits, compression, caching, the work budget, warm-up, the Celery worker."""
