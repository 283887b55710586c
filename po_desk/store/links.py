"""The code lists of a row (kontaktorsaker, prioritetsgrunder) kept as link rows."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from po_desk.domain import categories
from po_desk.domain.categories import Category


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
