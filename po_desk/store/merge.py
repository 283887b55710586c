"""Moving rows between stores of one verksamhet (ombud on several workstations).

`export_rows` dumps every table as plain JSON values. `import_rows` brings them into this
store in one transaction: rows are matched by UUID (kommuner and ombud also by name,
categories by kind and code, återrapporter by year); a row that is the same is left
alone, so importing the same file twice changes nothing; where both sides differ the rule
decides (the newest `updated_at` by default, or always ours / always theirs) and every
such case is reported. An incoming uppdrag or anmälan whose code is already taken by
another row gets the next free code, and that is reported too.

Some things a merge never changes, whatever the rule: a fastställd återrapport (and a merge
never fastställer one), what gallring removed (fields of rows older than the last gallring
stay empty), a note while notes are off, and the ändringslogg (the merge writes its own
entries). What it keeps out is listed with the reason. Every row is checked before it is
written: a row the caller's check refuses, a kommun the verksamhet does not have or a link to
a row that exists nowhere makes the whole merge fail, one line per bad row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    Integer,
    Table,
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.orm import Session

from po_desk.domain.errors import ValidationFailed
from po_desk.domain.import_rules import ISO_DATE
from po_desk.domain.ko import ENDED
from po_desk.domain.uppdrag import KOD_INPUT, Uppdrag, link_problems, next_kod
from po_desk.store.audit import ACTOR_KEY
from po_desk.store.models import AuditEntry, new_id, utc_now
from po_desk.store.store import Store
from po_desk.store.tables import metadata

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


# What the merge shows for a table in its lines.
TABLE_LABELS = {
    "kommun": "kommun",
    "ombud": "ombud",
    "category": "kategori",
    "uppdrag": "uppdrag",
    "ko_anmalan": "kö-anmälan",
    "prioriteringsordning": "prioriteringsordning",
    "intagningsstopp": "intagningsstopp",
    "ledningsgrupp_mote": "ledningsgruppsmöte",
    "ledningsgrupp_medlem": "ledningsgruppsledamot",
    "avvikelse": "avvikelse",
    "aterrapport": "återrapport",
    "audit_log": "ändringslogg",
}
# Fields gallring empties, per table, with the label the merge reports them under.
THINNED_FIELDS = {
    "uppdrag": {"anteckning": "anteckning", "ombud_id": "ombud"},
    "ko_anmalan": {"orsak": "orsak"},
    "avvikelse": {"uppdrag_kod": "uppdragskod"},
}  # fmt: skip
FROZEN_FIELDS = ("faststalld", "faststalld_at", "faststalld_av")
MAX_BAD_ROWS_SHOWN = 50

# A check of one incoming row as it would be written (foreign keys already pointing to this
# store's rows), with its link rows by link table: (problems, warnings) in Swedish.
RowCheck = Callable[
    [str, dict[str, Any], dict[str, list[dict[str, Any]]]], tuple[list[str], list[str]]
]


@dataclass(frozen=True)
class MergePolicy:
    """What the merge must respect in this store."""

    check: RowCheck | None = None
    gallrad_fore: date | None = None  # the cutoff of the last gallring, if any
    notes_enabled: bool = True


@dataclass
class MergeReport:
    added: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    kept_out: list[Conflict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    bad_rows: list[str] = field(default_factory=list)

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
    """The row's values as the columns hold them; a value of the wrong kind (a list, text in
    a number column, a date that is no ISO date) raises ValueError."""
    typed = {}
    for name, value in row.items():
        column = table.c.get(name)
        if column is None:
            continue
        kind = column.type
        if value is None:
            pass
        elif isinstance(kind, DateTime):
            if not isinstance(value, str):
                raise ValueError(name)
            value = datetime.fromisoformat(value)
        elif isinstance(kind, Date):
            if not isinstance(value, str) or not ISO_DATE.match(value):
                raise ValueError(name)
            value = date.fromisoformat(value)
        elif isinstance(kind, Boolean):
            if not isinstance(value, bool | int):
                raise ValueError(name)
            value = bool(value)
        elif isinstance(kind, Integer):
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(name)
        elif isinstance(kind, Float):
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(name)
        elif not isinstance(value, str):  # String and Text
            raise ValueError(name)
        typed[name] = value
    return typed


def export_rows(store: Store) -> dict[str, list[dict[str, Any]]]:
    with store.session() as session:
        return {
            table.name: [
                {key: _plain(value) for key, value in row._mapping.items()}
                for row in session.execute(select(table))
            ]
            for table in metadata.sorted_tables
            if table.name not in SKIPPED_TABLES
        }


def _comparable(table: str, row: dict[str, Any]) -> dict[str, Any]:
    # A code renumbered at an earlier merge stays renumbered; it is not a new difference.
    # The row version counts this store's own saves; it is no difference either.
    ignored = {"created_at", "updated_at", "version"} | (
        {"kod"} if table in CODED_TABLES else set()
    )
    return {k: v for k, v in row.items() if k not in ignored}


def _missing(table: str, row: dict[str, Any]) -> bool:
    """Whether a column the schema requires (and has no default for) is empty."""
    return any(
        row.get(c.name) is None
        for c in metadata.tables[table].c
        if not c.nullable and c.default is None and c.server_default is None
    )


def _rows(incoming: Any, table: str) -> list[dict[str, Any]]:
    rows = incoming.get(table, []) if isinstance(incoming, dict) else []
    return rows if isinstance(rows, list) else []


class _Merger:
    def __init__(
        self,
        session: Session,
        incoming: dict[str, list[dict[str, Any]]],
        prefer: str,
        policy: MergePolicy | None = None,
    ):
        self.session = session
        self.incoming = incoming
        self.prefer = prefer
        self.policy = policy or MergePolicy()
        self.report = MergeReport()
        self.id_map: dict[str, dict[str, str]] = {}
        self.taken_over: set[tuple[str, str]] = set()  # parents whose incoming version won
        self.codes: dict[str, set[str]] = {}
        self.thinned: set[tuple[str, str]] = set()  # rows under gallring (local ids)
        self.links_of: dict[tuple[str, str], dict[str, list[dict[str, Any]]]] = {}
        self.current: str | None = None  # the incoming id of the row being merged
        self.refused: set[str] = set()  # incoming ids of bad rows: their links say no more

    def run(self) -> MergeReport:
        tables = {t.name: t for t in metadata.sorted_tables}
        self._collect_links()
        for table in metadata.sorted_tables:
            if table.name in SKIPPED_TABLES or table.name in LINK_TABLES:
                continue
            rows = _rows(self.incoming, table.name)
            if table.name == "audit_log":
                if rows:
                    self.report.kept_out.append(Conflict(
                        table.name, "", f"{len(rows)} rader",
                        "ändringsloggen förs aldrig in; sammanfogningen loggas i den här",
                    ))  # fmt: skip
                continue
            for number, raw in enumerate(rows, start=1):
                self.current = str(raw.get("id")) if isinstance(raw, dict) else None
                try:
                    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
                        raise ValueError("id")
                    row = _typed(table, raw)
                except (ValueError, TypeError, KeyError, AttributeError):
                    self._bad(table.name, f"rad {number}", ["raden har värden av fel slag"])
                    continue
                self._row(table, row)
        self.current = None
        for name, (parent, column) in LINK_TABLES.items():
            self._links(tables[name], parent, column)
        self._check_klient_periods(tables["uppdrag"])
        return self.report

    def _check_klient_periods(self, table: Table) -> None:
        """A merged uppdrag is one period of its klient: the same person, never two periods
        at once (checked against the store as it is after the merge's writes)."""
        written = {row_id for name, row_id in self.taken_over if name == "uppdrag"}
        if not written:
            return
        klienter = set(self.session.scalars(
            select(table.c.klient_id).where(table.c.id.in_(written))
        ))  # fmt: skip
        klienter.discard(None)
        periods: dict[str, list[Uppdrag]] = {}
        for row in self.session.execute(select(table).where(table.c.klient_id.in_(klienter))):
            period = Uppdrag(kon=row.kon, fodelsear=row.fodelsear, kommun_id=row.kommun_id,
                             start=row.start, kontaktorsaker=(), slut=row.slut, kod=row.kod,
                             id=row.id)  # fmt: skip
            periods.setdefault(str(row.klient_id), []).append(period)
        for klient_periods in periods.values():
            klient_periods.sort(key=lambda u: u.start)
            for period in klient_periods:
                if period.id not in written:
                    continue
                others = [u for u in klient_periods if u.id != period.id]
                problems = link_problems(period, others)
                if problems:
                    self.current = None
                    self._bad("uppdrag", period.kod, problems)

    def _collect_links(self) -> None:
        for name, (parent, column) in LINK_TABLES.items():
            for row in _rows(self.incoming, name):
                if isinstance(row, dict) and isinstance(row.get(column), str):
                    key = (parent, row[column])
                    self.links_of.setdefault(key, {}).setdefault(name, []).append(row)

    def _bad(self, table: str, label: str, problems: list[str]) -> None:
        if self.current is not None:
            self.refused.add(self.current)
        text = " ".join(p if p.endswith(".") else p + "." for p in problems)
        self.report.bad_rows.append(f"{TABLE_LABELS.get(table, table)} {label}: {text}")

    def _keep_out(self, table: str, row: dict[str, Any], reason: str) -> None:
        self.report.kept_out.append(Conflict(table, row["id"], self._label(row), reason))

    def _exists(self, table: str, row_id: str) -> bool:
        target = metadata.tables[table]
        return (
            self.session.execute(select(target.c.id).where(target.c.id == row_id)).first()
            is not None
        )

    def _under_gallring(self, table: str, row: dict[str, Any]) -> bool:
        cutoff = self.policy.gallrad_fore
        if cutoff is None:
            return False
        if table == "uppdrag":
            return row.get("slut") is not None and row["slut"] < cutoff
        if table == "ko_anmalan":
            return (row.get("status") in ENDED and row.get("status_datum") is not None
                    and row["status_datum"] < cutoff)  # fmt: skip
        if table == "avvikelse":
            return row.get("datum") is not None and row["datum"] < cutoff
        return False

    def _respect(self, table: Table, row: dict[str, Any], local: dict[str, Any] | None,
                 incoming_id: str) -> bool:  # fmt: skip
        """Takes out what a merge must not change; False when the row stays as it is."""
        name = table.name
        if name == "aterrapport":
            if local is not None and local.get("faststalld") is not None:
                if _comparable(name, local) != _comparable(name, row):
                    self._keep_out(name, local, "återrapporten är fastställd och ändras inte "
                                   "av en sammanfogning")  # fmt: skip
                return False
            if row.get("faststalld") is not None:
                self._keep_out(name, row, "fastställandet förs inte över; fastställ "
                               "återrapporten på den här datorn")  # fmt: skip
            for key in FROZEN_FIELDS:
                row[key] = None
        if self._under_gallring(name, row):
            self.thinned.add((name, row["id"]))
            removed = [label for key, label in THINNED_FIELDS[name].items()
                       if row.get(key) not in (None, "")]  # fmt: skip
            links = self.links_of.get((name, incoming_id), {})
            if name == "uppdrag" and links.pop("uppdrag_prioritetsgrund", []):
                removed.append("prioritetsgrunder")
            for key in THINNED_FIELDS[name]:
                row[key] = None
            if removed:
                self._keep_out(name, row, "gallrat (" + ", ".join(removed) + ") förs inte "
                               "tillbaka")  # fmt: skip
        if name == "uppdrag" and not self.policy.notes_enabled:
            kept = local.get("anteckning") if local else None
            if row.get("anteckning") not in (None, "", kept):
                self._keep_out(name, row, "anteckningar är avstängda; anteckningen förs inte in")
            row["anteckning"] = kept
        return True

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
        incoming_id = self.current = row["id"]
        try:
            local = self._find(table, row)
        except KeyError:
            self._bad(table.name, self._label(row), ["raden saknar uppgifter"])
            return
        if table.name == "kommun" and local is None:
            self._bad(table.name, self._label(row), [
                "kommunen hör inte till den här verksamheten; lägg till den under "
                "Inställningar först om den ska med"])  # fmt: skip
            return
        missing = [
            TABLE_LABELS.get(target, target)
            for column, target in FOREIGN_KEYS.items()
            if column in table.c and row.get(column) is not None
            and not self._exists(target, row[column])
        ]  # fmt: skip
        if missing:
            self._bad(table.name, self._label(row),
                      [f"hänvisar till {', '.join(missing)} som inte finns"])  # fmt: skip
            return
        if local is not None and local["id"] != row["id"]:
            self.id_map.setdefault(table.name, {})[row["id"]] = local["id"]
            row["id"] = local["id"]
        if not self._respect(table, row, local, incoming_id):
            self.report.unchanged += 1
            return
        if local is None:
            if self._passes(table.name, row, incoming_id):
                self._insert(table, row)
            return
        if _comparable(table.name, local) == _comparable(table.name, row) and self._same_links(
            table.name, local["id"], incoming_id
        ):
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
        if take_theirs and not self._passes(table.name, row, incoming_id):
            return
        self.report.conflicts.append(
            Conflict(table.name, local["id"], self._label(local), f"{rule} ({winner})")
        )
        if take_theirs:
            if table.name in CODED_TABLES:
                row["kod"] = local["kod"]
            values = {k: v for k, v in row.items() if k not in ("id", "version")}
            if "version" in table.c:  # a form open on the row now conflicts (issue 18)
                values["version"] = table.c.version + 1
            statement = update(table).where(table.c.id == local["id"]).values(values)
            if not self._write(table.name, row, statement):
                return
            self.taken_over.add((table.name, local["id"]))
            self.report.count(self.report.updated, table.name)
            self._audit_row(table.name, local["id"])

    def _same_links(self, parent: str, local_id: str, incoming_id: str) -> bool:
        """Whether the row's link rows (its kontaktorsaker, kategorier, …) are the same here
        and in the file: a change of only those is a change of the row."""
        incoming = self.links_of.get((parent, incoming_id), {})
        for name, (link_parent, column) in LINK_TABLES.items():
            if link_parent != parent:
                continue
            link = metadata.tables[name]
            ranked = "rang" in link.c
            columns = [link.c.code, link.c.rang] if ranked else [link.c.code]
            ours = {
                (row.code, row.rang if ranked else None)
                for row in self.session.execute(select(*columns).where(link.c[column] == local_id))
            }
            theirs = {(r.get("code"), r.get("rang") if ranked else None)
                      for r in incoming.get(name, [])}  # fmt: skip
            if ours != theirs:
                return False
        return True

    def _passes(self, table: str, row: dict[str, Any], incoming_id: str) -> bool:
        """The caller's check of a row about to be written; its warnings are reported."""
        if _missing(table, row):
            self._bad(table, self._label(row), ["raden saknar uppgifter"])
            return False
        if self.policy.check is None:
            return True
        links = self.links_of.get((table, incoming_id), {})
        try:
            problems, warnings = self.policy.check(table, dict(row), links)
        except (TypeError, ValueError, AttributeError, KeyError):
            problems, warnings = ["raden har värden av fel slag"], []
        label = f"{TABLE_LABELS.get(table, table)} {self._label(row)}"
        if problems:
            self._bad(table, self._label(row), problems)
            return False
        self.report.warnings.extend(f"{label}: {w}" for w in warnings)
        return True

    def _insert(self, table: Table, row: dict[str, Any]) -> None:
        if table.name in CODED_TABLES:
            if table.name not in self.codes:
                self.codes[table.name] = set(self.session.scalars(select(table.c.kod)))
            taken = self.codes[table.name]
            if row.get("kod") in taken:
                old = row["kod"]
                try:
                    year = int(old.lstrip("K")[:4])
                except ValueError:
                    self._bad(table.name, self._label(row), ["koden kan inte läsas"])
                    return
                row["kod"] = next_kod(year, taken, CODED_TABLES[table.name])
                self.report.conflicts.append(
                    Conflict(table.name, row["id"], old,
                             f"koden fanns redan; den importerade raden fick {row['kod']}")
                )  # fmt: skip
            taken.add(str(row.get("kod")))
        if not self._write(table.name, row, insert(table).values(row)):
            return
        self.taken_over.add((table.name, row["id"]))
        self.report.count(self.report.added, table.name)
        self._audit_row(table.name, row["id"])

    def _write(self, table: str, row: dict[str, Any], statement: Any) -> bool:
        """Runs one write of `row`: a row the schema refuses is a bad row, not a damaged
        store (the whole merge is then rolled back). No savepoint: pysqlite would commit at
        its release."""
        if _missing(table, row):
            self._bad(table, self._label(row), ["raden saknar uppgifter"])
            return False
        try:
            self.session.execute(statement)
        except (IntegrityError, StatementError):
            self._bad(table, self._label(row), ["raden saknar uppgifter eller har fel värden"])
            return False
        return True

    def _audit_row(self, table: str, row_id: str) -> None:
        actor = str(self.session.info.get(ACTOR_KEY, "okänd"))
        self.session.execute(insert(AuditEntry).values(
            id=new_id(), at=utc_now(), actor=actor, action="sammanfogad",
            table_name=table, row_id=row_id,
        ))  # fmt: skip

    @staticmethod
    def _label(row: dict[str, Any]) -> str:
        """Names a row without its free text: code, date or year, and the id's start."""
        short = str(row.get("id", ""))[:8]
        if isinstance(row.get("kod"), str) and KOD_INPUT.match(row["kod"]):
            return str(row["kod"])  # a code of another shape may hide a personnummer: not shown
        for key in ("namn", "ar"):
            if row.get(key) is not None:
                return str(row[key])[:40]
        for key in ("datum", "beslutad", "fran"):
            if row.get(key) is not None:
                return f"{row[key]} ({short})"
        return short

    def _links(self, table: Table, parent: str, column: str) -> None:
        incoming: dict[str, list[dict[str, Any]]] = {}
        for row in _rows(self.incoming, table.name):
            if not isinstance(row, dict) or not isinstance(row.get("code"), str):
                self._bad(table.name, "", ["en kopplingsrad kan inte läsas"])
                continue
            if str(row.get(column)) not in self.refused:
                incoming.setdefault(self._local_id(parent, str(row.get(column))), []).append(row)
        for parent_id, rows in incoming.items():
            if (parent, parent_id) not in self.taken_over:
                if not self._exists(parent, parent_id):
                    self._bad(parent, parent_id[:8], ["en kopplad rad hänvisar till en rad som "
                                                      "inte finns"])  # fmt: skip
                continue
            if table.name == "uppdrag_prioritetsgrund" and (parent, parent_id) in self.thinned:
                rows = []  # gallring removed them; they stay removed
            self.session.execute(delete(table).where(table.c[column] == parent_id))
            for code in dict.fromkeys(r["code"] for r in rows):
                values = {column: parent_id, "code": code}
                if "rang" in table.c:
                    values["rang"] = next(r.get("rang") for r in rows if r["code"] == code)
                self.session.execute(insert(table).values(values))


def _refuse(report: MergeReport) -> None:
    if report.bad_rows:
        shown = report.bad_rows[:MAX_BAD_ROWS_SHOWN]
        if len(report.bad_rows) > len(shown):
            shown.append(f"… och {len(report.bad_rows) - len(shown)} rader till.")
        raise ValidationFailed([
            f"Inget sammanfogades: {len(report.bad_rows)} rader i filen följer inte reglerna.",
            *shown,
        ])  # fmt: skip


def import_rows(
    store: Store,
    incoming: dict[str, list[dict[str, Any]]],
    prefer: str = PREFER_NEWEST,
    source: str = "",
    policy: MergePolicy | None = None,
) -> MergeReport:
    """Brings the rows in, all in one transaction, or nothing when a row is bad; the merge
    itself and every row it wrote are in the audit log."""
    with store.transaction() as session:
        report = _Merger(session, incoming, prefer, policy).run()
        _refuse(report)
        if report.changed_anything:
            session.add(
                AuditEntry(
                    actor=store.actor, action="sammanfogad", table_name="*", row_id=source[:36]
                )
            )
        return report


def preview(
    store: Store,
    incoming: dict[str, list[dict[str, Any]]],
    prefer: str,
    policy: MergePolicy | None = None,
) -> MergeReport:
    """What importing would do; the transaction is rolled back."""
    with store.session() as session:
        try:
            report = _Merger(session, incoming, prefer, policy).run()
        finally:
            session.rollback()
        _refuse(report)
        return report
