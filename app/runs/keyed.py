"""An ``lru_cache`` argument whose identity is a key alone: what it carries rides along unhashed."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any


class Keyed:
    """``value`` hashed and compared by ``key`` alone: equal keys, one kept answer for both."""

    __slots__ = ("key", "value")

    def __init__(self, key: Hashable, value: Any) -> None:
        self.key, self.value = key, value

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Keyed) and other.key == self.key
