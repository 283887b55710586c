"""Kö: the anmälningar in priority order, why each stands where it does, the kö figures,
the prioriteringsordning in force and the intagningsstopp banner."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from po_desk.domain.formatting import days_text, number
from po_desk.domain.ko import Anmalan, Prioriteringsordning
from po_desk.services.changes import OpChanges
from po_desk.services.workspace import Workspace
from po_desk.ui.anmalan_dialog import AnmalanDialog
from po_desk.ui.intagningsstopp_dialog import IntagningsstoppDialog
from po_desk.ui.ko_table_model import KoTableModel
from po_desk.ui.messages import confirm, show_error
from po_desk.ui.not_relevant_dialog import NotRelevantDialog
from po_desk.ui.op_changes import did_write
from po_desk.ui.prioritering_dialog import PrioriteringDialog
from po_desk.ui.table_model import ID_ROLE
from po_desk.ui.uppdrag_dialog import UppdragDialog
from po_desk.ui.widgets import (
    choice_combo,
    fill_table,
    model_table,
    select_value,
)

SHOW_CHOICES = (("I kön", "ko"), ("Avslutade anmälningar", "avslutade"))
NO_SELECTION_TEXT = "Välj en anmälan för att se varför den står där den står."
BANNER_STYLE = "background: #fff3cd; color: #5c4400; padding: 8px; border: 1px solid #e0c36a;"


class KoView(QWidget):
    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.model = KoTableModel()
        self.banner = QLabel()
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.setWordWrap(True)
        self.banner.setAccessibleName("Intagningsstopp")
        self.order_banner = QLabel()
        self.order_banner.setStyleSheet(BANNER_STYLE)
        self.order_banner.setWordWrap(True)
        self.order_banner.setAccessibleName("Prioriteringsordningen är inte beslutad")
        self.figures = QLabel()
        self.figures.setWordWrap(True)
        self.figures.setAccessibleName("Kö i siffror")
        self.show_choice = choice_combo(SHOW_CHOICES)
        self.show_choice.setAccessibleName("Visa")
        self.show_choice.currentIndexChanged.connect(self.refresh)

        self.table = model_table(self.model, "Kö")
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.why = QLabel(NO_SELECTION_TEXT)
        self.why.setWordWrap(True)
        self.why.setAccessibleName("Varför här")

        self.order_label = QLabel()
        self.order_label.setWordWrap(True)
        self.order_label.setAccessibleName("Prioriteringsordning som gäller")
        change_order = QPushButton("Ändra &prioriteringsordning…")
        change_order.clicked.connect(self.edit_order)
        stop_button = QPushButton("&Intagningsstopp…")
        stop_button.clicked.connect(self.edit_stopp)
        order_box = QGroupBox("Prioriteringsordning")
        order_layout = QVBoxLayout(order_box)
        order_layout.addWidget(self.order_label)
        order_layout.addWidget(change_order)
        order_layout.addWidget(stop_button)
        order_layout.addStretch()
        order_box.setMaximumWidth(300)  # narrower on a small screen (1024 points at 125 %)

        self.new_button = QPushButton("&Ny anmälan")
        self.edit_button = QPushButton("&Redigera")
        self.offer_button = QPushButton("&Erbjud")
        self.start_button = QPushButton("&Påbörja uppdrag…")
        self.withdraw_button = QPushButton("Åte&rta")
        self.not_relevant_button = QPushButton("Ej &aktuell…")
        self.new_button.clicked.connect(self.new_anmalan)
        self.edit_button.clicked.connect(self.edit_selected)
        self.offer_button.clicked.connect(self.offer_selected)
        self.start_button.clicked.connect(self.start_selected)
        self.withdraw_button.clicked.connect(self.withdraw_selected)
        self.not_relevant_button.clicked.connect(self.not_relevant_selected)
        buttons = QHBoxLayout()
        for button in (
            self.new_button,
            self.edit_button,
            self.offer_button,
            self.start_button,
            self.withdraw_button,
            self.not_relevant_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch()

        header = QHBoxLayout()
        header.addWidget(QLabel("<h2>Kö</h2>"))
        header.addStretch()
        caption = QLabel("&Visa:")
        caption.setBuddy(self.show_choice)
        header.addWidget(caption)
        header.addWidget(self.show_choice)
        left = QVBoxLayout()
        left.addWidget(self.table)
        left.addWidget(self.why)
        left.addLayout(buttons)
        body = QHBoxLayout()
        body.addLayout(left, 1)
        body.addWidget(order_box)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.banner)
        layout.addWidget(self.order_banner)
        layout.addWidget(self.figures)
        layout.addLayout(body)

        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.refresh()

    # -- data ----------------------------------------------------------------------------

    def on_changes(self, changes: OpChanges, handler: object | None = None) -> None:
        """Refreshes when the kö, its order, stopp or the kommuner changed, or the uppdrag
        its figures count (the waits of those who recently started)."""
        if changes.ko or changes.prioritering or changes.verksamhet or changes.uppdrag:
            self.refresh()

    def refresh(self) -> None:
        today = date.today()
        service = self.workspace.ko
        self._names = service.ground_names()
        order = service.order_in_force(today)
        self._order = order.grunder
        waiting = service.waiting()
        rows = service.queue(today, ended=self.show_choice.currentData() == "avslutade")
        fill_table(self.table, self.model, rows)
        self._show_order(order)
        self._show_banner(today)
        self._show_figures(today, waiting)
        self._selection_changed()

    def _show_order(self, order: Prioriteringsordning) -> None:
        lines = [
            f"{rank}. {self._names.get(code, code)}" for rank, code in enumerate(self._order, 1)
        ]
        if not order.is_decided:
            head = "<b>Förslag – ej beslutad</b>:"
        elif order.ingen:
            head = f"Beslutat {order.beslutad.isoformat()}: ingen prioriteringsordning."
        else:
            head = f"Beslutad {order.beslutad.isoformat()}:"
        tail = "Därefter i anmälningsordning." if lines else "Kön går i anmälningsordning."
        self.order_label.setText(head + "<br>" + "<br>".join(lines) + "<br><br>" + tail)
        self.order_banner.setVisible(not order.is_decided)
        self.order_banner.setText(
            "<b>Prioriteringsordningen är ej beslutad.</b> Kön ordnas efter förslaget med de "
            "fyra standardgrunderna tills ett beslut registreras (Ändra prioriteringsordning)."
        )

    def _show_banner(self, today: date) -> None:
        stopp = self.workspace.ko.stopp_in_force(today)
        if stopp is None:
            self.banner.hide()
            return
        till = f" till och med {stopp.till.isoformat()}" if stopp.till else " tills vidare"
        self.banner.setText(
            f"<b>Intagningsstopp</b> från {stopp.fran.isoformat()}{till}: {stopp.orsak}"
        )
        self.banner.show()

    def _show_figures(self, today: date, waiting: list[Anmalan]) -> None:
        figures = self.workspace.ko.current_figures(today, waiting)
        started = figures.startade_12_man
        per_ground = ", ".join(
            f"{self._names.get(code, 'ingen grund') if code else 'ingen grund'} {number(count)}"
            for code, count in figures.per_grund.items()
        )
        self.figures.setText(
            f"<b>Väntar nu:</b> {number(figures.vantande)} · "
            f"<b>median väntat:</b> {days_text(figures.median_vantat)} · "
            f"<b>längst:</b> {days_text(figures.langst_vantat)} · "
            f"<b>påbörjade från kön senaste 12 månaderna:</b> {number(started.antal)} "
            f"(median {days_text(started.median)}, max {days_text(started.max)})"
            + (f"<br><b>Väntande per avgörande grund:</b> {per_ground}" if per_ground else "")
        )

    def clear(self) -> None:
        self.model.clear()

    # -- selection -----------------------------------------------------------------------

    def selected(self) -> Anmalan | None:
        indexes = self.table.selectionModel().selectedRows()
        return self.model.row_at(indexes[0].row()).anmalan if indexes else None

    def _selection_changed(self) -> None:
        current = self.selected()
        waiting = current is not None and current.is_waiting
        self.edit_button.setEnabled(waiting)
        self.offer_button.setEnabled(waiting and current.awaits_offer)
        self.start_button.setEnabled(waiting)
        self.withdraw_button.setEnabled(waiting)
        self.not_relevant_button.setEnabled(waiting)
        indexes = self.table.selectionModel().selectedRows()
        if indexes:
            self.why.setText(self.model.row_at(indexes[0].row()).why)
        else:
            self.why.setText(NO_SELECTION_TEXT)

    def select(self, anmalan_id: str | None) -> None:
        select_value(self.table, ID_ROLE, anmalan_id)

    # -- actions -------------------------------------------------------------------------

    def _anmalan_dialog(self, anmalan: Anmalan | None) -> AnmalanDialog:
        return AnmalanDialog(
            self.workspace.ko,
            self.workspace.verksamhet.get().kommuner,
            self.workspace.ko.ground_choices(anmalan.prioritetsgrunder if anmalan else ()),
            anmalan,
            self,
        )

    def new_anmalan(self) -> None:
        dialog = self._anmalan_dialog(None)
        if dialog.exec() and dialog.saved is not None:
            self.refresh()
            self.select(dialog.saved.id)
            did_write(self, self.workspace.ko.save)

    def edit_selected(self) -> None:
        current = self.selected()
        if current is None or not current.is_waiting:
            return
        if self._anmalan_dialog(current).exec():
            self.refresh()
            self.select(current.id)
            did_write(self, self.workspace.ko.save)

    def _act(self, action, method) -> None:
        """Runs `action` on the selected anmälan; `method` is the write it calls."""
        current = self.selected()
        if current is None:
            return
        try:
            action(current)
        except Exception as error:
            show_error(self, error)
            done = False
        else:
            done = True
        self.refresh()
        self.select(current.id)
        if done:
            did_write(self, method)

    def offer_selected(self) -> None:
        ko = self.workspace.ko
        self._act(lambda a: ko.offer(a.id or "", date.today()), ko.offer)

    def withdraw_selected(self) -> None:
        current = self.selected()
        if current and confirm(self, "Återta", f"Markera {current.kod} som återtagen i dag?"):
            ko = self.workspace.ko
            self._act(lambda a: ko.withdraw(a.id or "", date.today()), ko.withdraw)

    def not_relevant_selected(self) -> None:
        current = self.selected()
        if current is not None and NotRelevantDialog(self.workspace.ko, current, self).exec():
            self.refresh()
            did_write(self, self.workspace.ko.not_relevant)

    def start_selected(self) -> None:
        current = self.selected()
        if current is None or not current.is_waiting:
            return
        stopp = self.workspace.ko.stopp_in_force()
        if stopp is not None and not confirm(
            self, "Intagningsstopp", "Intagningsstopp gäller. Påbörja uppdraget ändå?"
        ):
            return
        ko_service = self.workspace.ko
        dialog = UppdragDialog(
            self.workspace.uppdrag,
            self.workspace.verksamhet.get().kommuner,
            self.workspace.verksamhet.list_ombud(),
            ko_service.uppdrag_from(current),
            self,
            grounds=ko_service.ground_choices(current.prioritetsgrunder),
            saver=lambda item, ok: ko_service.start(current.id or "", item, ok),
            title=f"Påbörja uppdrag från {current.kod}",
        )
        if dialog.exec():
            self.refresh()
            did_write(self, ko_service.start)
            if dialog.saved is not None:
                self.why.setText(
                    f"{current.kod} har lämnat kön: uppdrag <b>{dialog.saved.kod}</b> påbörjades "
                    f"{dialog.saved.start.isoformat()}. Det finns under Uppdrag."
                )

    def edit_order(self) -> None:
        if PrioriteringDialog(self.workspace.ko, self).exec():
            self.refresh()
            ko = self.workspace.ko
            did_write(self, ko.add_version, ko.record_none)

    def edit_stopp(self) -> None:
        if IntagningsstoppDialog(self.workspace.ko, self).exec():
            self.refresh()
            did_write(self, self.workspace.ko.save_stopp)
