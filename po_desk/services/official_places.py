"""The official list of län and kommuner shipped in `resources/lan_kommuner.json`."""

from __future__ import annotations

import functools
import json

from po_desk.domain.errors import ValidationFailed
from po_desk.domain.places import Places, UnknownPlace
from po_desk.paths import resource

PLACES_FILE = "lan_kommuner.json"


@functools.cache
def official_places() -> Places:
    """Read once per process: the list is small and never changes while running."""
    return Places.from_document(json.loads(resource(PLACES_FILE).read_text(encoding="utf-8")))


def official_names(lan: str, kommuner: list[str]) -> tuple[str, list[str]]:
    """The official spelling of a län and kommuner given by name or code ("17",
    "Värmland" → "Värmlands län"); a place not on SCB's list is refused."""
    try:
        lan, names = official_places().official_names(lan, [k for k in kommuner if k.strip()])
    except UnknownPlace as error:
        raise ValidationFailed([str(error)]) from None
    if len(set(names)) != len(names):
        raise ValidationFailed(["Samma kommun är angiven flera gånger."])
    return lan, names
