"""Deciding a new version of the prioriteringsordning: order the grounds, add the
verksamhet's own, record the decision date and who decided (ledningsgrupp or enhetschef),
or record that the verksamhet has no prioriteringsordning. Earlier versions are kept;
until a decision is recorded the four standard grounds are only a proposal."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from po_desk.domain.errors import PoDeskError
from po_desk.domain.ko import BESLUTAD_AV
from po_desk.services.ko_service import KoService
from po_desk.ui.messages import error_text
from po_desk.ui.op_changes import did_write
from po_desk.ui.widgets import choice_combo, date_edit, dialog_buttons, error_label, from_qdate

CODE_ROLE = Qt.ItemDataRole.UserRole


def _numbered(names: list[str]) -> str:
    return ", ".join(f"{rank}. {name}" for rank, name in enumerate(names, start=1))


class PrioriteringDialog(QDialog):
    def __init__(self, service: KoService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.setWindowTitle("Prioriteringsordning")
        self.names = service.ground_names()
        current = service.order_in_force()
        self.in_order = QListWidget()
        self.in_order.setAccessibleName("Grunder i ordning")
        self.outside = QListWidget()
        self.outside.setAccessibleName("Grunder som inte används")
        for code in current.grunder:
            self._add(self.in_order, code)
        for code in self.names:
            if code not in current.grunder:
                self._add(self.outside, code)
        up, down = QPushButton("Flytta &upp"), QPushButton("Flytta &ner")
        remove, include = QPushButton("Ta &bort ur ordningen"), QPushButton("&Lägg till ↑")
        own = QPushButton("&Egen grund…")
        up.clicked.connect(lambda: self._move(-1))
        down.clicked.connect(lambda: self._move(1))
        remove.clicked.connect(lambda: self._transfer(self.in_order, self.outside))
        include.clicked.connect(lambda: self._transfer(self.outside, self.in_order))
        own.clicked.connect(self._add_own)
        grid = QGridLayout()
        grid.addWidget(QLabel("Ordning (högst först):"), 0, 0)
        grid.addWidget(self.in_order, 1, 0, 4, 1)
        grid.addWidget(up, 1, 1)
        grid.addWidget(down, 2, 1)
        grid.addWidget(remove, 3, 1)
        grid.addWidget(QLabel("Används inte:"), 5, 0)
        grid.addWidget(self.outside, 6, 0, 2, 1)
        grid.addWidget(include, 6, 1)
        grid.addWidget(own, 7, 1)
        self.ingen = QCheckBox("Verksamheten har &ingen prioriteringsordning")
        self.ingen.toggled.connect(self._ingen_toggled)
        self.beslutad = date_edit()
        self.beslutad.setAccessibleName("Beslutsdatum")
        self.beslutad_av = choice_combo(
            [(label, code) for code, label in BESLUTAD_AV.items()], "Välj vem som beslutade"
        )
        self.beslutad_av.setAccessibleName("Beslutad av")
        self.note = QLineEdit()
        self.note.setAccessibleName("Anteckning om beslutet")
        form = QFormLayout()
        form.addRow("", self.ingen)
        form.addRow("Beslutad &den:", self.beslutad)
        form.addRow("Beslutad a&v:", self.beslutad_av)
        form.addRow("&Anteckning:", self.note)
        self.status = QLabel(self._status())
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Beslutsläge")
        history = QLabel(self._history())
        history.setWordWrap(True)
        history.setAccessibleName("Tidigare versioner")
        hint = QLabel("Unga vuxna 18–29 år räknas fram ur födelseåret för varje anmälan.")
        hint.setStyleSheet("color: #555")
        self.errors = error_label()
        self.grid_widgets = [self.in_order, self.outside, up, down, remove, include, own]
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addLayout(grid)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(QLabel("<b>Versioner</b>"))
        layout.addWidget(history)
        layout.addWidget(self.errors)
        layout.addWidget(dialog_buttons(self, "&Spara beslutet", "Avbryt", self.save))
        self.resize(620, 620)

    def _add(self, target: QListWidget, code: str) -> None:
        item = QListWidgetItem(self.names.get(code, code))
        item.setData(CODE_ROLE, code)
        target.addItem(item)

    def _status(self) -> str:
        current = self.service.decision_in_force()
        if current is None:
            return (
                "<b>Ingen prioriteringsordning är beslutad.</b> Grunderna nedan är ett "
                "förslag; kön ordnas efter det tills ett beslut registreras."
            )
        if current.ingen:
            return f"Beslutat {current.beslutad.isoformat()}: ingen prioriteringsordning."
        return f"Gäller: beslutad {current.beslutad.isoformat()}."

    def _history(self) -> str:
        lines = []
        in_force = self.service.decision_in_force()
        for version in reversed(self.service.versions()):
            marker = " (gäller)" if in_force is not None and version.id == in_force.id else ""
            if not version.is_decided:
                what = "förslag, ej beslutat: "
            else:
                what = f"{BESLUTAD_AV.get(version.beslutad_av or '', '').lower()}: "
            names = [self.names.get(code, code) for code in version.grunder]
            text = "ingen prioriteringsordning" if version.ingen else _numbered(names)
            lines.append(f"{version.beslutad.isoformat()}{marker}, {what}{text}")
        return "<br>".join(lines) or "Inga beslut ännu."

    def _ingen_toggled(self, on: bool) -> None:
        for widget in self.grid_widgets:
            widget.setEnabled(not on)

    def _move(self, step: int) -> None:
        row = self.in_order.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.in_order.count():
            return
        item = self.in_order.takeItem(row)
        self.in_order.insertItem(target, item)
        self.in_order.setCurrentRow(target)

    def _transfer(self, source: QListWidget, target: QListWidget) -> None:
        row = source.currentRow()
        if row >= 0:
            target.addItem(source.takeItem(row))

    def _add_own(self) -> None:
        name, ok = QInputDialog.getText(self, "Egen grund", "Namn på grunden:")
        if not ok or not name.strip():
            return
        try:
            code = self.service.add_ground(name)
        except PoDeskError as error:
            self.errors.setText(error_text(error))
            return
        self.names[code] = name.strip()
        self._add(self.in_order, code)
        # Saved at once, whether or not the decision is: the other views are told now.
        did_write(self, self.service.add_ground)

    def order(self) -> tuple[str, ...]:
        return tuple(
            self.in_order.item(row).data(CODE_ROLE) for row in range(self.in_order.count())
        )

    def save(self) -> None:
        beslutad, who = from_qdate(self.beslutad.date()), self.beslutad_av.currentData()
        try:
            if self.ingen.isChecked():
                self.service.record_none(beslutad, who, self.note.text().strip())
            else:
                self.service.add_version(beslutad, self.order(), self.note.text().strip(), who)
        except PoDeskError as error:
            self.errors.setText(error_text(error))
            return
        self.accept()
