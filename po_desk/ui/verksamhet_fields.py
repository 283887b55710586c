"""The verksamhet's namn, län, huvudman and kommuner, as the wizard and Inställningar ask.

Län and kommuner come from SCB's list (issue 15): the län is chosen (none is preselected),
kommuner are typed by name or code or picked from a list that offers the chosen län's
kommuner first; a name not on the list is named in the form's message."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from po_desk.domain.places import UnknownPlace
from po_desk.services.official_places import official_places

LAN_PLACEHOLDER = "Välj län…"


class VerksamhetFields(QWidget):
    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        places = official_places()
        self.namn = QLineEdit()
        self.namn.setAccessibleName("Verksamhetens namn")
        self.lan = QComboBox()
        for lan in sorted(places.lan, key=lambda lan: lan.namn):
            self.lan.addItem(lan.namn, lan.kod)
        self.lan.setPlaceholderText(LAN_PLACEHOLDER)
        self.lan.setCurrentIndex(-1)  # no preselected län: the user chooses
        self.lan.setAccessibleName("Län")
        self.huvudman = QLineEdit()
        self.huvudman.setAccessibleName("Huvudman")
        self.kommuner = QPlainTextEdit()
        self.kommuner.setAccessibleName("Kommuner, en per rad")
        self.kommuner.setPlaceholderText("En kommun per rad (namn eller kommunkod)")
        self.kommuner.setTabChangesFocus(True)
        # Four lines, fewer when the screen is small (the wizard must fit 640 × 400 at 200 %).
        line = self.kommuner.fontMetrics().lineSpacing()
        self.kommuner.setMinimumHeight(2 * line + 12)
        self.kommuner.setMaximumHeight(4 * line + 12)
        self.kommun_choice = QComboBox()
        self.kommun_choice.setEditable(True)
        self.kommun_choice.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.kommun_choice.setAccessibleName("Välj kommun att lägga till")
        self._search_hint()
        completer = QCompleter(self.kommun_choice.model(), self.kommun_choice)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.kommun_choice.setCompleter(completer)
        self.add_kommun = QPushButton("Lägg &till kommun")
        self.add_kommun.clicked.connect(self.add_chosen_kommun)
        choice_row = QHBoxLayout()
        choice_row.addWidget(self.kommun_choice, 1)
        choice_row.addWidget(self.add_kommun)
        self.place_message = QLabel()
        self.place_message.setWordWrap(True)
        self.place_message.setStyleSheet("color: #b00020;")
        self.place_message.setAccessibleName("Län och kommuner som inte finns i SCB:s förteckning")
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.addRow("&Namn:", self.namn)
        self.form.addRow("&Län:", self.lan)
        self.form.addRow("&Huvudman:", self.huvudman)
        self.form.addRow("&Kommuner (en per rad):", self.kommuner)
        self.form.addRow("", choice_row)
        self.form.addRow("", self.place_message)
        self.namn.textChanged.connect(self.changed)
        self.kommuner.textChanged.connect(self.changed)
        self.kommuner.textChanged.connect(self.show_place_problems)
        self.lan.currentIndexChanged.connect(self.offer_kommuner)
        self.lan.currentIndexChanged.connect(self.changed)
        self.lan.currentIndexChanged.connect(self.show_place_problems)
        self.offer_kommuner()

    def _search_hint(self) -> None:
        line = self.kommun_choice.lineEdit()
        if line is not None:
            line.setPlaceholderText("Sök kommun (namn eller kommunkod)…")
            line.setAccessibleName("Sök kommun att lägga till")

    def offer_kommuner(self) -> None:
        """Every kommun on the list, those of the chosen län first."""
        places = official_places()
        chosen = self.lan.currentData()
        ordered = sorted(places.kommuner, key=lambda k: (k.lan_kod != chosen, k.namn))
        self.kommun_choice.clear()
        for kommun in ordered:
            self.kommun_choice.addItem(kommun.namn, kommun.kod)
        self.kommun_choice.setCurrentIndex(-1)
        self.kommun_choice.setEditText("")
        self._search_hint()

    def add_chosen_kommun(self) -> None:
        text = self.kommun_choice.currentText().strip()
        try:
            name = official_places().find_kommun(text).namn
        except UnknownPlace as error:
            self.place_message.setText(str(error))
            return
        names = self.kommun_names()
        if name not in names:
            self.kommuner.setPlainText("\n".join([*names, name]))
        self.kommun_choice.setEditText("")

    def place_problems(self) -> list[str]:
        """The kommuner typed that are not on SCB's list, and a län not chosen."""
        problems = []
        if self.lan.currentIndex() < 0:
            problems.append("Välj län i listan.")
        for name in self.kommun_names():
            try:
                official_places().find_kommun(name)
            except UnknownPlace as error:
                problems.append(str(error))
        return problems

    def show_place_problems(self) -> None:
        problems = [p for p in self.place_problems() if p != "Välj län i listan."]
        if self._stored_lan_problem and self.lan.currentIndex() < 0:
            problems.insert(0, self._stored_lan_problem)
        self.place_message.setText("\n".join(problems))

    _stored_lan_problem = ""

    def kommun_names(self) -> list[str]:
        return [line.strip() for line in self.kommuner.toPlainText().splitlines() if line.strip()]

    def set_values(self, namn: str, lan: str, huvudman: str, kommuner: list[str]) -> None:
        """Shows the stored values; a stored spelling of a län on the list selects the
        official entry, one that is not on it is named and the user asked to choose."""
        self.namn.setText(namn)
        self._stored_lan_problem = ""
        try:
            official = official_places().find_lan(lan).namn
            self.lan.setCurrentIndex(self.lan.findText(official))
        except UnknownPlace:
            self.lan.setCurrentIndex(-1)
            if lan.strip():
                self._stored_lan_problem = (
                    f"Länet ”{lan.strip()}” i registret finns inte i SCB:s förteckning; "
                    "välj län i listan."
                )
        self.huvudman.setText(huvudman)
        self.kommuner.setPlainText("\n".join(kommuner))
        self.show_place_problems()

    def is_complete(self) -> bool:
        return (
            bool(self.namn.text().strip())
            and bool(self.kommun_names())
            and self.lan.currentIndex() >= 0
        )
