"""What a write use case changed, so that a view refreshes only when its data changed.

After Anki's `OpChanges`: every write method of a service declares, next to the write,
which kinds of data it touches (`@writes(uppdrag=True, klient=True)`). The GUI reads the
declaration (`changes_of(service.save)`), the main window broadcasts it after the write,
and each view decides from it whether to refresh. The return values of the use cases are
unchanged, so the CLI and the tests call them as before.

Every write is also written to the ändringslogg (the audit hook of the store), so any
change at all is a change of the log: `OpChanges.audit`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any, TypeVar

ATTRIBUTE = "__op_changes__"

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class OpChanges:
    """One flag per kind of data a view shows."""

    uppdrag: bool = False
    klient: bool = False
    ko: bool = False
    avvikelser: bool = False
    ledningsgrupp: bool = False
    verksamhet: bool = False  # the verksamhet, its kommuner and ombud
    prioritering: bool = False  # prioriteringsordning, prioritetsgrunder, intagningsstopp
    aterrapport: bool = False  # answers, manual figures and fastställda returns
    settings: bool = False  # settings kept in the store (gallring, kö threshold, notes ...)

    def __or__(self, other: OpChanges) -> OpChanges:
        return OpChanges(
            **{f.name: getattr(self, f.name) or getattr(other, f.name) for f in fields(self)}
        )

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))

    @property
    def audit(self) -> bool:
        """Every write adds rows to the ändringslogg."""
        return bool(self)

    @property
    def records(self) -> bool:
        """The records the figures of Översikt and the reports are computed from."""
        return (
            self.uppdrag
            or self.klient
            or self.ko
            or self.avvikelser
            or self.ledningsgrupp
            or self.verksamhet
            or self.prioritering
            or self.aterrapport
        )

    def names(self) -> list[str]:
        return [f.name for f in fields(self) if getattr(self, f.name)]


NOTHING = OpChanges()
EVERYTHING = OpChanges(**{f.name: True for f in fields(OpChanges)})

# A category's name or status (Inställningar → Kategorier) shows wherever the category is
# used: kontaktorsaker and hänvisad från on uppdrag and anmälningar, avslutsorsaker,
# prioritetsgrunder, the avvikelser's aktörer, nivåer, bristkategorier and åtgärder, and the
# names the återrapport prints.
CATEGORIES = OpChanges(uppdrag=True, ko=True, avvikelser=True, prioritering=True, aterrapport=True)


def combine(*changes: OpChanges) -> OpChanges:
    result = NOTHING
    for change in changes:
        result = result | change
    return result


def writes(changes: OpChanges | None = None, **kinds: bool) -> Callable[[F], F]:
    """Declares what a write method changes: `@writes(uppdrag=True)`, or
    `@writes(EVERYTHING)`. The method itself is returned unchanged (no wrapper, no cost)."""
    declared = combine(changes or NOTHING, OpChanges(**kinds))
    if not declared:
        raise ValueError("a write must declare what it changes")

    def mark(method: F) -> F:
        setattr(method, ATTRIBUTE, declared)
        return method

    return mark


def changes_of(*methods: Callable[..., Any]) -> OpChanges:
    """What the given write methods (bound or not) declare they change, combined. A method
    without a declaration is an error: every write the GUI calls must say what it changes."""
    result = NOTHING
    for method in methods:
        function = getattr(method, "__func__", method)
        declared = getattr(function, ATTRIBUTE, None)
        if not isinstance(declared, OpChanges):
            name = getattr(function, "__qualname__", repr(function))
            raise TypeError(f"{name} declares no OpChanges")
        result = result | declared
    return result


def declares_changes(method: Callable[..., Any]) -> bool:
    return isinstance(getattr(getattr(method, "__func__", method), ATTRIBUTE, None), OpChanges)
