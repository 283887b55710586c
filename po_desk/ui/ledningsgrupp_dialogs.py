"""Dialogs of the ledningsgrupp: a member, and a meeting with the avvikelser raised at it."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from po_desk.domain import categories
from po_desk.domain.categories import CategoryKind
from po_desk.domain.ledningsgrupp import Medlem, Mote
from po_desk.services.workspace import Workspace
from po_desk.ui.messages import adopt_version, save_with_guard
from po_desk.ui.widgets import (
    OptionalDate,
    category_combo,
    date_edit,
    dialog_buttons,
    from_qdate,
    select_data,
    to_qdate,
)

ID_ROLE = Qt.ItemDataRole.UserRole


class MemberDialog(QDialog):
    def __init__(
        self, workspace: Workspace, member: Medlem | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.original = member
        self.setWindowTitle("Ledamot" if member else "Ny ledamot")
        self.organisation = category_combo(categories.ORGANISATIONER, "Välj…")
        self.organisation.setAccessibleName("Organisation")
        self.roll = QLineEdit()
        self.roll.setAccessibleName("Roll eller funktion")
        self.roll.setPlaceholderText("Till exempel enhetschef, verksamhetschef")
        self.fran = date_edit()
        self.fran.setAccessibleName("Från")
        self.till = OptionalDate("Lämnat gruppen:", "Till")
        form = QFormLayout()
        form.addRow("&Organisation:", self.organisation)
        form.addRow("&Roll:", self.roll)
        form.addRow("&Från:", self.fran)
        form.addRow("", self.till)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(dialog_buttons(self, "&Spara", "Avbryt", self.save))
        if member is not None:
            select_data(self.organisation, member.organisation)
            self.roll.setText(member.roll)
            self.fran.setDate(to_qdate(member.fran))
            self.till.set_value(member.till)

    def current(self) -> Medlem:
        values = {
            "organisation": self.organisation.currentData() or "",
            "roll": self.roll.text().strip(),
            "fran": from_qdate(self.fran.date()),
            "till": self.till.value(),
        }
        return replace(self.original, **values) if self.original else Medlem(**values)

    def save(self) -> None:
        member = self.current()
        saved = save_with_guard(
            self,
            lambda ok: self.workspace.ledningsgrupp.save_member(member, ok),
            lambda error: adopt_version(self, error),
        )
        if saved is not None:
            self.accept()


class MeetingDialog(QDialog):
    """A new meeting; ticking avvikelser not yet raised marks them lifted at it."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.setWindowTitle("Nytt ledningsgruppsmöte")
        self.datum = date_edit()
        self.datum.setAccessibleName("Mötesdatum")
        self.note = QLineEdit()
        self.note.setAccessibleName("Anteckning")
        self.raise_list = QListWidget()
        self.raise_list.setAccessibleName("Avvikelser att lyfta")
        aktorer = workspace.verksamhet.category_names(CategoryKind.AKTOR)
        for item in workspace.avvikelser.not_raised():
            aktor = aktorer.get(item.aktor, item.aktor)
            text = f"{item.datum.isoformat()} · {aktor} · {item.beskrivning[:70]}"
            entry = QListWidgetItem(text)
            entry.setData(ID_ROLE, item.id)
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            entry.setCheckState(Qt.CheckState.Checked)
            self.raise_list.addItem(entry)
        form = QFormLayout()
        form.addRow("&Datum:", self.datum)
        form.addRow("&Anteckning:", self.note)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("Avvikelser som ännu inte lyfts (bocka för dem som tas upp):"))
        layout.addWidget(self.raise_list)
        layout.addWidget(dialog_buttons(self, "&Spara mötet", "Avbryt", self.save))
        self.resize(680, 480)

    def raised(self) -> list[str]:
        return [
            self.raise_list.item(row).data(ID_ROLE)
            for row in range(self.raise_list.count())
            if self.raise_list.item(row).checkState() == Qt.CheckState.Checked
        ]

    def save(self) -> None:
        meeting = Mote(datum=from_qdate(self.datum.date()), anteckning=self.note.text().strip())
        raised = self.raised()
        saved = save_with_guard(
            self, lambda ok: self.workspace.ledningsgrupp.save_meeting(meeting, raised, ok)
        )
        if saved is not None:
            self.accept()
