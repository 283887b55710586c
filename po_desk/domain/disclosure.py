"""Disclosure control for counts printed for readers outside the verksamhet (DESIGN §6).

A two-way table of counts (say aktör × nivå) is printed with its row totals, its column
totals and its grand total. Counts of 1 and 2 are hidden and printed as "<3" (primary
suppression). That alone is not enough: a row "<3, <3, 0, total 4" gives both hidden cells
away. So more cells are hidden, printed as "x" (secondary suppression), until no hidden
cell can be worked out. Where even that is not enough (a row "0, <3, <3, total <3" can only
be 1 + 1 = 2), a "<3" is printed as "x" too.

Decisions:

- A zero is shown: it says nothing about a person. Zeros are never hidden, so a reader
  knows that every hidden cell is at least 1: a "<3" cell is 1 or 2, an "x" cell is 1 or
  more. These bounds are true of what is printed.
- The grand total (the whole verksamhet) is always shown; if it is 1 or 2, no breakdown is
  printed at all.
- "Worked out" means: among all tables of non-negative integers that agree with everything
  printed (shown cells, the bounds above, every row and column adding up to its total),
  the cell has only one possible value.

The check is exact and needs no solver: with the margins' signs flipped, a change from one
consistent table to another is a flow around cycles in the bipartite graph of rows and
columns whose edges are the hidden cells. A hidden cell can take another value exactly when
it lies on a cycle along which every cell can move one step within its bounds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

SMALL_BELOW = 3
PRIMARY_MARK = f"<{SMALL_BELOW}"
SECONDARY_MARK = "x"

Position = tuple[int, int]


class Mark(Enum):
    SHOWN = "shown"
    SMALL = "small"  # 1 or 2, printed "<3"
    HIDDEN = "hidden"  # 1 or more, printed "x"


def bounds(mark: Mark) -> tuple[int, int | None]:
    """What a reader knows about a cell of this mark (upper bound None: no bound)."""
    if mark is Mark.SMALL:
        return 1, SMALL_BELOW - 1
    if mark is Mark.HIDDEN:
        return 1, None
    raise ValueError(mark)


def is_small(count: int) -> bool:
    return 0 < count < SMALL_BELOW


@dataclass(frozen=True)
class ProtectedTable:
    """A table with its margins as an (m+1) × (n+1) grid: row m holds the column totals,
    column n the row totals, (m, n) the grand total. `withheld` means no breakdown can be
    printed safely (only the grand total)."""

    grid: tuple[tuple[int, ...], ...]
    marks: tuple[tuple[Mark, ...], ...]
    withheld: bool = False

    @property
    def rows(self) -> int:
        return len(self.grid) - 1

    @property
    def columns(self) -> int:
        return len(self.grid[0]) - 1

    @property
    def total(self) -> int:
        return self.grid[-1][-1]

    def text(self, row: int, column: int) -> str:
        mark = self.marks[row][column]
        if mark is Mark.SMALL:
            return PRIMARY_MARK
        if mark is Mark.HIDDEN:
            return SECONDARY_MARK
        return str(self.grid[row][column])

    def row_total_shown(self, row: int) -> bool:
        return not self.withheld and self.marks[row][-1] is Mark.SHOWN

    @property
    def hides_anything(self) -> bool:
        return self.withheld or any(m is not Mark.SHOWN for line in self.marks for m in line)


def with_margins(cells: Sequence[Sequence[int]]) -> tuple[tuple[int, ...], ...]:
    columns = len(cells[0]) if cells else 0
    rows = [(*row, sum(row)) for row in cells]
    totals = [sum(row[j] for row in cells) for j in range(columns)]
    return (*(tuple(r) for r in rows), (*totals, sum(totals)))


def disclosed(grid: Sequence[Sequence[int]], marks: Sequence[Sequence[Mark]]) -> set[Position]:
    """The hidden cells of `grid` (with margins, see ProtectedTable) whose value is the only
    one consistent with what is printed."""
    m, n = len(grid) - 1, len(grid[0]) - 1
    hidden = [(i, j) for i in range(m + 1) for j in range(n + 1) if marks[i][j] is not Mark.SHOWN]
    # Nodes: ("r", i) and ("c", j). Arc row→column means y += 1 on that cell, where
    # y = x for inner cells and y = −x for the margins.
    arcs: dict[Position, list[tuple[tuple[str, int], tuple[str, int]]]] = {}
    for i, j in hidden:
        sign = -1 if (i == m) != (j == n) else 1
        low, high = bounds(marks[i][j])
        value = grid[i][j]

        def fits(step: int, low: int = low, high: int | None = high, value: int = value) -> bool:
            return value + step >= low and (high is None or value + step <= high)

        arcs[(i, j)] = []
        if fits(sign):
            arcs[(i, j)].append((("r", i), ("c", j)))
        if fits(-sign):
            arcs[(i, j)].append((("c", j), ("r", i)))
    result = set()
    for cell in hidden:
        if not any(_path(arcs, cell, end, start) for start, end in arcs[cell]):
            result.add(cell)
    return result


def _path(
    arcs: dict[Position, list[tuple[tuple[str, int], tuple[str, int]]]],
    without: Position,
    start: tuple[str, int],
    goal: tuple[str, int],
) -> bool:
    """Is there a directed path start ⇝ goal over the arcs of every cell but `without`?"""
    out: dict[tuple[str, int], list[tuple[str, int]]] = {}
    for cell, pairs in arcs.items():
        if cell != without:
            for a, b in pairs:
                out.setdefault(a, []).append(b)
    seen, todo = {start}, [start]
    while todo:
        node = todo.pop()
        if node == goal:
            return True
        for nxt in out.get(node, ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return False


def protect_table(cells: Sequence[Sequence[int]]) -> ProtectedTable:
    """Primary suppression of 1 and 2 everywhere but the grand total, then secondary
    suppression (the most helpful, smallest count in the same row or column, or a total;
    or a "<3" widened to "x") until no hidden cell can be worked out. If even that fails,
    the breakdown is withheld."""
    grid = with_margins(cells)
    m, n = len(grid) - 1, len(grid[0]) - 1
    marks = [
        [
            Mark.SMALL if is_small(grid[i][j]) and (i, j) != (m, n) else Mark.SHOWN
            for j in range(n + 1)
        ]
        for i in range(m + 1)
    ]
    withheld = 0 < grid[m][n] < SMALL_BELOW
    while not withheld:
        bad = disclosed(grid, marks)
        if not bad:
            break
        target = min(bad, key=lambda p: (grid[p[0]][p[1]], p))
        candidates = _candidates(grid, marks, target)
        if not candidates:
            withheld = True
            break
        marks[candidates[0][0]][candidates[0][1]] = Mark.HIDDEN
    return ProtectedTable(grid, tuple(tuple(line) for line in marks), withheld)


def _candidates(
    grid: Sequence[Sequence[int]], marks: list[list[Mark]], target: Position
) -> list[Position]:
    """Cells to hide (shown, non-zero) or to widen ("<3" to "x") next, best first: those in
    the target's row or column, ranked by whether the target is then safe, how many
    disclosed cells remain, widening before hiding, and size."""
    m, n = len(grid) - 1, len(grid[0]) - 1
    open_cells = [
        (i, j)
        for i in range(m + 1)
        for j in range(n + 1)
        if (i, j) != (m, n)
        and (marks[i][j] is Mark.SMALL or (marks[i][j] is Mark.SHOWN and grid[i][j] > 0))
    ]
    near = [p for p in open_cells if p[0] == target[0] or p[1] == target[1]] or open_cells

    def score(cell: Position) -> tuple[bool, int, bool, int, Position]:
        trial = [list(line) for line in marks]
        trial[cell[0]][cell[1]] = Mark.HIDDEN
        left = disclosed(grid, trial)
        shown = marks[cell[0]][cell[1]] is Mark.SHOWN
        return (target in left, len(left), shown, grid[cell[0]][cell[1]], cell)

    return sorted(near, key=score)


def protect_list(counts: Sequence[int], total: int) -> tuple[tuple[Mark, ...], bool]:
    """Counts that may overlap (an avvikelse has one or more kategorier): a reader knows
    only that each count is at most `total` and that they add up to at least `total`.
    Returns the marks and whether the list must be withheld."""
    marks = [Mark.SMALL if is_small(c) else Mark.SHOWN for c in counts]
    if 0 < total < SMALL_BELOW:
        return tuple(marks), True
    while True:
        bad = _list_disclosed(counts, marks, total)
        if not bad:
            return tuple(marks), False
        open_items = [
            i
            for i, c in enumerate(counts)
            if marks[i] is Mark.SMALL or (marks[i] is Mark.SHOWN and c > 0)
        ]
        if not open_items:
            return tuple(marks), True
        marks[min(open_items, key=lambda i: (marks[i] is Mark.SHOWN, counts[i], i))] = Mark.HIDDEN


def _list_disclosed(counts: Sequence[int], marks: Sequence[Mark], total: int) -> set[int]:
    visible = sum(c for c, mark in zip(counts, marks, strict=True) if mark is Mark.SHOWN)
    hidden = [i for i, mark in enumerate(marks) if mark is not Mark.SHOWN]
    result = set()
    for i in hidden:
        low, high = bounds(marks[i])
        high = total if high is None else min(high, total)
        others = sum(
            total if marks[k] is Mark.HIDDEN else min(bounds(marks[k])[1] or total, total)
            for k in hidden
            if k != i
        )
        low = max(low, total - visible - others)
        if low >= high:
            result.add(i)
    return result
