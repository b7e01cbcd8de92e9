"""Computing jobs: one job at a time per runner process, progress and stop checks between chunks.

A job's function is named ``"module:function"`` and called as ``function(payload, progress)``; it
returns the result as bytes and calls ``progress(done, total)`` now and then. ``progress`` raises
``Stopped`` when the job was cancelled or nobody waits for it any more, so abandoned work ends at
its next chunk.
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import time
import traceback

from jobs.spec import Job

log = logging.getLogger("jobs")
IDLE_POLL = 0.1  # s between looks at an empty queue
ALIVE_EVERY = 5.0  # s between a runner's signs of life (jobs.store.SQLiteStore.alive)


FAILED = "Could not compute it: "  # a failed job's message: this, then the error (the page translates it)


class Stopped(Exception):
    """The job was cancelled or abandoned: stop computing it."""


def resolve(func: str):
    module, _, name = func.partition(":")
    return getattr(importlib.import_module(module), name)


def execute(store, job: Job) -> str:
    """Run ``job`` and record its end in ``store``; returns the state it ended in."""

    def progress(done: int, total: int) -> None:
        if not store.progress(job.key, int(done), int(total)):
            raise Stopped

    try:
        data = resolve(job.func)(json.loads(job.payload), progress)
    except Stopped:
        return "cancelled"
    except Exception as err:  # the user sees a message, the log the traceback
        log.error("job %s (%s) failed:\n%s", job.key, job.func, traceback.format_exc())
        store.fail(job.key, FAILED + str(err)[:200])
        return "failed"
    store.finish(job.key, data)
    return "done"


def serve(store, parent: int | None = None, once: bool = False) -> None:
    """Take queued jobs one after another until the parent process is gone (or, ``once``: the
    queue is empty)."""
    last_seen = 0.0
    while parent is None or os.getppid() == parent:
        if time.monotonic() - last_seen > ALIVE_EVERY and hasattr(store, "alive"):
            store.alive(os.getpid())
            last_seen = time.monotonic()
        job = store.claim()
        if job is None:
            if once:
                return
            time.sleep(IDLE_POLL)
            continue
        execute(store, job)


def main(argv: list[str] | None = None) -> None:
    """``python -m jobs.runner --store PATH --parent PID``: one runner of ``jobs.pool``."""
    import argparse

    from jobs.spec import Limits
    from jobs.store import SQLiteStore

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--store", required=True)
    parser.add_argument("--parent", type=int, default=None)
    parser.add_argument("--prepare", action="append", default=[], help="module:function to call first")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="[job-runner %(process)d] %(message)s")
    # Jobs take the CPU the interactive requests leave: a slider answer is never queued behind a map.
    os.nice(int(os.environ.get("JOB_NICE", "10")))
    for func in args.prepare:  # imports and warm-up before the first job, not during it
        resolve(func)()
    try:
        serve(SQLiteStore(args.store, Limits.from_env()), parent=args.parent)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
