"""gunicorn settings for production (``gunicorn --config gunicorn.conf.py app.server:server``).

Environment: PORT (default 8050), WEB_CONCURRENCY (workers, default 2 per usable core: the CPU
affinity capped by a container's CPU quota, jobs/cores.py), GUNICORN_THREADS (default 32),
WARMUP_SURFACES (surfaces compiled before the workers fork; see app/serving/warmup.py), JOB_WORKERS
(processes computing basin maps and sweeps, default one per usable core; see jobs/).
"""

import os

from jobs.cores import usable_cores

bind = f"0.0.0.0:{os.environ.get('PORT', '8050')}"
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * usable_cores()))  # cores a container may use
# Threads that wait on a slow client cost no CPU; 32 a worker take about a hundred slow clients
# (bench/slowclients.py). On the open internet, put nginx in front (deploy/nginx.conf): it reads
# requests whole within deadlines, which gunicorn cannot.
threads = int(os.environ.get("GUNICORN_THREADS", "32"))
keepalive = 2  # seconds an idle connection is kept (gunicorn's default, said on purpose: short)
timeout = 60
accesslog = "-"
preload_app = True  # load and warm the app once in the master; workers fork from it
# Request lines up to gunicorn's largest (8,190 bytes; its default 4,094 answered a long link with a
# bare 414): the app itself says when a link's settings are too long (app/state/link.py MAX_QUERY).
limit_request_line = 8190


def when_ready(server):
    import gc

    from app.serving.warmup import warm_up
    from jobs import start_local_pool

    seconds = warm_up()
    server.log.info("engine warmed up in %.1f s", seconds)
    runners = start_local_pool()  # basin maps and sweeps (none with REDIS_URL: Celery computes them)
    server.log.info("%d job runner processes started", len(runners))
    # Move everything loaded so far out of the collector's reach: a full collection in a worker
    # would otherwise write to every object's header and un-share the pages it got from the fork.
    gc.collect()
    gc.freeze()
