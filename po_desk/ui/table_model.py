"""The one table pattern of the ui: a use case returns typed rows (dataclasses), a model
shows them through columns declared once, header beside value, so a header can never
drift from its value by position.

    COLUMNS = (
        Column("Kod", lambda row: row.kod, fit=True),
        Column("Födelseår", lambda row: str(row.fodelsear), sort_key=lambda row: row.fodelsear),
    )
    model = TableModel(COLUMNS, key=lambda row: row.id)

`TableModel` holds all its rows and sorts them itself (no proxy); `LazyTableModel` fetches
them a page at a time through Qt's canFetchMore/fetchMore, for lists without a bound such
as the ändringslogg. Column value functions may format (dates, decimals, labels) but
never count, order or apply a period: that is the use case's work."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cmp_to_key
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QCollator,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

Row = TypeVar("Row")
Index = QModelIndex | QPersistentModelIndex

SORT_ROLE = Qt.ItemDataRole.UserRole
ID_ROLE = Qt.ItemDataRole.UserRole + 1
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


@dataclass(frozen=True)
class Column(Generic[Row]):
    """One column: its header, what a cell shows, how it is aligned and sorted.

    `sort_key` defaults to the shown text; `tooltip` to none; `fit` makes the column always
    as wide as its widest cell (short values: dates, codes, statuses); `stretch` gives it
    the width the others leave (without one, the last column takes it)."""

    header: str
    value: Callable[[Row], str]
    align: Qt.AlignmentFlag = LEFT
    sort_key: Callable[[Row], Any] | None = None
    tooltip: Callable[[Row], str] | None = None
    fit: bool = False
    stretch: bool = False

    def key_of(self, row: Row) -> Any:
        return self.sort_key(row) if self.sort_key is not None else self.value(row)


def _swedish() -> QCollator:
    return QCollator(QLocale(QLocale.Language.Swedish, QLocale.Country.Sweden))


class TableModel(QAbstractTableModel, Generic[Row]):
    """Rows of one type shown through `columns`; `key` gives a row's id (ID_ROLE)."""

    def __init__(
        self, columns: Sequence[Column[Row]], key: Callable[[Row], object] | None = None
    ) -> None:
        super().__init__()
        self.columns: tuple[Column[Row], ...] = tuple(columns)
        self._key = key
        self._rows: list[Row] = []
        self._sorted_by: tuple[int, Qt.SortOrder] | None = None

    # -- rows ----------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[Row]) -> None:
        """Replaces every row (a model reset); a sort asked for earlier is kept."""
        self.beginResetModel()
        self._rows = list(rows)
        if self._sorted_by is not None:
            self._order(*self._sorted_by)
        self.endResetModel()

    def clear(self) -> None:
        self.set_rows([])

    def row_at(self, row: int) -> Row:
        return self._rows[row]

    def rows(self) -> list[Row]:
        """The rows in the order shown."""
        return list(self._rows)

    def column_of(self, header: str) -> int:
        """The position of the column with this header (views name columns, never count)."""
        return next(i for i, column in enumerate(self.columns) if column.header == header)

    # -- Qt's model interface ------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].header
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(self.columns[section].align)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.value(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(column.align)
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.tooltip(row) if column.tooltip is not None else None
        if role == SORT_ROLE:
            return column.key_of(row)
        if role == ID_ROLE:
            return self._key(row) if self._key is not None else None
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Stable sort on the column's sort key, empty values last; selection follows."""
        if not 0 <= column < len(self.columns):
            return
        self._sorted_by = (column, order)
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        moved = [(index, self._rows[index.row()]) for index in before if index.isValid()]
        self._order(column, order)
        position = {id(row): number for number, row in enumerate(self._rows)}
        self.changePersistentIndexList(
            [index for index, _row in moved],
            [self.index(position[id(row)], index.column()) for index, row in moved],
        )
        self.layoutChanged.emit()

    def _order(self, column: int, order: Qt.SortOrder) -> None:
        """Empty keys (None) after every other, whichever the direction asked; text in
        Swedish alphabetical order (a before B, Å before Ä before Ö)."""
        key_of = self.columns[column].key_of
        keyed = [(key_of(row), row) for row in self._rows]
        filled = [pair for pair in keyed if pair[0] is not None]
        descending = order == Qt.SortOrder.DescendingOrder
        if filled and all(isinstance(key, str) for key, _row in filled):
            compare = cmp_to_key(_swedish().compare)
            filled.sort(key=lambda pair: compare(pair[0]), reverse=descending)
        else:
            filled.sort(key=lambda pair: pair[0], reverse=descending)
        self._rows = [row for _key, row in filled] + [row for key, row in keyed if key is None]


Fetch = Callable[[Row | None, int], list[Row]]


class LazyTableModel(TableModel[Row]):
    """A table whose rows come a page at a time: `start` shows the first page and the total,
    the view asks for more (canFetchMore/fetchMore) as the user scrolls. `fetch(after,
    limit)` returns the `limit` rows after row `after` (None: from the first). Not sortable:
    the order is the use case's."""

    def __init__(
        self,
        columns: Sequence[Column[Row]],
        key: Callable[[Row], object] | None = None,
        page_size: int = 200,
    ) -> None:
        super().__init__(columns, key)
        self.page_size = page_size
        self._total = 0
        self._fetch: Fetch[Row] | None = None

    def start(self, total: int, fetch: Fetch[Row]) -> None:
        """A new list of `total` rows: only its first page is fetched now."""
        self.beginResetModel()
        self._fetch = fetch
        self._rows = fetch(None, self.page_size) if total else []
        self._total = max(total, len(self._rows))
        self.endResetModel()

    def set_rows(self, rows: Sequence[Row]) -> None:
        self._fetch = None
        self._total = len(rows)
        super().set_rows(rows)

    def total(self) -> int:
        """Rows in the whole list, fetched or not."""
        return self._total

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._fetch is not None and len(self._rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent) or self._fetch is None:
            return
        page = self._fetch(self._rows[-1] if self._rows else None, self.page_size)
        if not page:  # the list shrank since it was counted
            self._total = len(self._rows)
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """The order is the use case's; sorting one page would mislead."""
