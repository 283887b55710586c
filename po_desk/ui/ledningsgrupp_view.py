"""The ledningsgrupp: fulltalig or who is missing, members by organisation, meetings."""

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

from po_desk.domain import categories, ledningsgrupp
from po_desk.domain.ledningsgrupp import Medlem
from po_desk.services.ledningsgrupp_service import MeetingRow
from po_desk.services.workspace import Workspace
from po_desk.ui.ledningsgrupp_dialogs import MeetingDialog, MemberDialog
from po_desk.ui.op_changes import did_write
from po_desk.ui.table_model import Column, TableModel
from po_desk.ui.widgets import model_table

OK_STYLE = "color: #1b5e20; font-weight: bold; padding: 4px;"
MISSING_STYLE = "color: #b00020; font-weight: bold; padding: 4px;"

# One line per row; every column as wide as its content but the stretched one, which takes
# the rest of the width (its full text is also the tooltip).
MEMBER_COLUMNS: tuple[Column[Medlem], ...] = (
    Column(
        "Organisation",
        lambda m: categories.name_of(categories.ORGANISATIONER, m.organisation),
        fit=True,
    ),
    Column("Roll", lambda m: m.roll, tooltip=lambda m: m.roll, stretch=True),
    Column("Från", lambda m: m.fran.isoformat(), fit=True),
    Column("Till", lambda m: m.till.isoformat() if m.till else "", fit=True),
)
MEETING_COLUMNS: tuple[Column[MeetingRow], ...] = (
    Column("Datum", lambda r: r.mote.datum.isoformat(), fit=True),
    Column("Lyfta avvikelser", lambda r: str(r.lyfta), fit=True),
    Column(
        "Anteckning", lambda r: r.mote.anteckning, tooltip=lambda r: r.mote.anteckning, stretch=True
    ),
)


class LedningsgruppView(QWidget):
    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.indicator = QLabel()
        self.indicator.setAccessibleName("Ledningsgruppens sammansättning")
        self.member_model = TableModel(MEMBER_COLUMNS, key=lambda m: m.id)
        self.members = model_table(self.member_model, "Ledamöter")
        self.members.doubleClicked.connect(lambda _i: self.edit_member())
        self.meeting_model = TableModel(MEETING_COLUMNS, key=lambda r: r.mote.id)
        self.meetings = model_table(self.meeting_model, "Möten")
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
        self.member_model.set_rows(self.workspace.ledningsgrupp.members())
        self.meeting_model.set_rows(self.workspace.ledningsgrupp.meeting_rows())

    def add_member(self) -> None:
        if MemberDialog(self.workspace, None, self).exec():
            self.refresh()
            did_write(self, self.workspace.ledningsgrupp.save_member)

    def edit_member(self) -> None:
        row = self.members.currentIndex().row()
        if row >= 0 and MemberDialog(self.workspace, self.member_model.row_at(row), self).exec():
            self.refresh()
            did_write(self, self.workspace.ledningsgrupp.save_member)

    def new_meeting(self) -> None:
        if MeetingDialog(self.workspace, self).exec():
            self.refresh()
            did_write(self, self.workspace.ledningsgrupp.save_meeting)
