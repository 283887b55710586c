"""The printable recovery key sheet (a PDF made in memory, never written unasked)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from po_desk.paths import resource
from po_desk.reports import recovery_sheet


def recovery_key_sheet(
    recovery_key: str, verksamhet: str, store_path: Path, created: date | None = None
) -> bytes:
    return recovery_sheet.render(
        recovery_key,
        verksamhet=verksamhet,
        store_path=str(Path(store_path).resolve()),
        created=created or date.today(),
        font_folder=resource("fonts"),
    )
