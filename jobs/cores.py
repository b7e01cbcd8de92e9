"""How many cores this process may use: the CPU affinity, capped by a container's CPU quota.

``os.cpu_count()`` counts the host's cores; in a container limited with ``docker run --cpus 2``
(cgroup quota) or pinned with ``--cpuset-cpus`` that would start too many job runners and workers.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

CGROUP = Path("/sys/fs/cgroup")


def _quota(root: Path) -> float | None:
    """The cgroup's CPU quota in cores (v2 ``cpu.max``, else v1 ``cpu.cfs_quota_us``), None: none."""
    try:
        quota, period = (root / "cpu.max").read_text().split()[:2]
        return None if quota == "max" else int(quota) / int(period)
    except (OSError, ValueError):
        pass
    try:
        quota = int((root / "cpu" / "cpu.cfs_quota_us").read_text())
        period = int((root / "cpu" / "cpu.cfs_period_us").read_text())
        return None if quota <= 0 or period <= 0 else quota / period
    except (OSError, ValueError):
        return None


def usable_cores(root: Path = CGROUP) -> int:
    """min(cores in this process's affinity, the cgroup quota rounded up), at least 1."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    quota = _quota(root)
    if quota is not None:
        cores = min(cores, math.ceil(quota))
    return max(1, cores)
