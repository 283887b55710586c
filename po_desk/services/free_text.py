"""Running the anonymisation guard over the free-text fields of a form before saving."""

from __future__ import annotations

import logging

from po_desk.domain import guard
from po_desk.domain.errors import GuardBlocked, GuardNeedsConfirmation

log = logging.getLogger(__name__)


def check(fields: dict[str, str | None], warnings_confirmed: bool = False) -> None:
    """Raises when a field holds what may identify a person; logs only the kinds found.

    `fields` maps the Swedish field label to its text.
    """
    blocked: list[str] = []
    warned: list[str] = []
    for label, text in fields.items():
        findings = guard.scan(text or "")
        if not findings:
            continue
        log.info("guard findings in a free-text field: %s", sorted({f.kind for f in findings}))
        hard = guard.blocking(findings)
        if hard:
            blocked.append(f"{label}: {guard.describe(hard)}")
        else:
            warned.append(f"{label}: {guard.describe(findings)}")
    if blocked:
        raise GuardBlocked(
            "Texten kan inte sparas eftersom den innehåller uppgifter som identifierar en "
            "person (" + "; ".join(blocked) + "). Ta bort dem."
        )
    if warned and not warnings_confirmed:
        raise GuardNeedsConfirmation(
            "Texten kan innehålla uppgifter som identifierar en person ("
            + "; ".join(warned)
            + "). Kontrollera och bekräfta att den är avidentifierad."
        )
