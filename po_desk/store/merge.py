"""Moving rows between stores of one verksamhet (ombud on several workstations).

`export_rows` dumps every table as plain JSON values. `import_rows` brings them into this
store in one transaction: rows are matched by UUID (kommuner and ombud also by name,
categories by kind and code, återrapporter by year); a row that is the same is left
alone, so importing the same file twice changes nothing; where both sides differ the rule
decides (the newest `updated_at` by default, or always ours / always theirs) and every
such case is reported. An incoming uppdrag or anmälan whose code is already taken by
another row gets the next free code, and that is reported too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, Table, delete, insert, select, update
from sqlalchemy.orm import Session

from po_desk.domain.uppdrag import next_kod
from po_desk.store.models import AuditEntry, Base
from po_desk.store.store import Store

PREFER_NEWEST, PREFER_OURS, PREFER_THEIRS = "nyast", "var", "deras"
SKIPPED_TABLES = {"verksamhet", "setting"}
NATURAL_KEYS = {
    "kommun": ("namn",),
    "ombud": ("namn",),
    "category": ("kind", "code"),
    "aterrapport": ("ar",),
}
CODED_TABLES = {"uppdrag": "", "ko_anmalan": "K"}
# Link tables follow their parent row: (parent table, column pointing to it).
LINK_TABLES = {
    "uppdrag_kontaktorsak": ("uppdrag", "uppdrag_id"),
    "uppdrag_prioritetsgrund": ("uppdrag", "uppdrag_id"),
    "ko_anmalan_kontaktorsak": ("ko_anmalan", "anmalan_id"),
    "ko_anmalan_prioritetsgrund": ("ko_anmalan", "anmalan_id"),
    "prioriteringsordning_grund": ("prioriteringsordning", "ordning_id"),
    "avvikelse_kategori": ("avvikelse", "avvikelse_id"),
    "avvikelse_atgard": ("avvikelse", "avvikelse_id"),
}
FOREIGN_KEYS = {
    "kommun_id": "kommun",
    "ombud_id": "ombud",
    "uppdrag_id": "uppdrag",
    "mote_id": "ledningsgrupp_mote",
    "klient_id": "klient",
    "category_id": "category",
}


@dataclass
class Conflict:
    table: str
    row_id: str
    label: str
    rule: str


@dataclass
class MergeReport:
    added: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: int = 0
    conflicts: list[Conflict] = field(default_factory=list)

    def count(self, bucket: dict[str, int], table: str) -> None:
        bucket[table] = bucket.get(table, 0) + 1

    @property
    def changed_anything(self) -> bool:
        return bool(self.added or self.updated)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _typed(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    typed = {}
    for name, value in row.items():
        column = table.c.get(name)
        if column is None:
            continue
        if value is not None and isinstance(column.type, DateTime):
            value = datetime.fromisoformat(value)
        elif value is not None and isinstance(column.type, Date):
            value = date.fromisoformat(value)
        elif value is not None and isinstance(column.type, Boolean):
            value = bool(value)
        typed[name] = value
    return typed


def export_rows(store: Store) -> dict[str, list[dict[str, Any]]]:
    with store.session() as session:
        return {
            table.name: [
                {key: _plain(value) for key, value in row._mapping.items()}
                for row in session.execute(select(table))
            ]
            for table in Base.metadata.sorted_tables
            if table.name not in SKIPPED_TABLES
        }


def _comparable(table: str, row: dict[str, Any]) -> dict[str, Any]:
    # A code renumbered at an earlier merge stays renumbered; it is not a new difference.
    ignored = {"created_at", "updated_at"} | ({"kod"} if table in CODED_TABLES else set())
    return {k: v for k, v in row.items() if k not in ignored}


class _Merger:
    def __init__(self, session: Session, incoming: dict[str, list[dict[str, Any]]], prefer: str):
        self.session = session
        self.incoming = incoming
        self.prefer = prefer
        self.report = MergeReport()
        self.id_map: dict[str, dict[str, str]] = {}
        self.taken_over: set[tuple[str, str]] = set()  # parents whose incoming version won
        self.codes: dict[str, set[str]] = {}

    def run(self) -> MergeReport:
        tables = {t.name: t for t in Base.metadata.sorted_tables}
        for table in Base.metadata.sorted_tables:
            if table.name in SKIPPED_TABLES or table.name in LINK_TABLES:
                continue
            if table.name == "audit_log":
                self._audit(table)
                continue
            for row in self.incoming.get(table.name, []):
                self._row(table, _typed(table, row))
        for name, (parent, column) in LINK_TABLES.items():
            self._links(tables[name], parent, column)
        return self.report

    def _local_id(self, table: str, incoming_id: str) -> str:
        return self.id_map.get(table, {}).get(incoming_id, incoming_id)

    def _remap(self, row: dict[str, Any]) -> dict[str, Any]:
        for column, table in FOREIGN_KEYS.items():
            if row.get(column) is not None:
                row[column] = self._local_id(table, row[column])
        return row

    def _find(self, table: Table, row: dict[str, Any]) -> dict[str, Any] | None:
        found = self.session.execute(select(table).where(table.c.id == row["id"])).first()
        if found is None and table.name in NATURAL_KEYS:
            condition = [table.c[key] == row[key] for key in NATURAL_KEYS[table.name]]
            found = self.session.execute(select(table).where(*condition)).first()
        return dict(found._mapping) if found is not None else None

    def _row(self, table: Table, row: dict[str, Any]) -> None:
        row = self._remap(row)
        local = self._find(table, row)
        if local is None:
            self._insert(table, row)
            return
        if local["id"] != row["id"]:
            self.id_map.setdefault(table.name, {})[row["id"]] = local["id"]
            row["id"] = local["id"]
        if _comparable(table.name, local) == _comparable(table.name, row):
            self.report.unchanged += 1
            return
        theirs_newer = (row.get("updated_at") or datetime.min) > (
            local.get("updated_at") or datetime.min
        )
        take_theirs = self.prefer == PREFER_THEIRS or (
            self.prefer == PREFER_NEWEST and theirs_newer
        )
        rule = {
            PREFER_NEWEST: "den senast ändrade versionen behölls",
            PREFER_OURS: "den här datorns version behölls",
            PREFER_THEIRS: "den importerade versionen behölls",
        }[self.prefer]
        winner = "importerade" if take_theirs else "befintliga"
        self.report.conflicts.append(
            Conflict(table.name, local["id"], self._label(local), f"{rule} ({winner})")
        )
        if take_theirs:
            if table.name in CODED_TABLES:
                row["kod"] = local["kod"]
            values = {k: v for k, v in row.items() if k != "id"}
            self.session.execute(update(table).where(table.c.id == local["id"]).values(values))
            self.taken_over.add((table.name, local["id"]))
            self.report.count(self.report.updated, table.name)

    def _insert(self, table: Table, row: dict[str, Any]) -> None:
        if table.name in CODED_TABLES:
            if table.name not in self.codes:
                self.codes[table.name] = set(self.session.scalars(select(table.c.kod)))
            taken = self.codes[table.name]
            if row["kod"] in taken:
                old = row["kod"]
                year = int(old.lstrip("K")[:4])
                row["kod"] = next_kod(year, taken, CODED_TABLES[table.name])
                self.report.conflicts.append(
                    Conflict(table.name, row["id"], old,
                             f"koden fanns redan; den importerade raden fick {row['kod']}")
                )  # fmt: skip
            taken.add(row["kod"])
        self.session.execute(insert(table).values(row))
        self.taken_over.add((table.name, row["id"]))
        self.report.count(self.report.added, table.name)

    @staticmethod
    def _label(row: dict[str, Any]) -> str:
        for key in ("kod", "namn", "datum", "beslutad", "ar", "fran"):
            if row.get(key) is not None:
                return str(row[key])
        return str(row["id"])[:8]

    def _links(self, table: Table, parent: str, column: str) -> None:
        incoming: dict[str, set[str]] = {}
        for row in self.incoming.get(table.name, []):
            parent_id = self._local_id(parent, row[column])
            incoming.setdefault(parent_id, set()).add(row["code"])
        ranks = {
            (self._local_id(parent, r[column]), r["code"]): r.get("rang")
            for r in self.incoming.get(table.name, [])
        }
        for parent_id, codes in incoming.items():
            if (parent, parent_id) not in self.taken_over:
                continue
            self.session.execute(delete(table).where(table.c[column] == parent_id))
            for code in codes:
                values = {column: parent_id, "code": code}
                if "rang" in table.c:
                    values["rang"] = ranks[(parent_id, code)]
                self.session.execute(insert(table).values(values))

    def _audit(self, table: Table) -> None:
        known = set(self.session.scalars(select(table.c.id)))
        for row in self.incoming.get(table.name, []):
            if row["id"] not in known:
                self.session.execute(insert(table).values(_typed(table, row)))


def import_rows(
    store: Store,
    incoming: dict[str, list[dict[str, Any]]],
    prefer: str = PREFER_NEWEST,
    source: str = "",
) -> MergeReport:
    """Brings the rows in, all in one transaction; the merge itself is in the audit log."""
    with store.transaction() as session:
        report = _Merger(session, incoming, prefer).run()
        if report.changed_anything:
            session.add(
                AuditEntry(
                    actor=store.actor, action="sammanfogad", table_name="*", row_id=source[:36]
                )
            )
        return report


def preview(store: Store, incoming: dict[str, list[dict[str, Any]]], prefer: str) -> MergeReport:
    """What importing would do; the transaction is rolled back."""
    with store.session() as session:
        report = _Merger(session, incoming, prefer).run()
        session.rollback()
        return report
