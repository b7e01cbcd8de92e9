"""The job table scaled out: the same jobs, waiters and results as ``jobs.store``, kept in Redis.

Every change that reads and then writes runs as one Lua script (Redis runs a script atomically),
so two web workers submitting the same job, or two Celery workers claiming it, cannot both win.

    <p>job:<key>      hash: func, payload, state, seq, done, total, message, created, heartbeat
    <p>queue          sorted set of queued keys by seq (queue order)
    <p>waiters:<key>  hash: client -> last poll
    <p>client:<id>    set of the keys a page asked for (its per-page limit)
    <p>result:<key>   the result's bytes (expires after ``result_ttl``)
"""

from __future__ import annotations

import time

import redis

from i18n import _
from jobs.spec import Job, JobStatus, Refused, code_version

PREFIX = "gdjobs:"

_WATCHED = """
local function watched(p, key, now, abandon)
  local best = nil
  for _, v in ipairs(redis.call('HVALS', p .. 'waiters:' .. key)) do
    local t = tonumber(v)
    if best == nil or t > best then best = t end
  end
  return best ~= nil and now - best <= abandon
end
"""

SUBMIT = """
local p, key, func, payload, client = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local now, per_client, limit = tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8])
local jk = p .. 'job:' .. key
local fresh = 0
if redis.call('EXISTS', p .. 'result:' .. key) == 0 then
  local state = redis.call('HGET', jk, 'state')
  if state ~= 'queued' and state ~= 'running' then
    local mine = 0
    for _, k in ipairs(redis.call('SMEMBERS', p .. 'client:' .. client)) do
      local s = redis.call('HGET', p .. 'job:' .. k, 'state')
      if s == 'queued' or s == 'running' then mine = mine + 1 else redis.call('SREM', p .. 'client:' .. client, k) end
    end
    if mine >= per_client then return {'client', mine} end
    local queued = redis.call('ZCARD', p .. 'queue')
    if queued >= limit then return {'full', queued} end
    local seq = redis.call('INCR', p .. 'seq')
    redis.call('DEL', jk, p .. 'waiters:' .. key)
    redis.call('HSET', jk, 'func', func, 'payload', payload, 'state', 'queued', 'seq', seq, 'done', 0,
               'total', 0, 'message', '', 'created', now, 'heartbeat', now)
    redis.call('ZADD', p .. 'queue', seq, key)
    fresh = 1
  end
end
redis.call('HSET', p .. 'waiters:' .. key, client, now)
redis.call('SADD', p .. 'client:' .. client, key)
redis.call('EXPIRE', p .. 'client:' .. client, 3600)
return {'ok', fresh}
"""

CLAIM = (
    _WATCHED
    + """
local p, key, now, abandon = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local jk = p .. 'job:' .. key
if redis.call('HGET', jk, 'state') ~= 'queued' then return 0 end
redis.call('ZREM', p .. 'queue', key)
if not watched(p, key, now, abandon) then
  redis.call('HSET', jk, 'state', 'cancelled', 'message', 'Dropped: nobody was waiting for it.')
  return 0
end
redis.call('HSET', jk, 'state', 'running', 'heartbeat', now)
return 1
"""
)

PROGRESS = (
    _WATCHED
    + """
local p, key, done, total, now, abandon = ARGV[1], ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5]), tonumber(ARGV[6])
local jk = p .. 'job:' .. key
if redis.call('HGET', jk, 'state') ~= 'running' then return 0 end
redis.call('HSET', jk, 'done', done, 'total', total, 'heartbeat', now)
if not watched(p, key, now, abandon) then
  redis.call('HSET', jk, 'state', 'cancelled', 'message', 'Stopped: nobody was waiting for it.')
  return 0
end
return 1
"""
)

CANCEL = """
local p, key, client = ARGV[1], ARGV[2], ARGV[3]
local jk = p .. 'job:' .. key
redis.call('HDEL', p .. 'waiters:' .. key, client)
redis.call('SREM', p .. 'client:' .. client, key)
if redis.call('HLEN', p .. 'waiters:' .. key) == 0 then
  local state = redis.call('HGET', jk, 'state')
  if state == 'queued' or state == 'running' then
    redis.call('HSET', jk, 'state', 'cancelled', 'message', 'Cancelled.')
    redis.call('ZREM', p .. 'queue', key)
  end
end
return 1
"""


