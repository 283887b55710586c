"""Every table model of the ui, tested without a window: headers, cells for the display,
alignment, sort, tooltip and id roles, sorting, lazy fetching. Rows are typed objects built
here; no QWidget is created (pytest-qt's `qapp` gives the QApplication models need)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QPersistentModelIndex, Qt
from PySide6.QtWidgets import QApplication

from po_desk.domain.avvikelse import Avvikelse, AvvikelseStatus
from po_desk.domain.formatting import number
from po_desk.domain.ko import Anmalan
from po_desk.domain.ledningsgrupp import Medlem, Mote
from po_desk.domain.uppdrag import Uppdrag
from po_desk.domain.verksamhet import Ombud
from po_desk.services.audit_service import LogRow, local_time
from po_desk.services.ko_service import KoRow
from po_desk.services.ledningsgrupp_service import MeetingRow
from po_desk.services.licences import Component
from po_desk.services.uppdrag_import import PreviewRow
from po_desk.services.uppdrag_service import UppdragRow
from po_desk.ui.table_model import (
    ID_ROLE,
    LEFT,
    RIGHT,
    SORT_ROLE,
    Column,
    LazyTableModel,
    TableModel,
)

DISPLAY = Qt.ItemDataRole.DisplayRole
ALIGN = Qt.ItemDataRole.TextAlignmentRole
TOOLTIP = Qt.ItemDataRole.ToolTipRole
UI = Path(__file__).resolve().parents[1] / "po_desk" / "ui"


@pytest.fixture(autouse=True)
def no_window(qapp):
    """The models live without a window: no widget exists after the test that did not
    exist before it."""
    before = len(QApplication.allWidgets())
    yield
    assert len(QApplication.allWidgets()) <= before


def cells(model: TableModel, row: int = 0, role: int = DISPLAY) -> dict[str, object]:
    """Header → the cell's data in `role`, for one row."""
    return {
        model.headerData(c, Qt.Orientation.Horizontal): model.index(row, c).data(role)
        for c in range(model.columnCount())
    }


def headers(model: TableModel) -> list[str]:
    return [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]


# -- the base -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Thing:
    name: str
    size: int | None
    id: str


THING_COLUMNS = (
    Column("Namn", lambda t: t.name, tooltip=lambda t: f"Om {t.name}"),
    Column("Storlek", lambda t: "" if t.size is None else str(t.size), RIGHT,
           sort_key=lambda t: t.size),
)  # fmt: skip
THINGS = [Thing("b", 10, "1"), Thing("a", 9, "2"), Thing("c", None, "3"), Thing("d", 10, "4")]


def thing_model() -> TableModel[Thing]:
    model = TableModel(THING_COLUMNS, key=lambda t: t.id)
    model.set_rows(THINGS)
    return model


def test_counts_headers_and_cells_come_from_the_columns() -> None:
    model = thing_model()
    assert (model.rowCount(), model.columnCount()) == (4, 2)
    assert headers(model) == ["Namn", "Storlek"]
    assert model.headerData(0, Qt.Orientation.Vertical) is None
    assert model.headerData(1, Qt.Orientation.Horizontal, ALIGN) == int(RIGHT)
    assert cells(model) == {"Namn": "b", "Storlek": "10"}
    assert cells(model, 0, ALIGN) == {"Namn": int(LEFT), "Storlek": int(RIGHT)}
    assert cells(model, 0, TOOLTIP) == {"Namn": "Om b", "Storlek": None}
    assert cells(model, 0, SORT_ROLE) == {"Namn": "b", "Storlek": 10}
    assert model.index(1, 0).data(ID_ROLE) == "2"
    assert model.index(9, 0).data() is None  # out of range: no cell
    assert model.column_of("Storlek") == 1
    # A child index has no rows or columns (a table, not a tree).
    assert model.rowCount(model.index(0, 0)) == 0 and model.columnCount(model.index(0, 0)) == 0


def test_sorting_is_stable_on_the_sort_key_with_empty_values_last() -> None:
    model = thing_model()
    model.sort(1, Qt.SortOrder.AscendingOrder)
    assert [t.id for t in model.rows()] == ["2", "1", "4", "3"]
    model.sort(1, Qt.SortOrder.DescendingOrder)
    assert [t.id for t in model.rows()] == ["1", "4", "2", "3"]  # equal sizes keep order
    model.sort(0, Qt.SortOrder.AscendingOrder)
    assert [t.name for t in model.rows()] == ["a", "b", "c", "d"]


