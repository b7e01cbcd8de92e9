"""The job table on one machine: SQLite in ``$CACHE_DIR`` (WAL), shared by every process.

A job is identified by its ``key``, a hash of what it computes (``jobs.spec.job_key``), so identical
requests share one row and one computation. Each process opens its own connection when it first
needs one (per thread): nothing is inherited across a fork, so no process can be handed a lock
another one holds.

    jobs     key, func, payload, state, seq, done, total, message, created, heartbeat
    waiters  key, client, polled        who asked for a job, and when they last looked
    results  key, data, created         finished results (kept ``RESULT_TTL`` seconds)

States: ``queued`` -> ``running`` -> ``done`` | ``failed`` | ``cancelled``. Runners take the queued job
the most pages wait for first (a lecturer's map twenty students asked for before one student's own),
then the oldest; scaled out (``jobs.redis_store``), Celery takes jobs in the order they were sent.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time

from i18n import _
from jobs.spec import Job, JobStatus, Refused

SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    key TEXT PRIMARY KEY, func TEXT NOT NULL, payload TEXT NOT NULL, state TEXT NOT NULL,
    seq INTEGER NOT NULL, done INTEGER NOT NULL DEFAULT 0, total INTEGER NOT NULL DEFAULT 0,
    message TEXT NOT NULL DEFAULT '', created REAL NOT NULL, heartbeat REAL NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS jobs_queue ON jobs (state, seq);
CREATE TABLE IF NOT EXISTS waiters (
    key TEXT NOT NULL, client TEXT NOT NULL, polled REAL NOT NULL, PRIMARY KEY (key, client));
CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, data BLOB NOT NULL, created REAL NOT NULL);
CREATE TABLE IF NOT EXISTS runners (pid INTEGER PRIMARY KEY, seen REAL NOT NULL);
"""
RUNNER_SILENT = 30.0  # s: a queue whose runners have all been silent this long has nobody to compute it

ACTIVE = ("queued", "running")
WAITING = "(SELECT COUNT(*) FROM waiters w WHERE w.key = jobs.key)"  # pages waiting for a job row


