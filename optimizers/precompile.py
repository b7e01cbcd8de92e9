"""Fill this machine's kernel cache: ``python -m optimizers.precompile`` (the Dockerfile runs it).

Compiles every (rule, built-in surface) pairing that is not cached yet (``optimizers.kernel_cache``:
its ``run_kernel`` and its endings-only ``ends_kernel``, which basin maps and sweeps use),
and each rule's loop for own formulas (surface ``formula``: one kernel per rule serves every formula)
and for data landscapes (surface ``data``: one minibatch kernel per rule, ``optimizers.data_kernel``),
on all cores, so that no later process waits for the compiler. Options: ``--rules adam,sgd``,
``--surfaces rosenbrock,beale,formula``, ``--jobs N``.
"""

from __future__ import annotations

import argparse
import os
import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np

import landscapes
from landscapes.formula import DEFAULT_FORMULA, formula_surface
from optimizers.ends_engine import ends_supported, run_batch_ends
from optimizers.engine import run
from optimizers.kernel_cache import cache_dir
from optimizers.registry import NAMES


def compile_pairing(pairing: tuple[str, str]) -> tuple[str, str, float]:
    """Load or compile one pairing's kernel (a two-step run); returns it with the seconds taken."""
    rule, name = pairing
    if name == DATA:
        from landscapes.data.spec import DataSpec, spec_surface

        surface = spec_surface(DataSpec(n=20, batch=4))
    else:
        surface = formula_surface(DEFAULT_FORMULA) if name == FORMULA else landscapes.get(name)
    t0 = time.perf_counter()
    run(rule, surface, surface.start, 2)
    if ends_supported(rule, surface):
        run_batch_ends(rule, surface, np.array([surface.start], dtype=float), 2, np.zeros((0, 2)), 0.0)
    return rule, name, time.perf_counter() - t0


FORMULA = "formula"  # the loop for own formulas (landscapes.formula), one per rule
DATA = "data"  # the minibatch loop for data landscapes (landscapes.data), one per rule
SURFACES = (*landscapes.NAMES, FORMULA, DATA)


def precompile(rules=NAMES, surfaces=SURFACES, jobs: int | None = None) -> list[tuple[str, str, float]]:
    """Every pairing of ``rules`` x ``surfaces``, spread over ``jobs`` processes (default: all cores)."""
    pairings = [(r, s) for s in surfaces for r in rules]
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(pairings)))
    if jobs == 1:
        return [compile_pairing(p) for p in pairings]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(compile_pairing, pairings))


def _names(text: str | None, known: tuple[str, ...], what: str) -> tuple[str, ...]:
    if not text:
        return known
    names = tuple(n.strip() for n in text.split(",") if n.strip())
    unknown = [n for n in names if n not in known]
    if unknown:
        raise SystemExit(f"unknown {what}: {', '.join(unknown)} (choose from {', '.join(known)})")
    return names


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rules", help="comma-separated rule names (default: all)")
    parser.add_argument("--surfaces", help="comma-separated surface names, formula for own formulas (default: all)")
    parser.add_argument("--jobs", type=int, default=None, help="processes (default: one per core)")
    args = parser.parse_args(argv)
    rules = _names(args.rules, NAMES, "rules")
    surfaces = _names(args.surfaces, SURFACES, "surfaces")
    t0 = time.perf_counter()
    done = precompile(rules, surfaces, args.jobs)
    slowest = max(done, key=lambda d: d[2])
    print(
        f"{len(done)} kernels ready in {cache_dir()} after {time.perf_counter() - t0:.1f} s "
        f"(slowest: {slowest[0]} on {slowest[1]}, {slowest[2]:.2f} s)"
    )


if __name__ == "__main__":
    main()
