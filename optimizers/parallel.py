"""Several independent engine calls side by side on the machine's cores (the compiled loops release the GIL).

One module-level pool of helper threads serves every caller: ``usable_cores() - 1`` helpers
(``jobs.cores``), since the calling thread works too. Under gunicorn's threads many requests share
those helpers, so the threads doing engine work stay bounded by the core count plus the requests'
own threads, however many requests arrive; a forked process (a gunicorn worker) makes its own pool.

``call_all(calls)`` runs each call once: the caller and whichever helpers are free take the next
call not yet taken until none is left, so a caller whose helpers are busy with other requests does
its whole list itself rather than wait in line. Each call runs in a copy of the caller's
``contextvars`` context (the interface's language, ``i18n``). A call's result does not depend on the
thread that ran it: ``run_many`` equals one ``run`` after another, bit for bit.
"""

from __future__ import annotations

import contextvars
import itertools
import os
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from jobs.cores import usable_cores
from optimizers.engine import run
from optimizers.registry import RULES
from optimizers.result import RunResult

T = TypeVar("T")

_pool: ThreadPoolExecutor | None = None
_helpers = -1  # not decided yet
_pool_lock = threading.Lock()


def helpers() -> tuple[ThreadPoolExecutor | None, int]:
    """The shared pool and its size (None, 0 on a single core); created on first use."""
    global _pool, _helpers
    if _helpers < 0:
        with _pool_lock:
            if _helpers < 0:
                n = usable_cores() - 1
                _pool = ThreadPoolExecutor(n, thread_name_prefix="engine-helper") if n > 0 else None
                _helpers = max(n, 0)
    return _pool, _helpers


def _forget_pool() -> None:
    """In a forked child (gunicorn's workers fork from a warmed master): the parent's helper threads are
    not there, so the child makes its own pool on first use."""
    global _pool, _helpers, _pool_lock
    _pool, _helpers, _pool_lock = None, -1, threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pool)


def call_all(calls: Sequence[Callable[[], T]]) -> list[T]:
    """``[c() for c in calls]``, computed by this thread and the pool's free helpers together.

    The results come in the order of ``calls``; if calls raise, the first of them (in that order)
    is raised once every call has ended.
    """
    n = len(calls)
    pool, size = helpers()
    if pool is None or n < 2:
        return [c() for c in calls]
    contexts = [contextvars.copy_context() for _ in range(n)]
    results: list = [None] * n
    errors: list[BaseException | None] = [None] * n
    taken = itertools.count()  # next() is atomic: each index is taken by one thread
    left = [n]
    lock = threading.Lock()
    finished = threading.Event()

    def work() -> None:
        while (i := next(taken)) < n:
            try:
                results[i] = contexts[i].run(calls[i])
            except BaseException as e:  # handed to the caller
                errors[i] = e
            with lock:
                left[0] -= 1
                if left[0] == 0:
                    finished.set()

    for _ in range(min(size, n - 1)):
        pool.submit(work)
    work()
    finished.wait()
    for e in errors:
        if e is not None:
            raise e
    return results


def dearest_first(rules: Iterable[str], hyper_by_rule: Mapping[str, dict] | None = None) -> list[str]:
    """``rules`` ordered by their estimated cost per step (``Rule.step_ns`` plus ``step_work``), dearest
    first: handed out in this order, the last calls taken are the cheap ones, and the threads end together."""
    hyper_by_rule = hyper_by_rule or {}

    def cost(name: str) -> float:
        r = RULES.get(name)
        if r is None:
            return 0.0
        try:
            extra, evals = r.step_work(hyper_by_rule.get(name, {}), 1)
        except Exception:  # odd settings: the engine's own check will speak
            extra, evals = 0.0, 1
        return r.step_ns + extra + 100.0 * max(evals - 1, 0)

    return sorted(rules, key=cost, reverse=True)


def run_many(
    rules: Sequence[str],
    surface,
    start,
    steps: int,
    hyper_by_rule: Mapping[str, dict] | None = None,
    schedules: Mapping | None = None,
    **options,
) -> dict[str, RunResult]:
    """``{rule: run(rule, surface, start, steps, lr_schedule=schedules.get(rule), **options,
    **hyper_by_rule.get(rule, {}))}`` for every rule of ``rules``, in that order, run side by side
    (``call_all``); ``options`` are ``run``'s other keywords (grad_noise, seed, bound, loss_every, ...)."""
    hyper_by_rule = hyper_by_rule or {}
    schedules = schedules or {}
    order = dearest_first(dict.fromkeys(rules), hyper_by_rule)

    def call(rule: str) -> Callable[[], RunResult]:
        hyper = hyper_by_rule.get(rule, {})
        return lambda: run(rule, surface, start, steps, lr_schedule=schedules.get(rule), **options, **hyper)

    done = dict(zip(order, call_all([call(rule) for rule in order]), strict=True))
    return {rule: done[rule] for rule in rules}
