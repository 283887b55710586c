"""Översikt: the register's key figures for this year and last year."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QGroupBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from po_desk.domain.avvikelse import AvvikelseStatus
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

    def refresh(self) -> None:
        verksamhet = self.workspace.verksamhet.get()
        today = date.today()
        kommuner = ", ".join(k.namn for k in verksamhet.kommuner if k.served_during(today, today))
        self.heading.setText(f"<h2>{verksamhet.namn}</h2>{verksamhet.lan} · {kommuner}")
        # This year's and last year's figures: a ny klient of last year is one with no
        # uppdrag the year before, so older, ended uppdrag cannot count.
        items = self.workspace.uppdrag.not_ended_before(date(today.year - 2, 1, 1))
        self.active_now.setText(f"<b>{number(active_on(items, today))}</b> aktiva klienter i dag")
        years = [today.year, today.year - 1]
        self._fill([year_figures(items, year) for year in years])
        ombud_names = {o.id or "": o.namn for o in self.workspace.verksamhet.list_ombud()}
        ombud_names[""] = "Inget ombud valt"
        kommun_names = {k.id: k.namn for k in verksamhet.kommuner}
        _fill_counts(self.per_ombud, active_by(items, today, "ombud_id"), ombud_names)
        _fill_counts(self.per_kommun, active_by(items, today, "kommun_id"), kommun_names)
        self._fill_ko(today)
        self._fill_avvikelser(today)
        self._fill_aterrapport(today)

    def _fill_avvikelser(self, today: date) -> None:
        items = self.workspace.avvikelser.all()
        waiting = [a for a in items if a.awaits_feedback]
        oldest = min((a.datum for a in waiting), default=None)
        rows = (
            ("Nya, ej lyfta", number(sum(a.status == AvvikelseStatus.NY for a in items))),
            ("Väntar på återkoppling", number(len(waiting))),
            ("Äldsta som väntar", days_text((today - oldest).days) if oldest else "–"),
            (f"Registrerade {today.year}", number(sum(a.datum.year == today.year for a in items))),
        )
        _fill_rows(self.avvikelser_grid, rows)

    def _fill_aterrapport(self, today: date) -> None:
        year = today.year - 1
        saved = self.workspace.aterrapport.saved(year)
        deadline = date(today.year, 1, 15)
        if saved.faststalld is not None and saved.faststalld_at is not None:
            text = (
                f"Återrapporten för {year} är fastställd "
                f"{saved.faststalld_at.date().isoformat()} av {saved.faststalld_av}."
            )
        elif not self.workspace.aterrapport.covers(year):
            start = self.workspace.verksamhet.get().start_ar
            text = (
                f"Registret började {start}. Den första återrapporten gäller {start} och "
                f"lämnas senast {start + 1}-01-15."
            )
        elif today <= deadline:
            text = (
                f"Återrapporten för {year} ska lämnas till länsstyrelsen senast "
                f"{deadline.isoformat()} – {days_text((deadline - today).days)} kvar. "
                "Öppna Rapporter → Återrapport."
            )
        else:
            text = (
                f"Återrapporten för {year} är inte fastställd (sista dag var "
                f"{deadline.isoformat()}). Öppna Rapporter → Återrapport."
            )
        self.aterrapport_text.setText(text)

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
