"""Översikt: the register's key figures for this year and last year."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QGridLayout, QGroupBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from po_desk.domain.counting import YearFigures, active_by, active_on, year_figures
from po_desk.domain.formatting import days_text, number
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
        lower = QHBoxLayout()
        lower.addWidget(self.per_ombud_box)
        lower.addWidget(self.per_kommun_box)
        lower.addWidget(self.ko_box)
        lower.addStretch()
        note = QLabel("Kö, avvikelser och återrapport visas här när de delarna är byggda.")
        note.setStyleSheet("color: #555")
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.active_now)
        layout.addWidget(self.table_box)
        layout.addLayout(lower)
        layout.addWidget(note)
        layout.addStretch()
        self.refresh()

    def refresh(self) -> None:
        verksamhet = self.workspace.verksamhet.get()
        kommuner = ", ".join(k.namn for k in verksamhet.kommuner)
        self.heading.setText(f"<h2>{verksamhet.namn}</h2>{verksamhet.lan} · {kommuner}")
        items = self.workspace.uppdrag.list()
        today = date.today()
        self.active_now.setText(f"<b>{number(active_on(items, today))}</b> aktiva uppdrag i dag")
        years = [today.year, today.year - 1]
        self._fill([year_figures(items, year) for year in years])
        ombud_names = {o.id or "": o.namn for o in self.workspace.verksamhet.list_ombud()}
        ombud_names[""] = "Inget ombud valt"
        kommun_names = {k.id: k.namn for k in verksamhet.kommuner}
        _fill_counts(self.per_ombud, active_by(items, today, "ombud_id"), ombud_names)
        _fill_counts(self.per_kommun, active_by(items, today, "kommun_id"), kommun_names)
        self._fill_ko(today)

    def _fill_ko(self, today: date) -> None:
        figures = self.workspace.ko.current_figures(today)
        started = figures.startade_12_man
        stopp = self.workspace.ko.stopp_in_force(today)
        rows = (
            ("Väntar", number(figures.vantande)),
            ("Median väntat", days_text(figures.median_vantat)),
            ("Längst väntat", days_text(figures.langst_vantat)),
            ("Påbörjade från kön, 12 mån", number(started.antal)),
            ("Median väntetid, 12 mån", days_text(started.median)),
            ("Intagningsstopp", f"sedan {stopp.fran.isoformat()}" if stopp else "nej"),
        )
        _clear(self.ko_grid)
        for row, (label, value) in enumerate(rows):
            self.ko_grid.addWidget(QLabel(label), row, 0)
            shown = QLabel(value)
            shown.setAccessibleName(f"{label}: {value}")
            self.ko_grid.addWidget(shown, row, 1)

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


def _fill_counts(grid: QGridLayout, counts: dict[str, int], names: dict[str, str]) -> None:
    _clear(grid)
    rows = sorted(counts.items(), key=lambda pair: names.get(pair[0], pair[0]))
    for row, (key, count) in enumerate(rows):
        grid.addWidget(QLabel(names.get(key, "okänd")), row, 0)
        value = QLabel(number(count))
        value.setAccessibleName(f"{names.get(key, 'okänd')}: {count}")
        grid.addWidget(value, row, 1)
    if not rows:
        grid.addWidget(QLabel("Inga aktiva uppdrag."), 0, 0)
