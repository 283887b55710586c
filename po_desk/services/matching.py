"""What a register view shows after a search: the rows that match and how many there are
in all ("12 av 340 uppdrag")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

Row = TypeVar("Row")


@dataclass(frozen=True)
class Matching(Generic[Row]):
    rows: list[Row]
    total: int

    @property
    def shown(self) -> int:
        return len(self.rows)
