"""Rapporter: the yearly återrapport and the ledningsgrupp underlag (preview, save, print)."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from po_desk.domain import underlag
from po_desk.domain.errors import PoDeskError
from po_desk.services.changes import OpChanges
from po_desk.services.workspace import Workspace
from po_desk.ui.aterrapport_panel import AterrapportPanel
from po_desk.ui.messages import show_error
from po_desk.ui.op_changes import did_write
from po_desk.ui.ops import Op
from po_desk.ui.pdf_preview import PdfPreview, render_pages
from po_desk.ui.sammanstallning_panel import SammanstallningPanel
from po_desk.ui.tabs import roomy_tabs
from po_desk.ui.widgets import date_edit, from_qdate


class RapporterView(QWidget):
    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        first, last, meeting = workspace.underlag.default_dates(date.today())
        self.fran = date_edit(first)
        self.fran.setAccessibleName("Periodens början")
        self.till = date_edit(last)
        self.till.setAccessibleName("Periodens slut")
        self.mote = date_edit(meeting)
        self.mote.setAccessibleName("Mötesdatum")
        self.suppress = QCheckBox("&Extern version (för ledamöter utanför verksamheten)")
        self.suppress.setChecked(workspace.underlag.suppress_small())
        self.suppress.toggled.connect(self._suppress_toggled)
        # What the chosen version does, in the words of the underlag's cover page.
        self.suppress_hint = QLabel()
        self.suppress_hint.setWordWrap(True)
        self.suppress_hint.setAccessibleName("Vad versionen döljer")
        self.suppress.toggled.connect(self._show_version)
        self._show_version(self.suppress.isChecked())
        self.preview_button = QPushButton("&Förhandsgranska underlaget…")
        self.preview_button.clicked.connect(self.preview)
        self.status = QLabel()
        form = QFormLayout()
        form.addRow("Period &från:", self.fran)
        form.addRow("Period &till:", self.till)
        form.addRow("&Mötesdatum:", self.mote)
        form.addRow("", self.suppress)
        form.addRow("", self.suppress_hint)
        buttons = QHBoxLayout()
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.status)
        buttons.addStretch()
        underlag_box = QGroupBox("Underlag till ledningsgruppen")
        underlag_layout = QVBoxLayout(underlag_box)
        intro = QLabel(
            "Nyckeltal jämfört med föregående period, avvikelser per aktör, nivå och kategori, "
            "periodens avvikelser och de som väntar på återkoppling. Förhandsgranska, spara "
            "som PDF eller skriv ut."
        )
        intro.setWordWrap(True)
        underlag_layout.addWidget(intro)
        underlag_layout.addLayout(form)
        underlag_layout.addLayout(buttons)
        underlag_box.setMaximumWidth(760)
        underlag_page = QWidget()
        underlag_layout_outer = QVBoxLayout(underlag_page)
        underlag_layout_outer.addWidget(underlag_box)
        underlag_layout_outer.addStretch()
        self.aterrapport = AterrapportPanel(workspace)
        self.tabs = roomy_tabs(QTabWidget())
        self.tabs.addTab(self.aterrapport, "&Återrapport till länsstyrelsen")
        self.tabs.addTab(underlag_page, "&Underlag till ledningsgruppen")
        self.aggregate = SammanstallningPanel()
        self.tabs.addTab(self.aggregate, "Sammanställ &returer")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h2>Rapporter</h2>"))
        layout.addWidget(self.tabs)

    def _suppress_toggled(self, on: bool) -> None:
        try:
            self.workspace.underlag.set_suppress_small(on)
        except PoDeskError as error:
            # Refused (a role on the server that may not): the box shows what is stored.
            show_error(self, error, "Kan inte spara")
            blocked = self.suppress.blockSignals(True)
            self.suppress.setChecked(self.workspace.underlag.suppress_small())
            self.suppress.blockSignals(blocked)
            self._show_version(self.suppress.isChecked())
            return
        did_write(self, self.workspace.underlag.set_suppress_small)

    def _show_version(self, external: bool) -> None:
        self.suppress_hint.setText(
            underlag.EXTERNAL_VERSION if external else underlag.INTERNAL_VERSION
        )

    def on_changes(self, changes: OpChanges, handler: object | None = None) -> None:
        """The återrapport is computed from the records (not refreshed when it made the
        change itself: it has)."""
        if changes.settings:
            self.suppress.setChecked(self.workspace.underlag.suppress_small())
        if handler is not self.aterrapport and (changes.records or changes.settings):
            self.aterrapport.refresh()

    def refresh(self) -> None:
        self.suppress.setChecked(self.workspace.underlag.suppress_small())
        self.aterrapport.refresh()

    def preview(self) -> None:
        fran, till = from_qdate(self.fran.date()), from_qdate(self.till.date())
        mote = from_qdate(self.mote.date())
        service = self.workspace.underlag
        self.preview_button.setEnabled(False)
        self.status.setText("Skapar underlaget…")

        def work() -> tuple[bytes, list]:
            pdf = service.pdf(fran, till, mote)
            return pdf, render_pages(pdf)

        Op(
            self, "Skapar underlaget…", work=work, on_success=self._show, on_failure=self._failed
        ).run()

    def _show(self, result: tuple[bytes, list]) -> None:
        self.preview_button.setEnabled(True)
        self.status.clear()
        pdf, pages = result
        name = f"underlag-ledningsgrupp-{from_qdate(self.mote.date()).isoformat()}.pdf"
        self.last_preview = PdfPreview("Underlag till ledningsgruppen", pdf, pages, name, self)
        self.last_preview.exec()

    def _failed(self, error: BaseException) -> None:
        self.preview_button.setEnabled(True)
        self.status.clear()
        show_error(self, error, "Underlaget kunde inte skapas")
