"""Pages of a long list in the console: which page to show of how many."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Dict, Sequence, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Pages:
    """Page `number` (from 1) of `count` pages of `size` items."""

    number: int
    count: int
    size: int

    def items(self, found: Sequence[T]) -> Sequence[T]:
        """The items of this page."""
        return found[(self.number - 1) * self.size:self.number * self.size]

    def links(self, link: Callable[[int], str]) -> Dict[str, str]:
        """The template's previous_link and next_link ("" at either end)."""
        return {"previous_link": link(self.number - 1) if self.number > 1 else "",
                "next_link": link(self.number + 1) if self.number < self.count else ""}


def pages_of(total: int, requested: str, size: int) -> Pages:
    """The page a query asked for (`requested`, any text), kept within the pages `total` items make."""
    count = max(1, -(-total // size))
    number = int(requested) if requested.isdigit() and len(requested) < 7 else 1
    return Pages(min(max(1, number), count), count, size)
