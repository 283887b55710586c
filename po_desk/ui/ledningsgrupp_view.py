"""The ledningsgrupp: fulltalig or who is missing, members by organisation, meetings."""

from __future__ import annotations

from collections import Counter
from datetime import date

from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from po_desk.domain import categories, ledningsgrupp
from po_desk.services.workspace import Workspace
from po_desk.ui.ledningsgrupp_dialogs import MeetingDialog, MemberDialog
from po_desk.ui.op_changes import did_write

OK_STYLE = "color: #1b5e20; font-weight: bold; padding: 4px;"
MISSING_STYLE = "color: #b00020; font-weight: bold; padding: 4px;"


def _table(headers: tuple[str, ...], accessible_name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.setWordWrap(False)
    table.setAccessibleName(accessible_name)
    return table


def _fill(table: QTableWidget, rows: list[tuple[str, ...]], stretch: int) -> None:
    """One line per row; every column as wide as its content except `stretch`, which takes
    the rest of the width (its full text is also the tooltip)."""
    table.setRowCount(len(rows))
    for row, values in enumerate(rows):
        for column, value in enumerate(values):
            item = QTableWidgetItem(value)
            item.setToolTip(value)
            table.setItem(row, column, item)
    header = table.horizontalHeader()
    for column in range(table.columnCount()):
        mode = (
            QHeaderView.ResizeMode.Stretch
            if column == stretch
            else (QHeaderView.ResizeMode.ResizeToContents)
        )
        header.setSectionResizeMode(column, mode)


class LedningsgruppView(QWidget):
    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.indicator = QLabel()
        self.indicator.setAccessibleName("Ledningsgruppens sammansättning")
        self.members = _table(("Organisation", "Roll", "Från", "Till"), "Ledamöter")
        self.members.doubleClicked.connect(lambda _i: self.edit_member())
        self.meetings = _table(("Datum", "Lyfta avvikelser", "Anteckning"), "Möten")
        add_member = QPushButton("Ny &ledamot")
        edit_member = QPushButton("&Redigera ledamot")
        new_meeting = QPushButton("Nytt &möte…")
        add_member.clicked.connect(self.add_member)
        edit_member.clicked.connect(self.edit_member)
        new_meeting.clicked.connect(self.new_meeting)
        member_box = QGroupBox("Ledamöter")
        member_layout = QVBoxLayout(member_box)
        member_layout.addWidget(self.members)
        member_buttons = QHBoxLayout()
        member_buttons.addWidget(add_member)
        member_buttons.addWidget(edit_member)
        member_buttons.addStretch()
        member_layout.addLayout(member_buttons)
        meeting_box = QGroupBox("Möten")
        meeting_layout = QVBoxLayout(meeting_box)
        meeting_layout.addWidget(self.meetings)
        meeting_buttons = QHBoxLayout()
        meeting_buttons.addWidget(new_meeting)
        meeting_buttons.addStretch()
        meeting_layout.addLayout(meeting_buttons)
        # Members above meetings: each table gets the whole width, so the roles fit.
        body = QVBoxLayout()
        body.addWidget(member_box, 1)
        body.addWidget(meeting_box, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.indicator)
        layout.addLayout(body)
        self.refresh()

    def refresh(self) -> None:
        today = date.today()
        composition = self.workspace.ledningsgrupp.composition(today)
        self.indicator.setText(ledningsgrupp.describe(composition))
        self.indicator.setStyleSheet(OK_STYLE if composition.fulltalig else MISSING_STYLE)
        self._members = self.workspace.ledningsgrupp.members()
        _fill(
            self.members,
            [
                (
                    categories.name_of(categories.ORGANISATIONER, m.organisation),
                    m.roll,
                    m.fran.isoformat(),
                    m.till.isoformat() if m.till else "",
                )
                for m in self._members
            ],
            stretch=1,
        )
        raised = Counter(a.mote_id for a in self.workspace.avvikelser.all() if a.mote_id)
        meetings = sorted(self.workspace.ledningsgrupp.meetings(), key=lambda m: m.datum)
        _fill(
            self.meetings,
            [
                (m.datum.isoformat(), str(raised.get(m.id, 0)), m.anteckning)
                for m in reversed(meetings)
            ],
            stretch=2,
        )

    def add_member(self) -> None:
        if MemberDialog(self.workspace, None, self).exec():
            self.refresh()
            did_write(self, self.workspace.ledningsgrupp.save_member)

    def edit_member(self) -> None:
        row = self.members.currentRow()
        if row >= 0 and MemberDialog(self.workspace, self._members[row], self).exec():
            self.refresh()
            did_write(self, self.workspace.ledningsgrupp.save_member)

    def new_meeting(self) -> None:
        if MeetingDialog(self.workspace, self).exec():
            self.refresh()
            did_write(self, self.workspace.ledningsgrupp.save_meeting)
