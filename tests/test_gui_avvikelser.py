"""Avvikelser, ledningsgrupp and underlag driven through the GUI, offscreen."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox

from po_desk.domain.avvikelse import AvvikelseStatus
from po_desk.ui.avvikelse_dialog import AvvikelseDialog
from po_desk.ui.feedback_dialog import FeedbackDialog
from po_desk.ui.ledningsgrupp_dialogs import MeetingDialog, MemberDialog
from po_desk.ui.main_window import AVVIKELSER, RAPPORTER, MainWindow
from po_desk.ui.pdf_preview import PdfPreview
from tests.test_gui import screenshot, when_modal

pytestmark = pytest.mark.gui
TODAY = date.today()


@pytest.fixture(autouse=True)
def open_section(window: MainWindow) -> None:
    window.nav.setCurrentRow(AVVIKELSER)


def fill(dialog: AvvikelseDialog, text: str) -> None:
    dialog.aktor.setCurrentIndex(dialog.aktor.findData("forsakringskassan"))
    dialog.niva.setCurrentIndex(dialog.niva.findData("lokal"))
    dialog.datum.setDate(TODAY - timedelta(days=3))
    dialog.kategorier.box("vantetider").setChecked(True)
    dialog.beskrivning.setPlainText(text)
    dialog.konsekvens.setPlainText("Klienten fick vänta på pengar.")
    dialog.atgarder.box("skrivelse").setChecked(True)


def test_log_raise_answer_and_see_the_status_move(qtbot, window: MainWindow) -> None:
    register = window.avvikelser_view.register

    def log(dialog: AvvikelseDialog) -> None:
        dialog.save()
        assert "Välj aktör" in dialog.errors.text()
        fill(dialog, "Handläggningen tog fyra månader.")
        screenshot(dialog, "avvikelse_dialog")
        dialog.save()

    when_modal(qtbot, log)
    register.new_button.click()
    assert register.model.rowCount() == 1
    assert register.model.row_at(0).status == AvvikelseStatus.NY

    lg = window.avvikelser_view.ledningsgrupp

    def hold_meeting(dialog: MeetingDialog) -> None:
        assert dialog.raise_list.count() == 1
        assert dialog.raise_list.item(0).checkState() == Qt.CheckState.Checked
        screenshot(dialog, "meeting_dialog")
        dialog.save()

    when_modal(qtbot, hold_meeting)
    lg.new_meeting()
    assert lg.meeting_model.rowCount() == 1 and lg.meeting_model.index(0, 1).data() == "1"
    register.refresh()
    assert register.model.row_at(0).status == AvvikelseStatus.LYFT

    register.table.selectRow(0)
    assert register.feedback_button.isEnabled()

    def answer(dialog: FeedbackDialog) -> None:
        dialog.target.setCurrentIndex(dialog.target.findData(AvvikelseStatus.ATERKOPPLING))
        dialog.text.setPlainText("Försäkringskassan har ändrat sin rutin.")
        dialog.save()

    when_modal(qtbot, answer)
    register.feedback_button.click()
    moved = register.model.row_at(0)
    assert moved.status == AvvikelseStatus.ATERKOPPLING
    assert "ändrat sin rutin" in register.detail.text()
    screenshot(window, "avvikelser_register")


def test_personnummer_cannot_be_saved(qtbot, window: MainWindow, monkeypatch) -> None:
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warnings.append(text))
    register = window.avvikelser_view.register
    dialog = register._dialog(None)
    qtbot.addWidget(dialog)
    fill(dialog, "Gäller klienten 19811218-9876.")
    dialog.save()
    assert warnings and "personnummer" in warnings[0] and "9876" not in warnings[0]
    assert window.workspace.avvikelser.all() == []


def test_fulltalig_indicator_reacts_to_members(qtbot, window: MainWindow) -> None:
    lg = window.avvikelser_view.ledningsgrupp
    window.avvikelser_view.tabs.setCurrentIndex(1)
    assert lg.indicator.text().startswith("Saknas: Kommunen")
    for organisation in ("kommun", "primarvard", "psykiatri", "arbetsformedlingen",
                         "forsakringskassan"):  # fmt: skip

        def add(dialog: MemberDialog, organisation: str = organisation) -> None:
            dialog.organisation.setCurrentIndex(dialog.organisation.findData(organisation))
            dialog.roll.setText("Chef")
            dialog.fran.setDate(TODAY - timedelta(days=10))
            dialog.save()

        when_modal(qtbot, add)
        lg.add_member()
    assert lg.indicator.text() == "Fulltalig"
    screenshot(window, "ledningsgrupp")


def test_underlag_preview(qtbot, window: MainWindow, monkeypatch) -> None:
    from po_desk.services import demo

    demo.fill(window.workspace, uppdrag_count=200, years=2, seed=4)
    window.nav.setCurrentRow(RAPPORTER)
    view = window.rapporter_view
    view.fran.setDate(date(TODAY.year - 1, 1, 1))
    view.till.setDate(date(TODAY.year - 1, 12, 31))
    shown: list[PdfPreview] = []
    monkeypatch.setattr(PdfPreview, "exec", lambda self: shown.append(self) or 0)
    view.preview()
    qtbot.waitUntil(lambda: bool(shown), timeout=20000)
    preview = shown[0]
    assert preview.pdf.startswith(b"%PDF")
    pages = [w for w in preview.findChildren(QLabel) if w.accessibleName().startswith("Sida ")]
    assert len(pages) >= 4 and not pages[0].pixmap().isNull()
    screenshot(view, "rapporter")
    preview.resize(900, 900)
    screenshot(preview, "underlag_preview")


def test_feedback_on_a_new_avvikelse_preselects_nothing_and_says_where_lifting_happens(
    qtbot, window: MainWindow
) -> None:
    register = window.avvikelser_view.register

    def log(dialog: AvvikelseDialog) -> None:
        fill(dialog, "Handläggningen tog fyra månader.")
        dialog.save()

    when_modal(qtbot, log)
    register.new_button.click()
    register.table.selectRow(0)
    seen: dict[str, object] = {}

    def look(dialog: FeedbackDialog) -> None:
        try:
            seen["index"] = dialog.target.currentIndex()
            seen["hint"] = dialog.hint.text()
            dialog.save()
            seen["errors"] = dialog.errors.text()
            seen["open"] = dialog.isVisible()
            screenshot(dialog, "feedback_dialog_new")
        finally:
            dialog.reject()

    when_modal(qtbot, look)
    register.feedback_button.click()
    assert seen["index"] == -1
    assert "ledningsgrupp" in str(seen["hint"]).lower() and "möte" in str(seen["hint"])
    assert "Välj" in str(seen["errors"]) and seen["open"]
    assert register.model.row_at(0).status == AvvikelseStatus.NY