def test_text_sorts_in_swedish_order() -> None:
    model = TableModel(THING_COLUMNS)
    names = ["Örebro", "Åmål", "Älvdalen", "arboga", "Zinkgruvan", "Borås"]
    model.set_rows([Thing(name, None, name) for name in names])
    model.sort(0, Qt.SortOrder.AscendingOrder)
    shown = [t.name for t in model.rows()]
    assert shown == ["arboga", "Borås", "Zinkgruvan", "Åmål", "Älvdalen", "Örebro"]
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert [t.name for t in model.rows()] == shown[::-1]


def test_new_rows_keep_the_sort_and_a_selection_follows_its_row() -> None:
    model = thing_model()
    model.sort(0, Qt.SortOrder.DescendingOrder)
    model.set_rows([Thing("x", 1, "9"), *THINGS])
    assert [t.name for t in model.rows()] == ["x", "d", "c", "b", "a"]
    held = QPersistentModelIndex(model.index(0, 0))  # what a selection holds
    model.sort(0, Qt.SortOrder.AscendingOrder)
    assert held.row() == 4 and held.data() == "x"


def test_the_lazy_model_fetches_a_page_at_a_time() -> None:
    everything = [Thing(str(n), n, str(n)) for n in range(1, 451)]
    calls: list[tuple[str | None, int]] = []

    def fetch(after: Thing | None, limit: int) -> list[Thing]:
        calls.append((after.id if after else None, limit))
        start = int(after.id) if after else 0
        return everything[start : start + limit]

    model = LazyTableModel(THING_COLUMNS, key=lambda t: t.id, page_size=200)
    model.start(len(everything), fetch)
    assert calls == [(None, 200)] and model.rowCount() == 200 and model.total() == 450
    assert model.canFetchMore()
    model.fetchMore()
    assert calls[-1] == ("200", 200) and model.rowCount() == 400
    model.fetchMore()
    assert model.rowCount() == 450 and not model.canFetchMore()
    model.fetchMore()
    assert len(calls) == 3  # nothing left: no query
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert model.index(0, 0).data() == "1"  # the use case's order, never re-sorted


def test_the_lazy_model_stops_when_the_list_shrank() -> None:
    model = LazyTableModel(THING_COLUMNS, page_size=2)
    model.start(10, lambda after, limit: [] if after else THINGS[:2])
    model.fetchMore()
    assert model.rowCount() == 2 and model.total() == 2 and not model.canFetchMore()
    model.start(0, lambda after, limit: pytest.fail("an empty list is not fetched"))
    assert model.rowCount() == 0


# -- the models of the views ----------------------------------------------------------------


def uppdrag(**values) -> Uppdrag:
    fields = dict(kon="man", fodelsear=1970, kommun_id="k1", start=date(2025, 3, 1),
                  kontaktorsaker=("ekonomi", "bostad"), kod="2025-001", id="u1")  # fmt: skip
    return Uppdrag(**{**fields, **values})


def test_uppdrag_model() -> None:
    from po_desk.ui.uppdrag_table_model import UppdragTableModel

    model = UppdragTableModel()
    model.set_rows(
        [
            # The names are the service's (the store's catalogue, a renamed one here).
            UppdragRow(uppdrag(), "Karlstad", "Anna", "Ekonomi och skulder, Bostad"),
            UppdragRow(
                uppdrag(kod="2024-007", id="u2", fodelsear=1955, anmald=date(2024, 1, 2),
                        start=date(2024, 2, 1), slut=date(2024, 12, 31), ombud_id="o"),
                "Hammarö", "",
            ),
        ]
    )  # fmt: skip
    assert cells(model, 0) == {
        "Kod": "2025-001", "Kön": "Man", "Födelseår": "1970", "Kommun": "Karlstad",
        "Ombud": "Anna", "Anmäld": "", "Start": "2025-03-01", "Slut": "", "Status": "Aktivt",
        "Kontaktorsaker": "Ekonomi och skulder, Bostad",
    }  # fmt: skip
    assert cells(model, 1)["Status"] == "Avslutat" and cells(model, 1)["Slut"] == "2024-12-31"
    assert cells(model, 1)["Kontaktorsaker"] == ""  # none prepared: none shown
    assert cells(model, 0, TOOLTIP)["Kontaktorsaker"] == "Ekonomi och skulder, Bostad"
    assert cells(model, 0, SORT_ROLE)["Födelseår"] == 1970  # a number, not text
    assert model.index(1, 0).data(ID_ROLE) == "u2"
    model.sort(model.column_of("Födelseår"), Qt.SortOrder.AscendingOrder)
    assert model.index(0, 0).data() == "2024-007"
    model.sort(model.column_of("Anmäld"), Qt.SortOrder.DescendingOrder)
    assert model.index(1, 0).data() == "2025-001"  # no anmäld date: last either way