class SQLiteStore:
    """Jobs, waiters and results in one SQLite file (see module docstring)."""

    ERRORS = (sqlite3.Error,)  # what ``jobs.Queue`` reports as "the queue did not answer"

    def __init__(self, path: str, limits, busy_timeout: float = 30.0) -> None:
        self.path = path
        self.limits = limits
        self.busy_timeout = busy_timeout  # s a statement waits for another process's lock
        self._local = threading.local()
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        with self._connect() as db:
            db.executescript(SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=self.busy_timeout, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        return db

    @property
    def db(self) -> sqlite3.Connection:
        pid = os.getpid()
        if getattr(self._local, "pid", None) != pid:  # a new process (or thread): its own connection
            self._local.db = self._connect()
            self._local.pid = pid
        return self._local.db

    def _tx(self):
        return _Transaction(self.db)

    # -- the web side ---------------------------------------------------------------------------------

    def submit(self, job: Job, client: str, now: float | None = None) -> JobStatus:
        """Queue ``job`` for ``client``, or join the identical job already queued, running or done."""
        now = time.time() if now is None else now
        with self._tx() as db:
            self._expire(db, now)
            row = db.execute("SELECT state FROM jobs WHERE key = ?", (job.key,)).fetchone()
            done = db.execute("SELECT 1 FROM results WHERE key = ?", (job.key,)).fetchone()
            if done is None and (row is None or row[0] not in ACTIVE):
                mine = db.execute(
                    "SELECT COUNT(*) FROM waiters w JOIN jobs j ON j.key = w.key "
                    "WHERE w.client = ? AND j.state IN ('queued', 'running')",
                    (client,),
                ).fetchone()[0]
                if mine >= self.limits.per_client:
                    raise Refused(
                        _("You already have {n} jobs waiting or running; wait for them or cancel one first.").format(
                            n=mine
                        )
                    )
                queued = db.execute("SELECT COUNT(*) FROM jobs WHERE state = 'queued'").fetchone()[0]
                if queued >= self.limits.queue:
                    raise Refused(
                        _("The server's queue is full ({n} jobs waiting); please try again in a minute.").format(
                            n=queued
                        )
                    )
                seq = db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM jobs").fetchone()[0]
                db.execute(
                    "INSERT OR REPLACE INTO jobs (key, func, payload, state, seq, created, heartbeat) "
                    "VALUES (?, ?, ?, 'queued', ?, ?, ?)",
                    (job.key, job.func, job.payload, seq, now, now),
                )
                db.execute("DELETE FROM waiters WHERE key = ?", (job.key,))
            db.execute("INSERT OR REPLACE INTO waiters (key, client, polled) VALUES (?, ?, ?)", (job.key, client, now))
        return self.status(job.key, client, now)

    def status(self, key: str, client: str | None = None, now: float | None = None) -> JobStatus:
        """Where the job stands (and, for ``client``, a sign that they are still waiting)."""
        now = time.time() if now is None else now
        db = self.db
        if client is not None:
            db.execute("UPDATE waiters SET polled = ? WHERE key = ? AND client = ?", (now, key, client))
        if db.execute("SELECT 1 FROM results WHERE key = ?", (key,)).fetchone():
            return JobStatus(key=key, state="done")
        row = db.execute("SELECT state, seq, done, total, message FROM jobs WHERE key = ?", (key,)).fetchone()
        if row is None:
            return JobStatus(key=key, state="unknown", message=_("This job is no longer known; press Compute again."))
        state, seq, done, total, message = row
        ahead = 0
        if state == "queued":
            waiting = db.execute("SELECT COUNT(*) FROM waiters WHERE key = ?", (key,)).fetchone()[0]
            ahead = db.execute(  # the jobs ``claim`` takes first: more waiting pages, or as many and older
                f"SELECT COUNT(*) FROM jobs WHERE state = 'queued' AND key != ? AND "
                f"({WAITING} > ? OR ({WAITING} = ? AND seq < ?))",
                (key, waiting, waiting, seq),
            ).fetchone()[0]
            alive = db.execute(  # a runner waiting for work, or one reporting progress on a job
                "SELECT MAX(t) FROM (SELECT MAX(seen) AS t FROM runners "
                "UNION ALL SELECT MAX(heartbeat) FROM jobs WHERE state = 'running')"
            ).fetchone()[0]
            if alive is None or now - alive > RUNNER_SILENT:
                message = _("No job runner is answering on the server; the job waits until one starts.")
        if state == "done":  # its result expired
            state, message = "unknown", _("This result has expired; press Compute again.")
        return JobStatus(key=key, state=state, ahead=ahead, done=done, total=total, message=message)

    def result(self, key: str) -> bytes | None:
        row = self.db.execute("SELECT data FROM results WHERE key = ?", (key,)).fetchone()
        return None if row is None else row[0]

    def cancel(self, key: str, client: str) -> None:
        """``client`` no longer waits; a job nobody waits for is cancelled (a running one stops)."""
        with self._tx() as db:
            db.execute("DELETE FROM waiters WHERE key = ? AND client = ?", (key, client))
            left = db.execute("SELECT COUNT(*) FROM waiters WHERE key = ?", (key,)).fetchone()[0]
            if left == 0:
                db.execute(
                    "UPDATE jobs SET state = 'cancelled', message = 'Cancelled.' "
                    "WHERE key = ? AND state IN ('queued', 'running')",
                    (key,),
                )

    # -- the runner side ------------------------------------------------------------------------------

    def claim(self, key: str | None = None, now: float | None = None) -> Job | None:
        """Take the queued job (or job ``key``) the most pages wait for, the oldest of those; mark it running.

        A map a whole class asked for goes before one page's own; among equals, first come first served.
        """
        now = time.time() if now is None else now
        with self._tx() as db:
            self._abandon(db, now)
            if key is None:
                row = db.execute(
                    f"SELECT key, func, payload FROM jobs WHERE state = 'queued' ORDER BY {WAITING} DESC, seq LIMIT 1"
                ).fetchone()
            else:
                row = db.execute(
                    "SELECT key, func, payload FROM jobs WHERE key = ? AND state = 'queued'", (key,)
                ).fetchone()
            if row is None:
                return None
            db.execute("UPDATE jobs SET state = 'running', heartbeat = ? WHERE key = ?", (now, row[0]))
        return Job(key=row[0], func=row[1], payload=row[2])

    def alive(self, pid: int, now: float | None = None) -> None:
        """A runner's sign of life (it sends one at least every few seconds while it waits)."""
        now = time.time() if now is None else now
        self.db.execute("INSERT OR REPLACE INTO runners (pid, seen) VALUES (?, ?)", (pid, now))

    def progress(self, key: str, done: int, total: int, now: float | None = None) -> bool:
        """Record progress; False when the job should stop (cancelled, or nobody waits any more)."""
        now = time.time() if now is None else now
        with self._tx() as db:
            db.execute("UPDATE jobs SET done = ?, total = ?, heartbeat = ? WHERE key = ?", (done, total, now, key))
            state = db.execute("SELECT state FROM jobs WHERE key = ?", (key,)).fetchone()
            if state is None or state[0] != "running":
                return False
            if not self._watched(db, key, now):
                db.execute(
                    "UPDATE jobs SET state = 'cancelled', message = 'Stopped: nobody was waiting for it.' "
                    "WHERE key = ?",
                    (key,),
                )
                return False
        return True

    def finish(self, key: str, data: bytes, now: float | None = None) -> None:
        now = time.time() if now is None else now
        with self._tx() as db:
            db.execute("INSERT OR REPLACE INTO results (key, data, created) VALUES (?, ?, ?)", (key, data, now))
            db.execute("UPDATE jobs SET state = 'done', heartbeat = ? WHERE key = ?", (now, key))

    def fail(self, key: str, message: str, state: str = "failed") -> None:
        with self._tx() as db:
            db.execute("UPDATE jobs SET state = ?, message = ? WHERE key = ?", (state, message, key))

    def counts(self) -> dict[str, int]:
        """How many jobs are in each state (for tests and benchmarks)."""
        return dict(self.db.execute("SELECT state, COUNT(*) FROM jobs GROUP BY state").fetchall())

    # -- housekeeping ---------------------------------------------------------------------------------

    def _watched(self, db: sqlite3.Connection, key: str, now: float) -> bool:
        last = db.execute("SELECT MAX(polled) FROM waiters WHERE key = ?", (key,)).fetchone()[0]
        return last is not None and now - last <= self.limits.abandon_after

    def _abandon(self, db: sqlite3.Connection, now: float) -> None:
        """Queued jobs nobody polls any more are dropped; running jobs whose runner went silent fail."""
        stale = now - self.limits.abandon_after
        db.execute(
            "UPDATE jobs SET state = 'cancelled', message = 'Dropped: nobody was waiting for it.' "
            "WHERE state = 'queued' AND NOT EXISTS "
            "(SELECT 1 FROM waiters w WHERE w.key = jobs.key AND w.polled >= ?)",
            (stale,),
        )
        db.execute(
            "UPDATE jobs SET state = 'failed', message = 'The process computing it stopped; press Compute again.' "
            "WHERE state = 'running' AND heartbeat < ?",
            (now - self.limits.silent_after,),
        )

    def _expire(self, db: sqlite3.Connection, now: float) -> None:
        old = now - self.limits.result_ttl
        db.execute("DELETE FROM results WHERE created < ?", (old,))
        db.execute("DELETE FROM jobs WHERE state NOT IN ('queued', 'running') AND heartbeat < ?", (old,))
        db.execute("DELETE FROM waiters WHERE key NOT IN (SELECT key FROM jobs)")


class _Transaction:
    """``BEGIN IMMEDIATE`` ... ``COMMIT`` (or ``ROLLBACK``): one writer at a time, never half a change."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> sqlite3.Connection:
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, kind, *_) -> None:
        self.db.execute("ROLLBACK" if kind else "COMMIT")
