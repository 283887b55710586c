"""The audit log for the enhetschef: who, when, what kind of change, which row — and a CSV
export. Never any content."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from po_desk.reports.csv_export import ExcelCsv
from po_desk.services.files import write_private_file
from po_desk.store.audit_repo import AuditRepository, AuditRow
from po_desk.store.store import Store

TABLE_LABELS = {
    "uppdrag": "Uppdrag", "ko_anmalan": "Kö-anmälan", "avvikelse": "Avvikelse",
    "ombud": "Ombud", "kommun": "Kommun", "verksamhet": "Verksamhet",
    "category": "Kategori", "category_namn": "Kategorinamn",
    "prioriteringsordning": "Prioriteringsordning",
    "intagningsstopp": "Intagningsstopp", "ledningsgrupp_medlem": "Ledamot",
    "ledningsgrupp_mote": "Ledningsgruppsmöte", "aterrapport": "Återrapport",
    "*": "Hela registret", "gallring": "Gallring",
}  # fmt: skip
HEADER = ("Tid", "Användare", "Ändring", "Vad", "Rad-id")


def local_time(at: datetime) -> str:
    """The log keeps UTC; people read local time."""
    return at.replace(tzinfo=UTC).astimezone().strftime("%Y-%m-%d %H:%M:%S")


def table_label(name: str) -> str:
    return TABLE_LABELS.get(name, name)


class AuditService:
    def __init__(self, store: Store) -> None:
        self._repo = AuditRepository(store)

    def entries(self, since: datetime | None = None, actor: str | None = None) -> list[AuditRow]:
        return self._repo.entries(since, actor)

    def actors(self) -> list[str]:
        return self._repo.actors()

    def entry_keys(self) -> list[tuple[str, str, str]]:
        return self._repo.entry_keys()

    def set_times(self, times: dict[str, datetime]) -> None:
        self._repo.set_times(times)

    def export_csv(self, path: Path, entries: list[AuditRow]) -> None:
        writer = ExcelCsv()
        writer.row(HEADER)
        for entry in entries:
            writer.row(
                (local_time(entry.at), entry.actor, entry.action,
                 table_label(entry.table_name), entry.row_id)
            )  # fmt: skip
        write_private_file(Path(path), writer.content())