def test_ko_model() -> None:
    from po_desk.ui.ko_table_model import STATUS, KoTableModel

    anmalan = Anmalan(anmald=date(2026, 1, 5), kon="kvinna", fodelsear=1990, kommun_id="k1",
                      kontaktorsaker=("ekonomi",), kod="K-001", id="a1")  # fmt: skip
    rows = [
        KoRow(1, anmalan, 40, "Hemlös, Barn", "Kvinna 25–34", "Karlstad", "Väntar", "Först: …"),
        KoRow(None, anmalan, 3, "", "Kvinna 25–34", "Karlstad", "Återtagen", "Lämnat kön"),
    ]
    model = KoTableModel()
    model.set_rows(rows)
    assert cells(model, 0) == {
        "Plats": "1", "Kod": "K-001", "Anmäld": "2026-01-05", "Väntat (dagar)": "40",
        "Kön/ålder": "Kvinna 25–34", "Kommun": "Karlstad", "Status": "Väntar",
        "Grunder (avgörande först)": "Hemlös, Barn",
    }  # fmt: skip
    assert cells(model, 1)["Plats"] == ""
    assert headers(model)[STATUS] == "Status"
    align = cells(model, 0, ALIGN)
    assert align["Plats"] == align["Väntat (dagar)"] == int(RIGHT) and align["Kod"] == int(LEFT)
    assert set(cells(model, 1, TOOLTIP).values()) == {"Lämnat kön"}
    assert model.index(0, 3).data(ID_ROLE) == "a1"
    fits = [c.header for c in model.columns if c.fit]
    assert "Grunder (avgörande först)" not in fits and "Status" in fits


def test_avvikelse_model() -> None:
    from po_desk.ui.avvikelse_table_model import AvvikelseTableModel

    long_text = "Lång " * 30 + "\nandra raden"
    items = [
        Avvikelse(date(2026, 2, 1), "region_psykiatri", "lokal", ("bemotande", "tillganglighet"),
                  long_text, id="v1"),
        Avvikelse(date(2025, 5, 1), "region_psykiatri", "central", ("bemotande",), "Kort",
                  status=AvvikelseStatus.LYFT, id="v2"),
    ]  # fmt: skip
    model = AvvikelseTableModel()
    model.set_rows(items)
    row = cells(model, 0)
    assert row["Datum"] == "2026-02-01" and row["Aktör"] == "Region – psykiatri"
    assert row["Nivå"] == "Lokal nivå" and row["Kategorier"] == "Bemötande, Tillgänglighet"
    assert row["Status"] == "Ny" and row["Beskrivning"].endswith("…")
    assert len(row["Beskrivning"]) == 88
    assert cells(model, 0, TOOLTIP)["Beskrivning"] == long_text
    assert cells(model, 1)["Status"] == "Lyft i ledningsgrupp"
    model.sort(model.column_of("Datum"), Qt.SortOrder.AscendingOrder)
    assert model.index(0, 0).data(ID_ROLE) == "v2"


def test_audit_model() -> None:
    from po_desk.ui.audit_table_model import AuditTableModel

    at = datetime(2026, 3, 1, 12, 0, 5)
    model = AuditTableModel(page_size=10)
    row = LogRow("e1", at, "enhetschef", "skapad", "Uppdrag", "u1")
    model.start(1, lambda after, limit: [row])
    assert cells(model) == {"Tid": local_time(at), "Användare": "enhetschef",
                            "Ändring": "skapad", "Vad": "Uppdrag", "Rad-id": "u1"}  # fmt: skip
    assert model.index(0, 0).data(ID_ROLE) == "e1"


