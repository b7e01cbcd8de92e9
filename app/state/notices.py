"""Notices as the page shows them: every one up to a limit, then how many more there are."""

from __future__ import annotations

MAX_SHOWN = 20


def shown(notices: list[str], limit: int = MAX_SHOWN) -> list[str]:
    """``notices`` when they fit in ``limit`` lines; else the first ``limit - 1`` and "… and N more"."""
    if len(notices) <= limit:
        return list(notices)
    rest = len(notices) - (limit - 1)
    return [*notices[: limit - 1], f"… and {rest} more."]
