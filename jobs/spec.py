"""Plain records of the job queue: what a job is, where it stands, and the queue's limits."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from functools import cache

from jobs.cores import usable_cores


class Refused(Exception):
    """A job the queue will not take now (the message says why, for the user)."""


class Unavailable(Exception):
    """The queue's store did not answer (a lock held too long, Redis gone): try again shortly."""


@dataclass(frozen=True, kw_only=True)
class Job:
    """``func`` (``"module:function"``) applied to ``payload`` (canonical JSON text)."""

    key: str
    func: str
    payload: str


@dataclass(frozen=True, kw_only=True)
class JobStatus:
    """Where a job stands: ``state`` is queued, running, done, failed, cancelled or unknown;
    ``ahead`` counts the queued jobs before it; ``done`` of ``total`` units (runs) are computed."""

    key: str
    state: str
    ahead: int = 0
    done: int = 0
    total: int = 0
    message: str = ""

    @property
    def finished(self) -> bool:
        return self.state not in ("queued", "running")


@dataclass(frozen=True, kw_only=True)
class Limits:
    """The queue's bounds (environment variables in brackets)."""

    workers: int  # processes computing jobs on this machine (JOB_WORKERS; default: one per usable core)
    threads: int = 1  # threads a job computes on (JOB_THREADS): chunks side by side
    queue: int = 50  # queued jobs at most, machine-wide (JOB_QUEUE)
    per_client: int = 2  # queued or running jobs per page (JOB_PER_CLIENT)
    abandon_after: float = 20.0  # s without a poll from anyone waiting: the job stops (JOB_ABANDON_AFTER)
    silent_after: float = 120.0  # s without progress from a running job: its process is gone
    result_ttl: float = 600.0  # s a finished result is kept and shared

    @classmethod
    def from_env(cls, env=None) -> Limits:
        env = os.environ if env is None else env

        def number(name: str, default: int) -> int:
            try:
                return max(1, int(env.get(name, default)))
            except ValueError:
                return default

        try:
            abandon = min(max(float(env.get("JOB_ABANDON_AFTER", 20.0)), 1.0), 3600.0)
        except ValueError:
            abandon = 20.0
        return cls(
            workers=number("JOB_WORKERS", usable_cores()),
            threads=number("JOB_THREADS", 1),
            queue=number("JOB_QUEUE", 50),
            per_client=number("JOB_PER_CLIENT", 2),
            abandon_after=abandon,
        )


def job_for(func: str, payload: dict) -> Job:
    """The job computing ``func(payload)``; identical requests get the same key."""
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), allow_nan=False)
    key = hashlib.sha256(f"{func}\n{text}".encode()).hexdigest()[:32]
    return Job(key=key, func=func, payload=text)


# The code a job's result depends on: its function's packages and everything they compute with.
VERSIONED = ("optimizers", "landscapes", "explore", "analysis", "animate", "jobs", "app")


@cache
def code_version() -> str:
    """A hash of the project's sources a job runs (``VERSIONED``): queues and results are kept per
    version, so runners of another checkout or an older deployment never take this code's jobs
    (nor serve results computed by other code)."""
    from optimizers.kernel_cache import source_digest  # the kernels' own source hash (imports numba)

    return source_digest(VERSIONED).hexdigest()[:12]
