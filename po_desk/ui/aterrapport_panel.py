"""The yearly återrapport in the GUI: every table, the verksamhet's own answers, fastställ
and what has changed since, exports."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextOption
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from po_desk.domain.aterrapport import MANUAL_FIELDS
from po_desk.domain.aterrapport_document import WrittenReturn
from po_desk.domain.aterrapport_svar import LoadedManual
from po_desk.domain.aterrapport_tables import ReportTable, describe_path, ko_basis_text
from po_desk.domain.errors import ConflictError, NeedsConfirmation, PoDeskError, ValidationFailed
from po_desk.domain.formatting import decimal, number
from po_desk.domain.sammanstallning_tables import Compared
from po_desk.domain.vantetid import KO_ORSAKER, KoAnswer
from po_desk.services.workspace import Workspace
from po_desk.ui.aterrapport_svar_box import SvarBox
from po_desk.ui.messages import confirm, error_text, save_with_guard, show_error
from po_desk.ui.op_changes import did_write
from po_desk.ui.ops import Op

CHANGED_STYLE = "background: #fdecea; color: #611a15; padding: 6px; border: 1px solid #e0a19b;"


def _signed(value: Any) -> str:
    if value is None:
        return "–"
    if value == 0:
        return "±0"
    return ("+" if value > 0 else "−") + _cell(abs(value))


def _cell(value: Any) -> str:
    if isinstance(value, Compared):
        return (
            f"{_cell(value.now)}<br><small style='color:#555'>{_cell(value.before)} "
            f"({_signed(value.change)})</small>"
        )
    if value is None:
        return "–"
    if isinstance(value, float):
        return decimal(value)
    if isinstance(value, int):
        return number(value)
    return escape(str(value))


def table_html(table: ReportTable) -> str:
    data_rows = table.rows[:-1] if table.total_row else table.rows
    if not data_rows:
        return f"<h3>{escape(table.title)}</h3><p>Inget att redovisa för året.</p>"
    head = "".join(f"<th>{escape(h)}</th>" for h in table.header)
    body = []
    for index, row in enumerate(table.rows):
        bold = table.total_row and index == len(table.rows) - 1
        cells = "".join(
            f"<td align='{'left' if i == 0 or isinstance(v, str) else 'right'}'>"
            f"{'<b>' if bold else ''}{_cell(v)}{'</b>' if bold else ''}</td>"
            for i, v in enumerate(row)
        )
        body.append(f"<tr>{cells}</tr>")
    note = f"<p><small>{escape(table.note)}</small></p>" if table.note else ""
    return (
        f"<h3>{escape(table.title)}</h3><table border='1' cellspacing='0' cellpadding='4'>"
        f"<tr>{head}</tr>{''.join(body)}</table>{note}"
    )


class AterrapportPanel(QWidget):
    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.year = QComboBox()
        self.year.setAccessibleName("Redovisningsår")
        years, chosen = workspace.aterrapport.years(date.today())
        for year in years:
            self.year.addItem(str(year), year)
        self.year.setCurrentIndex(self.year.findData(chosen))
        self.year.currentIndexChanged.connect(self.refresh)
        self.status = QLabel()
        self.status.setAccessibleName("Återrapportens status")
        self.changes = QLabel()
        self.changes.setWordWrap(True)
        self.changes.setStyleSheet(CHANGED_STYLE)
        self.changes.setAccessibleName("Ändringar sedan fastställandet")
        self.view = QTextBrowser()
        self.view.setAccessibleName("Återrapportens tabeller")
        # Break lines only between words: a narrow view scrolls sideways instead of
        # cutting "Kontaktorsak" into "Kontaktorsa / k".
        self.view.setWordWrapMode(QTextOption.WrapMode.WordWrap)
        self.manual: dict[str, QPlainTextEdit] = {}
        manual_box = QGroupBox("Uppgifter från verksamheten")
        manual_form = QFormLayout(manual_box)
        for key, label in MANUAL_FIELDS:
            edit = QPlainTextEdit()
            edit.setAccessibleName(label)
            edit.setTabChangesFocus(True)
            edit.setFixedHeight(54)
            self.manual[key] = edit
            manual_form.addRow(f"{label}:", edit)
        self.save_manual_button = QPushButton("&Spara uppgifterna")
        self.save_manual_button.clicked.connect(self.save_manual)
        manual_form.addRow("", self.save_manual_button)
        ko_box = self._ko_box()
        self.svar_box = SvarBox(workspace, self._svar_saved)
        self.freeze_button = QPushButton("&Fastställ…")
        self.freeze_button.clicked.connect(self.freeze)
        self.unfreeze_button = QPushButton("Ångra fastställande…")
        self.unfreeze_button.clicked.connect(self.unfreeze)
        export_buttons = []
        for form, label in (("pdf", "&PDF…"), ("json", "&JSON…"), ("csv", "&CSV…")):
            button = QPushButton(f"Exportera {label}")
            button.clicked.connect(lambda _c=False, f=form: self.export(f))
            export_buttons.append(button)
        top = QHBoxLayout()
        caption = QLabel("&År:")
        caption.setBuddy(self.year)
        top.addWidget(caption)
        top.addWidget(self.year)
        top.addWidget(self.status, 1)
        top.addWidget(self.freeze_button)
        top.addWidget(self.unfreeze_button)
        bottom = QHBoxLayout()
        for button in export_buttons:
            bottom.addWidget(button)
        bottom.addStretch()
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(ko_box)
        right_layout.addWidget(manual_box)
        right_layout.addWidget(self.svar_box)
        right_layout.addStretch()
        # The answers are taller than the window: they scroll, the tables keep their room.
        right_scroll = QScrollArea()
        right_scroll.setWidgetResizable(True)
        right_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        right_scroll.setWidget(right)
        # Never sideways: the answers get the width they need, the tables give way (they
        # scroll on their own).
        right_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        right_scroll.setMinimumWidth(
            right.minimumSizeHint().width() + right_scroll.verticalScrollBar().sizeHint().width()
        )
        splitter = QSplitter()
        splitter.addWidget(self.view)
        splitter.addWidget(right_scroll)
        splitter.setSizes([700, 420])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.changes)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)
        self.refresh()

    def _ko_box(self) -> QGroupBox:
        """ "Hade kö": the enhetschef's answer, with the records' proposal and its basis."""
        box = QGroupBox("Kö under året")
        form = QFormLayout(box)
        self.ko_proposal = QLabel()
        self.ko_proposal.setWordWrap(True)
        self.ko_proposal.setAccessibleName("Förslag om kö")
        self.ko_answer = QComboBox()
        self.ko_answer.setAccessibleName("Hade kö")
        for label, value in (("Ej besvarat – förslaget gäller", None), ("Ja", True),
                             ("Nej", False)):  # fmt: skip
            self.ko_answer.addItem(label, value)
        self.ko_reasons: dict[str, QCheckBox] = {}
        reasons = QWidget()
        reasons_layout = QVBoxLayout(reasons)
        reasons_layout.setContentsMargins(0, 0, 0, 0)
        for code, label in KO_ORSAKER:
            box_ = QCheckBox(label)
            self.ko_reasons[code] = box_
            reasons_layout.addWidget(box_)
        self.ko_threshold = QSpinBox()
        self.ko_threshold.setRange(1, 365)
        self.ko_threshold.setSuffix(" dagar")
        self.ko_threshold.setAccessibleName("Gräns för kö")
        self.ko_threshold.setToolTip(
            "Förslaget blir Ja när någon väntat längre än så här under året."
        )
        self.ko_error = QLabel()
        self.ko_error.setWordWrap(True)
        self.ko_error.setStyleSheet("color: #a00")
        self.save_ko_button = QPushButton("Spara &kösvaret")
        self.save_ko_button.clicked.connect(self.save_ko)
        form.addRow("Förslag:", self.ko_proposal)
        form.addRow("&Hade kö:", self.ko_answer)
        form.addRow("Orsaker:", reasons)
        form.addRow("&Gräns:", self.ko_threshold)
        form.addRow("", self.ko_error)
        form.addRow("", self.save_ko_button)
        return box

    def _show_ko(self, document: WrittenReturn, frozen: bool) -> None:
        ko = document["ko"]
        if "hade_ko_forslag" in ko:
            self.ko_proposal.setText(
                f"{'Ja' if ko['hade_ko_forslag'] else 'Nej'} – {escape(ko_basis_text(ko))}"
            )
        else:
            self.ko_proposal.setText("–")
        service = self.workspace.aterrapport
        self._ko_loaded = service.loaded_manual(self.selected_year())
        answer = service.ko_answer(self.selected_year())
        self.ko_answer.setCurrentIndex(self.ko_answer.findData(answer.hade_ko))
        for code, box in self.ko_reasons.items():
            box.setChecked(code in answer.orsaker)
        threshold = service.ko_threshold_setting()
        self._threshold_version: int | None = threshold.version
        self.ko_threshold.setValue(threshold.value)
        for widget in (self.ko_answer, self.ko_threshold, self.save_ko_button,
                       *self.ko_reasons.values()):  # fmt: skip
            widget.setEnabled(not frozen)
        self.ko_error.clear()

    def save_ko(self) -> None:
        service, year = self.workspace.aterrapport, self.selected_year()
        answer = KoAnswer(
            hade_ko=self.ko_answer.currentData(),
            orsaker=tuple(code for code, box in self.ko_reasons.items() if box.isChecked()),
        )
        # After a conflict what was chosen stays; saving again overwrites knowingly.
        try:
            if self.ko_threshold.value() != service.ko_threshold():
                self._threshold_version = service.set_ko_threshold(
                    self.ko_threshold.value(), self._threshold_version
                )
        except ConflictError as error:
            self._threshold_version = error.version
            self.ko_error.setText(error_text(error))
            return
        except PoDeskError as error:
            self.ko_error.setText(error_text(error))
            return
        try:
            service.save_ko_answer(year, answer, self._ko_loaded)
        except ConflictError as error:
            self._ko_loaded = service.manual_after_conflict(year, self._ko_loaded, error)
            self.ko_error.setText(error_text(error))
            return
        except PoDeskError as error:
            self.ko_error.setText(error_text(error))
            return
        self.refresh()
        did_write(self, service.set_ko_threshold, service.save_ko_answer)

    def _svar_saved(self) -> None:
        self.refresh()
        service = self.workspace.aterrapport
        did_write(self, service.save_svar, service.save_statsbidrag)

    def selected_year(self) -> int:
        return int(self.year.currentData())

    def refresh(self) -> None:
        service = self.workspace.aterrapport
        year = self.selected_year()
        saved = service.saved(year)
        document = service.document(year)
        shown = service.tables_with_previous(year, document)
        self.view.setHtml("".join(table_html(t) for t in shown))
        for key, edit in self.manual.items():
            edit.setPlainText(saved.manuellt.get(key, ""))
        # The parts as shown: a save over a part someone else saved since is refused.
        self._manual_loaded = LoadedManual(dict(saved.manuellt))  # the texts shown
        frozen = saved.faststalld is not None
        for edit in self.manual.values():
            edit.setReadOnly(frozen)
        self.save_manual_button.setEnabled(not frozen)
        self._show_ko(document, frozen)
        self.svar_box.show_year(year, document, frozen)
        self.freeze_button.setEnabled(not frozen)
        self.unfreeze_button.setEnabled(frozen)
        if frozen and saved.faststalld_at:
            self.status.setText(
                f"Fastställd {saved.faststalld_at.date().isoformat()} av {saved.faststalld_av}."
                " Exporterna visar de fastställda siffrorna."
            )
        else:
            self.status.setText("Utkast – siffrorna räknas fram ur registret.")
        differences = service.differences(year)
        self.changes.setVisible(bool(differences))
        if differences:
            lines = [
                f"{escape(describe_path(path))}: {_cell(before)} → {_cell(now)}"
                for path, before, now in differences[:12]
            ]
            more = len(differences) - len(lines)
            self.changes.setText(
                "<b>Registret har ändrats sedan återrapporten fastställdes.</b> Skiljer sig:<br>"
                + "<br>".join(lines)
                + (f"<br>… och {more} till." if more > 0 else "")
            )

    def manual_values(self) -> dict[str, str]:
        return {key: edit.toPlainText() for key, edit in self.manual.items()}

    def save_manual(self) -> bool:
        service = self.workspace.aterrapport
        year, values = self.selected_year(), self.manual_values()

        def save(confirmed: bool) -> bool:
            service.save_manual(year, values, confirmed, self._manual_loaded)
            return True

        def conflicted(error: ConflictError) -> None:
            # The texts stay as typed; saving again overwrites the other change knowingly.
            self._manual_loaded = service.manual_after_conflict(year, self._manual_loaded, error)

        if not save_with_guard(self, save, conflicted):
            return False
        self.refresh()
        did_write(self, service.save_manual)
        return True

    def freeze(self) -> None:
        year = self.selected_year()
        if not confirm(
            self,
            "Fastställ återrapporten",
            f"Fastställa återrapporten för {year}? Siffrorna sparas som de är nu och "
            "exporterna visar dem även om registret ändras.",
        ):
            return
        # The answers as typed (saving the texts reloads the form), or nothing is fastställt.
        if not self.svar_box.save_all() or not self.save_manual():
            return
        service = self.workspace.aterrapport
        try:
            service.freeze(year)
        except NeedsConfirmation as warning:
            if not confirm(
                self,
                "Kontrollera återrapporten",
                "Kontrollen av återrapporten gav varningar:\n\n"
                + "\n".join(f"• {line}" for line in warning.problems)
                + "\n\nStämmer siffrorna? Fastställa ändå?",
            ):
                return
            service.freeze(year, warnings_confirmed=True)
        except ValidationFailed as error:
            show_error(self, error, "Återrapporten kan inte fastställas")
            return
        self.refresh()
        did_write(self, service.freeze)

    def unfreeze(self) -> None:
        year = self.selected_year()
        if confirm(self, "Ångra fastställande", f"Ta bort fastställandet för {year}?"):
            self.workspace.aterrapport.unfreeze(year)
            self.refresh()
            did_write(self, self.workspace.aterrapport.unfreeze)

    def export(self, form: str) -> None:
        year = self.selected_year()
        suffix = {"pdf": "PDF (*.pdf)", "json": "JSON (*.json)", "csv": "CSV (*.csv)"}[form]
        name, _ = QFileDialog.getSaveFileName(
            self, "Exportera återrapport", f"aterrapport-{year}.{form}", suffix
        )
        if not name:
            return
        service = self.workspace.aterrapport
        Op(
            self,
            "Exporterar återrapporten…",
            work=lambda: service.export(Path(name), year, form),
            on_success=lambda _r: self.status.setText(f"Sparad: {Path(name).name}"),
            on_failure=lambda error: show_error(self, error, "Exporten misslyckades"),
        ).run()
