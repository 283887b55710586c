"""The audit log for the enhetschef: who, when, what kind of change, which row — and a CSV
export. Never any content."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from po_desk.reports.csv_export import ExcelCsv
from po_desk.services.changes import writes
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
    "*": "Hela registret", "gallring": "Gallring", "setting": "Inställning",
}  # fmt: skip
HEADER = ("Tid", "Användare", "Ändring", "Vad", "Rad-id")


def local_time(at: datetime) -> str:
    """The log keeps UTC; people read local time."""
    return at.replace(tzinfo=UTC).astimezone().strftime("%Y-%m-%d %H:%M:%S")


def table_label(name: str) -> str:
    return TABLE_LABELS.get(name, name)


@dataclass(frozen=True)
class LogQuery:
    """Which part of the log to show: entries from `since` (UTC; None: all) by `actor`
    (None: everyone). Made by `AuditService.query`, so counting and paging agree."""

    since: datetime | None = None
    actor: str | None = None


@dataclass(frozen=True)
class LogRow:
    """One line of the ändringslogg as shown: when (UTC), who, what kind of change, which
    kind of row (its Swedish label) and the row's id. Never any content."""

    id: str
    at: datetime
    actor: str
    action: str
    what: str
    row_id: str

    def cells(self) -> tuple[str, str, str, str, str]:
        """The values under HEADER, as the table and the CSV export show them."""
        return (local_time(self.at), self.actor, self.action, self.what, self.row_id)


def _log_row(entry: AuditRow) -> LogRow:
    return LogRow(entry.id, entry.at, entry.actor, entry.action, table_label(entry.table_name),
                  entry.row_id)  # fmt: skip


class AuditService:
    def __init__(self, store: Store) -> None:
        self._repo = AuditRepository(store)

    def entries(self, since: datetime | None = None, actor: str | None = None) -> list[AuditRow]:
        return self._repo.entries(since, actor)

    @staticmethod
    def query(days: int | None = None, actor: str | None = None) -> LogQuery:
        """The last `days` days (None: the whole log) of `actor` (None: everyone)."""
        now = datetime.now(UTC).replace(tzinfo=None)
        return LogQuery(now - timedelta(days=days) if days else None, actor or None)

    def count(self, query: LogQuery) -> int:
        return self._repo.count(query.since, query.actor)

    def page(self, query: LogQuery, after: LogRow | None, limit: int) -> list[LogRow]:
        """The `limit` rows after `after` (None: the newest), newest first."""
        key = (after.at, after.id) if after is not None else None
        return [_log_row(e) for e in self._repo.page(query.since, query.actor, key, limit)]

    def export(self, path: Path, query: LogQuery) -> int:
        """Writes every row of `query` (not only those shown) as CSV; returns how many."""
        entries = self._repo.entries(query.since, query.actor)
        self.export_csv(path, entries)
        return len(entries)

    def actors(self) -> list[str]:
        return self._repo.actors()

    def entry_keys(self) -> list[tuple[str, str, str]]:
        return self._repo.entry_keys()

    @writes(settings=True)
    def set_times(self, times: dict[str, datetime]) -> None:
        self._repo.set_times(times)

    def export_csv(self, path: Path, entries: list[AuditRow]) -> None:
        writer = ExcelCsv()
        writer.row(HEADER)
        for entry in entries:
            writer.row(_log_row(entry).cells())
        write_private_file(Path(path), writer.content())
