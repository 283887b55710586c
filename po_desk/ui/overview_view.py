"""Översikt: the register's key figures for this year and last year."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QGroupBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from po_desk.domain.formatting import days_text, number
from po_desk.services.changes import OpChanges
from po_desk.services.oversikt_service import Oversikt, YearFigures
from po_desk.services.workspace import Workspace

ROWS = (
    ("Klienter under året", "klienter"),
    ("Nya", "nya"),
    ("Avslutade", "avslutade"),
    ("Kvarstående 31 december", "kvarstaende"),
)


class OverviewView(QWidget):
    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.active_now = QLabel()
        self.active_now.setAccessibleName("Aktiva uppdrag i dag")
        self.table_box = QGroupBox("Uppdrag per år")
        self.grid = QGridLayout(self.table_box)
        self.grid.setColumnMinimumWidth(0, 220)
        self.grid.setColumnStretch(3, 1)
        self.per_ombud_box = QGroupBox("Aktiva uppdrag per ombud i dag")
        self.per_ombud = QGridLayout(self.per_ombud_box)
        self.per_kommun_box = QGroupBox("Aktiva uppdrag per kommun i dag")
        self.per_kommun = QGridLayout(self.per_kommun_box)
        self.ko_box = QGroupBox("Kö i dag")
        self.ko_grid = QGridLayout(self.ko_box)
        self.avvikelser_box = QGroupBox("Avvikelser")
        self.avvikelser_grid = QGridLayout(self.avvikelser_box)
        self.aterrapport_box = QGroupBox("Återrapport")
        self.aterrapport_text = QLabel()
        self.aterrapport_text.setWordWrap(True)
        self.aterrapport_text.setAccessibleName("Återrapportens läge")
        QVBoxLayout(self.aterrapport_box).addWidget(self.aterrapport_text)
        lower = QHBoxLayout()
        for box in (self.per_ombud_box, self.per_kommun_box, self.ko_box):
            lower.addWidget(box, alignment=Qt.AlignmentFlag.AlignTop)
        lower.addStretch()
        follow_up = QHBoxLayout()
        follow_up.addWidget(self.avvikelser_box, alignment=Qt.AlignmentFlag.AlignTop)
        follow_up.addWidget(self.aterrapport_box, 1, alignment=Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.active_now)
        layout.addWidget(self.table_box)
        layout.addLayout(lower)
        layout.addLayout(follow_up)
        layout.addStretch()
        self.refresh()

    def on_changes(self, changes: OpChanges, handler: object | None = None) -> None:
        """Every figure comes from the records; settings alone change none of them."""
        if changes.records:
            self.refresh()

    def refresh(self) -> None:
        figures = self.workspace.oversikt.oversikt(date.today())
        self.heading.setText(
            f"<h2>{figures.namn}</h2>{figures.lan} · {', '.join(figures.kommuner)}"
        )
        self.active_now.setText(f"<b>{number(figures.aktiva_i_dag)}</b> aktiva klienter i dag")
        self._fill(list(figures.years))
        _fill_counts(self.per_ombud, figures.per_ombud)
        _fill_counts(self.per_kommun, figures.per_kommun)
        self._fill_ko(figures)
        self._fill_avvikelser(figures)
        self.aterrapport_text.setText(figures.aterrapport_text)

    def _fill_avvikelser(self, figures: Oversikt) -> None:
        avvikelser = figures.avvikelser
        oldest = avvikelser.aldsta_vantar_dagar
        rows = (
            ("Nya, ej lyfta", number(avvikelser.nya_ej_lyfta)),
            ("Väntar på återkoppling", number(avvikelser.vantar_aterkoppling)),
            ("Äldsta som väntar", days_text(oldest) if oldest is not None else "–"),
            (f"Registrerade {figures.day.year}", number(avvikelser.registrerade_i_ar)),
        )
        _fill_rows(self.avvikelser_grid, rows)

    def _fill_ko(self, figures: Oversikt) -> None:
        ko = figures.ko
        started = ko.startade_12_man
        stopp = figures.intagningsstopp_fran
        rows = (
            ("Väntar", number(ko.vantande)),
            ("Median väntat", days_text(ko.median_vantat)),
            ("Längst väntat", days_text(ko.langst_vantat)),
            ("Påbörjade från kön, 12 mån", number(started.antal)),
            ("Median väntetid, 12 mån", days_text(started.median)),
            ("Intagningsstopp", f"sedan {stopp.isoformat()}" if stopp else "nej"),
        )
        _fill_rows(self.ko_grid, rows)

    def _fill(self, figures: list[YearFigures]) -> None:
        _clear(self.grid)
        for column, fig in enumerate(figures, start=1):
            header = QLabel(f"<b>{fig.year}</b>")
            header.setMinimumWidth(90)
            self.grid.addWidget(header, 0, column)
        for row, (label, attribute) in enumerate(ROWS, start=1):
            self.grid.addWidget(QLabel(label), row, 0)
            for column, fig in enumerate(figures, start=1):
                value = QLabel(number(getattr(fig, attribute)))
                value.setAccessibleName(f"{label} {fig.year}")
                self.grid.addWidget(value, row, column)


def _clear(grid: QGridLayout) -> None:
    while grid.count():
        item = grid.takeAt(0)
        if item is not None and item.widget():
            item.widget().deleteLater()


def _fill_rows(grid: QGridLayout, rows: tuple[tuple[str, str], ...]) -> None:
    _clear(grid)
    for row, (label, value) in enumerate(rows):
        grid.addWidget(QLabel(label), row, 0)
        shown = QLabel(value)
        shown.setAccessibleName(f"{label}: {value}")
        grid.addWidget(shown, row, 1)


def _fill_counts(grid: QGridLayout, counts: tuple[tuple[str, int], ...]) -> None:
    _clear(grid)
    for row, (name, count) in enumerate(counts):
        grid.addWidget(QLabel(name), row, 0)
        value = QLabel(number(count))
        value.setAccessibleName(f"{name}: {count}")
        grid.addWidget(value, row, 1)
    if not counts:
        grid.addWidget(QLabel("Inga aktiva uppdrag."), 0, 0)
