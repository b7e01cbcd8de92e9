"""gunicorn settings for production (``gunicorn --config gunicorn.conf.py app.server:server``).

PORT (default 8050) and WEB_CONCURRENCY (workers, default 2 per core) come from the environment.
"""

import multiprocessing
import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8050')}"
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count()))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = 60
accesslog = "-"
