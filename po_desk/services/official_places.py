"""The official list of län and kommuner shipped in `resources/lan_kommuner.json`."""

from __future__ import annotations

import functools
import json

from po_desk.domain.places import Places
from po_desk.paths import resource

PLACES_FILE = "lan_kommuner.json"


@functools.cache
def official_places() -> Places:
    """Read once per process: the list is small and never changes while running."""
    return Places.from_document(json.loads(resource(PLACES_FILE).read_text(encoding="utf-8")))
