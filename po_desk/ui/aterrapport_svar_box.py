"""The återrapport's countable answers ("Frågor") and its statsbidrag, as two compact
groups beside the tables (issue 15). Each answer may stay unanswered."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from po_desk.domain import aterrapport_svar
from po_desk.domain.aterrapport_document import WrittenReturn
from po_desk.domain.aterrapport_svar import (
    JA_NEJ,
    MALGRUPPER,
    ORGANISATIONSFORMER,
    Statsbidrag,
    Svar,
)
from po_desk.domain.errors import ConflictError, PoDeskError, ValidationFailed
from po_desk.domain.formatting import decimal
from po_desk.services.workspace import Workspace
from po_desk.ui.messages import check_then_save, error_text

NOT_ANSWERED = "Ej besvarat"
SHORT = {
    "handledning": "Handledning",
    "forandringar_malgrupp": "Förändrad målgrupp",
    "rutin_brister_till_ledningsgrupp": "Rutin för brister",
    "brukarorganisation_plats": "Brukarorg. i ledningsgrupp",
}


def _yes_no_combo(name: str, tooltip: str) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(name)
    combo.setToolTip(tooltip)
    for label, value in ((NOT_ANSWERED, None), ("Ja", True), ("Nej", False)):
        combo.addItem(label, value)
    return combo


def _count_spin(name: str) -> QSpinBox:
    spin = QSpinBox()
    spin.setAccessibleName(name)
    spin.setRange(-1, 1000)
    spin.setSpecialValueText(NOT_ANSWERED)  # shown at -1
    return spin


def _comment(name: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setAccessibleName(name)
    edit.setPlaceholderText("Kommentar")
    return edit


def parse_kronor(text: str, label: str) -> int | None:
    """Whole kronor as typed ("1 200 000", "1200000 kr"); empty = not given."""
    cleaned = text.replace("\u00a0", "").replace(" ", "").removesuffix("kr").strip()
    if not cleaned:
        return None
    if not cleaned.isdigit():
        raise ValidationFailed([f"{label}: skriv ett belopp i hela kronor, t.ex. 1 200 000."])
    return int(cleaned)


def parse_tjanster(text: str) -> float | None:
    cleaned = text.strip().replace(",", ".")
    if not cleaned:
        return None
    try:
        return float(cleaned)
    except ValueError:
        raise ValidationFailed(["Beviljade tjänster: skriv ett tal, t.ex. 2,5."]) from None


def _kronor_text(value: int | None) -> str:
    return "" if value is None else f"{value:,}".replace(",", " ")


class SvarBox(QWidget):
    """Both groups; `show_year` fills them from the service and the computed return."""

    def __init__(self, workspace: Workspace, on_saved: Callable[[], None]) -> None:
        super().__init__()
        self.workspace = workspace
        self.on_saved = on_saved  # the panel recomputes its tables
        self.year = 0
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._fragor_box())
        layout.addWidget(self._statsbidrag_box())

    # -- Frågor ------------------------------------------------------------------------

    def _fragor_box(self) -> QGroupBox:
        box = QGroupBox("Frågor")
        form = QFormLayout(box)
        questions = dict(JA_NEJ)
        self.answers = {key: _yes_no_combo(SHORT[key], questions[key]) for key, _ in JA_NEJ}
        self.comments = {key: _comment(label) for key, label in aterrapport_svar.KOMMENTARER}
        self.comments["nya_ombud"].setPlaceholderText("Kommentar om nya ombud")
        self.comments["organisationsform"].setPlaceholderText("Kommentar om huvudmannen")
        self.nya_ombud = _count_spin("Nya ombud under året")
        self.intro = _count_spin("Varav introduktionsutbildning")
        self.intro.setToolTip("Hur många av de nya ombuden har gått introduktionsutbildningen?")
        self.groups: dict[str, QCheckBox] = {}
        groups = QWidget()
        grid = QGridLayout(groups)
        grid.setContentsMargins(0, 0, 0, 0)
        row_, column = 0, 0
        for category in MALGRUPPER:
            check = QCheckBox(category.name)
            self.groups[category.code] = check
            wide = len(category.name) > 16  # a long name gets a row of its own
            if wide and column:
                row_, column = row_ + 1, 0
            grid.addWidget(check, row_, column, 1, 2 if wide else 1)
            row_, column = (row_ + 1, 0) if wide or column else (row_, 1)
        self.answers["forandringar_malgrupp"].currentIndexChanged.connect(self._groups_enabled)
        self.form = QComboBox()
        self.form.setAccessibleName("Huvudmannens organisationsform")
        self.form.addItem(NOT_ANSWERED, None)
        for category in ORGANISATIONSFORMER:
            self.form.addItem(category.name, category.code)
        self.goda_exempel = QPlainTextEdit()
        self.goda_exempel.setAccessibleName("Goda exempel")
        self.goda_exempel.setTabChangesFocus(True)
        self.goda_exempel.setFixedHeight(54)
        self.svar_error = QLabel()
        self.svar_error.setWordWrap(True)
        self.svar_error.setStyleSheet("color: #a00")
        self.save_svar_button = QPushButton("Spara s&varen")
        self.save_svar_button.clicked.connect(self.save_svar)

        def row(widget: QWidget, comment: QLineEdit | None = None) -> QWidget:
            if comment is None:
                return widget
            holder = QWidget()
            line = QHBoxLayout(holder)
            line.setContentsMargins(0, 0, 0, 0)
            line.addWidget(widget)
            line.addWidget(comment, 1)
            return holder

        form.addRow("Handledning:", self.answers["handledning"])
        form.addRow("Nya ombud:", self.nya_ombud)
        form.addRow("varav introutb.:", self.intro)
        form.addRow("", self.comments["nya_ombud"])
        form.addRow("Förändrad målgrupp:", self.answers["forandringar_malgrupp"])
        form.addRow(groups)  # the whole width: the names are long
        form.addRow(
            "Rutin för brister:",
            row(
                self.answers["rutin_brister_till_ledningsgrupp"],
                self.comments["rutin_brister_till_ledningsgrupp"],
            ),
        )
        form.addRow(
            "Brukarorg. plats:",
            row(
                self.answers["brukarorganisation_plats"], self.comments["brukarorganisation_plats"]
            ),
        )
        form.addRow("Organisationsform:", self.form)
        form.addRow("", self.comments["organisationsform"])
        form.addRow("Goda exempel:", self.goda_exempel)
        form.addRow("", self.svar_error)
        form.addRow("", self.save_svar_button)
        hint = QLabel("Kommentarer om handledning och målgrupp skrivs under Uppgifter.")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555")
        form.addRow(hint)
        return box

    def _groups_enabled(self) -> None:
        changed = self.answers["forandringar_malgrupp"].currentData() is True
        for check in self.groups.values():
            check.setEnabled(changed and self.save_svar_button.isEnabled())

    def svar_values(self) -> Svar:
        def count(spin: QSpinBox) -> int | None:
            return None if spin.value() < 0 else spin.value()

        changed = self.answers["forandringar_malgrupp"].currentData()
        return Svar(
            handledning=self.answers["handledning"].currentData(),
            nya_ombud=count(self.nya_ombud),
            nya_ombud_introduktionsutbildning=count(self.intro),
            forandringar_malgrupp=changed,
            malgrupper=tuple(c for c, box in self.groups.items() if box.isChecked())
            if changed is True
            else (),
            rutin_brister_till_ledningsgrupp=self.answers[
                "rutin_brister_till_ledningsgrupp"
            ].currentData(),
            brukarorganisation_plats=self.answers["brukarorganisation_plats"].currentData(),
            organisationsform=self.form.currentData(),
            goda_exempel=self.goda_exempel.toPlainText(),
            kommentarer={key: edit.text() for key, edit in self.comments.items()},
        )

    def save_svar(self) -> bool:
        year, svar = self.year, self.svar_values()

        service = self.workspace.aterrapport

        def save(confirmed: bool) -> bool:
            loaded = service.save_svar(year, svar, confirmed, self._svar_loaded)
            self._svar_loaded = loaded or self._svar_loaded
            return True

        def conflicted(error: ConflictError) -> None:
            # The answers stay as typed; saving again overwrites the other change knowingly.
            self._svar_loaded = service.manual_after_conflict(year, self._svar_loaded, error)

        saved = check_then_save(
            self, self.svar_error, service.svar_problems(svar), save, conflicted
        )
        if saved:
            self.on_saved()
        return bool(saved)

    # -- Statsbidrag -------------------------------------------------------------------

    def _statsbidrag_box(self) -> QGroupBox:
        box = QGroupBox("Statsbidrag")
        form = QFormLayout(box)
        self.beviljat = QLineEdit()
        self.beviljat.setAccessibleName("Beviljat belopp")
        self.tjanster = QLineEdit()
        self.tjanster.setAccessibleName("Beviljade ombudstjänster")
        self.anvant = QLineEdit()
        self.anvant.setAccessibleName("Använt belopp")
        self.kommunens = QLineEdit()
        self.kommunens.setAccessibleName("Kommunens egen finansiering")
        for edit in (self.beviljat, self.anvant, self.kommunens):
            edit.setPlaceholderText("kr")
        self.tjanster.setPlaceholderText("t.ex. 2,5")
        self.comparison = QLabel()
        self.comparison.setWordWrap(True)
        self.comparison.setAccessibleName("Statsbidraget mot registret")
        self.sb_error = QLabel()
        self.sb_error.setWordWrap(True)
        self.sb_error.setStyleSheet("color: #a00")
        self.save_sb_button = QPushButton("Spara statsbi&draget")
        self.save_sb_button.clicked.connect(self.save_statsbidrag)
        form.addRow("Beviljat belopp:", self.beviljat)
        form.addRow("Beviljade tjänster:", self.tjanster)
        form.addRow("Använt belopp:", self.anvant)
        form.addRow("Kommunens finansiering:", self.kommunens)
        form.addRow("Registret:", self.comparison)
        form.addRow("", self.sb_error)
        form.addRow("", self.save_sb_button)
        return box

    def statsbidrag_values(self) -> Statsbidrag:
        return Statsbidrag(
            beviljat_belopp=parse_kronor(self.beviljat.text(), "Beviljat belopp"),
            beviljade_tjanster=parse_tjanster(self.tjanster.text()),
            anvant_belopp=parse_kronor(self.anvant.text(), "Använt belopp"),
            kommunens_finansiering=parse_kronor(self.kommunens.text(), "Kommunens finansiering"),
        )

    def save_statsbidrag(self) -> bool:
        self.sb_error.clear()
        try:
            bidrag = self.statsbidrag_values()
        except PoDeskError as error:
            self.sb_error.setText(error_text(error))
            return False
        if not self._save_bidrag(bidrag):
            return False
        self.on_saved()
        return True

    def _save_bidrag(self, bidrag: Statsbidrag) -> bool:
        service = self.workspace.aterrapport
        try:
            loaded = service.save_statsbidrag(self.year, bidrag, self._sb_loaded)
        except ConflictError as error:
            # The figures stay as typed; saving again overwrites the other change knowingly.
            self._sb_loaded = service.manual_after_conflict(self.year, self._sb_loaded, error)
            self.sb_error.setText(error_text(error))
            return False
        except PoDeskError as error:
            self.sb_error.setText(error_text(error))
            return False
        self._sb_loaded = loaded or self._sb_loaded
        return True

    # -- both --------------------------------------------------------------------------

    def save_all(self) -> bool:
        """Both groups as they stand (before fastställ); False when either is refused,
        with the reason in its group."""
        on_saved, self.on_saved = self.on_saved, lambda: None  # no reload in between
        try:
            try:
                bidrag = self.statsbidrag_values()
            except ValidationFailed as error:
                self.sb_error.setText(error_text(error))
                return False
            if not self.save_svar():
                return False
            self.sb_error.clear()
            return self._save_bidrag(bidrag)
        finally:
            self.on_saved = on_saved

    def show_year(self, year: int, document: WrittenReturn, frozen: bool) -> None:
        self.year = year
        service = self.workspace.aterrapport
        # The parts as shown: a save over a part someone else saved since is refused.
        self._svar_loaded = service.loaded_manual(year)
        self._sb_loaded = self._svar_loaded
        svar = service.svar(year)
        for key, combo in self.answers.items():
            combo.setCurrentIndex(combo.findData(getattr(svar, key)))
        self.nya_ombud.setValue(-1 if svar.nya_ombud is None else svar.nya_ombud)
        self.intro.setValue(
            -1
            if svar.nya_ombud_introduktionsutbildning is None
            else svar.nya_ombud_introduktionsutbildning
        )
        for code, check in self.groups.items():
            check.setChecked(code in svar.malgrupper)
        self.form.setCurrentIndex(self.form.findData(svar.organisationsform))
        for key, edit in self.comments.items():
            edit.setText(svar.kommentarer.get(key, ""))
        self.goda_exempel.setPlainText(svar.goda_exempel)
        bidrag = service.statsbidrag(year)
        self.beviljat.setText(_kronor_text(bidrag.beviljat_belopp))
        self.tjanster.setText(
            "" if bidrag.beviljade_tjanster is None else decimal(bidrag.beviljade_tjanster)
        )
        self.anvant.setText(_kronor_text(bidrag.anvant_belopp))
        self.kommunens.setText(_kronor_text(bidrag.kommunens_finansiering))
        section = document.get("statsbidrag")
        if section is None:
            self.comparison.setText("–")
        else:
            text = (
                f"{decimal(section['tjanster_31_dec'])} tjänster 31 dec, "
                f"{decimal(section['arsarbetare'])} årsarbetare."
            )
            if section["skal"]:
                text += "<br><span style='color:#a00'>" + "<br>".join(section["skal"]) + "</span>"
            self.comparison.setText(text)
        editable = (
            *self.answers.values(), *self.comments.values(), self.nya_ombud, self.intro,
            self.form, self.save_svar_button, self.beviljat, self.tjanster, self.anvant,
            self.kommunens, self.save_sb_button,
        )  # fmt: skip
        for widget in editable:
            widget.setEnabled(not frozen)
        self.goda_exempel.setReadOnly(frozen)
        self._groups_enabled()
        self.svar_error.clear()
        self.sb_error.clear()
