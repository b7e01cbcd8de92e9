"""The machine's fixed pool of runner processes (one machine, no Redis).

Each runner is a fresh interpreter (``python -m jobs.runner``): it inherits no threads and no locks
from the web server (a forked copy of a threaded gunicorn worker could inherit a lock another
thread holds, and hang). gunicorn's master starts them before it forks its workers
(``gunicorn.conf.py``), ``python -m app`` before it serves. A runner ends when its parent is gone;
the parent also stops them when it exits.
"""

from __future__ import annotations

import atexit
import os
import subprocess
import sys

from jobs.spec import Limits

_started: list[subprocess.Popen] = []


def start_pool(path: str, limits: Limits, threads: int = 1, prepare: tuple[str, ...] = ()) -> list[subprocess.Popen]:
    """Start ``limits.workers`` runners serving the queue in the SQLite file ``path`` (once per process);
    each first calls the ``prepare`` functions (``"module:function"``: imports, warm-up)."""
    if _started:
        return _started
    parent = os.getpid()
    env = {**os.environ, "EXPLORE_THREADS": str(threads)}  # a job keeps to its own core
    for _ in range(limits.workers):
        cmd = [sys.executable, "-m", "jobs.runner", "--store", path, "--parent", str(parent)]
        cmd += [arg for func in prepare for arg in ("--prepare", func)]
        _started.append(subprocess.Popen(cmd, env=env, stdin=subprocess.DEVNULL))
    atexit.register(_stop, parent)
    return _started


def _stop(parent: int) -> None:
    if os.getpid() != parent:  # a forked gunicorn worker exiting: the pool is its master's
        return
    for proc in _started:
        proc.terminate()
    for proc in _started:
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