def test_ombud_model() -> None:
    from po_desk.ui.ombud_table_model import OmbudTableModel

    model = OmbudTableModel()
    model.set_rows(
        [
            Ombud("Anna", "kvinna", 0.75, date(2020, 1, 1), id="o1"),
            Ombud("Bo", "man", 1.0, date(2021, 1, 1), date(2024, 6, 30), id="o2"),
        ]
    )
    assert cells(model) == {"Namn": "Anna", "Kön": "Kvinna", "Tjänstgöringsgrad": number(0.75, 2),
                            "Från": "2020-01-01", "Till": ""}  # fmt: skip
    assert cells(model, 0, ALIGN)["Tjänstgöringsgrad"] == int(RIGHT)
    assert cells(model, 1)["Till"] == "2024-06-30"
    model.sort(model.column_of("Tjänstgöringsgrad"), Qt.SortOrder.DescendingOrder)
    assert model.index(0, 0).data() == "Bo"


def test_ledningsgrupp_models() -> None:
    from po_desk.ui.ledningsgrupp_view import MEETING_COLUMNS, MEMBER_COLUMNS

    members = TableModel(MEMBER_COLUMNS)
    members.set_rows([Medlem("psykiatri", "Verksamhetschef", date(2024, 1, 1))])
    assert cells(members) == {"Organisation": "Regionens psykiatri", "Roll": "Verksamhetschef",
                              "Från": "2024-01-01", "Till": ""}  # fmt: skip
    assert [c.header for c in MEMBER_COLUMNS if c.stretch] == ["Roll"]
    meetings = TableModel(MEETING_COLUMNS)
    meetings.set_rows([MeetingRow(Mote(date(2026, 4, 2), "Om bemötande", id="m"), 3)])
    assert cells(meetings) == {"Datum": "2026-04-02", "Lyfta avvikelser": "3",
                               "Anteckning": "Om bemötande"}  # fmt: skip


def test_licence_model() -> None:
    from po_desk.ui.about_dialog import COLUMNS

    model = TableModel(COLUMNS)
    model.set_rows([Component("SQLAlchemy", "2.0", "MIT", "Permission is hereby granted")])
    assert cells(model) == {"Komponent": "SQLAlchemy", "Version": "2.0", "Licens": "MIT"}


def test_import_preview_model() -> None:
    from po_desk.ui.import_dialog import COLUMNS

    model = TableModel(COLUMNS)
    model.set_rows([PreviewRow(7, uppdrag(kod="", tidigare_kod="2020-001", barn="delvis",
                                          slut=date(2025, 9, 1)), "Hammarö",
                              "Ekonomi och skulder, Bostad")])  # fmt: skip
    assert cells(model) == {
        "Rad": "7", "Kod": "(ny) (återkommande, 2020-001)", "Kön": "Man", "Födelseår": "1970",
        "Kommun": "Hammarö", "Start": "2025-03-01", "Slut": "2025-09-01", "Barn": "Ja, delvis",
        "Kontaktorsaker": "Ekonomi och skulder, Bostad",
    }  # fmt: skip
    assert cells(model, 0, TOOLTIP)["Kontaktorsaker"] == "Ekonomi och skulder, Bostad"


# -- one pattern ----------------------------------------------------------------------------


def test_no_table_widget_is_left_in_the_ui() -> None:
    """Every table is a QTableView over a model on `TableModel` (issue 16)."""
    offenders = [p.name for p in UI.rglob("*.py") if "QTableWidget" in p.read_text("utf-8")]
    assert offenders == []


def test_every_table_model_derives_from_the_one_base() -> None:
    """No model subclasses Qt's table model directly except the base itself."""
    direct = re.compile(r"class \w+\((QAbstractTableModel|QStandardItemModel)")
    offenders = [
        p.name
        for p in UI.rglob("*.py")
        if p.name != "table_model.py" and direct.search(p.read_text("utf-8"))
    ]
    assert offenders == []
