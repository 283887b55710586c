"""Deciding a new version of the prioriteringsordning: order the grounds, add the
verksamhet's own, record the ledningsgrupp's decision date. Earlier versions are kept."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
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
from po_desk.services.ko_service import KoService
from po_desk.ui.messages import error_text
from po_desk.ui.widgets import date_edit, dialog_buttons, error_label, from_qdate

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
        self.beslutad = date_edit()
        self.beslutad.setAccessibleName("Beslutad av ledningsgruppen")
        self.note = QLineEdit()
        self.note.setAccessibleName("Anteckning om beslutet")
        form = QFormLayout()
        form.addRow("Beslutad av ledningsgruppen &den:", self.beslutad)
        form.addRow("&Anteckning:", self.note)
        history = QLabel(self._history())
        history.setWordWrap(True)
        history.setAccessibleName("Tidigare versioner")
        hint = QLabel("Unga vuxna 18–29 år räknas fram ur födelseåret för varje anmälan.")
        hint.setStyleSheet("color: #555")
        self.errors = error_label()
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(QLabel("<b>Versioner</b>"))
        layout.addWidget(history)
        layout.addWidget(self.errors)
        layout.addWidget(dialog_buttons(self, "&Spara ny version", "Avbryt", self.save))
        self.resize(620, 620)

    def _add(self, target: QListWidget, code: str) -> None:
        item = QListWidgetItem(self.names.get(code, code))
        item.setData(CODE_ROLE, code)
        target.addItem(item)

    def _history(self) -> str:
        lines = []
        in_force = self.service.order_in_force()
        for version in reversed(self.service.versions()):
            marker = " (gäller)" if version.id == in_force.id else ""
            names = [self.names.get(code, code) for code in version.grunder]
            lines.append(f"{version.beslutad.isoformat()}{marker}: {_numbered(names)}")
        return "<br>".join(lines) or "Inga beslut ännu."

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

    def order(self) -> tuple[str, ...]:
        return tuple(
            self.in_order.item(row).data(CODE_ROLE) for row in range(self.in_order.count())
        )

    def save(self) -> None:
        try:
            self.service.add_version(
                from_qdate(self.beslutad.date()), self.order(), self.note.text().strip()
            )
        except PoDeskError as error:
            self.errors.setText(error_text(error))
            return
        self.accept()