class RedisStore:
    """Jobs, waiters and results in Redis (see module docstring); the same methods as ``SQLiteStore``."""

    ERRORS = (redis.RedisError,)  # what ``jobs.Queue`` reports as "the queue did not answer"

    def __init__(self, url: str, limits, prefix: str | None = None) -> None:
        self.redis = redis.Redis.from_url(url)
        self.limits = limits
        self.p = prefix if prefix is not None else f"{PREFIX}{code_version()}:"  # one queue per code version
        self._submit = self.redis.register_script(SUBMIT)
        self._claim = self.redis.register_script(CLAIM)
        self._progress = self.redis.register_script(PROGRESS)
        self._cancel = self.redis.register_script(CANCEL)

    def submit(self, job: Job, client: str, now: float | None = None) -> JobStatus:
        now = time.time() if now is None else now
        lim = self.limits
        kind, count = self._submit(
            args=[self.p, job.key, job.func, job.payload, client, now, lim.per_client, lim.queue]
        )
        if kind == b"client":
            raise Refused(
                _("You already have {n} jobs waiting or running; wait for them or cancel one first.").format(n=count)
            )
        if kind == b"full":
            raise Refused(
                _("The server's queue is full ({n} jobs waiting); please try again in a minute.").format(n=count)
            )
        return self.status(job.key, client, now)

    def status(self, key: str, client: str | None = None, now: float | None = None) -> JobStatus:
        now = time.time() if now is None else now
        r, jk = self.redis, f"{self.p}job:{key}"
        if client is not None and r.hexists(f"{self.p}waiters:{key}", client):
            r.hset(f"{self.p}waiters:{key}", client, now)
        if r.exists(f"{self.p}result:{key}"):
            return JobStatus(key=key, state="done")
        row = {k.decode(): v.decode() for k, v in r.hgetall(jk).items()}
        if not row:
            return JobStatus(key=key, state="unknown", message=_("This job is no longer known; press Compute again."))
        state, message = row["state"], row.get("message", "")
        if state == "running" and now - float(row["heartbeat"]) > self.limits.silent_after:
            state, message = "failed", _("The process computing it stopped; press Compute again.")
            self.fail(key, message)
        if state == "done":
            state, message = "unknown", _("This result has expired; press Compute again.")
        ahead = r.zcount(f"{self.p}queue", "-inf", f"({row['seq']}") if state == "queued" else 0
        return JobStatus(
            key=key, state=state, ahead=ahead, done=int(row["done"]), total=int(row["total"]), message=message
        )

    def result(self, key: str) -> bytes | None:
        return self.redis.get(f"{self.p}result:{key}")

    def cancel(self, key: str, client: str) -> None:
        self._cancel(args=[self.p, key, client])

    def claim(self, key: str | None = None, now: float | None = None) -> Job | None:
        """Mark job ``key`` running if it is queued and still wanted (Celery hands over one key per task;
        without a key, the oldest queued job)."""
        now = time.time() if now is None else now
        if key is None:
            first = self.redis.zrange(f"{self.p}queue", 0, 0)
            if not first:
                return None
            key = first[0].decode()
        if not self._claim(args=[self.p, key, now, self.limits.abandon_after]):
            return None
        func, payload = self.redis.hmget(f"{self.p}job:{key}", "func", "payload")
        return Job(key=key, func=func.decode(), payload=payload.decode())

    def progress(self, key: str, done: int, total: int, now: float | None = None) -> bool:
        now = time.time() if now is None else now
        return bool(self._progress(args=[self.p, key, done, total, now, self.limits.abandon_after]))

    def finish(self, key: str, data: bytes, now: float | None = None) -> None:
        ttl = int(self.limits.result_ttl)
        pipe = self.redis.pipeline()
        pipe.set(f"{self.p}result:{key}", data, ex=ttl)
        pipe.hset(f"{self.p}job:{key}", mapping={"state": "done", "heartbeat": time.time() if now is None else now})
        pipe.expire(f"{self.p}job:{key}", ttl)
        pipe.expire(f"{self.p}waiters:{key}", ttl)
        pipe.execute()

    def fail(self, key: str, message: str, state: str = "failed") -> None:
        pipe = self.redis.pipeline()
        pipe.hset(f"{self.p}job:{key}", mapping={"state": state, "message": message})
        pipe.expire(f"{self.p}job:{key}", int(self.limits.result_ttl))
        pipe.execute()

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for jk in self.redis.scan_iter(f"{self.p}job:*"):
            state = self.redis.hget(jk, "state")
            if state:
                out[state.decode()] = out.get(state.decode(), 0) + 1
        return out
