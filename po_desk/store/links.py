"""The code lists of a row (kontaktorsaker, prioritetsgrunder) kept as link rows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, TypeVar, cast

from sqlalchemy import ColumnElement, Connection, Select, Table, select

from po_desk.domain import categories
from po_desk.domain.categories import Category
from po_desk.store.tables import utc_now

T = TypeVar("T")


class fields(Mapping[str, Any]):
    """An ORM object seen as the mapping of its attributes, so that one function builds a
    domain object from it or from a Core row's `_mapping` (item access on a Core row is a
    third of the cost of attribute access: a register of 6 000 rows reads quicker)."""

    __slots__ = ("_row",)

    def __init__(self, row: object) -> None:
        self._row = row

    def __getitem__(self, name: str) -> Any:
        try:
            return getattr(self._row, name)
        except AttributeError:
            raise KeyError(name) from None

    def __iter__(self) -> Iterator[str]:
        return iter(vars(self._row))

    def __len__(self) -> int:
        return len(vars(self._row))


def codes_of(links: Iterable[Any], reference: tuple[Category, ...]) -> tuple[str, ...]:
    return categories.in_order(reference, [link.code for link in links])


def replace_codes(
    row: Any, attribute: str, wanted: Iterable[str], link_type: Callable[..., Any]
) -> None:
    """Replaces the link rows only when the set of codes changed, so an unchanged list
    does not mark the row as edited in the audit log."""
    wanted_set = set(wanted)
    if {link.code for link in getattr(row, attribute)} != wanted_set:
        setattr(row, attribute, [link_type(code=code) for code in sorted(wanted_set)])
        # A changed list is a change of the row: merges compare updated_at.
        if hasattr(row, "updated_at"):
            row.updated_at = utc_now()


def codes_by_parent(
    connection: Connection,
    link: Table,
    parent_column: str,
    reference: tuple[Category, ...],
    parents: Select[Any] | None = None,
) -> dict[str, tuple[str, ...]]:
    """All link codes in one query, grouped by parent id (optionally only `parents`).

    Loading lists this way instead of through ORM relationships keeps a 6 000-row register
    quick to show."""
    parent = link.c[parent_column]
    statement = select(parent, link.c.code)
    if parents is not None:
        statement = statement.where(parent.in_(parents))
    grouped: dict[str, list[str]] = defaultdict(list)
    for parent_id, code in connection.execute(statement).all():
        grouped[parent_id].append(code)
    order = categories.orderer(reference)
    return {key: order(codes) for key, codes in grouped.items()}


def load_with_codes(
    connection: Connection,
    table: Table,
    links: tuple[tuple[Table, tuple[Category, ...]], tuple[Table, tuple[Category, ...]]],
    parent_column: str,
    build: Callable[[Mapping[str, Any], tuple[str, ...], tuple[str, ...]], T],
    where: ColumnElement[bool] | None = None,
    order_by: tuple[Any, ...] = (),
) -> list[T]:
    """Rows of `table` with their two code lists (e.g. kontaktorsaker and
    prioritetsgrunder), in three Core queries (plain tuples, none of the ORM's per-row
    bookkeeping)."""
    statement = select(table).order_by(*order_by)
    parents = None
    if where is not None:
        statement, parents = statement.where(where), select(table.c.id).where(where)
    rows = connection.execute(statement).all()
    (first_link, first_reference), (second_link, second_reference) = links
    first = codes_by_parent(connection, first_link, parent_column, first_reference, parents)
    second = codes_by_parent(connection, second_link, parent_column, second_reference, parents)
    return [
        build(cast(Mapping[str, Any], row._mapping), first.get(row.id, ()), second.get(row.id, ()))
        for row in rows
    ]
