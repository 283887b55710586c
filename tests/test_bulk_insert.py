"""Issue 17: new rows of an import or a demo go in by one DB-API executemany
(`store/bulk.execute_many`), and are stored exactly as SQLAlchemy's own `insert()` stores
them: every column type of the tables written that way (text, integers, dates, times with
microseconds, booleans, floats, nulls, SealedText: sealed on the server), on the local
file and (tests/test_services_on_server.py) on PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import insert

from po_desk.services.workspace import Workspace
from po_desk.store import bulk, models
from po_desk.store.sealed_text import PREFIX, SealedText

AT = datetime(2026, 3, 4, 5, 6, 7, 891011)
WHOLE_SECOND = datetime(2026, 3, 4, 5, 6, 7)  # the DB-API alone writes no ".000000"


def _rows(kommun_id: str, tag: str) -> tuple[dict[str, str], list[tuple[Any, list[dict]]]]:
    """Rows of every table the bulk path writes (and two with a boolean and a float), with
    fresh ids; returns the ids by a name that does not depend on them."""
    names = ["klient", "u1", "u2", "barn", "anmalan", "avvikelse", "audit", "cat", "ombud"]
    ids = {name: str(uuid.uuid4()) for name in names}
    # Unique texts, named like the ids.
    ids.update(kod1=f"2024-{tag}01", kod2=f"2025-{tag}02", kokod=f"K2026-{tag}01", code=f"k{tag}")
    stamps = {"created_at": AT, "updated_at": AT}
    uppdrag = {"kod": None, "klient_id": ids["klient"], "kon": "kvinna", "fodelsear": 1970,
               "kommun_id": kommun_id, "ombud_id": None, "anmald": None,
               "start": date(2024, 3, 1), "slut": None, "avslutsorsak": None, "barn": "nej",
               "hanvisad_fran": None, "anteckning": None, **stamps}  # fmt: skip
    batches: list[tuple[Any, list[dict]]] = [
        (models.Klient, [{"id": ids["klient"], "kon": "kvinna", "fodelsear": 1970, **stamps}]),
        (models.Uppdrag, [
            {**uppdrag, "id": ids["u1"], "kod": ids["kod1"]},
            {**uppdrag, "id": ids["u2"], "kod": ids["kod2"], "anmald": date(2025, 4, 1),
             "start": date(2025, 5, 2), "slut": date(2025, 9, 30), "avslutsorsak": "mal_uppnatt",
             "hanvisad_fran": "psykiatri", "barn": "helt", "anteckning": "Ringer på tisdagar"},
        ]),
        (models.UppdragKontaktorsak, [{"uppdrag_id": ids["u1"], "code": "ekonomi"},
                                      {"uppdrag_id": ids["u2"], "code": "bostad"}]),
        (models.UppdragPrioritetsgrund, [{"uppdrag_id": ids["u2"], "code": "barn"}]),
        (models.UppdragBarn, [{"id": ids["barn"], "uppdrag_id": ids["u1"],
                               "fran": date(2025, 1, 1), "barn": "delvis", **stamps}]),
        (models.KoAnmalan, [{"id": ids["anmalan"], "kod": ids["kokod"],
                             "anmald": date(2026, 3, 1), "kon": "man", "fodelsear": 1985,
                             "kommun_id": kommun_id, "status": "vantar", "erbjuden": None,
                             "status_datum": date(2026, 3, 2), "orsak": "Flyttar snart",
                             "uppdrag_id": ids["u1"], **stamps}]),
        (models.KoAnmalanKontaktorsak, [{"anmalan_id": ids["anmalan"], "code": "ekonomi"}]),
        (models.KoAnmalanPrioritetsgrund, [{"anmalan_id": ids["anmalan"], "code": "barn"}]),
        (models.Avvikelse, [{"id": ids["avvikelse"], "datum": date(2026, 2, 1), "ombud_id": None,
                             "aktor": "forsakringskassan", "niva": "handlaggare",
                             "beskrivning": "Beslutet dröjde 5 månader.", "konsekvens": "",
                             "uppdrag_kod": None, "status": "ny", "mote_id": None,
                             "aterkoppling": "Svar kom", "aterkoppling_datum": None, **stamps}]),
        (models.AvvikelseKategori, [{"avvikelse_id": ids["avvikelse"], "code": "vantetider"}]),
        (models.AvvikelseAtgard, [{"avvikelse_id": ids["avvikelse"], "code": "skrivelse"}]),
        (models.AuditEntry, [{"id": ids["audit"], "at": AT, "actor": "Test", "action": "skapad",
                              "table_name": "uppdrag", "row_id": ids["u1"]}]),
        # Not given: sort_order and active (scalar defaults) and version on every RowMixin.
        (models.Category, [{"id": ids["cat"], "kind": "test", "code": ids["code"],
                            "namn": "Prov", "inaktiv_fran": date(2026, 1, 1),
                            "created_at": WHOLE_SECOND, "updated_at": WHOLE_SECOND}]),
        (models.Ombud, [{"id": ids["ombud"], "namn": "Ombud", "kon": "man",
                         "tjanstgoringsgrad": 0.75, "fran": date(2020, 1, 1), "till": None,
                         **stamps}]),
    ]  # fmt: skip
    return ids, batches


def _stored(workspace: Workspace, batches, ids: dict[str, str]) -> dict[str, list]:
    """The rows as the database holds them (no type processing; sealed text opened after
    checking that it is sealed on the server), ids replaced by their names."""
    names = {value: name for name, value in ids.items()}
    found: dict[str, list] = {}
    with workspace._store.session() as session:
        connection = session.connection()
        dialect = connection.dialect
        for model, _rows_given in batches:
            table = model.__table__
            columns = list(table.columns)
            raw = connection.exec_driver_sql(
                f"SELECT {', '.join(c.name for c in columns)} FROM {table.name}"
            ).all()
            rows = []
            for row in raw:
                if not set(names) & set(row):
                    continue
                values = []
                for column, value in zip(columns, row, strict=True):
                    if isinstance(column.type, SealedText) and value is not None:
                        sealed = dialect.name != "sqlite"
                        assert value.startswith(PREFIX) == sealed, (column, value)
                        opener = column.type.dialect_impl(dialect).result_processor(dialect, None)
                        value = opener(value) if opener else value
                    values.append(names.get(value, value))
                rows.append(tuple(values))
            found[table.name] = sorted(rows, key=repr)
    return found


def test_fast_insert_stores_what_sqlalchemys_insert_stores(workspace: Workspace) -> None:
    kommun = workspace.verksamhet.get().kommuner[0].id
    fast_ids, fast = _rows(kommun, "1")
    core_ids, core = _rows(kommun, "2")
    with workspace._store.transaction() as session:
        connection = session.connection()
        for model, rows in fast:
            bulk.execute_many(connection, model.__table__, [dict(r) for r in rows])
        for model, rows in core:
            connection.execute(insert(model.__table__), [dict(r) for r in rows])
    by_fast, by_core = _stored(workspace, fast, fast_ids), _stored(workspace, core, core_ids)
    for model, rows in fast:
        name = model.__tablename__
        assert len(by_fast[name]) == len(rows), name
        assert by_fast[name] == by_core[name], name
    category = dict(
        zip(models.Category.__table__.columns.keys(), by_fast["category"][0], strict=True)
    )
    assert category["version"] in (1, "1") and category["active"] in (True, 1)
    assert workspace.session.check() == []


def test_a_callable_default_not_given_takes_sqlalchemys_path(workspace: Workspace) -> None:
    """A column left out whose default is a function (here `created_at`) is filled by
    SQLAlchemy's own insert: the row is stored with it."""
    ids = [str(uuid.uuid4()) for _ in range(2)]
    with workspace._store.transaction() as session:
        bulk.execute_many(
            session.connection(),
            models.Klient.__table__,
            [{"id": klient_id, "kon": "annan", "fodelsear": 1990} for klient_id in ids],
        )
    with workspace._store.session() as session:
        rows = [session.get_one(models.Klient, klient_id) for klient_id in ids]
        assert all(r.created_at and r.updated_at and r.version == 1 for r in rows)


@settings(max_examples=20, deadline=None)
@given(st.integers(min_value=1, max_value=300))
def test_new_ids_are_random_uuid4_text(count: int) -> None:
    made = bulk.new_ids(count)
    assert len(set(made)) == count
    for text in made:
        parsed = uuid.UUID(text)
        assert parsed.version == 4 and parsed.variant == uuid.RFC_4122 and str(parsed) == text
