"""Disclosure control: an attacker's solver, written here independently of
po_desk.domain.disclosure, tries to work out hidden cells from everything printed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from po_desk.domain import categories, disclosure, underlag
from po_desk.domain.avvikelse import Avvikelse
from po_desk.domain.disclosure import PRIMARY_MARK, SECONDARY_MARK


def reader_bounds(text: str, total: int) -> tuple[int, int]:
    """What a reader knows of a printed cell: a number is itself, "<3" is 1–2, "x" is at
    least 1 (zeros are shown) and, like any cell, at most the grand total."""
    if text == PRIMARY_MARK:
        return 1, 2
    if text == SECONDARY_MARK:
        return 1, total
    return int(text), int(text)


def solutions_differing(
    printed: Sequence[Sequence[str]],
    cell: tuple[int, int],
    true_value: int,
    guide: Sequence[Sequence[int]],
) -> bool:
    """Is there a table of non-negative integers consistent with `printed` (inner cells,
    row totals in the last column, column totals in the last row, grand total shown) in
    which `cell` is not `true_value`? A depth-first search over the inner cells, trying
    values near `guide` first, pruning on row, column and grand totals."""
    m, n = len(printed) - 1, len(printed[0]) - 1
    total = int(printed[m][n])
    box = [[reader_bounds(printed[i][j], total) for j in range(n + 1)] for i in range(m + 1)]
    values = [[0] * n for _ in range(m)]
    order = [(i, j) for i in range(m) for j in range(n)]

    def candidates(i: int, j: int) -> list[int]:
        low, high = box[i][j]
        row_used = sum(values[i][:j])
        col_used = sum(values[k][j] for k in range(i))
        grand_used = sum(map(sum, values[:i])) + row_used
        high = min(high, box[i][n][1] - row_used, box[m][j][1] - col_used, total - grand_used)
        if j == n - 1:  # the row's last cell: its total must come out within bounds
            low = max(low, box[i][n][0] - row_used)
        if i == m - 1:
            low = max(low, box[m][j][0] - col_used)
        options = list(range(low, high + 1))
        return sorted(options, key=lambda v: abs(v - guide[i][j]))

    def consistent() -> bool:
        for i in range(m):
            low, high = box[i][n]
            if not low <= sum(values[i]) <= high:
                return False
        for j in range(n):
            low, high = box[m][j]
            if not low <= sum(values[i][j] for i in range(m)) <= high:
                return False
        return sum(map(sum, values)) == total

    def search(k: int) -> bool:
        if k == len(order):
            if not consistent():
                return False
            full = [[*row, sum(row)] for row in values]
            full.append([*(sum(values[i][j] for i in range(m)) for j in range(n)), total])
            return full[cell[0]][cell[1]] != true_value
        i, j = order[k]
        for value in candidates(i, j):
            values[i][j] = value
            if search(k + 1):
                return True
        values[i][j] = 0
        return False

    return search(0)


def printed_of(table: disclosure.ProtectedTable) -> list[list[str]]:
    return [[table.text(i, j) for j in range(table.columns + 1)] for i in range(table.rows + 1)]


def test_primary_suppression_alone_is_undone_by_the_solver() -> None:
    # The row: <3 / <3 / 0, total 4. With only "<3" both hidden cells come out 2.
    naive = [["2", "2", "0", "4"], ["5", "3", "1", "9"], ["7", "5", "1", "13"]]
    naive = [[PRIMARY_MARK if c in ("1", "2") else c for c in row] for row in naive]
    naive[2][3] = "13"
    guide = [[2, 2, 0], [5, 3, 1]]
    assert not solutions_differing(naive, (0, 0), 2, guide)
    assert not solutions_differing(naive, (0, 1), 2, guide)
    protected = disclosure.protect_table([[2, 2, 0], [5, 3, 1]])
    assert not protected.withheld
    printed = printed_of(protected)
    assert printed[0][:3] == [PRIMARY_MARK, PRIMARY_MARK, "0"] and printed[2][3] == "13"
    for i, row in enumerate(printed):
        for j, text in enumerate(row):
            if text in (PRIMARY_MARK, SECONDARY_MARK):
                assert solutions_differing(printed, (i, j), protected.grid[i][j], guide), (i, j)


counts = st.integers(0, 9).map(lambda v: v if v < 6 else v - 6)  # mostly small
tables = st.integers(1, 4).flatmap(
    lambda rows: st.integers(1, 3).flatmap(
        lambda cols: st.lists(
            st.lists(counts, min_size=cols, max_size=cols), min_size=rows, max_size=rows
        )
    )
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables)
@example([[2, 2, 0]])
@example([[2, 2, 0], [5, 3, 1]])
@example([[1, 0, 0], [0, 0, 4], [3, 3, 0]])
def test_property_no_hidden_cell_can_be_worked_out(cells: list[list[int]]) -> None:
    protected = disclosure.protect_table(cells)
    grid = protected.grid
    m, n = protected.rows, protected.columns
    assert grid[m][n] == sum(map(sum, cells))
    if protected.withheld:
        # Only when even hiding every non-zero count does not protect (tiny totals).
        assert grid[m][n] < 3 or any(
            protected.marks[i][j] is not disclosure.Mark.SHOWN
            for i in range(m + 1) for j in range(n + 1)
        )  # fmt: skip
        return
    printed = printed_of(protected)
    # Every 1 and 2 is hidden; zeros and the grand total are shown.
    for i in range(m + 1):
        for j in range(n + 1):
            value, text = grid[i][j], printed[i][j]
            if (i, j) == (m, n) or value == 0:
                assert text == str(value)
            elif value < 3:
                assert text in (PRIMARY_MARK, SECONDARY_MARK)
            else:
                assert text in (str(value), SECONDARY_MARK)
    # The attacker: no hidden cell has only one consistent value.
    for i in range(m + 1):
        for j in range(n + 1):
            if printed[i][j] in (PRIMARY_MARK, SECONDARY_MARK):
                assert solutions_differing(printed, (i, j), grid[i][j], cells), (printed, i, j)


@settings(max_examples=200, deadline=None)
@given(st.lists(counts, min_size=1, max_size=8), st.data())
def test_property_overlapping_counts_cannot_be_worked_out(values: list[int], data) -> None:
    # Kategorier: each avvikelse has at least one, so the counts add up to ≥ the total.
    total = data.draw(st.integers(biggest := max([*values, 0]), max(sum(values), biggest)))
    marks, withheld = disclosure.protect_list(values, total)
    if withheld:
        assert 0 < total < 3 or all(
            mark is not disclosure.Mark.SHOWN for v, mark in zip(values, marks, strict=True) if v
        )
        return
    hidden = [i for i, mark in enumerate(marks) if mark is not disclosure.Mark.SHOWN]
    visible = sum(v for v, mark in zip(values, marks, strict=True) if mark is disclosure.Mark.SHOWN)
    for i in hidden:
        low, high = (1, 2) if marks[i] is disclosure.Mark.SMALL else (1, total)
        assert all(values[k] > 0 for k in hidden)
        others_max = sum(2 if marks[k] is disclosure.Mark.SMALL else total
                         for k in hidden if k != i)  # fmt: skip
        possible = [
            v for v in range(low, min(high, total) + 1) if visible + v + others_max >= total
        ]
        assert len(possible) >= 2, (values, total, marks, i)


aktor_codes = st.sampled_from(categories.codes(categories.AKTORER)[:6])
niva_codes = st.sampled_from(categories.codes(categories.NIVAER))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(aktor_codes, niva_codes), min_size=0, max_size=30))
def test_property_external_listing_adds_nothing_to_the_table(pairs) -> None:
    """The external underlag lists texts only under aktörer whose count the table prints,
    so the number of listed texts (and of the rest) follows from the table: the solver of
    the test above, run on the table alone, sees everything a reader can count."""
    base = Avvikelse(
        datum=date(2025, 3, 1), aktor="forsakringskassan", niva="handlaggare",
        kategorier=("vantetider",), beskrivning="Beslutet dröjde.", konsekvens="",
        atgarder=("skrivelse",),
    )  # fmt: skip
    items = [replace(base, aktor=a, niva=n) for a, n in pairs]
    data = underlag.build(
        verksamhet="PO", lan="Län", kommuner=("K",), fran=date(2025, 1, 1),
        till=date(2025, 6, 30), mote=date(2025, 9, 1), uppdrag=[], anmalningar=[],
        avvikelser=items, meetings=[], suppress_small=True,
    )  # fmt: skip
    table = data.aktor_table
    assert table is not None and table.total == len(items)
    total_column = len(categories.NIVAER)
    listed = 0
    for index, row in enumerate(data.aktor_niva):
        printed = data.aktor_cell(index, total_column)
        if data.texts_listed(row.aktor):
            assert printed == str(row.total) and row.total >= 3
            assert len(data.new_by_aktor[row.aktor]) == row.total
            listed += row.total
        else:
            assert printed in (PRIMARY_MARK, SECONDARY_MARK) or table.withheld
    printed_totals = sum(
        int(t) for i in range(table.rows) if (t := data.aktor_cell(i, total_column)).isdigit()
    )
    if not table.withheld:
        # "Övriga aktörer: N avvikelser" is the grand total minus the printed row totals.
        assert len(items) - listed == len(items) - printed_totals
